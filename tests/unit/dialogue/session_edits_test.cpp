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
