// The agenda as the meeting works it: a group is raised only when all its concerns are, the
// latest answer's speaker and follow-up stand for the group, concerns officials moved join
// the group they chose, and a speaker is checked before it is recorded.

#include <dgw/domain/agenda.hpp>

#include <gtest/gtest.h>

namespace dgw::domain {
namespace {

using namespace std::chrono_literals;

store::concern concern(const std::string& ref, std::int64_t contact, const std::string& text) {
    store::concern c;
    c.ref = ref;
    c.contact_id = contact;
    c.topic = "roads";
    c.commune_code = "02683";
    c.commune_name = "Xã Bát Xát";
    c.text = text;
    c.status = core::concern_status::scheduled;
    return c;
}

const agenda_entry& group_of(const std::vector<agenda_entry>& agenda, const std::string& ref) {
    for (const auto& g : agenda)
        for (const auto& r : g.refs)
            if (r == ref) return g;
    throw std::runtime_error("no group holds " + ref);
}

TEST(Agenda, AGroupIsRaisedWhenEveryConcernOfItIs) {
    const store::time_point t0{std::chrono::sys_days{2026y / 12 / 15}};
    std::vector<store::concern> ks = {concern("LC-1", 1, "Đường vào thôn bị sạt lở, xe máy không đi được"),
                                      concern("LC-2", 2, "Sạt lở đường vào thôn, xe máy không qua được")};
    auto agenda = build_agenda(ks, {});
    ASSERT_EQ(agenda.size(), 1u);
    EXPECT_FALSE(agenda[0].raised);
    EXPECT_EQ(agenda[0].citizens, 2u);

    ks[0].raised_at = t0;
    ks[0].raised_by = "lan";
    agenda = build_agenda(ks, {});
    EXPECT_FALSE(agenda[0].raised) << "one of two is not the group";
    EXPECT_FALSE(agenda[0].raised_at.has_value());

    ks[1].raised_at = t0 + 1min;
    ks[1].raised_by = "minh";
    agenda = build_agenda(ks, {});
    EXPECT_TRUE(agenda[0].raised);
    EXPECT_EQ(agenda[0].raised_at, t0 + 1min);
    EXPECT_EQ(agenda[0].raised_by, "minh") << "the latest mark";
}

TEST(Agenda, TheLatestAnswerSpeaksForTheGroup) {
    const store::time_point t0{std::chrono::sys_days{2026y / 12 / 15}};
    std::vector<store::concern> ks = {concern("LC-1", 1, "Đường vào thôn bị sạt lở, xe máy không đi được"),
                                      concern("LC-2", 2, "Sạt lở đường vào thôn, xe máy không qua được")};
    for (auto& k : ks) {
        k.status = core::concern_status::answered;
        k.answer = "Xã sẽ kè lại đoạn đường.";
    }
    ks[0].answered_at = t0;
    ks[0].speaker = "Ông A";
    ks[0].followup = "settled";
    ks[1].answered_at = t0 + 5min;
    ks[1].speaker = "Bà B";
    ks[1].speaker_office = "Phòng Kinh tế";
    ks[1].followup = "assigned";
    ks[1].assigned_to = "Ban quản lý dự án";
    ks[1].deadline = "2027-01-31";
    auto agenda = build_agenda(ks, {{"s", "LC-1", "Sạt lở đường thôn"}});
    ASSERT_EQ(agenda.size(), 1u);
    const auto& g = agenda[0];
    EXPECT_EQ(g.answered, 2u);
    EXPECT_EQ(g.answer, "Xã sẽ kè lại đoạn đường.");
    EXPECT_EQ(g.speaker, "Bà B");
    EXPECT_EQ(g.speaker_office, "Phòng Kinh tế");
    EXPECT_EQ(g.followup, "assigned");
    EXPECT_EQ(g.assigned_to, "Ban quản lý dự án");
    EXPECT_EQ(g.deadline, "2027-01-31");
    EXPECT_EQ(g.name, "Sạt lở đường thôn");
    EXPECT_EQ(g.commune_names, std::vector<std::string>{"Xã Bát Xát"});

    ks[1].answer = "Khác";  // answered differently: no one answer stands for the group
    EXPECT_EQ(build_agenda(ks, {})[0].answer, "");
}

TEST(Agenda, AMovedConcernJoinsTheGroupItWasMovedTo) {
    std::vector<store::concern> ks = {concern("LC-1", 1, "Đường vào thôn bị sạt lở, xe máy không đi được"),
                                      concern("LC-2", 2, "Cầu treo bản Mường bị gãy ván")};
    auto agenda = build_agenda(ks, {});
    ASSERT_EQ(agenda.size(), 2u);
    ks[1].agenda_group = group_of(agenda, "LC-1").key;
    agenda = build_agenda(ks, {});
    ASSERT_EQ(agenda.size(), 1u);
    EXPECT_EQ(agenda[0].refs.size(), 2u);
    EXPECT_EQ(agenda[0].citizens, 2u);
}

TEST(Speaker, ANameIsNeededForAnOfficeAndBothHaveALimit) {
    EXPECT_FALSE(speaker_fault({}));
    EXPECT_FALSE(speaker_fault({"Ông Lê Văn B", ""}));
    EXPECT_FALSE(speaker_fault({"Ông Lê Văn B", "Phòng Kinh tế"}));
    EXPECT_EQ(speaker_fault({"", "Phòng Kinh tế"}), "name");
    EXPECT_EQ(speaker_fault({"   ", ""}), "name");
    EXPECT_EQ(speaker_fault({std::string(max_speaker_bytes + 1, 'a'), ""}), "name");
    EXPECT_EQ(speaker_fault({"B", std::string(max_speaker_bytes + 1, 'a')}), "office");
}

TEST(Speaker, TheCitizenReadsWhoAnsweredInTheirLanguage) {
    EXPECT_EQ(speaker_line({}, "vi"), "");
    EXPECT_EQ(speaker_line({"Ông Lê Văn B", "Phòng Kinh tế"}, "vi"), "\n(Người trả lời: Ông Lê Văn B, Phòng Kinh tế)");
    EXPECT_EQ(speaker_line({"Ông Lê Văn B", ""}, "en"), "\n(Answered by Ông Lê Văn B)");
}

}  // namespace
}  // namespace dgw::domain
