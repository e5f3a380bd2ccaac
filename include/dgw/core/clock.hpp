#pragma once
/// The current time as the composition root gives it (DESIGN.md: nothing below `app` reads the
/// clock directly): the worker, the sender and the token keeper take one, so that tests can
/// move it weeks ahead instead of waiting.

#include <chrono>
#include <functional>

namespace dgw::core {

/// Returns "now". Called from several threads: it must be thread-safe.
using clock = std::function<std::chrono::system_clock::time_point()>;

/// The system's clock.
inline clock system_clock() {
    return [] { return std::chrono::system_clock::now(); };
}

/// Returns a monotonic "now", for intervals only (rate limits, how often a sweep runs): unlike
/// `clock` it never jumps, also when a test moves the time weeks ahead. Thread-safe.
using ticker = std::function<std::chrono::steady_clock::time_point()>;

/// The system's monotonic clock.
inline ticker steady_ticker() {
    return [] { return std::chrono::steady_clock::now(); };
}

}  // namespace dgw::core
