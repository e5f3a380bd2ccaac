// The store's roles in SQL, written once for SQLite and PostgreSQL (see db.hpp).
#include "store/sql/sql_store.hpp"

#include <dgw/core/json_reader.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace dgw::store {

namespace {

// A JSON column of a stored row, parsed; or corrupt_row saying where and what. The text is
// parsed without exceptions (core::parse_json), and a value of the wrong shape is reported
// with the row rather than as a bare nlohmann error nobody can place.
template <class T = nlohmann::json>
T stored(std::string_view text, const char* table, std::string_view row, const char* column) {
    const auto where = std::string(table) + " " + std::string(row) + " " + column;
    core::problem error;
    auto doc = core::parse_json(text, &error);
    if (!doc)
        throw corrupt_row(where + (error.path.empty() ? "" : " " + error.path) + ": " +
                          error.message);
    if constexpr (std::is_same_v<T, nlohmann::json>) {
        return std::move(*doc);
    } else {
        try {
            return doc->get<T>();
        } catch (const std::exception& e) {
            throw corrupt_row(where + ": " + e.what());
        }
    }
}

}  // namespace

void parse_payload(outbox_message& m) {
    if (m.payload_text.empty()) return;
    m.payload = stored(m.payload_text, "outbox", std::to_string(m.id), "payload");
    m.payload_text.clear();
}

namespace {

class sql_store final : public store {
public:
    explicit sql_store(std::unique_ptr<sql::connection> db)
        : db_(std::move(db)), lite_(db_->dialect() == sql::dialect::sqlite) {}

    append_result append_inbox(const std::vector<inbox_item>& items) override {
        append_result r;
        transaction tx(*this);
        auto& ins = stmt(
            "INSERT INTO inbox (channel, dedup_key, user_id, event, received_at) VALUES (?,?,?,?,?) "
            "ON CONFLICT (channel, dedup_key) DO NOTHING");
        for (const auto& it : items) {
            const std::string serialised =
                it.event_json.empty() ? nlohmann::json(it.event).dump() : std::string();
            ins.bind(1, it.channel)
                .bind(2, it.event.dedup_key)
                .bind(3, it.event.user_id)
                .bind(4, it.event_json.empty() ? serialised : it.event_json)
                .bind(5, it.received_at);
            bool fresh = ins.changed() > 0;
            r.fresh.push_back(fresh);
            ++(fresh ? r.stored : r.duplicates);
        }
        tx.commit();
        return r;
    }

    std::vector<inbox_row> pending_inbox(std::size_t limit) override {
        auto& q = stmt(
            "SELECT id, channel, event, received_at FROM inbox WHERE status = 'pending' "
            "ORDER BY id LIMIT ?");
        q.bind(1, static_cast<std::int64_t>(limit));
        std::vector<std::pair<std::int64_t, std::string>> unreadable;
        auto rows = read_inbox(q, &unreadable);
        // An event that cannot be read would stop the worker at it forever: it is marked
        // failed, with the reason, and the others go on.
        for (const auto& [id, why] : unreadable) {
            auto& u = stmt("UPDATE inbox SET status = 'failed', error = ? WHERE id = ?");
            u.bind(1, why).bind(2, id);
            u.run();
        }
        return rows;
    }

    std::size_t inbox_backlog() override {
        return static_cast<std::size_t>(scalar("SELECT count(*) FROM inbox WHERE status = 'pending'"));
    }

    contact upsert_contact(const std::string& channel, const std::string& user_id,
                           const std::string& display_name, const std::string& language,
                           time_point now) override {
        auto& up = stmt(
            "INSERT INTO contacts (channel, user_id, display_name, language, created_at, "
            "last_inbound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "
            "ON CONFLICT (channel, user_id) DO UPDATE SET "
            "display_name = CASE WHEN excluded.display_name = '' THEN contacts.display_name "
            "                    ELSE excluded.display_name END, "
            "language = CASE WHEN excluded.language = '' THEN contacts.language "
            "                ELSE excluded.language END, "
            "last_inbound_at = CASE WHEN excluded.last_inbound_at > contacts.last_inbound_at "
            "THEN excluded.last_inbound_at ELSE contacts.last_inbound_at END");
        up.bind(1, channel).bind(2, user_id).bind(3, display_name).bind(4, language).bind(5, now);
        up.run();
        return written_contact(channel, user_id);
    }

    contact ensure_contact(const std::string& channel, const std::string& user_id,
                           time_point now) override {
        auto& ins = stmt(
            "INSERT INTO contacts (channel, user_id, created_at, last_inbound_at) "
            "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (channel, user_id) DO NOTHING");
        ins.bind(1, channel).bind(2, user_id).bind(3, now);
        ins.run();
        return written_contact(channel, user_id);
    }

    // The contact just written for (channel, user_id), read back with a second statement: a
    // RETURNING clause makes SQLite build a temporary table on every call, which cost more
    // than this lookup (the worker runs it per event).
    contact written_contact(const std::string& channel, const std::string& user_id) {
        auto& q = stmt(
            "SELECT id, channel, user_id, display_name, language, created_at, last_inbound_at "
            "FROM contacts WHERE channel = ? AND user_id = ?");
        q.bind(1, channel).bind(2, user_id);
        auto c = read_contact(q);
        if (!c) throw unavailable("contact vanished after it was written");
        return *c;
    }

    std::optional<contact> find_contact(std::int64_t id) override {
        auto& q = stmt(
            "SELECT id, channel, user_id, display_name, language, created_at, last_inbound_at, "
            "invite_session, invited_at FROM contacts WHERE id = ?");
        q.bind(1, id);
        return read_contact(q);
    }

    std::optional<conversation> active_conversation(std::int64_t contact_id) override {
        return find_active(contact_id, payload_as::json);
    }

    std::optional<conversation> active_conversation_text(std::int64_t contact_id) override {
        return find_active(contact_id, payload_as::text);
    }

    std::optional<conversation> find_conversation(const std::string& key) override {
        auto& q = stmt(
            "SELECT key, contact_id, flow_id, flow_version, state, active, outcome, started_at, "
            "updated_at FROM conversations WHERE key = ?");
        q.bind(1, key);
        return read_conversation(q);
    }

    bool concern_ref_exists(const std::string& ref) override {
        auto& q = stmt("SELECT 1 FROM concerns WHERE ref = ?");
        q.bind(1, ref);
        bool found = q.step();
        q.reset();
        return found;
    }

    std::optional<concern> find_concern(const std::string& ref) override {
        auto& q = stmt(std::string(concern_select) + " WHERE ref = ?");
        q.bind(1, ref);
        std::optional<concern> out;
        if (q.step()) out = read_concern(q);
        q.reset();
        return out;
    }

    std::vector<concern> overdue_followups(const std::string& before_day) override {
        auto& q = stmt(std::string(concern_select) +
                       " WHERE followup = 'assigned' AND deadline < ? AND status = 'answered' "
                       "ORDER BY deadline, id");
        q.bind(1, before_day);
        std::vector<concern> out;
        while (q.step()) out.push_back(read_concern(q));
        q.reset();
        return out;
    }

    std::optional<concern> awaiting_verdict(std::int64_t contact_id, time_point since) override {
        auto& q = stmt(std::string(concern_select) +
                       " WHERE contact_id = ? AND verdict = '' AND status = 'answered' AND "
                       "answered_at >= ? ORDER BY answered_at DESC, id DESC LIMIT 1");
        q.bind(1, contact_id).bind(2, since);
        std::optional<concern> out;
        if (q.step()) out = read_concern(q);
        q.reset();
        return out;
    }

    bool record_verdict(const std::string& ref, const std::string& verdict,
                        const std::string& reason, time_point at) override {
        auto& u = stmt(
            "UPDATE concerns SET verdict = ?, verdict_reason = ?, verdict_at = ?, updated_at = ? "
            "WHERE ref = ? AND verdict = '' AND status = 'answered'");
        u.bind(1, verdict).bind(2, reason).bind(3, at).bind(4, at).bind(5, ref);
        return u.changed() > 0;
    }

    std::vector<concern> list_concerns(const std::string& session_id, std::size_t limit) override {
        auto& q = stmt(std::string(concern_select) +
                       " WHERE (?1 = '' OR session_id = ?1) ORDER BY id LIMIT ?2");
        q.bind(1, session_id).bind(2, static_cast<std::int64_t>(limit));
        std::vector<concern> out;
        while (q.step()) out.push_back(read_concern(q));
        q.reset();
        return out;
    }

    void transact(const std::function<void()>& body) override {
        transaction tx(*this);
        body();
        tx.commit();
    }

    void commit_steps(std::vector<step_write>& steps) override {
        transaction tx(*this);
        // The steps commit together, so their node counts are added up first: one statement
        // per node the batch touched rather than one per node per step.
        std::map<std::tuple<std::string_view, int, std::string_view>, std::pair<std::int64_t, std::int64_t>>
            counts;
        // Held messages are rare: one look per batch spares every event its release statement
        // (an UPDATE per event was 5 % of the worker's instructions in pipeline_bench).
        const bool held = std::any_of(steps.begin(), steps.end(),
                                      [](const step_write& s) { return !s.release_held.empty(); }) &&
                          scalar(pick("SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_held "
                                      "WHERE held_at IS NOT NULL)",
                                      "SELECT count(*) FROM (SELECT 1 FROM outbox "
                                      "WHERE held_at IS NOT NULL LIMIT 1) h")) != 0;
        for (auto& s : steps) {
            write_step(s, held);
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
        tx.commit();
    }

    void add_node_count(std::string_view flow_id, int version, std::string_view node,
                        std::int64_t reached, std::int64_t left) {
        auto& add = stmt(
            "INSERT INTO flow_node_counts (flow_id, version, node, reached, left_count) "
            "VALUES (?,?,?,?,?) ON CONFLICT (flow_id, version, node) DO UPDATE SET "
            "reached = flow_node_counts.reached + excluded.reached, "
            "left_count = flow_node_counts.left_count + excluded.left_count");
        add.bind(1, flow_id).bind(2, version).bind(3, node).bind(4, reached).bind(5, left);
        add.run();
    }

    std::vector<timer> due_timers(time_point now, std::size_t limit) override {
        auto& q = stmt(
            "SELECT id, conversation_key, timer_id, due_at FROM timers WHERE due_at <= ? "
            "ORDER BY due_at, id LIMIT ?");
        q.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
        std::vector<timer> out;
        while (q.step()) out.push_back({q.i64(0), q.text(1), q.text(2), q.time(3)});
        q.reset();
        return out;
    }

    std::vector<outbox_message> sendable_outbox(time_point now, std::size_t limit) override {
        // The head of each (channel, user) queue, if it is due: a due pending message with no
        // earlier pending one for the same user. Pending rows are walked in id order and each
        // is checked with one index probe, so the cost grows with what is returned, not with
        // the whole backlog. A claimed head is offered again: the sender skips the ones it
        // has in flight, and one whose outcome could not be recorded (the database failed
        // that round) is sent again rather than left waiting for a restart.
        auto& q =
            stmt(std::string(outbox_columns) +
                 pick("FROM outbox o INDEXED BY outbox_pending_order", "FROM outbox o") +
                 outbox_join +
                 " WHERE o.status = 'pending' AND o.held_at IS NULL AND o.next_attempt_at <= ?"
                 " AND NOT EXISTS (SELECT 1 FROM outbox p" +
                 pick(" INDEXED BY outbox_pending", "") +
                 " WHERE p.status = 'pending' AND p.held_at IS NULL AND p.channel = o.channel"
                 " AND p.user_id = o.user_id AND p.id < o.id) ORDER BY o.id LIMIT ?");
        q.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
        std::vector<outbox_message> out;
        while (q.step()) out.push_back(read_outbox(q, payload_as::text));
        q.reset();
        return out;
    }

    void claim_outbox(const std::vector<std::int64_t>& ids, time_point at) override {
        transaction tx(*this);
        auto& u = stmt("UPDATE outbox SET claimed_at = ? WHERE id = ?");
        for (auto id : ids) {
            u.bind(1, at).bind(2, id);
            u.run();
        }
        tx.commit();
    }

    std::size_t release_claims() override {
        auto& u = stmt(
            "UPDATE outbox SET in_doubt = 1, claimed_at = NULL "
            "WHERE status = 'pending' AND claimed_at IS NOT NULL");
        return static_cast<std::size_t>(u.changed());
    }

    void record_sends(const std::vector<send_result>& results) override {
        transaction tx(*this);
        for (const auto& r : results) {
            switch (r.outcome) {
                case send_result::kind::sent: mark_sent(r.id, r.at); break;
                case send_result::kind::retry:
                    reschedule(r.id, r.attempts, r.next_attempt_at, r.reason);
                    break;
                case send_result::kind::failed: mark_failed(r.id, r.reason, r.at); break;
                case send_result::kind::held: {
                    // Decided from the contact as it was when the message was claimed. Should
                    // they have written since (the worker's release came before this), the
                    // message is due again rather than held until some later message.
                    auto& u = stmt(
                        "UPDATE outbox SET held_at = CASE WHEN (SELECT c.last_inbound_at FROM "
                        "contacts c WHERE c.id = outbox.contact_id) > coalesce(claimed_at, 0) "
                        "THEN NULL ELSE CAST(?1 AS BIGINT) END, next_attempt_at = ?1, last_error = ?2, "
                        "path = 'next_contact', attempts = attempts + 1, claimed_at = NULL "
                        "WHERE id = ?3");
                    u.bind(1, r.at).bind(2, r.reason).bind(3, r.id);
                    u.run();
                    break;
                }
            }
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

    void mark_sent(std::int64_t id, time_point at) override {
        auto& u = stmt(
            "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, "
            "claimed_at = NULL WHERE id = ?");
        u.bind(1, at).bind(2, id);
        u.run();
    }

    void mark_failed(std::int64_t id, const std::string& reason, time_point at) override {
        auto& u = stmt(
            "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1, "
            "next_attempt_at = ?, claimed_at = NULL WHERE id = ?");
        u.bind(1, reason).bind(2, at).bind(3, id);
        u.run();
    }

    void reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                    const std::string& last_error) override {
        auto& u = stmt(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, claimed_at = NULL "
            "WHERE id = ?");
        u.bind(1, attempts).bind(2, next_attempt_at).bind(3, last_error).bind(4, id);
        u.run();
    }

    std::size_t outbox_pending() override {
        return static_cast<std::size_t>(
            scalar("SELECT count(*) FROM outbox WHERE status = 'pending' AND held_at IS NULL"));
    }

    std::size_t outbox_held() override {
        return static_cast<std::size_t>(
            scalar(pick("SELECT count(*) FROM outbox INDEXED BY outbox_held WHERE held_at IS NOT NULL",
                        "SELECT count(*) FROM outbox WHERE held_at IS NOT NULL")));
    }

    contact_reach reach_of(std::int64_t contact_id) override {
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

    std::vector<outbox_message> list_notices(const std::string& session_id) override {
        auto& q = stmt(std::string(outbox_select) +
                       " WHERE o.session_id = ? AND o.notice_id <> '' ORDER BY o.id");
        q.bind(1, session_id);
        std::vector<outbox_message> out;
        while (q.step()) out.push_back(read_outbox(q));
        q.reset();
        return out;
    }

    std::vector<outbox_message> list_outbox(const outbox_filter& f) override {
        auto& q = stmt(std::string(outbox_select) +
                       " WHERE (CAST(?1 AS BIGINT) IS NULL OR o.contact_id = ?1) ORDER BY o.id DESC LIMIT ?2");
        if (f.contact_id)
            q.bind(1, *f.contact_id);
        else
            q.bind_null(1);
        q.bind(2, static_cast<std::int64_t>(f.limit));
        std::vector<outbox_message> out;
        while (q.step()) out.push_back(read_outbox(q));
        q.reset();
        return out;
    }

    std::vector<outbox_message> outbox_after(const std::string& channel, const std::string& user_id,
                                             std::int64_t after_id, std::size_t limit) override {
        auto& q = stmt(std::string(outbox_select) +
                       " WHERE o.channel = ? AND o.user_id = ? AND o.id > ? "
                       "AND (o.kind = 'message' OR o.kind = 'notice') "
                       "AND o.status = 'sent' ORDER BY o.id LIMIT ?");
        q.bind(1, channel).bind(2, user_id).bind(3, after_id).bind(4, static_cast<std::int64_t>(limit));
        std::vector<outbox_message> out;
        while (q.step()) out.push_back(read_outbox(q));
        q.reset();
        return out;
    }

    std::vector<inbox_row> list_inbox(std::optional<std::int64_t> contact_id,
                                      std::size_t limit) override {
        auto& q = stmt(
            "SELECT i.id, i.channel, i.event, i.received_at FROM inbox i "
            "LEFT JOIN contacts c ON c.channel = i.channel AND c.user_id = i.user_id "
            "WHERE (CAST(?1 AS BIGINT) IS NULL OR c.id = ?1) ORDER BY i.id DESC LIMIT ?2");
        if (contact_id)
            q.bind(1, *contact_id);
        else
            q.bind_null(1);
        q.bind(2, static_cast<std::int64_t>(limit));
        return read_inbox(q);
    }

    channel_token seed_channel_token(const channel_token& configured) override {
        transaction tx(*this);
        auto current = find_channel_token(configured.channel);
        if (!current || current->seed != configured.seed) {
            write_token(configured);
            current = configured;
        }
        tx.commit();
        return *current;
    }

    void save_channel_token(const channel_token& token) override {
        transaction tx(*this);
        write_token(token);
        tx.commit();
    }

    std::optional<channel_token> find_channel_token(const std::string& channel) override {
        auto& q = stmt(
            "SELECT channel, access_token, refresh_token, expires_at, updated_at, seed "
            "FROM channel_tokens WHERE channel = ?");
        q.bind(1, channel);
        std::optional<channel_token> out;
        if (q.step()) {
            channel_token t;
            t.channel = q.text(0);
            t.access_token = q.text(1);
            t.refresh_token = q.text(2);
            if (!q.is_null(3)) t.expires_at = q.time(3);
            t.updated_at = q.time(4);
            t.seed = q.text(5);
            out = std::move(t);
        }
        q.reset();
        return out;
    }

    // ----- accounts ----------------------------------------------------------------------------

    std::size_t count_users() override {
        return static_cast<std::size_t>(scalar("SELECT count(*) FROM users"));
    }

    std::optional<std::int64_t> add_user(const user& u) override {
        auto& ins = db_->insert(
            "INSERT INTO users (name, role, scope, password_hash, disabled, must_change_password, "
            "created_at, updated_at, office, phone) VALUES (?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (name) DO NOTHING");
        ins.bind(1, u.name).bind(2, u.role).bind(3, nlohmann::json(u.scope).dump());
        ins.bind(4, u.password_hash).bind(5, u.disabled).bind(6, u.must_change_password);
        ins.bind(7, u.created_at).bind(8, u.updated_at).bind(9, u.office).bind(10, u.phone);
        const auto id = ins.inserted();
        if (id == 0) return std::nullopt;
        return id;
    }

    std::optional<user> find_user(std::int64_t id) override {
        auto& q = stmt(std::string(user_select) + " WHERE id = ?");
        q.bind(1, id);
        return first_user(q);
    }

    std::optional<user> find_user_by_name(const std::string& name) override {
        auto& q = stmt(std::string(user_select) + " WHERE name = ?");
        q.bind(1, name);
        return first_user(q);
    }

    std::vector<user> list_users() override {
        auto& q = stmt(std::string(user_select) + " ORDER BY name");
        std::vector<user> out;
        while (q.step()) out.push_back(read_user(q));
        q.reset();
        return out;
    }

    void set_password(std::int64_t user_id, const std::string& hash, bool must_change,
                      time_point now) override {
        auto& u = stmt(
            "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? "
            "WHERE id = ?");
        u.bind(1, hash).bind(2, must_change).bind(3, now).bind(4, user_id);
        u.run();
    }

    void set_role(std::int64_t user_id, const std::string& role,
                  const std::vector<std::string>& scope, time_point now) override {
        auto& u = stmt("UPDATE users SET role = ?, scope = ?, updated_at = ? WHERE id = ?");
        u.bind(1, role).bind(2, nlohmann::json(scope).dump()).bind(3, now).bind(4, user_id);
        u.run();
    }

    void set_office(std::int64_t user_id, const std::string& office, const std::string& phone,
                    time_point now) override {
        auto& u = stmt("UPDATE users SET office = ?, phone = ?, updated_at = ? WHERE id = ?");
        u.bind(1, office).bind(2, phone).bind(3, now).bind(4, user_id);
        u.run();
    }

    void set_disabled(std::int64_t user_id, bool disabled, time_point now) override {
        transaction tx(*this);
        auto& u = stmt("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?");
        u.bind(1, disabled).bind(2, now).bind(3, user_id);
        u.run();
        if (disabled) delete_login_sessions_of(user_id, "");
        tx.commit();
    }

    void add_login_session(const login_session& s) override {
        auto& ins = stmt(
            "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, "
            "last_seen_at) VALUES (?,?,?,?,?)");
        ins.bind(1, s.token_hash).bind(2, s.user_id).bind(3, s.csrf_token);
        ins.bind(4, s.created_at).bind(5, s.last_seen_at);
        ins.run();
    }

    std::optional<login_session> find_login_session(const std::string& token_hash) override {
        auto& q = stmt(
            "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at FROM login_sessions "
            "WHERE token_hash = ?");
        q.bind(1, token_hash);
        std::optional<login_session> out;
        if (q.step()) out = login_session{q.text(0), q.i64(1), q.text(2), q.time(3), q.time(4)};
        q.reset();
        return out;
    }

    void touch_login_session(const std::string& token_hash, time_point at) override {
        auto& u = stmt("UPDATE login_sessions SET last_seen_at = ? WHERE token_hash = ?");
        u.bind(1, at).bind(2, token_hash);
        u.run();
    }

    void delete_login_session(const std::string& token_hash) override {
        auto& d = stmt("DELETE FROM login_sessions WHERE token_hash = ?");
        d.bind(1, token_hash);
        d.run();
    }

    void delete_login_sessions_of(std::int64_t user_id, const std::string& keep_hash) override {
        auto& d = stmt("DELETE FROM login_sessions WHERE user_id = ? AND token_hash <> ?");
        d.bind(1, user_id).bind(2, keep_hash);
        d.run();
    }

    void add_api_token(const api_token& t) override {
        auto& ins = stmt("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?,?,?)");
        ins.bind(1, t.user_id).bind(2, t.token_hash).bind(3, t.created_at);
        ins.run();
    }

    std::optional<api_token> find_api_token(const std::string& token_hash) override {
        auto& q = stmt(
            "SELECT id, user_id, token_hash, created_at FROM api_tokens WHERE token_hash = ?");
        q.bind(1, token_hash);
        std::optional<api_token> out;
        if (q.step()) out = api_token{q.i64(0), q.i64(1), q.text(2), q.time(3)};
        q.reset();
        return out;
    }

    void append_audit(const audit_entry& e) override {
        auto& ins = stmt(
            "INSERT INTO audit (at, actor, action, target, before, after) VALUES (?,?,?,?,?,?)");
        ins.bind(1, e.at).bind(2, e.actor).bind(3, e.action).bind(4, e.target);
        ins.bind(5, e.before).bind(6, e.after);
        ins.run();
    }

    std::vector<audit_entry> list_audit(const std::string& target, std::size_t limit) override {
        auto& q = stmt(
            "SELECT id, at, actor, action, target, before, after FROM audit WHERE target = ? "
            "ORDER BY id LIMIT ?");
        q.bind(1, target).bind(2, static_cast<std::int64_t>(limit));
        std::vector<audit_entry> out;
        while (q.step())
            out.push_back(
                {q.i64(0), q.time(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6)});
        q.reset();
        return out;
    }

    // ----- officials' work --------------------------------------------------------------------

    concern_page search_concerns(const concern_filter& f,
                                 const std::function<bool(const concern&)>& keep,
                                 std::size_t offset, std::size_t limit) override {
        auto& q = stmt(std::string(concern_select) +
                       " WHERE (?1 = '' OR session_id = ?1) AND (?2 = '' OR commune_code = ?2)"
                       " AND (?3 = '' OR topic = ?3) AND (?4 = '' OR status = ?4)"
                       " AND (CAST(?5 AS BIGINT) IS NULL OR urgent = ?5) AND (CAST(?6 AS BIGINT) IS NULL OR contact_id = ?6)"
                       " ORDER BY id");
        q.bind(1, f.session_id).bind(2, f.commune_code).bind(3, f.topic).bind(4, f.status);
        if (f.urgent)
            q.bind(5, *f.urgent);
        else
            q.bind_null(5);
        if (f.contact_id)
            q.bind(6, *f.contact_id);
        else
            q.bind_null(6);
        // The predicate runs row by row; only the page is kept in memory.
        concern_page page;
        while (q.step()) {
            auto c = read_concern(q);
            if (keep && !keep(c)) continue;
            if (page.total >= offset && page.items.size() < limit)
                page.items.push_back(std::move(c));
            ++page.total;
        }
        q.reset();
        return page;
    }

    void update_concern(const concern& c) override {
        auto& u = stmt(
            "UPDATE concerns SET status = ?, session_id = ?, session_label = ?, route_reason = ?, "
            "answer = ?, assignee = ?, merged_into = ?, agenda_group = ?, updated_at = ?, "
            "topic = ?, commune_code = ?, commune_name = ?, answers = ?, answered_at = ?, "
            "answered_by = ?, followup = ?, assigned_to = ?, deadline = ?, promise = ?, "
            "followup_result = ?, followup_closed_at = ?, published = ?, raised_at = ?, "
            "raised_by = ?, speaker = ?, speaker_office = ?, audience = ?, office_reminded = ? "
            "WHERE id = ?");
        u.bind(1, c.status).bind(2, c.session_id).bind(3, c.session_label).bind(4, c.route_reason);
        u.bind(5, c.answer).bind(6, c.assignee).bind(7, c.merged_into).bind(8, c.agenda_group);
        u.bind(9, c.updated_at).bind(10, c.topic).bind(11, c.commune_code);
        u.bind(12, c.commune_name).bind(13, c.answers.dump());
        if (c.answered_at)
            u.bind(14, *c.answered_at);
        else
            u.bind_null(14);
        u.bind(15, c.answered_by).bind(16, c.followup).bind(17, c.assigned_to);
        u.bind(18, c.deadline).bind(19, c.promise).bind(20, c.followup_result);
        if (c.followup_closed_at)
            u.bind(21, *c.followup_closed_at);
        else
            u.bind_null(21);
        u.bind(22, c.published);
        if (c.raised_at)
            u.bind(23, *c.raised_at);
        else
            u.bind_null(23);
        u.bind(24, c.raised_by).bind(25, c.speaker).bind(26, c.speaker_office);
        u.bind(27, c.audience).bind(28, c.office_reminded).bind(29, c.id);
        u.run();
    }

    std::map<std::string, std::size_t> count_concerns_by_session() override {
        auto& q = stmt("SELECT session_id, count(*) FROM concerns GROUP BY session_id");
        std::map<std::string, std::size_t> out;
        while (q.step()) out[q.text(0)] = static_cast<std::size_t>(q.i64(1));
        q.reset();
        return out;
    }

    std::vector<session_override> list_session_overrides() override {
        auto& q = stmt(
            "SELECT session_id, status, date, venue, note, updated_at, watch_link, chair "
            "FROM session_overrides ORDER BY session_id");
        std::vector<session_override> out;
        while (q.step())
            out.push_back({q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.time(5),
                           q.text(6), q.text(7)});
        q.reset();
        return out;
    }

    void put_session_override(const session_override& o) override {
        auto& u = stmt(
            "INSERT INTO session_overrides (session_id, status, date, venue, note, updated_at, "
            "watch_link, chair) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (session_id) DO UPDATE SET "
            "status = excluded.status, date = excluded.date, venue = excluded.venue, "
            "note = excluded.note, updated_at = excluded.updated_at, "
            "watch_link = excluded.watch_link, chair = excluded.chair");
        u.bind(1, o.session_id).bind(2, o.status).bind(3, o.date).bind(4, o.venue);
        u.bind(5, o.note).bind(6, o.updated_at).bind(7, o.watch_link).bind(8, o.chair);
        u.run();
    }

    std::vector<to_remind> citizens_to_remind(const std::string& session_id) override {
        auto& q = stmt(
            "SELECT contact_id, ref FROM concerns WHERE session_id = ?1 AND status = 'scheduled' "
            "AND contact_id NOT IN (SELECT contact_id FROM session_reminders WHERE "
            "session_id = ?1) ORDER BY contact_id, id");
        q.bind(1, session_id);
        std::vector<to_remind> out;
        while (q.step()) {
            const auto contact = q.i64(0);
            if (out.empty() || out.back().contact_id != contact) out.push_back({contact, {}});
            out.back().refs.push_back(q.text(1));
        }
        q.reset();
        return out;
    }

    void mark_reminded(const std::string& session_id, const std::vector<std::int64_t>& contact_ids,
                       time_point at) override {
        auto& u = stmt(
            "INSERT INTO session_reminders (session_id, contact_id, sent_at) VALUES (?,?,?) "
            "ON CONFLICT DO NOTHING");
        for (auto id : contact_ids) {
            u.bind(1, session_id).bind(2, id).bind(3, at);
            u.run();
        }
    }

    std::vector<added_session> list_added_sessions() override {
        auto& q = stmt(
            "SELECT id, level, locality, date, venue, audience, topics, title_vi, title_en, "
            "created_by, created_at FROM added_sessions ORDER BY id");
        std::vector<added_session> out;
        while (q.step()) {
            added_session a{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5),
                            {},        q.text(7), q.text(8), q.text(9), q.time(10)};
            a.topics =
                stored<std::vector<std::string>>(q.text(6), "added_sessions", a.id, "topics");
            out.push_back(std::move(a));
        }
        q.reset();
        return out;
    }

    bool add_session(const added_session& a) override {
        auto& ins = stmt(
            "INSERT INTO added_sessions (id, level, locality, date, venue, audience, topics, "
            "title_vi, title_en, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (id) DO NOTHING");
        ins.bind(1, a.id).bind(2, a.level).bind(3, a.locality).bind(4, a.date).bind(5, a.venue);
        ins.bind(6, a.audience).bind(7, nlohmann::json(a.topics).dump()).bind(8, a.title_vi);
        ins.bind(9, a.title_en).bind(10, a.created_by).bind(11, a.created_at);
        return ins.changed() > 0;
    }

    std::vector<agenda_name> list_agenda_names(const std::string& session_id) override {
        auto& q = stmt(
            "SELECT session_id, group_key, name FROM agenda_names WHERE session_id = ? "
            "ORDER BY group_key");
        q.bind(1, session_id);
        std::vector<agenda_name> out;
        while (q.step()) out.push_back({q.text(0), q.text(1), q.text(2)});
        q.reset();
        return out;
    }

    void put_agenda_name(const agenda_name& n) override {
        auto& u = stmt(
            "INSERT INTO agenda_names (session_id, group_key, name) VALUES (?,?,?) "
            "ON CONFLICT (session_id, group_key) DO UPDATE SET name = excluded.name");
        u.bind(1, n.session_id).bind(2, n.group).bind(3, n.name);
        u.run();
    }

    void append_outbox(std::vector<outbox_message>& messages) override {
        step_write s;
        s.outbox = std::move(messages);
        transaction tx(*this);
        write_step(s);
        tx.commit();
        messages = std::move(s.outbox);
    }

    bool erase_contact(std::int64_t contact_id, time_point now) override {
        auto who = find_contact(contact_id);
        if (!who) return false;
        const std::string erased = "erased:" + std::to_string(contact_id);
        transaction tx(*this);
        // Inbound events are JSON: blank what identifies or quotes the citizen, keep the
        // dedup key so a late redelivery is still recognised as a duplicate.
        std::vector<std::pair<std::int64_t, std::string>> events;
        {
            auto& q = stmt("SELECT id, event FROM inbox WHERE channel = ? AND user_id = ?");
            q.bind(1, who->channel).bind(2, who->user_id);
            while (q.step()) events.emplace_back(q.i64(0), q.text(1));
            q.reset();
        }
        for (auto& [id, text] : events) {
            core::inbound_event blank;
            try {
                auto ev = stored<core::inbound_event>(text, "inbox", std::to_string(id), "event");
                blank.dedup_key = ev.dedup_key;
                blank.kind = ev.kind;
            } catch (const corrupt_row&) {
                // Unreadable: blanked all the same (an erasure must not fail on it); only the
                // dedup key, kept in its own column, goes on.
                auto& k = stmt("SELECT dedup_key FROM inbox WHERE id = ?");
                k.bind(1, id);
                if (k.step()) blank.dedup_key = k.text(0);
                k.reset();
            }
            blank.user_id = erased;
            auto& u = stmt("UPDATE inbox SET user_id = ?, event = ? WHERE id = ?");
            u.bind(1, erased).bind(2, nlohmann::json(blank).dump()).bind(3, id);
            u.run();
        }
        auto& c = stmt("UPDATE contacts SET user_id = ?, display_name = '', invite_session = '', invited_at = NULL "
                       "WHERE id = ?");
        c.bind(1, erased).bind(2, contact_id);
        c.run();
        // The photos go with the concerns' media: the kept bytes, and the copies still to make.
        auto& files = stmt(
            "DELETE FROM media_files WHERE copy_id IN (SELECT m.id FROM media_copies m "
            "JOIN concerns k ON k.id = m.concern_id WHERE k.contact_id = ?)");
        files.bind(1, contact_id);
        files.run();
        auto& copies = stmt(
            "DELETE FROM media_copies WHERE concern_id IN "
            "(SELECT id FROM concerns WHERE contact_id = ?)");
        copies.bind(1, contact_id);
        copies.run();
        auto& k = stmt(
            "UPDATE concerns SET phone = '', anonymous = 1, consent = 0, lat = NULL, lon = NULL, "
            "media = '[]', answers = '{}', citizen_name = '', updated_at = ? WHERE contact_id = ?");
        k.bind(1, now).bind(2, contact_id);
        k.run();
        auto& t = stmt(
            "DELETE FROM timers WHERE conversation_key IN "
            "(SELECT key FROM conversations WHERE contact_id = ?)");
        t.bind(1, contact_id);
        t.run();
        auto& v = stmt(
            "UPDATE conversations SET state = '{}', active = 0, updated_at = ?, "
            "outcome = CASE WHEN active = 1 THEN 'cancelled' ELSE outcome END "
            "WHERE contact_id = ?");
        v.bind(1, now).bind(2, contact_id);
        v.run();
        // A message the sender has in flight (claimed) stays, blanked below, for its outcome
        // to be recorded on: deleted, its id could go to the next message queued (SQLite
        // reuses the highest rowid), which that outcome would then mark sent unsent (the
        // confirmation of this very erasure, once, under load).
        auto& d = stmt(
            "DELETE FROM outbox WHERE contact_id = ? AND status = 'pending' AND claimed_at IS NULL");
        d.bind(1, contact_id);
        d.run();
        auto& perms = stmt("DELETE FROM contact_permissions WHERE contact_id = ?");
        perms.bind(1, contact_id);
        perms.run();
        // A hand-off keeps that it happened (the dashboard counts it), not what was said.
        auto& said = stmt(
            "DELETE FROM handoff_messages WHERE handoff_id IN "
            "(SELECT id FROM handoffs WHERE contact_id = ?)");
        said.bind(1, contact_id);
        said.run();
        auto& ho = stmt(
            "UPDATE handoffs SET status = 'closed', closed_at = coalesce(closed_at, ?1), "
            "closed_by = CASE WHEN status = 'open' THEN 'erased' ELSE closed_by END, "
            "commune_name = '', updated_at = ?1 WHERE contact_id = ?2");
        ho.bind(1, now).bind(2, contact_id);
        ho.run();
        auto& o = stmt(
            "UPDATE outbox SET user_id = ?, payload = '{\"text\":\"\"}' WHERE contact_id = ?");
        o.bind(1, erased).bind(2, contact_id);
        o.run();
        tx.commit();
        return true;
    }

    std::size_t forget_erased_messages(time_point before) override {
        auto& u = stmt(
            "UPDATE outbox SET user_id = 'erased:' || contact_id, payload = '{\"text\":\"\"}' "
            "WHERE status IN ('sent', 'failed') AND created_at < ? AND user_id NOT LIKE 'erased:%' "
            "AND contact_id IN (SELECT id FROM contacts WHERE user_id LIKE 'erased:%')");
        u.bind(1, before);
        return static_cast<std::size_t>(u.changed());
    }

    std::vector<std::int64_t> contacts_past_retention(time_point cutoff, std::size_t limit) override {
        auto& q = stmt(
            "SELECT c.id FROM contacts c WHERE c.user_id NOT LIKE 'erased:%' "
            "AND c.last_inbound_at < ?1 AND NOT EXISTS (SELECT 1 FROM concerns k "
            "WHERE k.contact_id = c.id AND (k.status NOT IN "
            "('answered', 'forwarded', 'withdrawn', 'merged') OR k.updated_at >= ?1)) "
            "ORDER BY c.id LIMIT ?2");
        q.bind(1, cutoff).bind(2, static_cast<std::int64_t>(limit));
        std::vector<std::int64_t> out;
        while (q.step()) out.push_back(q.i64(0));
        q.reset();
        return out;
    }

    // ----- flows edited by admins ------------------------------------------------------------

    void save_flow_draft(const flow_version& d) override {
        auto& up = stmt(
            "INSERT INTO flow_versions (flow_id, version, document, status, author, created_at, "
            "updated_at) VALUES (?1, 0, ?2, 'draft', ?3, ?4, ?4) ON CONFLICT (flow_id, version) "
            "DO UPDATE SET document = excluded.document, author = excluded.author, "
            "updated_at = excluded.updated_at");
        up.bind(1, d.flow_id).bind(2, d.document).bind(3, d.author).bind(4, d.updated_at);
        up.run();
    }

    std::optional<flow_version> find_flow_draft(const std::string& flow_id) override {
        auto& q = stmt(std::string(flow_version_select) + " WHERE flow_id = ? AND version = 0");
        q.bind(1, flow_id);
        auto rows = read_flow_versions(q);
        if (rows.empty()) return std::nullopt;
        return rows.front();
    }

    std::vector<std::string> media_in_use(const std::vector<std::string>& media) override {
        const std::set<std::string> wanted(media.begin(), media.end());
        std::set<std::string> used;
        if (wanted.empty()) return {};
        auto& filed = stmt(pick(
            "SELECT DISTINCT j.value FROM concerns, json_each(concerns.media) AS j "
            "WHERE concerns.media <> '[]' AND j.type = 'text'",
            "SELECT DISTINCT j #>> '{}' FROM concerns, jsonb_array_elements(CASE WHEN "
            "jsonb_typeof(concerns.media::jsonb) = 'array' THEN concerns.media::jsonb ELSE "
            "'[]'::jsonb END) AS j WHERE concerns.media <> '[]' AND jsonb_typeof(j) = 'string'"));
        while (filed.step())
            if (auto id = filed.text(0); wanted.contains(id)) used.insert(std::move(id));
        filed.reset();
        // A conversation's answers and an event are documents of their own shapes: an id is
        // looked for in their text (ids are content hashes, so a match is no accident).
        auto& open = stmt(
            "SELECT state FROM conversations WHERE active = 1 "
            "UNION ALL SELECT event FROM inbox WHERE status = 'pending'");
        while (open.step() && used.size() < wanted.size()) {
            const std::string text = open.text(0);
            for (const auto& id : wanted)
                if (!used.contains(id) && text.find(id) != std::string::npos) used.insert(id);
        }
        open.reset();
        return {used.begin(), used.end()};
    }

    // ----- photos kept by the gateway ----------------------------------------------------------

    std::vector<media_copy> claim_media_copies(time_point now, time_point lease_until,
                                               std::size_t limit) override {
        transaction tx(*this);
        auto& q = stmt(std::string(media_copy_select) +
                       " WHERE status = 'pending' AND next_attempt_at <= ? "
                       "ORDER BY next_attempt_at, id LIMIT ?");
        q.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
        auto out = read_media_copies(q);
        auto& lease = stmt("UPDATE media_copies SET next_attempt_at = ? WHERE id = ?");
        for (auto& c : out) {
            lease.bind(1, lease_until).bind(2, c.id);
            lease.run();
            c.next_attempt_at = lease_until;
        }
        tx.commit();
        return out;
    }

    bool keep_media_copy(std::int64_t copy_id, const media_file& file) override {
        transaction tx(*this);
        auto& u = stmt(
            "UPDATE media_copies SET status = 'kept', reason = '', updated_at = ? "
            "WHERE id = ? AND status = 'pending'");
        u.bind(1, file.created_at).bind(2, copy_id);
        if (u.changed() == 0) return false;  // rolled back: nothing changed
        auto& ins = stmt(
            "INSERT INTO media_files (copy_id, content_type, size, sha256, bytes, created_at) "
            "VALUES (?,?,?,?,?,?)");
        ins.bind(1, copy_id).bind(2, file.content_type);
        ins.bind(3, static_cast<std::int64_t>(file.bytes.size())).bind(4, file.sha256);
        ins.bind_blob(5, file.bytes);
        ins.bind(6, file.created_at);
        ins.run();
        tx.commit();
        return true;
    }

    void retry_media_copy(std::int64_t copy_id, int attempts, time_point next_attempt_at,
                          const std::string& reason, time_point at) override {
        auto& u = stmt(
            "UPDATE media_copies SET attempts = ?, next_attempt_at = ?, reason = ?, "
            "updated_at = ? WHERE id = ? AND status = 'pending'");
        u.bind(1, attempts).bind(2, next_attempt_at).bind(3, reason).bind(4, at).bind(5, copy_id);
        u.run();
    }

    void end_media_copy(std::int64_t copy_id, media_copy_status status, const std::string& reason,
                        time_point at) override {
        if (status == media_copy_status::pending || status == media_copy_status::kept)
            throw std::logic_error("end_media_copy ends a copy as refused or failed");
        auto& u = stmt(
            "UPDATE media_copies SET status = ?, reason = ?, updated_at = ? "
            "WHERE id = ? AND status = 'pending'");
        u.bind(1, to_string(status)).bind(2, reason).bind(3, at).bind(4, copy_id);
        u.run();
    }

    std::vector<media_copy> media_copies_of(std::int64_t concern_id) override {
        auto& q = stmt(std::string(media_copy_select) + " WHERE concern_id = ? ORDER BY idx");
        q.bind(1, concern_id);
        return read_media_copies(q);
    }

    std::optional<media_file> find_media_file(std::int64_t copy_id) override {
        return first_media_file(
            stmt("SELECT content_type, bytes, sha256, created_at FROM media_files WHERE copy_id = ?"), copy_id);
    }

    bool publish_media(std::int64_t concern_id, std::size_t index, bool published) override {
        auto& u = stmt(
            "UPDATE media_copies SET published = ? WHERE concern_id = ? AND idx = ? "
            "AND status = 'kept'");
        u.bind(1, published).bind(2, concern_id).bind(3, static_cast<std::int64_t>(index));
        return u.changed() > 0;
    }

    std::optional<media_file> find_published_media(std::int64_t copy_id) override {
        return first_media_file(
            stmt("SELECT f.content_type, f.bytes, f.sha256, f.created_at FROM media_files f "
                 "JOIN media_copies m ON m.id = f.copy_id JOIN concerns c ON c.id = m.concern_id "
                 "WHERE f.copy_id = ? AND m.status = 'kept' AND m.published = 1 AND c.published = 1"),
            copy_id);
    }

    // The file a query of (content_type, bytes, sha256, created_at) by copy id finds, if any.
    static std::optional<media_file> first_media_file(sql::statement& q, std::int64_t copy_id) {
        q.bind(1, copy_id);
        std::optional<media_file> out;
        if (q.step()) out = media_file{q.text(0), q.blob(1), q.text(2), q.time(3)};
        q.reset();
        return out;
    }

    std::size_t media_copies_pending() override {
        return static_cast<std::size_t>(
            scalar("SELECT count(*) FROM media_copies WHERE status = 'pending'"));
    }

    std::vector<flow_version> list_flow_drafts() override {
        auto& q = stmt(std::string(flow_version_select) + " WHERE version = 0 ORDER BY flow_id");
        return read_flow_versions(q);
    }

    void delete_flow_draft(const std::string& flow_id) override {
        auto& d = stmt("DELETE FROM flow_versions WHERE flow_id = ? AND version = 0");
        d.bind(1, flow_id);
        d.run();
    }

    bool add_flow_version(const flow_version& v) override {
        auto& ins = stmt(
            "INSERT INTO flow_versions (flow_id, version, document, status, author, created_at, "
            "updated_at) VALUES (?,?,?,'published',?,?,?) ON CONFLICT (flow_id, version) DO NOTHING");
        ins.bind(1, v.flow_id).bind(2, v.version).bind(3, v.document).bind(4, v.author);
        ins.bind(5, v.created_at).bind(6, v.updated_at);
        return ins.changed() > 0;
    }

    std::vector<flow_version> list_flow_versions(const std::string& flow_id) override {
        auto& q = stmt(std::string(flow_version_select) +
                       " WHERE (?1 = '' OR flow_id = ?1) AND version > 0 ORDER BY flow_id, version");
        q.bind(1, flow_id);
        return read_flow_versions(q);
    }

    int max_flow_version(const std::string& flow_id) override {
        auto& q = stmt("SELECT coalesce(max(version), 0) FROM flow_versions WHERE flow_id = ?");
        q.bind(1, flow_id);
        int v = q.step() ? static_cast<int>(q.i64(0)) : 0;
        q.reset();
        return v;
    }

    std::vector<node_count> list_node_counts(const std::string& flow_id, int version) override {
        auto& q = stmt(
            "SELECT flow_id, version, node, reached, left_count FROM flow_node_counts "
            "WHERE flow_id = ? AND version = ? ORDER BY node");
        q.bind(1, flow_id).bind(2, version);
        std::vector<node_count> out;
        while (q.step())
            out.push_back({q.text(0), static_cast<int>(q.i64(1)), q.text(2), q.i64(3), q.i64(4)});
        q.reset();
        return out;
    }

    std::string keep_secret(const std::string& name, const std::string& fresh) override {
        auto& put = stmt(
            "INSERT INTO gateway_secrets (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO NOTHING");
        put.bind(1, name).bind(2, fresh);
        put.run();
        auto& q = stmt("SELECT value FROM gateway_secrets WHERE name = ?");
        q.bind(1, name);
        std::string value = q.step() ? q.text(0) : fresh;
        q.reset();
        return value;
    }

    // ----- hand-offs ----------------------------------------------------------------------

    std::vector<handoff> list_handoffs(const std::string& status, std::size_t limit) override {
        auto& q = stmt(std::string(handoff_select) +
                       ", (SELECT count(*) FROM handoff_messages m WHERE m.handoff_id = h.id), "
                       "coalesce((SELECT m.text FROM handoff_messages m WHERE m.handoff_id = h.id "
                       "ORDER BY m.id DESC LIMIT 1), '') FROM handoffs h LEFT JOIN contacts c ON "
                       "c.id = h.contact_id WHERE ?1 = '' OR h.status = ?1 "
                       "ORDER BY h.updated_at DESC, h.id DESC LIMIT ?2");
        q.bind(1, status).bind(2, static_cast<std::int64_t>(limit));
        std::vector<handoff> out;
        while (q.step()) {
            out.push_back(read_handoff(q));
            out.back().message_count = static_cast<std::size_t>(q.i64(17));
            out.back().last_text = q.text(18);
        }
        q.reset();
        return out;
    }

    std::optional<handoff> find_handoff(std::int64_t id) override {
        auto& q = stmt(std::string(handoff_select) +
                       " FROM handoffs h LEFT JOIN contacts c ON c.id = h.contact_id WHERE h.id = ?");
        q.bind(1, id);
        std::optional<handoff> h;
        if (q.step()) h = read_handoff(q);
        q.reset();
        if (!h) return h;
        auto& m = stmt(
            "SELECT id, author, by_name, text, at FROM handoff_messages WHERE handoff_id = ? "
            "ORDER BY id");
        m.bind(1, id);
        while (m.step()) h->messages.push_back({m.i64(0), m.text(1), m.text(2), m.text(3), m.time(4)});
        m.reset();
        h->message_count = h->messages.size();
        return h;
    }

    bool mark_handoff_seen(std::int64_t id, const std::string& by, time_point at) override {
        auto& u = stmt("UPDATE handoffs SET seen_at = ?, seen_by = ? WHERE id = ? AND seen_at IS NULL");
        u.bind(1, at).bind(2, by).bind(3, id);
        return u.changed() == 1;
    }

    bool reply_to_handoff(std::int64_t id, const std::string& by, const std::string& text,
                          outbox_message& message) override {
        transaction tx(*this);
        auto& u = stmt("UPDATE handoffs SET updated_at = ? WHERE id = ? AND status = 'open'");
        u.bind(1, message.created_at).bind(2, id);
        if (u.changed() != 1) return false;
        add_handoff_message(id, "official", by, text, message.created_at);
        step_write s;
        s.outbox.push_back(message);
        write_step(s);
        tx.commit();
        message = std::move(s.outbox.front());
        return true;
    }

    bool close_handoff(std::int64_t id, const std::string& by, const std::string& concern_ref,
                       time_point at) override {
        auto& u = stmt(
            "UPDATE handoffs SET status = 'closed', closed_at = ?1, closed_by = ?2, "
            "concern_ref = ?3, updated_at = ?1 WHERE id = ?4 AND status = 'open'");
        u.bind(1, at).bind(2, by).bind(3, concern_ref).bind(4, id);
        return u.changed() == 1;
    }

    bool healthy() override {
        try {
            return db_->healthy();
        } catch (const unavailable&) {
            return false;
        }
    }

private:
    static constexpr const char* concern_select =
        "SELECT id, ref, contact_id, channel, conversation_key, topic, commune_code, commune_name, "
        "text, media, lat, lon, phone, anonymous, consent, urgent, status, session_id, "
        "session_label, route_reason, answer, answers, created_at, updated_at, assignee, "
        "merged_into, agenda_group, answered_at, answered_by, source, citizen_name, verdict, "
        "verdict_reason, verdict_at, follows, followup, assigned_to, deadline, promise, "
        "followup_result, followup_closed_at, published, raised_at, raised_by, speaker, "
        "speaker_office, audience, office_reminded FROM concerns";
    static constexpr const char* media_copy_select =
        "SELECT id, concern_id, idx, channel, media_id, status, attempts, reason, "
        "next_attempt_at, updated_at, published FROM media_copies";
    static constexpr const char* flow_version_select =
        "SELECT flow_id, version, document, status, author, created_at, updated_at "
        "FROM flow_versions";
    static constexpr const char* user_select =
        "SELECT id, name, role, scope, password_hash, disabled, must_change_password, created_at, "
        "updated_at, office, phone FROM users";
    static constexpr const char* handoff_select =
        "SELECT h.id, h.contact_id, h.channel, coalesce(c.display_name, ''), h.reason, h.lang, "
        "h.topic, h.commune_code, h.commune_name, h.status, h.created_at, h.updated_at, "
        "h.seen_at, h.seen_by, h.closed_at, h.closed_by, h.concern_ref";

    static handoff read_handoff(sql::statement& q) {
        handoff h;
        h.id = q.i64(0);
        h.contact_id = q.i64(1);
        h.channel = q.text(2);
        h.display_name = q.text(3);
        h.reason = q.text(4);
        h.lang = q.text(5);
        h.topic = q.text(6);
        h.commune_code = q.text(7);
        h.commune_name = q.text(8);
        h.status = q.text(9);
        h.created_at = q.time(10);
        h.updated_at = q.time(11);
        if (!q.is_null(12)) h.seen_at = q.time(12);
        h.seen_by = q.text(13);
        if (!q.is_null(14)) h.closed_at = q.time(14);
        h.closed_by = q.text(15);
        h.concern_ref = q.text(16);
        return h;
    }

    void add_handoff_message(std::int64_t id, const char* author, const std::string& by,
                             const std::string& text, time_point at) {
        auto& ins = stmt(
            "INSERT INTO handoff_messages (handoff_id, author, by_name, text, at) VALUES (?,?,?,?,?)");
        ins.bind(1, id).bind(2, std::string(author)).bind(3, by).bind(4, text).bind(5, at);
        ins.run();
    }

    // The bot gave up: the contact's open hand-off, or a new one with what the conversation
    // had gathered; then whatever the citizen wrote joins their open hand-off, if they have one.
    void write_handoff(const handoff_note& n, time_point at) {
        if (n.opens) {
            auto& ins = db_->insert(
                "INSERT INTO handoffs (contact_id, channel, reason, lang, topic, commune_code, "
                "commune_name, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT DO NOTHING");
            ins.bind(1, n.contact_id).bind(2, n.channel).bind(3, n.reason).bind(4, n.lang);
            ins.bind(5, n.topic).bind(6, n.commune_code).bind(7, n.commune_name).bind(8, at);
            ins.bind(9, at);
            const auto opened = ins.inserted();
            if (opened != 0 && !n.said.empty() && n.said != n.wrote)
                add_handoff_message(opened, "citizen", "", n.said, at);
        }
        if (n.wrote.empty()) return;
        auto& add = stmt(
            "INSERT INTO handoff_messages (handoff_id, author, text, at) SELECT id, 'citizen', ?1, "
            "?2 FROM handoffs WHERE contact_id = ?3 AND status = 'open'");
        add.bind(1, n.wrote).bind(2, at).bind(3, n.contact_id);
        if (add.changed() == 0) return;
        auto& touch = stmt("UPDATE handoffs SET updated_at = ?1 WHERE contact_id = ?2 AND status = 'open'");
        touch.bind(1, at).bind(2, n.contact_id);
        touch.run();
    }

    static constexpr const char* outbox_columns =
        "SELECT o.id, o.channel, o.user_id, o.contact_id, o.kind, o.payload, o.status, o.attempts, "
        "o.next_attempt_at, o.last_error, o.inbox_id, o.created_at, o.sent_at, o.in_doubt, "
        "c.last_inbound_at, o.path, o.held_at, o.notice_id, o.session_id ";
    static constexpr const char* outbox_join = " LEFT JOIN contacts c ON c.id = o.contact_id";
    static inline const std::string outbox_select =
        std::string(outbox_columns) + "FROM outbox o" + outbox_join;

    // Inside an open transaction a savepoint is used instead, so a step can fail alone within
    // a worker batch.
    class transaction {
    public:
        explicit transaction(sql_store& s) : db_(*s.db_), nested_(db_.in_transaction()) {
            nested_ ? db_.savepoint() : db_.begin();
        }
        void commit() {
            nested_ ? db_.release() : db_.commit();
            done_ = true;
        }
        ~transaction() {
            if (done_) return;
            nested_ ? db_.rollback_to() : db_.rollback();
        }
        transaction(const transaction&) = delete;
        transaction& operator=(const transaction&) = delete;

    private:
        sql::connection& db_;
        bool nested_;
        bool done_ = false;
    };

    std::int64_t scalar(std::string_view sql) {
        auto& q = stmt(sql);
        std::int64_t v = q.step() ? q.i64(0) : 0;
        q.reset();
        return v;
    }

    sql::statement& stmt(std::string_view sql) { return db_->stmt(sql); }

    // The SQL for this database: most queries are one text for both; these differ.
    const char* pick(const char* sqlite, const char* postgres) const {
        return lite_ ? sqlite : postgres;
    }

    // `held`: some message may be held; false skips the releases (nothing to release).
    void write_step(step_write& s, bool held = true) {
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
            up.run();
        }
        for (auto& c : s.concerns) {
            auto& ins = db_->insert(
                "INSERT INTO concerns (ref, contact_id, channel, conversation_key, topic, "
                "commune_code, commune_name, text, media, lat, lon, phone, anonymous, consent, "
                "urgent, status, session_id, session_label, route_reason, answer, answers, "
                "created_at, updated_at, source, citizen_name, follows, raised_at, raised_by, "
                "audience) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
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
            c.id = ins.inserted();
            if (c.copy_media) queue_media_copies(c);
        }
        for (auto& m : s.outbox) {
            // Replies, the bulk, leave the notice columns to their defaults.
            const bool notice = !m.notice_id.empty() || !m.session_id.empty();
            auto& ins = db_->insert(
                notice ? "INSERT INTO outbox (channel, user_id, contact_id, kind, payload, status, "
                         "attempts, next_attempt_at, last_error, inbox_id, created_at, notice_id, "
                         "session_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
                       : "INSERT INTO outbox (channel, user_id, contact_id, kind, payload, status, "
                         "attempts, next_attempt_at, last_error, inbox_id, created_at) "
                         "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
            ins.bind(1, m.channel).bind(2, m.user_id).bind(3, m.contact_id).bind(4, m.kind);
            ins.bind(5, m.payload.dump()).bind(6, m.status).bind(7, m.attempts);
            ins.bind(8, m.next_attempt_at).bind(9, m.last_error).bind(10, m.inbox_id);
            ins.bind(11, m.created_at);
            if (notice) ins.bind(12, m.notice_id).bind(13, m.session_id);
            m.id = ins.inserted();
        }
        for (const auto& key : s.timers_reset_for) {
            auto& del = stmt("DELETE FROM timers WHERE conversation_key = ?");
            del.bind(1, key);
            del.run();
        }
        for (auto& t : s.timers) {
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
            u.run();
        }
        if (s.handoff) write_handoff(*s.handoff, s.at);
        // The citizen's verdict, with its line in the concern's history (once: a second is
        // refused by record_verdict).
        if (s.invite) {
            auto& u = stmt("UPDATE contacts SET invite_session = ?, invited_at = ? WHERE id = ?");
            u.bind(1, s.invite->session).bind(2, s.at).bind(3, s.invite->contact_id);
            u.run();
        }
        if (s.verdict && record_verdict(s.verdict->ref, s.verdict->verdict, s.verdict->reason, s.at))
            append_audit({0, s.at, "citizen", "concern.verdict", "concern:" + s.verdict->ref, "",
                          nlohmann::json{{"verdict", s.verdict->verdict}, {"reason", s.verdict->reason}}.dump()});
        if (s.timer_id != 0) {
            auto& del = stmt("DELETE FROM timers WHERE id = ?");
            del.bind(1, s.timer_id);
            del.run();
        }
        if (s.inbox_id != 0) {
            auto& done = stmt(
                "UPDATE inbox SET status = ?, error = ?, processed_at = ? WHERE id = ? AND "
                "status = 'pending'");
            auto now = std::chrono::system_clock::now();
            done.bind(1, s.inbox_error.empty() ? "done" : "failed").bind(2, s.inbox_error);
            done.bind(3, now).bind(4, s.inbox_id);
            done.run();
        }
    }

    void queue_media_copies(const concern& c) {
        if (!c.media.is_array()) return;
        auto& ins = stmt(
            "INSERT INTO media_copies (concern_id, idx, channel, media_id, next_attempt_at, "
            "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5)");
        for (std::size_t i = 0; i < c.media.size(); ++i) {
            if (!c.media[i].is_string()) continue;
            ins.bind(1, c.id).bind(2, static_cast<std::int64_t>(i)).bind(3, c.channel);
            ins.bind(4, c.media[i].get_ref<const std::string&>()).bind(5, c.created_at);
            ins.run();
        }
    }

    void write_permission(const permission_change& c, time_point at) {
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

    void write_token(const channel_token& t) {
        auto& up = stmt(
            "INSERT INTO channel_tokens (channel, access_token, refresh_token, expires_at, "
            "updated_at, seed) VALUES (?,?,?,?,?,?) ON CONFLICT (channel) DO UPDATE SET "
            "access_token = excluded.access_token, refresh_token = excluded.refresh_token, "
            "expires_at = excluded.expires_at, updated_at = excluded.updated_at, "
            "seed = excluded.seed");
        up.bind(1, t.channel).bind(2, t.access_token).bind(3, t.refresh_token);
        if (t.expires_at)
            up.bind(4, *t.expires_at);
        else
            up.bind_null(4);
        up.bind(5, t.updated_at).bind(6, t.seed);
        up.run();
    }

    // The rows of an inbox query. A row that cannot be read is left out and, when
    // `unreadable` is given, listed there with the reason.
    std::vector<inbox_row> read_inbox(
        sql::statement& q, std::vector<std::pair<std::int64_t, std::string>>* unreadable = nullptr) {
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

    static std::vector<media_copy> read_media_copies(sql::statement& q) {
        std::vector<media_copy> out;
        while (q.step()) {
            media_copy c;
            c.id = q.i64(0);
            c.concern_id = q.i64(1);
            c.index = static_cast<std::size_t>(q.i64(2));
            c.channel = q.text(3);
            c.media_id = q.text(4);
            const auto status = q.text(5);
            for (auto s : {media_copy_status::pending, media_copy_status::kept,
                           media_copy_status::refused, media_copy_status::failed})
                if (status == to_string(s)) c.status = s;
            c.attempts = static_cast<int>(q.i64(6));
            c.reason = q.text(7);
            c.next_attempt_at = q.time(8);
            c.updated_at = q.time(9);
            c.published = q.boolean(10);
            out.push_back(std::move(c));
        }
        q.reset();
        return out;
    }

    static std::vector<flow_version> read_flow_versions(sql::statement& q) {
        std::vector<flow_version> out;
        while (q.step())
            out.push_back({q.text(0), static_cast<int>(q.i64(1)), q.text(2), q.text(3), q.text(4),
                           q.time(5), q.time(6)});
        q.reset();
        return out;
    }

    std::optional<contact> read_contact(sql::statement& q) {
        std::optional<contact> out;
        if (q.step()) {
            out = contact{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.time(5), q.time(6)};
            // find_contact reads the invitation too; the worker's per-event upsert does not
            // (it is read when a concern is filed).
            if (q.columns() > 7) {
                out->invite = q.text(7);
                if (!q.is_null(8)) out->invited_at = q.time(8);
            }
        }
        q.reset();
        return out;
    }

    enum class payload_as { json, text };  // read JSON columns parsed, or as text for the caller

    std::optional<conversation> find_active(std::int64_t contact_id, payload_as as) {
        auto& q = stmt(
            "SELECT key, contact_id, flow_id, flow_version, state, active, outcome, started_at, "
            "updated_at FROM conversations WHERE contact_id = ? AND active = 1");
        q.bind(1, contact_id);
        return read_conversation(q, as);
    }

    std::optional<conversation> read_conversation(sql::statement& q, payload_as as = payload_as::json) {
        std::optional<conversation> out;
        if (q.step()) {
            conversation c;
            c.key = q.text(0);
            c.contact_id = q.i64(1);
            c.flow_id = q.text(2);
            c.flow_version = static_cast<int>(q.i64(3));
            if (as == payload_as::text)
                c.state_text = q.text(4);
            else
                c.state = stored(q.text(4), "conversations", c.key, "state");
            c.active = q.boolean(5);
            c.outcome = q.text(6);
            c.started_at = q.time(7);
            c.updated_at = q.time(8);
            out = std::move(c);
        }
        q.reset();
        return out;
    }

    static concern read_concern(sql::statement& q) {
        concern c;
        c.id = q.i64(0);
        c.ref = q.text(1);
        c.contact_id = q.i64(2);
        c.channel = q.text(3);
        c.conversation_key = q.text(4);
        c.topic = q.text(5);
        c.commune_code = q.text(6);
        c.commune_name = q.text(7);
        c.text = q.text(8);
        c.media = stored(q.text(9), "concerns", c.ref, "media");
        if (!q.is_null(10)) c.lat = q.real(10);
        if (!q.is_null(11)) c.lon = q.real(11);
        c.phone = q.text(12);
        c.anonymous = q.boolean(13);
        c.consent = q.boolean(14);
        c.urgent = q.boolean(15);
        c.status = q.text(16);
        c.session_id = q.text(17);
        c.session_label = q.text(18);
        c.route_reason = q.text(19);
        c.answer = q.text(20);
        c.answers = stored(q.text(21), "concerns", c.ref, "answers");
        c.created_at = q.time(22);
        c.updated_at = q.time(23);
        c.assignee = q.text(24);
        c.merged_into = q.text(25);
        c.agenda_group = q.text(26);
        if (!q.is_null(27)) c.answered_at = q.time(27);
        c.answered_by = q.text(28);
        c.source = q.text(29);
        c.citizen_name = q.text(30);
        c.verdict = q.text(31);
        c.verdict_reason = q.text(32);
        if (!q.is_null(33)) c.verdict_at = q.time(33);
        c.follows = q.text(34);
        c.followup = q.text(35);
        c.assigned_to = q.text(36);
        c.deadline = q.text(37);
        c.promise = q.text(38);
        c.followup_result = q.text(39);
        if (!q.is_null(40)) c.followup_closed_at = q.time(40);
        c.published = q.boolean(41);
        if (!q.is_null(42)) c.raised_at = q.time(42);
        c.raised_by = q.text(43);
        c.speaker = q.text(44);
        c.speaker_office = q.text(45);
        c.audience = q.text(46);
        c.office_reminded = q.text(47);
        return c;
    }

    static user read_user(sql::statement& q) {
        user u;
        u.id = q.i64(0);
        u.name = q.text(1);
        u.role = q.text(2);
        u.scope = stored<std::vector<std::string>>(q.text(3), "users", u.name, "scope");
        u.password_hash = q.text(4);
        u.disabled = q.boolean(5);
        u.must_change_password = q.boolean(6);
        u.created_at = q.time(7);
        u.updated_at = q.time(8);
        u.office = q.text(9);
        u.phone = q.text(10);
        return u;
    }

    std::optional<user> first_user(sql::statement& q) {
        std::optional<user> out;
        if (q.step()) out = read_user(q);
        q.reset();
        return out;
    }

    static outbox_message read_outbox(sql::statement& q, payload_as as = payload_as::json) {
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

    std::unique_ptr<sql::connection> db_;
    bool lite_;  // SQLite (else PostgreSQL): see pick
};

}  // namespace

std::unique_ptr<store> make_sql_store(std::unique_ptr<sql::connection> db) {
    return std::make_unique<sql_store>(std::move(db));
}

}  // namespace dgw::store
