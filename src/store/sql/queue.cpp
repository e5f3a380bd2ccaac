// The pipeline's durable queues: the inbox, a worker batch's steps, timers, the outbox.
#include "store/sql/store_impl.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace dgw::store::sql {

append_result sql_store::append_inbox(const std::vector<inbox_item>& items) {
    append_result r;
    transaction tx(*this);
    // The event as stored: serialised by the caller, off the database thread, when it could.
    auto event_of = [](const inbox_item& it) {
        return it.event_json.empty() ? nlohmann::json(it.event).dump() : it.event_json;
    };
    if (lite_) {
        auto& ins = stmt(
            "INSERT INTO inbox (channel, dedup_key, user_id, event, received_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT (channel, dedup_key) DO NOTHING");
        for (const auto& it : items) {
            ins.bind(1, it.channel).bind(2, it.event.dedup_key).bind(3, it.event.user_id);
            ins.bind(4, event_of(it)).bind(5, it.received_at);
            r.fresh.push_back(ins.changed() > 0);
        }
    } else {
        // On a server, the round's events in one statement (one round trip, not one an
        // event), which answers with the keys it stored. Each event goes in as a string
        // holding its text, so that what it says ("\u0000" included) is kept as written.
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& it : items)
            rows.push_back({{"c", without_nul(it.channel)},
                            {"k", without_nul(it.event.dedup_key)},
                            {"u", without_nul(it.event.user_id)},
                            {"r", to_ms(it.received_at)},
                            {"e", event_of(it)}});
        // In their order: the ids are the order events are processed in.
        auto& ins = stmt(
            "INSERT INTO inbox (channel, dedup_key, user_id, event, received_at) "
            "SELECT v->>'c', v->>'k', v->>'u', v->>'e', CAST(v->>'r' AS BIGINT) "
            "FROM json_array_elements(CAST(? AS JSON)) WITH ORDINALITY AS a(v, n) ORDER BY n "
            "ON CONFLICT (channel, dedup_key) DO NOTHING RETURNING channel, dedup_key");
        ins.bind(1, rows.dump());
        std::set<std::pair<std::string, std::string>> stored;
        while (ins.step()) stored.emplace(ins.text(0), ins.text(1));
        ins.reset();
        // The same event twice in one round is stored once: its first copy is the fresh one.
        for (const auto& it : items)
            r.fresh.push_back(
                stored.erase({without_nul(it.channel), without_nul(it.event.dedup_key)}) > 0);
    }
    for (bool fresh : r.fresh) ++(fresh ? r.stored : r.duplicates);
    tx.commit();
    return r;
}

// The key several gateways lock a contact by while one works on its events and timers.
#define DGW_CONTACT_KEY(channel, user) DGW_LOCK_KEY(channel, user)

std::string sql_store::lock_contacts(sql::statement& candidates) {
    std::vector<std::int64_t> keys;
    while (candidates.step()) keys.push_back(candidates.i64(0));
    candidates.reset();
    return keys.empty() ? "" : int_array(keys);
}

std::vector<inbox_row> sql_store::pending_inbox(std::size_t limit) {
    std::vector<std::pair<std::int64_t, std::string>> unreadable;
    std::vector<inbox_row> rows;
    if (lite_) {
        // One gateway per SQLite file: nobody else takes events.
        auto& q = stmt(
            "SELECT id, channel, event, received_at FROM inbox WHERE status = 'pending' "
            "ORDER BY id LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(limit));
        rows = read_inbox(q, &unreadable);
    } else {
        // Several gateways: lock the contacts of the first pending events that no other
        // transaction holds (a lock never waits: a contact in another gateway's hands is
        // skipped), then read their events in a statement of its own, whose snapshot sees
        // whatever the lock's previous holder committed. The lock is volatile, so PostgreSQL
        // does not push it into the subquery: only distinct keys are tried.
        auto& c = stmt(
            "SELECT k FROM (SELECT DISTINCT " DGW_CONTACT_KEY("channel", "user_id") " AS k "
            "FROM (SELECT channel, user_id FROM inbox WHERE status = 'pending' ORDER BY id "
            "LIMIT ?) p) d WHERE pg_try_advisory_xact_lock(k)");
        c.bind(1, static_cast<std::int64_t>(limit));
        const auto keys = lock_contacts(c);
        if (keys.empty()) return rows;
        auto& q = stmt(
            "SELECT id, channel, event, received_at FROM inbox WHERE status = 'pending' AND "
            DGW_CONTACT_KEY("channel", "user_id") " = ANY (CAST(? AS BIGINT[])) ORDER BY id LIMIT ?");
        q.bind(1, keys).bind(2, static_cast<std::int64_t>(limit));
        rows = read_inbox(q, &unreadable);
    }
    // An event that cannot be read would stop the worker at it forever: it is marked
    // failed, with the reason, and the others go on.
    for (const auto& [id, why] : unreadable) {
        auto& u = stmt("UPDATE inbox SET status = 'failed', error = ? WHERE id = ?");
        u.bind(1, why).bind(2, id);
        u.run();
    }
    return rows;
}

std::size_t sql_store::inbox_backlog() {
    return static_cast<std::size_t>(scalar("SELECT count(*) FROM inbox WHERE status = 'pending'"));
}

void sql_store::commit_steps(std::vector<step_write>& steps) {
    transaction tx(*this);
    // The steps commit together, so their node counts are added up first: one statement
    // per node the batch touched rather than one per node per step.
    std::map<std::tuple<std::string_view, int, std::string_view>, std::pair<std::int64_t, std::int64_t>>
        counts;
    // Held messages are rare: one look per batch spares every event its release statement
    // (an UPDATE per event was 5 % of the worker's instructions in pipeline_bench). On a
    // server the look goes with the ids drawn ahead, in one round trip.
    const bool releases = std::any_of(steps.begin(), steps.end(),
                                      [](const step_write& s) { return !s.release_held.empty(); });
    auto ids = draw_ids(steps, releases);
    const bool held = lite_ ? releases && scalar("SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY "
                                                 "outbox_held WHERE held_at IS NOT NULL)") != 0
                            : ids.held;
    for (auto& s : steps) {
        write_step(s, held, lite_ ? nullptr : &ids);
        for (const auto& n : s.node_counts) {
            auto& c = counts[{n.flow_id, n.version, n.node}];
            c.first += n.reached;
            c.second += n.left;
        }
    }
    for (const auto& [key, added] : counts) {
        const auto& [flow_id, version, node] = key;
        add_node_count(flow_id, version, node, added.first, added.second);
    }
    // Events for other systems go after the batch's replies, with ids of their own (the
    // steps are left as they were: a batch the database refuses is committed again step by
    // step).
    if (events_) {
        std::vector<outbox_message> rows;
        for (const auto& s : steps)
            for (const auto& c : s.concerns) {
                auto more = events_->filed(c);
                rows.insert(rows.end(), std::make_move_iterator(more.begin()),
                            std::make_move_iterator(more.end()));
            }
        queue_events(std::move(rows));
    }
    tx.commit();
}

void sql_store::queue_events(std::vector<outbox_message> rows) {
    if (rows.empty()) return;
    step_write s;
    s.outbox = std::move(rows);
    write_step(s);
}

void sql_store::add_node_count(std::string_view flow_id, int version, std::string_view node,
                    std::int64_t reached, std::int64_t left) {
    // On PostgreSQL each gateway adds to its own shard of the counter (set_claimant): one
    // row shared by every gateway's worker made their batches wait for each other's commit.
    auto& add = stmt(pick(
        "INSERT INTO flow_node_counts (flow_id, version, node, reached, left_count) "
        "VALUES (?1,?2,?3,?4,?5) ON CONFLICT (flow_id, version, node) DO UPDATE SET "
        "reached = flow_node_counts.reached + excluded.reached, "
        "left_count = flow_node_counts.left_count + excluded.left_count",
        "INSERT INTO flow_node_counts (flow_id, version, node, reached, left_count, shard) "
        "VALUES (?1,?2,?3,?4,?5,?6) ON CONFLICT (flow_id, version, node, shard) DO UPDATE SET "
        "reached = flow_node_counts.reached + excluded.reached, "
        "left_count = flow_node_counts.left_count + excluded.left_count"));
    add.bind(1, flow_id).bind(2, version).bind(3, node).bind(4, reached).bind(5, left);
    if (!lite_) add.bind(6, counter_shard_);
    add.write();
}

sql_store::ids_ahead sql_store::draw_ids(const std::vector<step_write>& steps, bool held) {
    ids_ahead ids;
    if (lite_) return ids;
    std::int64_t outbox = 0, timers = 0, concerns = 0;
    for (const auto& s : steps) {
        outbox += static_cast<std::int64_t>(s.outbox.size());
        timers += static_cast<std::int64_t>(s.timers.size());
        concerns += static_cast<std::int64_t>(s.concerns.size());
    }
    if (outbox + timers + concerns == 0 && !held) return ids;
    auto& q = stmt(
        "SELECT 0, nextval(pg_get_serial_sequence('outbox', 'id')) FROM generate_series(1, ?1) "
        "UNION ALL "
        "SELECT 1, nextval(pg_get_serial_sequence('timers', 'id')) FROM generate_series(1, ?2) "
        "UNION ALL "
        "SELECT 2, nextval(pg_get_serial_sequence('concerns', 'id')) FROM generate_series(1, ?3) "
        // Whether any message is held (asked: LIMIT 1), in the held index's order: PostgreSQL
        // scanned the whole table for it when its statistics were stale.
        "UNION ALL SELECT 3, count(*) FROM (SELECT 1 FROM outbox WHERE held_at IS NOT NULL "
        "ORDER BY contact_id LIMIT ?4) h");
    q.bind(1, outbox).bind(2, timers).bind(3, concerns).bind(4, std::int64_t{held ? 1 : 0});
    std::array<std::vector<std::int64_t>*, 3> into{&ids.outbox, &ids.timers, &ids.concerns};
    while (q.step()) {
        const auto kind = static_cast<std::size_t>(q.i64(0));
        if (kind < into.size())
            into.at(kind)->push_back(q.i64(1));
        else
            ids.held = q.i64(1) != 0;
    }
    q.reset();
    // In the order drawn, whatever order the rows came in: a contact's messages are sent in
    // id order.
    for (auto* drawn : into) std::sort(drawn->begin(), drawn->end());
    return ids;
}

std::vector<timer> sql_store::due_timers(time_point now, std::size_t limit) {
    auto read = [](sql::statement& r) { return timer{r.i64(0), r.text(1), r.text(2), r.time(3)}; };
    if (lite_) {
        auto& q = stmt(
            "SELECT id, conversation_key, timer_id, due_at FROM timers WHERE due_at <= ? "
            "ORDER BY due_at, id LIMIT ?");
        q.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
        return q.all(read);
    }
    // Several gateways: as pending_inbox, by the contact of the timer's conversation (or by
    // the conversation's key when it is gone: the timer is stale), then read again, so a timer
    // another gateway fired and deleted meanwhile is not fired twice.
#define DGW_TIMER_KEY                                                  \
    "coalesce(" DGW_CONTACT_KEY("c.channel", "c.user_id") \
    ", hashtextextended(t.conversation_key, 0))"
#define DGW_TIMER_JOIN                                                                   \
    " LEFT JOIN conversations v ON v.key = t.conversation_key LEFT JOIN contacts c ON " \
    "c.id = v.contact_id"
    auto& c = stmt(
        "SELECT k FROM (SELECT DISTINCT " DGW_TIMER_KEY " AS k FROM (SELECT conversation_key "
        "FROM timers WHERE due_at <= ? ORDER BY due_at, id LIMIT ?) t" DGW_TIMER_JOIN
        ") d WHERE pg_try_advisory_xact_lock(k)");
    c.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
    const auto keys = lock_contacts(c);
    if (keys.empty()) return {};
    auto& q = stmt(
        "SELECT t.id, t.conversation_key, t.timer_id, t.due_at FROM timers t" DGW_TIMER_JOIN
        " WHERE t.due_at <= ? AND " DGW_TIMER_KEY " = ANY (CAST(? AS BIGINT[])) "
        "ORDER BY t.due_at, t.id LIMIT ?");
    q.bind(1, now).bind(2, keys).bind(3, static_cast<std::int64_t>(limit));
    return q.all(read);
#undef DGW_TIMER_JOIN
#undef DGW_TIMER_KEY
}

#undef DGW_CONTACT_KEY

std::vector<outbox_message> sql_store::sendable_outbox(time_point now, std::size_t limit,
                                                      const std::vector<std::int64_t>& busy) {
    // The head of each (channel, user) queue, if it is due: a due pending message with no
    // earlier pending one for the same user. Pending rows are walked in id order and each
    // is checked with one index probe, so the cost grows with what is returned, not with
    // the whole backlog. A head this claimant claimed is offered again: the sender skips the
    // ones it has in flight, and one whose outcome could not be recorded (the database failed
    // that round) is sent again rather than left waiting for a restart. A head another
    // gateway claimed is left to it until its lease runs out.
    auto& q =
        stmt(std::string(outbox_columns) +
             pick("FROM outbox o INDEXED BY outbox_pending_order", "FROM outbox o") +
             outbox_join +
             " WHERE o.status = 'pending' AND o.held_at IS NULL AND o.next_attempt_at <= ?"
             " AND (o.claimed_at IS NULL OR o.claimed_by = ? OR o.claimed_at < ?) AND " +
             // PostgreSQL turned NOT EXISTS into an anti join that, when its statistics said
             // few rows were pending, compared each pending row with every other (52 ms a
             // round under load): a scalar subquery is always one probe per row.
             pick("NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_pending"
                  " WHERE p.status = 'pending' AND p.held_at IS NULL AND p.channel = o.channel"
                  " AND p.user_id = o.user_id AND p.id < o.id)",
                  "o.id = (SELECT min(p.id) FROM outbox p WHERE p.status = 'pending'"
                  " AND p.held_at IS NULL AND p.channel = o.channel AND p.user_id = o.user_id)") +
             // What the sender has in hand, read again every round, was three reads in four
             // under load on three gateways.
             pick(" AND o.id NOT IN (SELECT value FROM json_each(?5))",
                  " AND o.id <> ALL (CAST(?5 AS BIGINT[]))") +
             " ORDER BY o.id LIMIT ?4");
    q.bind(1, now)
        .bind(2, claimant_.owner)
        .bind(3, stale_claims_before(now))
        .bind(4, static_cast<std::int64_t>(limit));
    // Both read the same literal: "[1,2]" is a JSON array, "{1,2}" PostgreSQL's.
    auto list = int_array(busy);
    if (lite_) list.front() = '[', list.back() = ']';
    q.bind(5, list);
    return q.all([&](sql::statement& r) { return read_outbox(r, payload_as::text); });
}

std::vector<std::int64_t> sql_store::claim_outbox(const std::vector<std::int64_t>& ids,
                                                  time_point at) {
    std::vector<std::int64_t> claimed;
    transaction tx(*this);
    // A message claimed already was handed to the platform without its outcome being
    // recorded: another owner's claim past its lease (that gateway died mid-send), or this
    // one's whose outcome was lost with a failed transaction. The platform may have it: in
    // doubt. (SET reads the row as it was.) On a shared database a row another transaction
    // holds is skipped, never waited for: that gateway is claiming it, or recording its
    // outcome, and waiting could close a cycle with the other work of this transaction.
    if (!lite_) {
        // The whole round in one statement: a round trip to a server costs more than the
        // update itself.
        // (`id = ANY (ARRAY(...))`, not a join or IN: the rows are found by their key
        // whatever the planner guesses of the array's length.)
        auto& u = stmt(
            "UPDATE outbox SET in_doubt = CASE WHEN claimed_at IS NOT NULL THEN 1 ELSE in_doubt "
            "END, claimed_at = ?1, claimed_by = ?2 WHERE id = ANY (ARRAY (SELECT id FROM outbox "
            "WHERE id = ANY (CAST(?3 AS BIGINT[])) AND status = 'pending' AND (claimed_at IS "
            "NULL OR claimed_by = ?2 OR claimed_at < ?4) FOR UPDATE SKIP LOCKED)) RETURNING id");
        u.bind(1, at).bind(2, claimant_.owner).bind(3, int_array(ids));
        u.bind(4, stale_claims_before(at));
        const auto taken = u.all([](sql::statement& r) { return r.i64(0); });
        for (auto id : ids)  // in the order asked for
            if (std::find(taken.begin(), taken.end(), id) != taken.end()) claimed.push_back(id);
        tx.commit();
        return claimed;
    }
    auto& u = stmt(
        "UPDATE outbox SET in_doubt = CASE WHEN claimed_at IS NOT NULL THEN 1 ELSE in_doubt END, "
        "claimed_at = ?1, claimed_by = ?2 WHERE id = ?3 AND status = 'pending' "
        "AND (claimed_at IS NULL OR claimed_by = ?2 OR claimed_at < ?4)");
    for (auto id : ids) {
        u.bind(1, at).bind(2, claimant_.owner).bind(3, id).bind(4, stale_claims_before(at));
        if (u.changed() > 0) claimed.push_back(id);
    }
    tx.commit();
    return claimed;
}

std::size_t sql_store::release_claims() {
    auto& u = stmt(pick(
        "UPDATE outbox SET in_doubt = 1, claimed_at = NULL, claimed_by = '' "
        "WHERE status = 'pending' AND claimed_at IS NOT NULL",
        "UPDATE outbox SET in_doubt = 1, claimed_at = NULL, claimed_by = '' "
        "WHERE status = 'pending' AND claimed_at IS NOT NULL AND claimed_by = ?"));
    if (!lite_) u.bind(1, claimant_.owner);
    return static_cast<std::size_t>(u.changed());
}

// An outcome is recorded only for a message still pending and not claimed by another owner:
// a late answer on a lease another gateway took over changes nothing.
#define DGW_STILL_OURS " AND status = 'pending' AND (claimed_at IS NULL OR claimed_by = ?)"

void sql_store::record_sends(const std::vector<send_result>& results) {
    transaction tx(*this);
    // On a server, the messages simply sent are settled in one statement (most of a round).
    std::vector<std::int64_t> sent_together;
    if (!lite_) {
        std::vector<std::int64_t> ids, ats;
        for (const auto& r : results)
            if (r.outcome == send_result::kind::sent && r.path.empty() && r.spent_token.empty()) {
                ids.push_back(r.id);
                ats.push_back(sql::to_ms(r.at));
            }
        if (ids.size() > 1) {
            // Each row found by its key (a join with the arrays let the planner scan the
            // whole outbox), its time picked from the array at its id's place.
            auto& u = stmt(
                "UPDATE outbox SET status = 'sent', sent_at = (CAST(?2 AS BIGINT[]))"
                "[array_position(CAST(?1 AS BIGINT[]), id)], attempts = attempts + 1, "
                "claimed_at = NULL, claimed_by = '' WHERE id = ANY (CAST(?1 AS BIGINT[])) "
                "AND status = 'pending' AND (claimed_at IS NULL OR claimed_by = ?3)");
            u.bind(1, int_array(ids)).bind(2, int_array(ats)).bind(3, claimant_.owner);
            u.run();
            sent_together = std::move(ids);
        }
    }
    for (const auto& r : results) {
        bool recorded = false;
        switch (r.outcome) {
            case send_result::kind::sent:
                recorded = std::find(sent_together.begin(), sent_together.end(), r.id) !=
                                   sent_together.end() ||
                           settle_sent(r.id, r.at);
                break;
            case send_result::kind::retry:
                recorded = settle_retry(r.id, r.attempts, r.next_attempt_at, r.reason);
                break;
            case send_result::kind::failed: recorded = settle_failed(r.id, r.reason, r.at); break;
            case send_result::kind::held: {
                // Decided from the contact as it was when the message was claimed. Should
                // they have written since (the worker's release came before this), the
                // message is due again rather than held until some later message.
                auto& u = stmt(
                    "UPDATE outbox SET held_at = CASE WHEN (SELECT c.last_inbound_at FROM "
                    "contacts c WHERE c.id = outbox.contact_id) > coalesce(claimed_at, 0) "
                    "THEN NULL ELSE CAST(?1 AS BIGINT) END, next_attempt_at = ?1, last_error = ?2, "
                    "path = 'next_contact', attempts = attempts + 1, claimed_at = NULL, "
                    "claimed_by = '' WHERE id = ?3 AND status = 'pending' "
                    "AND (claimed_at IS NULL OR claimed_by = ?4)");
                u.bind(1, r.at).bind(2, r.reason).bind(3, r.id).bind(4, claimant_.owner);
                recorded = u.changed() > 0;
                break;
            }
        }
        if (!recorded) continue;
        if (!r.path.empty() && r.outcome != send_result::kind::held &&
            r.outcome != send_result::kind::retry) {
            auto& u = stmt("UPDATE outbox SET path = ? WHERE id = ?");
            u.bind(1, r.path).bind(2, r.id);
            u.run();
        }
        if (!r.spent_token.empty()) {
            auto& d = stmt(
                "DELETE FROM contact_permissions WHERE token = ? AND contact_id = "
                "(SELECT contact_id FROM outbox WHERE id = ?)");
            d.bind(1, r.spent_token).bind(2, r.id);
            d.run();
        }
    }
    tx.commit();
}

void sql_store::mark_sent(std::int64_t id, time_point at) { settle_sent(id, at); }

void sql_store::mark_failed(std::int64_t id, const std::string& reason, time_point at) {
    settle_failed(id, reason, at);
}

void sql_store::reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                           const std::string& last_error) {
    settle_retry(id, attempts, next_attempt_at, last_error);
}

bool sql_store::settle_sent(std::int64_t id, time_point at) {
    auto& u = stmt(
        "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
        "claimed_at = NULL, claimed_by = '' WHERE id = ?" DGW_STILL_OURS);
    u.bind(1, at).bind(2, id).bind(3, claimant_.owner);
    return u.changed() > 0;
}

bool sql_store::settle_failed(std::int64_t id, const std::string& reason, time_point at) {
    auto& u = stmt(
        "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1, "
        "next_attempt_at = ?, claimed_at = NULL, claimed_by = '' WHERE id = ?" DGW_STILL_OURS);
    u.bind(1, reason).bind(2, at).bind(3, id).bind(4, claimant_.owner);
    return u.changed() > 0;
}

bool sql_store::settle_retry(std::int64_t id, int attempts, time_point next_attempt_at,
                             const std::string& last_error) {
    auto& u = stmt(
        "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_at = NULL, "
        "claimed_by = '' WHERE id = ?" DGW_STILL_OURS);
    u.bind(1, attempts).bind(2, next_attempt_at).bind(3, last_error).bind(4, id).bind(5, claimant_.owner);
    return u.changed() > 0;
}

#undef DGW_STILL_OURS

std::size_t sql_store::outbox_pending() {
    return static_cast<std::size_t>(
        scalar("SELECT count(*) FROM outbox WHERE status = 'pending' AND held_at IS NULL"));
}

std::size_t sql_store::outbox_held() {
    return static_cast<std::size_t>(
        scalar(pick("SELECT count(*) FROM outbox INDEXED BY outbox_held WHERE held_at IS NOT NULL",
                    "SELECT count(*) FROM outbox WHERE held_at IS NOT NULL")));
}

contact_reach sql_store::reach_of(std::int64_t contact_id) {
    contact_reach r;
    auto& q = stmt(pick(
        "SELECT kind, token, granted, expires_at, topic FROM contact_permissions "
        "WHERE contact_id = ? ORDER BY updated_at DESC, rowid DESC",
        "SELECT kind, token, granted, expires_at, topic FROM contact_permissions "
        "WHERE contact_id = ? ORDER BY updated_at DESC, seq DESC"));
    q.bind(1, contact_id);
    while (q.step()) {
        core::permission p;
        if (!core::parse_permission_kind(q.text(0), p.kind)) continue;
        p.token = q.text(1);
        p.granted = q.boolean(2);
        if (!q.is_null(3)) p.expires_at = q.time(3);
        p.topic = q.text(4);
        r.permissions.push_back(std::move(p));
    }
    q.reset();
    // The newest number the citizen gave with their consent, not anonymously.
    auto& k = stmt(
        "SELECT phone FROM concerns WHERE contact_id = ? AND phone <> '' AND consent = 1 "
        "AND anonymous = 0 ORDER BY id DESC LIMIT 1");
    k.bind(1, contact_id);
    if (k.step()) r.phone = core::phone_digits(k.text(0));
    k.reset();
    return r;
}

std::vector<outbox_message> sql_store::outbox_after(const std::string& channel, const std::string& user_id,
                                         std::int64_t after_id, std::size_t limit) {
    auto& q = stmt(std::string(outbox_select) +
                   " WHERE o.channel = ? AND o.user_id = ? AND o.id > ? "
                   "AND (o.kind = 'message' OR o.kind = 'notice') "
                   "AND o.status = 'sent' ORDER BY o.id LIMIT ?");
    q.bind(1, channel).bind(2, user_id).bind(3, after_id).bind(4, static_cast<std::int64_t>(limit));
    return q.all([&](sql::statement& r) { return read_outbox(r); });
}

void sql_store::append_outbox(std::vector<outbox_message>& messages) {
    step_write s;
    s.outbox = std::move(messages);
    transaction tx(*this);
    write_step(s);
    tx.commit();
    messages = std::move(s.outbox);
}

std::size_t sql_store::gateways_alive(const std::string& id, time_point now, time_point since) {
    transaction tx(*this);
    auto& up = stmt(
        "INSERT INTO gateways (name, started_at, seen_at) VALUES (?1, ?2, ?2) ON CONFLICT (name) "
        "DO UPDATE SET seen_at = excluded.seen_at");
    up.bind(1, id).bind(2, now);
    up.run();
    auto& gone = stmt("DELETE FROM gateways WHERE seen_at < ?");
    gone.bind(1, now - std::chrono::hours(24));
    gone.run();
    auto& n = stmt("SELECT count(*) FROM gateways WHERE seen_at >= ?");
    n.bind(1, since);
    const auto alive = n.first([](sql::statement& r) { return r.i64(0); }).value_or(1);
    tx.commit();
    return static_cast<std::size_t>(std::max<std::int64_t>(1, alive));
}

namespace {

// The insert of an outbox message: with the notice columns or without (replies, the bulk,
// leave them to their defaults), and with an id drawn ahead (the last parameter) or not.
const std::string& outbox_insert_sql(bool notice, bool with_id) {
    static const auto texts = [] {
        std::array<std::string, 4> out;
        for (int i = 0; i < 4; ++i) {
            const bool n = (i & 2) != 0, id = (i & 1) != 0;
            std::string& t = out[static_cast<std::size_t>(i)];
            t = "INSERT INTO outbox (channel, user_id, contact_id, kind, payload, status, "
                "attempts, next_attempt_at, last_error, inbox_id, created_at";
            if (n) t += ", notice_id, session_id";
            if (id) t += ", id";
            t += ") VALUES (?,?,?,?,?,?,?,?,?,?,?";
            if (n) t += ",?,?";
            if (id) t += ",?";
            t += ")";
        }
        return out;
    }();
    return texts[(notice ? 2u : 0u) + (with_id ? 1u : 0u)];
}

}  // namespace

void sql_store::write_step(step_write& s, bool held, ids_ahead* ids) {
    for (const auto& c : s.conversations) {
        auto& up = stmt(
            "INSERT INTO conversations (key, contact_id, flow_id, flow_version, state, active, "
            "outcome, started_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state, active = excluded.active, "
            "outcome = excluded.outcome, updated_at = excluded.updated_at");
        up.bind(1, c.key).bind(2, c.contact_id).bind(3, c.flow_id).bind(4, c.flow_version);
        const std::string dumped = c.state_text.empty() ? c.state.dump() : std::string();
        up.bind(5, c.state_text.empty() ? dumped : c.state_text);
        up.bind(6, c.active).bind(7, c.outcome).bind(8, c.started_at);
        up.bind(9, c.updated_at);
        up.write();
    }
    for (auto& c : s.concerns) {
#define DGW_CONCERN_INSERT                                                                  \
    "INSERT INTO concerns (ref, contact_id, channel, conversation_key, topic, "             \
    "commune_code, commune_name, text, media, lat, lon, phone, anonymous, consent, "        \
    "urgent, status, session_id, session_label, route_reason, answer, answers, "            \
    "created_at, updated_at, source, citizen_name, follows, raised_at, raised_by, audience"
#define DGW_CONCERN_VALUES "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?"
        // With an id drawn ahead, the insert needs no answer (as the outbox's below).
        auto& ins = ids ? stmt(DGW_CONCERN_INSERT ", id) VALUES (" DGW_CONCERN_VALUES ",?)")
                        : db_->insert(DGW_CONCERN_INSERT ") VALUES (" DGW_CONCERN_VALUES ")");
#undef DGW_CONCERN_INSERT
#undef DGW_CONCERN_VALUES
        ins.bind(1, c.ref).bind(2, c.contact_id).bind(3, c.channel).bind(4, c.conversation_key);
        ins.bind(5, c.topic).bind(6, c.commune_code).bind(7, c.commune_name).bind(8, c.text);
        ins.bind(9, c.media.dump()).bind(10, c.lat).bind(11, c.lon).bind(12, c.phone);
        ins.bind(13, c.anonymous).bind(14, c.consent).bind(15, c.urgent).bind(16, c.status);
        ins.bind(17, c.session_id).bind(18, c.session_label).bind(19, c.route_reason);
        ins.bind(20, c.answer).bind(21, c.answers.dump()).bind(22, c.created_at);
        ins.bind(23, c.updated_at).bind(24, c.source).bind(25, c.citizen_name);
        ins.bind(26, c.follows);
        if (c.raised_at)
            ins.bind(27, *c.raised_at);
        else
            ins.bind_null(27);
        ins.bind(28, c.raised_by).bind(29, c.audience);
        if (ids) {
            c.id = ids->concerns.at(ids->next_concern++);
            ins.bind(30, c.id);
            ins.write();
        } else {
            c.id = ins.inserted();
        }
        if (c.copy_media) queue_media_copies(c);
    }
    for (auto& m : s.outbox) {
        const bool notice = !m.notice_id.empty() || !m.session_id.empty();
        // With an id drawn ahead, the insert needs no answer.
        const auto& sql = outbox_insert_sql(notice, ids != nullptr);
        auto& ins = ids ? stmt(sql) : db_->insert(sql);
        ins.bind(1, m.channel).bind(2, m.user_id).bind(3, m.contact_id).bind(4, m.kind);
        ins.bind(5, m.payload.dump()).bind(6, m.status).bind(7, m.attempts);
        ins.bind(8, m.next_attempt_at).bind(9, m.last_error).bind(10, m.inbox_id);
        ins.bind(11, m.created_at);
        if (notice) ins.bind(12, m.notice_id).bind(13, m.session_id);
        if (ids) {
            m.id = ids->outbox.at(ids->next_outbox++);
            ins.bind(notice ? 14 : 12, m.id);
            ins.write();
        } else {
            m.id = ins.inserted();
        }
    }
    for (const auto& key : s.timers_reset_for) {
        auto& del = stmt("DELETE FROM timers WHERE conversation_key = ?");
        del.bind(1, key);
        del.write();
    }
    for (auto& t : s.timers) {
        if (ids) {
            auto& ins =
                stmt("INSERT INTO timers (conversation_key, timer_id, due_at, id) VALUES (?,?,?,?)");
            t.id = ids->timers.at(ids->next_timer++);
            ins.bind(1, t.conversation_key).bind(2, t.timer_id).bind(3, t.due_at).bind(4, t.id);
            ins.write();
            continue;
        }
        auto& ins =
            db_->insert("INSERT INTO timers (conversation_key, timer_id, due_at) VALUES (?,?,?)");
        ins.bind(1, t.conversation_key).bind(2, t.timer_id).bind(3, t.due_at);
        t.id = ins.inserted();
    }
    for (const auto& c : s.permissions) write_permission(c, s.at);
    for (auto contact_id : held ? s.release_held : std::vector<std::int64_t>{}) {
        // Due now, with its original id: ahead of the replies to what the citizen just
        // wrote, which this step queues after it.
        auto& u = stmt(
            pick("UPDATE outbox INDEXED BY outbox_held SET held_at = NULL, next_attempt_at = ? "
                 "WHERE contact_id = ? AND held_at IS NOT NULL",
                 "UPDATE outbox SET held_at = NULL, next_attempt_at = ? "
                 "WHERE contact_id = ? AND held_at IS NOT NULL"));
        u.bind(1, s.at).bind(2, contact_id);
        u.write();
    }
    if (s.handoff) write_handoff(*s.handoff, s.at);
    // The citizen's verdict, with its line in the concern's history (once: a second is
    // refused by record_verdict).
    if (s.invite) {
        auto& u = stmt("UPDATE contacts SET invite_session = ?, invited_at = ? WHERE id = ?");
        u.bind(1, s.invite->session).bind(2, s.at).bind(3, s.invite->contact_id);
        u.write();
    }
    if (s.verdict && record_verdict(s.verdict->ref, s.verdict->verdict, s.verdict->reason, s.at))
        append_audit({0, s.at, "citizen", "concern.verdict", "concern:" + s.verdict->ref, "",
                      nlohmann::json{{"verdict", s.verdict->verdict}, {"reason", s.verdict->reason}}.dump()});
    if (s.timer_id != 0) {
        auto& del = stmt("DELETE FROM timers WHERE id = ?");
        del.bind(1, s.timer_id);
        del.write();
    }
    if (s.inbox_id != 0) {
        auto& done = stmt(
            "UPDATE inbox SET status = ?, error = ?, processed_at = ? WHERE id = ? AND "
            "status = 'pending'");
        done.bind(1, s.inbox_error.empty() ? "done" : "failed").bind(2, s.inbox_error);
        done.bind(3, s.at).bind(4, s.inbox_id);
        done.write();
    }
}

void sql_store::queue_media_copies(const concern& c) {
    if (!c.media.is_array()) return;
    auto& ins = stmt(
        "INSERT INTO media_copies (concern_id, idx, channel, media_id, next_attempt_at, "
        "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)");
    for (std::size_t i = 0; i < c.media.size(); ++i) {
        if (!c.media[i].is_string()) continue;
        ins.bind(1, c.id).bind(2, static_cast<std::int64_t>(i)).bind(3, c.channel);
        ins.bind(4, c.media[i].get_ref<const std::string&>()).bind(5, c.created_at);
        ins.write();
    }
}

void sql_store::write_permission(const permission_change& c, time_point at) {
    const auto& p = c.permission;
    // One recurring token, one follow, one subscription state per contact: the newest.
    // One-time tokens are each good for one message, so several may wait.
    if (p.kind != core::permission_kind::one_time_notification) {
        auto& d = stmt("DELETE FROM contact_permissions WHERE contact_id = ? AND kind = ?");
        d.bind(1, c.contact_id).bind(2, core::to_string(p.kind));
        d.run();
    }
    auto& up = stmt(
        "INSERT INTO contact_permissions (contact_id, kind, token, granted, expires_at, topic, "
        "updated_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (contact_id, kind, token) DO UPDATE "
        "SET granted = excluded.granted, expires_at = excluded.expires_at, "
        "topic = excluded.topic, updated_at = excluded.updated_at");
    up.bind(1, c.contact_id).bind(2, core::to_string(p.kind)).bind(3, p.token);
    up.bind(4, p.granted);
    if (p.expires_at)
        up.bind(5, *p.expires_at);
    else
        up.bind_null(5);
    up.bind(6, p.topic).bind(7, at);
    up.run();
}

// The rows of an inbox query. A row that cannot be read is left out and, when
// `unreadable` is given, listed there with the reason.
std::vector<inbox_row> sql_store::read_inbox(
    sql::statement& q, std::vector<std::pair<std::int64_t, std::string>>* unreadable) {
    std::vector<inbox_row> out;
    while (q.step()) {
        inbox_row r;
        r.id = q.i64(0);
        r.channel = q.text(1);
        try {
            r.event =
                stored<core::inbound_event>(q.text(2), "inbox", std::to_string(r.id), "event");
        } catch (const corrupt_row& e) {
            if (unreadable) unreadable->emplace_back(r.id, e.what());
            continue;
        }
        r.received_at = q.time(3);
        out.push_back(std::move(r));
    }
    q.reset();
    return out;
}

outbox_message sql_store::read_outbox(sql::statement& q, payload_as as) {
    outbox_message m;
    m.id = q.i64(0);
    m.channel = q.text(1);
    m.user_id = q.text(2);
    m.contact_id = q.i64(3);
    m.kind = q.text(4);
    if (as == payload_as::text)
        m.payload_text = q.text(5);
    else
        m.payload = stored(q.text(5), "outbox", std::to_string(m.id), "payload");
    m.status = q.text(6);
    m.attempts = static_cast<int>(q.i64(7));
    m.next_attempt_at = q.time(8);
    m.last_error = q.text(9);
    m.inbox_id = q.i64(10);
    m.created_at = q.time(11);
    if (!q.is_null(12)) m.sent_at = q.time(12);
    m.in_doubt = q.boolean(13);
    if (!q.is_null(14)) m.contact_last_inbound_at = q.time(14);
    m.path = q.text(15);
    if (!q.is_null(16)) m.held_at = q.time(16);
    m.notice_id = q.text(17);
    m.session_id = q.text(18);
    return m;
}

}  // namespace dgw::store::sql
