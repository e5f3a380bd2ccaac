// Filing a concern, as pure functions over the shipped dialogue configuration: where a routed
// concern is placed (and in whose words its session is named), and a fresh reference.
#include "dgw/domain/filing.hpp"
#include "dgw/domain/schedule.hpp"

#include <gtest/gtest.h>

#include "unit/dialogue/shipped_config.hpp"

#include <set>

namespace dgw::domain {
namespace {

namespace chr = std::chrono;

const auto in_january = chr::sys_days{chr::year{2026} / 1 / 10} + chr::hours{3};

store::concern road_in_bat_xat() {
    store::concern c;
    c.commune_code = "02683";
    c.topic = "roads";
    return c;
}

TEST(Filing, TheReceiptLinksThePublicPageOfTheCommunesAnswersWhenThereIsOne) {
    EXPECT_EQ(results_link("https://doithoai.laocai.gov.vn", "02683"),
              "https://doithoai.laocai.gov.vn/ket-qua?commune=02683");
    EXPECT_EQ(results_link("https://doithoai.laocai.gov.vn", ""), "https://doithoai.laocai.gov.vn/ket-qua");
    EXPECT_EQ(results_link("https://doithoai.laocai.gov.vn", "02683&x=<b>"), "https://doithoai.laocai.gov.vn/ket-qua")
        << "only a code of digits goes into the address";
    EXPECT_EQ(results_link("", "02683"), "") << "no public address: no link";
}

TEST(Filing, TheReceiptLinksTheCommunesCalendarWhenThereIsAPublicAddress) {
    EXPECT_EQ(calendar_link("https://doithoai.laocai.gov.vn", "02683"),
              "https://doithoai.laocai.gov.vn/sessions.ics?commune=02683");
    EXPECT_EQ(calendar_link("https://doithoai.laocai.gov.vn", "02683&x=<b>"),
              "https://doithoai.laocai.gov.vn/sessions.ics")
        << "only a code of digits goes into the address";
    EXPECT_EQ(calendar_link("", "02683"), "") << "no public address: no link";
}

TEST(Filing, AReceiptsCalendarLineIsInTheCitizensLanguageAndOnlyWithALink) {
    EXPECT_EQ(calendar_line("https://doithoai.laocai.gov.vn", "02683", "vi"),
              "\nThêm lịch đối thoại vào điện thoại: "
              "https://doithoai.laocai.gov.vn/sessions.ics?commune=02683");
    EXPECT_EQ(calendar_line("https://doithoai.laocai.gov.vn", "02683", "en"),
              "\nAdd the sessions to your calendar: "
              "https://doithoai.laocai.gov.vn/sessions.ics?commune=02683");
    EXPECT_EQ(calendar_line("", "02683", "vi"), "") << "no public address: no line";
}

TEST(Filing, AConcernGoesToItsNextSessionNamedInTheCitizensLanguage) {
    const auto& cfg = dialogue::test::shipped();
    auto vi = road_in_bat_xat();
    auto s = place(vi, dialogue::route(cfg, {vi.commune_code, vi.topic, "", in_january}), "vi");
    ASSERT_TRUE(s);
    EXPECT_EQ(vi.status, core::concern_status::scheduled);
    EXPECT_EQ(vi.session_id, "commune-02683-2026-03");
    EXPECT_EQ(vi.session_label, s->title_vi + ", " + dialogue::when_vi(*s));
    EXPECT_NE(vi.route_reason.find("Xã Bát Xát"), std::string::npos) << vi.route_reason;
    auto en = road_in_bat_xat();
    place(en, dialogue::route(cfg, {en.commune_code, en.topic, "", in_january}), "en");
    EXPECT_EQ(en.session_label, s->title_en + ", " + dialogue::when_en(*s));
    // The label a reader of either language is given (the API's) is the one filing writes.
    EXPECT_EQ(session_label(*s, "vi"), vi.session_label);
    EXPECT_EQ(session_label(*s, "en"), en.session_label);
}

TEST(Filing, AConcernNoSessionHearsStaysUnscheduledWithTheReasonNeverDropped) {
    const auto& cfg = dialogue::test::shipped();
    auto c = road_in_bat_xat();
    c.commune_code = "99999";  // not a commune of the province
    c.session_id = "commune-02683-2026-03";  // where it was before (a re-route)
    c.session_label = "old";
    EXPECT_FALSE(place(c, dialogue::route(cfg, {c.commune_code, c.topic, "", in_january}), "vi"));
    EXPECT_EQ(c.status, core::concern_status::unscheduled);
    EXPECT_EQ(c.session_id, "");
    EXPECT_EQ(c.session_label, "");
    EXPECT_FALSE(c.route_reason.empty());
}

TEST(Filing, AReferenceIsNeverOneAlreadyTaken) {
    const auto& cfg = dialogue::test::shipped();
    std::uint32_t n = 0;
    const dialogue::random_source counting = [&n] { return n++; };
    std::set<std::string> taken;
    for (int i = 0; i < 20; ++i) {
        auto ref = new_reference(cfg, counting, [&](std::string_view r) { return taken.contains(std::string(r)); });
        EXPECT_TRUE(ref.starts_with(cfg.reference_prefix + "-")) << ref;
        EXPECT_TRUE(taken.insert(ref).second) << ref << " given twice";
    }
    EXPECT_THROW(new_reference(cfg, counting, [](std::string_view) { return true; }), std::runtime_error)
        << "every candidate taken: an error, not an endless loop";
}

// An invitation names the audience while it is fresh; after it, or without one, the
// citizen's own words do; a session without an audience invites nobody in particular.
TEST(Filing, TheAudienceComesFromTheInvitationThenFromTheCitizensWords) {
    const auto& cfg = dialogue::test::shipped();
    auto audience_of = [](std::string_view id) {
        return std::string(id == "themed" ? "apatit_workers" : "");
    };
    store::contact ct;
    EXPECT_EQ(audience_for(cfg, ct, audience_of, "hoc phi tang", in_january), "");
    EXPECT_EQ(audience_for(cfg, ct, audience_of, "toi la sinh vien, hoc phi tang", in_january), "students_teachers");
    ct.invite = "themed";
    ct.invited_at = in_january - chr::days{3};
    EXPECT_EQ(audience_for(cfg, ct, audience_of, "toi la sinh vien, hoc phi tang", in_january), "apatit_workers")
        << "the invitation wins over the words";
    ct.invited_at = in_january - invite_window - chr::days{1};
    EXPECT_EQ(audience_for(cfg, ct, audience_of, "toi la sinh vien", in_january), "students_teachers") << "stale";
    ct.invite = "open-session";
    ct.invited_at = in_january;
    EXPECT_EQ(audience_for(cfg, ct, audience_of, "luong cham", in_january), "");
}

// A themed session comes first for its own audience, when it hears the topic; the others go
// to their commune's session as before.
TEST(Filing, AnAudiencesConcernGoesToItsThemedSession) {
    const auto& cfg = dialogue::test::shipped();
    // The shipped agency conference of the Apatit workers, 22 January 2027.
    const auto december = chr::sys_days{chr::year{2026} / 12 / 10} + chr::hours{3};
    store::concern k;
    k.commune_code = "02683";
    k.topic = "jobs";
    k.audience = "apatit_workers";
    const auto schedule = routing_schedule(cfg, {}, {}, december);
    auto s = reroute(cfg, schedule, k, december);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->audience, "apatit_workers");
    EXPECT_EQ(k.session_id, s->id);
    k.audience = "";
    s = reroute(cfg, schedule, k, december);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->audience, "") << "everyone else: the commune's session";
    k.audience = "no_longer_configured";
    s = reroute(cfg, schedule, k, december);
    ASSERT_TRUE(s) << "an audience the config dropped does not stop the routing";
    EXPECT_EQ(k.audience, "");
}

}  // namespace
}  // namespace dgw::domain
