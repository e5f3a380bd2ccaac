#include "dgw/api/agenda_export.hpp"

#include "api/document_parts.hpp"

#include <dgw/core/text.hpp>

#include <xlsxwriter.h>

#include <algorithm>

namespace dgw::api {
namespace {

struct headings {
    const char* number;
    const char* group;
    const char* topic;
    const char* concerns;
    const char* citizens;
    const char* communes;
    const char* representative;
    const char* urgent;
    const char* yes;
    const char* date;
    const char* venue;
    const char* document;    // the list's title
    const char* signer;      // who signs
    const char* sign_hint;
};

const headings& words(const std::string& language) {
    static const headings vi{"STT", "Nhóm", "Lĩnh vực", "Số phản ánh", "Số người dân",
                             "Xã, phường", "Nội dung tiêu biểu", "Khẩn cấp", "Có",
                             "Thời gian", "Địa điểm", "DANH SÁCH Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN",
                             "NGƯỜI LẬP DANH SÁCH",
                             "(Ký, ghi rõ họ tên)"};
    static const headings en{"No.", "Group", "Topic", "Concerns", "Citizens", "Communes",
                             "Representative text", "Urgent", "Yes", "Date", "Venue",
                             "CITIZENS' CONCERNS AND PROPOSALS", "PREPARED BY", "(Signature and full name)"};
    return language == "en" ? en : vi;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// One CSV cell: quoted when needed; a leading formula character is defused so that opening
// the file never runs what a citizen typed. TAB and CR count too: spreadsheets skip them and
// read the formula after (OWASP's CSV injection list).
std::string csv_cell(const std::string& raw) {
    std::string v = raw;
    if (!v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v = "'" + v;
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string q = "\"";
    for (char c : v) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

}  // namespace

std::string agenda_csv(const agenda_sheet& a) {
    const auto& w = words(a.language);
    std::string out = "\xEF\xBB\xBF";
    auto line = [&out](std::initializer_list<std::string> cells) {
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out += ',';
            out += csv_cell(c);
            first = false;
        }
        out += "\r\n";
    };
    line({w.number, w.group, w.topic, w.concerns, w.citizens, w.communes, w.representative, w.urgent});
    std::size_t n = 0;
    for (const auto& g : a.groups)
        line({std::to_string(++n), group_title(g.name, g.representative), g.topic, std::to_string(g.concerns),
              std::to_string(g.citizens), join(g.communes), g.representative, g.urgent ? w.yes : ""});
    return out;
}

std::string agenda_xlsx(const agenda_sheet& a) {
    const auto& w = words(a.language);
    return workbook_bytes("agenda", [&](lxw_workbook* book) {
        lxw_worksheet* sheet = workbook_add_worksheet(book, a.language == "en" ? "Agenda" : "Chương trình");
        const auto [bold, wrap, title] = formats_of(book);

        worksheet_write_string(sheet, 0, 0, a.title.c_str(), title);
        worksheet_write_string(sheet, 1, 0, (std::string(w.date) + ": " + a.date).c_str(), nullptr);
        worksheet_write_string(sheet, 2, 0, (std::string(w.venue) + ": " + a.venue).c_str(), nullptr);
        const auto made = a.issuer + " · " + dated_line(a.place, a.day, a.month, a.year, a.language);
        worksheet_write_string(sheet, 3, 0, made.c_str(), nullptr);
        const lxw_row_t head = 4;
        const char* cols[] = {w.number, w.group, w.topic, w.concerns, w.citizens, w.communes, w.representative, w.urgent};
        for (lxw_col_t c = 0; c < 8; ++c) worksheet_write_string(sheet, head, c, cols[c], bold);
        lxw_row_t r = head + 1;
        for (const auto& g : a.groups) {
            // write_string never interprets a formula, so citizens' text stays text.
            worksheet_write_number(sheet, r, 0, static_cast<double>(r - head), nullptr);
            worksheet_write_string(sheet, r, 1, group_title(g.name, g.representative).c_str(), wrap);
            worksheet_write_string(sheet, r, 2, g.topic.c_str(), wrap);
            worksheet_write_number(sheet, r, 3, static_cast<double>(g.concerns), nullptr);
            worksheet_write_number(sheet, r, 4, static_cast<double>(g.citizens), nullptr);
            worksheet_write_string(sheet, r, 5, join(g.communes).c_str(), wrap);
            worksheet_write_string(sheet, r, 6, g.representative.c_str(), wrap);
            worksheet_write_string(sheet, r, 7, g.urgent ? w.yes : "", nullptr);
            ++r;
        }
        worksheet_set_column(sheet, 0, 0, 5, nullptr);
        worksheet_set_column(sheet, 1, 1, 36, nullptr);
        worksheet_set_column(sheet, 2, 2, 16, nullptr);
        worksheet_set_column(sheet, 3, 4, 12, nullptr);
        worksheet_set_column(sheet, 5, 5, 28, nullptr);
        worksheet_set_column(sheet, 6, 6, 60, nullptr);
        worksheet_set_column(sheet, 7, 7, 10, nullptr);
        worksheet_freeze_panes(sheet, head + 1, 0);
        worksheet_repeat_rows(sheet, head, head);
        worksheet_set_landscape(sheet);
        worksheet_set_paper(sheet, 9);  // A4
        worksheet_fit_to_pages(sheet, 1, 0);  // one page wide, as many long as it takes
    });
}

std::string agenda_html(const agenda_sheet& a) {
    const auto& w = words(a.language);
    const auto esc = [](const std::string& v) { return core::html_escape(v); };
    std::string h =
        "<!doctype html><html lang=\"" + esc(a.language) + "\"><head><meta charset=\"utf-8\">"
        "<title>" + esc(a.title) + "</title><style>"
        "@page{size:A4;margin:20mm 15mm 20mm 30mm}"
        "body{font:12pt/1.35 'Times New Roman','Liberation Serif','Noto Serif',serif;color:#000;"
        "max-width:170mm;margin:0 auto}@media screen{body{padding:12mm 8mm}}"
        ".head{display:grid;grid-template-columns:38% 62%;text-align:center;margin-bottom:10pt;"
        "font-size:11.5pt}"
        ".head p{margin:0}.head .b{font-weight:bold}.motto{font-weight:bold;text-decoration:underline}"
        ".day{text-align:right;font-style:italic;margin:4pt 0 12pt}"
        "h1{font-size:14pt;text-align:center;margin:0 0 2pt}h2{font-size:13pt;text-align:center;"
        "font-weight:normal;margin:0 0 4pt}p.when{text-align:center;margin:0 0 10pt}"
        "table{width:100%;border-collapse:collapse;table-layout:fixed}"
        "th,td{border:1px solid #000;padding:3pt 4pt;vertical-align:top;text-align:left;"
        "overflow-wrap:break-word}th{text-align:center;font-size:11pt}thead{display:table-header-group}"
        "tr{break-inside:avoid}td.n{text-align:center}"
        "col.n{width:13mm}col.g{width:36mm}col.t{width:24mm}col.c{width:17mm}col.p{width:17mm}"
        "col.x{width:26mm}"
        ".sign{display:grid;grid-template-columns:1fr 1fr;margin-top:16pt;text-align:center;"
        "break-inside:avoid}.sign .b{font-weight:bold;margin:0}.sign p{margin:0}"
        "</style></head><body>";
    h += "<div class=\"head\"><div><p class=\"b\">" + esc(a.issuer) + "</p></div><div><p class=\"b\">" +
         std::string(heading_in(a.language).nation) + "</p><p class=\"motto\">" +
         heading_in(a.language).motto + "</p></div></div>";
    h += "<p class=\"day\">" + esc(dated_line(a.place, a.day, a.month, a.year, a.language)) + "</p>";
    h += "<h1>" + std::string(w.document) + "</h1><h2>" + esc(a.title) + "</h2>";
    h += "<p class=\"when\">" + std::string(w.date) + ": " + esc(a.date) + " · " + w.venue +
         ": " + esc(a.venue) + "</p>";
    h += "<table><colgroup><col class=\"n\"><col class=\"g\"><col class=\"t\"><col class=\"c\">"
         "<col class=\"p\"><col class=\"x\"><col></colgroup><thead><tr><th>" +
         std::string(w.number) + "</th><th>" + w.group + "</th><th>" + w.topic + "</th><th>" +
         w.concerns + "</th><th>" + w.citizens + "</th><th>" + w.communes + "</th><th>" +
         w.representative + "</th></tr></thead><tbody>";
    std::size_t n = 0;
    for (const auto& g : a.groups) {
        h += "<tr><td class=\"n\">" + std::to_string(++n) + "</td><td>" + esc(group_title(g.name, g.representative)) +
             (g.urgent ? std::string(" <strong>(") + w.urgent + ")</strong>" : std::string()) +
             "</td><td>" + esc(g.topic) + "</td><td class=\"n\">" + std::to_string(g.concerns) +
             "</td><td class=\"n\">" + std::to_string(g.citizens) + "</td><td>" +
             esc(join(g.communes)) + "</td><td>" + esc(g.representative) + "</td></tr>";
    }
    h += "</tbody></table>";
    h += "<div class=\"sign\"><div></div><div><p class=\"b\">" + std::string(w.signer) +
         "</p><p><em>" + w.sign_hint + "</em></p></div></div></body></html>";
    return h;
}

}  // namespace dgw::api
