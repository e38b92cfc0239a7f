// Pieces shared by the pages: tables, KPI cards, empty states and links.
import {h, t, path, visible} from "../dom.js";
import * as state from "../state.js";

/** A link to a dashboard page, carrying the time range and refresh along. */
export function link(segments, params, ...children) {
  return h("a", {href: path(segments, {...state.shared(), ...(params || {})})}, ...children);
}

export function traceLink(traceId, label) {
  return link(["traces", traceId], null, label === undefined ? h("span", {class: "mono"}, traceId.slice(0, 16) + "…") : t(label));
}

export function callLink(traceId, spanId, label) {
  return link(["calls", traceId, spanId], null, label);
}

/** A value shown as text, or a dash. */
export function text(v, cls) {
  return v === null || v === undefined || v === "" ? h("span", {class: "muted"}, "–")
    : h("span", {class: cls || "cell-text", title: visible(v)}, t(v));
}

export function kpi(label, value, sub, id) {
  return h("div", {class: "card kpi", dataset: {kpi: id || label}}, h("h3", null, label),
    h("div", {class: "value"}, value), sub ? h("div", {class: "sub"}, sub) : null);
}

/**
 * A table: columns [{label, cell(row) -> node|string, num?, sort?(row) -> comparable}]; rows; opts
 * {onRow(row), empty}. Headers with sort are clickable (client-side sort).
 */
export function table(columns, rows, opts = {}) {
  const tbody = h("tbody");
  let sortCol = null;
  let desc = true;
  const fill = () => {
    let list = rows;
    if (sortCol !== null) {
      const key = columns[sortCol].sort;
      list = rows.slice().sort((a, b) => {
        const x = key(a);
        const y = key(b);
        const c = x === y ? 0 : x === null || x === undefined ? 1 : y === null || y === undefined ? -1 : x < y ? -1 : 1;
        return desc ? -c : c;
      });
    }
    tbody.replaceChildren(...list.map(r => {
      const tr = h("tr", {class: opts.onRow ? "clickable" : null},
        columns.map(c => h("td", {class: c.num ? "num" : null}, c.cell(r))));
      if (opts.onRow) {
        tr.addEventListener("click", e => {
          if (!e.target.closest("a")) opts.onRow(r);
        });
      }
      return tr;
    }));
  };
  const head = h("tr", null, columns.map((c, i) => {
    const th = h("th", {class: (c.num ? "num " : "") + (c.sort ? "sortable" : ""), scope: "col"}, c.label);
    if (c.sort) {
      th.addEventListener("click", () => {
        desc = sortCol === i ? !desc : true;
        sortCol = i;
        fill();
      });
    }
    return th;
  }));
  fill();
  if (!rows.length) {
    return h("div", {class: "muted table-empty"}, opts.empty || "Nothing in this range.");
  }
  return h("div", {class: "table-wrap"}, h("table", opts.id ? {id: opts.id} : null, h("thead", null, head), tbody));
}

/** What to do when there is no data yet: how to send some. */
export function emptyState(what) {
  const host = location.hostname || "127.0.0.1";
  const port = location.port || "7700";
  return h("div", {class: "empty", dataset: {empty: "true"}},
    h("h2", null, "No " + what + " in this time range"),
    h("p", null, "Widen the time range above, or send Sightline some telemetry:"),
    h("ul", null,
      h("li", null, "Point an OpenTelemetry SDK at ", h("code", null, `http://${host}:4318`),
        " (OTLP/HTTP) or ", h("code", null, `${host}:4317`), " (OTLP/gRPC):"),
      h("pre", null, `OTEL_EXPORTER_OTLP_ENDPOINT=http://${host}:4318\nOTEL_SERVICE_NAME=my-app`),
      h("li", null, "Or change only your LLM SDK's base URL to the gateway: ",
        h("code", null, `http://${host}:${port}/gateway/openai/v1`), " (OpenAI), ",
        h("code", null, `http://${host}:${port}/gateway/anthropic`), " (Anthropic)."),
      h("li", null, "Or try it with ", h("code", null, "./sightline demo"), ", which sends realistic traffic.")),
    h("p", {class: "muted"}, "See docs/quickstart.md and docs/gateway.md."));
}

/** A horizontal bar list: rows [{label, value, text}]. */
export function barList(rows, empty) {
  if (!rows.length) return h("div", {class: "muted"}, empty || "Nothing in this range.");
  const max = Math.max(...rows.map(r => r.value || 0), 1e-12);
  return h("div", {class: "bar-list"}, rows.map(r => h("div", {class: "row"},
    h("div", null, r.label),
    h("div", {class: "track"}, h("div", {class: "fill", style: {width: (100 * (r.value || 0) / max).toFixed(1) + "%"}})),
    h("div", {class: "num"}, r.text))));
}

/** A group key for display: null keys are "(none)". */
export function key(k) {
  return k === null || k === undefined ? h("span", {class: "muted"}, "(none)") : text(k);
}

/**
 * A filter form with Apply and Clear: Apply writes each named input's value to the URL (an empty
 * one removes its parameter), Clear removes them all.
 */
export function filters(id, names, inputs, ...children) {
  const form = h("form", {class: "filters", id, role: "search"}, ...children,
    h("div", {class: "actions"},
      h("button", {type: "submit", class: "primary"}, "Apply"),
      h("button", {type: "button", onclick: () => {
        const clear = {};
        for (const k of names) clear[k] = null;
        state.setParams(clear);
      }}, "Clear")));
  form.addEventListener("submit", e => {
    e.preventDefault();
    const changes = {};
    for (const k of names) changes[k] = inputs[k].value.trim() || null;
    state.setParams(changes);
  });
  return form;
}

/**
 * A section the caller may not see (403: alerts, budgets, anomalies and scrape targets belong to the
 * whole server, so a read key of another project than "default" gets none of them): a short note
 * instead of an error.
 */
export function forbiddenNote(what) {
  return h("div", {class: "muted", dataset: {empty: "true", forbidden: "true"}},
    what + " belong to the whole server: they need the admin login or a read key of the default project.");
}
