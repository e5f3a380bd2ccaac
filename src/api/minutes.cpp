#include "dgw/api/minutes.hpp"

#include "api/document_parts.hpp"

#include <dgw/core/text.hpp>

#include <xlsxwriter.h>
#include <zip.h>

#include <memory>
#include <stdexcept>

namespace dgw::api {
namespace {

struct words {
    const char* document;  // the document's name
    const char* time_place_people;
    const char* when;
    const char* venue;
    const char* chair;
    const char* audience;
    const char* everyone;  // an open session's audience
    const char* gathered;
    const char* total;     // "{n} ý kiến, kiến nghị của {c} người dân"
    const char* of_which;
    const char* heard;
    const char* not_heard;
    const char* none;
    const char* number;
    const char* concern;
    const char* answer;
    const char* followup;
    const char* not_answered;
    const char* counts;  // "{n} ý kiến, {c} người dân"
    const char* closing;
    const char* secretary;
    const char* chaired_by;
    const char* sign_hint;
    const char* blank;  // a line to fill in by hand
};

const words& words_in(const std::string& language) {
    static const words vi{
        "BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI",
        "I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN",
        "Thời gian",
        "Địa điểm",
        "Chủ trì",
        "Thành phần",
        "Nhân dân và đại diện các cơ quan, đơn vị liên quan",
        "II. TỔNG HỢP Ý KIẾN, KIẾN NGHỊ",
        "Tổng số {n} ý kiến, kiến nghị của {c} người dân",
        "trong đó",
        "III. NỘI DUNG ĐỐI THOẠI",
        "IV. Ý KIẾN, KIẾN NGHỊ CHƯA ĐƯỢC ĐỐI THOẠI TẠI HỘI NGHỊ",
        "Không có.",
        "STT",
        "Ý kiến, kiến nghị",
        "Nội dung trả lời",
        "Giao thực hiện",
        "Chưa trả lời",
        "{n} ý kiến, {c} người dân",
        "Biên bản được lập xong và thông qua tại hội nghị.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "(Ký, ghi rõ họ tên)",
        "………………………………………………",
    };
    static const words en{
        "MINUTES OF THE DIALOGUE MEETING",
        "I. TIME, PLACE AND PARTICIPANTS",
        "Time",
        "Venue",
        "Chaired by",
        "Participants",
        "Citizens and representatives of the bodies concerned",
        "II. CONCERNS GATHERED",
        "In all {n} concerns from {c} citizens",
        "of which",
        "III. THE DIALOGUE",
        "IV. CONCERNS NOT REACHED AT THE MEETING",
        "None.",
        "No.",
        "Concern",
        "Answer",
        "Assigned",
        "Not answered",
        "{n} concerns, {c} citizens",
        "These minutes were completed and approved at the meeting.",
        "SECRETARY",
        "CHAIR",
        "(Signature and full name)",
        "………………………………………………",
    };
    return language == "en" ? en : vi;
}

std::string counted(const char* pattern, std::size_t n, std::size_t c) {
    std::string s = pattern;
    if (auto at = s.find("{n}"); at != std::string::npos) s.replace(at, 3, std::to_string(n));
    if (auto at = s.find("{c}"); at != std::string::npos) s.replace(at, 3, std::to_string(c));
    return s;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The minutes as a sequence of blocks, rendered as HTML and as ODF from the same list: the
// words and their order are decided once. A cell is a list of lines.
struct block {
    enum kind { title, subtitle, section, line, table } what;
    std::string text;
    std::vector<std::vector<std::vector<std::string>>> rows;  // table: rows of cells of lines
};

std::vector<std::vector<std::string>> group_row(std::size_t n, const minutes::group& g,
                                                const words& w) {
    std::vector<std::string> concern;
    if (!g.title.empty()) concern.push_back(g.title);
    concern.push_back(g.representative);
    concern.push_back("(" + counted(w.counts, g.concerns, g.citizens) +
                      (g.communes.empty() ? "" : "; " + join(g.communes)) + ")");
    std::vector<std::string> answer{g.answer.empty() ? w.not_answered : g.answer};
    if (!g.speaker.empty()) answer.push_back("— " + g.speaker);
    return {{std::to_string(n)}, concern, answer, {g.followup}};
}

std::vector<block> blocks_of(const minutes& m) {
    const auto& w = words_in(m.language);
    std::vector<block> out;
    out.push_back({block::title, w.document, {}});
    out.push_back({block::subtitle, m.title, {}});
    out.push_back({block::section, w.time_place_people, {}});
    out.push_back({block::line, std::string(w.when) + ": " + m.date, {}});
    out.push_back({block::line, std::string(w.venue) + ": " + m.venue, {}});
    out.push_back({block::line, std::string(w.chair) + ": " + (m.chair.empty() ? w.blank : m.chair), {}});
    out.push_back({block::line, std::string(w.audience) + ": " + (m.audience.empty() ? w.everyone : m.audience), {}});
    out.push_back({block::section, w.gathered, {}});
    std::string total = counted(w.total, m.concerns, m.citizens);
    std::string parts;
    for (const auto& [source, n] : m.sources) parts += (parts.empty() ? "" : "; ") + source + ": " + std::to_string(n);
    out.push_back({block::line, total + (parts.empty() ? "." : ", " + std::string(w.of_which) + ": " + parts + "."), {}});
    auto table_of = [&](const std::vector<minutes::group>& groups) {
        block t{block::table, {}, {}};
        t.rows.push_back({{w.number}, {w.concern}, {w.answer}, {w.followup}});
        std::size_t n = 0;
        for (const auto& g : groups) t.rows.push_back(group_row(++n, g, w));
        return t;
    };
    out.push_back({block::section, w.heard, {}});
    if (m.raised.empty()) out.push_back({block::line, w.none, {}});
    else out.push_back(table_of(m.raised));
    out.push_back({block::section, w.not_heard, {}});
    if (m.not_raised.empty()) out.push_back({block::line, w.none, {}});
    else out.push_back(table_of(m.not_raised));
    out.push_back({block::line, w.closing, {}});
    return out;
}

// ----- HTML ---------------------------------------------------------------------------------

std::string html_of(const minutes& m) {
    const auto& w = words_in(m.language);
    const auto& nh = heading_in(m.language);
    const auto esc = [](const std::string& v) { return core::html_escape(v); };
    std::string h =
        "<!doctype html><html lang=\"" + esc(m.language) + "\"><head><meta charset=\"utf-8\">"
        "<title>" + esc(std::string(w.document) + " — " + m.title) + "</title><style>"
        "@page{size:A4;margin:20mm 15mm 20mm 30mm}"
        "body{font:13pt/1.4 'Times New Roman','Liberation Serif','Noto Serif',serif;color:#000;"
        "max-width:165mm;margin:0 auto}@media screen{body{padding:12mm 8mm}}"
        ".head{display:grid;grid-template-columns:40% 60%;gap:4mm;font-size:12pt}"
        ".head p{margin:0;text-align:center}.b{font-weight:bold}.motto{font-weight:bold;text-decoration:underline}"
        ".day{text-align:right;font-style:italic;margin:6pt 0 12pt}"
        "h1{font-size:14pt;text-align:center;margin:0}h2{font-size:13pt;text-align:center;"
        "font-weight:bold;margin:0 0 10pt}h3{font-size:13pt;margin:10pt 0 4pt}p{margin:0 0 3pt;"
        "text-align:justify}table{width:100%;border-collapse:collapse;font-size:12pt}"
        "th,td{border:1px solid #000;padding:3pt 4pt;vertical-align:top;text-align:left;"
        "overflow-wrap:break-word}th{text-align:center}td p{margin:0 0 2pt;text-align:left}"
        "td.n{text-align:center}col.n{width:10mm}col.c{width:38%}col.a{width:34%}thead{display:table-header-group}tr{break-inside:avoid}"
        ".sign{display:grid;grid-template-columns:1fr 1fr;margin-top:18pt;text-align:center;"
        "break-inside:avoid}.sign p{margin:0;text-align:center}"
        "</style></head><body>";
    h += "<div class=\"head\"><div><p class=\"b\">" + esc(m.issuer) + "</p></div><div><p class=\"b\">" +
         nh.nation + "</p><p class=\"motto\">" + nh.motto + "</p></div></div>";
    h += "<p class=\"day\">" + esc(dated_line(m.place, m.day, m.month, m.year, m.language)) + "</p>";
    for (const auto& b : blocks_of(m)) {
        switch (b.what) {
            case block::title: h += "<h1>" + esc(b.text) + "</h1>"; break;
            case block::subtitle: h += "<h2>" + esc(b.text) + "</h2>"; break;
            case block::section: h += "<h3>" + esc(b.text) + "</h3>"; break;
            case block::line: h += "<p>" + esc(b.text) + "</p>"; break;
            case block::table: {
                h += "<table><colgroup><col class=\"n\"><col class=\"c\"><col class=\"a\"><col>"
                     "</colgroup><thead><tr>";
                for (const auto& cell : b.rows.front()) h += "<th>" + esc(cell.front()) + "</th>";
                h += "</tr></thead><tbody>";
                for (std::size_t r = 1; r < b.rows.size(); ++r) {
                    h += "<tr>";
                    for (std::size_t c = 0; c < b.rows[r].size(); ++c) {
                        h += c == 0 ? "<td class=\"n\">" : "<td>";
                        for (const auto& l : b.rows[r][c]) h += "<p>" + esc(l) + "</p>";
                        h += "</td>";
                    }
                    h += "</tr>";
                }
                h += "</tbody></table>";
                break;
            }
        }
    }
    h += "<div class=\"sign\"><div><p class=\"b\">" + std::string(w.secretary) + "</p><p><em>" +
         w.sign_hint + "</em></p></div><div><p class=\"b\">" + w.chaired_by + "</p><p><em>" +
         w.sign_hint + "</em></p>" + (m.chair.empty() ? "" : "<p><br><br><br>" + esc(m.chair) + "</p>") +
         "</div></div></body></html>";
    return h;
}

// ----- OpenDocument ------------------------------------------------------------------------

constexpr const char* odf_namespaces =
    " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
    " xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\""
    " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
    " xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\""
    " xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\""
    " xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\""
    " xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\""
    " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" office:version=\"1.2\"";

// A4 portrait with the decree's margins (top and bottom 20 mm, left 30 mm, right 15 mm), Times
// New Roman 13 pt, and the paragraph styles the content uses.
std::string odf_styles() {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-styles") +
           odf_namespaces +
           "><office:font-face-decls><style:font-face style:name=\"Times New Roman\" "
           "svg:font-family=\"'Times New Roman'\" style:font-family-generic=\"roman\"/>"
           "</office:font-face-decls><office:styles><style:default-style style:family=\"paragraph\">"
           "<style:paragraph-properties fo:margin-bottom=\"0.1cm\"/><style:text-properties "
           "style:font-name=\"Times New Roman\" fo:font-size=\"13pt\" fo:language=\"vi\" "
           "fo:country=\"VN\"/></style:default-style></office:styles><office:automatic-styles>"
           "<style:page-layout style:name=\"A4\"><style:page-layout-properties "
           "fo:page-width=\"21cm\" fo:page-height=\"29.7cm\" style:print-orientation=\"portrait\" "
           "fo:margin-top=\"2cm\" fo:margin-bottom=\"2cm\" fo:margin-left=\"3cm\" "
           "fo:margin-right=\"1.5cm\"/></style:page-layout></office:automatic-styles>"
           "<office:master-styles><style:master-page style:name=\"Standard\" "
           "style:page-layout-name=\"A4\"/></office:master-styles></office:document-styles>";
}

std::string odf_content(const minutes& m) {
    const auto& w = words_in(m.language);
    const auto& nh = heading_in(m.language);
    const auto x = [](const std::string& v) { return core::html_escape(v); };  // XML text
    std::string c = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content") +
                    odf_namespaces + "><office:automatic-styles>";
    // Paragraphs: centred bold (headings), centred bold underlined (motto), right italic (the
    // date line), centred bold 14 pt (the title), bold (sections), justified (lines), centred
    // italic (signature hints); the cell and column styles of the tables.
    c += "<style:style style:name=\"C\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"center\" fo:margin-bottom=\"0cm\"/><style:text-properties fo:font-weight=\"bold\" "
         "fo:font-size=\"12pt\"/></style:style>"
         "<style:style style:name=\"M\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"center\"/><style:text-properties fo:font-weight=\"bold\" "
         "style:text-underline-style=\"solid\" style:text-underline-width=\"auto\" "
         "style:text-underline-color=\"font-color\"/></style:style>"
         "<style:style style:name=\"D\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"end\" fo:margin-top=\"0.2cm\" fo:margin-bottom=\"0.4cm\"/><style:text-properties "
         "fo:font-style=\"italic\"/></style:style>"
         "<style:style style:name=\"T\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"center\" fo:margin-bottom=\"0cm\"/><style:text-properties fo:font-weight=\"bold\" "
         "fo:font-size=\"14pt\"/></style:style>"
         "<style:style style:name=\"S\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"center\" fo:margin-bottom=\"0.3cm\"/><style:text-properties "
         "fo:font-weight=\"bold\"/></style:style>"
         "<style:style style:name=\"H\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:margin-top=\"0.3cm\" fo:keep-with-next=\"always\"/><style:text-properties "
         "fo:font-weight=\"bold\"/></style:style>"
         "<style:style style:name=\"P\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"justify\"/></style:style>"
         "<style:style style:name=\"I\" style:family=\"paragraph\"><style:paragraph-properties "
         "fo:text-align=\"center\"/><style:text-properties fo:font-style=\"italic\"/></style:style>"
         "<style:style style:name=\"Cell\" style:family=\"paragraph\"><style:text-properties "
         "fo:font-size=\"12pt\"/></style:style>"
         "<style:style style:name=\"Head\" style:family=\"table\"><style:table-properties "
         "style:width=\"16.5cm\" table:align=\"margins\"/></style:style>"
         "<style:style style:name=\"Grid\" style:family=\"table\"><style:table-properties "
         "style:width=\"16.5cm\" table:align=\"margins\" fo:margin-top=\"0.1cm\"/></style:style>"
         "<style:style style:name=\"H1\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"6.6cm\"/></style:style>"
         "<style:style style:name=\"H2\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"9.9cm\"/></style:style>"
         "<style:style style:name=\"G1\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"1.4cm\"/></style:style>"
         "<style:style style:name=\"G2\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"5.3cm\"/></style:style>"
         "<style:style style:name=\"G3\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"5.8cm\"/></style:style>"
         "<style:style style:name=\"G4\" style:family=\"table-column\"><style:table-column-properties "
         "style:column-width=\"4cm\"/></style:style>"
         "<style:style style:name=\"Box\" style:family=\"table-cell\"><style:table-cell-properties "
         "fo:padding=\"0.08cm\" fo:border=\"0.5pt solid #000000\"/></style:style>"
         "</office:automatic-styles><office:body><office:text>";
    // The heading: the issuing body on the left, the national heading on the right.
    c += "<table:table table:name=\"Heading\" table:style-name=\"Head\"><table:table-column "
         "table:style-name=\"H1\"/><table:table-column table:style-name=\"H2\"/><table:table-row>"
         "<table:table-cell office:value-type=\"string\"><text:p text:style-name=\"C\">" + x(m.issuer) +
         "</text:p></table:table-cell><table:table-cell office:value-type=\"string\"><text:p "
         "text:style-name=\"C\">" + nh.nation + "</text:p><text:p text:style-name=\"M\">" + nh.motto +
         "</text:p></table:table-cell></table:table-row></table:table>";
    c += "<text:p text:style-name=\"D\">" + x(dated_line(m.place, m.day, m.month, m.year, m.language)) +
         "</text:p>";
    int tables = 0;
    for (const auto& b : blocks_of(m)) {
        switch (b.what) {
            case block::title: c += "<text:p text:style-name=\"T\">" + x(b.text) + "</text:p>"; break;
            case block::subtitle: c += "<text:p text:style-name=\"S\">" + x(b.text) + "</text:p>"; break;
            case block::section: c += "<text:p text:style-name=\"H\">" + x(b.text) + "</text:p>"; break;
            case block::line: c += "<text:p text:style-name=\"P\">" + x(b.text) + "</text:p>"; break;
            case block::table: {
                c += "<table:table table:name=\"Groups" + std::to_string(++tables) +
                     "\" table:style-name=\"Grid\"><table:table-column table:style-name=\"G1\"/>"
                     "<table:table-column table:style-name=\"G2\"/><table:table-column "
                     "table:style-name=\"G3\"/><table:table-column table:style-name=\"G4\"/>";
                for (std::size_t r = 0; r < b.rows.size(); ++r) {
                    if (r == 0) c += "<table:table-header-rows>";
                    c += "<table:table-row>";
                    for (const auto& cell : b.rows[r]) {
                        c += "<table:table-cell table:style-name=\"Box\" office:value-type=\"string\">";
                        for (const auto& l : cell)
                            c += std::string("<text:p text:style-name=\"") + (r == 0 ? "C" : "Cell") + "\">" +
                                 x(l) + "</text:p>";
                        c += "</table:table-cell>";
                    }
                    c += "</table:table-row>";
                    if (r == 0) c += "</table:table-header-rows>";
                }
                c += "</table:table>";
                break;
            }
        }
    }
    // The signatures: the secretary on the left, the chair on the right.
    c += "<table:table table:name=\"Signatures\" table:style-name=\"Head\"><table:table-column "
         "table:style-name=\"H2\"/><table:table-column table:style-name=\"H1\"/><table:table-row>"
         "<table:table-cell office:value-type=\"string\"><text:p text:style-name=\"C\">" +
         std::string(w.secretary) + "</text:p><text:p text:style-name=\"I\">" + w.sign_hint +
         "</text:p></table:table-cell><table:table-cell office:value-type=\"string\"><text:p "
         "text:style-name=\"C\">" + w.chaired_by + "</text:p><text:p text:style-name=\"I\">" +
         w.sign_hint + "</text:p><text:p/><text:p/><text:p/><text:p text:style-name=\"C\">" +
         x(m.chair) + "</text:p></table:table-cell></table:table-row></table:table>";
    c += "</office:text></office:body></office:document-content>";
    return c;
}

std::string odf_meta(const minutes& m) {
    return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-meta") +
           odf_namespaces + "><office:meta><dc:title>" +
           core::html_escape(std::string(words_in(m.language).document) + " — " + m.title) +
           "</dc:title><dc:language>" + m.language + "</dc:language><meta:generator>"
           "dialogue-gateway</meta:generator></office:meta></office:document-meta>";
}

constexpr const char* odf_manifest =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest "
    "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">"
    "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"1.2\" "
    "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
    "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"styles.xml\" manifest:media-type=\"text/xml\"/>"
    "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
    "</manifest:manifest>";

// Zips `parts` (name, bytes) in memory, in order: the first is stored uncompressed, as ODF
// requires of "mimetype"; the others deflated.
std::string zip_in_memory(const std::vector<std::pair<std::string, std::string>>& parts) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* memory = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!memory) throw std::runtime_error("cannot make a zip in memory");
    std::unique_ptr<zip_source_t, decltype(&zip_source_free)> owned(memory, &zip_source_free);
    zip_t* archive = zip_open_from_source(memory, ZIP_TRUNCATE, &error);
    if (!archive) throw std::runtime_error("cannot open a zip in memory");
    zip_source_keep(memory);  // outlives zip_close: it then holds the archive
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto& [name, bytes] = parts[i];
        zip_source_t* part = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
        const auto index = part ? zip_file_add(archive, name.c_str(), part, ZIP_FL_ENC_UTF_8) : -1;
        if (index < 0) {
            if (part) zip_source_free(part);
            zip_discard(archive);
            throw std::runtime_error("cannot add " + name + " to the zip");
        }
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                 i == 0 ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        throw std::runtime_error("cannot write the zip");
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_source_stat(memory, &st) != 0 || zip_source_open(memory) != 0)
        throw std::runtime_error("cannot read the zip back");
    std::string out(static_cast<std::size_t>(st.size), '\0');
    const auto got = zip_source_read(memory, out.data(), st.size);
    zip_source_close(memory);
    if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
        throw std::runtime_error("cannot read the zip back");
    return out;
}

}  // namespace

std::string minutes_html(const minutes& m) { return html_of(m); }

std::string minutes_odt(const minutes& m) {
    return zip_in_memory({{"mimetype", "application/vnd.oasis.opendocument.text"},
                          {"META-INF/manifest.xml", odf_manifest},
                          {"content.xml", odf_content(m)},
                          {"styles.xml", odf_styles()},
                          {"meta.xml", odf_meta(m)}});
}

std::string minutes_xlsx(const minutes& m) {
    const auto& w = words_in(m.language);
    return workbook_bytes("minutes", [&](lxw_workbook* book) {
        lxw_worksheet* sheet = workbook_add_worksheet(book, m.language == "en" ? "Minutes" : "Biên bản");
        const auto [bold, wrap, title] = formats_of(book);
        // write_string never interprets a formula, so citizens' text stays text.
        worksheet_write_string(sheet, 0, 0, (std::string(w.document) + " — " + m.title).c_str(), title);
        const std::string lines[] = {
            std::string(w.when) + ": " + m.date + " · " + w.venue + ": " + m.venue,
            std::string(w.chair) + ": " + m.chair + " · " + w.audience + ": " +
                (m.audience.empty() ? w.everyone : m.audience),
            m.issuer + " · " + dated_line(m.place, m.day, m.month, m.year, m.language)};
        lxw_row_t r = 1;
        for (const auto& l : lines) worksheet_write_string(sheet, r++, 0, l.c_str(), nullptr);
        const lxw_row_t head = r;
        const std::string raised_heading = m.language == "en" ? "Raised" : "Đã đối thoại";
        const std::string cols[] = {w.number,   w.concern, m.language == "en" ? "Topic" : "Lĩnh vực",
                                    m.language == "en" ? "Concerns" : "Số ý kiến",
                                    m.language == "en" ? "Citizens" : "Số người dân",
                                    m.language == "en" ? "Communes" : "Xã, phường",
                                    w.answer,   m.language == "en" ? "Answered by" : "Người trả lời",
                                    w.followup, raised_heading};
        for (lxw_col_t c = 0; c < 10; ++c) worksheet_write_string(sheet, head, c, cols[c].c_str(), bold);
        r = head + 1;
        auto put = [&](const minutes::group& g, bool raised) {
            worksheet_write_number(sheet, r, 0, static_cast<double>(r - head), nullptr);
            const auto concern = g.title.empty() ? g.representative : g.title + "\n" + g.representative;
            worksheet_write_string(sheet, r, 1, concern.c_str(), wrap);
            worksheet_write_string(sheet, r, 2, g.topic.c_str(), wrap);
            worksheet_write_number(sheet, r, 3, static_cast<double>(g.concerns), nullptr);
            worksheet_write_number(sheet, r, 4, static_cast<double>(g.citizens), nullptr);
            worksheet_write_string(sheet, r, 5, join(g.communes).c_str(), wrap);
            worksheet_write_string(sheet, r, 6, g.answer.c_str(), wrap);
            worksheet_write_string(sheet, r, 7, g.speaker.c_str(), wrap);
            worksheet_write_string(sheet, r, 8, g.followup.c_str(), wrap);
            worksheet_write_boolean(sheet, r, 9, raised, nullptr);
            ++r;
        };
        for (const auto& g : m.raised) put(g, true);
        for (const auto& g : m.not_raised) put(g, false);
        const double widths[] = {5, 44, 16, 10, 10, 22, 50, 24, 30, 12};
        for (lxw_col_t c = 0; c < 10; ++c) worksheet_set_column(sheet, c, c, widths[c], nullptr);
        worksheet_freeze_panes(sheet, head + 1, 0);
        worksheet_repeat_rows(sheet, head, head);
        worksheet_set_landscape(sheet);
        worksheet_set_paper(sheet, 9);  // A4
        worksheet_fit_to_pages(sheet, 1, 0);
    });
}

}  // namespace dgw::api
