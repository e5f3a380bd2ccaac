#include <dgw/api/accounts.hpp>
#include <dgw/api/secrets.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

const store::time_point now{std::chrono::hours(480000)};

TEST(Accounts, AddUserStoresAHashAndAnAuditLine) {
    auto db = store::open_sqlite({":memory:"});
    auto r = add_user(*db, "lan.nguyen", "official", {"02683", "province"}, now);
    ASSERT_TRUE(r.account) << r.error;
    auto u = db->find_user_by_name("lan.nguyen");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->role, "official");
    EXPECT_EQ(u->scope, (std::vector<std::string>{"02683", "province"}));
    EXPECT_TRUE(u->must_change_password);
    EXPECT_EQ(u->password_hash.find(r.account->password), std::string::npos);
    EXPECT_TRUE(verify_password(r.account->password, u->password_hash));
    auto audit = db->list_audit("user:lan.nguyen", 10);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].action, "user.add");
}

TEST(Accounts, BadNamesRolesAndScopesAreRefused) {
    auto db = store::open_sqlite({":memory:"});
    EXPECT_NE(add_user(*db, "", "admin", {}, now).error, "");
    EXPECT_NE(add_user(*db, "Lan", "admin", {}, now).error, "");
    EXPECT_NE(add_user(*db, "-lan", "admin", {}, now).error, "");
    EXPECT_NE(add_user(*db, "lan", "root", {}, now).error, "");
    EXPECT_NE(add_user(*db, "lan", "official", {}, now).error, "");       // needs a scope
    EXPECT_NE(add_user(*db, "lan", "viewer", {"02683"}, now).error, "");  // only officials
    // Each refusal is an error of the catalogue, which the API answers with its code.
    auto problem_of = [&](const char* name, const char* role, std::vector<std::string> scope) {
        auto r = add_user(*db, name, role, scope, now);
        return r.problem ? r.problem->id : error::invalid_json;
    };
    EXPECT_EQ(problem_of("Lan", "admin", {}), error::user_name_invalid);
    EXPECT_EQ(problem_of("lan", "root", {}), error::role_unknown);
    EXPECT_EQ(problem_of("lan", "official", {}), error::scope_required);
    EXPECT_EQ(problem_of("lan", "viewer", {"02683"}), error::scope_not_official);
    EXPECT_EQ(db->count_users(), 0u);
    ASSERT_TRUE(add_user(*db, "lan", "viewer", {}, now).account);
    auto again = add_user(*db, "lan", "admin", {}, now);
    EXPECT_FALSE(again.account);
    EXPECT_NE(again.error.find("already exists"), std::string::npos);
    ASSERT_TRUE(again.problem);
    EXPECT_EQ(again.problem->id, error::user_exists);
    EXPECT_EQ(db->find_user_by_name("lan")->role, "viewer");
}

TEST(Accounts, TheFirstAdminIsCreatedOnceOnAnEmptyStore) {
    auto db = store::open_sqlite({":memory:"});
    auto pw = ensure_first_admin(*db, now);
    ASSERT_TRUE(pw);
    auto admin = db->find_user_by_name("admin");
    ASSERT_TRUE(admin);
    EXPECT_EQ(admin->role, "admin");
    EXPECT_TRUE(verify_password(*pw, admin->password_hash));
    EXPECT_FALSE(ensure_first_admin(*db, now));
    EXPECT_EQ(db->count_users(), 1u);
}

TEST(Accounts, TokensAreStoredOnlyAsTheirHash) {
    auto db = store::open_sqlite({":memory:"});
    ASSERT_TRUE(add_user(*db, "bot", "viewer", {}, now).account);
    auto token = issue_token(*db, "bot", now);
    ASSERT_TRUE(token);
    EXPECT_TRUE(token->starts_with("dgw_"));
    auto stored = db->find_api_token(sha256_hex(*token));
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->user_id, db->find_user_by_name("bot")->id);
    EXPECT_FALSE(db->find_api_token(*token));
    EXPECT_FALSE(issue_token(*db, "nobody", now));
}

TEST(Accounts, ScopesMustNameKnownUnitsOrLevels) {
    dialogue::dialogue_config c;
    c.levels.push_back({"province", "Cấp tỉnh", "Province", dialogue::level_scope::province});
    c.units.push_back({"02683", "Xã Bát Xát", "commune", "commune", "", {}});
    EXPECT_FALSE(scope_problem("official", {"02683", "province"}, &c));
    auto unknown = scope_problem("official", {"02683", "99999"}, &c);
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->id, error::scope_unknown);
    EXPECT_NE(message_of(*unknown, "en").find("99999"), std::string::npos);
    EXPECT_NE(message_of(*unknown, "vi").find("99999"), std::string::npos);
    EXPECT_FALSE(scope_problem("official", {"99999"}, nullptr)) << "no config: not checked";
    EXPECT_TRUE(scope_problem("viewer", {"02683"}, &c));
    auto db = store::open_sqlite({":memory:"});
    auto r = add_user(*db, "lan", "official", {"99999"}, one_time_password{"x", "$scrypt$x"}, now,
                      "boss", &c);
    EXPECT_EQ(r.kind, account_error::invalid);
    EXPECT_EQ(db->count_users(), 0u);
}

TEST(Accounts, ChangesAreAuditedAndTheLastActiveAdminStays) {
    auto db = store::open_sqlite({":memory:"});
    ASSERT_TRUE(add_user(*db, "admin", "admin", {}, now).account);
    ASSERT_TRUE(add_user(*db, "lan", "official", {"02683"}, now).account);
    user_change demote;
    demote.role = "viewer";
    auto last = change_user(*db, "admin", demote, now, "admin");
    EXPECT_EQ(last.kind, account_error::conflict);
    EXPECT_FALSE(set_user_disabled(*db, "admin", true, now));
    EXPECT_EQ(db->find_user_by_name("admin")->role, "admin");

    auto r = change_user(*db, "lan", demote, now, "admin");
    ASSERT_TRUE(r.user) << r.error;
    EXPECT_EQ(r.user->role, "viewer");
    EXPECT_TRUE(r.user->scope.empty()) << "a viewer has no scope";
    user_change promote;
    promote.role = "admin";
    ASSERT_TRUE(change_user(*db, "lan", promote, now, "admin").user);
    // Two active admins: either may now be disabled, but not both.
    EXPECT_TRUE(set_user_disabled(*db, "admin", true, now));
    EXPECT_FALSE(set_user_disabled(*db, "lan", true, now));
    EXPECT_EQ(change_user(*db, "ghost", promote, now, "admin").kind, account_error::not_found);
    auto audit = db->list_audit("user:lan", 10);
    ASSERT_EQ(audit.size(), 3u);
    EXPECT_EQ(audit[1].action, "user.update");
    EXPECT_EQ(audit[1].actor, "admin");
    EXPECT_NE(audit[1].before.find("official"), std::string::npos);
    EXPECT_NE(audit[1].after.find("viewer"), std::string::npos);
}

TEST(Accounts, AResetGivesANewOneTimePasswordAndEndsTheSessions) {
    auto db = store::open_sqlite({":memory:"});
    auto added = add_user(*db, "lan", "viewer", {}, now);
    ASSERT_TRUE(added.account);
    const auto id = added.account->user.id;
    db->set_password(id, added.account->user.password_hash, false, now);
    db->add_login_session({"h1", id, "csrf", now, now});
    auto fresh = make_one_time_password();
    EXPECT_TRUE(verify_password(fresh.text, fresh.hash));
    ASSERT_TRUE(reset_password(*db, "lan", fresh, now, "boss"));
    auto u = db->find_user(id);
    EXPECT_TRUE(u->must_change_password);
    EXPECT_TRUE(verify_password(fresh.text, u->password_hash));
    EXPECT_FALSE(db->find_login_session("h1"));
    EXPECT_FALSE(reset_password(*db, "ghost", fresh, now, "boss"));
    EXPECT_EQ(db->list_audit("user:lan", 10).back().action, "password.reset");
}

}  // namespace
}  // namespace dgw::api
