// Services: the service map built from traces (browser apps, backend services, LLM providers; who
// calls whom, how often, how many fail, how slow) drawn as SVG, and the same edges as a table.
import {h, visible, path} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {table, text, link} from "./common.js";

const SVG = "http://www.w3.org/2000/svg";
const NODE_W = 178;
const NODE_H = 70;
const COL_GAP = 190;
const ROW_GAP = 34;
const PAD = 24;

export async function render(root, {signal}) {
  const map = await get("servicemap", state.apiWindow(), signal);
  root.append(h("div", {class: "page-head"}, h("h1", null, "Services"),
    h("span", {class: "muted"}, "who calls whom, from the traces in the selected range: calls, error rate, p95 latency")));
  const nodes = Array.isArray(map.nodes) ? map.nodes : [];
  const edges = Array.isArray(map.edges) ? map.edges : [];
  if (!nodes.length) {
    root.append(noServices());
    return;
  }
  root.append(h("section", {class: "card section service-map-card"}, h("h3", null, "Service map"),
    h("div", {class: "service-map-wrap"}, drawMap(nodes, edges)),
    h("p", {class: "muted chart-note"}, "Columns follow the calls: browsers first, then services by their distance "
      + "from a browser or a root service, LLM providers last. Red marks errors; click a service for its traces.")));
  root.append(h("section", {class: "card section", id: "service-edges"}, h("h3", null, "Calls between services"),
    table([
      {label: "From", cell: e => serviceCell(e.source, kindOf(nodes, e.source))},
      {label: "To", cell: e => serviceCell(e.target, kindOf(nodes, e.target))},
      {label: "Calls", num: true, cell: e => f.num(e.calls)},
      {label: "Errors", num: true, cell: e => f.num(e.errors)},
      {label: "Error rate", num: true, cell: e => errorRate(e.errorRate)},
      {label: "p50", num: true, cell: e => f.ms(e.p50Ms)},
      {label: "p95", num: true, cell: e => f.ms(e.p95Ms)},
    ], edges, {id: "service-edges-table", empty: "No calls between different services in this range."})));
}

function kindOf(nodes, name) {
  const n = nodes.find(x => x.name === name);
  return n ? n.kind : null;
}

function serviceCell(name, kind) {
  return kind === "service" || kind === "browser" ? link(["traces"], {service: name}, text(name)) : text(name);
}

function errorRate(v) {
  return v ? h("span", {class: "error-text"}, f.pct(v)) : f.pct(v);
}

/**
 * Each node's column: browsers at 0; services by breadth-first distance from a browser or, where
 * nothing calls them, from themselves as roots; services only reached through cycles after the
 * deepest; LLM providers in a column of their own after every service.
 */
export function columns(nodes, edges) {
  const kind = new Map(nodes.map(n => [n.name, n.kind]));
  const hasBrowser = nodes.some(n => n.kind === "browser");
  const called = new Set(edges.filter(e => e.source !== e.target).map(e => e.target));
  const depth = new Map();
  const queue = [];
  for (const n of nodes) {
    if (n.kind === "browser") depth.set(n.name, 0);
    else if (n.kind !== "llm" && !called.has(n.name)) depth.set(n.name, hasBrowser ? 1 : 0);
    else continue;
    queue.push(n.name);
  }
  while (queue.length) {
    const from = queue.shift();
    for (const e of edges) {
      if (e.source !== from || depth.has(e.target) || kind.get(e.target) === "llm" || !kind.has(e.target)) continue;
      depth.set(e.target, depth.get(from) + 1);
      queue.push(e.target);
    }
  }
  let deepest = Math.max(0, ...depth.values());
  for (const n of nodes) {
    if (n.kind !== "llm" && !depth.has(n.name)) depth.set(n.name, deepest + 1);
  }
  deepest = Math.max(0, ...depth.values());
  for (const n of nodes) {
    if (n.kind === "llm") depth.set(n.name, deepest + 1);
  }
  return depth;
}

/** An SVG element; attribute values are set as text, never parsed. */
function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== null && v !== undefined) el.setAttribute(k, String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Text cut to n characters (the full name is in the node's title). */
function cut(v, n) {
  const str = visible(v);
  return str.length > n ? str.slice(0, n - 1) + "…" : str;
}

function drawMap(nodes, edges) {
  const depth = columns(nodes, edges);
  const cols = new Map();
  for (const n of nodes.slice().sort((a, b) => (b.spans || 0) - (a.spans || 0))) {
    const d = depth.get(n.name);
    if (!cols.has(d)) cols.set(d, []);
    cols.get(d).push(n);
  }
  const colCount = Math.max(...cols.keys()) + 1;
  const tallest = Math.max(...[...cols.values()].map(c => c.length));
  // room below the boxes for calls that skip a column
  const height = PAD * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP + 60;
  const width = PAD * 2 + colCount * NODE_W + (colCount - 1) * COL_GAP;
  const pos = new Map();
  for (const [d, list] of cols) {
    const colHeight = list.length * NODE_H + (list.length - 1) * ROW_GAP;
    const top = (height - colHeight) / 2;
    list.forEach((n, i) => pos.set(n.name, {x: PAD + d * (NODE_W + COL_GAP), y: top - 20 + i * (NODE_H + ROW_GAP)}));
  }
  const svg = s("svg", {class: "service-map", id: "service-map", viewBox: `0 0 ${width} ${height}`, width, height,
    role: "img", "aria-label": `Service map: ${nodes.length} nodes, ${edges.length} edges`});
  svg.append(s("defs", null,
    s("marker", {id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"},
      s("path", {d: "M0,0 L10,5 L0,10 z", class: "sm-arrow"})),
    s("marker", {id: "arrow-err", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse"},
      s("path", {d: "M0,0 L10,5 L0,10 z", class: "sm-arrow err"}))));
  for (const e of edges) {
    const a = pos.get(e.source);
    const b = pos.get(e.target);
    if (!a || !b || e.source === e.target) continue;
    svg.append(edge(e, a, b, height));
  }
  for (const n of nodes) svg.append(node(n, pos.get(n.name)));
  return svg;
}

function edge(e, a, b, height) {
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  let x2 = b.x;
  const y2 = b.y + NODE_H / 2;
  let d;
  const skips = x2 - x1 > COL_GAP + 1;
  const low = height - 16;
  if (skips) {
    // past the boxes of the columns in between, through the channel below them
    d = `M${x1},${y1} C${x1 + 80},${low} ${x2 - 80},${low} ${x2},${y2}`;
  } else if (x2 > x1) {
    const mid = (x1 + x2) / 2;
    d = `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`;
  } else {
    // a call back to an earlier column loops under the boxes
    x2 = b.x + NODE_W / 2;
    const low = Math.max(a.y, b.y) + NODE_H + ROW_GAP * 0.7;
    d = `M${a.x + NODE_W / 2},${a.y + NODE_H} C${a.x + NODE_W / 2},${low} ${x2},${low} ${x2},${b.y + NODE_H}`;
  }
  const err = e.errors > 0;
  const label = `${f.num(e.calls)} calls · ${f.pct(e.errorRate)} err · p95 ${f.ms(e.p95Ms)}`;
  const lx = x2 > x1 ? (x1 + x2) / 2 : x2;
  const ly = skips ? low - 2 : x2 > x1 ? (y1 + y2) / 2 - 6 : Math.max(a.y, b.y) + NODE_H + ROW_GAP * 0.55;
  return s("g", {class: "sm-edge" + (err ? " err" : ""), "data-source": e.source, "data-target": e.target},
    s("title", null, `${visible(e.source)} → ${visible(e.target)}: ${label}; p50 ${f.ms(e.p50Ms)}`),
    s("path", {d, class: "sm-line", "marker-end": err ? "url(#arrow-err)" : "url(#arrow)"}),
    s("text", {x: lx, y: ly, class: "sm-label", "text-anchor": "middle"}, label));
}

function node(n, p) {
  const err = n.errors > 0;
  const clickable = n.kind !== "llm";
  const go = () => state.navigate(path(["traces"], {...state.shared(), service: n.name}));
  const g = s("g", {class: `sm-node ${n.kind || "service"}` + (err ? " err" : "") + (clickable ? " clickable" : ""),
    transform: `translate(${p.x},${p.y})`, "data-name": n.name, "data-kind": n.kind,
    role: clickable ? "link" : null, tabindex: clickable ? 0 : null,
    "aria-label": clickable ? `${visible(n.name)}: open its traces` : null},
  s("title", null, `${visible(n.name)} (${n.kind}): ${f.num(n.spans)} spans, ${f.num(n.errors)} errors, `
    + `p50 ${f.ms(n.p50Ms)}, p95 ${f.ms(n.p95Ms)}`),
  s("rect", {width: NODE_W, height: NODE_H, rx: 8, class: "sm-box"}),
  s("rect", {width: 6, height: NODE_H, rx: 3, class: "sm-kind-bar"}),
  s("text", {x: 14, y: 20, class: "sm-name"}, cut(n.name, 22)),
  s("text", {x: 14, y: 38, class: "sm-kind"}, n.kind === "llm" ? "LLM provider" : n.kind),
  s("text", {x: 14, y: 56, class: "sm-stats"}, `${f.compact(n.spans)} spans · `,
    s("tspan", {class: err ? "sm-err" : null}, `${f.pct(n.errorRate)} err`), ` · p95 ${f.ms(n.p95Ms)}`));
  if (clickable) {
    g.addEventListener("click", go);
    g.addEventListener("keydown", e => {
      if (e.key === "Enter") go();
    });
  }
  return g;
}

function noServices() {
  return h("div", {class: "empty", dataset: {empty: "true"}},
    h("h2", null, "No services in this time range"),
    h("p", null, "The map is built from traces: each service that sends spans is a box, and a span whose parent "
      + "belongs to another service is a call between them. To fill it:"),
    h("ul", null,
      h("li", null, "Instrument your backend services with an OpenTelemetry SDK (set ", h("code", null, "OTEL_SERVICE_NAME"),
        ") and export to Sightline's OTLP endpoint, so their HTTP, database and LLM spans arrive with their service."),
      h("li", null, "Add the real-user agent to your web pages (", h("code", null, "/rum/sightline-rum.js"),
        ", see docs/rum.md): the browser's fetches become the map's first column and carry the trace into your backend."),
      h("li", null, "LLM calls made through the gateway or traced by an SDK add their provider as the last column.")),
    h("p", {class: "muted"}, "Widen the time range above if you sent data earlier."));
}
