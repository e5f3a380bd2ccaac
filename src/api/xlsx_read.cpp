#include "dgw/api/xlsx_read.hpp"

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <zip.h>

#include <memory>
#include <sstream>

namespace dgw::api {
namespace {

namespace pt = boost::property_tree;
using problem = xlsx_problem::kind;

struct zip_closer {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using archive = std::unique_ptr<zip_t, zip_closer>;

struct failure {
    problem what;
    std::string detail;
};

// The uncompressed bytes of one part, or nothing when the workbook has no such part.
std::optional<std::string> part(zip_t* z, const std::string& name, std::size_t limit) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z, name.c_str(), 0, &st) != 0) return std::nullopt;
    if ((st.valid & ZIP_STAT_SIZE) == 0 || st.size > limit) throw failure{problem::part_too_large, name};
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(zip_fopen(z, name.c_str(), 0), &zip_fclose);
    if (!f) throw failure{problem::not_a_workbook, name};
    std::string out(static_cast<std::size_t>(st.size), '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        auto n = zip_fread(f.get(), out.data() + got, out.size() - got);
        if (n <= 0) throw failure{problem::not_a_workbook, name};
        got += static_cast<std::size_t>(n);
    }
    return out;
}

pt::ptree xml(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    pt::ptree tree;
    try {
        pt::read_xml(in, tree);
    } catch (const pt::xml_parser_error&) {
        throw failure{problem::not_a_workbook, name};
    }
    return tree;
}

// Every <t> under a string item (<si> or <is>): rich text is several runs (<r><t>).
std::string text_of(const pt::ptree& item) {
    std::string out;
    for (const auto& [tag, child] : item) {
        if (tag == "t") out += child.get_value<std::string>();
        else if (tag == "r") out += text_of(child);
    }
    return out;
}

// "BC12" -> 54 (A = 0); nothing for a reference without letters.
std::optional<std::size_t> column_of(const std::string& ref) {
    std::size_t col = 0, letters = 0;
    for (char c : ref) {
        if (c < 'A' || c > 'Z') break;
        col = col * 26 + static_cast<std::size_t>(c - 'A' + 1);
        if (++letters > 3) return std::nullopt;  // XFD is the last column
    }
    if (letters == 0) return std::nullopt;
    return col - 1;
}

// The first sheet's part name, by the workbook's own list and its relationships (Excel writes
// "worksheets/sheet1.xml", but nothing says the first sheet has that name).
std::string first_sheet(zip_t* z, std::size_t limit) {
    const std::string fallback = "xl/worksheets/sheet1.xml";
    auto book = part(z, "xl/workbook.xml", limit);
    auto rels = part(z, "xl/_rels/workbook.xml.rels", limit);
    if (!book) throw failure{problem::not_a_workbook, "xl/workbook.xml"};
    if (!rels) return fallback;
    const auto wb = xml(*book, "xl/workbook.xml");
    std::string id;
    for (const auto& [tag, sheet] : wb.get_child("workbook.sheets", pt::ptree{})) {
        if (tag != "sheet") continue;
        id = sheet.get<std::string>("<xmlattr>.r:id", "");
        break;
    }
    const auto rs = xml(*rels, "xl/_rels/workbook.xml.rels");
    for (const auto& [tag, rel] : rs.get_child("Relationships", pt::ptree{})) {
        if (tag != "Relationship" || rel.get<std::string>("<xmlattr>.Id", "") != id) continue;
        auto target = rel.get<std::string>("<xmlattr>.Target", "");
        if (target.starts_with("/")) return target.substr(1);
        return "xl/" + target;
    }
    return fallback;
}

}  // namespace

std::optional<csv_table> read_xlsx(std::string_view bytes, xlsx_problem& error, std::size_t max_rows,
                                   std::size_t max_part_bytes) {
    try {
        zip_error_t ze;
        zip_error_init(&ze);
        zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &ze);
        if (!src) throw failure{problem::not_a_workbook, zip_error_strerror(&ze)};
        archive z(zip_open_from_source(src, ZIP_RDONLY, &ze));
        if (!z) {
            zip_source_free(src);
            std::string why = zip_error_strerror(&ze);
            zip_error_fini(&ze);
            throw failure{problem::not_a_workbook, why};
        }
        std::vector<std::string> shared;
        if (auto ss = part(z.get(), "xl/sharedStrings.xml", max_part_bytes)) {
            const auto tree = xml(*ss, "xl/sharedStrings.xml");
            for (const auto& [tag, si] : tree.get_child("sst", pt::ptree{}))
                if (tag == "si") shared.push_back(text_of(si));
        }
        const auto sheet_name = first_sheet(z.get(), max_part_bytes);
        auto sheet_text = part(z.get(), sheet_name, max_part_bytes);
        if (!sheet_text) throw failure{problem::not_a_workbook, sheet_name};
        const auto sheet = xml(*sheet_text, sheet_name);
        csv_table out;
        for (const auto& [tag, row] : sheet.get_child("worksheet.sheetData", pt::ptree{})) {
            if (tag != "row") continue;
            std::vector<std::string> cells;
            for (const auto& [ctag, c] : row) {
                if (ctag != "c") continue;
                std::size_t col = cells.size();
                if (auto ref = c.get_optional<std::string>("<xmlattr>.r"))
                    if (auto at = column_of(*ref)) col = *at;
                if (col > 16384) throw failure{problem::not_a_workbook, sheet_name};
                const auto type = c.get<std::string>("<xmlattr>.t", "n");
                std::string value;
                if (type == "s") {
                    const auto i = c.get<std::size_t>("v", shared.size());
                    if (i < shared.size()) value = shared[i];
                } else if (type == "inlineStr") {
                    if (auto is = c.get_child_optional("is")) value = text_of(*is);
                } else if (type == "b") {
                    value = c.get<std::string>("v", "") == "1" ? "TRUE" : "FALSE";
                } else {
                    value = c.get<std::string>("v", "");
                }
                if (col >= cells.size()) cells.resize(col + 1);
                cells[col] = std::move(value);
            }
            while (!cells.empty() && cells.back().find_first_not_of(" \t\r\n") == std::string::npos) cells.pop_back();
            if (cells.empty()) continue;
            if (out.rows.size() == max_rows) throw failure{problem::too_many_rows, sheet_name};
            out.rows.push_back(std::move(cells));
        }
        return out;
    } catch (const failure& f) {
        error.what = f.what;
        error.detail = f.detail;
    } catch (const pt::ptree_error& e) {
        error.what = problem::not_a_workbook;
        error.detail = e.what();
    }
    return std::nullopt;
}

}  // namespace dgw::api
