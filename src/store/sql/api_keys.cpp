// Client systems' API keys for Open311 (api_keys.hpp).
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

namespace {

constexpr const char* key_select =
    "SELECT id, name, key_id, secret_hash, scope, per_hour, created_at, revoked_at FROM api_keys";

api_key read_key(statement& r) {
    api_key k;
    k.id = r.i64(0);
    k.name = r.text(1);
    k.key_id = r.text(2);
    k.secret_hash = r.text(3);
    k.scope = r.text(4);
    k.per_hour = static_cast<int>(r.i64(5));
    k.created_at = r.time(6);
    if (!r.is_null(7)) k.revoked_at = r.time(7);
    return k;
}

}  // namespace

bool sql_store::add_api_key(const api_key& k) {
    auto& ins = stmt(
        "INSERT INTO api_keys (name, key_id, secret_hash, scope, per_hour, created_at) "
        "VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING");
    ins.bind(1, k.name).bind(2, k.key_id).bind(3, k.secret_hash).bind(4, k.scope);
    ins.bind(5, k.per_hour).bind(6, k.created_at);
    return ins.changed() > 0;
}

std::optional<api_key> sql_store::find_api_key(const std::string& key_id) {
    auto& q = stmt(std::string(key_select) + " WHERE key_id = ?");
    q.bind(1, key_id);
    return q.first(read_key);
}

std::vector<api_key> sql_store::list_api_keys() {
    auto& q = stmt(std::string(key_select) + " ORDER BY name");
    return q.all(read_key);
}

bool sql_store::revoke_api_key(const std::string& name, time_point at) {
    auto& u = stmt("UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL");
    u.bind(1, at).bind(2, name);
    return u.changed() > 0;
}

}  // namespace dgw::store::sql
