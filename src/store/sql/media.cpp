// Photos kept by the gateway: the copies to make and the bytes kept.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

std::vector<media_copy> sql_store::claim_media_copies(time_point now, time_point lease_until,
                                           std::size_t limit) {
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

bool sql_store::keep_media_copy(std::int64_t copy_id, const media_file& file) {
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

void sql_store::retry_media_copy(std::int64_t copy_id, int attempts, time_point next_attempt_at,
                      const std::string& reason, time_point at) {
    auto& u = stmt(
        "UPDATE media_copies SET attempts = ?, next_attempt_at = ?, reason = ?, "
        "updated_at = ? WHERE id = ? AND status = 'pending'");
    u.bind(1, attempts).bind(2, next_attempt_at).bind(3, reason).bind(4, at).bind(5, copy_id);
    u.run();
}

void sql_store::end_media_copy(std::int64_t copy_id, media_copy_status status, const std::string& reason,
                    time_point at) {
    if (status == media_copy_status::pending || status == media_copy_status::kept)
        throw std::logic_error("end_media_copy ends a copy as refused or failed");
    auto& u = stmt(
        "UPDATE media_copies SET status = ?, reason = ?, updated_at = ? "
        "WHERE id = ? AND status = 'pending'");
    u.bind(1, to_string(status)).bind(2, reason).bind(3, at).bind(4, copy_id);
    u.run();
}

std::vector<media_copy> sql_store::media_copies_of(std::int64_t concern_id) {
    auto& q = stmt(std::string(media_copy_select) + " WHERE concern_id = ? ORDER BY idx");
    q.bind(1, concern_id);
    return read_media_copies(q);
}

std::optional<media_file> sql_store::find_media_file(std::int64_t copy_id) {
    return first_media_file(
        stmt("SELECT content_type, bytes, sha256, created_at FROM media_files WHERE copy_id = ?"), copy_id);
}

bool sql_store::publish_media(std::int64_t concern_id, std::size_t index, bool published) {
    auto& u = stmt(
        "UPDATE media_copies SET published = ? WHERE concern_id = ? AND idx = ? "
        "AND status = 'kept'");
    u.bind(1, published).bind(2, concern_id).bind(3, static_cast<std::int64_t>(index));
    return u.changed() > 0;
}

std::optional<media_file> sql_store::find_published_media(std::int64_t copy_id) {
    return first_media_file(
        stmt("SELECT f.content_type, f.bytes, f.sha256, f.created_at FROM media_files f "
             "JOIN media_copies m ON m.id = f.copy_id JOIN concerns c ON c.id = m.concern_id "
             "WHERE f.copy_id = ? AND m.status = 'kept' AND m.published = 1 AND c.published = 1"),
        copy_id);
}

// The file a query of (content_type, bytes, sha256, created_at) by copy id finds, if any.
std::optional<media_file> sql_store::first_media_file(sql::statement& q, std::int64_t copy_id) {
    q.bind(1, copy_id);
    return q.first([&](sql::statement& r) {
        return media_file{r.text(0), r.blob(1), r.text(2), r.time(3)};
    });
}

std::size_t sql_store::media_copies_pending() {
    return static_cast<std::size_t>(
        scalar("SELECT count(*) FROM media_copies WHERE status = 'pending'"));
}

std::vector<media_copy> sql_store::read_media_copies(sql::statement& q) {
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

}  // namespace dgw::store::sql
