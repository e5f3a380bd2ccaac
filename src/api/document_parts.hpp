#pragma once
// What the documents officials print share (the agenda, the minutes): the national heading,
// the place and date line and the group titles of an administrative document (Decree
// 30/2020/NĐ-CP), and libxlsxwriter's workbook as bytes. Private to the api module.

#include <functional>
#include <string>

struct lxw_workbook;
struct lxw_format;

namespace dgw::api {

/// Quốc hiệu and tiêu ngữ, in `language` ("en", else Vietnamese).
struct national_heading {
    const char* nation;
    const char* motto;
};
const national_heading& heading_in(const std::string& language);

/// "Bát Xát, ngày 06 tháng 12 năm 2026" ("Bát Xát, 06/12/2026" in English): days below 10
/// and the months January and February with a leading zero, as the decree writes them.
std::string dated_line(const std::string& place, int day, int month, int year,
                       const std::string& language);

/// A group's title: its name, else the start of its representative text (whole words up to
/// about 80 bytes, then "…" when something was left out).
std::string group_title(const std::string& name, const std::string& representative);

/// The cell formats both workbooks use: bold headings (wrapped), wrapped text aligned to the
/// top, a 14 pt bold title.
struct workbook_formats {
    lxw_format* bold;
    lxw_format* wrap;
    lxw_format* title;
};
workbook_formats formats_of(lxw_workbook* book);

/// How a concern's source reads in a document, in `vi` or English: "tin nhắn qua các kênh trực
/// tuyến", "thư, đơn", "tiếp công dân tại trụ sở", "đường dây nóng", "báo chí, dư luận", "nêu
/// tại hội nghị"; an unknown one as given.
std::string source_words(const std::string& source, bool vi);

/// A workbook `fill` writes, as the bytes of its .xlsx (libxlsxwriter 1.1.4 writes files
/// only: through a temporary file, removed whatever happens). Throws std::runtime_error when
/// it cannot be written.
std::string workbook_bytes(const char* what, const std::function<void(lxw_workbook*)>& fill);

}  // namespace dgw::api
