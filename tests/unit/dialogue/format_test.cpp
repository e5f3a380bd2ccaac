#include "dgw/dialogue/format.hpp"

#include <gtest/gtest.h>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

namespace chr = std::chrono;

TEST(Format, SessionJsonLine) {
    const auto ss = sessions_between(test::shipped(), chr::year{2026} / chr::April / chr::day{1},
                                     chr::year{2026} / chr::April / chr::day{30});
    ASSERT_EQ(ss.size(), 1u);
    const auto j = to_json(ss[0]);
    EXPECT_EQ(j.at("id"), "province-15-2026-04");
    EXPECT_EQ(j.at("level"), "province");
    EXPECT_EQ(j.at("date"), "2026-04-16");
    EXPECT_EQ(j.at("month"), "2026-04");
    EXPECT_EQ(j.at("status"), "fixed");
    EXPECT_EQ(j.at("audience"), "students_teachers");
    EXPECT_EQ(j.at("generated"), false);
    EXPECT_EQ(j.dump().find('\n'), std::string::npos) << "one object per line";
    const std::string text = to_text(ss[0]);
    EXPECT_NE(text.find("2026-04-16"), std::string::npos) << text;
    EXPECT_NE(text.find("Tỉnh Lào Cai"), std::string::npos) << text;
}

TEST(Format, PlannedSessionHasNullDate) {
    const auto ss = sessions_between(test::shipped(), chr::year{2026} / chr::March / chr::day{1},
                                     chr::year{2026} / chr::March / chr::day{31}, "commune");
    ASSERT_FALSE(ss.empty());
    const auto j = to_json(ss[0]);
    EXPECT_TRUE(j.at("date").is_null());
    EXPECT_TRUE(j.at("audience").is_null());
    EXPECT_EQ(j.at("status"), "planned");
}

TEST(Format, RouteAndCandidates) {
    route_result r;
    r.status = route_status::unscheduled;
    r.reason = "no open session";
    auto j = to_json(r);
    EXPECT_EQ(j.at("status"), "unscheduled");
    EXPECT_TRUE(j.at("session").is_null());
    EXPECT_EQ(to_text(r), "unscheduled: no open session");

    core::locality_lookup::result c;
    c.candidates = {{"02683", "Xã Bát Xát", 0.93456, "current name", "", ""}};
    c.unique = true;
    auto cj = to_json(c);
    EXPECT_EQ(cj.at("unique"), true);
    EXPECT_DOUBLE_EQ(cj.at("candidates").at(0).at("confidence").get<double>(), 0.93);
    EXPECT_NE(to_text(c).find("02683  Xã Bát Xát  0.93"), std::string::npos) << to_text(c);
    EXPECT_EQ(to_text(core::locality_lookup::result{}), "no commune matches");
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(Format, ReceiptNamesTheReferenceAndTheSession) {
    const auto r =
        route(test::shipped(),
              {"02683", "roads", "", *parse_date_time("2026-01-10T10:00", chr::minutes{420})});
    ASSERT_TRUE(r);
    EXPECT_EQ(receipt_text(r.value(), "LC-7K4M2", "vi"),
              "Ý kiến của bạn đã được ghi nhận, mã số LC-7K4M2. Ý kiến sẽ được đưa ra buổi đối "
              "thoại Xã Bát Xát, tháng 3/2026.");
    EXPECT_EQ(receipt_text(r.value(), "LC-7K4M2", "en"),
              "Your concern is recorded, reference LC-7K4M2. It will be heard at the commune "
              "session of Xã Bát Xát, in March 2026.");
    route_result none;
    EXPECT_NE(receipt_text(none, "LC-7K4M2", "vi").find("cán bộ sẽ xếp lịch"), std::string::npos);
}

}  // namespace
}  // namespace dgw::dialogue
