// Building DOM without ever parsing HTML. Every string from the API becomes a text node or a
// property value, so prompts, model names and attributes written by the public stay inert text.
// Nothing in the dashboard uses innerHTML, insertAdjacentHTML, document.write or string styles.

const BOOLEAN_PROPS = new Set(["disabled", "checked", "selected", "hidden", "open", "readOnly", "multiple"]);
const ATTRS = new Set(["id", "class", "title", "type", "name", "placeholder", "role", "tabindex", "colspan",
  "for", "min", "max", "step", "list", "autocomplete", "spellcheck", "lang", "dir", "rel", "target", "scope"]);

/** Is this href one of ours: a path on this origin, built by the dashboard? */
export function safeHref(href) {
  return typeof href === "string" && href.startsWith("/") && !href.startsWith("//");
}

/**
 * h("div", {class: "x", onclick: fn, dataset: {k: "v"}, style: {width: "3px"}}, "text", child, [more])
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false && !BOOLEAN_PROPS.has(k)) continue;
      if (k.startsWith("on") && typeof v === "function") {
        el.addEventListener(k.slice(2), v);
      } else if (k === "style") {
        for (const [sk, sv] of Object.entries(v)) {
          if (sk.startsWith("--")) el.style.setProperty(sk, String(sv));
          else el.style[sk] = sv;
        }
      } else if (k === "dataset") {
        for (const [dk, dv] of Object.entries(v)) {
          if (dv !== undefined && dv !== null) el.dataset[dk] = String(dv);
        }
      } else if (k === "aria") {
        for (const [ak, av] of Object.entries(v)) el.setAttribute("aria-" + ak, String(av));
      } else if (k === "href") {
        if (!safeHref(v)) throw new Error("refusing a link that is not a path on this server");
        el.setAttribute("href", v);
      } else if (k === "value") {
        el.value = String(v);
      } else if (BOOLEAN_PROPS.has(k)) {
        el[k] = !!v;
      } else if (k === "text") {
        el.textContent = String(v);
      } else if (ATTRS.has(k)) {
        el.setAttribute(k, String(v));
      } else {
        throw new Error("unknown property " + k);
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Query values with control characters cannot travel in a URL here (the server refuses them), and
 * ids written by the public can hold any character: such values go as "b64:" + base64url of their
 * UTF-8 bytes, which the API and the pages decode. A value that itself starts with "b64:" is
 * encoded too, so decoding never guesses.
 */
export function encodeParam(v) {
  const s = String(v);
  if (!/[\u0000-\u001F\u007F]/.test(s) && !s.startsWith("b64:")) return s;
  let bin = "";
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return "b64:" + btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeParam(v) {
  if (v === null || v === undefined || !v.startsWith("b64:")) return v;
  try {
    const bin = atob(v.slice(4).replace(/-/g, "+").replace(/_/g, "/"));
    return new TextDecoder().decode(Uint8Array.from(bin, c => c.charCodeAt(0)));
  } catch (e) {
    return v;
  }
}

/** A path with each segment encoded, and query parameters (empty ones left out). */
export function path(segments, params) {
  let p = "/" + segments.map(s => encodeURIComponent(String(s))).join("/");
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (v !== undefined && v !== null && v !== "") q.set(k, encodeParam(v));
    }
    const qs = q.toString();
    if (qs) p += "?" + qs;
  }
  return p;
}

/**
 * Text that shows control characters instead of obeying them: terminal escapes, bidirectional
 * overrides and other invisible format characters are drawn as visible code points, so a name
 * cannot reorder or hide what is displayed next to it.
 */
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
export function visible(s) {
  if (s === null || s === undefined) return "";
  return String(s).replace(INVISIBLE, ch => "\u2039U+" + ch.codePointAt(0).toString(16).toUpperCase().padStart(4, "0") + "\u203A");
}

/** Text node helper for user-supplied values: visible() applied. */
export function t(s) {
  return document.createTextNode(visible(s));
}
