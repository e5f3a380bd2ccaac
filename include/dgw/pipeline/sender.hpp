#pragma once
/// The sender: outbox -> adapter renders the platform request -> HTTP client (DESIGN.md
/// "Shape"). Only the head of each contact's queue is sent, so a contact's replies arrive in
/// order (invariant 4); a message is "sent" only after the platform said so. Retries with
/// exponential backoff and jitter on timeouts, 5xx and 429 (honouring retry_after); permanent
/// errors mark the message failed with the reason. At most `max_in_flight` sends run at once,
/// within each channel's rate limits. An expired access token (Zalo -216) is refreshed once by
/// the token keeper and the send retried at once.
///
/// The adapter's plan() decides before sending how a message may reach the citizen, from when
/// they last wrote and the platform's rules: a reply it cannot send (Meta's 24-hour window has
/// closed) is failed with the reason without calling the platform. A notice (an answer weeks
/// later) takes the path the platform allows (a template, a tag, a notification token, ZNS);
/// should the platform refuse that path for this citizen, the next one is tried. With no path
/// left it goes by SMS to the phone number the citizen gave with their consent (when an SMS
/// channel is configured), or else it is held, with the reason, until the citizen next
/// writes (the worker then makes it due again, and it goes first, under a heads-up line).
///
/// Runs as one coroutine on its own strand; notify() and stop() may be called from any thread.

#include <dgw/channels/adapter.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/client.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/rate_limiter.hpp>
#include <dgw/pipeline/token_keeper.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace dgw::pipeline {

struct sender_options {
    std::size_t max_in_flight = 64;
    int max_attempts = 12;
    std::chrono::milliseconds backoff{1000};
    std::chrono::milliseconds max_backoff{300'000};
    std::chrono::milliseconds send_timeout{10'000};
    std::chrono::milliseconds idle_poll{500};  ///< how often to look when nothing notified
    token_keeper_options tokens;               ///< channels whose access tokens are refreshed
    /// The channel (Twilio-style) that sends the SMS fallback, or "" for none.
    std::string sms_channel;
    /// The time reply windows and token expiries are reckoned in (tokens.clock is set from
    /// it).
    core::clock clock = core::system_clock();
    /// What the per-channel send limits measure their intervals in.
    core::ticker ticks = core::steady_ticker();
};

struct channel_route {
    std::shared_ptr<const channels::adapter> adapter;
    rate_limit limit;
    /// The configured token pair of a channel whose adapter refreshes tokens (Zalo): it seeds
    /// the store at the first start; after that the stored pair is used (token_keeper.hpp).
    std::optional<channels::token_pair> tokens;
};

class sender {
public:
    sender(net::any_io_executor ex, database& db, http::client& client,
           std::map<std::string, channel_route> channels, sender_options options,
           core::metrics& metrics, core::logger& log);
    ~sender();

    void start();
    /// New outbox rows may be due.
    void notify();
    /// `n` gateways send for these channels now (several on one database): each channel's
    /// whole-account rate limit is shared among them (rate_limiter::set_share).
    void set_share(std::size_t n);
    /// Stops taking new messages, waits for the sends in flight, then calls `done`.
    void stop(std::function<void()> done);

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

/// The delay before retry number `attempt` (1-based): backoff * 2^(attempt-1), capped, times a
/// jitter factor in [0.8, 1.2] from `unit` in [0, 1); at least `retry_after` when the platform
/// gave one.
std::chrono::milliseconds retry_delay(int attempt, const sender_options& o, double unit,
                                      std::optional<std::chrono::milliseconds> retry_after);

}  // namespace dgw::pipeline
