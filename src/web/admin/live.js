// The meeting itself (#/live/{session}): the agenda as a secretary works it on a tablet while
// the session runs. Each group is marked raised with one tap; its answer is recorded in a few
// (the text, settled or assigned, who answered — kept from one answer to the next) and reaches
// the citizens at once; a concern raised aloud in the room is added to this very session. The
// minutes are printed from what is recorded here. Uses the helpers of app.js, loaded first.
"use strict";

// Who is answering, in each answer form: filled with the last one typed at this session on
// this device, so a run of answers by the same person costs no typing.
function liveSpeaker(sessionId) {
  const key = "dgw.speaker." + sessionId;
  let saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  const name = el("input", { maxlength: 200, value: saved.name || "", autocomplete: "off", list: "live-speakers" });
  const office = el("input", { maxlength: 200, value: saved.office || "", autocomplete: "off", list: "live-offices" });
  const keep = () => localStorage.setItem(key, JSON.stringify({ name: name.value.trim(), office: office.value.trim() }));
  name.addEventListener("change", keep);
  office.addEventListener("change", keep);
  return { name, office, value: () => (name.value.trim() ? { name: name.value.trim(), office: office.value.trim() } : undefined) };
}

function liveGroup(sessionId, g, n, places) {
  const speaker = liveSpeaker(sessionId);
  const title = g.name || g.representative;
  const path = `/sessions/${encodeURIComponent(sessionId)}`;
  const raise = el("button", { type: "button", class: "raise" + (g.raised ? " on" : ""), "aria-pressed": String(!!g.raised),
    onclick: async () => {
      try {
        await api("POST", `${path}/agenda/groups/${encodeURIComponent(g.key)}/raised`, { raised: !g.raised });
        await route();
      } catch (e) { failure(e); }
    } }, g.raised ? "✓ " + t("l_raised") : t("l_raise"));
  // The answer: its text, settled (the default) or assigned to an office by a date.
  const text = el("textarea", { rows: 4, maxlength: 8000, required: true, "aria-label": t("answer_text") + ": " + title.slice(0, 60) });
  if (g.answer) text.value = g.answer;
  const how = el("div", { class: "segmented", role: "radiogroup", "aria-label": t("l_outcome") });
  const office = el("input", { maxlength: 200 }), deadline = el("input", { type: "date" }), promise = el("input", { maxlength: 2000 });
  const assignBox = el("div", { class: "row assign", hidden: true },
    field(t("assign_office"), office), field(t("assign_deadline"), deadline), field(t("assign_promise"), promise));
  let assigned = false;
  const choice = (on, word) => el("button", { type: "button", role: "radio", "aria-checked": String(assigned === on), onclick: (ev) => {
    assigned = on;
    assignBox.hidden = !on;
    for (const b of how.children) b.setAttribute("aria-checked", String(b === ev.currentTarget));
  } }, word);
  how.append(choice(false, t("l_settled")), choice(true, t("l_assigned")));
  const publish = el("input", { type: "checkbox" });
  const send = async (body) => {
    const r = await api("POST", `${path}/answers`, body);
    await route();
    flash(t("answered_n", { n: r.answered.length, m: r.messages }));
  };
  const form = el("form", { class: "live-answer", hidden: true, onsubmit: async (ev) => {
    ev.preventDefault();
    const body = { group: g.key, text: text.value, raised: true, publish: publish.checked, speaker: speaker.value(),
      ...(assigned ? { assign: { office: office.value.trim(), deadline: deadline.value, promise: promise.value.trim() } } : {}) };
    try {
      // Who would be told first (nothing written): a correction is confirmed, a first answer sent.
      const p = await api("POST", `${path}/answers`, { ...body, dry_run: true });
      if (!p.answer.length && !p.correct.length) return flash(t("nothing_to_send"));
      if (p.correct.length && !confirm(t("l_confirm_correction", { n: p.correct.length }))) return;
      await send({ ...body, correction: p.correct.length > 0 });
    } catch (e) { failure(e); }
  } }, field(t("answer_text"), text), how, assignBox,
  el("div", { class: "row" }, field(t("l_speaker_name"), speaker.name), field(t("l_speaker_office"), speaker.office)),
  el("label", { class: "check" }, publish, " ", t("publish_toggle")),
  el("p", { class: "row" }, el("button", { type: "submit", class: "primary" }, t("l_record")),
    el("button", { type: "button", onclick: () => { form.hidden = true; } }, t("l_close"))));
  const open = el("button", { type: "button", class: "answer-open", onclick: () => { form.hidden = !form.hidden; if (!form.hidden) text.focus(); } },
    g.answered ? t("l_answer_again") : t("l_answer"));
  return el("section", { class: "card live-group" + (g.raised ? " raised" : "") + (g.answered ? " done" : ""), "data-group": g.key, "aria-label": title.slice(0, 80) },
    el("div", { class: "live-head" }, el("span", { class: "live-n" }, String(n)), el("h3", {}, title),
      g.urgent ? badge(t("urgent"), "urgent") : null),
    el("p", { class: "group-facts" }, String(g.count), " ", plural(g.count, "concerns"), " · ", String(g.citizens), " ",
      plural(g.citizens, "citizens"), " · ", topicName(places, g.topic), " · ", g.commune_names.join(", ")),
    g.name ? el("p", { class: "muted" }, g.representative) : null,
    g.answered ? el("div", { class: "answered-block" },
      el("p", { class: "answer-text" }, g.answer || t("answered_mixed")),
      el("p", { class: "muted" }, [g.speaker ? "— " + g.speaker + (g.speaker_office ? ", " + g.speaker_office : "") : null,
        g.followup === "assigned" && g.assign ? " · " + t("l_assigned_to", { office: g.assign.office, deadline: deadlineText(g.assign.deadline) }) : null])) : null,
    canAct() ? el("div", { class: "live-actions" }, raise, open) : null,
    canAct() ? form : null);
}

// A concern raised aloud in the room: filed to this session, marked raised.
function liveAddForm(session, places) {
  const topic = el("select", { required: true }, option("", t("h_pick_topic")), places.topics.map((x) => option(x.id, topicName(places, x.id))));
  const unit = places.units.find((u) => u.code === session.locality);
  const commune = communePicker(places, unit ? unit.code : "");
  const text = el("textarea", { rows: 3, maxlength: 4000, required: true });
  const name = el("input", { maxlength: 200, autocomplete: "off" });
  const consent = el("input", { type: "checkbox" });
  const form = el("form", { class: "card live-add", onsubmit: async (ev) => {
    ev.preventDefault();
    const code = await commune.resolve();
    if (!code) return formError(form, { commune: [/./, commune.input[0]] }, new Error(t("h_pick_commune")));
    const body = { source: "meeting", session: session.id, topic: topic.value, commune_code: code, text: text.value, consent: consent.checked };
    if (name.value.trim()) body.name = name.value.trim();
    try {
      const r = await api("POST", "/concerns", body);
      await route();
      flash(t("l_added", { ref: r.ref }));
    } catch (e) {
      formError(form, { text: [/text|nội dung/, text], topic: [/topic|lĩnh vực/, topic], commune: [/commune|xã/, commune.input[0]],
        name: [/consent|đồng ý/, name] }, e);
    }
  } }, el("h2", {}, t("l_add_title")), el("p", { class: "muted" }, t("l_add_help")),
  el("div", { class: "row" }, field(t("topic"), topic), field(t("commune"), commune.input)),
  field(t("text"), text),
  el("div", { class: "row" }, field(t("l_citizen_name"), name), el("label", { class: "check" }, consent, " ", t("l_consent"))),
  el("button", { type: "submit", class: "primary" }, t("l_add")));
  return form;
}

async function livePage(parts) {
  const id = decodeURIComponent(parts[0] || "");
  const [agenda, places] = await Promise.all([api("GET", `/sessions/${encodeURIComponent(id)}/agenda`), api("GET", "/localities")]);
  const session = agenda.session_info || { id, title_vi: id, title_en: id };
  const groups = agenda.groups;
  const raised = groups.filter((g) => g.raised).length, answered = groups.filter((g) => g.answered).length;
  // Names and offices already noted at this session, offered as the secretary types.
  const seen = (k) => [...new Set(groups.map((g) => g[k]).filter(Boolean))].map((v) => option(v, v));
  const minutes = `/api/v1/sessions/${encodeURIComponent(id)}/minutes`;
  show(
    el("div", { class: "live-top" },
      el("h1", {}, lang === "vi" ? session.title_vi : session.title_en),
      el("p", {}, sessionWhen(session), " · ", session.venue || "", session.chair ? [" · ", t("l_chair"), ": ", session.chair] : null),
      el("p", { class: "live-progress", role: "status" }, t("l_progress", { r: raised, a: answered, n: groups.length, m: groups.length })),
      el("p", { class: "row noprint" },
        el("a", { class: "button", href: "#/sessions/" + encodeURIComponent(id) }, t("l_back")),
        el("button", { type: "button", onclick: () => route() }, t("l_refresh")),
        el("a", { class: "button", href: `${minutes}.html?lang=${lang}`, target: "_blank" }, t("l_minutes_print")),
        el("a", { class: "button", href: `${minutes}.odt?lang=${lang}`, download: "" }, t("l_minutes_odt")),
        el("a", { class: "button", href: `${minutes}.xlsx?lang=${lang}`, download: "" }, t("l_minutes_xlsx")))),
    el("datalist", { id: "live-speakers" }, seen("speaker")), el("datalist", { id: "live-offices" }, seen("speaker_office")),
    groups.length ? groups.map((g, i) => liveGroup(id, g, i + 1, places)) : el("p", { class: "muted" }, t("none")),
    canAct() ? liveAddForm(session, places) : null);
}

addPage("live", {
  render: livePage,
  words: {
    vi: {
      l_raise: "Đánh dấu đã nêu", l_raised: "Đã nêu", l_answer: "Trả lời", l_answer_again: "Sửa câu trả lời",
      l_outcome: "Kết quả", l_settled: "Giải quyết tại chỗ", l_assigned: "Giao việc",
      l_record: "Ghi và báo người dân", l_close: "Đóng", l_confirm_correction: "{n} phản ánh đã có câu trả lời khác. Gửi câu trả lời này như một đính chính?",
      l_speaker_name: "Người trả lời (họ tên)", l_speaker_office: "Chức vụ, đơn vị",
      l_assigned_to: "giao {office}, hạn {deadline}",
      l_add_title: "Ý kiến nêu tại hội nghị", l_add_help: "Ý kiến người dân nêu trực tiếp tại buổi đối thoại: được ghi vào chính buổi này và đánh dấu đã nêu.",
      l_add: "Thêm ý kiến", l_added: "Đã thêm ý kiến {ref} vào buổi đối thoại.", l_consent: "Người dân đồng ý ghi họ tên", l_citizen_name: "Họ tên người nêu ý kiến (nếu họ đồng ý)",
      l_chair: "Chủ trì", l_progress: "Đã nêu {r}/{n} nhóm · đã trả lời {a}/{m}", l_back: "← Chương trình",
      l_refresh: "Làm mới", l_minutes_print: "In biên bản", l_minutes_odt: "Biên bản (.odt)", l_minutes_xlsx: "Biên bản (.xlsx)",
      l_open: "Chế độ hội nghị (máy tính bảng)",
    },
    en: {
      l_raise: "Mark raised", l_raised: "Raised", l_answer: "Answer", l_answer_again: "Change the answer",
      l_outcome: "Outcome", l_settled: "Settled here", l_assigned: "Assign work",
      l_record: "Record and tell citizens", l_close: "Close", l_confirm_correction: "{n} concerns already have another answer. Send this one as a correction?",
      l_speaker_name: "Who answers (name)", l_speaker_office: "Position, office",
      l_assigned_to: "assigned to {office}, due {deadline}",
      l_add_title: "Raised at the meeting", l_add_help: "A concern a citizen raises in the room: filed to this session and marked raised.",
      l_add: "Add the concern", l_added: "Concern {ref} added to the session.", l_consent: "The citizen agrees to their name being recorded", l_citizen_name: "Name of the citizen (if they agree)",
      l_chair: "Chair", l_progress: "Raised {r}/{n} groups · answered {a}/{m}", l_back: "← Agenda",
      l_refresh: "Refresh", l_minutes_print: "Print the minutes", l_minutes_odt: "Minutes (.odt)", l_minutes_xlsx: "Minutes (.xlsx)",
      l_open: "Meeting mode (tablet)",
    },
  },
});
