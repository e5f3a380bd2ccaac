// Registering a concern that did not come by chat (#/register): what a citizen wrote in a
// letter, said at the reception desk or on the hotline, what the press reported, or what was
// raised at the meeting. Filed like a chat concern; with a phone number the citizen agreed to
// give, the receipt goes by SMS. Uses the helpers of app.js, which is loaded first.
"use strict";

async function registerPage() {
  const places = await api("GET", "/localities");
  const source = el("select", {}, ["letter", "reception", "hotline", "press", "meeting"].map((s) => option(s, t("rg_" + s))));
  const topic = el("select", { required: true }, option("", t("h_pick_topic")), places.topics.map((x) => option(x.id, topicName(places, x.id))));
  const commune = communePicker(places, "");
  const text = el("textarea", { rows: 5, maxlength: 4000, required: true });
  const name = el("input", { maxlength: 200, autocomplete: "off" });
  const phone = el("input", { type: "tel", autocomplete: "off", placeholder: "0912 345 678" });
  const consent = el("input", { type: "checkbox" });
  // A letter's scanned page (or a photo of it): kept with the concern, seen only by officials.
  const scan = el("input", { type: "file", accept: "application/pdf,image/jpeg,image/png" });
  const form = el("form", { class: "card", onsubmit: async (ev) => {
    ev.preventDefault();
    const code = await commune.resolve();
    if (!code) return formError(form, { commune: [/./, commune.input[0]] }, new Error(t("h_pick_commune")));
    const body = { source: source.value, topic: topic.value, commune_code: code, text: text.value, consent: consent.checked };
    if (name.value.trim()) body.name = name.value.trim();
    if (phone.value.trim()) body.phone = phone.value.trim();
    try {
      if (scan.files[0]) body.scan = await dataUrl(scan.files[0]);
      const r = await api("POST", "/concerns", body);
      location.hash = "#/concerns/" + encodeURIComponent(r.ref);
      flash(t(r.receipt === "sms" ? "rg_done_sms" : "rg_done", { ref: r.ref }));
    } catch (e) {
      formError(form, { phone: [/phone|consent|điện thoại|đồng ý/, phone], text: [/text|nội dung/, text],
        topic: [/topic|lĩnh vực/, topic], commune: [/commune|xã/, commune.input[0]], scan: [/scan|bản quét|too large|quá lớn/, scan] }, e);
    }
  } },
  field(t("rg_source"), source), field(t("topic"), topic), field(t("commune"), commune.input), field(t("text"), text),
  field(t("rg_scan"), scan), el("p", { class: "muted" }, t("rg_scan_help")),
  el("fieldset", {}, el("legend", {}, t("rg_person")), el("p", { class: "muted" }, t("rg_person_help")),
    field(t("rg_name"), name), field(t("rg_phone"), phone),
    el("label", { class: "check" }, consent, " ", t("rg_consent"))),
  el("button", { class: "primary", type: "submit" }, t("rg_submit")));
  show(el("h1", {}, t("rg_title")), el("p", { class: "muted" }, t("rg_help")), form, importCard());
}

// A file as a data: URL ("data:application/pdf;base64,..."), as the API takes scans and workbooks.
function dataUrl(f) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(f);
  });
}

// Many at once from a spreadsheet (Excel .xlsx, or CSV): checked first (nothing filed), each
// refused row with its reason; then the rows that pass are filed.
function importCard() {
  const file = el("input", { type: "file", accept: ".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
  const report = el("div", { class: "import-report", "aria-live": "polite" });
  // A refused file is told below its button, where the official is looking.
  const refused = (e) => formError(report, {}, e);
  const send = async (dryRun) => {
    const f = file.files[0];
    const body = /\.xlsx$/i.test(f.name) ? { xlsx: await dataUrl(f) } : { csv: await f.text() };
    body.dry_run = dryRun;
    const r = await api("POST", "/concerns/import", body);
    const lines = [el("p", {}, t(dryRun ? "rg_checked" : "rg_imported", { ok: dryRun ? r.accepted.length : r.filed.length, n: r.rows }))];
    if (r.refused.length)
      lines.push(el("ul", { class: "refused" }, r.refused.map((x) => el("li", {}, t("rg_row", { row: x.row }), ": ", x.reason))));
    if (!dryRun && r.filed.length)
      lines.push(el("p", {}, r.filed.map((x) => [el("a", { href: "#/concerns/" + x.ref }, x.ref), " "])));
    if (dryRun && r.accepted.length)
      lines.push(el("button", { type: "button", class: "primary", onclick: () => send(false).catch(refused) }, t("rg_file_rows", { n: r.accepted.length })));
    report.replaceChildren(...lines);
  };
  return el("section", { class: "card" }, el("h2", {}, t("rg_import")), el("p", { class: "muted" }, t("rg_import_help")),
    field(t("rg_file"), file),
    el("button", { type: "button", onclick: () => { if (file.files[0]) send(true).catch(refused); } }, t("rg_check")), report);
}

addPage("register", {
  render: registerPage,
  words: {
    vi: {
      rg_title: "Ghi nhận phản ánh ngoài kênh chat",
      rg_help: "Phản ánh được xếp vào buổi đối thoại gần nhất của xã/phường như phản ánh qua chat, có mã số và nguồn.",
      rg_source: "Nguồn", rg_letter: "Thư, đơn gửi đến", rg_reception: "Tiếp dân tại trụ sở", rg_hotline: "Đường dây nóng",
      rg_press: "Báo chí, dư luận", rg_meeting: "Ý kiến tại buổi đối thoại",
      rg_person: "Người phản ánh (không bắt buộc)",
      rg_person_help: "Chỉ ghi tên và số điện thoại khi người dân đồng ý. Có số điện thoại thì người dân nhận mã số và câu trả lời qua tin nhắn SMS.",
      rg_name: "Họ tên", rg_phone: "Số điện thoại", rg_consent: "Người dân đồng ý cho lưu tên và số điện thoại để nhận trả lời",
      rg_scan: "Bản quét thư, đơn (PDF hoặc ảnh, không bắt buộc)",
      rg_scan_help: "Chỉ cán bộ xem được bản quét; không bao giờ công bố.",
      rg_import: "Nhập nhiều phản ánh từ bảng tính (Excel hoặc CSV)",
      rg_import_help: "Tệp Excel (.xlsx, trang đầu tiên) hoặc CSV (UTF-8) với dòng tiêu đề: Nguồn, Lĩnh vực, Xã, Nội dung, và nếu có: Họ tên, Số điện thoại, Đồng ý (có/không). Tệp được kiểm tra trước, chưa ghi nhận gì.",
      rg_file: "Tệp bảng tính", rg_check: "Kiểm tra tệp", rg_checked: "{ok}/{n} dòng hợp lệ.", rg_imported: "Đã ghi nhận {ok}/{n} dòng.",
      rg_row: "Dòng {row}", rg_file_rows: "Ghi nhận {n} dòng hợp lệ",
      rg_submit: "Ghi nhận phản ánh", rg_done: "Đã ghi nhận phản ánh {ref}.", rg_done_sms: "Đã ghi nhận phản ánh {ref}; người dân nhận mã số qua SMS.",
    },
    en: {
      rg_title: "Register a concern that did not come by chat",
      rg_help: "The concern goes to the commune's next dialogue session like a chat concern, with a reference and its source.",
      rg_source: "Source", rg_letter: "A letter or petition", rg_reception: "The reception desk", rg_hotline: "The hotline",
      rg_press: "The press or public opinion", rg_meeting: "Raised at the dialogue session",
      rg_person: "Who raised it (optional)",
      rg_person_help: "Record a name and phone number only when the citizen agrees. With a phone number they get the reference and the answer by SMS.",
      rg_name: "Name", rg_phone: "Phone number", rg_consent: "The citizen agrees that their name and number are kept to send them the answer",
      rg_scan: "The letter's scan (PDF or image, optional)",
      rg_scan_help: "Only officials see the scan; it is never published.",
      rg_import: "Import many concerns from a spreadsheet (Excel or CSV)",
      rg_import_help: "An Excel file (.xlsx, its first sheet) or CSV (UTF-8) with a header line: Source, Topic, Commune, Text and, when known: Name, Phone, Consent (yes/no). The file is checked first; nothing is filed yet.",
      rg_file: "Spreadsheet file", rg_check: "Check the file", rg_checked: "{ok} of {n} rows can be filed.", rg_imported: "{ok} of {n} rows filed.",
      rg_row: "Row {row}", rg_file_rows: "File the {n} good rows",
      rg_submit: "Register the concern", rg_done: "Concern {ref} registered.", rg_done_sms: "Concern {ref} registered; the citizen gets its reference by SMS.",
    },
  },
});
