// The shared adapter helpers: constant-time compare, exact ids, text splitting.

#include <dgw/channels/adapter.hpp>
#include <dgw/channels/common.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;

TEST(TelegramCommon, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("s3cr3t-Token_1", "s3cr3t-Token_1"));
    EXPECT_FALSE(constant_time_equal("s3cr3t-Token_1", "s3cr3t-Token_2"));
    EXPECT_FALSE(constant_time_equal("s3cr3t", "s3cr3t-Token_1"));
    EXPECT_FALSE(constant_time_equal("", "x"));
    EXPECT_FALSE(constant_time_equal(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(TelegramCommon, JsonInt64IsExactAndRejectsFloats) {
    EXPECT_EQ(json_int64(json::parse("7123456789012")), 7123456789012);
    EXPECT_EQ(json_int64(json::parse("-1001234567890")), -1001234567890);
    // 2^53 + 1 is not representable as a double: reading through double would give 2^53.
    EXPECT_EQ(json_int64(json::parse("9007199254740993")), 9007199254740993);
    EXPECT_EQ(json_int64(json::parse("9223372036854775807")), INT64_MAX);
    EXPECT_FALSE(json_int64(json::parse("9223372036854775808")));
    EXPECT_FALSE(json_int64(json::parse("1.5")));
    EXPECT_FALSE(json_int64(json::parse("\"123\"")));
    EXPECT_FALSE(json_int64(json::parse("null")));
}

TEST(TelegramCommon, TextLengthCountsUtf16Units) {
    EXPECT_EQ(text_length("abc", length_unit::utf16_units), 3u);
    EXPECT_EQ(text_length("Đường", length_unit::utf16_units), 5u);
    EXPECT_EQ(text_length("👍", length_unit::utf16_units), 2u);
    EXPECT_EQ(text_length("👍", length_unit::code_points), 1u);
    EXPECT_EQ(text_length("\xff"
                          "a",
                          length_unit::code_points),
              2u);
}

TEST(TelegramCommon, SplitPrefersLineThenSpace) {
    EXPECT_TRUE(split_text("", 10, length_unit::code_points).empty());
    EXPECT_EQ(split_text("short", 10, length_unit::code_points),
              (std::vector<std::string>{"short"}));
    EXPECT_EQ(split_text("aaaa bbb\ncc dd", 10, length_unit::code_points),
              (std::vector<std::string>{"aaaa bbb", "cc dd"}));
    EXPECT_EQ(split_text("aaaaaa bbbbbbb", 10, length_unit::code_points),
              (std::vector<std::string>{"aaaaaa", "bbbbbbb"}));
    // No break in the second half: a hard cut rather than a tiny first part.
    EXPECT_EQ(split_text("a bbbbbbbbbbbb", 10, length_unit::code_points),
              (std::vector<std::string>{"a bbbbbbbb", "bbbb"}));
}

TEST(TelegramCommon, SplitNeverCutsAMultibyteCharacterOrMark) {
    // "ệ" in NFD: e + U+0323 + U+0302; a cut before either mark would move it.
    const std::string nfd_e = "e\xcc\xa3\xcc\x82";
    std::string text;
    for (int i = 0; i < 5; ++i) text += nfd_e;
    auto parts = split_text(text, 4, length_unit::code_points);
    ASSERT_GE(parts.size(), 2u);
    std::string joined;
    for (const auto& p : parts) {
        EXPECT_LE(text_length(p, length_unit::code_points), 4u);
        EXPECT_EQ(p.substr(0, 1), "e") << "a part starts with a combining mark";
        joined += p;
    }
    EXPECT_EQ(joined, text);

    std::string emoji;
    for (int i = 0; i < 7; ++i) emoji += "👍";
    auto e = split_text(emoji, 5, length_unit::utf16_units);
    EXPECT_EQ(e, (std::vector<std::string>{"👍👍", "👍👍", "👍👍", "👍"}));
}

TEST(TelegramCommon, RedactRemovesEveryOccurrence) {
    EXPECT_EQ(redact("a TOK b TOK", "TOK"), "a *** b ***");
    EXPECT_EQ(redact("nothing", ""), "nothing");
}

TEST(UrlDownload, OnlyAnHttpUrlAsThePlatformWroteItIsFetched) {
    auto r = url_download("https://photo-stal-9.zdn.vn/0a1b2c/photo.jpg");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->method, "GET");
    EXPECT_EQ(r->url, "https://photo-stal-9.zdn.vn/0a1b2c/photo.jpg");
    EXPECT_TRUE(r->body.empty());
    EXPECT_TRUE(r->headers.empty());
    EXPECT_TRUE(url_download("http://127.0.0.1:9/p.jpg"));
    for (const char* bad : {"", "file:///etc/passwd", "ftp://x/y", "javascript:alert(1)",
                            "https://x/a b", "https://x/a\r\nHost: y", "//x/y.jpg"})
        EXPECT_FALSE(url_download(bad)) << bad;
}

TEST(OnOrigin, OnlyTheBasesSchemeHostAndPortFollowedByAPathOrQuery) {
    const char* base = "https://lookaside.fbsbx.com";
    for (const char* yes : {"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1",
                            "https://lookaside.fbsbx.com?x=1", "https://lookaside.fbsbx.com"})
        EXPECT_TRUE(on_origin(yes, base)) << yes;
    for (const char* no : {"http://lookaside.fbsbx.com/x", "https://lookaside.fbsbx.com.evil.example/x",
                           "https://lookaside.fbsbx.com@evil.example/x",
                           "https://lookaside.fbsbx.com:444/x", "https://evil.example/lookaside.fbsbx.com",
                           "//lookaside.fbsbx.com/x", ""})
        EXPECT_FALSE(on_origin(no, base)) << no;
    // A base with a path: its origin counts, not the path.
    EXPECT_TRUE(on_origin("https://graph.facebook.com/v20.0/x", "https://graph.facebook.com/v21.0"));
    EXPECT_TRUE(on_origin("http://127.0.0.1:8082/m", "http://127.0.0.1:8082/"));
    EXPECT_FALSE(on_origin("http://127.0.0.1:8081/m", "http://127.0.0.1:8082"));
    EXPECT_FALSE(on_origin("https://x/y", "not a url"));
    EXPECT_FALSE(on_origin("https://x/y", "https://"));
}

TEST(DecimalId, OnlyDigitsUpTo32) {
    EXPECT_TRUE(decimal_id("1479537139650973"));
    EXPECT_TRUE(decimal_id("12345678901234567890123456789012"));
    for (const char* bad : {"", "123456789012345678901234567890123", "12a", "-1", "1 2", "../1",
                            "1/content", "1?x"})
        EXPECT_FALSE(decimal_id(bad)) << bad;
}

}  // namespace
}  // namespace dgw::channels
