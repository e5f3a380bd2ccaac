// The gateway binary on PostgreSQL: a province moved from SQLite with `migrate` goes on where it
// was — the citizen's web chat session, the concern they filed, the officials' accounts — and
// a gateway whose database stops answers 503 on /readyz and webhooks, then recovers by itself.

#include "support/child_process.hpp"
#include "support/postgres.hpp"
#include "support/sync_client.hpp"
#include "support/telegram_load.hpp"
#include "support/test_cert.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

namespace dgw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::bhttp::verb;
using test::child_process;

// A serving config with the web chat: on SQLite in `dir`, or on PostgreSQL at `url`.
std::string write_config(const std::filesystem::path& dir, const std::string& name,
                         const json& store) {
    json cfg = {
        {"server", {{"listen", "127.0.0.1:0"}}},
        {"log", {{"level", "warn"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}}},  // tests run side by side
        {"store", store},
        {"flows", {{"dir", DGW_SOURCE_DIR "/flows"}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}},
        {"channels", {{{"id", "web"}, {"type", "webchat"}, {"flow", "menu"},
                       {"media_dir", (dir / "media").string()}}}},
    };
    const auto path = (dir / name).string();
    std::ofstream(path) << cfg.dump();
    return path;
}

using test::port_from_banner;

// One request to the gateway, with the web chat's cookie when given.
test::bhttp::response<test::bhttp::string_body> call(std::uint16_t port, verb v,
                                                     const std::string& target,
                                                     const std::string& cookie = {},
                                                     const std::string& body = {}) {
    test::sync_client c(port);
    test::bhttp::request<test::bhttp::string_body> req{v, target, 11};
    req.set(test::bhttp::field::host, "127.0.0.1");
    if (!cookie.empty()) req.set(test::bhttp::field::cookie, "dgw_chat=" + cookie);
    if (!body.empty()) req.set(test::bhttp::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return c.send(req);
}

std::string open_chat(std::uint16_t port) {
    auto res = call(port, verb::get, "/chat");
    std::smatch m;
    std::string set_cookie(res[test::bhttp::field::set_cookie]);
    std::regex_search(set_cookie, m, std::regex("^dgw_chat=([^;]+);"));
    return m.size() > 1 ? m[1].str() : std::string();
}

// Waits, as the page polls, for a reply after `after` whose text matches `want`.
std::string wait_for_reply(std::uint16_t port, const std::string& cookie, const std::regex& want,
                           std::int64_t after = 0) {
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (std::chrono::steady_clock::now() < deadline) {
        auto res = call(port, verb::get, "/chat/api/web/messages?after=" + std::to_string(after),
                        cookie);
        const auto page = res.result_int() == 200 ? json::parse(res.body()) : json::object();
        if (page.contains("messages"))
            for (const auto& m : page["messages"])
                if (std::regex_search(m["text"].get<std::string>(), want))
                    return m["text"].get<std::string>();
        std::this_thread::sleep_for(100ms);
    }
    return {};
}

TEST(PostgresGateway, MigrateMovesAProvinceAndItsGatewayGoesOnOverPostgres) {
    auto dir = test::make_temp_dir("dgw-pg-migrate");
    const auto sqlite_path = (dir / "dgw.sqlite").string();
    const auto on_sqlite = write_config(dir, "sqlite.json", {{"sqlite", {{"path", sqlite_path}}}});
    std::string cookie, ref;
    {
        child_process gw({DGW_BINARY, "serve", "--config", on_sqlite});
        const auto port = port_from_banner(gw.read_line());
        ASSERT_NE(port, 0);
        cookie = open_chat(port);
        ASSERT_FALSE(cookie.empty());
        ASSERT_EQ(call(port, verb::post, "/webhooks/web", cookie,
                       json{{"id", "m1"}, {"text", "duong o xa ta thanh bi hong nang"}}.dump())
                      .result_int(),
                  200u);
        ASSERT_NE(wait_for_reply(port, cookie, std::regex("Phản ánh của bạn")), "");
        ASSERT_EQ(call(port, verb::post, "/webhooks/web", cookie,
                       json{{"id", "m2"}, {"choice", "send_anonymous"}}.dump())
                      .result_int(),
                  200u);
        const auto receipt = wait_for_reply(port, cookie, std::regex("Mã số: LC-"));
        std::smatch m;
        ASSERT_TRUE(std::regex_search(receipt, m, std::regex("Mã số: (LC-[A-Z0-9]+)"))) << receipt;
        ref = m[1];
        gw.signal(SIGTERM);
        ASSERT_EQ(gw.wait(), 0);
    }
    {
        child_process add({DGW_BINARY, "users", "add", "lan", "--role", "official", "--scope",
                           "province", "--config", on_sqlite});
        add.read_all();
        ASSERT_EQ(add.wait(), 0);
    }

    test::scratch_database db;
    {
        child_process migrate({DGW_BINARY, "migrate", "--from", "sqlite:" + sqlite_path, "--to",
                               "postgres:" + db.url()});
        const auto out = migrate.read_all();
        ASSERT_EQ(migrate.wait(), 0) << out;
        EXPECT_NE(out.find("concerns\t1\n"), std::string::npos) << out;
        EXPECT_NE(out.find("users\t2\n"), std::string::npos) << out;
        EXPECT_NE(out.find("every count checked"), std::string::npos) << out;
        // A second run finds the target in use and writes nothing.
        child_process again({DGW_BINARY, "migrate", "--from", "sqlite:" + sqlite_path, "--to",
                             "postgres:" + db.url()});
        EXPECT_EQ(again.read_all(), "");
        EXPECT_EQ(again.wait(), 1);
        EXPECT_EQ(test::psql(db.url(), "SELECT count(*) FROM concerns"), "1");
        child_process missing({DGW_BINARY, "migrate", "--from", "sqlite:" + (dir / "nope").string(),
                               "--to", "postgres:" + db.url()});
        EXPECT_EQ(missing.wait(), 1);
        EXPECT_FALSE(std::filesystem::exists(dir / "nope")) << "no store made where none was";
    }

    const auto on_postgres = write_config(dir, "postgres.json", {{"postgres", {{"url", db.url()}}}});
    child_process check({DGW_BINARY, "check", "--config", on_postgres});
    EXPECT_NE(check.read_all().find("store: PostgreSQL"), std::string::npos);
    EXPECT_EQ(check.wait(), 0);

    child_process gw({DGW_BINARY, "serve", "--config", on_postgres});
    const auto port = port_from_banner(gw.read_line());
    ASSERT_NE(port, 0);
    EXPECT_EQ(call(port, verb::get, "/readyz").result_int(), 200u);
    // The officials' accounts and the concern, as the commands read them from PostgreSQL.
    child_process users({DGW_BINARY, "users", "list", "--config", on_postgres});
    EXPECT_EQ(users.read_all(),
              "admin  admin  (one-time password)\nlan  official  province  (one-time password)\n");
    EXPECT_EQ(users.wait(), 0);
    child_process concerns({DGW_BINARY, "concerns", "--json", "--config", on_postgres});
    const auto listed = json::parse(concerns.read_line());
    EXPECT_EQ(concerns.wait(), 0);
    EXPECT_EQ(listed["ref"], ref);
    EXPECT_EQ(listed["text"], "duong o xa ta thanh bi hong nang");
    // The citizen's web chat session goes on (its signing key moved with the store): they ask
    // about their reference and are answered from PostgreSQL.
    auto before = json::parse(call(port, verb::get, "/chat/api/web/messages?after=0", cookie).body());
    ASSERT_FALSE(before["messages"].empty());
    const auto last = before["messages"].back()["id"].get<std::int64_t>();
    ASSERT_EQ(call(port, verb::post, "/webhooks/web", cookie, json{{"id", "m3"}, {"text", ref}}.dump())
                  .result_int(),
              200u);
    EXPECT_NE(wait_for_reply(port, cookie, std::regex(ref), last), "");
    // And a new concern gets an id after the moved ones.
    EXPECT_EQ(test::psql(db.url(), "SELECT nextval(pg_get_serial_sequence('concerns', 'id')) > "
                                   "(SELECT max(id) FROM concerns)"),
              "t");
    gw.signal(SIGTERM);
    EXPECT_EQ(gw.wait(), 0);
    std::filesystem::remove_all(dir);
}

// The database stops answering under a running gateway (here: its connections are refused and
// cut): /readyz says 503 with the reason, a webhook gets 503 so that the platform retries it,
// and once the database is back the gateway recovers by itself, the retried message processed.
TEST(PostgresGateway, ADatabaseThatStopsAnsweringGives503ThenTheGatewayRecoversByItself) {
    auto dir = test::make_temp_dir("dgw-pg-down");
    test::scratch_database db;
    const auto config = write_config(dir, "postgres.json", {{"postgres", {{"url", db.url()}}}});
    child_process gw({DGW_BINARY, "serve", "--config", config});
    const auto port = port_from_banner(gw.read_line());
    ASSERT_NE(port, 0);
    const auto cookie = open_chat(port);
    ASSERT_FALSE(cookie.empty());

    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
    test::psql(test::postgres_url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = '" + db.name() + "'");
    auto ready = call(port, verb::get, "/readyz");
    EXPECT_EQ(ready.result_int(), 503u) << ready.body();
    const auto message = json{{"id", "m1"}, {"text", "duong o xa ta thanh bi hong nang"}}.dump();
    EXPECT_EQ(call(port, verb::post, "/webhooks/web", cookie, message).result_int(), 503u);
    EXPECT_EQ(call(port, verb::get, "/healthz").result_int(), 200u) << "alive, not ready";

    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    unsigned status = 0;
    while (std::chrono::steady_clock::now() < deadline &&
           (status = call(port, verb::get, "/readyz").result_int()) != 200)
        std::this_thread::sleep_for(100ms);
    EXPECT_EQ(status, 200u);
    EXPECT_EQ(call(port, verb::post, "/webhooks/web", cookie, message).result_int(), 200u);
    EXPECT_NE(wait_for_reply(port, cookie, std::regex("Phản ánh của bạn")), "");
    EXPECT_EQ(test::psql(db.url(), "SELECT count(*) FROM inbox"), "1") << "stored once";
    gw.signal(SIGTERM);
    EXPECT_EQ(gw.wait(), 0);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dgw
