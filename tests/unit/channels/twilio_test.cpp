// Golden tests of the Twilio-style SMS adapter: the form payloads in tests/fixtures/twilio/ map
// to events (or to "ignored", or to a 400), the signature matches Twilio's documented worked
// example and is checked against the configured public URL only, and rendering, SMS segment
// counting and classification follow the Messages API.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/twilio.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;
using form = std::vector<std::pair<std::string, std::string>>;

constexpr const char* account_sid = "AC3f1b8c2d4e5f60718293a4b5c6d7e8f9";
constexpr const char* auth_token = "9f8e7d6c5b4a39281706f5e4d3c2b1a0";
constexpr const char* from_number = "+84287101234";
constexpr const char* public_url = "https://gateway.example.gov.vn/webhooks/twilio/sms?ch=lc01";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/twilio/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Twilio's algorithm written out by hand: the URL, then every field sorted by name as
// name + value (decoded), HMAC-SHA1 with the auth token, base64.
std::string sign(const std::string& body, const std::string& url = public_url,
                 const std::string& token = auth_token) {
    form fields;
    EXPECT_TRUE(twilio_adapter::parse_form(body, fields));
    std::sort(fields.begin(), fields.end());
    std::string data = url;
    for (const auto& [k, v] : fields) data += k + v;
    return to_base64(hmac_sha1(token, data));
}

webhook_request request(std::string body, std::optional<std::string> signature = std::nullopt) {
    webhook_request r;
    r.method = "POST";
    r.path = "/webhooks/twilio/sms";
    r.query = "ch=lc01";
    // Behind the proxy: the Host the gateway sees is not the public one.
    r.headers["host"] = "10.0.3.7:8080";
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.headers["x-twilio-signature"] = signature ? *signature : sign(body);
    if (signature && signature->empty()) r.headers.erase("x-twilio-signature");
    r.body = std::move(body);
    return r;
}

twilio_adapter make(std::string api_base = "https://api.twilio.com") {
    return twilio_adapter({account_sid, auth_token, from_number, public_url, std::move(api_base)});
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "ignored"
};

class TwilioGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(TwilioGolden, MapsToTheExpectedEvent) {
    const auto& c = GetParam();
    auto r = make().parse(request(fixture(c.fixture)));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.response_body, "<Response></Response>");
    EXPECT_EQ(r.response_content_type, "text/xml");
    if (std::string(c.expected) == "ignored") {
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.ignored, 1u);
        return;
    }
    EXPECT_EQ(r.ignored, 0u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(json(r.events[0]), json::parse(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, TwilioGolden,
    ::testing::Values(
        golden_case{"sms_vietnamese.txt",
                    R"({"dedup_key":"SM5e2f6a0c9b8d7e6f5a4b3c2d1e0f9a8b","user_id":"+84912345678",
                        "kind":"text",
                        "text":"Đường vào bản Tả Van bị sạt lở, xe không qua được"})"},
        golden_case{"sms_ascii.txt",
                    R"({"dedup_key":"SM11111111111111111111111111111111","user_id":"+14155550123",
                        "kind":"text","text":"Hello, road blocked near km 12 & bridge?"})"},
        golden_case{"mms_media.txt",
                    R"({"dedup_key":"MM7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d","user_id":"+84912345678",
                        "kind":"image","text":"Ổ gà trên quốc lộ 4D","media":[
          "https://api.twilio.com/2010-04-01/Accounts/AC3f1b8c2d4e5f60718293a4b5c6d7e8f9/Messages/MM7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d/Media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f9",
          "https://api.twilio.com/2010-04-01/Accounts/AC3f1b8c2d4e5f60718293a4b5c6d7e8f9/Messages/MM7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d/Media/ME1a1b2c3d4e5f60718293a4b5c6d7e8f9"]})"},
        // A WhatsApp quick-reply button: the payload (the choice's id), not the label it showed.
        golden_case{"whatsapp_button.txt",
                    R"({"dedup_key":"SMb1c2d3e4f5a60718293a4b5c6d7e8f90",
                        "user_id":"whatsapp:+84912345678","kind":"choice","choice_id":"roads"})"},
        golden_case{"status_callback.txt", "ignored"}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(TwilioParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("sms_nfd.txt");
    ASSERT_EQ(body.find("%E1%BB%94"), std::string::npos);  // no precomposed "Ổ" in the fixture
    auto r = make().parse(request(body));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, "Ổ gà trên quốc lộ 4D");
}

// A typed reply that happens to read as a button's label stays text: only ButtonPayload makes
// a choice, and an empty one is no button.
TEST(TwilioParse, OnlyAButtonPayloadMakesAChoice) {
    std::string body = fixture("whatsapp_button.txt");
    const auto at = body.find("&ButtonPayload=roads");
    ASSERT_NE(at, std::string::npos);
    for (const std::string& payload : {std::string(), std::string("&ButtonPayload=")}) {
        std::string b = body;
        b.replace(at, std::string("&ButtonPayload=roads").size(), payload);
        auto r = make().parse(request(b));
        ASSERT_EQ(r.events.size(), 1u) << r.error;
        EXPECT_EQ(r.events[0].kind, core::inbound_kind::text);
        EXPECT_EQ(r.events[0].text, "Giao thông, đường sá");
        EXPECT_TRUE(r.events[0].choice_id.empty());
    }
}

TEST(TwilioParse, ABrokenFormIsABadRequest) {
    const std::string body = fixture("broken_form.txt");
    auto r = make().parse(request(body, "c29tZS1zaWduYXR1cmU="));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(r.events.empty());
}

TEST(TwilioParse, AMessageWithoutSidOrSenderIsABadRequest) {
    for (const std::string& body :
         {std::string("Body=hi&From=%2B84912345678"), std::string("Body=hi&MessageSid=SM1"),
          std::string("Body=hi&MessageSid=SM1&From=%2B8491&NumMedia=1"),
          std::string("Body=hi&MessageSid=SM1&From=%2B8491&NumMedia=x"),
          std::string("Body=hi&MessageSid=SM1&From=%2B8491&NumMedia=99")}) {
        auto r = make().parse(request(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
    }
}

TEST(TwilioParse, FormDecoding) {
    form f;
    ASSERT_TRUE(twilio_adapter::parse_form("a=1+2&b=%C4%90%c6%b0&&c&d=&e=x%3Dy%26z", f));
    EXPECT_EQ(f, (form{{"a", "1 2"}, {"b", "Đư"}, {"c", ""}, {"d", ""}, {"e", "x=y&z"}}));
    EXPECT_TRUE(twilio_adapter::parse_form("", f));
    EXPECT_TRUE(f.empty());
    for (const char* bad : {"a=%", "a=%4", "a=%G1", "%zz=1"})
        EXPECT_FALSE(twilio_adapter::parse_form(bad, f)) << bad;
}

// ---- the signature ------------------------------------------------------------------------

// The worked example of Twilio's webhook security guide and of the SDKs' validator tests:
// auth token 12345, this URL and these fields.
constexpr const char* doc_url = "https://mycompany.com/myapp.php?foo=1&bar=2";

TEST(TwilioSignature, MatchesTwilioDocumentedExamples) {
    const form guide{{"CallSid", "CA1234567890ABCDE"},
                     {"Caller", "+12349013030"},
                     {"Digits", "1234"},
                     {"From", "+12349013030"},
                     {"To", "+18005551212"}};
    EXPECT_EQ(twilio_adapter::signature("12345", doc_url, guide), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    // The SDKs' vector, given out of order: the fields are sorted by name.
    const form sdk{{"To", "+18005551212"},
                   {"From", "+14158675309"},
                   {"Digits", "1234"},
                   {"Caller", "+14158675309"},
                   {"CallSid", "CA1234567890ABCDE"}};
    EXPECT_EQ(twilio_adapter::signature("12345", doc_url, sdk), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST(TwilioSignature, TheDocumentedRequestVerifiesEndToEnd) {
    twilio_adapter a({"ACxxxxxxxx", "12345", "+18005551212", doc_url, "https://api.twilio.com"});
    webhook_request req;
    req.method = "POST";
    req.query = "foo=1&bar=2";
    req.headers["host"] = "internal:8080";
    req.headers["x-twilio-signature"] = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    req.body =
        "Digits=1234&To=%2B18005551212&From=%2B14158675309&Caller=%2B14158675309"
        "&CallSid=CA1234567890ABCDE";
    auto r = a.parse(req);
    EXPECT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.ignored, 1u);  // a voice request, not a message

    req.body.replace(req.body.find("1234"), 4, "9999");
    EXPECT_EQ(a.parse(req).outcome, parse_result::verdict::unauthorized);
}

TEST(TwilioSignature, PlusAndPercentTwentyAreTheSameSpace) {
    const std::string plus = "MessageSid=SM1&From=%2B84912345678&Body=s%E1%BA%A1t+l%E1%BB%9F";
    const std::string pct = "MessageSid=SM1&From=%2B84912345678&Body=s%E1%BA%A1t%20l%E1%BB%9F";
    ASSERT_EQ(sign(plus), sign(pct));
    auto r = make().parse(request(pct, sign(plus)));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, "sạt lở");
}

TEST(TwilioSignature, WrongMissingOrOverTheRequestHostIsUnauthorized) {
    const std::string body = fixture("sms_vietnamese.txt");
    std::string flipped = sign(body);
    flipped[0] = flipped[0] == 'A' ? 'B' : 'A';
    const std::string internal_url = "http://10.0.3.7:8080/webhooks/twilio/sms?ch=lc01";
    for (const std::string& s :
         {std::string(""), flipped, sign(body, internal_url),
          sign(body, "https://gateway.example.gov.vn/webhooks/twilio/sms"),
          sign(body, public_url, "another-token"), sign(body) + "=", std::string(auth_token)}) {
        auto r = make().parse(request(body, s));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << s;
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(auth_token), std::string::npos);
    }
}

TEST(TwilioSignature, StatusCallbacksAreVerifiedAgainstTheStatusUrl) {
    const std::string body = fixture("status_callback.txt");
    const std::string status = "https://gateway.example.gov.vn/webhooks/twilio/sms/status?ch=lc01";
    auto req = request(body, sign(body, status));
    req.path = "/webhooks/twilio/sms/status";
    auto r = make().parse(req);
    EXPECT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.ignored, 1u);
    EXPECT_EQ(r.response_body, "<Response></Response>");
    // Signed for the message URL, posted to /status: refused, and the other way round.
    req.headers["x-twilio-signature"] = sign(body);
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
    req.path = "/webhooks/twilio/sms";
    req.headers["x-twilio-signature"] = sign(body, status);
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
    // Whatever arrives at /status is never a message.
    const std::string sms = fixture("sms_vietnamese.txt");
    auto odd = request(sms, sign(sms, status));
    odd.path = "/webhooks/twilio/sms/status";
    auto o = make().parse(odd);
    EXPECT_EQ(o.outcome, parse_result::verdict::accept);
    EXPECT_TRUE(o.events.empty());
    // Without a query, and with a trailing slash.
    twilio_adapter plain({account_sid, auth_token, from_number,
                          "https://gw.example.vn/webhooks/sms/", "https://api.twilio.com"});
    auto p = request(body, sign(body, "https://gw.example.vn/webhooks/sms/status"));
    p.path = "/webhooks/sms/status";
    EXPECT_EQ(plain.parse(p).outcome, parse_result::verdict::accept);
}

TEST(TwilioSignature, TheRequestHostDoesNotMatter) {
    const std::string body = fixture("sms_vietnamese.txt");
    auto req = request(body);
    for (const char* host : {"10.0.3.7:8080", "gateway.example.gov.vn", "evil.example"}) {
        req.headers["host"] = host;
        req.headers["x-forwarded-host"] = host;
        EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::accept) << host;
    }
}

TEST(TwilioSignature, AnAdapterWithoutTokenOrUrlRejectsEverything) {
    const std::string body = fixture("sms_vietnamese.txt");
    twilio_adapter no_token({account_sid, "", from_number, public_url, "https://api.twilio.com"});
    EXPECT_EQ(no_token.parse(request(body, sign(body, public_url, ""))).outcome,
              parse_result::verdict::unauthorized);
    twilio_adapter no_url({account_sid, auth_token, from_number, "", "https://api.twilio.com"});
    EXPECT_EQ(no_url.parse(request(body, sign(body, ""))).outcome,
              parse_result::verdict::unauthorized);
}

// ---- render -------------------------------------------------------------------------------

form decoded(const send_request& r) {
    form f;
    EXPECT_TRUE(twilio_adapter::parse_form(r.body, f));
    return f;
}

TEST(TwilioRender, OneFormRequestWithBasicAuth) {
    auto reqs =
        make("https://api.twilio.com/").render("+84912345678", {"Cảm ơn bạn! 100% & xong", {}, {}});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, std::string("https://api.twilio.com/2010-04-01/Accounts/") +
                               account_sid + "/Messages.json");
    EXPECT_EQ(
        reqs[0].headers,
        (std::vector<std::pair<std::string, std::string>>{
            {"Content-Type", "application/x-www-form-urlencoded"},
            {"Authorization", "Basic " + to_base64(std::string(account_sid) + ":" + auth_token)}}));
    EXPECT_EQ(reqs[0].body,
              "To=%2B84912345678&From=%2B84287101234"
              "&Body=C%E1%BA%A3m+%C6%A1n+b%E1%BA%A1n%21+100%25+%26+xong");
    // "AC…:token" in base64 is what curl -u sends.
    EXPECT_EQ(to_base64("AC123:tok"), "QUMxMjM6dG9r");
}

TEST(TwilioRender, ChoicesAreNumberedLines) {
    core::outbound_message m{
        "Chọn lĩnh vực:", {{"roads", "Giao thông"}, {"land", "Đất đai"}, {"x", ""}}, {}};
    auto f = decoded(make().render("+84912345678", m).at(0));
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[2], (std::pair<std::string, std::string>{
                        "Body", "Chọn lĩnh vực:\n\n1. Giao thông\n2. Đất đai\n3. x"}));
}

TEST(TwilioRender, LongTextIsOneRequestPer1600Characters) {
    std::string text;
    for (int i = 0; i < 700; ++i) text += i ? " Đường" : "Đường";  // 4 199 characters
    auto reqs = make().render("+84912345678", {text, {}, {}});
    ASSERT_EQ(reqs.size(), 3u);
    std::string joined;
    for (const auto& r : reqs) {
        auto f = decoded(r);
        ASSERT_EQ(f.size(), 3u);
        EXPECT_EQ(f[0].second, "+84912345678");
        EXPECT_LE(core::utf8_length(f[2].second), 1600u);
        joined += (joined.empty() ? "" : " ") + f[2].second;
    }
    EXPECT_EQ(joined, text);
    std::string exact(1600, 'a');
    EXPECT_EQ(make().render("+1", {exact, {}, {}}).size(), 1u);
    EXPECT_EQ(make().render("+1", {exact + "a", {}, {}}).size(), 2u);
}

TEST(TwilioRender, EmptyTextSendsNothing) {
    EXPECT_TRUE(make().render("+84912345678", {"", {{"a", "A"}}, {}}).empty());
    EXPECT_FALSE(make().acknowledge(core::inbound_event{}));
}

// ---- segments -----------------------------------------------------------------------------

TEST(TwilioSegments, Gsm7) {
    EXPECT_EQ(twilio_adapter::segments(""), 0u);
    EXPECT_EQ(twilio_adapter::segments("Hello"), 1u);
    EXPECT_EQ(twilio_adapter::segments(std::string(160, 'a')), 1u);
    EXPECT_EQ(twilio_adapter::segments(std::string(161, 'a')), 2u);
    EXPECT_EQ(twilio_adapter::segments(std::string(306, 'a')), 2u);
    EXPECT_EQ(twilio_adapter::segments(std::string(307, 'a')), 3u);
    // è é ù ì ò à are in the GSM alphabet: this Vietnamese stays GSM-7.
    EXPECT_EQ(twilio_adapter::segments("Xin chào, cám ơn"), 1u);  // "ơ" is not: UCS-2
    EXPECT_EQ(twilio_adapter::segments(std::string(150, 'a') + "Xin chào"), 1u);
    // Extension characters take two septets.
    std::string euros;
    for (int i = 0; i < 80; ++i) euros += "€";
    EXPECT_EQ(twilio_adapter::segments(euros), 1u);
    EXPECT_EQ(twilio_adapter::segments(euros + "{"), 2u);
    // An escape pair never straddles two parts: 152 + "€" does not fit 153.
    EXPECT_EQ(twilio_adapter::segments(std::string(152, 'a') + "€" + std::string(10, 'a')), 2u);
    EXPECT_EQ(twilio_adapter::segments(std::string(152, 'a') + "€" + std::string(152, 'a')), 3u);
}

TEST(TwilioSegments, VietnameseWithDiacriticsIsUcs2) {
    std::string v;
    for (int i = 0; i < 14; ++i) v += "Đường";  // 70 characters
    EXPECT_EQ(twilio_adapter::segments(v), 1u);
    EXPECT_EQ(twilio_adapter::segments(v + "a"), 2u);
    std::string w;
    for (int i = 0; i < 134; ++i) w += "ư";
    EXPECT_EQ(twilio_adapter::segments(w), 2u);
    EXPECT_EQ(twilio_adapter::segments(w + "ư"), 3u);
    // An emoji is two UTF-16 units.
    std::string e;
    for (int i = 0; i < 35; ++i) e += "👍";
    EXPECT_EQ(twilio_adapter::segments(e), 1u);
    EXPECT_EQ(twilio_adapter::segments(e + "a"), 2u);
    EXPECT_EQ(twilio_adapter::segments("Đường vào bản Tả Van bị sạt lở, xe không qua được"), 1u);
}

// ---- classify -----------------------------------------------------------------------------

TEST(TwilioClassify, CreatedIsSent) {
    EXPECT_EQ(
        make().classify(201, R"({"sid":"SM0123","status":"queued","num_segments":"1"})").outcome,
        send_verdict::kind::sent);
    EXPECT_EQ(make().classify(200, "{}").outcome, send_verdict::kind::sent);
}

TEST(TwilioClassify, RateLimitsAndServerErrorsRetry) {
    auto v = make().classify(429, R"({"code":20429,"message":"Too Many Requests",
        "more_info":"https://www.twilio.com/docs/errors/20429","status":429})");
    EXPECT_EQ(v.outcome, send_verdict::kind::retry);
    EXPECT_EQ(v.reason, "Too Many Requests (20429)");
    for (unsigned s : {500u, 502u, 503u})
        EXPECT_EQ(make().classify(s, "").outcome, send_verdict::kind::retry) << s;
}

TEST(TwilioClassify, UnsubscribedAndInvalidNumbersArePermanent) {
    auto stop = make().classify(400, R"({"code":21610,"message":"Attempt to send to )"
                                     R"(unsubscribed recipient","more_info":)"
                                     R"("https://www.twilio.com/docs/errors/21610","status":400})");
    EXPECT_EQ(stop.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(stop.reason, "unsubscribed: the recipient sent STOP");
    auto bad = make().classify(400, R"({"code":21211,"message":"The 'To' number +8400 is )"
                                    R"(not a valid phone number.","status":400})");
    EXPECT_EQ(bad.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(bad.reason, "invalid phone number");
}

TEST(TwilioClassify, OtherClientErrorsArePermanentWithTheMessage) {
    auto v = make().classify(400, R"({"code":21602,"message":"Message body is required.",
        "status":400})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "Message body is required. (21602)");
    EXPECT_EQ(
        make().classify(401, R"({"code":20003,"message":"Authenticate","status":401})").outcome,
        send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(404, "").reason, "HTTP 404");
}

TEST(TwilioClassify, TheTokenNeverAppearsInAReason) {
    auto v =
        make().classify(400, std::string(R"({"code":1,"message":"bad )") + auth_token + R"("})");
    EXPECT_EQ(v.reason.find(auth_token), std::string::npos);
}

// ---- media: the MediaUrl on Twilio's API, with the account's Basic auth ---------------------

TEST(TwilioMedia, AnMmsPhotoIsItsMediaUrlFetchedWithBasicAuth) {
    const auto a = make();
    EXPECT_TRUE(a.fetches_media());
    EXPECT_TRUE(a.media_lookup_is_download()) << "Twilio answers the bytes, or redirects to them";
    // The URLs the MMS carried are its media ids.
    auto r = a.parse(request(fixture("mms_media.txt")));
    ASSERT_EQ(r.events.size(), 1u);
    ASSERT_EQ(r.events[0].media.size(), 2u);
    const std::string url = std::string("https://api.twilio.com/2010-04-01/Accounts/") +
                            account_sid +
                            "/Messages/MM7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d/Media/"
                            "ME0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    ASSERT_EQ(r.events[0].media[0], url);

    auto req = a.media_lookup(r.events[0].media[0]);
    ASSERT_TRUE(req);
    EXPECT_EQ(req->method, "GET");
    EXPECT_EQ(req->url, url);
    EXPECT_EQ(req->body, "");
    EXPECT_EQ(req->headers,
              (std::vector<std::pair<std::string, std::string>>{
                  {"Authorization",
                   "Basic " + to_base64(std::string(account_sid) + ":" + auth_token)}}));
    EXPECT_TRUE(a.media_lookup(r.events[0].media[1]));
    // There is no second step: the fetcher follows Twilio's redirect to its CDN itself.
    EXPECT_FALSE(a.media_download(307, ""));
}

TEST(TwilioMedia, ATestPointsTheApiAtItsMock) {
    const auto a = make("http://127.0.0.1:8081/");
    const std::string url = std::string("http://127.0.0.1:8081/2010-04-01/Accounts/") +
                            account_sid + "/Messages/MM1/Media/ME2";
    ASSERT_TRUE(a.media_lookup(url));
    EXPECT_EQ(a.media_lookup(url)->url, url);
    EXPECT_FALSE(a.media_lookup(std::string("https://api.twilio.com/2010-04-01/Accounts/") +
                                account_sid + "/Messages/MM1/Media/ME2"));
}

TEST(TwilioMedia, TheCredentialsGoOnlyToThisAccountsMediaAtTwilio) {
    const auto a = make();
    const std::string account = std::string("https://api.twilio.com/2010-04-01/Accounts/") +
                                account_sid;
    for (const std::string& bad :
         {std::string("https://evil.example/2010-04-01/Accounts/") + account_sid +
              "/Messages/MM1/Media/ME1",
          std::string("https://api.twilio.com.evil.example/2010-04-01/Accounts/") + account_sid +
              "/Messages/MM1/Media/ME1",
          std::string("https://api.twilio.com@evil.example/2010-04-01/Accounts/") + account_sid +
              "/Messages/MM1/Media/ME1",
          std::string("http://api.twilio.com/2010-04-01/Accounts/") + account_sid +
              "/Messages/MM1/Media/ME1",
          std::string("https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000"
                      "/Messages/MM1/Media/ME1"),
          account + "/Messages/MM1/Media/ME1.json", account + "/Messages/MM1/Media/ME1?x=1",
          account + "/Messages/MM1/Media/", account + "/Messages/MM1/Media/ME1/x",
          account + "/Messages/../Calls/CA1/Media/ME1", account + "/Messages/MM1.json",
          account + "/Messages/MM1/Media/ME1 x", account + "/Messages/MM1/Media/ME1#f",
          account + "/Recordings/RE1", std::string("ME0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
          std::string("")})
        EXPECT_FALSE(a.media_lookup(bad)) << bad;
    EXPECT_TRUE(a.media_lookup(account + "/Messages/MM1/Media/ME1"));
    // An adapter without an account never fetches.
    EXPECT_FALSE(twilio_adapter({"", auth_token, from_number, public_url, "https://api.twilio.com"})
                     .media_lookup("https://api.twilio.com/2010-04-01/Accounts//Messages/MM1/Media/ME1"));
}

}  // namespace
}  // namespace dgw::channels
