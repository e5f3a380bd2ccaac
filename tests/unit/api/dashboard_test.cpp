#include <dgw/api/dashboard.hpp>

#include <gtest/gtest.h>

#include <chrono>

namespace dgw::api {
namespace {

using namespace std::chrono;

// 2026-11-20 10:00 UTC, a Friday (ISO week 47).
const store::time_point now = sys_days{2026y / November / 20} + hours(10);

dialogue::dialogue_config config() {
    dialogue::dialogue_config c;
    c.units.push_back({"02683", "Xã Bát Xát", "commune", "commune", "", {}});
    c.units.push_back({"02728", "Xã Bảo Yên", "commune", "commune", "", {}});
    c.topics.push_back({"roads", "Giao thông, đường sá", "Roads and transport", "", {}, {}});
    c.topics.push_back({"health", "Y tế", "Health", "", {}, {}});
    return c;
}

store::concern concern(std::string ref, std::string topic, std::string commune,
                       std::string status, store::time_point filed, bool urgent = false) {
    store::concern k;
    k.ref = std::move(ref);
    k.topic = std::move(topic);
    k.commune_code = std::move(commune);
    k.status = core::parse_concern_status(status).value();
    k.created_at = filed;
    k.urgent = urgent;
    return k;
}

TEST(Dashboard, CountsTopicsAndCommunesByNameMostFirst) {
    std::vector<store::concern> ks;
    for (int i = 0; i < 5; ++i)
        ks.push_back(concern("R" + std::to_string(i), "roads", "02683", "scheduled", now));
    ks.push_back(concern("H0", "health", "02728", "scheduled", now));
    const auto j = dashboard_stats(ks, {}, config(), dashboard_period::month, now);
    EXPECT_EQ(j["total"], 6);
    ASSERT_EQ(j["by_topic"].size(), 2u);
    EXPECT_EQ(j["by_topic"][0]["topic"], "roads");
    EXPECT_EQ(j["by_topic"][0]["name_vi"], "Giao thông, đường sá");
    EXPECT_EQ(j["by_topic"][0]["name_en"], "Roads and transport");
    EXPECT_EQ(j["by_topic"][0]["concerns"], 5);
    EXPECT_EQ(j["by_topic"][1]["concerns"], 1);
    EXPECT_EQ(j["by_commune"][0]["name"], "Xã Bát Xát");
    EXPECT_EQ(j["by_commune"][1]["name"], "Xã Bảo Yên");
    EXPECT_EQ(j["by_status"]["scheduled"], 6);
}

TEST(Dashboard, SharesAndTheMedianLeaveOutWithdrawnAndMerged) {
    std::vector<store::concern> ks{
        concern("A", "roads", "02683", "answered", now - days(10), true),
        concern("B", "roads", "02683", "answered", now - days(6)),
        concern("C", "roads", "02683", "answered", now - days(3)),
        concern("D", "roads", "02683", "scheduled", now, true),
        concern("M", "roads", "02683", "merged", now, true),
        concern("W", "roads", "02683", "withdrawn", now),
    };
    // Answered 2, 4 and 3 days after filing: the median is 3.
    std::map<std::string, store::time_point> at{
        {"A", now - days(8)}, {"B", now - days(2)}, {"C", now}};
    const auto j = dashboard_stats(ks, at, config(), dashboard_period::month, now);
    EXPECT_EQ(j["answered"], 3);
    EXPECT_DOUBLE_EQ(j["answered_share"].get<double>(), 0.75);
    EXPECT_EQ(j["urgent"], 2);
    EXPECT_DOUBLE_EQ(j["urgent_share"].get<double>(), 0.5);
    EXPECT_DOUBLE_EQ(j["median_days_to_answer"].get<double>(), 3.0);

    at.erase("C");  // two left: the mean of 2 and 4
    EXPECT_DOUBLE_EQ(
        dashboard_stats(ks, at, config(), dashboard_period::month, now)["median_days_to_answer"]
            .get<double>(),
        3.0);
    EXPECT_TRUE(dashboard_stats({}, {}, config(), dashboard_period::month, now)
                    ["median_days_to_answer"].is_null());
}

TEST(Dashboard, OverTimeRunsOverTheLastPeriodsWithGaps) {
    std::vector<store::concern> ks{
        concern("A", "roads", "02683", "scheduled", now),
        concern("B", "roads", "02683", "scheduled", now - days(40)),  // October
        concern("C", "roads", "02683", "scheduled", now - days(40)),
        concern("O", "roads", "02683", "scheduled", now - days(800)),  // before the window
    };
    const auto j = dashboard_stats(ks, {}, config(), dashboard_period::month, now);
    const auto& items = j["over_time"]["items"];
    ASSERT_EQ(items.size(), 12u);
    EXPECT_EQ(items[11]["period"], "2026-11");
    EXPECT_EQ(items[11]["concerns"], 1);
    EXPECT_EQ(items[10]["period"], "2026-10");
    EXPECT_EQ(items[10]["concerns"], 2);
    EXPECT_EQ(items[9]["concerns"], 0);
    EXPECT_EQ(items[0]["period"], "2025-12");

    const auto w = dashboard_stats(ks, {}, config(), dashboard_period::week, now, 8);
    ASSERT_EQ(w["over_time"]["items"].size(), 8u);
    EXPECT_EQ(w["over_time"]["period"], "week");
    EXPECT_EQ(w["over_time"]["items"][7]["period"], "2026-W47");
    EXPECT_EQ(w["over_time"]["items"][7]["concerns"], 1);
}

TEST(Dashboard, PeriodsFollowTheDayInVietnamAndIsoWeeks) {
    // 31 Dec 2026 20:00 UTC is already 1 January 2027 in Vietnam.
    const store::time_point new_year = sys_days{2026y / December / 31} + hours(20);
    EXPECT_EQ(period_of(new_year, dashboard_period::month), "2027-01");
    // 1 January 2027 is a Friday: ISO week 53 of 2026.
    EXPECT_EQ(period_of(new_year, dashboard_period::week), "2026-W53");
    EXPECT_EQ(period_of(sys_days{2027y / January / 4}, dashboard_period::week), "2027-W01");
}

// The province's report: where concerns came from, which level hears them, and whether the work
// answers assigned was done by its deadline.
TEST(Dashboard, CountsSourcesLevelsAndAssignedWorkOnTimeAndLate) {
    auto letter = concern("L", "roads", "02683", "scheduled", now);
    letter.source = "letter";
    letter.session_id = "province-15-2027-04";
    auto chat = concern("C", "roads", "02683", "answered", now - days(30));
    chat.session_id = "commune-02683-2026-12";
    const auto assign = [](store::concern k, const char* deadline) {
        k.followup = "assigned";
        k.assigned_to = "Phòng Kinh tế";
        k.deadline = deadline;
        return k;
    };
    auto open_late = assign(chat, "2026-11-10");    // open, past its deadline
    open_late.ref = "O1";
    auto open_fine = assign(chat, "2026-12-10");    // open, not due yet
    open_fine.ref = "O2";
    auto done_in_time = assign(chat, "2026-11-15");
    done_in_time.ref = "D1";
    done_in_time.followup = "closed";
    done_in_time.followup_closed_at = sys_days{2026y / November / 15} + hours(16);  // 23:00 local
    auto done_late = assign(chat, "2026-11-15");
    done_late.ref = "D2";
    done_late.followup = "closed";
    done_late.followup_closed_at = sys_days{2026y / November / 15} + hours(18);  // the 16th, local
    const auto j = dashboard_stats({letter, chat, open_late, open_fine, done_in_time, done_late}, {},
                                   config(), dashboard_period::month, now);
    EXPECT_EQ(j["by_source"]["letter"], 1);
    EXPECT_EQ(j["by_source"]["chat"], 5);
    EXPECT_EQ(j["by_level"]["province"], 1);
    EXPECT_EQ(j["by_level"]["commune"], 5);
    const auto& f = j["followups"];
    EXPECT_EQ(f["assigned"], 4);
    EXPECT_EQ(f["open"], 2);
    EXPECT_EQ(f["overdue"], 1);
    EXPECT_EQ(f["done_on_time"], 1);
    EXPECT_EQ(f["done_late"], 1) << "closed on the 16th in Vietnam, after its deadline";
    EXPECT_DOUBLE_EQ(f["on_time_share"].get<double>(), 0.5);
}

}  // namespace
}  // namespace dgw::api
