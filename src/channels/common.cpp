#include <dgw/channels/adapter.hpp>
#include <dgw/channels/common.hpp>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include <algorithm>
#include <limits>

namespace dgw::channels {

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    if (a.empty()) return true;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::int64_t> json_int64(const nlohmann::json& j) {
    if (j.is_number_unsigned()) {
        auto v = j.get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            return std::nullopt;
        return static_cast<std::int64_t>(v);
    }
    if (j.is_number_integer()) return j.get<std::int64_t>();
    return std::nullopt;
}

const nlohmann::json* json_member(const nlohmann::json& obj, std::string_view key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

std::optional<std::int64_t> json_int64(const nlohmann::json& obj, std::string_view key) {
    const nlohmann::json* v = json_member(obj, key);
    if (!v) return std::nullopt;
    return json_int64(*v);
}

std::optional<std::string> json_string(const nlohmann::json& obj, std::string_view key) {
    if (!obj.is_object()) return std::nullopt;
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

namespace {

struct code_point {
    std::size_t offset;  // byte offset in the text
    std::size_t bytes;   // 1-4; an invalid byte is a 1-byte "code point"
    char32_t value;      // U+FFFD for an invalid byte
};

// Decodes one UTF-8 sequence at `i`, strictly (no overlongs, no surrogates, <= U+10FFFF).
code_point decode(std::string_view s, std::size_t i) {
    auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b0 = byte(i);
    if (b0 < 0x80) return {i, 1, b0};
    std::size_t n = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if ((b0 & 0xE0) == 0xC0) {
        n = 2, cp = b0 & 0x1Fu, min = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        n = 3, cp = b0 & 0x0Fu, min = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        n = 4, cp = b0 & 0x07u, min = 0x10000;
    } else {
        return {i, 1, 0xFFFD};
    }
    if (i + n > s.size()) return {i, 1, 0xFFFD};
    for (std::size_t k = 1; k < n; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return {i, 1, 0xFFFD};
        cp = (cp << 6) | (byte(i + k) & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {i, 1, 0xFFFD};
    return {i, n, cp};
}

std::size_t units_of(const code_point& cp, length_unit unit) {
    return unit == length_unit::utf16_units && cp.value > 0xFFFF ? 2 : 1;
}

// Marks that attach to the previous character: splitting before one would move a tone mark
// (NFD Vietnamese), a variation selector or a zero-width joiner to the next message.
bool attaches_to_previous(char32_t c) {
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F) || (c >= 0xFE00 && c <= 0xFE0F) || c == 0x200D ||
           (c >= 0xE0100 && c <= 0xE01EF);
}

}  // namespace

std::size_t text_length(std::string_view text, length_unit unit) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < text.size();) {
        auto cp = decode(text, i);
        n += units_of(cp, unit);
        i += cp.bytes;
    }
    return n;
}

std::vector<std::string> split_text(std::string_view text, std::size_t max_len, length_unit unit) {
    std::vector<std::string> parts;
    if (text.empty()) return parts;
    if (max_len < 2) max_len = 2;
    std::vector<code_point> cps;
    for (std::size_t i = 0; i < text.size();) {
        cps.push_back(decode(text, i));
        i += cps.back().bytes;
    }
    std::size_t first = 0;  // index into cps of the current part's first code point
    while (first < cps.size()) {
        // Find how many code points fit, and where the second half of the part begins.
        std::size_t units = 0;
        std::size_t end = first;
        std::size_t half = first;
        while (end < cps.size() && units + units_of(cps[end], unit) <= max_len) {
            units += units_of(cps[end], unit);
            ++end;
            if (units <= max_len / 2) half = end;
        }
        const std::size_t begin_byte = cps[first].offset;
        if (end == cps.size()) {
            parts.emplace_back(text.substr(begin_byte));
            break;
        }
        // Prefer a line break, then a space, in the second half; the break itself is dropped.
        std::size_t cut = end;
        bool drop = false;
        for (char32_t sep : {U'\n', U' '}) {
            for (std::size_t k = end; k > half && k > first + 1; --k) {
                if (cps[k - 1].value == sep) {
                    cut = k - 1;
                    drop = true;
                    break;
                }
            }
            if (drop) break;
        }
        if (!drop) {
            // A hard cut: step back over marks that belong to the previous character.
            while (cut > first + 1 && attaches_to_previous(cps[cut].value)) --cut;
        }
        parts.emplace_back(text.substr(begin_byte, cps[cut].offset - begin_byte));
        first = drop ? cut + 1 : cut;
    }
    return parts;
}

std::string redact(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3)) {
        text.replace(pos, secret.size(), "***");
    }
    return text;
}

parse_result reject(parse_result::verdict v, unsigned status, std::string error) {
    parse_result r;
    r.outcome = v;
    r.status = status;
    r.error = std::move(error);
    return r;
}

std::string truncate_reason(std::string s, std::size_t max_bytes) {
    if (s.size() <= max_bytes) return s;
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    s.resize(n);
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

std::string percent_encode(std::string_view s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += ch;
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0x0F];
        }
    }
    return out;
}

bool decimal_id(std::string_view id) {
    return !id.empty() && id.size() <= 32 && id.find_first_not_of("0123456789") == std::string_view::npos;
}

bool on_origin(std::string_view url, std::string_view base) {
    const std::size_t scheme = base.find("://");
    if (scheme == std::string_view::npos) return false;
    const std::size_t end = base.find_first_of("/?#", scheme + 3);
    const std::string_view origin = base.substr(0, end);
    if (origin.size() == scheme + 3 || !url.starts_with(origin)) return false;
    return url.size() == origin.size() || url[origin.size()] == '/' || url[origin.size()] == '?';
}

std::optional<send_request> url_download(std::string_view url) {
    if (!url.starts_with("https://") && !url.starts_with("http://")) return std::nullopt;
    // One URL, as the platform wrote it: no spaces or control characters to smuggle in.
    for (const char c : url) {
        const auto ch = static_cast<unsigned char>(c);
        if (ch <= 0x20 || ch == 0x7f) return std::nullopt;
    }
    send_request req;
    req.method = "GET";
    req.url = std::string(url);
    return req;
}

bool was_refused(const render_context& ctx, core::reach_path path) {
    return std::find(ctx.refused.begin(), ctx.refused.end(), path) != ctx.refused.end();
}

const core::permission* usable_permission(const render_context& ctx, core::permission_kind kind,
                                          bool with_token) {
    for (const auto& p : ctx.facts.permissions)
        if (p.kind == kind && core::usable(p, ctx.now) && (!with_token || !p.token.empty()))
            return &p;
    return nullptr;
}

const core::permission* reported_permission(const render_context& ctx, core::permission_kind kind) {
    for (const auto& p : ctx.facts.permissions)
        if (p.kind == kind) return &p;
    return nullptr;
}

delivery_plan free_unless_withdrawn(const render_context& ctx, core::permission_kind kind,
                                    std::string withdrawn, std::string refused) {
    delivery_plan p;
    const auto* last = reported_permission(ctx, kind);
    const bool gone = last && !last->granted;
    if (!gone && !was_refused(ctx, core::reach_path::free)) return p;
    p.path = core::reach_path::none;
    p.reason = gone ? std::move(withdrawn) : std::move(refused);
    return p;
}

}  // namespace dgw::channels
