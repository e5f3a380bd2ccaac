#include "dgw/pipeline/rate_limiter.hpp"

#include <algorithm>
#include <iterator>

namespace dgw::pipeline {

void rate_limiter::configure(const std::string& channel, rate_limit limit) {
    limits_[channel] = limit;
}

double rate_limiter::refill(bucket& b, double rate, double burst, clock::time_point now) {
    if (!b.primed) {
        b.tokens = burst;
        b.updated = now;
        b.primed = true;
    }
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    if (elapsed > 0) {
        b.tokens = std::min(burst, b.tokens + elapsed * rate);
        b.updated = now;
    }
    return b.tokens;
}

rate_limiter::clock::duration rate_limiter::try_take(const std::string& channel,
                                                     const std::string& chat,
                                                     clock::time_point now) {
    auto it = limits_.find(channel);
    if (it == limits_.end()) return clock::duration::zero();
    const auto& l = it->second;
    auto wait_for = [](double tokens, double rate) {
        return std::chrono::duration_cast<clock::duration>(
            std::chrono::duration<double>((1.0 - tokens) / rate));
    };
    bucket* ch = nullptr;
    bucket* per_chat = nullptr;
    clock::duration wait = clock::duration::zero();
    if (l.per_second > 0) {
        ch = &channels_[channel];
        const auto share = static_cast<double>(share_.load(std::memory_order_relaxed));
        const double rate = l.per_second / share;
        double t = refill(*ch, rate, std::max(1.0, l.burst / share), now);
        if (t < 1.0) wait = std::max(wait, wait_for(t, rate));
    }
    if (l.per_chat_per_second > 0) {
        if (chats_.size() > forget_above_) {
            forget_refilled(now);
            forget_above_ = std::max<std::size_t>(4096, 2 * chats_.size());
        }
        per_chat = &chats_[{channel, chat}];
        double t = refill(*per_chat, l.per_chat_per_second, std::max(1.0, l.per_chat_burst), now);
        if (t < 1.0) wait = std::max(wait, wait_for(t, l.per_chat_per_second));
    }
    if (wait > clock::duration::zero()) return wait;
    if (ch) ch->tokens -= 1.0;
    if (per_chat) per_chat->tokens -= 1.0;
    return clock::duration::zero();
}

void rate_limiter::forget_refilled(clock::time_point now) {
    for (auto it = chats_.begin(); it != chats_.end();) {
        auto l = limits_.find(it->first.first);
        const bool full = l == limits_.end() || l->second.per_chat_per_second <= 0 ||
                          refill(it->second, l->second.per_chat_per_second,
                                 std::max(1.0, l->second.per_chat_burst), now) >=
                              std::max(1.0, l->second.per_chat_burst);
        it = full ? chats_.erase(it) : std::next(it);
    }
}

}  // namespace dgw::pipeline
