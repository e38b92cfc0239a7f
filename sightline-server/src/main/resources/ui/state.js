import {encodeParam, decodeParam} from "./dom.js";

// The dashboard's state lives in the URL: path + query. Pages read it with param() and change it
// with navigate() / setParams(), so every view can be linked, bookmarked and reloaded.

export const RANGES = [
  ["15m", "Last 15 minutes"], ["1h", "Last hour"], ["6h", "Last 6 hours"], ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"], ["30d", "Last 30 days"],
];
export const DEFAULT_RANGE = "1h";
export const REFRESH = [["off", "Off"], ["10s", "10 s"], ["30s", "30 s"], ["1m", "1 min"], ["5m", "5 min"]];

export function params() {
  return new URLSearchParams(location.search);
}

/** A query param, decoded (see encodeParam). */
export function param(name, fallback = null) {
  const v = params().get(name);
  return v === null || v === "" ? fallback : decodeParam(v);
}

/** The shared params that follow the user from page to page. */
export function shared() {
  const out = {};
  for (const k of ["range", "from", "to", "refresh"]) {
    const v = param(k);
    if (v) out[k] = v;
  }
  return out;
}

/**
 * The API window for the current range: {since, until} as the API takes them (relative like -24h,
 * or ISO times for a custom range).
 */
export function apiWindow() {
  const from = param("from");
  const to = param("to");
  if (from) {
    return {since: new Date(from).toISOString(), until: to ? new Date(to).toISOString() : undefined};
  }
  const r = param("range", DEFAULT_RANGE);
  const ok = RANGES.some(([k]) => k === r);
  return {since: "-" + (ok ? r : DEFAULT_RANGE)};
}

/** The window as absolute milliseconds (for chart axes). */
export function windowMillis() {
  const from = param("from");
  const to = param("to");
  const now = Date.now();
  if (from) return {from: new Date(from).getTime(), to: to ? new Date(to).getTime() : now};
  const r = param("range", DEFAULT_RANGE);
  const m = /^(\d+)([mhd])$/.exec(r) || [null, "24", "h"];
  const unit = {m: 60e3, h: 3600e3, d: 86400e3}[m[2]];
  return {from: now - Number(m[1]) * unit, to: now};
}

let listener = null;
export function onNavigate(fn) {
  listener = fn;
}

export function navigate(href, replace = false) {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  if (listener) listener();
}

/** Changes some query params of the current page (null removes one). */
export function setParams(changes, replace = false) {
  const p = params();
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === "") p.delete(k);
    else p.set(k, encodeParam(v));
  }
  const qs = p.toString();
  navigate(location.pathname + (qs ? "?" + qs : ""), replace);
}
