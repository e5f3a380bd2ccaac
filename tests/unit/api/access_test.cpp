#include <dgw/api/access.hpp>
#include <dgw/store/sqlite_store.hpp>

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

login_throttle::options throttle_options() {
    login_throttle::options o;
    o.free_failures = 4;
    o.first_delay = 1s;
    o.max_delay = 15min;
    o.max_per_address = 20;
    o.window = 15min;
    return o;
}

// The attack the old per-name lockout allowed: anyone, from anywhere, kept an official out by
// failing five times for their name. Now only the (name, address) that fails slows down.
TEST(Access, FailuresSlowDownTheirOwnNameAndAddressOnly) {
    auto db = store::open_sqlite({":memory:"});  // where the throttle keeps its memory
    login_throttle t(throttle_options());
    const time_point t0{std::chrono::hours(1000)};
    auto at = t0;
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(t.attempt(*db, "lan", "203.0.113.9", at), 0s) << i;
        EXPECT_TRUE(t.failed(*db, "lan", "203.0.113.9", at).empty()) << "the first four are free";
    }
    EXPECT_EQ(t.attempt(*db, "lan", "203.0.113.9", at), 0s);
    auto started = t.failed(*db, "lan", "203.0.113.9", at);
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0].user, "lan");
    EXPECT_EQ(started[0].failures, 5u);
    EXPECT_EQ(started[0].until, at + 1s);
    EXPECT_EQ(t.attempt(*db, "lan", "203.0.113.9", at), 1s) << "the attacker waits";
    EXPECT_EQ(t.attempt(*db, "lan", "198.51.100.4", at), 0s) << "the official, elsewhere, does not";
    EXPECT_TRUE(t.succeeded(*db, "lan", "198.51.100.4", at) == false);
    EXPECT_EQ(t.attempt(*db, "minh", "203.0.113.9", at), 0s) << "nor another name from there";
    t.succeeded(*db, "minh", "203.0.113.9", at);
}

TEST(Access, DelaysDoubleUpToTheMaximumAndASuccessEndsThem) {
    auto db = store::open_sqlite({":memory:"});  // where the throttle keeps its memory
    login_throttle t(throttle_options());
    auto at = time_point{std::chrono::hours(1000)};
    std::vector<std::chrono::seconds> waits;
    for (int i = 0; i < 16; ++i) {
        // Each attempt as soon as allowed.
        auto w = t.attempt(*db, "lan", "a", at);
        if (w > 0s) {
            waits.push_back(w);
            at += w;
            ASSERT_EQ(t.attempt(*db, "lan", "a", at), 0s);
        }
        t.failed(*db, "lan", "a", at);
    }
    ASSERT_GE(waits.size(), 11u);
    EXPECT_EQ(waits[0], 1s);
    EXPECT_EQ(waits[1], 2s);
    EXPECT_EQ(waits[2], 4s);
    EXPECT_EQ(waits.back(), 15min) << "capped";
    at += t.attempt(*db, "lan", "a", at);
    EXPECT_EQ(t.attempt(*db, "lan", "a", at), 0s);
    EXPECT_TRUE(t.succeeded(*db, "lan", "a", at)) << "a delay was in force: its end is audited";
    EXPECT_EQ(t.attempt(*db, "lan", "a", at), 0s) << "a success forgets the failures";
    EXPECT_FALSE(t.succeeded(*db, "lan", "a", at));
}

TEST(Access, FailuresAreForgottenAfterTheWindow) {
    auto db = store::open_sqlite({":memory:"});  // where the throttle keeps its memory
    login_throttle t(throttle_options());
    auto at = time_point{std::chrono::hours(1000)};
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(t.attempt(*db, "lan", "a", at), 0s);
        t.failed(*db, "lan", "a", at);
    }
    EXPECT_GT(t.attempt(*db, "lan", "a", at), 0s);
    EXPECT_EQ(t.attempt(*db, "lan", "a", at + 15min), 0s);
}

// Spraying many names from one address (or guessing which name exists) hits the address's cap.
TEST(Access, AnAddressSprayingNamesIsCapped) {
    auto db = store::open_sqlite({":memory:"});  // where the throttle keeps its memory
    login_throttle t(throttle_options());
    const time_point t0{std::chrono::hours(1000)};
    std::vector<login_throttle::throttled> started;
    for (int i = 0; i < 20; ++i) {
        const auto at = t0 + std::chrono::seconds(i);
        ASSERT_EQ(t.attempt(*db, "user" + std::to_string(i), "203.0.113.9", at), 0s) << i;
        for (auto& x : t.failed(*db, "user" + std::to_string(i), "203.0.113.9", at))
            started.push_back(x);
    }
    ASSERT_EQ(started.size(), 1u);
    EXPECT_EQ(started[0].user, "") << "the address's throttle";
    EXPECT_EQ(started[0].until, t0 + 15min);
    EXPECT_EQ(t.attempt(*db, "lan", "203.0.113.9", t0 + 20s), 15min - 20s);
    EXPECT_EQ(t.attempt(*db, "lan", "198.51.100.4", t0 + 20s), 0s);
    EXPECT_EQ(t.attempt(*db, "lan", "203.0.113.9", t0 + 15min), 0s) << "the first failure left";
}

// Parallel attempts are each counted when let through, not when their password is checked.
TEST(Access, ABurstOfParallelAttemptsCannotSlipPastTheDelay) {
    auto db = store::open_sqlite({":memory:"});  // where the throttle keeps its memory
    login_throttle t(throttle_options());
    const time_point at{std::chrono::hours(1000)};
    int let_through = 0;
    for (int i = 0; i < 50; ++i)
        if (t.attempt(*db, "lan", "a", at) == 0s) ++let_through;
    EXPECT_EQ(let_through, 5);
}

// Gateways sharing a database keep one memory: failures at one slow the attempts at another
// (issue 20: "the login rate limit works whichever gateway a request hits").
TEST(Access, GatewaysOnOneStoreApplyOneThrottle) {
    auto db = store::open_sqlite({":memory:"});
    const login_throttle here(throttle_options()), there(throttle_options());
    const time_point at{std::chrono::hours(1000)};
    for (int i = 0; i < 5; ++i) {
        auto& gateway = i % 2 ? there : here;
        ASSERT_EQ(gateway.attempt(*db, "lan", "203.0.113.9", at), 0s) << i;
        gateway.failed(*db, "lan", "203.0.113.9", at);
    }
    EXPECT_EQ(here.attempt(*db, "lan", "203.0.113.9", at), 1s);
    EXPECT_EQ(there.attempt(*db, "lan", "203.0.113.9", at), 1s);
}

}  // namespace
}  // namespace dgw::api
