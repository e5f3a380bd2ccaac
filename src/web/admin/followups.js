// Work assigned after the dialogue (#/followups): what each answer promised, to which office by
// when, the overdue first; an official reports it done, and the citizen is told. Items past
// their deadline go onto the next session's agenda by themselves (the gateway's sweep).
// Uses the helpers of app.js (api, el, show, t, addPage, ...), which is loaded first.
"use strict";

function followupRow(c, places) {
  const result = el("input", { maxlength: 4000, required: true, placeholder: t("f_result"), "aria-label": t("f_result") + " " + c.ref });
  const close = c.followup === "assigned" && canAct() ? el("form", { class: "row close-followup", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", `/concerns/${encodeURIComponent(c.ref)}/followup/close`, { result: result.value });
      await route();
      flash(t("f_closed_ok"));
    } catch (e) { failure(e); }
  } }, result, el("button", { type: "submit" }, t("f_close"))) : null;
  return el("tr", { "data-ref": c.ref, class: c.overdue ? "overdue" : "" },
    el("td", { class: "date" }, el("a", { href: "#/concerns/" + encodeURIComponent(c.ref) }, c.ref),
      c.overdue ? [" ", badge(t("f_overdue"), "urgent")] : null),
    el("td", {}, c.commune || "—", " · ", topicName(places, c.topic)),
    el("td", {}, c.assigned_to),
    el("td", { class: "date" }, deadlineText(c.deadline)),
    el("td", { class: "concern-text" }, c.promise),
    el("td", {}, c.followup === "closed" ? c.followup_result : close));
}

async function followupsPage(parts, params) {
  const state = params.get("state") || "open";
  const [list, places] = await Promise.all([api("GET", "/followups?state=" + encodeURIComponent(state)), api("GET", "/localities")]);
  const pick = el("select", { onchange: () => { location.hash = "#/followups?state=" + pick.value; } },
    ["open", "overdue", "closed", "all"].map((s) => option(s, t("f_" + s), s === state)));
  const table = list.items.length
    ? stackOnPhones(el("table", { class: "followups" }, el("thead", {}, el("tr", {}, el("th", {}, t("ref")),
      el("th", {}, t("f_where")), el("th", {}, t("f_office")), el("th", {}, t("f_deadline")), el("th", {}, t("f_promise")),
      el("th", {}, t(state === "closed" ? "f_result" : state === "all" ? "f_result_or_done" : "f_done")))),
    el("tbody", {}, list.items.map((c) => followupRow(c, places)))))
    : el("p", { class: "muted" }, t("none"));
  show(el("h1", {}, t("f_title")), el("p", { class: "muted" }, t("f_help")),
    el("div", { class: "card row" }, field(t("status"), pick), el("p", {}, t("f_count", { n: list.total, late: list.overdue }))),
    el("div", { class: "card" }, table));
}

addPage("followups", {
  render: followupsPage,
  nav: "f_nav",
  words: {
    vi: {
      f_nav: "Việc được giao", f_title: "Việc được giao sau đối thoại",
      f_help: "Những câu trả lời hứa một việc: đơn vị thực hiện, hạn và việc đã hứa. Việc quá hạn chưa xong tự động được đưa vào chương trình buổi đối thoại tiếp theo. Báo hoàn thành thì người dân được báo qua kênh của họ.",
      f_open: "Đang thực hiện", f_overdue: "Quá hạn", f_closed: "Đã hoàn thành", f_all: "Tất cả",
      f_where: "Xã/phường · lĩnh vực", f_office: "Đơn vị thực hiện", f_deadline: "Hạn", f_promise: "Việc đã hứa",
      f_result: "Kết quả thực hiện", f_done: "Báo hoàn thành", f_close: "Báo hoàn thành",
      f_closed_ok: "Đã ghi nhận hoàn thành và báo người dân.", f_count: "{n} việc, {late} quá hạn",
      f_result_or_done: "Kết quả / báo hoàn thành",
    },
    en: {
      f_nav: "Assigned work", f_title: "Work assigned after the dialogue",
      f_help: "Answers that promised work: the office, the deadline and what was promised. Work not done by its deadline goes onto the next session's agenda by itself. Reporting it done tells the citizen on their own channel.",
      f_open: "In progress", f_overdue: "Overdue", f_closed: "Done", f_all: "All",
      f_where: "Commune · topic", f_office: "Office", f_deadline: "Deadline", f_promise: "What was promised",
      f_result: "What was done", f_done: "Report done", f_close: "Report done",
      f_closed_ok: "Recorded as done; the citizen was told.", f_count: "{n} items, {late} overdue",
      f_result_or_done: "Result / report done",
    },
  },
});
