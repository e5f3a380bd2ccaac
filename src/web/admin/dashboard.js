// The dashboard (#/): urgent concerns, the key figures, and counts per topic, commune, period
// and status, all computed by the gateway (GET /api/v1/stats/dashboard) over the concerns the
// official may see. Uses the helpers of app.js (api, el, show, t, addPage), loaded first.
"use strict";

// Bars are SVG rectangles whose length is a `width` attribute. The page's Content-Security-Policy
// (style-src 'self') blocks inline style attributes, and a bar given its width by one stays at
// its full length; an SVG attribute is geometry, not a style, so no policy touches it, the
// bar needs no script after it is drawn, and it prints as drawn.
// (The scripts share one global scope: flows.js has its own svg().)
function chartNode(tag, attrs, ...children) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

function bar(n, max) {
  const share = max > 0 ? (100 * n) / max : 0;
  // A count above zero keeps a sliver, so that "1" never looks like "0".
  const width = n > 0 ? Math.max(share, 1) : 0;
  return chartNode("svg", { class: "chart-bar", width: "100%", height: "14", "aria-hidden": "true", focusable: "false" },
    chartNode("rect", { x: 0, y: 0, height: 14, rx: 3, width: width.toFixed(2) + "%", "data-count": n }));
}

// rows: [{label, n, key}], most first unless `keepOrder`. The numbers are text in the table, so
// the chart says the same to a screen reader and when printed without colours.
function barChart(rows, name, keepOrder) {
  if (!rows.length || !rows.some((r) => r.n > 0)) return el("p", { class: "muted" }, t("none"));
  const shown = keepOrder ? rows : rows.slice().sort((a, b) => b.n - a.n);
  const max = Math.max(...shown.map((r) => r.n));
  return el("table", { class: "chart", "data-chart": name },
    el("thead", { class: "visually-hidden" }, el("tr", {}, el("th", {}, t("d_name")), el("th", {}, t("d_count")), el("th", {}, t("d_bar")))),
    el("tbody", {}, shown.map((r) => el("tr", { "data-key": r.key },
      el("th", { scope: "row" }, r.label), el("td", { class: "num" }, String(r.n)), el("td", { class: "bar-cell" }, bar(r.n, max))))));
}

const percent = (share) => Math.round(share * 100) + "%";
const number = (x) => x.toLocaleString(lang === "vi" ? "vi-VN" : "en-GB", { maximumFractionDigits: 1 });

// "2026-11" → "Tháng 11/2026" / "Nov 2026"; "2026-W47" → "Tuần 47/2026" / "Week 47, 2026".
function periodLabel(p) {
  const week = /^(\d{4})-W(\d{2})$/.exec(p);
  if (week) return t("d_week", { w: String(Number(week[2])), y: week[1] });
  const [y, m] = p.split("-");
  if (lang === "vi") return `Tháng ${Number(m)}/${y}`;
  // Three letters always: the browser's en-GB names September "Sept", one letter longer.
  return MONTHS_EN[Number(m) - 1] + " " + y;
}

function figure(value, label, detail) {
  return el("div", { class: "figure" }, el("span", { class: "figure-value" }, value),
    el("span", { class: "figure-label" }, label), detail ? el("span", { class: "muted figure-detail" }, detail) : null);
}

async function dashboardPage(parts, params) {
  show(el("p", {}, t("loading")));
  const by = params.get("by") === "week" ? "week" : "month";
  // The report's period: concerns filed from … to … (empty: all time).
  const day = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v || "") ? v : "");
  const from = day(params.get("from")), to = day(params.get("to"));
  const span = (from ? "&from=" + from : "") + (to ? "&to=" + to : "");
  const today = new Date().toISOString().slice(0, 10);
  const later = new Date(Date.now() + 200 * 864e5).toISOString().slice(0, 10);
  const [stats, urgentPage, sessions, reading, places] = await Promise.all([
    api("GET", "/stats/dashboard?by=" + by + span), api("GET", "/concerns?urgent=true&limit=50"),
    api("GET", `/sessions?from=${today}&to=${later}`), api("GET", "/stats/inferences"),
    api("GET", "/localities")]);
  const open = ["received", "scheduled", "unscheduled", "forwarded"];
  const urgent = urgentPage.items.filter((c) => open.includes(c.status));
  const upcoming = sessions.items.filter((s) => s.concerns > 0 || s.level === "province").slice(0, 12);
  const base = stats.total - (stats.by_status.withdrawn || 0) - (stats.by_status.merged || 0);
  const topics = stats.by_topic.map((x) => ({ key: x.topic, n: x.concerns, label: lang === "vi" ? x.name_vi : x.name_en }));
  const communes = stats.by_commune.map((x) => ({ key: x.code, n: x.concerns, label: x.code ? x.name : t("d_no_commune") }));
  const periods = stats.over_time.items.map((x) => ({ key: x.period, n: x.concerns, label: periodLabel(x.period) }));
  const statuses = Object.entries(stats.by_status).map(([s, n]) => ({ key: s, n, label: statusWord(s) }));
  // Where concerns came from and which level hears them (the province's report).
  const sources = Object.entries(stats.by_source || {}).map(([s, n]) => ({ key: s, n, label: s === "chat" ? t("d_src_chat") : t("src_" + s) }));
  const levelNames = new Map(places.levels.map((l) => [l.id, lang === "vi" ? l.name_vi : l.name_en]));
  const levels = Object.entries(stats.by_level || {}).map(([l, n]) => ({ key: l || "none", n, label: l ? levelNames.get(l) || l : t("d_no_session") }));
  const work = stats.followups;
  const switchTo = by === "month" ? "week" : "month";
  const pickFrom = el("input", { type: "date", value: from }), pickTo = el("input", { type: "date", value: to });
  const periodForm = el("form", { class: "card row noprint report-period", onsubmit: (ev) => {
    ev.preventDefault();
    const q = new URLSearchParams({ by });
    if (pickFrom.value) q.set("from", pickFrom.value);
    if (pickTo.value) q.set("to", pickTo.value);
    location.hash = "#/?" + q.toString();
  } }, field(t("d_from"), pickFrom), field(t("d_to"), pickTo), el("button", { type: "submit" }, t("show")),
  el("a", { class: "button", href: `/api/v1/stats/dashboard.xlsx?lang=${lang}${span}`, download: "" }, t("d_report_xlsx")));
  show(
    el("h1", {}, t("nav_dashboard")),
    periodForm,
    el("section", { class: "figures", "aria-label": t("d_figures") },
      figure(String(stats.total), t("d_total")),
      figure(percent(stats.answered_share), t("d_answered"), `${stats.answered} / ${base}`),
      // Answered in the room, of those answered (the live view's marks).
      figure(stats.answered ? percent(stats.answered_at_session_share) : "—", t("d_at_session"), `${stats.answered_at_session} / ${stats.answered}`),
      figure(percent(stats.urgent_share), t("d_urgent"), `${stats.urgent} / ${base}`),
      figure(stats.median_days_to_answer === null ? "—" : number(stats.median_days_to_answer) + " " + t("d_days"),
        t("d_median"), stats.median_days_to_answer === null ? t("d_no_answer") : null),
      // The work answers assigned: done by its deadline, and what is late.
      el("a", { href: "#/followups?state=overdue", class: "figure-link", "data-figure": "followups" },
        figure(work.done_on_time + work.done_late ? percent(work.on_time_share) : "—", t("d_on_time"),
          t("d_on_time_detail", { open: work.open, late: work.overdue }))),
      // Citizens' say on the answers they got.
      figure(stats.satisfaction.satisfied + stats.satisfaction.unsatisfied ? percent(stats.satisfaction.satisfied_share) : "—",
        t("d_satisfied"), t("d_satisfied_detail", { n: stats.satisfaction.satisfied, of: stats.satisfaction.satisfied + stats.satisfaction.unsatisfied })),
      // Citizens waiting for a person: a link to the hand-off inbox.
      el("a", { href: "#/handoffs", class: "figure-link", "data-figure": "handoffs" },
        figure(String(stats.handoffs_open || 0), t("d_handoffs"), t("d_handoffs_detail")))),
    el("div", { class: "card" }, el("h2", {}, t("urgent_first")),
      urgent.length ? stackOnPhones(concernTable(urgent, places)) : el("p", { class: "muted" }, t("none"))),
    el("div", { class: "grid" },
      el("section", { class: "card", "aria-labelledby": "d-topics" }, el("h2", { id: "d-topics" }, t("d_by_topic")), barChart(topics, "topic")),
      el("section", { class: "card", "aria-labelledby": "d-communes" }, el("h2", { id: "d-communes" }, t("by_commune")), barChart(communes, "commune"))),
    el("div", { class: "grid" },
      el("section", { class: "card", "aria-labelledby": "d-time" }, el("h2", { id: "d-time" }, t(by === "month" ? "d_by_month" : "d_by_week")),
        el("p", {}, el("a", { href: "#/?by=" + switchTo + span }, t(switchTo === "month" ? "d_show_months" : "d_show_weeks"))),
        barChart(periods, "time", true)),
      el("section", { class: "card", "aria-labelledby": "d-status" }, el("h2", { id: "d-status" }, t("by_status")), barChart(statuses, "status"))),
    el("div", { class: "grid" },
      el("section", { class: "card", "aria-labelledby": "d-source" }, el("h2", { id: "d-source" }, t("d_by_source")), barChart(sources, "source")),
      el("section", { class: "card", "aria-labelledby": "d-level" }, el("h2", { id: "d-level" }, t("d_by_level")), barChart(levels, "level"))),
    el("div", { class: "card" }, el("h2", {}, t("upcoming")), sessionTable(upcoming)),
    el("div", { class: "card" }, el("h2", {}, t("reading")), el("p", { class: "muted" }, t("reading_help")),
      readingTable(reading.topics)));
}

addPage("dashboard", {
  render: dashboardPage,
  words: {
    vi: {
      d_handoffs: "Cần cán bộ trả lời", d_handoffs_detail: "người dân đang chờ",
      d_figures: "Số liệu chính", d_total: "Phản ánh", d_answered: "Đã trả lời", d_urgent: "Khẩn cấp",
      d_median: "Thời gian trả lời (trung vị)", d_days: "ngày", d_no_answer: "chưa có phản ánh nào được trả lời",
      d_satisfied: "Người dân thấy thỏa đáng", d_satisfied_detail: "{n} / {of} ý kiến về câu trả lời",
      d_on_time: "Việc được giao xong đúng hạn", d_on_time_detail: "{open} việc đang làm, {late} quá hạn",
      d_by_source: "Phản ánh theo nguồn", d_by_level: "Phản ánh theo cấp đối thoại", d_src_chat: "nhắn tin (chat)",
      d_no_session: "chưa xếp buổi",
      d_by_topic: "Phản ánh theo lĩnh vực", d_by_month: "Phản ánh theo tháng", d_by_week: "Phản ánh theo tuần",
      d_show_weeks: "Xem theo tuần", d_show_months: "Xem theo tháng", d_week: "Tuần {w}/{y}",
      d_no_commune: "Chưa rõ xã, phường", d_name: "Tên", d_count: "Số phản ánh", d_bar: "Biểu đồ",
      d_from: "Gửi từ ngày", d_to: "đến ngày", d_report_xlsx: "Tải báo cáo (.xlsx)", d_at_session: "Trả lời ngay tại hội nghị",
    },
    en: {
      d_handoffs: "Need an official", d_handoffs_detail: "citizens waiting",
      d_figures: "Key figures", d_total: "Concerns", d_answered: "Answered", d_urgent: "Urgent",
      d_median: "Time to answer (median)", d_days: "days", d_no_answer: "no concern answered yet",
      d_satisfied: "Citizens satisfied", d_satisfied_detail: "{n} / {of} verdicts on answers",
      d_on_time: "Assigned work done on time", d_on_time_detail: "{open} in progress, {late} overdue",
      d_by_source: "Concerns by source", d_by_level: "Concerns by dialogue level", d_src_chat: "chat messages",
      d_no_session: "no session yet",
      d_by_topic: "Concerns by topic", d_by_month: "Concerns per month", d_by_week: "Concerns per week",
      d_show_weeks: "Show per week", d_show_months: "Show per month", d_week: "Week {w}, {y}",
      d_no_commune: "Commune not known", d_name: "Name", d_count: "Concerns", d_bar: "Chart",
      d_from: "Filed from", d_to: "to", d_report_xlsx: "Download the report (.xlsx)", d_at_session: "Answered at the meeting",
    },
  },
});
