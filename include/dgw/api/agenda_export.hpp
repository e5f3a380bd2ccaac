#pragma once
/// The agenda of one dialogue session as officials take it to the meeting (issue 7 §4): CSV for
/// any spreadsheet, XLSX for Excel, and a printable A4 page. Groups, citizen counts, communes
/// and a representative text only: never a name, phone number or user id.

#include <string>
#include <vector>

namespace dgw::api {

struct agenda_sheet {
    struct group {
        std::string name;            ///< the officials' name for it, or empty
        std::string topic;
        std::size_t concerns = 0;
        std::size_t citizens = 0;
        std::vector<std::string> communes;
        std::string representative;  ///< one concern's text standing for the group
        bool urgent = false;
    };
    std::string title;  ///< e.g. "Đối thoại quý IV/2026 — xã Bát Xát"
    std::string date;   ///< e.g. "2026-12-15", or the month when no day is fixed
    std::string venue;
    std::string language = "vi";  ///< "vi" or "en": column headings
    std::vector<group> groups;    ///< in agenda order
};

/// UTF-8 with a byte-order mark (so Excel shows Vietnamese), CRLF lines, RFC 4180 quoting.
/// Cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with '.
std::string agenda_csv(const agenda_sheet& a);

/// An .xlsx workbook (libxlsxwriter). Throws std::runtime_error if it cannot be written
/// (it goes through a temporary file: libxlsxwriter 1.1.4 has no in-memory output).
std::string agenda_xlsx(const agenda_sheet& a);

/// A self-contained HTML page laid out for A4 paper (inline CSS, no outside requests).
std::string agenda_html(const agenda_sheet& a);

}  // namespace dgw::api
