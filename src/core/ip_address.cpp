#include "dgw/core/ip_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace dgw::core {
namespace {

constexpr std::array<std::uint8_t, 12> v4_mapped_prefix{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::optional<ip_address> parse_v4(const std::string& s) {
    std::array<std::uint8_t, 4> b{};
    if (inet_pton(AF_INET, s.c_str(), b.data()) != 1) return std::nullopt;
    return ip_from_v4(b);
}

std::optional<ip_address> parse_v6(const std::string& s) {
    std::array<std::uint8_t, 16> b{};
    if (inet_pton(AF_INET6, s.c_str(), b.data()) != 1) return std::nullopt;
    return ip_from_v6(b);
}

// The IPv4 block a.b.c.d/len as an IPv6 block of the mapped form.
struct v4_range {
    std::uint8_t a, b, c, d;
    unsigned len;
};

bool v4_in(const std::array<std::uint8_t, 4>& v, const v4_range& r) {
    const std::uint32_t x = (std::uint32_t{v[0]} << 24) | (std::uint32_t{v[1]} << 16) |
                            (std::uint32_t{v[2]} << 8) | v[3];
    const std::uint32_t base =
        (std::uint32_t{r.a} << 24) | (std::uint32_t{r.b} << 16) | (std::uint32_t{r.c} << 8) | r.d;
    const std::uint32_t mask = r.len == 0 ? 0 : ~std::uint32_t{0} << (32 - r.len);
    return (x & mask) == (base & mask);
}

bool public_v4(const std::array<std::uint8_t, 4>& v) {
    // IANA's special-purpose registry, where "globally reachable" is false, plus multicast
    // and the reserved 240/4: none of these is a platform's CDN.
    static constexpr v4_range special[] = {
        {0, 0, 0, 0, 8},        // "this network"
        {10, 0, 0, 0, 8},       // private
        {100, 64, 0, 0, 10},    // shared address space (carrier NAT)
        {127, 0, 0, 0, 8},      // loopback
        {169, 254, 0, 0, 16},   // link-local (cloud metadata services live here)
        {172, 16, 0, 0, 12},    // private
        {192, 0, 0, 0, 24},     // IETF protocol assignments
        {192, 0, 2, 0, 24},     // documentation
        {192, 88, 99, 0, 24},   // 6to4 relay anycast (deprecated)
        {192, 168, 0, 0, 16},   // private
        {198, 18, 0, 0, 15},    // benchmarking
        {198, 51, 100, 0, 24},  // documentation
        {203, 0, 113, 0, 24},   // documentation
        {224, 0, 0, 0, 4},      // multicast
        {240, 0, 0, 0, 4},      // reserved, and the broadcast address
    };
    for (const auto& r : special)
        if (v4_in(v, r)) return false;
    return true;
}

using bytes16 = std::array<std::uint8_t, 16>;

// True when the first `bits` bits of `b` are those of `prefix`.
bool has_prefix(const bytes16& b, const bytes16& prefix, unsigned bits) {
    for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - take));
        if ((b[i] & mask) != (prefix[i] & mask)) return false;
        bits -= take;
    }
    return true;
}

std::array<std::uint8_t, 4> v4_at(const std::array<std::uint8_t, 16>& b, std::size_t at) {
    return {b[at], b[at + 1], b[at + 2], b[at + 3]};
}

// An address with an optional port: "192.0.2.7:80", "[2001:db8::1]:443", or a bare address.
std::optional<ip_address> parse_hop(std::string_view entry) {
    if (auto a = parse_ip(entry)) return a;
    if (entry.starts_with('[')) {
        const auto close = entry.find("]:");
        if (close == std::string_view::npos) return std::nullopt;
        return parse_ip(entry.substr(1, close - 1));
    }
    const auto colon = entry.find(':');
    if (colon == std::string_view::npos || entry.find(':', colon + 1) != std::string_view::npos)
        return std::nullopt;
    auto a = parse_ip(entry.substr(0, colon));
    return a && a->is_v4() ? a : std::nullopt;
}

}  // namespace

bool ip_address::is_v4() const noexcept {
    for (std::size_t i = 0; i < v4_mapped_prefix.size(); ++i)
        if (bytes[i] != v4_mapped_prefix[i]) return false;
    return true;
}

std::string ip_address::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    if (is_v4()) {
        const auto v = v4_at(bytes, 12);
        inet_ntop(AF_INET, v.data(), buf, sizeof buf);
    } else {
        inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf);
    }
    return buf;
}

ip_address ip_from_v4(const std::array<std::uint8_t, 4>& b) {
    ip_address a;
    for (std::size_t i = 0; i < v4_mapped_prefix.size(); ++i) a.bytes[i] = v4_mapped_prefix[i];
    for (std::size_t i = 0; i < 4; ++i) a.bytes[12 + i] = b[i];
    return a;
}

ip_address ip_from_v6(const std::array<std::uint8_t, 16>& b) {
    ip_address a;
    a.bytes = b;
    return a;
}

std::optional<ip_address> parse_ip(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        text = text.substr(1, text.size() - 2);
    if (text.empty() || text.size() > 64) return std::nullopt;
    const std::string s(text);
    if (s.find(':') == std::string::npos) return parse_v4(s);
    // A zone ("fe80::1%eth0") names an interface of this machine: never a peer's address.
    return parse_v6(s);
}

bool ip_block::contains(const ip_address& a) const noexcept {
    unsigned bits = prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const std::uint8_t mask = static_cast<std::uint8_t>(0xff << (8 - take));
        if ((a.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
        bits -= take;
    }
    return true;
}

std::optional<ip_block> parse_ip_block(std::string_view text) {
    const auto slash = text.find('/');
    auto base = parse_ip(text.substr(0, slash));
    if (!base) return std::nullopt;
    ip_block block{*base, 128};
    if (slash == std::string_view::npos) return block;
    const auto len_text = text.substr(slash + 1);
    unsigned len = 0;
    auto [end, ec] = std::from_chars(len_text.data(), len_text.data() + len_text.size(), len);
    if (ec != std::errc{} || end != len_text.data() + len_text.size() || len_text.empty())
        return std::nullopt;
    const unsigned max = base->is_v4() ? 32 : 128;
    if (len > max) return std::nullopt;
    block.prefix = base->is_v4() ? 96 + len : len;
    // Host bits below the prefix must be zero.
    for (unsigned bit = block.prefix; bit < 128; ++bit) {
        if (block.base.bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
    }
    return block;
}

bool is_public_unicast(const ip_address& a) noexcept {
    const auto& b = a.bytes;
    if (a.is_v4()) return public_v4(v4_at(b, 12));
    // IPv4 forms: the embedded address decides (a NAT64 gateway would carry the request to it).
    if (has_prefix(b, {0x00, 0x64, 0xff, 0x9b}, 96)) return public_v4(v4_at(b, 12));
    if (has_prefix(b, {0x20, 0x02}, 16)) return public_v4(v4_at(b, 2));  // 6to4
    struct v6_range {
        bytes16 prefix;
        unsigned bits;
    };
    static constexpr v6_range special[] = {
        {{}, 96},                                    // unspecified, loopback, IPv4-compatible
        {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48},  // local-use NAT64
        {{0x01, 0x00}, 64},                          // discard-only
        {{0x20, 0x01, 0x00}, 23},                    // IETF protocol assignments (Teredo...)
        {{0x20, 0x01, 0x0d, 0xb8}, 32},              // documentation
        {{0x3f, 0xff}, 20},                          // documentation (RFC 9637)
        {{0xfc}, 7},                                 // unique local
        {{0xfe, 0x80}, 10},                          // link-local
        {{0xfe, 0xc0}, 10},                          // site-local (deprecated)
        {{0xff}, 8},                                 // multicast
    };
    for (const auto& r : special)
        if (has_prefix(b, r.prefix, r.bits)) return false;
    return true;
}

ip_address limit_key(const ip_address& a) noexcept {
    if (a.is_v4()) return a;
    ip_address key = a;
    for (std::size_t i = 8; i < 16; ++i) key.bytes[i] = 0;
    return key;
}

std::string limit_key(std::string_view address) {
    if (auto a = parse_ip(address)) return limit_key(*a).to_string();
    return std::string(address);
}

bool in_any(const std::vector<ip_block>& blocks, const ip_address& a) noexcept {
    for (const auto& b : blocks)
        if (b.contains(a)) return true;
    return false;
}

ip_address client_address(const ip_address& peer, std::string_view forwarded_for,
                          const std::vector<ip_block>& trusted) {
    if (!in_any(trusted, peer)) return peer;
    ip_address client = peer;
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        auto entry =
            comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
        forwarded_for =
            comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
        while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t'))
            entry.remove_prefix(1);
        while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t'))
            entry.remove_suffix(1);
        auto hop = parse_hop(entry);
        if (!hop) break;
        client = *hop;
        if (!in_any(trusted, client)) break;
    }
    return client;
}

}  // namespace dgw::core
