#pragma once
/// Who may do what (issue 7 §1), as pure functions the handlers call: roles, an official's
/// scope, CSRF, session expiry, the Cookie header, and the login rate limiter.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
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

/// Failed logins per key (a user name, a client address) in a sliding window: after
/// `max_failures` within `window` the key is blocked until the oldest failure leaves it.
/// Thread-safe (handlers run on several I/O threads). The number of keys is bounded: when
/// full, keys without a recent failure are dropped first.
class login_limiter {
public:
    explicit login_limiter(std::size_t max_failures = 5,
                           std::chrono::seconds window = std::chrono::minutes(15),
                           std::size_t max_keys = 100'000);

    /// How long `key` must still wait, or nothing when it may try.
    std::optional<std::chrono::seconds> blocked(const std::string& key, time_point now);
    void failure(const std::string& key, time_point now);
    /// A successful login forgets the key's failures.
    void success(const std::string& key);

private:
    void prune(std::vector<time_point>& failures, time_point now) const;

    const std::size_t max_failures_;
    const std::chrono::seconds window_;
    const std::size_t max_keys_;
    std::mutex mu_;
    std::map<std::string, std::vector<time_point>> failures_;
};

}  // namespace dgw::api
