// Telegram end to end: the real gateway in-process (real SQLite file, real HTTP on 127.0.0.1:0)
// takes signed webhooks and answers through a mock Telegram Bot API on another port.

#include "support/child_process.hpp"
#include "support/mock_telegram.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* bot_token = "5550001111:AAFe2eTokenForTests_0123456789abcd";
constexpr const char* secret = "s3cret-For_Webhooks";

class TelegramE2E : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-e2e");
        tg_ = std::make_unique<test::mock_telegram>(bot_token);
        auto cfg = test::base_gateway_config(dir_);
        cfg.channels.push_back(test::telegram_channel(tg_->api_base(), bot_token, secret));
        cfg.pipeline.send_timeout_seconds = 2;
        adjust(cfg);
        gw_ = std::make_unique<test::running_gateway>(cfg);
    }

    /// Lets a derived fixture change the config before the gateway starts.
    virtual void adjust(config::gateway_config&) {}

    void TearDown() override {
        gw_.reset();
        tg_.reset();
        std::filesystem::remove_all(dir_);
    }

    static json text_update(std::int64_t update_id, std::int64_t chat, std::int64_t message_id,
                            const std::string& text) {
        return {{"update_id", update_id},
                {"message",
                 {{"message_id", message_id},
                  {"date", 1790000000},
                  {"chat", {{"id", chat}, {"type", "private"}, {"first_name", "Lò"}}},
                  {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Lò"},
                            {"language_code", "vi"}}},
                  {"text", text}}}};
    }

    test::bhttp::response<test::bhttp::string_body> post(const std::string& body,
                                                         const std::string& token = secret,
                                                         const std::string& channel = "telegram") {
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                           "/webhooks/" + channel, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::content_type, "application/json");
        if (!token.empty()) req.set("X-Telegram-Bot-Api-Secret-Token", token);
        req.body() = body;
        req.prepare_payload();
        return c.send(req);
    }

    // Sends one citizen line as a fresh update.
    void say(std::int64_t chat, const std::string& text) {
        ++update_;
        auto res = post(text_update(update_, chat, update_, text).dump());
        ASSERT_EQ(res.result_int(), 200u) << res.body();
    }

    std::vector<test::mock_telegram::call> messages_to(std::int64_t chat) const {
        std::vector<test::mock_telegram::call> out;
        for (auto& c : tg_->calls())
            if (c.method == "sendMessage" && c.chat_id == std::to_string(chat) && c.status == 200)
                out.push_back(c);
        return out;
    }

    // Waits (with a deadline) until a delivered message to `chat` contains `needle`.
    bool wait_for_text(std::int64_t chat, const std::string& needle,
                       std::chrono::milliseconds max = 20s) {
        auto deadline = std::chrono::steady_clock::now() + max;
        for (;;) {
            for (const auto& c : messages_to(chat))
                if (c.text.find(needle) != std::string::npos) return true;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= 0ms) return false;
            tg_->wait_for_calls(tg_->call_count() + 1, left);
        }
    }

    std::unique_ptr<store::store> reader() {
        return store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::mock_telegram> tg_;
    std::unique_ptr<test::running_gateway> gw_;
    std::int64_t update_ = 1000;
};

const std::vector<std::string> happy_path = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh"};

TEST_F(TelegramE2E, ACitizenFilesAConcernAndRepliesArriveInOrder) {
    const std::int64_t chat = 7123456789012;  // beyond 2^31: ids are never narrowed
    for (const auto& line : happy_path) say(chat, line);
    ASSERT_TRUE(wait_for_text(chat, "LC-")) << "no receipt arrived";

    auto db = reader();
    auto concerns = db->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    const auto& c = concerns[0];
    EXPECT_EQ(c.commune_code, "02683");
    EXPECT_EQ(c.topic, "roads");
    // Routed as the dialogue module routes it for the moment it was filed.
    std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
    std::stringstream text;
    text << in.rdbuf();
    std::vector<core::problem> problems;
    auto cfg = dialogue::load_text(text.str(), problems);
    auto expected = dialogue::route(cfg, {"02683", "roads", "", c.created_at});
    ASSERT_TRUE(expected);
    ASSERT_TRUE(expected->session);
    EXPECT_EQ(c.session_id, expected->session->id);

    // Every reply the gateway queued arrived, in the order it was queued, exactly once.
    auto sent = db->list_outbox({std::nullopt, 1000});
    std::vector<std::string> queued;
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) {
        EXPECT_EQ(it->status, "sent");
        queued.push_back(it->payload["text"]);
    }
    std::vector<std::string> delivered;
    for (const auto& m : messages_to(chat)) delivered.push_back(m.text);
    EXPECT_EQ(delivered, queued);
    EXPECT_NE(delivered.back().find(c.ref), std::string::npos);
    // The first question offered the menu as a reply keyboard.
    EXPECT_TRUE(messages_to(chat).front().reply_markup.contains("keyboard"));

    // The operators' commands read the same store while the gateway serves.
    auto config_path = (dir_ / "gateway.json").string();
    std::ofstream(config_path) << json{
        {"store", {{"sqlite", {{"path", (dir_ / "dgw.sqlite").string()}}}}}}.dump();
    test::child_process concerns_cmd({DGW_BINARY, "concerns", "--json", "--config", config_path});
    auto line = json::parse(concerns_cmd.read_line());
    EXPECT_EQ(concerns_cmd.wait(), 0);
    EXPECT_EQ(line["ref"], c.ref);
    EXPECT_EQ(line["session"], c.session_id);
    EXPECT_EQ(line["commune"], "Xã Bát Xát");
    test::child_process messages_cmd({DGW_BINARY, "messages", "--json", "--config", config_path});
    std::size_t inbound = 0, outbound = 0;
    for (auto l = messages_cmd.read_line(); !l.empty(); l = messages_cmd.read_line()) {
        auto j = json::parse(l);
        if (j["direction"] == "in") {
            ++inbound;
        } else {
            ++outbound;
            EXPECT_EQ(j["status"], "sent");
        }
    }
    EXPECT_EQ(messages_cmd.wait(), 0);
    EXPECT_EQ(inbound, happy_path.size());
    EXPECT_EQ(outbound, queued.size());
}

TEST_F(TelegramE2E, ARedeliveredUpdateIsAcknowledgedAndChangesNothing) {
    const std::int64_t chat = 555;
    auto first = text_update(1, chat, 1, "xin chao").dump();
    ASSERT_EQ(post(first).result_int(), 200u);
    ASSERT_TRUE(wait_for_text(chat, "Xin chào"));
    auto greeted = messages_to(chat).size();
    ASSERT_EQ(post(first).result_int(), 200u) << "a redelivery is answered 200";
    // A later, distinct message: its replies come after anything the duplicate could have
    // caused, since one contact's replies go out in order.
    ASSERT_EQ(post(text_update(2, chat, 2, "4").dump()).result_int(), 200u);
    ASSERT_TRUE(wait_for_text(chat, "gõ"));
    auto db = reader();
    EXPECT_EQ(db->list_inbox(std::nullopt, 100).size(), 2u);
    // Up to the answer to "4": the menu may ask again after it, which is not a duplicate.
    auto replies = messages_to(chat);
    std::size_t greetings = 0;
    for (const auto& m : replies) {
        if (m.text.find("gõ") != std::string::npos) break;
        if (m.text.find("Xin chào! Đây là kênh") != std::string::npos) ++greetings;
    }
    EXPECT_EQ(greetings, 1u);
    EXPECT_GT(replies.size(), greeted);
}

TEST_F(TelegramE2E, BadSecretIs401AndNothingIsStored) {
    auto body = text_update(1, 1, 1, "hi").dump();
    auto res = post(body, "wrong-secret");
    EXPECT_EQ(res.result_int(), 401u);
    EXPECT_EQ(json::parse(res.body())["error"]["code"], "bad_signature");
    EXPECT_EQ(res.body().find(secret), std::string::npos);
    EXPECT_EQ(post(body, "").result_int(), 401u) << "a missing secret too";
    EXPECT_EQ(reader()->list_inbox(std::nullopt, 10).size(), 0u);
}

TEST_F(TelegramE2E, BrokenJsonIs400UnknownChannel404AndIgnoredUpdates200) {
    EXPECT_EQ(post("{\"update_id\": 1, \"message\": ").result_int(), 400u);
    EXPECT_EQ(post(text_update(1, 1, 1, "hi").dump(), secret, "nope").result_int(), 404u);
    json edited = {{"update_id", 9},
                   {"edited_message", text_update(9, 1, 9, "edit")["message"]}};
    EXPECT_EQ(post(edited.dump()).result_int(), 200u);
    EXPECT_EQ(reader()->list_inbox(std::nullopt, 10).size(), 0u);
}

TEST_F(TelegramE2E, RepliesAreDeliveredInOrderAfterThePlatformRecovers) {
    const std::int64_t chat = 77;
    tg_->fail_next(3, 500);
    tg_->rate_limit_next(0);
    for (const auto& line : std::vector<std::string>{"xin chao", "1", "1"}) say(chat, line);
    ASSERT_TRUE(wait_for_text(chat, "xã/phường nào")) << "the commune question never arrived";
    auto db = reader();
    auto sent = db->list_outbox({std::nullopt, 100});
    std::vector<std::string> queued;
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) queued.push_back(it->payload["text"]);
    std::vector<std::string> delivered;
    for (const auto& m : messages_to(chat)) delivered.push_back(m.text);
    EXPECT_EQ(delivered, queued) << "each reply once, in order, despite the failures";
    std::size_t failures = 0;
    for (const auto& c : tg_->calls())
        if (c.status == 500) ++failures;
    EXPECT_EQ(failures, 3u);
}

TEST_F(TelegramE2E, TooManyRequestsIsRetriedAfterRetryAfter) {
    const std::int64_t chat = 78;
    tg_->rate_limit_next(1, 1);
    say(chat, "xin chao");
    ASSERT_TRUE(wait_for_text(chat, "Xin chào"));
    auto calls = tg_->calls();
    ASSERT_GE(calls.size(), 2u);
    EXPECT_EQ(calls[0].status, 429u);
    EXPECT_EQ(calls[1].text, calls[0].text);
}

TEST_F(TelegramE2E, ABlockedChatMarksTheMessageFailedAndStops) {
    const std::int64_t chat = 79;
    tg_->block_chat(std::to_string(chat));
    say(chat, "xin chao");
    auto db = reader();
    // Wait until the message is marked failed (the mock saw the attempt).
    ASSERT_TRUE(tg_->wait_for_calls(1, 10s));
    std::vector<store::outbox_message> log;
    for (int i = 0; i < 200; ++i) {
        log = db->list_outbox({std::nullopt, 10});
        if (!log.empty() && log.back().status == "failed") break;
        tg_->wait_for_calls(tg_->call_count() + 1, 50ms);
    }
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().status, "failed");
    EXPECT_NE(log.back().last_error.find("blocked"), std::string::npos) << log.back().last_error;
}

// A database that cannot take more (here: its configured size cap, which fails exactly like a
// full disk: SQLITE_FULL) answers 503 so that the platform retries, and loses nothing it had
// acknowledged.
class TelegramE2EStoreFull : public TelegramE2E {
protected:
    void adjust(config::gateway_config& cfg) override { cfg.store.max_size_mb = 0.5; }
};

TEST_F(TelegramE2EStoreFull, AFullStoreAnswers503AndKeepsWhatItAcknowledged) {
    std::vector<std::int64_t> acked;
    unsigned status = 200;
    const std::string padding(2000, 'x');  // fills the half-megabyte cap in ~200 updates
    std::int64_t id = 0;
    while (status == 200 && id < 5000) {
        ++id;
        auto res = post(text_update(id, 100000 + id, 1, "tin nhắn " + padding).dump());
        status = res.result_int();
        if (status == 200) acked.push_back(id);
        else {
            EXPECT_EQ(status, 503u) << res.body();
            EXPECT_EQ(json::parse(res.body())["error"]["code"], "store_unavailable");
            EXPECT_EQ(res[test::bhttp::field::retry_after], "5");
        }
    }
    ASSERT_EQ(status, 503u) << "the cap was never reached";
    ASSERT_FALSE(acked.empty());
    auto db = reader();
    std::set<std::string> stored;
    for (const auto& row : db->list_inbox(std::nullopt, 10000)) stored.insert(row.event.dedup_key);
    for (auto a : acked) EXPECT_TRUE(stored.contains(std::to_string(100000 + a) + ":1")) << a;
    EXPECT_FALSE(stored.contains(std::to_string(100000 + id) + ":1"))
        << "the refused update must not be half-stored";
    EXPECT_EQ(stored.size(), acked.size());
}

}  // namespace
}  // namespace dgw
