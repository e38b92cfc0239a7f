// Cost: over time and per group (model, provider, service, route, user, session), split by token
// bucket, with unpriced calls counted and never summed as $0; and each budget's burn-down.
import {h, visible} from "../dom.js";
import {get} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {chart, values} from "../charts.js";
import {table, emptyState, key, kpi} from "./common.js";
import {budgetsSection} from "./budgets.js";

const DIMS = ["model", "provider", "service", "route", "user", "session"];

export async function render(root, {signal}) {
  const w = state.apiWindow();
  const {from, to} = state.windowMillis();
  const groupBy = DIMS.includes(state.param("groupBy")) ? state.param("groupBy") : "model";
  const interval = state.param("interval") === "1d" || state.param("interval") === "1h" ? state.param("interval")
    : (to - from > 3 * 86400e3 ? "1d" : "1h");
  // the budgets have their own windows: they load beside the range's figures and come last
  const budgets = budgetsSection(signal);
  const r = await get("cost", {...w, groupBy, interval, limit: 10}, signal);
  root.append(h("div", {class: "page-head"}, h("h1", null, "Cost"),
    h("span", {class: "muted"}, "exact sums of each call's cost from the price table; unpriced calls are counted, never $0")));
  root.append(h("div", {class: "filters"},
    h("label", {for: "cost-group"}, "Group by", h("select", {id: "cost-group",
      onchange: e => state.setParams({groupBy: e.target.value === "model" ? null : e.target.value})},
    DIMS.map(d => h("option", {value: d, selected: d === groupBy}, d)))),
    h("label", {for: "cost-interval"}, "Interval", h("select", {id: "cost-interval",
      onchange: e => state.setParams({interval: e.target.value})},
    h("option", {value: "1h", selected: interval === "1h"}, "hour"), h("option", {value: "1d", selected: interval === "1d"}, "day")))));
  const tot = r.totals;
  if (!tot.calls) {
    root.append(emptyState("LLM calls"), budgets.node);
    await budgets.done;
    return;
  }
  root.append(h("div", {class: "grid kpis"},
    kpi("Cost", f.usd(tot.costUsd), null, "cost-total"),
    kpi("Priced calls", f.num(tot.pricedCalls)),
    kpi("Unpriced calls", f.num(tot.unpricedCalls), tot.unpricedCalls ? "see Overview → unpriced models" : null),
    kpi("Per call", f.usd(tot.costPerCallUsd)),
    kpi("Per 1k calls", f.usd(tot.costPer1kCallsUsd))));
  const step = interval === "1d" ? 86400 : 3600;
  const x = [];
  for (let v = Math.floor(new Date(r.since).getTime() / 1000 / step) * step; v < new Date(r.until).getTime() / 1000; v += step) x.push(v);
  const groups = r.groups.filter(g => g.costUsd !== null);
  root.append(h("div", {class: "section"}, chart(`Cost per ${interval === "1d" ? "day" : "hour"} by ${groupBy}`, x,
    groups.map(g => ({label: g.key === null ? "(none)" : visible(g.key),
      values: values(x, g.series, p => p.costUsd === null ? 0 : Number(p.costUsd))})),
    {stacked: true, yFmt: f.usd, height: 260, empty: "No priced calls in this range."})));
  const b = g => g.breakdown;
  root.append(h("section", {class: "card section"}, h("h3", null, `By ${groupBy}, split by token bucket`), table([
    {label: groupBy, cell: g => key(g.key)},
    {label: "Calls", num: true, cell: g => f.num(g.calls), sort: g => g.calls},
    {label: "Cost", num: true, cell: g => f.usd(g.costUsd), sort: g => g.costUsd === null ? null : Number(g.costUsd)},
    {label: "Input", num: true, cell: g => f.usd(b(g).inputUsd)},
    {label: "Cache read", num: true, cell: g => f.usd(b(g).cacheReadUsd)},
    {label: "Cache write", num: true, cell: g => f.usd(b(g).cacheWriteUsd)},
    {label: "Output", num: true, cell: g => f.usd(b(g).outputUsd)},
    {label: "Reasoning", num: true, cell: g => f.usd(b(g).reasoningUsd)},
    {label: "Per call", num: true, cell: g => f.usd(g.costPerCallUsd), sort: g => g.costPerCallUsd === null ? null : Number(g.costPerCallUsd)},
    {label: "Per 1k calls", num: true, cell: g => f.usd(g.costPer1kCallsUsd)},
    {label: "Unpriced", num: true, cell: g => f.num(g.unpricedCalls), sort: g => g.unpricedCalls},
  ], r.groups, {id: "cost-table"}),
  r.truncated ? h("p", {class: "muted"}, `Top ${r.groups.length} of ${r.totalGroups} groups; the totals include all.`) : null));
  root.append(budgets.node);
  await budgets.done;
}
