// The words and fields of notices to citizens, the permissions they give platforms, and the
// phone numbers the SMS and ZNS paths send to.

#include <dgw/core/message.hpp>
#include <dgw/core/reach.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace dgw::core {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

TEST(Notice, FieldsAreOneLineAndCutForTemplates) {
    notice n;
    n.refs = {"LC-7K4M2", "LC-3XQ9P"};
    n.answer = "Huyện sẽ sửa đường\ntrước 15/1.\t\tCảm ơn     bạn.";
    n.link = "https://x.vn/chat";
    EXPECT_EQ(notice_field(n, "ref"), "LC-7K4M2, LC-3XQ9P");
    EXPECT_EQ(notice_field(n, "answer"), "Huyện sẽ sửa đường trước 15/1. Cảm ơn bạn.");
    EXPECT_EQ(notice_field(n, "answer", 10), "Huyện sẽ …");  // ten characters, not bytes
    EXPECT_EQ(notice_field(n, "link"), "https://x.vn/chat");
    EXPECT_EQ(notice_field(n, "session"), "");
    EXPECT_EQ(notice_field(n, "nothing"), "");
    EXPECT_TRUE(notice_field_known("answer"));
    EXPECT_FALSE(notice_field_known("phone"));
}

TEST(Notice, RoundTripsAndSaysWhatWasKept) {
    notice n;
    n.purpose = notice_purpose::session_moved;
    n.id = "moved:commune-02683-2026-12:1";
    n.session_id = "commune-02683-2026-12";
    n.refs = {"LC-7K4M2"};
    n.session = "Đối thoại Xã Bát Xát, 15/01/2027";
    auto back = json(n).get<notice>();
    EXPECT_EQ(json(back), json(n));
    EXPECT_EQ(heads_up_text(n).find("Bạn có 1 thông báo mới về phản ánh LC-7K4M2"), 0u);
    n.purpose = notice_purpose::answer;
    EXPECT_EQ(heads_up_text(n).find("Bạn có 1 trả lời mới cho phản ánh LC-7K4M2"), 0u);
}

TEST(Permission, TravelsInAnInboundEventAndExpires) {
    inbound_event e;
    e.dedup_key = "optin:1:2";
    e.user_id = "1";
    e.kind = inbound_kind::permission;
    permission p;
    p.kind = permission_kind::one_time_notification;
    p.token = "OTN";
    p.expires_at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795684100000));
    p.topic = "LC-7K4M2";
    e.permission = p;
    auto back = json(e).get<inbound_event>();
    ASSERT_TRUE(back.permission);
    EXPECT_EQ(json(*back.permission), json(p));
    EXPECT_TRUE(usable(p, *p.expires_at - 1s));
    EXPECT_FALSE(usable(p, *p.expires_at));
    p.granted = false;
    p.expires_at.reset();
    EXPECT_FALSE(usable(p, *back.permission->expires_at));
}

TEST(PhoneDigits, VietnameseNumbersWithTheCountryCode) {
    EXPECT_EQ(phone_digits("+84912345678"), "84912345678");
    EXPECT_EQ(phone_digits("0912 345 678"), "84912345678");
    EXPECT_EQ(phone_digits("0084912345678"), "84912345678");
    EXPECT_EQ(phone_digits("84912345678"), "84912345678");
    EXPECT_EQ(phone_digits("ẩn danh"), "");
    EXPECT_EQ(phone_digits("12345"), "");
}

TEST(ReachPath, NamesRoundTrip) {
    for (auto p : {reach_path::free, reach_path::template_message, reach_path::tag,
                   reach_path::optin, reach_path::zns, reach_path::sms, reach_path::page,
                   reach_path::next_contact, reach_path::none}) {
        reach_path back{};
        ASSERT_TRUE(parse_reach_path(to_string(p), back)) << to_string(p);
        EXPECT_EQ(back, p);
    }
    EXPECT_STREQ(to_string(reach_path::template_message), "template");
}

}  // namespace
}  // namespace dgw::core
