#include "dgw/api/csv_read.hpp"

namespace dgw::api {

std::optional<csv_table> read_csv(std::string_view text, csv_problem& error, std::size_t max_rows) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    // The separator is the header line's: a semicolon when it has one and no comma.
    const auto first_line = text.substr(0, text.find('\n'));
    const char sep = first_line.find(',') == std::string_view::npos &&
                             first_line.find(';') != std::string_view::npos
                         ? ';'
                         : ',';
    csv_table out;
    std::vector<std::string> row;
    std::string field;
    std::size_t line = 1;
    bool quoted = false;      // inside a quoted field
    std::size_t opened = 0;   // the line the quoted field opened on
    bool was_quoted = false;  // the current field was quoted (and closed)
    auto end_row = [&] {
        row.push_back(std::move(field));
        field.clear();
        was_quoted = false;
        const bool blank = row.size() == 1 && row[0].empty();
        if (!blank) out.rows.push_back(std::move(row));
        row.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        if (quoted) {
            if (ch == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    field += '"';
                    ++i;
                } else {
                    quoted = false;
                    was_quoted = true;
                }
            } else {
                if (ch == '\n') ++line;
                field += ch;
            }
            continue;
        }
        if (ch == sep) {
            row.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            end_row();
            if (out.rows.size() > max_rows) {
                error = {csv_problem::kind::too_many_rows, line};
                return std::nullopt;
            }
            ++line;
        } else if (ch == '"' && field.empty() && !was_quoted) {
            quoted = true;
            opened = line;
        } else {
            if (was_quoted) {
                error = {csv_problem::kind::text_after_quote, line};
                return std::nullopt;
            }
            field += ch;
        }
    }
    if (quoted) {
        error = {csv_problem::kind::quote_unclosed, opened};
        return std::nullopt;
    }
    if (!field.empty() || !row.empty() || was_quoted) end_row();
    if (out.rows.size() > max_rows) {
        error = {csv_problem::kind::too_many_rows, line};
        return std::nullopt;
    }
    return out;
}

}  // namespace dgw::api
