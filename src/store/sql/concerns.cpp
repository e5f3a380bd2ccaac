// Concerns, the sessions' edits and added sessions, agenda names, reminders.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

bool sql_store::concern_ref_exists(const std::string& ref) {
    auto& q = stmt("SELECT 1 FROM concerns WHERE ref = ?");
    q.bind(1, ref);
    bool found = q.step();
    q.reset();
    return found;
}

std::optional<concern> sql_store::find_concern(const std::string& ref) {
    auto& q = stmt(std::string(concern_select) + " WHERE ref = ?");
    q.bind(1, ref);
    return q.first([&](sql::statement& r) { return read_concern(r); });
}

std::vector<concern> sql_store::overdue_followups(const std::string& before_day) {
    auto& q = stmt(std::string(concern_select) +
                   " WHERE followup = 'assigned' AND deadline < ? AND status = 'answered' "
                   "ORDER BY deadline, id");
    q.bind(1, before_day);
    return q.all([&](sql::statement& r) { return read_concern(r); });
}

std::optional<concern> sql_store::awaiting_verdict(std::int64_t contact_id, time_point since) {
    auto& q = stmt(std::string(concern_select) +
                   " WHERE contact_id = ? AND verdict = '' AND status = 'answered' AND "
                   "answered_at >= ? ORDER BY answered_at DESC, id DESC LIMIT 1");
    q.bind(1, contact_id).bind(2, since);
    return q.first([&](sql::statement& r) { return read_concern(r); });
}

bool sql_store::record_verdict(const std::string& ref, const std::string& verdict,
                    const std::string& reason, time_point at) {
    auto& u = stmt(
        "UPDATE concerns SET verdict = ?, verdict_reason = ?, verdict_at = ?, updated_at = ? "
        "WHERE ref = ? AND verdict = '' AND status = 'answered'");
    u.bind(1, verdict).bind(2, reason).bind(3, at).bind(4, at).bind(5, ref);
    return u.changed() > 0;
}

std::vector<concern> sql_store::list_concerns(const std::string& session_id, std::size_t limit) {
    auto& q = stmt(std::string(concern_select) +
                   " WHERE (?1 = '' OR session_id = ?1) ORDER BY id LIMIT ?2");
    q.bind(1, session_id).bind(2, static_cast<std::int64_t>(limit));
    return q.all([&](sql::statement& r) { return read_concern(r); });
}

concern_page sql_store::search_concerns(const concern_filter& f,
                             const std::function<bool(const concern&)>& keep,
                             std::size_t offset, std::size_t limit) {
    auto& q = stmt(std::string(concern_select) +
                   " WHERE (?1 = '' OR session_id = ?1) AND (?2 = '' OR commune_code = ?2)"
                   " AND (?3 = '' OR topic = ?3) AND (?4 = '' OR status = ?4)"
                   " AND (CAST(?5 AS BIGINT) IS NULL OR urgent = ?5) AND (CAST(?6 AS BIGINT) IS NULL OR contact_id = ?6)"
                   " AND (CAST(?7 AS BIGINT) IS NULL OR created_at >= ?7)"
                   " AND (CAST(?8 AS BIGINT) IS NULL OR created_at <= ?8) AND " +
                   pick("(?9 = '[]' OR ref IN (SELECT value FROM json_each(?9))) AND "
                        "(?10 = '[]' OR topic IN (SELECT value FROM json_each(?10)))",
                        "(?9 = '[]' OR ref IN (SELECT json_array_elements_text(CAST(?9 AS JSON)))) AND "
                        "(?10 = '[]' OR topic IN (SELECT json_array_elements_text(CAST(?10 AS JSON))))") +
                   " ORDER BY id");
    q.bind(1, f.session_id).bind(2, f.commune_code).bind(3, f.topic);
    q.bind(4, f.status ? core::to_string(*f.status) : std::string_view(""));  // not NULL: "" is "any"
    q.bind(7, f.created_from).bind(8, f.created_to);
    q.bind(9, nlohmann::json(f.refs).dump()).bind(10, nlohmann::json(f.topics).dump());
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
        if (!f.count_all && page.items.size() >= limit) break;
    }
    q.reset();
    return page;
}

void sql_store::update_concern(const concern& c) {
    // With an event sink, the concern as it was is read first, in the same transaction, for
    // the sink to see what changed.
    transaction tx(*this);
    std::optional<concern> before;
    if (events_) {
        auto& q = stmt(std::string(concern_select) + " WHERE id = ?");
        q.bind(1, c.id);
        before = q.first([&](sql::statement& r) { return read_concern(r); });
    }
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
    if (before) queue_events(events_->changed(*before, c));
    tx.commit();
}

std::map<std::string, std::size_t> sql_store::count_concerns_by_session() {
    auto& q = stmt("SELECT session_id, count(*) FROM concerns GROUP BY session_id");
    std::map<std::string, std::size_t> out;
    while (q.step()) out[q.text(0)] = static_cast<std::size_t>(q.i64(1));
    q.reset();
    return out;
}

std::vector<session_override> sql_store::list_session_overrides() {
    auto& q = stmt(
        "SELECT session_id, status, date, venue, note, updated_at, watch_link, chair "
        "FROM session_overrides ORDER BY session_id");
    return q.all([&](sql::statement& r) { return session_override{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.time(5),
                       r.text(6), r.text(7)}; });
}

void sql_store::put_session_override(const session_override& o) {
    auto& u = stmt(
        "INSERT INTO session_overrides (session_id, status, date, venue, note, updated_at, "
        "watch_link, chair) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (session_id) DO UPDATE SET "
        "status = excluded.status, date = excluded.date, venue = excluded.venue, "
        "note = excluded.note, updated_at = excluded.updated_at, "
        "watch_link = excluded.watch_link, chair = excluded.chair");
    u.bind(1, o.session_id).bind(2, o.status).bind(3, o.date).bind(4, o.venue);
    u.bind(5, o.note).bind(6, o.updated_at).bind(7, o.watch_link).bind(8, o.chair);
    transaction tx(*this);
    u.run();
    if (events_) queue_events(events_->session_changed({o.session_id, &o, nullptr, o.updated_at}));
    tx.commit();
}

std::vector<to_remind> sql_store::citizens_to_remind(const std::string& session_id) {
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

void sql_store::mark_reminded(const std::string& session_id, const std::vector<std::int64_t>& contact_ids,
                   time_point at) {
    auto& u = stmt(
        "INSERT INTO session_reminders (session_id, contact_id, sent_at) VALUES (?,?,?) "
        "ON CONFLICT DO NOTHING");
    for (auto id : contact_ids) {
        u.bind(1, session_id).bind(2, id).bind(3, at);
        u.run();
    }
}

std::vector<added_session> sql_store::list_added_sessions() {
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

bool sql_store::add_session(const added_session& a) {
    auto& ins = stmt(
        "INSERT INTO added_sessions (id, level, locality, date, venue, audience, topics, "
        "title_vi, title_en, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (id) DO NOTHING");
    ins.bind(1, a.id).bind(2, a.level).bind(3, a.locality).bind(4, a.date).bind(5, a.venue);
    ins.bind(6, a.audience).bind(7, nlohmann::json(a.topics).dump()).bind(8, a.title_vi);
    ins.bind(9, a.title_en).bind(10, a.created_by).bind(11, a.created_at);
    transaction tx(*this);
    if (ins.changed() == 0) return false;
    if (events_) queue_events(events_->session_changed({a.id, nullptr, &a, a.created_at}));
    tx.commit();
    return true;
}

std::vector<agenda_name> sql_store::list_agenda_names(const std::string& session_id) {
    auto& q = stmt(
        "SELECT session_id, group_key, name FROM agenda_names WHERE session_id = ? "
        "ORDER BY group_key");
    q.bind(1, session_id);
    return q.all([&](sql::statement& r) { return agenda_name{r.text(0), r.text(1), r.text(2)}; });
}

void sql_store::put_agenda_name(const agenda_name& n) {
    auto& u = stmt(
        "INSERT INTO agenda_names (session_id, group_key, name) VALUES (?,?,?) "
        "ON CONFLICT (session_id, group_key) DO UPDATE SET name = excluded.name");
    u.bind(1, n.session_id).bind(2, n.group).bind(3, n.name);
    u.run();
}

concern sql_store::read_concern(sql::statement& q) {
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
    const auto status = q.text(16);
    const auto known = core::parse_concern_status(status);
    if (!known) throw std::runtime_error("concern " + c.ref + " has an unknown status: " + status);
    c.status = *known;
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

// One statement both checks that nothing is filed to the session and deletes it, so a concern
// filed meanwhile keeps its session.
bool sql_store::delete_added_session(const std::string& id, time_point at) {
    transaction tx(*this);
    auto& del = stmt(
        "DELETE FROM added_sessions WHERE id = ? "
        "AND NOT EXISTS (SELECT 1 FROM concerns WHERE session_id = ?)");
    del.bind(1, id).bind(2, id);
    if (del.changed() == 0) return false;
    auto& edits = stmt("DELETE FROM session_overrides WHERE session_id = ?");
    edits.bind(1, id);
    edits.run();
    if (events_) queue_events(events_->session_changed({id, nullptr, nullptr, at}));
    tx.commit();
    return true;
}

}  // namespace dgw::store::sql
