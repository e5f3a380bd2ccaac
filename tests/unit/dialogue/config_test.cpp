#include "dgw/dialogue/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

using nlohmann::json;
namespace chr = std::chrono;

std::vector<core::problem> problems_of(const json& doc) {
    std::vector<core::problem> problems;
    (void)load(doc, problems);
    return problems;
}

bool has_problem(const std::vector<core::problem>& ps, const std::string& path,
                 const std::string& fragment = "") {
    return std::any_of(ps.begin(), ps.end(), [&](const core::problem& p) {
        return p.path == path && p.message.find(fragment) != std::string::npos;
    });
}

std::string dump(const std::vector<core::problem>& ps) {
    std::string s;
    for (const auto& p : ps) s += core::to_string(p) + "\n";
    return s;
}

TEST(DialogueConfig, ShippedConfigLoadsWithoutProblems) {
    EXPECT_TRUE(problems_of(test::shipped_json()).empty())
        << dump(problems_of(test::shipped_json()));
}

TEST(DialogueConfig, ShippedConfigHasTheProvinceAndItsUnitsFromTheReferenceData) {
    const auto& c = test::shipped();
    EXPECT_EQ(c.province.code, "15");
    EXPECT_EQ(c.units.size(), 99u);
    std::size_t former = 0, wards = 0;
    for (const auto& u : c.units) {
        former += u.former.size();
        if (u.type == "ward") ++wards;
        EXPECT_FALSE(u.former.empty()) << u.code;
    }
    EXPECT_EQ(former, 319u);
    EXPECT_GT(wards, 0u);
    const unit* bx = c.find_unit("02683");
    ASSERT_NE(bx, nullptr);
    EXPECT_EQ(bx->name, "Xã Bát Xát");
    EXPECT_EQ(c.valid_from, chr::year{2025} / chr::July / chr::day{1});
    EXPECT_EQ(c.utc_offset, chr::minutes{420});
}

TEST(DialogueConfig, ShippedTopicsAreTheSharedIdsAndTheirLevelsExist) {
    const auto& c = test::shipped();
    std::set<std::string> ids;
    for (const auto& t : c.topics) ids.insert(t.id);
    const std::set<std::string> expected = {"roads",          "land",          "agriculture",
                                            "jobs",           "security",      "party_building",
                                            "party_congress", "education",     "health",
                                            "environment",    "social_policy", "admin_procedures",
                                            "other"};
    EXPECT_EQ(ids, expected);
    EXPECT_EQ(c.find_topic("party_congress")->levels.front(), "province");
    EXPECT_EQ(c.find_topic("education")->levels.front(), "province");
    EXPECT_EQ(c.find_topic("roads")->levels.front(), "commune");
    for (const char* se : {"roads", "land", "agriculture", "jobs"})
        EXPECT_EQ(c.find_topic(se)->group, "socio_economic") << se;
}

TEST(DialogueConfig, NotAnObjectIsOneProblemAtTheRoot) {
    auto ps = problems_of(json::array());
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].path, "");
}

TEST(DialogueConfig, UnknownKeysAreErrorsWithTheirPath) {
    json doc = test::shipped_json();
    doc["colour"] = "red";
    doc["units"][3]["mayor"] = "x";
    doc["units"][3]["former"][0]["population"] = 1;
    doc["schedule"]["cutoff"] = 7;
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/colour", "unknown key")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/3/mayor", "unknown key")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/3/former/0/population", "unknown key")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/cutoff", "unknown key")) << dump(ps);
    EXPECT_EQ(ps.size(), 4u) << dump(ps);
}

TEST(DialogueConfig, BadCodesAreErrors) {
    json doc = test::shipped_json();
    doc["province"]["code"] = "1X";
    doc["units"][0]["code"] = "2647";
    doc["units"][1]["code"] = doc["units"][2]["code"];  // duplicate
    doc["units"][5]["former"][1]["code"] = "abcde";
    doc["units"][5]["former"][1]["district_code"] = "86";
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/province/code", "2-digit")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/0/code", "5-digit")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/2/code", "duplicate")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/5/former/1/code")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/5/former/1/district_code")) << dump(ps);
}

TEST(DialogueConfig, ReferencesToUnknownThingsAreErrors) {
    json doc = test::shipped_json();
    doc["topics"][0]["levels"] = {"commune", "district"};  // no district level in Lào Cai now
    doc["units"][4]["level"] = "hamlet";
    doc["units"][6]["parent"] = "99999";
    doc["schedule"]["rules"][0]["level"] = "agency";
    doc["schedule"]["sessions"][0]["topics"] = {"education", "weather"};
    doc["schedule"]["sessions"][0]["audience"] = "pensioners";
    doc["schedule"]["sessions"][1]["locality"] = "02683";  // a commune is no organisation
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/topics/0/levels/1", "unknown level")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/4/level", "unknown level")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/6/parent", "unknown parent")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/rules/0/level", "explicit sessions only")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/sessions/0/topics/1", "unknown topic")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/sessions/0/audience", "unknown audience")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/sessions/1/locality", "not a locality")) << dump(ps);
}

TEST(DialogueConfig, DistrictLevelStaysConfigurable) {
    json doc = test::shipped_json();
    doc["levels"].push_back({{"id", "district"}, {"name_vi", "Cấp huyện"}, {"scope", "unit"}});
    doc["units"].push_back({{"code", "086"},
                            {"name", "Huyện Bảo Thắng"},
                            {"type", "district"},
                            {"level", "district"},
                            {"former", json::array()}});
    doc["units"][0]["parent"] = "086";
    doc["topics"][0]["levels"] = {"commune", "district", "province"};
    auto ps = problems_of(doc);
    EXPECT_TRUE(ps.empty()) << dump(ps);
}

TEST(DialogueConfig, BadValuesAreErrors) {
    json doc = test::shipped_json();
    doc["valid_from"] = "2025-02-30";
    doc["schedule"]["cutoff_days"] = -1;
    doc["schedule"]["rules"][1]["months"] = {3, 6, 13};
    doc["schedule"]["sessions"][0]["date"] = "16/04/2026";
    doc["schedule"]["changes"] = json::array({{{"session", "x"}, {"action", "delay"}}});
    doc["levels"][0]["scope"] = "nation";
    doc["reference_prefix"] = "lc";
    doc["units"][7]["type"] = "village";
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/valid_from", "YYYY-MM-DD")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/cutoff_days")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/rules/1/months")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/sessions/0/date")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/changes/0/action")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/levels/0/scope")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/reference_prefix")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/7/type")) << dump(ps);
}

TEST(DialogueConfig, MissingRequiredKeysAndWrongTypes) {
    json doc = test::shipped_json();
    doc.erase("topics");
    doc["units"][2].erase("name");
    doc["schedule"]["cutoff_days"] = "seven";
    doc["levels"] = "province";
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/topics", "required")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/units/2/name", "required")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/cutoff_days", "wrong type")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/levels", "array")) << dump(ps);
}

TEST(DialogueConfig, ParsesDatesMonthsAndLocalTimes) {
    EXPECT_EQ(parse_date("2026-02-28"), chr::year{2026} / chr::February / chr::day{28});
    EXPECT_FALSE(parse_date("2026-02-29"));
    EXPECT_FALSE(parse_date("2026-2-28"));
    EXPECT_FALSE(parse_date("2026-02-28x"));
    EXPECT_EQ(parse_month("2026-12"), chr::year{2026} / chr::December);
    EXPECT_FALSE(parse_month("2026-13"));
    // 08:30 in Hà Nội time is 01:30 UTC; a trailing Z means UTC already.
    auto t = parse_date_time("2026-03-13T08:30", chr::minutes{420});
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, chr::sys_days{chr::year{2026} / chr::March / chr::day{13}} + chr::hours{1} +
                      chr::minutes{30});
    auto z = parse_date_time("2026-03-13T08:30:15Z", chr::minutes{420});
    ASSERT_TRUE(z);
    EXPECT_EQ(*z, chr::sys_days{chr::year{2026} / chr::March / chr::day{13}} + chr::hours{8} +
                      chr::minutes{30} + chr::seconds{15});
    EXPECT_FALSE(parse_date_time("2026-03-13T25:00", chr::minutes{420}));
    // ISO 8601 with an offset: the offset given wins over the local one.
    const auto nine_local = chr::sys_days{chr::year{2026} / chr::November / chr::day{2}} + chr::hours{2};
    EXPECT_EQ(parse_date_time("2026-11-02T09:00:00+07:00", chr::minutes{0}), nine_local);
    EXPECT_EQ(parse_date_time("2026-11-02T09:00+0700", chr::minutes{0}), nine_local);
    EXPECT_EQ(parse_date_time("2026-11-02T09:00:00+07", chr::minutes{0}), nine_local);
    EXPECT_EQ(parse_date_time("2026-11-02T02:00:00+00:00", chr::minutes{420}), nine_local);
    EXPECT_EQ(parse_date_time("2026-11-01T21:30:00-04:30", chr::minutes{420}), nine_local);
    for (const char* bad : {"2026-11-02T09:00:00+7:00", "2026-11-02T09:00:00+07:0", "2026-11-02T09:00:00+24:00",
                            "2026-11-02T09:00:00+07:60", "2026-11-02T09:00:00+", "2026-11-02+07:00",
                            "2026-11-02T09:00:00+07:00Z", "2026-11-02T09:00:00++07:00"}) {
        EXPECT_FALSE(parse_date_time(bad, chr::minutes{420})) << bad;
    }
    // 23:30 UTC on 31 December is already New Year's Day in Vietnam.
    auto late = chr::sys_days{chr::year{2026} / chr::December / chr::day{31}} + chr::hours{23} +
                chr::minutes{30};
    EXPECT_EQ(local_date(late, chr::minutes{420}), chr::year{2027} / chr::January / chr::day{1});
    EXPECT_EQ(to_string(chr::year{2026} / chr::April / chr::day{6}), "2026-04-06");
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(DialogueConfig, LoadTextReportsBrokenJsonAsAProblem) {
    std::vector<core::problem> ps;
    (void)load_text("{\"version\": 1,", ps);
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].path, "");
    EXPECT_NE(ps[0].message.find("invalid JSON"), std::string::npos) << ps[0].message;
    ps.clear();
    // A number no double holds is nlohmann's out_of_range, not a parse error: still a problem.
    EXPECT_NO_THROW((void)load_text("{\"version\": 1e999}", ps));
    ASSERT_EQ(ps.size(), 1u);
    EXPECT_EQ(ps[0].path, "/version");
    ps.clear();
    const auto c = load_text(test::shipped_json().dump(), ps);
    EXPECT_TRUE(ps.empty());
    EXPECT_EQ(c.units.size(), 99u);
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(DialogueConfig, ChangesMustNameAKnownSession) {
    json doc = test::shipped_json();
    doc["schedule"]["changes"] = json::array({
        {{"session", "commune-02683-2026-06"}, {"action", "cancel"}},  // a slot: fine
        {{"session", "commune-99999-2026-06"}, {"action", "cancel"}},  // no such commune
        {{"session", "district-086-2026-06"}, {"action", "cancel"}},   // no such level
        {{"session", "province-15-2026-13"}, {"action", "cancel"}},    // no such month
        {{"session", "agency-apatit-2027-01"}, {"action", "postpone"}, {"to", "2027-02-05"}},
    });
    auto ps = problems_of(doc);
    EXPECT_FALSE(has_problem(ps, "/schedule/changes/0/session")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/changes/1/session")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/changes/2/session")) << dump(ps);
    EXPECT_TRUE(has_problem(ps, "/schedule/changes/3/session")) << dump(ps);
    EXPECT_FALSE(has_problem(ps, "/schedule/changes/4/session")) << dump(ps);
    EXPECT_EQ(ps.size(), 3u) << dump(ps);
}

TEST(DialogueConfig, OneExplicitSessionPerSlot) {
    json doc = test::shipped_json();
    json second = doc["schedule"]["sessions"][0];
    second["date"] = "2026-04-28";  // same province slot, April 2026
    doc["schedule"]["sessions"].push_back(second);
    auto ps = problems_of(doc);
    EXPECT_TRUE(has_problem(ps, "/schedule/sessions/2", "province-15-2026-04")) << dump(ps);
}

}  // namespace
}  // namespace dgw::dialogue
