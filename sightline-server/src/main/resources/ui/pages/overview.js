// Overview: requests, errors by class and provider, latency / TTFT / TPOT percentiles over time,
// tokens, cost by model, top routes / models / users by cost, unpriced models, throughput.
import {h} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {chart, axis, values, PALETTE} from "../charts.js";
import {kpi, table, emptyState, barList, key, link, text} from "./common.js";
import {visible} from "../dom.js";

export async function render(root, {signal, show}) {
  const w = state.apiWindow();
  // every request starts now; the KPIs and the main charts are shown as soon as the main series
  // is in, and each other section fills in when its answer arrives
  const allP = get("llm/timeseries", {...w}, signal);
  // cost per hour (per interval for windows under 3 hours)
  const span = state.windowMillis();
  const hourly = span.to - span.from >= 3 * 3600e3;
  const byModelP = get("llm/timeseries", {...w, groupBy: "model", limit: 8, percentiles: false,
    interval: hourly ? "1h" : undefined}, signal);
  const providersP = get("llm/summary", {...w, groupBy: "provider", sort: "calls", limit: 20, percentiles: false}, signal);
  const routesP = get("llm/summary", {...w, groupBy: "route", sort: "cost", limit: 5, percentiles: false}, signal);
  const modelsP = get("llm/summary", {...w, groupBy: "model", sort: "cost", limit: 10, percentiles: false}, signal);
  const usersP = get("llm/summary", {...w, groupBy: "user", sort: "cost", limit: 5, percentiles: false}, signal);
  const unpricedP = get("pricing/unpriced", {...w}, signal);
  const pending = [byModelP, providersP, routesP, modelsP, usersP, unpricedP];
  pending.forEach(p => p.catch(() => {})); // reported where each is awaited
  const all = await allP;
  root.append(h("div", {class: "page-head"}, h("h1", null, "Overview"),
    h("span", {class: "muted"}, "LLM calls in the selected range")));
  const g = all.groups[0];
  if (!g) {
    root.append(emptyState("LLM calls"));
    return;
  }
  const tot = g.total;
  const x = axis(all);
  const pts = g.points;
  const v = (pick, missing = 0) => values(x, pts, pick, missing);
  root.append(h("div", {class: "grid kpis"},
    kpi("Requests", f.num(tot.calls), f.rate(tot.calls / (x.length * all.intervalSeconds / 60)) + " per minute", "requests"),
    kpi("Error rate", f.pct(tot.errorRate), `4xx ${f.num(tot.errors4xx)} · 5xx ${f.num(tot.errors5xx)}`, "errors"),
    kpi("Latency p95", f.ms(tot.latencyMs.p95), "p50 " + f.ms(tot.latencyMs.p50), "latency"),
    kpi("TTFT p95", f.ms(tot.ttftMs.p95), "p50 " + f.ms(tot.ttftMs.p50), "ttft"),
    kpi("TPOT p50", f.ms(tot.tpotMs.p50), "p95 " + f.ms(tot.tpotMs.p95), "tpot"),
    kpi("Tokens in", f.compact(tot.inputTokens), `cached ${f.compact(tot.cacheReadTokens)}`, "tokens-in"),
    kpi("Tokens out", f.compact(tot.outputTokens), `reasoning ${f.compact(tot.reasoningTokens)}`, "tokens-out"),
    kpi("Cost", f.usd(tot.costUsd), tot.unpricedCalls ? `${f.num(tot.unpricedCalls)} calls unpriced` : "all calls priced", "cost")));

  const p = (sel, q) => v(pt => pt[sel][q], null);
  root.append(h("div", {class: "grid two section"},
    chart("Requests and errors", x, [
      {label: "requests", values: v(pt => pt.calls)},
      {label: "4xx", values: v(pt => pt.errors4xx), color: PALETTE[5]},
      {label: "5xx", values: v(pt => pt.errors5xx), color: PALETTE[2]},
    ], {yFmt: f.compact}),
    chart("Latency", x, [
      {label: "p50", values: p("latencyMs", "p50")}, {label: "p95", values: p("latencyMs", "p95")},
      {label: "p99", values: p("latencyMs", "p99")}], {yFmt: f.ms}),
    chart("Time to first token", x, [
      {label: "p50", values: p("ttftMs", "p50")}, {label: "p95", values: p("ttftMs", "p95")},
      {label: "p99", values: p("ttftMs", "p99")}], {yFmt: f.ms, empty: "No streamed calls with a first-token time."}),
    chart("Time per output token", x, [
      {label: "p50", values: p("tpotMs", "p50")}, {label: "p95", values: p("tpotMs", "p95")},
      {label: "p99", values: p("tpotMs", "p99")}], {yFmt: f.ms}),
    chart("Tokens", x, [
      {label: "input", values: v(pt => pt.inputTokens - pt.cacheReadTokens - pt.cacheWriteTokens)},
      {label: "cached input", values: v(pt => pt.cacheReadTokens)},
      {label: "cache writes", values: v(pt => pt.cacheWriteTokens)},
      {label: "output", values: v(pt => pt.outputTokens - pt.reasoningTokens)},
      {label: "reasoning", values: v(pt => pt.reasoningTokens)},
    ], {stacked: true, yFmt: f.compact}),
    later(byModelP, byModel => costChart(byModel, hourly ? axis(byModel) : x, hourly), "chart")));
  show();

  root.append(h("div", {class: "grid three section"},
    h("section", {class: "card", id: "errors-by-provider"}, h("h3", null, "Errors by provider"),
      later(providersP, providers => table([
        {label: "Provider", cell: r => link(["models"], null, key(r.key))},
        {label: "Calls", num: true, cell: r => f.num(r.calls)},
        {label: "4xx", num: true, cell: r => f.pct(r.calls ? r.errors4xx / r.calls : 0)},
        {label: "5xx", num: true, cell: r => f.pct(r.calls ? r.errors5xx / r.calls : 0)},
        {label: "All errors", num: true, cell: r => f.pct(r.errorRate)},
      ], providers.groups))),
    topBy("Top routes by cost", "top-routes", routesP, r => link(["traces"], {route: r.key}, key(r.key))),
    topBy("Top models by cost", "top-models", modelsP, r => link(["traces"], {model: r.key}, key(r.key))),
    topBy("Top users by cost", "top-users", usersP, r => r.key === null ? key(null) : link(["users"], {user: r.key}, key(r.key))),
    h("section", {class: "card", id: "throughput"}, h("h3", null, "Throughput (output tokens/s, mean per call)"),
      later(modelsP, models => barList(models.groups.filter(r => r.outputTokensPerSecond !== null)
        .sort((a, b) => b.outputTokensPerSecond - a.outputTokensPerSecond)
        .map(r => ({label: key(r.key), value: r.outputTokensPerSecond, text: f.rate(r.outputTokensPerSecond) + " tok/s"})),
      "No streamed calls with timing."))),
    h("section", {class: "card", id: "unpriced"}, h("h3", null, "Unpriced models"),
      later(unpricedP, unpriced => unpriced.models.length ? h("div", null, table([
        {label: "Model", cell: r => text(r.model)},
        {label: "Provider", cell: r => text(r.provider)},
        {label: "Calls", num: true, cell: r => f.num(r.calls)},
        {label: "Tokens", num: true, cell: r => f.compact(r.inputTokens + r.outputTokens)},
      ], unpriced.models), h("p", {class: "muted"},
        "Add these to a price file (--pricing-file, docs/pricing.md); they are never counted as $0."))
        : h("div", {class: "muted"}, "Every model in this range has a price.")))));
  // the page is complete when every section is
  await Promise.allSettled(pending);
}

/** A placeholder that becomes build(answer) when the promise resolves (or an error box). */
function later(promise, build, kind) {
  const slot = h("div", {class: kind === "chart" ? "later chart-slot" : "later"}, h("span", {class: "muted"}, "Loading…"));
  promise.then(v => slot.replaceChildren(build(v)), e => {
    if (e.name !== "AbortError") slot.replaceChildren(h("div", {class: "error-box"}, e.message));
  });
  return slot;
}

function costChart(byModel, x, hourly) {
  const title = hourly ? "Cost per hour by model" : "Cost by model";
  const groups = byModel.groups.filter(g => g.total.costUsd !== null);
  if (!groups.length) return chart(title, [], [], {empty: "No priced calls in this range."});
  return chart(title, x, groups.map(g => ({label: g.key === null ? "(none)" : visible(g.key),
    values: values(x, g.points, p => p.costUsd === null ? 0 : Number(p.costUsd))})), {stacked: true, yFmt: f.usd});
}

function topBy(title, id, promise, label) {
  return h("section", {class: "card", id}, h("h3", null, title), later(promise, res => barList(res.groups
    .filter(r => r.costUsd !== null)
    .map(r => ({label: label(r), value: Number(r.costUsd), text: f.usd(r.costUsd)})), "No priced calls in this range.")));
}
