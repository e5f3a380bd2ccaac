#pragma once
/// Officials' changes to the schedule (a new date or venue, a postponement, a cancellation)
/// applied over a built schedule. Pure: the API stores the edits and passes them in; routing
/// over the edited schedule (routing.hpp, `route(config, schedule, request)`) is what moves
/// the concerns of a cancelled or postponed session on to their next session.

#include <dgw/dialogue/schedule.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::dialogue {

struct session_edit {
    std::string session;                              ///< session id
    std::optional<session_status> status;             ///< postponed or cancelled; nothing = as is
    std::optional<std::chrono::year_month_day> date;  ///< new date (of a postponed one too)
    std::string venue;                                ///< new venue; "" = unchanged
    std::string note;                                 ///< reason shown with the session

    friend bool operator==(const session_edit&, const session_edit&) = default;
};

/// An edit from its stored text form: `status` "postponed", "cancelled" or "" (anything else
/// is ""), `date` "YYYY-MM-DD" or "" (an invalid date is no date).
session_edit make_edit(std::string session, std::string_view status, std::string_view date,
                       std::string venue, std::string note);

/// The schedule with the edits applied to the sessions they name (others are ignored):
/// a date fixes a planned session (status fixed) or gives a postponed one its new date; a
/// cancellation closes it. The order is kept.
std::vector<session> apply_edits(std::vector<session> schedule,
                                 const std::vector<session_edit>& edits);

/// True when an edit closes the session or moves it: its concerns must be routed again.
bool moves_concerns(const session_edit& edit);

}  // namespace dgw::dialogue
