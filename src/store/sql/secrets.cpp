// Secrets the gateway keeps: refreshed channel tokens, generated keys.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

channel_token sql_store::seed_channel_token(const channel_token& configured) {
    transaction tx(*this);
    auto current = find_channel_token(configured.channel);
    if (!current || current->seed != configured.seed) {
        write_token(configured);
        current = configured;
    }
    tx.commit();
    return *current;
}

void sql_store::save_channel_token(const channel_token& token) {
    transaction tx(*this);
    write_token(token);
    tx.commit();
}

std::optional<channel_token> sql_store::find_channel_token(const std::string& channel) {
    auto& q = stmt(
        "SELECT channel, access_token, refresh_token, expires_at, updated_at, seed "
        "FROM channel_tokens WHERE channel = ?");
    q.bind(1, channel);
    std::optional<channel_token> out;
    if (q.step()) {
        channel_token t;
        t.channel = q.text(0);
        t.access_token = q.text(1);
        t.refresh_token = q.text(2);
        if (!q.is_null(3)) t.expires_at = q.time(3);
        t.updated_at = q.time(4);
        t.seed = q.text(5);
        out = std::move(t);
    }
    q.reset();
    return out;
}

token_refresh sql_store::claim_token_refresh(const std::string& channel, const std::string& in_use,
                                             const std::string& owner, time_point now,
                                             time_point until) {
    transaction tx(*this);
    token_refresh r;
    auto& u = stmt(
        "UPDATE channel_tokens SET refreshing_by = ?, refreshing_until = ? WHERE channel = ? "
        "AND refresh_token = ? AND (refreshing_until IS NULL OR refreshing_until < ? "
        "OR refreshing_by = ?)");
    u.bind(1, owner).bind(2, until).bind(3, channel).bind(4, in_use).bind(5, now).bind(6, owner);
    if (u.changed() == 0) {
        auto current = find_channel_token(channel);
        if (current && current->refresh_token != in_use) {
            r.outcome = token_refresh::kind::replaced;
            r.current = std::move(current);
        } else {
            r.outcome = current ? token_refresh::kind::busy : token_refresh::kind::claimed;
        }
    }
    tx.commit();
    return r;
}

std::string sql_store::keep_secret(const std::string& name, const std::string& fresh) {
    auto& put = stmt(
        "INSERT INTO gateway_secrets (name, value) VALUES (?, ?) "
        "ON CONFLICT (name) DO NOTHING");
    put.bind(1, name).bind(2, fresh);
    put.run();
    auto& q = stmt("SELECT value FROM gateway_secrets WHERE name = ?");
    q.bind(1, name);
    std::string value = q.step() ? q.text(0) : fresh;
    q.reset();
    return value;
}

void sql_store::write_token(const channel_token& t) {
    auto& up = stmt(
        "INSERT INTO channel_tokens (channel, access_token, refresh_token, expires_at, "
        "updated_at, seed) VALUES (?,?,?,?,?,?) ON CONFLICT (channel) DO UPDATE SET "
        "access_token = excluded.access_token, refresh_token = excluded.refresh_token, "
        "expires_at = excluded.expires_at, updated_at = excluded.updated_at, "
        "seed = excluded.seed, refreshing_by = '', refreshing_until = NULL");
    up.bind(1, t.channel).bind(2, t.access_token).bind(3, t.refresh_token);
    if (t.expires_at)
        up.bind(4, *t.expires_at);
    else
        up.bind_null(4);
    up.bind(5, t.updated_at).bind(6, t.seed);
    up.run();
}

}  // namespace dgw::store::sql
