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

}  // namespace dgw::core
