// Accounts managed by admins (issue 7 §1): list, add with a one-time password, change role,
// scope or disabled, reset a password, issue an API token. The rules live in accounts.cpp,
// shared with the `users` commands; here they run on the database thread, and the slow
// scrypt hashing runs on the KDF thread before. Secrets are answered once, never stored in
// clear, never in an audit line.

#include "api/service.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/api/secrets.hpp>
#include <dgw/domain/followup.hpp>

#include <boost/beast/http/field.hpp>

namespace dgw::api {
namespace {

using nlohmann::json;

json user_json(const store::user& u) {
    return {{"name", u.name},
            {"role", u.role},
            {"scope", u.scope},
            {"office", u.office},
            {"phone", u.phone},
            {"disabled", u.disabled},
            {"must_change_password", u.must_change_password},
            {"created_at", core::utc_text(u.created_at)}};
}

// A response carrying a secret shown once: no cache may keep it.
http::response secret_response(http::status status, const json& body) {
    auto res = http::json_response(status, body);
    res.set(beast::http::field::cache_control, "no-store");
    return res;
}

// `scope` of a body: absent, or an array of strings.
bool read_scope(const json& body, std::optional<std::vector<std::string>>& out) {
    auto it = body.find("scope");
    if (it == body.end()) return true;
    if (!it->is_array()) return false;
    std::vector<std::string> scope;
    for (const auto& s : *it) {
        if (!s.is_string()) return false;
        scope.push_back(s.get<std::string>());
    }
    out = std::move(scope);
    return true;
}

}  // namespace

net::awaitable<http::response> service::list_users(http::request_context&, const principal&) {
    auto work = [](store::store& s) { return s.list_users(); };
    auto users = co_await on_db(work);
    json items = json::array();
    for (const auto& u : users) items.push_back(user_json(u));
    co_return ok({{"items", items}, {"work_reminder_days", domain::work_reminder_days}});
}

net::awaitable<http::response> service::add_user(http::request_context& c, const principal& p,
                                                 const nlohmann::json& body) {
    for (const auto& [k, v] : body.items())
        if (k != "name" && k != "role" && k != "scope" && k != "password")
            co_return refuse(error::field_unknown,
                             {{"field", k}, {"allowed", "name, role, scope, password"}});
    auto name = string_member(body, "name");
    auto role = string_member(body, "role");
    std::optional<std::vector<std::string>> scope;
    if (!name || !role || !read_scope(body, scope))
        co_return refuse(error::user_fields_invalid);
    auto sc = scope.value_or(std::vector<std::string>{});
    // Refused before the password is hashed: a bad request costs no scrypt.
    if (!valid_user_name(*name))
        co_return refuse(error::user_name_invalid, {{"field", "name"}, {"name", *name}});
    if (auto no = scope_problem(*role, sc, deps_.dialogue.get())) co_return refuse(*no);
    auto chosen = string_member(body, "password");
    if (body.contains("password") && !chosen) co_return refuse(error::not_a_string, {{"field", "password"}});
    if (chosen)
        if (auto no = password_refusal(c, *chosen, *name)) co_return *no;
    one_time_password password;
    password.text = chosen ? *chosen : readable_password();
    password.hash = co_await hash_off_thread(password.text);
    const auto now = deps_.now();
    auto cfg = deps_.dialogue;
    auto who = p.name;
    auto n = *name;
    auto r = *role;
    auto work = [cfg, who, n, r, sc, password, now](store::store& s) {
        return api::add_user(s, n, r, sc, password, now, who, cfg.get());
    };
    auto added = co_await on_db(work);
    if (!added.account) co_return refuse(*added.problem);
    json answer = {{"user", user_json(added.account->user)}};
    // A password the admin typed is not echoed: it was never the server's secret to show.
    if (!chosen) answer["password"] = added.account->password;
    co_return secret_response(http::status::created, answer);
}

net::awaitable<http::response> service::patch_user(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body) {
    user_change change;
    for (const auto& [k, v] : body.items()) {
        if (k == "role" && v.is_string()) {
            change.role = v.get<std::string>();
        } else if (k == "disabled" && v.is_boolean()) {
            change.disabled = v.get<bool>();
        } else if (k == "office" && v.is_string()) {
            change.office = v.get<std::string>();
        } else if (k == "phone" && v.is_string()) {
            change.phone = v.get<std::string>();
        } else if (k != "scope") {
            co_return refuse(error::field_invalid,
                             {{"field", k},
                              {"allowed", "role: string, scope: array of strings, disabled: boolean, "
                                          "office: string, phone: string"}});
        }
    }
    if (!read_scope(body, change.scope)) co_return refuse(error::scope_invalid, {{"field", "scope"}});
    if (body.empty()) co_return refuse(error::user_change_empty);
    const auto now = deps_.now();
    auto cfg = deps_.dialogue;
    auto who = p.name;
    auto name = c.params["name"];
    auto work = [cfg, who, name, change, now](store::store& s) {
        return change_user(s, name, change, now, who, cfg.get());
    };
    auto changed = co_await on_db(work);
    if (!changed.user) co_return refuse(*changed.problem);
    co_return ok({{"user", user_json(*changed.user)}});
}

net::awaitable<http::response> service::reset_password(http::request_context& c,
                                                       const principal& p) {
    auto name = c.params["name"];
    // An empty body draws a random one-time password; {"password"} sets the one the admin typed
    // (still to be changed at the next login: the admin knows it).
    std::optional<std::string> chosen;
    if (!c.req.body().empty()) {
        http::response error;
        auto body = json_body(c, error);
        if (!body) co_return error;
        for (const auto& [k, v] : body->items())
            if (k != "password") co_return refuse(error::field_unknown, {{"field", k}, {"allowed", "password"}});
        chosen = string_member(*body, "password");
        if (!chosen) co_return refuse(error::not_a_string, {{"field", "password"}});
        if (auto no = password_refusal(c, *chosen, name)) co_return *no;
    }
    auto find = [name](store::store& s) { return s.find_user_by_name(name).has_value(); };
    if (!co_await on_db(find)) co_return refuse(error::user_not_found, {{"name", name}});
    one_time_password password;
    password.text = chosen ? *chosen : readable_password();
    password.hash = co_await hash_off_thread(password.text);
    const auto now = deps_.now();
    auto who = p.name;
    auto work = [who, name, password, now](store::store& s) {
        return api::reset_password(s, name, password, now, who);
    };
    if (!co_await on_db(work)) co_return refuse(error::user_not_found, {{"name", name}});
    json answer = {{"name", name}, {"must_change_password", true}};
    if (!chosen) answer["password"] = password.text;
    co_return secret_response(http::status::ok, answer);
}

net::awaitable<http::response> service::issue_token(http::request_context& c, const principal& p) {
    const auto now = deps_.now();
    auto who = p.name;
    auto name = c.params["name"];
    auto work = [who, name, now](store::store& s) { return api::issue_token(s, name, now, who); };
    auto token = co_await on_db(work);
    if (!token) co_return refuse(error::active_user_not_found, {{"name", name}});
    co_return secret_response(http::status::created, {{"name", name}, {"token", *token}});
}

}  // namespace dgw::api
