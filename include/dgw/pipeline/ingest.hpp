#pragma once
/// The webhook endpoint, `/webhooks/{channel}`: verify and normalise through the channel's
/// adapter, append the events to the durable inbox (group commit), and only then answer 2xx
/// (DESIGN.md invariants 1, 2, 6). Flow work never runs here.
///
///   unknown channel -> 404; bad signature -> 401; malformed body -> 400 (nothing stored);
///   store down -> 503 (the platform retries); duplicates and ignored events -> 200, no effect;
///   a sender, or the channel, over its limit (limit_senders; the web chat, open to anyone) ->
///   429, nothing stored.

#include <dgw/channels/adapter.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/types.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/rate_limiter.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace dgw::pipeline {

class ingest {
public:
    using clock_fn = std::function<store::time_point()>;

    /// `now` stamps the stored events; `ticks` measures the senders' limits (limit_senders).
    ingest(database& db, std::map<std::string, std::shared_ptr<const channels::adapter>> adapters,
           core::metrics& metrics, core::logger& log, clock_fn now,
           core::ticker ticks = core::steady_ticker());

    /// Limits how fast `channel` takes events: all senders together (the channel fields of
    /// `limit`) and each sender, an event's user_id (the per-chat fields). A webhook over
    /// either gets 429 with Retry-After and nothing of it is stored. Call before serving.
    void limit_senders(const std::string& channel, rate_limit limit);

    /// The handler for POST and GET /webhooks/{channel}.
    net::awaitable<http::response> handle(http::request_context& ctx);

private:
    database& db_;
    std::map<std::string, std::shared_ptr<const channels::adapter>> adapters_;
    core::metrics& metrics_;
    core::logger& log_;
    clock_fn now_;
    core::ticker ticks_;
    std::set<std::string, std::less<>> limited_;  // channels with a sender limit; set before serving
    std::mutex limits_mutex_;
    rate_limiter senders_;  // guarded by limits_mutex_
};

}  // namespace dgw::pipeline
