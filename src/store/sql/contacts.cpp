// Contacts and their conversations.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

// What a message says of its sender refreshes the contact: a name or language only when
// it says one, the last inbound time only forwards. The one rule of both statements below.
#define DGW_CONTACT_REFRESH                                                                 \
    " ON CONFLICT (channel, user_id) DO UPDATE SET "                                        \
    "display_name = CASE WHEN excluded.display_name = '' THEN contacts.display_name "       \
    "                    ELSE excluded.display_name END, "                                  \
    "language = CASE WHEN excluded.language = '' THEN contacts.language "                   \
    "                ELSE excluded.language END, "                                          \
    "last_inbound_at = CASE WHEN excluded.last_inbound_at > contacts.last_inbound_at "      \
    "THEN excluded.last_inbound_at ELSE contacts.last_inbound_at END"
#define DGW_CONTACT_COLUMNS \
    "id, channel, user_id, display_name, language, created_at, last_inbound_at, invite_session, invited_at"

contact sql_store::upsert_contact(const std::string& channel, const std::string& user_id,
                       const std::string& display_name, const std::string& language,
                       time_point now) {
    return upsert_contacts({{channel, user_id, display_name, language}}, now).front();
}

std::vector<contact> sql_store::upsert_contacts(const std::vector<contact_seen>& seen,
                                                time_point now) {
    // A contact as the database will name it (a server's text holds no NUL).
    auto key_of = [this](const contact_seen& s) {
        return lite_ ? std::pair{s.channel, s.user_id}
                     : std::pair{without_nul(s.channel), without_nul(s.user_id)};
    };
    // Each contact once, as the writes one by one would leave it.
    std::map<std::pair<std::string, std::string>, contact_seen> merged;
    for (const auto& s : seen) {
        auto [it, fresh] = merged.try_emplace(key_of(s), s);
        if (fresh) continue;
        if (!s.display_name.empty()) it->second.display_name = s.display_name;
        if (!s.language.empty()) it->second.language = s.language;
    }
    std::map<std::pair<std::string, std::string>, contact> written;
    if (lite_) {
        // In process, a statement per contact costs no round trip; a RETURNING clause makes
        // SQLite build a temporary table on every call, which cost more than reading it back.
        for (const auto& [key, s] : merged) {
            auto& up = stmt(
                "INSERT INTO contacts (channel, user_id, display_name, language, created_at, "
                "last_inbound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)" DGW_CONTACT_REFRESH);
            up.bind(1, s.channel).bind(2, s.user_id).bind(3, s.display_name).bind(4, s.language);
            up.bind(5, now);
            up.run();
            written.emplace(key, written_contact(s.channel, s.user_id));
        }
    } else {
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& [key, s] : merged)
            rows.push_back({{"c", key.first},
                            {"u", key.second},
                            {"n", without_nul(s.display_name)},
                            {"l", without_nul(s.language)}});
        auto& up = stmt(
            "INSERT INTO contacts (channel, user_id, display_name, language, created_at, "
            "last_inbound_at) SELECT t.c, t.u, t.n, t.l, CAST(?2 AS BIGINT), CAST(?2 AS BIGINT) "
            "FROM json_to_recordset(CAST(?1 AS JSON)) AS t(c TEXT, u TEXT, n TEXT, l TEXT)"
            DGW_CONTACT_REFRESH " RETURNING " DGW_CONTACT_COLUMNS);
        up.bind(1, rows.dump()).bind(2, now);
        while (up.step()) {
            auto c = contact_at(up);
            written.emplace(std::pair{c.channel, c.user_id}, std::move(c));
        }
        up.reset();
    }
    std::vector<contact> out;
    out.reserve(seen.size());
    for (const auto& s : seen) {
        auto it = written.find(key_of(s));
        if (it == written.end()) throw unavailable("contact vanished after it was written");
        out.push_back(it->second);
    }
    return out;
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
    auto& q = stmt("SELECT " DGW_CONTACT_COLUMNS " FROM contacts WHERE channel = ? AND user_id = ?");
    q.bind(1, channel).bind(2, user_id);
    auto c = read_contact(q);
    if (!c) throw unavailable("contact vanished after it was written");
    return *c;
}

std::optional<contact> sql_store::find_contact(std::int64_t id) {
    auto& q = stmt("SELECT " DGW_CONTACT_COLUMNS " FROM contacts WHERE id = ?");
    q.bind(1, id);
    return read_contact(q);
}

std::optional<conversation> sql_store::active_conversation(std::int64_t contact_id) {
    return find_active(contact_id, payload_as::json);
}

std::optional<conversation> sql_store::active_conversation_text(std::int64_t contact_id) {
    return find_active(contact_id, payload_as::text);
}

std::map<std::int64_t, conversation> sql_store::active_conversations_text(
    const std::vector<std::int64_t>& contact_ids) {
    std::map<std::int64_t, conversation> out;
    if (contact_ids.empty()) return out;
    if (lite_) {
        for (auto id : contact_ids)
            if (auto c = find_active(id, payload_as::text)) out.emplace(id, std::move(*c));
        return out;
    }
    auto& q = stmt(
        "SELECT " DGW_CONVERSATION_COLUMNS " FROM conversations "
        "WHERE contact_id = ANY (CAST(? AS BIGINT[])) AND active = 1");
    q.bind(1, int_array(contact_ids));
    while (q.step()) {
        auto c = conversation_at(q, payload_as::text);
        out.emplace(c.contact_id, std::move(c));
    }
    q.reset();
    return out;
}

std::optional<conversation> sql_store::find_conversation(const std::string& key) {
    auto& q = stmt(
        "SELECT " DGW_CONVERSATION_COLUMNS " FROM conversations WHERE key = ?");
    q.bind(1, key);
    return read_conversation(q);
}

contact sql_store::contact_at(sql::statement& q) {
    contact c{q.i64(0), q.text(1), q.text(2), q.text(3), q.text(4), q.time(5), q.time(6)};
    c.invite = q.text(7);
    if (!q.is_null(8)) c.invited_at = q.time(8);
    return c;
}

std::optional<contact> sql_store::read_contact(sql::statement& q) {
    std::optional<contact> out;
    if (q.step()) out = contact_at(q);
    q.reset();
    return out;
}

conversation sql_store::conversation_at(sql::statement& q, payload_as as) {
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
    return c;
}

std::optional<conversation> sql_store::read_conversation(sql::statement& q, payload_as as) {
    std::optional<conversation> out;
    if (q.step()) out = conversation_at(q, as);
    q.reset();
    return out;
}

}  // namespace dgw::store::sql
