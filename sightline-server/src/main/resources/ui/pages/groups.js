// Sessions and users: cost, calls and errors per group; one group's calls in order.
import {h, t} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {table, emptyState, key, link, callLink, traceLink, text, kpi} from "./common.js";
import {badges} from "./scores.js";

const SORTS = [["cost", "cost"], ["calls", "calls"], ["errors", "errors"]];

/** kind: "session" or "user". */
export async function renderGroups(root, signal, kind) {
  const plural = kind + "s";
  const selected = state.param(kind);
  if (selected) return renderOne(root, signal, kind, selected);
  const w = state.apiWindow();
  const sort = state.param("sort", "cost");
  // no percentiles: per user or session they would need every call's latency over the range
  const res = await get("llm/summary", {...w, groupBy: kind, sort, limit: 500, percentiles: false}, signal);
  root.append(h("div", {class: "page-head"}, h("h1", null, kind === "session" ? "Sessions" : "Users"),
    h("span", {class: "muted"}, `LLM calls per ${kind} (from the ${kind === "session" ? "session.id" : "user.id"} the app records, or the gateway's x-sightline-${kind}-id header)`)));
  const groups = res.groups.filter(g => g.key !== null);
  const none = res.groups.find(g => g.key === null);
  if (!groups.length) {
    root.append(res.groups.length
      ? h("div", {class: "empty", dataset: {empty: "true"}}, h("h2", null, `No call in this range names its ${kind}`),
        h("p", null, `Record the ${kind} on your spans (attribute ${kind === "session" ? "session.id" : "user.id"}), or send the `,
          h("code", null, `x-sightline-${kind}-id`), " header through the gateway."))
      : emptyState("LLM calls"));
    return;
  }
  root.append(h("div", {class: "filters"}, h("label", {for: "sort"}, "Sort by",
    h("select", {id: "sort", onchange: e => state.setParams({sort: e.target.value === "cost" ? null : e.target.value})},
      SORTS.map(([k, label]) => h("option", {value: k, selected: sort === k}, label))))));
  root.append(h("section", {class: "card"}, table([
    {label: kind === "session" ? "Session" : "User", cell: r => link([plural], {[kind]: r.key}, key(r.key)), sort: r => r.key},
    {label: "Calls", num: true, cell: r => f.num(r.calls), sort: r => r.calls},
    {label: "Errors", num: true, cell: r => r.errors ? h("span", {class: "badge err"}, f.num(r.errors)) : "0", sort: r => r.errors},
    {label: "Tokens in / out", num: true, cell: r => f.compact(r.inputTokens) + " / " + f.compact(r.outputTokens),
      sort: r => r.inputTokens + r.outputTokens},
    {label: "Cost", num: true, cell: r => f.usd(r.costUsd), sort: r => r.costUsd === null ? null : Number(r.costUsd)},
    {label: "Unpriced calls", num: true, cell: r => f.num(r.unpricedCalls), sort: r => r.unpricedCalls},
  ], groups, {id: plural + "-table"})));
  if (none) {
    root.append(h("p", {class: "muted"}, `${f.num(none.calls)} call(s) in this range name no ${kind}.`));
  }
}

async function renderOne(root, signal, kind, id) {
  const plural = kind + "s";
  // a session is shown whole, oldest first; a user's calls are the newest in the range
  const params = kind === "session" ? {session: id, order: "asc", limit: 2000}
    : {...state.apiWindow(), user: id, limit: 500};
  const res = await get("llm/calls", params, signal);
  const calls = res.calls;
  root.append(h("div", {class: "page-head"}, h("h1", null, kind === "session" ? "Session " : "User ", t(id)),
    link([plural], null, `← all ${plural}`)));
  if (!calls.length) {
    root.append(h("div", {class: "empty", dataset: {empty: "true"}}, `No LLM call of this ${kind} is stored`,
      kind === "user" ? " in this time range." : "."));
    return;
  }
  let running = 0;
  const rows = calls.map(c => {
    if (c.costUsd !== null) running += Number(c.costUsd);
    return {...c, running};
  });
  const cost = rows.reduce((a, c) => c.costUsd === null ? a : a + Number(c.costUsd), 0);
  const errors = rows.filter(c => c.status === "error").length;
  const traces = new Set(rows.map(c => c.traceId)).size;
  root.append(h("div", {class: "grid kpis"},
    kpi("Calls", f.num(rows.length)), kpi("Traces", f.num(traces)), kpi("Errors", f.num(errors)),
    kpi("Cost", rows.some(c => c.costUsd !== null) ? f.usd(cost) : "–",
      rows.some(c => c.costStatus !== "priced") ? "some calls unpriced" : null),
    kpi("Tokens in / out", f.compact(rows.reduce((a, c) => a + c.usage.inputTokens, 0)) + " / " +
      f.compact(rows.reduce((a, c) => a + c.usage.outputTokens, 0))),
    kpi(kind === "session" ? "First → last" : "Newest", kind === "session"
      ? f.time(rows[0].startTime).slice(11) + " → " + f.time(rows[rows.length - 1].startTime).slice(11)
      : f.time(rows[0].startTime))));
  root.append(h("section", {class: "card section"}, h("h3", null, kind === "session" ? "Calls in order" : "Calls, newest first"),
    table([
      {label: "#", num: true, cell: r => String(rows.indexOf(r) + 1)},
      {label: "Start", cell: r => f.time(r.startTime)},
      {label: "Call", cell: r => callLink(r.traceId, r.spanId, t(r.responseModel || r.requestModel || "call"))},
      {label: "Trace", cell: r => traceLink(r.traceId)},
      {label: kind === "session" ? "User" : "Session", cell: r => kind === "session"
        ? (r.userId ? link(["users"], {user: r.userId}, t(r.userId)) : text(null))
        : (r.sessionId ? link(["sessions"], {session: r.sessionId}, t(r.sessionId)) : text(null))},
      {label: "Route", cell: r => text(r.route)},
      {label: "Duration", num: true, cell: r => f.ms(r.durationMs)},
      {label: "Tokens in / out", num: true, cell: r => f.num(r.usage.inputTokens) + " / " + f.num(r.usage.outputTokens)},
      {label: "Cost", num: true, cell: r => f.usd(r.costUsd)},
      {label: kind === "session" ? "Running cost" : "", num: true, cell: r => kind === "session" ? f.usd(r.running) : ""},
      {label: "Status", cell: r => r.status === "error" ? h("span", {class: "badge err"}, "error" + (r.httpStatus ? " " + r.httpStatus : ""))
        : h("span", {class: "badge ok"}, "ok")},
      {label: "Scores", cell: r => badges(r.scores)},
    ], rows, {id: kind + "-calls"})));
}
