#pragma once
/// The minutes of one dialogue session (issue 19 item 7): what officials sign after the
/// meeting and file — who chaired, the audience, how many concerns came from where, each
/// group raised with the answer given, who gave it and what was assigned to whom by when, and
/// the groups not reached. Three renderings of one `minutes`: a printable A4 page, an
/// OpenDocument text (.odt) and an Excel workbook (.xlsx). Like the agenda: groups, counts
/// and communes, never a citizen's name, phone number or user id.
///
/// Why ODT and not DOCX: OpenDocument is the text format Vietnam's state bodies must accept
/// (Circular 39/2017/TT-BTTTT lists ODF 1.2 among the document standards), LibreOffice —
/// what most communes use — opens it natively, and Word opens it too. It is written from a
/// template (four small XML parts, zipped by libzip) rather than through a document library:
/// no well-kept C++ writer for either format is in Debian.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace dgw::api {

struct minutes {
    struct group {
        std::string title;           ///< the name officials gave the group, or ""
        std::string topic;           ///< the topic's name in the document's language
        std::size_t concerns = 0;
        std::size_t citizens = 0;
        std::vector<std::string> communes;
        std::string representative;  ///< one concern's text standing for the group
        std::string answer;          ///< the answer given, or "" (none, or several different ones)
        std::string speaker;         ///< who gave it: "Ông Lê Văn B, Phòng Tài nguyên và Môi trường"
        /// What the answer promised, in words: settled, or assigned to an office by a date with
        /// the promise, or closed with its result; "" when nothing was recorded.
        std::string followup;
    };
    std::string language = "vi";  ///< "vi" or "en"
    std::string issuer;           ///< "ỦY BAN NHÂN DÂN XÃ BÁT XÁT"
    std::string place;            ///< "Bát Xát", for the place and date line
    int day = 1, month = 1, year = 2026;  ///< when the minutes are made
    std::string title;   ///< the session's title
    std::string date;    ///< when it was held: "ngày 15/12/2026"
    std::string venue;
    std::string chair;     ///< who chaired, or "" (a line to fill in by hand)
    std::string audience;  ///< the themed audience's name, or "" (open to everyone)
    std::size_t concerns = 0;
    std::size_t citizens = 0;
    /// How many concerns came by each source, in words ("Tin nhắn", "Thư, đơn", …).
    std::vector<std::pair<std::string, std::size_t>> sources;
    std::vector<group> raised;      ///< the groups raised at the meeting, in agenda order
    std::vector<group> not_raised;  ///< the others
};

/// A self-contained HTML page for A4 paper (inline CSS, no outside requests), laid out as an
/// administrative document: national heading, issuing body, place and date, the minutes'
/// sections and the signatures of the secretary and the chair.
std::string minutes_html(const minutes& m);

/// The same as an OpenDocument text (.odt, ODF 1.2): A4 portrait, Times New Roman 13 pt,
/// the margins of Decree 30/2020/NĐ-CP. Throws std::runtime_error if it cannot be zipped.
std::string minutes_odt(const minutes& m);

/// The same as an .xlsx workbook: one row per group (raised first), A4 landscape, one page
/// wide. Throws std::runtime_error if it cannot be written.
std::string minutes_xlsx(const minutes& m);

}  // namespace dgw::api
