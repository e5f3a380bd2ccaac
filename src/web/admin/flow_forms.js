// The flow editor's form view (used by flows.js, loaded after this file): a flow document edited
// node by node, for admins who do not write JSON. Each node is a form (its texts in every
// language of the flow, its choices and where each goes, its next steps); the forms write the
// document, and flows.js writes the document as the JSON text, so both views edit one thing.
// Uses the helpers of app.js (api, el, t, field, option, addWords), loaded first.
"use strict";

const NODE_TYPES = ["say", "ask", "branch", "set", "review", "submit", "handoff", "end"];
const ANSWER_TYPES = ["choice", "text", "number", "yes_no", "phone", "locality", "location", "media", "any"];
const SUBMIT_ACTIONS = ["file_concern", "check_status", "erase_my_data"];

// The members of each node type the forms edit (flows/schema.json); any other member is kept
// as it is and named under the form, to be edited in the JSON view.
const FORM_KEYS = {
  say: ["text", "next"],
  ask: ["answer", "text", "hint", "choices", "next", "fallback", "max_attempts", "min_length", "max_length", "min", "max", "max_count"],
  branch: ["cases", "next"],
  set: ["answer", "value", "next"],
  review: ["text", "show", "notice", "urgent_text", "edit_text", "actions", "next"],
  submit: ["action", "next", "failed"],
  handoff: ["reason", "text", "next"],
  end: ["text", "start_flow"],
};
// Members whose value is a string key (a text in every language), with the place they hold.
const TEXT_KEYS = ["text", "hint", "notice", "urgent_text", "edit_text"];

// Every member of `node` that names a node: [{holder, key, rel, label}], `rel` its JSON Pointer
// below the node. Renaming or removing a node reaches every one of them.
function targetsOf(node) {
  const out = [];
  const add = (holder, key, rel, label) => { if (holder && typeof holder === "object") out.push({ holder, key, rel, label }); };
  add(node, "next", "/next", "");
  add(node, "fallback", "/fallback", "fallback");
  add(node, "failed", "/failed", "failed");
  add(node.timeout, "next", "/timeout/next", "timeout");
  (Array.isArray(node.cases) ? node.cases : []).forEach((c, i) => add(c, "next", `/cases/${i}/next`, (c && c.var) || ""));
  (Array.isArray(node.actions) ? node.actions : []).forEach((a, i) => add(a, "next", `/actions/${i}/next`, (a && a.id) || ""));
  return out.filter((r) => typeof r.holder[r.key] === "string" && r.holder[r.key]);
}

// Where each string key is shown: [{node, rel}] per key (node texts, choice and button labels,
// reminder and session texts).
function stringUses(doc) {
  const uses = new Map();
  const add = (key, node, rel) => { if (typeof key === "string") (uses.get(key) || uses.set(key, []).get(key)).push({ node: node.id, rel }); };
  for (const n of Array.isArray(doc.nodes) ? doc.nodes : []) {
    if (!n || typeof n !== "object") continue;
    for (const k of TEXT_KEYS) add(n[k], n, "/" + k);
    (Array.isArray(n.choices) ? n.choices : []).forEach((c, i) => add(c && c.label, n, `/choices/${i}/label`));
    (Array.isArray(n.actions) ? n.actions : []).forEach((a, i) => add(a && a.label, n, `/actions/${i}/label`));
    if (n.reminder) add(n.reminder.text, n, "/reminder/text");
    if (n.session) { add(n.session.text, n, "/session/text"); add(n.session.none_text, n, "/session/none_text"); }
  }
  return uses;
}

// Where a validator problem is, as nodes: [{node: id, rel}] ("/nodes/3/next" is node 3's /next;
// a missing translation is on every node showing that text; an answer's on the nodes asking it).
function problemPlaces(doc, path) {
  const nodes = Array.isArray(doc.nodes) ? doc.nodes : [];
  const unescape = (s) => s.replace(/~1/g, "/").replace(/~0/g, "~");
  let m = /^\/nodes\/(\d+)(\/.*)?$/.exec(path || "");
  if (m) return nodes[m[1]] && nodes[m[1]].id ? [{ node: nodes[m[1]].id, rel: m[2] || "" }] : [];
  m = /^\/strings\/[^/]+\/([^/]+)$/.exec(path || "");
  if (m) return stringUses(doc).get(unescape(m[1])) || [];
  m = /^\/answers\/([^/]+)/.exec(path || "");
  if (m) return nodes.filter((n) => n && n.answer === unescape(m[1])).map((n) => ({ node: n.id, rel: "/answer" }));
  return [];
}

// The branch right after an ask that routes on its answer, if there is one: where each choice
// goes is that branch's case for it, or the branch's default.
function routerOf(doc, ask) {
  const b = doc.nodes.find((n) => n && n.id === ask.next);
  if (!b || b.type !== "branch" || !Array.isArray(b.cases) || !ask.answer) return null;
  return b.cases.every((c) => c.var === "answers." + ask.answer && "equals" in c) ? b : null;
}

function choiceTarget(doc, ask, choice) {
  const b = routerOf(doc, ask);
  if (!b) return ask.next;
  const c = b.cases.find((x) => x.equals === choice.id);
  return c ? c.next : b.next;
}

// Sends `choice` to node `to`: through the ask's branch, made (right after the ask) when a choice
// first goes somewhere of its own.
function setChoiceTarget(doc, ask, choice, to) {
  let b = routerOf(doc, ask);
  if (!b) {
    if (to === ask.next) return;
    b = { id: freshId(doc, ask.id + "_route"), type: "branch", cases: [], next: ask.next };
    doc.nodes.splice(doc.nodes.indexOf(ask) + 1, 0, b);
    ask.next = b.id;
  }
  b.cases = b.cases.filter((c) => c.equals !== choice.id);
  if (to !== b.next) b.cases.push({ var: "answers." + ask.answer, equals: choice.id, next: to });
}

function freshId(doc, base) {
  const taken = new Set((doc.nodes || []).map((n) => n.id));
  if (!taken.has(base)) return base;
  for (let k = 2; ; k++) if (!taken.has(`${base}_${k}`)) return `${base}_${k}`;
}

// A string key not used yet, with an empty text in every language (the admin writes them).
function freshKey(doc, base) {
  doc.strings ||= {};
  const taken = (k) => Object.values(doc.strings).some((s) => s && k in s);
  let key = base;
  for (let k = 2; taken(key); k++) key = `${base}_${k}`;
  for (const l of doc.languages || []) (doc.strings[l] ||= {})[key] = "";
  return key;
}

// A new node of `type` that validates once linked: its texts empty, its next steps the flow's
// first plain end (one that starts no other flow; else any end, else the start), a question
// with an answer of its own.
function nodeTemplate(doc, type, id) {
  const nodes = doc.nodes || [];
  const end = (nodes.find((n) => n.type === "end" && !n.start_flow) || nodes.find((n) => n.type === "end") || {}).id || doc.start;
  const person = (nodes.find((n) => n.type === "handoff") || {}).id || end;
  switch (type) {
    case "say": return { id, type, text: freshKey(doc, id), next: end };
    case "ask": {
      doc.answers ||= {};
      let answer = id;
      for (let k = 2; answer in doc.answers; k++) answer = `${id}_${k}`;
      doc.answers[answer] = { type: "text", required: true, label: freshKey(doc, "lbl_" + answer) };
      return { id, type, answer, text: freshKey(doc, id), hint: freshKey(doc, id + "_hint"), fallback: person, next: end };
    }
    case "branch": return { id, type, cases: [], next: end };
    case "set": return { id, type, answer: Object.keys(doc.answers || {})[0] || "", value: true, next: end };
    case "review": return { id, type, text: freshKey(doc, id), show: [], next: end };
    case "submit": return { id, type, action: "file_concern", next: end, failed: person };
    case "handoff": return { id, type, reason: "other", text: freshKey(doc, id) };
    default: return { id, type: "end", text: freshKey(doc, id) };
  }
}

// The form view. `onEdit()` is called after every change the forms make to the document,
// `onSelect(id)` when a node is picked. Returns {element, load(doc), select(id, rel), selected(),
// problems(list, doc), flaggedNodes()}.
function flowForms(onEdit, onSelect) {
  let doc = null;
  let selected = null;
  let flagged = [];  // [{node, rel, message}] from the last validation
  const nodeList = el("ul", { class: "fe-nodes", "aria-label": t("ff_nodes") });
  const form = el("div", { class: "fe-node-form", "aria-live": "polite" });
  const flowPart = el("div", { class: "fe-flow-part" });
  const addType = el("select", {}, NODE_TYPES.map((type) => option(type, t("ff_type_" + type))));
  const adder = el("form", { class: "row fe-add", onsubmit: (ev) => {
    ev.preventDefault();
    const id = freshId(doc, addType.value + "_1");
    edit(() => doc.nodes.push(nodeTemplate(doc, addType.value, id)));
    select(id);
  } }, field(t("ff_new_type"), addType), el("button", { type: "submit" }, t("ff_add_node")));

  const langName = (l) => (doc.vocab && doc.vocab[l] && doc.vocab[l].language_name) || l;
  const nodeIds = () => doc.nodes.map((n) => n.id);
  const byId = (id) => doc.nodes.find((n) => n.id === id);

  function edit(fn, rerender) {
    fn();
    onEdit();
    renderList();
    if (rerender) renderForm();
  }

  // ----- fields ----------------------------------------------------------------------------

  // A field with `rel` (its JSON Pointer below the node): a problem there is shown on it.
  const at = (rel, ...parts) => el("div", { class: "fe-field", "data-rel": rel }, parts);
  const help = (text) => el("p", { class: "muted fe-help" }, text);

  function numberField(label, holder, key, rel, step) {
    const input = el("input", { type: "number", step: step || "1", value: holder[key] ?? "", inputmode: "numeric" });
    input.addEventListener("input", () => edit(() => {
      if (input.value.trim() === "" || Number.isNaN(Number(input.value))) delete holder[key];
      else holder[key] = Number(input.value);
    }));
    return at(rel, field(label, input));
  }

  function wordField(label, holder, key, rel, placeholder) {
    const input = el("input", { value: holder[key] ?? "", autocomplete: "off", placeholder });
    input.addEventListener("input", () => edit(() => {
      if (input.value === "") delete holder[key];
      else holder[key] = input.value;
    }));
    return at(rel, field(label, input));
  }

  // A node id: a select of the flow's nodes (a dangling one is kept and shown as missing).
  function nodeField(label, holder, key, rel, optional, onChange) {
    const current = holder[key] || "";
    const known = nodeIds().includes(current);
    const select = el("select", {},
      optional || !current ? option("", optional ? t("ff_nowhere") : t("ff_pick")) : null,
      current && !known ? option(current, t("ff_missing_node", { id: current }), true) : null,
      nodeIds().map((id) => option(id, id, id === current)));
    select.addEventListener("change", () => edit(() => {
      if (onChange) onChange(select.value);
      else if (select.value) holder[key] = select.value;
      else delete holder[key];
    }, true));
    return at(rel, field(label, select));
  }

  // A text in every language of the flow: the string key `holder[key]`, made when first written.
  function textField(label, holder, key, rel, keyBase) {
    const box = at(rel);
    box.classList.add("fe-texts");
    const current = holder[key];
    if (typeof current === "string") box.dataset.key = current;
    for (const l of doc.languages || []) {
      const area = el("textarea", { lang: l, dir: "auto" });
      area.value = typeof current === "string" ? ((doc.strings || {})[l] || {})[current] ?? "" : "";
      // Tall enough for the whole text (about 60 characters a line), as a rows attribute: the
      // page's policy blocks inline styles.
      area.rows = Math.min(10, 1 + area.value.split("\n").reduce((n, line) => n + Math.ceil((line.length + 1) / 60), 0));
      area.addEventListener("input", () => edit(() => {
        if (typeof holder[key] !== "string") holder[key] = box.dataset.key = freshKey(doc, keyBase);
        ((doc.strings ||= {})[l] ||= {})[holder[key]] = area.value;
      }));
      box.append(field(`${label} · ${langName(l)}`, area));
    }
    const others = typeof current === "string" ? (stringUses(doc).get(current) || []).filter((u) => u.node !== selected) : [];
    if (others.length) box.append(help(t("ff_shared_text", { nodes: [...new Set(others.map((u) => u.node))].join(", ") })));
    return box;
  }

  function answerField(node) {
    const names = Object.keys(doc.answers || {});
    const select = el("select", {}, !names.includes(node.answer) ? option(node.answer || "", node.answer || t("ff_pick"), true) : null,
      names.map((name) => option(name, name, name === node.answer)));
    select.addEventListener("change", () => edit(() => { node.answer = select.value; }, true));
    const answer = (doc.answers || {})[node.answer];
    const parts = [field(t("ff_answer"), select)];
    if (answer && typeof answer === "object") {
      const type = el("select", {}, ANSWER_TYPES.map((x) => option(x, t("ff_atype_" + x), x === answer.type)));
      type.addEventListener("change", () => edit(() => { answer.type = type.value; }, true));
      const required = el("input", { type: "checkbox", checked: answer.required !== false });
      required.addEventListener("change", () => edit(() => { answer.required = required.checked; }));
      parts.push(el("div", { class: "row" }, field(t("ff_answer_type"), type),
        el("label", { class: "check" }, required, t("ff_required"))));
    }
    return at("/answer", parts);
  }

  // Words the citizen may type for a choice, per language, separated by commas.
  function synonymsField(choice, rel) {
    return el("div", { class: "fe-synonyms" }, (doc.languages || []).map((l) => {
      const input = el("input", { autocomplete: "off", value: ((choice.synonyms || {})[l] || []).join(", ") });
      input.addEventListener("input", () => edit(() => {
        const words = input.value.split(",").map((w) => w.trim()).filter(Boolean);
        choice.synonyms ||= {};
        if (words.length) choice.synonyms[l] = words;
        else delete choice.synonyms[l];
        if (!Object.keys(choice.synonyms).length) delete choice.synonyms;
      }));
      return at(`${rel}/synonyms/${l}`, field(`${t("ff_synonyms")} · ${langName(l)}`, input));
    }));
  }

  const removeButton = (label, fn) => el("button", { type: "button", class: "fe-remove", onclick: () => edit(fn, true) }, label);

  function choicesPart(node) {
    node.choices ||= [];
    const router = routerOf(doc, node);
    const items = node.choices.map((c, i) => {
      const rel = `/choices/${i}`;
      const idInput = el("input", { value: c.id || "", autocomplete: "off", required: true });
      idInput.addEventListener("change", () => edit(() => {
        // What names the choice follows it: its routing case and the intents that pick it.
        const b = routerOf(doc, node);
        if (b) for (const x of b.cases) if (x.equals === c.id) x.equals = idInput.value;
        for (const [intent, id] of Object.entries(node.intents || {})) if (id === c.id) node.intents[intent] = idInput.value;
        c.id = idInput.value;
      }, true));
      return el("fieldset", { class: "fe-item", "data-rel": rel },
        el("legend", {}, t("ff_choice_n", { n: i + 1 })),
        at(`${rel}/id`, field(t("ff_choice_id"), idInput)),
        textField(t("ff_label"), c, "label", `${rel}/label`, `${node.id}_${c.id || i + 1}`),
        synonymsField(c, rel),
        nodeField(t("ff_goes_to"), {}, "", `${rel}/next`, false, (to) => to && setChoiceTarget(doc, node, c, to)),
        removeButton(t("ff_remove_choice"), () => {
          const b = routerOf(doc, node);
          if (b) b.cases = b.cases.filter((x) => x.equals !== c.id);
          node.choices.splice(i, 1);
        }));
    });
    // Selects made before their value is known: set them now (nodeField reads holder[key]).
    items.forEach((item, i) => {
      const select = item.querySelector(`[data-rel='/choices/${i}/next'] select`);
      const to = choiceTarget(doc, node, node.choices[i]);
      if (to && ![...select.options].some((o) => o.value === to)) select.append(option(to, t("ff_missing_node", { id: to })));
      select.value = to || "";
    });
    return el("section", { class: "fe-list", "data-rel": "/choices" }, el("h3", {}, t("ff_choices")),
      help(router ? t("ff_routed_by", { id: router.id, other: router.next }) : t("ff_routed_none")),
      items, el("button", { type: "button", onclick: () => edit(() => {
        const id = "choice_" + (node.choices.length + 1);
        node.choices.push({ id, label: freshKey(doc, `${node.id}_${id}`) });
      }, true) }, t("ff_add_choice")));
  }

  function casesPart(node) {
    node.cases ||= [];
    const items = node.cases.map((c, i) => {
      const rel = `/cases/${i}`;
      const kind = el("select", {}, option("equals", t("ff_case_equals"), "equals" in c),
        option("present", t("ff_case_present"), c.present === true), option("absent", t("ff_case_absent"), c.present === false));
      kind.addEventListener("change", () => edit(() => {
        delete c.equals; delete c.present;
        if (kind.value === "equals") c.equals = "";
        else c.present = kind.value === "present";
      }, true));
      const value = el("input", { autocomplete: "off", value: "equals" in c ? (typeof c.equals === "string" ? c.equals : JSON.stringify(c.equals)) : "" });
      value.addEventListener("input", () => edit(() => {
        // A number, true or false stays one; anything else is text.
        try { const v = JSON.parse(value.value); c.equals = typeof v === "string" || v === null || typeof v === "object" ? value.value : v; } catch { c.equals = value.value; }
      }));
      return el("fieldset", { class: "fe-item", "data-rel": rel }, el("legend", {}, t("ff_case_n", { n: i + 1 })),
        el("div", { class: "row" }, wordField(t("ff_case_var"), c, "var", `${rel}/var`, "answers.menu"), at(`${rel}/kind`, field(t("ff_case_kind"), kind)),
          "equals" in c ? at(`${rel}/equals`, field(t("ff_case_value"), value)) : null),
        nodeField(t("ff_case_next"), c, "next", `${rel}/next`),
        removeButton(t("ff_remove_case"), () => node.cases.splice(i, 1)));
    });
    return el("section", { class: "fe-list", "data-rel": "/cases" }, el("h3", {}, t("ff_cases")), help(t("ff_cases_help")), items,
      el("button", { type: "button", onclick: () => edit(() => node.cases.push({ var: "answers." + (Object.keys(doc.answers || {})[0] || ""), equals: "", next: node.next }), true) }, t("ff_add_case")));
  }

  function actionsPart(node) {
    const actions = Array.isArray(node.actions) ? node.actions : [];
    const items = actions.map((a, i) => {
      const rel = `/actions/${i}`;
      const flag = (key, label) => {
        const box = el("input", { type: "checkbox", checked: a[key] === true });
        box.addEventListener("change", () => edit(() => { if (box.checked) a[key] = true; else delete a[key]; }));
        return el("label", { class: "check" }, box, label);
      };
      return el("fieldset", { class: "fe-item", "data-rel": rel }, el("legend", {}, t("ff_action_n", { n: i + 1 })),
        wordField(t("ff_choice_id"), a, "id", `${rel}/id`),
        textField(t("ff_label"), a, "label", `${rel}/label`, `${node.id}_${a.id || i + 1}`),
        nodeField(t("ff_goes_to"), a, "next", `${rel}/next`, true),
        flag("consent", t("ff_action_consent")), flag("edit", t("ff_action_edit")),
        removeButton(t("ff_remove_action"), () => { actions.splice(i, 1); if (!actions.length) delete node.actions; }));
    });
    return el("section", { class: "fe-list", "data-rel": "/actions" }, el("h3", {}, t("ff_actions")), help(t("ff_actions_help")), items,
      el("button", { type: "button", onclick: () => edit(() => {
        node.actions ||= [];
        const id = "action_" + (node.actions.length + 1);
        node.actions.push({ id, label: freshKey(doc, `${node.id}_${id}`), next: node.next || doc.start });
      }, true) }, t("ff_add_action")));
  }

  function showPart(node) {
    node.show ||= [];
    return at("/show", el("fieldset", { class: "fe-item" }, el("legend", {}, t("ff_show")),
      Object.keys(doc.answers || {}).map((name) => {
        const box = el("input", { type: "checkbox", checked: node.show.includes(name) });
        box.addEventListener("change", () => edit(() => {
          node.show = box.checked ? [...node.show, name] : node.show.filter((x) => x !== name);
        }));
        return el("label", { class: "check" }, box, name);
      })));
  }

  function valueField(node) {
    const input = el("input", { autocomplete: "off", value: JSON.stringify(node.value ?? null) });
    const note = el("p", { class: "error fe-field-note", role: "alert" });
    input.addEventListener("input", () => {
      try {
        const v = JSON.parse(input.value);
        note.textContent = "";
        edit(() => { node.value = v; });
      } catch {
        note.textContent = t("ff_value_json");
      }
    });
    return at("/value", field(t("ff_value"), input), note);
  }

  // ----- the node's form --------------------------------------------------------------------

  function fieldsOf(node) {
    const text = (label, key) => textField(label, node, key, "/" + key, key === "text" ? node.id : `${node.id}_${key}`);
    const next = (label, key, optional) => nodeField(label, node, key, "/" + key, optional);
    switch (node.type) {
      case "say": return [text(t("ff_text"), "text"), next(t("ff_next"), "next")];
      case "ask": {
        // The limits that apply to the answer's type (and any the node has already).
        const type = ((doc.answers || {})[node.answer] || {}).type;
        const limit = (label, key, types, step) => (types.includes(type) || key in node ? numberField(label, node, key, "/" + key, step) : null);
        return [
          answerField(node), text(t("ff_question"), "text"), text(t("ff_hint"), "hint"),
          node.choices || type === "choice" ? choicesPart(node) : null,
          next(t("ff_next_after_answer"), "next"), next(t("ff_fallback"), "fallback"),
          el("div", { class: "row" }, numberField(t("ff_max_attempts"), node, "max_attempts", "/max_attempts"),
            limit(t("ff_min_length"), "min_length", ["text"]), limit(t("ff_max_length"), "max_length", ["text"]),
            limit(t("ff_min"), "min", ["number"], "any"), limit(t("ff_max"), "max", ["number"], "any"),
            limit(t("ff_max_count"), "max_count", ["media"]))];
      }
      case "branch": return [casesPart(node), next(t("ff_branch_default"), "next")];
      case "set": return [answerField(node), valueField(node), next(t("ff_next"), "next")];
      case "review": return [text(t("ff_text"), "text"), showPart(node), text(t("ff_notice"), "notice"),
        text(t("ff_urgent_text"), "urgent_text"), text(t("ff_edit_text"), "edit_text"), actionsPart(node),
        next(t("ff_next_review"), "next", true)];
      case "submit": {
        const action = el("select", {}, SUBMIT_ACTIONS.map((a) => option(a, t("ff_action_" + a), a === node.action)));
        action.addEventListener("change", () => edit(() => { node.action = action.value; }));
        return [at("/action", field(t("ff_submit_action"), action)), next(t("ff_next_submitted"), "next"), next(t("ff_failed"), "failed")];
      }
      case "handoff": return [wordField(t("ff_reason"), node, "reason", "/reason"), text(t("ff_text"), "text"), next(t("ff_next_optional"), "next", true)];
      default: return [text(t("ff_text"), "text"), wordField(t("ff_start_flow"), node, "start_flow", "/start_flow")];
    }
  }

  function renameTo(node, to, note, input) {
    note.textContent = "";
    if (to === node.id) return;
    if (!/^\S+$/.test(to)) { note.textContent = t("ff_id_empty"); input.value = node.id; return; }
    if (byId(to)) { note.textContent = t("ff_id_taken", { id: to }); input.value = node.id; return; }
    edit(() => {
      for (const n of doc.nodes) for (const r of targetsOf(n)) if (r.holder[r.key] === node.id) r.holder[r.key] = to;
      if (doc.start === node.id) doc.start = to;
      node.id = to;
      selected = to;
    }, true);
  }

  function changeType(node, type) {
    const made = nodeTemplate(doc, type, node.id);
    // What the two types share stays: the text and the next step.
    for (const key of ["text", "next"]) if (key in node && FORM_KEYS[type].includes(key)) made[key] = node[key];
    doc.nodes[doc.nodes.indexOf(node)] = made;
  }

  function removeNode(node) {
    const from = doc.nodes.filter((n) => n !== node && targetsOf(n).some((r) => r.holder[r.key] === node.id)).map((n) => n.id);
    if (doc.start === node.id) from.unshift(t("ff_start"));
    const ask = from.length ? t("ff_remove_refs", { id: node.id, from: from.join(", ") }) : t("ff_remove_sure", { id: node.id });
    if (!confirm(ask)) return;
    const i = doc.nodes.indexOf(node);
    edit(() => doc.nodes.splice(i, 1));
    select((doc.nodes[Math.min(i, doc.nodes.length - 1)] || {}).id || null);
  }

  function renderForm() {
    const node = selected && byId(selected);
    if (!node) {
      form.replaceChildren(help(doc.nodes.length ? t("ff_pick_node") : t("ff_no_nodes")));
      return;
    }
    const idInput = el("input", { value: node.id, autocomplete: "off", required: true });
    const idNote = el("p", { class: "error fe-field-note", role: "alert" });
    idInput.addEventListener("change", () => renameTo(node, idInput.value.trim(), idNote, idInput));
    const type = el("select", {}, NODE_TYPES.map((x) => option(x, t("ff_type_" + x), x === node.type)));
    type.addEventListener("change", () => {
      if (!confirm(t("ff_type_sure"))) { type.value = node.type; return; }
      edit(() => changeType(node, type.value), true);
    });
    const known = new Set(["id", "type", ...(FORM_KEYS[node.type] || [])]);
    const rest = Object.keys(node).filter((k) => !known.has(k));
    form.replaceChildren(el("div", { class: "fe-node-head", "data-rel": "" },
      el("h3", {}, t("ff_node_title", { id: node.id })),
      el("button", { type: "button", class: "fe-remove", onclick: () => removeNode(node) }, t("ff_remove_node"))),
    el("div", { class: "row" }, at("/id", field(t("ff_id"), idInput), idNote), at("/type", field(t("ff_type"), type))),
    help(t("ff_type_help_" + node.type)),
    el("div", { class: "fe-fields" }, fieldsOf(node)),
    rest.length ? help(t("ff_in_json", { keys: rest.join(", ") })) : "");
    markFields();
  }

  function renderList() {
    const count = new Map();
    for (const f of flagged) count.set(f.node, (count.get(f.node) || 0) + 1);
    nodeList.replaceChildren(...doc.nodes.map((n) => {
      const problems = count.get(n.id) || 0;
      return el("li", {}, el("button", { type: "button", "data-node": n.id, "aria-current": n.id === selected ? "true" : undefined,
        class: "fe-node-pick" + (problems ? " fe-flagged" : ""), onclick: () => select(n.id) },
      el("span", { class: "fe-pick-id" }, n.id), " ", el("span", { class: "fe-pick-type" }, t("ff_type_" + n.type)),
      problems ? el("span", { class: "badge urgent" }, t("ff_n_problems", { n: problems })) : null));
    }));
    const start = el("select", {}, nodeIds().map((id) => option(id, id, id === doc.start)));
    start.addEventListener("change", () => edit(() => { doc.start = start.value; }));
    flowPart.replaceChildren(el("div", { class: "fe-field", "data-path": "/start" }, field(t("ff_start"), start)));
  }

  // The last validation's problems on the fields they concern (or the node's heading).
  function markFields() {
    for (const node of form.querySelectorAll(".fe-field-problem")) node.classList.remove("fe-field-problem");
    for (const node of form.querySelectorAll(".fe-problem-note")) node.remove();
    for (const f of flagged.filter((x) => x.node === selected)) {
      let rel = f.rel, box = null;
      for (;;) {
        box = form.querySelector(`[data-rel="${CSS.escape(rel)}"]`);
        if (box || !rel) break;
        rel = rel.slice(0, rel.lastIndexOf("/"));
      }
      box ||= form.querySelector(".fe-node-head");
      box.classList.add("fe-field-problem");
      box.append(el("p", { class: "error fe-problem-note" }, f.message));
    }
  }

  function select(id, rel) {
    selected = id;
    renderList();
    renderForm();
    const target = rel !== undefined && form.querySelector(`[data-rel="${CSS.escape(rel)}"] :is(input, select, textarea)`);
    if (target) target.focus();
    onSelect(id);
  }

  return {
    element: el("div", { class: "fe-forms" },
      el("div", { class: "fe-side" }, flowPart, el("h3", {}, t("ff_nodes")), nodeList, adder),
      form),
    load(next) {
      doc = next;
      if (!Array.isArray(doc.nodes)) doc.nodes = [];
      if (!selected || !byId(selected)) selected = doc.start && byId(doc.start) ? doc.start : (doc.nodes[0] || {}).id || null;
      renderList();
      renderForm();
    },
    select,
    selected: () => selected,
    // Problems of a validation of `snapshot` (the document as it was sent), placed on its nodes.
    problems(list, snapshot) {
      flagged = list.flatMap((p) => problemPlaces(snapshot, p.path).map((place) => ({ ...place, message: p.message })));
      // A problem of a question's routing case is the choice's too: shown at its "goes to".
      const nodes = Array.isArray(snapshot.nodes) ? snapshot.nodes : [];
      for (const ask of nodes.filter((n) => n && n.type === "ask" && Array.isArray(n.choices))) {
        const b = routerOf(snapshot, ask);
        for (const f of b ? flagged.filter((x) => x.node === b.id) : []) {
          const m = /^\/cases\/(\d+)/.exec(f.rel);
          const i = m ? ask.choices.findIndex((c) => c.id === b.cases[m[1]].equals) : -1;
          if (i >= 0) flagged.push({ node: ask.id, rel: `/choices/${i}/next`, message: f.message });
        }
      }
      if (!doc) return;
      renderList();
      markFields();
    },
    flaggedNodes: () => new Set(flagged.map((f) => f.node)),
  };
}

addWords({
  vi: {
    ff_forms: "Biểu mẫu", ff_json_tab: "JSON", ff_views: "Cách soạn", ff_nodes: "Các bước",
    ff_new_type: "Loại bước mới", ff_add_node: "Thêm bước",
    ff_start: "Bước bắt đầu", ff_pick: "— chọn —", ff_nowhere: "(không đi đâu)",
    ff_missing_node: "{id} (không có bước này)", ff_pick_node: "Chọn một bước trong danh sách hoặc trên sơ đồ.",
    ff_no_nodes: "Kịch bản chưa có bước nào: hãy thêm một bước.",
    ff_node_title: "Bước «{id}»", ff_id: "Mã bước", ff_type: "Loại bước", ff_remove_node: "Xoá bước này",
    ff_id_empty: "Mã bước không được trống hay có dấu cách.", ff_id_taken: "Đã có bước mã «{id}»: chọn mã khác.",
    ff_type_sure: "Đổi loại bước sẽ bỏ các mục riêng của loại cũ (giữ lời nhắn và bước tiếp theo). Đổi?",
    ff_remove_refs: "Bước «{id}» đang được dẫn tới từ: {from}. Vẫn xoá? Các chỗ đó sẽ báo lỗi cho đến khi bạn sửa.",
    ff_remove_sure: "Xoá bước «{id}»?",
    ff_in_json: "Các mục khác của bước này ({keys}) được giữ nguyên; sửa chúng ở thẻ JSON.",
    ff_n_problems: "{n} lỗi",
    ff_type_say: "Gửi tin nhắn", ff_type_ask: "Hỏi và chờ trả lời", ff_type_branch: "Rẽ nhánh",
    ff_type_set: "Ghi một câu trả lời", ff_type_review: "Xem lại trước khi gửi", ff_type_submit: "Gửi đi",
    ff_type_handoff: "Chuyển cho cán bộ", ff_type_end: "Kết thúc",
    ff_type_help_say: "Gửi một tin nhắn rồi sang bước tiếp theo.",
    ff_type_help_ask: "Gửi câu hỏi và chờ người dân trả lời; trả lời chưa đúng thì nhắc lại.",
    ff_type_help_branch: "Đi tiếp theo câu trả lời đã có: nhánh đầu tiên đúng được chọn, không nhánh nào đúng thì đi bước mặc định.",
    ff_type_help_set: "Ghi sẵn một câu trả lời rồi đi tiếp.",
    ff_type_help_review: "Cho người dân xem lại những gì đã trả lời, với nút gửi và nút sửa.",
    ff_type_help_submit: "Nộp phản ánh (hoặc tra cứu, xoá dữ liệu); đi tiếp tuỳ gửi được hay không.",
    ff_type_help_handoff: "Báo để một cán bộ trả lời tiếp.",
    ff_type_help_end: "Kết thúc cuộc trò chuyện, có thể chuyển sang kịch bản khác.",
    ff_text: "Lời nhắn", ff_question: "Câu hỏi", ff_hint: "Nhắc lại khi trả lời chưa đúng",
    ff_next: "Bước tiếp theo", ff_next_after_answer: "Sau khi trả lời, sang bước", ff_fallback: "Trả lời sai quá số lần thì sang bước",
    ff_next_optional: "Bước tiếp theo (không bắt buộc)", ff_next_review: "Sau khi gửi, sang bước (khi không có nút riêng)",
    ff_next_submitted: "Gửi được thì sang bước", ff_failed: "Gửi không được thì sang bước",
    ff_branch_default: "Không nhánh nào đúng thì sang bước",
    ff_answer: "Lưu câu trả lời vào", ff_answer_type: "Kiểu câu trả lời", ff_required: "Bắt buộc trả lời",
    ff_atype_choice: "chọn một mục", ff_atype_text: "chữ", ff_atype_number: "số", ff_atype_yes_no: "có / không",
    ff_atype_phone: "số điện thoại", ff_atype_locality: "xã, phường", ff_atype_location: "vị trí",
    ff_atype_media: "ảnh", ff_atype_any: "bất kỳ",
    ff_max_attempts: "Số lần được trả lời sai", ff_min_length: "Ít nhất (ký tự)", ff_max_length: "Nhiều nhất (ký tự)",
    ff_min: "Số nhỏ nhất", ff_max: "Số lớn nhất", ff_max_count: "Số ảnh nhiều nhất",
    ff_choices: "Các lựa chọn", ff_choice_n: "Lựa chọn {n}", ff_choice_id: "Mã (người dân không thấy)", ff_label: "Nhãn nút",
    ff_synonyms: "Từ người dân có thể gõ (cách nhau bởi dấu phẩy)", ff_goes_to: "Chọn mục này thì sang bước",
    ff_add_choice: "Thêm lựa chọn", ff_remove_choice: "Xoá lựa chọn này",
    ff_routed_by: "Nơi mỗi lựa chọn dẫn tới được ghi ở bước rẽ nhánh «{id}»; lựa chọn không có nhánh riêng sang «{other}».",
    ff_routed_none: "Mọi lựa chọn đều sang bước tiếp theo; chọn một bước khác cho một lựa chọn sẽ thêm một bước rẽ nhánh ngay sau câu hỏi này.",
    ff_cases: "Các nhánh", ff_case_n: "Nhánh {n}", ff_case_var: "Xét", ff_case_next: "Đúng thì sang bước", ff_case_kind: "Điều kiện",
    ff_case_equals: "bằng", ff_case_present: "đã có giá trị", ff_case_absent: "chưa có giá trị", ff_case_value: "Giá trị",
    ff_cases_help: "answers.TÊN là một câu trả lời; concern.urgent là phản ánh khẩn cấp.",
    ff_add_case: "Thêm nhánh", ff_remove_case: "Xoá nhánh này",
    ff_actions: "Các nút", ff_action_n: "Nút {n}", ff_actions_help: "Có nút riêng thì người dân bấm nút để đi tiếp.",
    ff_action_consent: "Bấm nút này là đồng ý với thông báo bảo vệ dữ liệu", ff_action_edit: "Nút này mở phần sửa câu trả lời",
    ff_add_action: "Thêm nút", ff_remove_action: "Xoá nút này",
    ff_show: "Hiện lại các câu trả lời", ff_notice: "Thông báo bảo vệ dữ liệu", ff_urgent_text: "Lời nhắn khi khẩn cấp",
    ff_edit_text: "Câu hỏi khi sửa", ff_value: "Giá trị (JSON: true, 3, \"chữ\")", ff_value_json: "Giá trị chưa đúng dạng JSON: chưa ghi.",
    ff_submit_action: "Việc cần làm", ff_action_file_concern: "Nộp phản ánh", ff_action_check_status: "Tra cứu phản ánh",
    ff_action_erase_my_data: "Xoá dữ liệu cá nhân của người dân", ff_reason: "Lý do chuyển", ff_start_flow: "Chuyển sang kịch bản (mã)",
    ff_shared_text: "Câu chữ này dùng chung với bước: {nodes}. Sửa ở đây là sửa cả ở đó.",
    ff_unsaved: "Có thay đổi chưa lưu.", ff_json_first: "Sửa lỗi cú pháp JSON trước khi chuyển sang biểu mẫu.",
  },
  en: {
    ff_forms: "Forms", ff_json_tab: "JSON", ff_views: "Editing view", ff_nodes: "Nodes",
    ff_new_type: "New node's type", ff_add_node: "Add node",
    ff_start: "Start node", ff_pick: "— choose —", ff_nowhere: "(nowhere)",
    ff_missing_node: "{id} (no such node)", ff_pick_node: "Pick a node in the list or on the diagram.",
    ff_no_nodes: "The flow has no nodes yet: add one.",
    ff_node_title: "Node “{id}”", ff_id: "Node id", ff_type: "Node type", ff_remove_node: "Remove this node",
    ff_id_empty: "A node id cannot be empty or hold spaces.", ff_id_taken: "A node “{id}” exists: choose another id.",
    ff_type_sure: "Changing the type drops what only the old type has (the text and the next node stay). Change it?",
    ff_remove_refs: "Node “{id}” is reached from: {from}. Remove it anyway? Those places will be reported until you fix them.",
    ff_remove_sure: "Remove node “{id}”?",
    ff_in_json: "This node's other members ({keys}) are kept as they are; edit them in the JSON tab.",
    ff_n_problems: "{n} problems",
    ff_type_say: "Send a message", ff_type_ask: "Ask and wait", ff_type_branch: "Branch",
    ff_type_set: "Set an answer", ff_type_review: "Review before sending", ff_type_submit: "Submit",
    ff_type_handoff: "Hand over to an official", ff_type_end: "End",
    ff_type_help_say: "Sends a message, then goes to the next node.",
    ff_type_help_ask: "Asks a question and waits for the citizen's answer; an invalid answer gets the hint.",
    ff_type_help_branch: "Goes on by an answer already given: the first case that holds, else the default.",
    ff_type_help_set: "Sets an answer, then goes on.",
    ff_type_help_review: "Shows the citizen what they answered, with a send button and change buttons.",
    ff_type_help_submit: "Files the concern (or looks one up, or erases the data); goes on by whether it worked.",
    ff_type_help_handoff: "Tells an official to take over.",
    ff_type_help_end: "Ends the conversation, and may start another flow.",
    ff_text: "Message", ff_question: "Question", ff_hint: "Hint after an invalid answer",
    ff_next: "Next node", ff_next_after_answer: "After the answer, go to", ff_fallback: "After too many invalid answers, go to",
    ff_next_optional: "Next node (optional)", ff_next_review: "After sending, go to (without buttons of its own)",
    ff_next_submitted: "When it worked, go to", ff_failed: "When it failed, go to",
    ff_branch_default: "When no case holds, go to",
    ff_answer: "Keep the answer as", ff_answer_type: "Answer type", ff_required: "Required",
    ff_atype_choice: "a choice", ff_atype_text: "text", ff_atype_number: "a number", ff_atype_yes_no: "yes / no",
    ff_atype_phone: "a phone number", ff_atype_locality: "a commune", ff_atype_location: "a location",
    ff_atype_media: "photos", ff_atype_any: "anything",
    ff_max_attempts: "Invalid answers allowed", ff_min_length: "At least (characters)", ff_max_length: "At most (characters)",
    ff_min: "Smallest number", ff_max: "Largest number", ff_max_count: "Most photos",
    ff_choices: "Choices", ff_choice_n: "Choice {n}", ff_choice_id: "Id (not shown to citizens)", ff_label: "Button label",
    ff_synonyms: "Words a citizen may type (comma separated)", ff_goes_to: "This choice goes to",
    ff_add_choice: "Add a choice", ff_remove_choice: "Remove this choice",
    ff_routed_by: "Where each choice goes is kept in the branch node “{id}”; a choice without a case of its own goes to “{other}”.",
    ff_routed_none: "Every choice goes to the next node; sending one elsewhere adds a branch node right after this question.",
    ff_cases: "Cases", ff_case_n: "Case {n}", ff_case_var: "Test", ff_case_next: "When it holds, go to", ff_case_kind: "Condition",
    ff_case_equals: "equals", ff_case_present: "is set", ff_case_absent: "is not set", ff_case_value: "Value",
    ff_cases_help: "answers.NAME is an answer; concern.urgent is an urgent concern.",
    ff_add_case: "Add a case", ff_remove_case: "Remove this case",
    ff_actions: "Buttons", ff_action_n: "Button {n}", ff_actions_help: "With buttons of its own, the citizen's tap decides where to go.",
    ff_action_consent: "Tapping it is consent to the privacy notice", ff_action_edit: "It opens the answers to change",
    ff_add_action: "Add a button", ff_remove_action: "Remove this button",
    ff_show: "Answers shown", ff_notice: "Privacy notice", ff_urgent_text: "Message when urgent",
    ff_edit_text: "Question when changing", ff_value: "Value (JSON: true, 3, \"text\")", ff_value_json: "Not JSON yet: not kept.",
    ff_submit_action: "What to do", ff_action_file_concern: "File the concern", ff_action_check_status: "Look a concern up",
    ff_action_erase_my_data: "Erase the citizen's personal data", ff_reason: "Reason", ff_start_flow: "Start flow (id)",
    ff_shared_text: "This text is shared with node: {nodes}. Changing it here changes it there too.",
    ff_unsaved: "Unsaved changes.", ff_json_first: "Fix the JSON syntax error before switching to the forms.",
  },
});
