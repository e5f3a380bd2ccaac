#include "support/platforms.hpp"

#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <cctype>
#include <cstdio>

namespace dgw::test {
namespace {

using nlohmann::json;

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

}  // namespace

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

platform zalo(std::string user) {
    platform p;
    p.id = "zalo";
    p.type = "zalo";
    p.settings = {{"app_id", "3045678912345678901"},
                  {"oa_secret_key", "oaSecretKey123"},
                  {"app_secret", "appSecret"},
                  {"access_token", "zalo-access"},
                  {"refresh_token", "zalo-refresh"}};
    p.user = std::move(user);
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

platform messenger(std::string user) {
    platform p;
    p.id = "messenger";
    p.type = "messenger";
    p.settings = {{"app_secret", "fbAppSecret"},
                  {"verify_token", "verify-me"},
                  {"page_access_token", "PAGE-TOKEN"}};
    p.user = std::move(user);
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
        return headers{
            {"X-Hub-Signature-256", "sha256=" + hex(raw_hmac(EVP_sha256(), "fbAppSecret", body))}};
    };
    return p;
}

platform whatsapp(std::string user) {
    platform p;
    p.id = "whatsapp";
    p.type = "whatsapp";
    p.settings = {{"app_secret", "waAppSecret"},
                  {"verify_token", "verify-wa"},
                  {"access_token", "WA-TOKEN"},
                  {"phone_number_id", "106540352242922"}};
    p.user = std::move(user);
    p.send_body =
        R"({"messaging_product":"whatsapp","contacts":[{"input":"84912345678","wa_id":"84912345678"}],"messages":[{"id":"wamid.X"}]})";
    p.send_path = "/106540352242922/messages";
    p.make = [u = p.user](int n, const std::string& text) {
        json msg = {{"from", u},
                    {"id", "wamid.HBgL" + std::to_string(n)},
                    {"timestamp", std::to_string(1790000000 + n)},
                    {"type", "text"},
                    {"text", {{"body", text}}}};
        json value = {
            {"messaging_product", "whatsapp"},
            {"metadata",
             {{"display_phone_number", "15550001111"}, {"phone_number_id", "106540352242922"}}},
            {"contacts", {{{"profile", {{"name", "Lò Thị B"}}}, {"wa_id", u}}}},
            {"messages", {msg}}};
        json b = {{"object", "whatsapp_business_account"},
                  {"entry",
                   {{{"id", "102290129340398"},
                     {"changes", {{{"field", "messages"}, {"value", value}}}}}}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{
            {"X-Hub-Signature-256", "sha256=" + hex(raw_hmac(EVP_sha256(), "waAppSecret", body))}};
    };
    return p;
}

platform viber(std::string user) {
    platform p;
    p.id = "viber";
    p.type = "viber";
    p.settings = {{"auth_token", "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"}};
    p.user = std::move(user);
    p.send_body = R"({"status":0,"status_message":"ok","message_token":5741311803571721087})";
    p.send_path = "/pa/send_message";
    p.make = [u = p.user](int n, const std::string& text) {
        // message_token beyond 2^53, written as a bare JSON number as Viber sends it.
        std::string body = R"({"event":"message","timestamp":1790000000000,"chat_hostname":"SN-1",)"
                           R"("message_token":)" +
                           std::to_string(5491463539446537000LL + n) + R"(,"sender":{"id":")" + u +
                           R"(","name":"B","language":"vi","country":"VN","api_version":10},)"
                           R"("message":{"text":)" +
                           json(text).dump() + R"(,"type":"text"},"silent":false})";
        return std::pair{body, std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{{"X-Viber-Content-Signature",
                        hex(raw_hmac(EVP_sha256(),
                                     "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9", body))}};
    };
    return p;
}

platform line(std::string user) {
    platform p;
    p.id = "line";
    p.type = "line";
    p.settings = {{"channel_secret", "lineChannelSecret"}, {"channel_access_token", "LINE-TOKEN"}};
    p.user = std::move(user);
    p.send_path = "/v2/bot/message/";
    p.make = [u = p.user](int n, const std::string& text) {
        json ev = {{"type", "message"},
                   {"mode", "active"},
                   {"timestamp", 1790000000000LL + n},
                   {"source", {{"type", "user"}, {"userId", u}}},
                   {"webhookEventId", "01HGM0J9ZX" + std::to_string(1000 + n)},
                   {"deliveryContext", {{"isRedelivery", false}}},
                   {"replyToken", "reply" + std::to_string(n)},
                   {"message",
                    {{"id", std::to_string(480000000 + n)},
                     {"type", "text"},
                     {"quoteToken", "q"},
                     {"text", text}}}};
        json b = {{"destination", "Uxxxxxxxx"}, {"events", {ev}}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    p.sign = [](const std::string& body) {
        return headers{
            {"X-Line-Signature", b64(raw_hmac(EVP_sha256(), "lineChannelSecret", body))}};
    };
    return p;
}

platform twilio(std::string user) {
    platform p;
    p.id = "sms";
    p.type = "twilio";
    p.settings = {{"account_sid", "AC0123456789abcdef0123456789abcdef"},
                  {"auth_token", "twilioAuthToken"},
                  {"from", "+15550001111"},
                  // Behind a proxy: the signature is over the configured public URL.
                  {"public_url", "https://gateway.example.vn/webhooks/sms"}};
    p.user = std::move(user);
    p.send_status = 201;
    p.send_body = R"({"sid":"SM1","status":"queued"})";
    p.send_path = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";
    p.make = [u = p.user](int n, const std::string& text) {
        std::map<std::string, std::string> f = {
            {"AccountSid", "AC0123456789abcdef0123456789abcdef"},
            {"ApiVersion", "2010-04-01"},
            {"Body", text},
            {"From", u},
            {"MessageSid", "SM" + std::to_string(100000 + n)},
            {"NumMedia", "0"},
            {"To", "+15550001111"}};
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

platform telegram(std::string user) {
    platform p;
    p.id = "telegram";
    p.type = "telegram";
    p.settings = {{"bot_token", "5550001111:AAE-allChannelsTestToken0123456789"},
                  {"secret_token", "tg-secret"}};
    p.user = std::move(user);
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
    p.sign = [](const std::string&) {
        return headers{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};
    };
    return p;
}

std::string webchat_cookie_value(const std::string& session) {
    return session + "." +
           hex(raw_hmac(EVP_sha256(), webchat_key, "dgw-webchat-cookie:" + session));
}

platform webchat(std::string session) {
    platform p;
    p.id = "web";
    p.type = "webchat";
    p.fetched_by_page = true;
    p.make = [](int n, const std::string& text) {
        json b = {{"id", "m" + std::to_string(n)}, {"text", text}};
        return std::pair{b.dump(), std::string("application/json")};
    };
    // The browser's session cookie stands where other platforms put a signature.
    p.user = session;
    p.sign = [session](const std::string&) {
        return headers{{"Cookie", "dgw_chat=" + webchat_cookie_value(session)}};
    };
    return p;
}

}  // namespace dgw::test
