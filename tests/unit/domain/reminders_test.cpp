// Before the meeting, as pure functions: which sessions are due their reminders on a day, what
// a citizen reads; and the verdict's words.
#include "dgw/domain/reminders.hpp"
#include "dgw/domain/verdict.hpp"

#include <gtest/gtest.h>

namespace dgw::domain {
namespace {

namespace chr = std::chrono;

dialogue::session meeting(std::optional<chr::year_month_day> date) {
    dialogue::session s;
    s.id = "commune-02683-2027-03";
    s.level = "commune";
    s.month = chr::year{2027} / chr::March;
    s.date = date;
    s.venue = "Hội trường UBND Xã Bát Xát";
    s.title_vi = "Tiếp xúc, đối thoại với Nhân dân Xã Bát Xát";
    s.title_en = "Dialogue with the people of Bát Xát";
    s.status = dialogue::session_status::fixed;
    return s;
}

TEST(Reminders, ASessionIsDueFromItsLevelsDaysBeforeToItsDay) {
    const auto day = chr::year{2027} / chr::March / 25;
    const auto s = meeting(day);
    const auto before = [&](int n) { return chr::year_month_day{chr::sys_days{day} - chr::days{n}}; };
    EXPECT_FALSE(reminder_due(s, 3, before(4)));
    EXPECT_TRUE(reminder_due(s, 3, before(3)));
    EXPECT_TRUE(reminder_due(s, 3, before(0)));
    EXPECT_FALSE(reminder_due(s, 3, before(-1))) << "held already";
    EXPECT_FALSE(reminder_due(s, 0, before(1))) << "0: the level reminds nobody";
    EXPECT_FALSE(reminder_due(meeting(std::nullopt), 3, before(1))) << "no day fixed yet";
    auto cancelled = s;
    cancelled.status = dialogue::session_status::cancelled;
    EXPECT_FALSE(reminder_due(cancelled, 3, before(1)));
}

TEST(Reminders, TheReminderIsInTheCitizensLanguageWithHowToWatch) {
    const auto s = meeting(chr::year{2027} / chr::March / 25);
    const auto vi = reminder_text(s, {"LC-7K4M2", "LC-9P2QX"}, "vi", "https://tv.example/live");
    EXPECT_NE(vi.find("Nhắc lịch: phản ánh LC-7K4M2, LC-9P2QX"), std::string::npos) << vi;
    EXPECT_NE(vi.find("Hội trường UBND Xã Bát Xát"), std::string::npos) << vi;
    EXPECT_NE(vi.find("https://tv.example/live"), std::string::npos) << vi;
    EXPECT_EQ(vi.find("Reminder"), std::string::npos) << vi;
    const auto en = reminder_text(s, {"LC-7K4M2"}, "en", "");
    EXPECT_NE(en.find("Reminder: your concern LC-7K4M2"), std::string::npos) << en;
    EXPECT_EQ(en.find("Nhắc"), std::string::npos) << en;
    EXPECT_EQ(en.find("watch"), std::string::npos) << "no link, no words about one: " << en;
}

TEST(Verdict, AReopenedConcernFollowsTheFirstWithItsPlaceAndText) {
    store::concern first;
    first.ref = "LC-7K4M2";
    first.contact_id = 7;
    first.channel = "zalo";
    first.topic = "roads";
    first.commune_code = "02683";
    first.text = "Đường ngập";
    first.status = core::concern_status::answered;
    first.answer = "Đã sửa.";
    first.session_id = "commune-02683-2026-12";
    const auto now = chr::sys_days{chr::year{2027} / 1 / 5} + chr::hours{2};
    const auto c = reopened(first, now);
    EXPECT_EQ(c.follows, "LC-7K4M2");
    EXPECT_EQ(c.contact_id, 7);
    EXPECT_EQ(c.channel, "zalo");
    EXPECT_EQ(c.topic, "roads");
    EXPECT_EQ(c.text, "Đường ngập");
    EXPECT_TRUE(c.ref.empty() && c.session_id.empty() && c.answer.empty()) << "placed anew";
    EXPECT_EQ(parse_verdict("satisfied"), verdict::satisfied);
    EXPECT_EQ(parse_verdict("other"), std::nullopt);
    EXPECT_NE(verdict_invitation("vi").find("Chưa thỏa đáng"), std::string::npos);
    EXPECT_NE(verdict_invitation("en").find("Not satisfied"), std::string::npos);
}

}  // namespace
}  // namespace dgw::domain
