// Projects (admin or open mode only): each project's retention, its keys with a form that creates
// one (its secret shown once, in this page only) and revoke buttons, and its disk use by table. A
// form to create a project sits on top. The time range does not apply here.
import {h, t, replace} from "../dom.js";
import {get, send} from "../api.js";
import * as f from "../format.js";
import {table, text} from "./common.js";

const KINDS = [["ingest", "ingest: send telemetry"], ["read", "read: the API and this dashboard"],
  ["virtual", "virtual: a gateway key standing for a provider key"]];
const PROVIDERS = [["openai", "OPENAI_API_KEY"], ["anthropic", "ANTHROPIC_API_KEY"], ["ollama", "OLLAMA_API_KEY"]];

export async function render(root, {signal}) {
  root.append(h("div", {class: "page-head"}, h("h1", null, "Projects"),
    h("span", {class: "muted"}, "each project's data is kept apart; its keys send to it and read it (docs/access.md)")));
  const list = h("div", {id: "project-list"});
  const reload = () => fillProjects(list, signal, reload);
  root.append(createProjectForm(reload), list);
  await reload();
}

async function fillProjects(list, signal, reload) {
  const [projects, storage] = await Promise.all([
    get("projects", null, signal),
    // disk figures are a bonus: a server without them still lists its projects
    get("storage", null, signal).catch(e => {
      if (e && e.name === "AbortError") throw e;
      return {projects: [], error: e};
    }),
  ]);
  const disk = new Map((storage.projects || []).map(p => [p.project, p]));
  const items = Array.isArray(projects.projects) ? projects.projects : [];
  const cards = items.map(p => projectCard(p, disk.get(p.name), signal));
  replace(list, cards.map(c => c.card),
    storage.error ? h("p", {class: "muted"}, "Disk usage unavailable: ", t(storage.error.message)) : null);
  await Promise.allSettled(cards.map(c => c.done));
}

function createProjectForm(reload) {
  const name = h("input", {id: "new-project-name", name: "name", placeholder: "team-a", autocomplete: "off",
    spellcheck: "false"});
  const data = daysInput("new-project-data-days", null);
  const content = daysInput("new-project-content-days", null);
  const out = h("div", {id: "new-project-result"});
  const form = h("form", {class: "filters", id: "new-project"},
    h("label", {for: "new-project-name"}, "New project", name),
    h("label", {for: "new-project-data-days"}, "Keep data (days)", data),
    h("label", {for: "new-project-content-days"}, "Keep prompts and responses (days)", content),
    h("div", {class: "actions"}, h("button", {type: "submit", class: "primary", id: "new-project-submit"}, "Create project")));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    try {
      const body = {name: name.value.trim(), retention: {dataDays: days(data), contentDays: days(content)}};
      await send("POST", "projects", null, JSON.stringify(body));
      name.value = "";
      replace(out);
      // the header's project selector lists it too
      window.dispatchEvent(new CustomEvent("sightline:projects-changed"));
      await reload();
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return h("section", {class: "card section"}, h("h3", null, "Create a project"),
    h("p", {class: "muted"}, "1–64 characters of a–z, 0–9, - and _, starting with a letter or digit. "
      + "Empty retention keeps data forever."), form, out);
}

/** {card, done}: done settles when the project's keys are listed. */
function projectCard(p, disk, signal) {
  const keys = h("div", {class: "later"}, h("span", {class: "muted"}, "Loading…"));
  const card = h("section", {class: "card section project", dataset: {project: p.name, testid: "project"}},
    h("div", {class: "card-head"},
      h("span", {class: "card-title"}, t(p.name)),
      p.created ? h("span", {class: "muted"}, "created " + f.time(p.created)) : null,
      disk ? h("span", {class: "badge", title: "database file + write-ahead log"},
        f.bytes((disk.fileBytes || 0) + (disk.walBytes || 0)) + " on disk") : null),
    retentionForm(p),
    h("h3", null, "Keys"), keys,
    createKeyForm(p.name, () => loadKeys()),
    disk ? diskTable(disk) : null);
  const loadKeys = () => get("projects/" + encodeURIComponent(p.name) + "/keys", null, signal)
    .then(r => replace(keys, keysTable(Array.isArray(r.keys) ? r.keys : [], loadKeys)), e => {
      if (e && e.name === "AbortError") return;
      replace(keys, errorBox(e));
    });
  return {card, done: loadKeys()};
}

function retentionForm(p) {
  const r = p.retention || {};
  const id = "retention-" + p.name;
  const data = daysInput(id + "-data", r.dataDays);
  const content = daysInput(id + "-content", r.contentDays);
  const out = h("span", {class: "muted retention-result"});
  const form = h("form", {class: "filters retention", dataset: {testid: "retention"}},
    h("label", {for: id + "-data"}, "Keep data (days)", data),
    h("label", {for: id + "-content"}, "Keep prompts and responses (days)", content),
    h("div", {class: "actions"}, h("button", {type: "submit"}, "Save retention"), out));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    try {
      const saved = await send("PUT", "projects/" + encodeURIComponent(p.name) + "/retention", null,
        JSON.stringify({dataDays: days(data), contentDays: days(content)}));
      const s = (saved && saved.retention) || {};
      replace(out, "saved: data ", keep(s.dataDays), ", content ", keep(s.contentDays));
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return form;
}

function keep(d) {
  return d === null || d === undefined ? "forever" : d + " days";
}

function daysInput(id, value) {
  return h("input", {type: "number", id, min: "1", step: "1", placeholder: "forever",
    value: value === null || value === undefined ? "" : value});
}

/** The input's whole number of days, or null (keep forever). */
function days(input) {
  const v = input.value.trim();
  return v === "" ? null : Number(v);
}

function keysTable(keys, reload) {
  return table([
    {label: "Kind", cell: k => h("span", {class: "badge"}, text(k.kind)), sort: k => k.kind},
    {label: "Label", cell: k => text(k.label)},
    {label: "Prefix", cell: k => h("span", {class: "mono key-prefix"}, t(k.prefix), "…")},
    {label: "Created", cell: k => f.time(k.created), sort: k => k.created},
    {label: "Provider", cell: k => k.provider
      ? h("span", null, text(k.provider), k.providerKeyEnv ? h("span", {class: "muted"}, " key from $", t(k.providerKeyEnv)) : null)
      : h("span", {class: "muted"}, "–")},
    {label: "", cell: k => revokeButton(k, reload)},
  ], keys, {empty: "No keys yet: create one below."});
}

/** Two clicks: the first asks, the second revokes (no dialog, which a test or a screen reader trips on). */
function revokeButton(k, reload) {
  const out = h("span", {class: "muted"});
  const b = h("button", {type: "button", class: "danger", dataset: {revoke: k.id}, title: "Revoke this key"}, "Revoke");
  let armed = false;
  b.addEventListener("click", async () => {
    if (!armed) {
      armed = true;
      b.textContent = "Confirm revoke";
      replace(out, " senders using it are refused at once");
      return;
    }
    b.disabled = true;
    try {
      await send("DELETE", "keys/" + encodeURIComponent(k.id));
      await reload();
    } catch (e) {
      b.disabled = false;
      replace(out, " ", t(e.message));
    }
  });
  return h("span", null, b, out);
}

function createKeyForm(project, reload) {
  const id = "new-key-" + project;
  const kind = h("select", {id: id + "-kind", name: "kind"}, KINDS.map(([k, label]) => h("option", {value: k}, label)));
  const label = h("input", {id: id + "-label", name: "label", placeholder: "e.g. checkout service", autocomplete: "off"});
  const provider = h("select", {id: id + "-provider", name: "provider"}, PROVIDERS.map(([p]) => h("option", {value: p}, p)));
  const env = h("input", {id: id + "-env", name: "providerKeyEnv", value: PROVIDERS[0][1], autocomplete: "off",
    spellcheck: "false"});
  provider.addEventListener("change", () => {
    env.value = PROVIDERS.find(([p]) => p === provider.value)[1];
  });
  const virtualOnly = [
    h("label", {for: id + "-provider", class: "virtual-only"}, "Provider", provider),
    h("label", {for: id + "-env", class: "virtual-only", title: "the environment variable of the Sightline server that holds the provider's key; the key itself never leaves the server's environment"},
      "Env var with the provider key", env)];
  const showVirtual = () => virtualOnly.forEach(el => {
    el.hidden = kind.value !== "virtual";
  });
  kind.addEventListener("change", showVirtual);
  showVirtual();
  const out = h("div", {class: "new-key-result"});
  const form = h("form", {class: "filters new-key", dataset: {testid: "new-key"}},
    h("label", {for: id + "-kind"}, "New key", kind),
    h("label", {for: id + "-label"}, "Label", label),
    virtualOnly,
    h("div", {class: "actions"}, h("button", {type: "submit", class: "primary"}, "Create key")));
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const body = {kind: kind.value, label: label.value.trim() || null};
    if (kind.value === "virtual") {
      body.provider = provider.value;
      body.providerKeyEnv = env.value.trim();
    }
    try {
      const created = await send("POST", "projects/" + encodeURIComponent(project) + "/keys", null, JSON.stringify(body));
      label.value = "";
      replace(out, secretBox(created.secret));
      await reload();
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return h("div", null, form, out);
}

/** The new key's secret: on screen until the page changes, never stored by the server or the dashboard. */
function secretBox(secret) {
  const code = h("code", {class: "secret", dataset: {testid: "secret"}}, t(secret));
  const copied = h("span", {class: "muted"});
  const copy = h("button", {type: "button", class: "copy", onclick: async () => {
    try {
      await navigator.clipboard.writeText(secret);
      replace(copied, " copied");
    } catch (e) {
      // no clipboard (an http page that is not localhost): select the text for Ctrl+C
      const range = document.createRange();
      range.selectNodeContents(code);
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      replace(copied, " selected: press Ctrl+C");
    }
  }}, "Copy");
  return h("div", {class: "secret-box", role: "status"},
    h("strong", null, "shown once: store it now"), h("div", {class: "secret-line"}, code, copy, copied));
}

function diskTable(d) {
  const tables = Array.isArray(d.tables) ? d.tables.slice().sort((a, b) => (b.bytes || 0) - (a.bytes || 0)) : [];
  return h("details", {class: "disk"},
    h("summary", null, "Disk: ", f.bytes(d.fileBytes), " database, ", f.bytes(d.walBytes), " write-ahead log"),
    table([
      {label: "Table", cell: x => text(x.name), sort: x => x.name},
      {label: "Rows", num: true, cell: x => f.num(x.rows), sort: x => x.rows},
      {label: "Bytes (estimated)", num: true, cell: x => f.bytes(x.bytes), sort: x => x.bytes},
    ], tables, {empty: "No tables."}));
}

function errorBox(e) {
  return h("div", {class: "error-box", role: "alert"}, t(e && e.message ? e.message : String(e)),
    e && Array.isArray(e.problems) && e.problems.length ? h("ul", null, e.problems.map(p => h("li", null, t(p)))) : null);
}
