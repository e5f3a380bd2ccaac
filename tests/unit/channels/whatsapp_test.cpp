// Golden tests of the WhatsApp Cloud API adapter: every payload in tests/fixtures/whatsapp/ maps
// to its normalised events (in order) and ignored count, or to a 4xx; the GET handshake and
// the X-Hub-Signature-256 check have their negative cases; rendering (text, reply buttons,
// list, numbered lines, splitting) and classification follow the Cloud API.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/whatsapp.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* app_secret = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d";
constexpr const char* verify_token = "wa-verify-Token_4567";
constexpr const char* access_token = "EAAJB3wa0accessTOKEN987654321ZZ";
constexpr const char* phone_number_id = "106540352242922";
constexpr const char* wamid = "wamid.HBgLODQ5MTIzNDU2NzgVAgASGBQzQUY";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/whatsapp/" + name);
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

whatsapp_adapter make(std::string number = phone_number_id,
                      std::string api_base = "https://graph.facebook.com/v21.0") {
    return whatsapp_adapter(
        {app_secret, verify_token, access_token, std::move(number), std::move(api_base)});
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // JSON array of to_json of the events; "@N" stands for wamid + "N"
    std::size_t ignored;
};

class WhatsappGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(WhatsappGolden, MapsToTheExpectedEvents) {
    const auto& c = GetParam();
    auto r = make().parse(post(fixture(c.fixture)));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(r.ignored, c.ignored);
    json events = json::array();
    for (const auto& ev : r.events) events.push_back(ev);
    std::string expected = c.expected;
    for (auto at = expected.find("\"@"); at != std::string::npos; at = expected.find("\"@"))
        expected.replace(at + 1, 1, wamid);
    EXPECT_EQ(events, json::parse(expected));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, WhatsappGolden,
    ::testing::Values(
        golden_case{"text.json",
                    R"([{"dedup_key":"@101","user_id":"84912345678","kind":"text",
                         "text":"Xin chào","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"text_diacritics.json",
                    R"([{"dedup_key":"@102","user_id":"84912345678","kind":"text",
                         "text":"Đường vào bản Tả Van bị sạt lở","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"text_escaped.json",
                    R"([{"dedup_key":"wamid.escaped120","user_id":"84912345678","kind":"text",
                         "text":"Đường 3/2 bị ngập","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"button_reply.json",
                    R"([{"dedup_key":"@104","user_id":"84912345678","kind":"choice",
                         "choice_id":"yes","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"list_reply.json",
                    R"([{"dedup_key":"@105","user_id":"84912345678","kind":"choice",
                         "choice_id":"topic:land","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"template_button.json",
                    R"([{"dedup_key":"@106","user_id":"84912345678","kind":"choice",
                         "choice_id":"survey:good","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"location.json",
                    R"([{"dedup_key":"@107","user_id":"84912345678","kind":"location",
                         "lat":21.028511,"lon":105.804817,"display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"image.json",
                    R"([{"dedup_key":"@108","user_id":"84912345678","kind":"image",
                         "text":"Ổ gà trên quốc lộ 4D","media":["1479537139650973"],
                         "display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"contacts.json",
                    R"([{"dedup_key":"@109","user_id":"84912345678","kind":"contact",
                         "phone":"+84 90 123 4567","display_name":"Lan Nguyễn"}])",
                    0},
        golden_case{"batch.json",
                    R"([{"dedup_key":"@301","user_id":"84912345678","kind":"text",
                         "text":"Chào","display_name":"Lan Nguyễn"},
                        {"dedup_key":"wamid.HBgLODQ5ODc2NTQzMjEVAgASGBQzQUY302",
                         "user_id":"84987654321","kind":"choice","choice_id":"topic:roads",
                         "display_name":"Minh"},
                        {"dedup_key":"@306","user_id":"84912345678","kind":"location",
                         "lat":10.7769,"lon":106.7009,"display_name":"Lan Nguyễn"}])",
                    3},
        golden_case{"statuses.json", "[]", 3}, golden_case{"failed_status.json", "[]", 1},
        golden_case{"value_errors.json", "[]", 1}, golden_case{"reaction.json", "[]", 1},
        golden_case{"unsupported.json", "[]", 1}, golden_case{"group.json", "[]", 1},
        golden_case{"other_number.json", "[]", 1}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(WhatsappParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở ở Sa Pả";
    ASSERT_EQ(body.find(nfc_text), std::string::npos);  // really decomposed
    auto r = make().parse(post(body));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].text, nfc_text);
}

TEST(WhatsappParse, EscapedBodyIsVerifiedOverItsRawBytes) {
    const std::string body = fixture("text_escaped.json");
    ASSERT_NE(body.find("3\\/2"), std::string::npos);
    EXPECT_EQ(make().parse(post(body)).outcome, parse_result::verdict::accept);
    auto req = post(body);
    req.headers["x-hub-signature-256"] = signature(json::parse(body).dump());
    EXPECT_EQ(make().parse(req).outcome, parse_result::verdict::unauthorized);
}

TEST(WhatsappParse, WithoutAConfiguredNumberEveryNumberIsServed) {
    auto r = make("").parse(post(fixture("other_number.json")));
    EXPECT_EQ(r.events.size(), 1u);
}

TEST(WhatsappParse, BrokenJsonIsABadRequest) {
    auto r = make().parse(post(fixture("broken_json.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 400u);
}

TEST(WhatsappParse, AnotherObjectIsRefusedWith404) {
    auto r = make().parse(post(fixture("not_waba.json")));
    EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
    EXPECT_EQ(r.status, 404u);
}

TEST(WhatsappParse, MalformedShapes) {
    for (const std::string& body :
         {std::string("{}"), std::string("null"), std::string(),
          std::string(R"({"object":"whatsapp_business_account"})"),
          std::string(R"({"object":"whatsapp_business_account","entry":"x"})")}) {
        auto r = make().parse(post(body));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << body;
    }
    // Broken parts of a valid body are ignored; the good message still counts.
    auto r = make().parse(post(R"({"object":"whatsapp_business_account","entry":[{"id":"1",
        "changes":[{"field":"account_update","value":{}},{"field":"messages","value":{
        "metadata":{"phone_number_id":"106540352242922"},
        "messages":[{"id":"w1","type":"text","text":{"body":"no from"}},
                    {"from":"1","id":"w2","type":"text","text":"not an object"},
                    {"from":"1","id":"w3","type":"location","location":{"latitude":"1"}},
                    {"from":"1","id":"w4","type":"text","text":{"body":"ok"}}]}}]},
        {"id":"2"}]})"));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].dedup_key, "w4");
    EXPECT_TRUE(r.events[0].display_name.empty());
    EXPECT_EQ(r.ignored, 5u);
}

TEST(WhatsappVerify, HandshakeRightAndWrongToken) {
    webhook_request g;
    g.method = "GET";
    g.query = std::string("hub.mode=subscribe&hub.challenge=824510&hub.verify_token=") +
              verify_token;
    auto ok = make().parse(g);
    EXPECT_EQ(ok.outcome, parse_result::verdict::accept);
    EXPECT_EQ(ok.response_body, "824510");
    EXPECT_EQ(ok.response_content_type, "text/plain");
    g.query = "hub.mode=subscribe&hub.challenge=824510&hub.verify_token=wrong";
    auto bad = make().parse(g);
    EXPECT_EQ(bad.outcome, parse_result::verdict::unauthorized);
    EXPECT_EQ(bad.status, 403u);
    EXPECT_TRUE(bad.response_body.empty());
}

TEST(WhatsappSignature, MissingOrWrongIsUnauthorized) {
    const std::string body = fixture("text.json");
    for (const std::optional<std::string>& h :
         {std::optional<std::string>{}, std::optional<std::string>{"sha256=00"},
          std::optional<std::string>{signature(body, "other")},
          std::optional<std::string>{signature(body).substr(7)}}) {
        auto req = post(body);
        if (h) {
            req.headers["x-hub-signature-256"] = *h;
        } else {
            req.headers.erase("x-hub-signature-256");
        }
        auto r = make().parse(req);
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << h.value_or("<none>");
        EXPECT_EQ(r.status, 401u);
        EXPECT_EQ(r.error.find(app_secret), std::string::npos);
    }
    EXPECT_EQ(make().parse(post(body)).outcome, parse_result::verdict::accept);
}

// ---- render -----------------------------------------------------------------------------

json body_of(const send_request& r) { return json::parse(r.body); }

core::outbound_message with_choices(std::string text, int n) {
    core::outbound_message m{std::move(text), {}, core::input_hint::choice};
    for (int i = 1; i <= n; ++i)
        m.choices.push_back({"c" + std::to_string(i), "Lựa chọn " + std::to_string(i)});
    return m;
}

TEST(WhatsappRender, PlainText) {
    auto reqs = make(phone_number_id, "http://127.0.0.1:5000/")
                    .render("84912345678", {"Cảm ơn bạn!", {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(reqs[0].method, "POST");
    EXPECT_EQ(reqs[0].url, std::string("http://127.0.0.1:5000/") + phone_number_id + "/messages");
    EXPECT_EQ(reqs[0].headers,
              (std::vector<std::pair<std::string, std::string>>{
                  {"Authorization", std::string("Bearer ") + access_token},
                  {"Content-Type", "application/json"}}));
    EXPECT_EQ(reqs[0].url.find(access_token), std::string::npos);
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"messaging_product":"whatsapp",
        "recipient_type":"individual","to":"84912345678","type":"text",
        "text":{"body":"Cảm ơn bạn!"}})"));
}

TEST(WhatsappRender, UpToThreeChoicesAreReplyButtons) {
    core::outbound_message m{"Bạn có đồng ý?",
                             {{"yes", "Đồng ý"},
                              {"no", "Không"},
                              {"later", "Để sau, khi nào rảnh thì"}},
                             core::input_hint::yes_no};
    auto reqs = make().render("84912345678", m);
    ASSERT_EQ(reqs.size(), 1u);
    EXPECT_EQ(body_of(reqs[0]), json::parse(R"({"messaging_product":"whatsapp",
        "recipient_type":"individual","to":"84912345678","type":"interactive",
        "interactive":{"type":"button","body":{"text":"Bạn có đồng ý?"},
          "action":{"buttons":[
            {"type":"reply","reply":{"id":"yes","title":"Đồng ý"}},
            {"type":"reply","reply":{"id":"no","title":"Không"}},
            {"type":"reply","reply":{"id":"later","title":"Để sau, khi nào"}}]}}})"));
}

TEST(WhatsappRender, FourToTenChoicesAreAList) {
    for (int n : {4, 10}) {
        auto m = with_choices("Chọn lĩnh vực:", n);
        m.choices[0].label = "Giao thông vận tải và hạ tầng";
        auto reqs = make().render("84912345678", m);
        ASSERT_EQ(reqs.size(), 1u);
        auto b = body_of(reqs[0]);
        EXPECT_EQ(b["type"], "interactive");
        const auto& in = b["interactive"];
        EXPECT_EQ(in["type"], "list");
        EXPECT_EQ(in["body"]["text"], "Chọn lĩnh vực:");
        EXPECT_EQ(in["action"]["button"], "Chọn");
        ASSERT_EQ(in["action"]["sections"].size(), 1u);
        const auto& rows = in["action"]["sections"][0]["rows"];
        ASSERT_EQ(rows.size(), static_cast<std::size_t>(n));
        EXPECT_EQ(rows[0], json::parse(R"({"id":"c1","title":"Giao thông vận tải và"})"));
        EXPECT_EQ(rows[1], json::parse(R"({"id":"c2","title":"Lựa chọn 2"})"));
        for (const auto& row : rows)
            EXPECT_LE(text_length(row["title"].get<std::string>(), length_unit::code_points),
                      24u);
    }
}

TEST(WhatsappRender, MoreThanTenChoicesAreNumberedLines) {
    auto reqs = make().render("84912345678", with_choices("Chọn xã:", 11));
    ASSERT_EQ(reqs.size(), 1u);
    auto b = body_of(reqs[0]);
    EXPECT_EQ(b["type"], "text");
    const auto text = b["text"]["body"].get<std::string>();
    EXPECT_EQ(text.rfind("Chọn xã:\n\n1. Lựa chọn 1\n2. Lựa chọn 2\n", 0), 0u);
    EXPECT_NE(text.find("\n11. Lựa chọn 11"), std::string::npos);
}

TEST(WhatsappRender, LongTextIsSplitAt4096) {
    std::string text;
    for (int i = 0; i < 1500; ++i) text += "Đường ";
    auto reqs = make().render("1", {text, {}, core::input_hint::none});
    ASSERT_EQ(reqs.size(), 3u);
    for (const auto& r : reqs) {
        const auto part = body_of(r)["text"]["body"].get<std::string>();
        EXPECT_LE(text_length(part, length_unit::code_points), 4096u);
        EXPECT_TRUE(core::valid_utf8(part));
    }
}

TEST(WhatsappRender, InteractiveOverflowGoesInAPrecedingText) {
    std::string text;
    for (int i = 0; i < 300; ++i) text += "Đường ";  // 1800 characters
    text += "Bạn chọn gì?";
    auto reqs = make().render("1", with_choices(text, 2));
    ASSERT_EQ(reqs.size(), 2u);
    auto first = body_of(reqs[0]);
    auto last = body_of(reqs[1]);
    EXPECT_EQ(first["type"], "text");
    EXPECT_EQ(last["type"], "interactive");
    const auto head = first["text"]["body"].get<std::string>();
    const auto body = last["interactive"]["body"]["text"].get<std::string>();
    EXPECT_LE(text_length(body, length_unit::code_points), 1024u);
    EXPECT_EQ(head + " " + body, text);
    EXPECT_EQ(body.substr(body.size() - std::string("Bạn chọn gì?").size()), "Bạn chọn gì?");
}

TEST(WhatsappRender, EmptyTextSendsNothing) {
    EXPECT_TRUE(make().render("1", with_choices("", 2)).empty());
}

TEST(WhatsappAcknowledge, NothingToAnswer) {
    auto r = make().parse(post(fixture("button_reply.json")));
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_FALSE(make().acknowledge(r.events[0]));
}

// ---- classify ---------------------------------------------------------------------------

std::string cloud_error(int code, const std::string& message, const std::string& details = "") {
    json e{{"message", message}, {"type", "OAuthException"}, {"code", code},
           {"fbtrace_id", "Az8or2yhqkZfEZ-_4Qn_Bam"}};
    if (!details.empty())
        e["error_data"] = {{"messaging_product", "whatsapp"}, {"details", details}};
    return json{{"error", e}}.dump();
}

TEST(WhatsappClassify, OkIsSent) {
    auto v = make().classify(200, R"({"messaging_product":"whatsapp",
        "contacts":[{"input":"84912345678","wa_id":"84912345678"}],
        "messages":[{"id":"wamid.HBgLODQ5MTIzNDU2NzgVAgARGBI3"}]})");
    EXPECT_EQ(v.outcome, send_verdict::kind::sent);
    EXPECT_EQ(make().classify(200, "{}").outcome, send_verdict::kind::permanent);
}

TEST(WhatsappClassify, ReEngagementIsPermanent) {
    auto v = make().classify(
        400, cloud_error(131047, "(#131047) Re-engagement message",
                         "Message failed to send because more than 24 hours have passed since "
                         "the customer last replied to this number."));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason, "outside the 24-hour window");
    EXPECT_TRUE(v.path_refused);
}

TEST(WhatsappClassify, RateLimitsAndServerErrorsRetry) {
    for (int code : {131056, 130429, 80007, 131000, 131016, 133004}) {
        auto v = make().classify(400, cloud_error(code, "(#" + std::to_string(code) + ") limit"));
        EXPECT_EQ(v.outcome, send_verdict::kind::retry) << code;
    }
    EXPECT_EQ(make().classify(502, "Bad Gateway").outcome, send_verdict::kind::retry);
}

TEST(WhatsappClassify, UndeliverableAndBadTokenArePermanent) {
    auto u = make().classify(400, cloud_error(131026, "Message Undeliverable"));
    EXPECT_EQ(u.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(u.reason, "message undeliverable");
    auto t = make().classify(
        401, cloud_error(190, std::string("Error validating access token: ") + access_token));
    EXPECT_EQ(t.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(t.reason.find(access_token), std::string::npos);
}

TEST(WhatsappClassify, OtherErrorsArePermanentWithTheDetails) {
    auto v = make().classify(400, cloud_error(131009, "(#131009) Parameter value is not valid",
                                              "Button title length invalid. Max length: 20"));
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_EQ(v.reason,
              "(#131009) Parameter value is not valid: Button title length invalid. "
              "Max length: 20");
}

// ---- precheck: the 24-hour window --------------------------------------------------------

// WhatsApp's customer service window: free-form messages only within 24 hours of the
// citizen's last message (the Messenger test covers the boundary cases).
TEST(WhatsAppPrecheck, OnlyTheContactsLastMessageAgeDecides) {
    const auto now = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 365 * 56);
    for (auto [age_hours, closed] : {std::pair{1, false}, {30, true}, {24 * 7, true}}) {
        render_context ctx;
        ctx.now = now;
        ctx.last_inbound_at = now - std::chrono::hours(age_hours);
        // The event being answered does not matter, only when the contact last wrote.
        ctx.inbound_at = now - std::chrono::hours(24 * 30);
        const auto verdict = make().precheck(ctx);
        EXPECT_EQ(verdict.has_value(), closed) << age_hours << " h";
        if (verdict) {
            EXPECT_EQ(verdict->reason, "outside the 24-hour messaging window");
        }
    }
}

// ---- media: the Graph API's lookup, then Meta's download URL, both with the token ----------

TEST(WhatsAppMedia, APhotoIsLookedUpByItsIdThenDownloadedFromTheUrlMetaGave) {
    const auto a = make();
    EXPECT_TRUE(a.fetches_media());
    EXPECT_FALSE(a.media_lookup_is_download());
    // The id the image event carried.
    auto r = a.parse(post(fixture("image.json")));
    ASSERT_EQ(r.events.size(), 1u);
    ASSERT_EQ(r.events[0].media, std::vector<std::string>{"1479537139650973"});
    const std::vector<std::pair<std::string, std::string>> bearer{
        {"Authorization", std::string("Bearer ") + access_token}};

    auto lookup = a.media_lookup(r.events[0].media[0]);
    ASSERT_TRUE(lookup);
    EXPECT_EQ(lookup->method, "GET");
    EXPECT_EQ(lookup->url, "https://graph.facebook.com/v21.0/1479537139650973");
    EXPECT_EQ(lookup->headers, bearer);
    EXPECT_EQ(lookup->body, "");

    // Meta's answer (the URL is valid for five minutes).
    const std::string url =
        "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1479537139650973&ext="
        "1727000000&hash=ATu0Xyz";
    const json answer = {{"messaging_product", "whatsapp"},
                         {"url", url},
                         {"mime_type", "image/jpeg"},
                         {"sha256", "29ed500fa64eb55fc19dc4124acb300e5dcc54a0f822a301ae99944db"},
                         {"file_size", "303833"},
                         {"id", "1479537139650973"}};
    auto download = a.media_download(200, answer.dump());
    ASSERT_TRUE(download);
    EXPECT_EQ(download->method, "GET");
    EXPECT_EQ(download->url, url);
    EXPECT_EQ(download->headers, bearer) << "the download needs the token too";
}

TEST(WhatsAppMedia, ATestPointsTheLookupAndTheDownloadAtItsMocks) {
    whatsapp_settings s{app_secret, verify_token, access_token, phone_number_id,
                        "http://127.0.0.1:8081/", {}};
    s.media_base = "http://127.0.0.1:8082/";
    const whatsapp_adapter a(s);
    EXPECT_EQ(a.media_lookup("42")->url, "http://127.0.0.1:8081/42");
    auto on_mock = a.media_download(200, R"({"url":"http://127.0.0.1:8082/media/42?x=1"})");
    ASSERT_TRUE(on_mock);
    EXPECT_EQ(on_mock->url, "http://127.0.0.1:8082/media/42?x=1");
    // The API's own host is Meta's too.
    EXPECT_TRUE(a.media_download(200, R"({"url":"http://127.0.0.1:8081/v21.0/file/42"})"));
    // Meta's real download host is not this channel's media_base.
    EXPECT_FALSE(a.media_download(
        200, R"({"url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=42"})"));
}

TEST(WhatsAppMedia, AnIdThatIsNotAMediaIdNeverBecomesAPath) {
    const auto a = make();
    for (const char* bad : {"", "../me/accounts", "106540352242922/messages", "12a", "1 2",
                            "12?fields=owner", "123456789012345678901234567890123"})
        EXPECT_FALSE(a.media_lookup(bad)) << bad;
    EXPECT_TRUE(a.media_lookup("12345678901234567890123456789012"));
}

TEST(WhatsAppMedia, TheTokenIsNeverSentToAUrlElsewhere) {
    const auto a = make();
    for (const char* url :
         {"https://evil.example/whatsapp_business/attachments/?mid=1",
          "https://lookaside.fbsbx.com.evil.example/x", "https://lookaside.fbsbx.com@evil.example/x",
          "https://lookaside.fbsbx.com:8443/x", "http://lookaside.fbsbx.com/x",
          "https://scontent.xx.fbcdn.net/v/t1/x.jpg", "https://graph.facebook.com.evil.example/x",
          "//lookaside.fbsbx.com/x", "/whatsapp_business/attachments/?mid=1",
          "https://lookaside.fbsbx.com/x y", "https://lookaside.fbsbx.com/x\r\nHost: a"}) {
        const json answer = {{"url", url}};
        EXPECT_FALSE(a.media_download(200, answer.dump())) << url;
    }
    // Not Meta's answer to a lookup: no request either.
    const std::string ok = R"({"url":"https://lookaside.fbsbx.com/x"})";
    EXPECT_TRUE(a.media_download(200, ok));
    EXPECT_FALSE(a.media_download(404, ok));
    EXPECT_FALSE(a.media_download(200, R"({"error":{"code":100,"message":"Unsupported get"}})"));
    EXPECT_FALSE(a.media_download(200, R"({"url":42})"));
    EXPECT_FALSE(a.media_download(200, "not json"));
}

}  // namespace
}  // namespace dgw::channels
