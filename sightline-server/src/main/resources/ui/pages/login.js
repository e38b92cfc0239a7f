// The login page: the admin password or a project's read key starts a session (an HttpOnly cookie
// set by the server), then the browser goes back to the page that asked (`next`, a path on this
// server only). On a server in open mode there is nothing to log in to.
import {h, t, replace} from "../dom.js";
import {get, send} from "../api.js";

/**
 * Where to go after logging in: `next` when it is a path on this origin ("/x", never "//host" or
 * "/\host", which browsers read as another host), else the overview.
 */
export function safeNext(next) {
  if (typeof next !== "string" || !/^\/(?![/\\])/.test(next) || /[\\\u0000-\u001F\u007F]/.test(next)) return "/overview";
  try {
    const u = new URL(next, location.origin);
    if (u.origin !== location.origin || u.pathname === "/login") return "/overview";
    return u.pathname + u.search + u.hash;
  } catch (e) {
    return "/overview";
  }
}

export async function render(root, {signal}) {
  const next = safeNext(new URLSearchParams(location.search).get("next"));
  let who = null;
  try {
    who = await get("auth/whoami", null, signal);
  } catch (e) {
    if (e && e.name === "AbortError") throw e;
    // 401: not logged in, the usual case here; anything else: the form still works
  }
  const card = h("section", {class: "card login", id: "login"});
  root.append(card);
  if (who && who.mode === "open") {
    replace(card, h("h1", null, "Sightline"),
      h("p", {id: "login-open"}, "Access control is off on this server (open mode): anyone who reaches it can read "
        + "and send data, and there is nothing to log in to. Start the server with ", h("code", null, "--auth keys"),
      " to require keys (docs/access.md)."),
      h("p", null, h("a", {href: "/overview", id: "to-overview"}, "Go to the overview →")));
    return;
  }
  const secret = h("input", {type: "password", id: "login-secret", name: "secret", autocomplete: "current-password",
    spellcheck: "false", placeholder: "password or sl_read_…"});
  const error = h("div", {id: "login-error", role: "alert"});
  const submit = h("button", {type: "submit", class: "primary", id: "login-submit"}, "Log in");
  const form = h("form", {id: "login-form", class: "login-form"},
    h("label", {for: "login-secret"}, "Admin password or read key"), secret, submit, error);
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const value = secret.value.trim();
    if (!value) {
      error.replaceChildren(h("div", {class: "error-box"}, "Enter the admin password or a read key."));
      return;
    }
    // keys look like sl_read_…; anything else is the admin password
    const body = value.startsWith("sl_") ? {key: value} : {password: secret.value};
    submit.disabled = true;
    error.replaceChildren();
    try {
      await send("POST", "auth/login", null, JSON.stringify(body));
      location.assign(next);
    } catch (err) {
      submit.disabled = false;
      error.replaceChildren(h("div", {class: "error-box"}, t(err && err.message ? err.message : String(err))));
      secret.select();
    }
  });
  replace(card, h("h1", null, "Log in to Sightline"),
    who ? h("p", {class: "muted", id: "login-already"}, "You are logged in as ",
      who.admin ? "admin" : ["a read key of project ", t(who.project)], ". ",
      h("a", {href: next}, "Continue →")) : null,
    h("p", {class: "muted"}, "With the admin password (", h("code", null, "--admin-password"),
      ", or the token printed at the first start) or a project's read key (",
      h("code", null, "./sightline keys create --project P --kind read"), ")."),
    form);
  secret.focus();
}
