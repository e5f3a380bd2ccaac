#include "dgw/core/concern_status.hpp"

namespace dgw::core {

std::string_view to_string(concern_status s) noexcept {
    switch (s) {
        case concern_status::received: return "received";
        case concern_status::scheduled: return "scheduled";
        case concern_status::answered: return "answered";
        case concern_status::forwarded: return "forwarded";
        case concern_status::withdrawn: return "withdrawn";
        case concern_status::merged: return "merged";
        case concern_status::unscheduled: return "unscheduled";
    }
    return "received";
}

std::optional<concern_status> parse_concern_status(std::string_view text) noexcept {
    for (auto s : {concern_status::received, concern_status::scheduled, concern_status::answered,
                   concern_status::forwarded, concern_status::withdrawn, concern_status::merged,
                   concern_status::unscheduled})
        if (to_string(s) == text) return s;
    return std::nullopt;
}

}  // namespace dgw::core
