// A citizen who says they belong to a themed audience is read as such, however they type it;
// a word inside another word, or an audience nobody configured words for, is not.

#include <dgw/dialogue/audience.hpp>

#include "shipped_config.hpp"

#include <gtest/gtest.h>

namespace dgw::dialogue {
namespace {

TEST(Audience, ACitizenSayingWhoTheyAreIsReadWithOrWithoutMarks) {
    const auto& cfg = test::shipped();
    EXPECT_EQ(audience_in(cfg, "Tôi là sinh viên trường Cao đẳng Lào Cai, học phí tăng quá cao"), "students_teachers");
    EXPECT_EQ(audience_in(cfg, "em la sinh vien, ky tuc xa bi dot"), "students_teachers");
    EXPECT_EQ(audience_in(cfg, "Toi la giao vien, luong cham 3 thang"), "students_teachers");
    EXPECT_EQ(audience_in(cfg, "toi la cong nhan apatit, luong thang nay bi cham"), "apatit_workers");
    EXPECT_EQ(audience_in(cfg, "Thợ mỏ chúng tôi thiếu đồ bảo hộ"), "apatit_workers");
    EXPECT_EQ(audience_in(cfg, "I am a student at the college"), "students_teachers");
}

TEST(Audience, NothingIsReadWhereNobodySaidSo) {
    const auto& cfg = test::shipped();
    EXPECT_EQ(audience_in(cfg, "duong vao thon bi sat lo"), "");
    EXPECT_EQ(audience_in(cfg, "công nhân xây dựng đường thôn"), "") << "a worker, not the mine's";
    EXPECT_EQ(audience_in(cfg, "sinh"), "");
    EXPECT_EQ(audience_in(cfg, ""), "");
    auto doc = test::shipped_json();
    for (auto& a : doc["audiences"]) a.erase("words");
    EXPECT_EQ(audience_in(test::load_ok(doc), "toi la sinh vien"), "") << "no words: never read";
}

}  // namespace
}  // namespace dgw::dialogue
