// What an invitation link carries: "moi_" and a session id, no more than Telegram's 64 bytes of
// its alphabet; an event keeps it through the inbox (JSON and back).

#include <dgw/core/message.hpp>

#include <gtest/gtest.h>

namespace dgw::core {
namespace {

TEST(Invite, OnlyMoiAndASessionIdIsAnInvitation) {
    EXPECT_EQ(invite_of("moi_province-15-2027-04-16"), "province-15-2027-04-16");
    EXPECT_EQ(invite_of("moi_agency-apatit-2027-01-22"), "agency-apatit-2027-01-22");
    for (const char* no : {"", "moi_", "province-15", "moi_a b", "moi_<x>", "MOI_x", "moi_đ"})
        EXPECT_EQ(invite_of(no), "") << no;
    EXPECT_EQ(invite_of("moi_" + std::string(60, 'a')), std::string(60, 'a'));
    EXPECT_EQ(invite_of("moi_" + std::string(61, 'a')), "") << "over 64 bytes";
}

TEST(Invite, AnEventKeepsItThroughTheInbox) {
    inbound_event e;
    e.dedup_key = "42:5";
    e.user_id = "42";
    e.text = "/start";
    e.invite = "province-15-2027-04-16";
    const nlohmann::json j = e;
    EXPECT_EQ(j.at("invite"), "province-15-2027-04-16");
    EXPECT_EQ(j.get<inbound_event>().invite, "province-15-2027-04-16");
    e.invite.clear();
    EXPECT_FALSE(nlohmann::json(e).contains("invite"));
}

}  // namespace
}  // namespace dgw::core
