// Golden tests of the Viber adapter: every callback in tests/fixtures/viber/ maps to one
// normalised event (or to "ignored", or to a 400), the HMAC signature has its negative cases,
// and rendering and classification follow the REST bot API's send_message.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/viber.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* token = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/viber/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string sign(const std::string& body, std::string key = token) {
    return to_hex(hmac_sha256(key, body));
}

webhook_request request(std::string body, std::optional<std::string> signature) {
    webhook_request r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers["content-type"] = "application/json";
    if (signature) r.headers["x-viber-content-signature"] = *signature;
    return r;
}

webhook_request signed_request(std::string body) {
    auto sig = sign(body);
    return request(std::move(body), std::move(sig));
}

viber_adapter make(std::string api_base = "https://chatapi.viber.com") {
    return viber_adapter({token, "Đối thoại Lào Cai", std::move(api_base)});
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "ignored"
};

class ViberGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(ViberGolden, MapsToTheExpectedEvent) {
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
    Fixtures, ViberGolden,
    ::testing::Values(
        // 5491463539446537217 > 2^53: as a double it would read ...7216.
        golden_case{"text_plain.json",
                    R"({"dedup_key":"5491463539446537217","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"text","text":"Xin chao","display_name":"Lan Nguyễn",
                        "language":"vi"})"},
        golden_case{"text_diacritics.json",
                    R"({"dedup_key":"5491463812093145088","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"text","text":"Đường vào bản Tả Van bị sạt lở",
                        "display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"picture.json",
                    R"({"dedup_key":"5491464321045872641","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"image","text":"Ổ gà trên quốc lộ 4D",
    "media":["https://dl-media.viber.com/5/share/2/long/95e0/5688fdffdaa81f9b.jpg"],
                        "display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"location.json",
                    R"({"dedup_key":"5491464500912873472","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"location","lat":22.336331,"lon":103.843761,
                        "display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"contact.json",
                    R"({"dedup_key":"5491464702318950401","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"contact","phone":"+84912345678","display_name":"Lan Nguyễn",
                        "language":"vi"})"},
        golden_case{"sticker.json", "ignored"}, golden_case{"conversation_started.json", "ignored"},
        golden_case{"webhook.json", "ignored"}, golden_case{"delivered.json", "ignored"},
        golden_case{"seen.json", "ignored"}, golden_case{"failed.json", "ignored"},
        // Whether the bot may still send to the citizen: kept as a permission.
        golden_case{"subscribed.json",
                    R"({"dedup_key":"5491465300000000001","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"permission","permission":{"kind":"subscription","granted":true}})"},
        golden_case{"unsubscribed.json",
                    R"({"dedup_key":"5491465400000000001","user_id":"pttm25kSGUo1919sBORWyA==",
                        "kind":"permission",
                        "permission":{"kind":"subscription","granted":false}})"}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(ViberParse, MessageTokenAbove2To53IsExact) {
    auto r = make().parse(signed_request(fixture("text_plain.json")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].dedup_key, "5491463539446537217");
    // What reading it as a double would have given.
    EXPECT_NE(r.events[0].dedup_key, "5491463539446537216");
}

TEST(ViberParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    ASSERT_EQ(body.find(nfc_text), std::string::npos);
    auto r = make().parse(signed_request(body));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
    EXPECT_EQ(r.events[0].dedup_key, "5491463990217719811");
}

TEST(ViberParse, TheSameMessageTwiceHasTheSameDedupKey) {
    auto a = make().parse(signed_request(fixture("contact.json")));
    auto b = make().parse(signed_request(fixture("contact.json")));
    ASSERT_EQ(a.events.size(), 1u);
    ASSERT_EQ(b.events.size(), 1u);
    EXPECT_EQ(a.events[0].dedup_key, b.events[0].dedup_key);
}

TEST(ViberParse, BrokenJsonIsABadRequest) {
    auto r = make().parse(signed_request(fixture("broken_json.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(r.events.empty());
}

TEST(ViberParse, MalformedCallbacksAreBadRequests) {
    const std::string s = R"("sender":{"id":"u1","name":"A"})";
    for (const std::string& body : {
             std::string("{}"),
             std::string("[]"),
             std::string(R"({"event":5})"),
             std::string(R"({"event":"message","message_token":1,"message":{"type":"text",)"
                         R"("text":"x"}})"),  // no sender
             std::string(R"({"event":"message",)") + s +
                 R"(,"message":{"type":"text","text":"x"}})",  // no token
             std::string(R"({"event":"message","message_token":5.491463539446537e18,)") + s +
                 R"(,"message":{"type":"text","text":"x"}})",  // token already rounded
             std::string(R"({"event":"message","message_token":1,)") + s +
                 R"(,"message":{"type":"text"}})",
             std::string(R"({"event":"message","message_token":1,)") + s +
                 R"(,"message":{"type":"location","location":{"lat":"22.3","lon":103.8}}})",
             std::string(R"({"event":"message","message_token":1,)") + s +
                 R"(,"message":{"type":"location","location":{"lat":22.3,"lon":181}}})",
             std::string(R"({"event":"message","message_token":1,)") + s +
                 R"(,"message":{"type":"contact","contact":{"name":"A"}}})",
             std::string(R"({"event":"message","message_token":1,)") + s + R"(,"message":[]})",
         }) {
        auto r = make().parse(signed_request(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
        EXPECT_EQ(r.status, 400u);
    }
}

TEST(ViberParse, UnknownCallbackIsIgnored) {
    auto r = make().parse(signed_request(R"({"event":"client_status","timestamp":1})"));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.ignored, 1u);
}

// ---- parse: the signature ---------------------------------------------------------------

TEST(ViberSignature, GoldenHmacOverNonAsciiBody) {
    // Computed independently (Python hmac) over the fixture's raw bytes.
    const std::string body = fixture("text_diacritics.json");
    ASSERT_NE(body.find("Đường"), std::string::npos);
    const std::string sig = "60bb48250a32f9a7d682ff5cc54532710b075c682af9e891c1c1fa06fe697955";
    EXPECT_EQ(sign(body), sig);
    auto r = make().parse(request(body, sig));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 1u);
}

TEST(ViberSignature, MissingWrongOrMisbuiltIsUnauthorized) {
    const std::string body = fixture("text_diacritics.json");
    std::string wrong = sign(body);
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    for (const std::optional<std::string>& h : {
             std::optional<std::string>{},
             std::optional<std::string>{""},
             std::optional<std::string>{wrong},
             std::optional<std::string>{"sha256=" + sign(body)},
             std::optional<std::string>{to_base64(hmac_sha256(token, body))},
             std::optional<std::string>{to_hex(sha256(body))},
             std::optional<std::string>{sign(body, "another-token")},
             std::optional<std::string>{sign(body + "\n")},
         }) {
        auto r = make().parse(request(body, h));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << h.value_or("<none>");
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(token), std::string::npos);
    }
}

TEST(ViberSignature, CheckedBeforeTheBodyIsParsed) {
    EXPECT_EQ(make().parse(request("{not json", "00")).outcome,
              parse_result::verdict::unauthorized);
}

TEST(ViberSignature, AnAdapterWithoutTokenRejectsEverything) {
    viber_adapter a({"", "x", "https://chatapi.viber.com"});
    const std::string body = fixture("text_plain.json");
    EXPECT_EQ(a.parse(request(body, sign(body, ""))).outcome, parse_result::verdict::unauthorized);
}

// ---- render -----------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

TEST(ViberRender, PlainTextRequest) {
    auto reqs = make("https://chatapi.viber.com/").render(
        "pttm25kSGUo1919sBORWyA==", {"Cảm ơn bạn!", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, "https://chatapi.viber.com/pa/send_message");
    EXPECT_EQ(reqs[0].headers, (std::vector<std::pair<std::string, std::string>>{
                                   {"Content-Type", "application/json"},
                                   {"X-Viber-Auth-Token", token}}));
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"receiver":"pttm25kSGUo1919sBORWyA==",
        "min_api_version":1,"sender":{"name":"Đối thoại Lào Cai"},"type":"text",
        "text":"Cảm ơn bạn!"})"));
}

TEST(ViberRender, ChoicesBecomeAReplyKeyboardWithTheLabelAsActionBody) {
    core::outbound_message m{
        "Chọn lĩnh vực:", {{"roads", "Giao thông"}, {"land", "Đất đai"}}, core::input_hint::choice};
    auto reqs = make("http://127.0.0.1:5000").render("u1", m);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].url, "http://127.0.0.1:5000/pa/send_message");
    EXPECT_EQ(body_of(reqs[0])["keyboard"], json::parse(R"({
        "Type":"keyboard","DefaultHeight":false,"Buttons":[
          {"Columns":6,"Rows":1,"ActionType":"reply","ActionBody":"Giao thông",
           "Text":"Giao thông","TextSize":"regular"},
          {"Columns":6,"Rows":1,"ActionType":"reply","ActionBody":"Đất đai",
           "Text":"Đất đai","TextSize":"regular"}]})"));
}

TEST(ViberRender, APhoneQuestionOffersAShareButtonFirstOnApiLevel3) {
    core::outbound_message m{"Số điện thoại?", {{"anon", "Ẩn danh"}}, core::input_hint::phone};
    auto b = body_of(make("http://127.0.0.1:5000").render("u1", m).at(0));
    EXPECT_EQ(b["min_api_version"], 3);
    ASSERT_EQ(b["keyboard"]["Buttons"].size(), 2u);
    EXPECT_EQ(b["keyboard"]["Buttons"][0]["ActionType"], "share-phone");
    EXPECT_EQ(b["keyboard"]["Buttons"][1]["ActionBody"], "Ẩn danh");
    // Without choices the button is still there; other questions stay on level 1.
    m.choices.clear();
    b = body_of(make("http://127.0.0.1:5000").render("u1", m).at(0));
    EXPECT_EQ(b["keyboard"]["Buttons"].size(), 1u);
    m.hint = core::input_hint::text;
    b = body_of(make("http://127.0.0.1:5000").render("u1", m).at(0));
    EXPECT_EQ(b["min_api_version"], 1);
    EXPECT_FALSE(b.contains("keyboard"));
}

TEST(ViberRender, SenderNameIsCutAt28Characters) {
    viber_adapter a({token, "Trung tâm Phục vụ hành chính công tỉnh Lào Cai", "http://x"});
    auto name = body_of(a.render("u", {"x", {}, core::input_hint::none}).at(0))["sender"]["name"]
                    .get<std::string>();
    EXPECT_EQ(name, "Trung tâm Phục vụ hành chính");
    EXPECT_EQ(text_length(name, length_unit::code_points), 28u);
}

TEST(ViberRender, LongTextIsSplitWithTheKeyboardOnTheLastPart) {
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "Đường ";  // 18 000 characters
    core::outbound_message m{text, {{"ok", "Đồng ý"}}, core::input_hint::choice};
    auto reqs = make().render("u1", m);
    ASSERT_GE(reqs.size(), 3u);
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        auto b = body_of(reqs[i]);
        EXPECT_LE(text_length(b["text"].get<std::string>(), length_unit::utf16_units),
                  viber_adapter::max_text_length);
        EXPECT_LE(reqs[i].body.size(), viber_adapter::max_request_bytes);
        EXPECT_EQ(b.contains("keyboard"), i + 1 == reqs.size());
    }
}

TEST(ViberRender, RequestsStayUnder30KilobytesEvenWithThreeByteCharacters) {
    // 7 000 characters of three bytes each plus a large keyboard would pass 30 KB.
    std::string text;
    for (int i = 0; i < 7000; ++i) text += (i % 7 == 6) ? "\n" : "ệ";
    core::outbound_message m{text, {}, core::input_hint::choice};
    for (int i = 0; i < 24; ++i)
        m.choices.push_back({"c" + std::to_string(i), std::string(200, 'x') + std::to_string(i)});
    auto reqs = make().render("u1", m);
    ASSERT_GE(reqs.size(), 2u);
    for (const auto& r : reqs) EXPECT_LE(r.body.size(), viber_adapter::max_request_bytes);
    EXPECT_EQ(body_of(reqs.back())["keyboard"]["Buttons"].size(), 24u);
}

TEST(ViberRender, EmptyTextRendersNothing) {
    EXPECT_TRUE(make().render("u1", {"", {{"a", "A"}}, core::input_hint::choice}).empty());
}

// ---- classify ---------------------------------------------------------------------------

TEST(ViberClassify, StatusZeroIsSent) {
    auto v = make().classify(200, R"({"status":0,"status_message":"ok",
        "message_token":5491465600000000001,"chat_hostname":"SN-CHAT-07_","billing_status":1})");
    EXPECT_EQ(v.outcome, send_verdict::kind::sent);
}

TEST(ViberClassify, EachStatus) {
    auto v = make().classify(200, R"({"status":12,"status_message":"tooManyRequests"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::retry);
    v = make().classify(200, R"({"status":5,"status_message":"receiverNotRegistered"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "receiver not registered");
    v = make().classify(200, R"({"status":6,"status_message":"notSubscribed"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "not subscribed");
    v = make().classify(200, R"({"status":2,"status_message":"invalidAuthToken"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "invalid auth token");
    v = make().classify(200, R"({"status":3,"status_message":"badData"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "badData");
    EXPECT_EQ(make().classify(200, R"({"status":7})").reason, "Viber status 7");
}

TEST(ViberClassify, HttpLevelAnswers) {
    EXPECT_EQ(make().classify(500, "").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(502, "<html>").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(429, "").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(301, "").outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify(404, "").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(200, "not json").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(200, R"({"status":"0"})").outcome, send_verdict::kind::permanent);
}

TEST(ViberClassify, ReasonsNeverCarryTheToken) {
    auto v = make().classify(
        200, std::string(R"({"status":3,"status_message":"bad )") + token + R"("})");
    EXPECT_EQ(v.reason.find(token), std::string::npos);
}

}  // namespace
}  // namespace dgw::channels
