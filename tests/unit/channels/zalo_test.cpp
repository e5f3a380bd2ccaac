// Golden tests of the Zalo OA v3 adapter: every payload in tests/fixtures/zalo/ maps to one
// normalised event (or to "ignored", or to a 400), the mac= signature has its negative cases,
// and rendering and classification follow the OpenAPI v3 consultation message.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/zalo.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* app_id = "3146720958842301157";
constexpr const char* oa_secret = "oa-Secret_Key-LaoCai-2026";
constexpr const char* app_secret = "app-SECRET-9f8e7d6c5b4a";
constexpr const char* access_token = "zA9kQ_3v-access-TOKEN_7rT2xWq8LmN0pB5";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/zalo/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The body's timestamp as Zalo signs it: the string, or the integer's digits.
std::string timestamp_of(const std::string& body) {
    auto j = json::parse(body);
    const auto& ts = j.at("timestamp");
    return ts.is_string() ? ts.get<std::string>() : ts.dump();
}

std::string sign(const std::string& body, const std::string& ts, std::string key = oa_secret) {
    return "mac=" + to_hex(sha256(std::string(app_id) + body + ts + key));
}

webhook_request request(std::string body, std::optional<std::string> signature) {
    webhook_request r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers["content-type"] = "application/json";
    if (signature) r.headers["x-zevent-signature"] = *signature;
    return r;
}

webhook_request signed_request(std::string body) {
    auto ts = timestamp_of(body);
    auto sig = sign(body, ts);
    return request(std::move(body), std::move(sig));
}

zalo_settings settings(std::string api_base = "https://openapi.zalo.me") {
    return {app_id, oa_secret, app_secret, access_token, std::move(api_base)};
}

zalo_adapter make(std::string api_base = "https://openapi.zalo.me") {
    return zalo_adapter(settings(std::move(api_base)));
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "ignored"
};

class ZaloGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(ZaloGolden, MapsToTheExpectedEvent) {
    const auto& c = GetParam();
    auto r = make().parse(signed_request(fixture(c.fixture)));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.response_body, "{}");
    if (std::string(c.expected) == "ignored") {
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.ignored, 1u);
        return;
    }
    EXPECT_EQ(r.ignored, 0u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(json(r.events[0]), json::parse(c.expected));
    EXPECT_FALSE(make().acknowledge(r.events[0]));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ZaloGolden,
    ::testing::Values(
        golden_case{"text_plain.json",
                    R"({"dedup_key":"cb31dff1c39642cc1b83","user_id":"4172906385014736512",
                        "kind":"text","text":"Xin chao"})"},
        golden_case{"text_diacritics.json",
                    R"({"dedup_key":"a7f0e2c4d1b83a9e5c21","user_id":"4172906385014736512",
                        "kind":"text","text":"Đường vào bản Tả Van bị sạt lở"})"},
        golden_case{"image.json",
                    R"({"dedup_key":"9e1b3c5d7f092a4c6e8b","user_id":"4172906385014736512",
                        "kind":"image","text":"Ổ gà trên quốc lộ 4D",
                        "media":["https://photo-stal-18.zdn.vn/jpg/bd6a1f7c3e2d.jpg"]})"},
        golden_case{"image_two.json",
                    R"({"dedup_key":"0b2d4f6a8c1e3a5c7e9a","user_id":"4172906385014736512",
                        "kind":"image",
                        "media":["https://photo-stal-18.zdn.vn/jpg/11aa.jpg",
                                 "https://photo-stal-18.zdn.vn/thumb/jpg/22bb.jpg"]})"},
        golden_case{"location.json",
                    R"({"dedup_key":"b8de7d84fa1b3043690c","user_id":"4172906385014736512",
                        "kind":"location","lat":22.336331,"lon":103.843761})"},
        golden_case{"location_numbers.json",
                    R"({"dedup_key":"c1e3a5b7d9f0214365a7","user_id":"4172906385014736512",
                        "kind":"location","lat":22.484,"lon":103.9705})"},
        golden_case{"timestamp_number.json",
                    R"({"dedup_key":"f6b8d0e2a4c6e8a0b2d4","user_id":"4172906385014736512",
                        "kind":"text","text":"Chào OA"})"},
        // Above 2^63: only exact text keeps it (a double would end in ...7168).
        golden_case{"huge_id.json",
                    R"({"dedup_key":"a1c3e5a7b9d1f3a5c7e9","user_id":"9872345601234567890",
                        "kind":"text","text":"Tôi muốn hỏi về đất đai"})"},
        // Following the OA: transaction messages may reach the citizen after 48 hours.
        golden_case{"follow.json",
                    R"({"dedup_key":"follow:4172906385014736512:1764148100230",
                        "user_id":"4172906385014736512","kind":"permission",
                        "permission":{"kind":"follow","granted":true}})"},
        // The request_user_info form filled in: the phone number only, as a shared contact.
        golden_case{"user_submit_info.json",
                    R"({"dedup_key":"submit_info:4172906385014736512:1764148200450",
                        "user_id":"4172906385014736512","kind":"contact",
                        "phone":"84912345678"})"},
        golden_case{"sticker.json", "ignored"}, golden_case{"oa_echo.json", "ignored"},
        golden_case{"seen.json", "ignored"}, golden_case{"received.json", "ignored"},
        golden_case{"no_msg_id.json", "ignored"}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(ZaloParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    ASSERT_EQ(body.find(nfc_text), std::string::npos);
    auto r = make().parse(signed_request(body));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
    EXPECT_EQ(r.events[0].dedup_key, "4d2c9b1e7a0f38c6e5d3");
}

TEST(ZaloParse, TheSameMessageTwiceHasTheSameDedupKey) {
    auto a = make().parse(signed_request(fixture("text_diacritics.json")));
    auto b = make().parse(signed_request(fixture("text_diacritics.json")));
    ASSERT_EQ(a.events.size(), 1u);
    ASSERT_EQ(b.events.size(), 1u);
    EXPECT_EQ(a.events[0].dedup_key, b.events[0].dedup_key);
}

TEST(ZaloParse, BrokenJsonIsABadRequest) {
    auto r = make().parse(request(fixture("broken_json.json"), "mac=00"));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(r.events.empty());
}

TEST(ZaloParse, MalformedEventsAreBadRequests) {
    for (const std::string& body : {
             std::string(R"({"timestamp":"1"})"),  // no event_name
             std::string(R"({"event_name":"user_send_text","timestamp":1.5e12,)"
                         R"("sender":{"id":"1"},"message":{"msg_id":"m","text":"x"}})"),
             std::string(R"({"event_name":"user_send_text","timestamp":"1",)"
                         R"("message":{"msg_id":"m","text":"x"}})"),  // no sender
             std::string(R"({"event_name":"user_send_text","timestamp":"1",)"
                         R"("sender":{"id":1.5},"message":{"msg_id":"m","text":"x"}})"),
             std::string(R"({"event_name":"user_send_text","timestamp":"1",)"
                         R"("sender":{"id":"1"},"message":{"msg_id":"m"}})"),  // no text
             std::string(R"({"event_name":"user_send_text","timestamp":"1",)"
                         R"("sender":{"id":"1"},"message":"x"})"),
             std::string(R"({"event_name":"user_send_location","timestamp":"1",)"
                         R"("sender":{"id":"1"},"message":{"msg_id":"m","attachments":[]}})"),
             std::string(R"({"event_name":"user_send_location","timestamp":"1",)"
                         R"("sender":{"id":"1"},"message":{"msg_id":"m","attachments":[{)"
                         R"("type":"location","payload":{"coordinates":{"latitude":"91",)"
                         R"("longitude":"103.8"}}}]}})"),
             std::string(R"({"event_name":"user_send_location","timestamp":"1",)"
                         R"("sender":{"id":"1"},"message":{"msg_id":"m","attachments":[{)"
                         R"("type":"location","payload":{"coordinates":{"latitude":"22,3",)"
                         R"("longitude":"103.8"}}}]}})"),
         }) {
        std::string ts = "1";
        auto r = make().parse(request(body, sign(body, ts)));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
        EXPECT_EQ(r.status, 400u);
        EXPECT_TRUE(r.events.empty());
    }
}

TEST(ZaloParse, AnImageWithoutALinkIsIgnored) {
    const std::string body =
        R"({"event_name":"user_send_image","timestamp":"1","sender":{"id":"1"},)"
        R"("message":{"msg_id":"m","attachments":[{"type":"image","payload":{}}]}})";
    auto r = make().parse(request(body, sign(body, "1")));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.ignored, 1u);
}

// ---- parse: the signature ---------------------------------------------------------------

TEST(ZaloSignature, GoldenMacOverNonAsciiBody) {
    // Computed independently (Python hashlib) over app_id + the fixture's bytes + its
    // timestamp + the OA secret key: guards the order of the parts.
    const std::string body = fixture("text_diacritics.json");
    ASSERT_NE(body.find("Đường"), std::string::npos);
    const std::string mac =
        "mac=1aee32a445f937f783f242021d79acea54408eca02ae4729d8e6495f41da1804";
    EXPECT_EQ(sign(body, "1764147662017"), mac);
    auto r = make().parse(request(body, mac));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 1u);
    // Upper-case hex and surrounding spaces are the same signature.
    std::string upper = mac;
    for (std::size_t i = 4; i < upper.size(); ++i)
        if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 32);
    EXPECT_EQ(make().parse(request(body, " " + upper)).outcome, parse_result::verdict::accept);
}

TEST(ZaloSignature, MissingWrongOrMisbuiltIsUnauthorized) {
    const std::string body = fixture("text_diacritics.json");
    const std::string ts = "1764147662017";
    std::string wrong = sign(body, ts);
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    const std::string hex_only = sign(body, ts).substr(4);
    const std::string hmac_instead =
        "mac=" + to_hex(hmac_sha256(oa_secret, std::string(app_id) + body + ts));
    for (const std::optional<std::string>& h : {
             std::optional<std::string>{},
             std::optional<std::string>{""},
             std::optional<std::string>{"mac="},
             std::optional<std::string>{wrong},
             std::optional<std::string>{hex_only},                        // no mac= prefix
             std::optional<std::string>{sign(body, ts, app_secret)},      // app secret
             std::optional<std::string>{sign(body, "1764147662018")},     // other timestamp
             std::optional<std::string>{sign(body + " ", ts)},            // other bytes
             std::optional<std::string>{hmac_instead},
         }) {
        auto r = make().parse(request(body, h));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << h.value_or("<none>");
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(oa_secret), std::string::npos);
    }
}

TEST(ZaloSignature, BodyChangedAfterSigningIsUnauthorized) {
    std::string body = fixture("text_diacritics.json");
    auto sig = sign(body, timestamp_of(body));
    body.replace(body.find("Tả Van"), std::string("Tả Van").size(), "Tà Xùa");
    EXPECT_EQ(make().parse(request(body, sig)).outcome, parse_result::verdict::unauthorized);
}

TEST(ZaloSignature, MissingHeaderIsCheckedBeforeTheBody) {
    auto r = make().parse(request("{not json", std::nullopt));
    EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized);
}

TEST(ZaloSignature, AnAdapterWithoutKeysRejectsEverything) {
    const std::string body = fixture("text_plain.json");
    auto ts = timestamp_of(body);
    auto no_key = settings();
    no_key.oa_secret_key.clear();
    const std::string without_key = "mac=" + to_hex(sha256(app_id + body + ts));
    EXPECT_EQ(zalo_adapter(no_key).parse(request(body, without_key)).outcome,
              parse_result::verdict::unauthorized);
    auto no_app = settings();
    no_app.app_id.clear();
    const std::string without_app = "mac=" + to_hex(sha256(body + ts + oa_secret));
    EXPECT_EQ(zalo_adapter(no_app).parse(request(body, without_app)).outcome,
              parse_result::verdict::unauthorized);
}

// ---- render -----------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

TEST(ZaloRender, TextGoesToTheCsEndpointWithTheTokenHeader) {
    auto reqs = make("https://openapi.zalo.me/")
                    .render("9872345601234567890", {"Cảm ơn bạn!", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, "https://openapi.zalo.me/v3.0/oa/message/cs");
    EXPECT_EQ(reqs[0].headers, (std::vector<std::pair<std::string, std::string>>{
                                   {"Content-Type", "application/json"},
                                   {"access_token", access_token}}));
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"recipient":{"user_id":"9872345601234567890"},
                                                "message":{"text":"Cảm ơn bạn!"}})"));
    EXPECT_EQ(reqs[0].url.find(access_token), std::string::npos);
}

// Asked for a phone number, a citizen on Zalo also gets the form that shares their account's
// number with a tap, when the OA has a picture for it; otherwise only the question.
TEST(ZaloRender, APhoneQuestionAddsTheShareForm) {
    core::outbound_message m{"Số điện thoại?", {{"anon", "Ẩn danh"}}, core::input_hint::phone};
    EXPECT_EQ(make().render("4172906385014736512", m).size(), 1u);
    auto s = settings();
    s.share_phone_image = "https://oa.example.vn/share-phone.png";
    auto reqs = zalo_adapter(s).render("4172906385014736512", m);
    ASSERT_EQ(reqs.size(), 2u);
    const auto form = json::parse(reqs[1].body);
    EXPECT_EQ(reqs[1].url, "https://openapi.zalo.me/v3.0/oa/message/cs");
    EXPECT_EQ(form["recipient"]["user_id"], "4172906385014736512");
    const auto& payload = form["message"]["attachment"]["payload"];
    EXPECT_EQ(payload["template_type"], "request_user_info");
    EXPECT_EQ(payload["elements"][0]["image_url"], "https://oa.example.vn/share-phone.png");
    m.hint = core::input_hint::text;
    EXPECT_EQ(zalo_adapter(s).render("4172906385014736512", m).size(), 1u);
}

TEST(ZaloRender, ChoicesBecomeNumberedLines) {
    core::outbound_message m{
        "Chọn lĩnh vực:", {{"roads", "Giao thông"}, {"land", "Đất đai"}, {"other", ""}},
        core::input_hint::choice};
    auto reqs = make("http://127.0.0.1:5000").render("4172906385014736512", m);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].url, "http://127.0.0.1:5000/v3.0/oa/message/cs");
    EXPECT_EQ(body_of(reqs[0])["message"]["text"],
              "Chọn lĩnh vực:\n1. Giao thông\n2. Đất đai\n3. other");
}

TEST(ZaloRender, LongTextIsSplitAt2000Characters) {
    std::string text;
    for (int i = 0; i < 1000; ++i) text += "Đường ";  // 6 000 characters
    core::outbound_message m{text, {{"ok", "Đồng ý"}}, core::input_hint::choice};
    auto reqs = make().render("1", m);
    ASSERT_GE(reqs.size(), 4u);
    std::string joined;
    for (const auto& r : reqs) {
        auto t = body_of(r)["message"]["text"].get<std::string>();
        EXPECT_LE(text_length(t, length_unit::code_points), zalo_adapter::max_text_length);
        EXPECT_FALSE(t.empty());
        joined += t;
    }
    EXPECT_NE(body_of(reqs.back())["message"]["text"].get<std::string>().find("\n1. Đồng ý"),
              std::string::npos);
    EXPECT_EQ(body_of(reqs.front())["message"]["text"].get<std::string>().find("1. Đồng ý"),
              std::string::npos);
}

TEST(ZaloRender, EmptyMessageRendersNothing) {
    EXPECT_TRUE(make().render("1", {"", {}, core::input_hint::none}).empty());
}

TEST(ZaloRender, InvalidUtf8DoesNotThrow) {
    auto reqs = make().render("1", {std::string("ab\xff\xfe") + "c", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_NO_THROW((void)body_of(reqs[0]));
}

// ---- classify ---------------------------------------------------------------------------

TEST(ZaloClassify, ErrorZeroIsSent) {
    auto v = make().classify(
        200, R"({"data":{"message_id":"e5a7c9b1d3f5a7c9e1b3","user_id":"4172906385014736512"},
                 "error":0,"message":"Success"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::sent);
}

TEST(ZaloClassify, InvalidTokenAsksForReauth) {
    auto v = make().classify(200, R"({"error":-216,"message":"Access token is invalid"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::reauth);
    EXPECT_FALSE(v.reason.empty());
    EXPECT_EQ(make().classify(401, R"({"error":-216,"message":"x"})").outcome,
              send_verdict::kind::reauth);
}

TEST(ZaloClassify, RateLimitsAndServerErrorsAreRetried) {
    EXPECT_EQ(make().classify(200, R"({"error":-32,"message":"Exceed limit request"})").outcome,
              send_verdict::kind::retry);
    EXPECT_EQ(make().classify(429, "").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(500, "").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(503, "<html>busy</html>").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(302, "").outcome, send_verdict::kind::retry);
}

TEST(ZaloClassify, OtherErrorsArePermanentWithZalosMessage) {
    auto v = make().classify(
        200, R"({"error":-213,"message":"User has not followed OA or blocked OA"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "User has not followed OA or blocked OA");
    EXPECT_EQ(make().classify(200, R"({"error":-201})").reason, "Zalo error -201");
    EXPECT_EQ(make().classify(200, "not json").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(404, "").outcome, send_verdict::kind::permanent);
}

TEST(ZaloClassify, ReasonsNeverCarrySecrets) {
    const std::string body = std::string(R"({"error":-124,"message":"bad token )") +
                             access_token + " " + oa_secret + " " + app_secret + R"("})";
    auto v = make().classify(200, body);
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason.find(access_token), std::string::npos);
    EXPECT_EQ(v.reason.find(oa_secret), std::string::npos);
    EXPECT_EQ(v.reason.find(app_secret), std::string::npos);
    EXPECT_LE(make().classify(200, R"({"error":-1,"message":")" + std::string(1000, 'x') + "\"}")
                  .reason.size(),
              300u);
}

// ---- token refresh ----------------------------------------------------------------------

TEST(ZaloRender, TheContextsAccessTokenReplacesTheConfiguredOne) {
    render_context ctx;
    ctx.access_token = "refreshed-ACCESS-1";
    auto reqs = make().render("1", {"Xin chào", {}, core::input_hint::none}, ctx);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].headers.back(), (std::pair<std::string, std::string>{
                                          "access_token", "refreshed-ACCESS-1"}));
    // Without one (an empty context), the configured token.
    reqs = make().render("1", {"Xin chào", {}, core::input_hint::none}, render_context{});
    EXPECT_EQ(reqs[0].headers.back().second, access_token);
}

TEST(ZaloRefresh, RendersTheV4OAuthRequest) {
    auto s = settings();
    s.oauth_base = "http://127.0.0.1:5001/";
    const zalo_adapter a(s);
    EXPECT_TRUE(a.refreshes_tokens());
    auto r = a.render_refresh("rT0k+en/with=odd&chars");
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, "http://127.0.0.1:5001/v4/oa/access_token");
    EXPECT_EQ(r.headers, (std::vector<std::pair<std::string, std::string>>{
                             {"Content-Type", "application/x-www-form-urlencoded"},
                             {"secret_key", app_secret}}));
    EXPECT_EQ(r.body, std::string("refresh_token=rT0k%2Ben%2Fwith%3Dodd%26chars&app_id=") + app_id +
                          "&grant_type=refresh_token");
    EXPECT_EQ(make().render_refresh("x").url, "https://oauth.zaloapp.com/v4/oa/access_token");
}

TEST(ZaloRefresh, ReadsTheNewPairWithExpiresInAsAString) {
    auto v = make().read_refresh(
        200, R"({"access_token":"new-access","refresh_token":"new-refresh","expires_in":"90000"})");
    EXPECT_EQ(v.outcome, refresh_verdict::kind::refreshed);
    EXPECT_EQ(v.tokens.access_token, "new-access");
    EXPECT_EQ(v.tokens.refresh_token, "new-refresh");
    EXPECT_EQ(v.tokens.expires_in, std::chrono::seconds(90000));
    // A number is taken too; a missing or odd expiry is unknown (0), not an error.
    auto number = make().read_refresh(
        200, R"({"access_token":"a","refresh_token":"r","expires_in":3600})");
    EXPECT_EQ(number.tokens.expires_in, std::chrono::seconds(3600));
    auto odd = make().read_refresh(
        200, R"({"access_token":"a","refresh_token":"r","expires_in":"soon"})");
    EXPECT_EQ(odd.outcome, refresh_verdict::kind::refreshed);
    EXPECT_EQ(odd.tokens.expires_in, std::chrono::seconds(0));
}

TEST(ZaloRefresh, AnErrorObjectRejectsTheRefreshToken) {
    auto v = make().read_refresh(
        200, R"({"error_name":"Invalid parameter","error_reason":"Invalid refresh token",
                 "ref_doc":"https://developers.zalo.me/docs",
                 "error_description":"Refresh token is invalid",
                 "error":-14014})");
    EXPECT_EQ(v.outcome, refresh_verdict::kind::rejected);
    EXPECT_EQ(v.reason, "Zalo error -14014: Refresh token is invalid");
    EXPECT_EQ(make().read_refresh(400, "").outcome, refresh_verdict::kind::rejected);
    // A half pair is no pair.
    EXPECT_NE(make().read_refresh(200, R"({"access_token":"a","error":-14002})").outcome,
              refresh_verdict::kind::refreshed);
    // The app secret never reaches a reason.
    auto leak = make().read_refresh(
        200, std::string(R"({"error":-14001,"error_description":"bad secret_key )") + app_secret +
                 "\"}");
    EXPECT_EQ(leak.reason.find(app_secret), std::string::npos);
}

TEST(ZaloRefresh, NoUsableAnswerIsRetried) {
    EXPECT_EQ(make().read_refresh(500, "").outcome, refresh_verdict::kind::retry);
    EXPECT_EQ(make().read_refresh(429, "{}").outcome, refresh_verdict::kind::retry);
    EXPECT_EQ(make().read_refresh(200, "<html>proxy</html>").outcome, refresh_verdict::kind::retry);
    EXPECT_EQ(make().read_refresh(200, "{}").outcome, refresh_verdict::kind::retry);
}

TEST(ZaloMedia, APhotoIsTheUrlItsEventCarriedFetchedAsItIs) {
    auto z = make();
    EXPECT_TRUE(z.fetches_media());
    EXPECT_TRUE(z.media_lookup_is_download()) << "no second step";
    auto r = z.media_lookup("https://photo-stal-9.zdn.vn/0a1b2c/photo.jpg");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, "GET");
    EXPECT_EQ(r->url, "https://photo-stal-9.zdn.vn/0a1b2c/photo.jpg");
    EXPECT_FALSE(z.media_lookup("not a url"));
}

}  // namespace
}  // namespace dgw::channels
