// Flows edited by admins: one draft, numbered published versions, node counts.
#include "store/changes.hpp"
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

void sql_store::save_flow_draft(const flow_version& d) {
    auto& up = stmt(
        "INSERT INTO flow_versions (flow_id, version, document, status, author, created_at, "
        "updated_at) VALUES (?1, 0, ?2, 'draft', ?3, ?4, ?4) ON CONFLICT (flow_id, version) "
        "DO UPDATE SET document = excluded.document, author = excluded.author, "
        "updated_at = excluded.updated_at");
    up.bind(1, d.flow_id).bind(2, d.document).bind(3, d.author).bind(4, d.updated_at);
    up.run();
}

std::optional<flow_version> sql_store::find_flow_draft(const std::string& flow_id) {
    auto& q = stmt(std::string(flow_version_select) + " WHERE flow_id = ? AND version = 0");
    q.bind(1, flow_id);
    auto rows = read_flow_versions(q);
    if (rows.empty()) return std::nullopt;
    return rows.front();
}

std::vector<flow_version> sql_store::list_flow_drafts() {
    auto& q = stmt(std::string(flow_version_select) + " WHERE version = 0 ORDER BY flow_id");
    return read_flow_versions(q);
}

void sql_store::delete_flow_draft(const std::string& flow_id) {
    auto& d = stmt("DELETE FROM flow_versions WHERE flow_id = ? AND version = 0");
    d.bind(1, flow_id);
    d.run();
}

bool sql_store::add_flow_version(const flow_version& v) {
    auto& ins = stmt(
        "INSERT INTO flow_versions (flow_id, version, document, status, author, created_at, "
        "updated_at) VALUES (?,?,?,'published',?,?,?) ON CONFLICT (flow_id, version) DO NOTHING");
    ins.bind(1, v.flow_id).bind(2, v.version).bind(3, v.document).bind(4, v.author);
    ins.bind(5, v.created_at).bind(6, v.updated_at);
    if (ins.changed() == 0) return false;
    if (!lite_) {
        // The other gateways load it at once (delivered when this transaction commits).
        auto& tell = stmt("SELECT pg_notify(?, ?)");
        tell.bind(1, changes::channel).bind(2, changes::flows);
        tell.step();
        tell.reset();
    }
    return true;
}

std::vector<flow_version> sql_store::list_flow_versions(const std::string& flow_id) {
    auto& q = stmt(std::string(flow_version_select) +
                   " WHERE (?1 = '' OR flow_id = ?1) AND version > 0 ORDER BY flow_id, version");
    q.bind(1, flow_id);
    return read_flow_versions(q);
}

std::size_t sql_store::count_flow_versions() {
    return static_cast<std::size_t>(scalar("SELECT count(*) FROM flow_versions WHERE version > 0"));
}

int sql_store::max_flow_version(const std::string& flow_id) {
    auto& q = stmt("SELECT coalesce(max(version), 0) FROM flow_versions WHERE flow_id = ?");
    q.bind(1, flow_id);
    int v = q.step() ? static_cast<int>(q.i64(0)) : 0;
    q.reset();
    return v;
}

std::vector<node_count> sql_store::list_node_counts(const std::string& flow_id, int version) {
    auto& q = stmt(
        "SELECT flow_id, version, node, sum(reached), sum(left_count) FROM flow_node_counts "
        "WHERE flow_id = ? AND version = ? GROUP BY flow_id, version, node ORDER BY node");
    q.bind(1, flow_id).bind(2, version);
    return q.all([&](sql::statement& r) {
        return node_count{r.text(0), static_cast<int>(r.i64(1)), r.text(2), r.i64(3), r.i64(4)};
    });
}

std::vector<flow_version> sql_store::read_flow_versions(sql::statement& q) {
    return q.all([&](sql::statement& r) { return flow_version{r.text(0), static_cast<int>(r.i64(1)), r.text(2), r.text(3), r.text(4),
                       r.time(5), r.time(6)}; });
}

}  // namespace dgw::store::sql
