#pragma once
/// The explicit route table (STYLE.md §5): `{verb, pattern, handler}` rows added by `app`.
/// Patterns are literal segments and `{name}` parameters: "/webhooks/{channel}". Matching
/// tells "no such path" (404) from "path exists, wrong verb" (405 with the allowed verbs).

#include <dgw/http/types.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace dgw::http {

class router {
public:
    struct matched {
        const handler* fn;
        const std::string* pattern;
        std::map<std::string, std::string> params;
    };
    struct not_found {};
    struct method_not_allowed {
        std::string allow;  ///< value for the Allow header, e.g. "GET, POST"
    };
    using match_result = std::variant<matched, not_found, method_not_allowed>;

    /// Adds a route. Throws std::invalid_argument for a malformed pattern or a duplicate
    /// (verb, pattern): route tables are built at start-up, where failing fast is right.
    void add(verb v, std::string pattern, handler fn);

    /// Matches a path (no query string). Literal segments win over parameters, so
    /// "/api/v1/flows/drafts" can coexist with "/api/v1/flows/{id}".
    match_result match(verb v, std::string_view path) const;

    /// Every (verb, pattern), in the order added.
    std::vector<std::pair<verb, std::string>> table() const;

private:
    struct route {
        verb v;
        std::string pattern;
        std::vector<std::string> segments;  // "{name}" for parameters
        handler fn;
    };
    static bool is_param(const std::string& s) { return s.size() > 2 && s.front() == '{'; }
    std::vector<route> routes_;
};

}  // namespace dgw::http
