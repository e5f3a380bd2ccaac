// The message log: what came in and went out, for officials and the CLI.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

std::vector<outbox_message> sql_store::list_notices(const std::string& session_id) {
    auto& q = stmt(std::string(outbox_select) +
                   " WHERE o.session_id = ? AND o.notice_id <> '' ORDER BY o.id");
    q.bind(1, session_id);
    return q.all([&](sql::statement& r) { return read_outbox(r); });
}

std::vector<outbox_message> sql_store::list_outbox(const outbox_filter& f) {
    auto& q = stmt(std::string(outbox_select) +
                   " WHERE (CAST(?1 AS BIGINT) IS NULL OR o.contact_id = ?1) ORDER BY o.id DESC LIMIT ?2");
    if (f.contact_id)
        q.bind(1, *f.contact_id);
    else
        q.bind_null(1);
    q.bind(2, static_cast<std::int64_t>(f.limit));
    return q.all([&](sql::statement& r) { return read_outbox(r); });
}

std::vector<inbox_row> sql_store::list_inbox(std::optional<std::int64_t> contact_id,
                                  std::size_t limit) {
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

}  // namespace dgw::store::sql
