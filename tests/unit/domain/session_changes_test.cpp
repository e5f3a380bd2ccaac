// What a change to the schedule does to the concerns filed to it: which move, which stay, and
// who is told what. A real SQLite store (in memory) holds the concerns and the contacts.

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/session_edits.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/domain/schedule.hpp>
#include <dgw/domain/session_changes.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace dgw::domain {
namespace {

using namespace std::chrono_literals;

// 2026-11-02 03:00 UTC: the December 2026 commune sessions are still open (cut-off 7 days).
const store::time_point t0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 2} + 3h;
constexpr const char* bat_xat = "02683";
constexpr const char* link = "https://dialogue.example.vn/chat?ref={ref}";

dialogue::dialogue_config shipped_dialogue() {
    std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
    std::stringstream text;
    text << in.rdbuf();
    std::vector<core::problem> problems;
    auto cfg = dialogue::load_text(text.str(), problems);
    EXPECT_TRUE(problems.empty());
    return cfg;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

class SessionChanges : public ::testing::Test {
protected:
    void SetUp() override { db_ = store::open_sqlite({":memory:"}); }

    // A concern of Bát Xát about roads from `ct`, filed as the chat files it at t0.
    store::concern file(const store::contact& ct, std::string ref) {
        store::concern c;
        c.ref = std::move(ref);
        c.contact_id = ct.id;
        c.channel = ct.channel;
        c.topic = "roads";
        c.commune_code = bat_xat;
        c.text = "Đường hỏng";
        c.created_at = c.updated_at = t0;
        const auto schedule = routing_schedule(cfg_, {}, {}, t0);
        place(c, dialogue::route(cfg_, schedule, {c.commune_code, c.topic, "", t0}), "vi");
        std::vector<store::step_write> steps(1);
        steps[0].concerns.push_back(c);
        db_->commit_steps(steps);
        return steps[0].concerns[0];
    }

    // The session `id` of the schedule with `overrides` applied.
    dialogue::session edited(const std::string& id,
                             const std::vector<store::session_override>& overrides) {
        for (const auto& s : routing_schedule(cfg_, {}, overrides, t0))
            if (s.id == id) return s;
        ADD_FAILURE() << "no session " << id;
        return {};
    }

    // Officials change session `id` from no edit to `after`.
    session_moves edit(const std::string& id, store::session_override after) {
        after.session_id = id;
        const store::session_override before{id, "", "", "", "", t0};
        const std::vector<store::session_override> overrides{after};
        return after_session_edit(*db_, cfg_, {}, overrides, edited(id, overrides), before, after,
                                  link, t0);
    }

    dialogue::dialogue_config cfg_ = shipped_dialogue();
    std::unique_ptr<store::store> db_;
};

TEST_F(SessionChanges, ACancelledSessionSendsItsConcernsOnAndTellsThoseWhoCanBeWrittenTo) {
    const auto chat = db_->upsert_contact("telegram", "1", "", "vi", t0);
    const auto desk = db_->upsert_contact(std::string(office_channel), "desk-1", "", "vi", t0);
    const auto a = file(chat, "LC-AAAA1");
    const auto b = file(desk, "LC-BBBB2");
    ASSERT_EQ(a.status, core::concern_status::scheduled);
    ASSERT_EQ(a.session_id, b.session_id);
    const std::string session = a.session_id;

    store::session_override cancel;
    cancel.status = "cancelled";
    auto m = edit(session, cancel);

    ASSERT_EQ(m.moved.size(), 2u);
    for (const auto& [from, k] : m.moved) {
        EXPECT_EQ(from, session);
        EXPECT_NE(k.session_id, session) << k.ref << " stays on a cancelled session";
        EXPECT_EQ(k.updated_at, t0);
    }
    ASSERT_EQ(m.notices.size(), 1u) << "the desk's citizen has no channel to be told on";
    const auto& notice = m.notices.front();
    EXPECT_EQ(notice.contact_id, chat.id);
    EXPECT_EQ(notice.notice_id, notice_id("moved", session, t0));
    EXPECT_EQ(notice.session_id, session);
    const std::string text = notice.payload["text"];
    EXPECT_TRUE(contains(text, "LC-AAAA1")) << text;
    EXPECT_TRUE(contains(text, "đã bị huỷ")) << text;
    EXPECT_TRUE(contains(text, "was cancelled")) << text;
    EXPECT_EQ(notice.payload["notice"]["link"], "https://dialogue.example.vn/chat?ref=LC-AAAA1");

    EXPECT_EQ(db_->find_concern("LC-AAAA1")->session_id, session) << "nothing written yet";
    db_->transact([&] { store_moves(*db_, m); });
    EXPECT_EQ(db_->find_concern("LC-AAAA1")->session_id, m.moved[0].second.session_id);
    EXPECT_EQ(db_->find_concern("LC-BBBB2")->session_id, m.moved[1].second.session_id);
}

TEST_F(SessionChanges, ANewDateAndPlaceKeepTheConcernsWhereTheyAreAndTellTheirCitizens) {
    const auto chat = db_->upsert_contact("telegram", "1", "", "vi", t0);
    const auto a = file(chat, "LC-AAAA1");
    store::session_override moved;
    moved.date = "2026-12-21";
    moved.venue = "Nhà văn hoá thôn Phìn Ngan";
    auto m = edit(a.session_id, moved);

    EXPECT_TRUE(m.moved.empty());
    ASSERT_EQ(m.notices.size(), 1u);
    const std::string text = m.notices.front().payload["text"];
    EXPECT_TRUE(contains(text, "Nhà văn hoá thôn Phìn Ngan")) << text;
    EXPECT_TRUE(contains(text, "21/12/2026")) << text;
    EXPECT_TRUE(contains(text, "takes place")) << text;
}

TEST_F(SessionChanges, ANoteTellsNobodyAndAnErasedCitizenIsNeverWrittenTo) {
    const auto chat = db_->upsert_contact("telegram", "1", "", "vi", t0);
    const auto a = file(chat, "LC-AAAA1");
    store::session_override note;
    note.note = "Mang theo giấy tờ";
    auto m = edit(a.session_id, note);
    EXPECT_TRUE(m.moved.empty());
    EXPECT_TRUE(m.notices.empty());

    store::session_override erased;  // a citizen who erased their data is never written to
    const auto gone = db_->upsert_contact("telegram", "2", "", "vi", t0);
    const auto b = file(gone, "LC-BBBB2");
    db_->erase_contact(gone.id, t0);
    erased.status = "cancelled";
    m = edit(a.session_id, erased);
    EXPECT_EQ(m.moved.size(), 2u);
    ASSERT_EQ(m.notices.size(), 1u);
    EXPECT_EQ(m.notices.front().contact_id, chat.id);
    EXPECT_EQ(b.session_id, a.session_id);
}

TEST_F(SessionChanges, AnEarlierAddedSessionTakesTheLaterConcernsOfItsCommuneOnly) {
    const auto chat = db_->upsert_contact("telegram", "1", "", "vi", t0);
    const auto a = file(chat, "LC-AAAA1");
    store::added_session added;
    added.level = "commune";
    added.locality = bat_xat;
    added.date = "2026-11-20";
    added.venue = "Hội trường UBND xã";
    added.title_vi = "Đối thoại bổ sung";
    added.title_en = "Extra dialogue";
    added.created_at = t0;
    added.id = dialogue::added_session_id("commune", bat_xat, std::chrono::year{2026} / 11 / 20);
    const std::vector<store::added_session> all{added};

    auto m = to_added_session(*db_, cfg_, all, added.id, link, t0);
    ASSERT_EQ(m.moved.size(), 1u);
    EXPECT_EQ(m.moved[0].first, a.session_id);
    EXPECT_EQ(m.moved[0].second.session_id, added.id);
    ASSERT_EQ(m.notices.size(), 1u);
    const std::string text = m.notices.front().payload["text"];
    EXPECT_TRUE(contains(text, "sớm hơn")) << text;
    EXPECT_TRUE(contains(text, "Hội trường UBND xã")) << text;

    auto elsewhere = added;
    elsewhere.locality = "02686";  // another commune's added session takes nothing of Bát Xát's
    elsewhere.id = dialogue::added_session_id("commune", "02686", std::chrono::year{2026} / 11 / 20);
    EXPECT_TRUE(to_added_session(*db_, cfg_, {elsewhere}, elsewhere.id, link, t0).moved.empty());
}

}  // namespace
}  // namespace dgw::domain
