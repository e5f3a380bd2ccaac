#include "dgw/core/match.hpp"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

namespace dgw::core {
namespace {

// The topic options of the shipped raise_concern flow (label + synonyms, vi and en).
const std::vector<std::string> topic_ids{
    "roads",       "land",          "agriculture",      "jobs", "security", "education", "health",
    "environment", "social_policy", "admin_procedures", "other"};
const std::vector<match_option> topic_options{
    {{"Đường sá, hạ tầng", "đường", "giao thông", "cầu cống", "sạt lở", "điện", "nước sạch",
      "roads", "infrastructure"}},
    {{"Đất đai", "đất", "sổ đỏ", "giải phóng mặt bằng", "land"}},
    {{"Nông nghiệp", "cây trồng", "vật nuôi", "chăn nuôi", "phân bón", "agriculture"}},
    {{"Việc làm, thu nhập", "việc làm", "thu nhập", "lương", "jobs", "income"}},
    {{"An ninh, trật tự", "an ninh", "trộm", "cờ bạc", "ma tuý", "security"}},
    {{"Giáo dục, đào tạo", "giáo dục", "trường học", "học phí", "tuyển dụng", "education"}},
    {{"Y tế", "bệnh viện", "trạm y tế", "bảo hiểm y tế", "health"}},
    {{"Môi trường", "rác", "ô nhiễm", "khói bụi", "environment"}},
    {{"Chính sách xã hội", "hộ nghèo", "trợ cấp", "người có công", "social policy"}},
    {{"Thủ tục hành chính", "thủ tục", "giấy tờ", "hồ sơ", "công chứng", "paperwork"}},
    {{"Khác", "other"}},
};

struct topic_case {
    const char* input;
    const char* expected;  // topic id, or "" for no match
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const topic_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

std::string match_topic(const std::string& input) {
    auto r = match_options(input, topic_options);
    if (r.kind != match_kind::unique) return "";
    return topic_ids[r.indices[0]];
}

class TopicMatch : public ::testing::TestWithParam<topic_case> {};

TEST_P(TopicMatch, PicksTheExpectedTopic) {
    EXPECT_EQ(match_topic(GetParam().input), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Realistic, TopicMatch,
    ::testing::Values(
        // Labels, accented.
        topic_case{"Đường sá, hạ tầng", "roads"}, topic_case{"Đất đai", "land"},
        topic_case{"Nông nghiệp", "agriculture"}, topic_case{"Việc làm, thu nhập", "jobs"},
        topic_case{"An ninh, trật tự", "security"}, topic_case{"Giáo dục, đào tạo", "education"},
        topic_case{"Y tế", "health"}, topic_case{"Môi trường", "environment"},
        topic_case{"Chính sách xã hội", "social_policy"},
        topic_case{"Thủ tục hành chính", "admin_procedures"}, topic_case{"Khác", "other"},
        // Without diacritics, any case.
        topic_case{"duong sa ha tang", "roads"}, topic_case{"dat dai", "land"},
        topic_case{"NONG NGHIEP", "agriculture"}, topic_case{"viec lam thu nhap", "jobs"},
        topic_case{"an ninh trat tu", "security"}, topic_case{"giao duc dao tao", "education"},
        topic_case{"y te", "health"}, topic_case{"moi truong", "environment"},
        topic_case{"chinh sach xa hoi", "social_policy"},
        topic_case{"thu tuc hanh chinh", "admin_procedures"}, topic_case{"khac", "other"},
        topic_case{"Moi Truong", "environment"}, topic_case{"Y TE", "health"},
        // A synonym inside a sentence.
        topic_case{"duong vao thon bi sat lo", "roads"},
        topic_case{"Đường vào thôn bị sạt lở", "roads"}, topic_case{"cau cong xuong cap", "roads"},
        topic_case{"mat dien ca tuan nay", "roads"}, topic_case{"thon em thieu nuoc sach", "roads"},
        topic_case{"chua duoc cap so do", "land"},
        topic_case{"tranh chap dat voi hang xom", "land"},
        topic_case{"giai phong mat bang cham", "land"},
        topic_case{"gia phan bon tang qua", "agriculture"},
        topic_case{"dich benh o vat nuoi", "agriculture"},
        topic_case{"chăn nuôi lợn bị thiệt hại", "agriculture"},
        topic_case{"khong co viec lam", "jobs"}, topic_case{"luong thap qua", "jobs"},
        topic_case{"thu nhap bap benh", "jobs"}, topic_case{"trộm chó nhiều quá", "security"},
        topic_case{"co bac o dau lang", "security"}, topic_case{"ma tuy", "security"},
        topic_case{"học phí tăng", "education"}, topic_case{"hoc phi cao qua", "education"},
        topic_case{"truong hoc xuong cap", "education"},
        topic_case{"tuyen dung giao vien", "education"},
        topic_case{"tram y te thieu thuoc", "health"}, topic_case{"benh vien qua tai", "health"},
        topic_case{"bao hiem y te", "health"},
        topic_case{"rac thai khong ai thu gom", "environment"},
        topic_case{"o nhiem nguon nuoc", "environment"},
        topic_case{"khói bụi từ nhà máy", "environment"},
        topic_case{"xet ho ngheo khong cong bang", "social_policy"},
        topic_case{"tro cap cham", "social_policy"},
        topic_case{"giay to rac roi", "admin_procedures"},
        topic_case{"ho so bi tra lai", "admin_procedures"},
        topic_case{"cong chung lau qua", "admin_procedures"},
        // Typos in long words (edit distance 1, 5+ letters).
        topic_case{"nong ngiep", "agriculture"}, topic_case{"moi truog", "environment"},
        topic_case{"truongg hoc", "education"}, topic_case{"giao thongg", "roads"},
        topic_case{"tuyenn dung", "education"}, topic_case{"chinhh sach xa hoi", "social_policy"},
        // A typo in a short word is not forgiven.
        topic_case{"truong hocc", ""}, topic_case{"an ninhh", ""},
        // Partial labels.
        topic_case{"ha tang", "roads"}, topic_case{"trat tu", "security"},
        topic_case{"dao tao", "education"}, topic_case{"hanh chinh", "admin_procedures"},
        topic_case{"chinh sach", "social_policy"},
        // English.
        topic_case{"Roads", "roads"}, topic_case{"land", "land"},
        topic_case{"AGRICULTURE", "agriculture"}, topic_case{"jobs", "jobs"},
        topic_case{"security", "security"}, topic_case{"education", "education"},
        topic_case{"health", "health"}, topic_case{"environment", "environment"},
        topic_case{"social policy", "social_policy"}, topic_case{"paperwork", "admin_procedures"},
        topic_case{"other", "other"}, topic_case{"my income is too low", "jobs"},
        // Emoji and punctuation around the words.
        topic_case{"🚧 đường hỏng!!!", "roads"}, topic_case{"y tế 🏥", "health"},
        topic_case{"...rác...", "environment"},
        // Nothing to do with any topic.
        topic_case{"xin chao", ""}, topic_case{"hello", ""}, topic_case{"???", ""},
        topic_case{"😀", ""}, topic_case{"abc xyz", ""}, topic_case{"", ""}));

// Yes / no, as shipped in the flows' vocabulary.
const std::vector<match_option> yes_no{
    {{"Có", "có", "vâng", "dạ", "ừ", "đồng ý", "ok", "được", "đúng", "yes", "y", "sure", "agree"}},
    {{"Không", "không", "không đồng ý", "không có", "từ chối", "thôi", "no", "n", "nope",
      "disagree"}},
};

struct yn_case {
    const char* input;
    int expected;  // 0 yes, 1 no, -1 nothing or a tie
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const yn_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class YesNoMatch : public ::testing::TestWithParam<yn_case> {};

TEST_P(YesNoMatch, ReadsTheAnswer) {
    auto r = match_options(GetParam().input, yes_no);
    int got = r.kind == match_kind::unique ? static_cast<int>(r.indices[0]) : -1;
    EXPECT_EQ(got, GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    Realistic, YesNoMatch,
    ::testing::Values(
        yn_case{"có", 0}, yn_case{"Có", 0}, yn_case{"CÓ", 0}, yn_case{"co", 0}, yn_case{"có ạ", 0},
        yn_case{"vâng", 0}, yn_case{"vang", 0}, yn_case{"vg", 0}, yn_case{"dạ", 0},
        yn_case{"da vang", 0}, yn_case{"ừ", 0}, yn_case{"uh", 0}, yn_case{"uk", 0},
        yn_case{"ok", 0}, yn_case{"oke", 0}, yn_case{"okie", 0}, yn_case{"OK", 0}, yn_case{"👍", 0},
        yn_case{"đồng ý", 0}, yn_case{"dong y", 0}, yn_case{"Tôi đồng ý", 0},
        yn_case{"toi dong y", 0}, yn_case{"được", 0}, yn_case{"dc", 0}, yn_case{"đc", 0},
        yn_case{"đúng rồi", 0}, yn_case{"dung roi", 0}, yn_case{"yes", 0}, yn_case{"Yes!", 0},
        yn_case{"y", 0}, yn_case{"sure", 0}, yn_case{"I agree", 0}, yn_case{"không", 1},
        yn_case{"Không", 1}, yn_case{"khong", 1}, yn_case{"ko", 1}, yn_case{"k", 1},
        yn_case{"KO", 1}, yn_case{"hok", 1}, yn_case{"hông", 1}, yn_case{"khum", 1},
        yn_case{"kg", 1}, yn_case{"không ạ", 1}, yn_case{"khong dong y", 1},
        yn_case{"Tôi không đồng ý", 1}, yn_case{"ko dong y", 1}, yn_case{"không có", 1},
        yn_case{"ko co", 1}, yn_case{"từ chối", 1}, yn_case{"tu choi", 1}, yn_case{"thôi", 1},
        yn_case{"no", 1}, yn_case{"No.", 1}, yn_case{"nope", 1}, yn_case{"👎", 1},
        yn_case{"I disagree", 1},
        // Neither: the engine re-prompts.
        yn_case{"để tôi nghĩ", -1}, yn_case{"???", -1}, yn_case{"maybe", -1}));

// Accents decide between options that fold to the same words.
TEST(MatchOptions, ExactAccentedMatchBeatsFolded) {
    std::vector<match_option> places{{{"Sa Pa"}}, {{"Sa Pả"}}};
    auto r = match_options("Sa Pả", places);
    ASSERT_EQ(r.kind, match_kind::unique);
    EXPECT_EQ(r.indices[0], 1u);
    r = match_options("sa pa", places);
    ASSERT_EQ(r.kind, match_kind::unique);
    EXPECT_EQ(r.indices[0], 0u);
    r = match_options("tôi ở Sa Pả", places);
    ASSERT_EQ(r.kind, match_kind::unique);
    EXPECT_EQ(r.indices[0], 1u);
}

TEST(MatchOptions, UnaccentedAmbiguityIsATieNotAGuess) {
    std::vector<match_option> opts{{{"đất"}}, {{"đặt"}}, {{"khác"}}};
    // "dat" folds from both "đất" and "đặt": never guessed.
    auto r = match_options("dat", opts);
    ASSERT_EQ(r.kind, match_kind::tie);
    EXPECT_EQ(r.indices, (std::vector<std::size_t>{0, 1}));
    std::vector<match_option> twins{{{"Bản Phố"}}, {{"Bản Phổ"}}, {{"Bản Khác"}}};
    r = match_options("ban pho", twins);
    ASSERT_EQ(r.kind, match_kind::tie);
    EXPECT_EQ(r.indices, (std::vector<std::size_t>{0, 1}));
    r = match_options("Bản Phổ", twins);
    ASSERT_EQ(r.kind, match_kind::unique);
    EXPECT_EQ(r.indices[0], 1u);
}

TEST(MatchOptions, MoreMatchedWordsWin) {
    std::vector<match_option> opts{{{"đất"}}, {{"đất nông nghiệp"}}};
    auto r = match_options("dat nong nghiep bi lan chiem", opts);
    ASSERT_EQ(r.kind, match_kind::unique);
    EXPECT_EQ(r.indices[0], 1u);
}

TEST(MatchOptions, TypoOnlyForgivenInLongWords) {
    std::vector<match_option> opts{{{"nghiệp"}}, {{"cây"}}};
    EXPECT_EQ(match_options("nghiep", opts).kind, match_kind::unique);
    EXPECT_EQ(match_options("ngiep", opts).kind, match_kind::unique);
    EXPECT_EQ(match_options("ngiepp", opts).kind, match_kind::none);  // distance 2
    EXPECT_EQ(match_options("cau", opts).kind, match_kind::none);     // short word, no typo
}

TEST(MatchOptions, TwoOptionsMatchingEquallyIsATie) {
    auto r = match_options("dat va rac", topic_options);
    ASSERT_EQ(r.kind, match_kind::tie);
    EXPECT_EQ(r.indices, (std::vector<std::size_t>{1, 7}));
}

TEST(MatchOptions, EmptyOptionsMatchNothing) {
    EXPECT_EQ(match_options("co", {}).kind, match_kind::none);
    EXPECT_EQ(match_options("co", {{{""}}}).kind, match_kind::none);
}

struct number_case {
    const char* input;
    std::size_t count;
    int expected;  // zero-based, -1 for none
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const number_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class NumberMatch : public ::testing::TestWithParam<number_case> {};

TEST_P(NumberMatch, PicksTheNumberedOption) {
    auto got = match_number(GetParam().input, GetParam().count);
    EXPECT_EQ(got ? static_cast<int>(*got) : -1, GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(Realistic, NumberMatch,
                         ::testing::Values(number_case{"2", 4, 1}, number_case{"1", 4, 0},
                                           number_case{"4", 4, 3}, number_case{" 3 ", 4, 2},
                                           number_case{"số 2", 4, 1}, number_case{"so 2", 4, 1},
                                           number_case{"chọn 3", 4, 2}, number_case{"#2", 4, 1},
                                           number_case{"2.", 4, 1}, number_case{"option 1", 4, 0},
                                           number_case{"phương án 4", 4, 3},
                                           number_case{"0", 4, -1}, number_case{"5", 4, -1},
                                           number_case{"12", 13, 11}, number_case{"2 3", 4, -1},
                                           number_case{"2a", 4, -1}, number_case{"hai", 4, -1},
                                           number_case{"", 4, -1},
                                           number_case{"99999999999999999999999", 4, -1}));

TEST(MatchKey, ExpandsTeencodeAndEmoji) {
    EXPECT_EQ(match_key("Ko đc"), "khong duoc");
    EXPECT_EQ(match_key("sđt của e"), "so dien thoai cua e");
    EXPECT_EQ(match_key("👍"), "ok");
    EXPECT_EQ(match_key("UBND xã"), "uy ban nhan dan xa");
    EXPECT_EQ(match_key(""), "");
}

TEST(MatchesWhole, CommandsNeedTheWholeMessage) {
    std::vector<std::string> cancel{"huỷ", "hủy", "hủy bỏ", "cancel"};
    EXPECT_TRUE(matches_whole("Huỷ", cancel));
    EXPECT_TRUE(matches_whole("huy", cancel));
    EXPECT_TRUE(matches_whole("HUY BO!", cancel));
    EXPECT_TRUE(matches_whole("cancel", cancel));
    EXPECT_FALSE(matches_whole("hợp đồng bị huỷ bỏ oan", cancel));
    EXPECT_FALSE(matches_whole("", cancel));
}

TEST(MatchesWhole, AKeyMadeOnceGivesTheSameVerdicts) {
    std::vector<std::string> cancel{"huỷ", "hủy", "hủy bỏ", "cancel"};
    for (const char* input : {"Huỷ", "huy", "HUY BO!", "cancel", "hợp đồng bị huỷ bỏ oan", ""})
        EXPECT_EQ(key_matches_whole(match_key(input), cancel), matches_whole(input, cancel)) << input;
}

// Option phrases are folded once per thread and kept (bounded): answers must not change when the
// kept forms are reused, nor after the store of them has been emptied by many other phrases.
TEST(MatchOptions, SameAnswersWhenPhraseFormsAreReusedOrDropped) {
    const std::vector<match_option> topics{{{"Đường sá, cầu cống", "đường"}}, {{"Đất đai"}}};
    auto first = match_options("duong xa", topics);
    ASSERT_EQ(first.kind, match_kind::unique);
    EXPECT_EQ(match_options("duong xa", topics).indices, first.indices);
    for (int i = 0; i < 5000; ++i)
        (void)match_options("x", {{{"phrase number " + std::to_string(i)}}});
    EXPECT_EQ(match_options("duong xa", topics).indices, first.indices);
    EXPECT_EQ(match_options("dat dai", topics).indices, std::vector<std::size_t>{1});
}

}  // namespace
}  // namespace dgw::core
