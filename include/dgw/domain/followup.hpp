#pragma once
/// After the meeting (issue 19 item 5): an answer either settles a concern or assigns it to an
/// office with a deadline and what was promised. The citizen is told at assignment (in the
/// answer) and at the close; an assigned item still open after its deadline is carried to the
/// next session's agenda by the worker's sweep, its history kept. Nothing assigned disappears.

#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::domain {

/// What an answer promised when it is not the end of it.
struct assignment {
    std::string office;    ///< who does it ("Phòng Kinh tế xã", "Ban quản lý dự án")
    std::string deadline;  ///< "YYYY-MM-DD"
    std::string promise;   ///< what was promised
};

/// Why `a` cannot be recorded on local day `today` ("office", "deadline", "promise": the
/// field at fault), or nothing when it can.
std::optional<std::string> assignment_fault(const assignment& a, std::chrono::year_month_day today);

/// Records `a` (or a settlement when there is none) on an answered concern.
void follow_up(store::concern& k, const std::optional<assignment>& a);

/// The line an answer to a citizen gets when it assigns the work ("en", else Vietnamese).
std::string assignment_text(const assignment& a, std::string_view lang);

/// What a citizen is told when their assigned concern is closed.
std::string closed_text(const std::vector<std::string>& refs, const std::string& result,
                        std::string_view lang);

/// Whether an assigned item is past its deadline on local day `today`.
bool overdue(const store::concern& k, std::chrono::year_month_day today);

/// Carries every assigned item past its deadline at `now` to the session it goes to now
/// (scheduled again, its answer and assignment kept; audited `concern.carried`). Runs on the
/// database thread; returns how many were carried.
std::size_t carry_overdue(store::store& s, const dialogue::dialogue_config& cfg,
                          store::time_point now);

/// How many days before its deadline the officials of the office an item is assigned to are
/// reminded of it.
inline constexpr int work_reminder_days = 3;

/// Whether `u` is one of the officials of `office`: an official or admin, not disabled, whose
/// own office is the same words (case, accents and spaces aside).
bool works_in(const store::user& u, std::string_view office);

/// The reminder an office's official reads by SMS: the items due, each with its reference,
/// deadline and promise.
std::string work_reminder_text(const std::string& office, const std::vector<store::concern>& due);

struct work_reminder_report {
    std::size_t items = 0;      ///< assigned items reminded of now
    std::size_t messages = 0;   ///< reminders queued (one per official)
    std::size_t unreachable = 0;///< items whose office has no official with a phone
};

/// Queues the reminders of assigned work due within work_reminder_days of `now` (or already
/// due): one SMS on `sms_channel` per official of the item's office who may see it
/// (`may_see`: the API's scope rule) and has a phone, listing every such item of theirs;
/// each item is noted reminded of its deadline in the same transaction, so it is reminded
/// once per deadline whoever runs it and however often. Without an SMS channel or an official
/// to write to, the items are still noted (the follow-up list shows them due). Runs on the
/// database thread.
work_reminder_report remind_offices(
    store::store& s, const dialogue::dialogue_config& cfg, const std::string& sms_channel,
    store::time_point now, const std::function<bool(const store::user&, const store::concern&)>& may_see);

}  // namespace dgw::domain
