// The cost page's budgets: per budget its spend so far against the limit and the soft limit, as a
// burn-down over the budget's own window (not the page's time range), with the forecast to the
// window's end dashed, a state badge and the figures. A server without budgets shows how to add one.
import {h, t} from "../dom.js";
import {get} from "../api.js";
import * as f from "../format.js";
import {chart, join, PALETTE} from "../charts.js";
import {forbiddenNote} from "./common.js";

/** The section, filled as the answers arrive; done settles when every chart is in. */
export function budgetsSection(signal) {
  const body = h("div", {class: "later"}, h("span", {class: "muted"}, "Loading…"));
  const node = h("section", {class: "card section", id: "budgets", dataset: {testid: "budgets"}},
    h("h3", null, "Budgets"), body);
  const done = get("budgets", null, signal).then(r => {
    const list = r && Array.isArray(r.budgets) ? r.budgets : [];
    if (!list.length) {
      body.replaceChildren(noBudgets());
      return null;
    }
    const cards = list.map(b => budgetCard(b, signal));
    body.replaceChildren(h("div", {class: "budgets"}, cards.map(c => c.card)));
    return Promise.allSettled(cards.map(c => c.done));
  }, e => {
    if (e && e.name === "AbortError") return;
    body.replaceChildren(e && e.status === 404 ? noBudgets() : e && e.status === 403 ? forbiddenNote("Budgets")
      : h("div", {class: "error-box", role: "alert"}, (e && e.message) || String(e)));
  });
  return {node, done};
}

function noBudgets() {
  return h("div", {class: "muted", dataset: {empty: "true"}},
    h("p", null, "No budget set. Start Sightline with ",
      h("code", null, "--budget all=project,1000/month"), " or ",
      h("code", null, "--budget chat=route:/chat,50/month,soft=75%,hard"),
      " (repeatable; scopes project, service, route, user; periods month, 24h, 7d, 30d). A soft limit alerts; ",
      "a hard one makes the gateway refuse new calls in that scope with 429. See docs/alerts.md."));
}

function stateBadge(b) {
  if (b.state === "exhausted") return h("span", {class: "badge err", dataset: {state: b.state}}, "exhausted");
  if (b.state === "soft") return h("span", {class: "badge warn", dataset: {state: b.state}}, "over soft limit");
  return h("span", {class: "badge ok", dataset: {state: b.state || "ok"}}, "ok");
}

function scopeText(b) {
  return b.scope === "project" || !b.scopeValue ? (b.scope || "project") : b.scope + " " + b.scopeValue;
}

function pctText(v) {
  return v === null || v === undefined ? "" : ` (${Number(v).toFixed(1)}%)`;
}

function budgetCard(b, signal) {
  const slot = h("div", {class: "later chart-slot"}, h("span", {class: "muted"}, "Loading…"));
  const card = h("section", {class: "card budget", dataset: {testid: "budget", budget: b.name}},
    h("div", {class: "card-head"},
      h("span", {class: "card-title"}, t(b.name)),
      h("span", {class: "badge"}, t(scopeText(b))),
      h("span", {class: "badge"}, "per ", t(b.period)),
      b.hard ? h("span", {class: "badge", title: "the gateway refuses new calls in this scope at the limit"}, "hard") : null,
      stateBadge(b)),
    h("div", {class: "numbers"},
      h("span", {dataset: {kpi: "spent"}}, "Spent ", h("strong", null, f.usd(b.spentUsd)), " of ",
        h("strong", null, f.usd(b.limitUsd)), pctText(b.spentPct)),
      h("span", {dataset: {kpi: "forecast"}}, "Forecast at window end ", h("strong", null, f.usd(b.forecastUsd)),
        pctText(b.forecastPct)),
      b.softPct !== undefined && b.softPct !== null ? h("span", {class: "muted"}, `soft limit at ${b.softPct}%`) : null,
      b.hard ? h("span", {class: "muted", dataset: {kpi: "refusals"}}, `${f.num(b.refusals || 0)} calls refused`) : null,
      h("span", {class: "muted"}, f.time(b.windowStart), " – ", f.time(b.windowEnd))),
    slot);
  const done = get("budgets/burndown", {name: b.name}, signal).then(d => slot.replaceChildren(burndown(b, d)), e => {
    if (e && e.name !== "AbortError") slot.replaceChildren(h("div", {class: "error-box"}, e.message));
  });
  return {card, done};
}

function seconds(iso) {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** [x, y] of the points that parse, in time order. */
function line(points) {
  const rows = (Array.isArray(points) ? points : []).map(p => [seconds(p.t), Number(p.usd)])
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).sort((a, b) => a[0] - b[0]);
  return [rows.map(r => r[0]), rows.map(r => r[1])];
}

/** Spent (cumulative), the limit and soft lines across the window, and the dashed forecast. */
function burndown(b, d) {
  const start = seconds(d.windowStart || b.windowStart);
  const end = seconds(d.windowEnd || b.windowEnd);
  const limit = Number(d.limitUsd !== undefined ? d.limitUsd : b.limitUsd);
  const soft = Number(d.softUsd);
  const spent = line(d.spent);
  const forecast = line(d.forecast);
  const ends = [start, end];
  const tables = [[ends, ends.map(() => limit)]];
  const series = [{label: "limit", color: PALETTE[2], points: false}];
  if (Number.isFinite(soft)) {
    tables.push([ends, ends.map(() => soft)]);
    series.push({label: "soft limit", color: PALETTE[5], dash: [3, 3], points: false});
  }
  tables.push(spent);
  series.push({label: "spent", color: PALETTE[0]});
  if (forecast[0].length) {
    tables.push(forecast);
    series.push({label: "forecast", color: PALETTE[0], dash: [6, 5]});
  }
  const data = join(tables.filter(tb => tb[0].length));
  const shown = series.filter((s, i) => tables[i][0].length);
  return chart("Burn-down", data[0], shown.map((s, i) => ({...s, values: data[i + 1]})),
    {yFmt: f.usd, xRange: Number.isFinite(start) && Number.isFinite(end) && end > start ? [start, end] : undefined,
      height: 200, empty: "No spend recorded in this window yet."});
}
