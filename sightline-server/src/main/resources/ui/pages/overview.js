// Overview: requests, errors by class and provider, latency / TTFT / TPOT percentiles over time,
// tokens, cost by model, top routes / models / users by cost, unpriced models, throughput, and
// quality: the flagged rate per score over time and per route.
import {h} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {chart, axis, values, PALETTE} from "../charts.js";
import {kpi, table, emptyState, barList, key, link, text} from "./common.js";
import {visible, t} from "../dom.js";
import {BUILT_IN, noScores} from "./scores.js";



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
  const qualitySeriesP = get("quality/timeseries", {...w}, signal);
  const qualityRoutesP = get("quality", {...w, groupBy: "route"}, signal);
  // cost anomalies over the chart's range, as markers on the cost chart; none when the server has no detector
  const anomaliesP = get("anomalies", {since: new Date(span.from).toISOString(), until: new Date(span.to).toISOString()}, signal)
    .then(r => (r && Array.isArray(r.anomalies) ? r.anomalies : []), e => {
      if (e && e.name === "AbortError") throw e;
      return [];
    });
  // real users (RUM): a row only when the agent has sent something; a server without it answers 404
  const rumP = get("rum/summary", {...w}, signal).catch(e => {
    if (e && e.name === "AbortError") throw e;
    return null;
  });
  const realUsersSlot = h("div", {id: "real-users-slot"});
  rumP.then(r => {
    if (hasRealUsers(r)) realUsersSlot.replaceChildren(realUsers(r));
  }, () => {});
  const pending = [rumP, byModelP, anomaliesP, providersP, routesP, modelsP, usersP, unpricedP, qualitySeriesP, qualityRoutesP];
  pending.forEach(p => p.catch(() => {})); // reported where each is awaited
  const all = await allP;
  root.append(h("div", {class: "page-head"}, h("h1", null, "Overview"),
    h("span", {class: "muted"}, "LLM calls in the selected range")));
  const g = all.groups[0];
  if (!g) {
    root.append(realUsersSlot, emptyState("LLM calls"));
    await rumP;
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
  root.append(realUsersSlot);

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
    later(Promise.all([byModelP, anomaliesP]), ([byModel, anomalies]) =>
      costChart(byModel, hourly ? axis(byModel) : x, hourly, anomalies), "chart")));
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
  root.append(h("div", {class: "grid two section", id: "quality-overview"},
    later(qualitySeriesP, qualityChart, "chart"),
    h("section", {class: "card", id: "quality-by-route"}, h("h3", null, "Quality by route"),
      later(qualityRoutesP, qualityByRoute))));
  // the page is complete when every section is
  await Promise.allSettled(pending);
}

function hasRealUsers(r) {
  return !!(r && r.totals && ((r.totals.pageViews || 0) > 0 || (r.totals.requests || 0) > 0));
}

/**
 * The real-users row: Web Vitals at p75, and the time to the first token as the user saw it beside
 * the same calls' TTFT at the gateway / provider, so the gap (network, backend, rendering) shows.
 */
function realUsers(r) {
  const tt = r.totals;
  const cls = v => (v === null || v === undefined ? "–" : Number(v).toFixed(3));
  const gapClass = v => (v !== null && v !== undefined && v > 0 ? "badge warn" : "badge");
  return h("section", {class: "section", id: "real-users"},
    h("h2", null, "Real users ", h("span", {class: "muted"}, "from the browser agent: what people saw")),
    h("div", {class: "grid kpis"},
      kpi("LCP p75", f.ms(tt.lcpP75Ms), `${f.num(tt.pageViews)} page views`, "lcp"),
      kpi("INP p75", f.ms(tt.inpP75Ms), "interaction to next paint", "inp"),
      kpi("CLS p75", cls(tt.clsP75), "layout shift", "cls"),
      kpi("User-perceived TTFT p50", f.ms(tt.userTtftP50Ms), "p95 " + f.ms(tt.userTtftP95Ms) + " · as users saw it", "user-ttft"),
      kpi("Server TTFT p50", f.ms(tt.serverTtftP50Ms), "p95 " + f.ms(tt.serverTtftP95Ms) + " · at the gateway/provider", "server-ttft"),
      kpi("Browser requests", f.num(tt.requests), `${f.num(tt.errors)} errors`, "rum-requests")),
    h("div", {class: "grid two section"},
      h("section", {class: "card", id: "rum-requests"}, h("h3", null, "Time to first token by route"),
        table([
          {label: "Route", cell: x => text(x.route), sort: x => x.route},
          {label: "Requests", num: true, cell: x => f.num(x.requests), sort: x => x.requests},
          {label: h("span", null, "user TTFT p50", h("br"), "as users saw it"), num: true, cell: x => f.ms(x.userTtftP50Ms), sort: x => x.userTtftP50Ms},
          {label: h("span", null, "user TTFT p95", h("br"), "as users saw it"), num: true, cell: x => f.ms(x.userTtftP95Ms), sort: x => x.userTtftP95Ms},
          {label: h("span", null, "server TTFT p50", h("br"), "gateway/provider"), num: true, cell: x => f.ms(x.serverTtftP50Ms), sort: x => x.serverTtftP50Ms},
          {label: h("span", null, "server TTFT p95", h("br"), "gateway/provider"), num: true, cell: x => f.ms(x.serverTtftP95Ms), sort: x => x.serverTtftP95Ms},
          {label: h("span", null, "gap p50", h("br"), "user − server"), num: true,
            cell: x => h("span", {class: gapClass(x.gapP50Ms)}, f.ms(x.gapP50Ms)), sort: x => x.gapP50Ms},
        ], r.requests || [], {id: "rum-requests-table", empty: "No fetches from browsers in this range."})),
      h("section", {class: "card", id: "rum-pages"}, h("h3", null, "Web Vitals by page"),
        table([
          {label: "Page", cell: x => text(x.route), sort: x => x.route},
          {label: "Views", num: true, cell: x => f.num(x.views), sort: x => x.views},
          {label: "LCP p75", num: true, cell: x => f.ms(x.lcpP75Ms), sort: x => x.lcpP75Ms},
          {label: "INP p75", num: true, cell: x => f.ms(x.inpP75Ms), sort: x => x.inpP75Ms},
          {label: "CLS p75", num: true, cell: x => cls(x.clsP75), sort: x => x.clsP75},
          {label: "Load p50", num: true, cell: x => f.ms(x.loadP50Ms), sort: x => x.loadP50Ms},
          {label: "Errors", num: true, cell: x => f.num(x.errors), sort: x => x.errors},
        ], r.pages || [], {id: "rum-pages-table", empty: "No page loads from browsers in this range."}))));
}

/** A placeholder that becomes build(answer) when the promise resolves (or an error box). */
function later(promise, build, kind) {
  const slot = h("div", {class: kind === "chart" ? "later chart-slot" : "later"}, h("span", {class: "muted"}, "Loading…"));
  promise.then(v => slot.replaceChildren(build(v)), e => {
    if (e.name !== "AbortError") slot.replaceChildren(h("div", {class: "error-box"}, e.message));
  });
  return slot;
}

function costChart(byModel, x, hourly, anomalies) {
  const title = hourly ? "Cost per hour by model" : "Cost by model";
  const groups = byModel.groups.filter(g => g.total.costUsd !== null);
  if (!groups.length) return chart(title, [], [], {empty: "No priced calls in this range."});
  // each anomaly links to its explanation on the alerts page
  const markers = anomalies.map(a => ({x: new Date(a.start).getTime() / 1000, label: "!",
    title: visible(a.summary || "cost anomaly"), href: "/alerts#anomaly-" + encodeURIComponent(a.start)}))
    .filter(m => Number.isFinite(m.x));
  return chart(title, x, groups.map(g => ({label: g.key === null ? "(none)" : visible(g.key),
    values: values(x, g.points, p => p.costUsd === null ? 0 : Number(p.costUsd))})), {stacked: true, yFmt: f.usd, markers});
}

function topBy(title, id, promise, label) {
  return h("section", {class: "card", id}, h("h3", null, title), later(promise, res => barList(res.groups
    .filter(r => r.costUsd !== null)
    .map(r => ({label: label(r), value: Number(r.costUsd), text: f.usd(r.costUsd)})), "No priced calls in this range.")));
}

/** The share of evaluated calls flagged, per score name, over the window. */
function qualityChart(q) {
  const title = "Flagged rate by score";
  if (!q.series.length) return chart(title, [], [], {empty: noScores("No scores in this range yet.")});
  const x = axis({intervalSeconds: q.intervalMs / 1000, since: q.since, until: q.until});
  // a bucket without evaluated calls has no rate: a gap, not 0%
  return chart(title, x, q.series.map(s => ({label: visible(s.name),
    values: values(x, s.points.map(p => ({...p, start: p.time})), p => p.flaggedRate, null)})),
  {yFmt: v => f.pct(v)});
}

/** Per route: calls evaluated, flagged rate per score name (links to those calls), mean groundedness. */
function qualityByRoute(q) {
  if (!q.rows.length) return h("div", {class: "muted", dataset: {empty: "true"}}, noScores("No scores in this range yet."));
  const byRoute = new Map();
  const evaluatedByName = new Map();
  for (const r of q.rows) {
    if (!byRoute.has(r.key)) byRoute.set(r.key, {key: r.key, scores: {}});
    byRoute.get(r.key).scores[r.name] = r;
    evaluatedByName.set(r.name, (evaluatedByName.get(r.name) || 0) + r.evaluated);
  }
  // the built-in scores first, then the clients' busiest; a handful of columns at most
  const names = [...evaluatedByName.keys()].sort((a, b) => {
    const ia = BUILT_IN.indexOf(a);
    const ib = BUILT_IN.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return evaluatedByName.get(b) - evaluatedByName.get(a);
  }).slice(0, 4);
  const evaluated = r => Math.max(0, ...Object.values(r.scores).map(s => s.evaluated));
  const rows = [...byRoute.values()].sort((a, b) => evaluated(b) - evaluated(a));
  const flagged = (r, n) => {
    const s = r.scores[n];
    if (!s || s.flaggedRate === null || s.flaggedRate === undefined) return h("span", {class: "muted"}, "–");
    const text = f.pct(s.flaggedRate);
    const cell = s.flagged ? h("span", {class: "badge warn", title: `${s.flagged} of ${s.evaluated} flagged`}, text)
      : h("span", {title: `0 of ${s.evaluated} flagged`}, text);
    return r.key === null ? cell : link(["calls"], {route: r.key, score: n + "=flagged"}, cell);
  };
  const mean = r => r.scores.groundedness ? r.scores.groundedness.meanValue : null;
  return table([
    {label: "Route", cell: r => r.key === null ? key(null) : link(["calls"], {route: r.key}, key(r.key)), sort: r => r.key},
    {label: "Evaluated", num: true, cell: r => f.num(evaluated(r)), sort: evaluated},
    // two-line headers keep four score columns within a half-width card
    ...names.map(n => ({label: h("span", null, t(n), h("br"), "flagged"), num: true, cell: r => flagged(r, n),
      sort: r => (r.scores[n] ? r.scores[n].flaggedRate : null)})),
    {label: h("span", null, "groundedness", h("br"), "mean"), num: true, cell: r => (mean(r) === null || mean(r) === undefined ? "–" : mean(r).toFixed(2)),
      sort: mean},
  ], rows, {id: "quality-routes"});
}
