// Golden tests of the LINE adapter: every payload in tests/fixtures/line/ maps to its events
// (or to "ignored", or to a 400), the signature check has its negative cases, and rendering
// (reply vs push, 5 messages a call, quick replies) and classification follow the Messaging API.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/line.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* secret = "8c2f5e1a9b7d4c3e6f0a1b2c3d4e5f6a";
constexpr const char* access_token = "Xq3vLineChannelAccessToken+abc/def=";
constexpr const char* user = "U206d25c2ea6bd87c17655609a1c37cb8";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/line/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The signature as LINE computes it: base64(HMAC-SHA256(channel secret, raw body)).
std::string sign(const std::string& body, const std::string& key = secret) {
    return to_base64(hmac_sha256(key, body));
}

webhook_request request(std::string body, std::optional<std::string> signature = std::nullopt) {
    webhook_request r;
    r.method = "POST";
    r.headers["content-type"] = "application/json; charset=utf-8";
    r.headers["x-line-signature"] = signature ? *signature : sign(body);
    if (signature && signature->empty()) r.headers.erase("x-line-signature");
    r.body = std::move(body);
    return r;
}

line_adapter make(std::string api_base = "https://api.line.me") {
    return line_adapter({secret, access_token, std::move(api_base), 50s});
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "ignored"
};

class LineGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(LineGolden, MapsToTheExpectedEvent) {
    const auto& c = GetParam();
    auto r = make().parse(request(fixture(c.fixture)));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    if (std::string(c.expected) == "ignored") {
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.ignored, 1u);
        return;
    }
    EXPECT_EQ(r.ignored, 0u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(json(r.events[0]), json::parse(c.expected));
}

INSTANTIATE_TEST_SUITE_P(Fixtures, LineGolden,
                         ::testing::Values(golden_case{"text_plain.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FA",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"text",
                        "text":"Xin chao",
                        "reply_context":{"reply_token":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"}})"},
                                           golden_case{"text_diacritics.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FB",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"text",
                        "text":"Đường vào bản Tả Van bị sạt lở",
                        "reply_context":{"reply_token":"b60d432864f44d079f6d8efe86cf404b"}})"},
                                           golden_case{"image.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FD",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"image",
                        "media":["551234567890123459"],
                        "reply_context":{"reply_token":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"}})"},
                                           golden_case{"location.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FE",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"location",
                        "lat":22.336331,"lon":103.843761,
                        "reply_context":{"reply_token":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"}})"},
                                           golden_case{"postback.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FF",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"choice",
                        "choice_id":"topic:roads",
                        "reply_context":{"reply_token":"nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"}})"},
                                           golden_case{"redelivery_first.json",
                                                       R"({"dedup_key":"01JQ4ZN5RDRDRDRDRDRDRDRD01",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"text",
                        "text":"Cầu bị sập",
                        "reply_context":{"reply_token":"f2b7c5a0e3d94e1b8a6c7d5e4f3a2b1c"}})"},
                                           golden_case{"sticker.json", "ignored"},
                                           // Friend (again) or blocked: whether pushes reach.
                                           golden_case{"follow.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FH",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"permission",
                        "permission":{"kind":"subscription","granted":true}})"},
                                           golden_case{"unfollow.json",
                                                       R"({"dedup_key":"01JQ4ZK7M3X9T2V8B6N1C5D0FJ",
                        "user_id":"U206d25c2ea6bd87c17655609a1c37cb8","kind":"permission",
                        "permission":{"kind":"subscription","granted":false}})"},
                                           golden_case{"join.json", "ignored"},
                                           golden_case{"group_text.json", "ignored"},
                                           golden_case{"room_text.json", "ignored"},
                                           golden_case{"standby.json", "ignored"}),
                         [](const ::testing::TestParamInfo<golden_case>& param_info) {
                             std::string n = param_info.param.fixture;
                             return n.substr(0, n.find('.'));
                         });

TEST(LineMedia, APhotoIsItsMessagesContentFetchedWithTheAccessToken) {
    line_settings s{secret, access_token, "https://api.line.me", 50s, "http://127.0.0.1:9"};
    const line_adapter a(s);
    EXPECT_TRUE(a.fetches_media());
    EXPECT_TRUE(a.media_lookup_is_download());
    auto req = a.media_lookup("468789577898262530");
    ASSERT_TRUE(req);
    EXPECT_EQ(req->method, "GET");
    EXPECT_EQ(req->url, "http://127.0.0.1:9/v2/bot/message/468789577898262530/content");
    ASSERT_EQ(req->headers.size(), 1u);
    EXPECT_EQ(req->headers[0].first, "Authorization");
    EXPECT_EQ(req->headers[0].second, std::string("Bearer ") + access_token);
    EXPECT_EQ(make().media_lookup("1")->url, "https://api-data.line.me/v2/bot/message/1/content");
}

TEST(LineMedia, AnIdThatIsNotAMessageIdNeverBecomesAPath) {
    const auto a = make();
    for (const char* bad : {"", "../../v2/bot/profile/U1", "12/content?x=", "12a", "1 2",
                            "123456789012345678901234567890123"})
        EXPECT_FALSE(a.media_lookup(bad)) << bad;
}

TEST(LineParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    ASSERT_EQ(body.find(nfc_text), std::string::npos);  // the fixture really is decomposed
    auto r = make().parse(request(body));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
    EXPECT_EQ(r.events[0].dedup_key, "01JQ4ZK7M3X9T2V8B6N1C5D0FC");
}

TEST(LineParse, ABatchKeepsOrderAndCountsTheIgnored) {
    auto r = make().parse(request(fixture("batch.json")));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 4u);
    EXPECT_EQ(r.ignored, 1u);  // a sticker
    EXPECT_EQ(r.events[0].dedup_key, "01JQ4ZM0AAAAAAAAAAAAAAAAA1");
    EXPECT_EQ(r.events[0].kind, core::inbound_kind::text);
    EXPECT_EQ(r.events[0].text, "Tôi muốn báo sự cố");
    // The follow, in its place: the citizen added the account as a friend.
    EXPECT_EQ(r.events[1].dedup_key, "01JQ4ZM0AAAAAAAAAAAAAAAAA2");
    EXPECT_EQ(r.events[1].kind, core::inbound_kind::permission);
    EXPECT_EQ(r.events[2].dedup_key, "01JQ4ZM0AAAAAAAAAAAAAAAAA4");
    EXPECT_EQ(r.events[2].kind, core::inbound_kind::choice);
    EXPECT_EQ(r.events[2].choice_id, "topic:land");
    EXPECT_EQ(r.events[2].reply_context["reply_token"], "tokenC0000000000000000000000000c");
    EXPECT_EQ(r.events[3].dedup_key, "01JQ4ZM0AAAAAAAAAAAAAAAAA5");
    EXPECT_EQ(r.events[3].kind, core::inbound_kind::location);
    EXPECT_DOUBLE_EQ(r.events[3].lat, 22.3364);
}

TEST(LineParse, ARedeliveryKeepsTheEventIdWhileTheBodyChanges) {
    const std::string first = fixture("redelivery_first.json");
    const std::string again = fixture("redelivery_again.json");
    ASSERT_NE(first, again);
    auto a = make().parse(request(first));
    auto b = make().parse(request(again));
    ASSERT_EQ(a.events.size(), 1u);
    ASSERT_EQ(b.events.size(), 1u);
    EXPECT_EQ(a.events[0].dedup_key, b.events[0].dedup_key);
    EXPECT_EQ(b.events[0].text, a.events[0].text);
    // A redelivered event is late: its reply token is not offered, the answer is a push.
    EXPECT_TRUE(b.events[0].reply_context.empty());
}

TEST(LineParse, TheConsoleVerifyIsAcceptedWithNothingStored) {
    auto r = make().parse(request(fixture("verify_empty.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.status, 200u);
    EXPECT_TRUE(r.events.empty());
    EXPECT_EQ(r.ignored, 0u);
}

TEST(LineParse, BrokenOrForeignBodiesAreBadRequests) {
    for (const std::string& body :
         {fixture("broken_json.json"), fixture("not_a_webhook.json"), std::string(""),
          std::string("[]"), std::string(R"({"events":{}})"), std::string(R"({"events":[1]})"),
          std::string(R"({"events":[{"webhookEventId":"01A"}]})"),
          std::string(R"({"events":[{"type":"message","webhookEventId":"01A",)"
                      R"("source":{"type":"user","userId":"U1"}}]})"),
          std::string(R"({"events":[{"type":"message","source":{"type":"user","userId":"U1"},)"
                      R"("message":{"id":"1","type":"text","text":"no event id"}}]})"),
          std::string(
              R"({"events":[{"type":"message","webhookEventId":"01A",)"
              R"("source":{"type":"user"},"message":{"id":"1","type":"text","text":"x"}}]})"),
          std::string(R"({"events":[{"type":"message","webhookEventId":"01A",)"
                      R"("source":{"type":"user","userId":"U1"},)"
                      R"("message":{"id":"1","type":"location","latitude":"22.3"}}]})"),
          std::string(R"({"events":[{"type":"postback","webhookEventId":"01A",)"
                      R"("source":{"type":"user","userId":"U1"},"postback":{}}]})")}) {
        auto r = make().parse(request(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
        EXPECT_EQ(r.status, 400u);
        EXPECT_TRUE(r.events.empty());
    }
}

TEST(LineParse, AMalformedEventRejectsTheWholeBatch) {
    auto body = json::parse(fixture("batch.json"));
    body["events"].push_back({{"type", "message"}});
    auto r = make().parse(request(body.dump()));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_TRUE(r.events.empty());
}

// ---- parse: the signature -----------------------------------------------------------------

TEST(LineSignature, RightSignatureIsAccepted) {
    const std::string body = fixture("text_diacritics.json");
    auto r = make().parse(request(body, sign(body)));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
}

TEST(LineSignature, MissingWrongOrOverAnotherBodyIsUnauthorized) {
    const std::string body = fixture("text_diacritics.json");
    std::string flipped = sign(body);
    flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
    // Re-serialising changes the bytes (\u escapes): the signature is over the raw body.
    const std::string reserialised = json::parse(body).dump();
    for (const std::string& s :
         {std::string(""), flipped, sign(body, "another-secret"), sign(reserialised),
          sign(body) + "=", sign(body).substr(1), std::string(secret)}) {
        auto r = make().parse(request(body, s.empty() ? std::string() : s));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << s;
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(secret), std::string::npos);
    }
}

TEST(LineSignature, CheckedBeforeTheBodyIsParsed) {
    auto r = make().parse(request("{not json", sign("{other")));
    EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized);
}

TEST(LineSignature, AnAdapterWithoutSecretRejectsEverything) {
    line_adapter a({"", access_token, "https://api.line.me", 50s});
    const std::string body = fixture("text_plain.json");
    EXPECT_EQ(a.parse(request(body, to_base64(hmac_sha256("", body)))).outcome,
              parse_result::verdict::unauthorized);
}

// ---- render -------------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

render_context context(std::string token, std::chrono::seconds age) {
    render_context ctx;
    ctx.now = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 56);
    ctx.inbound_at = ctx.now - age;
    ctx.reply_context = json{{"reply_token", std::move(token)}};
    return ctx;
}

TEST(LineRender, AFreshReplyTokenReplies) {
    auto reqs = make().render(user, {"Cảm ơn bạn!", {}, core::input_hint::none},
                              context("b60d432864f44d079f6d8efe86cf404b", 3s));
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, "https://api.line.me/v2/bot/message/reply");
    EXPECT_EQ(reqs[0].headers, (std::vector<std::pair<std::string, std::string>>{
                                   {"Content-Type", "application/json"},
                                   {"Authorization", std::string("Bearer ") + access_token}}));
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"replyToken":"b60d432864f44d079f6d8efe86cf404b",
        "messages":[{"type":"text","text":"Cảm ơn bạn!"}]})"));
}

TEST(LineRender, AnOldOrMissingTokenPushes) {
    const json expected = json::parse(R"({"to":"U206d25c2ea6bd87c17655609a1c37cb8",
        "messages":[{"type":"text","text":"Cảm ơn bạn!"}]})");
    const core::outbound_message m{"Cảm ơn bạn!", {}, core::input_hint::none};
    render_context no_time = context("tok", 0s);
    no_time.inbound_at.reset();
    for (const auto& reqs :
         {make("https://api.line.me/").render(user, m, context("tok", 50s)),
          make().render(user, m, context("tok", 300s)), make().render(user, m, context("", 1s)),
          make().render(user, m, render_context{}), make().render(user, m, no_time),
          make().render(user, m)}) {
        ASSERT_EQ(reqs.size(), 1u);
        EXPECT_EQ(reqs[0].url, "https://api.line.me/v2/bot/message/push");
        EXPECT_EQ(body_of(reqs[0]), expected);
    }
}

std::string header_of(const send_request& r, const std::string& name) {
    for (const auto& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

// The keys are RFC 4122 version-5 UUIDs; the expected values were computed independently
// (Python's uuid.uuid5 with the gateway's namespace 6f1c1b9e-2d3a-4c7e-9b8f-5a4d3c2b1a09).
TEST(LineRender, PushesCarryTheSameRetryKeyOnEveryAttempt) {
    const core::outbound_message m{"Cảm ơn bạn!", {}, core::input_hint::none};
    render_context ctx;
    ctx.channel = "line";
    ctx.outbox_id = 42;
    auto reqs = make().render(user, m, ctx);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].url, "https://api.line.me/v2/bot/message/push");
    EXPECT_EQ(reqs[0].headers, (std::vector<std::pair<std::string, std::string>>{
                                   {"Content-Type", "application/json"},
                                   {"Authorization", std::string("Bearer ") + access_token},
                                   {"X-Line-Retry-Key", "4a85cc1d-aca2-54ea-9e4d-b8d60e54f7c2"}}));
    EXPECT_EQ(make().render(user, m, ctx)[0].headers, reqs[0].headers);  // the next attempt
    EXPECT_EQ(line_adapter::retry_key("line", 42, 0), "4a85cc1d-aca2-54ea-9e4d-b8d60e54f7c2");
    ctx.outbox_id = 43;
    EXPECT_EQ(header_of(make().render(user, m, ctx)[0], "X-Line-Retry-Key"),
              "e8f2500d-f514-5b35-a426-2a86cb67230c");
    // Without an outbox id nothing stable identifies the message: no key.
    EXPECT_EQ(header_of(make().render(user, m)[0], "X-Line-Retry-Key"), "");
}

TEST(LineRender, RepliesTakeNoRetryKeyAndEachPushRequestItsOwn) {
    std::string text;
    for (int i = 0; i < 6000; ++i) text += i ? " Đường" : "Đường";
    const core::outbound_message m{text, {}, core::input_hint::none};
    auto ctx = context("tok", 1s);
    ctx.channel = "line";
    ctx.outbox_id = 42;
    auto reqs = make().render(user, m, ctx);
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(header_of(reqs[0], "X-Line-Retry-Key"), "");  // a reply
    EXPECT_EQ(header_of(reqs[1], "X-Line-Retry-Key"), "26472057-504f-5ea8-8ec1-f9fd064bdb32");
    ctx.reply_context = json::object();
    reqs = make().render(user, m, ctx);
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(header_of(reqs[0], "X-Line-Retry-Key"), "4a85cc1d-aca2-54ea-9e4d-b8d60e54f7c2");
    EXPECT_EQ(header_of(reqs[1], "X-Line-Retry-Key"), "26472057-504f-5ea8-8ec1-f9fd064bdb32");
}

TEST(LineRender, ChoicesBecomePostbackQuickRepliesOnTheLastMessage) {
    core::outbound_message m{
        "Chọn lĩnh vực:",
        {{"roads", "Giao thông"}, {"land", "Đất đai và môi trường nông thôn"}, {"other", ""}},
        core::input_hint::choice};
    auto reqs = make().render(user, m, context("tok", 1s));
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(body_of(reqs[0])["messages"][0], json::parse(R"({
        "type":"text","text":"Chọn lĩnh vực:","quickReply":{"items":[
          {"type":"action","action":{"type":"postback","label":"Giao thông",
                                     "data":"roads","displayText":"Giao thông"}},
          {"type":"action","action":{"type":"postback","label":"Đất đai và môi trườ…",
                                     "data":"land",
                                     "displayText":"Đất đai và môi trường nông thôn"}},
          {"type":"action","action":{"type":"postback","label":"other","data":"other",
                                     "displayText":"other"}}]}})"));
    const auto label = body_of(reqs[0])["messages"][0]["quickReply"]["items"][1]["action"]["label"];
    EXPECT_EQ(text_length(label.get<std::string>(), length_unit::utf16_units), 20u);
}

TEST(LineRender, LocationHintAddsALocationQuickReplyFirst) {
    core::outbound_message m{"Gửi vị trí?", {{"skip", "Bỏ qua"}}, core::input_hint::location};
    auto items = body_of(make().render(user, m).at(0))["messages"][0]["quickReply"]["items"];
    ASSERT_EQ(items.size(), 2u);
    EXPECT_EQ(
        items[0],
        json::parse(R"({"type":"action","action":{"type":"location","label":"Gửi vị trí"}})"));
    EXPECT_EQ(items[1]["action"]["data"], "skip");
}

TEST(LineRender, MoreThanThirteenChoicesBecomeNumberedLines) {
    core::outbound_message m{"Chọn xã:", {}, core::input_hint::choice};
    for (int i = 1; i <= 14; ++i)
        m.choices.push_back({"x" + std::to_string(i), "Xã số " + std::to_string(i)});
    auto msg = body_of(make().render(user, m).at(0))["messages"][0];
    EXPECT_FALSE(msg.contains("quickReply"));
    const auto text = msg["text"].get<std::string>();
    EXPECT_EQ(text.rfind("Chọn xã:\n\n1. Xã số 1\n2. Xã số 2\n", 0), 0u);
    EXPECT_NE(text.find("\n14. Xã số 14"), std::string::npos);

    // Thirteen fit exactly; with the location item only twelve do.
    m.choices.pop_back();
    EXPECT_EQ(body_of(make().render(user, m).at(0))["messages"][0]["quickReply"]["items"].size(),
              13u);
    m.hint = core::input_hint::location;
    auto loc = body_of(make().render(user, m).at(0))["messages"][0];
    ASSERT_EQ(loc["quickReply"]["items"].size(), 1u);
    EXPECT_EQ(loc["quickReply"]["items"][0]["action"]["type"], "location");
    EXPECT_NE(loc["text"].get<std::string>().find("\n13. Xã số 13"), std::string::npos);
}

TEST(LineRender, LongTextIsSplitIntoAtMostFiveMessagesPerRequest) {
    // 6 000 "Đường " words = 36 000 characters: 8 parts of ≤ 5000 -> requests of 5 and 3.
    std::string text;
    for (int i = 0; i < 6000; ++i) text += i ? " Đường" : "Đường";
    core::outbound_message m{text, {{"ok", "Đồng ý"}}, core::input_hint::choice};
    auto reqs = make().render(user, m, context("tok", 1s));
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(reqs[0].url, "https://api.line.me/v2/bot/message/reply");
    EXPECT_EQ(reqs[1].url, "https://api.line.me/v2/bot/message/push");  // the token is used
    auto first = body_of(reqs[0]);
    auto second = body_of(reqs[1]);
    EXPECT_EQ(first["replyToken"], "tok");
    EXPECT_EQ(second["to"], user);
    ASSERT_EQ(first["messages"].size(), 5u);
    ASSERT_EQ(second["messages"].size(), 3u);
    std::string joined;
    std::size_t n = 0;
    for (const auto* b : {&first, &second}) {
        for (const auto& msg : (*b)["messages"]) {
            const auto part = msg["text"].get<std::string>();
            EXPECT_LE(text_length(part, length_unit::utf16_units), 5000u);
            EXPECT_TRUE(core::valid_utf8(part));
            ++n;
            EXPECT_EQ(msg.contains("quickReply"), n == 8u);
            joined += (joined.empty() ? "" : " ") + part;
        }
    }
    EXPECT_EQ(joined, text);
}

TEST(LineRender, ExactlyFiveThousandIsOneMessage) {
    std::string text;
    for (int i = 0; i < 5000; ++i) text += "ệ";
    EXPECT_EQ(
        body_of(make().render(user, {text, {}, core::input_hint::none}).at(0))["messages"].size(),
        1u);
    text += "ệ";
    EXPECT_EQ(
        body_of(make().render(user, {text, {}, core::input_hint::none}).at(0))["messages"].size(),
        2u);
}

TEST(LineRender, EmptyTextSendsNothing) {
    EXPECT_TRUE(make().render(user, {"", {{"a", "A"}}, core::input_hint::choice}).empty());
}

TEST(LineAcknowledge, NothingIsNeeded) {
    auto a = make();
    auto r = a.parse(request(fixture("postback.json")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_FALSE(a.acknowledge(r.events[0]));
}

// ---- classify -----------------------------------------------------------------------------

TEST(LineClassify, OkIsSent) {
    EXPECT_EQ(make()
                  .classify(200, R"({"sentMessages":[{"id":"461230966842064897",
        "quoteToken":"IStG5h1Tz7b..."}]})")
                  .outcome,
              send_verdict::kind::sent);
    EXPECT_EQ(make().classify(200, "{}").outcome, send_verdict::kind::sent);
}

TEST(LineClassify, RateLimitsAndServerErrorsRetry) {
    auto v = make().classify(429, R"({"message":"The API rate limit has been exceeded. )"
                                  R"(Try again later."})");
    EXPECT_EQ(v.outcome, send_verdict::kind::retry);
    EXPECT_EQ(v.reason, "The API rate limit has been exceeded. Try again later.");
    for (unsigned s : {500u, 502u, 503u, 504u})
        EXPECT_EQ(make().classify(s, "<html>Bad Gateway</html>").outcome, send_verdict::kind::retry)
            << s;
}

TEST(LineClassify, TheMonthlyQuotaIsPermanent) {
    auto v = make().classify(429, R"({"message":"You have reached your monthly limit."})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "You have reached your monthly limit.");
}

TEST(LineClassify, AnInvalidReplyTokenIsPermanentWithItsOwnReason) {
    auto v = make().classify(400, R"({"message":"Invalid reply token"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "invalid reply token");
}

TEST(LineClassify, AuthAndOtherClientErrorsArePermanentWithTheMessage) {
    auto bad = make().classify(400, R"j({"message":"The request body has 1 error(s)",
        "details":[{"message":"Length must be between 0 and 5000",
                    "property":"messages[0].text"}]})j");
    EXPECT_EQ(bad.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(bad.reason,
              "The request body has 1 error(s) (messages[0].text: Length must be "
              "between 0 and 5000)");
    auto auth = make().classify(
        401, R"({"message":"Authentication failed due to the following reason: invalid token. )"
             R"(Confirm that the access token in the authorization header is valid."})");
    EXPECT_EQ(auth.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(401, "").reason, "invalid channel access token");
    EXPECT_EQ(make()
                  .classify(403, R"({"message":"Access to this API is not available )"
                                 R"(for your account"})")
                  .outcome,
              send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(404, "").outcome, send_verdict::kind::permanent);
}

TEST(LineClassify, ConflictWithAnAcceptedRequestIdWasSent) {
    const std::string body = R"({"message":"The retry key is already accepted"})";
    const header_map accepted{
        {"x-line-accepted-request-id", "0c93a9a7-8d04-4c5b-9f4e-0e8b5bcf0a11"}};
    EXPECT_EQ(make().classify_answer(409, body, accepted).outcome, send_verdict::kind::sent);
    // Without the header it is not known to have gone out: an ordinary client error.
    EXPECT_EQ(make().classify_answer(409, body, {}).outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(409, body).outcome, send_verdict::kind::permanent);
    // Other answers are read as classify() reads them.
    EXPECT_EQ(make().classify_answer(500, "", accepted).outcome, send_verdict::kind::retry);
    EXPECT_EQ(make().classify_answer(200, "{}", {}).outcome, send_verdict::kind::sent);
}

TEST(LineClassify, SecretsNeverAppearInAReason) {
    auto v = make().classify(
        400, std::string(R"({"message":"bad token )") + access_token + " " + secret + R"("})");
    EXPECT_EQ(v.reason.find(access_token), std::string::npos);
    EXPECT_EQ(v.reason.find(secret), std::string::npos);
}

}  // namespace
}  // namespace dgw::channels
