// Addresses as the gateway's rules see them: who is a trusted proxy, which client an
// X-Forwarded-For names, and where a fetch may never go.
#include "dgw/core/ip_address.hpp"

#include <gtest/gtest.h>

namespace dgw::core {
namespace {

ip_address ip(const char* text) {
    auto a = parse_ip(text);
    EXPECT_TRUE(a) << text;
    return a.value_or(ip_address{});
}

std::vector<ip_block> blocks(std::initializer_list<const char*> texts) {
    std::vector<ip_block> out;
    for (const auto* t : texts) {
        auto b = parse_ip_block(t);
        EXPECT_TRUE(b) << t;
        if (b) out.push_back(*b);
    }
    return out;
}

TEST(IpAddress, ParsesBothFamiliesAndMapsIpv4IntoIpv6) {
    EXPECT_EQ(ip("10.0.0.1").to_string(), "10.0.0.1");
    EXPECT_EQ(ip("::ffff:10.0.0.1"), ip("10.0.0.1")) << "a dual-stack socket's form is the same";
    EXPECT_EQ(ip("[2001:db8::1]").to_string(), "2001:db8::1");
    EXPECT_TRUE(ip("10.0.0.1").is_v4());
    EXPECT_FALSE(ip("::1").is_v4());
    for (const char* bad : {"", "10.0.0", "10.0.0.256", "localhost", "1.2.3.4:80", "fe80::1%eth0",
                            "::1::2", "[::1", " 10.0.0.1"})
        EXPECT_FALSE(parse_ip(bad)) << bad;
}

TEST(IpAddress, BlocksContainTheirAddressesOnly) {
    auto b = blocks({"10.0.0.0/8", "2001:db8::/32", "192.0.2.7"});
    EXPECT_TRUE(b[0].contains(ip("10.255.0.1")));
    EXPECT_FALSE(b[0].contains(ip("11.0.0.1")));
    EXPECT_FALSE(b[0].contains(ip("::a00:1"))) << "an IPv6 address is not in an IPv4 block";
    EXPECT_TRUE(b[1].contains(ip("2001:db8:ffff::1")));
    EXPECT_FALSE(b[1].contains(ip("2001:db9::1")));
    EXPECT_TRUE(b[2].contains(ip("192.0.2.7")));
    EXPECT_FALSE(b[2].contains(ip("192.0.2.8")));
    EXPECT_TRUE(parse_ip_block("0.0.0.0/0")->contains(ip("203.0.113.9")));
    for (const char* bad :
         {"10.0.0.1/8", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "x/8"})
        EXPECT_FALSE(parse_ip_block(bad)) << bad;
}

TEST(IpAddress, OnlyPublicUnicastAddressesArePublic) {
    for (const char* inside : {"127.0.0.1",
                               "10.0.0.1",
                               "172.16.5.4",
                               "192.168.1.1",
                               "169.254.169.254",
                               "0.0.0.0",
                               "100.64.0.1",
                               "224.0.0.1",
                               "255.255.255.255",
                               "192.0.2.1",
                               "198.18.0.1",
                               "::",
                               "::1",
                               "fe80::1",
                               "fc00::1",
                               "fd12:3456::1",
                               "ff02::1",
                               "::ffff:127.0.0.1",
                               "::ffff:10.1.2.3",
                               "64:ff9b::a00:1",
                               "64:ff9b::7f00:1",
                               "2002:7f00:1::",
                               "2002:a9fe:a9fe::1",
                               "2001:db8::1",
                               "::127.0.0.1",
                               "64:ff9b:1::1"})
        EXPECT_FALSE(is_public_unicast(ip(inside))) << inside;
    for (const char* outside :
         {"8.8.8.8", "149.154.167.220", "157.240.1.1", "2a03:2880::1", "2606:4700::1111",
          "64:ff9b::808:808", "2002:808:808::1", "172.32.0.1", "100.128.0.1"})
        EXPECT_TRUE(is_public_unicast(ip(outside))) << outside;
}

// A client with an IPv6 /64 has 2^64 addresses to rotate through: limits count the /64.
TEST(IpAddress, LimitsCountAnIpv4AddressOrAnIpv6Slash64) {
    EXPECT_EQ(limit_key(ip("2001:db8:1:2:aaaa::1")), limit_key(ip("2001:db8:1:2:ffff::9")));
    EXPECT_NE(limit_key(ip("2001:db8:1:2::1")), limit_key(ip("2001:db8:1:3::1")));
    EXPECT_EQ(limit_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::");
    EXPECT_EQ(limit_key("203.0.113.9"), "203.0.113.9");
    EXPECT_NE(limit_key(ip("203.0.113.9")), limit_key(ip("203.0.113.10")));
    EXPECT_EQ(limit_key("not an address"), "not an address");
}

TEST(IpAddress, ClientAddressBelievesOnlyTrustedProxies) {
    const auto proxies = blocks({"10.0.0.0/8", "::1"});
    // Straight from the internet: whatever the header says is ignored.
    EXPECT_EQ(client_address(ip("203.0.113.5"), "198.51.100.1", proxies), ip("203.0.113.5"));
    // Through our proxy: the address it saw, not what the client put in front.
    EXPECT_EQ(client_address(ip("10.0.0.2"), "1.1.1.1, 198.51.100.7", proxies), ip("198.51.100.7"));
    // Through two of our proxies.
    EXPECT_EQ(client_address(ip("10.0.0.2"), "198.51.100.7, 10.0.0.3", proxies),
              ip("198.51.100.7"));
    EXPECT_EQ(client_address(ip("::1"), "[2001:db8::5]:443", proxies), ip("2001:db8::5"));
    EXPECT_EQ(client_address(ip("10.0.0.2"), "198.51.100.7:5678", proxies), ip("198.51.100.7"));
    // No header, or garbage: the proxy itself, or the last good hop.
    EXPECT_EQ(client_address(ip("10.0.0.2"), "", proxies), ip("10.0.0.2"));
    EXPECT_EQ(client_address(ip("10.0.0.2"), "unknown", proxies), ip("10.0.0.2"));
    EXPECT_EQ(client_address(ip("10.0.0.2"), "1.1.1.1, junk, 10.0.0.9", proxies), ip("10.0.0.9"));
    // Every hop trusted: the left-most.
    EXPECT_EQ(client_address(ip("10.0.0.2"), "10.0.0.4, 10.0.0.3", proxies), ip("10.0.0.4"));
}

}  // namespace
}  // namespace dgw::core
