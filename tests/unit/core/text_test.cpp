#include "dgw/core/text.hpp"

#include <gtest/gtest.h>

namespace dgw::core {
namespace {

TEST(Fold, StripsDiacriticsAndCase) {
    EXPECT_EQ(fold("Đường bị sạt lở!"), "duong bi sat lo");
    EXPECT_EQ(fold("ĐỒNG"), "dong");
    EXPECT_EQ(fold("  Xã   Bát Xát. "), "xa bat xat");
}

TEST(Fold, DecomposedInputEqualsComposed) {
    // "ệ" typed as e + U+0323 + U+0302 (NFD) must fold like the precomposed character.
    EXPECT_EQ(fold("be\xCC\xA3\xCC\x82nh vie\xCC\xA3\xCC\x82n"), fold("bệnh viện"));
    EXPECT_EQ(nfc("e\xCC\xA3\xCC\x82"), "\xE1\xBB\x87");
}

TEST(Fold, DropsEmojiAndPunctuation) {
    EXPECT_EQ(fold("có 👍 ạ..."), "co a");
    EXPECT_EQ(fold("p.Cốc Lếu"), "p coc leu");
}

TEST(Fold, KeepMarksVariantKeepsAccents) {
    EXPECT_EQ(fold_keep_marks("Sa Pả!"), "sa pả");
    EXPECT_NE(fold_keep_marks("Sa Pả"), fold_keep_marks("Sa Pa"));
}

TEST(Fold, InvalidUtf8IsReplacedNotThrown) {
    EXPECT_FALSE(valid_utf8("ab\xFF"));
    EXPECT_TRUE(valid_utf8("Lào Cai"));
    EXPECT_EQ(fold("ab\xFF" "cd"), "ab cd");
}

TEST(EditDistance, CountsCodePoints) {
    EXPECT_EQ(edit_distance("lào", "lao"), 1u);
    EXPECT_EQ(edit_distance("phong", "phogn"), 2u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(utf8_length("Đường"), 5u);
}

TEST(Tokens, SplitsOnSpaces) {
    EXPECT_EQ(tokens("xa bat  xat"), (std::vector<std::string>{"xa", "bat", "xat"}));
    EXPECT_TRUE(tokens("").empty());
}

}  // namespace
}  // namespace dgw::core

namespace dgw::core {
namespace {

TEST(HtmlEscape, EscapesMarkupAndQuotesAndKeepsVietnamese) {
    EXPECT_EQ(html_escape("<b a=\"x\" b='y'>Đường & cầu</b>"),
              "&lt;b a=&quot;x&quot; b=&#39;y&#39;&gt;Đường &amp; cầu&lt;/b&gt;");
}

}  // namespace
}  // namespace dgw::core
