// What the sender does around the platforms' send APIs, end to end in a real gateway with a
// real SQLite file and local mocks of Zalo, LINE, Messenger and WhatsApp: Zalo's expired
// access token is refreshed once and the new pair stored; a LINE push retried after a lost
// answer carries the same X-Line-Retry-Key and is not delivered twice; Meta messages outside
// the 24-hour window fail without reaching the platform.
//
// The messages to send are put in the outbox through the store (as the pipeline worker
// would), so each test controls who is waiting for what and when the contact last wrote.

#include "support/mock_platform.hpp"
#include "support/platforms.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using sys_clock = std::chrono::system_clock;

constexpr const char* zalo_app_secret = "zalo-APP-secret-77";
constexpr const char* config_access = "cfg-access-TOKEN";
constexpr const char* config_refresh = "cfg-refresh-TOKEN";
constexpr const char* new_access = "new-access-TOKEN";
constexpr const char* new_refresh = "new-refresh-TOKEN";
using test::zalo_api::refresh_path;
constexpr const char* zalo_ok = test::zalo_api::sent;
constexpr const char* zalo_expired = test::zalo_api::expired;
constexpr const char* zalo_bad_refresh = test::zalo_api::bad_refresh;

// Keeps every log line, to check what operators are told and that no token is ever written.
class recording_logger final : public core::logger {
public:
    void write(core::log_level, std::string_view section, std::string_view message) override {
        std::lock_guard lock(mu_);
        lines_.push_back(std::string(section) + ": " + std::string(message));
    }
    bool enabled(core::log_level) const override { return true; }
    std::vector<std::string> lines() const {
        std::lock_guard lock(mu_);
        return lines_;
    }

private:
    mutable std::mutex mu_;
    std::vector<std::string> lines_;
};

std::string header(const test::mock_platform::request& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string{} : it->second;
}

bool is_refresh(const test::mock_platform::request& r) {
    return r.path.find(refresh_path) != std::string::npos;
}

class Outbound : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-outbound");
        for (const char* id : {"zalo", "line", "messenger", "whatsapp"})
            mocks_[id] = std::make_unique<test::mock_platform>(200, "{}");
        mocks_["zalo"]->respond("/message/cs", 200, zalo_ok);
        mocks_["messenger"]->respond("/me/messages", 200,
                                     R"({"recipient_id":"1","message_id":"m_1"})");
        mocks_["whatsapp"]->respond(
            "/messages", 200, R"({"messaging_product":"whatsapp","messages":[{"id":"wamid.X"}]})");

        cfg_.server.host = "127.0.0.1";
        cfg_.server.port = 0;
        cfg_.server.threads = 2;
        cfg_.store.sqlite_path = db_path();
        cfg_.flows_dir = DGW_SOURCE_DIR "/flows";
        cfg_.dialogue_file = DGW_SOURCE_DIR "/config/dialogue.json";
        cfg_.pipeline.backoff_seconds = 0.05;
        cfg_.pipeline.max_backoff_seconds = 0.2;
        add_channel("zalo", {{"app_id", "3045678912345678901"},
                             {"oa_secret_key", "oaSecretKey123"},
                             {"app_secret", zalo_app_secret},
                             {"access_token", config_access},
                             {"refresh_token", config_refresh},
                             {"oauth_base", mocks_["zalo"]->base()}});
        add_channel("line", {{"channel_secret", "lineSecret"}, {"channel_access_token", "LINE-T"}});
        add_channel("messenger", {{"app_secret", "fbSecret"}, {"verify_token", "v"},
                                  {"page_access_token", "PAGE-T"}});
        add_channel("whatsapp", {{"app_secret", "waSecret"}, {"verify_token", "v"},
                                 {"access_token", "WA-T"}, {"phone_number_id", "106540352242922"}});
    }

    void TearDown() override {
        stop();
        mocks_.clear();
        std::filesystem::remove_all(dir_);
    }

    void add_channel(const std::string& id, std::map<std::string, std::string> settings) {
        config::channel_config ch;
        ch.id = ch.type = id;
        ch.api_base = mocks_[id]->base();
        ch.settings = std::move(settings);
        ch.rate_limit = {0, 0, 0, 0};
        cfg_.channels.push_back(std::move(ch));
    }

    std::string db_path() const { return (dir_ / "dgw.sqlite").string(); }
    std::unique_ptr<store::store> db() const { return store::open_sqlite({db_path()}); }

    void start() {
        gw_ = std::make_unique<app::gateway>(cfg_, log_);
        gw_->start();
        runner_ = std::thread([this] { gw_->run(); });
    }

    void stop() {
        if (!gw_) return;
        gw_->shutdown();
        runner_.join();
        gw_.reset();
    }

    // One message waiting for `user`, whose last message to us arrived at `last_inbound`.
    std::int64_t enqueue(const std::string& channel, const std::string& user,
                         const std::string& text,
                         sys_clock::time_point last_inbound = sys_clock::now()) {
        auto s = db();
        auto contact = s->upsert_contact(channel, user, "", "", last_inbound);
        store::outbox_message m;
        m.channel = channel;
        m.user_id = user;
        m.contact_id = contact.id;
        m.payload = core::outbound_message{text, {}, core::input_hint::none};
        m.next_attempt_at = m.created_at = sys_clock::now();
        std::vector<store::step_write> steps(1);
        steps[0].outbox.push_back(std::move(m));
        s->commit_steps(steps);
        return steps[0].outbox[0].id;
    }

    // Polls the store until `done` holds (or 20 s pass: the assertions after it then fail).
    void wait_until(const std::function<bool(store::store&)>& done) {
        auto s = db();
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!done(*s) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
    }

    void wait_until_nothing_pending() {
        wait_until([](store::store& s) { return s.outbox_pending() == 0; });
    }

    store::outbox_message row(std::int64_t id) const {
        for (auto& m : db()->list_outbox({std::nullopt, 1000}))
            if (m.id == id) return m;
        ADD_FAILURE() << "no outbox row " << id;
        return {};
    }

    // Zalo as it behaves when the configured access token has expired: sends with any token
    // but the refreshed one answer -216; the configured refresh token buys the new pair
    // (slowly, so that sends pile up behind the refresh), any other is refused.
    void zalo_with_expired_token() {
        mocks_["zalo"]->respond_with(
            [](const test::mock_platform::request& r,
               std::size_t) -> std::optional<test::mock_platform::answer> {
                if (is_refresh(r)) {
                    if (r.body.find(std::string("refresh_token=") + config_refresh + "&") ==
                        std::string::npos)
                        return test::mock_platform::answer{200, zalo_bad_refresh, {}, {}};
                    json pair = {{"access_token", new_access},
                                 {"refresh_token", new_refresh},
                                 {"expires_in", "90000"}};
                    return test::mock_platform::answer{200, pair.dump(), {}, 200ms};
                }
                if (header(r, "access_token") == new_access)
                    return test::mock_platform::answer{200, zalo_ok, {}, {}};
                return test::mock_platform::answer{200, zalo_expired, {}, {}};
            });
    }

    std::size_t refreshes() const {
        std::size_t n = 0;
        for (const auto& r : mocks_.at("zalo")->requests()) n += is_refresh(r) ? 1 : 0;
        return n;
    }

    void expect_no_token_in_logs() {
        for (const auto& line : log_.lines())
            for (const char* secret :
                 {config_access, config_refresh, new_access, new_refresh, zalo_app_secret})
                EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }

    std::filesystem::path dir_;
    recording_logger log_;
    config::gateway_config cfg_;
    std::map<std::string, std::unique_ptr<test::mock_platform>> mocks_;
    std::unique_ptr<app::gateway> gw_;
    std::thread runner_;
};

// ---- Zalo: access token refresh ---------------------------------------------------------

TEST_F(Outbound, ZaloRefreshesOnceForConcurrentSendsStoresThePairAndDeliversEachOnce) {
    zalo_with_expired_token();
    std::vector<std::string> users;
    for (int i = 0; i < 6; ++i) {
        users.push_back("76123456789012345" + std::to_string(10 + i));
        enqueue("zalo", users.back(), "Cảm ơn bạn " + std::to_string(i));
    }
    const auto before = sys_clock::now();
    start();
    wait_until_nothing_pending();

    // Six sends met -216 together; one refresh, with the app secret and the configured token.
    EXPECT_EQ(refreshes(), 1u);
    for (const auto& r : mocks_["zalo"]->requests()) {
        if (!is_refresh(r)) continue;
        EXPECT_EQ(header(r, "secret_key"), zalo_app_secret);
        EXPECT_EQ(r.body, std::string("refresh_token=") + config_refresh +
                              "&app_id=3045678912345678901&grant_type=refresh_token");
    }
    // Each citizen got the message once: one send with the new token each.
    std::map<std::string, int> delivered;
    for (const auto& r : mocks_["zalo"]->requests()) {
        if (is_refresh(r) || header(r, "access_token") != new_access) continue;
        ++delivered[json::parse(r.body)["recipient"]["user_id"].get<std::string>()];
    }
    for (const auto& u : users) EXPECT_EQ(delivered[u], 1) << u;
    for (const auto& m : db()->list_outbox({std::nullopt, 100}))
        EXPECT_EQ(m.status, "sent") << m.last_error;

    // The new pair is in the store, with its expiry.
    auto stored = db()->find_channel_token("zalo");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->access_token, new_access);
    EXPECT_EQ(stored->refresh_token, new_refresh);
    ASSERT_TRUE(stored->expires_at);
    EXPECT_GE(*stored->expires_at, before - 1s + 90000s);  // stored in milliseconds
    EXPECT_EQ(gw_->metrics().value("dgw_token_refreshes_total",
                                   {{"channel", "zalo"}, {"result", "ok"}}),
              1.0);
    expect_no_token_in_logs();
}

TEST_F(Outbound, ZaloRestartUsesTheStoredPairNotTheConfigs) {
    zalo_with_expired_token();
    enqueue("zalo", "7612345678901234567", "Lần một");
    start();
    wait_until_nothing_pending();
    stop();
    ASSERT_EQ(refreshes(), 1u);
    const auto seen = mocks_["zalo"]->count();

    // The config still holds the old, spent pair; the store the new one.
    const auto id = enqueue("zalo", "7612345678901234568", "Lần hai");
    start();
    wait_until_nothing_pending();
    EXPECT_EQ(row(id).status, "sent") << row(id).last_error;
    auto after = mocks_["zalo"]->requests();
    ASSERT_EQ(after.size(), seen + 1) << "one send, no -216, no refresh";
    EXPECT_EQ(header(after.back(), "access_token"), new_access);
    EXPECT_EQ(refreshes(), 1u);
}

TEST_F(Outbound, ZaloRejectedRefreshLeavesTheMessagePendingForRetry) {
    // The configured refresh token is already spent: Zalo refuses it.
    mocks_["zalo"]->respond_with(
        [](const test::mock_platform::request& r,
           std::size_t) -> std::optional<test::mock_platform::answer> {
            if (is_refresh(r)) return test::mock_platform::answer{200, zalo_bad_refresh, {}, {}};
            return test::mock_platform::answer{200, zalo_expired, {}, {}};
        });
    cfg_.pipeline.max_attempts = 1000;  // it must still be pending when we look
    const auto id = enqueue("zalo", "7612345678901234567", "Xin chào");
    start();
    wait_until([id](store::store& s) {
        for (const auto& m : s.list_outbox({std::nullopt, 10}))
            if (m.id == id) return m.attempts >= 3;
        return false;
    });
    stop();

    auto m = row(id);
    EXPECT_EQ(m.status, "pending");
    EXPECT_GE(m.attempts, 3);
    EXPECT_NE(m.last_error.find("refresh token rejected"), std::string::npos) << m.last_error;
    // The refused refresh token is not sent again on every retry.
    EXPECT_EQ(refreshes(), 1u);
    // The pair in the store is still the configured one: nothing was replaced.
    auto stored = db()->find_channel_token("zalo");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->refresh_token, config_refresh);
    // The operator is told what to do, and no token is logged.
    bool told = false;
    for (const auto& line : log_.lines()) {
        const bool about_it = line.find("rejected the refresh token of channel zalo") !=
                              std::string::npos;
        told = told || (about_it && line.find("operator") != std::string::npos);
    }
    EXPECT_TRUE(told);
    expect_no_token_in_logs();
}

TEST_F(Outbound, ZaloRefreshesAheadOfExpiryWithoutWaitingForASendToFail) {
    // The first refresh returns a token that expires within the refresh margin (10 min):
    // the keeper refreshes again on its own, with the new refresh token.
    mocks_["zalo"]->respond_with(
        [](const test::mock_platform::request& r,
           std::size_t) -> std::optional<test::mock_platform::answer> {
            auto pair = [](const char* access, const char* refresh, const char* expires) {
                json j = {{"access_token", access}, {"refresh_token", refresh},
                          {"expires_in", expires}};
                return test::mock_platform::answer{200, j.dump(), {}, {}};
            };
            if (is_refresh(r)) {
                if (r.body.find(std::string("refresh_token=") + config_refresh + "&") !=
                    std::string::npos)
                    return pair(new_access, new_refresh, "60");
                if (r.body.find(std::string("refresh_token=") + new_refresh + "&") !=
                    std::string::npos)
                    return pair("third-access", "third-refresh", "90000");
                return test::mock_platform::answer{200, zalo_bad_refresh, {}, {}};
            }
            if (header(r, "access_token") == config_access)
                return test::mock_platform::answer{200, zalo_expired, {}, {}};
            return test::mock_platform::answer{200, zalo_ok, {}, {}};
        });
    const auto id = enqueue("zalo", "7612345678901234567", "Xin chào");
    start();
    // The metric is counted just after the pair is stored: wait for both.
    wait_until([this](store::store& s) {
        auto t = s.find_channel_token("zalo");
        return s.outbox_pending() == 0 && t && t->refresh_token == "third-refresh" &&
               gw_->metrics().value("dgw_token_refreshes_total",
                                    {{"channel", "zalo"}, {"result", "ok"}}) >= 2.0;
    });
    EXPECT_EQ(row(id).status, "sent") << row(id).last_error;
    auto stored = db()->find_channel_token("zalo");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->access_token, "third-access");
    EXPECT_EQ(refreshes(), 2u);
    EXPECT_EQ(gw_->metrics().value("dgw_token_refreshes_total",
                                   {{"channel", "zalo"}, {"result", "ok"}}),
              2.0);
}

// ---- LINE: X-Line-Retry-Key ---------------------------------------------------------------

TEST_F(Outbound, LinePushRetriedAfterALostAnswerIsDeliveredOnce) {
    // LINE accepts the first push but the answer is lost (500); the retry with the same key
    // is answered 409 with the id of the request it already accepted.
    auto accepted = std::make_shared<std::set<std::string>>();
    auto mu = std::make_shared<std::mutex>();
    mocks_["line"]->respond_with(
        [accepted, mu](const test::mock_platform::request& r,
                       std::size_t) -> std::optional<test::mock_platform::answer> {
            const std::string key = header(r, "x-line-retry-key");
            std::lock_guard lock(*mu);
            if (!key.empty() && accepted->contains(key))
                return test::mock_platform::answer{
                    409, R"({"message":"The retry key is already accepted"})",
                    {{"x-line-accepted-request-id", "0c93a9a7-8d04-4c5b-9f4e-0e8b5bcf0a11"}}, {}};
            accepted->insert(key);
            return test::mock_platform::answer{500, R"({"message":"Internal error"})", {}, {}};
        });
    const auto id = enqueue("line", "U4af4980629f0e2a1d0f3b6a7c8d9e0f1", "Cảm ơn bạn!");
    start();
    wait_until_nothing_pending();

    auto pushes = mocks_["line"]->requests();
    ASSERT_EQ(pushes.size(), 2u);
    for (const auto& p : pushes) EXPECT_NE(p.path.find("/v2/bot/message/push"), std::string::npos);
    const auto key = header(pushes[0], "x-line-retry-key");
    EXPECT_EQ(key.size(), 36u) << key;
    EXPECT_EQ(header(pushes[1], "x-line-retry-key"), key);
    EXPECT_EQ(accepted->size(), 1u);  // the citizen got it once
    EXPECT_EQ(row(id).status, "sent") << row(id).last_error;
}

// ---- Meta: the 24-hour window -------------------------------------------------------------

TEST_F(Outbound, MetaMessagesOutsideTheWindowFailWithoutReachingThePlatform) {
    const auto now = sys_clock::now();
    std::map<std::int64_t, bool> open;  // outbox id -> within the window
    for (const char* channel : {"messenger", "whatsapp"}) {
        open[enqueue(channel, "84900000025", "Trả lời muộn", now - 25h)] = false;
        open[enqueue(channel, "84900000023", "Trả lời kịp", now - 23h)] = true;
    }
    start();
    wait_until_nothing_pending();

    for (const auto& [id, within] : open) {
        auto m = row(id);
        if (within) {
            EXPECT_EQ(m.status, "sent") << m.channel << " " << m.last_error;
        } else {
            EXPECT_EQ(m.status, "failed") << m.channel;
            EXPECT_EQ(m.last_error, "outside the 24-hour messaging window") << m.channel;
        }
    }
    for (const char* channel : {"messenger", "whatsapp"}) {
        auto sent = mocks_[channel]->requests();
        ASSERT_EQ(sent.size(), 1u) << channel;
        EXPECT_NE(sent[0].body.find("84900000023"), std::string::npos) << channel;
        EXPECT_EQ(sent[0].body.find("84900000025"), std::string::npos) << channel;
    }
}

}  // namespace
}  // namespace dgw
