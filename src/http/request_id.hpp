#pragma once
// X-Request-Id: echo a sane incoming id (so a platform's or a proxy's id follows the request
// through our logs), otherwise make a random one.

#include <random>
#include <string>
#include <string_view>

namespace dgw::http::detail {

inline bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok) return false;
    }
    return true;
}

inline std::string make_request_id(std::string_view incoming) {
    if (sane_request_id(incoming)) return std::string(incoming);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    auto v = rng();
    for (auto& c : out) {
        c = hex[v & 0xF];
        v >>= 4;
    }
    return out;
}

}  // namespace dgw::http::detail
