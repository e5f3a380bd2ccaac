#pragma once
/// IP addresses as plain values, for the rules that depend on where a peer is or where a
/// request would go: the trusted proxies whose X-Forwarded-For is believed, the per-address
/// connection cap, and the addresses the media fetcher refuses (loopback, private, link-local,
/// multicast...). Sans-I/O and thread-safe; the http module converts its sockets' addresses.

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// An IPv4 or IPv6 address. IPv4 is held as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one value
/// and one comparison cover both families, and a dual-stack socket's ::ffff:10.0.0.1 is the
/// same address as 10.0.0.1.
struct ip_address {
    std::array<std::uint8_t, 16> bytes{};

    bool is_v4() const noexcept;
    /// "10.0.0.1", "2001:db8::1".
    std::string to_string() const;
    friend auto operator<=>(const ip_address&, const ip_address&) = default;
};

/// Parses "10.0.0.1" or "2001:db8::1" (also "[2001:db8::1]"); nothing for anything else.
std::optional<ip_address> parse_ip(std::string_view text);

/// The address from 4 or 16 network-order bytes (what sockets give).
ip_address ip_from_v4(const std::array<std::uint8_t, 4>& b);
ip_address ip_from_v6(const std::array<std::uint8_t, 16>& b);

/// An address block: "10.0.0.0/8", "2001:db8::/32", or one address ("192.0.2.7" = /32).
struct ip_block {
    ip_address base;
    unsigned prefix = 128;  ///< in IPv6 bits (an IPv4 /8 is 96 + 8)

    bool contains(const ip_address& a) const noexcept;
};

/// Parses a block; nothing when malformed or when host bits are set below the prefix
/// ("10.0.0.1/8" is more likely a typo than meant).
std::optional<ip_block> parse_ip_block(std::string_view text);

/// True for an address on the public internet: false for unspecified, loopback, private
/// (RFC 1918, shared 100.64/10, unique local fc00::/7), link-local, multicast, broadcast,
/// documentation, benchmarking and reserved ranges, and for IPv6 forms that embed an IPv4
/// address (mapped, NAT64 64:ff9b::/96, 6to4 2002::/16) when the embedded one is not public.
bool is_public_unicast(const ip_address& a) noexcept;

/// The part of an address that stands for one client in per-address limits: an IPv4 address
/// whole, an IPv6 address's /64 (a subscriber's network, in which its hosts pick addresses at
/// will: counting each address would let one client be millions).
ip_address limit_key(const ip_address& a) noexcept;
/// limit_key of an address given as text, as text ("2001:db8:1:2::"); the text itself when it
/// is not an address.
std::string limit_key(std::string_view address);

/// True when one of `blocks` contains `a`.
bool in_any(const std::vector<ip_block>& blocks, const ip_address& a) noexcept;

/// The client's address for a request that arrived from `peer` with the X-Forwarded-For
/// header `forwarded_for` (possibly empty): `peer` itself unless it is one of `trusted`;
/// otherwise the right-most address of the header that is not a trusted proxy (the one the
/// first trusted proxy saw), or the left-most when all are trusted. Entries may carry a port
/// ("192.0.2.7:5678", "[2001:db8::1]:443"). An entry that is not an address ends the walk
/// there, so a client cannot hide behind garbage it put in front.
ip_address client_address(const ip_address& peer, std::string_view forwarded_for,
                          const std::vector<ip_block>& trusted);

}  // namespace dgw::core
