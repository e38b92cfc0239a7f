// The REST API client: the dashboard reads nothing else.
import {encodeParam} from "./dom.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** GET /api/v1/{path} with query params (empty ones left out); rejects with ApiError. */
export async function get(path, params, signal) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== "") q.set(k, encodeParam(v));
  }
  const url = "/api/v1/" + path + (q.toString() ? "?" + q : "");
  let res;
  try {
    res = await fetch(url, {signal, headers: {accept: "application/json"}});
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "unreachable", "Sightline did not answer (" + e.message + "). Is the server running?");
  }
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    throw new ApiError(res.status, "bad_response", "the API answered " + res.status + " without JSON");
  }
  if (!res.ok) {
    const err = body && body.error ? body.error : {code: "http_" + res.status, message: "HTTP " + res.status};
    throw new ApiError(res.status, err.code, err.message);
  }
  return body;
}
