// One trace: summary (with the user-perceived TTFT of a browser root span beside the LLM's), time breakdown by category, critical path, and a virtualised waterfall that
// stays smooth at 10,000 spans; the selected span's details beside it (?span= in the URL).
import {h, t, replace, visible} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {link} from "./common.js";
import {showDetail, infrastructure} from "./trace-detail.js";

const ROW = 24;
const CATEGORY_ORDER = ["browser", "llm", "retrieval", "tool", "embedding", "rerank", "agent", "workflow", "guardrail", "http", "db", "other"];

/** Milliseconds since the epoch, keeping the ISO time's sub-millisecond digits. */
export function isoMillis(iso) {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso);
  if (!m) return new Date(iso).getTime();
  const base = Date.parse(m[1] + "Z");
  const frac = m[2] ? Number("0." + m[2]) * 1000 : 0;
  return base + frac;
}

export async function render(root, {signal}) {
  const traceId = decodeURIComponent(location.pathname.split("/")[2] || "");
  // the outline only (no attributes or content): a 10,000-span trace stays small; a span's details
  // are fetched when it is selected
  const trace = await get("traces/" + encodeURIComponent(traceId), {details: false}, signal);
  const spans = trace.spans.map((s, i) => {
    const start = isoMillis(s.startTime);
    return {...s, i, start, end: start + s.durationMs, children: [], depth: 0, critical: false};
  });
  const byId = new Map(spans.map(s => [s.spanId, s]));
  const roots = [];
  for (const s of spans) {
    const p = s.parentSpanId ? byId.get(s.parentSpanId) : null;
    if (p && p !== s) p.children.push(s);
    else roots.push(s);
  }
  const t0 = Math.min(...spans.map(s => s.start));
  const t1 = Math.max(...spans.map(s => s.end));
  const total = Math.max(t1 - t0, 1e-6);
  markCriticalPath(roots);
  const critical = spans.filter(s => s.critical);

  const root0 = roots.slice().sort((a, b) => a.start - b.start)[0];
  const calls = spans.filter(s => s.llm);
  const cost = calls.reduce((a, s) => s.llm.costUsd === null ? a : a + Number(s.llm.costUsd), 0);
  const anyPriced = calls.some(s => s.llm.costUsd !== null);
  const errors = spans.filter(s => s.status === "error" || (s.llm && s.llm.status === "error")).length;
  // the outline has no attributes: a browser root span's first-token time comes with its details
  const browserRoots = roots.filter(s => s.category === "browser").slice(0, 5);
  const userTtftP = Promise.all(browserRoots.map(s => get("traces/" + encodeURIComponent(traceId) + "/spans/"
    + encodeURIComponent(s.spanId), {}, signal).then(d => {
    const v = d.attributes ? Number(d.attributes["rum.first_token_ms"]) : NaN;
    if (Number.isFinite(v)) s.userTtftMs = v;
  }, e => {
    if (e.name === "AbortError") throw e;
  })));
  await userTtftP;
  const userRoot = browserRoots.find(s => s.userTtftMs !== undefined);
  const firstLlm = calls.slice().sort((a, b) => a.start - b.start).find(s => s.llm.ttftMs !== null && s.llm.ttftMs !== undefined);

  root.append(h("div", {class: "page-head"},
    h("h1", null, "Trace ", t(root0.name || "")),
    h("span", {class: "muted mono"}, traceId),
    link(["traces"], null, "← all traces")));
  root.append(h("div", {class: "grid kpis"},
    card("Duration", f.ms(total)), card("Spans", f.num(spans.length)), card("LLM calls", f.num(calls.length)),
    card("Tokens in / out", f.compact(calls.reduce((a, s) => a + s.llm.inputTokens, 0)) + " / " +
      f.compact(calls.reduce((a, s) => a + s.llm.outputTokens, 0))),
    card("Cost", anyPriced ? f.usd(cost) : "–"), card("Errors", f.num(errors)),
    card("Started", f.time(root0.startTime)),
    userRoot ? card("User-perceived TTFT", f.ms(userRoot.userTtftMs), "as the user saw it", "user-ttft") : null,
    userRoot || firstLlm ? card("LLM TTFT", firstLlm ? f.ms(firstLlm.llm.ttftMs) : "–", "at the gateway/provider", "llm-ttft") : null));

  // where the time went
  const cats = Object.entries(trace.breakdown).sort((a, b) => CATEGORY_ORDER.indexOf(a[0]) - CATEGORY_ORDER.indexOf(b[0]));
  const sum = cats.reduce((a, [, v]) => a + v, 0) || 1;
  const critMs = critical.reduce((a, s) => a + s.criticalMs, 0);
  root.append(h("section", {class: "card section", id: "breakdown"}, h("h3", null, "Where the time went"),
    h("div", {class: "breakdown"}, cats.map(([c, v]) => h("div", {title: `${c}: ${f.ms(v)}`,
      style: {width: (100 * v / sum).toFixed(2) + "%", background: `var(--cat-${CATEGORY_ORDER.includes(c) ? c : "other"})`}}))),
    h("div", {class: "legend"}, cats.map(([c, v]) => h("span", {dataset: {category: c}},
      h("span", {class: "sw", style: {background: `var(--cat-${CATEGORY_ORDER.includes(c) ? c : "other"})`}}),
      `${c} ${f.ms(v)} (${f.pct(v / sum)})`))),
    h("p", {class: "muted", id: "critical-path"}, `Critical path: ${f.ms(critMs)} across ${critical.length} span(s), outlined in red below. `,
      "Overlapping time is counted once, for the deepest span.")));

  // waterfall
  const collapsed = new Set();
  let rows = [];
  const flatten = () => {
    rows = [];
    const stack = roots.slice().sort((a, b) => b.start - a.start);
    const depthOf = new Map(roots.map(r => [r, 0]));
    while (stack.length) {
      const s = stack.pop();
      s.depth = depthOf.get(s);
      rows.push(s);
      if (!collapsed.has(s.spanId)) {
        const kids = s.children.slice().sort((a, b) => b.start - a.start);
        for (const k of kids) {
          depthOf.set(k, s.depth + 1);
          stack.push(k);
        }
      }
    }
  };
  flatten();
  const selectedId = state.param("span");
  const detail = h("aside", {class: "card detail", id: "span-detail"});
  const spacer = h("div", {style: {height: rows.length * ROW + "px", position: "relative"}});
  const view = h("div", {class: "waterfall", id: "waterfall", tabindex: "0", aria: {label: "Span waterfall"}}, spacer);
  // only the rows in view (and a margin) exist; scrolling adds the rows that come into view and
  // drops those that leave, so a frame touches a handful of elements
  let drawn = new Map(); // row index -> element
  const draw = (force) => {
    const top = view.scrollTop;
    const height = view.clientHeight || 640;
    const a = Math.max(0, Math.floor(top / ROW) - 20);
    const b = Math.min(rows.length, Math.ceil((top + height) / ROW) + 20);
    if (force) {
      spacer.style.height = rows.length * ROW + "px";
      spacer.replaceChildren();
      drawn = new Map();
    }
    for (const [i, el] of drawn) {
      if (i < a || i >= b) {
        el.remove();
        drawn.delete(i);
      }
    }
    for (let i = a; i < b; i++) {
      if (!drawn.has(i)) {
        const el = row(rows[i], i);
        drawn.set(i, el);
        spacer.appendChild(el);
      }
    }
  };
  let selected = state.param("span");
  const select = s => {
    // the selection goes in the URL without reloading the trace
    const p = state.params();
    p.set("span", s.spanId);
    history.replaceState(null, "", location.pathname + "?" + p);
    selected = s.spanId;
    showDetail(detail, traceId, s);
    draw(true);
  };
  const row = (s, i) => {
    const left = 100 * (s.start - t0) / total;
    const width = Math.max(0.1, 100 * (s.end - s.start) / total);
    const cat = CATEGORY_ORDER.includes(s.category) ? s.category : "other";
    const toggle = s.children.length ? h("span", {class: "toggle", onclick: e => {
      e.stopPropagation();
      if (collapsed.has(s.spanId)) collapsed.delete(s.spanId); else collapsed.add(s.spanId);
      flatten();
      draw(true);
    }}, collapsed.has(s.spanId) ? "▸" : "▾") : h("span", {class: "toggle"}, "");
    const el = h("div", {class: "wf-row" + (s.spanId === selected ? " selected" : ""), style: {top: i * ROW + "px"},
      dataset: {spanId: s.spanId}, onclick: () => select(s)},
    h("div", {class: "wf-name", style: {paddingLeft: Math.min(s.depth, 40) * 12 + "px"}, title: visible(s.name)}, toggle,
      s.status === "error" || (s.llm && s.llm.status === "error") ? h("span", {class: "badge err"}, "!") : null, " ",
      t(s.name), h("span", {class: "muted"}, " · ", t(s.service || ""))),
    h("div", {class: "wf-track"},
      h("div", {class: "wf-bar" + (s.critical ? " critical" : ""), style: {left: left + "%", width: width + "%",
        background: `var(--cat-${cat})`}}),
      s.userTtftMs !== undefined ? h("div", {class: "wf-marker", dataset: {marker: "user-ttft"},
        title: "user-perceived TTFT " + f.ms(s.userTtftMs) + " (first token on screen)",
        style: {left: Math.min(99.5, 100 * (s.start + s.userTtftMs - t0) / total) + "%"}}) : null,
      h("span", {class: "wf-label", style: left > 70 ? {right: (100 - left + 0.5) + "%"} : {left: Math.min(99, left + width + 0.5) + "%"}},
        f.ms(s.durationMs))));
    return el;
  };
  view.addEventListener("scroll", () => draw(false), {passive: true});
  const infra = infrastructure(traceId, signal);
  root.append(h("div", {class: "trace-layout section"},
    h("div", null,
      h("div", {class: "wf-head"}, h("div", null, "Span · service"), h("div", null, "0 → " + f.ms(total))),
      view),
    h("div", null, detail, infra.panel)));
  // the first rows are drawn now; the rest as the list scrolls (only visible rows exist in the DOM)
  draw(true);
  requestAnimationFrame(() => draw(true));
  const sel = selectedId && byId.get(selectedId);
  if (sel) showDetail(detail, traceId, sel);
  else replace(detail, h("div", {class: "muted"}, "Select a span to see its attributes, events and LLM call."));
  if (sel) {
    const idx = rows.indexOf(sel);
    if (idx >= 0) requestAnimationFrame(() => { view.scrollTop = Math.max(0, idx * ROW - 200); });
  }
  // the page is complete when the infrastructure panel is
  await infra.done.catch(() => {});
}

function card(label, value, sub, id) {
  return h("div", {class: "card kpi", dataset: {kpi: id}}, h("h3", null, label), h("div", {class: "value"}, value),
    sub ? h("div", {class: "sub"}, sub) : null);
}

/**
 * Marks the critical path: from the end of each root, walk back through the child that ends last
 * before the cursor; a span's own time between its children is its share.
 */
function markCriticalPath(roots) {
  const walk = (s, limit) => {
    let cursor = Math.min(s.end, limit);
    s.critical = true;
    s.criticalMs = 0;
    const kids = s.children.slice().sort((a, b) => b.end - a.end);
    for (const c of kids) {
      if (c.start >= cursor) continue;
      const cEnd = Math.min(c.end, cursor);
      s.criticalMs += Math.max(0, cursor - cEnd);
      walk(c, cEnd);
      cursor = Math.max(s.start, c.start);
      if (cursor <= s.start) break;
    }
    s.criticalMs += Math.max(0, cursor - s.start);
  };
  // iterative guard for very deep traces: recursion depth is the tree depth, bounded by the spans
  for (const r of roots) walk(r, Infinity);
}
