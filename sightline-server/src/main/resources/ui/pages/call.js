// One LLM call: its messages and tool calls (text kept as text, JSON pretty-printed), token
// buckets, cost breakdown, timing and outcome, its quality scores with the answer marked sentence
// by sentence, and links to its trace, session and user.
import {h, t} from "../dom.js";
import {get} from "../api.js";
import * as f from "../format.js";
import {link, traceLink} from "./common.js";
import {badges, qualitySection} from "./scores.js";

export async function render(root, {signal}) {
  const [, , traceId, spanId] = location.pathname.split("/").map(decodeURIComponent);
  const c = await get("llm/calls/" + encodeURIComponent(traceId) + "/" + encodeURIComponent(spanId), {}, signal);
  const model = c.responseModel || c.requestModel || "(unknown model)";
  root.append(h("div", {class: "page-head"},
    h("h1", null, t(c.operation || "call"), " · ", t(model)),
    c.status === "error" ? h("span", {class: "badge err"}, "error") : h("span", {class: "badge ok"}, "ok"),
    c.scores && c.scores.length ? badges(latest(c.scores)) : null,
    link(["traces", traceId], {span: spanId}, "← in its trace")));

  const u = c.usage;
  root.append(h("div", {class: "grid kpis"},
    kpi("Provider", t(c.provider || "–")),
    kpi("Duration", f.ms(c.durationMs)),
    kpi("Time to first token", f.ms(c.ttftMs), c.ttftSource ? "from " + c.ttftSource.replaceAll("_", " ") : null),
    kpi("Time per output token", f.ms(c.tpotMs)),
    kpi("Output tokens/s", f.rate(c.outputTokensPerSecond)),
    kpi("Max gap between tokens", f.ms(c.maxInterTokenGapMs)),
    kpi("Cost", c.costStatus === "priced" ? f.usd(c.costUsd) : (c.costStatus || "–").replaceAll("_", " ")),
    kpi("Tokens in / out", f.num(u.inputTokens) + " / " + f.num(u.outputTokens), "usage " + u.source)));

  const b = u.buckets;
  const cost = c.cost || {};
  const row = (label, tokens, usd) => h("tr", null, h("td", null, label), h("td", {class: "num"}, f.num(tokens)),
    h("td", {class: "num"}, f.usdExact(usd)));
  root.append(h("div", {class: "grid two section"},
    h("section", {class: "card", id: "buckets"}, h("h3", null, "Tokens and cost by bucket"),
      h("table", null, h("thead", null, h("tr", null, h("th", null, "Bucket"), h("th", {class: "num"}, "Tokens"),
        h("th", {class: "num"}, "Cost (USD)"))),
      h("tbody", null,
        row("input, uncached", b.inputUncached, cost.inputUsd),
        row("input, cache read", b.inputCacheRead, cost.cacheReadUsd),
        h("tr", null, h("td", null, "input, cache write (5 min / 1 h)"),
          h("td", {class: "num"}, f.num(b.inputCacheWrite5m) + " / " + f.num(b.inputCacheWrite1h)),
          h("td", {class: "num"}, f.usdExact(cost.cacheWriteUsd))),
        row("output, text", b.outputText, cost.outputUsd),
        row("output, reasoning", b.outputReasoning, cost.reasoningUsd),
        h("tr", null, h("th", null, "total"), h("th", {class: "num"}, f.num(u.totalTokens)),
          h("th", {class: "num"}, c.costStatus === "priced" ? f.usdExact(c.costUsd) : "–")))),
      h("p", {class: "muted"},
        cost.priceKey ? h("span", null, "Priced as ", h("code", null, t(cost.priceKey)), ". ") : null,
        cost.reason ? t(cost.reason) : null,
        cost.reportedUsd !== undefined && cost.reportedUsd !== null ? h("span", {id: "reported-cost"},
          " Cost reported by the source: ", f.usdExact(cost.reportedUsd), ".",
          c.costMismatch ? h("span", {class: "badge warn", title: "more than 1% apart"}, " differs from ours") : null) : null,
        u.inferredExclusive ? " Token buckets inferred exclusive." : null,
        u.rejectedReason ? h("span", null, " Usage rejected: ", t(u.rejectedReason)) : null)),
    h("section", {class: "card", id: "context"}, h("h3", null, "Call"),
      h("div", {class: "kv"},
        h("div", null, "trace"), h("div", null, traceLink(traceId)),
        h("div", null, "span"), h("div", {class: "mono"}, spanId),
        h("div", null, "started"), h("div", null, f.time(c.startTime)),
        h("div", null, "request model"), h("div", null, t(c.requestModel || "–")),
        h("div", null, "response model"), h("div", null, t(c.responseModel || "–")),
        h("div", null, "streaming"), h("div", null, c.streaming === null ? "–" : String(c.streaming)),
        h("div", null, "service tier"), h("div", null, t(c.serviceTier || "–")),
        h("div", null, "status"), h("div", null, c.status, c.httpStatus ? " · HTTP " + c.httpStatus : "",
          c.errorType ? h("span", null, " · ", t(c.errorType)) : null),
        h("div", null, "finish reasons"), h("div", null, t((c.finishReasons || []).join(", ") || "–")),
        h("div", null, "service"), h("div", null, t(c.service || "–")),
        h("div", null, "route"), h("div", null, c.route ? link(["traces"], {route: c.route}, t(c.route)) : "–"),
        h("div", null, "session"), h("div", null, c.sessionId ? link(["sessions"], {session: c.sessionId}, t(c.sessionId)) : "–"),
        h("div", null, "user"), h("div", null, c.userId ? link(["users"], {user: c.userId}, t(c.userId)) : "–"),
        h("div", null, "prompt"), h("div", null, c.promptName ? h("span", null, t(c.promptName), c.promptVersion ? h("span", null, " v", t(c.promptVersion)) : null) : "–"),
        h("div", null, "tags"), h("div", null, t((c.tags || []).join(", ") || "–"))))));

  root.append(qualitySection(c));

  const content = c.content || {};
  root.append(h("section", {class: "card section", id: "messages"}, h("h3", null, "Messages"),
    content.systemInstructions ? block("System instructions", content.systemInstructions) : null,
    content.inputMessages ? messages(content.inputMessages, "input") : null,
    content.outputMessages ? messages(content.outputMessages, "output") : null,
    content.toolDefinitions ? h("details", {class: "section"}, h("summary", null, "Tool definitions"), json(content.toolDefinitions)) : null,
    !content.inputMessages && !content.outputMessages ? h("p", {class: "muted"},
      "No prompt or response was recorded for this call (content capture is off or metadata-only, or the instrumentation does not record it).") : null));
}

/** The newest score of each name (the call's scores come newest first). */
function latest(scores) {
  const seen = new Set();
  return scores.filter(s => !seen.has(s.name) && seen.add(s.name));
}

function kpi(label, value, sub) {
  return h("div", {class: "card kpi"}, h("h3", null, label), h("div", {class: "value"}, value),
    sub ? h("div", {class: "sub"}, sub) : null);
}

function parse(s) {
  if (typeof s !== "string") return s;
  try {
    return JSON.parse(s);
  } catch (e) {
    return undefined;
  }
}

/** Pretty JSON of a value or JSON string, as text. */
function json(v) {
  const parsed = parse(v);
  const out = parsed === undefined ? String(v) : JSON.stringify(parsed, null, 2);
  return h("pre", {class: "json"}, t(out));
}

function block(title, v) {
  const parsed = parse(v);
  if (Array.isArray(parsed) && parsed.every(p => p && typeof p === "object")) {
    return h("div", {class: "msg"}, h("div", {class: "role"}, title), parsed.map(part));
  }
  return h("div", {class: "msg"}, h("div", {class: "role"}, title),
    h("div", {class: "part"}, h("pre", {class: "text"}, t(typeof parsed === "string" ? parsed : String(v)))));
}

function messages(raw, which) {
  const list = parse(raw);
  if (!Array.isArray(list)) {
    return h("div", {class: "messages", dataset: {messages: which}}, block(which, raw));
  }
  return h("div", {class: "messages section", dataset: {messages: which}}, list.map(m => {
    if (!m || typeof m !== "object") return h("div", {class: "msg"}, json(m));
    const parts = Array.isArray(m.parts) ? m.parts.map(part)
      : typeof m.content === "string" ? [h("div", {class: "part"}, h("pre", {class: "text"}, t(m.content)))]
        : m.content !== undefined ? [h("div", {class: "part"}, json(m.content))] : [];
    const extra = m.finish_reason ? h("div", {class: "part muted"}, "finish reason: ", t(m.finish_reason)) : null;
    return h("div", {class: "msg", dataset: {role: String(m.role || "")}},
      h("div", {class: "role"}, t(m.role || "message"), m.name ? h("span", null, " · ", t(m.name)) : null),
      parts, extra);
  }));
}

function part(p) {
  if (!p || typeof p !== "object") return h("div", {class: "part"}, json(p));
  switch (p.type) {
    case "text":
    case "reasoning":
      return h("div", {class: "part"}, p.type === "reasoning" ? h("div", {class: "muted"}, "reasoning") : null,
        h("pre", {class: "text"}, t(typeof p.content === "string" ? p.content : JSON.stringify(p.content))));
    case "tool_call":
      return h("div", {class: "part"}, h("div", null, "Tool call ", h("code", null, t(p.name || "?")),
        p.id ? h("span", {class: "muted"}, " · ", t(p.id)) : null), json(p.arguments === undefined ? {} : p.arguments));
    case "tool_call_response":
      return h("div", {class: "part"}, h("div", null, "Tool result", p.id ? h("span", {class: "muted"}, " · ", t(p.id)) : null),
        json(p.response === undefined ? p.result : p.response));
    default:
      return h("div", {class: "part"}, h("div", {class: "muted"}, t(p.type || "part")), json(p));
  }
}
