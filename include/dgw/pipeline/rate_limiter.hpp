#pragma once
/// Per-channel send limits (PLATFORMS.md: Telegram ~30 msg/s per bot, ~1 msg/s per chat): a
/// token bucket for the whole channel and one per chat. Pure: the caller passes the time.
/// Not thread-safe; the sender uses it from its one strand.

#include <atomic>
#include <chrono>
#include <map>
#include <string>

namespace dgw::pipeline {

struct rate_limit {
    double per_second = 30;           ///< whole channel; 0 = unlimited
    double burst = 30;                ///< tokens the channel bucket holds
    double per_chat_per_second = 1;   ///< per chat; 0 = unlimited
    double per_chat_burst = 3;        ///< a short answer of a few messages goes out at once
};

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;

    void configure(const std::string& channel, rate_limit limit);

    /// Takes a token for (channel, chat) and returns zero, or returns how long to wait and
    /// takes nothing.
    clock::duration try_take(const std::string& channel, const std::string& chat,
                             clock::time_point now);

    /// Several gateways send for the same accounts (one database): each takes 1/n of every
    /// channel's whole-account rate and burst, so together they keep the platform's limit
    /// (Telegram's 30/s is per bot). The per-chat limits stay whole: a chat's messages go one
    /// at a time, each by whichever gateway claimed it. May be called from any thread.
    void set_share(std::size_t gateways) {
        share_.store(gateways == 0 ? 1 : gateways, std::memory_order_relaxed);
    }

    /// Drops the per-chat buckets that have refilled to their burst by `now`: a chat seen again
    /// starts full, exactly as if it had been kept. try_take calls it whenever the chats it
    /// tracks have doubled since the last time, so memory follows the chats active lately
    /// (amortised O(1) per call), not every chat ever seen.
    void forget_refilled(clock::time_point now);
    std::size_t chats_tracked() const { return chats_.size(); }

private:
    struct bucket {
        double tokens = 0;
        clock::time_point updated{};
        bool primed = false;
    };
    static double refill(bucket& b, double rate, double burst, clock::time_point now);

    std::map<std::string, rate_limit> limits_;
    std::map<std::string, bucket> channels_;
    std::map<std::pair<std::string, std::string>, bucket> chats_;
    std::size_t forget_above_ = 4096;
    std::atomic<std::size_t> share_{1};
};

}  // namespace dgw::pipeline
