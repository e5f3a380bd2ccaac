// The dialogue-gateway binary itself: its commands, exit codes, and serve/SIGTERM.

#include "support/child_process.hpp"
#include "support/sync_client.hpp"
#include "support/telegram_load.hpp"
#include "support/test_cert.hpp"

#include <dgw/dialogue/schedule.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <utility>

namespace dgw {
namespace {

using test::child_process;

std::string write_config(const std::filesystem::path& dir, const std::string& text) {
    auto path = (dir / "gateway.json").string();
    std::ofstream(path) << text;
    return path;
}

// A serving config: `server` and `log` as given, data in `dir`, the shipped flows and dialogue.
std::string serve_config(const std::filesystem::path& dir, nlohmann::json server,
                         nlohmann::json log = {{"level", "warn"}}) {
    nlohmann::json cfg = {
        {"server", std::move(server)},
        {"log", std::move(log)},
        {"store", {{"sqlite", {{"path", (dir / "dgw.sqlite").string()}}}}},
        {"flows", {{"dir", DGW_SOURCE_DIR "/flows"}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}},
        // Prometheus's listener on a free port: tests run side by side.
        {"metrics", {{"listen", "127.0.0.1:0"}}},
    };
    return write_config(dir, cfg.dump());
}

TEST(GatewayBinary, CheckAcceptsTheShippedConfig) {
    child_process p({DGW_BINARY, "check", "--config", DGW_SOURCE_DIR "/config/gateway.json"});
    EXPECT_EQ(p.read_all(), "ok\n");
    EXPECT_EQ(p.wait(), 0);
}

TEST(GatewayBinary, CheckListsEveryProblemAndExits1) {
    auto dir = test::make_temp_dir("dgw-check");
    auto path = write_config(dir, R"({"server": {"listen": "nowhere", "threads": -1},
                                      "log": {"level": "chatty"}, "extra": true})");
    child_process p({DGW_BINARY, "check", "--config", path});
    auto out = p.read_all();
    EXPECT_EQ(p.wait(), 1);
    EXPECT_NE(out.find(path + ": /server/listen: must be \"host:port\""), std::string::npos) << out;
    EXPECT_NE(out.find("/server/threads:"), std::string::npos) << out;
    EXPECT_NE(out.find("/log/level:"), std::string::npos) << out;
    EXPECT_NE(out.find("/extra: unknown key"), std::string::npos) << out;
    std::filesystem::remove_all(dir);
}

TEST(GatewayBinary, CheckNamesAnUnsetEnvironmentVariable) {
    auto dir = test::make_temp_dir("dgw-check");
    auto path = write_config(dir, R"({"server": {"listen": "${DGW_TEST_SURELY_UNSET_VAR}"}})");
    child_process p({DGW_BINARY, "check", "--config", path});
    auto out = p.read_all();
    EXPECT_EQ(p.wait(), 1);
    EXPECT_NE(out.find("/server/listen: environment variable DGW_TEST_SURELY_UNSET_VAR is not set"),
              std::string::npos)
        << out;
    std::filesystem::remove_all(dir);
}

TEST(GatewayBinary, MissingConfigFileIsAnError) {
    child_process p({DGW_BINARY, "check", "--config", "/nonexistent/gateway.json"});
    EXPECT_NE(p.read_all().find("cannot read the file"), std::string::npos);
    EXPECT_EQ(p.wait(), 1);
}

TEST(GatewayBinary, UsageErrorsExit2AndHelpExits0) {
    {
        child_process p({DGW_BINARY, "serve", "--no-such-flag"});
        EXPECT_EQ(p.wait(), 2);
    }
    {
        child_process p({DGW_BINARY});
        EXPECT_EQ(p.wait(), 2);
    }
    {
        child_process p({DGW_BINARY, "serve", "--help"});
        EXPECT_NE(p.read_all().find("--config"), std::string::npos);
        EXPECT_EQ(p.wait(), 0);
    }
}

TEST(GatewayBinary, VersionPrintsTheVersion) {
    child_process p({DGW_BINARY, "version"});
    EXPECT_TRUE(std::regex_match(p.read_line(), std::regex(R"(dialogue-gateway \d+\.\d+\.\d+)")));
    EXPECT_EQ(p.wait(), 0);
}

using test::port_from_banner;

std::uint16_t metrics_port_from_banner(const std::string& line) {
    std::smatch m;
    if (!std::regex_search(line, m, std::regex(R"(metrics on http://[^:]+:(\d+)/metrics)")))
        return 0;
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

TEST(GatewayBinary, ServesOperationsEndpointsAndStopsCleanlyOnSigterm) {
    auto dir = test::make_temp_dir("dgw-serve");
    auto path = serve_config(dir, {{"listen", "127.0.0.1:0"}, {"threads", 2}});
    child_process p({DGW_BINARY, "serve", "--config", path});
    const auto banner = p.read_line();
    auto port = port_from_banner(banner);
    ASSERT_NE(port, 0);
    auto metrics_port = metrics_port_from_banner(banner);
    ASSERT_NE(metrics_port, 0) << banner;
    {
        test::sync_client c(port);
        auto res = c.request(test::bhttp::verb::get, "/healthz");
        EXPECT_EQ(res.result_int(), 200u);
        EXPECT_EQ(nlohmann::json::parse(res.body()), nlohmann::json({{"status", "ok"}}));
        EXPECT_EQ(c.request(test::bhttp::verb::get, "/readyz").result_int(), 200u);
        // Route and status counts, channel ids and the version are for Prometheus only: not
        // on the public listener, on its own.
        EXPECT_EQ(c.request(test::bhttp::verb::get, "/metrics").result_int(), 404u);
        test::sync_client m(metrics_port);
        EXPECT_EQ(m.request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
        res = m.request(test::bhttp::verb::get, "/metrics");
        EXPECT_EQ(res.result_int(), 200u);
        EXPECT_NE(res[test::bhttp::field::content_type].find("text/plain; version=0.0.4"),
                  std::string::npos);
        EXPECT_NE(res.body().find("dgw_build_info{version=\""), std::string::npos);
        EXPECT_NE(res.body().find("dgw_http_requests_total{route=\"/readyz\",method=\"GET\","
                                  "status=\"200\"} 1"),
                  std::string::npos)
            << res.body();
    }
    p.signal(SIGTERM);
    EXPECT_EQ(p.wait(), 0);
    std::filesystem::remove_all(dir);
}

// Issue 7: the first start creates `admin` and prints its one-time password once; the users
// commands add accounts and tokens next to it.
// `backup`: the configured store copied into a new file, which opens as a store; a file that
// is there already is refused with exit 1 and nothing written.
TEST(GatewayBinary, BackupCopiesTheStoreIntoANewFileOnly) {
    auto dir = test::make_temp_dir("dgw-backup-cmd");
    auto path = serve_config(dir, {{"listen", "127.0.0.1:0"}});
    {
        auto db = store::open_sqlite({(dir / "dgw.sqlite").string()});
        db->upsert_contact("telegram", "42", "Lò Văn A", "vi", std::chrono::system_clock::now());
    }
    const auto to = (dir / "copy.sqlite").string();
    child_process p({DGW_BINARY, "backup", "--config", path, "--to", to});
    const auto out = p.read_all();
    EXPECT_EQ(p.wait(), 0) << out;
    EXPECT_NE(out.find("backed up"), std::string::npos) << out;
    EXPECT_NE(out.find("integrity checked"), std::string::npos) << out;
    EXPECT_TRUE(store::open_sqlite({to})->find_contact(1).has_value());
    child_process again({DGW_BINARY, "backup", "--config", path, "--to", to});
    EXPECT_EQ(again.read_all(), "");
    EXPECT_EQ(again.wait(), 1);
    std::filesystem::remove_all(dir);
}

TEST(GatewayBinary, FirstStartPrintsTheAdminPasswordOnceAndUsersCommandsManageAccounts) {
    auto dir = test::make_temp_dir("dgw-users");
    auto path = serve_config(dir, {{"listen", "127.0.0.1:0"}, {"threads", 2}});
    std::string password;
    {
        child_process p({DGW_BINARY, "serve", "--config", path});
        auto port = port_from_banner(p.read_line());
        ASSERT_NE(port, 0);
        std::smatch m;
        auto line = p.read_line();
        std::regex announced(R"(user admin with the one-time password ([a-z0-9-]{23}))");
        ASSERT_TRUE(std::regex_search(line, m, announced)) << line;
        password = m[1];
        test::sync_client c(port);
        auto res = c.request(test::bhttp::verb::post, "/api/v1/auth/login",
                             nlohmann::json{{"username", "admin"}, {"password", password}}.dump());
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        p.signal(SIGTERM);
        EXPECT_EQ(p.wait(), 0);
    }
    // users add / token / list against the same store.
    {
        child_process add({DGW_BINARY, "users", "add", "lan", "--role", "official", "--scope",
                           "02683,province", "--config", path});
        auto out = add.read_all();
        EXPECT_EQ(add.wait(), 0);
        EXPECT_TRUE(std::regex_search(out, std::regex(R"(one-time password.*: [a-z0-9-]{23}\n)")))
            << out;
    }
    {
        child_process again(
            {DGW_BINARY, "users", "add", "lan", "--role", "viewer", "--config", path});
        EXPECT_EQ(again.read_all(), "");
        EXPECT_EQ(again.wait(), 1);
        child_process unknown({DGW_BINARY, "users", "add", "minh", "--role", "official", "--scope",
                               "99999", "--config", path});
        EXPECT_EQ(unknown.wait(), 1);
        child_process role(
            {DGW_BINARY, "users", "add", "minh", "--role", "root", "--config", path});
        EXPECT_EQ(role.wait(), 1);
    }
    std::string token;
    {
        child_process t({DGW_BINARY, "users", "token", "lan", "--config", path});
        token = t.read_line();
        EXPECT_EQ(t.wait(), 0);
        EXPECT_TRUE(std::regex_match(token, std::regex("dgw_[A-Za-z0-9_-]{43}"))) << token;
        child_process nobody({DGW_BINARY, "users", "token", "nobody", "--config", path});
        EXPECT_EQ(nobody.wait(), 1);
    }
    {
        child_process off({DGW_BINARY, "users", "disable", "lan", "--config", path});
        EXPECT_EQ(off.read_line(), "lan disabled");
        EXPECT_EQ(off.wait(), 0);
        child_process listed({DGW_BINARY, "users", "list", "--config", path});
        EXPECT_NE(listed.read_all().find("lan  official  02683,province  (disabled)"),
                  std::string::npos);
        EXPECT_EQ(listed.wait(), 0);
        child_process on({DGW_BINARY, "users", "enable", "lan", "--config", path});
        EXPECT_EQ(on.read_line(), "lan enabled");
        EXPECT_EQ(on.wait(), 0);
        child_process nobody({DGW_BINARY, "users", "disable", "nobody", "--config", path});
        EXPECT_EQ(nobody.wait(), 1);
        // The only admin cannot be disabled: nobody could manage the accounts any more.
        child_process last({DGW_BINARY, "users", "disable", "admin", "--config", path});
        EXPECT_EQ(last.read_all(), "");
        EXPECT_EQ(last.wait(), 1);
        child_process reset({DGW_BINARY, "users", "password", "lan", "--config", path});
        auto out = reset.read_all();
        EXPECT_EQ(reset.wait(), 0);
        EXPECT_TRUE(std::regex_search(out, std::regex(R"(one-time password.*: [a-z0-9-]{23}\n)")))
            << out;
    }
    {
        child_process list({DGW_BINARY, "users", "list", "--config", path});
        EXPECT_EQ(list.read_all(),
                  "admin  admin  (one-time password)\n"
                  "lan  official  02683,province  (one-time password)\n");
        EXPECT_EQ(list.wait(), 0);
    }
    // A second start: users exist, no new admin, nothing more printed; the token works.
    {
        child_process p({DGW_BINARY, "serve", "--config", path});
        auto port = port_from_banner(p.read_line());
        ASSERT_NE(port, 0);
        test::sync_client c(port);
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get,
                                                           "/api/v1/auth/me", 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::authorization, "Bearer " + token);
        auto res = c.send(req);
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        EXPECT_EQ(nlohmann::json::parse(res.body())["user"]["name"], "lan");
        p.signal(SIGTERM);
        EXPECT_EQ(p.wait(), 0);
        EXPECT_EQ(p.read_all(), "");
    }
    std::filesystem::remove_all(dir);
}

TEST(GatewayBinary, ServesTlsWhenConfigured) {
    auto cert = test::make_self_signed("localhost");
    auto path = serve_config(
        cert.dir,
        {{"listen", "127.0.0.1:0"}, {"tls", {{"cert_file", cert.cert}, {"key_file", cert.key}}}});
    child_process p({DGW_BINARY, "serve", "--config", path});
    auto banner = p.read_line();
    EXPECT_NE(banner.find("https://"), std::string::npos) << banner;
    ASSERT_NE(port_from_banner(banner), 0);
    p.signal(SIGINT);
    EXPECT_EQ(p.wait(), 0);
    std::filesystem::remove_all(cert.dir);
}

TEST(GatewayBinary, PortInUseFailsWithExit1) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor taken(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto dir = test::make_temp_dir("dgw-serve");
    auto path = serve_config(
        dir, {{"listen", "127.0.0.1:" + std::to_string(taken.local_endpoint().port())}});
    child_process p({DGW_BINARY, "serve", "--config", path});
    EXPECT_EQ(p.read_all(), "");
    EXPECT_EQ(p.wait(), 1);
    std::filesystem::remove_all(dir);
}

// `serve` with the flows of `dir`/flows: menu.json and one file with `text`. Its exit code
// and what it printed on stdout.
std::pair<int, std::string> serve_with_flow(const std::filesystem::path& dir,
                                            const std::string& name, const std::string& text) {
    std::filesystem::create_directory(dir / "flows");
    std::filesystem::copy_file(DGW_SOURCE_DIR "/flows/menu.json", dir / "flows" / "menu.json");
    std::ofstream(dir / "flows" / name) << text;
    nlohmann::json cfg = {
        {"server", {{"listen", "127.0.0.1:0"}}},
        {"log", {{"level", "error"}}},
        {"store", {{"sqlite", {{"path", (dir / "dgw.sqlite").string()}}}}},
        {"flows", {{"dir", (dir / "flows").string()}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}}},
    };
    child_process p({DGW_BINARY, "serve", "--config", write_config(dir, cfg.dump())});
    auto out = p.read_all();
    return {p.wait(), out};
}

TEST(GatewayBinary, AnInvalidFlowStopsStartUp) {
    auto dir = test::make_temp_dir("dgw-serve");
    auto [code, out] = serve_with_flow(dir, "broken.json", R"({"id": "broken", "version": 1})");
    EXPECT_EQ(out, "") << "it must not announce a port";
    EXPECT_EQ(code, 1);
    std::filesystem::remove_all(dir);
}

// Found by fuzzing the flow loader: a number no double holds made `flows check` die with
// "terminate called after throwing ... out_of_range.406" (exit 134), and start-up the same way.
// Now it is a problem with its path, like any other.
TEST(GatewayBinary, AFlowWithAnOutOfRangeNumberIsAProblemNotACrash) {
    auto dir = test::make_temp_dir("dgw-serve");
    const std::string text = R"({"id": "big", "version": 1e999})";
    auto [code, announced] = serve_with_flow(dir, "big.json", text);
    EXPECT_EQ(announced, "");
    EXPECT_EQ(code, 1) << "a clean refusal to start, not an abort";
    child_process check({DGW_BINARY, "flows", "check", (dir / "flows" / "big.json").string()});
    const auto out = check.read_all();
    EXPECT_EQ(check.wait(), 1) << out;
    EXPECT_NE(out.find("big.json: /version: not valid JSON: the number 1e999 is out of range"),
              std::string::npos)
        << out;
    std::filesystem::remove_all(dir);
}

// Issue 3's "done when": a script drives `chat --json` from the greeting to a submitted concern,
// typing Vietnamese without diacritics; every step is exactly one JSON line.
// The binary's simulator talks as the gateway does: the first message (no diacritics) is read
// through the dialogue configuration, and the concern is ready to send in one more message.
TEST(GatewayBinary, ChatJsonReadsAFirstMessageWithoutDiacriticsAndSubmitsIt) {
    const std::string lines =
        "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc\ngui an danh\n";
    child_process p({DGW_BINARY, "chat", "--flow", DGW_SOURCE_DIR "/flows/menu.json", "--json",
                     "--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"},
                    lines);
    std::vector<nlohmann::json> steps;
    for (auto l = p.read_line(); !l.empty(); l = p.read_line()) steps.push_back(nlohmann::json::parse(l));
    EXPECT_EQ(p.wait(), 0);
    ASSERT_EQ(steps.size(), 3u) << "one line at the start and one per citizen message";
    // What was read from the first message, with the words behind it.
    ASSERT_FALSE(steps[1]["inferred"].empty());
    const auto& read = steps[1]["inferred"][0];
    EXPECT_EQ(read["intent"], "concern");
    EXPECT_EQ(read["topics"][0]["id"], "roads");
    EXPECT_EQ(read["locality"]["candidates"][0]["code"], "02683");
    EXPECT_EQ(steps[1]["expect"]["answer"], "review");
    const auto& last = steps.back();
    EXPECT_TRUE(last["done"].get<bool>());
    ASSERT_EQ(last["effects"].size(), 1u);
    const auto& submit = last["effects"][0];
    EXPECT_EQ(submit["type"], "submit");
    EXPECT_TRUE(submit["simulated"].get<bool>());
    EXPECT_EQ(submit["answers"]["topic"], "roads");
    // The commune went through the dialogue resolver: an official code, not free text.
    EXPECT_EQ(submit["answers"]["locality"]["code"], "02683");
    EXPECT_EQ(submit["inferred"]["topic"]["value"], "roads");
}

// Issue 4's "done when": the 2026 schedule lists 396 commune and 2 province sessions.
TEST(GatewayBinary, ScheduleJsonLists398SessionsIn2026) {
    child_process p({DGW_BINARY, "schedule", "--from", "2026-01-01", "--to", "2026-12-31",
                     "--json", "--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"});
    std::map<std::string, int> by_level;
    for (auto l = p.read_line(); !l.empty(); l = p.read_line())
        ++by_level[nlohmann::json::parse(l)["level"].get<std::string>()];
    EXPECT_EQ(p.wait(), 0);
    EXPECT_EQ(by_level["commune"], 396);
    EXPECT_EQ(by_level["province"], 2);
    EXPECT_EQ(by_level.size(), 2u);
}

// With --config, `schedule` and `route` see what the web app changed: a session an admin
// added, one officials cancelled. Without it, the config file's schedule alone.
TEST(GatewayBinary, ScheduleAndRouteWithAConfigTakeTheStoresSessionsAndEdits) {
    namespace chr = std::chrono;
    auto dir = test::make_temp_dir("dgw-schedule");
    const auto db_path = (dir / "dgw.sqlite").string();
    const std::string added_id = dialogue::added_session_id(
        "commune", "02683", chr::year_month_day{chr::year{2027}, chr::January, chr::day{15}});
    {
        auto db = store::open_sqlite({db_path});
        const auto now = chr::system_clock::now();
        ASSERT_TRUE(db->add_session({added_id, "commune", "02683", "2027-01-15", "Nhà văn hoá thôn Phìn Chải",
                                     "", {}, "Đối thoại bổ sung", "Extra dialogue", "admin", now}));
        db->put_session_override({"commune-02683-2027-03", "cancelled", "", "", "bão lũ", now});
    }
    const auto config = (dir / "gateway.json").string();
    std::ofstream(config) << nlohmann::json{
        {"store", {{"sqlite", {{"path", db_path}}}}},
        {"flows", {{"dir", DGW_SOURCE_DIR "/flows"}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}}}.dump();

    auto route = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {DGW_BINARY, "route", "--commune", "02683", "--topic", "roads",
                                         "--at", "2026-11-26", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        child_process p(args);
        auto line = p.read_line();
        EXPECT_EQ(p.wait(), 0) << line;
        return nlohmann::json::parse(line, nullptr, false);
    };
    EXPECT_EQ(route({"--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"})["session"]["id"],
              "commune-02683-2027-03")
        << "the config file's schedule alone";
    auto routed = route({"--config", config});
    EXPECT_EQ(routed["session"]["id"], added_id) << routed.dump();
    EXPECT_EQ(routed["session"]["venue"], "Nhà văn hoá thôn Phìn Chải");

    auto schedule = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {DGW_BINARY, "schedule", "--from", "2027-01-01", "--to",
                                         "2027-03-31", "--level", "commune", "--json"};
        args.insert(args.end(), extra.begin(), extra.end());
        child_process p(args);
        std::map<std::string, std::string> status;
        for (auto l = p.read_line(); !l.empty(); l = p.read_line()) {
            auto j = nlohmann::json::parse(l);
            status[j["id"].get<std::string>()] = j["status"].get<std::string>();
        }
        EXPECT_EQ(p.wait(), 0);
        return status;
    };
    auto plain = schedule({"--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"});
    EXPECT_FALSE(plain.contains(added_id));
    EXPECT_EQ(plain["commune-02683-2027-03"], "planned");
    auto edited = schedule({"--config", config});
    EXPECT_TRUE(edited.contains(added_id));
    EXPECT_EQ(edited["commune-02683-2027-03"], "cancelled");
    EXPECT_EQ(edited.size(), plain.size() + 1) << "one session added, none lost";

    // A config whose store cannot be opened: a clear error, exit 1.
    const auto broken = (dir / "broken.json").string();
    std::ofstream(broken) << R"({"store": {"sqlite": {"path": "/nonexistent-dir/dgw.sqlite"}}})";
    child_process bad({DGW_BINARY, "route", "--commune", "02683", "--topic", "roads", "--config", broken});
    EXPECT_EQ(bad.wait(), 1);
    std::filesystem::remove_all(dir);
}

// `route --at` and `schedule --from/--to` take ISO 8601 times with an offset: the instant it
// names, in the province's day. 00:30 at +08:00 on 23 February is 23:30 on the 22nd in Vietnam,
// still in time (7 days) for the March session; read as local time it would not be.
TEST(GatewayBinary, RouteAndScheduleTakeIsoTimesWithAnOffset) {
    auto route_at = [](const std::string& at) {
        child_process p({DGW_BINARY, "route", "--commune", "02683", "--topic", "land", "--at", at,
                         "--json", "--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"});
        auto line = p.read_line();
        const int rc = p.wait();
        auto j = nlohmann::json::parse(line, nullptr, false);
        return std::pair{rc, j.is_object() && j.contains("session") ? j["session"]["id"].get<std::string>() : line};
    };
    EXPECT_EQ(route_at("2026-02-23T00:30:00+08:00"), std::pair(0, std::string("commune-02683-2026-03")));
    EXPECT_EQ(route_at("2026-02-23T00:30:00+07:00"), std::pair(0, std::string("commune-02683-2026-06")));
    EXPECT_EQ(route_at("2026-02-23T00:30"), std::pair(0, std::string("commune-02683-2026-06")));
    EXPECT_EQ(route_at("2026-02-22T16:30:00Z"), std::pair(0, std::string("commune-02683-2026-03")));
    EXPECT_EQ(route_at("2026-02-23T00:30:00+8").first, 2) << "a malformed offset is a usage error";

    auto schedule = [](const std::string& from, const std::string& to) {
        child_process p({DGW_BINARY, "schedule", "--from", from, "--to", to, "--level", "province",
                         "--json", "--dialogue", DGW_SOURCE_DIR "/config/dialogue.json"});
        std::vector<std::string> ids;
        for (auto l = p.read_line(); !l.empty(); l = p.read_line())
            ids.push_back(nlohmann::json::parse(l)["id"].get<std::string>());
        return std::pair{p.wait(), ids};
    };
    // 17:00 UTC on 15 April is already the 16th, the April session's day, in Vietnam.
    const auto april = schedule("2026-04-15T17:00:00Z", "2026-04-16T09:00:00+07:00");
    EXPECT_EQ(april.first, 0);
    EXPECT_EQ(april.second, std::vector<std::string>{"province-15-2026-04"});
    const auto before = schedule("2026-04-01", "2026-04-16T06:00:00+09:00");  // 04:00 on the 16th
    EXPECT_EQ(before.second, std::vector<std::string>{"province-15-2026-04"});
    const auto earlier = schedule("2026-04-01", "2026-04-15T23:59:00+00:00");  // 06:59 on the 16th
    EXPECT_EQ(earlier.second, std::vector<std::string>{"province-15-2026-04"});
    const auto none = schedule("2026-04-01", "2026-04-15T23:59:00+07:00");
    EXPECT_EQ(none.first, 0);
    EXPECT_TRUE(none.second.empty());
    EXPECT_EQ(schedule("2026-04-01T00:00:00+07", "2026-04-30").second.size(), 1u);
    EXPECT_EQ(schedule("2026-04-01T00:00:00+7", "2026-04-30").first, 2) << "a malformed offset";
}

TEST(GatewayBinary, LocateResolvesFormerAndUnaccentedNames) {
    child_process p({DGW_BINARY, "locate", "xa phong nien", "--json", "--dialogue",
                     DGW_SOURCE_DIR "/config/dialogue.json"});
    auto j = nlohmann::json::parse(p.read_line());
    EXPECT_EQ(p.wait(), 0);
    EXPECT_TRUE(j["unique"].get<bool>());
    ASSERT_FALSE(j["candidates"].empty());
    EXPECT_EQ(j["candidates"][0]["name"], "Xã Xuân Quang");
}

}  // namespace
}  // namespace dgw
