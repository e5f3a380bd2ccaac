// Contacts and their conversations.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

contact sql_store::upsert_contact(const std::string& channel, const std::string& user_id,
                       const std::string& display_name, const std::string& language,
                       time_point now) {
#define DGW_UPSERT                                                                          \
    "INSERT INTO contacts (channel, user_id, display_name, language, created_at, "          \
    "last_inbound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) "                                     \
    "ON CONFLICT (channel, user_id) DO UPDATE SET "                                         \
    "display_name = CASE WHEN excluded.display_name = '' THEN contacts.display_name "       \
    "                    ELSE excluded.display_name END, "                                  \
    "language = CASE WHEN excluded.language = '' THEN contacts.language "                   \
    "                ELSE excluded.language END, "                                          \
    "last_inbound_at = CASE WHEN excluded.last_inbound_at > contacts.last_inbound_at "      \
    "THEN excluded.last_inbound_at ELSE contacts.last_inbound_at END"
    // On a server the row comes back with the write, saving a round trip (see written_contact
    // for SQLite).
    auto& up = stmt(pick(DGW_UPSERT, DGW_UPSERT " RETURNING id, channel, user_id, display_name, "
                                                "language, created_at, last_inbound_at"));
#undef DGW_UPSERT
    up.bind(1, channel).bind(2, user_id).bind(3, display_name).bind(4, language).bind(5, now);
    if (lite_) {
        up.run();
        return written_contact(channel, user_id);
    }
    auto c = read_contact(up);
    if (!c) throw unavailable("contact vanished after it was written");
    return *c;
}

contact sql_store::ensure_contact(const std::string& channel, const std::string& user_id,
                       time_point now) {
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
contact sql_store::written_contact(const std::string& channel, const std::string& user_id) {
    auto& q = stmt(
        "SELECT id, channel, user_id, display_name, language, created_at, last_inbound_at "
        "FROM contacts WHERE channel = ? AND user_id = ?");
    q.bind(1, channel).bind(2, user_id);
    auto c = read_contact(q);
    if (!c) throw unavailable("contact vanished after it was written");
    return *c;
}

std::optional<contact> sql_store::find_contact(std::int64_t id) {
    auto& q = stmt(
        "SELECT id, channel, user_id, display_name, language, created_at, last_inbound_at, "
        "invite_session, invited_at FROM contacts WHERE id = ?");
    q.bind(1, id);
    return read_contact(q);
}

std::optional<conversation> sql_store::active_conversation(std::int64_t contact_id) {
    return find_active(contact_id, payload_as::json);
}

std::optional<conversation> sql_store::active_conversation_text(std::int64_t contact_id) {
    return find_active(contact_id, payload_as::text);
}

std::optional<conversation> sql_store::find_conversation(const std::string& key) {
    auto& q = stmt(
        "SELECT key, contact_id, flow_id, flow_version, state, active, outcome, started_at, "
        "updated_at FROM conversations WHERE key = ?");
    q.bind(1, key);
    return read_conversation(q);
}

std::optional<contact> sql_store::read_contact(sql::statement& q) {
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

std::optional<conversation> sql_store::read_conversation(sql::statement& q, payload_as as) {
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

}  // namespace dgw::store::sql
