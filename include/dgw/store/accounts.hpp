#pragma once
/// Officials and admins: accounts, browser sessions, API tokens, and the audit log.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

#include <functional>

namespace dgw::store {

class account_store {
public:
    virtual ~account_store() = default;

    virtual std::size_t count_users() = 0;
    /// Inserts; nothing (and no change) when the name is taken. Returns the new id.
    virtual std::optional<std::int64_t> add_user(const user& u) = 0;
    virtual std::optional<user> find_user(std::int64_t id) = 0;
    virtual std::optional<user> find_user_by_name(const std::string& name) = 0;
    virtual std::vector<user> list_users() = 0;
    virtual void set_password(std::int64_t user_id, const std::string& hash, bool must_change,
                              time_point now) = 0;
    /// Changes the role and scope (the caller checked them).
    virtual void set_role(std::int64_t user_id, const std::string& role,
                          const std::vector<std::string>& scope, time_point now) = 0;
    /// Changes the office and phone (the caller checked them).
    virtual void set_office(std::int64_t user_id, const std::string& office,
                            const std::string& phone, time_point now) = 0;
    /// A disabled user can neither log in nor use a session or token (the sessions are deleted).
    virtual void set_disabled(std::int64_t user_id, bool disabled, time_point now) = 0;
    virtual void add_login_session(const login_session& s) = 0;
    virtual std::optional<login_session> find_login_session(const std::string& token_hash) = 0;
    virtual void touch_login_session(const std::string& token_hash, time_point at) = 0;
    virtual void delete_login_session(const std::string& token_hash) = 0;
    /// Every session of the user except `keep_hash` (after a password change).
    virtual void delete_login_sessions_of(std::int64_t user_id, const std::string& keep_hash) = 0;
    /// Reads the login throttle's memory of `user` at `address` (the address's failures from
    /// `forget_before` on), lets `decide` change it, and keeps what it leaves — in one
    /// transaction that every gateway's update for the same address waits for (PostgreSQL: an
    /// advisory lock until commit), so parallel attempts are counted one after another.
    /// Forgets every pair whose delay ended and every failure that happened before
    /// `forget_before`.
    virtual void update_login_memory(const std::string& user, const std::string& address,
                                     time_point forget_before,
                                     const std::function<void(login_memory&)>& decide) = 0;
    virtual void add_api_token(const api_token& t) = 0;
    virtual std::optional<api_token> find_api_token(const std::string& token_hash) = 0;
    virtual void append_audit(const audit_entry& e) = 0;
    /// The audit lines of one target, oldest first.
    virtual std::vector<audit_entry> list_audit(const std::string& target, std::size_t limit) = 0;
};

}  // namespace dgw::store
