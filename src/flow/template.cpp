#include "flow/template.hpp"

namespace dgw::flow::detail {
namespace {

// Walks `text`, calling `literal` for plain text and `var` for each variable. False on an
// unbalanced brace.
template <class Literal, class Var>
bool walk(std::string_view text, Literal literal, Var var) {
    std::size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
            literal(std::string_view(&text[i], 1));
            i += 2;
            continue;
        }
        if (c == '}') return false;
        if (c == '{') {
            std::size_t end = text.find_first_of("{}", i + 1);
            if (end == std::string_view::npos || text[end] != '}') return false;
            var(std::string(text.substr(i + 1, end - i - 1)));
            i = end + 1;
            continue;
        }
        std::size_t next = text.find_first_of("{}", i);
        if (next == std::string_view::npos) next = text.size();
        literal(text.substr(i, next - i));
        i = next;
    }
    return true;
}

}  // namespace

std::optional<std::vector<std::string>> template_vars(std::string_view text) {
    std::vector<std::string> out;
    if (!walk(
            text, [](std::string_view) {}, [&](std::string v) { out.push_back(std::move(v)); }))
        return std::nullopt;
    return out;
}

std::string render_template(std::string_view text,
                            const std::function<std::string(const std::string&)>& value) {
    std::string out;
    // The validator guarantees balanced braces; on a hand-built definition an unbalanced string
    // is shown as it is rather than cut.
    if (!walk(
            text, [&](std::string_view s) { out += s; },
            [&](const std::string& v) { out += value(v); }))
        return std::string(text);
    return out;
}

const std::vector<std::string>& outcome_vars() {
    static const std::vector<std::string> vars{"concern.ref",    "concern.urgent", "concern.status",
                                               "concern.answer", "session.date",   "session.place",
                                               "session.hotline", "session.results",
                                               "session.calendar"};
    return vars;
}

}  // namespace dgw::flow::detail
