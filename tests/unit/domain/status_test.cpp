// What a citizen who looks a concern up is told of where it stands.

#include <dgw/domain/status.hpp>

#include <gtest/gtest.h>

#include <set>

namespace dgw::domain {
namespace {

using cs = core::concern_status;
constexpr cs all[] = {cs::received,  cs::scheduled, cs::answered,   cs::forwarded,
                      cs::withdrawn, cs::merged,    cs::unscheduled};

TEST(ConcernStatus, EveryStatusHasItsNameBothWaysAndNothingElseIsOne) {
    for (auto s : all) EXPECT_EQ(core::parse_concern_status(core::to_string(s)), s);
    for (const char* bad : {"", "Scheduled", "sheduled", "closed", "pending"})
        EXPECT_FALSE(core::parse_concern_status(bad)) << bad;
    EXPECT_EQ(nlohmann::json(cs::unscheduled), "unscheduled");
    EXPECT_EQ(nlohmann::json("merged").get<cs>(), cs::merged);
    EXPECT_THROW((void)nlohmann::json("closed").get<cs>(), nlohmann::json::type_error);
}

TEST(ConcernStatus, EveryStatusReadsAsItsOwnWordsInEachLanguage) {
    std::set<std::string> vi, en;
    for (auto s : all) {
        vi.insert(status_words(s, "vi"));
        en.insert(status_words(s, "en"));
        EXPECT_NE(status_words(s, "vi"), core::to_string(s)) << "never the id to a citizen";
    }
    EXPECT_EQ(vi.size(), std::size(all)) << "no two statuses read alike";
    EXPECT_EQ(en.size(), std::size(all));
    EXPECT_EQ(status_words(cs::scheduled, "vi"), "đã xếp vào buổi đối thoại");
    EXPECT_EQ(status_words(cs::unscheduled, "en"), "waiting to be scheduled");
}

TEST(ConcernStatus, TheStatusLineNamesTheSessionWhenThereIsOne) {
    store::concern k;
    k.status = cs::scheduled;
    EXPECT_EQ(status_line(k, "vi"), "đã xếp vào buổi đối thoại");
    k.session_label = "Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026";
    EXPECT_EQ(status_line(k, "vi"),
              "đã xếp vào buổi đối thoại — Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026");
    k.status = cs::answered;
    EXPECT_EQ(status_line(k, "en"),
              "answered — Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026");
}

}  // namespace
}  // namespace dgw::domain
