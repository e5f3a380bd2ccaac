// Hand-offs to a person: the exchange, once per contact until closed.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

std::vector<handoff> sql_store::list_handoffs(const std::string& status, std::size_t limit) {
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

std::optional<handoff> sql_store::find_handoff(std::int64_t id) {
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

bool sql_store::mark_handoff_seen(std::int64_t id, const std::string& by, time_point at) {
    auto& u = stmt("UPDATE handoffs SET seen_at = ?, seen_by = ? WHERE id = ? AND seen_at IS NULL");
    u.bind(1, at).bind(2, by).bind(3, id);
    return u.changed() == 1;
}

bool sql_store::reply_to_handoff(std::int64_t id, const std::string& by, const std::string& text,
                      outbox_message& message) {
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

bool sql_store::close_handoff(std::int64_t id, const std::string& by, const std::string& concern_ref,
                   time_point at) {
    auto& u = stmt(
        "UPDATE handoffs SET status = 'closed', closed_at = ?1, closed_by = ?2, "
        "concern_ref = ?3, updated_at = ?1 WHERE id = ?4 AND status = 'open'");
    u.bind(1, at).bind(2, by).bind(3, concern_ref).bind(4, id);
    return u.changed() == 1;
}

handoff sql_store::read_handoff(sql::statement& q) {
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

void sql_store::add_handoff_message(std::int64_t id, const char* author, const std::string& by,
                         const std::string& text, time_point at) {
    auto& ins = stmt(
        "INSERT INTO handoff_messages (handoff_id, author, by_name, text, at) VALUES (?,?,?,?,?)");
    ins.bind(1, id).bind(2, std::string(author)).bind(3, by).bind(4, text).bind(5, at);
    ins.run();
}

// The bot gave up: the contact's open hand-off, or a new one with what the conversation
// had gathered; then whatever the citizen wrote joins their open hand-off, if they have one.
void sql_store::write_handoff(const handoff_note& n, time_point at) {
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
    if (!lite_) {
        // On a server, one statement nobody waits for (statement::write): most citizens have
        // no open hand-off, and every message would otherwise cost a round trip to learn so.
        auto& add = stmt(
            "WITH h AS (UPDATE handoffs SET updated_at = ?2 WHERE contact_id = ?3 AND "
            "status = 'open' RETURNING id) INSERT INTO handoff_messages (handoff_id, author, "
            "text, at) SELECT id, 'citizen', ?1, ?2 FROM h");
        add.bind(1, n.wrote).bind(2, at).bind(3, n.contact_id);
        add.write();
        return;
    }
    auto& add = stmt(
        "INSERT INTO handoff_messages (handoff_id, author, text, at) SELECT id, 'citizen', ?1, "
        "?2 FROM handoffs WHERE contact_id = ?3 AND status = 'open'");
    add.bind(1, n.wrote).bind(2, at).bind(3, n.contact_id);
    if (add.changed() == 0) return;
    auto& touch = stmt("UPDATE handoffs SET updated_at = ?1 WHERE contact_id = ?2 AND status = 'open'");
    touch.bind(1, at).bind(2, n.contact_id);
    touch.run();
}

}  // namespace dgw::store::sql
