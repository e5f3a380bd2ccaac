// Golden tests of the Messenger adapter: every payload in tests/fixtures/messenger/ maps to its
// normalised events (in order) and ignored count, or to a 4xx; the GET handshake and the
// X-Hub-Signature-256 check have their negative cases; rendering and classification follow
// the Send API.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/messenger.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* app_secret = "5f1c2b0a9e8d7c6b5a4f3e2d1c0b9a88";
constexpr const char* verify_token = "dgw-verify-Token_0123";
constexpr const char* page_token = "EAAGm0PX4ZCpsBAKZCZBpagetoken0123456789";
constexpr const char* page_id = "106712345678901";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/messenger/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string signature(std::string_view body, std::string_view secret = app_secret) {
    return "sha256=" + to_hex(hmac_sha256(secret, body));
}

webhook_request post(std::string body) {
    webhook_request r;
    r.method = "POST";
    r.headers["content-type"] = "application/json";
    r.headers["x-hub-signature-256"] = signature(body);
    r.body = std::move(body);
    return r;
}

webhook_request get(std::string query) {
    webhook_request r;
    r.method = "GET";
    r.query = std::move(query);
    return r;
}

messenger_adapter make(std::string page = page_id,
                       std::string api_base = "https://graph.facebook.com/v21.0") {
    return messenger_adapter({app_secret, verify_token, page_token, std::move(page),
                              std::move(api_base)});
}

constexpr const char* mid = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8"
                            "fplwlqLP_5cgXIbu7I3rBN0P";

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // JSON array of to_json of the events, in order
    std::size_t ignored;
};

class MessengerGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(MessengerGolden, MapsToTheExpectedEvents) {
    const auto& c = GetParam();
    auto r = make().parse(post(fixture(c.fixture)));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.ignored, c.ignored);
    json events = json::array();
    for (const auto& ev : r.events) events.push_back(ev);
    // The expectations abbreviate the fixtures' long message ids: "@N" stands for mid + "N".
    std::string expected = c.expected;
    for (auto at = expected.find("\"@"); at != std::string::npos; at = expected.find("\"@"))
        expected.replace(at + 1, 1, mid);
    EXPECT_EQ(events, json::parse(expected));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, MessengerGolden,
    ::testing::Values(
        golden_case{"text_plain.json",
                    R"([{"dedup_key":"@1","user_id":"6543210987654321","kind":"text",
                         "text":"Xin chao"}])",
                    0},
        golden_case{"text_diacritics.json",
                    R"([{"dedup_key":"@2","user_id":"6543210987654321","kind":"text",
                         "text":"Đường vào bản Tả Van bị sạt lở"}])",
                    0},
        golden_case{"text_escaped.json",
                    R"([{"dedup_key":"m_escaped_120","user_id":"6543210987654321",
                         "kind":"text","text":"Đường 3/2 bị ngập"}])",
                    0},
        golden_case{"quick_reply.json",
                    R"([{"dedup_key":"@4","user_id":"6543210987654321","kind":"choice",
                         "choice_id":"topic:roads"}])",
                    0},
        // The user_phone_number quick reply: the citizen's own number, as a contact.
        golden_case{"quick_reply_phone.json",
                    R"([{"dedup_key":"m_phone_109","user_id":"6543210987654321",
                         "kind":"contact","phone":"+84912345678"}])",
                    0},
        golden_case{"postback.json",
                    R"([{"dedup_key":"@5","user_id":"6543210987654321","kind":"choice",
                         "choice_id":"GET_STARTED"}])",
                    0},
        // An invitation (m.me/<page>?ref=moi_<session>): in the first "Get Started", or as a
        // referral when the citizen was already in the Page's chat (a start, as Telegram's
        // /start). A referral that is not an invitation (an ad) is nothing to act on.
        golden_case{"postback_referral.json",
                    R"([{"dedup_key":"m_get_started_131","user_id":"6543210987654321","kind":"choice",
                         "choice_id":"GET_STARTED","invite":"province-2027-05-students"}])",
                    0},
        golden_case{"referral.json",
                    R"([{"dedup_key":"referral:6543210987654321:1732608000132","user_id":"6543210987654321",
                         "kind":"text","text":"/start","invite":"province-2027-05-students"}])",
                    1},
        golden_case{"postback_no_mid.json",
                    R"([{"dedup_key":"postback:6543210987654321:1732608000106",
                         "user_id":"6543210987654321","kind":"choice",
                         "choice_id":"menu:main"}])",
                    0},
        golden_case{"image.json",
                    R"([{"dedup_key":"m_image_107","user_id":"6543210987654321","kind":"image",
                         "media":[
                           "https://scontent.xx.fbcdn.net/v/t1.15752-9/img1.jpg?_nc_cat=1&oh=abc",
                           "https://scontent.xx.fbcdn.net/v/t1.15752-9/img2.jpg"]}])",
                    0},
        golden_case{"location.json",
                    R"([{"dedup_key":"@8","user_id":"6543210987654321","kind":"location",
                         "lat":22.336331,"lon":103.843761}])",
                    0},
        golden_case{"batch.json",
                    R"([{"dedup_key":"@21","user_id":"6543210987654321","kind":"text",
                         "text":"Chào"},
                        {"dedup_key":"@23","user_id":"7012345678901234","kind":"choice",
                         "choice_id":"start"},
                        {"dedup_key":"@26","user_id":"7012345678901234","kind":"choice",
                         "choice_id":"topic:land"}])",
                    4},
        golden_case{"echo.json", "[]", 1}, golden_case{"delivery.json", "[]", 1},
        golden_case{"read.json", "[]", 1}, golden_case{"reaction.json", "[]", 1},
        golden_case{"message_edit.json", "[]", 1}, golden_case{"sticker.json", "[]", 1},
        golden_case{"other_page.json", "[]", 1}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(MessengerParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    ASSERT_EQ(body.find(nfc_text), std::string::npos);  // really decomposed
    auto r = make().parse(post(body));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
    EXPECT_EQ(r.events[0].dedup_key, std::string(mid) + "3");
}

TEST(MessengerParse, EscapedBodyIsVerifiedOverItsRawBytes) {
    const std::string body = fixture("text_escaped.json");
    ASSERT_NE(body.find("\\u0110"), std::string::npos);
    ASSERT_NE(body.find("3\\/2"), std::string::npos);
    // Signed as received: accepted.
    EXPECT_EQ(make().parse(post(body)).outcome, parse_result::verdict::accept);
    // Signed over a re-serialisation (what a parse-then-dump verifier would check): refused.
    auto req = post(body);
    req.headers["x-hub-signature-256"] = signature(json::parse(body).dump());
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
}

TEST(MessengerParse, EventsForAnotherPageAreKeptWithoutAConfiguredPage) {
    auto r = make("").parse(post(fixture("other_page.json")));
    EXPECT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.ignored, 0u);
}

TEST(MessengerParse, BrokenJsonIsABadRequest) {
    auto r = make().parse(post(fixture("broken_json.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(r.events.empty());
}

TEST(MessengerParse, AnotherObjectIsRefusedWith404) {
    auto r = make().parse(post(fixture("not_page.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 404u);
}

TEST(MessengerParse, MalformedShapes) {
    for (const std::string& body :
         {std::string("{}"), std::string("[]"), std::string("\"page\""),
          std::string(R"({"object":"page"})"), std::string(R"({"object":"page","entry":{}})"),
          std::string()}) {
        auto r = make().parse(post(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
        EXPECT_TRUE(r.events.empty());
    }
    // Broken items inside a valid batch are ignored, the rest still counts.
    auto r = make().parse(post(R"({"object":"page","entry":[{"id":"106712345678901",
        "messaging":[7,{"sender":{},"message":{"mid":"m1","text":"x"}},
        {"sender":{"id":"1"},"message":{"text":"no mid"}},
        {"sender":{"id":"1"},"message":{"mid":"m2","text":"ok"}}]},{"id":"1"}]})"));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].dedup_key, "m2");
    EXPECT_EQ(r.ignored, 4u);
}

TEST(MessengerParse, AcceptedAnswerIsPlainText) {
    auto r = make().parse(post(fixture("text_plain.json")));
    EXPECT_EQ(r.response_body, "EVENT_RECEIVED");
    EXPECT_EQ(r.response_content_type, "text/plain");
}

// ---- GET verification -------------------------------------------------------------------

TEST(MessengerVerify, RightTokenEchoesTheChallenge) {
    auto r = make().parse(get(std::string("hub.mode=subscribe&hub.verify_token=") +
                              verify_token + "&hub.challenge=1158201444"));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.response_body, "1158201444");
    EXPECT_EQ(r.response_content_type, "text/plain");
    EXPECT_TRUE(r.events.empty());
}

TEST(MessengerVerify, QueryValuesArePercentDecoded) {
    messenger_adapter a({app_secret, "tok en/+é", page_token, "", "http://x"});
    auto r = a.parse(get("hub.challenge=a%2Bb+c&hub.verify_token=tok+en%2F%2B%C3%A9"
                         "&hub.mode=subscribe"));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.response_body, "a+b c");
}

TEST(MessengerVerify, WrongTokenOrModeIsRefused) {
    const std::string t = verify_token;
    for (const std::string& q :
         {"hub.mode=subscribe&hub.verify_token=" + t.substr(1) + "&hub.challenge=1",
          "hub.mode=subscribe&hub.verify_token=" + t + "x&hub.challenge=1",
          "hub.mode=unsubscribe&hub.verify_token=" + t + "&hub.challenge=1",
          std::string("hub.mode=subscribe&hub.challenge=1"),
          "hub.mode=subscribe&hub.verify_token=" + t,
          std::string()}) {
        auto r = make().parse(get(q));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << q;
        EXPECT_EQ(r.status, 403u);
        EXPECT_TRUE(r.response_body.empty());
        EXPECT_EQ(r.error.find(verify_token), std::string::npos);
    }
    messenger_adapter no_token({app_secret, "", page_token, "", "http://x"});
    EXPECT_EQ(no_token.parse(get("hub.mode=subscribe&hub.verify_token=&hub.challenge=1")).outcome,
              parse_result::verdict::unauthorized);
}

// ---- POST signature ---------------------------------------------------------------------

TEST(MessengerSignature, UpperCaseHexIsAccepted) {
    auto req = post(fixture("text_plain.json"));
    std::string& h = req.headers["x-hub-signature-256"];
    for (char& c : h)
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::accept);
}

TEST(MessengerSignature, MissingWrongOrMalformedIsUnauthorized) {
    const std::string body = fixture("text_plain.json");
    const std::string good = signature(body);
    std::string flipped = good;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    for (const std::optional<std::string>& h :
         {std::optional<std::string>{}, std::optional<std::string>{""},
          std::optional<std::string>{"sha256="}, std::optional<std::string>{flipped},
          std::optional<std::string>{good.substr(7)},
          std::optional<std::string>{"sha1=" + good.substr(7)},
          std::optional<std::string>{signature(body, "another-secret")},
          std::optional<std::string>{good + "00"}}) {
        auto req = post(body);
        if (h) {
            req.headers["x-hub-signature-256"] = *h;
        } else {
            req.headers.erase("x-hub-signature-256");
        }
        auto r = make().parse(req);
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << h.value_or("<none>");
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(app_secret), std::string::npos);
    }
}

TEST(MessengerSignature, BodyChangedAfterSigningIsUnauthorized) {
    auto req = post(fixture("text_plain.json"));
    req.body.replace(req.body.find("Xin chao"), 8, "Xin chaO");
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
}

TEST(MessengerSignature, CheckedBeforeTheBodyIsParsed) {
    auto req = post("{not json");
    req.headers["x-hub-signature-256"] = signature("{}");
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
}

TEST(MessengerSignature, AnAdapterWithoutAppSecretRejectsEverything) {
    messenger_adapter a({"", verify_token, page_token, page_id, "http://x"});
    auto req = post(fixture("text_plain.json"));
    req.headers["x-hub-signature-256"] = signature(req.body, "");
    EXPECT_EQ(a.parse(req).outcome, parse_result::verdict::unauthorized);
}

// ---- render -----------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

TEST(MessengerRender, PlainText) {
    auto reqs = make(page_id, "http://127.0.0.1:5000/")
                    .render("6543210987654321", {"Cảm ơn bạn!", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url,
              std::string("http://127.0.0.1:5000/me/messages?access_token=") + page_token);
    EXPECT_EQ(
        reqs[0].headers,
        (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}));
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"recipient":{"id":"6543210987654321"},
        "messaging_type":"RESPONSE","message":{"text":"Cảm ơn bạn!"}})"));
}

TEST(MessengerRender, TokenIsUrlEncoded) {
    messenger_adapter a({app_secret, verify_token, "a+b/c=", page_id, "http://x"});
    EXPECT_EQ(a.render("1", {"x", {}, core::input_hint::none}).at(0).url,
              "http://x/me/messages?access_token=a%2Bb%2Fc%3D");
}

TEST(MessengerRender, ChoicesBecomeQuickRepliesWithShortTitles) {
    core::outbound_message m{"Chọn lĩnh vực:",
                             {{"roads", "Giao thông vận tải đường bộ"},
                              {"land", "Đất đai"},
                              {"x", ""},
                              {"long", "Đườngđườngđườngđườngđường"}},
                             core::input_hint::choice};
    auto reqs = make().render("1", m);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(body_of(reqs[0])["message"], json::parse(R"({"text":"Chọn lĩnh vực:",
        "quick_replies":[
          {"content_type":"text","title":"Giao thông vận tải","payload":"roads"},
          {"content_type":"text","title":"Đất đai","payload":"land"},
          {"content_type":"text","title":"x","payload":"x"},
          {"content_type":"text","title":"Đườngđườngđườngđường","payload":"long"}]})"));
    const json sent = body_of(reqs[0]);
    for (const auto& q : sent["message"]["quick_replies"]) {
        const auto t = q["title"].get<std::string>();
        EXPECT_LE(text_length(t, length_unit::code_points), 20u);
        EXPECT_TRUE(core::valid_utf8(t));
    }
}

TEST(MessengerRender, APhoneQuestionOffersTheCitizensOwnNumberFirst) {
    core::outbound_message m{"Số điện thoại?", {{"anon", "Ẩn danh"}}, core::input_hint::phone};
    EXPECT_EQ(body_of(make().render("1", m).at(0))["message"], json::parse(R"({
        "text":"Số điện thoại?","quick_replies":[
          {"content_type":"user_phone_number"},
          {"content_type":"text","title":"Ẩn danh","payload":"anon"}]})"));
    // Without choices the number is still offered.
    m.choices.clear();
    EXPECT_EQ(body_of(make().render("1", m).at(0))["message"]["quick_replies"],
              json::parse(R"([{"content_type":"user_phone_number"}])"));
}

TEST(MessengerParse, AChoiceWhosePayloadIsNotTheTypedNumberStaysAChoice) {
    // A payload that only looks like a number is a choice unless the text is that number.
    std::string body = fixture("quick_reply_phone.json");
    const std::string typed = "\"text\": \"+84912345678\"";
    body.replace(body.find(typed), typed.size(), "\"text\": \"Số khác\"");
    auto r = make().parse(post(body));
    ASSERT_EQ(r.events.size(), 1u) << r.error;
    EXPECT_EQ(r.events[0].kind, core::inbound_kind::choice);
}

TEST(MessengerRender, ThirteenQuickRepliesAtMostThenNumberedLines) {
    core::outbound_message m{"Chọn xã:", {}, core::input_hint::choice};
    for (int i = 1; i <= 13; ++i)
        m.choices.push_back({"c" + std::to_string(i), "Xã " + std::to_string(i)});
    auto b = body_of(make().render("1", m).at(0));
    EXPECT_EQ(b["message"]["quick_replies"].size(), 13u);
    m.choices.push_back({"c14", "Xã 14"});
    b = body_of(make().render("1", m).at(0));
    EXPECT_FALSE(b["message"].contains("quick_replies"));
    const auto text = b["message"]["text"].get<std::string>();
    EXPECT_EQ(text.rfind("Chọn xã:\n\n1. Xã 1\n2. Xã 2\n", 0), 0u);
    EXPECT_NE(text.find("\n14. Xã 14"), std::string::npos);
}

TEST(MessengerRender, LongTextIsSplitWithQuickRepliesOnTheLastPart) {
    std::string text;
    for (int i = 0; i < 950; ++i) text += "Đường ";  // 5700 characters
    core::outbound_message m{text, {{"ok", "Đồng ý"}}, core::input_hint::choice};
    auto reqs = make().render("1", m);
    ASSERT_EQ(reqs.size(), 3u);
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        auto b = body_of(reqs[i]);
        const auto part = b["message"]["text"].get<std::string>();
        EXPECT_LE(text_length(part, length_unit::code_points), 2000u);
        EXPECT_EQ(b["message"].contains("quick_replies"), i + 1 == reqs.size());
        EXPECT_EQ(b["messaging_type"], "RESPONSE");
    }
}

TEST(MessengerRender, EmptyTextSendsNothing) {
    EXPECT_TRUE(make().render("1", {"", {{"a", "A"}}, core::input_hint::choice}).empty());
}

TEST(MessengerAcknowledge, NothingToAnswer) {
    auto r = make().parse(post(fixture("postback.json")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_FALSE(make().acknowledge(r.events[0]));
}

// ---- classify ---------------------------------------------------------------------------

std::string graph_error(int code, int subcode, const std::string& message) {
    json e{{"message", message}, {"type", "OAuthException"}, {"code", code},
           {"fbtrace_id", "BLBz/WZt8dN"}};
    if (subcode) e["error_subcode"] = subcode;
    return json{{"error", e}}.dump();
}

TEST(MessengerClassify, OkIsSent) {
    auto v = make().classify(200, R"({"recipient_id":"6543210987654321",
        "message_id":"m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::sent);
    EXPECT_EQ(make().classify(200, "not json").outcome, send_verdict::kind::permanent);
}

TEST(MessengerClassify, RateLimitsAndServerErrorsRetry) {
    for (int code : {4, 613, 2, 1200, 32}) {
        auto v = make().classify(400, graph_error(code, 0, "Calls to this api have exceeded"));
        EXPECT_EQ(v.outcome, send_verdict::kind::retry) << code;
    }
    EXPECT_EQ(make().classify(503, "<html>Service Unavailable</html>").outcome,
              send_verdict::kind::retry);
    EXPECT_EQ(make().classify(500, graph_error(1, 0, "An unknown error occurred")).outcome,
              send_verdict::kind::retry);
}

TEST(MessengerClassify, OutsideTheWindowIsPermanent) {
    auto v = make().classify(
        400, graph_error(10, 2018278,
                         "(#10) This message is sent outside of allowed window."));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "outside the 24-hour messaging window");
}

TEST(MessengerClassify, UserUnavailableIsPermanent) {
    auto v = make().classify(400, graph_error(551, 0, "This person isn't available right now."));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "user unavailable");
    auto w = make().classify(403, graph_error(200, 1545041, "The user isn't available"));
    EXPECT_EQ(w.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(w.reason, "user unavailable");
}

TEST(MessengerClassify, InvalidTokenIsPermanentAndNeverEchoesIt) {
    auto v = make().classify(
        400, graph_error(190, 463, std::string("Error validating access token ") + page_token));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason.find(page_token), std::string::npos);
}

TEST(MessengerClassify, OtherErrorsArePermanentWithTheMessage) {
    auto v = make().classify(400, graph_error(100, 2018001, std::string("No matching user found ") +
                                                                page_token));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "No matching user found ***");
    EXPECT_EQ(make().classify(404, "").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(429, "").outcome, send_verdict::kind::retry);
}

// ---- precheck: the 24-hour window --------------------------------------------------------

TEST(MessengerPrecheck, ClosedWindowFailsBeforeSending) {
    render_context ctx;
    ctx.now = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 56);
    ctx.last_inbound_at = ctx.now - std::chrono::hours(25);
    auto v = make().precheck(ctx);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v->reason, "outside the 24-hour messaging window");
    // Within the window, exactly at its end, or with no known last message: send.
    ctx.last_inbound_at = ctx.now - std::chrono::hours(23);
    EXPECT_FALSE(make().precheck(ctx));
    ctx.last_inbound_at = ctx.now - std::chrono::hours(24);
    EXPECT_FALSE(make().precheck(ctx));
    ctx.last_inbound_at.reset();
    EXPECT_FALSE(make().precheck(ctx));
}

}  // namespace
}  // namespace dgw::channels
