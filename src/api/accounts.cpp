#include "dgw/api/accounts.hpp"

#include "dgw/api/access.hpp"
#include "dgw/api/secrets.hpp"

#include <nlohmann/json.hpp>

namespace dgw::api {

bool valid_user_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(name.front())) return false;
    for (char c : name)
        if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
    return true;
}

add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, store::time_point now) {
    add_user_result out;
    auto r = parse_role(role);
    if (!valid_user_name(name)) {
        out.error = "invalid user name \"" + name +
                    "\": use 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit";
    } else if (!r) {
        out.error = "unknown role \"" + role + "\": use admin, official or viewer";
    } else if (*r == role::official && scope.empty()) {
        out.error = "an official needs a scope (--scope with unit codes or level ids)";
    } else if (*r != role::official && !scope.empty()) {
        out.error = "only officials have a scope";
    }
    if (!out.error.empty()) return out;
    created_account acc;
    acc.password = readable_password();
    acc.user.name = name;
    acc.user.role = role;
    acc.user.scope = scope;
    acc.user.password_hash = hash_password(acc.password);
    acc.user.must_change_password = true;
    acc.user.created_at = acc.user.updated_at = now;
    db.transact([&] {
        auto id = db.add_user(acc.user);
        if (!id) return;
        acc.user.id = *id;
        db.append_audit({0, now, "cli", "user.add", "user:" + name, "",
                         nlohmann::json{{"role", role}, {"scope", scope}}.dump()});
    });
    if (acc.user.id == 0) {
        out.error = "user \"" + name + "\" already exists";
        return out;
    }
    out.account = std::move(acc);
    return out;
}

std::optional<std::string> issue_token(store::store& db, const std::string& name,
                                       store::time_point now) {
    auto u = db.find_user_by_name(name);
    if (!u || u->disabled) return std::nullopt;
    // The prefix makes a leaked token recognisable in logs and secret scanners.
    std::string token = "dgw_" + random_token();
    db.transact([&] {
        db.add_api_token({0, u->id, sha256_hex(token), now});
        db.append_audit({0, now, "cli", "token.issue", "user:" + name, "", ""});
    });
    return token;
}

bool set_user_disabled(store::store& db, const std::string& name, bool disabled,
                       store::time_point now) {
    auto u = db.find_user_by_name(name);
    if (!u) return false;
    db.transact([&] {
        db.set_disabled(u->id, disabled, now);
        db.append_audit({0, now, "cli", disabled ? "user.disable" : "user.enable", "user:" + name,
                         "", ""});
    });
    return true;
}

std::optional<std::string> ensure_first_admin(store::store& db, store::time_point now) {
    if (db.count_users() > 0) return std::nullopt;
    auto r = add_user(db, "admin", "admin", {}, now);
    if (!r.account) return std::nullopt;
    return r.account->password;
}

}  // namespace dgw::api
