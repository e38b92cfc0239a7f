// The dashboard shell: navigation, time range, auto-refresh, theme, and the router that renders
// the page for the current URL. Pages are ES modules under pages/; each exports
// render(root, ctx) and returns when its first view is on screen.
import {h, t, replace, safeHref, path} from "./dom.js";
import * as state from "./state.js";
import {ApiError, get, send} from "./api.js";

const PAGES = [
  {match: /^\/(overview)?$/, module: "overview", nav: "overview"},
  {match: /^\/traces$/, module: "traces", nav: "traces"},
  {match: /^\/traces\/[^/]+$/, module: "trace", nav: "traces"},
  {match: /^\/services$/, module: "services", nav: "services"},
  {match: /^\/calls\/?$/, module: "calls", nav: "calls"},
  {match: /^\/calls\/[^/]+\/[^/]+$/, module: "call", nav: "calls"},
  {match: /^\/models$/, module: "models", nav: "models"},
  {match: /^\/engines$/, module: "engines", nav: "engines"},
  {match: /^\/cost$/, module: "cost", nav: "cost"},
  {match: /^\/sessions$/, module: "sessions", nav: "sessions"},
  {match: /^\/users$/, module: "users", nav: "users"},
  {match: /^\/alerts$/, module: "alerts", nav: "alerts"},
  {match: /^\/projects$/, module: "projects", nav: "projects"},
  // the login page stands alone: no navigation, time range or account in the header
  {match: /^\/login$/, module: "login", nav: null, bare: true},
];
const NAV = [["overview", "/overview", "Overview"], ["traces", "/traces", "Traces"],
  ["services", "/services", "Services"], ["calls", "/calls", "Calls"],
  ["models", "/models", "Models"], ["engines", "/engines", "Engines & GPUs"],
  ["cost", "/cost", "Cost"], ["sessions", "/sessions", "Sessions"], ["users", "/users", "Users"],
  ["alerts", "/alerts", "Alerts"]];
/** Shown only to whoever manages projects: the admin, or anyone in open mode. */
const ADMIN_NAV = [["projects", "/projects", "Projects"]];

/** The answer of GET /api/v1/auth/whoami, or null (not known yet, or a server without access control). */
let who = null;
let activeNav = null;
let whoAsked = false;

let current = null; // {controller, timer}
const main = h("main", {id: "main"});
const nav = h("nav", {class: "nav", aria: {label: "Pages"}});
const controls = h("div", {class: "controls"});
const account = h("div", {class: "account", id: "account"});

function theme() {
  const saved = localStorage.getItem("sightline.theme");
  const dark = saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
}

function toggleTheme() {
  const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
  localStorage.setItem("sightline.theme", next);
  theme();
  render();
}

function manages() {
  return !!who && (who.admin || who.mode === "open");
}

function renderNav(active) {
  activeNav = active;
  replace(nav, NAV.concat(manages() ? ADMIN_NAV : []).map(([key, href, label]) =>
    h("a", {href: href + query(state.shared()), class: key === active ? "active" : null,
      aria: key === active ? {current: "page"} : null}, label)));
}

function query(params) {
  const q = new URLSearchParams(params).toString();
  return q ? "?" + q : "";
}

function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = x => String(x).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function renderControls() {
  const custom = !!state.param("from");
  const range = h("select", {id: "range", aria: {label: "Time range"}, onchange: e => {
    if (e.target.value === "custom") {
      const {from, to} = state.windowMillis();
      state.setParams({range: null, from: new Date(from).toISOString(), to: new Date(to).toISOString()});
    } else {
      state.setParams({range: e.target.value === state.DEFAULT_RANGE ? null : e.target.value, from: null, to: null});
    }
  }},
  state.RANGES.map(([k, label]) => h("option", {value: k, selected: !custom && state.param("range", state.DEFAULT_RANGE) === k}, label)),
  h("option", {value: "custom", selected: custom}, "Custom…"));
  const parts = [range];
  if (custom) {
    const from = h("input", {type: "datetime-local", id: "from", aria: {label: "From"}, value: toLocalInput(state.param("from"))});
    const to = h("input", {type: "datetime-local", id: "to", aria: {label: "To"}, value: toLocalInput(state.param("to"))});
    const apply = () => {
      const f = from.value ? new Date(from.value).toISOString() : null;
      const t = to.value ? new Date(to.value).toISOString() : null;
      if (f) state.setParams({from: f, to: t});
    };
    from.addEventListener("change", apply);
    to.addEventListener("change", apply);
    parts.push(from, h("span", {class: "muted"}, "to"), to);
  }
  const refresh = h("select", {id: "refresh", aria: {label: "Auto-refresh"}, onchange: e =>
    state.setParams({refresh: e.target.value === "off" ? null : e.target.value}, true)},
  state.REFRESH.map(([k, label]) => h("option", {value: k, selected: state.param("refresh", "off") === k},
    k === "off" ? "Refresh: off" : "Every " + label)));
  parts.push(refresh);
  parts.push(h("button", {type: "button", id: "theme", class: "icon", title: "Switch light / dark",
    aria: {label: "Switch light or dark theme"}, onclick: toggleTheme},
  document.documentElement.dataset.theme === "dark" ? "☀" : "☾"));
  replace(controls, parts);
}

/** Who is asking, and the project whose data the pages show. */
async function loadWho() {
  try {
    who = await get("auth/whoami");
    sessionStorage.removeItem("sightline.projectReset");
  } catch (e) {
    who = null;
    if (e && e.status === 404 && e.code === "unknown_project" && !sessionStorage.getItem("sightline.projectReset")) {
      // the chosen project was removed: back to the default one (once, so that a server that
      // keeps answering this cannot loop)
      sessionStorage.setItem("sightline.projectReset", "1");
      chooseProject(null);
      location.reload();
    }
  }
  if (document.body.dataset.bare !== "true") {
    renderAccount();
    renderNav(activeNav);
  }
}

/** The project an admin reads, kept in a cookie that the server reads on every request. */
function chooseProject(name) {
  document.cookie = name
    ? "sightline_project=" + encodeURIComponent(name) + "; path=/; SameSite=Strict"
    : "sightline_project=; path=/; SameSite=Strict; max-age=0";
}

function renderAccount() {
  if (!who || document.body.dataset.bare === "true") {
    replace(account);
    return;
  }
  const parts = [];
  if (who.mode === "open") {
    parts.push(h("span", {class: "badge", id: "who", title: "access control is off (open mode)"}, "open access"));
  } else if (who.admin) {
    parts.push(h("span", {class: "badge", id: "who"}, "admin"));
  } else {
    parts.push(h("span", {class: "badge", id: "who", title: "logged in with a read key"}, "read key · project ", t(who.project)));
  }
  if (Array.isArray(who.projects)) {
    parts.push(h("select", {id: "project", aria: {label: "Project"}, title: "The project whose data the pages show",
      onchange: async e => {
        chooseProject(e.target.value === "default" ? null : e.target.value);
        await loadWho();
        render();
      }},
    who.projects.map(p => h("option", {value: p, selected: p === who.project}, t(p)))));
  }
  if (who.mode === "keys") {
    parts.push(h("button", {type: "button", id: "logout", onclick: async () => {
      try {
        await send("POST", "auth/logout");
      } finally {
        location.assign("/login");
      }
    }}, "Log out"));
  }
  replace(account, parts);
}

function refreshMillis() {
  const r = state.param("refresh", "off");
  const m = /^(\d+)([sm])$/.exec(r);
  return m ? Number(m[1]) * (m[2] === "s" ? 1000 : 60000) : 0;
}

/** Shows an error in place of the page. */
export function errorView(e) {
  const msg = e instanceof ApiError ? e.message : (e && e.message) || String(e);
  return h("div", {class: "error-box", role: "alert"}, h("strong", null, "Could not load this view. "), msg);
}

async function render(quiet = false) {
  const route = PAGES.find(p => p.match.test(location.pathname));
  if (current) {
    current.controller.abort();
    clearTimeout(current.timer);
  }
  const controller = new AbortController();
  current = {controller, timer: null};
  const bare = !!(route && route.bare);
  document.body.dataset.bare = String(bare);
  if (bare) {
    replace(nav);
    replace(controls);
    replace(account);
  } else {
    renderNav(route ? route.nav : null);
    renderControls();
    renderAccount();
    if (!whoAsked) {
      whoAsked = true;
      loadWho();
    }
  }
  document.body.dataset.ready = "";
  const started = performance.now();
  const root = h("div", {class: "page"});
  if (!route) {
    replace(main, h("div", {class: "empty"}, h("h2", null, "No such page"),
      h("p", null, "Try the ", h("a", {href: "/overview"}, "overview"), ".")));
    document.body.dataset.ready = "notfound";
    return;
  }
  if (!quiet) replace(main, h("div", {class: "loading"}, "Loading…"));
  let shown = false;
  // a page may show its first part while the rest loads (not on a quiet refresh: no flicker)
  const show = () => {
    if (shown || quiet || controller.signal.aborted) return;
    shown = true;
    replace(main, root);
    document.body.dataset.paintedAt = String(Math.round(performance.now()));
  };
  try {
    const page = await import("./pages/" + route.module + ".js");
    await page.render(root, {signal: controller.signal, show});
    if (controller.signal.aborted) return;
    const scroll = window.scrollY;
    if (!shown) {
      replace(main, root);
      document.body.dataset.paintedAt = String(Math.round(performance.now()));
    }
    if (quiet) window.scrollTo(0, scroll);
    document.body.dataset.ready = route.module;
    document.body.dataset.renderMs = String(Math.round(performance.now() - started));
    document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
    // milliseconds since navigation began, for the dashboard benchmark
    document.body.dataset.readyAt = String(Math.round(performance.now()));
  } catch (e) {
    if (e && e.name === "AbortError") return;
    replace(main, errorView(e));
    document.body.dataset.ready = route.module + ":error";
  }
  const every = refreshMillis();
  // pages with forms (and a key's secret shown once) are never redrawn under the user
  if (every > 0 && !["trace", "call", "projects", "login"].includes(route.module)) {
    current.timer = setTimeout(() => render(true), every);
  }
}

document.addEventListener("click", e => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest("a");
  if (!a || a.target || !safeHref(a.getAttribute("href"))) return;
  e.preventDefault();
  state.navigate(a.getAttribute("href"));
  window.scrollTo(0, 0);
});
window.addEventListener("popstate", () => render());
window.addEventListener("sightline:projects-changed", () => loadWho());
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => {
  if (!localStorage.getItem("sightline.theme")) {
    theme();
    render();
  }
});
state.onNavigate(() => render());

theme();
document.body.append(
  h("header", {class: "top"},
    h("a", {href: "/overview", class: "brand", aria: {label: "Sightline overview"}}, h("span", {class: "logo"}, "◉"), "Sightline"),
    nav, controls, account),
  main);
render();
export {path};
