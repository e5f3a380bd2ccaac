// A citizen's data erased, and what retention forgets.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

bool sql_store::erase_contact(std::int64_t contact_id, time_point now) {
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
    // Events for other systems (event_sink) still go, without what they said of the citizen.
    auto& ev = stmt(pick(
        "UPDATE outbox SET payload = json_remove(payload, '$.data.citizen') "
        "WHERE contact_id = ? AND kind = 'event'",
        "UPDATE outbox SET payload = CAST(CAST(payload AS JSONB) #- '{data,citizen}' AS TEXT) "
        "WHERE contact_id = ? AND kind = 'event'"));
    ev.bind(1, contact_id);
    ev.run();
    auto& d = stmt(
        "DELETE FROM outbox WHERE contact_id = ? AND status = 'pending' AND claimed_at IS NULL "
        "AND kind <> 'event'");
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
        "UPDATE outbox SET user_id = ?, payload = '{\"text\":\"\"}' WHERE contact_id = ? "
        "AND kind <> 'event'");
    o.bind(1, erased).bind(2, contact_id);
    o.run();
    tx.commit();
    return true;
}

std::size_t sql_store::forget_erased_messages(time_point before) {
    auto& u = stmt(
        "UPDATE outbox SET user_id = 'erased:' || contact_id, payload = '{\"text\":\"\"}' "
        "WHERE status IN ('sent', 'failed') AND created_at < ? AND user_id NOT LIKE 'erased:%' "
        "AND kind <> 'event' "
        "AND contact_id IN (SELECT id FROM contacts WHERE user_id LIKE 'erased:%')");
    u.bind(1, before);
    return static_cast<std::size_t>(u.changed());
}

std::vector<std::int64_t> sql_store::contacts_past_retention(time_point cutoff, std::size_t limit) {
    auto& q = stmt(
        "SELECT c.id FROM contacts c WHERE c.user_id NOT LIKE 'erased:%' "
        "AND c.last_inbound_at < ?1 AND NOT EXISTS (SELECT 1 FROM concerns k "
        "WHERE k.contact_id = c.id AND (k.status NOT IN "
        "('answered', 'forwarded', 'withdrawn', 'merged') OR k.updated_at >= ?1)) "
        "ORDER BY c.id LIMIT ?2");
    q.bind(1, cutoff).bind(2, static_cast<std::int64_t>(limit));
    return q.all([&](sql::statement& r) { return r.i64(0); });
}

std::vector<std::string> sql_store::media_in_use(const std::vector<std::string>& media) {
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

}  // namespace dgw::store::sql
