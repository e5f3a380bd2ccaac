// Golden tests of the web chat adapter: every body in tests/fixtures/webchat/ maps to one
// normalised event or to a 400; the session cookie, the content type (CSRF) and the method have
// their negative cases; photos are recognised by their bytes, not their header.

#include <dgw/channels/webchat.hpp>
#include <dgw/core/text.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

constexpr const char* session = "0123456789abcdef0123456789abcdef";
constexpr const char* key = "test-key-0123456789abcdef0123456789";
// The cookie the gateway issues for `session` under `key`.
const std::string signed_cookie = std::string("dgw_chat=") + webchat_cookie_value(session, key);

// An adapter that accepts the sessions the gateway signs with `key`.
webchat_adapter adapter(webchat_settings s = {}) {
    s.session_key = key;
    return webchat_adapter(std::move(s));
}
// "w" + the first 32 hex digits of SHA-256("dgw-webchat-session:" + session), computed apart.
constexpr const char* user = "w62286c3ec8d06b9f3cf6924f80668534";

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(DGW_FIXTURES_DIR) + "/webchat/" + name);
    EXPECT_TRUE(in) << "missing fixture " << name;
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

webhook_request request(std::string body, std::string cookie = signed_cookie,
                        std::string content_type = "application/json") {
    webhook_request r;
    r.method = "POST";
    r.path = "/webhooks/web";
    r.body = std::move(body);
    if (!content_type.empty()) r.headers["content-type"] = content_type;
    if (!cookie.empty()) r.headers["cookie"] = cookie;
    return r;
}

// ---- parse: golden fixtures --------------------------------------------------------------

struct golden_case {
    const char* fixture;
    const char* expected;  // to_json of the one event, or "400"
};

class WebchatGolden : public ::testing::TestWithParam<golden_case> {};

TEST_P(WebchatGolden, MapsToTheExpectedEvent) {
    const auto& c = GetParam();
    auto r = adapter().parse(request(fixture(c.fixture)));
    if (std::string(c.expected) == "400") {
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request);
        EXPECT_EQ(r.status, 400u);
        EXPECT_FALSE(r.error.empty());
        EXPECT_TRUE(r.events.empty());
        return;
    }
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    EXPECT_EQ(r.status, 200u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(json(r.events[0]), json::parse(c.expected));
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, WebchatGolden,
    ::testing::Values(
        golden_case{"text_diacritics.json",
                    R"({"dedup_key":"w62286c3ec8d06b9f3cf6924f80668534:4f9c2d1a-8b7e-4c55-9a10-3e2f1b0c9d88",
                        "user_id":"w62286c3ec8d06b9f3cf6924f80668534","kind":"text",
                        "text":"Đường vào thôn bị sạt lở","language":"vi"})"},
        golden_case{"text_english.json",
                    R"({"dedup_key":"w62286c3ec8d06b9f3cf6924f80668534:m-5",
                        "user_id":"w62286c3ec8d06b9f3cf6924f80668534","kind":"text",
                        "text":"hello","language":"en"})"},
        golden_case{"choice.json",
                    R"({"dedup_key":"w62286c3ec8d06b9f3cf6924f80668534:m-2",
                        "user_id":"w62286c3ec8d06b9f3cf6924f80668534","kind":"choice",
                        "choice_id":"raise"})"},
        golden_case{"location.json",
                    R"({"dedup_key":"w62286c3ec8d06b9f3cf6924f80668534:m-3",
                        "user_id":"w62286c3ec8d06b9f3cf6924f80668534","kind":"location",
                        "lat":22.336331,"lon":103.843761})"},
        golden_case{"image.json",
                    R"({"dedup_key":"w62286c3ec8d06b9f3cf6924f80668534:m-4",
                        "user_id":"w62286c3ec8d06b9f3cf6924f80668534","kind":"image",
                        "text":"Ổ gà trên quốc lộ 4D",
                        "media":["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg"]})"},
        golden_case{"two_inputs.json", "400"}, golden_case{"image_bad_id.json", "400"},
        golden_case{"location_out_of_range.json", "400"}, golden_case{"bad_id.json", "400"},
        golden_case{"no_id.json", "400"}, golden_case{"unknown_key.json", "400"},
        golden_case{"blank_text.json", "400"}, golden_case{"broken_json.json", "400"},
        golden_case{"not_an_object.json", "400"}),
    [](const ::testing::TestParamInfo<golden_case>& param_info) {
        std::string n = param_info.param.fixture;
        return n.substr(0, n.find('.'));
    });

TEST(WebchatParse, NfdTextIsNormalisedToNfc) {
    const std::string body = fixture("text_nfd.json");
    const std::string nfc_text = "Đường bị sạt lở";
    // The fixture really is decomposed: its text is not byte-equal to the NFC form.
    ASSERT_EQ(body.find(nfc_text), std::string::npos);
    auto r = adapter().parse(request(body));
    ASSERT_EQ(r.events.size(), 1u) << r.error;
    EXPECT_EQ(r.events[0].text, nfc_text);
}

TEST(WebchatParse, TheSameClientIdIsTheSameDedupKeyAndAnotherSessionIsAnotherUser) {
    const std::string body = fixture("choice.json");
    auto a = adapter();
    auto first = a.parse(request(body));
    auto again = a.parse(request(body));
    auto other = a.parse(
        request(body, "dgw_chat=" + webchat_cookie_value("ffffffffffffffffffffffffffffffff", key)));
    ASSERT_EQ(first.events.size(), 1u);
    ASSERT_EQ(again.events.size(), 1u);
    ASSERT_EQ(other.events.size(), 1u);
    EXPECT_EQ(first.events[0].dedup_key, again.events[0].dedup_key);
    EXPECT_NE(first.events[0].user_id, other.events[0].user_id);
    EXPECT_NE(first.events[0].dedup_key, other.events[0].dedup_key);
    // The stored user id never contains the session secret.
    EXPECT_EQ(first.events[0].user_id.find(session), std::string::npos);
    EXPECT_EQ(first.events[0].dedup_key.find(session), std::string::npos);
}

TEST(WebchatParse, AMissingMalformedOrForgedSessionIs401) {
    const std::string body = fixture("choice.json");
    const std::string signature = webchat_cookie_value(session, key).substr(33);
    const std::string other_key = webchat_cookie_value(session, "another-key-0123456789abcdef0123");
    for (std::string cookie :
         {std::string(""), std::string("other=1"),
          // What a client used to be able to make up: 128 bits, unsigned.
          std::string("dgw_chat=") + session, std::string("dgw_chat=") + session + ".",
          std::string("dgw_chat=") + other_key,
          std::string("dgw_chat=ffffffffffffffffffffffffffffffff.") + signature,
          std::string("dgw_chat=") + session + "." + signature + "0", std::string("dgw_chat="),
          std::string("dgw_chat=0123456789ABCDEF0123456789ABCDEF"),
          std::string("dgw_chat=0123456789abcdef"),
          std::string("dgw_chat=0123456789abcdef0123456789abcdef00"),
          std::string("xdgw_chat=0123456789abcdef0123456789abcdef")}) {
        auto r = adapter().parse(request(body, cookie));
        EXPECT_EQ(r.outcome, parse_result::verdict::unauthorized) << cookie;
        EXPECT_EQ(r.status, 401u) << cookie;
        EXPECT_TRUE(r.events.empty());
    }
}

TEST(WebchatParse, TheSessionIsFoundAmongOtherCookies) {
    auto r = adapter().parse(request(fixture("choice.json"), "a=1; " + signed_cookie + "; b=2"));
    ASSERT_EQ(r.events.size(), 1u) << r.error;
    EXPECT_EQ(r.events[0].user_id, user);
}

TEST(WebchatParse, OnlyJsonPostsAreTaken) {
    const std::string body = fixture("choice.json");
    for (std::string type : {std::string(""), std::string("text/plain"),
                             std::string("application/x-www-form-urlencoded"),
                             std::string("multipart/form-data; boundary=x")}) {
        auto r = adapter().parse(request(body, signed_cookie, type));
        EXPECT_EQ(r.outcome, parse_result::verdict::bad_request) << type;
        EXPECT_EQ(r.status, 415u) << type;
    }
    auto ok = adapter().parse(request(body, signed_cookie, "Application/JSON; charset=utf-8"));
    EXPECT_EQ(ok.outcome, parse_result::verdict::accept) << ok.error;
    auto get = request(body);
    get.method = "GET";
    EXPECT_EQ(adapter().parse(get).outcome, parse_result::verdict::bad_request);
}

TEST(WebchatParse, TooLongTextsAndBadLanguagesAre400) {
    webchat_settings s;
    s.max_text_bytes = 10;
    auto r = adapter(s).parse(request(R"({"id":"a","text":"01234567890"})"));
    EXPECT_EQ(r.status, 400u);
    r = adapter().parse(request(R"({"id":"a","text":"x","lang":"fr"})"));
    EXPECT_EQ(r.status, 400u);
    r = adapter().parse(request(R"({"id":"a","choice":"x","caption":"y"})"));
    EXPECT_EQ(r.status, 400u);
}

TEST(WebchatRender, RepliesAreNeverSentAnywhere) {
    webchat_adapter a;
    core::outbound_message m{"Xin chào", {{"raise", "Gửi phản ánh"}}, core::input_hint::choice};
    EXPECT_TRUE(a.render(user, m).empty());
    core::inbound_event ev;
    EXPECT_FALSE(a.acknowledge(ev).has_value());
    EXPECT_EQ(a.classify(200, "").outcome, send_verdict::kind::sent);
}

// ---- photos ------------------------------------------------------------------------------

TEST(WebchatPhotos, TheFormatIsReadFromTheBytes) {
    EXPECT_EQ(sniff_image("\xFF\xD8\xFF\xE0 rest"), image_format::jpeg);
    EXPECT_EQ(sniff_image(std::string("\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16)), image_format::png);
    EXPECT_EQ(sniff_image("RIFF\x10\0\0\0WEBPVP8 "), std::nullopt);  // literal stops at \0
    EXPECT_EQ(sniff_image(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)), image_format::webp);
    EXPECT_EQ(sniff_image("GIF89a"), std::nullopt);
    EXPECT_EQ(sniff_image("<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), std::nullopt);
    EXPECT_EQ(sniff_image(""), std::nullopt);
    EXPECT_EQ(sniff_image("\xFF\xD8"), std::nullopt);
}

TEST(WebchatPhotos, ContentTypesAndMediaIds) {
    EXPECT_EQ(image_format_of("image/jpeg"), image_format::jpeg);
    EXPECT_EQ(image_format_of("IMAGE/PNG; q=1"), image_format::png);
    EXPECT_EQ(image_format_of("image/webp"), image_format::webp);
    EXPECT_EQ(image_format_of("image/gif"), std::nullopt);
    EXPECT_EQ(image_format_of(""), std::nullopt);
    // SHA-256 of the bytes (computed apart) and the extension of the format.
    const std::string id = media_id("\xFF\xD8\xFF\xE0" "fakejpeg", image_format::jpeg);
    EXPECT_EQ(id, "b9f567aa37541344f8b402eb861816d709bac4ae831943725b1f02a2222fe05e.jpg");
    EXPECT_TRUE(valid_media_id(id));
    EXPECT_FALSE(valid_media_id("../b9f567aa37541344f8b402eb861816d709bac4ae831943725b1f02a2222fe05.jpg"));
    EXPECT_FALSE(valid_media_id("B9F567AA37541344F8B402EB861816D709BAC4AE831943725B1F02A2222FE05E.jpg"));
    EXPECT_FALSE(valid_media_id("b9f567aa37541344f8b402eb861816d709bac4ae831943725b1f02a2222fe05e.exe"));
    EXPECT_FALSE(valid_media_id("b9f567aa37541344f8b402eb861816d709bac4ae831943725b1f02a2222fe05e"));
}

TEST(WebchatSession, OnlyValuesTheGatewaySignedAreASession) {
    EXPECT_EQ(webchat_session(signed_cookie, key), session);
    EXPECT_EQ(webchat_session("x=1;" + signed_cookie, key), session);
    EXPECT_EQ(webchat_session(signed_cookie, "another-key-0123456789abcdef0123"), std::nullopt);
    EXPECT_EQ(webchat_session(signed_cookie, ""), std::nullopt) << "no key, no session";
    EXPECT_EQ(webchat_session("", key), std::nullopt);
    EXPECT_EQ(webchat_session(std::string("dgw_chat=") + session, key), std::nullopt);
    const auto value = webchat_cookie_value(session, key);
    EXPECT_EQ(value.size(), 32u + 1u + 64u);
    EXPECT_EQ(webchat_session("dgw_chat=zz" + value.substr(2), key), std::nullopt);
    EXPECT_EQ(webchat_user_id(session), user);
}

}  // namespace
}  // namespace dgw::channels

namespace dgw::channels {
namespace {

// The page opened from an invitation (/chat?start=moi_<session>) sends it with each message.
TEST(WebchatParse, AnInvitationComesWithTheMessage) {
    auto r = adapter().parse(request(R"({"id":"m-9","text":"xin chao","invite":"moi_province-15-2027-04-16"})"));
    ASSERT_EQ(r.events.size(), 1u) << r.error;
    EXPECT_EQ(r.events[0].invite, "province-15-2027-04-16");
    for (const char* bad : {R"({"id":"m-9","text":"x","invite":"province-15"})",
                            R"({"id":"m-9","text":"x","invite":"moi_<script>"})",
                            R"({"id":"m-9","text":"x","invite":7})"}) {
        r = adapter().parse(request(bad));
        EXPECT_EQ(r.status, 400u) << bad;
        EXPECT_TRUE(r.events.empty()) << bad;
    }
}

}  // namespace
}  // namespace dgw::channels
