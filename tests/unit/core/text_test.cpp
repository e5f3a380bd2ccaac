#include "dgw/core/text.hpp"

#include <algorithm>
#include <string>
#include <vector>

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

TEST(EditDistance, WithinALimitItIsExactAndBeyondItIsLimitPlusOne) {
    EXPECT_EQ(edit_distance_within("bat xat", "bat xat", 0), 0u);
    EXPECT_EQ(edit_distance_within("batxat", "batxta", 2), 2u);
    EXPECT_EQ(edit_distance_within("batxat", "batxta", 1), 2u);
    EXPECT_EQ(edit_distance_within("lào", "lao", 1), 1u);
    EXPECT_EQ(edit_distance_within("lào", "lao", 0), 1u);
    EXPECT_EQ(edit_distance_within("", "abc", 1), 2u);
    EXPECT_EQ(edit_distance_within("phong nien", "", 5), 6u);
}

TEST(EditDistance, TheBoundedFormAgreesWithTheFullOneOnManyPairs) {
    // Words from the province's names and their typos, accented and not, long and short.
    const std::vector<std::string> words = {
        "", "a", "xa", "bat xat", "batxat", "bắt xát", "phong niên", "phongnien", "sa pa",
        "sapa", "sa pả", "bảo thắng", "baothang", "bao thang", "tả van chư", "ta van",
        "muong khuong", "mường khương", "mương khuong", "coc leu", "cốc lếu", "y ty", "ý tý",
        std::string(70, 'a'), std::string(69, 'a') + "b", "đường vào thôn bị sạt lở"};
    for (const auto& a : words)
        for (const auto& b : words) {
            const auto full = edit_distance(a, b);
            for (std::size_t limit = 0; limit <= 3; ++limit)
                EXPECT_EQ(edit_distance_within(a, b, limit), std::min(full, limit + 1))
                    << a << " / " << b << " within " << limit;
        }
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

TEST(Upper, CapitalisesVietnameseWithItsDiacritics) {
    EXPECT_EQ(dgw::core::upper("Xã Bát Xát"), "XÃ BÁT XÁT");
    EXPECT_EQ(dgw::core::upper("ủy ban nhân dân phường đồng tuyển"), "ỦY BAN NHÂN DÂN PHƯỜNG ĐỒNG TUYỂN");
    // Decomposed input comes out composed.
    EXPECT_EQ(dgw::core::upper("Tha\xCC\x80nh pho\xCC\x82\xCC\x81"), "THÀNH PHỐ");
    EXPECT_EQ(dgw::core::upper(""), "");
}
