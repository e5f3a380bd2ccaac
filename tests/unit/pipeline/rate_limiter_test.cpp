#include <dgw/pipeline/rate_limiter.hpp>
#include <dgw/pipeline/sender.hpp>

#include <gtest/gtest.h>

namespace dgw::pipeline {
namespace {

using namespace std::chrono_literals;
using clock = rate_limiter::clock;

TEST(RateLimiter, PerChatBurstThenOnePerSecond) {
    rate_limiter rl;
    rl.configure("telegram", {30, 30, 1, 3});
    auto t = clock::time_point{} + 1h;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(rl.try_take("telegram", "42", t), clock::duration::zero());
    auto wait = rl.try_take("telegram", "42", t);
    EXPECT_GT(wait, 900ms);
    EXPECT_LE(wait, 1000ms);
    EXPECT_EQ(rl.try_take("telegram", "43", t), clock::duration::zero()) << "other chats unaffected";
    EXPECT_EQ(rl.try_take("telegram", "42", t + 1s), clock::duration::zero());
    EXPECT_GT(rl.try_take("telegram", "42", t + 1s), clock::duration::zero());
}

TEST(RateLimiter, ChannelWideLimit) {
    rate_limiter rl;
    rl.configure("tg", {30, 30, 0, 0});
    auto t = clock::time_point{} + 1h;
    int sent = 0;
    for (int i = 0; i < 100; ++i)
        if (rl.try_take("tg", std::to_string(i), t) == clock::duration::zero()) ++sent;
    EXPECT_EQ(sent, 30);
    // A second later 30 more tokens have come back.
    sent = 0;
    for (int i = 0; i < 100; ++i)
        if (rl.try_take("tg", std::to_string(i), t + 1s) == clock::duration::zero()) ++sent;
    EXPECT_EQ(sent, 30);
}

TEST(RateLimiter, ForgettingRefilledChatsKeepsTheLimitsOfBusyOnes) {
    rate_limiter rl;
    rl.configure("web", {0, 0, 1.0 / 60, 2});  // two at once, then one a minute
    auto t = clock::time_point{} + 1h;
    EXPECT_EQ(rl.try_take("web", "busy", t), clock::duration::zero());
    EXPECT_EQ(rl.try_take("web", "busy", t), clock::duration::zero());
    EXPECT_EQ(rl.try_take("web", "idle", t), clock::duration::zero());
    EXPECT_EQ(rl.chats_tracked(), 2u);
    // After 70 s the idle chat is full again (1 + 70/60 >= 2); the busy one is not (0 + 70/60).
    rl.forget_refilled(t + 70s);
    EXPECT_EQ(rl.chats_tracked(), 1u);
    EXPECT_EQ(rl.try_take("web", "busy", t + 70s), clock::duration::zero());
    EXPECT_GT(rl.try_take("web", "busy", t + 70s), 0s) << "its bucket was kept, not reset";
    EXPECT_EQ(rl.try_take("web", "idle", t + 70s), clock::duration::zero());
    EXPECT_EQ(rl.try_take("web", "idle", t + 70s), clock::duration::zero()) << "starts full";
}

TEST(RateLimiter, MemoryFollowsTheChatsActiveLately) {
    rate_limiter rl;
    rl.configure("tg", {0, 0, 1, 3});
    auto t = clock::time_point{} + 1h;
    // 100 000 chats write once each, a minute apart in batches: the ones long refilled go.
    for (int i = 0; i < 100'000; ++i)
        EXPECT_EQ(rl.try_take("tg", std::to_string(i), t + std::chrono::seconds(i / 1000 * 60)),
                  clock::duration::zero());
    EXPECT_LT(rl.chats_tracked(), 10'000u);
    // A chat that is still limited keeps its bucket through the pruning.
    for (int i = 0; i < 3; ++i) rl.try_take("tg", "busy", t + 100min);
    for (int i = 0; i < 20'000; ++i) rl.try_take("tg", "x" + std::to_string(i), t + 100min);
    EXPECT_GT(rl.try_take("tg", "busy", t + 100min), clock::duration::zero());
}

TEST(RateLimiter, UnconfiguredChannelIsUnlimited) {
    rate_limiter rl;
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(rl.try_take("x", "1", clock::now()), clock::duration::zero());
}

TEST(RetryDelay, DoublesWithJitterCapsAndHonoursRetryAfter) {
    sender_options o;
    o.backoff = 1000ms;
    o.max_backoff = 60'000ms;
    EXPECT_EQ(retry_delay(1, o, 0.5, std::nullopt), 1000ms);
    EXPECT_EQ(retry_delay(2, o, 0.5, std::nullopt), 2000ms);
    EXPECT_EQ(retry_delay(4, o, 0.5, std::nullopt), 8000ms);
    EXPECT_EQ(retry_delay(3, o, 0.0, std::nullopt), 3200ms);
    EXPECT_EQ(retry_delay(3, o, 0.999999, std::nullopt).count() / 100, 47);
    EXPECT_EQ(retry_delay(20, o, 0.5, std::nullopt), 60'000ms);
    EXPECT_EQ(retry_delay(1, o, 0.5, 5000ms), 5000ms);
    EXPECT_EQ(retry_delay(4, o, 0.5, 5000ms), 8000ms);
}

}  // namespace
}  // namespace dgw::pipeline
