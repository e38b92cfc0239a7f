// The trace view's side panels: the selected span's details (attributes, LLM call, events, resource
// attributes with links that filter the traces list) and the infrastructure the trace ran on.
import {h, t, replace, path} from "../dom.js";
import {get} from "../api.js";
import * as f from "../format.js";
import {link, callLink} from "./common.js";
import {badges} from "./scores.js";

/** Resource attributes that say where a span ran, shown first and filterable on the traces list. */
export const RESOURCE_KEYS = ["service.version", "k8s.pod.name", "k8s.namespace.name", "host.name"];

let detailRequest = null;

/** Fetches one span whole and shows it; a newer selection wins over an older answer. */
export function showDetail(el, traceId, outline) {
  const spanId = outline.spanId;
  if (detailRequest) detailRequest.abort();
  const controller = new AbortController();
  detailRequest = controller;
  replace(el, h("div", {class: "muted"}, "Loading the span…"));
  // an LLM span's scores come with its call; a store that cannot answer them leaves the span shown
  const scores = outline.llm ? get("llm/calls", {traceId, spanId, limit: 1}, controller.signal)
    .then(r => (r.calls[0] ? r.calls[0].scores : []), e => {
      if (e.name === "AbortError") throw e;
      return null;
    }) : Promise.resolve(null);
  Promise.all([get("traces/" + encodeURIComponent(traceId) + "/spans/" + encodeURIComponent(spanId), {}, controller.signal),
    scores])
    .then(([span, own]) => {
      if (!controller.signal.aborted) {
        replace(el, spanDetail({...span, critical: outline.critical, criticalMs: outline.criticalMs, scores: own}, traceId));
      }
    })
    .catch(e => {
      if (e.name !== "AbortError") replace(el, h("div", {class: "error-box"}, e.message));
    });
}

function kv(obj) {
  return h("div", {class: "kv"}, Object.entries(obj || {}).flatMap(([k, v]) => [
    h("div", null, t(k)), h("div", null, t(typeof v === "string" ? v : JSON.stringify(v)))]));
}

/** The where-it-ran keys first, each value a link to the traces that ran there; then the rest. */
function resources(attrs) {
  const entries = Object.entries(attrs || {});
  const first = RESOURCE_KEYS.filter(k => attrs && attrs[k] !== undefined && attrs[k] !== null);
  const rest = entries.filter(([k]) => !RESOURCE_KEYS.includes(k));
  const value = v => (typeof v === "string" ? v : JSON.stringify(v));
  return h("div", {class: "kv", id: "resource-attributes"},
    first.flatMap(k => [h("div", {class: "res-key"}, k), h("div", null,
      link(["traces"], {resource: k + "=" + value(attrs[k])}, t(value(attrs[k]))))]),
    rest.flatMap(([k, v]) => [h("div", null, t(k)), h("div", null, t(value(v)))]));
}

function spanDetail(s, traceId) {
  const userTtft = s.attributes ? s.attributes["rum.first_token_ms"] : undefined;
  return h("div", null,
    h("h2", null, t(s.name)),
    h("div", {class: "kv"},
      h("div", null, "span id"), h("div", {class: "mono"}, s.spanId),
      h("div", null, "service"), h("div", null, t(s.service || "–")),
      h("div", null, "kind"), h("div", null, s.kind || "–"),
      h("div", null, "category"), h("div", null, s.category),
      h("div", null, "duration"), h("div", null, f.ms(s.durationMs)),
      userTtft !== undefined ? h("div", null, "user-perceived TTFT") : null,
      userTtft !== undefined ? h("div", null, f.ms(Number(userTtft)), h("span", {class: "muted"}, " as the user saw it")) : null,
      h("div", null, "status"), h("div", null, s.status, s.statusMessage ? h("span", null, " — ", t(s.statusMessage)) : null),
      h("div", null, "critical path"), h("div", null, s.critical ? "yes, " + f.ms(s.criticalMs) + " of its own" : "no")),
    s.llm ? h("div", {class: "section"}, h("h3", null, "LLM call"),
      h("div", {class: "kv"},
        h("div", null, "model"), h("div", null, t(s.llm.responseModel || s.llm.requestModel || "–")),
        h("div", null, "provider"), h("div", null, t(s.llm.provider || "–")),
        h("div", null, "tokens in / out"), h("div", null, f.num(s.llm.usage.inputTokens) + " / " + f.num(s.llm.usage.outputTokens)),
        h("div", null, "TTFT"), h("div", null, f.ms(s.llm.ttftMs)),
        h("div", null, "cost"), h("div", null, f.usd(s.llm.costUsd)),
        s.scores ? h("div", null, "scores") : null, s.scores ? h("div", {id: "span-scores"}, badges(s.scores)) : null),
      h("p", null, callLink(traceId, s.spanId, "Open the call: messages, tokens, cost →"))) : null,
    h("div", {class: "section"}, h("h3", null, "Resource attributes"), resources(s.resourceAttributes)),
    h("div", {class: "section"}, h("h3", null, "Attributes"), kv(s.attributes)),
    s.events && s.events.length ? h("div", {class: "section"}, h("h3", null, "Events"),
      s.events.map(e => h("details", null, h("summary", null, t(e.name), " ", h("span", {class: "muted"}, f.time(e.time))),
        kv(e.attributes), e.body !== undefined ? h("pre", {class: "json"}, t(typeof e.body === "string" ? e.body : JSON.stringify(e.body, null, 2))) : null))) : null);
}

/**
 * The engines serving the models this trace's LLM calls used and the GPUs reporting around it, each
 * linking to the Engines & GPUs page over the trace's window (± 5 min). A server without the
 * endpoint, or a trace without LLM calls, leaves a short note.
 */
export function infrastructure(traceId, signal) {
  const panel = h("section", {class: "card section", id: "infrastructure"}, h("h3", null, "Infrastructure"),
    h("div", {class: "muted"}, "Loading…"));
  const done = get("traces/" + encodeURIComponent(traceId) + "/infrastructure", {}, signal).then(r => {
    const window = {from: r.since, to: r.until};
    const calls = r.calls || [];
    const engines = new Map();
    for (const c of calls) for (const e of c.engines || []) engines.set(e.id, {...e, calls: (engines.get(e.id) || {calls: []}).calls.concat(c)});
    const body = [];
    if (!calls.length) {
      body.push(h("p", {class: "muted", dataset: {empty: "true"}}, "This trace has no LLM calls, so no engine to link."));
    } else if (!engines.size) {
      body.push(h("p", {class: "muted", dataset: {empty: "true"}}, "No self-hosted engine with metrics served ",
        calls.map((c, i) => [i ? ", " : null, t(c.model || "?")]), " around this trace (hosted providers have none; "
        + "scrape your engines with --scrape, docs/configuration.md)."));
    } else {
      body.push(h("div", null, "Engines ", h("span", {class: "muted"}, `${f.time(r.since)} – ${f.time(r.until)}`)),
        h("ul", {class: "infra-list", id: "infra-engines"}, [...engines.values()].map(e => h("li", {dataset: {engine: e.id}},
          h("a", {href: path(["engines"], {engine: e.id, ...window})}, t(e.model || e.id)), " ",
          h("span", {class: "badge"}, t(e.kind)), h("span", {class: "muted"}, " on ", t(e.service), " · ",
            `${e.calls.length} call${e.calls.length === 1 ? "" : "s"}`)))));
      const gpus = r.gpus || [];
      body.push(h("div", {class: "section"}, "GPUs"), gpus.length
        ? h("ul", {class: "infra-list", id: "infra-gpus"}, gpus.map(g => h("li", {dataset: {gpu: g.id}},
          h("a", {href: path(["engines"], window) + "#gpus"}, "GPU ", t(g.gpu === null || g.gpu === undefined ? "?" : g.gpu)), " ",
          t(g.model || ""), h("span", {class: "muted"}, g.host ? [" on ", t(g.host)] : null))))
        : h("p", {class: "muted"}, "No GPU reported metrics in this window."));
    }
    replace(panel, h("h3", null, "Infrastructure"), body);
  }, e => {
    if (e && e.name === "AbortError") throw e;
    replace(panel, h("h3", null, "Infrastructure"), e && e.status === 404
      ? h("p", {class: "muted"}, "This server does not link traces to engines.")
      : h("div", {class: "error-box"}, e.message));
  });
  return {panel, done};
}
