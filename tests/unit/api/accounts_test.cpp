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
    EXPECT_EQ(db->count_users(), 0u);
    ASSERT_TRUE(add_user(*db, "lan", "viewer", {}, now).account);
    auto again = add_user(*db, "lan", "admin", {}, now);
    EXPECT_FALSE(again.account);
    EXPECT_NE(again.error.find("already exists"), std::string::npos);
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

}  // namespace
}  // namespace dgw::api
