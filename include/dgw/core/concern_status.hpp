#pragma once
/// Where a concern stands: one type from the store's row to the API's answer and the citizen's
/// words (the store keeps it as its name, the JSON of the API and of events carries the name).

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace dgw::core {

enum class concern_status {
    received,     ///< filed, not yet routed
    scheduled,    ///< routed to a session
    answered,     ///< answered at (or after) its session
    forwarded,    ///< sent to the body competent for it
    withdrawn,    ///< the citizen withdrew it
    merged,       ///< merged into another concern of the same session
    unscheduled,  ///< no session in the horizon hears it: officials assign it
};

/// "received", "scheduled", …: the name the store, the API and the events use.
std::string_view to_string(concern_status s) noexcept;
std::optional<concern_status> parse_concern_status(std::string_view text) noexcept;

/// As its name in JSON (nlohmann::json and ordered_json alike); reading a name that is not a
/// status is a json::type_error.
template <typename BasicJson>
void to_json(BasicJson& j, concern_status s) {
    j = std::string(to_string(s));
}
template <typename BasicJson>
void from_json(const BasicJson& j, concern_status& s) {
    const auto parsed = parse_concern_status(j.template get<std::string>());
    if (!parsed)
        throw nlohmann::json::type_error::create(302, "not a concern status: " + j.dump(), &j);
    s = *parsed;
}

}  // namespace dgw::core
