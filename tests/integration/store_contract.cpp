// The store's contract tests (store_contract.hpp): written once, instantiated per backend.

#include "store_contract.hpp"

#include <dgw/core/time_text.hpp>
#include <dgw/domain/events.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <tuple>

namespace dgw::store::contract {
namespace {

using namespace std::chrono_literals;

TEST_P(StoreContract, InboxDeduplicatesPerChannelAndKeepsArrivalOrder) {
    auto r = db_->append_inbox({{"telegram", text_event("1:10", "1", "a"), t0},
                                {"telegram", text_event("2:10", "2", "b"), t0},
                                {"zalo", text_event("1:10", "1", "c"), t0}});
    EXPECT_EQ(r.stored, 3u);
    EXPECT_EQ(r.duplicates, 0u);
    r = db_->append_inbox({{"telegram", text_event("1:10", "1", "a again"), t0 + 1s},
                           {"telegram", text_event("1:11", "1", "d"), t0 + 1s}});
    EXPECT_EQ(r.stored, 1u);
    EXPECT_EQ(r.duplicates, 1u);
    auto pending = db_->pending_inbox(10);
    ASSERT_EQ(pending.size(), 4u);
    EXPECT_EQ(pending[0].event.text, "a");
    EXPECT_EQ(pending[2].channel, "zalo");
    EXPECT_EQ(pending[3].event.text, "d");
    EXPECT_EQ(pending[0].received_at, t0);
    EXPECT_EQ(db_->inbox_backlog(), 4u);
}

// A round's events go in together (one statement on a server): the same event twice in the
// round is stored once, as its first copy, and the ids still follow the round's order.
TEST_P(StoreContract, ARoundsEventsAreStoredOnceEachInTheirOrder) {
    db_->append_inbox({{"telegram", text_event("1:5", "1", "earlier"), t0}});
    auto r = db_->append_inbox({{"telegram", text_event("3:1", "3", "x"), t0},
                                {"telegram", text_event("1:5", "1", "earlier again"), t0},
                                {"telegram", text_event("3:2", "3", "y \"quoted\" \\ é"), t0},
                                {"telegram", text_event("3:1", "3", "x twice"), t0},
                                {"web", text_event("3:1", "3", "z"), t0 + 1s}});
    EXPECT_EQ(r.fresh, (std::vector<bool>{true, false, true, false, true}));
    EXPECT_EQ(r.stored, 3u);
    EXPECT_EQ(r.duplicates, 2u);
    auto pending = db_->pending_inbox(10);
    ASSERT_EQ(pending.size(), 4u);
    EXPECT_EQ(pending[1].event.text, "x");
    EXPECT_EQ(pending[2].event.text, "y \"quoted\" \\ é") << "the event is stored as given";
    EXPECT_EQ(pending[3].channel, "web");
    EXPECT_EQ(pending[3].received_at, t0 + 1s);
    EXPECT_LT(pending[1].id, pending[2].id);
    EXPECT_LT(pending[2].id, pending[3].id);
}

// A NUL character where a citizen or a client wrote (a forged web chat message, a name) is kept
// or dropped, never a reason to refuse the others stored or written with it.
TEST_P(StoreContract, ANulCharacterFailsNeitherItsRoundNorItsBatch) {
    const std::string nul_text("a\0b", 3);
    auto r = db_->append_inbox({{"web", text_event("n:1", "n", nul_text), t0},
                                {"web", text_event("n:2", "m", "plain"), t0}});
    EXPECT_EQ(r.stored, 2u);
    auto pending = db_->pending_inbox(10);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].event.text, nul_text) << "the event is kept as it was written";
    auto got = db_->upsert_contacts({{"web", "n", std::string("An\0 Binh", 8), "vi"},
                                     {"web", "m", "Chi", ""}},
                                    t0);
    ASSERT_EQ(got.size(), 2u);
    auto name = got[0].display_name;
    std::erase(name, '\0');
    EXPECT_EQ(name, "An Binh");
    EXPECT_EQ(got[1].display_name, "Chi");
}

// The web chat's signing key is made once: a restart, or another gateway on the same database,
// must sign (and accept) sessions the same way.
TEST_P(StoreContract, ASecretIsKeptOnceAndReturnedEverAfter) {
    EXPECT_EQ(db_->keep_secret("webchat_session_key", "first"), "first");
    EXPECT_EQ(db_->keep_secret("webchat_session_key", "second"), "first");
    EXPECT_EQ(db_->keep_secret("other", "x"), "x");
}

// A client system's Open311 key: found by its public half with every field, a second key of
// the same name or id refused, revoked once (and then still found, marked).
TEST_P(StoreContract, AnApiKeyIsAddedOnceFoundByItsIdAndRevoked) {
    api_key k;
    k.name = "cong-dvc";
    k.key_id = "k1a2b3c4";
    k.secret_hash = std::string(64, 'a');
    k.scope = "02683";
    k.per_hour = 120;
    k.created_at = t0;
    EXPECT_TRUE(db_->add_api_key(k));
    auto same_name = k;
    same_name.key_id = "k9";
    EXPECT_FALSE(db_->add_api_key(same_name));
    auto same_id = k;
    same_id.name = "other";
    EXPECT_FALSE(db_->add_api_key(same_id));
    auto other = k;
    other.name = "bao-chi";
    other.key_id = "k5";
    other.scope = "province";
    EXPECT_TRUE(db_->add_api_key(other));

    auto got = db_->find_api_key("k1a2b3c4");
    ASSERT_TRUE(got);
    EXPECT_GT(got->id, 0);
    EXPECT_EQ(got->name, "cong-dvc");
    EXPECT_EQ(got->secret_hash, k.secret_hash);
    EXPECT_EQ(got->scope, "02683");
    EXPECT_EQ(got->per_hour, 120);
    EXPECT_EQ(got->created_at, t0);
    EXPECT_FALSE(got->revoked_at);
    EXPECT_FALSE(db_->find_api_key("k404"));

    const auto all = db_->list_api_keys();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].name, "bao-chi");
    EXPECT_EQ(all[1].name, "cong-dvc");

    EXPECT_TRUE(db_->revoke_api_key("cong-dvc", t0 + 1h));
    EXPECT_FALSE(db_->revoke_api_key("cong-dvc", t0 + 2h)) << "revoked once";
    EXPECT_FALSE(db_->revoke_api_key("nobody", t0));
    EXPECT_EQ(db_->find_api_key("k1a2b3c4")->revoked_at, t0 + 1h);
    EXPECT_FALSE(db_->find_api_key("k5")->revoked_at);
}

TEST_P(StoreContract, EventsRoundTripEveryField) {
    core::inbound_event e;
    e.dedup_key = "cb:987";
    e.user_id = "7123456789012";
    e.kind = core::inbound_kind::location;
    e.lat = 22.4856;
    e.lon = 103.9707;
    e.display_name = "Lò Văn A";
    e.language = "vi";
    e.media = {"AgAD1", "AgAD2"};
    e.reply_context = {{"callback_query_id", "987"}};
    db_->append_inbox({{"telegram", e, t0}});
    auto got = db_->pending_inbox(1).at(0).event;
    EXPECT_EQ(got.user_id, "7123456789012");
    EXPECT_EQ(got.kind, core::inbound_kind::location);
    EXPECT_DOUBLE_EQ(got.lat, 22.4856);
    EXPECT_EQ(got.display_name, "Lò Văn A");
    EXPECT_EQ(got.media, e.media);
    EXPECT_EQ(got.reply_context, e.reply_context);
}

TEST_P(StoreContract, ContactsAreUpsertedOnce) {
    auto a = db_->upsert_contact("telegram", "42", "Ana", "vi", t0);
    auto b = db_->upsert_contact("telegram", "42", "", "", t0 + 5s);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(b.display_name, "Ana") << "an empty name does not erase the known one";
    EXPECT_EQ(b.last_inbound_at, t0 + 5s);
    auto c = db_->upsert_contact("zalo", "42", "", "", t0);
    EXPECT_NE(c.id, a.id);
    EXPECT_EQ(db_->find_contact(a.id)->user_id, "42");
    EXPECT_FALSE(db_->find_contact(9999));
}

// A worker's batch writes its senders at once (one statement on a server): each contact
// once, as the upserts one by one would leave it, and the answer in the order asked.
TEST_P(StoreContract, ABatchsSendersAreUpsertedTogetherAsOneByOne) {
    auto known = db_->upsert_contact("telegram", "42", "Ana", "vi", t0);
    std::vector<step_write> invited(1);
    invited[0].invite = step_write::invite_note{known.id, "s-2026-q4-02683"};
    invited[0].at = t0;
    db_->commit_steps(invited);
    auto got = db_->upsert_contacts({{"telegram", "42", "", ""},
                                     {"telegram", "43", "Binh", ""},
                                     {"telegram", "42", "Ana Nguyen", ""},
                                     {"zalo", "42", "", "en"},
                                     {"telegram", "43", "", "vi"},
                                     {"telegram", "42", "", ""}},
                                    t0 + 5s);
    ASSERT_EQ(got.size(), 6u);
    EXPECT_EQ(got[0].id, known.id);
    EXPECT_EQ(got[2].id, known.id);
    EXPECT_EQ(got[5].id, known.id);
    EXPECT_EQ(got[1].id, got[4].id);
    EXPECT_NE(got[1].id, known.id);
    EXPECT_NE(got[3].id, known.id);
    EXPECT_EQ(got[0].display_name, "Ana Nguyen") << "the last name given";
    EXPECT_EQ(got[0].language, "vi") << "an empty language does not erase the known one";
    EXPECT_EQ(got[0].last_inbound_at, t0 + 5s);
    EXPECT_EQ(got[0].invite, "s-2026-q4-02683") << "the invitation comes with the contact";
    EXPECT_EQ(got[1].display_name, "Binh");
    EXPECT_EQ(got[1].language, "vi");
    EXPECT_EQ(got[1].created_at, t0 + 5s);
    EXPECT_EQ(got[3].language, "en");
    EXPECT_EQ(db_->find_contact(known.id)->display_name, "Ana Nguyen");
    EXPECT_TRUE(db_->upsert_contacts({}, t0).empty());
}

TEST_P(StoreContract, TheActiveConversationsOfSeveralContactsAreReadTogether) {
    auto a = db_->upsert_contact("telegram", "1", "", "", t0);
    auto b = db_->upsert_contact("telegram", "2", "", "", t0);
    auto c = db_->upsert_contact("telegram", "3", "", "", t0);
    auto conv = [&](const std::string& key, std::int64_t contact, bool active) {
        conversation v;
        v.key = key;
        v.contact_id = contact;
        v.flow_id = "raise_concern";
        v.flow_version = 1;
        v.state = {{"node", key}};
        v.active = active;
        v.started_at = v.updated_at = t0;
        return v;
    };
    std::vector<step_write> steps(1);
    steps[0].conversations = {conv("a.0", a.id, false), conv("a.1", a.id, true),
                              conv("c.0", c.id, true)};
    db_->commit_steps(steps);
    auto got = db_->active_conversations_text({a.id, b.id, c.id, 9999});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got.at(a.id).key, "a.1");
    EXPECT_EQ(got.at(c.id).key, "c.0");
    EXPECT_EQ(nlohmann::json::parse(got.at(a.id).state_text), (nlohmann::json{{"node", "a.1"}}));
    EXPECT_TRUE(db_->active_conversations_text({}).empty());
}

TEST_P(StoreContract, AStepCommitsEverythingOrNothing) {
    db_->append_inbox({{"telegram", text_event("1:1", "1", "hi"), t0}});
    auto c = db_->upsert_contact("telegram", "1", "", "", t0);
    auto row = db_->pending_inbox(1).at(0);

    step_write w;
    w.inbox_id = row.id;
    w.conversations.push_back(
        {"1.0", c.id, "raise_concern", 1, {{"node", "topic"}}, true, "", t0, t0});
    concern k;
    k.ref = "LC-7K4M2";
    k.contact_id = c.id;
    k.channel = "telegram";
    k.conversation_key = "1.0";
    k.topic = "roads";
    k.commune_code = "02683";
    k.commune_name = "Xã Bát Xát";
    k.text = "Đường bị sạt lở";
    k.lat = 22.5;
    k.status = core::concern_status::scheduled;
    k.session_id = "commune-02683-2026-12";
    k.created_at = k.updated_at = t0;
    w.concerns.push_back(k);
    outbox_message m;
    m.channel = "telegram";
    m.user_id = "1";
    m.contact_id = c.id;
    m.payload = {{"text", "Cảm ơn"}};
    m.next_attempt_at = m.created_at = t0;
    m.inbox_id = row.id;
    w.outbox = {m, m};
    w.timers_reset_for = {"1.0"};
    w.timers.push_back({0, "1.0", "reminder", t0 + 1h});
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    EXPECT_GT(steps[0].concerns[0].id, 0);
    EXPECT_GT(steps[0].outbox[1].id, steps[0].outbox[0].id);

    EXPECT_EQ(db_->inbox_backlog(), 0u);
    auto conv = db_->active_conversation(c.id);
    ASSERT_TRUE(conv);
    EXPECT_EQ(conv->state["node"], "topic");
    auto stored = db_->find_concern("LC-7K4M2");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->text, "Đường bị sạt lở");
    EXPECT_EQ(stored->lat, 22.5);
    EXPECT_FALSE(stored->lon);
    EXPECT_TRUE(db_->concern_ref_exists("LC-7K4M2"));
    EXPECT_EQ(db_->list_concerns("commune-02683-2026-12", 10).size(), 1u);
    EXPECT_EQ(db_->outbox_pending(), 2u);
    EXPECT_EQ(db_->due_timers(t0 + 2h, 10).size(), 1u);
    EXPECT_TRUE(db_->due_timers(t0, 10).empty());

    // A step that breaks a constraint (the same reference again) rolls back whole: no outbox row,
    // no conversation change, the inbox event stays pending.
    db_->append_inbox({{"telegram", text_event("1:2", "1", "again"), t0}});
    auto row2 = db_->pending_inbox(1).at(0);
    step_write bad = w;
    bad.inbox_id = row2.id;
    bad.conversations[0].state = {{"node", "changed"}};
    std::vector<step_write> bad_steps{bad};
    EXPECT_ANY_THROW(db_->commit_steps(bad_steps));
    EXPECT_EQ(db_->inbox_backlog(), 1u);
    EXPECT_EQ(db_->outbox_pending(), 2u);
    EXPECT_EQ(db_->active_conversation(c.id)->state["node"], "topic");
}

TEST_P(StoreContract, OnlyOneActiveConversationPerContact) {
    auto c = db_->upsert_contact("telegram", "1", "", "", t0);
    step_write w;
    w.conversations.push_back({"1.0", c.id, "menu", 1, {}, false, "completed", t0, t0});
    w.conversations.push_back({"1.1", c.id, "raise_concern", 1, {}, true, "", t0, t0});
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    EXPECT_EQ(db_->active_conversation(c.id)->key, "1.1");
    EXPECT_EQ(db_->find_conversation("1.0")->outcome, "completed");
    step_write two;
    two.conversations.push_back({"1.2", c.id, "menu", 1, {}, true, "", t0, t0});
    std::vector<step_write> bad{two};
    EXPECT_ANY_THROW(db_->commit_steps(bad));
}

// A write may be sent with the commit rather than at once (PostgreSQL: statement::write): its
// failure still fails the piece of work it belongs to, alone, inside a transaction of several.
TEST_P(StoreContract, AWriteThatFailsFailsItsOwnPieceOfWorkAlone) {
    auto c = db_->upsert_contact("telegram", "1", "", "", t0);
    std::vector<std::int64_t> ids;
    db_->transact([&] {
        ids = queue_replies(*db_, c, {"before"});
        step_write two;  // a second active conversation for the contact: refused
        two.conversations.push_back({"1.1", c.id, "menu", 1, {}, true, "", t0, t0});
        two.conversations.push_back({"1.2", c.id, "menu", 1, {}, true, "", t0, t0});
        outbox_message m;
        m.channel = c.channel;
        m.user_id = c.user_id;
        m.contact_id = c.id;
        m.payload = {{"text", "never"}};
        m.next_attempt_at = m.created_at = t0;
        two.outbox.push_back(m);
        std::vector<step_write> bad{two};
        EXPECT_ANY_THROW(db_->commit_steps(bad));
        const auto after = queue_replies(*db_, c, {"after"});
        ids.insert(ids.end(), after.begin(), after.end());
    });
    EXPECT_FALSE(db_->active_conversation(c.id));
    const auto log = db_->list_outbox({c.id, 10});  // newest first
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].payload["text"], "after");
    EXPECT_EQ(log[1].payload["text"], "before");
    EXPECT_LT(ids[0], ids[1]) << "ids in the order the messages were queued";
    EXPECT_EQ(db_->sendable_outbox(t0, 10).at(0).id, ids[0]);
}

TEST_P(StoreContract, OutboxSendsOnlyTheHeadOfEachContactsQueue) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    auto b = db_->upsert_contact("telegram", "b", "", "", t0);
    step_write w;
    for (int i = 0; i < 3; ++i) {
        for (const auto* who : {&a, &b}) {
            outbox_message m;
            m.channel = "telegram";
            m.user_id = who->user_id;
            m.contact_id = who->id;
            m.payload = {{"text", who->user_id + std::to_string(i)}};
            m.next_attempt_at = m.created_at = t0;
            w.outbox.push_back(m);
        }
    }
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    auto raw = db_->sendable_outbox(t0, 10);
    ASSERT_EQ(raw.size(), 2u);
    EXPECT_TRUE(raw[0].payload.is_null()) << "left for the sender to parse";
    auto heads = parsed(raw);
    ASSERT_EQ(heads.size(), 2u);
    EXPECT_EQ(heads[0].payload["text"], "a0");
    EXPECT_EQ(heads[1].payload["text"], "b0");

    // a's head waits for a retry: a's later messages must wait behind it.
    db_->reschedule(heads[0].id, 1, t0 + 10s, "HTTP 500");
    heads = parsed(db_->sendable_outbox(t0 + 1s, 10));
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].payload["text"], "b0");
    db_->mark_sent(heads[0].id, t0 + 1s);
    heads = parsed(db_->sendable_outbox(t0 + 11s, 10));
    ASSERT_EQ(heads.size(), 2u);
    EXPECT_EQ(heads[0].payload["text"], "a0");
    EXPECT_EQ(heads[0].attempts, 1);
    EXPECT_EQ(heads[0].last_error, "HTTP 500");
    EXPECT_EQ(heads[1].payload["text"], "b1");
    db_->mark_failed(heads[0].id, "blocked by the user", t0 + 11s);
    heads = parsed(db_->sendable_outbox(t0 + 11s, 10));
    EXPECT_EQ(heads[0].payload["text"], "a1");
    EXPECT_EQ(db_->outbox_pending(), 4u);
    auto log = db_->list_outbox({a.id, 10});
    ASSERT_EQ(log.size(), 3u);
    EXPECT_EQ(log.back().status, "failed");
    EXPECT_EQ(log.back().last_error, "blocked by the user");
}

TEST_P(StoreContract, OutboxRowsCarryTheContactsLastInboundTime) {
    auto a = db_->upsert_contact("messenger", "a", "", "", t0);
    step_write w;
    outbox_message m;
    m.channel = "messenger";
    m.user_id = "a";
    m.contact_id = a.id;
    m.payload = {{"text", "hi"}};
    m.next_attempt_at = m.created_at = t0;
    w.outbox.push_back(m);
    m.contact_id = 0;  // a notification without a contact row
    m.user_id = "nobody";
    w.outbox.push_back(m);
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    db_->upsert_contact("messenger", "a", "", "", t0 + 5s);  // a wrote again
    auto heads = db_->sendable_outbox(t0 + 10s, 10);
    ASSERT_EQ(heads.size(), 2u);
    EXPECT_EQ(heads[0].contact_last_inbound_at, t0 + 5s);
    EXPECT_FALSE(heads[1].contact_last_inbound_at);
}

TEST_P(StoreContract, ChannelTokensAreSeededOnceThenKeptUntilTheConfigChanges) {
    EXPECT_FALSE(db_->find_channel_token("zalo"));
    channel_token configured{"zalo", "cfg-access", "cfg-refresh", std::nullopt, t0, "seed-1"};
    auto in_use = db_->seed_channel_token(configured);
    EXPECT_EQ(in_use.access_token, "cfg-access");
    EXPECT_FALSE(in_use.expires_at);

    // A refresh replaces the pair; the next start with the same config keeps the stored one.
    channel_token refreshed{"zalo", "new-access", "new-refresh", t0 + 25h, t0 + 1s, "seed-1"};
    db_->save_channel_token(refreshed);
    in_use = db_->seed_channel_token(configured);
    EXPECT_EQ(in_use.access_token, "new-access");
    EXPECT_EQ(in_use.refresh_token, "new-refresh");
    EXPECT_EQ(in_use.expires_at, t0 + 25h);
    EXPECT_EQ(in_use.updated_at, t0 + 1s);

    // An operator put a new pair in the config (another seed): it replaces the stored one.
    channel_token fixed{"zalo", "ops-access", "ops-refresh", std::nullopt, t0 + 2s, "seed-2"};
    in_use = db_->seed_channel_token(fixed);
    EXPECT_EQ(in_use.refresh_token, "ops-refresh");
    auto row = db_->find_channel_token("zalo");
    ASSERT_TRUE(row);
    EXPECT_EQ(row->refresh_token, "ops-refresh");
    EXPECT_EQ(row->seed, "seed-2");
    EXPECT_FALSE(row->expires_at);
    EXPECT_FALSE(db_->find_channel_token("zalo2"));
}

TEST_P(StoreContract, OutboxAfterGivesOneUsersSentMessagesInOrder) {
    auto a = db_->upsert_contact("web", "wa", "", "", t0);
    auto b = db_->upsert_contact("web", "wb", "", "", t0);
    auto other = db_->upsert_contact("telegram", "wa", "", "", t0);  // same id, other channel
    step_write w;
    for (int i = 0; i < 3; ++i) {
        for (const auto* who : {&a, &b, &other}) {
            outbox_message m;
            m.channel = who->channel;
            m.user_id = who->user_id;
            m.contact_id = who->id;
            m.payload = {{"text", who->channel + who->user_id + std::to_string(i)}};
            m.next_attempt_at = m.created_at = t0;
            w.outbox.push_back(m);
        }
    }
    outbox_message ack;  // acknowledgements are not messages the page shows
    ack.channel = "web";
    ack.user_id = "wa";
    ack.contact_id = a.id;
    ack.kind = "ack";
    ack.payload = nlohmann::json::object();
    ack.next_attempt_at = ack.created_at = t0;
    w.outbox.push_back(ack);
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    EXPECT_TRUE(db_->outbox_after("web", "wa", 0, 10).empty()) << "nothing is sent yet";

    for (const auto& m : db_->list_outbox({std::nullopt, 100})) db_->mark_sent(m.id, t0 + 1s);
    auto mine = db_->outbox_after("web", "wa", 0, 10);
    ASSERT_EQ(mine.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(mine[i].payload["text"], "webwa" + std::to_string(i));
    EXPECT_LT(mine[0].id, mine[1].id);
    auto later = db_->outbox_after("web", "wa", mine[0].id, 10);
    ASSERT_EQ(later.size(), 2u);
    EXPECT_EQ(later[0].id, mine[1].id);
    EXPECT_EQ(db_->outbox_after("web", "wa", 0, 1).size(), 1u);
    EXPECT_TRUE(db_->outbox_after("web", "wa", mine[2].id, 10).empty());
    EXPECT_TRUE(db_->outbox_after("web", "nobody", 0, 10).empty());
}

TEST_P(StoreContract, AConversationWrittenAsTextIsReadBackParsedOrAsTheSameText) {
    auto c = db_->upsert_contact("telegram", "7", "", "", t0);
    conversation conv;
    conv.key = "9.0";
    conv.contact_id = c.id;
    conv.flow_id = "raise_concern";
    conv.flow_version = 1;
    conv.state = nlohmann::json{{"node", "wrong"}};  // ignored: the text is what is written
    conv.state_text = R"({"node":"topic","answers":{"topic":"roads"}})";
    conv.started_at = conv.updated_at = t0;
    step_write w;
    w.conversations.push_back(conv);
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    auto parsed = db_->active_conversation(c.id);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->state, nlohmann::json::parse(conv.state_text));
    EXPECT_TRUE(parsed->state_text.empty());
    auto text = db_->active_conversation_text(c.id);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->state_text, conv.state_text);
    EXPECT_TRUE(text->state.is_null());
    EXPECT_EQ(text->key, "9.0");
    EXPECT_FALSE(db_->active_conversation_text(c.id + 1000));
}

TEST_P(StoreContract, AnEventSerialisedByTheCallerIsStoredAsGiven) {
    auto e = text_event("1:1", "1", "đường bị sạt lở");
    e.reply_context = {{"token", "r-1"}};
    inbox_item item{"telegram", e, t0, nlohmann::json(e).dump()};
    EXPECT_EQ(db_->append_inbox({item}).stored, 1u);
    EXPECT_EQ(db_->append_inbox({{"telegram", e, t0}}).duplicates, 1u) << "same key either way";
    auto rows = db_->pending_inbox(5);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].event.text, "đường bị sạt lở");
    EXPECT_EQ(rows[0].event.reply_context, e.reply_context);
    EXPECT_EQ(nlohmann::json(rows[0].event), nlohmann::json(e));
}

TEST_P(StoreContract, ClaimsLeftByADeadProcessBecomeInDoubt) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    step_write w;
    for (int i = 0; i < 3; ++i) {
        outbox_message m;
        m.channel = "telegram";
        m.user_id = "a";
        m.contact_id = a.id;
        m.payload = {{"text", std::to_string(i)}};
        m.next_attempt_at = m.created_at = t0;
        w.outbox.push_back(m);
    }
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    auto ids = std::vector<std::int64_t>{steps[0].outbox[0].id, steps[0].outbox[1].id};
    db_->claim_outbox(ids, t0);
    db_->mark_sent(ids[0], t0);  // answered and recorded
    // ids[1] was claimed, never recorded: the process died mid-send.
    EXPECT_EQ(db_->release_claims(), 1u);
    EXPECT_EQ(db_->release_claims(), 0u) << "released once";
    auto log = db_->list_outbox({a.id, 10});
    ASSERT_EQ(log.size(), 3u);
    EXPECT_FALSE(log[2].in_doubt);  // newest first: log[2] is ids[0]
    EXPECT_TRUE(log[1].in_doubt);
    EXPECT_FALSE(log[0].in_doubt);
    EXPECT_EQ(log[1].status, "pending") << "in doubt means: sent again";
}

TEST_P(StoreContract, AClaimedHeadHoldsItsQueueUntilItsOutcomeIsRecorded) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    auto b = db_->upsert_contact("telegram", "b", "", "", t0);
    step_write w;
    for (auto [contact, user, text] : {std::tuple{a.id, "a", "a1"}, std::tuple{a.id, "a", "a2"},
                                       std::tuple{b.id, "b", "b1"}}) {
        outbox_message m;
        m.channel = "telegram";
        m.user_id = user;
        m.contact_id = contact;
        m.payload = {{"text", text}};
        m.next_attempt_at = m.created_at = t0;
        w.outbox.push_back(m);
    }
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    const auto a1 = steps[0].outbox[0].id, a2 = steps[0].outbox[1].id, b1 = steps[0].outbox[2].id;
    auto ids_of = [](const std::vector<outbox_message>& ms) {
        std::vector<std::int64_t> ids;
        for (const auto& m : ms) ids.push_back(m.id);
        return ids;
    };
    EXPECT_EQ(ids_of(db_->sendable_outbox(t0, 10)), (std::vector<std::int64_t>{a1, b1}));
    db_->claim_outbox({a1}, t0);
    // a1 is being sent: still the head (the sender skips what it has in flight, and resends
    // one whose outcome was never recorded), and a2 waits behind it.
    EXPECT_EQ(ids_of(db_->sendable_outbox(t0, 10)), (std::vector<std::int64_t>{a1, b1}));
    // A retry releases the claim: a1 is offered again when due, still ahead of a2.
    db_->record_sends({{a1, send_result::kind::retry, 1, t0, t0 + 1s, "503"}});
    EXPECT_EQ(ids_of(db_->sendable_outbox(t0 + 1s, 10)), (std::vector<std::int64_t>{a1, b1}));
    db_->claim_outbox({a1}, t0 + 1s);
    db_->record_sends({{a1, send_result::kind::sent, 2, t0 + 1s, {}, {}}});
    EXPECT_EQ(ids_of(db_->sendable_outbox(t0 + 1s, 10)), (std::vector<std::int64_t>{a2, b1}));
}

TEST_P(StoreContract, AnotherGatewaysClaimIsLeftToItUntilItsLeaseRunsOutThenTakenOverInDoubt) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    const auto ids = queue_replies(*db_, a, {"a1", "a2"});
    const auto a1 = ids[0], a2 = ids[1];
    const claimant one{"gw1:8080", 60s}, two{"gw2:8080", 60s};

    db_->set_claimant(one);
    EXPECT_EQ(db_->claim_outbox({a1}, t0), (std::vector<std::int64_t>{a1}));
    // gw2 neither sees nor claims the head gw1 is sending, nor the message behind it.
    db_->set_claimant(two);
    EXPECT_TRUE(db_->sendable_outbox(t0 + 59s, 10).empty());
    EXPECT_TRUE(db_->claim_outbox({a1}, t0 + 59s).empty());
    // gw1 goes silent past its lease: gw2 takes the message over, flagged in doubt.
    ASSERT_EQ(db_->sendable_outbox(t0 + 61s, 10).size(), 1u);
    EXPECT_EQ(db_->claim_outbox({a1}, t0 + 61s), (std::vector<std::int64_t>{a1}));
    auto log = db_->list_outbox({a.id, 10});
    ASSERT_EQ(log.size(), 2u);
    EXPECT_TRUE(log[1].in_doubt) << "gw1 may have sent it before it went silent";

    // gw1's late answer changes nothing: the message is gw2's now.
    db_->set_claimant(one);
    db_->record_sends({{a1, send_result::kind::failed, 1, t0 + 62s, {}, "400 bad request"}});
    db_->mark_sent(a1, t0 + 62s);
    log = db_->list_outbox({a.id, 10});
    EXPECT_EQ(log[1].status, "pending");
    EXPECT_EQ(log[1].attempts, 0);
    // gw2's outcome is recorded, and a2 becomes the head.
    db_->set_claimant(two);
    db_->record_sends({{a1, send_result::kind::sent, 1, t0 + 63s, {}, {}}});
    log = db_->list_outbox({a.id, 10});
    EXPECT_EQ(log[1].status, "sent");
    auto heads = db_->sendable_outbox(t0 + 63s, 10);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].id, a2);
    // An outcome for a message no longer pending changes nothing either.
    db_->record_sends({{a1, send_result::kind::failed, 2, t0 + 64s, {}, "late"}});
    EXPECT_EQ(db_->list_outbox({a.id, 10})[1].status, "sent");
}

// A sender's round: several contacts' heads claimed and their outcomes recorded together (on a
// server, in one statement each), each message getting its own outcome and time, and a
// message another gateway holds left alone in both.
TEST_P(StoreContract, ARoundClaimsAndSettlesEachOfItsMessagesAndNoOtherGatewaysOne) {
    std::vector<contact> cs;
    std::vector<std::int64_t> heads;
    for (const char* user : {"a", "b", "c", "d"}) {
        cs.push_back(db_->upsert_contact("telegram", user, "", "", t0));
        heads.push_back(queue_replies(*db_, cs.back(), {std::string(user) + "1"})[0]);
    }
    db_->set_claimant({"gw2:8080", 60s});
    ASSERT_EQ(db_->claim_outbox({heads[2]}, t0).size(), 1u);
    db_->set_claimant({"gw1:8080", 60s});
    EXPECT_EQ(db_->claim_outbox({heads[3], heads[2], heads[0], heads[1]}, t0 + 1s),
              (std::vector<std::int64_t>{heads[3], heads[0], heads[1]}))
        << "what it claimed, in the order asked, without gw2's";
    db_->record_sends({{heads[0], send_result::kind::sent, 1, t0 + 2s, {}, {}},
                       {heads[1], send_result::kind::sent, 1, t0 + 3s, {}, {}},
                       {heads[2], send_result::kind::sent, 1, t0 + 3s, {}, {}},
                       {heads[3], send_result::kind::retry, 1, t0 + 3s, t0 + 10s, "503"}});
    auto one = [&](std::size_t i) { return db_->list_outbox({cs[i].id, 10}).at(0); };
    EXPECT_EQ(one(0).status, "sent");
    EXPECT_EQ(one(0).sent_at, t0 + 2s);
    EXPECT_EQ(one(1).status, "sent");
    EXPECT_EQ(one(1).sent_at, t0 + 3s);
    EXPECT_EQ(one(1).attempts, 1);
    EXPECT_EQ(one(2).status, "pending") << "gw2's claim: gw1's word changes nothing";
    EXPECT_FALSE(one(2).sent_at);
    EXPECT_EQ(one(3).status, "pending");
    EXPECT_EQ(one(3).attempts, 1);
    // Sent and no longer claimed: gw2 cannot take them over after the lease.
    db_->set_claimant({"gw2:8080", 60s});
    EXPECT_TRUE(db_->claim_outbox({heads[0], heads[1]}, t0 + 2min).empty());
}

// The heads a sender has in hand are not read again every round (a server leaves them out;
// SQLite, in the same process, may return them and the sender skips them).
TEST_P(StoreContract, HeadsTheSenderIsSendingTakeNoRoomInTheNextRead) {
    std::vector<std::int64_t> heads;
    for (const char* user : {"a", "b", "c"}) {
        auto c = db_->upsert_contact("telegram", user, "", "", t0);
        heads.push_back(queue_replies(*db_, c, {std::string(user) + "1", "later"})[0]);
    }
    auto ids = [](const std::vector<outbox_message>& ms) {
        std::vector<std::int64_t> out;
        for (const auto& m : ms) out.push_back(m.id);
        return out;
    };
    EXPECT_EQ(ids(db_->sendable_outbox(t0, 10)), heads);
    const std::vector<std::int64_t> busy{heads[0]};
    EXPECT_EQ(ids(db_->sendable_outbox(t0, 10, busy)),
              (std::vector<std::int64_t>{heads[1], heads[2]}))
        << "the others' heads, and never the message behind a busy head";
    EXPECT_EQ(ids(db_->sendable_outbox(t0, 2, busy)),
              (std::vector<std::int64_t>{heads[1], heads[2]}));
    EXPECT_EQ(ids(db_->sendable_outbox(t0, 1, {heads[0], heads[1]})),
              (std::vector<std::int64_t>{heads[2]}));
}

TEST_P(StoreContract, ARestartedGatewayReleasesItsOwnClaims) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    const auto id = queue_replies(*db_, a, {"a1"})[0];
    db_->set_claimant({"gw1:8080", 60s});
    ASSERT_EQ(db_->claim_outbox({id}, t0).size(), 1u);
    // gw1 was killed and starts again under the same name: the claim is released at once,
    // in doubt, rather than after the lease.
    EXPECT_EQ(db_->release_claims(), 1u);
    auto heads = db_->sendable_outbox(t0 + 1s, 10);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_TRUE(heads[0].in_doubt);
}

TEST_P(StoreContract, ASendClaimedAgainBeforeItsOutcomeWasRecordedIsInDoubt) {
    auto a = db_->upsert_contact("telegram", "a", "", "", t0);
    const auto id = queue_replies(*db_, a, {"a1"})[0];
    db_->set_claimant({"gw1:8080", 60s});
    ASSERT_EQ(db_->claim_outbox({id}, t0).size(), 1u);
    EXPECT_FALSE(db_->list_outbox({a.id, 10})[0].in_doubt);
    // Sent, but the transaction recording it failed: the sender finds it still claimed by
    // itself and sends it again. The platform may have it twice: in doubt.
    ASSERT_EQ(db_->claim_outbox({id}, t0 + 1s).size(), 1u);
    EXPECT_TRUE(db_->list_outbox({a.id, 10})[0].in_doubt);
}

TEST_P(StoreContract, OneGatewayAtATimeRefreshesAChannelsTokensAndTheOthersTakeTheNewPair) {
    channel_token seeded{"zalo", "access-1", "refresh-1", t0 + 1h, t0, "seed"};
    db_->seed_channel_token(seeded);
    auto one = db_->claim_token_refresh("zalo", "refresh-1", "gw1", t0, t0 + 35s);
    EXPECT_EQ(one.outcome, token_refresh::kind::claimed);
    // gw2, due at the same time, waits: gw1 holds the refresh.
    auto two = db_->claim_token_refresh("zalo", "refresh-1", "gw2", t0 + 1s, t0 + 36s);
    EXPECT_EQ(two.outcome, token_refresh::kind::busy);
    // gw1 stores the new pair: gw2 takes it instead of spending the old refresh token.
    db_->save_channel_token({"zalo", "access-2", "refresh-2", t0 + 25h, t0 + 2s, "seed"});
    two = db_->claim_token_refresh("zalo", "refresh-1", "gw2", t0 + 3s, t0 + 38s);
    ASSERT_EQ(two.outcome, token_refresh::kind::replaced);
    ASSERT_TRUE(two.current);
    EXPECT_EQ(two.current->access_token, "access-2");
    // A refresh whose gateway died is taken over once its time is up.
    EXPECT_EQ(db_->claim_token_refresh("zalo", "refresh-2", "gw3", t0 + 4s, t0 + 39s).outcome,
              token_refresh::kind::claimed);
    EXPECT_EQ(db_->claim_token_refresh("zalo", "refresh-2", "gw1", t0 + 5s, t0 + 40s).outcome,
              token_refresh::kind::busy);
    EXPECT_EQ(db_->claim_token_refresh("zalo", "refresh-2", "gw1", t0 + 40s, t0 + 75s).outcome,
              token_refresh::kind::claimed);
}

TEST_P(StoreContract, GatewaysSeenLatelyAreCounted) {
    EXPECT_EQ(db_->gateways_alive("gw1", t0, t0 - 5s), 1u);
    EXPECT_EQ(db_->gateways_alive("gw2", t0 + 1s, t0 - 4s), 2u);
    EXPECT_EQ(db_->gateways_alive("gw1", t0 + 2s, t0 - 3s), 2u);
    // gw2 stopped: once unseen for the window it no longer counts.
    EXPECT_EQ(db_->gateways_alive("gw1", t0 + 7s, t0 + 2s), 1u);
}

TEST_P(StoreContract, TimerStepDeletesItsTimer) {
    auto c = db_->upsert_contact("telegram", "1", "", "", t0);
    step_write w;
    w.conversations.push_back({"1.0", c.id, "raise_concern", 1, {}, true, "", t0, t0});
    w.timers.push_back({0, "1.0", "remind", t0 + 1min});
    w.timers.push_back({0, "1.0", "timeout", t0 + 1h});
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    auto due = db_->due_timers(t0 + 2min, 10);
    ASSERT_EQ(due.size(), 1u);
    step_write fire;
    fire.timer_id = due[0].id;
    std::vector<step_write> fired{fire};
    db_->commit_steps(fired);
    EXPECT_TRUE(db_->due_timers(t0 + 2min, 10).empty());
    EXPECT_EQ(db_->due_timers(t0 + 2h, 10).size(), 1u);
}

// ----- issue 7: accounts, officials' work, data requests -----------------------------------------


TEST_P(StoreContract, TheLoginThrottlesMemoryIsKeptPerPairAndAddressThenForgotten) {
    auto update = [&](const std::string& user, const std::string& address, time_point at,
                      const std::function<void(login_memory&)>& decide) {
        db_->update_login_memory(user, address, at - 15min, decide);
    };
    update("lan", "203.0.113.9", t0, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 0u);
        EXPECT_TRUE(m.address_failures.empty());
        m.failures = 5;
        m.until = t0 + 1s;
        m.address_failures = {t0 - 1min, t0};
    });
    update("minh", "203.0.113.9", t0 + 1s, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 0u) << "another name's pair";
        EXPECT_EQ(m.address_failures, (std::vector<time_point>{t0 - 1min, t0}))
            << "the address's failures, whoever made them, oldest first";
        m.address_failures.push_back(t0 + 1s);
    });
    update("lan", "198.51.100.4", t0 + 2s, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 0u) << "the same name elsewhere";
        EXPECT_TRUE(m.address_failures.empty());
    });
    update("lan", "203.0.113.9", t0 + 2s, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 5u);
        EXPECT_EQ(m.until, t0 + 1s);
        EXPECT_EQ(m.address_failures.size(), 3u);
        m.failures = 0;  // a success: the pair is forgotten
    });
    update("lan", "203.0.113.9", t0 + 3s, [&](login_memory& m) { EXPECT_EQ(m.failures, 0u); });
    // A window later, what happened before it is gone.
    update("minh", "203.0.113.9", t0 + 3s, [&](login_memory& m) {
        m.failures = 6;
        m.until = t0 + 3s;
    });
    update("minh", "203.0.113.9", t0 + 15min + 1s, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 6u) << "its delay ended less than a window ago";
        EXPECT_EQ(m.address_failures, (std::vector<time_point>{t0 + 1s}));
    });
    update("minh", "203.0.113.9", t0 + 16min, [&](login_memory& m) {
        EXPECT_EQ(m.failures, 0u);
        EXPECT_TRUE(m.address_failures.empty());
    });
}

TEST_P(StoreContract, UsersSessionsAndTokensRoundTrip) {
    EXPECT_EQ(db_->count_users(), 0u);
    user u{0, "lan", "official", {"02683", "province"}, "Phòng Kinh tế xã", "+84987654321", "$scrypt$x", false, true, t0, t0};
    auto id = db_->add_user(u);
    ASSERT_TRUE(id);
    EXPECT_FALSE(db_->add_user(u)) << "names are unique";
    auto back = db_->find_user_by_name("lan");
    ASSERT_TRUE(back);
    EXPECT_EQ(back->id, *id);
    EXPECT_EQ(back->scope, u.scope);
    EXPECT_EQ(back->office, "Phòng Kinh tế xã");
    EXPECT_EQ(back->phone, "+84987654321");
    EXPECT_TRUE(back->must_change_password);
    db_->set_office(*id, "Ban quản lý dự án", "", t0 + 1s);
    EXPECT_EQ(db_->find_user(*id)->office, "Ban quản lý dự án");
    EXPECT_EQ(db_->find_user(*id)->phone, "");
    EXPECT_EQ(db_->list_users().at(0).office, "Ban quản lý dự án");
    db_->set_password(*id, "$scrypt$y", false, t0 + 1s);
    EXPECT_EQ(db_->find_user(*id)->password_hash, "$scrypt$y");
    EXPECT_FALSE(db_->find_user(*id)->must_change_password);

    db_->add_login_session({"h1", *id, "csrf1", t0, t0});
    db_->add_login_session({"h2", *id, "csrf2", t0, t0});
    db_->touch_login_session("h1", t0 + 5min);
    EXPECT_EQ(db_->find_login_session("h1")->last_seen_at, t0 + 5min);
    db_->delete_login_sessions_of(*id, "h1");
    EXPECT_TRUE(db_->find_login_session("h1"));
    EXPECT_FALSE(db_->find_login_session("h2"));
    db_->delete_login_session("h1");
    EXPECT_FALSE(db_->find_login_session("h1"));

    db_->add_login_session({"h3", *id, "csrf3", t0, t0});
    db_->set_disabled(*id, true, t0 + 1h);
    EXPECT_TRUE(db_->find_user(*id)->disabled);
    EXPECT_FALSE(db_->find_login_session("h3")) << "a disabled user's sessions end";
    db_->set_disabled(*id, false, t0 + 2h);
    EXPECT_FALSE(db_->find_user(*id)->disabled);

    db_->set_role(*id, "admin", {}, t0 + 3h);
    EXPECT_EQ(db_->find_user(*id)->role, "admin");
    EXPECT_TRUE(db_->find_user(*id)->scope.empty());
    EXPECT_EQ(db_->find_user(*id)->updated_at, t0 + 3h);

    db_->add_api_token({0, *id, "tokhash", t0});
    EXPECT_EQ(db_->find_api_token("tokhash")->user_id, *id);
    EXPECT_FALSE(db_->find_api_token("other"));
    db_->append_audit({0, t0, "lan", "login", "user:lan", "", "{}"});
    ASSERT_EQ(db_->list_audit("user:lan", 10).size(), 1u);
    EXPECT_EQ(db_->list_audit("user:lan", 10)[0].after, "{}");
}

// What Open311's public query filters in SQL: references, topics and when it was filed; and a
// page that needs no count stops reading at its end.
TEST_P(StoreContract, ConcernSearchFiltersByReferencesTopicsAndDatesAndMayStopAtThePage) {
    auto a = db_->upsert_contact("telegram", "1", "A", "vi", t0);
    std::vector<step_write> steps(1);
    for (int i = 0; i < 6; ++i) {
        auto c = filed(a.id, "LC-" + std::to_string(i), "02683", "text");
        c.topic = i % 2 ? "health" : "roads";
        c.created_at = c.updated_at = t0 + std::chrono::hours(i);
        steps[0].concerns.push_back(c);
    }
    db_->commit_steps(steps);
    auto refs = [&](const concern_filter& f, std::size_t limit = 10) {
        std::vector<std::string> out;
        for (const auto& c : db_->search_concerns(f, nullptr, 0, limit).items) out.push_back(c.ref);
        return out;
    };
    concern_filter f;
    f.refs = {"LC-4", "LC-1", "LC-9"};
    EXPECT_EQ(refs(f), (std::vector<std::string>{"LC-1", "LC-4"}));
    f = {};
    f.topics = {"health"};
    EXPECT_EQ(refs(f), (std::vector<std::string>{"LC-1", "LC-3", "LC-5"}));
    f.topics = {"health", "roads"};
    EXPECT_EQ(refs(f).size(), 6u);
    f = {};
    f.created_from = t0 + std::chrono::hours(2);
    f.created_to = t0 + std::chrono::hours(4);
    EXPECT_EQ(refs(f), (std::vector<std::string>{"LC-2", "LC-3", "LC-4"})) << "both ends included";
    f = {};
    f.count_all = false;
    auto page = db_->search_concerns(f, nullptr, 0, 2);
    EXPECT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.total, 2u) << "no count: reading stopped at the page's end";
    f.count_all = true;
    EXPECT_EQ(db_->search_concerns(f, nullptr, 0, 2).total, 6u);
}

TEST_P(StoreContract, ConcernSearchFiltersPagesAndUpdates) {
    auto a = db_->upsert_contact("telegram", "1", "A", "vi", t0);
    auto b = db_->upsert_contact("telegram", "2", "B", "vi", t0);
    std::vector<step_write> steps(1);
    for (int i = 0; i < 5; ++i)
        steps[0].concerns.push_back(filed(i < 3 ? a.id : b.id, "LC-" + std::to_string(i),
                                          i % 2 ? "02683" : "02800", "text " + std::to_string(i)));
    steps[0].concerns[4].urgent = true;
    db_->commit_steps(steps);
    concern_filter all;
    auto page = db_->search_concerns(all, nullptr, 1, 2);
    EXPECT_EQ(page.total, 5u);
    ASSERT_EQ(page.items.size(), 2u);
    EXPECT_EQ(page.items[0].ref, "LC-1");
    concern_filter f;
    f.commune_code = "02683";
    EXPECT_EQ(db_->search_concerns(f, nullptr, 0, 10).total, 2u);
    f = {};
    f.contact_id = b.id;
    EXPECT_EQ(db_->search_concerns(f, nullptr, 0, 10).total, 2u);
    f = {};
    f.urgent = true;
    EXPECT_EQ(db_->search_concerns(f, nullptr, 0, 10).items.at(0).ref, "LC-4");
    auto odd = [](const concern& c) { return c.commune_code == "02683"; };
    EXPECT_EQ(db_->search_concerns(all, odd, 0, 10).total, 2u) << "the predicate filters too";

    auto c = *db_->find_concern("LC-0");
    c.status = core::concern_status::merged;
    c.merged_into = "LC-1";
    c.assignee = "lan";
    c.agenda_group = "LC-1";
    c.updated_at = t0 + 1h;
    // An official's correction of what was read.
    c.topic = "health";
    c.commune_code = "02686";
    c.commune_name = "Xã A Mú Sung";
    c.answers["_corrected"] = {{"topic", {{"from", "roads"}, {"to", "health"}}}};
    db_->update_concern(c);
    auto back = *db_->find_concern("LC-0");
    EXPECT_EQ(back.status, core::concern_status::merged);
    EXPECT_EQ(back.merged_into, "LC-1");
    EXPECT_EQ(back.assignee, "lan");
    EXPECT_EQ(back.agenda_group, "LC-1");
    EXPECT_EQ(back.updated_at, t0 + 1h);
    EXPECT_EQ(back.topic, "health");
    EXPECT_EQ(back.commune_code, "02686");
    EXPECT_EQ(back.commune_name, "Xã A Mú Sung");
    EXPECT_EQ(back.answers["_corrected"]["topic"]["to"], "health");
    EXPECT_EQ(db_->count_concerns_by_session()["commune-02800-2026-12"], 3u);

    db_->put_session_override({"s1", "cancelled", "", "", "storm", t0});
    db_->put_session_override({"s1", "postponed", "2027-01-09", "Hall", "", t0});
    auto overrides = db_->list_session_overrides();
    ASSERT_EQ(overrides.size(), 1u);
    EXPECT_EQ(overrides[0].status, "postponed");
    EXPECT_EQ(overrides[0].date, "2027-01-09");
    db_->put_agenda_name({"s1", "LC-1", "Roads"});
    db_->put_agenda_name({"s1", "LC-1", "Landslides"});
    ASSERT_EQ(db_->list_agenda_names("s1").size(), 1u);
    EXPECT_EQ(db_->list_agenda_names("s1")[0].name, "Landslides");
}

TEST_P(StoreContract, AddedSessionsRoundTripAndTheirIdsAreUnique) {
    EXPECT_TRUE(db_->list_added_sessions().empty());
    added_session a{"agency-apatit-2027-03-05",
                    "agency",
                    "apatit",
                    "2027-03-05",
                    "Hội trường Công ty",
                    "apatit_workers",
                    {"jobs", "health"},
                    "Hội nghị người lao động",
                    "Workers' conference",
                    "boss",
                    t0};
    added_session b = a;
    b.id = "commune-02683-2026-11-02";
    b.level = "commune";
    b.locality = "02683";
    b.topics = {};
    b.audience = "";
    EXPECT_TRUE(db_->add_session(b));
    EXPECT_TRUE(db_->add_session(a));
    added_session again = a;
    again.venue = "elsewhere";
    EXPECT_FALSE(db_->add_session(again)) << "the id is taken";
    auto all = db_->list_added_sessions();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0], a) << "by id, every field back";
    EXPECT_EQ(all[1], b);
}

// An added session is deleted, with officials' edits of it, only while no concern is filed
// to it: a withdrawn concern still holds it.
TEST_P(StoreContract, AnAddedSessionIsDeletedOnlyWhileNothingIsFiledToIt) {
    added_session empty{"commune-02683-2026-11-02", "commune", "02683", "2026-11-02",
                        "Nhà văn hoá thôn 5", "", {}, "Đối thoại bổ sung", "Extra dialogue",
                        "boss", t0};
    added_session held = empty;
    held.id = "commune-02683-2026-11-09";
    held.date = "2026-11-09";
    ASSERT_TRUE(db_->add_session(empty));
    ASSERT_TRUE(db_->add_session(held));
    auto ct = db_->upsert_contact("telegram", "556", "", "vi", t0);
    auto k = filed(ct.id, "LC-DEL1", "02683", "Đường sạt lở");
    k.session_id = held.id;
    k.status = core::concern_status::withdrawn;
    std::vector<step_write> steps(1);
    steps[0].concerns.push_back(k);
    db_->commit_steps(steps);
    db_->put_session_override({empty.id, "postponed", "2026-11-20", "", "", t0});
    db_->put_session_override({held.id, "", "", "Hội trường", "", t0});

    EXPECT_FALSE(db_->delete_added_session("commune-02683-2026-12", t0)) << "never added";
    EXPECT_FALSE(db_->delete_added_session(held.id, t0)) << "a concern is filed to it";
    EXPECT_TRUE(db_->delete_added_session(empty.id, t0));
    EXPECT_FALSE(db_->delete_added_session(empty.id, t0)) << "already deleted";
    auto left = db_->list_added_sessions();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0], held);
    auto overrides = db_->list_session_overrides();
    ASSERT_EQ(overrides.size(), 1u) << "the deleted session's edits go with it";
    EXPECT_EQ(overrides[0].session_id, held.id);
    EXPECT_EQ(db_->find_concern("LC-DEL1")->session_id, held.id);
}

TEST_P(StoreContract, ErasingAContactKeepsTheConcernTextOnly) {
    auto ev = text_event("1:1", "555", "tôi là Lò Văn A, 0912345678");
    ev.display_name = "Lò Văn A";
    db_->append_inbox({{"telegram", ev, t0}});
    auto ct = db_->upsert_contact("telegram", "555", "Lò Văn A", "vi", t0);
    std::vector<step_write> steps(1);
    auto c = filed(ct.id, "LC-9", "02683", "Đường sạt lở");
    c.phone = "0912345678";
    c.consent = true;
    c.lat = 22.5;
    c.lon = 103.9;
    c.answers = {{"phone", "0912345678"}};
    steps[0].concerns.push_back(c);
    conversation conv;
    conv.key = "k1";
    conv.contact_id = ct.id;
    conv.flow_id = "raise_concern";
    conv.flow_version = 1;
    conv.state = {{"answers", {{"phone", "0912345678"}}}};
    conv.started_at = conv.updated_at = t0;
    steps[0].conversations.push_back(conv);
    outbox_message sent, pending;
    sent.channel = pending.channel = "telegram";
    sent.user_id = pending.user_id = "555";
    sent.contact_id = pending.contact_id = ct.id;
    sent.payload = {{"text", "Cảm ơn Lò Văn A"}};
    pending.payload = {{"text", "later"}};
    sent.next_attempt_at = pending.next_attempt_at = t0;
    steps[0].outbox = {sent, pending};
    db_->commit_steps(steps);
    db_->mark_sent(steps[0].outbox[0].id, t0);

    EXPECT_FALSE(db_->erase_contact(ct.id + 100, t0));
    ASSERT_TRUE(db_->erase_contact(ct.id, t0 + 1h));
    auto who = *db_->find_contact(ct.id);
    EXPECT_EQ(who.user_id, "erased:" + std::to_string(ct.id));
    EXPECT_EQ(who.display_name, "");
    auto k = *db_->find_concern("LC-9");
    EXPECT_EQ(k.text, "Đường sạt lở");
    EXPECT_EQ(k.phone, "");
    EXPECT_TRUE(k.anonymous);
    EXPECT_FALSE(k.consent);
    EXPECT_FALSE(k.lat);
    EXPECT_EQ(k.answers, nlohmann::json::object());
    EXPECT_FALSE(db_->active_conversation(ct.id));
    EXPECT_EQ(db_->find_conversation("k1")->state, nlohmann::json::object());
    auto out = db_->list_outbox({ct.id, 10});
    ASSERT_EQ(out.size(), 1u) << "the pending message is dropped";
    EXPECT_EQ(out[0].payload, nlohmann::json({{"text", ""}}));
    auto in = db_->list_inbox(ct.id, 10);
    ASSERT_EQ(in.size(), 1u);
    EXPECT_EQ(in[0].event.text, "");
    EXPECT_EQ(in[0].event.display_name, "");
    EXPECT_EQ(in[0].event.dedup_key, "1:1") << "a redelivery is still a duplicate";
    EXPECT_EQ(db_->append_inbox({{"telegram", ev, t0 + 2h}}).duplicates, 1u);
}

TEST_P(StoreContract, APhotoIsInUseWhileAConcernAConversationUnderWayOrAWaitingEventHasIt) {
    const std::string filed_photo = std::string(64, 'a') + ".jpg", asked = std::string(64, 'b') + ".jpg",
                      waiting = std::string(64, 'c') + ".png", processed = std::string(64, 'd') + ".jpg",
                      ended = std::string(64, 'e') + ".jpg", never = std::string(64, 'f') + ".webp";
    auto photo_event = [](std::string key, std::string user, const std::string& media) {
        auto e = text_event(std::move(key), std::move(user), "");
        e.kind = core::inbound_kind::image;
        e.media = {media};
        return e;
    };
    db_->append_inbox({{"web", photo_event("700:1", "700", processed), t0}});
    auto ct = db_->upsert_contact("web", "700", "", "vi", t0);
    auto other = db_->upsert_contact("web", "701", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].inbox_id = db_->pending_inbox(1).at(0).id;  // marked done: `processed` is in no use
    auto c = filed(ct.id, "LC-PH1", "02683", "Cột điện đổ");
    c.media = {filed_photo};
    steps[0].concerns.push_back(c);
    conversation under_way;
    under_way.key = "p1";
    under_way.contact_id = other.id;
    under_way.flow_id = "raise_concern";
    under_way.flow_version = 1;
    under_way.active = true;
    under_way.state = {{"answers", {{"photo", {asked}}}}};
    under_way.started_at = under_way.updated_at = t0;
    conversation over = under_way;
    over.key = "p0";
    over.active = false;
    over.state = {{"answers", {{"photo", {ended}}}}};
    steps[0].conversations = {over, under_way};
    db_->commit_steps(steps);
    db_->append_inbox({{"web", photo_event("701:2", "701", waiting), t0}});

    const std::vector<std::string> all = {filed_photo, asked, waiting, processed, ended, never};
    auto used = db_->media_in_use(all);
    std::sort(used.begin(), used.end());
    EXPECT_EQ(used, (std::vector<std::string>{filed_photo, asked, waiting}));
    EXPECT_EQ(db_->media_in_use({never}), std::vector<std::string>{});
    EXPECT_EQ(db_->media_in_use({}), std::vector<std::string>{});

    // Erased, the citizen's concern keeps its text and loses its photos: nothing refers to them.
    ASSERT_TRUE(db_->erase_contact(ct.id, t0 + 1h));
    used = db_->media_in_use(all);
    std::sort(used.begin(), used.end());
    EXPECT_EQ(used, (std::vector<std::string>{asked, waiting}));
}



TEST_P(StoreContract, PhotosToCopyAreQueuedWithTheirConcernAndTakenOnceEachUntilTheirLeaseEnds) {
    auto ct = db_->upsert_contact("telegram", "800", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-MC1", {"file-a", "file-b"}),
                         filed(ct.id, "LC-MC2", "02683", "no photo"), filed(ct.id, "LC-MC3", "02683", "")};
    steps[0].concerns[2].media = {"kept-elsewhere"};  // copy_media unset: nothing queued
    db_->commit_steps(steps);
    const auto id = steps[0].concerns[0].id;
    EXPECT_EQ(db_->media_copies_pending(), 2u);
    EXPECT_TRUE(db_->media_copies_of(steps[0].concerns[2].id).empty());

    auto copies = db_->media_copies_of(id);
    ASSERT_EQ(copies.size(), 2u);
    EXPECT_EQ(copies[0].index, 0u);
    EXPECT_EQ(copies[0].media_id, "file-a");
    EXPECT_EQ(copies[0].channel, "telegram");
    EXPECT_EQ(copies[0].status, media_copy_status::pending);
    EXPECT_EQ(copies[1].media_id, "file-b");

    EXPECT_TRUE(db_->claim_media_copies(t0 - 1s, t0 + 1min, 10).empty()) << "not due before filing";
    auto taken = db_->claim_media_copies(t0, t0 + 2min, 1);
    ASSERT_EQ(taken.size(), 1u);
    EXPECT_EQ(taken[0].media_id, "file-a");
    taken = db_->claim_media_copies(t0 + 1s, t0 + 2min, 10);
    ASSERT_EQ(taken.size(), 1u) << "the first is leased: only the second is taken";
    EXPECT_EQ(taken[0].media_id, "file-b");
    EXPECT_TRUE(db_->claim_media_copies(t0 + 1min, t0 + 3min, 10).empty());
    // A copier that died while fetching: both are taken again once their lease ended.
    EXPECT_EQ(db_->claim_media_copies(t0 + 2min, t0 + 4min, 10).size(), 2u);
    EXPECT_EQ(db_->media_copies_pending(), 2u) << "leased copies are still pending";
}

TEST_P(StoreContract, AKeptCopyHoldsTheBytesWholeAndIsKeptOnlyOnce) {
    auto ct = db_->upsert_contact("telegram", "801", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-MC4", {"file-c"})};
    db_->commit_steps(steps);
    auto copy = db_->claim_media_copies(t0, t0 + 1min, 10).at(0);
    // Bytes with zeros and every byte value: a BLOB, not text.
    std::string bytes = std::string("\xFF\xD8\xFF\xE0") + std::string(3, '\0');
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    bytes += std::string(200000, 'x');
    EXPECT_FALSE(db_->find_media_file(copy.id));
    ASSERT_TRUE(db_->keep_media_copy(copy.id, jpeg_file(bytes, t0 + 5s)));
    EXPECT_FALSE(db_->keep_media_copy(copy.id, jpeg_file("other", t0 + 6s))) << "kept once";
    auto file = db_->find_media_file(copy.id);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->bytes, bytes);
    EXPECT_EQ(file->content_type, "image/jpeg");
    EXPECT_EQ(file->sha256, std::string(64, '0'));
    EXPECT_EQ(file->created_at, t0 + 5s);
    auto now = db_->media_copies_of(steps[0].concerns[0].id).at(0);
    EXPECT_EQ(now.status, media_copy_status::kept);
    EXPECT_EQ(db_->media_copies_pending(), 0u);
    EXPECT_TRUE(db_->claim_media_copies(t0 + 1h, t0 + 2h, 10).empty());
}

// The public page shows a photo only while it is kept, published by an official, and its
// concern's answer is published too.
TEST_P(StoreContract, APublishedPhotoIsServedOnlyWhileItsAnswerIsPublishedToo) {
    auto ct = db_->upsert_contact("telegram", "803", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-MC9", {"file-p", "file-q"})};
    db_->commit_steps(steps);
    const auto id = steps[0].concerns[0].id;
    auto taken = db_->claim_media_copies(t0, t0 + 1min, 10);
    ASSERT_EQ(taken.size(), 2u);
    EXPECT_FALSE(db_->publish_media(id, 0, true)) << "not kept yet";
    ASSERT_TRUE(db_->keep_media_copy(taken[0].id, jpeg_file("\xFF\xD8\xFFshown", t0)));
    EXPECT_TRUE(db_->publish_media(id, 0, true));
    EXPECT_FALSE(db_->publish_media(id, 1, true)) << "photo 1 is still pending";
    EXPECT_FALSE(db_->publish_media(id, 7, true));
    EXPECT_TRUE(db_->media_copies_of(id).at(0).published);
    EXPECT_FALSE(db_->media_copies_of(id).at(1).published);
    EXPECT_FALSE(db_->find_published_media(taken[0].id)) << "its answer is not published";
    auto k = *db_->find_concern("LC-MC9");
    k.published = true;
    db_->update_concern(k);
    auto shown = db_->find_published_media(taken[0].id);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->bytes, "\xFF\xD8\xFFshown");
    EXPECT_FALSE(db_->find_published_media(taken[1].id));
    EXPECT_TRUE(db_->publish_media(id, 0, false));
    EXPECT_FALSE(db_->find_published_media(taken[0].id)) << "taken back";
}

TEST_P(StoreContract, AFailedCopyIsRetriedWhenDueThenEndsRefusedOrFailedWithItsReason) {
    auto ct = db_->upsert_contact("telegram", "802", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-MC5", {"slow", "huge", "dead"})};
    db_->commit_steps(steps);
    auto taken = db_->claim_media_copies(t0, t0 + 1min, 10);
    ASSERT_EQ(taken.size(), 3u);
    db_->retry_media_copy(taken[0].id, 1, t0 + 10min, "the platform did not answer", t0 + 1s);
    db_->end_media_copy(taken[1].id, media_copy_status::refused, "larger than 10 bytes", t0 + 1s);
    db_->end_media_copy(taken[2].id, media_copy_status::failed, "gone (8 tries)", t0 + 1s);
    EXPECT_THROW(db_->end_media_copy(taken[2].id, media_copy_status::kept, "", t0), std::logic_error);
    EXPECT_EQ(db_->media_copies_pending(), 1u);
    EXPECT_TRUE(db_->claim_media_copies(t0 + 9min, t0 + 20min, 10).empty()) << "backing off";
    auto again = db_->claim_media_copies(t0 + 10min, t0 + 20min, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 1);
    EXPECT_EQ(again[0].reason, "the platform did not answer");
    auto all = db_->media_copies_of(steps[0].concerns[0].id);
    EXPECT_EQ(all[1].status, media_copy_status::refused);
    EXPECT_EQ(all[1].reason, "larger than 10 bytes");
    EXPECT_EQ(all[2].status, media_copy_status::failed);
    EXPECT_FALSE(db_->keep_media_copy(taken[1].id, jpeg_file("x", t0))) << "a refused one stays so";
}

TEST_P(StoreContract, ErasingAContactDeletesItsKeptPhotosAndDropsItsCopiesStillToMake) {
    auto ct = db_->upsert_contact("telegram", "803", "", "vi", t0);
    auto other = db_->upsert_contact("telegram", "804", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-MC6", {"kept", "pending"}),
                         with_photos(other.id, "LC-MC7", {"theirs"})};
    db_->commit_steps(steps);
    auto taken = db_->claim_media_copies(t0, t0 + 1min, 10);
    ASSERT_EQ(taken.size(), 3u);
    ASSERT_TRUE(db_->keep_media_copy(taken[0].id, jpeg_file("\xFF\xD8\xFFmine", t0)));
    ASSERT_TRUE(db_->keep_media_copy(taken[2].id, jpeg_file("\xFF\xD8\xFFtheirs", t0)));

    ASSERT_TRUE(db_->erase_contact(ct.id, t0 + 1h));
    EXPECT_FALSE(db_->find_media_file(taken[0].id)) << "the kept bytes are gone";
    EXPECT_TRUE(db_->media_copies_of(steps[0].concerns[0].id).empty());
    EXPECT_EQ(db_->find_concern("LC-MC6")->media, nlohmann::json::array());
    // The copy a copier was fetching meanwhile is not kept when it comes back.
    EXPECT_FALSE(db_->keep_media_copy(taken[1].id, jpeg_file("\xFF\xD8\xFFlate", t0 + 2h)));
    EXPECT_FALSE(db_->find_media_file(taken[1].id));
    EXPECT_TRUE(db_->claim_media_copies(t0 + 24h, t0 + 48h, 10).empty());
    // Someone else's photo stays.
    EXPECT_EQ(db_->find_media_file(taken[2].id)->bytes, "\xFF\xD8\xFFtheirs");
    EXPECT_EQ(db_->media_copies_pending(), 0u);
}

TEST_P(StoreContract, TheConfirmationOfAnErasureIsForgottenOnceItLeftTheOutbox) {
    auto ct = db_->upsert_contact("telegram", "556", "Lò Văn B", "vi", t0);
    auto other = db_->upsert_contact("telegram", "557", "Lò Văn C", "vi", t0);
    ASSERT_TRUE(db_->erase_contact(ct.id, t0));
    // Queued after the erasure, with the address the conversation still held.
    auto message = [&](const contact& to, const char* text) {
        outbox_message m;
        m.channel = "telegram";
        m.user_id = to.user_id;
        m.contact_id = to.id;
        m.payload = {{"text", text}};
        m.next_attempt_at = m.created_at = t0;
        return m;
    };
    std::vector<outbox_message> out = {message(ct, "Đã xoá dữ liệu"), message(ct, "still queued"),
                                       message(other, "Cảm ơn")};
    db_->append_outbox(out);
    db_->mark_sent(out[0].id, t0 + 1s);
    db_->mark_sent(out[2].id, t0 + 1s);

    EXPECT_EQ(db_->forget_erased_messages(t0), 0u) << "not before the grace period";
    EXPECT_EQ(db_->forget_erased_messages(t0 + 1min), 1u);
    EXPECT_EQ(db_->forget_erased_messages(t0 + 1min), 0u) << "once";
    auto mine = db_->list_outbox({ct.id, 10});
    ASSERT_EQ(mine.size(), 2u);
    for (const auto& m : mine) {
        if (m.status == "pending") {
            EXPECT_EQ(m.payload, nlohmann::json({{"text", "still queued"}})) << "not sent yet";
            continue;
        }
        EXPECT_EQ(m.user_id, "erased:" + std::to_string(ct.id));
        EXPECT_EQ(m.payload, nlohmann::json({{"text", ""}}));
    }
    auto theirs = db_->list_outbox({other.id, 10});
    ASSERT_EQ(theirs.size(), 1u);
    EXPECT_EQ(theirs[0].user_id, "557") << "a contact not erased keeps its messages";
    EXPECT_EQ(theirs[0].payload, nlohmann::json({{"text", "Cảm ơn"}}));
}

TEST_P(StoreContract, OnlyContactsWithEverythingClosedAndLongSilentArePastRetention) {
    const auto cutoff = t0 + 24h;
    std::vector<step_write> steps(1);
    auto contact_with = [&](const std::string& user, const char* status, time_point changed) {
        auto ct = db_->upsert_contact("telegram", user, "", "vi", t0);
        if (status) {
            auto c = filed(ct.id, "LC-R" + user, "02683", "Đường sạt lở");
            c.status = core::parse_concern_status(status).value();
            c.updated_at = changed;
            steps[0].concerns.push_back(c);
        }
        return ct.id;
    };
    auto answered = contact_with("1", "answered", t0);
    auto silent = contact_with("2", nullptr, t0);
    contact_with("3", "scheduled", t0);          // still open
    contact_with("4", "answered", cutoff + 1h);  // answered recently
    auto wrote_again = contact_with("5", "withdrawn", t0);
    db_->commit_steps(steps);
    db_->upsert_contact("telegram", "5", "", "vi", cutoff + 1h);  // wrote after the cutoff
    EXPECT_EQ(db_->contacts_past_retention(cutoff, 10), (std::vector<std::int64_t>{answered, silent}));
    EXPECT_EQ(db_->contacts_past_retention(cutoff, 1), (std::vector<std::int64_t>{answered}));
    ASSERT_TRUE(db_->erase_contact(answered, cutoff));
    EXPECT_EQ(db_->contacts_past_retention(cutoff, 10), (std::vector<std::int64_t>{silent}))
        << "an erased contact is not anonymised twice";
    (void)wrote_again;
}

TEST_P(StoreContract, AFlowHasOneDraftAndNumberedPublishedVersions) {
    EXPECT_FALSE(db_->find_flow_draft("menu"));
    EXPECT_EQ(db_->max_flow_version("menu"), 0);
    // A draft keeps the admin's text as it is, even when it is not JSON at all.
    db_->save_flow_draft({"menu", 0, "{\"id\": \"menu\",", "", "lan", t0, t0});
    db_->save_flow_draft({"menu", 0, "{\"id\": \"menu\"}", "", "minh", t0, t0 + 1s});
    auto draft = db_->find_flow_draft("menu");
    ASSERT_TRUE(draft);
    EXPECT_EQ(draft->document, "{\"id\": \"menu\"}");
    EXPECT_EQ(draft->status, "draft");
    EXPECT_EQ(draft->author, "minh");
    EXPECT_EQ(draft->created_at, t0);
    EXPECT_EQ(draft->updated_at, t0 + 1s);
    EXPECT_TRUE(db_->list_flow_versions("menu").empty()) << "a draft is not a version";
    db_->save_flow_draft({"a_new_flow", 0, "{}", "", "lan", t0, t0});
    auto drafts = db_->list_flow_drafts();
    ASSERT_EQ(drafts.size(), 2u);
    EXPECT_EQ(drafts[0].flow_id, "a_new_flow");
    EXPECT_EQ(drafts[1].flow_id, "menu");
    EXPECT_EQ(drafts[1].author, "minh");
    EXPECT_EQ(drafts[1].document, "{\"id\": \"menu\"}");

    EXPECT_TRUE(db_->add_flow_version({"menu", 3, "{\"v\":3}", "published", "minh", t0, t0}));
    EXPECT_FALSE(db_->add_flow_version({"menu", 3, "{\"v\":\"again\"}", "published", "lan", t0, t0}));
    EXPECT_TRUE(db_->add_flow_version({"menu", 4, "{\"v\":4}", "published", "lan", t0 + 1h, t0 + 1h}));
    EXPECT_TRUE(db_->add_flow_version({"help", 2, "{}", "published", "lan", t0, t0}));
    EXPECT_EQ(db_->max_flow_version("menu"), 4);
    EXPECT_EQ(db_->count_flow_versions(), 3u) << "published ones, not the draft";
    auto menu = db_->list_flow_versions("menu");
    ASSERT_EQ(menu.size(), 2u);
    EXPECT_EQ(menu[0].version, 3);
    EXPECT_EQ(menu[0].document, "{\"v\":3}") << "the first insert stays";
    EXPECT_EQ(menu[1].author, "lan");
    EXPECT_EQ(menu[1].status, "published");
    auto all = db_->list_flow_versions("");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].flow_id, "help");

    db_->delete_flow_draft("menu");
    EXPECT_FALSE(db_->find_flow_draft("menu"));
    EXPECT_EQ(db_->list_flow_versions("menu").size(), 2u);
    drafts = db_->list_flow_drafts();
    ASSERT_EQ(drafts.size(), 1u) << "published versions are not drafts";
    EXPECT_EQ(drafts[0].flow_id, "a_new_flow");
}

TEST_P(StoreContract, NodeCountsAddUpWithTheStepsThatCommit) {
    std::vector<step_write> steps(2);
    steps[0].node_counts = {{"menu", 1, "hello", 1, 1}, {"menu", 1, "pick", 1, 0}};
    steps[1].node_counts = {{"menu", 1, "pick", 0, 1}, {"menu", 2, "pick", 1, 0}};
    db_->commit_steps(steps);
    auto counts = db_->list_node_counts("menu", 1);
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[0].node, "hello");
    EXPECT_EQ(counts[1].node, "pick");
    EXPECT_EQ(counts[1].reached, 1);
    EXPECT_EQ(counts[1].left, 1);
    EXPECT_EQ(db_->list_node_counts("menu", 2).size(), 1u);

    // A transaction that fails counts nothing.
    std::vector<step_write> more(1);
    more[0].node_counts = {{"menu", 1, "pick", 5, 5}};
    EXPECT_THROW(db_->transact([&] {
        db_->commit_steps(more);
        throw std::runtime_error("crash before the commit");
    }),
                 std::runtime_error);
    EXPECT_EQ(db_->list_node_counts("menu", 1)[1].reached, 1);

    // Gateways sharing a database count apart and are read together.
    for (const char* gateway : {"gw1:8080", "gw2:8080", "gw3:8080"}) {
        db_->set_claimant({gateway, 60s});
        std::vector<step_write> theirs(1);
        theirs[0].node_counts = {{"menu", 1, "pick", 2, 1}};
        db_->commit_steps(theirs);
    }
    counts = db_->list_node_counts("menu", 1);
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[1].node, "pick");
    EXPECT_EQ(counts[1].reached, 7);
    EXPECT_EQ(counts[1].left, 4);
}

// ---- reaching citizens after their platform's reply window -----------------------------------


// The hand-off inbox: one open hand-off per contact, what the citizen had said and wrote
// since, an official's reply queued with its line (both or neither), closing, and erasure
// keeping that it happened but nothing of what was said.
TEST_P(StoreContract, AHandOffKeepsTheExchangeOncePerContactUntilClosed) {
    auto c = db_->upsert_contact("telegram", "77", "Lò Văn A", "vi", t0);
    auto say = [&](time_point at, const std::string& wrote, bool opens) {
        step_write w;
        w.at = at;
        handoff_note n;
        n.contact_id = c.id;
        n.opens = opens;
        n.channel = "telegram";
        n.reason = "menu_not_understood";
        n.topic = "roads";
        n.commune_code = "02683";
        n.commune_name = "Xã Bát Xát";
        n.said = opens ? "đường sạt lở" : "";
        n.wrote = wrote;
        w.handoff = n;
        std::vector<step_write> steps{w};
        db_->commit_steps(steps);
    };
    say(t0, "hello", false);  // no hand-off open: the words go nowhere
    EXPECT_TRUE(db_->list_handoffs("", 10).empty());
    say(t0 + 1s, "qwrtp", true);
    say(t0 + 2s, "gap can bo", true);  // the open one is kept, not a second
    say(t0 + 3s, "xa Bat Xat", false);
    auto open = db_->list_handoffs("open", 10);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].display_name, "Lò Văn A");
    EXPECT_EQ(open[0].message_count, 4u);
    EXPECT_EQ(open[0].last_text, "xa Bat Xat");
    EXPECT_EQ(open[0].updated_at, t0 + 3s);
    auto h = *db_->find_handoff(open[0].id);
    ASSERT_EQ(h.messages.size(), 4u);
    EXPECT_EQ(h.messages[0].text, "đường sạt lở") << "what the conversation had gathered comes first";
    EXPECT_EQ(h.messages[1].text, "qwrtp");
    EXPECT_EQ(h.commune_code, "02683");
    EXPECT_FALSE(h.seen_at);

    EXPECT_TRUE(db_->mark_handoff_seen(h.id, "ana", t0 + 4s));
    EXPECT_FALSE(db_->mark_handoff_seen(h.id, "binh", t0 + 5s)) << "seen once: the citizen is told once";
    outbox_message m;
    m.channel = "telegram";
    m.user_id = "77";
    m.contact_id = c.id;
    m.kind = "notice";
    m.payload = {{"text", "Cán bộ trả lời: ..."}};
    m.next_attempt_at = m.created_at = t0 + 6s;
    EXPECT_TRUE(db_->reply_to_handoff(h.id, "ana", "Bạn ở xã nào?", m));
    EXPECT_GT(m.id, 0);
    h = *db_->find_handoff(h.id);
    EXPECT_EQ(h.seen_by, "ana");
    EXPECT_EQ(h.messages.back().author, "official");
    EXPECT_EQ(h.messages.back().by, "ana");
    EXPECT_EQ(db_->list_outbox({c.id, 10}).size(), 1u);

    EXPECT_TRUE(db_->close_handoff(h.id, "ana", "LC-7K4M2", t0 + 7s));
    EXPECT_FALSE(db_->close_handoff(h.id, "ana", "", t0 + 8s));
    outbox_message late = m;
    EXPECT_FALSE(db_->reply_to_handoff(h.id, "ana", "again", late)) << "a closed hand-off takes no reply";
    EXPECT_EQ(db_->list_outbox({c.id, 10}).size(), 1u) << "and queues nothing";
    EXPECT_TRUE(db_->list_handoffs("open", 10).empty());
    EXPECT_EQ(db_->find_handoff(h.id)->concern_ref, "LC-7K4M2");

    // A new hand-off after the closed one; then the citizen erases their data.
    say(t0 + 9s, "lai nua", true);
    ASSERT_EQ(db_->list_handoffs("open", 10).size(), 1u);
    EXPECT_TRUE(db_->erase_contact(c.id, t0 + 10s));
    EXPECT_TRUE(db_->list_handoffs("open", 10).empty());
    for (const auto& gone : db_->list_handoffs("", 10)) {
        EXPECT_EQ(gone.message_count, 0u) << "nothing the citizen said is kept";
        EXPECT_EQ(gone.status, "closed");
    }
    EXPECT_EQ(db_->list_handoffs("", 10).size(), 2u) << "that they happened is kept";
}

// The citizen confirms an erasure while the sender has the question in flight: the question
// keeps its row (blanked) for its outcome, and the confirmation queued after the erasure gets
// an id of its own, which that outcome cannot mark sent. (The id once went to the
// confirmation, which was then never sent.)
TEST_P(StoreContract, AnErasureLeavesTheMessageInFlightForItsOutcome) {
    auto c = db_->upsert_contact("telegram", "55", "", "", t0);
    outbox_message m;
    m.channel = "telegram";
    m.user_id = "55";
    m.contact_id = c.id;
    m.kind = "message";
    m.payload = {{"text", "Bạn muốn xoá dữ liệu?"}};
    m.next_attempt_at = m.created_at = t0;
    std::vector<outbox_message> q{m};
    db_->append_outbox(q);
    const auto question = q[0].id;
    db_->claim_outbox({question}, t0 + 1s);
    ASSERT_TRUE(db_->erase_contact(c.id, t0 + 2s));
    m.payload = {{"text", "Đã xoá dữ liệu cá nhân của bạn."}};
    std::vector<outbox_message> confirm{m};
    db_->append_outbox(confirm);
    EXPECT_NE(confirm[0].id, question);
    send_result sent;
    sent.id = question;
    sent.outcome = send_result::kind::sent;
    sent.attempts = 1;
    sent.at = t0 + 3s;
    db_->record_sends({sent});
    auto due = db_->sendable_outbox(t0 + 4s, 10);
    ASSERT_EQ(due.size(), 1u) << "the confirmation is still to send";
    EXPECT_EQ(due[0].id, confirm[0].id);
    EXPECT_EQ(due[0].user_id, "55");
}

// A citizen's verdict is awaited on their latest answered concern within the window, and
// recorded once: a second verdict (a redelivered message) changes nothing.
TEST_P(StoreContract, AVerdictIsAwaitedOnTheLatestAnswerAndRecordedOnce) {
    auto c = db_->upsert_contact("telegram", "77", "", "", t0);
    std::vector<step_write> steps(1);
    for (const char* ref : {"LC-V1", "LC-V2", "LC-V3"}) {
        concern k;
        k.ref = ref;
        k.contact_id = c.id;
        k.channel = "telegram";
        k.conversation_key = std::string("v.") + ref;
        k.status = core::concern_status::scheduled;
        k.created_at = k.updated_at = t0;
        steps[0].concerns.push_back(k);
    }
    db_->commit_steps(steps);
    EXPECT_FALSE(db_->awaiting_verdict(c.id, t0)) << "nothing answered yet";
    for (auto [ref, at] : {std::pair{"LC-V1", t0 + 1s}, std::pair{"LC-V2", t0 + 5s}}) {
        auto k = *db_->find_concern(ref);
        k.status = core::concern_status::answered;
        k.answer = "Đã sửa.";
        k.answered_at = at;
        db_->update_concern(k);
    }
    auto awaited = db_->awaiting_verdict(c.id, t0);
    ASSERT_TRUE(awaited);
    EXPECT_EQ(awaited->ref, "LC-V2") << "the latest answer";
    EXPECT_FALSE(db_->awaiting_verdict(c.id, t0 + 6s)) << "an answer older than the window";
    EXPECT_TRUE(db_->record_verdict("LC-V2", "unsatisfied", "vẫn ngập", t0 + 7s));
    EXPECT_FALSE(db_->record_verdict("LC-V2", "satisfied", "", t0 + 8s));
    auto k = *db_->find_concern("LC-V2");
    EXPECT_EQ(k.verdict, "unsatisfied");
    EXPECT_EQ(k.verdict_reason, "vẫn ngập");
    EXPECT_EQ(k.verdict_at, t0 + 7s);
    EXPECT_FALSE(db_->record_verdict("LC-V3", "satisfied", "", t0 + 8s)) << "not answered";
    EXPECT_EQ(db_->awaiting_verdict(c.id, t0)->ref, "LC-V1") << "then the earlier answer";
}

TEST_P(StoreContract, PermissionsAreKeptPerContactAndErasedWithIt) {
    auto c = db_->upsert_contact("messenger", "2734", "", "", t0);
    auto other = db_->upsert_contact("messenger", "9999", "", "", t0);
    auto perm = [](core::permission_kind kind, std::string token, bool granted = true) {
        core::permission p;
        p.kind = kind;
        p.token = std::move(token);
        p.granted = granted;
        p.expires_at = t0 + 24h;
        p.topic = "LC-1";
        return p;
    };
    step_write w;
    w.at = t0;
    w.permissions = {{c.id, perm(core::permission_kind::one_time_notification, "OTN-1")},
                     {c.id, perm(core::permission_kind::one_time_notification, "OTN-2")},
                     {c.id, perm(core::permission_kind::notification_messages, "NMT-1")},
                     {other.id, perm(core::permission_kind::follow, "")}};
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    // A newer recurring token replaces the old one; one-time tokens add up.
    step_write again;
    again.at = t0 + 1s;
    again.permissions = {{c.id, perm(core::permission_kind::notification_messages, "NMT-2")}};
    steps = {again};
    db_->commit_steps(steps);
    auto reach = db_->reach_of(c.id);
    ASSERT_EQ(reach.permissions.size(), 3u);
    EXPECT_EQ(reach.permissions[0].token, "NMT-2");  // newest first
    EXPECT_EQ(reach.permissions[0].expires_at, t0 + 24h);
    EXPECT_EQ(reach.permissions[0].topic, "LC-1");
    std::set<std::string> tokens;
    for (const auto& p : reach.permissions) tokens.insert(p.token);
    EXPECT_EQ(tokens, (std::set<std::string>{"NMT-2", "OTN-1", "OTN-2"}));
    // A spent token goes with the outcome of the send that used it.
    step_write out;
    out.outbox.push_back(notice_row(c, "answer", "s1"));
    steps = {out};
    db_->commit_steps(steps);
    send_result r;
    r.id = steps[0].outbox[0].id;
    r.outcome = send_result::kind::sent;
    r.at = t0 + 2s;
    r.attempts = 1;
    r.path = "optin";
    r.spent_token = "OTN-1";
    db_->record_sends({r});
    EXPECT_EQ(db_->reach_of(c.id).permissions.size(), 2u);
    EXPECT_EQ(db_->list_notices("s1").at(0).path, "optin");
    // Withdrawn: kept as withdrawn, so a send is not even tried.
    step_write unfollow;
    unfollow.at = t0 + 3s;
    unfollow.permissions = {{other.id, perm(core::permission_kind::follow, "", false)}};
    steps = {unfollow};
    db_->commit_steps(steps);
    ASSERT_EQ(db_->reach_of(other.id).permissions.size(), 1u);
    EXPECT_FALSE(db_->reach_of(other.id).permissions[0].granted);
    // Erased with the contact.
    ASSERT_TRUE(db_->erase_contact(c.id, t0 + 4s));
    EXPECT_TRUE(db_->reach_of(c.id).permissions.empty());
    EXPECT_EQ(db_->reach_of(other.id).permissions.size(), 1u);
}

TEST_P(StoreContract, ThePhoneForReachingACitizenIsOneTheyGaveWithConsent) {
    auto c = db_->upsert_contact("messenger", "2734", "", "", t0);
    auto file = [&](std::string ref, std::string phone, bool consent) {
        concern k;
        k.ref = std::move(ref);
        k.contact_id = c.id;
        k.channel = "messenger";
        k.conversation_key = "1.0";
        k.text = "x";
        k.phone = std::move(phone);
        k.anonymous = k.phone.empty();
        k.consent = consent;
        k.status = core::concern_status::scheduled;
        k.created_at = k.updated_at = t0;
        step_write w;
        w.concerns.push_back(k);
        std::vector<step_write> steps{w};
        db_->commit_steps(steps);
    };
    EXPECT_EQ(db_->reach_of(c.id).phone, "");
    file("LC-1", "+84912345678", false);
    EXPECT_EQ(db_->reach_of(c.id).phone, "") << "no consent, no SMS";
    file("LC-2", "+84987654321", true);
    file("LC-3", "", true);  // anonymous: the earlier number still stands
    EXPECT_EQ(db_->reach_of(c.id).phone, "84987654321");
    db_->erase_contact(c.id, t0 + 1s);
    EXPECT_EQ(db_->reach_of(c.id).phone, "");
}

TEST_P(StoreContract, AHeldMessageWaitsForTheNextContactWithoutHoldingBackTheRest) {
    auto c = db_->upsert_contact("messenger", "2734", "", "", t0);
    step_write w;
    w.outbox.push_back(notice_row(c, "the answer", "s1"));
    w.outbox.push_back(notice_row(c, "a later notice", "s1"));
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    const auto held = steps[0].outbox[0].id;
    const auto later = steps[0].outbox[1].id;
    send_result r;
    r.id = held;
    r.outcome = send_result::kind::held;
    r.at = t0 + 1s;
    r.attempts = 1;
    r.reason = "no path; kept for their next message";
    db_->claim_outbox({held}, t0 + 1s);  // the sender claims before it decides
    db_->record_sends({r});
    // Not offered, not pending, and not in the way of the next one.
    auto heads = db_->sendable_outbox(t0 + 2s, 10);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].id, later);
    EXPECT_EQ(db_->outbox_pending(), 1u);
    EXPECT_EQ(db_->outbox_held(), 1u);
    auto notices = db_->list_notices("s1");
    ASSERT_EQ(notices.size(), 2u);
    EXPECT_EQ(notices[0].status, "pending");
    EXPECT_EQ(notices[0].held_at, t0 + 1s);
    EXPECT_EQ(notices[0].path, "next_contact");
    EXPECT_EQ(notices[0].last_error, "no path; kept for their next message");
    EXPECT_EQ(notices[0].notice_id, "answer:LC-1:1");
    EXPECT_TRUE(db_->list_notices("other").empty());
    db_->mark_sent(later, t0 + 3s);
    // The citizen writes: it is due again, first in their queue, still marked as next_contact.
    step_write wrote;
    wrote.at = t0 + 10s;
    wrote.release_held = {c.id};
    outbox_message reply;
    reply.channel = c.channel;
    reply.user_id = c.user_id;
    reply.contact_id = c.id;
    reply.payload = {{"text", "a reply"}};
    reply.next_attempt_at = reply.created_at = t0 + 10s;
    wrote.outbox.push_back(reply);
    steps = {wrote};
    db_->commit_steps(steps);
    heads = db_->sendable_outbox(t0 + 10s, 10);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].id, held);
    EXPECT_EQ(heads[0].path, "next_contact");
    EXPECT_FALSE(heads[0].held_at);
    EXPECT_EQ(db_->outbox_held(), 0u);
    EXPECT_EQ(db_->outbox_pending(), 2u);
    // Held again, then erased with the contact.
    db_->claim_outbox({held}, t0 + 11s);
    r.at = t0 + 11s;
    db_->record_sends({r});
    EXPECT_EQ(db_->outbox_held(), 1u);
    ASSERT_TRUE(db_->erase_contact(c.id, t0 + 20s));
    EXPECT_EQ(db_->outbox_held(), 0u);
}

// The sender found no path for the message it claimed, but the citizen wrote meanwhile (the
// worker's release ran before the outcome was recorded): it is due again, not held.
TEST_P(StoreContract, AMessageIsNotHeldWhenTheCitizenWroteAfterItWasClaimed) {
    auto c = db_->upsert_contact("messenger", "2734", "", "", t0);
    step_write w;
    w.outbox.push_back(notice_row(c, "the answer", "s1"));
    std::vector<step_write> steps{w};
    db_->commit_steps(steps);
    const auto id = steps[0].outbox[0].id;
    db_->claim_outbox({id}, t0 + 1h);
    db_->upsert_contact("messenger", "2734", "", "", t0 + 1h + 1s);  // the citizen writes
    send_result r;
    r.id = id;
    r.outcome = send_result::kind::held;
    r.at = t0 + 1h + 2s;
    r.attempts = 1;
    r.reason = "no path";
    db_->record_sends({r});
    EXPECT_EQ(db_->outbox_held(), 0u);
    auto heads = db_->sendable_outbox(t0 + 1h + 2s, 10);
    ASSERT_EQ(heads.size(), 1u);
    EXPECT_EQ(heads[0].id, id);
    EXPECT_EQ(heads[0].path, "next_contact");  // it goes under the heads-up line
}

TEST_P(StoreContract, APermissionEventDoesNotMoveWhenTheContactLastWrote) {
    auto c = db_->upsert_contact("zalo", "417", "An", "vi", t0);
    auto same = db_->ensure_contact("zalo", "417", t0 + 10h);
    EXPECT_EQ(same.id, c.id);
    EXPECT_EQ(same.last_inbound_at, t0);
    EXPECT_EQ(same.display_name, "An");
    auto fresh = db_->ensure_contact("zalo", "418", t0 + 10h);
    EXPECT_NE(fresh.id, c.id);
    EXPECT_EQ(fresh.created_at, t0 + 10h);
}

// Files concern `ref` of contact `ct` saying `text`: a road in Bát Xát, scheduled, with the
// phone number 0912345678 given with consent. The steps as committed.
std::vector<step_write> file_with_phone(store& db, const std::string& ref, const contact& ct,
                                        const std::string& text) {
    concern k;
    k.ref = ref;
    k.contact_id = ct.id;
    k.channel = ct.channel;
    k.topic = "roads";
    k.commune_code = "02683";
    k.commune_name = "Xã Bát Xát";
    k.text = text;
    k.phone = "0912345678";
    k.consent = true;
    k.status = core::concern_status::scheduled;
    k.session_id = "commune-02683-2026-12";
    k.created_at = k.updated_at = t0;
    std::vector<step_write> steps(1);
    steps[0].concerns.push_back(k);
    db.commit_steps(steps);
    return steps;
}

// Events for other systems (issue 22 item 3) are queued by the store with the change that
// makes them, in its transaction, for the hooks that want them, and for nothing else.
TEST_P(StoreContract, EventsAreQueuedWithTheChangesThatMakeThemAndOnlyThose) {
    using core::event_type;
    db_->set_event_sink(std::make_shared<domain::event_hooks>(std::vector<domain::hook>{
        {"ops",
         {event_type::concern_filed, event_type::concern_status, event_type::concern_answered,
          event_type::session_changed},
         false},
        {"portal", {event_type::concern_filed}, true}}));
    auto ct = db_->upsert_contact("telegram", "9", "Lò Văn A", "vi", t0);
    auto steps = file_with_phone(*db_, "LC-EV1", ct, "Đường bị sạt lở trước nhà tôi");
    EXPECT_TRUE(steps[0].outbox.empty()) << "the caller's steps are left as they were";

    auto events = [&] {
        auto log = db_->list_outbox({std::nullopt, 100});
        std::reverse(log.begin(), log.end());  // oldest first
        return log;
    };
    auto filed = events();
    ASSERT_EQ(filed.size(), 2u);
    for (const auto& m : filed) {
        EXPECT_EQ(m.kind, "event");
        EXPECT_EQ(m.user_id, "LC-EV1") << "one queue per concern";
        EXPECT_EQ(m.contact_id, ct.id) << "the citizen's: an erasure finds it";
        EXPECT_EQ(m.payload["type"], "concern.filed");
        EXPECT_EQ(m.payload["data"]["ref"], "LC-EV1");
        EXPECT_EQ(m.payload["data"]["session"]["id"], "commune-02683-2026-12");
    }
    EXPECT_EQ(filed[0].channel, "hook:ops");
    EXPECT_FALSE(filed[0].payload["data"].contains("citizen")) << "no personal data by default";
    EXPECT_EQ(filed[0].payload.dump().find("0912345678"), std::string::npos);
    EXPECT_EQ(filed[1].channel, "hook:portal");
    EXPECT_EQ(filed[1].payload["data"]["citizen"]["phone"], "0912345678");
    EXPECT_EQ(filed[1].payload["data"]["citizen"]["text"], "Đường bị sạt lở trước nhà tôi");

    // An assignee changes nothing another system is told of; an answer closes it: its status,
    // then its answer, for the hook that wants both.
    auto c = *db_->find_concern("LC-EV1");
    c.assignee = "lan";
    db_->update_concern(c);
    EXPECT_EQ(events().size(), 2u);
    c.status = core::concern_status::answered;
    c.answer = "Đã sửa xong";
    c.updated_at = t0 + 1h;
    db_->update_concern(c);
    auto all = events();
    ASSERT_EQ(all.size(), 4u);
    EXPECT_EQ(all[2].channel, "hook:ops");
    EXPECT_EQ(all[2].payload["type"], "concern.status");
    EXPECT_EQ(all[2].payload["data"]["status"], "answered");
    EXPECT_EQ(all[2].payload["data"]["previous"]["status"], "scheduled");
    EXPECT_EQ(all[3].payload["type"], "concern.answered");
    EXPECT_EQ(all[3].payload["data"]["answer"]["text"], "Đã sửa xong");
    EXPECT_EQ(all[3].payload["occurred_at"], core::utc_text(t0 + 1h));

    // A change that rolls back queues nothing.
    c.status = core::concern_status::withdrawn;
    EXPECT_ANY_THROW(db_->transact([&] {
        db_->update_concern(c);
        throw std::runtime_error("the caller failed");
    }));
    EXPECT_EQ(events().size(), 4u);
    EXPECT_EQ(db_->find_concern("LC-EV1")->status, core::concern_status::answered);

    // Sessions: an edit and an addition, each once; an id taken adds nothing.
    db_->put_session_override({"commune-02683-2026-12", "postponed", "2027-01-09", "Hội trường", "", t0});
    added_session a{"commune-02683-2026-11-02", "commune", "02683", "2026-11-02", "Nhà văn hoá",
                    "", {}, "Đối thoại", "Dialogue", "boss", t0};
    EXPECT_TRUE(db_->add_session(a));
    EXPECT_FALSE(db_->add_session(a));
    all = events();
    ASSERT_EQ(all.size(), 6u);
    EXPECT_EQ(all[4].user_id, "session:commune-02683-2026-12");
    EXPECT_EQ(all[4].payload["data"]["change"], "edited");
    EXPECT_EQ(all[4].payload["data"]["status"], "postponed");
    EXPECT_EQ(all[5].payload["data"]["change"], "added");
    EXPECT_EQ(all[5].payload["data"]["date"], "2026-11-02");
    EXPECT_TRUE(db_->delete_added_session(a.id, t0 + 3h));
    EXPECT_FALSE(db_->delete_added_session(a.id, t0 + 3h)) << "gone: no second event";
    all = events();
    ASSERT_EQ(all.size(), 7u);
    EXPECT_EQ(all[6].user_id, "session:" + a.id);
    EXPECT_EQ(all[6].payload["data"]["change"], "deleted");
    EXPECT_EQ(all[6].payload["occurred_at"], core::utc_text(t0 + 3h));

    // The sender sends one event of a concern at a time, in order.
    auto heads = db_->sendable_outbox(t0 + 2h, 100);
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& m : heads) keys.emplace_back(m.channel, m.user_id);
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::pair<std::string, std::string>>{
                        {"hook:ops", "LC-EV1"},
                        {"hook:ops", "session:commune-02683-2026-11-02"},
                        {"hook:ops", "session:commune-02683-2026-12"},
                        {"hook:portal", "LC-EV1"}}));

    // Without a sink, nothing.
    db_->set_event_sink(nullptr);
    c.status = core::concern_status::forwarded;
    db_->update_concern(c);
    EXPECT_EQ(events().size(), 7u);
}

// An erasure leaves another system's events to go, without what they said of the citizen.
TEST_P(StoreContract, AnErasureTakesTheCitizenOutOfTheirConcernsEventsAndLeavesThemToGo) {
    db_->set_event_sink(std::make_shared<domain::event_hooks>(std::vector<domain::hook>{
        {"portal", {core::event_type::concern_filed}, true}}));
    auto ct = db_->upsert_contact("telegram", "77", "Lò Văn A", "vi", t0);
    file_with_phone(*db_, "LC-ER1", ct, "Nhà tôi ở thôn 3, gọi 0912345678");
    ASSERT_EQ(db_->list_outbox({ct.id, 10}).size(), 1u);
    EXPECT_NE(db_->list_outbox({ct.id, 10})[0].payload.dump().find("0912345678"), std::string::npos);

    ASSERT_TRUE(db_->erase_contact(ct.id, t0 + 1h));
    EXPECT_EQ(db_->forget_erased_messages(t0 + 48h), 0u);
    auto log = db_->list_outbox({ct.id, 10});
    ASSERT_EQ(log.size(), 1u) << "the event is still to go";
    const auto& e = log[0];
    EXPECT_EQ(e.status, "pending");
    EXPECT_EQ(e.user_id, "LC-ER1");
    EXPECT_EQ(e.payload["type"], "concern.filed");
    EXPECT_EQ(e.payload["data"]["ref"], "LC-ER1");
    EXPECT_FALSE(e.payload["data"].contains("citizen"));
    EXPECT_EQ(e.payload.dump().find("0912345678"), std::string::npos);
    EXPECT_EQ(e.payload.dump().find("thôn 3"), std::string::npos);
}

}  // namespace
}  // namespace dgw::store::contract
