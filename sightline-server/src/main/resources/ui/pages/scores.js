// Scores on LLM calls: compact badges for call lists, the call view's Quality section, and the
// answer with each sentence marked as the groundedness check found it. All text goes through
// dom.js as text nodes; offsets from the API only ever slice strings, never build markup.
import {h, t, visible} from "../dom.js";
import * as f from "../format.js";

/** Score names Sightline's own evaluators write: offered as filters even before any score exists. */
export const BUILT_IN = ["groundedness", "commitment", "injection"];

function notEvaluated(s) {
  return s.label === "not_evaluated";
}

function valueText(s) {
  if (s.value !== null && s.value !== undefined) return Number(s.value).toFixed(2);
  return s.label === null || s.label === undefined ? "–" : visible(s.label);
}

/** What to say where there are no scores: where they come from. */
export function noScores(lead) {
  return h("span", {class: "no-scores"}, lead, " Sightline's evaluators judge calls shortly after they are stored (unless the",
    " server runs with ", h("code", null, "--evaluators off"), "), and clients can send their own (",
    h("code", null, "gen_ai.evaluation.result"), " events); see docs/quality.md.");
}

/** One score as a small badge: warning when flagged, grey "n/e" (reason as tooltip) when not evaluated. */
export function badge(s) {
  if (notEvaluated(s)) {
    return h("span", {class: "badge score ne", title: visible(s.explanation || "not evaluated"),
      dataset: {score: s.name, state: "not-evaluated"}}, t(s.name), " n/e");
  }
  const state = s.flagged === true ? "flagged" : s.flagged === false ? "ok" : "unknown";
  const tip = [s.label, s.explanation].filter(x => x !== null && x !== undefined && x !== "").map(visible).join(": ");
  return h("span", {class: "badge score" + (s.flagged === true ? " warn" : ""), title: tip || null,
    dataset: {score: s.name, state}}, t(s.name), " ", valueText(s));
}

/** The badges of a call's latest scores, flagged ones first; a dash when it has none. */
export function badges(scores) {
  if (!scores || !scores.length) return h("span", {class: "muted"}, "–");
  const rank = s => (s.flagged === true ? 0 : notEvaluated(s) ? 2 : 1);
  const sorted = scores.slice().sort((a, b) => rank(a) - rank(b) || String(a.name).localeCompare(String(b.name)));
  return h("span", {class: "score-badges"}, sorted.map(badge));
}

/** The call view's Quality section: every score, then the answer marked sentence by sentence. */
export function qualitySection(call) {
  const scores = call.scores || [];
  const body = [];
  if (!scores.length) {
    body.push(h("p", {class: "muted"}, noScores("No score for this call yet.")));
  } else {
    body.push(h("div", {class: "table-wrap"}, h("table", {id: "score-list"},
      h("thead", null, h("tr", null, ["Name", "Value", "Label", "Explanation", "Evaluator", "Source", "Time"].map(
        (l, i) => h("th", {scope: "col", class: i === 1 ? "num" : null}, l)))),
      h("tbody", null, scores.map(s => h("tr", {dataset: {score: s.name}},
        h("td", null, t(s.name)),
        h("td", {class: "num"}, s.value === null || s.value === undefined ? "–" : Number(s.value).toFixed(3)),
        h("td", null, labelBadge(s)),
        h("td", {class: "explanation"}, s.explanation ? t(s.explanation) : h("span", {class: "muted"}, "–")),
        h("td", null, s.evaluator ? h("span", null, t(s.evaluator), s.evaluatorVersion ? h("span", {class: "muted"}, "@", t(s.evaluatorVersion)) : null)
          : h("span", {class: "muted"}, "–")),
        h("td", null, t(s.source || "–")),
        h("td", null, f.time(s.time))))))));
  }
  // the newest score that marks sentences (scores come newest first)
  const marked = scores.find(s => s.details && typeof s.details === "object" && Array.isArray(s.details.sentences)
    && s.details.sentences.length);
  if (marked) body.push(markedAnswer(marked, answerText(call.content && call.content.outputMessages)));
  return h("section", {class: "card section", id: "quality"}, h("h3", null, "Quality"), body);
}

function labelBadge(s) {
  if (s.label === null || s.label === undefined) return h("span", {class: "muted"}, "–");
  const cls = notEvaluated(s) ? "badge ne" : s.flagged === true ? "badge warn" : s.flagged === false ? "badge ok" : "badge";
  return h("span", {class: cls}, t(s.label));
}

/**
 * The answer text the evaluators judged, rebuilt from the recorded output messages the same way
 * the server's context collector does (assistant text parts, one per line), so that the sentence
 * offsets point into it. Returns null when the messages cannot be read.
 */
export function answerText(raw) {
  if (raw === null || raw === undefined) return null;
  let n;
  try {
    n = JSON.parse(raw);
  } catch (e) {
    const s = String(raw).trim();
    return s.startsWith("[") || s.startsWith("{") ? null : String(raw);
  }
  const lines = [];
  const add = s => {
    if (typeof s === "string" && s.trim() !== "") lines.push(s);
  };
  const partText = p => {
    if (!p || typeof p !== "object") return "";
    const type = typeof p.type === "string" ? p.type : "text";
    if (type !== "text" && type !== "output_text" && type !== "input_text") return "";
    const c = "content" in p ? p.content : p.text;
    return typeof c === "string" ? c : "";
  };
  if (Array.isArray(n)) {
    for (const m of n) {
      if (m && typeof m === "object" && ("parts" in m || "role" in m)) {
        if (m.role !== undefined && m.role !== "assistant") continue;
        const own = [];
        if (Array.isArray(m.parts)) {
          for (const p of m.parts) {
            if (!(p && p.type === "tool_call_response")) {
              const s = partText(p);
              if (s.trim() !== "") own.push(s);
            }
          }
        } else if (typeof m.content === "string" && m.content.trim() !== "") {
          own.push(m.content);
        }
        add(own.join("\n"));
      } else {
        add(partText(m));
      }
    }
  } else if (typeof n === "string") {
    return n;
  } else {
    return null;
  }
  return lines.join("\n");
}

function sentenceState(s) {
  return s.supported === true ? "supported" : s.supported === false ? "unsupported" : "unchecked";
}

/**
 * The answer with each judged sentence marked. When the offsets fit the rebuilt answer, the text
 * between sentences is kept; otherwise the sentences are shown one after another. Sentences with
 * findings are focusable: focus, hover or a click shows their reasons and context passage.
 */
function markedAnswer(score, answer) {
  const sentences = score.details.sentences.filter(s => s && typeof s === "object" && typeof s.text === "string");
  const fits = typeof answer === "string" && sentences.every(s => Number.isInteger(s.start) && Number.isInteger(s.end)
    && s.start >= 0 && s.start <= s.end && s.end <= answer.length && answer.slice(s.start, s.end) === s.text)
    && sentences.every((s, i) => i === 0 || sentences[i - 1].end <= s.start);
  const finding = h("div", {class: "finding", id: "sentence-finding", role: "region", aria: {live: "polite", label: "Sentence finding"}},
    h("p", {class: "muted"}, "Select a marked sentence (click, hover, or Tab to it) to see why it was judged so and the passage it was checked against."));
  const marks = [];
  const select = (el, s, i) => {
    for (const m of marks) {
      m.classList.toggle("selected", m === el);
      if (m.getAttribute("role") === "button") m.setAttribute("aria-expanded", String(m === el));
    }
    finding.replaceChildren(...findingView(s, i));
  };
  const mark = (s, i) => {
    const state = sentenceState(s);
    const detail = state !== "unchecked" || (Array.isArray(s.reasons) && s.reasons.length) || s.passage;
    const el = h("span", {class: "sent " + state, dataset: {sentence: String(i), state},
      title: state === "unsupported" ? "not supported by the context" : state === "supported" ? "supported by the context" : "not checkable"},
    t(s.text));
    if (detail) {
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-expanded", "false");
      el.setAttribute("aria-controls", "sentence-finding");
      el.setAttribute("aria-label", (state === "unchecked" ? "not checkable" : state) + " sentence: " + visible(s.text));
      el.addEventListener("click", () => select(el, s, i));
      el.addEventListener("focus", () => select(el, s, i));
      el.addEventListener("mouseenter", () => select(el, s, i));
      el.addEventListener("keydown", e => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          select(el, s, i);
        }
      });
    }
    marks.push(el);
    return el;
  };
  const pieces = [];
  if (fits) {
    let at = 0;
    sentences.forEach((s, i) => {
      if (s.start > at) pieces.push(t(answer.slice(at, s.start)));
      pieces.push(mark(s, i));
      at = s.end;
    });
    if (at < answer.length) pieces.push(t(answer.slice(at)));
  } else {
    sentences.forEach((s, i) => {
      if (i) pieces.push(" ");
      pieces.push(mark(s, i));
    });
  }
  const counts = {supported: 0, unsupported: 0, unchecked: 0};
  for (const s of sentences) counts[sentenceState(s)]++;
  return h("div", {class: "section", id: "marked-answer", dataset: {score: score.name}},
    h("h3", null, "The answer, sentence by sentence (", t(score.name), ")"),
    h("div", {class: "legend"},
      h("span", null, h("span", {class: "sent supported"}, "supported"), " ", f.num(counts.supported)),
      h("span", null, h("span", {class: "sent unsupported"}, "unsupported"), " ", f.num(counts.unsupported)),
      h("span", null, h("span", {class: "sent unchecked"}, "not checkable"), " ", f.num(counts.unchecked)),
      fits ? null : h("span", {class: "muted"}, "(the recorded answer differs from the judged one: sentences shown alone)")),
    h("div", {class: "answer-layout"}, h("p", {class: "answer"}, pieces), finding));
}

function findingView(s, i) {
  const state = sentenceState(s);
  const reasons = Array.isArray(s.reasons) ? s.reasons.filter(r => r !== null && r !== undefined) : [];
  const p = s.passage && typeof s.passage === "object" ? s.passage : null;
  return [
    h("div", {class: "finding-head"}, h("span", {class: "badge" + (state === "unsupported" ? " err" : state === "supported" ? " ok" : "")},
      state === "unchecked" ? "not checkable" : state), " sentence ", String(i + 1),
    typeof s.similarity === "number" ? h("span", {class: "muted"}, " · similarity ", s.similarity.toFixed(2)) : null),
    h("blockquote", {class: "sentence-text"}, t(s.text)),
    reasons.length ? h("div", null, h("div", {class: "muted"}, "Why"), h("ul", {class: "reasons"}, reasons.map(r => h("li", null, t(r)))))
      : null,
    p ? h("div", {class: "passage", id: "sentence-passage"},
      h("div", {class: "muted"}, "Checked against context passage", typeof p.index === "number" ? " #" + (p.index + 1) : ""),
      h("div", {class: "kv"},
        h("div", null, "source"), h("div", null, t(p.source || "–")),
        h("div", null, "title"), h("div", null, t(p.title || "–")),
        p.spanId ? h("div", null, "span") : null, p.spanId ? h("div", {class: "mono"}, t(p.spanId)) : null),
      h("pre", {class: "text passage-text"}, t(p.text || "")))
      : h("p", {class: "muted"}, "No context passage was close enough to check this sentence against."),
  ];
}
