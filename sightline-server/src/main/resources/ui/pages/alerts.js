// Alerts: the rules (from the config file, read-only, and from the API, editable here), what is
// firing now, the history of state changes, the webhooks with their deliveries and a test button,
// and the cost anomalies with their explanation (/alerts#anomaly-<start> scrolls to one). Each
// section loads on its own, so a server without one of the endpoints still shows the rest.
import {h, t, replace} from "../dom.js";
import {get, send} from "../api.js";
import * as f from "../format.js";
import {table, text, forbiddenNote} from "./common.js";

/** What the add-rule form starts with: a valid rule to edit, using every field's usual form. */
const TEMPLATE = `{
  "id": "chat-cost",
  "name": "Chat cost per hour",
  "figure": "cost_per_hour",
  "filter": {"route": "POST /chat"},
  "groupBy": "model",
  "window": "1h",
  "condition": "> 5",
  "for": "10m",
  "severity": "warning"
}`;

const FIGURES = "cost_per_hour, cost_per_call, tokens, calls, error_rate_4xx, error_rate_5xx, latency_p95_ms, "
  + "ttft_p95_ms, tpot_p95_ms, quality_flagged_rate (with score), metric (with metric, agg)";

export async function render(root, {signal, show}) {
  root.append(h("div", {class: "page-head"}, h("h1", null, "Alerts"),
    h("span", {class: "muted"}, "rules, what is firing, history, webhooks and cost anomalies; the time range above does not apply here")));
  const firing = section("firing", "Firing now");
  const rules = section("rules", "Rules");
  const history = section("history", "History");
  const webhooks = section("webhooks", "Webhooks");
  const anomalies = section("anomalies", "Cost anomalies");
  root.append(firing.card, rules.card, history.card, webhooks.card, anomalies.card);
  show();
  const ctx = {signal};
  const rulesTable = h("div", null, h("span", {class: "muted"}, "Loading…"));
  ctx.reloadRules = () => fill({slot: rulesTable}, loadRules(ctx));
  replace(rules.slot, rulesTable, ruleForm(ctx));
  await Promise.allSettled([
    fill(firing, loadFiring(signal)),
    ctx.reloadRules(),
    fill(history, loadHistory(signal)),
    fill(webhooks, loadWebhooks(ctx)),
    fill(anomalies, loadAnomalies(signal), "Cost anomalies"),
  ]);
  if (!signal.aborted) focusAnomaly();
}

/** A card with a heading and a slot that its content (or its error) fills. */
function section(id, title) {
  const slot = h("div", {class: "later"}, h("span", {class: "muted"}, "Loading…"));
  const card = h("section", {class: "card section", id: "alerts-" + id, dataset: {testid: id}}, h("h3", null, title), slot);
  return {card, slot};
}

function fill(sec, promise, what) {
  return promise.then(node => sec.slot.replaceChildren(node), e => {
    if (e && e.name === "AbortError") return;
    if (e && e.status === 403) {
      sec.slot.replaceChildren(forbiddenNote(what || "Alerts"));
      return;
    }
    sec.slot.replaceChildren(h("div", {class: "error-box", role: "alert"}, (e && e.message) || String(e)));
  });
}

function badge(label, kind, title) {
  return h("span", {class: "badge " + (kind || ""), title}, label);
}

function severityBadge(s) {
  return badge(s || "warning", s === "critical" ? "err" : s === "info" ? "" : "warn");
}

function stateBadge(s) {
  if (s === "firing") return badge("firing", "err");
  if (s === "pending") return badge("pending", "warn", "breached; waiting for the rule's for-duration");
  if (s === "resolved") return badge("resolved", "ok");
  return badge(s || "ok", "ok");
}

function plain(v) {
  return v === null || v === undefined || v === "" ? h("span", {class: "muted"}, "–") : text(v);
}

/** Prose from the API (summaries, messages, problems): wrapped in full, never cut. */
function prose(v) {
  return v === null || v === undefined || v === "" ? h("span", {class: "muted"}, "–") : h("span", {class: "prose"}, t(v));
}

// ---- rules

async function loadRules(ctx) {
  const r = await get("alerts/rules", null, ctx.signal);
  const rules = Array.isArray(r.rules) ? r.rules : [];
  return rules.length ? table([
    {label: "Id", cell: x => h("span", {class: "mono"}, text(x.id)), sort: x => x.id},
    {label: "Name", cell: x => plain(x.name)},
    {label: "Figure", cell: x => figure(x)},
    {label: "Filter", cell: x => filterText(x.filter)},
    {label: "Group by", cell: x => plain(x.groupBy)},
    {label: "Condition", cell: x => h("span", {class: "mono"}, text(x.condition))},
    {label: "Window", cell: x => plain(x.window)},
    {label: "For", cell: x => plain(x.for)},
    {label: "Severity", cell: x => severityBadge(x.severity), sort: x => x.severity},
    {label: "State", cell: x => h("span", null, stateBadge(x.state),
      x.firing > 1 ? h("span", {class: "muted"}, ` ${f.num(x.firing)} groups`) : null), sort: x => x.state},
    {label: "Source", cell: x => badge(x.source || "config", x.source === "api" ? "" : "ne",
      x.source === "api" ? "added through the API; stored" : "from the config file; read-only"), sort: x => x.source},
    {label: "", cell: x => x.source === "api" ? deleteButton(x.id, ctx) : null},
  ], rules, {id: "rules-table"})
    : h("div", {class: "muted", dataset: {empty: "true"}},
      h("p", null, "No alert rule yet. Add one below, or start Sightline with ",
        h("code", null, "--alert-rule \"id=5xx; figure=error_rate_5xx; window=5m; condition=> 0.05\""),
        " (repeatable; config-file key ", h("code", null, "alert-rule"), "). See docs/alerts.md."));
}

function figure(x) {
  const what = x.score || x.metric;
  return h("span", null, h("span", {class: "mono"}, text(x.figure)),
    what ? h("span", {class: "muted"}, " ", text(what), x.agg ? " (" + x.agg + ")" : null) : null);
}

function filterText(filter) {
  const entries = Object.entries(filter || {});
  if (!entries.length) return h("span", {class: "muted"}, "all");
  return h("span", {class: "mono"}, entries.map(([k, v], i) => [i ? ", " : null, k + "=", text(v)]));
}

/** Two clicks: the first asks, the second deletes (no dialog, which a test or a screen reader trips on). */
function deleteButton(id, ctx) {
  const out = h("span", {class: "muted"});
  const b = h("button", {type: "button", class: "danger", dataset: {delete: id}, title: "Delete this rule"}, "Delete");
  b.addEventListener("click", async () => {
    if (!b.dataset.armed) {
      b.dataset.armed = "true";
      b.textContent = "Really delete?";
      return;
    }
    b.disabled = true;
    try {
      await send("DELETE", "alerts/rules/" + encodeURIComponent(id), null, null, ctx.signal);
      await ctx.reloadRules();
    } catch (e) {
      if (e.name === "AbortError") return;
      b.disabled = false;
      out.replaceChildren(" ", h("span", {class: "error-text"}, e.message));
    }
  });
  return h("span", null, b, out);
}

function ruleForm(ctx) {
  const area = h("textarea", {id: "rule-json", class: "mono", spellcheck: "false", aria: {label: "Rule JSON"}});
  area.value = TEMPLATE;
  area.rows = 12;
  const result = h("div", {id: "rule-result", aria: {live: "polite"}});
  const submit = h("button", {type: "submit", class: "primary", id: "rule-add"}, "Add rule");
  const form = h("form", {class: "rule-form", id: "rule-form"},
    h("h3", null, "Add a rule"),
    h("p", {class: "muted"}, "A rule as JSON; figures: ", FIGURES,
      ". Conditions: a threshold (\"> 0.05\") or a change against a baseline (\"increase_pct > 50 vs 1w\"). ",
      "Filters and group-by take model, provider, service, route, user, session."),
    area, h("div", {class: "actions"}, submit), result);
  form.addEventListener("submit", async e => {
    e.preventDefault();
    submit.disabled = true;
    result.replaceChildren(h("span", {class: "muted"}, "Saving…"));
    try {
      const saved = await send("POST", "alerts/rules", null, area.value, ctx.signal);
      result.replaceChildren(h("p", {class: "ok-text", dataset: {testid: "rule-saved"}}, "Saved rule ",
        h("span", {class: "mono"}, text(saved && saved.id)), "."));
      await ctx.reloadRules();
    } catch (err) {
      if (err.name === "AbortError") return;
      result.replaceChildren(problemsBox(err));
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** The API's message and every problem it listed, each on its own line. */
function problemsBox(err) {
  return h("div", {class: "error-box", role: "alert", id: "rule-problems"},
    h("strong", null, t(err.message)),
    err.problems.length ? h("ul", null, err.problems.map(p => h("li", null, t(p)))) : null);
}

// ---- firing now, history

async function loadFiring(signal) {
  const r = await get("alerts", null, signal);
  const list = Array.isArray(r.firing) ? r.firing : [];
  if (!list.length) return h("div", {class: "muted", dataset: {empty: "true"}}, "Nothing is firing.");
  return table([
    {label: "Rule", cell: x => h("span", null, h("span", {class: "mono"}, text(x.ruleId)),
      x.ruleName && x.ruleName !== x.ruleId ? h("span", {class: "muted"}, " ", text(x.ruleName)) : null)},
    {label: "Group", cell: x => plain(x.group)},
    {label: "State", cell: x => stateBadge(x.state), sort: x => x.state},
    {label: "Severity", cell: x => severityBadge(x.severity), sort: x => x.severity},
    {label: "Since", cell: x => f.time(x.since), sort: x => x.since},
    {label: "Value", num: true, cell: x => plain(x.value)},
    {label: "Summary", cell: x => prose(x.summary)},
  ], list, {id: "firing-table"});
}

async function loadHistory(signal) {
  const r = await get("alerts/history", {limit: 200}, signal);
  const list = Array.isArray(r.events) ? r.events : [];
  if (!list.length) return h("div", {class: "muted", dataset: {empty: "true"}}, "No alert has changed state yet.");
  return table([
    {label: "At", cell: x => f.time(x.at), sort: x => x.at},
    {label: "Rule", cell: x => h("span", {class: "mono"}, text(x.ruleId)), sort: x => x.ruleId},
    {label: "Group", cell: x => plain(x.group)},
    {label: "Change", cell: x => h("span", null, stateBadge(x.from), " → ", stateBadge(x.to))},
    {label: "Value", num: true, cell: x => plain(x.value)},
    {label: "Message", cell: x => prose(x.message)},
  ], list, {id: "history-table"});
}

// ---- webhooks

async function loadWebhooks(ctx) {
  const r = await get("alerts/deliveries", null, ctx.signal);
  const targets = Array.isArray(r.targets) ? r.targets : [];
  if (!targets.length && !(r.deliveries || []).length) {
    return h("div", {class: "muted", dataset: {empty: "true"}},
      h("p", null, "No webhook configured. Start Sightline with ",
        h("code", null, "--webhook ops=https://hooks.example.com/alerts"), " (generic JSON) or ",
        h("code", null, "--webhook team=https://hooks.slack.com/services/…,slack"),
        " (repeatable). See docs/alerts.md."));
  }
  const recent = h("div", {id: "deliveries"}, deliveriesTable(r.deliveries));
  const reload = async () => recent.replaceChildren(deliveriesTable((await get("alerts/deliveries", null, ctx.signal)).deliveries));
  return h("div", null,
    table([
      {label: "Target", cell: x => h("span", {class: "mono"}, text(x.name))},
      {label: "URL", cell: x => h("span", {class: "mono"}, text(x.url))},
      {label: "Format", cell: x => plain(x.format)},
      {label: "", cell: x => testButton(x.name, ctx, reload)},
    ], targets, {id: "webhook-targets", empty: "No webhook configured."}),
    h("h3", {class: "section"}, "Recent deliveries"),
    recent);
}

function deliveriesTable(list) {
  return table([
    {label: "At", cell: x => f.time(x.at), sort: x => x.at},
    {label: "Target", cell: x => text(x.target), sort: x => x.target},
    {label: "Message", num: true, cell: x => plain(x.messageId)},
    {label: "Alerts", cell: x => Array.isArray(x.alertKeys) && x.alertKeys.length
      ? text(x.alertKeys.join(", ")) : h("span", {class: "muted"}, "test")},
    {label: "Attempt", num: true, cell: x => plain(x.attempt)},
    {label: "Status", num: true, cell: x => x.statusCode ? String(x.statusCode) : h("span", {class: "muted"}, "no answer")},
    {label: "Outcome", cell: x => outcomeBadge(x), sort: x => outcome(x)},
    {label: "Error", cell: x => x.error ? h("span", {class: "error-text"}, prose(x.error)) : null},
  ], Array.isArray(list) ? list : [], {id: "deliveries-table", empty: "Nothing sent yet."});
}

function outcome(d) {
  if (d.outcome) return d.outcome;
  return d.delivered ? "delivered" : "failed";
}

function outcomeBadge(d) {
  const o = outcome(d);
  return badge(o, o === "delivered" ? "ok" : o === "retrying" ? "warn" : "err");
}

/** Sends a test message to one target and shows its outcome beside the button. */
function testButton(name, ctx, reloadDeliveries) {
  const out = h("span", {class: "test-outcome", dataset: {testid: "test-outcome", target: name}, aria: {live: "polite"}});
  const b = h("button", {type: "button", dataset: {test: name}}, "Test");
  b.addEventListener("click", async () => {
    b.disabled = true;
    out.replaceChildren(h("span", {class: "muted"}, " sending…"));
    try {
      const d = (await send("POST", "alerts/test", {target: name}, null, ctx.signal)) || {};
      replace(out, " ", outcomeBadge(d), " ", d.statusCode ? "HTTP " + d.statusCode : "no answer",
        d.attempt ? ` · attempt ${d.attempt}` : null,
        d.error ? h("span", {class: "error-text"}, " · ", t(d.error)) : null);
      await reloadDeliveries();
    } catch (e) {
      if (e.name === "AbortError") return;
      out.replaceChildren(" ", h("span", {class: "error-text"}, t(e.message)));
    } finally {
      b.disabled = false;
    }
  });
  return h("span", null, b, out);
}

// ---- anomalies

/** The anomaly a link asked for (/alerts#anomaly-<start>), whatever its age. */
function wanted() {
  const m = /^#anomaly-(.+)$/.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch (e) {
    return null;
  }
}

async function loadAnomalies(signal) {
  // the default is the last 7 days; an older anomaly that a link asks for widens the range to it
  const asked = wanted();
  const askedMs = asked ? new Date(asked).getTime() : NaN;
  const params = Number.isFinite(askedMs) && askedMs < Date.now() - 7 * 86400e3
    ? {since: new Date(askedMs - 3600e3).toISOString(), until: new Date().toISOString()} : null;
  const r = await get("anomalies", params, signal);
  const list = Array.isArray(r.anomalies) ? r.anomalies.slice() : [];
  if (!list.length) {
    return h("div", {class: "muted", dataset: {empty: "true"}},
      h("p", null, "No cost anomaly in this range. Detection needs no rule: each hour's cost is compared with the same hour "
        + "of past weeks, and a rise is explained by calls, tokens per call and price, by model, route, user and token bucket ",
      "(on by default; ", h("code", null, "--cost-anomalies off"), " turns it off). See docs/alerts.md."));
  }
  list.sort((a, b) => String(b.start).localeCompare(String(a.start)));
  return h("div", {class: "anomalies"}, list.map(anomalyCard));
}

function anomalyCard(a) {
  const e = a.explanation || {};
  const contributors = Array.isArray(e.contributors) ? e.contributors : [];
  const shifts = Array.isArray(e.shifts) ? e.shifts : [];
  return h("article", {class: "anomaly", id: "anomaly-" + a.start, dataset: {testid: "anomaly", start: a.start}},
    h("div", {class: "card-head"},
      h("span", {class: "card-title"}, a.ratio ? Number(a.ratio).toFixed(1) + "× cost" : "cost anomaly"),
      a.kind ? badge(kindLabel(a.kind), "warn") : null,
      h("span", {class: "muted"}, f.time(a.start), a.end ? " – " + f.time(a.end) : null),
      h("span", {class: "muted"}, `${f.usd(a.observedUsd)} against a baseline of ${f.usd(a.baselineUsd)}`)),
    h("p", {class: "anomaly-summary"}, prose(a.summary)),
    e.text && e.text !== a.summary ? h("p", {class: "muted"}, prose(e.text)) : null,
    e.callsEffectUsd !== undefined || e.costPerCallEffectUsd !== undefined
      ? h("p", {class: "muted"}, `Of the rise: ${f.usd(e.callsEffectUsd)} from more calls, `
        + `${f.usd(e.costPerCallEffectUsd)} from a higher cost per call.`) : null,
    contributors.length ? table([
      {label: "By", cell: c => plain(c.dimension)},
      {label: "Key", cell: c => h("span", null, plain(c.key), c.newKey ? " " : null, c.newKey ? badge("new", "warn", "absent from the baseline") : null)},
      {label: "Baseline", num: true, cell: c => f.usd(c.baselineUsd)},
      {label: "Observed", num: true, cell: c => f.usd(c.observedUsd)},
      {label: "Share of rise", num: true, cell: c => f.pct(c.shareOfRise)},
    ], contributors) : null,
    shifts.length ? h("div", {class: "shifts"}, h("h3", null, "Token buckets"), table([
      {label: "Bucket", cell: s => plain(s.name)},
      {label: "Baseline share", num: true, cell: s => f.pct(s.baselineShare)},
      {label: "Observed share", num: true, cell: s => f.pct(s.observedShare)},
    ], shifts)) : null);
}

function kindLabel(kind) {
  return String(kind).toLowerCase().replace(/_/g, " ");
}

/** Scrolls to the anomaly named in the URL's fragment and marks it. */
function focusAnomaly() {
  const start = wanted();
  if (!start) return;
  const el = document.getElementById("anomaly-" + start);
  if (!el) return;
  el.classList.add("focused");
  // after the router's own scroll to the top
  requestAnimationFrame(() => el.scrollIntoView({block: "start"}));
}
