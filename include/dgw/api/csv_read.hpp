#pragma once
/// Reading a CSV file officials upload (RFC 4180 as spreadsheets write it): fields separated by
/// commas (or semicolons, as Excel writes in locales with a decimal comma: taken from the
/// header line), quoted fields with "" for a quote and line breaks inside, CRLF or LF lines, a
/// UTF-8 byte-order mark skipped. Pure; no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::api {

struct csv_table {
    std::vector<std::vector<std::string>> rows;  ///< the header line first
};

/// Why a file is not CSV, and where.
struct csv_problem {
    enum class kind { quote_unclosed, text_after_quote, too_many_rows } what{};
    std::size_t line = 0;  ///< the line it is on (where the quote opened), from 1
};

/// The rows of `text`, or nothing with `error` saying where it is broken (an unterminated
/// quote, text after a closing quote). A quote inside an unquoted field (5" pipe) is kept as
/// written. Blank lines are skipped. At most `max_rows` rows (error beyond).
std::optional<csv_table> read_csv(std::string_view text, csv_problem& error, std::size_t max_rows = 5000);

}  // namespace dgw::api
