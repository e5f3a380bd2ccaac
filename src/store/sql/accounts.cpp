// Officials' accounts, login sessions, API tokens and the audit log.
#include "store/sql/store_impl.hpp"

namespace dgw::store::sql {

std::size_t sql_store::count_users() {
    return static_cast<std::size_t>(scalar("SELECT count(*) FROM users"));
}

std::optional<std::int64_t> sql_store::add_user(const user& u) {
    auto& ins = db_->insert(
        "INSERT INTO users (name, role, scope, password_hash, disabled, must_change_password, "
        "created_at, updated_at, office, phone) VALUES (?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT (name) DO NOTHING");
    ins.bind(1, u.name).bind(2, u.role).bind(3, nlohmann::json(u.scope).dump());
    ins.bind(4, u.password_hash).bind(5, u.disabled).bind(6, u.must_change_password);
    ins.bind(7, u.created_at).bind(8, u.updated_at).bind(9, u.office).bind(10, u.phone);
    const auto id = ins.inserted();
    if (id == 0) return std::nullopt;
    return id;
}

std::optional<user> sql_store::find_user(std::int64_t id) {
    auto& q = stmt(std::string(user_select) + " WHERE id = ?");
    q.bind(1, id);
    return first_user(q);
}

std::optional<user> sql_store::find_user_by_name(const std::string& name) {
    auto& q = stmt(std::string(user_select) + " WHERE name = ?");
    q.bind(1, name);
    return first_user(q);
}

std::vector<user> sql_store::list_users() {
    auto& q = stmt(std::string(user_select) + " ORDER BY name");
    return q.all([&](sql::statement& r) { return read_user(r); });
}

void sql_store::set_password(std::int64_t user_id, const std::string& hash, bool must_change,
                  time_point now) {
    auto& u = stmt(
        "UPDATE users SET password_hash = ?, must_change_password = ?, updated_at = ? "
        "WHERE id = ?");
    u.bind(1, hash).bind(2, must_change).bind(3, now).bind(4, user_id);
    u.run();
}

void sql_store::set_role(std::int64_t user_id, const std::string& role,
              const std::vector<std::string>& scope, time_point now) {
    auto& u = stmt("UPDATE users SET role = ?, scope = ?, updated_at = ? WHERE id = ?");
    u.bind(1, role).bind(2, nlohmann::json(scope).dump()).bind(3, now).bind(4, user_id);
    u.run();
}

void sql_store::set_office(std::int64_t user_id, const std::string& office, const std::string& phone,
                time_point now) {
    auto& u = stmt("UPDATE users SET office = ?, phone = ?, updated_at = ? WHERE id = ?");
    u.bind(1, office).bind(2, phone).bind(3, now).bind(4, user_id);
    u.run();
}

void sql_store::set_disabled(std::int64_t user_id, bool disabled, time_point now) {
    transaction tx(*this);
    auto& u = stmt("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?");
    u.bind(1, disabled).bind(2, now).bind(3, user_id);
    u.run();
    if (disabled) delete_login_sessions_of(user_id, "");
    tx.commit();
}

void sql_store::add_login_session(const login_session& s) {
    auto& ins = stmt(
        "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, "
        "last_seen_at) VALUES (?,?,?,?,?)");
    ins.bind(1, s.token_hash).bind(2, s.user_id).bind(3, s.csrf_token);
    ins.bind(4, s.created_at).bind(5, s.last_seen_at);
    ins.run();
}

std::optional<login_session> sql_store::find_login_session(const std::string& token_hash) {
    auto& q = stmt(
        "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at FROM login_sessions "
        "WHERE token_hash = ?");
    q.bind(1, token_hash);
    return q.first([&](sql::statement& r) {
        return login_session{r.text(0), r.i64(1), r.text(2), r.time(3), r.time(4)};
    });
}

void sql_store::touch_login_session(const std::string& token_hash, time_point at) {
    auto& u = stmt("UPDATE login_sessions SET last_seen_at = ? WHERE token_hash = ?");
    u.bind(1, at).bind(2, token_hash);
    u.run();
}

void sql_store::delete_login_session(const std::string& token_hash) {
    auto& d = stmt("DELETE FROM login_sessions WHERE token_hash = ?");
    d.bind(1, token_hash);
    d.run();
}

void sql_store::delete_login_sessions_of(std::int64_t user_id, const std::string& keep_hash) {
    auto& d = stmt("DELETE FROM login_sessions WHERE user_id = ? AND token_hash <> ?");
    d.bind(1, user_id).bind(2, keep_hash);
    d.run();
}

void sql_store::add_api_token(const api_token& t) {
    auto& ins = stmt("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?,?,?)");
    ins.bind(1, t.user_id).bind(2, t.token_hash).bind(3, t.created_at);
    ins.run();
}

std::optional<api_token> sql_store::find_api_token(const std::string& token_hash) {
    auto& q = stmt(
        "SELECT id, user_id, token_hash, created_at FROM api_tokens WHERE token_hash = ?");
    q.bind(1, token_hash);
    return q.first([&](sql::statement& r) {
        return api_token{r.i64(0), r.i64(1), r.text(2), r.time(3)};
    });
}

void sql_store::update_login_memory(const std::string& user, const std::string& address,
                                    time_point forget_before,
                                    const std::function<void(login_memory&)>& decide) {
    transaction tx(*this);
    if (!lite_) {
        // Gateways sharing the database take turns per address (SQLite has one writer).
        auto& lock = stmt("SELECT pg_advisory_xact_lock(" DGW_LOCK_KEY("?", "?") ")");
        lock.bind(1, "login").bind(2, address);
        lock.step();
        lock.reset();
    }
    auto& forget_pairs = stmt("DELETE FROM login_pairs WHERE until_at < ?");
    forget_pairs.bind(1, forget_before);
    forget_pairs.run();
    auto& forget_failures = stmt("DELETE FROM login_failures WHERE at < ?");
    forget_failures.bind(1, forget_before);
    forget_failures.run();

    login_memory m;
    auto& pair = stmt(
        "SELECT failures, until_at FROM login_pairs WHERE user_name = ? AND address = ?");
    pair.bind(1, user).bind(2, address);
    if (pair.step()) {
        m.failures = static_cast<std::size_t>(pair.i64(0));
        m.until = pair.time(1);
    }
    pair.reset();
    auto& failures = stmt("SELECT at FROM login_failures WHERE address = ? ORDER BY at");
    failures.bind(1, address);
    m.address_failures = failures.all([](sql::statement& r) { return r.time(0); });

    const auto before = m;
    decide(m);

    // Written back only where the rule changed something (a look at the memory writes none).
    const bool pair_changed = m.failures != before.failures || m.until != before.until;
    if (pair_changed && m.failures == 0) {
        auto& del = stmt("DELETE FROM login_pairs WHERE user_name = ? AND address = ?");
        del.bind(1, user).bind(2, address);
        del.run();
    } else if (pair_changed) {
        auto& put = stmt(
            "INSERT INTO login_pairs (user_name, address, failures, until_at) VALUES (?,?,?,?) "
            "ON CONFLICT (user_name, address) DO UPDATE SET failures = excluded.failures, "
            "until_at = excluded.until_at");
        put.bind(1, user).bind(2, address).bind(3, static_cast<std::int64_t>(m.failures));
        put.bind(4, m.until);
        put.run();
    }
    // The address's list is small (the throttle caps it): written back whole.
    if (m.address_failures == before.address_failures) {
        tx.commit();
        return;
    }
    auto& clear = stmt("DELETE FROM login_failures WHERE address = ?");
    clear.bind(1, address);
    clear.run();
    for (const auto at : m.address_failures) {
        auto& add = stmt("INSERT INTO login_failures (address, at) VALUES (?, ?)");
        add.bind(1, address).bind(2, at);
        add.run();
    }
    tx.commit();
}

void sql_store::append_audit(const audit_entry& e) {
    auto& ins = stmt(
        "INSERT INTO audit (at, actor, action, target, before, after) VALUES (?,?,?,?,?,?)");
    ins.bind(1, e.at).bind(2, e.actor).bind(3, e.action).bind(4, e.target);
    ins.bind(5, e.before).bind(6, e.after);
    ins.run();
}

std::vector<audit_entry> sql_store::list_audit(const std::string& target, std::size_t limit) {
    auto& q = stmt(
        "SELECT id, at, actor, action, target, before, after FROM audit WHERE target = ? "
        "ORDER BY id LIMIT ?");
    q.bind(1, target).bind(2, static_cast<std::int64_t>(limit));
    return q.all([&](sql::statement& r) {
        return audit_entry{
            r.i64(0), r.time(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)};
    });
}

user sql_store::read_user(sql::statement& q) {
    user u;
    u.id = q.i64(0);
    u.name = q.text(1);
    u.role = q.text(2);
    u.scope = stored<std::vector<std::string>>(q.text(3), "users", u.name, "scope");
    u.password_hash = q.text(4);
    u.disabled = q.boolean(5);
    u.must_change_password = q.boolean(6);
    u.created_at = q.time(7);
    u.updated_at = q.time(8);
    u.office = q.text(9);
    u.phone = q.text(10);
    return u;
}

std::optional<user> sql_store::first_user(sql::statement& q) {
    return q.first([&](sql::statement& r) { return read_user(r); });
}

}  // namespace dgw::store::sql
