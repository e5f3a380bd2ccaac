// Golden tests of the Telegram adapter: every payload in tests/fixtures/telegram/ maps to one
// normalised event (or to "ignored", or to a 400), the secret check has its negative cases, and
// rendering and classification follow the Bot API.

#include <dgw/channels/common.hpp>
#include <dgw/channels/telegram.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
constexpr const char* secret = "dgw-Webhook_secret-0123456789";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/telegram/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

webhook_request request(std::string body, std::optional<std::string> secret_header = secret) {
    webhook_request r;
    r.method = "POST";
    r.body = std::move(body);
    r.headers["content-type"] = "application/json";
    if (secret_header) r.headers["x-telegram-bot-api-secret-token"] = *secret_header;
    return r;
}

telegram_adapter make(std::string api_base = "https://api.telegram.org") {
    return telegram_adapter({token, secret, std::move(api_base)});
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "ignored"
};

class TelegramGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(TelegramGolden, MapsToTheExpectedEvent) {
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

INSTANTIATE_TEST_SUITE_P(
    Fixtures, TelegramGolden,
    ::testing::Values(
        golden_case{"text_plain.json",
                    R"({"dedup_key":"123456789:101","user_id":"123456789","kind":"text",
                        "text":"/start","display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"text_diacritics.json",
                    R"({"dedup_key":"123456789:102","user_id":"123456789","kind":"text",
                        "text":"Đường vào bản Tả Van bị sạt lở","display_name":"Lan Nguyễn",
                        "language":"vi"})"},
        golden_case{"location.json",
                    R"({"dedup_key":"123456789:104","user_id":"123456789","kind":"location",
                        "lat":22.336331,"lon":103.843761,"display_name":"Lan Nguyễn",
                        "language":"vi"})"},
        golden_case{"photo_caption.json",
                    R"({"dedup_key":"123456789:105","user_id":"123456789","kind":"image",
                        "text":"Ổ gà trên quốc lộ 4D","media":["AgACAgUAAxkBAAIBZ2VxS_large"],
                        "display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"contact.json",
                    R"({"dedup_key":"123456789:106","user_id":"123456789","kind":"contact",
                        "phone":"+84912345678","display_name":"Lan Nguyễn","language":"vi"})"},
        golden_case{"callback_query.json",
                    R"({"dedup_key":"cb:4382964011264000123","user_id":"123456789",
                        "kind":"choice","choice_id":"topic:roads","display_name":"Lan Nguyễn",
                        "language":"vi",
                        "reply_context":{"callback_query_id":"4382964011264000123"}})"},
        golden_case{"huge_chat_id.json",
                    R"({"dedup_key":"7123456789012:2047","user_id":"7123456789012",
                        "kind":"text","text":"Xin chào","display_name":"Minh",
                        "language":"en"})"},
        golden_case{"edited_message.json", "ignored"}, golden_case{"channel_post.json", "ignored"},
        golden_case{"group_chat.json", "ignored"}, golden_case{"my_chat_member.json", "ignored"},
        golden_case{"sticker.json", "ignored"}, golden_case{"inline_query.json", "ignored"}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(TelegramParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    // The fixture really is decomposed: its text is not byte-equal to the NFC form.
    ASSERT_EQ(body.find(nfc_text), std::string::npos);
    auto r = make().parse(request(body));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
    EXPECT_EQ(r.events[0].text, core::nfc(r.events[0].text));
    EXPECT_EQ(r.events[0].dedup_key, "123456789:103");
}

TEST(TelegramParse, BrokenJsonIsABadRequest) {
    auto r = make().parse(request(fixture("broken_json.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
    EXPECT_TRUE(r.events.empty());
}

TEST(TelegramParse, NotAnUpdateIsABadRequest) {
    for (const std::string& body :
         {fixture("not_an_update.json"), std::string("{}"), std::string("\"text\""),
          std::string(R"({"update_id":"1"})"), std::string(R"({"update_id":1.5})"),
          std::string(R"({"update_id":1,"message":"hi"})"),
          std::string(R"({"update_id":1,"message":{"message_id":1,"text":"no chat"}})"),
          std::string(R"({"update_id":1,"message":{"message_id":1,"chat":{"id":1.0,)"
                      R"("type":"private"},"text":"float id"}})"),
          std::string(R"({"update_id":1,"callback_query":{"id":"x","data":"d"}})"),
          std::string("")}) {
        auto r = make().parse(request(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
        EXPECT_EQ(r.status, 400u);
    }
}

TEST(TelegramParse, UpdateWithNothingWeKnowIsIgnored) {
    auto r = make().parse(request(R"({"update_id":5,"poll":{"id":"1"}})"));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.ignored, 1u);
    EXPECT_TRUE(r.events.empty());
}

TEST(TelegramParse, CallbackFromAGroupMessageIsIgnored) {
    auto body = json::parse(fixture("callback_query.json"));
    body["callback_query"]["message"]["chat"] = {{"id", -1009876543210}, {"type", "group"}};
    auto r = make().parse(request(body.dump()));
    EXPECT_EQ(r.outcome, parse_result::verdict::accept);
    EXPECT_EQ(r.ignored, 1u);
}

TEST(TelegramParse, CallbackWithoutMessageUsesTheSender) {
    auto body = json::parse(fixture("callback_query.json"));
    body["callback_query"].erase("message");
    body["callback_query"]["inline_message_id"] = "AAAAAGx";
    auto r = make().parse(request(body.dump()));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].user_id, "123456789");
}

// ---- parse: the secret ------------------------------------------------------------------

TEST(TelegramSecret, RightSecretIsAccepted) {
    EXPECT_EQ(make().parse(request(fixture("text_plain.json"))).outcome,
              parse_result::verdict::accept);
}

TEST(TelegramSecret, MissingWrongOrWrongLengthIsUnauthorized) {
    const std::string body = fixture("text_plain.json");
    std::string wrong = secret;
    wrong.back() = 'X';
    for (const std::optional<std::string>& h :
         {std::optional<std::string>{}, std::optional<std::string>{""},
          std::optional<std::string>{wrong}, std::optional<std::string>{std::string(secret) + "0"},
          std::optional<std::string>{std::string(secret).substr(1)}}) {
        auto r = make().parse(request(body, h));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << h.value_or("<none>");
        EXPECT_EQ(r.status, 401u);
        EXPECT_TRUE(r.events.empty());
        EXPECT_EQ(r.error.find(secret), std::string::npos);
    }
}

TEST(TelegramSecret, CheckedBeforeTheBodyIsParsed) {
    auto r = make().parse(request("{not json", "wrong"));
    EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized);
}

TEST(TelegramSecret, AnAdapterWithoutSecretRejectsEverything) {
    telegram_adapter a({token, "", "https://api.telegram.org"});
    EXPECT_EQ(a.parse(request(fixture("text_plain.json"), "")).outcome,
              parse_result::verdict::unauthorized);
}

// ---- render -----------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

TEST(TelegramRender, PlainTextRemovesTheKeyboard) {
    auto reqs = make().render("7123456789012", {"Cảm ơn bạn!", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, std::string("https://api.telegram.org/bot") + token + "/sendMessage");
    EXPECT_EQ(
        reqs[0].headers,
        (std::vector<std::pair<std::string, std::string>>{{"Content-Type", "application/json"}}));
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"chat_id":7123456789012,"text":"Cảm ơn bạn!",
                                                "reply_markup":{"remove_keyboard":true}})"));
}

TEST(TelegramRender, ChoicesBecomeAOneTimeReplyKeyboardOneButtonPerRow) {
    core::outbound_message m{
        "Chọn lĩnh vực:", {{"roads", "Giao thông"}, {"land", "Đất đai"}}, core::input_hint::choice};
    auto reqs = make("http://127.0.0.1:5000/").render("123456789", m);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].url, std::string("http://127.0.0.1:5000/bot") + token + "/sendMessage");
    EXPECT_EQ(body_of(reqs[0])["reply_markup"], json::parse(R"({
        "keyboard":[[{"text":"Giao thông"}],[{"text":"Đất đai"}]],
        "resize_keyboard":true,"one_time_keyboard":true})"));
}

TEST(TelegramRender, LocationHintAsksForTheLocation) {
    core::outbound_message m{"Gửi vị trí?", {{"skip", "Bỏ qua"}}, core::input_hint::location};
    auto markup = body_of(make().render("1", m).at(0))["reply_markup"];
    ASSERT_EQ(markup["keyboard"].size(), 2u);
    EXPECT_EQ(markup["keyboard"][0][0]["request_location"], true);
    EXPECT_FALSE(markup["keyboard"][0][0]["text"].get<std::string>().empty());
    EXPECT_EQ(markup["keyboard"][1][0], json::parse(R"({"text":"Bỏ qua"})"));
}

TEST(TelegramRender, PhoneHintAsksForTheContact) {
    core::outbound_message m{"Số điện thoại?", {}, core::input_hint::phone};
    auto markup = body_of(make().render("1", m).at(0))["reply_markup"];
    ASSERT_EQ(markup["keyboard"].size(), 1u);
    EXPECT_EQ(markup["keyboard"][0][0]["request_contact"], true);
    EXPECT_EQ(markup["one_time_keyboard"], true);
}

TEST(TelegramRender, LongMultibyteTextIsSplitWithTheKeyboardOnTheLastPart) {
    // 3 000 "Đường " words = 18 000 characters, 2 bytes each for Đ and ư/ờ.
    std::string text;
    for (int i = 0; i < 3000; ++i) text += "Đường ";
    text += "👍";
    core::outbound_message m{text, {{"ok", "Đồng ý"}}, core::input_hint::choice};
    auto reqs = make().render("123456789", m);
    ASSERT_GE(reqs.size(), 5u);
    std::string joined;
    for (std::size_t i = 0; i < reqs.size(); ++i) {
        auto b = body_of(reqs[i]);
        const auto part = b["text"].get<std::string>();
        EXPECT_LE(text_length(part, length_unit::utf16_units), 4096u);
        EXPECT_TRUE(core::valid_utf8(part));
        EXPECT_EQ(b.contains("reply_markup"), i + 1 == reqs.size());
        // Split at spaces, which are dropped: no part starts or ends inside a word.
        EXPECT_EQ(part.rfind("Đường", 0), 0u);
        joined += (i ? " " : "") + part;
    }
    EXPECT_EQ(joined + (text.back() == ' ' ? " " : ""), text);
}

TEST(TelegramRender, ExactlyTheLimitIsOneMessage) {
    std::string text;
    for (int i = 0; i < 4096; ++i) text += "ệ";
    EXPECT_EQ(make().render("1", {text, {}, core::input_hint::none}).size(), 1u);
    text += "ệ";
    auto reqs = make().render("1", {text, {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 2u);
    EXPECT_EQ(body_of(reqs[1])["text"], "ệ");
}

TEST(TelegramRender, EmptyTextSendsNothing) {
    EXPECT_TRUE(make().render("1", {"", {{"a", "A"}}, core::input_hint::choice}).empty());
}

TEST(TelegramRender, NonNumericChatIdStaysAString) {
    auto b = body_of(make().render("@channelname", {"x", {}, core::input_hint::none}).at(0));
    EXPECT_EQ(b["chat_id"], "@channelname");
}

// ---- acknowledge ------------------------------------------------------------------------

TEST(TelegramAcknowledge, CallbackQueriesAreAnswered) {
    auto a = make();
    auto r = a.parse(request(fixture("callback_query.json")));
    ASSERT_EQ(r.events.size(), 1u);
    auto ack = a.acknowledge(r.events[0]);
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->url,
              std::string("https://api.telegram.org/bot") + token + "/answerCallbackQuery");
    EXPECT_EQ(json::parse(ack->body),
              json::parse(R"({"callback_query_id":"4382964011264000123"})"));
}

TEST(TelegramAcknowledge, MessagesNeedNoAnswer) {
    auto a = make();
    auto r = a.parse(request(fixture("text_plain.json")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_FALSE(a.acknowledge(r.events[0]));
}

// ---- classify ---------------------------------------------------------------------------

TEST(TelegramClassify, OkIsSent) {
    auto v = make().classify(200, R"({"ok":true,"result":{"message_id":7,
        "chat":{"id":1,"type":"private"},"date":1,"text":"x"}})");
    EXPECT_EQ(v.outcome, send_verdict::kind::sent);
}

TEST(TelegramClassify, TooManyRequestsRetriesAfterTheGivenSeconds) {
    auto v = make().classify(429, R"({"ok":false,"error_code":429,
        "description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}})");
    EXPECT_EQ(v.outcome, send_verdict::kind::retry);
    ASSERT_TRUE(v.retry_after);
    EXPECT_EQ(*v.retry_after, std::chrono::milliseconds(7000));
    EXPECT_EQ(v.reason, "Too Many Requests: retry after 7");
}

TEST(TelegramClassify, ServerErrorsRetry) {
    for (unsigned s : {500u, 502u, 503u, 504u}) {
        auto v = make().classify(s, "<html>Bad Gateway</html>");
        EXPECT_EQ(v.outcome, send_verdict::kind::retry) << s;
        EXPECT_FALSE(v.retry_after);
    }
}

TEST(TelegramClassify, BlockedIsPermanent) {
    auto v = make().classify(403, R"({"ok":false,"error_code":403,
        "description":"Forbidden: bot was blocked by the user"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "blocked by the user");
    auto d = make().classify(403, R"({"ok":false,"error_code":403,
        "description":"Forbidden: user is deactivated"})");
    EXPECT_EQ(d.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(d.reason, "Forbidden: user is deactivated");
}

TEST(TelegramClassify, BadRequestIsPermanentWithTheDescription) {
    auto v = make().classify(400, R"({"ok":false,"error_code":400,
        "description":"Bad Request: message is too long"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "Bad Request: message is too long");
    EXPECT_EQ(make().classify(404, "").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make()
                  .classify(401, R"({"ok":false,"error_code":401,"description":"Unauthorized"})")
                  .reason,
              "Unauthorized");
}

TEST(TelegramClassify, TheTokenNeverAppearsInAReason) {
    const std::string echo =
        std::string(R"({"ok":false,"error_code":400,"description":"bad )") + token + R"("})";
    auto v = make().classify(400, echo);
    EXPECT_EQ(v.reason.find(token), std::string::npos);
    EXPECT_EQ(v.reason.find("AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"), std::string::npos);
}

TEST(TelegramClassify, GarbageWith200IsNotCountedAsSent) {
    EXPECT_EQ(make().classify(200, "not json").outcome, send_verdict::kind::permanent);
    EXPECT_EQ(make().classify(200, R"({"ok":false})").outcome, send_verdict::kind::permanent);
}

TEST(TelegramMedia, APhotoIsLookedUpWithGetFileThenDownloadedFromItsFilePath) {
    auto tg = make("http://127.0.0.1:9");
    auto lookup = tg.media_lookup("AgACAgIAAxkBAAIBZ2X");
    ASSERT_TRUE(lookup);
    EXPECT_EQ(lookup->method, "POST");
    EXPECT_EQ(lookup->url, std::string("http://127.0.0.1:9/bot") + token + "/getFile");
    EXPECT_EQ(json::parse(lookup->body), json({{"file_id", "AgACAgIAAxkBAAIBZ2X"}}));
    EXPECT_FALSE(tg.media_lookup(""));

    auto download = tg.media_download(
        200, R"({"ok":true,"result":{"file_id":"x","file_unique_id":"y","file_size":4242,"file_path":"photos/file_12.jpg"}})");
    ASSERT_TRUE(download);
    EXPECT_EQ(download->method, "GET");
    EXPECT_EQ(download->url, std::string("http://127.0.0.1:9/file/bot") + token + "/photos/file_12.jpg");
    EXPECT_TRUE(download->body.empty());
}

TEST(TelegramMedia, NoDownloadWithoutAFilePathTelegramGave) {
    auto tg = make();
    EXPECT_FALSE(tg.media_download(400, R"({"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"})"));
    EXPECT_FALSE(tg.media_download(200, "not json"));
    EXPECT_FALSE(tg.media_download(200, R"({"ok":true,"result":{"file_id":"x"}})")) << "too big for bots: no path";
    for (const char* path : {"../secret", "/etc/passwd", "photos/a.jpg?x=1", "photos/a.jpg#x"}) {
        json answer = {{"ok", true}, {"result", {{"file_path", path}}}};
        EXPECT_FALSE(tg.media_download(200, answer.dump())) << path;
    }
}

}  // namespace
}  // namespace dgw::channels

namespace dgw::channels {
namespace {

// A deep link (t.me/<bot>?start=moi_<session>) opens the chat with "/start <payload>": the
// invitation is kept and the citizen greeted as after a plain "/start"; anything else after
// "/start" is left as the citizen's text.
TEST(TelegramParse, ADeepLinkCarriesTheInvitation) {
    auto update = [](const std::string& text) {
        return nlohmann::json{{"update_id", 9},
                              {"message", {{"message_id", 5}, {"date", 1790000000},
                                           {"chat", {{"id", 42}, {"type", "private"}}},
                                           {"from", {{"id", 42}, {"is_bot", false}, {"first_name", "Dân"}}},
                                           {"text", text}}}}
            .dump();
    };
    auto r = make().parse(request(update("/start moi_province-15-2027-04-16")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].invite, "province-15-2027-04-16");
    EXPECT_EQ(r.events[0].text, "/start");
    for (const char* other : {"/start", "/start hello", "/start moi_", "/start moi_a b", "/startmoi_x"}) {
        r = make().parse(request(update(other)));
        ASSERT_EQ(r.events.size(), 1u) << other;
        EXPECT_EQ(r.events[0].invite, "") << other;
        EXPECT_EQ(r.events[0].text, other);
    }
}

}  // namespace
}  // namespace dgw::channels
