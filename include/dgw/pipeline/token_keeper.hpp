#pragma once
/// Keeps the access tokens of channels whose tokens the gateway refreshes (Zalo OA: access
/// tokens live ~25 h, refresh tokens work ONCE). The current pair lives in the store
/// (`channel_tokens`); the configured pair only seeds it (store::seed_channel_token).
///
/// One refresh at a time per channel: sends that find a refresh in progress, or whose token
/// the platform refused meanwhile, wait for it instead of starting another. The new pair is
/// committed in one transaction before anything uses it. A refresh the platform rejects (the
/// refresh token is spent or revoked) is not tried again with the same refresh token: an
/// operator must put a new pair in the config (README "Zalo access tokens").
///
/// Owned by the sender and used only on the sender's strand: every member must be called
/// there. Tokens never reach a log or a metric.

#include <dgw/channels/adapter.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/http/client.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/store/store.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dgw::pipeline {

struct token_keeper_options {
    /// Refresh this long before the access token expires (when its expiry is known).
    std::chrono::milliseconds refresh_margin{600'000};
    /// After a refresh that got no usable answer, wait this long before a proactive retry
    /// (a send refused with an expired token still tries at once).
    std::chrono::milliseconds retry_pause{30'000};
    std::chrono::milliseconds timeout{10'000};  ///< of the refresh request
    core::clock clock = core::system_clock();   ///< expiries are reckoned in it
    /// This gateway, among those sharing the database: one of them refreshes a channel's pair
    /// at a time (store::claim_token_refresh), the others wait and take the stored pair.
    std::string owner;
    /// How often a gateway waiting for another's refresh looks at the stored pair.
    std::chrono::milliseconds poll{200};
};

/// What a renewal gave: the access token to send with, or why there is none.
struct renewal {
    bool ok = false;
    std::string access_token;  ///< when ok
    std::string reason;        ///< when not ok; no secrets
};

class token_keeper {
public:
    using time_point = std::chrono::system_clock::time_point;

    token_keeper(net::strand<net::any_io_executor> strand, database& db, http::client& client,
                 token_keeper_options options, core::metrics& metrics, core::logger& log);

    /// Registers a channel whose adapter refreshes tokens, with its configured pair. Before
    /// load().
    void add(std::string channel, std::shared_ptr<const channels::adapter> adapter,
             channels::token_pair configured);

    bool manages(const std::string& channel) const { return entries_.contains(channel); }

    /// Reads every channel's current pair, seeding the store from the config where needed.
    /// If the store is unavailable the configured pair is used (and the error logged).
    net::awaitable<void> load();

    /// The access token to send with now; waits while a refresh of it is in progress.
    net::awaitable<std::string> access_token(std::string channel);

    /// The platform refused `used` as invalid or expired: refreshes the pair, unless it was
    /// replaced since `used` was handed out (then the newer token is returned at once) or a
    /// refresh is in progress (then its result is awaited).
    net::awaitable<renewal> renew(std::string channel, std::string used);

    /// Channels whose access token expires within refresh_margin of `now` and that are not
    /// being refreshed, rejected or pausing after a failure: the caller refreshes them with
    /// refresh_now().
    std::vector<std::string> due(time_point now) const;

    /// Refreshes one channel now (waits for a refresh in progress instead of starting one).
    net::awaitable<renewal> refresh_now(std::string channel);

    /// True while any refresh is in flight (the sender waits for it before stopping: a
    /// refresh token spent without its answer stored is lost).
    bool busy() const;

private:
    struct entry {
        std::shared_ptr<const channels::adapter> adapter;
        channels::token_pair configured;
        store::channel_token current;
        bool refreshing = false;
        std::unique_ptr<net::steady_timer> refreshed;  // cancelled when a refresh ends
        std::string rejected_refresh_token;  // refused by the platform: never sent again
        std::string last_error;
        time_point pause_until{};
    };

    net::awaitable<void> wait_for_refresh(entry& e);
    net::awaitable<renewal> refresh(std::string channel, entry& e);
    net::awaitable<channels::refresh_verdict> ask_platform(const entry& e);
    net::awaitable<void> store_pair(std::string channel, entry& e, channels::token_pair pair);
    // Takes the channel's refresh among the gateways sharing the database: true when this one
    // may ask the platform; false when another gateway stored a new pair (now in e.current).
    net::awaitable<bool> take_refresh(std::string channel, entry& e);

    net::strand<net::any_io_executor> strand_;
    database& db_;
    http::client& client_;
    token_keeper_options opts_;
    core::metrics& metrics_;
    core::logger& log_;
    std::map<std::string, entry> entries_;  // nodes stay put: coroutines hold references
};

}  // namespace dgw::pipeline
