// The flow editor (admins): edit a flow's JSON with the validator's errors at their place, a
// diagram of its nodes, the simulator beside it, publish and roll back with a diff.
// Uses the helpers of app.js (api, el, show, t, addPage), which is loaded first.
"use strict";

// ----- locating a JSON Pointer in the text ------------------------------------------------------

// Scans JSON text and returns a Map from every value's JSON Pointer ("/nodes/3/next") to its
// [start, end) in the text, so a problem's path can select its place. A syntax error throws
// {pos, message}: the browser's JSON.parse does not say where in a way every engine agrees on.
function scanJson(text) {
  const spans = new Map();
  let i = 0;
  const fail = (message) => { throw { pos: Math.min(i, text.length), message }; };
  const skip = () => { while (i < text.length && " \t\n\r".includes(text[i])) i++; };
  const escape = (key) => String(key).replace(/~/g, "~0").replace(/\//g, "~1");
  const literal = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
  function string() {
    const start = i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\n") fail(t("fe_newline_in_string"));
      i += text[i] === "\\" ? 2 : 1;
    }
    if (i >= text.length) fail(t("fe_unterminated"));
    i++;
    try { return JSON.parse(text.slice(start, i)); } catch { i = start; return fail(t("fe_bad_escape")); }
  }
  function members(path, open, close, one) {
    i++;
    skip();
    if (text[i] === close) { i++; return; }
    for (let n = 0; ; n++) {
      one(path, n);
      skip();
      if (text[i] === ",") { i++; continue; }
      if (text[i] === close) { i++; return; }
      fail(t("fe_expected", { what: "',' " + t("fe_or") + " '" + close + "'" }));
    }
  }
  function value(path) {
    skip();
    const start = i;
    const c = text[i];
    if (c === "{") {
      members(path, "{", "}", () => {
        skip();
        if (text[i] !== '"') fail(t("fe_expected", { what: t("fe_key") }));
        const key = string();
        skip();
        if (text[i] !== ":") fail(t("fe_expected", { what: "':'" }));
        i++;
        value(path + "/" + escape(key));
      });
    } else if (c === "[") {
      members(path, "[", "]", (p, n) => value(p + "/" + n));
    } else if (c === '"') {
      string();
    } else {
      literal.lastIndex = i;
      const m = literal.exec(text);
      if (!m) fail(i >= text.length ? t("fe_unexpected_end") : t("fe_unexpected"));
      i += m[0].length;
    }
    spans.set(path, [start, i]);
  }
  value("");
  skip();
  if (i < text.length) fail(t("fe_trailing"));
  return spans;
}

// The [start, end) of `pointer` in `text`, or of its nearest parent that exists (a missing
// member is reported at its path: its object is the place to add it).
function locate(text, pointer) {
  let spans;
  try { spans = scanJson(text); } catch (e) { return [e.pos, Math.min(e.pos + 1, text.length)]; }
  let p = pointer || "";
  while (!spans.has(p) && p) p = p.slice(0, p.lastIndexOf("/"));
  return spans.get(p) || [0, 0];
}

function lineOf(text, pos) {
  const before = text.slice(0, pos).split("\n");
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

// Selects [start, end) in the textarea and scrolls it into view.
function selectRange(area, [start, end]) {
  area.focus();
  area.setSelectionRange(start, end);
  const { line } = lineOf(area.value, start);
  const height = area.scrollHeight / Math.max(1, area.value.split("\n").length);
  area.scrollTop = Math.max(0, (line - 3) * height);
}

// ----- the diagram ------------------------------------------------------------------------------

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// Where each node may go next, with what the edge means (flow_forms.js finds the members).
const edgesOf = (node) => targetsOf(node).map((r) => ({ to: r.holder[r.key], label: r.label }));

// Layers by distance from the start node (breadth first), drawn top to bottom. `marks`: the node
// `selected`, the ids `flagged` with problems, and `onPick(id)` called when a node is clicked.
function diagram(doc, counts, marks = {}) {
  const nodes = Array.isArray(doc.nodes) ? doc.nodes.filter((n) => n && n.id) : [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const depth = new Map([[doc.start, 0]]);
  const queue = [doc.start];
  while (queue.length) {
    const id = queue.shift();
    for (const e of edgesOf(byId.get(id) || {}))
      if (byId.has(e.to) && !depth.has(e.to)) { depth.set(e.to, depth.get(id) + 1); queue.push(e.to); }
  }
  let deepest = Math.max(0, ...depth.values());
  for (const n of nodes) if (!depth.has(n.id)) depth.set(n.id, ++deepest);  // unreachable ones last
  const layers = [];
  for (const n of nodes) (layers[depth.get(n.id)] ||= []).push(n);
  const W = 170, H = 54, GX = 24, GY = 46;
  const widest = Math.max(1, ...layers.filter(Boolean).map((l) => l.length));
  const pos = new Map();
  layers.forEach((layer, row) => (layer || []).forEach((n, col) => {
    const offset = ((widest - layer.length) * (W + GX)) / 2;
    pos.set(n.id, { x: 10 + offset + col * (W + GX), y: 10 + row * (H + GY) });
  }));
  const width = 20 + widest * (W + GX), height = 20 + layers.length * (H + GY);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": t("fe_diagram") });
  root.append(svg("defs", {}, svg("marker", { id: "fe-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" }, svg("path", { d: "M0,0 L10,5 L0,10 z", class: "fe-arrowhead" }))));
  for (const n of nodes) {
    const a = pos.get(n.id);
    for (const e of edgesOf(n)) {
      const b = pos.get(e.to);
      if (!b) continue;
      // Down to a later layer, up to an earlier one, sideways within a layer.
      const down = b.y > a.y, side = b.y === a.y, right = b.x > a.x;
      const ends = side
        ? { x1: right ? a.x + W : a.x, y1: a.y + H / 2, x2: right ? b.x : b.x + W, y2: b.y + H / 2 }
        : { x1: a.x + W / 2, y1: down ? a.y + H : a.y, x2: b.x + W / 2, y2: down ? b.y : b.y + H };
      const line = svg("line", { ...ends,
        class: "fe-edge" + (e.label ? " fe-edge-alt" : ""), "marker-end": "url(#fe-arrow)" });
      line.append(svg("title", {}, `${n.id} → ${e.to}${e.label ? " (" + e.label + ")" : ""}`));
      root.append(line);
    }
  }
  for (const n of nodes) {
    const { x, y } = pos.get(n.id);
    const c = counts.get(n.id) || { reached: 0, left: 0 };
    const g = svg("g", { class: "fe-node fe-" + n.type + (n.id === marks.selected ? " fe-selected" : "")
      + (marks.flagged && marks.flagged.has(n.id) ? " fe-flagged" : ""), "data-node": n.id },
      svg("rect", { x, y, width: W, height: H, rx: 6 }),
      svg("text", { x: x + 8, y: y + 20, class: "fe-node-id" }, n.id),
      svg("text", { x: x + 8, y: y + 40, class: "fe-node-count" }, `${n.type} · ↓${c.reached} ↑${c.left}`),
      svg("title", {}, `${n.id} (${n.type}): ${t("fe_reached")} ${c.reached}, ${t("fe_left")} ${c.left}`));
    if (marks.onPick) g.addEventListener("click", () => marks.onPick(n.id));
    root.append(g);
  }
  return root;
}

function countTable(nodes) {
  return el("table", { class: "fe-counts" },
    el("caption", {}, t("fe_counts_caption")),
    el("thead", {}, el("tr", {}, el("th", {}, t("fe_node")), el("th", {}, t("fe_type")),
      el("th", {}, t("fe_reached")), el("th", {}, t("fe_left")))),
    el("tbody", {}, nodes.map((n) => el("tr", { "data-node": n.id }, el("td", {}, n.id), el("td", {}, n.type),
      el("td", {}, String(n.reached)), el("td", {}, String(n.left))))));
}

// ----- the simulator ----------------------------------------------------------------------------

function simulator(getDoc) {
  const log = el("div", { class: "fe-chat", role: "log", "aria-live": "polite", "aria-label": t("fe_sim_log") });
  const input = el("input", { autocomplete: "off" });
  const sent = [];
  const bubble = (who, text) => el("p", { class: "fe-msg fe-" + who }, text);
  async function run() {
    const doc = getDoc();
    if (!doc) return;
    try {
      const r = await api("POST", "/flows/simulate", { flow: doc, messages: sent, lang });
      const lines = [];
      // As on every channel, the conversation starts with the citizen's first message.
      if (!sent.length) lines.push(el("p", { class: "muted" }, t("fe_sim_first")));
      r.steps.forEach((step, k) => {
        if (k > 0 && sent[k - 1] !== undefined) lines.push(bubble("citizen", sent[k - 1]));
        // What the gateway read from the citizen's words: intent, topic, commune, urgency.
        for (const read of step.inferred || []) lines.push(el("p", { class: "muted fe-read" }, readLine(read)));
        for (const m of step.messages) {
          lines.push(bubble("bot", m.text));
          if (m.choices.length) lines.push(el("p", { class: "fe-choices" }, m.choices.map((c, n) => `[${n + 1}] ${c.label}`).join("  ")));
        }
        if (step.done) lines.push(el("p", { class: "muted" }, t("fe_sim_done")));
      });
      log.replaceChildren(...lines);
      log.scrollTop = log.scrollHeight;
    } catch (e) {
      log.replaceChildren(el("p", { class: "error", role: "alert" }, (e.message || "") + " " + t("fe_sim_invalid")));
    }
  }
  const form = el("form", { class: "row", onsubmit: async (ev) => {
    ev.preventDefault();
    if (!input.value.trim()) return;
    sent.push(input.value);
    input.value = "";
    await run();
    input.focus();
  } }, field(t("fe_sim_message"), input), el("button", { type: "submit" }, t("fe_sim_send")));
  const restart = el("button", { type: "button", onclick: async () => { sent.length = 0; await run(); } }, t("fe_sim_start"));
  return el("section", { class: "card fe-sim", "aria-label": t("fe_simulator") },
    el("h2", {}, t("fe_simulator")), el("p", {}, restart), log, form);
}

// "Đọc được: phản ánh · lĩnh vực roads 0,67 (đường) · Xã Bát Xát 1,00 · khẩn: sạt lở".
function readLine(r) {
  const n = (v) => v.toFixed(2);
  const parts = [t("fe_read_intent_" + r.intent)];
  for (const topic of r.topics) parts.push(`${t("fe_read_topic")} ${topic.id} ${n(topic.confidence)} (${topic.words.join(", ")})`);
  if (r.topics.length && !r.topic_sure) parts.push(t("fe_read_unsure"));
  for (const c of r.locality.candidates.slice(0, 3)) parts.push(`${c.name} ${n(c.confidence)}`);
  if (r.urgent.length) parts.push(`${t("fe_read_urgent")}: ${r.urgent.join(", ")}`);
  if (r.reference) parts.push(r.reference);
  return `${t("fe_read")}: ${parts.join(" · ")}`;
}

// ----- the diff ---------------------------------------------------------------------------------

function diffView(r) {
  if (!r.groups.length) return el("p", { class: "muted" }, t("fe_no_difference"));
  const show = (v) => (v === undefined ? "" : JSON.stringify(v));
  return el("div", {}, r.groups.map((g) => el("section", { class: "fe-diff-group", "data-group": g.kind + ":" + g.id },
    el("h3", {}, t("fe_kind_" + g.kind), " ", el("code", {}, g.id),
      g.nodes && g.nodes.length ? [" (", t("fe_used_by"), " ", g.nodes.join(", "), ")"] : null),
    el("ul", { class: "plain" }, g.ops.map((op) => el("li", {},
      el("span", { class: "badge fe-op-" + op.op }, t("fe_op_" + op.op)), " ", el("code", {}, op.path), " ",
      op.was !== undefined ? el("del", {}, show(op.was)) : null, op.was !== undefined && op.value !== undefined ? " → " : "",
      op.value !== undefined ? el("ins", {}, show(op.value)) : null))))));
}

// ----- the pages --------------------------------------------------------------------------------

async function flowList() {
  const r = await api("GET", "/flows");
  // A new flow starts as a copy of a live one under its own id; it exists from its first saved draft.
  const newId = el("input", { name: "id", required: true, pattern: "[a-z0-9_\\-]{1,64}", autocomplete: "off" });
  const from = el("select", { name: "from" }, r.items.filter((f) => f.latest).map((f) => option(f.id, f.id)));
  const error = el("p", { class: "error", role: "alert" });
  const create = el("form", { class: "card", "aria-label": t("fe_new"), onsubmit: (ev) => {
    ev.preventDefault();
    if (r.items.some((f) => f.id === newId.value)) return void (error.textContent = t("fe_exists"));
    location.hash = `#/flows/${encodeURIComponent(newId.value)}?from=${encodeURIComponent(from.value)}`;
  } }, el("h2", {}, t("fe_new")), el("p", { class: "muted" }, t("fe_new_help")),
  field(t("fe_new_id"), newId), field(t("fe_copy_of"), from), error,
  el("button", { class: "primary", type: "submit" }, t("fe_create")));
  show(el("h1", {}, t("nav_flows")),
    el("div", { class: "card" }, el("table", {},
      el("thead", {}, el("tr", {}, el("th", {}, t("fe_flow")), el("th", {}, t("fe_live")), el("th", {}, t("fe_versions")))),
      el("tbody", {}, r.items.map((f) => el("tr", { "data-flow": f.id },
        el("td", {}, el("a", { href: "#/flows/" + encodeURIComponent(f.id) }, f.id),
          f.draft ? [" ", badge(t("fe_draft"))] : null),
        el("td", {}, f.latest ? String(f.latest) : "—"), el("td", {}, f.versions.join(", "))))))),
    create);
}

async function flowEditor(id, params) {
  const enc = encodeURIComponent(id);
  let info;
  try {
    info = await api("GET", `/flows/${enc}`);
  } catch (e) {
    // A flow not saved yet, opened from "New flow": it begins as the live version of another.
    if (e.status !== 404 || !params.get("from")) throw e;
    info = { id, live: null, versions: [], draft: null, copyOf: params.get("from") };
  }
  const live = info.live;
  let text = info.draft ? info.draft.text : "";
  if (!info.draft && live) text = JSON.stringify((await api("GET", `/flows/${enc}/versions/${live}`)).document, null, 2);
  if (info.copyOf) {
    const src = encodeURIComponent(info.copyOf);
    const srcLive = (await api("GET", `/flows/${src}`)).live;
    const doc = (await api("GET", `/flows/${src}/versions/${srcLive}`)).document;
    doc.id = id;
    text = JSON.stringify(doc, null, 2);
  }
  const counts = live ? await api("GET", `/flows/${enc}/counts?version=${live}`) : { nodes: [] };

  const area = el("textarea", { class: "fe-text", spellcheck: "false", rows: "24" });
  area.value = text;
  // The text last saved (the draft, or the live version shown): leaving with another asks first.
  // A new flow's copy is unsaved until its first draft.
  let savedText = info.copyOf ? null : text;
  const dirty = () => area.value !== savedText;
  const unsavedNote = el("p", { class: "fe-unsaved", role: "status" });
  const markDirty = () => { unsavedNote.textContent = dirty() ? t("ff_unsaved") : ""; };
  const problems = el("ul", { class: "plain fe-problems", "aria-label": t("fe_problems") });
  const status = el("p", { role: "status", class: "fe-status" },
    info.draft ? t("fe_draft_of", { who: info.draft.author, when: day(info.draft.updated_at) })
      : info.copyOf ? t("fe_new_copy", { from: info.copyOf }) : t("fe_showing_live", { v: live }));

  // The text as a document, or null (without listing anything) while it is not JSON.
  const quietDoc = () => { try { scanJson(area.value); return JSON.parse(area.value); } catch { return null; } };

  // Problems as buttons: activating one shows its place: its node's field in the forms, or its
  // place in the text.
  function listProblems(list, doc = quietDoc()) {
    if (doc) forms.problems(list, doc);
    redraw();
    if (!list.length) {
      problems.replaceChildren(el("li", { class: "fe-ok" }, t("fe_valid")));
      return;
    }
    problems.replaceChildren(...list.map((p) => {
      const range = p.pos !== undefined ? [p.pos, Math.min(p.pos + 1, area.value.length)] : locate(area.value, p.path);
      const { line, column } = lineOf(area.value, range[0]);
      const place = doc && p.pos === undefined ? problemPlaces(doc, p.path)[0] : undefined;
      return el("li", {}, el("button", { type: "button", class: "link fe-problem", "data-path": p.path || "",
        "data-node": place ? place.node : undefined, onclick: () => {
          if (view === "forms" && place) return forms.select(place.node, place.rel);
          showView("json");
          selectRange(area, range);
        } },
      place ? t("ff_node_title", { id: place.node }) + " · " : "",
      `${p.path || "/"}: ${p.message} (${t("fe_line")} ${line}, ${t("fe_column")} ${column})`));
    }));
  }
  // The text as a document, or nothing after listing its syntax error.
  function parsed() {
    try {
      scanJson(area.value);
      return JSON.parse(area.value);
    } catch (e) {
      if (e.pos === undefined) throw e;
      listProblems([{ path: "", message: t("fe_syntax") + ": " + e.message, pos: e.pos }]);
      return null;
    }
  }
  // Validations overtaken by a newer one (the forms validate as the admin types) are dropped.
  let checks = 0;
  async function validate() {
    const doc = parsed();
    if (!doc) return false;
    const asked = ++checks;
    const r = await api("POST", "/flows/validate", doc);
    if (asked === checks) listProblems(r.problems, doc);
    return r.valid;
  }
  async function saveDraft() {
    const sent = area.value;
    const r = await api("PUT", `/flows/${enc}/draft`, { text: sent });
    savedText = sent;
    markDirty();
    // Saved, the new flow exists: its address no longer needs the flow it was copied from.
    if (info.copyOf) history.replaceState(null, "", `#/flows/${enc}`);
    const doc = (() => { try { scanJson(area.value); return true; } catch (e) { return e; } })();
    if (doc !== true) listProblems([{ path: "", message: t("fe_syntax") + ": " + doc.message, pos: doc.pos }]);
    else listProblems(r.problems);
    return r;
  }
  const act = (fn) => async () => {
    try { await fn(); } catch (e) { failure(e); }
  };

  const buttons = el("p", { class: "row fe-actions" },
    el("button", { type: "button", onclick: act(validate) }, t("fe_validate")),
    el("button", { type: "button", onclick: act(async () => { await saveDraft(); flash(t("fe_saved_draft")); }) }, t("fe_save_draft")),
    el("button", { type: "button", class: "primary", onclick: act(async () => {
      const saved = await saveDraft();
      if (!saved.valid) return flash(t("fe_not_published"));
      try {
        const r = await api("POST", `/flows/${enc}/publish`);
        await route();
        flash(t("fe_published", { v: r.version }));
      } catch (e) {
        if (e.status !== 422) throw e;
        flash(t("fe_not_published"));
      }
    }) }, t("fe_publish")));

  // The forms and the text are two views of one document: the forms write the text at each
  // change, and the text is read again when the forms are shown.
  let formDoc = null, checkTimer = null;
  const forms = flowForms(() => {
    area.value = JSON.stringify(formDoc, null, 2);
    markDirty();
    clearTimeout(checkTimer);
    checkTimer = setTimeout(() => validate().catch(() => {}), 400);
  }, () => redraw());

  const countsByNode = new Map(counts.nodes.map((n) => [n.id, n]));
  const diagramBox = el("div", { class: "fe-diagram" });
  // A node clicked in the diagram: its form, or its place in the text.
  const pick = (id) => {
    if (view === "forms") return forms.select(id);
    const doc = quietDoc();
    if (doc) selectRange(area, locate(area.value, "/nodes/" + doc.nodes.findIndex((n) => n.id === id)));
  };
  let centred = null;
  function redraw() {
    const doc = quietDoc();
    if (!doc) return;  // keep the last one
    const selected = view === "forms" ? forms.selected() : null;
    diagramBox.replaceChildren(diagram(doc, countsByNode, { selected, flagged: forms.flaggedNodes(), onPick: pick }));
    // A node just picked is brought into sight, by scrolling the diagram only (never the page);
    // otherwise the diagram stays where the admin scrolled it.
    const box = selected !== centred && diagramBox.querySelector("g.fe-selected rect");
    centred = selected;
    if (box) diagramBox.scrollTo({ left: Number(box.getAttribute("x")) - diagramBox.clientWidth / 2 + 85,
      top: Number(box.getAttribute("y")) - diagramBox.clientHeight / 2 + 27 });
  }
  area.addEventListener("change", redraw);
  area.addEventListener("input", markDirty);

  const tabs = { forms: null, json: null };
  const panels = {
    forms: el("div", { role: "tabpanel", id: "fe-panel-forms", "aria-labelledby": "fe-tab-forms" }, forms.element),
    json: el("div", { role: "tabpanel", id: "fe-panel-json", "aria-labelledby": "fe-tab-json" }, field(t("fe_json"), area)),
  };
  const viewNote = el("p", { class: "error", role: "alert" });
  let view = null;
  function showView(next) {
    viewNote.textContent = "";
    if (next === "forms" && view !== "forms") {
      const doc = parsed();  // a syntax error is listed, and the text stays in view to fix it
      if (doc) forms.load((formDoc = doc));
      else { viewNote.textContent = t("ff_json_first"); next = "json"; }
    }
    view = flowView = next;
    for (const [name, tab] of Object.entries(tabs)) {
      tab.setAttribute("aria-selected", String(name === view));
      tab.tabIndex = name === view ? 0 : -1;
      panels[name].hidden = name !== view;
    }
    redraw();
  }
  const tabList = el("div", { role: "tablist", class: "fe-tabs", "aria-label": t("ff_views") },
    ["forms", "json"].map((name) => (tabs[name] = el("button", { type: "button", role: "tab", id: "fe-tab-" + name,
      "aria-controls": "fe-panel-" + name, onclick: () => showView(name), onkeydown: (ev) => {
        // Arrow keys move between the tabs, as in every tab list.
        if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
        const other = name === "forms" ? "json" : "forms";
        showView(other);
        tabs[view].focus();
      } }, t(name === "forms" ? "ff_forms" : "ff_json_tab")))));

  // Versions, roll back, diff.
  const versions = info.versions.slice().sort((a, b) => b.version - a.version);
  const choices = [...(info.draft ? [["draft", t("fe_draft")]] : []), ...versions.map((v) => [String(v.version), `${t("fe_version")} ${v.version}`])];
  const from = el("select", {}, choices.map(([v, label], k) => option(v, label, k === 1)));
  const to = el("select", {}, choices.map(([v, label], k) => option(v, label, k === 0)));
  const diffOut = el("div", { class: "fe-diff", "aria-live": "polite" });
  const versionTable = el("table", {},
    el("thead", {}, el("tr", {}, el("th", {}, t("fe_version")), el("th", {}, t("fe_source")), el("th", {}, t("fe_author")), el("th", {}, ""))),
    el("tbody", {}, versions.map((v) => el("tr", { "data-version": v.version },
      el("td", {}, String(v.version), " ", v.version === live ? badge(t("fe_live"), "answered") : null),
      el("td", {}, v.source === "file" ? t("fe_from_file") : t("fe_from_editor")),
      el("td", {}, v.author || "", v.published_at ? " · " + day(v.published_at) : ""),
      el("td", {}, v.version === live ? "" : el("button", { type: "button", onclick: act(async () => {
        if (!mayLeave()) return;  // the page is drawn again from what is saved
        const r = await api("POST", `/flows/${enc}/rollback`, { to: v.version });
        await route();
        flash(t("fe_rolled_back", { from: v.version, v: r.version }));
      }) }, t("fe_rollback_to", { v: v.version })))))));

  show(
    el("h1", {}, t("fe_title"), " ", el("code", {}, id)),
    el("p", {}, t("fe_live"), ": ", live ? `${t("fe_version")} ${live}` : t("none"), " · ", el("a", { href: "#/flows" }, t("fe_all_flows"))),
    el("div", { class: "fe-layout" },
      el("section", { class: "card fe-edit", "aria-label": t("fe_editor") },
        status, unsavedNote, tabList, viewNote, panels.forms, panels.json, buttons,
        el("h2", {}, t("fe_problems")), problems),
      el("div", { class: "fe-aside" },
        el("section", { class: "card", "aria-label": t("fe_diagram") }, el("h2", {}, t("fe_diagram")),
          el("p", { class: "muted" }, t("fe_diagram_help", { v: live || "-" })), diagramBox),
        simulator(() => parsed()))),
    el("section", { class: "card", "aria-label": t("fe_counts_caption") }, countTable(counts.nodes)),
    el("section", { class: "card", "aria-label": t("fe_versions") }, el("h2", {}, t("fe_versions")),
      el("p", { class: "muted" }, t("fe_rollback_help")), versionTable,
      el("form", { class: "row", onsubmit: (ev) => { ev.preventDefault(); act(async () => {
        diffOut.replaceChildren(diffView(await api("GET", `/flows/${enc}/diff?from=${from.value}&to=${to.value}`)));
      })(); } }, field(t("fe_diff_from"), from), field(t("fe_diff_to"), to), el("button", { type: "submit" }, t("fe_compare"))),
      diffOut));
  setUnsaved(dirty);
  markDirty();
  showView(flowView);
  // A draft comes with its problems; the live version is checked at once, so that the forms show
  // where a first edit starts from.
  if (info.draft) listProblems(info.draft.problems);
  else validate().catch(() => {});
}

// The view the admin last chose (forms or JSON), kept while the app is open.
let flowView = "forms";

addPage("flows", {
  nav: "nav_flows",
  adminOnly: true,
  render: (parts, params) => (parts[0] ? flowEditor(parts[0], params) : flowList()),
  words: {
    vi: {
      nav_flows: "Kịch bản", fe_title: "Sửa kịch bản", fe_flow: "Kịch bản", fe_live: "Đang dùng",
      fe_versions: "Các phiên bản", fe_version: "Phiên bản", fe_all_flows: "Tất cả kịch bản",
      fe_editor: "Soạn thảo", fe_json: "Nội dung kịch bản (JSON)", fe_validate: "Kiểm tra",
      fe_save_draft: "Lưu bản nháp", fe_publish: "Xuất bản", fe_problems: "Lỗi cần sửa",
      fe_valid: "Không có lỗi.", fe_line: "dòng", fe_column: "cột", fe_syntax: "Sai cú pháp JSON",
      fe_saved_draft: "Đã lưu bản nháp.", fe_published: "Đã xuất bản phiên bản {v}. Cuộc trò chuyện mới sẽ dùng phiên bản này.",
      fe_not_published: "Chưa xuất bản: hãy sửa các lỗi bên dưới.", fe_draft: "Bản nháp",
      fe_draft_of: "Bản nháp của {who}, lưu ngày {when}.", fe_showing_live: "Đang hiển thị phiên bản {v} (đang dùng).",
      fe_diagram: "Sơ đồ kịch bản", fe_diagram_help: "Mỗi ô là một bước; ↓ số lượt đến, ↑ số lượt đi tiếp (phiên bản {v}).",
      fe_counts_caption: "Số lượt theo từng bước", fe_node: "Bước", fe_type: "Loại", fe_reached: "Lượt đến", fe_left: "Lượt đi tiếp",
      fe_simulator: "Thử trò chuyện", fe_sim_log: "Cuộc trò chuyện thử", fe_sim_message: "Tin nhắn của người dân",
      fe_sim_send: "Gửi", fe_sim_start: "Bắt đầu lại", fe_sim_done: "— Kết thúc cuộc trò chuyện —",
      fe_sim_first: "Gõ tin nhắn đầu tiên như người dân sẽ gõ: cuộc trò chuyện bắt đầu từ tin nhắn ấy.",
      fe_read: "Đọc được", fe_read_topic: "lĩnh vực", fe_read_unsure: "chưa chắc, sẽ hỏi lại", fe_read_urgent: "khẩn",
      fe_read_intent_concern: "phản ánh", fe_read_intent_status: "tra cứu", fe_read_intent_about: "hỏi về đối thoại",
      fe_read_intent_greeting: "lời chào", fe_read_intent_none: "chưa rõ ý",
      fe_sim_invalid: "(Sửa lỗi kịch bản để chạy thử.)", fe_source: "Nguồn", fe_author: "Người xuất bản",
      fe_from_file: "tệp flows/", fe_from_editor: "trình soạn thảo", fe_rollback_to: "Quay lại phiên bản {v}",
      fe_rolled_back: "Đã dùng lại phiên bản {from} thành phiên bản mới {v}.",
      fe_rollback_help: "Quay lại = xuất bản lại nội dung của phiên bản cũ thành một phiên bản mới. Cuộc trò chuyện đang diễn ra vẫn dùng phiên bản đã bắt đầu.",
      fe_diff_from: "So sánh từ", fe_diff_to: "đến", fe_compare: "So sánh", fe_no_difference: "Không có khác biệt.",
      fe_kind_node: "Bước", fe_kind_string: "Câu chữ", fe_kind_flow: "Phần", fe_used_by: "dùng ở bước",
      fe_op_add: "thêm", fe_op_remove: "xoá", fe_op_replace: "sửa", fe_op_move: "chuyển", fe_op_copy: "chép",
      fe_newline_in_string: "xuống dòng trong chuỗi", fe_unterminated: "chuỗi chưa đóng", fe_bad_escape: "ký tự thoát sai",
      fe_expected: "cần {what}", fe_or: "hoặc", fe_key: "tên khoá trong ngoặc kép", fe_unexpected_end: "hết văn bản quá sớm",
      fe_unexpected: "ký tự không hợp lệ", fe_trailing: "thừa nội dung sau phần kết thúc",
      fe_new: "Kịch bản mới", fe_new_help: "Kịch bản mới bắt đầu là bản sao của một kịch bản đang dùng; nó có từ lần lưu bản nháp đầu tiên và thành phiên bản 1 khi xuất bản.",
      fe_new_id: "Mã kịch bản (chữ thường, số, _ và -)", fe_copy_of: "Sao chép từ", fe_create: "Tạo",
      fe_exists: "Đã có kịch bản với mã này.", fe_new_copy: "Kịch bản mới, sao chép từ {from}: chưa lưu.",
    },
    en: {
      nav_flows: "Flows", fe_title: "Edit flow", fe_flow: "Flow", fe_live: "Live",
      fe_versions: "Versions", fe_version: "Version", fe_all_flows: "All flows",
      fe_editor: "Editor", fe_json: "Flow document (JSON)", fe_validate: "Validate",
      fe_save_draft: "Save draft", fe_publish: "Publish", fe_problems: "Problems",
      fe_valid: "No problems.", fe_line: "line", fe_column: "column", fe_syntax: "JSON syntax error",
      fe_saved_draft: "Draft saved.", fe_published: "Version {v} published. New conversations start on it.",
      fe_not_published: "Not published: fix the problems below.", fe_draft: "Draft",
      fe_draft_of: "Draft by {who}, saved {when}.", fe_showing_live: "Showing version {v} (live).",
      fe_diagram: "Flow diagram", fe_diagram_help: "Each box is a node; ↓ times reached, ↑ times left (version {v}).",
      fe_counts_caption: "Counts per node", fe_node: "Node", fe_type: "Type", fe_reached: "Reached", fe_left: "Left",
      fe_simulator: "Simulator", fe_sim_log: "Simulated conversation", fe_sim_message: "Citizen's message",
      fe_sim_send: "Send", fe_sim_start: "Start again", fe_sim_done: "— conversation over —",
      fe_sim_first: "Type a first message as a citizen would: the conversation starts with it.",
      fe_read: "Read", fe_read_topic: "topic", fe_read_unsure: "unsure, will ask", fe_read_urgent: "urgent",
      fe_read_intent_concern: "a concern", fe_read_intent_status: "a status question", fe_read_intent_about: "about the sessions",
      fe_read_intent_greeting: "a greeting", fe_read_intent_none: "unclear",
      fe_sim_invalid: "(Fix the flow to run it.)", fe_source: "Source", fe_author: "Published by",
      fe_from_file: "flows/ file", fe_from_editor: "editor", fe_rollback_to: "Roll back to version {v}",
      fe_rolled_back: "Version {from} is live again as new version {v}.",
      fe_rollback_help: "Rolling back publishes an old version's document again as a new version. Conversations under way stay on the version they started on.",
      fe_diff_from: "Compare from", fe_diff_to: "to", fe_compare: "Compare", fe_no_difference: "No difference.",
      fe_kind_node: "Node", fe_kind_string: "Text", fe_kind_flow: "Section", fe_used_by: "shown by",
      fe_op_add: "added", fe_op_remove: "removed", fe_op_replace: "changed", fe_op_move: "moved", fe_op_copy: "copied",
      fe_newline_in_string: "line break inside a string", fe_unterminated: "unterminated string", fe_bad_escape: "bad escape",
      fe_expected: "expected {what}", fe_or: "or", fe_key: "a key in double quotes", fe_unexpected_end: "unexpected end of text",
      fe_unexpected: "unexpected character", fe_trailing: "unexpected text after the end",
      fe_new: "New flow", fe_new_help: "A new flow starts as a copy of a live one; it exists from its first saved draft and becomes version 1 when published.",
      fe_new_id: "Flow id (lowercase letters, digits, _ and -)", fe_copy_of: "Copy of", fe_create: "Create",
      fe_exists: "A flow with this id exists.", fe_new_copy: "New flow, a copy of {from}: not saved yet.",
    },
  },
});
