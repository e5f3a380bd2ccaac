// Several gateways on one PostgreSQL database (issue 20 item 3), as real processes with a mock
// Telegram: three gateways, the webhooks spread over them at random, one killed with SIGKILL
// and restarted again and again; the same update posted to two gateways at the same instant;
// a flow published through one gateway reaching the others. And three gateways in one process
// due for a Zalo token refresh at once, against a mock where a refresh token works once.

#include "support/child_process.hpp"
#include "support/mock_platform.hpp"
#include "support/mock_telegram.hpp"
#include "support/platforms.hpp"
#include "support/postgres.hpp"
#include "support/sync_client.hpp"
#include "support/telegram_load.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/store/postgres_store.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

namespace dgw {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::child_process;

constexpr const char* bot_token = "5550003333:AAFclusterTokenForTests_0123456789a";
constexpr const char* secret = "cluster-secret";

// A port free now, for a gateway that must get the same one back when restarted (its name
// among the gateways, host:port, is how it finds its own claims again).
std::uint16_t free_port() {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor a(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

std::string write_config(const std::filesystem::path& dir, const std::string& url,
                         std::uint16_t port, const std::string& telegram_api) {
    json cfg = {
        {"server", {{"listen", "127.0.0.1:" + std::to_string(port)}, {"threads", 2}}},
        {"log", {{"level", "error"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}}},  // tests run side by side
        {"store", {{"postgres", {{"url", url}}}}},
        {"flows", {{"dir", DGW_SOURCE_DIR "/flows"}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}},
        {"channels",
         {{{"id", "telegram"},
           {"type", "telegram"},
           {"bot_token", bot_token},
           {"secret_token", secret},
           {"api_base", telegram_api},
           {"rate_limit",
            {{"per_second", 0}, {"burst", 0}, {"per_chat_per_second", 0}, {"per_chat_burst", 0}}}}}},
        {"pipeline",
         {{"backoff_seconds", 0.05}, {"max_backoff_seconds", 0.2}, {"send_timeout_seconds", 2}}},
    };
    const auto path = (dir / ("gateway-" + std::to_string(port) + ".json")).string();
    std::ofstream(path) << cfg.dump();
    return path;
}

// N gateway processes on one database, each on a port of its own it keeps across restarts.
class cluster {
public:
    cluster(const std::filesystem::path& dir, const std::string& url, const std::string& api, int n) {
        for (int i = 0; i < n; ++i) {
            ports_.push_back(free_port());
            configs_.push_back(write_config(dir, url, ports_.back(), api));
            procs_.emplace_back();
            start(static_cast<std::size_t>(i));
        }
    }
    ~cluster() {
        for (auto& p : procs_)
            if (p) {
                p->signal(SIGTERM);
                p->wait();
            }
    }

    void start(std::size_t i) {
        procs_[i] = std::make_unique<child_process>(
            std::vector<std::string>{DGW_BINARY, "serve", "--config", configs_[i]});
        const auto port = test::port_from_banner(procs_[i]->read_line());
        EXPECT_EQ(port, ports_[i]) << "gateway " << i << " did not start";
        std::lock_guard lock(mu_);
        up_.insert(i);
    }

    // SIGKILL, as a machine that dies.
    void kill(std::size_t i) {
        {
            std::lock_guard lock(mu_);
            up_.erase(i);
        }
        procs_[i]->signal(SIGKILL);
        EXPECT_EQ(procs_[i]->wait(), 128 + SIGKILL);
        procs_[i].reset();
    }

    int stop(std::size_t i) {
        {
            std::lock_guard lock(mu_);
            up_.erase(i);
        }
        procs_[i]->signal(SIGTERM);
        const int rc = procs_[i]->wait();
        procs_[i].reset();
        return rc;
    }

    // A live gateway at random, as a load balancer spreads requests (0 while none is up).
    std::uint16_t pick() {
        std::lock_guard lock(mu_);
        if (up_.empty()) return 0;
        auto it = up_.begin();
        std::advance(it, static_cast<long>(rng_() % up_.size()));
        return ports_[*it];
    }

    std::uint16_t port(std::size_t i) const { return ports_[i]; }
    const std::string& config(std::size_t i) const { return configs_[i]; }
    std::size_t size() const { return ports_.size(); }

private:
    std::vector<std::uint16_t> ports_;
    std::vector<std::string> configs_;
    std::vector<std::unique_ptr<child_process>> procs_;
    std::mutex mu_;
    std::set<std::size_t> up_;
    std::mt19937 rng_{7};
};

// `dialogue-gateway users add NAME --role ROLE`: the one-time password it prints ("" if it failed).
std::string add_user(const std::string& config, const std::string& name, const std::string& role) {
    child_process add({DGW_BINARY, "users", "add", name, "--role", role, "--config", config});
    const auto created = add.read_all();
    if (add.wait() != 0) return "";
    const auto from = created.rfind(": ") + 2;
    return created.substr(from, created.find_last_not_of('\n') + 1 - from);
}

// A citizen's "xin chao", the first message of chat `chat`.
json greeting(std::int64_t chat, std::int64_t update_id) {
    return {{"update_id", update_id},
            {"message",
             {{"message_id", 1},
              {"date", 1790000000},
              {"chat", {{"id", chat}, {"type", "private"}, {"first_name", "C"}}},
              {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "C"}}},
              {"text", "xin chao"}}}};
}

// The webhook Telegram posts for `update`, signed with the channel's secret token.
test::bhttp::request<test::bhttp::string_body> webhook(const json& update) {
    test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                       "/webhooks/telegram", 11};
    req.set(test::bhttp::field::host, "127.0.0.1");
    req.set(test::bhttp::field::content_type, "application/json");
    req.set("X-Telegram-Bot-Api-Secret-Token", secret);
    req.body() = update.dump();
    req.prepare_payload();
    return req;
}

void wait_until_idle(const std::string& url, test::mock_telegram& tg) {
    auto db = store::open_postgres({url});
    const auto deadline = std::chrono::steady_clock::now() + 90s;
    while ((db->inbox_backlog() > 0 || db->outbox_pending() > 0) &&
           std::chrono::steady_clock::now() < deadline)
        tg.wait_for_calls(tg.call_count() + 1, 100ms);
}

// After a run of `traffic` against gateways on `url`: every acknowledged update is in the inbox
// once and was processed; each chat that got to the end (`finished` of them) filed one concern;
// every reply reached Telegram in order per chat, twice only when in doubt (at most `max_extra`
// more times).
test::delivery_report check_run(const std::string& url, const test::telegram_load& traffic,
                                const test::mock_telegram& tg, int max_extra, int finished) {
    auto s = store::open_postgres({url});
    std::set<std::string> stored;
    for (const auto& row : s->list_inbox(std::nullopt, 100000))
        EXPECT_TRUE(stored.insert(row.event.dedup_key).second) << "stored twice: " << row.event.dedup_key;
    EXPECT_EQ(stored, traffic.acked());
    EXPECT_EQ(s->inbox_backlog(), 0u);
    EXPECT_EQ(test::psql(url, "SELECT count(*) FROM inbox WHERE status <> 'done'"), "0");
    auto concerns = s->list_concerns("", 10000);
    std::map<std::int64_t, int> per_contact;
    for (const auto& c : concerns) ++per_contact[c.contact_id];
    EXPECT_EQ(concerns.size(), static_cast<std::size_t>(finished));
    for (const auto& [contact, n] : per_contact) EXPECT_EQ(n, 1) << "contact " << contact;
    auto report = test::check_delivery(traffic, s->list_outbox({std::nullopt, 100000}), tg.calls(),
                                       max_extra);
    for (const auto& e : report.errors) ADD_FAILURE() << e;
    return report;
}

int finished_chats(const test::telegram_load& traffic) {
    int n = 0;
    for (const auto& c : traffic.chats())
        n += c.next_line >= test::landslide_script().size() ? 1 : 0;
    return n;
}

// Three gateways on a new database with the webhooks of `chats` chats spread over them at
// random, from two threads, forty chats at a time each, until stop_load().
struct loaded_cluster {
    loaded_cluster(const std::string& name, int chats)
        : dir(test::make_temp_dir(name)), gws(dir, db.url(), tg.api_base(), 3),
          traffic(chats, secret), load([this] {
              traffic.run([this] { return gws.pick(); }, 2, false, [this] { return over.load(); }, 40);
          }) {}
    ~loaded_cluster() {
        if (load.joinable()) stop_load();
        std::filesystem::remove_all(dir);
    }
    void stop_load() {
        over = true;
        load.join();
    }
    // Once the backlog is worked off: every gateway stopped with SIGTERM exits 0.
    void stop_gateways() {
        wait_until_idle(db.url(), tg);
        for (std::size_t i = 0; i < gws.size(); ++i) EXPECT_EQ(gws.stop(i), 0);
    }

    test::mock_telegram tg{bot_token};
    test::scratch_database db;
    std::filesystem::path dir;
    cluster gws;
    test::telegram_load traffic;
    std::atomic<bool> over{false};
    std::thread load;
};

// Three gateways, the webhooks of many chats spread over them at random, and one of them killed
// with SIGKILL and restarted, twenty times. Afterwards: every acknowledged update was stored
// once and processed once (one concern per chat that finished), every reply reached Telegram
// in order per chat, and a reply arrived twice only when the store flags it in doubt.
TEST(PostgresCluster, ThreeGatewaysKilledOneAtATimeLoseNothingRepeatNothingReorderNothing) {
    // More chats than the kills need: the load stops once the last gateway killed is back.
    constexpr int chats = 2000, kills = 20;
    loaded_cluster run("dgw-cluster", chats);
    auto& traffic = run.traffic;
    auto& gws = run.gws;
    std::mt19937 rng(11);
    int killed = 0;
    for (; killed < kills && !traffic.all_done(); ++killed) {
        // Kill one while webhooks arrive and replies go out, then bring it back.
        traffic.wait_for_acks(traffic.acked_count() + 10, 20s);
        const auto victim = rng() % gws.size();
        gws.kill(victim);
        std::this_thread::sleep_for(200ms);
        gws.start(victim);
    }
    traffic.wait_for_acks(traffic.acked_count() + 30, 20s);
    run.stop_load();
    EXPECT_EQ(killed, kills) << "the load ended before every kill: give it more chats";
    const int finished = finished_chats(traffic);
    run.stop_gateways();
    EXPECT_GT(finished, 100);
    const auto report = check_run(run.db.url(), traffic, run.tg, kills, finished);
    std::cout << "[ cluster  ] 3 gateways, " << killed << " kills, " << finished << " chats filed, "
              << traffic.acked().size()
              << " updates (" << traffic.refused() << " posts refused or cut and retried), "
              << report.in_doubt << " in doubt, "
              << report.doubled << " delivered again\n";
}

// The database stops answering for ten seconds under load (new connections refused, the open
// ones cut), then comes back: the webhooks refused meanwhile got 503, which the platform
// retries; the gateways reconnect by themselves; nothing acknowledged is lost or doubled.
TEST(PostgresCluster, TheDatabaseGoneForTenSecondsUnderLoadLosesNothing) {
    loaded_cluster run("dgw-cluster-outage", 1000);
    auto& traffic = run.traffic;
    const auto& db = run.db;
    traffic.wait_for_acks(200, 30s);
    const auto before = traffic.refusals();
    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
    test::psql(test::postgres_url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = '" + db.name() + "'");
    std::this_thread::sleep_for(10s);
    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
    const auto during = traffic.refusals();
    const auto acked_after_outage = traffic.acked_count();
    traffic.wait_for_acks(acked_after_outage + 300, 60s);
    run.stop_load();
    EXPECT_GE(traffic.acked_count(), acked_after_outage + 300) << "the gateways did not recover";
    run.stop_gateways();

    // Meanwhile: refusals, every one a 503 (the gateways answered, the database did not).
    std::size_t refused_503 = 0;
    for (const auto& [status, n] : during) {
        const auto was = before.count(status) ? before.at(status) : 0;
        if (status == 503)
            refused_503 = n - was;
        else
            EXPECT_EQ(n, was) << "refused with " << status << " during the outage";
    }
    EXPECT_GT(refused_503, 0u);
    const auto report = check_run(db.url(), traffic, run.tg, 1, finished_chats(traffic));
    std::cout << "[ cluster  ] database gone 10 s under load: " << refused_503
              << " webhooks answered 503 and retried; " << traffic.acked().size()
              << " updates, " << report.in_doubt << " replies in doubt, " << report.doubled
              << " delivered again\n";
}

// The same Telegram update posted to two gateways at the same instant (a platform retrying on
// a timeout while the first delivery is still in flight), for many chats: both acknowledge it,
// the inbox holds it once, and the citizen gets one answer.
TEST(PostgresCluster, TheSameUpdatePostedToTwoGatewaysAtOnceIsStoredAndAnsweredOnce) {
    test::mock_telegram tg(bot_token);
    test::scratch_database db;
    auto dir = test::make_temp_dir("dgw-cluster-twice");
    cluster gws(dir, db.url(), tg.api_base(), 2);
    constexpr int updates = 60;
    for (int i = 0; i < updates; ++i) {
        const auto req = webhook(greeting(2'000'000'000 + i, 500000 + i));
        std::atomic<int> ready{0};
        unsigned status[2] = {0, 0};
        auto post = [&](int which) {
            test::sync_client client(gws.port(static_cast<std::size_t>(which)));
            auto mine = req;  // each its own copy: the two are sent at the same time
            ++ready;
            while (ready.load() < 2) std::this_thread::yield();  // connected: post together
            status[which] = client.send(mine).result_int();
        };
        std::thread a([&] { post(0); });
        std::thread b([&] { post(1); });
        a.join();
        b.join();
        EXPECT_EQ(status[0], 200u) << "update " << i;
        EXPECT_EQ(status[1], 200u) << "update " << i;
    }
    wait_until_idle(db.url(), tg);
    EXPECT_EQ(test::psql(db.url(), "SELECT count(*) FROM inbox"), std::to_string(updates));
    EXPECT_EQ(test::psql(db.url(), "SELECT count(*) FROM inbox WHERE status = 'done'"),
              std::to_string(updates));
    // One answer per chat: as many messages reached each chat as were queued for it once.
    std::map<std::string, int> delivered;
    for (const auto& call : tg.calls())
        if (call.method == "sendMessage" && call.status == 200) ++delivered[call.chat_id];
    EXPECT_EQ(delivered.size(), static_cast<std::size_t>(updates));
    auto s = store::open_postgres({db.url()});
    std::map<std::string, int> queued;
    for (const auto& m : s->list_outbox({std::nullopt, 10000})) ++queued[m.user_id];
    EXPECT_EQ(delivered, queued);
    for (const auto& [chat, n] : queued) EXPECT_GE(n, 1) << chat;
    std::filesystem::remove_all(dir);
}

// A flow published through one gateway: a new conversation on another uses it soon after
// (the gateway that published is stopped at once, so the other does the work).
TEST(PostgresCluster, AFlowPublishedThroughOneGatewayStartsNewConversationsOnTheOthers) {
    test::mock_telegram tg(bot_token);
    test::scratch_database db;
    auto dir = test::make_temp_dir("dgw-cluster-flow");
    cluster gws(dir, db.url(), tg.api_base(), 2);
    const auto once = add_user(gws.config(0), "boss", "admin");
    ASSERT_FALSE(once.empty());
    child_process issue({DGW_BINARY, "users", "token", "boss", "--config", gws.config(0)});
    const auto token = issue.read_line();
    ASSERT_EQ(issue.wait(), 0);
    ASSERT_FALSE(token.empty());

    std::ifstream file(DGW_SOURCE_DIR "/flows/menu.json");
    auto doc = json::parse(file);
    const std::string fresh = "Chào mừng đến với phiên bản mới của kênh đối thoại!";
    doc["strings"]["vi"]["welcome"] = fresh;
    doc["strings"]["en"]["welcome"] = fresh;
    auto api = [&](test::bhttp::verb v, const std::string& target, const json& body) {
        test::sync_client client(gws.port(0));
        test::bhttp::request<test::bhttp::string_body> req{v, target, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::content_type, "application/json");
        req.set(test::bhttp::field::authorization, "Bearer " + token);
        req.body() = body.dump();
        req.prepare_payload();
        return client.send(req);
    };
    auto changed = api(test::bhttp::verb::post, "/api/v1/auth/password",
                       {{"current_password", once}, {"new_password", "Lao Cai dialogue 2026, cluster!"}});
    ASSERT_EQ(changed.result_int(), 200u) << changed.body();
    auto saved = api(test::bhttp::verb::put, "/api/v1/flows/menu/draft", {{"document", doc}});
    ASSERT_EQ(saved.result_int(), 200u) << saved.body();
    auto published = api(test::bhttp::verb::post, "/api/v1/flows/menu/publish", json::object());
    ASSERT_EQ(published.result_int(), 200u) << published.body();
    const auto at = std::chrono::steady_clock::now();
    EXPECT_EQ(gws.stop(0), 0);

    // New chats greet gateway 1 until one is welcomed by the new version.
    bool seen = false;
    for (std::int64_t chat = 3'000'000'000; !seen && std::chrono::steady_clock::now() < at + 10s; ++chat) {
        test::sync_client client(gws.port(1));
        auto req = webhook(greeting(chat, chat % 1'000'000));
        ASSERT_EQ(client.send(req).result_int(), 200u);
        const auto deadline = std::chrono::steady_clock::now() + 3s;
        for (bool answered = false; !answered && std::chrono::steady_clock::now() < deadline;) {
            tg.wait_for_calls(tg.call_count() + 1, 50ms);
            for (const auto& call : tg.calls()) {
                if (call.method != "sendMessage" || call.chat_id != std::to_string(chat)) continue;
                answered = true;
                seen = seen || call.text.find(fresh) != std::string::npos;
            }
        }
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - at);
    EXPECT_TRUE(seen) << "gateway 1 never used the version gateway 0 published";
    std::cout << "[ cluster  ] a flow published on one gateway was used by another after "
              << took.count() << " ms\n";
    std::filesystem::remove_all(dir);
}

// An official's requests may hit any gateway (no sticky sessions): the login session, its CSRF
// token and the login throttle are kept in the database, and a user disabled through one
// gateway is refused by the others at once.
TEST(PostgresCluster, LoginsSessionsAndTheLoginThrottleAreTheSameOnEveryGateway) {
    test::mock_telegram tg(bot_token);
    test::scratch_database db;
    auto dir = test::make_temp_dir("dgw-cluster-login");
    cluster gws(dir, db.url(), tg.api_base(), 2);
    const auto boss_once = add_user(gws.config(0), "boss", "admin");
    const auto lan_once = add_user(gws.config(0), "lan", "viewer");
    ASSERT_FALSE(boss_once.empty());
    ASSERT_FALSE(lan_once.empty());

    struct browser {
        std::string cookie, csrf;
    };
    auto call = [&](std::size_t gw, test::bhttp::verb v, const std::string& target,
                    const json& body, const browser& b) {
        test::sync_client client(gws.port(gw));
        test::bhttp::request<test::bhttp::string_body> req{v, target, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        if (!b.cookie.empty()) req.set(test::bhttp::field::cookie, b.cookie);
        if (!b.csrf.empty()) req.set("X-CSRF-Token", b.csrf);
        if (!body.is_null()) {
            req.set(test::bhttp::field::content_type, "application/json");
            req.body() = body.dump();
        }
        req.prepare_payload();
        return client.send(req);
    };
    auto login = [&](std::size_t gw, const std::string& name, const std::string& password,
                     browser& b) {
        auto res = call(gw, test::bhttp::verb::post, "/api/v1/auth/login",
                        {{"username", name}, {"password", password}}, {});
        if (res.result_int() == 200) {
            const std::string set = std::string(res[test::bhttp::field::set_cookie]);
            b.cookie = set.substr(0, set.find(';'));
            b.csrf = json::parse(res.body())["csrf_token"];
        }
        return res;
    };

    // Five wrong passwords spread over both gateways are the five free failures of one
    // throttle: the next attempt waits, at either gateway, even with the right password.
    browser boss;
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(login(static_cast<std::size_t>(i % 2), "boss", "wrong", boss).result_int(), 401u)
            << i;
    for (std::size_t gw = 0; gw < 2; ++gw) {
        auto slowed = login(gw, "boss", boss_once, boss);
        EXPECT_EQ(slowed.result_int(), 429u) << "gateway " << gw;
        EXPECT_EQ(std::string(slowed[test::bhttp::field::retry_after]), "1");
    }
    std::this_thread::sleep_for(1100ms);
    ASSERT_EQ(login(1, "boss", boss_once, boss).result_int(), 200u);

    // The session and its CSRF token, issued by gateway 1, are honoured by gateway 0.
    EXPECT_EQ(call(0, test::bhttp::verb::post, "/api/v1/auth/password",
                   {{"current_password", boss_once}, {"new_password", "Lao Cai dialogue 2026, sessions!"}},
                   {boss.cookie, ""})
                  .result_int(),
              403u)
        << "no CSRF token";
    auto changed = call(0, test::bhttp::verb::post, "/api/v1/auth/password",
                        {{"current_password", boss_once},
                         {"new_password", "Lao Cai dialogue 2026, sessions!"}},
                        boss);
    ASSERT_EQ(changed.result_int(), 200u) << changed.body();
    EXPECT_EQ(call(1, test::bhttp::verb::get, "/api/v1/auth/me", nullptr, boss).result_int(), 200u);

    // A viewer logged in at gateway 0, disabled by an admin at gateway 1: refused by both at
    // once.
    browser lan;
    ASSERT_EQ(login(0, "lan", lan_once, lan).result_int(), 200u);
    EXPECT_EQ(call(1, test::bhttp::verb::get, "/api/v1/auth/me", nullptr, lan).result_int(), 200u);
    auto disabled = call(1, test::bhttp::verb::patch, "/api/v1/users/lan", {{"disabled", true}}, boss);
    ASSERT_EQ(disabled.result_int(), 200u) << disabled.body();
    EXPECT_EQ(call(0, test::bhttp::verb::get, "/api/v1/auth/me", nullptr, lan).result_int(), 401u);
    EXPECT_EQ(call(1, test::bhttp::verb::get, "/api/v1/auth/me", nullptr, lan).result_int(), 401u);
    std::filesystem::remove_all(dir);
}

// ----- Zalo: three gateways due for a token refresh at once ----------------------------------

constexpr const char* zalo_app_secret = "zalo-APP-secret-cluster";
constexpr const char* config_access = "cfg-access-CLUSTER";
constexpr const char* config_refresh = "cfg-refresh-CLUSTER";
constexpr const char* new_access = "new-access-CLUSTER";
constexpr const char* new_refresh = "new-refresh-CLUSTER";
using test::zalo_api::refresh_path;
constexpr const char* zalo_ok = test::zalo_api::sent;
constexpr const char* zalo_expired = test::zalo_api::expired;
constexpr const char* zalo_bad_refresh = test::zalo_api::bad_refresh;

class quiet_logger final : public core::logger {
public:
    void write(core::log_level, std::string_view, std::string_view) override {}
    bool enabled(core::log_level) const override { return false; }
};

// Zalo with the configured access token expired: its refresh token buys the new pair ONCE
// (slowly, so that the three gateways meet it together); any later use of it is refused, as
// Zalo does, which would leave the loser with no valid token.
TEST(PostgresCluster, ThreeGatewaysDueForAZaloRefreshAtOnceRefreshOnceAndAllSendWithTheNewPair) {
    test::scratch_database db;
    auto dir = test::make_temp_dir("dgw-cluster-zalo");
    test::mock_platform zalo(200, "{}");
    std::atomic<int> spent{0};
    zalo.respond_with([&](const test::mock_platform::request& r,
                          std::size_t) -> std::optional<test::mock_platform::answer> {
        if (r.path.find(refresh_path) != std::string::npos) {
            if (r.body.find(std::string("refresh_token=") + config_refresh + "&") ==
                    std::string::npos ||
                spent++ > 0)
                return test::mock_platform::answer{200, zalo_bad_refresh, {}, {}};
            json pair = {{"access_token", new_access},
                         {"refresh_token", new_refresh},
                         {"expires_in", "90000"}};
            return test::mock_platform::answer{200, pair.dump(), {}, 300ms};
        }
        auto it = r.headers.find("access_token");
        if (it != r.headers.end() && it->second == new_access)
            return test::mock_platform::answer{200, zalo_ok, {}, {}};
        return test::mock_platform::answer{200, zalo_expired, {}, {}};
    });

    config::gateway_config cfg;
    cfg.server.host = "127.0.0.1";
    cfg.server.port = 0;
    cfg.server.threads = 1;
    cfg.store.postgres_url = db.url();
    cfg.flows_dir = DGW_SOURCE_DIR "/flows";
    cfg.dialogue_file = DGW_SOURCE_DIR "/config/dialogue.json";
    cfg.pipeline.backoff_seconds = 0.05;
    cfg.pipeline.max_backoff_seconds = 0.2;
    // Two sends at a time each, so that every gateway takes some of the waiting messages and
    // meets the expired token while the first refresh is under way.
    cfg.pipeline.max_in_flight = 2;
    config::channel_config ch;
    ch.id = ch.type = "zalo";
    ch.api_base = zalo.base();
    ch.settings = {{"app_id", "3045678912345678901"}, {"oa_secret_key", "oaSecretKey123"},
                   {"app_secret", zalo_app_secret},   {"access_token", config_access},
                   {"refresh_token", config_refresh}, {"oauth_base", zalo.base()}};
    ch.rate_limit = {0, 0, 0, 0};
    cfg.channels.push_back(ch);

    // Messages waiting for twelve citizens, who wrote a moment ago: each gateway takes some.
    std::vector<std::string> users;
    {
        auto s = store::open_postgres({db.url()});
        const auto now = std::chrono::system_clock::now();
        std::vector<store::step_write> steps(1);
        for (int i = 0; i < 12; ++i) {
            users.push_back("76123456789012345" + std::to_string(10 + i));
            auto contact = s->upsert_contact("zalo", users.back(), "", "", now);
            store::outbox_message m;
            m.channel = "zalo";
            m.user_id = users.back();
            m.contact_id = contact.id;
            m.payload = core::outbound_message{"Cảm ơn bạn " + std::to_string(i), {}, core::input_hint::none};
            m.next_attempt_at = m.created_at = now;
            steps[0].outbox.push_back(std::move(m));
        }
        s->commit_steps(steps);
    }
    quiet_logger log;
    std::vector<std::unique_ptr<app::gateway>> gateways;
    std::vector<std::thread> runners;
    for (int i = 0; i < 3; ++i) gateways.push_back(std::make_unique<app::gateway>(cfg, log));
    for (auto& g : gateways) g->start();
    for (auto& g : gateways) runners.emplace_back([&g] { g->run(); });

    auto s = store::open_postgres({db.url()});
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (s->outbox_pending() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    for (auto& g : gateways) g->shutdown();
    for (auto& r : runners) r.join();

    std::size_t refreshes = 0;
    std::map<std::string, int> delivered;
    for (const auto& r : zalo.requests()) {
        if (r.path.find(refresh_path) != std::string::npos) {
            ++refreshes;
            continue;
        }
        auto it = r.headers.find("access_token");
        if (it == r.headers.end() || it->second != new_access) continue;
        ++delivered[json::parse(r.body)["recipient"]["user_id"].get<std::string>()];
    }
    EXPECT_EQ(refreshes, 1u) << "a refresh token works once: one gateway refreshes";
    double ok = 0, shared = 0;
    for (auto& g : gateways) {
        ok += g->metrics().value("dgw_token_refreshes_total", {{"channel", "zalo"}, {"result", "ok"}});
        shared += g->metrics().value("dgw_token_refreshes_total", {{"channel", "zalo"}, {"result", "shared"}});
    }
    EXPECT_EQ(ok, 1.0);
    EXPECT_GE(shared, 1.0) << "the other gateways took the pair the first stored";
    std::cout << "[ cluster  ] zalo: 1 refresh, " << shared
              << " gateway(s) took the pair another refreshed\n";
    for (const auto& u : users) EXPECT_EQ(delivered[u], 1) << u;
    for (const auto& m : s->list_outbox({std::nullopt, 100}))
        EXPECT_EQ(m.status, "sent") << m.last_error;
    auto stored = s->find_channel_token("zalo");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->access_token, new_access);
    EXPECT_EQ(stored->refresh_token, new_refresh);
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dgw
