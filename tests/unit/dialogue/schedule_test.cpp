#include "dgw/dialogue/schedule.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr auto y2026 = chr::year{2026};

std::vector<session> year_2026(const dialogue_config& c) {
    return sessions_between(c, y2026 / chr::January / chr::day{1},
                            y2026 / chr::December / chr::day{31});
}

const session* find(const std::vector<session>& ss, const std::string& id) {
    auto it = std::find_if(ss.begin(), ss.end(), [&](const session& s) { return s.id == id; });
    return it == ss.end() ? nullptr : &*it;
}

TEST(Schedule, Year2026Has396CommuneAnd2ProvinceSessions) {
    const auto ss = year_2026(test::shipped());
    std::map<std::string, std::size_t> per_level;
    std::map<unsigned, std::size_t> commune_months, province_months;
    std::set<std::string> ids;
    for (const auto& s : ss) {
        ++per_level[s.level];
        const auto m = static_cast<unsigned>(s.month.month());
        if (s.level == "commune") ++commune_months[m];
        if (s.level == "province") ++province_months[m];
        EXPECT_TRUE(ids.insert(s.id).second) << "duplicate id " << s.id;
        EXPECT_TRUE(s.open()) << s.id;
    }
    EXPECT_EQ(per_level["commune"], 396u);
    EXPECT_EQ(per_level["province"], 2u);
    // The shipped agency session (Apatit workers' conference) is in January 2027, so the
    // whole 2026 listing is exactly the 398 generated slots.
    EXPECT_EQ(ss.size(), 398u);
    EXPECT_EQ(commune_months,
              (std::map<unsigned, std::size_t>{{3, 99}, {6, 99}, {9, 99}, {12, 99}}));
    EXPECT_EQ(province_months, (std::map<unsigned, std::size_t>{{4, 1}, {10, 1}}));
}

TEST(Schedule, EveryCommuneMeetsOnceAQuarterInTheQuartersLastMonth) {
    const auto& c = test::shipped();
    const auto ss = year_2026(c);
    for (const auto& u : c.units) {
        for (unsigned m : {3u, 6u, 9u, 12u}) {
            const std::string id = slot_id("commune", u.code, y2026 / chr::month{m});
            const session* s = find(ss, id);
            ASSERT_NE(s, nullptr) << id;
            EXPECT_EQ(s->locality_name, u.name);
            EXPECT_EQ(s->venue, "Hội trường UBND " + u.name);
            EXPECT_FALSE(s->date) << "a generated commune slot has no fixed day";
            EXPECT_EQ(s->status, session_status::planned);
        }
    }
}

TEST(Schedule, ThemedProvinceSessionReplacesTheAprilSlotAndKeepsItsId) {
    const auto ss = year_2026(test::shipped());
    const session* april = find(ss, "province-15-2026-04");
    ASSERT_NE(april, nullptr);
    EXPECT_FALSE(april->generated);
    EXPECT_EQ(april->audience, "students_teachers");
    ASSERT_TRUE(april->date);
    EXPECT_EQ(*april->date, y2026 / chr::April / chr::day{16});
    EXPECT_EQ(april->status, session_status::fixed);
    const session* october = find(ss, "province-15-2026-10");
    ASSERT_NE(october, nullptr);
    EXPECT_TRUE(october->generated);
    EXPECT_TRUE(october->audience.empty());
    // Generated province sessions hear every topic the province level hears.
    EXPECT_NE(std::find(october->topics.begin(), october->topics.end(), "party_congress"),
              october->topics.end());
}

TEST(Schedule, AgencySessionIsExtraIn2027) {
    const auto& c = test::shipped();
    const auto ss = sessions_between(c, chr::year{2027} / chr::January / chr::day{1},
                                     chr::year{2027} / chr::March / chr::day{31}, "agency");
    ASSERT_EQ(ss.size(), 1u);
    EXPECT_EQ(ss[0].locality, "apatit");
    EXPECT_EQ(ss[0].audience, "apatit_workers");
    EXPECT_EQ(ss[0].id, "agency-apatit-2027-01");
    const auto q1 = sessions_between(c, chr::year{2027} / chr::January / chr::day{1},
                                     chr::year{2027} / chr::March / chr::day{31});
    EXPECT_EQ(q1.size(), 100u);  // 99 communes in March + the conference
}

TEST(Schedule, NoSlotsBeforeTheConfigIsValid) {
    // The two-level government starts on 1 July 2025: no commune sessions of the new units in
    // March or June 2025.
    const auto ss = sessions_between(test::shipped(), chr::year{2025} / chr::January / chr::day{1},
                                     chr::year{2025} / chr::December / chr::day{31});
    std::set<unsigned> months;
    for (const auto& s : ss) months.insert(static_cast<unsigned>(s.month.month()));
    EXPECT_EQ(months, (std::set<unsigned>{9, 10, 12}));
}

TEST(Schedule, LevelFilterAndDateBoundsAreInclusive) {
    const auto& c = test::shipped();
    auto prov = sessions_between(c, y2026 / chr::April / chr::day{16},
                                 y2026 / chr::April / chr::day{16}, "province");
    ASSERT_EQ(prov.size(), 1u);
    auto none = sessions_between(c, y2026 / chr::April / chr::day{17},
                                 y2026 / chr::April / chr::day{30}, "province");
    EXPECT_TRUE(none.empty());
}

TEST(Schedule, ExplicitCommuneSessionFixesTheDayOfItsSlot) {
    json doc = test::shipped_json();
    doc["schedule"]["sessions"].push_back({{"level", "commune"},
                                           {"locality", "02683"},
                                           {"date", "2026-03-20"},
                                           {"venue", "Nhà văn hóa thôn Tân Hồng"}});
    const auto c = test::load_ok(doc);
    const auto ss = year_2026(c);
    EXPECT_EQ(ss.size(), 398u) << "an explicit session for a slot replaces it, never adds";
    const session* s = find(ss, "commune-02683-2026-03");
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(s->date);
    EXPECT_EQ(*s->date, y2026 / chr::March / chr::day{20});
    EXPECT_EQ(s->venue, "Nhà văn hóa thôn Tân Hồng");
    EXPECT_EQ(s->title_vi, "Đối thoại trực tiếp với Nhân dân Xã Bát Xát") << "kept from the rule";
    EXPECT_EQ(s->status, session_status::fixed);
}

TEST(Schedule, PostponeAndCancel) {
    json doc = test::shipped_json();
    doc["schedule"]["changes"] =
        json::array({{{"session", "commune-02683-2026-06"},
                      {"action", "postpone"},
                      {"to", "2026-07-15"},
                      {"reason", "mưa lũ"}},
                     {{"session", "commune-02686-2026-06"}, {"action", "cancel"}},
                     {{"session", "commune-02695-2026-06"}, {"action", "postpone"}}});
    const auto c = test::load_ok(doc);
    const auto june = sessions_between(c, y2026 / chr::June / chr::day{1},
                                       y2026 / chr::June / chr::day{30}, "commune");
    const session* moved = find(june, "commune-02683-2026-06");
    EXPECT_EQ(moved, nullptr) << "a session postponed to July is not listed in June";
    const session* cancelled = find(june, "commune-02686-2026-06");
    ASSERT_NE(cancelled, nullptr);
    EXPECT_EQ(cancelled->status, session_status::cancelled);
    EXPECT_FALSE(cancelled->open());
    const session* undated = find(june, "commune-02695-2026-06");
    ASSERT_NE(undated, nullptr);
    EXPECT_EQ(undated->status, session_status::postponed);
    EXPECT_FALSE(undated->open());

    const auto july =
        sessions_between(c, y2026 / chr::July / chr::day{1}, y2026 / chr::July / chr::day{31});
    ASSERT_EQ(july.size(), 1u);
    EXPECT_EQ(july[0].id, "commune-02683-2026-06");
    EXPECT_EQ(july[0].status, session_status::postponed);
    EXPECT_TRUE(july[0].open());
    EXPECT_EQ(july[0].note, "mưa lũ");
}

TEST(Schedule, SortedByDayThenLevelThenLocality) {
    const auto ss = year_2026(test::shipped());
    for (std::size_t i = 1; i < ss.size(); ++i)
        EXPECT_LE(chr::sys_days{ss[i - 1].earliest_day()}, chr::sys_days{ss[i].earliest_day()});
    EXPECT_EQ(ss.front().id, "commune-02647-2026-03");
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(Schedule, ExplicitSessionWithItsOwnIdStillReplacesTheSlot) {
    json doc = test::shipped_json();
    doc["schedule"]["sessions"].push_back({{"id", "bat-xat-hoi-nghi-q1"},
                                           {"level", "commune"},
                                           {"locality", "02683"},
                                           {"month", "2026-03"},
                                           {"venue", "Nhà văn hóa xã"}});
    const auto c = test::load_ok(doc);
    const auto ss = year_2026(c);
    EXPECT_EQ(ss.size(), 398u);
    EXPECT_EQ(find(ss, "commune-02683-2026-03"), nullptr);
    const session* s = find(ss, "bat-xat-hoi-nghi-q1");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->status, session_status::planned);
    EXPECT_FALSE(s->date);
}

}  // namespace
}  // namespace dgw::dialogue
