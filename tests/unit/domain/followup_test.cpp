// Who is reminded of work assigned to an office, and what they read.

#include <dgw/domain/followup.hpp>

#include <gtest/gtest.h>

namespace dgw::domain {
namespace {

store::user official(std::string office, std::string role = "official") {
    store::user u;
    u.name = "lan";
    u.role = std::move(role);
    u.office = std::move(office);
    return u;
}

TEST(WorkReminders, AnOfficesOfficialsAreThoseWhoseOfficeIsTheSameWords) {
    EXPECT_TRUE(works_in(official("Phòng Kinh tế xã"), "Phòng Kinh tế xã"));
    EXPECT_TRUE(works_in(official("phong  kinh te XA "), "Phòng Kinh tế xã")) << "accents, case and spaces aside";
    EXPECT_TRUE(works_in(official("Phòng Kinh tế xã", "admin"), "Phòng Kinh tế xã"));
    EXPECT_FALSE(works_in(official("Phòng Kinh tế xã", "viewer"), "Phòng Kinh tế xã")) << "viewers do no work";
    EXPECT_FALSE(works_in(official("Phòng Kinh tế"), "Phòng Kinh tế xã"));
    EXPECT_FALSE(works_in(official(""), "")) << "no office is nobody's office";
    auto off = official("Phòng Kinh tế xã");
    off.disabled = true;
    EXPECT_FALSE(works_in(off, "Phòng Kinh tế xã"));
}

TEST(WorkReminders, TheReminderListsEachItemWithItsDeadlineAndPromise) {
    store::concern a, b;
    a.ref = "LC-7K4M2";
    a.deadline = "2027-01-31";
    a.promise = "Sửa xong mương";
    b.ref = "LC-9P2Q5";
    b.deadline = "2027-02-03";
    b.promise = "Lắp đèn đường";
    const auto text = work_reminder_text("Phòng Kinh tế xã", {a, b});
    EXPECT_NE(text.find("Nhắc việc (Phòng Kinh tế xã): 2 việc"), std::string::npos) << text;
    EXPECT_NE(text.find("LC-7K4M2, hạn 31/01/2027: Sửa xong mương"), std::string::npos) << text;
    EXPECT_NE(text.find("LC-9P2Q5, hạn 03/02/2027: Lắp đèn đường"), std::string::npos) << text;
}

}  // namespace
}  // namespace dgw::domain
