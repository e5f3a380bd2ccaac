#include "dgw/http/router.hpp"

#include <algorithm>
#include <stdexcept>

namespace dgw::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.emplace_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace

void router::add(verb v, std::string pattern, handler fn) {
    if (pattern.empty() || pattern.front() != '/')
        throw std::invalid_argument("route pattern must start with '/': " + pattern);
    auto segments = split_path(pattern);
    for (const auto& s : segments) {
        bool open = s.front() == '{', close = s.back() == '}';
        if (open != close || (open && s.size() < 3))
            throw std::invalid_argument("malformed parameter in route pattern: " + pattern);
    }
    // "/a/{id}" and "/a/{other}" are the same route: compare with parameter names erased.
    auto shape = [](const std::vector<std::string>& segs) {
        std::vector<std::string> out;
        for (const auto& s : segs) out.push_back(is_param(s) ? "{}" : s);
        return out;
    };
    for (const auto& r : routes_) {
        if (r.v == v && shape(r.segments) == shape(segments))
            throw std::invalid_argument("duplicate route: " + pattern);
    }
    routes_.push_back({v, std::move(pattern), std::move(segments), std::move(fn)});
}

router::match_result router::match(verb v, std::string_view path) const {
    const auto parts = split_path(path);
    // Score = number of literal segments matched; the best-scoring route for the verb wins.
    const route* best = nullptr;
    int best_score = -1;
    std::vector<verb> allowed;
    for (const auto& r : routes_) {
        if (r.segments.size() != parts.size()) continue;
        int score = 0;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            if (is_param(r.segments[i]))
                ok = !parts[i].empty();
            else if (r.segments[i] == parts[i])
                ++score;
            else
                ok = false;
        }
        if (!ok) continue;
        if (r.v != v) {
            if (std::find(allowed.begin(), allowed.end(), r.v) == allowed.end())
                allowed.push_back(r.v);
            continue;
        }
        if (score > best_score) {
            best = &r;
            best_score = score;
        }
    }
    if (best) {
        matched m{&best->fn, &best->pattern, {}};
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (is_param(best->segments[i])) {
                const auto& s = best->segments[i];
                m.params[s.substr(1, s.size() - 2)] = url_decode(parts[i], false);
            }
        }
        return m;
    }
    if (allowed.empty()) return not_found{};
    std::sort(allowed.begin(), allowed.end());
    std::string allow;
    for (auto a : allowed) {
        if (!allow.empty()) allow += ", ";
        allow += std::string(beast::http::to_string(a));
    }
    return method_not_allowed{std::move(allow)};
}

std::vector<std::pair<verb, std::string>> router::table() const {
    std::vector<std::pair<verb, std::string>> out;
    for (const auto& r : routes_) out.emplace_back(r.v, r.pattern);
    return out;
}

}  // namespace dgw::http
