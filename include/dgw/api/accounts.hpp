#pragma once
/// Accounts and tokens: what the `users` commands, the first start and the users API
/// (/api/v1/users) share. Synchronous store calls: the CLI calls them on its own thread,
/// `serve` before the server starts, the API on the database thread. Every change writes an
/// audit line naming `actor` ("cli" for the command line).

#include <dgw/api/messages.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::api {

/// 1-64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
bool valid_user_name(std::string_view name);

/// What went wrong with an account operation, for the caller's status code.
enum class account_error {
    none,
    invalid,    ///< bad name, role or scope (400)
    not_found,  ///< no such user (404)
    conflict,   ///< the name is taken, or the change would leave no active admin (409)
};

/// The problem with a role and scope, or nothing: an unknown role, an official without a
/// scope, a scope on another role, or (when `dialogue` is given) a scope entry that is neither
/// a unit code nor a level id of it (an official who would see nothing).
std::optional<api_error> scope_problem(std::string_view role, const std::vector<std::string>& scope,
                          const dialogue::dialogue_config* dialogue);

/// A random one-time password and its scrypt hash. The hash costs ~0.1 s of CPU, so a server
/// makes it off its I/O and database threads.
struct one_time_password {
    std::string text;
    std::string hash;
};
one_time_password make_one_time_password();

struct created_account {
    store::user user;
    std::string password;  ///< the one-time password, shown once
};

struct add_user_result {
    std::optional<created_account> account;
    /// Set when account is empty: bad name, role or scope, name taken; `error` is its English
    /// words (the command line's).
    std::optional<api_error> problem;
    std::string error;
    account_error kind = account_error::none;
};

/// Adds a user with the one-time password `password`, which must be changed at first login.
/// `scope` is only for officials (who need one) and lists unit codes or level ids.
add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, const one_time_password& password,
                         store::time_point now, const std::string& actor,
                         const dialogue::dialogue_config* dialogue = nullptr);

/// The same with a fresh one-time password, by "cli".
add_user_result add_user(store::store& db, const std::string& name, const std::string& role,
                         const std::vector<std::string>& scope, store::time_point now);

/// A change of an account; unset members stay as they are.
struct user_change {
    std::optional<std::string> role;
    /// When the role changes and no scope is given: an official keeps the old scope, other
    /// roles lose it.
    std::optional<std::vector<std::string>> scope;
    std::optional<bool> disabled;
    /// The office they work in and their phone, for reminders of the work assigned to it
    /// ("" clears); the phone is checked and kept in E.164.
    std::optional<std::string> office;
    std::optional<std::string> phone;
};

struct user_change_result {
    std::optional<store::user> user;  ///< the account after the change
    std::optional<api_error> problem;  ///< why there is none; `error` is its English words
    std::string error;
    account_error kind = account_error::none;
};

/// Applies `change` in one transaction with an audit line (before and after). Refuses
/// (conflict) to disable or demote the last active admin: nobody could manage accounts any
/// more. Disabling ends the user's browser sessions and refuses their API tokens at once.
user_change_result change_user(store::store& db, const std::string& name,
                               const user_change& change, store::time_point now,
                               const std::string& actor,
                               const dialogue::dialogue_config* dialogue = nullptr);

/// Disables (or enables again) a user, by "cli"; false when there is no such user or it is
/// the last active admin.
bool set_user_disabled(store::store& db, const std::string& name, bool disabled,
                       store::time_point now);

/// Replaces the user's password with the one-time `password` (to be changed at the next
/// login) and ends all their browser sessions; false when there is no such user.
bool reset_password(store::store& db, const std::string& name, const one_time_password& password,
                    store::time_point now, const std::string& actor);

/// A new API token for the user (stored hashed, shown once); nothing when there is no such
/// user or it is disabled.
std::optional<std::string> issue_token(store::store& db, const std::string& name,
                                       store::time_point now, const std::string& actor = "cli");

/// On a store without any user: creates "admin" and returns its one-time password.
std::optional<std::string> ensure_first_admin(store::store& db, store::time_point now);

}  // namespace dgw::api
