#include "dgw/core/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <vector>

namespace dgw::core {
namespace {

struct free_deleter {
    void operator()(utf8proc_uint8_t* p) const noexcept { std::free(p); }
};

// Replaces every invalid sequence with U+FFFD so that utf8proc_map never fails on
// outside input.
std::string sanitize(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) {
            out += "\xEF\xBF\xBD";
            n = 1;
        } else {
            out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
        }
        p += n;
        left -= n;
    }
    return out;
}

std::string map(std::string_view text, int options) {
    std::string clean = sanitize(text);
    utf8proc_uint8_t* out = nullptr;
    utf8proc_ssize_t n =
        utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                     static_cast<utf8proc_ssize_t>(clean.size()), &out,
                     static_cast<utf8proc_option_t>(options));
    std::unique_ptr<utf8proc_uint8_t, free_deleter> guard(out);
    if (n < 0) return clean;  // cannot happen on sanitized input; keep the text rather than lose it
    return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

void append_cp(std::string& out, utf8proc_int32_t cp) {
    utf8proc_uint8_t buf[4];
    auto n = utf8proc_encode_char(cp, buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Keeps letters and digits, turns everything else into one space.
std::string squash(std::string_view mapped, bool map_d) {
    std::string out;
    out.reserve(mapped.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(mapped.data());
    auto left = static_cast<utf8proc_ssize_t>(mapped.size());
    bool pending_space = false;
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) n = 1, cp = ' ';
        p += n;
        left -= n;
        auto cat = utf8proc_category(cp);
        bool keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                    cat == UTF8PROC_CATEGORY_ND || cat == UTF8PROC_CATEGORY_MN;
        if (!keep) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) {
            out += ' ';
            pending_space = false;
        }
        // U+0111 đ (case-folded Đ) has no decomposition, so STRIPMARK leaves it.
        if (map_d && cp == 0x0111) cp = 'd';
        append_cp(out, cp);
    }
    return out;
}

}  // namespace

std::string nfc(std::string_view text) { return map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE); }

std::string lower(std::string_view text) {
    return map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
}

std::string upper(std::string_view text) {
    const std::string composed = nfc(text);
    std::string out;
    out.reserve(composed.size());
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(composed.data());
    auto left = static_cast<utf8proc_ssize_t>(composed.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        const utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n <= 0) break;  // nfc() already replaced invalid sequences
        utf8proc_uint8_t buf[4];
        const utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_toupper(cp), buf);
        out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(m));
        p += n;
        left -= n;
    }
    return out;
}

std::string fold(std::string_view text) {
    return squash(map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                UTF8PROC_STRIPMARK | UTF8PROC_COMPAT),
                  true);
}

std::string fold_keep_marks(std::string_view text) {
    return squash(map(text, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD), false);
}

std::vector<std::string> tokens(std::string_view folded) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < folded.size()) {
        while (i < folded.size() && folded[i] == ' ') ++i;
        std::size_t j = i;
        while (j < folded.size() && folded[j] != ' ') ++j;
        if (j > i) out.emplace_back(folded.substr(i, j - i));
        i = j;
    }
    return out;
}

namespace {
std::u32string code_points(std::string_view s) {
    std::u32string out;
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
    auto left = static_cast<utf8proc_ssize_t>(s.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) n = 1, cp = 0xFFFD;
        out.push_back(static_cast<char32_t>(cp));
        p += n;
        left -= n;
    }
    return out;
}
}  // namespace

namespace {

bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
}

// Levenshtein distance of two sequences of code points (bytes, when both are ASCII), one row at
// a time. Stops as soon as every cell of a row exceeds `limit`: the distance cannot come back
// down, and the caller only asked whether it is within `limit`.
template <class Seq>
std::size_t distance(const Seq& x, const Seq& y, std::size_t limit) {
    const std::size_t over = limit == std::string_view::npos ? limit : limit + 1;
    if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) > limit) return over;
    // Names and words are short: no allocation for the row below 64 code points.
    std::array<std::size_t, 64> small{};
    std::vector<std::size_t> large;
    std::size_t* row = small.data();
    if (y.size() + 1 > small.size()) {
        large.resize(y.size() + 1);
        row = large.data();
    }
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        std::size_t lowest = row[0];
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diag = up;
            lowest = std::min(lowest, row[j]);
        }
        if (lowest > limit) return over;
    }
    return std::min(row[y.size()], over);
}

std::size_t distance_within(std::string_view a, std::string_view b, std::size_t limit) {
    if (is_ascii(a) && is_ascii(b)) return distance(a, b, limit);
    return distance(code_points(a), code_points(b), limit);
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    return distance_within(a, b, std::string_view::npos);
}

std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit) {
    return distance_within(a, b, limit);
}

std::size_t utf8_length(std::string_view text) { return code_points(text).size(); }

bool valid_utf8(std::string_view text) {
    const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
    auto left = static_cast<utf8proc_ssize_t>(text.size());
    while (left > 0) {
        utf8proc_int32_t cp = 0;
        utf8proc_ssize_t n = utf8proc_iterate(p, left, &cp);
        if (n < 0) return false;
        p += n;
        left -= n;
    }
    return true;
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace dgw::core
