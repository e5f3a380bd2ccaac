#pragma once
/// The events other systems can be told of through the signed event webhooks (issue 22 item
/// 3): their names are the wire names of the config (`outbound_hooks[].events`), of the body
/// each receiver gets and of its X-Dgw-Event header.

#include <string_view>

namespace dgw::core {

enum class event_type {
    concern_filed,     ///< "concern.filed": a concern came in (any source) and was routed
    concern_status,    ///< "concern.status": its status or its session changed
    concern_answered,  ///< "concern.answered": officials recorded (or changed) its answer
    session_changed,   ///< "session.changed": a session was added, edited, postponed, cancelled or deleted
};

const char* to_string(event_type t) noexcept;
/// Sets `out` to the event named `name`; false (and `out` unchanged) for an unknown name.
bool parse_event_type(std::string_view name, event_type& out) noexcept;

}  // namespace dgw::core
