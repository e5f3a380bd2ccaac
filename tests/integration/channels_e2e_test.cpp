// Every channel end to end, side by side in one gateway (Telegram, Zalo, Messenger, WhatsApp,
// Viber, LINE, SMS and the web chat): webhooks signed exactly as each
// platform signs them (computed here with OpenSSL directly, not with the adapters' code), a
// citizen files a concern on each, and the replies reach a mock of each platform's send API.

#include "support/mock_platform.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/channels/webchat.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string raw_hmac(const EVP_MD* md, const std::string& key, const std::string& data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(md, key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string hex(const std::string& raw) {
    std::string out;
    char buf[3];
    for (unsigned char c : raw) {
        std::snprintf(buf, sizeof buf, "%02x", c);
        out += buf;
    }
    return out;
}

std::string b64(const std::string& raw) {
    std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(raw.data()),
                            static_cast<int>(raw.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string form_encode(const std::string& v) {
    std::string out;
    char buf[4];
    for (unsigned char c : v) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

using headers = std::vector<std::pair<std::string, std::string>>;

struct platform {
    std::string id;    // channel id and webhook path
    std::string type;  // channel type
    std::map<std::string, std::string> settings;
    std::string user;  // the citizen's id on the platform
    unsigned send_status = 200;
    std::string send_body = "{}";
    std::string send_path;  // what the mock must see in every send's path
    // One citizen message as the platform posts it: body, content type, signature headers.
    std::function<std::pair<std::string, std::string>(int n, const std::string& text)> make;
    std::function<headers(const std::string& body)> sign;
    // The web chat sends nothing anywhere: its page fetches the replies from the gateway.
    bool fetched_by_page = false;
};

platform zalo() {
    platform p;
    p.id = "zalo";
    p.type = "zalo";
    p.settings = {{"app_id", "3045678912345678901"}, {"oa_secret_key", "oaSecretKey123"},
                  {"app_secret", "appSecret"}, {"access_token", "zalo-access"},
                  {"refresh_token", "zalo-refresh"}};
    p.user = "7612345678901234567";
    p.send_body = R"({"error":0,"message":"Success","data":{"message_id":"m1"}})";
    p.send_path = "/v3.0/oa/message/cs";
    p.make = [u = p.user](int n, const std::string& text) {
        json b = {{"app_id", "3045678912345678901"},
                  {"user_id_by_app", "5512345678901234567"},
                  {"event_name", "user_send_text"},
                  {"timestamp", std::to_string(1790000000000LL + n)},
                  {"sender", {{"id", u}}},
                  {"recipient", {{"id", "579745863508352884"}}},
                  {"message", {{"text", text}, {"msg_id", "msg" + std::to_string(n)}}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        auto ts = json::parse(body)["timestamp"].get<std::string>();
        std::string data = "3045678912345678901" + body + ts + "oaSecretKey123";
        unsigned char d[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), d);
        return headers{{"X-ZEvent-Signature",
                        "mac=" + hex(std::string(reinterpret_cast<char*>(d), sizeof d))}};
    };
    return p;
}

platform messenger() {
    platform p;
    p.id = "messenger";
    p.type = "messenger";
    p.settings = {{"app_secret", "fbAppSecret"}, {"verify_token", "verify-me"},
                  {"page_access_token", "PAGE-TOKEN"}};
    p.user = "6543210987654321";
    p.send_body = R"({"recipient_id":"6543210987654321","message_id":"m_1"})";
    p.send_path = "/me/messages";
    p.make = [u = p.user](int n, const std::string& text) {
        json b = {{"object", "page"},
                  {"entry",
                   {{{"id", "1122334455"},
                     {"time", 1790000000000LL + n},
                     {"messaging",
                      {{{"sender", {{"id", u}}},
                        {"recipient", {{"id", "1122334455"}}},
                        {"timestamp", 1790000000000LL + n},
                        {"message", {{"mid", "m_" + std::to_string(n)}, {"text", text}}}}}}}}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{{"X-Hub-Signature-256", "sha256=" + hex(raw_hmac(EVP_sha256(), "fbAppSecret", body))}};
    };
    return p;
}

platform whatsapp() {
    platform p;
    p.id = "whatsapp";
    p.type = "whatsapp";
    p.settings = {{"app_secret", "waAppSecret"}, {"verify_token", "verify-wa"},
                  {"access_token", "WA-TOKEN"}, {"phone_number_id", "106540352242922"}};
    p.user = "84912345678";
    p.send_body = R"({"messaging_product":"whatsapp","contacts":[{"input":"84912345678","wa_id":"84912345678"}],"messages":[{"id":"wamid.X"}]})";
    p.send_path = "/106540352242922/messages";
    p.make = [u = p.user](int n, const std::string& text) {
        json msg = {{"from", u},
                    {"id", "wamid.HBgL" + std::to_string(n)},
                    {"timestamp", std::to_string(1790000000 + n)},
                    {"type", "text"},
                    {"text", {{"body", text}}}};
        json value = {{"messaging_product", "whatsapp"},
                      {"metadata", {{"display_phone_number", "15550001111"},
                                    {"phone_number_id", "106540352242922"}}},
                      {"contacts", {{{"profile", {{"name", "Lò Thị B"}}}, {"wa_id", u}}}},
                      {"messages", {msg}}};
        json b = {{"object", "whatsapp_business_account"},
                  {"entry", {{{"id", "102290129340398"},
                              {"changes", {{{"field", "messages"}, {"value", value}}}}}}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{{"X-Hub-Signature-256", "sha256=" + hex(raw_hmac(EVP_sha256(), "waAppSecret", body))}};
    };
    return p;
}

platform viber() {
    platform p;
    p.id = "viber";
    p.type = "viber";
    p.settings = {{"auth_token", "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"}};
    p.user = "01234567890A=";
    p.send_body = R"({"status":0,"status_message":"ok","message_token":5741311803571721087})";
    p.send_path = "/pa/send_message";
    p.make = [u = p.user](int n, const std::string& text) {
        // message_token beyond 2^53, written as a bare JSON number as Viber sends it.
        std::string body = R"({"event":"message","timestamp":1790000000000,"chat_hostname":"SN-1",)"
                           R"("message_token":)" + std::to_string(5491463539446537000LL + n) +
                           R"(,"sender":{"id":")" + u + R"(","name":"B","language":"vi","country":"VN","api_version":10},)"
                           R"("message":{"text":)" + json(text).dump() + R"(,"type":"text"},"silent":false})";
        return std::pair{body, std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{{"X-Viber-Content-Signature",
                        hex(raw_hmac(EVP_sha256(), "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9", body))}};
    };
    return p;
}

platform line() {
    platform p;
    p.id = "line";
    p.type = "line";
    p.settings = {{"channel_secret", "lineChannelSecret"}, {"channel_access_token", "LINE-TOKEN"}};
    p.user = "U4af4980629f0e2a1d0f3b6a7c8d9e0f1";
    p.send_path = "/v2/bot/message/";
    p.make = [u = p.user](int n, const std::string& text) {
        json ev = {{"type", "message"},
                   {"mode", "active"},
                   {"timestamp", 1790000000000LL + n},
                   {"source", {{"type", "user"}, {"userId", u}}},
                   {"webhookEventId", "01HGM0J9ZX" + std::to_string(1000 + n)},
                   {"deliveryContext", {{"isRedelivery", false}}},
                   {"replyToken", "reply" + std::to_string(n)},
                   {"message", {{"id", std::to_string(480000000 + n)}, {"type", "text"},
                                {"quoteToken", "q"}, {"text", text}}}};
        json b = {{"destination", "Uxxxxxxxx"}, {"events", {ev}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{{"X-Line-Signature", b64(raw_hmac(EVP_sha256(), "lineChannelSecret", body))}};
    };
    return p;
}

platform twilio() {
    platform p;
    p.id = "sms";
    p.type = "twilio";
    p.settings = {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                  {"auth_token", "twilioAuthToken"},
                  {"from", "+15550001111"},
                  // Behind a proxy: the signature is over the configured public URL.
                  {"public_url", "https://gateway.example.vn/webhooks/sms"}};
    p.user = "+84912345678";
    p.send_status = 201;
    p.send_body = R"({"sid":"SM1","status":"queued"})";
    p.send_path = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
    p.make = [u = p.user](int n, const std::string& text) {
        std::map<std::string, std::string> f = {
            {"AccountSid", "AC0123456789abcdef0123456789abcdef"}, {"ApiVersion", "2010-04-01"},
            {"Body", text}, {"From", u}, {"MessageSid", "SM" + std::to_string(100000 + n)},
            {"NumMedia", "0"}, {"To", "+15550001111"}};
        std::string body;
        for (const auto& [k, v] : f) body += (body.empty() ? "" : "&") + k + "=" + form_encode(v);
        return std::pair{body, std::string("application/x-www-form-urlencoded")};
    };
    p.sign = [](const std::string& body) {
        // public URL + every field sorted by name as name+value (decoded values).
        std::map<std::string, std::string> fields;
        std::size_t i = 0;
        while (i < body.size()) {
            auto amp = body.find('&', i);
            auto pair = body.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
            auto eq = pair.find('=');
            auto decode = [](const std::string& s) {
                std::string out;
                for (std::size_t k = 0; k < s.size(); ++k) {
                    if (s[k] == '%' && k + 2 < s.size()) {
                        out += static_cast<char>(std::stoi(s.substr(k + 1, 2), nullptr, 16));
                        k += 2;
                    } else {
                        out += s[k] == '+' ? ' ' : s[k];
                    }
                }
                return out;
            };
            fields[decode(pair.substr(0, eq))] = decode(pair.substr(eq + 1));
            if (amp == std::string::npos) break;
            i = amp + 1;
        }
        std::string data = "https://gateway.example.vn/webhooks/sms";
        for (const auto& [k, v] : fields) data += k + v;
        return headers{{"X-Twilio-Signature", b64(raw_hmac(EVP_sha1(), "twilioAuthToken", data))}};
    };
    return p;
}

platform telegram() {
    platform p;
    p.id = "telegram";
    p.type = "telegram";
    p.settings = {{"bot_token", "5550001111:AAE-allChannelsTestToken0123456789"},
                  {"secret_token", "tg-secret"}};
    p.user = "880011223";
    p.send_body = R"({"ok":true,"result":{"message_id":1}})";
    p.send_path = "/bot5550001111:AAE-allChannelsTestToken0123456789/";
    p.make = [u = p.user](int n, const std::string& text) {
        json b = {{"update_id", 700000 + n},
                  {"message",
                   {{"message_id", 10 + n},
                    {"date", 1790000000},
                    {"chat", {{"id", std::stoll(u)}, {"type", "private"}}},
                    {"from", {{"id", std::stoll(u)}, {"is_bot", false}, {"first_name", "Lan"}}},
                    {"text", text}}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string&) { return headers{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}}; };
    return p;
}

constexpr const char* webchat_session = "0123456789abcdef0123456789abcdef";
// The gateway signs web chat sessions with this key (configured below), so the test can be a
// browser that was given this session.
constexpr const char* webchat_key = "channels-e2e-key-0123456789abcdef01";
std::string webchat_cookie() {
    return std::string("dgw_chat=") + channels::webchat_cookie_value(webchat_session, webchat_key);
}

platform webchat() {
    platform p;
    p.id = "web";
    p.type = "webchat";
    p.fetched_by_page = true;
    p.make = [](int n, const std::string& text) {
        json b = {{"id", "m" + std::to_string(n)}, {"text", text}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    // The browser's session cookie stands where other platforms put a signature.
    p.sign = [](const std::string&) { return headers{{"Cookie", webchat_cookie()}}; };
    return p;
}

const std::vector<std::string> happy_path = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh"};

class AllChannels : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-channels");
        auto cfg = test::base_gateway_config(dir_);
        cfg.webchat.session_key = webchat_key;
        for (auto make : {telegram, zalo, messenger, whatsapp, viber, line, twilio, webchat}) {
            auto p = make();
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
            req.set(test::bhttp::field::cookie, webchat_cookie());
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
