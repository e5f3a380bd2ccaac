#include "dgw/config/gateway_config.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

namespace dgw::config {
namespace {

env_lookup env_of(std::map<std::string, std::string> vars) {
    return [vars = std::move(vars)](const std::string& n) -> std::optional<std::string> {
        auto it = vars.find(n);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

std::vector<std::string> messages(const parse_result& r) {
    std::vector<std::string> out;
    for (const auto& p : r.problems) out.push_back(core::to_string(p));
    return out;
}

TEST(GatewayConfig, EmptyObjectGivesDefaults) {
    auto r = parse_gateway_config("{}", env_of({}));
    EXPECT_TRUE(r.problems.empty());
    EXPECT_EQ(r.config.server.host, "127.0.0.1");
    EXPECT_EQ(r.config.server.port, 8080);
    EXPECT_EQ(r.config.server.max_body_bytes, 1024u * 1024u);
    EXPECT_FALSE(r.config.server.tls);
    EXPECT_EQ(r.config.log.level, core::log_level::info);
}

TEST(GatewayConfig, ShippedConfigIsValid) {
    std::ifstream in(DGW_SOURCE_DIR "/config/gateway.json");
    ASSERT_TRUE(in) << "config/gateway.json missing";
    std::stringstream text;
    text << in.rdbuf();
    auto r = parse_gateway_config(text.str(), env_of({}));
    EXPECT_EQ(messages(r), std::vector<std::string>{});
    EXPECT_EQ(r.config.server.listen, "127.0.0.1:8080");
}

TEST(GatewayConfig, ReadsEveryKey) {
    auto r = parse_gateway_config(R"({
      "server": {"listen": "[::1]:0", "threads": 3, "max_body_bytes": 2048,
                 "max_header_bytes": 4096, "max_connections": 7, "drain_seconds": 1.5,
                 "read_timeout_seconds": 2, "idle_timeout_seconds": 3,
                 "tls": {"cert_file": "${CERT_DIR}/c.pem", "key_file": "k.pem"}},
      "log": {"level": "debug"}})",
                                  env_of({{"CERT_DIR", "/etc/dgw"}}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    const auto& s = r.config.server;
    EXPECT_EQ(s.host, "::1");
    EXPECT_EQ(s.port, 0);
    EXPECT_EQ(s.threads, 3u);
    EXPECT_EQ(s.max_body_bytes, 2048u);
    EXPECT_EQ(s.max_header_bytes, 4096u);
    EXPECT_EQ(s.max_connections, 7u);
    EXPECT_DOUBLE_EQ(s.drain_seconds, 1.5);
    EXPECT_DOUBLE_EQ(s.read_timeout_seconds, 2);
    EXPECT_DOUBLE_EQ(s.idle_timeout_seconds, 3);
    ASSERT_TRUE(s.tls);
    EXPECT_EQ(s.tls->cert_file, "/etc/dgw/c.pem");
    EXPECT_EQ(r.config.log.level, core::log_level::debug);
}

TEST(GatewayConfig, ReportsEveryProblemWithItsPath) {
    auto r = parse_gateway_config(R"({
      "server": {"listen": "localhost", "threads": "many", "max_connections": 0,
                 "drain_seconds": -1, "tls": {"cert_file": "${NOPE}"}, "colour": "red"},
      "log": {"level": "loud"},
      "stores": {}})",
                                  env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/server/tls/cert_file: environment variable NOPE is not set",
                  "/server/listen: must be \"host:port\" (IPv6 as \"[::1]:8080\"), got "
                  "\"localhost\"",
                  "/server/threads: has the wrong type (string)",
                  "/server/max_connections: must be at least 1",
                  "/server/drain_seconds: must be a positive number of seconds",
                  "/server/tls/key_file: is required",
                  "/server/colour: unknown key",
                  "/log/level: must be one of trace, debug, info, warn, error, off; got \"loud\"",
                  "/stores: unknown key",
              }));
}

TEST(GatewayConfig, BrokenJson) {
    auto r = parse_gateway_config("{\"server\": ", env_of({}));
    EXPECT_EQ(messages(r), std::vector<std::string>{"/: not valid JSON"});
}

TEST(SplitListen, Forms) {
    std::string host;
    std::uint16_t port = 0;
    EXPECT_TRUE(split_listen("0.0.0.0:443", host, port));
    EXPECT_EQ(host, "0.0.0.0");
    EXPECT_EQ(port, 443);
    EXPECT_TRUE(split_listen("[::]:8443", host, port));
    EXPECT_EQ(host, "::");
    EXPECT_FALSE(split_listen("::1:80", host, port));
    EXPECT_FALSE(split_listen("host:99999", host, port));
    EXPECT_FALSE(split_listen("host:", host, port));
    EXPECT_FALSE(split_listen(":80", host, port));
}

}  // namespace
}  // namespace dgw::config
