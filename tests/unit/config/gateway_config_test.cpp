#include "dgw/config/gateway_config.hpp"

#include <dgw/channels/registry.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

TEST(GatewayConfig, ShippedWebChatExampleIsValid) {
    std::ifstream in(DGW_SOURCE_DIR "/config/gateway.webchat.json");
    ASSERT_TRUE(in) << "config/gateway.webchat.json missing";
    std::stringstream text;
    text << in.rdbuf();
    auto r = parse_gateway_config(text.str(), env_of({}));
    EXPECT_EQ(messages(r), std::vector<std::string>{});
    ASSERT_EQ(r.config.channels.size(), 1u);
    EXPECT_EQ(r.config.channels[0].type, "webchat");
}

std::string one_channel(const nlohmann::json& channel) {
    nlohmann::json doc;
    doc["channels"] = nlohmann::json::array({channel});
    return doc.dump();
}

// Every channel type's keys come from the channels registry: each one left out is reported at
// its path, and given, each lands in the channel's settings with the type's URL defaults.
TEST(GatewayConfig, ChannelKeysAreTheRegistrys) {
    for (const auto& type : channels::channel_types()) {
        SCOPED_TRACE(type.name);
        nlohmann::json ch{{"id", "c"}, {"type", type.name}};
        for (const auto& key : type.required) ch[key] = key + "-value";
        auto ok = parse_gateway_config(one_channel(ch), env_of({}));
        ASSERT_EQ(messages(ok), std::vector<std::string>{});
        ASSERT_EQ(ok.config.channels.size(), 1u);
        const auto& c = ok.config.channels[0];
        EXPECT_EQ(c.api_base, type.api_base);
        EXPECT_EQ(c.settings.size(), type.required.size() + type.urls.size());
        for (const auto& key : type.required) EXPECT_EQ(c.settings.at(key), key + "-value");
        for (const auto& url : type.urls) EXPECT_EQ(c.settings.at(url.key), url.fallback);
        EXPECT_EQ(c.media_hosts, type.media_hosts(type.api_base, {}));
        for (const auto& key : type.required) {
            auto without = ch;
            without.erase(key);
            auto bad =
                parse_gateway_config(one_channel(without), env_of({}));
            EXPECT_EQ(messages(bad), std::vector<std::string>{"/channels/0/" + key + ": is required"});
        }
    }
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

// Signed event webhooks to other systems (issue 22 item 3).
TEST(GatewayConfig, OutboundHooksAreReadWithTheirSecretFromTheEnvironment) {
    auto r = parse_gateway_config(R"({"outbound_hooks": [
        {"name": "ops-centre", "url": "https://ioc.laocai.gov.vn/dgw", "secret": "${HOOK_SECRET}",
         "events": ["concern.filed", "concern.answered"], "personal_data": true},
        {"url": "http://127.0.0.1:9000/events", "secret": "0123456789abcdef",
         "events": ["session.changed"]}]})",
                                  env_of({{"HOOK_SECRET", "a-long-shared-secret-value"}}));
    EXPECT_TRUE(r.problems.empty()) << messages(r).front();
    ASSERT_EQ(r.config.outbound_hooks.size(), 2u);
    const auto& ops = r.config.outbound_hooks[0];
    EXPECT_EQ(ops.name, "ops-centre");
    EXPECT_EQ(ops.url, "https://ioc.laocai.gov.vn/dgw");
    EXPECT_EQ(ops.secret, "a-long-shared-secret-value");
    EXPECT_EQ(ops.events, (std::vector<std::string>{"concern.filed", "concern.answered"}));
    EXPECT_TRUE(ops.personal_data);
    EXPECT_EQ(r.config.outbound_hooks[1].name, "hook-2") << "named by its place when unnamed";
    EXPECT_FALSE(r.config.outbound_hooks[1].personal_data) << "no personal data by default";
    EXPECT_TRUE(parse_gateway_config("{}", env_of({})).config.outbound_hooks.empty());
}

TEST(GatewayConfig, AnOutboundHookWithABadUrlSecretOrEventIsRefusedWithItsPath) {
    auto r = parse_gateway_config(R"({"outbound_hooks": [
        {"name": "Ops Centre", "url": "ftp://x", "secret": "short", "events": ["concern.deleted"]},
        {"name": "a", "url": "https://a", "secret": "0123456789abcdef", "events": []},
        {"name": "a", "url": "https://b", "secret": "0123456789abcdef", "events": ["concern.filed"],
         "colour": "red"},
        {"url": "https://c", "events": ["concern.filed"]}]})",
                                  env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/outbound_hooks/0/name: must be 1-64 of a-z, 0-9, '-', '_'",
                  "/outbound_hooks/0/url: must be an http(s) URL",
                  "/outbound_hooks/0/secret: must have at least 16 characters",
                  "/outbound_hooks/0/events: unknown event \"concern.deleted\" (concern.filed, "
                  "concern.status, concern.answered, session.changed)",
                  "/outbound_hooks/1/events: must name at least one event",
                  "/outbound_hooks/2/name: duplicate hook name \"a\"",
                  "/outbound_hooks/2/colour: unknown key",
                  "/outbound_hooks/3/secret: is required",
              }));
    EXPECT_EQ(messages(parse_gateway_config(R"({"outbound_hooks": {}})", env_of({}))),
              (std::vector<std::string>{"/outbound_hooks: must be an array"}));
}

// What stands up to a hostile internet: connection fairness, trusted proxies, Prometheus's own
// listener, the web chat's signed sessions and caps, and where photos may be fetched from.
TEST(GatewayConfig, LinePhotosComeFromItsContentHostOrTheOneATestNames) {
    auto d = parse_gateway_config(R"({"channels": [
        {"id": "l", "type": "line", "channel_secret": "s", "channel_access_token": "t"},
        {"id": "m", "type": "line", "channel_secret": "s", "channel_access_token": "t",
         "api_base": "http://127.0.0.1:8081", "data_base": "http://127.0.0.1:8082/"}]})",
                                  env_of({}));
    ASSERT_EQ(messages(d), std::vector<std::string>{});
    EXPECT_EQ(d.config.channels[0].settings.at("data_base"), "https://api-data.line.me");
    EXPECT_EQ(d.config.channels[0].media_hosts, (std::vector<std::string>{"api-data.line.me"}));
    EXPECT_EQ(d.config.channels[1].settings.at("data_base"), "http://127.0.0.1:8082");
    EXPECT_EQ(d.config.channels[1].media_hosts, (std::vector<std::string>{"127.0.0.1"}));
    auto bad = parse_gateway_config(R"({"channels": [
        {"id": "l", "type": "line", "channel_secret": "s", "channel_access_token": "t",
         "data_base": "ftp://x"}]})",
                                    env_of({}));
    EXPECT_EQ(messages(bad), std::vector<std::string>{"/channels/0/data_base: must be an http(s) URL"});
}

TEST(GatewayConfig, WhatsAppAndSmsPhotosComeFromTheirApiAndTheirMediaHostOnly) {
    auto d = parse_gateway_config(R"({"channels": [
        {"id": "wa", "type": "whatsapp", "app_secret": "a", "verify_token": "v",
         "access_token": "t", "phone_number_id": "1"},
        {"id": "wa-test", "type": "whatsapp", "app_secret": "a", "verify_token": "v",
         "access_token": "t", "phone_number_id": "1", "api_base": "http://127.0.0.1:8081/v21.0",
         "media_base": "http://127.0.0.1:8082/"},
        {"id": "sms", "type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+1",
         "public_url": "https://gw.example/webhooks/sms"},
        {"id": "sms-test", "type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+1",
         "public_url": "https://gw.example/webhooks/sms", "api_base": "http://127.0.0.1:8083"}]})",
                                  env_of({}));
    ASSERT_EQ(messages(d), std::vector<std::string>{});
    const auto& c = d.config.channels;
    // The Graph API's media lookup, and the host Meta's answer sends the download to.
    EXPECT_EQ(c[0].settings.at("media_base"), "https://lookaside.fbsbx.com");
    EXPECT_EQ(c[0].media_hosts, (std::vector<std::string>{"graph.facebook.com", "lookaside.fbsbx.com"}));
    EXPECT_EQ(c[1].settings.at("media_base"), "http://127.0.0.1:8082");
    EXPECT_EQ(c[1].media_hosts, (std::vector<std::string>{"127.0.0.1"}));
    // Twilio's media URLs, which redirect to its CDN.
    EXPECT_EQ(c[2].media_hosts, (std::vector<std::string>{"api.twilio.com", "mms.twiliocdn.com"}));
    EXPECT_EQ(c[3].media_hosts, (std::vector<std::string>{"127.0.0.1", "mms.twiliocdn.com"}));

    auto bad = parse_gateway_config(R"({"channels": [
        {"id": "wa", "type": "whatsapp", "app_secret": "a", "verify_token": "v",
         "access_token": "t", "phone_number_id": "1", "media_base": "lookaside.fbsbx.com"}]})",
                                    env_of({}));
    EXPECT_EQ(messages(bad), std::vector<std::string>{"/channels/0/media_base: must be an http(s) URL"});
}

TEST(GatewayConfig, ReadsTheDefencesWithTheirDefaults) {
    auto d = parse_gateway_config(R"({"channels": [
        {"id": "v", "type": "viber", "auth_token": "t"},
        {"id": "t", "type": "telegram", "bot_token": "b", "secret_token": "s",
         "api_base": "http://127.0.0.1:8081"},
        {"id": "w", "type": "webchat"}]})",
                                  env_of({}));
    ASSERT_EQ(messages(d), std::vector<std::string>{});
    EXPECT_EQ(d.config.server.max_connections_per_address, 64u);
    EXPECT_DOUBLE_EQ(d.config.server.header_timeout_seconds, 5);
    EXPECT_TRUE(d.config.server.trusted_proxies.empty());
    EXPECT_EQ(d.config.metrics.host, "127.0.0.1");
    EXPECT_EQ(d.config.metrics.port, 9464);
    EXPECT_EQ(d.config.metrics.bearer_token, "");
    EXPECT_EQ(d.config.webchat.session_key, "");
    EXPECT_EQ(d.config.webchat.new_sessions_per_address_per_hour, 60u);
    EXPECT_EQ(d.config.media.max_bytes, 10u * 1024 * 1024);
    EXPECT_EQ(d.config.channels[0].media_hosts, (std::vector<std::string>{"*.viber.com"}));
    EXPECT_EQ(d.config.channels[1].media_hosts, (std::vector<std::string>{"127.0.0.1"}))
        << "Telegram's photos come from its Bot API";
    EXPECT_EQ(d.config.channels[2].webchat.messages_per_minute, 600u);

    auto r = parse_gateway_config(
        R"({
      "server": {"max_connections_per_address": 16, "header_timeout_seconds": 2,
                 "trusted_proxies": ["10.0.0.0/8", "::1"]},
      "metrics": {"listen": "[::1]:9100", "bearer_token": "${METRICS_TOKEN}"},
      "webchat": {"session_key": "${CHAT_KEY}", "new_sessions_per_address_per_hour": 10},
      "media": {"max_bytes": 1000, "timeout_seconds": 3, "max_redirects": 1},
      "channels": [{"id": "z", "type": "zalo", "app_id": "a", "oa_secret_key": "o",
                    "app_secret": "s", "access_token": "t", "refresh_token": "r",
                    "media_hosts": ["*.zdn.vn", "203.0.113.7"]},
                   {"id": "w", "type": "webchat", "messages_per_minute": 90}]})",
        env_of({{"METRICS_TOKEN", "0123456789abcdef0123"}, {"CHAT_KEY", std::string(40, 'k')}}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    EXPECT_EQ(r.config.server.max_connections_per_address, 16u);
    EXPECT_DOUBLE_EQ(r.config.server.header_timeout_seconds, 2);
    ASSERT_EQ(r.config.server.trusted_proxy_blocks.size(), 2u);
    EXPECT_TRUE(r.config.server.trusted_proxy_blocks[0].contains(*core::parse_ip("10.1.2.3")));
    EXPECT_EQ(r.config.metrics.host, "::1");
    EXPECT_EQ(r.config.metrics.port, 9100);
    EXPECT_EQ(r.config.metrics.bearer_token, "0123456789abcdef0123");
    EXPECT_EQ(r.config.webchat.session_key, std::string(40, 'k'));
    EXPECT_EQ(r.config.webchat.new_sessions_per_address_per_hour, 10u);
    EXPECT_EQ(r.config.media.max_bytes, 1000u);
    EXPECT_EQ(r.config.media.max_redirects, 1);
    EXPECT_EQ(r.config.channels[0].media_hosts,
              (std::vector<std::string>{"*.zdn.vn", "203.0.113.7"}));
    EXPECT_EQ(r.config.channels[1].webchat.messages_per_minute, 90u);
}

TEST(GatewayConfig, BadDefencesAreProblemsWithTheirPaths) {
    auto r = parse_gateway_config(R"({
      "server": {"listen": "127.0.0.1:8080", "trusted_proxies": ["10.0.0.1/8", "proxy.local"],
                 "header_timeout_seconds": 0, "max_connections_per_address": -1},
      "metrics": {"listen": "127.0.0.1:8080", "bearer_token": "short"},
      "webchat": {"session_key": "too short", "typo": 1},
      "media": {"max_bytes": 0, "timeout_seconds": -1, "max_redirects": 11},
      "channels": [{"id": "v", "type": "viber", "auth_token": "t",
                    "media_hosts": ["*", "CDN.viber.com", "a..b", "ok.viber.com"]}]})",
                                  env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/server/max_connections_per_address: must be a whole number from 0 to "
                  "18446744073709551615",
                  "/server/header_timeout_seconds: must be a positive number of seconds",
                  "/server/trusted_proxies/0: must be an IP address or block such as "
                  "\"10.0.0.0/8\", got \"10.0.0.1/8\"",
                  "/server/trusted_proxies/1: must be an IP address or block such as "
                  "\"10.0.0.0/8\", got \"proxy.local\"",
                  "/channels/0/media_hosts/0: must be a host name (lower-case), \"*.\" and a "
                  "name, or an IP address; got \"*\"",
                  "/channels/0/media_hosts/1: must be a host name (lower-case), \"*.\" and a "
                  "name, or an IP address; got \"CDN.viber.com\"",
                  "/channels/0/media_hosts/2: must be a host name (lower-case), \"*.\" and a "
                  "name, or an IP address; got \"a..b\"",
                  "/webchat/session_key: must have at least 32 characters (or be left out: the "
                  "gateway then makes one and keeps it in the store)",
                  "/webchat/typo: unknown key",
                  "/metrics/listen: must differ from server.listen",
                  "/metrics/bearer_token: must have at least 16 characters",
                  "/media/max_bytes: must be at least 1",
                  "/media/timeout_seconds: must be a positive number of seconds",
                  "/media/max_redirects: must be between 0 and 10",
              }));
}

TEST(GatewayConfig, BrokenJson) {
    auto r = parse_gateway_config("{\"server\": ", env_of({}));
    EXPECT_EQ(messages(r), std::vector<std::string>{"/: not valid JSON"});
}

TEST(GatewayConfig, ChannelsStorePipelineAndPaths) {
    auto r = parse_gateway_config(R"({
      "store": {"sqlite": {"path": "/data/dgw.sqlite", "synchronous": "normal", "max_size_mb": 512}},
      "flows": {"dir": "/etc/dgw/flows"},
      "dialogue": {"file": "/etc/dgw/dialogue.json"},
      "pipeline": {"batch": 64, "max_in_flight": 8, "max_attempts": 5, "backoff_seconds": 0.5,
                   "max_backoff_seconds": 60, "send_timeout_seconds": 3, "ca_file": "/etc/ca.pem"},
      "channels": [
        {"id": "telegram", "type": "telegram", "bot_token": "${TG_TOKEN}",
         "secret_token": "${TG_SECRET}", "flow": "menu",
         "rate_limit": {"per_second": 30, "per_chat_per_second": 1, "per_chat_burst": 3}},
        {"id": "sms", "type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+1555",
         "public_url": "https://gw.example/webhooks/sms", "api_base": "http://127.0.0.1:9/"}
      ]})",
                                  env_of({{"TG_TOKEN", "123:abc"}, {"TG_SECRET", "s3"}}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    const auto& c = r.config;
    EXPECT_EQ(c.store.sqlite_path, "/data/dgw.sqlite");
    EXPECT_FALSE(c.store.synchronous_full);
    EXPECT_DOUBLE_EQ(c.store.max_size_mb, 512);
    EXPECT_EQ(c.flows_dir, "/etc/dgw/flows");
    EXPECT_EQ(c.dialogue_file, "/etc/dgw/dialogue.json");
    EXPECT_EQ(c.pipeline.batch, 64u);
    EXPECT_EQ(c.pipeline.ca_file, "/etc/ca.pem");
    ASSERT_EQ(c.channels.size(), 2u);
    EXPECT_EQ(c.channels[0].settings.at("bot_token"), "123:abc");
    EXPECT_EQ(c.channels[0].api_base, "https://api.telegram.org") << "the platform's by default";
    EXPECT_DOUBLE_EQ(c.channels[0].rate_limit.per_chat_burst, 3);
    EXPECT_EQ(c.channels[1].api_base, "http://127.0.0.1:9") << "trailing slash dropped";
    EXPECT_EQ(c.channels[1].flow, "menu");
}

// Several gateways on one PostgreSQL: the URL from the environment (it holds a password), and
// one store only.
TEST(GatewayConfig, TheStoreIsOnPostgresWhenItsUrlIsGiven) {
    auto r = parse_gateway_config(
        R"({"store": {"postgres": {"url": "${DATABASE_URL}", "connections": 4}}})",
        env_of({{"DATABASE_URL", "postgresql://dgw:pw@db.internal/dgw"}}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    EXPECT_TRUE(r.config.store.on_postgres());
    EXPECT_EQ(r.config.store.postgres_url, "postgresql://dgw:pw@db.internal/dgw");
    EXPECT_EQ(r.config.store.postgres_connections, 4);
    EXPECT_FALSE(parse_gateway_config("{}", env_of({})).config.store.on_postgres())
        << "SQLite by default";

    EXPECT_EQ(messages(parse_gateway_config(
                  R"({"store": {"sqlite": {}, "postgres": {"url": "postgresql:///dgw"}}})",
                  env_of({}))),
              std::vector<std::string>{"/store/postgres: give one of sqlite and postgres, not both"});
    EXPECT_EQ(messages(parse_gateway_config(
                  R"({"store": {"postgres": {"url": "", "connections": 0, "pool": 1}}})",
                  env_of({}))),
              (std::vector<std::string>{
                  "/store/postgres/url: must not be empty (a PostgreSQL URL, e.g. from "
                  "${DATABASE_URL})",
                  "/store/postgres/connections: must be from 1 to 100",
                  "/store/postgres/pool: unknown key"}));
    EXPECT_EQ(messages(parse_gateway_config(R"({"store": {"postgres": {}}})", env_of({}))),
              std::vector<std::string>{"/store/postgres/url: is required"});
}

TEST(GatewayConfig, ChannelProblemsHaveTheirPaths) {
    auto r = parse_gateway_config(R"({"channels": [
        {"id": "tg", "type": "telegram", "bot_token": "x"},
        {"id": "tg", "type": "telegram", "bot_token": "x", "secret_token": "y"},
        {"id": "Bad Id", "type": "pigeon"},
        {"id": "v", "type": "viber", "auth_token": "", "rate_limit": {"per_second": -1}},
        {"id": "w", "type": "whatsapp", "app_secret": "a", "verify_token": "b",
         "access_token": "c", "phone_number_id": "1", "api_base": "ftp://x", "colour": 1}
      ], "store": {"sqlite": {"synchronous": "sometimes"}}})",
                                  env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/store/sqlite/synchronous: must be \"full\" or \"normal\"",
                  "/channels/0/secret_token: is required",
                  "/channels/1/id: duplicate channel id \"tg\"",
                  "/channels/2/id: must be 1-64 of a-z, 0-9, '-', '_' (it is part of the webhook "
                  "URL)",
                  "/channels/2/type: unknown channel type \"pigeon\"",
                  "/channels/3/auth_token: must not be empty",
                  "/channels/3/rate_limit/per_second: must not be negative",
                  "/channels/4/api_base: must be an http(s) URL",
                  "/channels/4/colour: unknown key",
              }));
}

TEST(GatewayConfig, ZaloOAuthBaseDefaultsToZaloAndMustBeAUrl) {
    const std::string zalo = R"({"id": "zalo", "type": "zalo", "app_id": "1", "oa_secret_key": "k",
        "app_secret": "s", "access_token": "a", "refresh_token": "r")";
    auto r = parse_gateway_config(R"({"channels": [)" + zalo + "}, " +
                                      R"({"id": "z2", "type": "zalo", "app_id": "1",
        "oa_secret_key": "k", "app_secret": "s", "access_token": "a", "refresh_token": "r",
        "oauth_base": "http://127.0.0.1:9/"}]})",
                                  env_of({}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    EXPECT_EQ(r.config.channels[0].settings.at("oauth_base"), "https://oauth.zaloapp.com");
    EXPECT_EQ(r.config.channels[1].settings.at("oauth_base"), "http://127.0.0.1:9");
    r = parse_gateway_config(
        R"({"channels": [)" + zalo + R"(, "oauth_base": "oauth.zaloapp.com"}]})", env_of({}));
    EXPECT_EQ(messages(r),
              std::vector<std::string>{"/channels/0/oauth_base: must be an http(s) URL"});
    // Other types have no such key.
    r = parse_gateway_config(R"({"channels": [{"id": "v", "type": "viber", "auth_token": "t",
        "oauth_base": "https://x"}]})",
                             env_of({}));
    EXPECT_EQ(messages(r), std::vector<std::string>{"/channels/0/oauth_base: unknown key"});
}

TEST(GatewayConfig, WebChatNeedsNoSecretsAndItsPhotoLimitFitsTheServers) {
    auto r = parse_gateway_config(R"({"server": {"max_body_bytes": 2000000}, "channels": [
        {"id": "web", "type": "webchat"},
        {"id": "web2", "type": "webchat", "title": "Xã Bát Xát", "media_dir": "/srv/media",
         "max_photo_bytes": 500000, "rate_limit": {"per_chat_per_second": 2},
         "photos_per_session_per_hour": 5, "photos_per_minute": 0,
         "messages_per_session_per_minute": 6, "keep_unfiled_photos_hours": 0}
      ]})",
                                  env_of({}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    const auto& web = r.config.channels[0];
    EXPECT_EQ(web.webchat.media_dir, "var/media/webchat");
    EXPECT_EQ(web.webchat.max_photo_bytes, 2000000u) << "0 takes the server's body limit";
    EXPECT_DOUBLE_EQ(web.rate_limit.per_chat_per_second, 0) << "nothing to rate-limit by default";
    EXPECT_EQ(web.webchat.photos_per_session_per_hour, 20u);
    EXPECT_EQ(web.webchat.photos_per_minute, 120u);
    EXPECT_EQ(web.webchat.messages_per_session_per_minute, 30u);
    EXPECT_EQ(web.webchat.keep_unfiled_photos_hours, 48u);
    const auto& web2 = r.config.channels[1];
    EXPECT_EQ(web2.webchat.title, "Xã Bát Xát");
    EXPECT_EQ(web2.webchat.media_dir, "/srv/media");
    EXPECT_EQ(web2.webchat.max_photo_bytes, 500000u);
    EXPECT_DOUBLE_EQ(web2.rate_limit.per_chat_per_second, 2);
    EXPECT_EQ(web2.webchat.photos_per_session_per_hour, 5u);
    EXPECT_EQ(web2.webchat.photos_per_minute, 0u);
    EXPECT_EQ(web2.webchat.messages_per_session_per_minute, 6u);
    EXPECT_EQ(web2.webchat.keep_unfiled_photos_hours, 0u) << "kept forever";

    r = parse_gateway_config(R"({"channels": [
        {"id": "web", "type": "webchat", "max_photo_bytes": 2000000, "media_dir": "",
         "api_base": "http://x", "bot_token": "x"}]})",
                             env_of({}));
    EXPECT_EQ(messages(r), (std::vector<std::string>{
                               "/channels/0/media_dir: must not be empty",
                               "/channels/0/api_base: unknown key",
                               "/channels/0/bot_token: unknown key",
                               "/channels/0/max_photo_bytes: must not exceed "
                               "server.max_body_bytes (1048576)",
                           }));
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

namespace dgw::config {
namespace {

TEST(GatewayConfig, PrivacyRetentionDefaultsToTwoYearsAndZeroTurnsItOff) {
    EXPECT_EQ(parse_gateway_config("{}", env_of({})).config.privacy.retention_days, 730);
    auto off = parse_gateway_config(R"({"privacy": {"retention_days": 0}})", env_of({}));
    EXPECT_EQ(messages(off), std::vector<std::string>{});
    EXPECT_EQ(off.config.privacy.retention_days, 0);
    auto bad = parse_gateway_config(R"({"privacy": {"retention_days": -1, "keep": true}})", env_of({}));
    EXPECT_EQ(messages(bad), (std::vector<std::string>{
                                 "/privacy/retention_days: must be between 0 (never) and 36500 days",
                                 "/privacy/keep: unknown key"}));
}

// ---- late_messages: how each platform reaches a citizen after its reply window --------------

constexpr const char* late_channels = R"({
  "notifications": {"link": "https://dialogue.example.vn/chat?ref={ref}", "sms_channel": "sms"},
  "channels": [
    {"id": "wa", "type": "whatsapp", "app_secret": "s", "verify_token": "v", "access_token": "t",
     "phone_number_id": "1",
     "late_messages": {"answer": {"template": "dgw_answer", "language": "vi",
                                  "params": ["ref", "answer", "link"]},
                       "session_moved": {"template": "dgw_moved", "language": "en_US",
                                         "params": ["ref", "session"]}}},
    {"id": "fb", "type": "messenger", "app_secret": "s", "verify_token": "v",
     "page_access_token": "p",
     "late_messages": {"optin": "one_time_notification",
                       "tags": {"session_moved": "CONFIRMED_EVENT_UPDATE"}}},
    {"id": "zalo", "type": "zalo", "app_id": "1", "oa_secret_key": "k", "app_secret": "a",
     "access_token": "t", "refresh_token": "r",
     "late_messages": {"answer": {"template": "transaction_event", "language": "VI",
                                  "title": "Trả lời phản ánh", "params": ["ref", "answer"]},
                       "zns": {"answer": {"template_id": "7895417a7d3f9461cd2e",
                                          "params": {"ma_phan_anh": "ref", "tra_loi": "answer"}}}}},
    {"id": "sms", "type": "twilio", "account_sid": "AC1", "auth_token": "t", "from": "+1",
     "public_url": "https://x/webhooks/sms"}
  ]})";

TEST(GatewayConfig, LateMessagesAreReadPerPlatform) {
    auto r = parse_gateway_config(late_channels, env_of({}));
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    const auto& wa = r.config.channels[0].late;
    EXPECT_EQ(wa.templates.at("answer").name, "dgw_answer");
    EXPECT_EQ(wa.templates.at("answer").params,
              (std::vector<std::string>{"ref", "answer", "link"}));
    EXPECT_EQ(wa.templates.at("session_moved").language, "en_US");
    const auto& fb = r.config.channels[1].late;
    EXPECT_EQ(fb.optin, "one_time_notification");
    EXPECT_EQ(fb.tags.at("session_moved"), "CONFIRMED_EVENT_UPDATE");
    const auto& zalo = r.config.channels[2];
    EXPECT_EQ(zalo.late.templates.at("answer").title, "Trả lời phản ánh");
    EXPECT_EQ(zalo.late.zns.at("answer").params.size(), 2u);
    EXPECT_EQ(zalo.settings.at("zns_base"), "https://business.openapi.zalo.me");
    EXPECT_EQ(zalo.settings.at("share_phone_image"), "") << "no share-phone form by default";
    EXPECT_EQ(r.config.notifications.sms_channel, "sms");
    EXPECT_EQ(r.config.notifications.link, "https://dialogue.example.vn/chat?ref={ref}");
}

TEST(GatewayConfig, TheZaloSharePhoneFormTakesAnImageUrl) {
    const std::string zalo = R"({"channels": [{"id": "zl", "type": "zalo", "app_id": "1",
        "oa_secret_key": "k", "app_secret": "s", "access_token": "t", "refresh_token": "r",
        "share_phone_image": IMAGE}]})";
    auto with = [&](const std::string& image) {
        std::string text = zalo;
        text.replace(text.find("IMAGE"), 5, image);
        return parse_gateway_config(text, env_of({}));
    };
    auto r = with(R"("https://oa.example.vn/share.png")");
    ASSERT_EQ(messages(r), std::vector<std::string>{});
    EXPECT_EQ(r.config.channels[0].settings.at("share_phone_image"), "https://oa.example.vn/share.png");
    EXPECT_EQ(messages(with(R"("share.png")")),
              std::vector<std::string>{"/channels/0/share_phone_image: must be an http(s) URL"});
    EXPECT_EQ(messages(with(R"("")")), std::vector<std::string>{});
}

TEST(GatewayConfig, LateMessageProblemsHaveTheirPaths) {
    auto r = parse_gateway_config(R"({
      "notifications": {"sms_channel": "wa"},
      "channels": [
        {"id": "wa", "type": "whatsapp", "app_secret": "s", "verify_token": "v",
         "access_token": "t", "phone_number_id": "1",
         "late_messages": {"answer": {"template": "Dgw Answer", "language": "vietnamese",
                                      "params": ["ref", "reference", "link"]},
                           "reminder": {}}},
        {"id": "fb", "type": "messenger", "app_secret": "s", "verify_token": "v",
         "page_access_token": "p",
         "late_messages": {"optin": "always", "tags": {"answer": "HUMAN_AGENT"}}},
        {"id": "zalo", "type": "zalo", "app_id": "1", "oa_secret_key": "k", "app_secret": "a",
         "access_token": "t", "refresh_token": "r",
         "late_messages": {"answer": {"template": "transaction_news", "language": "vi",
                                      "params": []},
                           "zns": {"answer": {"template_id": "", "params": {"ma-phan-anh": "ref"}}}}},
        {"id": "tg", "type": "telegram", "bot_token": "b", "secret_token": "s",
         "late_messages": {}}
      ]})",
                                  env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/channels/0/late_messages/answer/params: unknown field \"reference\" (ref, "
                  "answer, session, link)",
                  "/channels/0/late_messages/answer/template: must be a WhatsApp template name: "
                  "a-z, 0-9 and _",
                  "/channels/0/late_messages/answer/language: must be a WhatsApp language code "
                  "such as \"vi\" or \"en_US\"",
                  "/channels/0/late_messages/reminder: unknown key",
                  "/channels/1/late_messages/optin: must be \"one_time_notification\", "
                  "\"notification_messages\" or \"\"",
                  "/channels/1/late_messages/tags: answer: must be CONFIRMED_EVENT_UPDATE, "
                  "ACCOUNT_UPDATE or POST_PURCHASE_UPDATE",
                  "/channels/2/late_messages/answer/params: must name at least one field",
                  "/channels/2/late_messages/answer/title: is required",
                  "/channels/2/late_messages/answer/template: must be a Zalo transaction type such "
                  "as \"transaction_event\"",
                  "/channels/2/late_messages/answer/language: must be \"VI\" or \"EN\"",
                  "/channels/2/late_messages/zns/answer/template_id: must not be empty",
                  "/channels/2/late_messages/zns/answer/params: ZNS parameter names are A-Z, a-z, "
                  "0-9 and _: \"ma-phan-anh\"",
                  "/channels/3/late_messages: channels of type telegram need none",
                  "/notifications/sms_channel: channel \"wa\" is not of type twilio",
                  "/channels/0/late_messages: a template takes \"link\": set notifications.link"}));
}

}  // namespace
}  // namespace dgw::config

namespace dgw::config {
namespace {

// Invitations to a session (issue 19 item 2) need the gateway's public address for the web chat
// and the bot's @name for Telegram; neither is required, both are checked when given.
TEST(GatewayConfig, InvitationsNeedThePublicAddressAndTheBotsName) {
    auto r = parse_gateway_config(R"({"channels": [
        {"id": "tg", "type": "telegram", "bot_token": "x", "secret_token": "y", "bot_username": "LaoCaiDoiThoaiBot"},
        {"id": "tg2", "type": "telegram", "bot_token": "x", "secret_token": "y"}],
      "notifications": {"public_url": "https://doithoai.laocai.gov.vn/"}})",
                                  env_of({}));
    EXPECT_TRUE(messages(r).empty()) << messages(r).front();
    EXPECT_EQ(r.config.channels[0].settings.at("bot_username"), "LaoCaiDoiThoaiBot");
    EXPECT_FALSE(r.config.channels[1].settings.contains("bot_username"));
    EXPECT_EQ(r.config.notifications.public_url, "https://doithoai.laocai.gov.vn");
    r = parse_gateway_config(R"({"channels": [
        {"id": "tg", "type": "telegram", "bot_token": "x", "secret_token": "y", "bot_username": "@bot"},
        {"id": "v", "type": "viber", "auth_token": "a", "bot_username": "LaoCaiBot"}],
      "notifications": {"public_url": "doithoai.laocai.gov.vn"}})",
                             env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/channels/0/bot_username: must be 5-32 letters, digits or _ (the bot's @name)",
                  "/channels/1/bot_username: unknown key",
                  "/notifications/public_url: must be an http(s) URL"}));
}

// A Messenger invitation opens m.me/<page>: the Page's name is checked when given.
TEST(GatewayConfig, AMessengerInvitationNeedsThePagesName) {
    auto r = parse_gateway_config(R"({"channels": [
        {"id": "fb", "type": "messenger", "app_secret": "a", "verify_token": "v", "page_access_token": "t",
         "page_username": "LaoCai.DoiThoai"}]})",
                                  env_of({}));
    EXPECT_TRUE(messages(r).empty()) << messages(r).front();
    EXPECT_EQ(r.config.channels[0].settings.at("page_username"), "LaoCai.DoiThoai");
    r = parse_gateway_config(R"({"channels": [
        {"id": "fb", "type": "messenger", "app_secret": "a", "verify_token": "v", "page_access_token": "t",
         "page_username": "lao cai/x"},
        {"id": "tg", "type": "telegram", "bot_token": "x", "secret_token": "y", "page_username": "LaoCai"}]})",
                             env_of({}));
    EXPECT_EQ(messages(r),
              (std::vector<std::string>{
                  "/channels/0/page_username: must be 1-50 letters, digits or dots (the Page's m.me name)",
                  "/channels/1/page_username: unknown key"}));
}

}  // namespace
}  // namespace dgw::config
