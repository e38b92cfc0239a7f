// Models and providers side by side: latency, TTFT, TPOT, tokens/s, errors, cost per call and
// per 1k tokens. Columns sort on click. A self-hosted model links to its engine's state.
import {h} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {table, emptyState, key, link} from "./common.js";

export async function render(root, {signal}) {
  const w = state.apiWindow();
  const [models, providers, engines] = await Promise.all([
    get("llm/summary", {...w, groupBy: "model", sort: "calls", limit: 500}, signal),
    get("llm/summary", {...w, groupBy: "provider", sort: "calls", limit: 100}, signal),
    // the engines serving these models, where Sightline scrapes them; without it the table still shows
    get("engines", {window: "1h"}, signal).catch(e => {
      if (e.name === "AbortError") throw e;
      return null;
    }),
  ]);
  const engineOf = new Map();
  for (const e of (engines && Array.isArray(engines.engines) ? engines.engines : [])) {
    if (e.model && !engineOf.has(e.model)) engineOf.set(e.model, e.id);
  }
  root.append(h("div", {class: "page-head"}, h("h1", null, "Models"),
    h("span", {class: "muted"}, "percentiles within 1% over large ranges; click a header to sort")));
  if (!models.groups.length) {
    root.append(emptyState("LLM calls"));
    return;
  }
  root.append(h("section", {class: "card"}, h("h3", null, "By model"), table(columns("Model", r =>
    r.key === null ? key(null) : h("span", null, link(["traces"], {model: r.key}, key(r.key)),
      engineOf.has(r.key) ? link(["engines"], {engine: engineOf.get(r.key)},
        h("span", {class: "badge engine-model-link", title: "this model's engine and GPUs"}, "engine")) : null)),
  models.groups, {id: "models-table"})));
  root.append(h("section", {class: "card section"}, h("h3", null, "By provider"), table(columns("Provider", r => key(r.key)),
    providers.groups, {id: "providers-table"})));
}

function per1kTokens(r) {
  const tokens = r.inputTokens + r.outputTokens;
  return r.costUsd === null || tokens === 0 ? null : Number(r.costUsd) * 1000 / tokens;
}

function perCall(r) {
  const priced = r.calls - r.unpricedCalls;
  return r.costUsd === null || priced <= 0 ? null : Number(r.costUsd) / priced;
}

function columns(label, cell) {
  return [
    {label, cell, sort: r => r.key},
    {label: "Calls", num: true, cell: r => f.num(r.calls), sort: r => r.calls},
    {label: "Errors", num: true, cell: r => h("span", {title: `4xx ${r.errors4xx}, 5xx ${r.errors5xx}`}, f.pct(r.errorRate)),
      sort: r => r.errorRate},
    {label: "Latency p50", num: true, cell: r => f.ms(r.latencyMs.p50), sort: r => r.latencyMs.p50},
    {label: "Latency p95", num: true, cell: r => f.ms(r.latencyMs.p95), sort: r => r.latencyMs.p95},
    {label: "TTFT p50", num: true, cell: r => f.ms(r.ttftMs.p50), sort: r => r.ttftMs.p50},
    {label: "TTFT p95", num: true, cell: r => f.ms(r.ttftMs.p95), sort: r => r.ttftMs.p95},
    {label: "TPOT p50", num: true, cell: r => f.ms(r.tpotMs.p50), sort: r => r.tpotMs.p50},
    {label: "Tokens/s", num: true, cell: r => f.rate(r.outputTokensPerSecond), sort: r => r.outputTokensPerSecond},
    {label: "Tokens in / out", num: true, cell: r => f.compact(r.inputTokens) + " / " + f.compact(r.outputTokens),
      sort: r => r.inputTokens + r.outputTokens},
    {label: "Cost", num: true, cell: r => f.usd(r.costUsd), sort: r => r.costUsd === null ? null : Number(r.costUsd)},
    {label: "Per call", num: true, cell: r => f.usd(perCall(r)), sort: perCall},
    {label: "Per 1k tokens", num: true, cell: r => f.usd(per1kTokens(r)), sort: per1kTokens},
    {label: "Unpriced", num: true, cell: r => r.unpricedCalls ? h("span", {class: "badge warn"}, f.num(r.unpricedCalls)) : "0",
      sort: r => r.unpricedCalls},
  ];
}
