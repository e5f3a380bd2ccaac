#pragma once
// The schedule's changes kept in the store (officials' edits, sessions admins added), as the
// dialogue library takes them: for the API's session endpoints and the operators' `schedule`
// and `route` commands.

#include <dgw/dialogue/schedule.hpp>
#include <dgw/dialogue/session_edits.hpp>
#include <dgw/store/store.hpp>

#include <vector>

namespace dgw::api {

std::vector<dialogue::session_edit> edits_of(const std::vector<store::session_override>& all);
std::vector<dialogue::explicit_session> added_of(const std::vector<store::added_session>& all);

}  // namespace dgw::api
