// Which change makes which event for which hook, and what it carries (issue 22 item 3), as
// pure functions: the store calls these inside its transactions (store_contract.cpp tests
// that part).
#include "dgw/domain/events.hpp"

#include <dgw/core/time_text.hpp>

#include <gtest/gtest.h>

namespace dgw::domain {
namespace {

using core::event_type;
using namespace std::chrono_literals;

const store::time_point t0 = store::time_point(1'796'601'600s);

store::concern road() {
    store::concern c;
    c.ref = "LC-7K4M2";
    c.channel = "zalo";
    c.topic = "roads";
    c.commune_code = "02683";
    c.commune_name = "Xã Bát Xát";
    c.text = "Đường trước nhà tôi ở thôn 3 bị sạt lở";
    c.citizen_name = "Lò Văn A";
    c.phone = "0912345678";
    c.consent = true;
    c.lat = 22.53;
    c.lon = 103.88;
    c.status = core::concern_status::scheduled;
    c.session_id = "commune-02683-2026-12";
    c.session_label = "Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026";
    c.created_at = c.updated_at = t0;
    return c;
}

const std::set<event_type> every = {event_type::concern_filed, event_type::concern_status,
                                    event_type::concern_answered, event_type::session_changed};

TEST(Events, AConcernsDataCarriesNoPersonalDataUnlessTheHookIsConfiguredForIt) {
    auto plain = concern_data(road(), false);
    EXPECT_EQ(plain["ref"], "LC-7K4M2");
    EXPECT_EQ(plain["commune"]["name"], "Xã Bát Xát");
    EXPECT_EQ(plain["session"]["id"], "commune-02683-2026-12");
    EXPECT_EQ(plain["created_at"], core::utc_text(t0));
    const auto text = plain.dump();
    for (const char* personal : {"0912345678", "Lò Văn A", "thôn 3", "zalo", "22.53"})
        EXPECT_EQ(text.find(personal), std::string::npos) << personal;

    auto full = concern_data(road(), true);
    EXPECT_EQ(full["citizen"]["text"], "Đường trước nhà tôi ở thôn 3 bị sạt lở");
    EXPECT_EQ(full["citizen"]["name"], "Lò Văn A");
    EXPECT_EQ(full["citizen"]["phone"], "0912345678");
    EXPECT_EQ(full["citizen"]["location"]["lat"], 22.53);

    // Name and phone only as given with consent, and never for an anonymous concern.
    auto no_consent = road();
    no_consent.consent = false;
    EXPECT_FALSE(concern_data(no_consent, true)["citizen"].contains("phone"));
    auto anonymous = road();
    anonymous.anonymous = true;
    EXPECT_FALSE(concern_data(anonymous, true)["citizen"].contains("name"));
    EXPECT_EQ(concern_data(anonymous, true)["citizen"]["anonymous"], true);
}

TEST(Events, EachHookGetsOnlyTheEventsItSubscribedTo) {
    event_hooks hooks({{"ops", every, false}, {"portal", {event_type::concern_answered}, true}});
    auto filed = hooks.filed(road());
    ASSERT_EQ(filed.size(), 1u);
    EXPECT_EQ(filed[0].channel, "hook:ops");
    EXPECT_EQ(filed[0].user_id, "LC-7K4M2");
    EXPECT_EQ(filed[0].kind, "event");
    EXPECT_EQ(filed[0].status, "pending");
    EXPECT_EQ(filed[0].next_attempt_at, t0);
    EXPECT_EQ(filed[0].payload["type"], "concern.filed");
    EXPECT_EQ(filed[0].payload["occurred_at"], core::utc_text(t0));

    auto before = road(), after = road();
    after.status = core::concern_status::answered;
    after.answer = "Huyện đã bố trí kinh phí sửa trong quý 1/2027.";
    after.assigned_to = "Phòng Kinh tế - Hạ tầng";
    after.deadline = "2027-03-31";
    after.updated_at = t0 + 48h;
    auto changed = hooks.changed(before, after);
    ASSERT_EQ(changed.size(), 3u);
    EXPECT_EQ(changed[0].channel, "hook:ops");
    EXPECT_EQ(changed[0].payload["type"], "concern.status") << "its status first";
    EXPECT_EQ(changed[0].payload["data"]["previous"]["status"], "scheduled");
    EXPECT_EQ(changed[1].channel, "hook:ops");
    EXPECT_EQ(changed[1].payload["type"], "concern.answered");
    EXPECT_EQ(changed[1].payload["data"]["answer"]["deadline"], "2027-03-31");
    EXPECT_FALSE(changed[1].payload["data"].contains("citizen"));
    EXPECT_EQ(changed[2].channel, "hook:portal");
    EXPECT_EQ(changed[2].payload["data"]["citizen"]["phone"], "0912345678");
}

TEST(Events, WhatOtherSystemsDoNotFollowMakesNoEvent) {
    event_hooks hooks({{"ops", every, false}});
    auto before = road(), after = road();
    after.assignee = "lan";
    after.agenda_group = "LC-1";
    after.updated_at = t0 + 1h;
    EXPECT_TRUE(hooks.changed(before, after).empty());
    // A session that moved is a status event (expected dates change); an answer that is
    // cleared is not an answer.
    after.session_id = "commune-02683-2027-03";
    EXPECT_EQ(hooks.changed(before, after).size(), 1u);
    before.answer = "old";
    after = before;
    after.answer = "";
    EXPECT_TRUE(hooks.changed(before, after).empty());
    EXPECT_TRUE(event_hooks({}).filed(road()).empty()) << "no hook, no row";
}

TEST(Events, ASessionsEventsQueueUnderTheSessionAndSayWhatChanged) {
    event_hooks hooks({{"ops", {event_type::session_changed}, false}});
    EXPECT_TRUE(hooks.filed(road()).empty());
    store::session_override o{"commune-02683-2026-12", "cancelled", "", "", "Mưa lũ", t0};
    auto edited = hooks.session_changed({o.session_id, &o, nullptr, t0});
    ASSERT_EQ(edited.size(), 1u);
    EXPECT_EQ(edited[0].user_id, "session:commune-02683-2026-12");
    EXPECT_EQ(edited[0].payload["data"]["change"], "edited");
    EXPECT_EQ(edited[0].payload["data"]["status"], "cancelled");
    EXPECT_EQ(edited[0].payload["data"]["note"], "Mưa lũ");
    store::added_session a{"commune-02683-2026-11-02", "commune", "02683", "2026-11-02",
                           "Nhà văn hoá thôn 3", "", {"roads"}, "Đối thoại", "Dialogue", "boss", t0};
    auto added = hooks.session_changed({a.id, nullptr, &a, t0});
    ASSERT_EQ(added.size(), 1u);
    EXPECT_EQ(added[0].payload["data"]["change"], "added");
    EXPECT_EQ(added[0].payload["data"]["topics"], nlohmann::json({"roads"}));
    EXPECT_EQ(added[0].payload.dump().find("boss"), std::string::npos)
        << "who added it is not told";
    auto deleted = hooks.session_changed({a.id, nullptr, nullptr, t0});
    ASSERT_EQ(deleted.size(), 1u);
    EXPECT_EQ(deleted[0].payload["data"]["change"], "deleted");
}

}  // namespace
}  // namespace dgw::domain
