// The REST API client: the dashboard reads nothing else.
import {encodeParam} from "./dom.js";

export class ApiError extends Error {
  constructor(status, code, message, problems) {
    super(message);
    this.status = status;
    this.code = code;
    // each thing wrong with a request body, when the API lists them (400 on a rule)
    this.problems = Array.isArray(problems) ? problems : [];
  }
}

/** GET /api/v1/{path} with query params (empty ones left out); rejects with ApiError. */
export async function get(path, params, signal) {
  const url = apiUrl(path, params);
  return answer(await reach(() => fetch(url, {signal, headers: {accept: "application/json"}})));
}

/**
 * A request that changes something (POST / PUT / DELETE /api/v1/{path}) with an optional JSON body
 * given as text, sent as written so that the API judges it; resolves to the answer's JSON (null for
 * 204), rejects with ApiError carrying the API's problems list.
 */
export async function send(method, path, params, bodyText, signal) {
  const url = apiUrl(path, params);
  const init = {method, signal, headers: {accept: "application/json"}};
  if (bodyText !== undefined && bodyText !== null) {
    init.headers["content-type"] = "application/json";
    init.body = bodyText;
  }
  const res = await reach(() => fetch(url, init));
  if (res.status === 204) return null;
  return answer(res);
}

function apiUrl(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "") q.set(k, encodeParam(v));
  }
  return "/api/v1/" + path + (q.toString() ? "?" + q : "");
}

async function reach(doFetch) {
  try {
    return await doFetch();
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "unreachable", "Sightline did not answer (" + e.message + "). Is the server running?");
  }
}

/** Where a 401 sends the browser: the login page, coming back here afterwards. */
export function loginHref() {
  return "/login?next=" + encodeURIComponent(location.pathname + location.search);
}

let leaving = false;

async function answer(res) {
  if (res.status === 401 && location.pathname !== "/login") {
    // the session ended (or there never was one): log in, then come back here. Every request
    // of the page answers 401 at once, so only the first one navigates; the page stops quietly
    // (an AbortError is what every page already ignores)
    if (!leaving) {
      leaving = true;
      location.assign(loginHref());
    }
    const e = new ApiError(401, "unauthorized", "not logged in");
    e.name = "AbortError";
    throw e;
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    throw new ApiError(res.status, "bad_response", "the API answered " + res.status + " without JSON");
  }
  if (!res.ok) {
    const err = body && body.error ? body.error : {code: "http_" + res.status, message: "HTTP " + res.status};
    throw new ApiError(res.status, err.code, err.message || "HTTP " + res.status, err.problems);
  }
  return body;
}

/** Is this error the API saying that the caller may not see a section (403)? */
export function forbidden(e) {
  return !!(e && e.status === 403);
}
