#include "dgw/core/log.hpp"

#include <array>
#include <utility>

namespace dgw::core {

bool parse_log_level(std::string_view name, log_level& out) {
    static constexpr std::array<std::pair<std::string_view, log_level>, 6> names{{
        {"trace", log_level::trace},
        {"debug", log_level::debug},
        {"info", log_level::info},
        {"warn", log_level::warn},
        {"error", log_level::error},
        {"off", log_level::off},
    }};
    for (const auto& [n, level] : names) {
        if (n == name) {
            out = level;
            return true;
        }
    }
    return false;
}

}  // namespace dgw::core
