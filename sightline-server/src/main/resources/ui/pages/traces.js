// The trace list, with filters kept in the URL, including one on where spans ran (a resource
// attribute such as k8s.pod.name, as resource=KEY=VALUE).
import {h, t} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {table, emptyState, text, traceLink, filters} from "./common.js";
import {RESOURCE_KEYS} from "./trace-detail.js";

const FILTERS = [
  ["service", "Service", "text"], ["route", "Route", "text"], ["model", "Model", "text"],
  ["status", "Status", "status"], ["minDurationMs", "Min duration (ms)", "number"],
  ["minCostUsd", "Min cost (USD)", "number"], ["session", "Session", "text"], ["user", "User", "text"],
  ["q", "Text in prompts / responses", "text"],
];

export async function render(root, {signal}) {
  const w = state.apiWindow();
  const query = {...w, limit: 200};
  for (const [k] of FILTERS) {
    const v = state.param(k);
    if (v) query[k] = v;
  }
  const resource = state.param("resource");
  if (resource) query.resource = resource;
  const [traces, services, models, routes] = await Promise.all([
    get("traces", query, signal),
    get("llm/summary", {...w, groupBy: "service", limit: 200, percentiles: false}, signal),
    get("llm/summary", {...w, groupBy: "model", limit: 200, percentiles: false}, signal),
    get("llm/summary", {...w, groupBy: "route", limit: 200, percentiles: false}, signal),
  ]);
  root.append(h("div", {class: "page-head"}, h("h1", null, "Traces"),
    h("span", {class: "muted"}, "newest first; a trace is listed by its root span")));
  root.append(filterForm({service: services.groups, model: models.groups, route: routes.groups}, w, signal));
  if (resource) root.append(activeResource(resource));
  const filtered = FILTERS.some(([k]) => state.param(k)) || !!resource;
  if (!traces.traces.length) {
    root.append(filtered ? h("div", {class: "empty", dataset: {empty: "true"}}, "No trace matches these filters in this range. ",
      h("a", {href: location.pathname + "?" + new URLSearchParams(state.shared())}, "Clear the filters"), ".")
      : emptyState("traces"));
    return;
  }
  const maxDur = Math.max(...traces.traces.map(t => t.durationMs), 1);
  root.append(h("section", {class: "card"}, table([
    {label: "Start", cell: r => f.time(r.startTime), sort: r => r.startTime},
    {label: "Trace", cell: r => traceLink(r.traceId)},
    {label: "Root span", cell: r => text(r.rootName)},
    {label: "Service", cell: r => text(r.service)},
    {label: "Duration", num: true, cell: r => h("div", null, f.ms(r.durationMs),
      h("div", {class: "durbar", style: {width: Math.max(2, 100 * r.durationMs / maxDur).toFixed(1) + "%"}})), sort: r => r.durationMs},
    {label: "Spans", num: true, cell: r => f.num(r.spanCount), sort: r => r.spanCount},
    {label: "LLM calls", num: true, cell: r => f.num(r.llmCalls), sort: r => r.llmCalls},
    {label: "Tokens in / out", num: true, cell: r => f.compact(r.inputTokens) + " / " + f.compact(r.outputTokens),
      sort: r => r.inputTokens + r.outputTokens},
    {label: "Cost", num: true, cell: r => f.usd(r.costUsd), sort: r => r.costUsd === null ? null : Number(r.costUsd)},
    {label: "Status", cell: r => r.error ? h("span", {class: "badge err"}, "error") : h("span", {class: "badge ok"}, "ok"),
      sort: r => r.error ? 1 : 0},
  ], traces.traces, {id: "trace-list", onRow: r => state.navigate("/traces/" + encodeURIComponent(r.traceId) + "?" +
    new URLSearchParams(state.shared()))})));
  if (traces.traces.length >= 200) {
    root.append(h("p", {class: "muted"}, "Showing the newest 200 traces; narrow the range or add filters to see others."));
  }
}

/** The resource filter in force, and a button that removes it alone. */
function activeResource(resource) {
  const eq = resource.indexOf("=");
  return h("div", {class: "active-filter", id: "active-resource"}, h("span", {class: "muted"}, "Spans that ran on"),
    h("span", {class: "badge"}, t(eq < 0 ? resource : resource.slice(0, eq)), " = ", t(eq < 0 ? "" : resource.slice(eq + 1))),
    h("button", {type: "button", id: "clear-resource", aria: {label: "Clear the resource filter"},
      onclick: () => state.setParams({resource: null})}, "✕ clear"));
}

/**
 * The resource filter's fields: a key among the where-it-ran attributes and a value, suggested from
 * the values stored for that key in the range (a server without the endpoint suggests nothing).
 */
function resourceFields(w, signal) {
  const current = state.param("resource") || "";
  const eq = current.indexOf("=");
  const curKey = eq > 0 ? current.slice(0, eq) : RESOURCE_KEYS[1];
  const list = h("datalist", {id: "opts-resource"});
  const suggest = k => get("resources", {key: k, ...w, limit: 100}, signal)
    .then(r => list.replaceChildren(...(r.values || []).map(v => h("option", {value: v.value}))), () => list.replaceChildren());
  const key = h("select", {id: "f-resource-key", name: "resourceKey", onchange: e => suggest(e.target.value)},
    RESOURCE_KEYS.map(k => h("option", {value: k, selected: k === curKey}, k)));
  const value = h("input", {id: "f-resource-value", name: "resourceValue", type: "text", list: "opts-resource",
    autocomplete: "off", value: eq > 0 ? current.slice(eq + 1) : ""});
  suggest(key.value);
  // read by the form's Apply as one parameter: resource=KEY=VALUE (nothing when the value is empty)
  const input = {get value() {
    return value.value.trim() ? key.value + "=" + value.value.trim() : "";
  }};
  return {input, fields: [h("label", {for: "f-resource-key"}, "Resource attribute", key),
    h("label", {for: "f-resource-value"}, "equals", value)], list};
}

function filterForm(options, w, signal) {
  const inputs = {};
  const fields = FILTERS.map(([k, label, kind]) => {
    let input;
    if (kind === "status") {
      input = h("select", {name: k, id: "f-" + k},
        h("option", {value: ""}, "any"), h("option", {value: "ok", selected: state.param(k) === "ok"}, "ok"),
        h("option", {value: "error", selected: state.param(k) === "error"}, "error"));
    } else {
      input = h("input", {name: k, id: "f-" + k, type: kind === "number" ? "number" : "text",
        min: kind === "number" ? "0" : null, step: kind === "number" ? "any" : null,
        value: state.param(k, ""), list: options[k] ? "opts-" + k : null, autocomplete: "off"});
    }
    inputs[k] = input;
    return h("label", {for: "f-" + k}, label, input);
  });
  const lists = Object.entries(options).map(([k, groups]) => h("datalist", {id: "opts-" + k},
    groups.filter(g => g.key !== null).map(g => h("option", {value: g.key}))));
  const res = resourceFields(w, signal);
  inputs.resource = res.input;
  return filters("trace-filters", [...FILTERS.map(([k]) => k), "resource"], inputs, fields, res.fields, lists, res.list);
}
