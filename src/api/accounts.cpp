#include "dgw/api/accounts.hpp"

#include <dgw/flow/answers.hpp>

#include "dgw/api/access.hpp"
#include "dgw/api/secrets.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dgw::api {
namespace {

using nlohmann::json;

json account_json(const store::user& u) {
    return {{"role", u.role}, {"scope", u.scope}, {"disabled", u.disabled}, {"office", u.office},
            {"phone", u.phone}};
}

bool active_admin(const store::user& u) { return u.role == "admin" && !u.disabled; }

// Nobody could manage accounts, flows or the schedule without an active admin.
bool last_active_admin(store::store& db, const store::user& u) {
    if (!active_admin(u)) return false;
    auto users = db.list_users();
    return std::count_if(users.begin(), users.end(), active_admin) == 1;
}

// A refused account operation: its error, its words for the command line, and its kind.
template <class Result>
Result& refused(Result& out, account_error kind, api_error problem) {
    out.error = message_of(problem, "en");
    out.problem = std::move(problem);
    out.kind = kind;
    return out;
}

}  // namespace

bool valid_user_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    if (!alnum(name.front())) return false;
    for (char c : name)
        if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
    return true;
}

std::optional<api_error> scope_problem(std::string_view role,
                                       const std::vector<std::string>& scope,
                                       const dialogue::dialogue_config* dialogue) {
    auto r = parse_role(role);
    if (!r) return api_error{error::role_unknown, {{"field", "role"}, {"role", role}}};
    if (*r == role::official && scope.empty())
        return api_error{error::scope_required, {{"field", "scope"}}};
    if (*r != role::official && !scope.empty())
        return api_error{error::scope_not_official, {{"field", "scope"}}};
    if (!dialogue) return std::nullopt;
    for (const auto& s : scope)
        if (!dialogue->find_unit(s) && !dialogue->find_level(s))
            return api_error{error::scope_unknown, {{"field", "scope"}, {"scope", s}}};
    return std::nullopt;
}

one_time_password make_one_time_password() {
    one_time_password p;
    p.text = readable_password();
    p.hash = hash_password(p.text);
    return p;
}

add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, const one_time_password& password,
                         store::time_point now, const std::string& actor,
                         const dialogue::dialogue_config* dialogue) {
    add_user_result out;
    if (!valid_user_name(name))
        return refused(out, account_error::invalid,
                       {error::user_name_invalid, {{"field", "name"}, {"name", name}}});
    if (auto no = scope_problem(role, scope, dialogue))
        return refused(out, account_error::invalid, std::move(*no));
    created_account acc;
    acc.password = password.text;
    acc.user.name = name;
    acc.user.role = role;
    acc.user.scope = scope;
    acc.user.password_hash = password.hash;
    acc.user.must_change_password = true;
    acc.user.created_at = acc.user.updated_at = now;
    db.transact([&] {
        auto id = db.add_user(acc.user);
        if (!id) return;
        acc.user.id = *id;
        db.append_audit({0, now, actor, "user.add", "user:" + name, "",
                         json{{"role", role}, {"scope", scope}}.dump()});
    });
    if (acc.user.id == 0)
        return refused(out, account_error::conflict,
                       {error::user_exists, {{"field", "name"}, {"name", name}}});
    out.account = std::move(acc);
    return out;
}

add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, store::time_point now) {
    // Checked first so that a refused name costs no scrypt.
    if (!valid_user_name(name) || scope_problem(role, scope, nullptr))
        return add_user(db, name, role, scope, {}, now, "cli");
    return add_user(db, name, role, scope, make_one_time_password(), now, "cli");
}

user_change_result change_user(store::store& db, const std::string& name,
                               const user_change& change, store::time_point now,
                               const std::string& actor,
                               const dialogue::dialogue_config* dialogue) {
    user_change_result out;
    auto u = db.find_user_by_name(name);
    if (!u) return refused(out, account_error::not_found, {error::user_not_found, {{"name", name}}});
    store::user after = *u;
    if (change.role) after.role = *change.role;
    if (change.scope)
        after.scope = *change.scope;
    else if (change.role && *change.role != "official")
        after.scope.clear();
    if (change.disabled) after.disabled = *change.disabled;
    constexpr std::size_t max_office_bytes = 200;
    if (change.office) {
        if (change.office->size() > max_office_bytes)
            return refused(out, account_error::invalid,
                           {error::field_too_long, {{"field", "office"}, {"limit", max_office_bytes}}});
        after.office = *change.office;
    }
    if (change.phone) {
        after.phone.clear();
        if (!change.phone->empty()) {
            auto e164 = flow::normalize_phone(*change.phone);
            if (!e164)
                return refused(out, account_error::invalid,
                               {error::phone_invalid, {{"field", "phone"}, {"phone", *change.phone}}});
            after.phone = *e164;
        }
    }
    if (auto no = scope_problem(after.role, after.scope, dialogue))
        return refused(out, account_error::invalid, std::move(*no));
    if (!active_admin(after) && last_active_admin(db, *u))
        return refused(out, account_error::conflict,
                       {error::last_active_admin, {{"field", "role"}, {"name", name}}});
    after.updated_at = now;
    db.transact([&] {
        if (after.role != u->role || after.scope != u->scope)
            db.set_role(u->id, after.role, after.scope, now);
        if (after.disabled != u->disabled) db.set_disabled(u->id, after.disabled, now);
        if (after.office != u->office || after.phone != u->phone)
            db.set_office(u->id, after.office, after.phone, now);
        db.append_audit({0, now, actor, "user.update", "user:" + name, account_json(*u).dump(),
                         account_json(after).dump()});
    });
    out.user = std::move(after);
    return out;
}

bool set_user_disabled(store::store& db, const std::string& name, bool disabled,
                       store::time_point now) {
    user_change change;
    change.disabled = disabled;
    return change_user(db, name, change, now, "cli").user.has_value();
}

bool reset_password(store::store& db, const std::string& name, const one_time_password& password,
                    store::time_point now, const std::string& actor) {
    auto u = db.find_user_by_name(name);
    if (!u) return false;
    db.transact([&] {
        db.set_password(u->id, password.hash, true, now);
        // Whoever is logged in as them now may be who made the reset necessary.
        db.delete_login_sessions_of(u->id, "");
        db.append_audit({0, now, actor, "password.reset", "user:" + name, "", ""});
    });
    return true;
}

std::optional<std::string> issue_token(store::store& db, const std::string& name,
                                       store::time_point now, const std::string& actor) {
    auto u = db.find_user_by_name(name);
    if (!u || u->disabled) return std::nullopt;
    // The prefix makes a leaked token recognisable in logs and secret scanners.
    std::string token = "dgw_" + random_token();
    db.transact([&] {
        db.add_api_token({0, u->id, sha256_hex(token), now});
        db.append_audit({0, now, actor, "token.issue", "user:" + name, "", ""});
    });
    return token;
}

std::optional<std::string> ensure_first_admin(store::store& db, store::time_point now) {
    if (db.count_users() > 0) return std::nullopt;
    auto r = add_user(db, "admin", "admin", {}, now);
    if (!r.account) return std::nullopt;
    return r.account->password;
}

}  // namespace dgw::api
