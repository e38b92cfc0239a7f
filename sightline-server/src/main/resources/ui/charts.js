// Time-series charts on uPlot (canvas: labels are drawn, never parsed as markup).
import uPlot from "/ui/vendor/uplot/uPlot.esm.js";
import {h} from "./dom.js";

export const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
  "#9c755f", "#bab0ac"];

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function axes(yFmt, y2Fmt) {
  const stroke = css("--muted");
  const grid = {stroke: css("--grid"), width: 1};
  const list = [
    {stroke, grid, ticks: grid},
    {stroke, grid, ticks: grid, size: 72, values: (u, vals) => vals.map(v => v === null ? "" : yFmt(v))},
  ];
  // the right-hand axis has its own scale and no grid, so the two sets of lines do not clash
  if (y2Fmt) list.push({scale: "y2", side: 1, stroke, grid: {show: false}, ticks: grid, size: 72,
    values: (u, vals) => vals.map(v => v === null ? "" : y2Fmt(v))});
  return list;
}

function upTo(u, min, max) {
  return [0, max > 0 ? max * 1.08 : 1];
}

/**
 * A chart card: title, and a uPlot of the given series over x (epoch seconds). series: [{label,
 * values, color?, dash?, axis?}]. opts.stacked draws bars stacked in order; opts.yFmt formats the axis;
 * opts.yRange fixes the left axis' [min, max]; opts.xRange ([from, to], epoch seconds) the time axis, so that a
 * series with few points still spans the chosen range. A series with axis: 2 is drawn against a second axis on
 * the right, formatted by opts.y2Fmt. Values that are undefined (x from another series, see join) are
 * stepped over; null values are gaps. A series with points: false never draws its points (a reference
 * line of two values). opts.markers ([{x, title, href}], x in epoch seconds) puts a link at each x over
 * the plot: a thin vertical mark that the page can style and tests can find (.chart-marker).
 */
export function chart(title, x, series, opts = {}) {
  const yFmt = opts.yFmt || (v => String(v));
  const y2Fmt = opts.y2Fmt || yFmt;
  const right = !opts.stacked && series.some(s => s.axis === 2);
  const body = h("div", {class: "chart-body"});
  const card = h("section", {class: "card chart", dataset: {chart: title}}, h("h3", null, title), body);
  if (!x.length || !series.length) {
    body.append(h("div", {class: "chart-empty muted"}, opts.empty || "No data in this range."));
    return card;
  }
  let data;
  let useSeries;
  if (opts.stacked) {
    // cumulative sums, drawn top-down so that each band shows its own part
    const sums = [];
    let acc = x.map(() => 0);
    for (const s of series) {
      acc = acc.map((a, i) => a + (s.values[i] || 0));
      sums.push(acc);
    }
    data = [x, ...sums.slice().reverse()];
    useSeries = series.slice().reverse().map((s, i) => {
      const color = s.color || PALETTE[(series.length - 1 - i) % PALETTE.length];
      return {label: s.label, stroke: color, fill: color, width: 0, points: {show: false},
        paths: uPlot.paths.bars({size: [0.8, 64]}), value: (u, v, si, di) =>
          di === null ? "" : yFmt(series[series.length - 1 - i].values[di] || 0)};
    });
  } else {
    data = [x, ...series.map(s => s.values)];
    // isolated values (a quiet range) would draw no line: show them as points
    useSeries = series.map((s, i) => {
      const fmt = s.axis === 2 ? y2Fmt : yFmt;
      return {label: s.label, stroke: s.color || PALETTE[i % PALETTE.length], width: 1.5, scale: s.axis === 2 ? "y2" : "y",
        dash: s.dash, spanGaps: false,
        points: {show: s.points === false ? false : s.values.filter(v => v !== null && v !== undefined).length <= 60},
        value: (u, v) => v === null || v === undefined ? "–" : fmt(v)};
    });
  }
  const make = width => new uPlot({
    width, height: opts.height || 200,
    cursor: {points: {size: 6}},
    legend: {live: true},
    scales: {x: {time: true, range: opts.xRange ? () => opts.xRange
      // one point alone would make an empty range: give it a minute either side
      : (u, min, max) => x[0] === Math.max(x[x.length - 1], max) ? [x[0] - 60, x[0] + 60]
        : [x[0], Math.max(x[x.length - 1], max)]},
      y: {range: opts.yRange ? () => opts.yRange : upTo}, ...(right ? {y2: {range: upTo}} : {})},
    axes: axes(yFmt, right ? y2Fmt : null),
    series: [{value: (u, v) => v === null ? "" : new Date(v * 1000).toLocaleString()}, ...useSeries],
    hooks: opts.markers && opts.markers.length ? {draw: [u => placeMarkers(u, opts.markers)]} : {},
  }, data, body);
  // size to the card once it is in the page, and follow resizes
  let plot = null;
  const ro = new ResizeObserver(entries => {
    const w = Math.floor(entries[0].contentRect.width);
    if (w <= 0) return;
    // outside the observer's callback, so the chart's own layout does not re-enter it
    requestAnimationFrame(() => {
      if (!plot) plot = make(w);
      else if (plot.width !== w) plot.setSize({width: w, height: opts.height || 200});
    });
  });
  ro.observe(body);
  return card;
}

/**
 * Links laid over the plot area at their x (redone on every draw, so they follow resizes); the
 * title is a text attribute, never markup. Markers outside the x scale are left out.
 */
function placeMarkers(u, markers) {
  let layer = u.over.querySelector(".chart-markers");
  if (!layer) {
    layer = h("div", {class: "chart-markers"});
    u.over.append(layer);
  }
  const {min, max} = u.scales.x;
  layer.replaceChildren(...markers.filter(m => m.x >= min && m.x <= max).map(m => {
    const left = u.valToPos(m.x, "x");
    const a = h("a", {href: m.href, class: "chart-marker", title: m.title, aria: {label: m.title}},
      h("span", {class: "flag"}, m.label || "!"));
    a.style.left = left + "px";
    return a;
  }));
}

/**
 * The bucket starts (epoch seconds) of a series response's whole window, so that quiet intervals
 * show as zero instead of being skipped.
 */
export function axis(resp) {
  const step = resp.intervalSeconds;
  const from = Math.floor(new Date(resp.since).getTime() / 1000 / step) * step;
  const to = new Date(resp.until).getTime() / 1000;
  const x = [];
  for (let v = from; v < to && x.length < 5000; v += step) x.push(v);
  return x;
}

/** One value per x from points (API bucket starts); missing buckets get {@code missing}. */
export function values(x, points, pick, missing = 0) {
  const m = new Map(points.map(p => [Math.floor(new Date(p.start).getTime() / 1000), p]));
  return x.map(v => (m.has(v) ? pick(m.get(v)) : missing));
}

/**
 * Several [x, ...values] tables on one x axis (the sorted union of their x): where a table has no
 * value at an x of another, the value is undefined and its line steps over it; its own nulls stay gaps.
 */
export function join(tables) {
  return uPlot.join(tables);
}
