#pragma once
// The messaging platforms as a test sees them: a channel of each type with its settings, one
// citizen on it, and that citizen's messages as the platform posts them, signed exactly as the
// platform signs (computed with OpenSSL directly, not with the adapters' code). Shared by the
// end-to-end tests of every channel.

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dgw::test {

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

platform telegram(std::string user = "880011223");
platform zalo(std::string user = "7612345678901234567");
platform messenger(std::string user = "6543210987654321");
platform whatsapp(std::string user = "84912345678");
platform viber(std::string user = "01234567890A=");
platform line(std::string user = "U4af4980629f0e2a1d0f3b6a7c8d9e0f1");
platform twilio(std::string user = "+84912345678");
/// Zalo's OAuth and send API answers, as the tests of its token refresh need them.
namespace zalo_api {
inline constexpr const char* refresh_path = "/v4/oa/access_token";
inline constexpr const char* sent = R"({"error":0,"message":"Success","data":{"message_id":"m1"}})";
inline constexpr const char* expired = R"({"error":-216,"message":"Access token is invalid"})";
inline constexpr const char* bad_refresh =
    R"({"error_name":"Invalid parameter","error_reason":"Invalid refresh token",)"
    R"("error_description":"Refresh token is invalid","error":-14014})";
}  // namespace zalo_api

/// The key a test gateway signs web chat sessions with (config webchat.session_key).
inline constexpr const char* webchat_key = "test-webchat-key-0123456789abcdef0123";
/// The `dgw_chat` cookie value a gateway with webchat_key issues for `session` (32 hex digits).
std::string webchat_cookie_value(const std::string& session);
/// The web chat: `session` is the browser's session, sent in the cookie the gateway signed
/// (it stands for a signature); `user` is the session.
platform webchat(std::string session = "0123456789abcdef0123456789abcdef");

/// `v` percent-encoded as a form value.
std::string form_encode(const std::string& v);

}  // namespace dgw::test
