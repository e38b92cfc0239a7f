// The LLM call list with its scores, filtered like the trace list plus by score (a "flagged only"
// toggle per score name, or any expression the API's score filter takes). Filters live in the URL.
import {h, t} from "../dom.js";
import {get, ApiError} from "../api.js";
import * as state from "../state.js";
import * as f from "../format.js";
import {table, emptyState, text, traceLink, callLink, link, filters} from "./common.js";
import {badges, BUILT_IN} from "./scores.js";

const LIMIT = 200;
const FILTERS = [
  ["service", "Service"], ["route", "Route"], ["model", "Model"], ["status", "Status"],
  ["session", "Session"], ["user", "User"], ["q", "Text in prompts / responses"],
  ["score", "Score (e.g. groundedness<0.7)"],
];

export async function render(root, {signal}) {
  const w = state.apiWindow();
  const query = {...w, limit: LIMIT};
  for (const [k] of FILTERS) {
    const v = state.param(k);
    if (v) query[k] = v;
  }
  const problem = scoreProblem(query.score);
  const [res, quality] = await Promise.all([
    // a mistyped filter keeps the form on screen with the reason beside it: caught here before any
    // request where the grammar says so, else the API's 400
    problem ? {calls: [], refused: problem} : get("llm/calls", query, signal).catch(e => {
      if (e instanceof ApiError && e.status === 400) return {calls: [], refused: e.message};
      throw e;
    }),
    // the names to offer as toggles; a store without scores yet must not hide the list
    get("quality", {...w}, signal).catch(e => {
      if (e.name === "AbortError") throw e;
      return {rows: []};
    }),
  ]);
  root.append(h("div", {class: "page-head"}, h("h1", null, "LLM calls"),
    h("span", {class: "muted"}, "newest first, with each call's latest score per name")));
  root.append(filterForm());
  const names = [...new Set([...BUILT_IN, ...quality.rows.map(r => r.name)])];
  root.append(flaggedToggles(names));
  const filtered = FILTERS.some(([k]) => state.param(k));
  if (res.refused) {
    root.append(h("div", {class: "error-box", role: "alert", id: "filter-error"}, t(res.refused)));
    return;
  }
  if (!res.calls.length) {
    root.append(filtered ? h("div", {class: "empty", dataset: {empty: "true"}}, "No LLM call matches these filters in this range. ",
      h("a", {href: location.pathname + "?" + new URLSearchParams(state.shared())}, "Clear the filters"), ".")
      : emptyState("LLM calls"));
    return;
  }
  root.append(h("section", {class: "card"}, table([
    {label: "Start", cell: r => f.time(r.startTime), sort: r => r.startTime},
    {label: "Call", cell: r => callLink(r.traceId, r.spanId, t(r.responseModel || r.requestModel || "call"))},
    {label: "Trace", cell: r => traceLink(r.traceId)},
    {label: "Route", cell: r => text(r.route)},
    {label: "User", cell: r => (r.userId ? link(["users"], {user: r.userId}, t(r.userId)) : text(null))},
    {label: "Duration", num: true, cell: r => f.ms(r.durationMs), sort: r => r.durationMs},
    {label: "Tokens in / out", num: true, cell: r => f.num(r.usage.inputTokens) + " / " + f.num(r.usage.outputTokens),
      sort: r => r.usage.inputTokens + r.usage.outputTokens},
    {label: "Cost", num: true, cell: r => f.usd(r.costUsd), sort: r => r.costUsd === null ? null : Number(r.costUsd)},
    {label: "Status", cell: r => r.status === "error" ? h("span", {class: "badge err"}, "error" + (r.httpStatus ? " " + r.httpStatus : ""))
      : h("span", {class: "badge ok"}, "ok"), sort: r => r.status},
    {label: "Scores", cell: r => badges(r.scores),
      sort: r => (r.scores || []).filter(s => s.flagged === true).length},
  ], res.calls, {id: "call-list"})));
  if (res.calls.length >= LIMIT) {
    root.append(h("p", {class: "muted"}, `Showing the newest ${LIMIT} calls; narrow the range or add filters to see others.`));
  }
}

/** One button per score name: pressed = only the calls that score flagged (score=NAME=flagged). */
function flaggedToggles(names) {
  const current = state.param("score");
  return h("div", {class: "chips", id: "flagged-toggles", role: "group", aria: {label: "Flagged only"}}, "Flagged only:",
    names.map(n => {
      const expr = n + "=flagged";
      const on = current === expr;
      return h("button", {type: "button", aria: {pressed: String(on)}, dataset: {flagged: n},
        onclick: () => state.setParams({score: on ? null : expr})}, t(n));
    }));
}

function filterForm() {
  const inputs = {};
  const fields = FILTERS.map(([k, label]) => {
    let input;
    if (k === "status") {
      input = h("select", {name: k, id: "c-" + k},
        h("option", {value: ""}, "any"), h("option", {value: "ok", selected: state.param(k) === "ok"}, "ok"),
        h("option", {value: "error", selected: state.param(k) === "error"}, "error"));
    } else {
      input = h("input", {name: k, id: "c-" + k, type: "text", value: state.param(k, ""), autocomplete: "off",
        placeholder: k === "score" ? "injection=flagged" : null, spellcheck: k === "score" ? "false" : null});
    }
    inputs[k] = input;
    return h("label", {for: "c-" + k}, label, input);
  });
  return filters("call-filters", FILTERS.map(([k]) => k), inputs, fields);
}

/** Why a score filter cannot be sent (the API's grammar: NAME op NUMBER, or NAME=LABEL), or null. */
function scoreProblem(expr) {
  if (!expr) return null;
  const m = /^\s*([^<>=]+?)\s*(<=|>=|<|>|=)\s*(\S.*?)\s*$/.exec(expr);
  if (!m) {
    return `score filter '${expr}' is not NAME<NUMBER, NAME<=NUMBER, NAME>NUMBER, NAME>=NUMBER, NAME=NUMBER,`
      + " NAME=LABEL or NAME=flagged (e.g. groundedness<0.7)";
  }
  if (m[2] !== "=" && !Number.isFinite(Number(m[3]))) return `score filter '${expr}': ${m[2]} needs a number, e.g. ${m[1]}${m[2]}0.7`;
  return null;
}
