// The mock Telegram Bot API over real HTTP with dgw::http::client: answers shaped like
// Telegram's, recording in arrival order, and each failure mode the sender must survive.

#include "support/mock_telegram.hpp"

#include <dgw/http/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <future>
#include <string>
#include <thread>
#include <vector>

namespace dgw {
namespace {

using nlohmann::json;

constexpr const char* token = "5550001111:AAFmockTokenForTests_0123456789abcd";

http::client_request api_call(const test::mock_telegram& tg, const std::string& method,
                              const json& body, const std::string& tok = token) {
    http::client_request req;
    req.url = tg.api_base() + "/bot" + tok + "/" + method;
    req.headers = {{"Content-Type", "application/json"}};
    req.body = body.dump();
    return req;
}

http::client_result send_one(http::client_request req) {
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    auto fut = net::co_spawn(ioc, c.send(std::move(req)), net::use_future);
    ioc.run();
    return fut.get();
}

json send_json(const test::mock_telegram& tg, const std::string& method, const json& body,
               unsigned expected_status) {
    auto r = send_one(api_call(tg, method, body));
    EXPECT_TRUE(r.has_value()) << r.error().message;
    if (!r) return nullptr;
    EXPECT_EQ(r->status, expected_status) << r->body;
    EXPECT_EQ(r->headers[beast::http::field::content_type], "application/json");
    return json::parse(r->body, nullptr, false);
}

TEST(MockTelegram, SendMessageIsAnsweredLikeTelegramAndRecorded) {
    test::mock_telegram tg(token);
    const json markup = {{"keyboard", {{{{"text", "Giao thông"}}}}}, {"one_time_keyboard", true}};
    auto a = send_json(tg, "sendMessage",
                       {{"chat_id", 7123456789012}, {"text", "Chào bạn"}, {"reply_markup", markup}},
                       200);
    auto b = send_json(tg, "sendMessage", {{"chat_id", "123"}, {"text", "Lần hai"}}, 200);
    EXPECT_EQ(a["ok"], true);
    EXPECT_EQ(a["result"]["chat"]["id"], 7123456789012);
    EXPECT_EQ(a["result"]["text"], "Chào bạn");
    EXPECT_EQ(a["result"]["from"]["id"], 5550001111);
    EXPECT_EQ(a["result"]["from"]["is_bot"], true);
    EXPECT_LT(a["result"]["message_id"].get<std::int64_t>(),
              b["result"]["message_id"].get<std::int64_t>());

    auto calls = tg.calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].seq, 0u);
    EXPECT_EQ(calls[0].method, "sendMessage");
    EXPECT_EQ(calls[0].chat_id, "7123456789012");
    EXPECT_EQ(calls[0].text, "Chào bạn");
    EXPECT_EQ(calls[0].reply_markup, markup);
    EXPECT_EQ(calls[0].status, 200u);
    EXPECT_EQ(calls[1].seq, 1u);
    EXPECT_EQ(calls[1].chat_id, "123");
    EXPECT_TRUE(calls[1].reply_markup.is_null());
}

TEST(MockTelegram, AnswerCallbackQueryReturnsTrue) {
    test::mock_telegram tg(token);
    auto r =
        send_json(tg, "answerCallbackQuery", {{"callback_query_id", "4382964011264000123"}}, 200);
    EXPECT_EQ(r, json::parse(R"({"ok":true,"result":true})"));
    ASSERT_EQ(tg.call_count(), 1u);
    EXPECT_EQ(tg.calls()[0].callback_query_id, "4382964011264000123");
    send_json(tg, "answerCallbackQuery", json::object(), 400);
}

TEST(MockTelegram, WrongTokenOrUnknownMethodIsNotFound) {
    test::mock_telegram tg(token);
    auto r =
        send_one(api_call(tg, "sendMessage", {{"chat_id", 1}, {"text", "x"}}, "5550001111:wrong"));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 404u);
    EXPECT_EQ(json::parse(r->body),
              json::parse(R"({"ok":false,"error_code":404,"description":"Not Found"})"));
    send_json(tg, "sendPigeon", {{"chat_id", 1}}, 404);
    EXPECT_EQ(tg.call_count(), 2u);
}

TEST(MockTelegram, RejectsWhatTelegramRejects) {
    test::mock_telegram tg(token);
    EXPECT_EQ(send_json(tg, "sendMessage", {{"chat_id", 1}, {"text", ""}}, 400)["description"],
              "Bad Request: message text is empty");
    std::string text;
    for (int i = 0; i < 4097; ++i) text += "ệ";
    EXPECT_EQ(send_json(tg, "sendMessage", {{"chat_id", 1}, {"text", text}}, 400)["description"],
              "Bad Request: message is too long");
    text.resize(text.size() - std::string("ệ").size());
    send_json(tg, "sendMessage", {{"chat_id", 1}, {"text", text}}, 200);
}

TEST(MockTelegram, FailNextGivesServerErrorsThenRecovers) {
    test::mock_telegram tg(token);
    tg.fail_next(2);
    const json body{{"chat_id", 1}, {"text", "x"}};
    EXPECT_EQ(send_json(tg, "sendMessage", body, 500)["ok"], false);
    send_json(tg, "sendMessage", body, 500);
    send_json(tg, "sendMessage", body, 200);
    tg.fail_next(1, 502);
    send_json(tg, "sendMessage", body, 502);
}

TEST(MockTelegram, RateLimitCarriesRetryAfter) {
    test::mock_telegram tg(token);
    tg.rate_limit_next(1, 3);
    auto r = send_json(tg, "sendMessage", {{"chat_id", 1}, {"text", "x"}}, 429);
    EXPECT_EQ(r, json::parse(R"({"ok":false,"error_code":429,
        "description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}})"));
    send_json(tg, "sendMessage", {{"chat_id", 1}, {"text", "x"}}, 200);
}

TEST(MockTelegram, BlockedChatIsForbiddenOthersAreNot) {
    test::mock_telegram tg(token);
    tg.block_chat("7123456789012");
    auto r = send_json(tg, "sendMessage", {{"chat_id", 7123456789012}, {"text", "x"}}, 403);
    EXPECT_EQ(r["description"], "Forbidden: bot was blocked by the user");
    EXPECT_EQ(r["error_code"], 403);
    send_json(tg, "sendMessage", {{"chat_id", 7123456789013}, {"text", "x"}}, 200);
}

TEST(MockTelegram, DelayMakesAClientTimeOutWithoutBlockingOthers) {
    // One io thread: if the delay were a sleep, the second request would wait behind it.
    test::mock_telegram tg(token, 1);
    tg.delay_next(1, std::chrono::milliseconds(2000));
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    auto slow_req = api_call(tg, "sendMessage", {{"chat_id", 1}, {"text", "slow"}});
    slow_req.timeout = std::chrono::milliseconds(300);
    auto slow = net::co_spawn(ioc, c.send(std::move(slow_req)), net::use_future);
    ioc.run();
    auto timed_out = slow.get();
    ASSERT_FALSE(timed_out.has_value());
    EXPECT_EQ(timed_out.error().code, http::client_errc::timeout);

    // The delayed handler is still waiting on its timer; a new call is answered at once. A
    // sleeping handler would hold the only io thread ~1.7 s more and this call would time out.
    auto fast_req = api_call(tg, "sendMessage", {{"chat_id", 1}, {"text", "fast"}});
    fast_req.timeout = std::chrono::milliseconds(800);
    auto fast = send_one(std::move(fast_req));
    ASSERT_TRUE(fast.has_value()) << fast.error().message;
    EXPECT_EQ(fast->status, 200u);
    auto calls = tg.calls();
    ASSERT_EQ(calls.size(), 2u);
    EXPECT_EQ(calls[0].text, "slow");
    EXPECT_EQ(calls[1].text, "fast");
}

TEST(MockTelegram, WaitForCallsSeesConcurrentSendersAndHonoursItsDeadline) {
    test::mock_telegram tg(token);
    EXPECT_FALSE(tg.wait_for_calls(1, std::chrono::milliseconds(20)));
    std::vector<std::thread> senders;
    for (int i = 0; i < 4; ++i) {
        senders.emplace_back([&tg, i] {
            (void)send_one(
                api_call(tg, "sendMessage", {{"chat_id", i}, {"text", "n" + std::to_string(i)}}));
        });
    }
    EXPECT_TRUE(tg.wait_for_calls(4, std::chrono::seconds(10)));
    for (auto& t : senders) t.join();
    auto calls = tg.calls();
    ASSERT_EQ(calls.size(), 4u);
    for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i].seq, i);
    EXPECT_FALSE(tg.wait_for_calls(5, std::chrono::milliseconds(20)));
}

}  // namespace
}  // namespace dgw
