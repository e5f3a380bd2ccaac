#include "api/service.hpp"

#include <dgw/api/messages.hpp>
#include <dgw/api/password_policy.hpp>
#include <dgw/api/secrets.hpp>
#include <dgw/core/ip_address.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

namespace dgw::api {
namespace {

using nlohmann::json;
namespace field = beast::http;

constexpr const char* session_cookie = "dgw_session";

net::awaitable<bool> verify_task(std::string password, std::string hash) {
    co_return verify_password(password, hash);
}

net::awaitable<std::string> hash_task(std::string password) { co_return hash_password(password); }
net::awaitable<std::string> document_task(std::function<std::string()> make) { co_return make(); }

json principal_json(const principal& p) {
    return {{"name", p.name},
            {"role", to_string(p.role)},
            {"scope", p.scope},
            {"must_change_password", p.must_change_password}};
}

std::string cookie(const std::string& value, bool tls, bool clear) {
    std::string c =
        std::string(session_cookie) + "=" + value + "; HttpOnly; SameSite=Strict; Path=/";
    if (clear) c += "; Max-Age=0";
    if (tls) c += "; Secure";
    return c;
}

}  // namespace

// ----- shared helpers ----------------------------------------------------------------------------

std::optional<json> json_body(const http::request_context& c, http::response& error) {
    auto j = json::parse(c.req.body(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        error = refuse(error::invalid_json);
        return std::nullopt;
    }
    return j;
}

std::optional<std::string> string_member(const json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

http::response ok(const json& body) { return http::json_response(http::status::ok, body); }

std::string request_language(const http::request_context& c) {
    if (c.query_param("lang") == "en") return "en";
    const auto it = c.req.find(field::field::accept_language);
    if (it != c.req.end() && it->value().substr(0, 2) == "en") return "en";
    return "vi";
}

std::optional<http::response> password_refusal(const http::request_context& c,
                                               std::string_view password,
                                               std::string_view user_name) {
    const auto problem = check_password(password, user_name);
    if (problem == password_problem::none) return std::nullopt;
    return http::error_response(http::status::bad_request, password_problem_code(problem),
                                password_problem_message(problem, request_language(c)));
}

store::audit_entry audit_line(const principal& p, store::time_point now, std::string action,
                              std::string target, const json& before, const json& after) {
    return {0,
            now,
            p.name,
            std::move(action),
            std::move(target),
            before.is_null() ? "" : before.dump(),
            after.is_null() ? "" : after.dump()};
}

// ----- plumbing ---------------------------------------------------------------------------------

service::service(api_deps deps)
    : deps_(std::move(deps)),
      logins_(deps_.options.logins),
      dummy_hash_(hash_password(random_token())),
      started_(deps_.now ? deps_.now() : store::time_point{}) {}

void service::register_routes(http::router& r, const std::shared_ptr<service>& self) {
    using http::verb;
    auto add = [&](verb v, const char* path, unsigned allowed, member fn, bool early = false) {
        r.add(v, path, [self, allowed, fn, early](http::request_context& c) {
            return self->guarded(c, allowed, fn, early);
        });
    };
    r.add(verb::post, "/api/v1/auth/login",
          [self](http::request_context& c) { return self->unauthenticated(c, &service::login); });
    // The public page of answers: no login.
    for (const char* path : {"/ket-qua", "/ket-qua.json"})
        r.add(verb::get, path, [self](http::request_context& c) {
            return self->unauthenticated(c, &service::public_results);
        });
    r.add(verb::get, "/ket-qua.css", [self](http::request_context& c) {
        return self->unauthenticated(c, &service::public_results_css);
    });
    r.add(verb::get, "/ket-qua/anh/{id}", [self](http::request_context& c) {
        return self->unauthenticated(c, &service::public_photo);
    });
    // What integrators read first: no login.
    r.add(verb::get, "/api/v1/openapi.json", [self](http::request_context& c) {
        return self->unauthenticated(c, &service::openapi_document);
    });
    // The sessions as a calendar citizens subscribe to: no login either.
    r.add(verb::get, "/sessions.ics", [self](http::request_context& c) {
        return self->unauthenticated(c, &service::sessions_calendar);
    });
    // Open311 GeoReport v2: other systems read the province's concerns, no login; each path
    // in .json and .xml (the format is part of the last segment).
    auto open311 = [&](verb v, const char* path, open_member fn) {
        r.add(v, path, [self, fn](http::request_context& c) { return self->open311_answered(c, fn); });
    };
    for (const char* path : {"/open311/v2/discovery.json", "/open311/v2/discovery.xml"})
        open311(verb::get, path, &service::open311_discovery);
    for (const char* path : {"/open311/v2/services.json", "/open311/v2/services.xml"})
        open311(verb::get, path, &service::open311_services);
    open311(verb::get, "/open311/v2/services/{code}", &service::open311_service);
    for (const char* path : {"/open311/v2/requests.json", "/open311/v2/requests.xml"})
        open311(verb::get, path, &service::open311_requests);
    open311(verb::get, "/open311/v2/requests/{id}", &service::open311_request);
    // Client systems file concerns with their api_key (in the form, as the spec has it).
    for (const char* path : {"/open311/v2/requests.json", "/open311/v2/requests.xml"})
        open311(verb::post, path, &service::open311_post_request);
    open311(verb::get, "/open311/v2/tokens/{token}", &service::open311_token);
    add(verb::post, "/api/v1/auth/logout", everyone, &service::logout, true);
    add(verb::get, "/api/v1/auth/me", everyone, &service::me, true);
    add(verb::post, "/api/v1/auth/password", everyone,
        &service::with_body<&service::change_password>, true);
    add(verb::get, "/api/v1/users", admins, &service::list_users);
    add(verb::post, "/api/v1/users", admins, &service::with_body<&service::add_user>);
    add(verb::patch, "/api/v1/users/{name}", admins, &service::with_body<&service::patch_user>);
    add(verb::post, "/api/v1/users/{name}/password", admins, &service::reset_password);
    add(verb::post, "/api/v1/users/{name}/tokens", admins, &service::issue_token);

    add(verb::get, "/api/v1/concerns", everyone, &service::list_concerns);
    add(verb::post, "/api/v1/concerns", staff, &service::with_body<&service::register_concern>);
    add(verb::post, "/api/v1/concerns/import", staff, &service::with_body<&service::import_concerns>);
    add(verb::get, "/api/v1/concerns/{ref}", everyone, &service::get_concern);
    add(verb::get, "/api/v1/concerns/{ref}/photos/{n}", staff, &service::concern_photo);
    add(verb::post, "/api/v1/concerns/{ref}/photos/{n}/publish", staff,
        &service::with_body<&service::publish_photo>);
    add(verb::patch, "/api/v1/concerns/{ref}", staff, &service::with_body<&service::patch_concern>);
    add(verb::get, "/api/v1/stats/inferences", everyone, &service::inference_stats);
    add(verb::get, "/api/v1/stats/dashboard", everyone, &service::dashboard);
    add(verb::get, "/api/v1/stats/dashboard.xlsx", everyone, &service::dashboard_workbook);
    add(verb::post, "/api/v1/concerns/{ref}/merge", staff,
        &service::with_body<&service::merge_concern>);

    add(verb::get, "/api/v1/sessions", everyone, &service::list_sessions);
    add(verb::post, "/api/v1/sessions", admins, &service::with_body<&service::create_session>);
    add(verb::get, "/api/v1/localities", everyone, &service::localities);
    add(verb::get, "/api/v1/localities/search", everyone, &service::find_localities);
    add(verb::patch, "/api/v1/sessions/{id}", admins, &service::with_body<&service::patch_session>);
    add(verb::delete_, "/api/v1/sessions/{id}", admins, &service::delete_session);
    add(verb::get, "/api/v1/sessions/{id}/agenda", everyone, &service::agenda);
    add(verb::get, "/api/v1/sessions/{id}/agenda.csv", everyone, &service::csv_agenda);
    add(verb::get, "/api/v1/sessions/{id}/agenda.xlsx", everyone, &service::xlsx_agenda);
    add(verb::get, "/api/v1/sessions/{id}/agenda.html", everyone, &service::printable_agenda);
    add(verb::get, "/api/v1/sessions/{id}/minutes.html", everyone, &service::printable_minutes);
    add(verb::get, "/api/v1/sessions/{id}/minutes.odt", everyone, &service::odt_minutes);
    add(verb::get, "/api/v1/sessions/{id}/minutes.xlsx", everyone, &service::xlsx_minutes);
    add(verb::post, "/api/v1/sessions/{id}/agenda/move", staff,
        &service::with_body<&service::move_to_group>);
    add(verb::patch, "/api/v1/sessions/{id}/agenda/groups/{group}", staff,
        &service::with_body<&service::name_group>);
    add(verb::post, "/api/v1/sessions/{id}/agenda/groups/{group}/raised", staff,
        &service::with_body<&service::mark_raised>);
    add(verb::post, "/api/v1/sessions/{id}/answers", staff, &service::with_body<&service::answer>);
    add(verb::get, "/api/v1/sessions/{id}/reach", everyone, &service::reach);
    add(verb::get, "/api/v1/sessions/{id}/invite", everyone, &service::session_invite);
    add(verb::post, "/api/v1/sessions/{id}/notes", staff, &service::with_body<&service::session_note>);
    add(verb::get, "/api/v1/followups", staff, &service::list_followups);
    add(verb::post, "/api/v1/concerns/{ref}/followup/close", staff,
        &service::with_body<&service::close_followup>);

    add(verb::get, "/api/v1/handoffs", staff, &service::list_handoffs);
    add(verb::get, "/api/v1/handoffs/{id}", staff, &service::get_handoff);
    add(verb::post, "/api/v1/handoffs/{id}/reply", staff,
        &service::with_body<&service::reply_handoff>);
    add(verb::post, "/api/v1/handoffs/{id}/concern", staff,
        &service::with_body<&service::handoff_concern>);
    add(verb::post, "/api/v1/handoffs/{id}/close", staff,
        &service::with_body<&service::close_handoff>);

    add(verb::get, "/api/v1/flows", admins, &service::list_flows);
    add(verb::post, "/api/v1/flows/validate", admins, &service::with_body<&service::validate_flow>);
    add(verb::post, "/api/v1/flows/simulate", admins, &service::with_body<&service::simulate>);
    add(verb::get, "/api/v1/flows/{id}", admins, &service::get_flow);
    add(verb::get, "/api/v1/flows/{id}/versions/{version}", admins, &service::get_flow_version);
    add(verb::put, "/api/v1/flows/{id}/draft", admins,
        &service::with_body<&service::save_flow_draft>);
    add(verb::post, "/api/v1/flows/{id}/publish", admins, &service::publish_flow);
    add(verb::post, "/api/v1/flows/{id}/rollback", admins,
        &service::with_body<&service::rollback_flow>);
    add(verb::get, "/api/v1/flows/{id}/diff", admins, &service::diff_flow);
    add(verb::get, "/api/v1/flows/{id}/counts", admins, &service::flow_counts);

    add(verb::get, "/api/v1/messages", admins, &service::messages);
    add(verb::get, "/api/v1/contacts/{id}/export", admins, &service::export_contact);
    add(verb::post, "/api/v1/contacts/{id}/erase", admins, &service::erase_contact);
}

net::awaitable<http::response> service::unauthenticated(http::request_context& c, open_member fn) {
    auto res = co_await answered(c, fn);
    localize(res, request_language(c));
    co_return res;
}

net::awaitable<http::response> service::answered(http::request_context& c, open_member fn) {
    std::string failure;
    try {
        co_return co_await (this->*fn)(c);
    } catch (const store::unavailable& e) {
        failure = e.what();
    }
    co_return unavailable(failure);
}

http::response service::unavailable(const std::string& why) {
    if (deps_.log) deps_.log->error("api", "store unavailable: " + why);
    return refuse(error::store_unavailable);
}

net::awaitable<http::response> service::guarded(http::request_context& c, unsigned allowed,
                                                member fn, bool before_password_change) {
    auto res = co_await admitted(c, allowed, fn, before_password_change);
    localize(res, request_language(c));
    co_return res;
}

net::awaitable<http::response> service::admitted(http::request_context& c, unsigned allowed,
                                                 member fn, bool before_password_change) {
    std::string failure;
    try {
        auto who = co_await authenticate(c);
        if (!who)
            co_return refuse(error::unauthorized);
        if (!csrf_ok(*who, c.req.method_string(), c.req["X-CSRF-Token"]))
            co_return refuse(error::csrf_required);
        if (who->must_change_password && !before_password_change)
            co_return refuse(error::password_change_required);
        const unsigned bit = who->role == role::admin      ? admins
                             : who->role == role::official ? officials
                                                           : viewers;
        if ((allowed & bit) == 0) co_return refuse(error::role_forbidden);
        co_return co_await (this->*fn)(c, *who);
    } catch (const store::unavailable& e) {
        failure = e.what();
    }
    co_return unavailable(failure);
}

net::awaitable<bool> service::verify_off_thread(std::string password, std::string hash) {
    co_return co_await net::co_spawn(
        kdf_.get_executor(), verify_task(std::move(password), std::move(hash)), net::use_awaitable);
}

net::awaitable<std::string> service::document_off_thread(std::function<std::string()> make) {
    co_return co_await net::co_spawn(kdf_.get_executor(), document_task(std::move(make)),
                                     net::use_awaitable);
}

net::awaitable<std::string> service::hash_off_thread(std::string password) {
    co_return co_await net::co_spawn(kdf_.get_executor(), hash_task(std::move(password)),
                                     net::use_awaitable);
}

// ----- auth
// ---------------------------------------------------------------------------------------

net::awaitable<std::optional<principal>> service::authenticate(http::request_context& c) {
    // A bearer token wins over a cookie: scripts send no cookies, and a browser cannot add
    // an Authorization header to a cross-site request.
    const std::string bearer = bearer_token(c.req[field::field::authorization]);
    const std::string cookie_token = cookie_value(c.req[field::field::cookie], session_cookie);
    if (bearer.empty() && cookie_token.empty()) co_return std::nullopt;
    const auto now = deps_.now();
    const auto policy = deps_.options.sessions;
    auto find = [bearer, cookie_token, now, policy](store::store& s) -> std::optional<principal> {
        principal p;
        std::optional<store::user> u;
        if (!bearer.empty()) {
            auto t = s.find_api_token(sha256_hex(bearer));
            if (!t) return std::nullopt;
            u = s.find_user(t->user_id);
        } else {
            auto hash = sha256_hex(cookie_token);
            auto ls = s.find_login_session(hash);
            if (!ls) return std::nullopt;
            if (!session_alive(ls->created_at, ls->last_seen_at, now, policy)) {
                s.delete_login_session(hash);
                return std::nullopt;
            }
            // One write a minute at most per session, not one per request.
            if (now - ls->last_seen_at > std::chrono::minutes(1)) s.touch_login_session(hash, now);
            u = s.find_user(ls->user_id);
            p.by_cookie = true;
            p.session_hash = hash;
            p.csrf_token = ls->csrf_token;
        }
        if (!u || u->disabled) return std::nullopt;
        p.user_id = u->id;
        p.name = u->name;
        p.role = parse_role(u->role).value_or(role::viewer);
        p.scope = u->scope;
        p.must_change_password = u->must_change_password;
        return p;
    };
    co_return co_await on_db(find);
}

// True for "application/json" with or without parameters. A browser sends any other type a
// page may choose (text/plain, forms) cross-site without asking the server first; this one
// needs a CORS preflight, which the gateway never grants.
static bool json_content_type(std::string_view type) {
    type = type.substr(0, type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
    constexpr std::string_view want = "application/json";
    if (type.size() != want.size()) return false;
    for (std::size_t i = 0; i < want.size(); ++i)
        if ((type[i] | 0x20) != want[i]) return false;
    return true;
}

net::awaitable<http::response> service::login(http::request_context& c) {
    // Only JSON, so that no other site's page can make its visitors' browsers try passwords.
    if (!json_content_type(c.req[field::field::content_type]))
        co_return refuse(error::unsupported_media_type);
    http::response error;
    auto body = json_body(c, error);
    if (!body) co_return error;
    auto name = string_member(*body, "username");
    auto password = string_member(*body, "password");
    if (!name || !password || name->empty() || name->size() > 200)
        co_return refuse(error::login_fields_required);
    const auto now = deps_.now();
    // An IPv6 client is its /64: it could otherwise take a fresh address for every attempt.
    const auto from = core::limit_key(c.remote_address);
    auto n = *name;
    // The throttle's memory is in the store: every gateway on the database applies it.
    auto try_login = [this, n, from, now](store::store& s) {
        return logins_.attempt(s, n, from, now);
    };
    const auto wait = co_await on_db(try_login);
    if (wait.count() > 0) {
        auto res = refuse(error::too_many_attempts);
        res.set(field::field::retry_after, std::to_string(wait.count()));
        co_return res;
    }
    auto find_user = [n](store::store& s) { return s.find_user_by_name(n); };
    auto user = co_await on_db(find_user);
    const bool known = user && !user->disabled;
    bool good = co_await verify_off_thread(*password, known ? user->password_hash : dummy_hash_);
    if (!known || !good) {
        if (deps_.log) deps_.log->info("api", "failed login from " + c.remote_address);
        auto note_failure = [this, n, from, now](store::store& s) {
            return logins_.failed(s, n, from, now);
        };
        const auto throttles = co_await on_db(note_failure);
        if (!throttles.empty()) {
            // Who was slowed down, from where and until when: the trace of an attack (or of
            // a forgetful official) an admin can read later.
            std::vector<store::audit_entry> lines;
            for (const auto& t : throttles) {
                principal nobody;
                nobody.name = "-";
                lines.push_back(
                    audit_line(nobody, now, "login.throttled",
                               t.user.empty() ? "address:" + t.address : "user:" + t.user, nullptr,
                               json{{"address", t.address},
                                    {"failures", t.failures},
                                    {"until", core::utc_text(t.until)}}));
            }
            auto write = [lines](store::store& s) {
                s.transact([&] {
                    for (const auto& l : lines) s.append_audit(l);
                });
            };
            co_await on_db(write);
        }
        // The same answer for an unknown user and a wrong password.
        co_return refuse(error::invalid_credentials);
    }
    auto note_success = [this, n, from, now](store::store& s) {
        return logins_.succeeded(s, n, from, now);
    };
    const bool was_throttled = co_await on_db(note_success);
    store::login_session ls;
    const std::string token = random_token();
    ls.token_hash = sha256_hex(token);
    ls.user_id = user->id;
    ls.csrf_token = random_token();
    ls.created_at = ls.last_seen_at = now;
    principal p;
    p.name = user->name;
    p.role = parse_role(user->role).value_or(role::viewer);
    p.scope = user->scope;
    p.must_change_password = user->must_change_password;
    std::vector<store::audit_entry> entries;
    if (was_throttled)
        entries.push_back(audit_line(p, now, "login.unthrottled", "user:" + user->name, nullptr,
                                     json{{"address", c.remote_address}}));
    entries.push_back(audit_line(p, now, "login", "user:" + user->name, nullptr,
                                 json{{"address", c.remote_address}}));
    auto open_session = [ls, entries](store::store& s) {
        s.transact([&] {
            s.add_login_session(ls);
            for (const auto& e : entries) s.append_audit(e);
        });
    };
    co_await on_db(open_session);
    auto res = ok({{"csrf_token", ls.csrf_token}, {"user", principal_json(p)}});
    res.set(field::field::set_cookie, cookie(token, c.tls, false));
    res.set(field::field::cache_control, "no-store");
    co_return res;
}

net::awaitable<http::response> service::logout(http::request_context& c, const principal& p) {
    if (p.by_cookie) {
        auto hash = p.session_hash;
        auto work = [hash](store::store& s) { s.delete_login_session(hash); };
        co_await on_db(work);
    }
    auto res = ok({{"logged_out", true}});
    res.set(field::field::set_cookie, cookie("", c.tls, true));
    co_return res;
}

net::awaitable<http::response> service::me(http::request_context&, const principal& p) {
    json body = {{"user", principal_json(p)}};
    // A page reloaded in the browser gets its CSRF token back here (same-origin only: the
    // server sends no CORS headers).
    if (p.by_cookie) body["csrf_token"] = p.csrf_token;
    co_return ok(body);
}

net::awaitable<http::response> service::change_password(http::request_context& c, const principal& p,
                                                        const nlohmann::json& body) {
    auto current = string_member(body, "current_password");
    auto next = string_member(body, "new_password");
    if (!current || !next) co_return refuse(error::password_fields_required);
    if (auto no = password_refusal(c, *next, p.name)) co_return *no;
    if (*next == *current) co_return refuse(error::password_unchanged);
    const auto id = p.user_id;
    auto find_user = [id](store::store& s) { return s.find_user(id); };
    auto user = co_await on_db(find_user);
    if (!user) co_return refuse(error::user_not_found, {{"name", p.name}});
    if (!co_await verify_off_thread(*current, user->password_hash))
        co_return refuse(error::current_password_wrong);
    auto hash = co_await hash_off_thread(*next);
    const auto now = deps_.now();
    auto entry = audit_line(p, now, "password.change", "user:" + p.name, nullptr, nullptr);
    const auto keep = p.session_hash;
    auto save = [id, hash, now, entry, keep](store::store& s) {
        s.transact([&] {
            s.set_password(id, hash, false, now);
            // Whoever knew the old password is logged out everywhere else.
            s.delete_login_sessions_of(id, keep);
            s.append_audit(entry);
        });
    };
    co_await on_db(save);
    co_return ok({{"changed", true}});
}

void add_routes(http::router& r, api_deps deps) {
    auto s = std::make_shared<service>(std::move(deps));
    s->register_routes(r, s);
}

}  // namespace dgw::api
