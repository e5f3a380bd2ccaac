// The hand-off inbox: citizens the bot could not help, or who asked for a person, with what
// they already said. An official reads the exchange (the citizen is told it was seen), replies
// through the citizen's own channel, turns it into a concern, and closes it.
// Uses the helpers of app.js (api, el, show, t, addPage, ...), which is loaded first.
"use strict";

const reasonWord = (r) => (WORDS.vi["h_reason_" + r] ? t("h_reason_" + r) : t("h_reason_other"));
const platformOf = (h) => (h.channel_type ? t("ch_" + h.channel_type) : h.channel);
const citizenName = (h) => h.name || t("h_citizen");

function handoffRow(h, places) {
  const link = el("a", { href: "#/handoffs/" + h.id }, citizenName(h));
  return el("tr", { "data-handoff": h.id },
    el("td", {}, link, h.status === "closed" ? [" ", badge(t("h_status_closed"), "answered")]
      : h.seen_at ? null : [" ", badge(t("h_new"), "urgent")]),
    el("td", {}, platformOf(h)),
    el("td", {}, reasonWord(h.reason)),
    el("td", {}, h.topic || h.commune ? [h.topic ? topicName(places, h.topic) : "", h.topic && h.commune ? " · " : "", h.commune] : "—"),
    el("td", { class: "concern-text" }, h.last_text),
    el("td", {}, localTime(h.updated_at)));
}

async function handoffsPage(parts, params) {
  if (parts[0]) return handoffPage(parts[0]);
  const status = params.get("status") || "open";
  const [list, places] = await Promise.all([api("GET", "/handoffs?status=" + encodeURIComponent(status)), api("GET", "/localities")]);
  const pick = el("select", { onchange: () => { location.hash = "#/handoffs?status=" + pick.value; } },
    ["open", "closed", "all"].map((s) => option(s, t("h_status_" + s), s === status)));
  const table = list.items.length
    ? stackOnPhones(el("table", { class: "handoffs" }, el("thead", {}, el("tr", {}, el("th", {}, t("h_who")), el("th", {}, t("h_via")),
      el("th", {}, t("h_why")), el("th", {}, t("h_about")), el("th", {}, t("h_last")), el("th", {}, t("h_when")))),
    el("tbody", {}, list.items.map((h) => handoffRow(h, places)))))
    : el("p", { class: "muted" }, t(status === "open" ? "h_none_open" : "none"));
  show(el("h1", {}, t("h_title")), el("p", { class: "muted" }, t("h_help")),
    el("div", { class: "card row" }, field(t("status"), pick)), el("div", { class: "card" }, table));
}

// The exchange, oldest first: the citizen's words, the officials' replies, each with its time.
function thread(h) {
  return el("ol", { class: "thread" }, h.messages.map((m) => el("li", { class: "msg " + m.author },
    el("p", { class: "meta" }, m.author === "official" ? t("h_official", { by: m.by }) : citizenName(h), " · ", localTime(m.at)),
    el("p", { class: "concern-text" }, m.text))));
}

function replyForm(h) {
  const text = el("textarea", { rows: 3, maxlength: 4000, required: true });
  const form = el("form", { class: "card noprint", "aria-label": t("h_reply"), onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", `/handoffs/${h.id}/reply`, { text: text.value });
      await route();
      flash(t("h_sent", { via: platformOf(h) }));
    } catch (e) { formError(form, { text: [/text/, text] }, e); }
  } }, field(t("h_reply_label", { via: platformOf(h) }), text), el("button", { class: "primary", type: "submit" }, t("h_send")));
  return form;
}

// Filed like any concern: routed to the next session of the commune, with a reference the
// citizen is sent. The text starts as what the citizen wrote.
function concernForm(h, places) {
  const topic = el("select", { required: true }, option("", t("h_pick_topic")),
    places.topics.map((x) => option(x.id, topicName(places, x.id), x.id === h.topic)));
  const commune = communePicker(places, h.commune_code);
  const words = h.messages.filter((m) => m.author === "citizen").map((m) => m.text).join("\n");
  const text = el("textarea", { rows: 4, maxlength: 4000 }, words);
  const form = el("form", { class: "card noprint", "aria-label": t("h_to_concern"), onsubmit: async (ev) => {
    ev.preventDefault();
    const code = await commune.resolve();
    if (!code) return formError(form, { commune: [/./, commune.input[0]] }, new Error(t("h_pick_commune")));
    try {
      const r = await api("POST", `/handoffs/${h.id}/concern`, { topic: topic.value, commune_code: code, text: text.value });
      location.hash = "#/concerns/" + encodeURIComponent(r.ref);
      flash(t("h_filed", { ref: r.ref }));
    } catch (e) { formError(form, { topic: [/topic/, topic], commune: [/commune/, commune.input[0]], text: [/text/, text] }, e); }
  } }, el("h2", {}, t("h_to_concern")), el("p", { class: "muted" }, t("h_to_concern_help")),
  field(t("topic"), topic), field(t("commune"), commune.input), field(t("text"), text),
  el("button", { type: "submit" }, t("h_file")));
  return form;
}

async function handoffPage(id) {
  const [h, places] = await Promise.all([api("GET", "/handoffs/" + encodeURIComponent(id)), api("GET", "/localities")]);
  const open = h.status === "open";
  const close = el("button", { type: "button", onclick: async () => {
    try {
      await api("POST", `/handoffs/${h.id}/close`, {});
      location.hash = "#/handoffs";
      flash(t("h_closed_done"));
    } catch (e) { failure(e); }
  } }, t("h_close"));
  show(
    el("h1", {}, citizenName(h), " ", badge(t("h_status_" + h.status), h.status === "open" ? "" : "answered")),
    el("div", { class: "card" },
      el("p", { class: "muted" }, t("h_meta", { via: platformOf(h), at: localTime(h.created_at), why: reasonWord(h.reason) })),
      h.topic || h.commune ? el("p", {}, t("h_already"), ": ", [h.topic ? topicName(places, h.topic) : "", h.topic && h.commune ? " · " : "", h.commune]) : null,
      h.seen_at ? el("p", { class: "muted" }, t("h_seen", { by: h.seen_by, at: localTime(h.seen_at) })) : null,
      h.concern ? el("p", {}, t("h_became"), " ", el("a", { href: "#/concerns/" + encodeURIComponent(h.concern) }, h.concern)) : null,
      h.closed_at ? el("p", { class: "muted" }, t("h_closed_meta", { by: h.closed_by, at: localTime(h.closed_at) })) : null,
      h.messages.length ? thread(h) : el("p", { class: "muted" }, t("none"))),
    open && canAct() ? replyForm(h) : null,
    open && canAct() ? concernForm(h, places) : null,
    open && canAct() ? el("p", { class: "noprint" }, close, " ", el("span", { class: "muted" }, t("h_close_help"))) : null);
}

addPage("handoffs", {
  render: handoffsPage,
  nav: "h_nav",
  words: {
    vi: {
      h_nav: "Cần cán bộ", h_title: "Người dân cần cán bộ trả lời",
      h_help: "Những cuộc trò chuyện máy trả lời tự động không giúp được, hoặc người dân xin gặp cán bộ. Trả lời ngay tại đây: tin nhắn đi qua đúng kênh người dân đã dùng.",
      h_status_open: "Đang chờ", h_status_closed: "Đã đóng", h_status_all: "Tất cả",
      h_who: "Người dân", h_via: "Kênh", h_why: "Lý do", h_about: "Đã nói về", h_last: "Tin nhắn mới nhất", h_when: "Cập nhật",
      h_new: "Chưa xem", h_citizen: "Người dân", h_none_open: "Không có ai đang chờ cán bộ.",
      h_reason_menu_not_understood: "Máy chưa hiểu tin nhắn", h_reason_asked_for_person: "Xin gặp cán bộ",
      h_reason_citizen_not_understood: "Máy chưa hiểu câu trả lời", h_reason_status_lookup_help: "Cần giúp tra cứu",
      h_reason_other: "Máy không giúp được",
      h_official: "Cán bộ {by}", h_reply: "Trả lời người dân", h_reply_label: "Trả lời (gửi qua {via})", h_send: "Gửi trả lời",
      h_sent: "Đã gửi trả lời qua {via}.", h_to_concern: "Chuyển thành phản ánh",
      h_to_concern_help: "Phản ánh được xếp vào buổi đối thoại gần nhất của xã/phường; người dân nhận mã số qua kênh của họ. Cuộc trao đổi này được đóng lại.",
      h_pick_topic: "— Chọn lĩnh vực —", h_pick_commune: "Chọn một xã/phường trong danh sách.", h_file: "Tạo phản ánh",
      h_filed: "Đã tạo phản ánh {ref} và báo cho người dân.", h_close: "Đóng, không tạo phản ánh",
      h_close_help: "Khi đã trả lời xong.", h_closed_done: "Đã đóng.",
      h_meta: "Qua {via} lúc {at} · {why}", h_already: "Người dân đã cho biết", h_seen: "{by} đã xem lúc {at} (người dân đã được báo).",
      h_became: "Đã thành phản ánh", h_closed_meta: "{by} đã đóng lúc {at}.",
    },
    en: {
      h_nav: "Need an official", h_title: "Citizens waiting for an official",
      h_help: "Conversations the bot could not help with, or where the citizen asked for a person. Reply here: the message goes through the channel the citizen used.",
      h_status_open: "Waiting", h_status_closed: "Closed", h_status_all: "All",
      h_who: "Citizen", h_via: "Channel", h_why: "Why", h_about: "Already said", h_last: "Latest message", h_when: "Updated",
      h_new: "Not seen", h_citizen: "Citizen", h_none_open: "Nobody is waiting for an official.",
      h_reason_menu_not_understood: "The bot did not understand", h_reason_asked_for_person: "Asked for an official",
      h_reason_citizen_not_understood: "The bot did not understand an answer", h_reason_status_lookup_help: "Needs help looking up",
      h_reason_other: "The bot could not help",
      h_official: "Official {by}", h_reply: "Reply to the citizen", h_reply_label: "Reply (sent by {via})", h_send: "Send reply",
      h_sent: "Reply sent by {via}.", h_to_concern: "Turn into a concern",
      h_to_concern_help: "The concern is filed to the commune's next dialogue session; the citizen is sent its reference on their channel. This exchange is then closed.",
      h_pick_topic: "— Choose a topic —", h_pick_commune: "Choose a commune from the list.", h_file: "File the concern",
      h_filed: "Concern {ref} filed and the citizen told.", h_close: "Close without a concern",
      h_close_help: "When the reply is done.", h_closed_done: "Closed.",
      h_meta: "By {via} at {at} · {why}", h_already: "The citizen already said", h_seen: "Seen by {by} at {at} (the citizen was told).",
      h_became: "Became concern", h_closed_meta: "Closed by {by} at {at}.",
    },
  },
});
