// The message log (#/messages), for admins: what came in and what went out, newest first — the
// replies and notices to citizens, and the events told to other systems (outbound_hooks) — with
// each message's state, its attempts and the last error, so what did not go is seen at once.
// Uses the helpers of app.js (api, el, show, t, addPage, ...), which is loaded first.
"use strict";

// Where an outbound line went: a citizen's channel, or another system ("hook:<name>").
function messageChannel(id) {
  return id.startsWith("hook:") ? t("m_system", { name: id.slice(5) }) : channelWord(id);
}

// To whom, or about what: an event's concern links to it; a session's event names it.
function messageSubject(m) {
  if (m.kind === "event" && m.user_id.startsWith("session:"))
    return el("a", { href: "#/sessions/" + encodeURIComponent(m.user_id.slice(8)) }, m.user_id.slice(8));
  if (m.kind === "event") return el("a", { href: "#/concerns/" + encodeURIComponent(m.user_id) }, m.user_id);
  return m.user_id;  // the citizen's id on their platform, the same both ways
}

// An event in words, with its wire name for the receiver's developers.
const eventText = (type) => (WORDS.vi["me_" + type] ? [t("me_" + type), " ", el("code", {}, type)] : type);

function messageState(m) {
  if (m.direction === "in") return t("m_received");
  const cls = m.status === "failed" ? "urgent" : m.status === "sent" ? "answered" : "";
  return [badge(t("ms_" + m.status), cls),
    m.attempts > 1 ? el("span", { class: "muted" }, " ", t("m_attempts", { n: m.attempts })) : null,
    m.in_doubt ? el("span", { class: "muted" }, " ", t("m_in_doubt")) : null,
    m.error && m.status !== "sent" ? el("div", { class: "muted message-error" }, m.error) : null];
}

function messageRow(m) {
  return el("tr", { class: "m-" + m.direction + (m.status === "failed" ? " m-failed" : "") },
    el("td", { class: "date" }, localTime(m.at)),
    el("td", {}, t(m.direction === "in" ? "m_dir_in" : "m_dir_out")),
    el("td", {}, m.direction === "in" ? channelWord(m.channel) : messageChannel(m.channel)),
    el("td", {}, messageSubject(m)),
    el("td", {}, WORDS.vi["mk_" + m.kind] ? t("mk_" + m.kind) : m.kind),
    el("td", { class: "concern-text" }, m.kind === "event" ? eventText(m.text) : m.text || "—"),
    el("td", {}, messageState(m)));
}

const MESSAGE_FILTERS = {
  all: () => true,
  in: (m) => m.direction === "in",
  out: (m) => m.direction === "out" && m.kind !== "event",
  events: (m) => m.kind === "event",
  failed: (m) => m.direction === "out" && (m.status === "failed" || m.status === "held"),
};

async function messagesPage(parts, params) {
  const shown = MESSAGE_FILTERS[params.get("show")] ? params.get("show") : "all";
  const list = await api("GET", "/messages?limit=200");
  const pick = el("select", { onchange: () => { location.hash = "#/messages?show=" + pick.value; } },
    Object.keys(MESSAGE_FILTERS).map((k) => option(k, t("mf_" + k), k === shown)));
  const items = list.items.filter(MESSAGE_FILTERS[shown]);
  const table = items.length
    ? stackOnPhones(el("table", { class: "messages" }, el("thead", {}, el("tr", {},
      ["m_at", "m_dir", "m_channel", "m_subject", "m_kind", "m_text", "m_state"].map((k) => el("th", {}, t(k))))),
    el("tbody", {}, items.map(messageRow))))
    : el("p", { class: "muted" }, t("none"));
  show(el("h1", {}, t("m_title")), el("p", { class: "muted" }, t("m_help")),
    el("div", { class: "card row" }, field(t("m_show"), pick), el("p", {}, t("m_count", { n: items.length }))),
    el("div", { class: "card" }, table));
}

addPage("messages", {
  render: messagesPage,
  nav: "m_nav",
  adminOnly: true,
  words: {
    vi: {
      m_nav: "Nhật ký tin nhắn", m_title: "Nhật ký tin nhắn",
      m_help: "200 tin gần nhất, mới nhất trước: tin người dân gửi đến, tin gửi đi cho người dân, và các sự kiện báo cho hệ thống khác (trung tâm điều hành, cổng dịch vụ công). Tin gửi lỗi ghi rõ lý do.",
      m_show: "Hiển thị", mf_all: "Tất cả", mf_in: "Tin đến", mf_out: "Tin gửi người dân", mf_events: "Sự kiện cho hệ thống khác", mf_failed: "Gửi lỗi hoặc đang giữ lại",
      m_count: "{n} dòng", m_at: "Thời gian", m_dir: "Chiều", m_channel: "Kênh", m_subject: "Người dân (mã trên kênh) / phản ánh",
      m_kind: "Loại", m_text: "Nội dung", m_state: "Trạng thái", m_dir_in: "Đến", m_dir_out: "Đi",
      m_system: "Hệ thống khác: {name}", m_received: "Đã nhận",
      "me_concern.filed": "Phản ánh mới", "me_concern.status": "Đổi trạng thái", "me_concern.answered": "Đã trả lời",
      "me_session.changed": "Buổi đối thoại thay đổi",
      m_attempts: "({n} lần gửi)", m_in_doubt: "(có thể đã gửi hai lần)",
      ms_pending: "Đang chờ gửi", ms_sent: "Đã gửi", ms_failed: "Gửi lỗi", ms_held: "Giữ lại đến khi người dân nhắn",
      mk_message: "Trả lời", mk_notice: "Thông báo", mk_offer: "Xin phép báo tin", mk_ack: "Xác nhận nút bấm", mk_event: "Sự kiện",
      mk_text: "Tin nhắn", mk_choice: "Bấm nút", mk_image: "Ảnh", mk_location: "Vị trí", mk_contact: "Số điện thoại", mk_permission: "Cho phép nhận tin",
    },
    en: {
      m_nav: "Message log", m_title: "Message log",
      m_help: "The latest 200, newest first: what citizens sent, what went to citizens, and the events told to other systems (the operations centre, the public-service portal). A failed send says why.",
      m_show: "Show", mf_all: "All", mf_in: "Incoming", mf_out: "To citizens", mf_events: "Events for other systems", mf_failed: "Failed or held",
      m_count: "{n} lines", m_at: "Time", m_dir: "Direction", m_channel: "Channel", m_subject: "Citizen (id on the channel) / concern",
      m_kind: "Kind", m_text: "Text", m_state: "State", m_dir_in: "In", m_dir_out: "Out",
      m_system: "Other system: {name}", m_received: "Received",
      "me_concern.filed": "New concern", "me_concern.status": "Status changed", "me_concern.answered": "Answered",
      "me_session.changed": "Session changed",
      m_attempts: "({n} attempts)", m_in_doubt: "(may have gone twice)",
      ms_pending: "Waiting", ms_sent: "Sent", ms_failed: "Failed", ms_held: "Held for the citizen's next message",
      mk_message: "Reply", mk_notice: "Notice", mk_offer: "Opt-in request", mk_ack: "Button acknowledged", mk_event: "Event",
      mk_text: "Message", mk_choice: "Button", mk_image: "Photo", mk_location: "Location", mk_contact: "Phone number", mk_permission: "Permission",
    },
  },
});
