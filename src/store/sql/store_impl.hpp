#pragma once
// The store's roles written once in SQL for SQLite and PostgreSQL (db.hpp): the class, declared
// here by role; its methods defined one file per role (queue.cpp, message_log.cpp,
// contacts.cpp, concerns.cpp, handoffs.cpp, accounts.cpp, privacy.cpp, media.cpp, flows.cpp,
// secrets.cpp, api_keys.cpp), and transactions and the statements' cache in sql_store.cpp.
// Private to the store module.

#include "store/sql/db.hpp"

#include <dgw/core/json_reader.hpp>
#include <dgw/store/store.hpp>

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dgw::store::sql {

// PostgreSQL: the 64-bit advisory lock key of a pair of texts (two SQL expressions), where
// gateways sharing the database take turns: a contact while one works on its events and
// timers (channel, user), a client address while its login attempts are counted. Two pairs
// sharing a key only wait for each other.
#define DGW_LOCK_KEY(first, second) "hashtextextended(" first " || chr(31) || " second ", 0)"

// A conversation's columns, in the order sql_store::conversation_at reads them.
#define DGW_CONVERSATION_COLUMNS \
    "key, contact_id, flow_id, flow_version, state, active, outcome, started_at, updated_at"

// A PostgreSQL array literal of integers ("{1,2,3}": ids, or times in ms), bound as text and
// cast in the query.
inline std::string int_array(const std::vector<std::int64_t>& values) {
    std::string out = "{";
    for (auto v : values) out += (out.size() > 1 ? "," : "") + std::to_string(v);
    return out + "}";
}

// Text as PostgreSQL's text type can hold it: no NUL character (a value bound alone was cut
// there; inside a JSON document, "\u0000" fails the whole statement, and with it every row
// it carries). Dropped.
inline std::string without_nul(std::string_view s) {
    std::string out(s);
    std::erase(out, '\0');
    return out;
}

// A JSON column of a stored row, parsed; or corrupt_row saying where and what. The text is
// parsed without exceptions (core::parse_json), and a value of the wrong shape is reported
// with the row rather than as a bare nlohmann error nobody can place.
template <class T = nlohmann::json>
inline T stored(std::string_view text, const char* table, std::string_view row, const char* column) {
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

class sql_store final : public store {
public:
    explicit sql_store(std::unique_ptr<sql::connection> db)
        : db_(std::move(db)), lite_(db_->dialect() == sql::dialect::sqlite) {}

    // ----- queue (queue.hpp: the inbox, steps, timers, the outbox)

    void set_claimant(claimant who) override {
        claimant_ = std::move(who);
        // Gateways sharing a database add to counters of their own (summed when read), so
        // their worker batches do not wait for one another on the same counter rows.
        std::uint32_t h = 2166136261u;  // FNV-1a
        for (char ch : claimant_.owner) h = (h ^ static_cast<unsigned char>(ch)) * 16777619u;
        counter_shard_ = claimant_.owner.empty() ? 0 : static_cast<int>(h % 64);
    }
    append_result append_inbox(const std::vector<inbox_item>& items) override;
    std::vector<inbox_row> pending_inbox(std::size_t limit) override;
    std::size_t inbox_backlog() override;
    void commit_steps(std::vector<step_write>& steps) override;
    std::vector<timer> due_timers(time_point now, std::size_t limit) override;
    std::vector<outbox_message> sendable_outbox(time_point now, std::size_t limit,
                                                const std::vector<std::int64_t>& busy) override;
    std::vector<std::int64_t> claim_outbox(const std::vector<std::int64_t>& ids,
                                           time_point at) override;
    std::size_t release_claims() override;
    void record_sends(const std::vector<send_result>& results) override;
    void mark_sent(std::int64_t id, time_point at) override;
    void mark_failed(std::int64_t id, const std::string& reason, time_point at) override;
    void reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                    const std::string& last_error) override;
    std::size_t outbox_pending() override;
    std::size_t outbox_held() override;
    contact_reach reach_of(std::int64_t contact_id) override;
    std::vector<outbox_message> outbox_after(const std::string& channel, const std::string& user_id,
                                             std::int64_t after_id, std::size_t limit) override;
    void append_outbox(std::vector<outbox_message>& messages) override;
    std::size_t gateways_alive(const std::string& id, time_point now, time_point since) override;

    // ----- message log (message_log.hpp)

    std::vector<outbox_message> list_notices(const std::string& session_id) override;
    std::vector<outbox_message> list_outbox(const outbox_filter& f) override;
    std::vector<inbox_row> list_inbox(std::optional<std::int64_t> contact_id,
                                      std::size_t limit) override;

    // ----- contacts (contacts.hpp)

    contact upsert_contact(const std::string& channel, const std::string& user_id,
                           const std::string& display_name, const std::string& language,
                           time_point now) override;
    std::vector<contact> upsert_contacts(const std::vector<contact_seen>& seen,
                                         time_point now) override;
    contact ensure_contact(const std::string& channel, const std::string& user_id,
                           time_point now) override;
    std::optional<contact> find_contact(std::int64_t id) override;
    std::optional<conversation> active_conversation(std::int64_t contact_id) override;
    std::optional<conversation> active_conversation_text(std::int64_t contact_id) override;
    std::map<std::int64_t, conversation> active_conversations_text(
        const std::vector<std::int64_t>& contact_ids) override;
    std::optional<conversation> find_conversation(const std::string& key) override;

    // ----- concerns (concerns.hpp)

    bool concern_ref_exists(const std::string& ref) override;
    std::optional<concern> find_concern(const std::string& ref) override;
    std::vector<concern> overdue_followups(const std::string& before_day) override;
    std::optional<concern> awaiting_verdict(std::int64_t contact_id, time_point since) override;
    bool record_verdict(const std::string& ref, const std::string& verdict,
                        const std::string& reason, time_point at) override;
    std::vector<concern> list_concerns(const std::string& session_id, std::size_t limit) override;
    concern_page search_concerns(const concern_filter& f,
                                 const std::function<bool(const concern&)>& keep,
                                 std::size_t offset, std::size_t limit) override;
    void update_concern(const concern& c) override;
    std::map<std::string, std::size_t> count_concerns_by_session() override;
    std::vector<session_override> list_session_overrides() override;
    void put_session_override(const session_override& o) override;
    std::vector<to_remind> citizens_to_remind(const std::string& session_id) override;
    void mark_reminded(const std::string& session_id, const std::vector<std::int64_t>& contact_ids,
                       time_point at) override;
    std::vector<added_session> list_added_sessions() override;
    bool add_session(const added_session& a) override;
    std::vector<agenda_name> list_agenda_names(const std::string& session_id) override;
    void put_agenda_name(const agenda_name& n) override;
    bool delete_added_session(const std::string& id, time_point at) override;

    // ----- handoffs (handoffs.hpp)

    std::vector<handoff> list_handoffs(const std::string& status, std::size_t limit) override;
    std::optional<handoff> find_handoff(std::int64_t id) override;
    bool mark_handoff_seen(std::int64_t id, const std::string& by, time_point at) override;
    bool reply_to_handoff(std::int64_t id, const std::string& by, const std::string& text,
                          outbox_message& message) override;
    bool close_handoff(std::int64_t id, const std::string& by, const std::string& concern_ref,
                       time_point at) override;

    // ----- accounts (accounts.hpp)

    std::size_t count_users() override;
    std::optional<std::int64_t> add_user(const user& u) override;
    std::optional<user> find_user(std::int64_t id) override;
    std::optional<user> find_user_by_name(const std::string& name) override;
    std::vector<user> list_users() override;
    void set_password(std::int64_t user_id, const std::string& hash, bool must_change,
                      time_point now) override;
    void set_role(std::int64_t user_id, const std::string& role,
                  const std::vector<std::string>& scope, time_point now) override;
    void set_office(std::int64_t user_id, const std::string& office, const std::string& phone,
                    time_point now) override;
    void set_disabled(std::int64_t user_id, bool disabled, time_point now) override;
    void add_login_session(const login_session& s) override;
    std::optional<login_session> find_login_session(const std::string& token_hash) override;
    void touch_login_session(const std::string& token_hash, time_point at) override;
    void delete_login_session(const std::string& token_hash) override;
    void delete_login_sessions_of(std::int64_t user_id, const std::string& keep_hash) override;
    void add_api_token(const api_token& t) override;
    std::optional<api_token> find_api_token(const std::string& token_hash) override;
    void update_login_memory(const std::string& user, const std::string& address,
                             time_point forget_before,
                             const std::function<void(login_memory&)>& decide) override;
    void append_audit(const audit_entry& e) override;
    std::vector<audit_entry> list_audit(const std::string& target, std::size_t limit) override;

    // ----- privacy (privacy.hpp)

    bool erase_contact(std::int64_t contact_id, time_point now) override;
    std::size_t forget_erased_messages(time_point before) override;
    std::vector<std::int64_t> contacts_past_retention(time_point cutoff, std::size_t limit) override;
    std::vector<std::string> media_in_use(const std::vector<std::string>& media) override;

    // ----- media (media.hpp)

    std::vector<media_copy> claim_media_copies(time_point now, time_point lease_until,
                                               std::size_t limit) override;
    bool keep_media_copy(std::int64_t copy_id, const media_file& file) override;
    void retry_media_copy(std::int64_t copy_id, int attempts, time_point next_attempt_at,
                          const std::string& reason, time_point at) override;
    void end_media_copy(std::int64_t copy_id, media_copy_status status, const std::string& reason,
                        time_point at) override;
    std::vector<media_copy> media_copies_of(std::int64_t concern_id) override;
    std::optional<media_file> find_media_file(std::int64_t copy_id) override;
    bool publish_media(std::int64_t concern_id, std::size_t index, bool published) override;
    std::optional<media_file> find_published_media(std::int64_t copy_id) override;
    std::size_t media_copies_pending() override;

    // ----- flows (flows.hpp)

    void save_flow_draft(const flow_version& d) override;
    std::optional<flow_version> find_flow_draft(const std::string& flow_id) override;
    std::vector<flow_version> list_flow_drafts() override;
    void delete_flow_draft(const std::string& flow_id) override;
    bool add_flow_version(const flow_version& v) override;
    std::vector<flow_version> list_flow_versions(const std::string& flow_id) override;
    int max_flow_version(const std::string& flow_id) override;
    std::size_t count_flow_versions() override;
    std::vector<node_count> list_node_counts(const std::string& flow_id, int version) override;

    // ----- secrets (secrets.hpp)

    channel_token seed_channel_token(const channel_token& configured) override;
    void save_channel_token(const channel_token& token) override;
    std::optional<channel_token> find_channel_token(const std::string& channel) override;
    token_refresh claim_token_refresh(const std::string& channel, const std::string& in_use,
                                      const std::string& owner, time_point now,
                                      time_point until) override;
    std::string keep_secret(const std::string& name, const std::string& fresh) override;

    // ----- api_key_store (api_keys.cpp)
    bool add_api_key(const api_key& k) override;
    std::optional<api_key> find_api_key(const std::string& key_id) override;
    std::vector<api_key> list_api_keys() override;
    bool revoke_api_key(const std::string& name, time_point at) override;

    // ----- sql store (store.hpp)

    void transact(const std::function<void()>& body) override;
    bool healthy() override;
    void set_event_sink(std::shared_ptr<const event_sink> sink) override { events_ = std::move(sink); }

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

    enum class payload_as { json, text };  // read JSON columns parsed, or as text for the caller

    std::optional<conversation> find_active(std::int64_t contact_id, payload_as as) {
        auto& q = stmt(
            "SELECT " DGW_CONVERSATION_COLUMNS " FROM conversations WHERE contact_id = ? AND active = 1");
        q.bind(1, contact_id);
        return read_conversation(q, as);
    }

    // ----- queue (queue.cpp)

    void add_node_count(std::string_view flow_id, int version, std::string_view node,
                        std::int64_t reached, std::int64_t left);

    // Ids drawn for a batch's new outbox messages, timers and concerns in one statement
    // (PostgreSQL), so that their inserts need no answer and go with the commit
    // (statement::write).
    struct ids_ahead {
        std::vector<std::int64_t> outbox, timers, concerns;
        std::size_t next_outbox = 0, next_timer = 0, next_concern = 0;
        bool held = false;  // a message is held (asked for when a step releases held ones)
    };
    // On a server, the ids a batch's inserts need, drawn in one statement, and whether any
    // message is held when `held` asks; nothing on SQLite.
    ids_ahead draw_ids(const std::vector<step_write>& steps, bool held);
    // `held`: some message may be held; false skips the releases (nothing to release).
    void write_step(step_write& s, bool held = true, ids_ahead* ids = nullptr);

    void queue_media_copies(const concern& c);

    void write_permission(const permission_change& c, time_point at);

    // The rows of an inbox query. A row that cannot be read is left out and, when
    // `unreadable` is given, listed there with the reason.
    std::vector<inbox_row> read_inbox(
        sql::statement& q, std::vector<std::pair<std::int64_t, std::string>>* unreadable = nullptr);

    static outbox_message read_outbox(sql::statement& q, payload_as as = payload_as::json);

    // A send's outcome, recorded if the message is still pending and this claimant's (or
    // unclaimed); true if it was.
    bool settle_sent(std::int64_t id, time_point at);
    bool settle_failed(std::int64_t id, const std::string& reason, time_point at);
    bool settle_retry(std::int64_t id, int attempts, time_point next_attempt_at,
                      const std::string& last_error);

    // ----- contacts (contacts.cpp)

    // The contact just written for (channel, user_id), read back with a second statement: a
    // RETURNING clause makes SQLite build a temporary table on every call, which cost more
    // than this lookup (the worker runs it per event).
    contact written_contact(const std::string& channel, const std::string& user_id);

    std::optional<contact> read_contact(sql::statement& q);
    static contact contact_at(sql::statement& q);  // the row q is on

    std::optional<conversation> read_conversation(sql::statement& q, payload_as as = payload_as::json);
    static conversation conversation_at(sql::statement& q, payload_as as);  // the row q is on

    // ----- concerns (concerns.cpp)

    static concern read_concern(sql::statement& q);

    // ----- handoffs (handoffs.cpp)

    static handoff read_handoff(sql::statement& q);

    void add_handoff_message(std::int64_t id, const char* author, const std::string& by,
                             const std::string& text, time_point at);

    // The bot gave up: the contact's open hand-off, or a new one with what the conversation
    // had gathered; then whatever the citizen wrote joins their open hand-off, if they have one.
    void write_handoff(const handoff_note& n, time_point at);

    // ----- accounts (accounts.cpp)

    static user read_user(sql::statement& q);

    std::optional<user> first_user(sql::statement& q);

    // ----- media (media.cpp)

    // The file a query of (content_type, bytes, sha256, created_at) by copy id finds, if any.
    static std::optional<media_file> first_media_file(sql::statement& q, std::int64_t copy_id);

    static std::vector<media_copy> read_media_copies(sql::statement& q);

    // ----- flows (flows.cpp)

    static std::vector<flow_version> read_flow_versions(sql::statement& q);

    // ----- secrets (secrets.cpp)

    void write_token(const channel_token& t);

    // ----- sql store (sql_store.cpp)

    std::int64_t scalar(std::string_view sql);

    sql::statement& stmt(std::string_view sql);

    // The SQL for this database: most queries are one text for both; these differ.
    const char* pick(const char* sqlite, const char* postgres) const;

    // A claim of another owner older than this may be taken over (claimant::lease).
    std::int64_t stale_claims_before(time_point now) const {
        return claimant_.lease.count() > 0 ? to_ms(now) - claimant_.lease.count()
                                           : std::numeric_limits<std::int64_t>::min();
    }

    // Locks, until the transaction ends, the (channel, user) keys of `candidates` (a query of
    // one BIGINT key column) that no other transaction holds, and returns them as a PostgreSQL
    // array literal ("{1,2}"), or "" when none. PostgreSQL only.
    std::string lock_contacts(sql::statement& candidates);

    std::unique_ptr<sql::connection> db_;
    bool lite_;  // SQLite (else PostgreSQL): see pick
    claimant claimant_;
    std::shared_ptr<const event_sink> events_;  // set_event_sink; null: no events
    // Appends the outbox rows of events (event_sink) in the caller's transaction.
    void queue_events(std::vector<outbox_message> rows);
    int counter_shard_ = 0;  // flow_node_counts.shard on PostgreSQL (set_claimant)
};

}  // namespace dgw::store::sql
