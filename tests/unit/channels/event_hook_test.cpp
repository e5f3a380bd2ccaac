// The signed event webhooks' adapter (issue 22 item 3): the request a receiver gets and how
// its answer is read.

#include <dgw/channels/event_hook.hpp>

#include <gtest/gtest.h>

namespace dgw::channels {
namespace {

using namespace std::chrono_literals;

const auto signed_at = std::chrono::system_clock::time_point(1796601600s);

TEST(EventHook, TheSignatureIsHmacSha256OfTheTimestampADotAndTheRawBody) {
    // The expected value from the command line, as a receiver's developer would check it:
    //   printf '%s' '1796601600.<body>' | openssl dgst -sha256 -hmac 'whsec-0123456789abcdef'
    const std::string body =
        R"({"data":{"ref":"LC-7K4M2"},"id":7,"occurred_at":"2026-12-07T00:00:00Z","type":"concern.filed"})";
    EXPECT_EQ(event_signature("whsec-0123456789abcdef", 1796601600, body),
              "sha256=42b20c905cf0aa629605e9ec9f7fe8d58a4824c76a4d6b1f600e72922826f2a9");
    EXPECT_NE(event_signature("whsec-0123456789abcdef", 1796601601, body),
              event_signature("whsec-0123456789abcdef", 1796601600, body))
        << "the timestamp is signed: an old delivery cannot be replayed with a new one";
}

TEST(EventHook, AnEventIsOnePostOfItsPayloadWithItsIdSigned) {
    event_hook hook({"https://ops.example.vn/dgw-events", "whsec-0123456789abcdef"});
    nlohmann::json payload = {{"type", "concern.filed"},
                              {"occurred_at", "2026-12-07T00:00:00Z"},
                              {"data", {{"ref", "LC-7K4M2"}}}};
    auto r = hook.deliver(payload, 7, signed_at);
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, "https://ops.example.vn/dgw-events");
    EXPECT_EQ(r.body,
              R"({"data":{"ref":"LC-7K4M2"},"id":7,"occurred_at":"2026-12-07T00:00:00Z","type":"concern.filed"})");
    std::map<std::string, std::string> h(r.headers.begin(), r.headers.end());
    EXPECT_EQ(h["Content-Type"], "application/json");
    EXPECT_EQ(h["X-Dgw-Event"], "concern.filed");
    EXPECT_EQ(h["X-Dgw-Delivery"], "7");
    EXPECT_EQ(h["X-Dgw-Timestamp"], "1796601600");
    EXPECT_EQ(h["X-Dgw-Signature"],
              "sha256=42b20c905cf0aa629605e9ec9f7fe8d58a4824c76a4d6b1f600e72922826f2a9");
    EXPECT_EQ(r.body.find("whsec"), std::string::npos);
    // A retry a minute later: the same body and id, a new timestamp and signature.
    auto again = hook.deliver(payload, 7, signed_at + 60s);
    EXPECT_EQ(again.body, r.body);
    std::map<std::string, std::string> h2(again.headers.begin(), again.headers.end());
    EXPECT_EQ(h2["X-Dgw-Timestamp"], "1796601660");
    EXPECT_NE(h2["X-Dgw-Signature"], h["X-Dgw-Signature"]);
}

TEST(EventHook, AnyTwoHundredIsDeliveredTimeoutsThrottlesAndServerErrorsAreRetriedTheRestFail) {
    event_hook hook({"http://127.0.0.1:1/e", "whsec-0123456789abcdef"});
    for (unsigned ok : {200u, 201u, 202u, 204u})
        EXPECT_EQ(hook.classify(ok, "").outcome, send_verdict::kind::sent) << ok;
    for (unsigned later : {408u, 429u, 500u, 502u, 503u})
        EXPECT_EQ(hook.classify(later, "").outcome, send_verdict::kind::retry) << later;
    for (unsigned never : {301u, 400u, 401u, 403u, 404u, 410u, 422u}) {
        auto v = hook.classify(never, "bad signature");
        EXPECT_EQ(v.outcome, send_verdict::kind::permanent) << never;
        EXPECT_NE(v.reason.find(std::to_string(never)), std::string::npos);
    }
    // The receiver's answer is quoted, never the secret.
    auto v = hook.classify(400, "expected secret whsec-0123456789abcdef");
    EXPECT_EQ(v.reason.find("whsec-0123456789abcdef"), std::string::npos);
    // Retry-After in seconds is honoured; anything else is left to the backoff.
    EXPECT_EQ(hook.classify_answer(429, "", {{"retry-after", "120"}}).retry_after, 120s);
    EXPECT_FALSE(hook.classify_answer(503, "", {{"retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"}})
                     .retry_after);
    EXPECT_FALSE(hook.classify_answer(400, "", {{"retry-after", "5"}}).retry_after);
}

TEST(EventHook, NothingComesInAndNoMessageGoesOut) {
    event_hook hook({"http://127.0.0.1:1/e", "whsec-0123456789abcdef"});
    webhook_request req;
    req.method = "POST";
    req.body = "{}";
    EXPECT_EQ(hook.parse(req).outcome, parse_result::verdict::unauthorized);
    core::outbound_message m;
    m.text = "hello";
    EXPECT_THROW(hook.render("LC-1", m), std::logic_error);
    EXPECT_FALSE(hook.acknowledge(core::inbound_event{}));
}

}  // namespace
}  // namespace dgw::channels
