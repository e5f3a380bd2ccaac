// Every channel end to end, side by side in one gateway (Telegram, Zalo, Messenger, WhatsApp,
// Viber, LINE, SMS and the web chat): webhooks signed exactly as each
// platform signs them (computed here with OpenSSL directly, not with the adapters' code), a
// citizen files a concern on each, and the replies reach a mock of each platform's send API.

#include "support/mock_platform.hpp"
#include "support/platforms.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

using test::form_encode;
using test::headers;
using test::platform;
constexpr const char* webchat_session = "0123456789abcdef0123456789abcdef";
const std::vector<std::string> happy_path = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh"};

class AllChannels : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-channels");
        auto cfg = test::base_gateway_config(dir_);
        cfg.webchat.session_key = test::webchat_key;
        for (auto p : {test::telegram(), test::zalo(), test::messenger(), test::whatsapp(),
                       test::viber(), test::line(), test::twilio(), test::webchat()}) {
            config::channel_config ch;
            ch.id = p.id;
            ch.type = p.type;
            if (!p.fetched_by_page) {
                mocks_[p.id] = std::make_unique<test::mock_platform>(p.send_status, p.send_body);
                ch.api_base = mocks_[p.id]->base();
            } else {
                ch.webchat.media_dir = (dir_ / "media").string();
            }
            ch.settings = p.settings;
            ch.rate_limit = {0, 0, 0, 0};
            cfg.channels.push_back(ch);
            platforms_.push_back(std::move(p));
        }
        gw_ = std::make_unique<test::running_gateway>(cfg);
    }

    void TearDown() override {
        gw_.reset();
        mocks_.clear();
        std::filesystem::remove_all(dir_);
    }

    unsigned post(const platform& p, const std::string& body, const std::string& type,
                  const headers& extra) {
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                           "/webhooks/" + p.id, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::content_type, type);
        for (const auto& [k, v] : extra) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        return c.send(req).result_int();
    }

    std::filesystem::path dir_;
    std::vector<platform> platforms_;
    std::map<std::string, std::unique_ptr<test::mock_platform>> mocks_;
    std::unique_ptr<test::running_gateway> gw_;
};

TEST_F(AllChannels, ACitizenOnEachPlatformFilesAConcernAndGetsTheReceipt) {
    // Interleaved: one line on every platform, then the next line, as real traffic would be.
    for (std::size_t line = 0; line < happy_path.size(); ++line) {
        for (const auto& p : platforms_) {
            auto [body, type] = p.make(static_cast<int>(line), happy_path[line]);
            ASSERT_EQ(post(p, body, type, p.sign(body)), 200u) << p.id << " line " << line;
        }
    }
    auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while ((db->list_concerns("", 100).size() < platforms_.size() || db->outbox_pending() > 0) &&
           std::chrono::steady_clock::now() < deadline)
        mocks_.begin()->second->wait_for(mocks_.begin()->second->count() + 1, 50ms);

    auto concerns = db->list_concerns("", 100);
    std::set<std::string> channels;
    for (const auto& c : concerns) {
        channels.insert(c.channel);
        EXPECT_EQ(c.commune_code, "02683") << c.channel;
        EXPECT_EQ(c.topic, "roads") << c.channel;
    }
    EXPECT_EQ(channels.size(), platforms_.size());
    for (const auto& p : platforms_) {
        if (p.fetched_by_page) {
            // The page's view: every reply of this session, the receipt among them.
            test::sync_client c(gw_->port());
            test::bhttp::request<test::bhttp::string_body> req{
                test::bhttp::verb::get, "/chat/api/" + p.id + "/messages?after=0", 11};
            req.set(test::bhttp::field::host, "127.0.0.1");
            req.set(test::bhttp::field::cookie,
                    "dgw_chat=" + test::webchat_cookie_value(webchat_session));
            auto page = c.send(req);
            ASSERT_EQ(page.result_int(), 200u);
            bool receipt = false;
            for (const auto& k : concerns)
                if (k.channel == p.id) receipt = page.body().find(k.ref) != std::string::npos;
            EXPECT_TRUE(receipt) << page.body();
            continue;
        }
        const auto& sent = mocks_[p.id]->requests();
        ASSERT_FALSE(sent.empty()) << p.id << " got no reply";
        for (const auto& r : sent) {
            EXPECT_NE(r.path.find(p.send_path), std::string::npos) << p.id << ": " << r.path;
            // Addressed to the citizen: by id, or (LINE) with the reply token of their event.
            bool addressed = r.body.find(p.user) != std::string::npos ||
                             r.body.find(form_encode(p.user)) != std::string::npos ||
                             r.body.find("replyToken") != std::string::npos;
            EXPECT_TRUE(addressed) << p.id << ": " << r.body;
        }
        // The receipt with the reference went out on this platform.
        bool receipt = false;
        for (const auto& c : concerns)
            if (c.channel == p.id)
                for (const auto& r : sent) receipt = receipt || r.body.find(c.ref) != std::string::npos;
        EXPECT_TRUE(receipt) << p.id;
    }
    auto log = db->list_outbox({std::nullopt, 10000});
    for (const auto& m : log) EXPECT_EQ(m.status, "sent") << m.channel << " " << m.last_error;
    // SMS is billed per segment: Vietnamese replies are UCS-2, so at least one per SMS sent.
    auto sms = gw_->metrics().value("dgw_sms_segments_total", {{"channel", "sms"}});
    EXPECT_GE(sms, static_cast<double>(mocks_["sms"]->count()));
    EXPECT_EQ(gw_->metrics().value("dgw_sms_segments_total", {{"channel", "zalo"}}), 0.0);
}

TEST_F(AllChannels, BadSignaturesAre401DuplicatesAre200AndNothingIsDoubled) {
    for (const auto& p : platforms_) {
        auto [body, type] = p.make(1, "xin chao");
        auto good = p.sign(body);
        auto bad = good;
        bad[0].second[bad[0].second.size() / 2] ^= 1;
        // Another web chat cookie is another citizen, not a forgery: only its absence is 401.
        if (!p.fetched_by_page) {
            EXPECT_EQ(post(p, body, type, bad), 401u) << p.id;
        }
        EXPECT_EQ(post(p, body, type, {}), 401u) << p.id << " (missing)";
        EXPECT_EQ(post(p, body, type, good), 200u) << p.id;
        EXPECT_EQ(post(p, body, type, good), 200u) << p.id << " (redelivery)";
    }
    auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    EXPECT_EQ(db->list_inbox(std::nullopt, 100).size(), platforms_.size());
}

TEST_F(AllChannels, MetaVerificationByGetEchoesTheChallenge) {
    test::sync_client c(gw_->port());
    auto res = c.request(test::bhttp::verb::get,
                         "/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-me"
                         "&hub.challenge=1158201444");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "1158201444");
    EXPECT_NE(res[test::bhttp::field::content_type].find("text/plain"), std::string::npos);
    res = c.request(test::bhttp::verb::get,
                    "/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1");
    EXPECT_EQ(res.result_int(), 403u) << res.body();
}

TEST_F(AllChannels, AnUnusableLineReplyTokenFallsBackToPush) {
    mocks_["line"]->respond("/reply", 400, R"({"message":"Invalid reply token"})");
    const auto& p = *std::find_if(platforms_.begin(), platforms_.end(),
                                  [](const platform& x) { return x.id == "line"; });
    auto [body, type] = p.make(1, "xin chao");
    ASSERT_EQ(post(p, body, type, p.sign(body)), 200u);
    auto& mock = *mocks_["line"];
    ASSERT_TRUE(mock.wait_for(2, 10s));
    auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (db->outbox_pending() > 0 && std::chrono::steady_clock::now() < deadline)
        mock.wait_for(mock.count() + 1, 50ms);
    auto sent = mock.requests();
    ASSERT_GE(sent.size(), 2u);
    EXPECT_NE(sent[0].path.find("/v2/bot/message/reply"), std::string::npos);
    EXPECT_NE(sent[1].path.find("/v2/bot/message/push"), std::string::npos);
    EXPECT_EQ(json::parse(sent[1].body)["to"], p.user);
    for (const auto& m : db->list_outbox({std::nullopt, 10})) EXPECT_EQ(m.status, "sent");
}

}  // namespace
}  // namespace dgw
