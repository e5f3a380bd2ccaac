// Raw Telex keystrokes (the Vietnamese keyboard switched off) turned back into Vietnamese.

#include "dgw/core/telex.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dgw::core {
namespace {

struct telex_case {
    const char* typed;
    const char* meant;
};

TEST(Telex, WordsDecodeWithTheirToneWhereTheOfficialNamesPutIt) {
    const std::vector<telex_case> cases = {
        {"xax", "xã"},       {"Tar", "Tả"},        {"Phinf", "Phìn"},    {"dduowngf", "đường"},
        {"Bats", "Bát"},     {"Xats", "Xát"},      {"Trajm", "Trạm"},    {"Taasu", "Tấu"},
        {"taaus", "tấu"},    {"Muwowngf", "Mường"}, {"hoaf", "hòa"},     {"tyr", "tỷ"},
        {"ddieenj", "điện"}, {"thuoocs", "thuốc"}, {"lowr", "lở"},       {"bij", "bị"},
        {"ngoaif", "ngoài"}, {"DDaats", "Đất"},    {"quas", "quá"},      {"gias", "giá"},
    };
    for (const auto& c : cases) {
        auto got = telex_word(c.typed);
        ASSERT_TRUE(got) << c.typed;
        EXPECT_EQ(*got, c.meant) << c.typed;
    }
}

TEST(Telex, OrdinaryWordsAndNonSyllablesAreLeftAlone) {
    // No keystroke: an unaccented word is not Telex ("duong", "xa").
    for (const char* w : {"duong", "xa", "bat", "ok", "tp", "tx", "sdt", "road", "Sa", "12"})
        EXPECT_FALSE(telex_word(w)) << w;
    // A stop final takes only sắc or nặng: "bacf" is no syllable.
    EXPECT_FALSE(telex_word("bacf"));
    // Letters after the vowels that no Vietnamese syllable ends with.
    EXPECT_FALSE(telex_word("roads"));
}

TEST(Telex, TextKeepsWhatIsNotDecodedAndItsPunctuation) {
    EXPECT_EQ(telex_decode("xax Tar Phinf mat ddieenj!"), "xã Tả Phìn mat điện!");
    EXPECT_EQ(telex_decode("duong vao xa Bat Xat"), "duong vao xa Bat Xat");
    EXPECT_EQ(telex_decode("số 12abc"), "số 12abc");
    EXPECT_EQ(telex_decode(""), "");
}

TEST(Telex, VietnameseSyllablesAreToldFromEnglishWords) {
    for (const char* w : {"thon", "nghieng", "qua", "gi", "khuya", "bat", "xat", "duong", "a"})
        EXPECT_TRUE(vietnamese_syllable(w)) << w;
    for (const char* w : {"road", "health", "is", "broken", "station", "village", "school", ""})
        EXPECT_FALSE(vietnamese_syllable(w)) << w;
}

}  // namespace
}  // namespace dgw::core
