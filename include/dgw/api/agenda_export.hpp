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
        std::string topic;           ///< the topic's name in the sheet's language
        std::size_t concerns = 0;
        std::size_t citizens = 0;
        std::vector<std::string> communes;
        std::string representative;  ///< one concern's text standing for the group
        bool urgent = false;
    };
    std::string title;  ///< e.g. "Đối thoại quý IV/2026 — xã Bát Xát"
    std::string date;   ///< "ngày 15/12/2026", or "tháng 12/2026" when no day is fixed
    std::string venue;
    /// The body that issues the list, as the top left of an administrative document puts it:
    /// "ỦY BAN NHÂN DÂN XÃ BÁT XÁT".
    std::string issuer;
    /// Where and when the list is made: "Bát Xát" and the day of the export.
    std::string place;
    int day = 1, month = 1, year = 2026;
    std::string language = "vi";  ///< "vi" or "en": column headings
    std::vector<group> groups;    ///< in agenda order
};

/// UTF-8 with a byte-order mark (so Excel shows Vietnamese), CRLF lines, RFC 4180 quoting.
/// Cells that a spreadsheet would run as a formula (=, +, -, @ first) are prefixed with '.
std::string agenda_csv(const agenda_sheet& a);

/// An .xlsx workbook (libxlsxwriter): column widths, wrapped text, a frozen header row that
/// is also repeated on every printed page, A4 landscape one page wide. Throws std::runtime_error if it cannot be written
/// (it goes through a temporary file: libxlsxwriter 1.1.4 has no in-memory output).
std::string agenda_xlsx(const agenda_sheet& a);

/// A self-contained HTML page laid out for A4 paper (inline CSS, no outside requests), as an
/// administrative document: the national heading (Quốc hiệu, tiêu ngữ), the issuing body, place
/// and date, a numbered list and a signature block.
std::string agenda_html(const agenda_sheet& a);

}  // namespace dgw::api
