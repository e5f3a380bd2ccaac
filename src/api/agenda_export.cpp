#include "dgw/api/agenda_export.hpp"

#include <dgw/core/text.hpp>

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

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
};

const headings& words(const std::string& language) {
    static const headings vi{"STT", "Nhóm", "Lĩnh vực", "Số phản ánh", "Số người dân",
                             "Xã, phường", "Nội dung tiêu biểu", "Khẩn cấp", "Có",
                             "Thời gian", "Địa điểm"};
    static const headings en{"No.", "Group", "Topic", "Concerns", "Citizens", "Communes",
                             "Representative text", "Urgent", "Yes", "Date", "Venue"};
    return language == "en" ? en : vi;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// Unnamed groups are titled by the start of their representative text, cut between two
// UTF-8 characters, never inside one.
std::string group_title(const agenda_sheet::group& g) {
    if (!g.name.empty()) return g.name;
    std::size_t end = std::min<std::size_t>(g.representative.size(), 80);
    while (end > 0 && end < g.representative.size() &&
           (static_cast<unsigned char>(g.representative[end]) & 0xC0) == 0x80)
        --end;
    return g.representative.substr(0, end);
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
        line({std::to_string(++n), group_title(g), g.topic, std::to_string(g.concerns),
              std::to_string(g.citizens), join(g.communes), g.representative, g.urgent ? w.yes : ""});
    return out;
}

std::string agenda_xlsx(const agenda_sheet& a) {
    const auto& w = words(a.language);
    std::random_device rd;
    auto path = std::filesystem::temp_directory_path() /
                ("dgw-agenda-" + std::to_string(rd()) + std::to_string(rd()) + ".xlsx");
    // The file is ours alone for the few milliseconds it exists; removed whatever happens.
    struct remover {
        std::filesystem::path p;
        ~remover() {
            std::error_code ec;
            std::filesystem::remove(p, ec);
        }
    } cleanup{path};

    lxw_workbook* book = workbook_new(path.c_str());
    if (!book) throw std::runtime_error("cannot create the workbook");
    lxw_worksheet* sheet = workbook_add_worksheet(book, a.language == "en" ? "Agenda" : "Chương trình");
    lxw_format* bold = workbook_add_format(book);
    format_set_bold(bold);
    lxw_format* wrap = workbook_add_format(book);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    lxw_format* title = workbook_add_format(book);
    format_set_bold(title);
    format_set_font_size(title, 14);

    worksheet_write_string(sheet, 0, 0, a.title.c_str(), title);
    worksheet_write_string(sheet, 1, 0, (std::string(w.date) + ": " + a.date).c_str(), nullptr);
    worksheet_write_string(sheet, 2, 0, (std::string(w.venue) + ": " + a.venue).c_str(), nullptr);
    const lxw_row_t head = 4;
    const char* cols[] = {w.number, w.group, w.topic, w.concerns, w.citizens, w.communes, w.representative, w.urgent};
    for (lxw_col_t c = 0; c < 8; ++c) worksheet_write_string(sheet, head, c, cols[c], bold);
    lxw_row_t r = head + 1;
    for (const auto& g : a.groups) {
        // write_string never interprets a formula, so citizens' text stays text.
        worksheet_write_number(sheet, r, 0, static_cast<double>(r - head), nullptr);
        worksheet_write_string(sheet, r, 1, group_title(g).c_str(), wrap);
        worksheet_write_string(sheet, r, 2, g.topic.c_str(), nullptr);
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
    worksheet_set_landscape(sheet);
    worksheet_set_paper(sheet, 9);  // A4
    if (workbook_close(book) != LXW_NO_ERROR) throw std::runtime_error("cannot write the workbook");

    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read the workbook back");
    return bytes.str();
}

std::string agenda_html(const agenda_sheet& a) {
    const auto& w = words(a.language);
    std::string h =
        "<!doctype html><html lang=\"" + core::html_escape(a.language) + "\"><head><meta charset=\"utf-8\">"
        "<title>" + core::html_escape(a.title) + "</title><style>"
        "@page{size:A4;margin:15mm}body{font:11pt/1.35 system-ui,'Noto Sans',Arial,sans-serif;color:#000}"
        "h1{font-size:15pt;margin:0 0 4pt}p{margin:0 0 8pt}table{width:100%;border-collapse:collapse}"
        "th,td{border:1px solid #444;padding:3pt 5pt;vertical-align:top;text-align:left}"
        "th{background:#eee}tr{break-inside:avoid}td.n{text-align:right}"
        "</style></head><body>";
    h += "<h1>" + core::html_escape(a.title) + "</h1>";
    h += "<p>" + std::string(w.date) + ": " + core::html_escape(a.date) + " · " + w.venue + ": " +
         core::html_escape(a.venue) + "</p>";
    h += "<table><thead><tr><th>" + std::string(w.number) + "</th><th>" + w.group + "</th><th>" +
         w.topic + "</th><th>" + w.concerns + "</th><th>" + w.citizens + "</th><th>" + w.communes +
         "</th><th>" + w.representative + "</th></tr></thead><tbody>";
    std::size_t n = 0;
    for (const auto& g : a.groups) {
        h += "<tr><td class=\"n\">" + std::to_string(++n) + "</td><td>" + core::html_escape(group_title(g)) +
             (g.urgent ? std::string(" <strong>(") + w.urgent + ")</strong>" : std::string()) +
             "</td><td>" + core::html_escape(g.topic) + "</td><td class=\"n\">" + std::to_string(g.concerns) +
             "</td><td class=\"n\">" + std::to_string(g.citizens) + "</td><td>" +
             core::html_escape(join(g.communes)) + "</td><td>" + core::html_escape(g.representative) + "</td></tr>";
    }
    h += "</tbody></table></body></html>";
    return h;
}

}  // namespace dgw::api
