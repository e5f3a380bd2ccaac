// Citizens' data rights (issue 7 §5), end to end with the real gateway and SQLite file: a
// citizen who filed a concern over Telegram asks the bot to delete their data and confirms;
// and contacts past the configured retention period are anonymised without anyone asking.

#include "support/mock_telegram.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* bot_token = "5550004444:AAE-privacyTestToken0123456789abcd";
constexpr const char* secret = "privacy-secret";

class Privacy : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-privacy");
        tg_ = std::make_unique<test::mock_telegram>(bot_token);
    }
    void TearDown() override {
        gw_.reset();
        tg_.reset();
        std::filesystem::remove_all(dir_);
    }
    void start(int retention_days) {
        auto cfg = test::base_gateway_config(dir_);
        cfg.channels.push_back(test::telegram_channel(tg_->api_base(), bot_token, secret));
        cfg.privacy.retention_days = retention_days;
        gw_ = std::make_unique<test::running_gateway>(cfg);
    }
    std::unique_ptr<store::store> open() { return store::open_sqlite({(dir_ / "dgw.sqlite").string()}); }

    void say(std::int64_t chat, const std::string& text) {
        static std::int64_t update = 40000;
        ++update;
        json u = {{"update_id", update},
                  {"message",
                   {{"message_id", update},
                    {"date", 1790000000},
                    {"chat", {{"id", chat}, {"type", "private"}, {"first_name", "Lò"}}},
                    {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Lò Văn A"}}},
                    {"text", text}}}};
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                           "/webhooks/telegram", 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::content_type, "application/json");
        req.set("X-Telegram-Bot-Api-Secret-Token", secret);
        req.body() = u.dump();
        req.prepare_payload();
        ASSERT_EQ(c.send(req).result_int(), 200u);
    }

    // Waits until the bot has sent `chat` a message containing `needle`.
    bool told(std::int64_t chat, const std::string& needle) {
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            for (const auto& c : tg_->calls())
                if (c.chat_id == std::to_string(chat) && c.text.find(needle) != std::string::npos)
                    return true;
            tg_->wait_for_calls(tg_->call_count() + 1, 200ms);
        }
        // What the bot did send, to tell a wrong reply from none at all.
        for (const auto& c : tg_->calls())
            ADD_FAILURE() << "sent " << c.method << " to " << c.chat_id << ": " << c.text;
        auto db = open();
        for (const auto& m : db->list_outbox({std::nullopt, 100}))
            ADD_FAILURE() << "outbox " << m.id << " " << m.user_id << " " << m.status << " held="
                          << (m.held_at ? 1 : 0) << " " << m.last_error << " " << m.payload.dump();
        for (const auto& r : db->list_inbox(std::nullopt, 100))
            ADD_FAILURE() << "inbox " << r.id << " " << r.event.user_id << " " << r.event.text;
        return false;
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::mock_telegram> tg_;
    std::unique_ptr<test::running_gateway> gw_;
};

TEST_F(Privacy, ACitizenAsksTheBotToDeleteTheirDataAndItIsErased) {
    start(0);
    const std::int64_t chat = 7700001;
    for (const char* line : {"xin chao", "1", "1", "bat xat",
                             "duong vao thon bi sat lo, xe may khong di duoc",
                             "0912345678"})
        say(chat, line);
    ASSERT_TRUE(told(chat, "LC-"));
    auto db = open();
    auto filed = db->list_concerns("", 10);
    ASSERT_EQ(filed.size(), 1u);
    EXPECT_EQ(filed[0].phone, "+84912345678");  // normalised by the flow
    const auto contact = filed[0].contact_id;

    // "xoá dữ liệu" typed without diacritics at the menu, then confirmed.
    say(chat, "xin chao");
    ASSERT_TRUE(told(chat, "Bạn cứ nhắn vấn đề"));
    say(chat, "xoa du lieu cua toi");
    ASSERT_TRUE(told(chat, "xoá dữ liệu cá nhân"));
    say(chat, "co");
    ASSERT_TRUE(told(chat, "Đã xoá dữ liệu cá nhân của bạn"));

    auto who = db->find_contact(contact);
    ASSERT_TRUE(who);
    EXPECT_EQ(who->user_id, "erased:" + std::to_string(contact));
    EXPECT_EQ(who->display_name, "");
    auto kept = *db->find_concern(filed[0].ref);
    EXPECT_EQ(kept.text, "duong vao thon bi sat lo, xe may khong di duoc") << "the concern stays";
    EXPECT_EQ(kept.phone, "");
    EXPECT_TRUE(kept.anonymous);
    for (const auto& in : db->list_inbox(contact, 100)) EXPECT_EQ(in.event.text, "");
    auto audit = db->list_audit("contact:" + std::to_string(contact), 10);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, "citizen");
    EXPECT_EQ(gw_->metrics().value("dgw_data_erasures_total", {{"by", "citizen"}}), 1);

    // Writing again makes a new, empty contact: nothing of the old one comes back.
    say(chat, "xin chao");
    ASSERT_TRUE(told(chat, "Bạn cứ nhắn vấn đề"));
    auto again = db->upsert_contact("telegram", std::to_string(chat), "", "", std::chrono::system_clock::now());
    EXPECT_NE(again.id, contact);
}

TEST_F(Privacy, SayingNoKeepsEverything) {
    start(0);
    const std::int64_t chat = 7700002;
    say(chat, "xin chao");
    ASSERT_TRUE(told(chat, "Bạn cứ nhắn vấn đề"));
    say(chat, "5");
    ASSERT_TRUE(told(chat, "xoá dữ liệu cá nhân"));
    say(chat, "khong");
    ASSERT_TRUE(told(chat, "Không xoá gì cả"));
    auto db = open();
    auto ct = db->upsert_contact("telegram", std::to_string(chat), "", "", std::chrono::system_clock::now());
    EXPECT_EQ(ct.user_id, std::to_string(chat));
    EXPECT_TRUE(db->list_audit("contact:" + std::to_string(ct.id), 10).empty());
}

TEST_F(Privacy, ContactsPastTheRetentionPeriodAreAnonymisedAutomatically) {
    const auto now = std::chrono::system_clock::now();
    std::int64_t old_id = 0, open_id = 0;
    {
        auto db = open();
        auto old_contact = db->upsert_contact("telegram", "111", "Lò Văn A", "vi", now - 72h);
        auto open_contact = db->upsert_contact("telegram", "222", "Lò Thị B", "vi", now - 72h);
        old_id = old_contact.id;
        open_id = open_contact.id;
        std::vector<store::step_write> steps(1);
        for (auto [ct, status, ref] : {std::tuple{old_id, "answered", "LC-OLD01"},
                                       std::tuple{open_id, "scheduled", "LC-OPEN1"}}) {
            store::concern c;
            c.ref = ref;
            c.contact_id = ct;
            c.channel = "telegram";
            c.conversation_key = ref;
            c.topic = "roads";
            c.commune_code = "02683";
            c.text = "Đường sạt lở";
            c.phone = "0912345678";
            c.consent = true;
            c.status = core::parse_concern_status(status).value();
            c.created_at = c.updated_at = now - 72h;
            steps[0].concerns.push_back(c);
        }
        db->commit_steps(steps);
    }
    start(1);  // one day: the answered one is two days past it, the open one is kept
    auto db = open();
    auto deadline = std::chrono::steady_clock::now() + 20s;
    while (db->find_contact(old_id)->user_id == "111" && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);  // the sweep runs at start, on the worker
    EXPECT_EQ(db->find_contact(old_id)->user_id, "erased:" + std::to_string(old_id));
    EXPECT_EQ(db->find_concern("LC-OLD01")->phone, "");
    EXPECT_EQ(db->find_concern("LC-OLD01")->text, "Đường sạt lở");
    auto audit = db->list_audit("contact:" + std::to_string(old_id), 10);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, "system");
    EXPECT_EQ(audit[0].action, "contact.anonymise");
    EXPECT_EQ(db->find_contact(open_id)->user_id, "222") << "an open concern keeps its contact";
    EXPECT_EQ(db->find_concern("LC-OPEN1")->phone, "0912345678");
}

}  // namespace
}  // namespace dgw
