// The worker's core over a real SQLite store (in memory), the shipped flows and the shipped
// dialogue configuration: inbox events in, conversation state, concerns, outbox rows and timers
// out, committed together.

#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/flow/loader.hpp>
#include <dgw/pipeline/processor.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace dgw::pipeline {
namespace {

using namespace std::chrono_literals;

// 2026-11-02 03:00 UTC: the December 2026 commune sessions are still open (cut-off 7 days).
const store::time_point t0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 2} + 3h;

// A flow file, read and validated as the gateway does at its start.
flow::load_result flow_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return flow::load_text(text.str());
}

std::shared_ptr<const dialogue::dialogue_config> shipped_dialogue() {
    std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
    std::stringstream text;
    text << in.rdbuf();
    std::vector<core::problem> problems;
    auto cfg = dialogue::load_text(text.str(), problems);
    EXPECT_TRUE(problems.empty());
    return std::make_shared<const dialogue::dialogue_config>(std::move(cfg));
}

std::shared_ptr<flow::registry> shipped_flows() {
    auto reg = std::make_shared<flow::registry>();
    for (const char* f : {"menu", "raise_concern", "check_status"}) {
        auto loaded = flow_file(std::string(DGW_SOURCE_DIR "/flows/") + f + ".json");
        EXPECT_TRUE(loaded.flow) << f;
        reg->add(loaded.flow);
    }
    return reg;
}

class ProcessorTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = store::open_sqlite({":memory:"});
        proc_ = std::make_unique<processor>(make_deps());
    }

    processor_deps make_deps(std::shared_ptr<flow::registry> flows = shipped_flows()) {
        processor_deps deps;
        deps.flows = std::move(flows);
        deps.dialogue = shipped_dialogue();
        deps.localities = std::make_shared<const dialogue::locality_resolver>(*deps.dialogue);
        deps.reader = std::make_shared<const dialogue::concern_reader>(*deps.dialogue);
        deps.start_flow = {{"telegram", "menu"}};
        deps.wants_ack = [](const std::string&, const core::inbound_event& ev) {
            return ev.reply_context.contains("callback_query_id");
        };
        deps.random = [n = std::uint32_t{12345}]() mutable { return n = n * 1103515245u + 12345u; };
        deps.metrics = &metrics_;
        return deps;
    }

    void say(const std::string& user, const std::string& text) {
        core::inbound_event e;
        e.dedup_key = user + ":" + std::to_string(++seq_);
        e.user_id = user;
        e.text = text;
        e.language = "vi";
        db_->append_inbox({{"telegram", e, now_}});
    }

    batch_report run() {
        auto r = proc_->run_batch(*db_, now_);
        now_ += 1s;
        return r;
    }

    std::vector<std::string> texts_for(const std::string& user) {
        std::vector<std::string> out;
        auto log = db_->list_outbox({std::nullopt, 1000});
        for (auto it = log.rbegin(); it != log.rend(); ++it)
            if (it->user_id == user && it->kind == "message") out.push_back(it->payload["text"]);
        return out;
    }

    core::metrics metrics_;
    std::unique_ptr<store::store> db_;
    std::unique_ptr<processor> proc_;
    store::time_point now_ = t0;
    int seq_ = 0;
};

// A conversation state the store cannot read (store::corrupt_row) fails that citizen's event,
// with the reason; everyone else's go on. Read outside the event's guard, it failed the whole
// batch, round after round.
TEST_F(ProcessorTest, AnUnreadableConversationFailsItsEventNotTheBatch) {
    say("701", "xin chao");
    say("702", "xin chao");
    run();
    auto ct = db_->upsert_contact("telegram", "701", "", "vi", now_);
    auto conv = db_->active_conversation(ct.id);
    ASSERT_TRUE(conv);
    conv->state_text = "{\"node\": 1e999}";
    std::vector<store::step_write> w(1);
    w[0].conversations.push_back(*conv);
    db_->commit_steps(w);
    const auto before = texts_for("702").size();
    say("701", "1");
    say("702", "1");
    auto r = run();
    EXPECT_EQ(r.events, 2u);
    EXPECT_EQ(r.failed, 1u);
    EXPECT_GT(texts_for("702").size(), before) << "the other citizen was answered";
    EXPECT_EQ(db_->inbox_backlog(), 0u) << "nothing is left to fail again";
}

// The citizen's first message says what and where: it is read, not thrown away, and the
// concern is filed with one more tap (the send button, which is the consent).
TEST_F(ProcessorTest, AFirstMessageNamingProblemAndPlaceIsFiledInTwoMessages) {
    say("42", "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc");
    run();
    auto texts = texts_for("42");
    ASSERT_GE(texts.size(), 2u);
    // Danger: the hotline advice comes at once, then the review with the session it goes to.
    EXPECT_NE(texts[0].find("112"), std::string::npos) << texts[0];
    EXPECT_NE(texts[1].find("Xã Bát Xát"), std::string::npos) << texts[1];
    EXPECT_NE(texts[1].find("buổi đối thoại tháng 12/2026 tại Hội trường UBND Xã Bát Xát"),
              std::string::npos)
        << texts[1];
    EXPECT_EQ(texts[1].find("Xin chào"), std::string::npos) << "no menu, no greeting";
    say("42", "gui an danh");
    run();
    EXPECT_EQ(db_->inbox_backlog(), 0u);
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    const auto& c = concerns[0];
    EXPECT_EQ(c.topic, "roads");
    EXPECT_EQ(c.commune_code, "02683");
    EXPECT_EQ(c.commune_name, "Xã Bát Xát");
    EXPECT_EQ(c.text, "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc");
    EXPECT_EQ(c.status, core::concern_status::scheduled);
    EXPECT_EQ(c.session_id, "commune-02683-2026-12");
    EXPECT_TRUE(c.anonymous);
    EXPECT_TRUE(c.consent);
    EXPECT_TRUE(c.urgent) << "sạt lở is danger to life or property";
    EXPECT_EQ(c.channel, "telegram");
    EXPECT_TRUE(c.ref.starts_with("LC-"));
    // What was read rather than asked is kept with the concern, for officials' corrections.
    EXPECT_EQ(c.answers["_inferred"]["topic"]["value"], "roads");
    EXPECT_EQ(c.answers["_inferred"]["locality"]["value"], "02683");
    EXPECT_TRUE(c.answers["consent_notice"].get<std::string>().starts_with("raise_concern v"));
    // The receipt names the reference and the hotline.
    texts = texts_for("42");
    EXPECT_NE(texts.back().find(c.ref), std::string::npos) << texts.back();
    EXPECT_NE(texts.back().find("112"), std::string::npos) << texts.back();
    EXPECT_EQ(metrics_.value("dgw_concerns_filed_total", {{"status", "scheduled"}}), 1.0);
    EXPECT_FALSE(db_->active_conversation(db_->upsert_contact("telegram", "42", "", "", now_).id));
}

// "Gửi kèm số điện thoại" asks for the number with the platform's share button (hint phone);
// the shared contact (Telegram, Viber, Messenger's user_phone_number) answers it.
TEST_F(ProcessorTest, ASharedContactAnswersThePhoneQuestion) {
    say("43", "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc");
    run();
    say("43", "Gửi kèm số điện thoại");
    run();
    auto log = db_->list_outbox({std::nullopt, 1000});
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.front().payload["hint"], "phone") << log.front().payload.dump();
    core::inbound_event e;
    e.dedup_key = "43:contact";
    e.user_id = "43";
    e.kind = core::inbound_kind::contact;
    e.phone = "+84912345678";
    db_->append_inbox({{"telegram", e, now_}});
    run();
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u) << texts_for("43").back();
    EXPECT_FALSE(concerns[0].anonymous);
    EXPECT_NE(concerns[0].phone.find("912345678"), std::string::npos) << concerns[0].phone;
}

// Tapping "Gửi phản ánh" still leads question by question, and the consent is the send tap.
TEST_F(ProcessorTest, TheQuestionByQuestionPathStillFilesAConcern) {
    for (const char* line : {"xin chao", "1", "1", "bat xat",
                             "duong vao thon bi sat lo, xe may khong di duoc", "gui an danh"}) {
        say("43", line);
        run();
    }
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    EXPECT_EQ(concerns[0].topic, "roads");
    EXPECT_EQ(concerns[0].commune_code, "02683");
    EXPECT_TRUE(concerns[0].consent);
    EXPECT_FALSE(concerns[0].answers.contains("_inferred")) << "everything was asked";
}

// A greeting gets the menu, once; a reference typed first gets its status at once.
TEST_F(ProcessorTest, AGreetingGetsTheMenuAndAReferenceItsStatus) {
    say("44", "alo co ai khong");
    run();
    auto texts = texts_for("44");
    ASSERT_EQ(texts.size(), 1u);
    EXPECT_EQ(texts[0].rfind("Xin chào!", 0), 0u) << texts[0];
    say("45", "duong vao ban Ta Phin xa Ta Phin bi hong nang");
    run();
    say("45", "gui an danh");
    run();
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    std::string typed = "tra cuu " + concerns[0].ref;
    for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    say("46", typed);
    run();
    texts = texts_for("46");
    ASSERT_FALSE(texts.empty());
    EXPECT_NE(texts.back().find(concerns[0].ref), std::string::npos) << texts.back();
    EXPECT_NE(texts.back().find("đã xếp vào buổi đối thoại"), std::string::npos) << texts.back();
}

// The review names the session the concern would go to, over the same schedule it is filed
// by: officials' cancellation of the December session moves it to March.
TEST_F(ProcessorTest, TheReviewNamesTheSessionOfficialsEditsLeaveOpen) {
    db_->put_session_override({"commune-02683-2026-12", "cancelled", "", "", "", now_});
    say("47", "mat dien 3 ngay o xa Bat Xat");
    run();
    auto texts = texts_for("47");
    ASSERT_FALSE(texts.empty());
    EXPECT_NE(texts.back().find("tháng 3/2027"), std::string::npos) << texts.back();
    say("47", "gui an danh");
    run();
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    EXPECT_EQ(concerns[0].session_id, "commune-02683-2027-03");
}

TEST_F(ProcessorTest, NodeCountsAreCommittedWithTheStepsAndNeverTwice) {
    say("7", "xin chao");
    say("7", "1");
    run();
    // The menu was reached and left, the concern flow started and waits at its topic question.
    auto count_of = [&](const std::string& flow, const std::string& node) {
        const int version = shipped_flows()->latest(flow)->version;
        for (const auto& n : db_->list_node_counts(flow, version))
            if (n.node == node) return std::make_pair(n.reached, n.left);
        return std::make_pair(std::int64_t{0}, std::int64_t{0});
    };
    EXPECT_EQ(count_of("menu", "menu"), std::make_pair(std::int64_t{1}, std::int64_t{1}));
    EXPECT_EQ(count_of("raise_concern", "topic"), std::make_pair(std::int64_t{1}, std::int64_t{0}));
    // A redelivered message (same key) changes nothing, counts included.
    core::inbound_event again;
    again.dedup_key = "7:2";
    again.user_id = "7";
    again.text = "1";
    EXPECT_EQ(db_->append_inbox({{"telegram", again, now_}}).duplicates, 1u);
    run();
    EXPECT_EQ(count_of("raise_concern", "topic"), std::make_pair(std::int64_t{1}, std::int64_t{0}));
    say("7", "1");
    run();
    EXPECT_EQ(count_of("raise_concern", "topic"), std::make_pair(std::int64_t{1}, std::int64_t{1}));
}

TEST_F(ProcessorTest, OneBatchHandlesSeveralContactsEachInArrivalOrder) {
    // Everything arrives before the worker runs: one batch, one transaction.
    for (const char* user : {"a", "b"}) say(user, "xin chao");
    for (const char* user : {"a", "b"}) say(user, "1");
    for (const char* user : {"a", "b"}) say(user, "1");
    auto rep = run();
    EXPECT_EQ(rep.events, 6u);
    EXPECT_EQ(rep.failed, 0u);
    for (const char* user : {"a", "b"}) {
        auto c = db_->upsert_contact("telegram", user, "", "", now_);
        auto conv = db_->active_conversation(c.id);
        ASSERT_TRUE(conv);
        EXPECT_EQ(conv->flow_id, "raise_concern");
        // The topic given: the next question is the commune.
        EXPECT_EQ(conv->state["node"], "locality") << conv->state.dump();
    }
}

TEST_F(ProcessorTest, CheckStatusFindsAConcernByItsReferenceAsTyped) {
    for (const char* line :
         {"hi", "1", "2", "sa pa", "xin cap so do dat cho gia dinh toi", "gui an danh"}) {
        say("7", line);
        run();
    }
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    std::string typed = concerns[0].ref.substr(3);  // without "LC-", lower case
    for (auto& ch : typed) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (const std::string& line : {std::string("hi"), std::string("2"), typed}) {
        say("8", line);
        run();
    }
    auto texts = texts_for("8");
    ASSERT_FALSE(texts.empty());
    EXPECT_NE(texts.back().find(concerns[0].ref), std::string::npos) << texts.back();
    EXPECT_NE(texts.back().find("đã xếp vào buổi đối thoại"), std::string::npos) << texts.back();
    EXPECT_EQ(texts.back().find("so do dat"), std::string::npos)
        << "only status and answer are read back, not what the citizen wrote";
}

TEST_F(ProcessorTest, CallbackQueriesGetAnAckBeforeTheReply) {
    say("9", "hi");
    run();
    core::inbound_event tap;
    tap.dedup_key = "cb:1";
    tap.user_id = "9";
    tap.kind = core::inbound_kind::choice;
    tap.choice_id = "help";
    tap.reply_context = {{"callback_query_id", "1"}};
    db_->append_inbox({{"telegram", tap, now_}});
    run();
    auto log = db_->list_outbox({std::nullopt, 100});
    std::vector<std::string> kinds;
    for (auto it = log.rbegin(); it != log.rend(); ++it)
        if (it->inbox_id == 2) kinds.push_back(it->kind);
    ASSERT_GE(kinds.size(), 2u);
    EXPECT_EQ(kinds[0], "ack");
    EXPECT_EQ(kinds[1], "message");
}

TEST_F(ProcessorTest, OnlyTheFirstReplyCarriesTheEventsReplyContext) {
    core::inbound_event e;
    e.dedup_key = "ev1";
    e.user_id = "U1";
    e.text = "xin chao";
    e.reply_context = {{"reply_token", "tok-1"}};
    db_->append_inbox({{"telegram", e, now_}});
    run();
    e.dedup_key = "ev2";
    e.text = "duong vao thon bi sat lo o xa Bat Xat";  // the danger advice and the review
    e.reply_context = {{"reply_token", "tok-2"}};
    db_->append_inbox({{"telegram", e, now_}});
    run();
    auto log = db_->list_outbox({std::nullopt, 100});
    std::vector<store::outbox_message> second;
    for (auto it = log.rbegin(); it != log.rend(); ++it)
        if (it->inbox_id == 2 && it->kind == "message") second.push_back(*it);
    ASSERT_GE(second.size(), 2u);
    ASSERT_TRUE(second[0].payload.contains("context"));
    EXPECT_EQ(second[0].payload["context"]["reply_context"]["reply_token"], "tok-2");
    EXPECT_GT(second[0].payload["context"]["inbound_at_ms"].get<std::int64_t>(), 0);
    for (std::size_t i = 1; i < second.size(); ++i)
        EXPECT_FALSE(second[i].payload.contains("context")) << "reply tokens are single-use";
}

TEST_F(ProcessorTest, ReminderTimersFireAndStaleOnesDoNothing) {
    for (const char* line : {"hi", "1", "1", "bat xat"}) {
        say("5", line);
        run();
    }
    auto armed = db_->due_timers(now_ + 365 * 24h, 10);
    ASSERT_FALSE(armed.empty()) << "the description question arms a reminder";
    auto before = texts_for("5").size();
    now_ = armed.front().due_at + 1s;
    auto rep = run();
    EXPECT_GE(rep.timers, 1u);
    EXPECT_GT(texts_for("5").size(), before) << "the reminder was sent";
    EXPECT_EQ(metrics_.value("dgw_conversations_total", {{"event", "expired"}}), 0.0);

    // Answer, then let the old conversation's remaining timers come due: nothing is sent for
    // a question already answered.
    say("5", "huy");
    run();
    auto after_cancel = texts_for("5").size();
    now_ += 365 * 24h;
    run();
    EXPECT_EQ(texts_for("5").size(), after_cancel);
    EXPECT_TRUE(db_->due_timers(now_, 10).empty());
}

// Only steps that had or set timers touch the timers table: the step that answers the
// question with a reminder must still remove its timers at once, and later steps add none.
TEST_F(ProcessorTest, AnsweringTheQuestionWithTimersRemovesThemInTheSameStep) {
    for (const char* line : {"hi", "1", "1", "bat xat"}) {
        say("12", line);
        run();
    }
    ASSERT_EQ(db_->due_timers(now_ + 365 * 24h, 10).size(), 2u) << "reminder and timeout";
    // The description answered: its timers go in that step; the review arms its own.
    say("12", "duong vao thon bi sat lo, xe may khong di duoc");
    run();
    auto armed = db_->due_timers(now_ + 365 * 24h, 10);
    ASSERT_EQ(armed.size(), 2u);
    for (const auto& t : armed) EXPECT_NE(t.timer_id.find(":review:"), std::string::npos) << t.timer_id;
    // A word that is no button shows the review again and keeps its timers as they were.
    say("12", "khong");
    run();
    auto again = db_->due_timers(now_ + 365 * 24h, 10);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(again[0].timer_id, armed[0].timer_id);
    // Sent: no timer is left.
    say("12", "gui an danh");
    run();
    EXPECT_TRUE(db_->due_timers(now_ + 365 * 24h, 10).empty());
}

// Several gateways on one database: a conversation another gateway started on a version it had
// just published (not yet known here) goes on with that version, loaded from the store through
// learn_flow, instead of being closed as broken and started over.
TEST_F(ProcessorTest, AConversationOnAVersionPublishedElsewhereGoesOnWithIt) {
    std::ifstream file(DGW_SOURCE_DIR "/flows/menu.json");
    std::stringstream text;
    text << file.rdbuf();
    auto doc = nlohmann::json::parse(text.str());
    doc["version"] = 99;
    doc["strings"]["vi"]["welcome"] = "Chào mừng đến với phiên bản 99!";
    const auto published = flow::load_text(doc.dump());
    ASSERT_TRUE(published.flow);
    ASSERT_TRUE(db_->add_flow_version({"menu", 99, doc.dump(), "published", "boss", now_, now_}));

    // The other gateway published version 99 and greets the citizen with it.
    auto theirs = shipped_flows();
    theirs->add(published.flow);
    processor there(make_deps(theirs));
    say("77", "xin chao");
    there.run_batch(*db_, now_);
    now_ += 1s;
    auto texts = texts_for("77");
    ASSERT_EQ(texts.size(), 1u);
    EXPECT_EQ(texts[0].rfind("Chào mừng đến với phiên bản 99!", 0), 0u) << texts[0];

    // The citizen's answer reaches this gateway, which has not seen version 99 yet.
    auto mine = shipped_flows();
    int learned = 0;
    auto deps = make_deps(mine);
    deps.learn_flow = [mine, &learned](store::store& s, const std::string& id) {
        ++learned;
        for (const auto& v : s.list_flow_versions(id))
            if (!mine->find(v.flow_id, v.version))
                if (auto l = flow::load_text(v.document); l.flow) mine->add(l.flow);
    };
    processor here(std::move(deps));
    say("77", "1");
    here.run_batch(*db_, now_);
    EXPECT_EQ(learned, 1);
    texts = texts_for("77");
    ASSERT_EQ(texts.size(), 2u);
    // Choice 1 was taken (the first question of a concern), not the menu again from scratch.
    EXPECT_NE(texts[1].rfind("Xin chào!", 0), 0u) << texts[1];
    EXPECT_NE(texts[1].rfind("Chào mừng", 0), 0u) << texts[1];
}

// The processor keeps the states it wrote parsed and reuses one when the store still holds
// the same text: a state changed in the store since (here by hand) must be read from the store.
TEST_F(ProcessorTest, AStateChangedInTheStoreBetweenBatchesIsReadFromTheStore) {
    for (const char* line : {"hi", "1"}) {
        say("14", line);
        run();
    }
    const auto contact = db_->upsert_contact("telegram", "14", "", "", now_).id;
    auto conv = db_->active_conversation(contact);
    ASSERT_TRUE(conv);
    ASSERT_EQ(conv->flow_id, "raise_concern");
    conv->state["vars"]["marker"] = "from the store";
    std::vector<store::step_write> edit(1);
    edit[0].conversations.push_back(*conv);
    db_->commit_steps(edit);

    say("14", "1");
    run();
    auto after = db_->active_conversation(contact);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->key, conv->key) << "the same conversation went on";
    EXPECT_NE(after->state["node"], conv->state["node"]) << "and took a step";
    EXPECT_EQ(after->state["vars"].value("marker", ""), "from the store");
}

TEST_F(ProcessorTest, AConversationLeftUnansweredExpiresThroughItsTimeout) {
    for (const char* line : {"hi", "1", "1", "bat xat"}) {
        say("11", line);
        run();
    }
    auto contact = db_->upsert_contact("telegram", "11", "", "", now_);
    auto conv = db_->active_conversation(contact.id);
    ASSERT_TRUE(conv);
    // A day later: the reminder and then the timeout have fired.
    now_ += 25h;
    run();
    run();
    EXPECT_FALSE(db_->active_conversation(contact.id));
    EXPECT_EQ(db_->find_conversation(conv->key)->outcome, "expired");
    EXPECT_EQ(metrics_.value("dgw_conversations_total", {{"event", "expired"}}), 1.0);
}

TEST_F(ProcessorTest, AnEventOfAnUnknownChannelStartsTheDefaultFlowAndAFailingOneIsIsolated) {
    // A conversation whose stored state is garbage: the citizen starts over, nothing stalls.
    say("6", "hi");
    run();
    auto contact = db_->upsert_contact("telegram", "6", "", "", now_);
    auto conv = db_->active_conversation(contact.id);
    ASSERT_TRUE(conv);
    store::step_write corrupt;
    conv->state = {{"flow", "menu"}, {"version", 1}, {"node", "no-such-node"}};
    corrupt.conversations.push_back(*conv);
    std::vector<store::step_write> steps{corrupt};
    db_->commit_steps(steps);
    say("6", "1");
    say("other", "hi");
    auto rep = run();
    EXPECT_EQ(rep.events, 2u);
    EXPECT_EQ(rep.failed, 0u);
    EXPECT_EQ(db_->find_conversation(conv->key)->outcome, "failed");
    auto fresh = db_->active_conversation(contact.id);
    ASSERT_TRUE(fresh);
    EXPECT_NE(fresh->key, conv->key);
    EXPECT_EQ(db_->inbox_backlog(), 0u);
}

}  // namespace
}  // namespace dgw::pipeline

// ---- reaching the citizen weeks later -------------------------------------------------------

namespace dgw::pipeline {
namespace {

// A short flow that files a concern (tests/fixtures/late/report.json), on a Messenger channel
// whose platform needs an opt-in after the receipt.
class LateProcessorTest : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = store::open_sqlite({":memory:"});
        processor_deps deps;
        auto reg = std::make_shared<flow::registry>();
        auto loaded = flow_file(DGW_FIXTURES_DIR "/late/report.json");
        ASSERT_TRUE(loaded.flow);
        reg->add(loaded.flow);
        deps.flows = reg;
        deps.dialogue = shipped_dialogue();
        deps.localities = std::make_shared<const dialogue::locality_resolver>(*deps.dialogue);
        deps.start_flow = {{"messenger", "report"}};
        deps.offers_notifications = [](const std::string& channel) {
            return channel == "messenger";
        };
        deps.random = [n = std::uint32_t{777}]() mutable { return n = n * 1103515245u + 12345u; };
        deps.metrics = &metrics_;
        proc_ = std::make_unique<processor>(std::move(deps));
    }

    void append(core::inbound_event e) {
        e.dedup_key = "m" + std::to_string(++seq_);
        e.user_id = "2734";
        db_->append_inbox({{"messenger", e, now_}});
    }
    void say(const std::string& text) {
        core::inbound_event e;
        e.text = text;
        e.language = "vi";
        append(e);
        proc_->run_batch(*db_, now_);
    }

    std::vector<store::outbox_message> outbox() {
        auto log = db_->list_outbox({std::nullopt, 1000});
        return {log.rbegin(), log.rend()};  // oldest first
    }

    core::metrics metrics_;
    std::unique_ptr<store::store> db_;
    std::unique_ptr<processor> proc_;
    store::time_point now_ = t0;
    int seq_ = 0;
};

TEST_F(LateProcessorTest, TheReceiptIsFollowedByTheOptInOffer) {
    for (const char* line : {"xin chào", "có", "đường", "bat xat", "duong bi sat lo", "0912345678"})
        say(line);
    auto concerns = db_->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    auto rows = outbox();
    ASSERT_GE(rows.size(), 2u);
    EXPECT_EQ(rows.back().kind, "offer");
    EXPECT_EQ(rows.back().payload["ref"], concerns[0].ref);
    const auto& receipt = rows[rows.size() - 2];
    EXPECT_NE(receipt.payload["text"].get<std::string>().find(concerns[0].ref), std::string::npos);
    // Only once: the other steps offer nothing.
    std::size_t offers = 0;
    for (const auto& r : rows) offers += r.kind == "offer" ? 1 : 0;
    EXPECT_EQ(offers, 1u);
}

TEST_F(LateProcessorTest, APermissionIsStoredWithoutAReplyNorMovingTheLastMessage) {
    say("xin chào");
    const auto wrote = db_->find_contact(1)->last_inbound_at;
    const auto before = outbox().size();
    now_ += 30min;
    core::inbound_event e;
    e.kind = core::inbound_kind::permission;
    core::permission p;
    p.kind = core::permission_kind::one_time_notification;
    p.token = "OTN-1";
    p.topic = "LC-XXXXX";
    e.permission = p;
    append(e);
    auto rep = proc_->run_batch(*db_, now_);
    EXPECT_EQ(rep.events, 1u);
    EXPECT_EQ(rep.messages, 0u);
    EXPECT_EQ(outbox().size(), before);
    EXPECT_EQ(db_->find_contact(1)->last_inbound_at, wrote);
    auto reach = db_->reach_of(1);
    ASSERT_EQ(reach.permissions.size(), 1u);
    EXPECT_EQ(reach.permissions[0].token, "OTN-1");
    EXPECT_EQ(metrics_.value("dgw_permissions_total", {{"channel", "messenger"},
                                                       {"kind", "one_time_notification"},
                                                       {"granted", "true"}}),
              1.0);
}

TEST_F(LateProcessorTest, WritingAgainReleasesWhatWasHeldAheadOfTheReplies) {
    say("xin chào");
    for (const auto& m : outbox()) db_->mark_sent(m.id, now_);
    store::outbox_message n;
    n.channel = "messenger";
    n.user_id = "2734";
    n.contact_id = 1;
    n.kind = "notice";
    n.payload = {{"text", "the answer"}};
    n.next_attempt_at = n.created_at = now_;
    std::vector<store::outbox_message> one{n};
    db_->append_outbox(one);
    store::send_result held;
    held.id = one[0].id;
    held.outcome = store::send_result::kind::held;
    held.at = now_;
    held.attempts = 1;
    held.reason = "no path";
    db_->claim_outbox({held.id}, now_);
    db_->record_sends({held});
    EXPECT_EQ(db_->outbox_held(), 1u);
    now_ += 24h * 30;
    say("có");
    EXPECT_EQ(db_->outbox_held(), 0u);
    auto heads = db_->sendable_outbox(now_, 10);
    ASSERT_FALSE(heads.empty());
    EXPECT_EQ(heads[0].id, one[0].id) << "the held answer goes first";
    EXPECT_EQ(heads[0].next_attempt_at, now_);
}

}  // namespace
}  // namespace dgw::pipeline
