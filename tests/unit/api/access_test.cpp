#include <dgw/api/access.hpp>

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

using namespace std::chrono_literals;

principal official(std::vector<std::string> scope) {
    principal p;
    p.name = "lan";
    p.role = role::official;
    p.scope = std::move(scope);
    return p;
}

TEST(Access, RolesParseAndPrint) {
    for (auto r : {role::admin, role::official, role::viewer})
        EXPECT_EQ(parse_role(to_string(r)), r);
    EXPECT_FALSE(parse_role("root"));
    EXPECT_FALSE(parse_role("Admin"));
}

TEST(Access, AnOfficialSeesTheCommunesAndLevelsOfTheScope) {
    const concern_place bat_xat{"02683", "", "commune"};
    const concern_place sa_pa{"02800", "", "commune"};
    const concern_place province{"02800", "", "province"};
    const concern_place in_district{"02801", "086", "commune"};
    EXPECT_TRUE(in_scope(official({"02683"}), bat_xat));
    EXPECT_FALSE(in_scope(official({"02683"}), sa_pa));
    EXPECT_TRUE(in_scope(official({"province"}), province));
    EXPECT_FALSE(in_scope(official({"province"}), sa_pa));
    EXPECT_TRUE(in_scope(official({"086"}), in_district));
    EXPECT_FALSE(in_scope(official({}), bat_xat));
    EXPECT_FALSE(in_scope(official({""}), concern_place{}));  // empty values never match
    principal admin, viewer;
    admin.role = role::admin;
    viewer.role = role::viewer;
    EXPECT_TRUE(in_scope(admin, sa_pa));
    EXPECT_TRUE(in_scope(viewer, sa_pa));
    EXPECT_FALSE(sees_personal_data(viewer));
    EXPECT_TRUE(sees_personal_data(official({})));
    EXPECT_TRUE(sees_personal_data(admin));
}

TEST(Access, CsrfIsRequiredForStateChangingCookieRequestsOnly) {
    principal cookie = official({});
    cookie.by_cookie = true;
    cookie.csrf_token = "tok-123";
    EXPECT_TRUE(csrf_ok(cookie, "GET", ""));
    for (const char* m : {"POST", "PUT", "PATCH", "DELETE"}) {
        EXPECT_FALSE(csrf_ok(cookie, m, "")) << m;
        EXPECT_FALSE(csrf_ok(cookie, m, "tok-124")) << m;
        EXPECT_FALSE(csrf_ok(cookie, m, "tok-1234")) << m;
        EXPECT_TRUE(csrf_ok(cookie, m, "tok-123")) << m;
    }
    principal bearer = official({});
    EXPECT_TRUE(csrf_ok(bearer, "POST", ""));
    // A session without a token (should not exist) never passes.
    cookie.csrf_token.clear();
    EXPECT_FALSE(csrf_ok(cookie, "POST", ""));
}

TEST(Access, SessionsExpireWhenIdleAndAfterTheAbsoluteLimit) {
    session_policy policy{30min, 12h};
    const time_point t0{std::chrono::hours(1000)};
    EXPECT_TRUE(session_alive(t0, t0, t0 + 29min, policy));
    EXPECT_FALSE(session_alive(t0, t0, t0 + 30min, policy));
    EXPECT_TRUE(session_alive(t0, t0 + 11h + 50min, t0 + 11h + 59min, policy));
    EXPECT_FALSE(session_alive(t0, t0 + 11h + 59min, t0 + 12h, policy));
}

TEST(Access, CookieAndBearerHeadersAreParsed) {
    EXPECT_EQ(cookie_value("dgw_session=abc", "dgw_session"), "abc");
    EXPECT_EQ(cookie_value("a=1; dgw_session=abc; b=2", "dgw_session"), "abc");
    EXPECT_EQ(cookie_value("xdgw_session=abc", "dgw_session"), "");
    EXPECT_EQ(cookie_value("", "dgw_session"), "");
    EXPECT_EQ(bearer_token("Bearer dgw_xyz"), "dgw_xyz");
    EXPECT_EQ(bearer_token("bearer  dgw_xyz "), "dgw_xyz");
    EXPECT_EQ(bearer_token("Basic dXNlcjpwdw=="), "");
    EXPECT_EQ(bearer_token("Bearer "), "");
}

TEST(Access, TheLimiterBlocksAfterFiveFailuresUntilTheOldestLeavesTheWindow) {
    login_limiter l(5, 15min);
    const time_point t0{std::chrono::hours(1000)};
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(l.blocked("user:a", t0 + std::chrono::minutes(i))) << i;
        l.failure("user:a", t0 + std::chrono::minutes(i));
    }
    auto wait = l.blocked("user:a", t0 + 5min);
    ASSERT_TRUE(wait);
    EXPECT_EQ(*wait, 10min);                       // the failure at t0 leaves at t0 + 15 min
    EXPECT_FALSE(l.blocked("user:b", t0 + 5min));  // keys are independent
    EXPECT_FALSE(l.blocked("user:a", t0 + 15min));
    // A success forgets the failures.
    l.failure("user:a", t0 + 15min);
    l.success("user:a");
    EXPECT_FALSE(l.blocked("user:a", t0 + 15min));
}

TEST(Access, TheLimiterKeepsABoundedNumberOfKeys) {
    login_limiter l(1, 15min, 3);
    const time_point t0{std::chrono::hours(1000)};
    l.failure("k1", t0);
    l.failure("k2", t0);
    l.failure("k3", t0);
    // Full: k1..k3 are all recent, so the oldest key is dropped to make room.
    l.failure("k4", t0 + 1min);
    EXPECT_TRUE(l.blocked("k4", t0 + 1min));
    int blocked = 0;
    for (const char* k : {"k1", "k2", "k3"}) blocked += l.blocked(k, t0 + 1min) ? 1 : 0;
    EXPECT_EQ(blocked, 2);
    // Once the window is over, stale keys make room first.
    l.failure("k5", t0 + 20min);
    EXPECT_TRUE(l.blocked("k5", t0 + 20min));
}

}  // namespace
}  // namespace dgw::api
