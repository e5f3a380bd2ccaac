#include "dgw/dialogue/session_edits.hpp"

#include <dgw/dialogue/routing.hpp>

#include <gtest/gtest.h>

#include <algorithm>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

namespace chr = std::chrono;

const chr::year_month december{chr::year{2026}, chr::December};

const session& find(const std::vector<session>& ss, const std::string& id) {
    auto it = std::find_if(ss.begin(), ss.end(), [&](const session& s) { return s.id == id; });
    if (it == ss.end()) throw std::runtime_error("no session " + id);
    return *it;
}

TEST(SessionEdits, ADateFixesAPlannedSessionAndAVenueReplacesTheOld) {
    const auto& cfg = test::shipped();
    auto base = build_schedule(cfg, december, december);
    const std::string id = "commune-02683-2026-12";
    ASSERT_EQ(find(base, id).status, session_status::planned);
    session_edit e;
    e.session = id;
    e.date = chr::year{2026} / chr::December / chr::day{18};
    e.venue = "Nhà văn hóa thôn 3";
    auto edited = apply_edits(base, {e});
    const auto& s = find(edited, id);
    EXPECT_EQ(s.status, session_status::fixed);
    EXPECT_EQ(s.date, e.date);
    EXPECT_EQ(s.venue, "Nhà văn hóa thôn 3");
    EXPECT_FALSE(moves_concerns(e));
    // Other sessions are untouched, in the same order.
    ASSERT_EQ(edited.size(), base.size());
    for (std::size_t i = 0; i < base.size(); ++i) {
        EXPECT_EQ(edited[i].id, base[i].id);
        if (base[i].id != id) {
            EXPECT_EQ(edited[i].venue, base[i].venue);
        }
    }
}

TEST(SessionEdits, ACancelledSessionLosesItsConcernsToTheNextOne) {
    const auto& cfg = test::shipped();
    // Received on 1 October 2026 (local): a road concern in Bát Xát goes to December.
    const auto received =
        chr::sys_days{chr::year{2026} / chr::October / chr::day{1}} + chr::hours(3);
    const chr::year_month october{chr::year{2026}, chr::October};
    auto schedule =
        build_schedule(cfg, october, october + chr::months{cfg.schedule.horizon_months});
    auto before = route(cfg, schedule, {"02683", "roads", "", received});
    ASSERT_TRUE(before);
    ASSERT_TRUE(before->session);

    session_edit cancel;
    cancel.session = before->session->id;
    cancel.status = session_status::cancelled;
    cancel.note = "bão";
    EXPECT_TRUE(moves_concerns(cancel));
    auto edited = apply_edits(schedule, {cancel});
    EXPECT_FALSE(find(edited, cancel.session).open());
    EXPECT_EQ(find(edited, cancel.session).note, "bão");
    auto after = route(cfg, edited, {"02683", "roads", "", received});
    ASSERT_TRUE(after);
    ASSERT_TRUE(after->session);
    EXPECT_NE(after->session->id, cancel.session);
    EXPECT_GT(chr::sys_days{after->session->earliest_day()},
              chr::sys_days{before->session->earliest_day()});
}

TEST(SessionEdits, APostponementWithoutADateClosesTheSessionAndWithOneReopensIt) {
    const auto& cfg = test::shipped();
    auto base = build_schedule(cfg, december, december);
    const std::string id = "commune-02683-2026-12";
    session_edit p;
    p.session = id;
    p.status = session_status::postponed;
    EXPECT_TRUE(moves_concerns(p));
    EXPECT_FALSE(find(apply_edits(base, {p}), id).open());
    p.date = chr::year{2027} / chr::January / chr::day{9};
    const auto dated = apply_edits(base, {p});
    const auto& s = find(dated, id);
    EXPECT_TRUE(s.open());
    EXPECT_EQ(s.status, session_status::postponed);
    EXPECT_EQ(s.date, p.date);
}

TEST(SessionEdits, UnknownSessionsAreIgnoredAndTheLastEditWins) {
    const auto& cfg = test::shipped();
    auto base = build_schedule(cfg, december, december);
    session_edit a, b, ghost;
    a.session = b.session = "commune-02683-2026-12";
    a.venue = "first";
    b.venue = "second";
    ghost.session = "no-such-session";
    ghost.status = session_status::cancelled;
    auto edited = apply_edits(base, {a, ghost, b});
    EXPECT_EQ(find(edited, a.session).venue, "second");
    EXPECT_EQ(edited.size(), base.size());
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(SessionEdits, TheScheduleCacheRoutesAroundEditsItIsGiven) {
    const auto& cfg = test::shipped();
    const auto received = std::chrono::sys_days{std::chrono::year{2026} / std::chrono::October /
                                                std::chrono::day{1}} +
                          std::chrono::hours(3);
    schedule_cache cache(cfg);
    auto before = cache.route({"02683", "roads", "", received});
    ASSERT_TRUE(before && before->session);
    cache.set_edits({make_edit(before->session->id, "cancelled", "", "", "")});
    auto after = cache.route({"02683", "roads", "", received});
    ASSERT_TRUE(after && after->session);
    EXPECT_NE(after->session->id, before->session->id);
    cache.set_edits({});
    EXPECT_EQ(cache.route({"02683", "roads", "", received})->session->id, before->session->id);
}

TEST(SessionEdits, StoredTextBecomesAnEdit) {
    auto e = make_edit("s1", "postponed", "2027-01-09", "Hall", "rain");
    EXPECT_EQ(e.status, session_status::postponed);
    EXPECT_EQ(e.date, std::chrono::year{2027} / std::chrono::January / std::chrono::day{9});
    EXPECT_EQ(e.venue, "Hall");
    EXPECT_FALSE(make_edit("s1", "", "", "", "").status);
    EXPECT_FALSE(make_edit("s1", "bogus", "2027-02-30", "", "").date);
    EXPECT_EQ(make_edit("s1", "cancelled", "", "", "").status, session_status::cancelled);
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

namespace chr = std::chrono;

// An extra commune meeting an admin adds on 2 November 2026 for Bát Xát.
explicit_session extra_meeting() {
    const auto date = chr::year{2026} / chr::November / chr::day{2};
    return {added_session_id("commune", "02683", date),
            "commune",
            "02683",
            date,
            std::nullopt,
            "Nhà văn hóa thôn 5",
            "",
            {},
            "Đối thoại bổ sung",
            "Extra dialogue"};
}

TEST(AddedSessions, AreExtraSessionsWithTheirOwnIdBesideTheGeneratedSlots) {
    const auto& cfg = test::shipped();
    const chr::year_month november{chr::year{2026}, chr::November};
    const auto x = extra_meeting();
    EXPECT_EQ(x.id, "commune-02683-2026-11-02");
    auto with = build_schedule(cfg, november, december, {x});
    auto without = build_schedule(cfg, november, december);
    ASSERT_EQ(with.size(), without.size() + 1);
    const auto& s = find(with, x.id);
    EXPECT_TRUE(s.added);
    EXPECT_FALSE(s.generated);
    EXPECT_EQ(s.status, session_status::fixed);
    EXPECT_EQ(s.locality_name, "Xã Bát Xát");
    EXPECT_EQ(s.venue, "Nhà văn hóa thôn 5");
    EXPECT_FALSE(s.topics.empty()) << "every topic its level hears";
    // The December slot of the same commune is still there, untouched.
    EXPECT_FALSE(find(with, "commune-02683-2026-12").added);
    // Outside the range it is not listed; edits apply to it like to any other session.
    EXPECT_EQ(build_schedule(cfg, december, december, {x}).size(),
              build_schedule(cfg, december, december).size());
    auto cancelled = apply_edits(with, {make_edit(x.id, "cancelled", "", "", "")});
    EXPECT_FALSE(find(cancelled, x.id).open());
}

TEST(AddedSessions, TakeNewConcernsWhenTheyAreTheNextSessionOfTheCommune) {
    const auto& cfg = test::shipped();
    const auto received =
        chr::sys_days{chr::year{2026} / chr::October / chr::day{1}} + chr::hours(3);
    schedule_cache cache(cfg);
    auto before = cache.route({"02683", "roads", "", received});
    ASSERT_TRUE(before && before->session);
    EXPECT_EQ(before->session->id, "commune-02683-2026-12");
    cache.set_added({extra_meeting()});
    auto after = cache.route({"02683", "roads", "", received});
    ASSERT_TRUE(after && after->session);
    EXPECT_EQ(after->session->id, "commune-02683-2026-11-02");
    // Another commune does not go to Bát Xát's meeting.
    auto other = cache.route({"02647", "roads", "", received});
    ASSERT_TRUE(other && other->session);
    EXPECT_EQ(other->session->id, "commune-02647-2026-12");
}

}  // namespace
}  // namespace dgw::dialogue
