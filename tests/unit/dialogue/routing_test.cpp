#include "dgw/dialogue/routing.hpp"

#include <gtest/gtest.h>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

using nlohmann::json;
namespace chr = std::chrono;

chr::system_clock::time_point at(std::string_view text) {
    auto t = parse_date_time(text, chr::minutes{420});
    if (!t) throw std::runtime_error("bad time in test: " + std::string(text));
    return *t;
}

route_result route_ok(const dialogue_config& c, route_request r) {
    auto res = route(c, r);
    if (!res) throw std::runtime_error(res.error().message);
    return res.value();
}

struct route_case {
    const char* name;
    const char* commune;
    const char* topic;
    const char* audience;
    const char* received;  // local time (+07) unless it ends in Z
    const char* session;   // expected session id, or "" for unscheduled
    const char* reason_has;
};

// Routing table on the shipped config (commune slots in Mar/Jun/Sep/Dec with no fixed day,
// the April 2026 province session themed for students and teachers on 16 April, October general,
// the Apatit workers' conference on 22 January 2027), cut-off 7 days.
const route_case table[] = {
    {"commune topic goes to the next commune session", "02683", "roads", "", "2026-01-10T10:00",
     "commune-02683-2026-03",
     "commune session of Xã Bát Xát, in March 2026: Roads and transport heard at commune level"},
    {"month-only session: cut-off counts from the 1st, exactly 7 days is in time", "02683", "land",
     "", "2026-02-22T23:59", "commune-02683-2026-03", "March 2026"},
    {"one day inside the cut-off goes to the next quarter", "02683", "land", "", "2026-02-23T00:00",
     "commune-02683-2026-06", "March 2026 is closed to new concerns"},
    {"UTC evening is already the next local day", "02683", "land", "", "2026-02-22T17:30Z",
     "commune-02683-2026-06", "closed to new concerns"},
    {"end of year goes to March of the next year", "02683", "health", "", "2026-11-28T09:00",
     "commune-02683-2027-03", "in March 2027"},
    {"new year's eve in UTC is new year's day locally", "02701", "roads", "", "2026-12-31T18:00Z",
     "commune-02701-2027-03", "Xã Y Tý"},
    {"province topic skips the themed April session", "02683", "party_congress", "",
     "2026-01-05T08:00", "province-15-2026-10", "province session of Tỉnh Lào Cai, in October 2026"},
    {"students' education concern goes to their themed session", "02647", "education",
     "students_teachers", "2026-02-01T08:00", "province-15-2026-04",
     "with College students and teachers"},
    {"themed session is dated: cut-off from its day (exactly 7 days)", "02647", "education",
     "students_teachers", "2026-04-09T20:00", "province-15-2026-04", "16 April 2026"},
    {"themed session: 6 days before is too late", "02647", "education", "students_teachers",
     "2026-04-10T07:00", "province-15-2026-10", "16 April 2026 is closed"},
    {"education without audience: province general session", "02647", "education", "",
     "2026-02-01T08:00", "province-15-2026-10", "October 2026"},
    {"a worker's jobs concern goes to the workers' conference", "02671", "jobs", "apatit_workers",
     "2026-11-01T08:00", "agency-apatit-2027-01",
     "agency session of Công ty TNHH MTV Apatit Việt Nam"},
    {"a worker's land concern is a commune matter", "02671", "land", "apatit_workers",
     "2026-11-01T08:00", "commune-02671-2026-12", "commune session of Phường Cam Đường"},
    {"security at commune level", "03006", "security", "", "2026-07-01T08:00",
     "commune-03006-2026-09", "Phường Sa Pa, in September 2026"},
};

class RoutingTable : public ::testing::TestWithParam<route_case> {};

TEST_P(RoutingTable, RoutesAndExplains) {
    const auto& rc = GetParam();
    const auto r = route_ok(test::shipped(), {rc.commune, rc.topic, rc.audience, at(rc.received)});
    if (std::string(rc.session).empty()) {
        EXPECT_EQ(r.status, route_status::unscheduled);
        EXPECT_FALSE(r.session);
    } else {
        EXPECT_EQ(r.status, route_status::scheduled);
        ASSERT_TRUE(r.session) << r.reason;
        EXPECT_EQ(r.session->id, rc.session) << r.reason;
    }
    EXPECT_NE(r.reason.find(rc.reason_has), std::string::npos) << r.reason;
    EXPECT_FALSE(r.reason_vi.empty());
}

INSTANTIATE_TEST_SUITE_P(Shipped, RoutingTable, ::testing::ValuesIn(table),
                         [](const ::testing::TestParamInfo<route_case>& param) {
                             return "case" + std::to_string(param.index);
                         });

TEST(Routing, ScheduleCacheAgreesWithRouteAcrossMonthsAndYearEnd) {
    const auto c = test::load_ok(test::shipped_json());
    schedule_cache cache(c);
    for (const char* when : {"2026-03-13T10:00", "2026-03-14T10:00", "2026-11-30T23:00",
                             "2026-12-31T23:59", "2027-01-01T00:00", "2026-06-01T08:00"}) {
        for (const char* topic : {"roads", "party_congress", "education"}) {
            route_request r{"02683", topic, "", at(when)};
            auto direct = route_ok(c, r);
            auto cached = cache.route(r);
            ASSERT_TRUE(cached) << when;
            EXPECT_EQ(cached->status, direct.status) << when << " " << topic;
            EXPECT_EQ(cached->reason, direct.reason) << when << " " << topic;
            ASSERT_EQ(cached->session.has_value(), direct.session.has_value());
            if (direct.session) {
                EXPECT_EQ(cached->session->id, direct.session->id);
            }
        }
    }
}

TEST(Routing, FixedCommuneDateCutOffEdge) {
    json doc = test::shipped_json();
    doc["schedule"]["sessions"].push_back(
        {{"level", "commune"}, {"locality", "02683"}, {"date", "2026-03-20"}});
    const auto c = test::load_ok(doc);
    auto in_time = route_ok(c, {"02683", "roads", "", at("2026-03-13T23:59")});
    ASSERT_TRUE(in_time.session);
    EXPECT_EQ(in_time.session->id, "commune-02683-2026-03");
    EXPECT_NE(in_time.reason.find("20 March 2026"), std::string::npos) << in_time.reason;
    auto late = route_ok(c, {"02683", "roads", "", at("2026-03-14T00:00")});
    ASSERT_TRUE(late.session);
    EXPECT_EQ(late.session->id, "commune-02683-2026-06");
    EXPECT_NE(late.reason.find("20 March 2026 is closed"), std::string::npos) << late.reason;
}

TEST(Routing, CancelledSessionsConcernsMoveToTheNextOne) {
    json doc = test::shipped_json();
    doc["schedule"]["changes"] = json::array(
        {{{"session", "commune-02683-2026-03"}, {"action", "cancel"}, {"reason", "bầu cử"}}});
    const auto c = test::load_ok(doc);
    const auto before = route_ok(test::shipped(), {"02683", "roads", "", at("2026-01-10T10:00")});
    ASSERT_TRUE(before.session);
    EXPECT_EQ(before.session->id, "commune-02683-2026-03");
    // The same concern routed again once the cancellation is configured.
    const auto after = route_ok(c, {"02683", "roads", "", at("2026-01-10T10:00")});
    ASSERT_TRUE(after.session);
    EXPECT_EQ(after.session->id, "commune-02683-2026-06");
    EXPECT_NE(after.reason.find("March 2026 was cancelled (bầu cử)"), std::string::npos)
        << after.reason;
    // Other communes are unaffected.
    const auto other = route_ok(c, {"02686", "roads", "", at("2026-01-10T10:00")});
    EXPECT_EQ(other.session->id, "commune-02686-2026-03");
}

TEST(Routing, PostponedSessions) {
    json doc = test::shipped_json();
    doc["schedule"]["changes"] = json::array(
        {{{"session", "commune-02683-2026-03"}, {"action", "postpone"}},
         {{"session", "commune-02686-2026-03"}, {"action", "postpone"}, {"to", "2026-04-10"}}});
    const auto c = test::load_ok(doc);
    const auto undated = route_ok(c, {"02683", "roads", "", at("2026-01-10T10:00")});
    ASSERT_TRUE(undated.session);
    EXPECT_EQ(undated.session->id, "commune-02683-2026-06");
    EXPECT_NE(undated.reason.find("postponed without a new date"), std::string::npos);
    // Postponed to 10 April: still the same session, and its cut-off follows the new date.
    const auto moved = route_ok(c, {"02686", "roads", "", at("2026-03-25T10:00")});
    ASSERT_TRUE(moved.session);
    EXPECT_EQ(moved.session->id, "commune-02686-2026-03");
    EXPECT_EQ(moved.session->status, session_status::postponed);
    const auto too_late = route_ok(c, {"02686", "roads", "", at("2026-04-04T10:00")});
    EXPECT_EQ(too_late.session->id, "commune-02686-2026-06");
}

TEST(Routing, NothingInTheHorizonIsUnscheduledNeverDropped) {
    json doc = test::shipped_json();
    doc["schedule"]["horizon_months"] = 1;
    const auto c = test::load_ok(doc);
    const auto r = route_ok(c, {"02683", "roads", "", at("2026-01-10T10:00")});
    EXPECT_EQ(r.status, route_status::unscheduled);
    EXPECT_FALSE(r.session);
    EXPECT_NE(r.reason.find("no open session hears Roads and transport for Xã Bát Xát"),
              std::string::npos)
        << r.reason;

    json no_province = test::shipped_json();
    no_province["schedule"]["rules"].erase(0);
    const auto c2 = test::load_ok(no_province);
    const auto p = route_ok(c2, {"02683", "party_congress", "", at("2026-01-10T10:00")});
    EXPECT_EQ(p.status, route_status::unscheduled) << "the only province session is themed";
}

TEST(Routing, DistrictLevelWhenConfigured) {
    json doc = test::shipped_json();
    doc["levels"].push_back({{"id", "district"}, {"name_vi", "Cấp huyện"}, {"scope", "unit"}});
    doc["units"].push_back({{"code", "086"},
                            {"name", "Huyện Bảo Thắng"},
                            {"type", "district"},
                            {"level", "district"},
                            {"former", json::array()}});
    doc["units"][24]["parent"] = "086";
    doc["topics"][1]["levels"] = {"district", "commune"};  // land
    doc["schedule"]["rules"].push_back(
        {{"level", "district"}, {"months", {5}}, {"venue", "UBND {name}"}});
    const auto c = test::load_ok(doc);
    const std::string child = c.units[24].code;
    const auto r = route_ok(c, {child, "land", "", at("2026-01-10T10:00")});
    ASSERT_TRUE(r.session);
    EXPECT_EQ(r.session->id, "district-086-2026-05") << r.reason;
    // A commune outside the district falls back to its commune session.
    const auto other = route_ok(c, {"02683", "land", "", at("2026-01-10T10:00")});
    EXPECT_EQ(other.session->id, "commune-02683-2026-03");
}

TEST(Routing, UnknownInputsAreErrors) {
    const auto& c = test::shipped();
    auto a = route(c, {"99999", "roads", "", at("2026-01-10T10:00")});
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().code, errc::unknown_commune);
    auto b = route(c, {"02683", "weather", "", at("2026-01-10T10:00")});
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error().code, errc::unknown_topic);
    auto d = route(c, {"02683", "roads", "pensioners", at("2026-01-10T10:00")});
    ASSERT_FALSE(d);
    EXPECT_EQ(d.error().code, errc::unknown_audience);
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(Routing, VietnameseReasonForTheCitizen) {
    const auto r = route(test::shipped(), {"02683", "roads", "", at("2026-01-10T10:00")});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->reason_vi,
              "buổi đối thoại Xã Bát Xát, tháng 3/2026: lĩnh vực \"Giao thông, đường sá\" do cấp "
              "xã tiếp nhận");
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

// The sessions held for a commune's citizens (a commune's calendar lists these): the
// province's, its own, never another commune's or an organisation's conference.
TEST(Routing, ASessionIsHeldForItsOwnCommuneAndTheProvincesForEveryCommune) {
    const auto& c = test::shipped();
    const unit* bat_xat = c.find_unit("02683");
    const unit* y_ty = c.find_unit("02701");
    ASSERT_TRUE(bat_xat && y_ty);
    int province = 0, own = 0, others = 0, agency = 0;
    for (const auto& s : build_schedule(c, chr::year{2026} / 1, chr::year{2027} / 12)) {
        const bool held = held_for(c, s, *bat_xat);
        if (s.level == "province") {
            ++province;
            EXPECT_TRUE(held) << s.id;
            EXPECT_TRUE(held_for(c, s, *y_ty)) << s.id;
        } else if (s.locality == "02683") {
            ++own;
            EXPECT_TRUE(held) << s.id;
            EXPECT_FALSE(held_for(c, s, *y_ty)) << s.id;
        } else if (s.level == "agency") {
            ++agency;
            EXPECT_FALSE(held) << s.id << ": an organisation's conference is for its staff";
        } else {
            ++others;
            EXPECT_FALSE(held) << s.id;
        }
    }
    EXPECT_EQ(province, 4);
    EXPECT_EQ(own, 8);
    EXPECT_GT(others, 100);
    EXPECT_GE(agency, 1);
}

}  // namespace
}  // namespace dgw::dialogue
