#pragma once
/// The schedule's changes kept in the store (officials' edits, sessions admins added), as the
/// dialogue library takes them, and the schedule concerns are filed over: for the pipeline,
/// the API's session and concern endpoints, the reminders and the operators' `schedule` and
/// `route` commands (one place: the pipeline had its own copy).

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/dialogue/session_edits.hpp>
#include <dgw/store/store.hpp>

#include <chrono>
#include <optional>
#include <vector>

namespace dgw::domain {

std::vector<dialogue::session_edit> edits_of(const std::vector<store::session_override>& all);
std::vector<dialogue::explicit_session> added_of(const std::vector<store::added_session>& all);

/// The sessions a concern is filed to from `now` on: the config's schedule over the routing
/// horizon with the sessions admins added and officials' edits, as the pipeline files concerns.
std::vector<dialogue::session> routing_schedule(const dialogue::dialogue_config& cfg,
                                               const std::vector<store::added_session>& added,
                                               const std::vector<store::session_override>& edits,
                                               std::chrono::system_clock::time_point now);

/// Files `k` again over `schedule` at `now` (its session was cancelled, or officials corrected
/// its commune or topic): scheduled to the session it goes to now, with its label and the
/// reason, or unscheduled. Returns that session.
std::optional<dialogue::session> reroute(const dialogue::dialogue_config& cfg,
                                         const std::vector<dialogue::session>& schedule,
                                         store::concern& k,
                                         std::chrono::system_clock::time_point now);

}  // namespace dgw::domain
