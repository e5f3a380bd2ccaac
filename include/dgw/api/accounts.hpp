#pragma once
/// Creating accounts and tokens, for the `users` commands and the first start. Synchronous
/// store calls: the CLI calls them on its own thread, `serve` before the server starts.

#include <dgw/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::api {

/// 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
bool valid_user_name(std::string_view name);

struct created_account {
    store::user user;
    std::string password;  ///< the one-time password, shown once
};

struct add_user_result {
    std::optional<created_account> account;
    std::string error;  ///< set when account is empty: bad name, role or scope, name taken
};

/// Adds a user with a random one-time password that must be changed at first login.
/// `scope` is only for officials (who need one) and lists unit codes or level ids.
add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, store::time_point now);

/// A new API token for the user (stored hashed, shown once); nothing when there is no such
/// user or it is disabled.
std::optional<std::string> issue_token(store::store& db, const std::string& name,
                                       store::time_point now);

/// Disables (or enables again) a user, with an audit line; false when there is no such user.
bool set_user_disabled(store::store& db, const std::string& name, bool disabled,
                       store::time_point now);

/// On a store without any user: creates "admin" and returns its one-time password.
std::optional<std::string> ensure_first_admin(store::store& db, store::time_point now);

}  // namespace dgw::api
