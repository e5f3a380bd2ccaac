#include "dgw/core/event_type.hpp"

#include "core/enum_names.hpp"

namespace dgw::core {

namespace {

constexpr detail::name_table<event_type, 4> event_names{{
    {event_type::concern_filed, "concern.filed"},
    {event_type::concern_status, "concern.status"},
    {event_type::concern_answered, "concern.answered"},
    {event_type::session_changed, "session.changed"},
}};

}  // namespace

const char* to_string(event_type t) noexcept { return detail::name_of(event_names, t); }

bool parse_event_type(std::string_view name, event_type& out) noexcept {
    return detail::parse_name(event_names, name, out);
}

}  // namespace dgw::core
