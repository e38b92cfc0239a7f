// Engines & GPUs: each self-hosted inference engine's state now (KV cache, queue, throughput,
// engine-side latency, GPU cost) and its KV cache over time on one chart with its model's TTFT and
// TPOT from traces; each GPU's load; the health of every scrape target. Endpoints this server does
// not offer (404) leave their section empty instead of failing the page.
import {h, visible} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {chart, axis, values, join, PALETTE} from "../charts.js";
import {table, text, link, forbiddenNote} from "./common.js";

/** The "now" figures are over this recent window, whatever range the charts show. */
const NOW_WINDOW = "5m";
const MAX_GPU_CARDS = 16;

export async function render(root, {signal, show}) {
  const w = state.apiWindow();
  const stepSeconds = stepFor(state.windowMillis());
  const enginesP = optional(get("engines", {window: NOW_WINDOW}, signal));
  const gpusP = optional(get("gpus", {window: NOW_WINDOW}, signal));
  const targetsP = optional(get("scrape/targets", null, signal));
  // the traces' latency per model, for the chart beside each engine's KV cache
  const tracesP = get("llm/timeseries", {...w, groupBy: "model", limit: 100}, signal);
  tracesP.catch(() => {}); // reported on each chart
  const [enginesR, gpusR, targetsR] = await Promise.allSettled([enginesP, gpusP, targetsP]);
  if (signal.aborted) return;
  const engines = listOf(enginesR, "engines");
  const gpus = listOf(gpusR, "gpus");
  const targets = listOf(targetsR, "targets");

  root.append(h("div", {class: "page-head"}, h("h1", null, "Engines & GPUs"),
    h("span", {class: "muted"}, `self-hosted engines and GPUs read from their metrics endpoints; figures "now" cover the last ${NOW_WINDOW}`)));
  if (!engines.list.length && !gpus.list.length && !targets.list.length
      && !engines.error && !gpus.error && !targets.error && !targets.forbidden) {
    root.append(noTargets());
    return;
  }
  const pending = [];

  const focus = state.param("engine");
  const sorted = engines.list.slice().sort((a, b) => (b.id === focus) - (a.id === focus));
  root.append(h("section", {class: "section", id: "engines", dataset: {testid: "engines"}},
    h("h2", null, "Engines"),
    engines.error ? errorBox(engines.error)
      : !sorted.length ? h("p", {class: "muted", dataset: {empty: "true"}},
        "No inference engine found in the scraped series yet (vLLM, SGLang, TGI, llama.cpp, Ollama).")
        : sorted.map(e => {
          const c = engineChart(e, tracesP, w, stepSeconds, signal);
          pending.push(c.done);
          return engineCard(e, e.id === focus, c.slot);
        })));
  show();

  const shownGpus = gpus.list.slice(0, MAX_GPU_CARDS);
  root.append(h("section", {class: "section", id: "gpus", dataset: {testid: "gpus"}},
    h("h2", null, "GPUs"),
    gpus.error ? errorBox(gpus.error)
      : !shownGpus.length ? h("p", {class: "muted", dataset: {empty: "true"}},
        "No GPU series yet: scrape an NVIDIA DCGM exporter (--scrape dcgm=http://HOST:9400/metrics) or run the nvidia-smi collector.")
        : h("div", {class: "grid three"}, shownGpus.map(g => {
          const c = gpuChart(g, w, stepSeconds, signal);
          pending.push(c.done);
          return gpuCard(g, c.slot);
        })),
    gpus.list.length > shownGpus.length
      ? h("p", {class: "muted"}, `Showing ${shownGpus.length} of ${gpus.list.length} GPUs.`) : null));

  root.append(h("section", {class: "card section", id: "scrape-targets", dataset: {testid: "scrape-targets"}},
    h("h3", null, "Scrape targets"),
    targets.error ? errorBox(targets.error) : targets.forbidden ? forbiddenNote("Scrape targets")
      : targetsTable(targets.list)));
  // the page is complete when every chart is
  await Promise.allSettled(pending);
}

/**
 * The answer, or null when this server does not offer the endpoint (404); {forbidden: true} when
 * the caller may not see it (403: scrape targets are the whole server's).
 */
function optional(promise) {
  return promise.catch(e => {
    if (e && e.status === 404) return null;
    if (e && e.status === 403) return {forbidden: true};
    throw e;
  });
}

/** {list, error} from a settled answer: a missing endpoint is an empty list. */
function listOf(settled, key) {
  if (settled.status === "rejected") {
    return {list: [], error: settled.reason && settled.reason.name === "AbortError" ? null : settled.reason};
  }
  const v = settled.value;
  return {list: v && Array.isArray(v[key]) ? v[key] : [], error: null, forbidden: !!(v && v.forbidden)};
}

function errorBox(e) {
  return h("div", {class: "error-box", role: "alert"}, (e && e.message) || String(e));
}

/** About 240 points over the range, in whole multiples of 15 s. */
function stepFor({from, to}) {
  return Math.max(15, Math.ceil((to - from) / 1000 / 240 / 15) * 15);
}

function badge(label, kind, title) {
  return h("span", {class: "badge " + kind, title}, label);
}

function stateBadge(up, stale) {
  if (up === false) return badge("down", "err", "the last scrape failed");
  if (stale) return badge("stale", "warn", "no recent sample");
  return badge("up", "ok");
}

/** A figure in a card: label, value, and an optional line under it; data-kpi for tests. */
function figure(label, value, sub, id) {
  return h("div", {class: "figure", dataset: {kpi: id}}, h("div", {class: "label"}, label),
    h("div", {class: "value"}, value), sub ? h("div", {class: "sub"}, sub) : null);
}

function count(v) {
  return v === null || v === undefined ? "–" : f.num(Math.round(v));
}

function engineCard(e, focused, chartSlot) {
  const n = e.now || {};
  const kv = n.kvCacheUsage;
  const cost = e.cost;
  const figures = [
    figure("KV cache", f.pct(kv), kv !== null && kv !== undefined && kv >= 0.9 ? "nearly full: requests queue" : null, "kv-cache"),
    figure("Running / waiting", `${count(n.requestsRunning)} / ${count(n.requestsWaiting)}`,
      n.preemptionsPerSec ? `${f.rate(n.preemptionsPerSec)} preemptions/s` : null, "queue"),
    figure("Generation", n.generationTokensPerSec === null || n.generationTokensPerSec === undefined ? "–"
      : f.rate(n.generationTokensPerSec) + " tok/s",
    n.promptTokensPerSec === null || n.promptTokensPerSec === undefined ? null : "prompt " + f.rate(n.promptTokensPerSec) + " tok/s",
    "generation"),
    figure("TTFT p95", f.ms(n.ttftP95Ms), "p50 " + f.ms(n.ttftP50Ms) + " · engine-side", "ttft"),
    figure("ITL p95", f.ms(n.itlP95Ms), "E2E p95 " + f.ms(n.e2eP95Ms), "itl"),
    figure("Prefix cache hits", f.pct(n.prefixCacheHitRate), null, "prefix-cache"),
  ];
  if (cost) {
    figures.push(figure("GPU cost / request", f.usd(cost.costPerRequest),
      `${f.usd(cost.costPer1kOutputTokens)} per 1k output tokens · ${f.usd(cost.gpuPricePerHour)}/h`, "gpu-cost"));
  }
  return h("section", {class: "card engine section" + (focused ? " focused" : ""), id: "engine-" + slug(e.id),
    dataset: {testid: "engine-card", engine: e.id}},
  h("div", {class: "card-head"},
    h("span", {class: "card-title"}, text(e.model || e.id)),
    e.engine ? h("span", {class: "badge"}, text(e.engine)) : null,
    stateBadge(e.up, e.stale),
    h("span", {class: "muted"}, "target ", text(e.service)),
    e.lastSeen ? h("span", {class: "muted"}, "last sample " + f.time(e.lastSeen)) : null,
    e.model ? h("span", {class: "push"}, link(["traces"], {model: e.model}, "traces of this model →")) : null),
  h("div", {class: "figures"}, figures),
  e.ollama ? ollamaModels(e.ollama) : null,
  chartSlot);
}

/** An id-safe form of an engine id, for the card's anchor. */
function slug(id) {
  return String(id).replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 80);
}

/** Ollama's loaded models, from whichever list the API gives (fields shown when present). */
function ollamaModels(o) {
  const list = Array.isArray(o) ? o : Array.isArray(o.loaded) ? o.loaded : Array.isArray(o.models) ? o.models : null;
  if (!list || !list.length) return null;
  const share = m => m.gpuShare !== undefined ? m.gpuShare : m.vramShare;
  return h("div", {class: "section", dataset: {testid: "ollama-models"}}, table([
    {label: "Loaded model", cell: m => text(m.model || m.name)},
    {label: "Size", num: true, cell: m => bytes(m.sizeBytes)},
    {label: "On GPU", num: true, cell: m => f.pct(share(m))},
    {label: "Expires in", num: true, cell: m => m.expiresInSeconds === null || m.expiresInSeconds === undefined ? "–"
      : f.ms(m.expiresInSeconds * 1000)},
  ], list));
}

function bytes(v) {
  if (v === null || v === undefined) return "–";
  return (v / 1073741824).toFixed(1) + " GiB";
}

/** A chart slot and a promise that settles when its chart (or its error) is in. */
function slotFor(build) {
  const slot = h("div", {class: "later chart-slot"}, h("span", {class: "muted"}, "Loading…"));
  const done = build().then(node => slot.replaceChildren(node), e => {
    if (e.name !== "AbortError") slot.replaceChildren(errorBox(e));
  });
  return {slot, done};
}

/**
 * [x, y] for a series answer's points (epoch seconds), with a null wherever two samples are more
 * than 2.5 steps apart, so that a pause in scraping shows as a gap and not as a straight line.
 */
function ownTable(points, stepSeconds, pick) {
  const xs = [];
  const ys = [];
  const sortedPoints = (points || []).map(p => [new Date(p.time).getTime() / 1000, p])
    .filter(([t]) => Number.isFinite(t)).sort((a, b) => a[0] - b[0]);
  let last = null;
  for (const [t, p] of sortedPoints) {
    if (last !== null && t - last > 2.5 * stepSeconds) {
      xs.push(last + stepSeconds);
      ys.push(null);
    }
    if (last !== null && t <= last) continue;
    xs.push(t);
    ys.push(p.value === null || p.value === undefined ? null : pick(p.value));
    last = t;
  }
  return [xs, ys];
}

/** The traces' group for an engine's model: the same name, else the same name in another case. */
function modelGroup(groups, model) {
  if (!model || !groups) return null;
  const lower = model.toLowerCase();
  return groups.find(g => g.key === model) || groups.find(g => g.key && g.key.toLowerCase() === lower) || null;
}

function engineChart(e, tracesP, w, stepSeconds, signal) {
  return slotFor(async () => {
    const [kvR, trR] = await Promise.allSettled([
      optional(get("engines/series", {engine: e.id, figure: "kvCacheUsage", ...w, step: stepSeconds + "s"}, signal)),
      tracesP]);
    if (signal.aborted) throw new DOMException("aborted", "AbortError");
    if (kvR.status === "rejected" && trR.status === "rejected") throw kvR.reason;
    const kv = kvR.status === "fulfilled" && kvR.value ? ownTable(kvR.value.points, stepSeconds, v => v * 100) : [[], []];
    let traces = [[], [], []];
    let note = null;
    if (trR.status === "fulfilled") {
      const g = modelGroup(trR.value.groups, e.model);
      if (g) {
        const x = axis(trR.value);
        const p95 = key => values(x, g.points, p => (p[key] ? p[key].p95 : null), null);
        traces = [x, p95("ttftMs"), p95("tpotMs")];
      } else {
        note = "No traced calls to this model in the selected range: only the engine's KV cache is drawn.";
      }
    } else {
      note = "The traces' latency could not be read: " + trR.reason.message;
    }
    const [x, kvValues, ttft, tpot] = join([kv, traces]);
    const c = chart("KV cache usage and the model's latency from traces", x, [
      {label: "KV cache %", values: kvValues, color: PALETTE[0]},
      {label: "TTFT p95 (traces)", values: ttft, color: PALETTE[2], axis: 2},
      {label: "TPOT p95 (traces)", values: tpot, color: PALETTE[1], dash: [5, 4], axis: 2},
    ], {yFmt: v => Math.round(v) + "%", yRange: [0, 100], y2Fmt: f.ms, height: 240, xRange: xRange(),
      empty: "No KV cache samples and no traced calls in this range."});
    c.dataset.testid = "engine-chart";
    return note ? h("div", null, c, h("p", {class: "muted chart-note"}, note)) : c;
  });
}

/** The selected time range in epoch seconds, for the charts' time axis. */
function xRange() {
  const {from, to} = state.windowMillis();
  return [from / 1000, to / 1000];
}

function gib(mib) {
  return mib === null || mib === undefined ? "–" : (mib / 1024).toFixed(1);
}

function gpuCard(g, chartSlot) {
  const total = g.memoryUsedMiB !== null && g.memoryUsedMiB !== undefined && g.memoryFreeMiB !== null
    && g.memoryFreeMiB !== undefined ? g.memoryUsedMiB + g.memoryFreeMiB : null;
  const where = [g.host, g.namespace && g.pod ? g.namespace + "/" + g.pod : g.pod, g.container]
    .filter(v => v !== null && v !== undefined && v !== "");
  const round = (v, unit) => v === null || v === undefined ? "–" : Math.round(v) + unit;
  return h("section", {class: "card gpu", dataset: {testid: "gpu-card", gpu: g.id}},
    h("div", {class: "card-head"},
      h("span", {class: "card-title"}, "GPU ", text(g.gpu === null || g.gpu === undefined ? "?" : g.gpu)),
      text(g.model),
      g.stale ? badge("stale", "warn", "no recent sample") : null,
      g.mig ? h("span", {class: "badge"}, "MIG ", text(g.mig.profile || g.mig.instance)) : null),
    h("div", {class: "muted gpu-where"}, where.map((v, i) => [i ? " · " : null, text(v)]),
      g.source ? [where.length ? " · " : null, "via ", text(g.source)] : null),
    h("div", {class: "figures"},
      figure("Utilisation", round(g.utilization, "%"), null, "gpu-util"),
      figure("Memory", total === null ? gib(g.memoryUsedMiB) + " GiB" : `${gib(g.memoryUsedMiB)} / ${gib(total)} GiB`,
        total ? f.pct(g.memoryUsedMiB / total) + " used" : null, "gpu-memory"),
      figure("Power", round(g.powerWatts, " W"), g.smClockMhz === null || g.smClockMhz === undefined ? null
        : "SM " + Math.round(g.smClockMhz) + " MHz", "gpu-power"),
      figure("Temperature", round(g.temperatureC, " °C"), g.xidErrors ? h("span", {class: "badge err"},
        "XID " + g.xidErrors) : null, "gpu-temp")),
    chartSlot);
}

function gpuChart(g, w, stepSeconds, signal) {
  return slotFor(async () => {
    const ask = figureName => optional(get("gpus/series", {gpu: g.id, figure: figureName, ...w, step: stepSeconds + "s"}, signal));
    const [util, power] = await Promise.all([ask("utilization"), ask("powerWatts")]);
    const [x, u, p] = join([
      util ? ownTable(util.points, stepSeconds, v => v) : [[], []],
      power ? ownTable(power.points, stepSeconds, v => v) : [[], []]]);
    const c = chart("Utilisation and power", x, [
      {label: "util %", values: u, color: PALETTE[4]},
      {label: "power W", values: p, color: PALETTE[1], axis: 2},
    ], {yFmt: v => Math.round(v) + "%", yRange: [0, 100], y2Fmt: v => Math.round(v) + " W", height: 140,
      xRange: xRange(),
      empty: "No samples in this range."});
    c.dataset.testid = "gpu-chart";
    return c;
  });
}

function targetsTable(targets) {
  return table([
    {label: "Target", cell: t => text(t.name), sort: t => t.name},
    {label: "Kind", cell: t => text(t.kind), sort: t => t.kind},
    {label: "URL", cell: t => text(t.url, "cell-text mono")},
    {label: "State", cell: t => stateBadge(t.up, false), sort: t => (t.up ? 1 : 0)},
    {label: "Last scrape", cell: t => f.time(t.lastScrape), sort: t => t.lastScrape},
    {label: "Duration", num: true, cell: t => f.ms(t.lastDurationMs), sort: t => t.lastDurationMs},
    {label: "Samples", num: true, cell: t => f.num(t.samples), sort: t => t.samples},
    {label: "Failed / scrapes", num: true, cell: t => `${f.num(t.failures)} / ${f.num(t.scrapes)}`, sort: t => t.failures},
    {label: "Last error", cell: t => lastError(t)},
  ], targets, {id: "scrape-targets-table", empty: "No scrape targets configured."});
}

function lastError(t) {
  const page = Array.isArray(t.pageErrors) ? t.pageErrors : [];
  if (!t.lastError && !page.length) return h("span", {class: "muted"}, "–");
  return h("span", null, t.lastError ? text(t.lastError, "cell-text error-text") : null,
    page.length ? h("span", {class: "badge warn", title: visible(page.slice(0, 5).join("\n"))},
      `${page.length} bad line${page.length === 1 ? "" : "s"}`) : null);
}

/** Nothing scraped and nothing configured: how to add a target. */
function noTargets() {
  return h("div", {class: "empty", dataset: {empty: "true", testid: "engines-empty"}},
    h("h2", null, "No engines or GPUs yet"),
    h("p", null, "Sightline reads self-hosted inference engines (vLLM, SGLang, TGI, llama.cpp) and NVIDIA DCGM "
      + "exporters from their Prometheus endpoints. Add targets when you start the server:"),
    h("pre", null, "./sightline server --scrape vllm=http://127.0.0.1:8000/metrics \\\n"
      + "    --scrape dcgm=http://127.0.0.1:9400/metrics"),
    h("p", null, "Each target is ", h("code", null, "name=url[,interval]"), ", e.g. ",
      h("code", null, "--scrape sglang=http://10.0.0.5:30000/metrics,5s"), ". Or try ",
      h("code", null, "./sightline demo"), ", which runs a simulated vLLM engine and GPU exporter."),
    h("p", {class: "muted"}, "See docs/configuration.md."));
}
