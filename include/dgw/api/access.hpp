#pragma once
/// Who may do what (issue 7 §1), as pure functions the handlers call: roles, an official's
/// scope, CSRF, session expiry, the Cookie header, and the login throttle.

#include <dgw/store/accounts.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::api {

using time_point = std::chrono::system_clock::time_point;

/// admin: everything (users, schedule, flows, data requests); official: concerns, agenda and
/// answers within a scope; viewer: read-only, without personal data.
enum class role { admin, official, viewer };

std::optional<role> parse_role(std::string_view name);
const char* to_string(role r);

/// The authenticated caller of one request.
struct principal {
    std::int64_t user_id = 0;
    std::string name;
    api::role role = role::viewer;
    std::vector<std::string> scope;  ///< unit codes and/or level ids (officials)
    bool by_cookie = false;          ///< a browser session (CSRF applies), else a bearer token
    std::string session_hash;        ///< the session's stored hash (by_cookie)
    std::string csrf_token;          ///< the session's CSRF token (by_cookie)
    bool must_change_password = false;
};

/// Where a concern belongs, for scope checks: its commune, the commune's parent unit (a
/// district where that level exists), and the level of the session it is filed to.
struct concern_place {
    std::string commune;
    std::string parent;
    std::string level;
};

/// True when `p` may see and act on a concern at `place`: admins and viewers everywhere, an
/// official when the commune, its parent or the session's level is in the scope.
bool in_scope(const principal& p, const concern_place& place);

/// True when the viewer may see personal data (everyone but viewers).
bool sees_personal_data(const principal& p);

/// POST, PUT, PATCH, DELETE: requests that must carry the CSRF token when made with a cookie.
bool state_changing(std::string_view method);

/// True when a request is acceptable as far as CSRF goes: made with a bearer token, or not
/// state-changing, or with `header` (X-CSRF-Token) equal to the session's token (compared
/// in constant time).
bool csrf_ok(const principal& p, std::string_view method, std::string_view header);

/// How long a browser session lives: `idle` after its last request, `absolute` after login.
struct session_policy {
    std::chrono::seconds idle{std::chrono::minutes(30)};
    std::chrono::seconds absolute{std::chrono::hours(12)};
};

bool session_alive(time_point created_at, time_point last_seen_at, time_point now,
                   const session_policy& policy);

/// The value of cookie `name` in a Cookie header ("a=1; dgw_session=xyz"), or "".
std::string cookie_value(std::string_view header, std::string_view name);

/// The token of an "Authorization: Bearer <token>" header, or "".
std::string bearer_token(std::string_view header);

/// Failed logins slow down whoever makes them, never an account for everyone (anyone who
/// knows a user name could otherwise keep that official locked out):
///   - per (user name, client address): the first `free_failures` failures cost nothing;
///     after each further one the next attempt must wait, 1 s, then twice as long each time, up
///     to `max_delay`. A success forgets them; so does a `window` without a failure after the
///     last delay ended.
///   - per client address, across user names: after `max_per_address` failures within
///     `window`, the address waits until the oldest leaves the window.
/// An attempt counts as a failure from the moment it is let through until succeeded() says
/// otherwise, so a burst of parallel attempts cannot slip past the delay together.
/// The rules are here; what they remember is kept in the store (store::login_memory), each
/// step one update there, so every gateway on a database applies one throttle. Call on the
/// database thread.
class login_throttle {
public:
    struct options {
        std::size_t free_failures = 4;
        std::chrono::seconds first_delay{1};
        std::chrono::seconds max_delay{std::chrono::minutes(15)};
        std::size_t max_per_address = 20;
        std::chrono::seconds window{std::chrono::minutes(15)};
    };

    /// A throttle a failure started or lengthened, for the audit log.
    struct throttled {
        std::string user;  ///< empty for the address's throttle
        std::string address;
        std::size_t failures = 0;
        time_point until;
    };

    explicit login_throttle(options o);

    /// Before a password is checked: zero when `user` may try from `address` now, else how
    /// long to wait (at least 1 s). A permitted attempt is counted as a failure at once.
    std::chrono::seconds attempt(store::account_store& memory, const std::string& user,
                                 const std::string& address, time_point now) const;
    /// After a wrong password (the attempt at `now`): the throttles it started or lengthened.
    std::vector<throttled> failed(store::account_store& memory, const std::string& user,
                                  const std::string& address, time_point now) const;
    /// After the right password: the attempt at `now` was no failure, and (user, address)'s
    /// failures are forgotten (the address's others stay: they were other users' attempts).
    /// True when a delay was in force for them until this success: the throttle's end.
    bool succeeded(store::account_store& memory, const std::string& user,
                   const std::string& address, time_point now) const;

private:
    std::chrono::seconds delay_after(std::size_t failures) const;

    const options opts_;
};

}  // namespace dgw::api
