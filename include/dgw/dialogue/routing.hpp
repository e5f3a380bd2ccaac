#pragma once
/// Routing a concern to the next open session that hears it. Pure: the received time is given.

#include <dgw/core/reading.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/result.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/dialogue/session_edits.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dgw::dialogue {

struct route_request {
    std::string commune;   ///< unit code where the concern is
    std::string topic;     ///< topic id
    std::string audience;  ///< optional audience id (a student, a mine worker); empty for anyone
    std::chrono::system_clock::time_point received;  ///< UTC
};

enum class route_status { scheduled, unscheduled };
std::string_view to_string(route_status s);

struct route_result {
    route_status status = route_status::unscheduled;
    std::optional<dialogue::session> session;  ///< set when scheduled
    std::string reason;                        ///< short English explanation, always set
    std::string reason_vi;                     ///< the same for the citizen, in Vietnamese
};

/// Whether session `s` is held for the citizens of `commune`: a province session for every
/// commune, a unit-level one for its own unit and the units below it; never an organisation's
/// conference (its staff come from anywhere). Routing hears a concern only at such a session
/// (or at the conference of the citizen's own audience); a commune's calendar lists them.
bool held_for(const dialogue_config& config, const session& s, const unit& commune);

/// The next open session that hears the topic for this commune (and audience):
/// - a session hears a topic when the topic is in its list and its level is one of the
///   topic's levels; a unit-level session hears its own unit (and the units below it);
///   a province session hears every commune; a session with an audience hears only that
///   audience, and sessions for the concern's own audience come first;
/// - among those, the topic's preferred level first, then the earliest;
/// - cancelled sessions and sessions postponed without a new date are skipped;
/// - cut-off: the session's earliest day must be at least `cutoff_days` after the local date
///   the concern arrived (a month-only session counts from the 1st of its month);
/// - nothing within `horizon_months`: status unscheduled with a reason (never dropped).
/// Unknown commune, topic or audience are errors. Re-routing a concern whose session was
/// cancelled or postponed is the same call again after the change is in the config.
result<route_result> route(const dialogue_config& config, const route_request& request);

/// The same over a schedule the caller built with build_schedule(config, m, m + horizon),
/// where m is the month the request arrives in (local time).
result<route_result> route(const dialogue_config& config, const std::vector<session>& schedule,
                           const route_request& request);

/// Routes many concerns without rebuilding the schedule for each: the schedule depends only on
/// the config and the month a concern arrives in, so it is rebuilt when that month changes.
/// The config must outlive the cache. Not thread-safe (the pipeline uses it on one thread).
class schedule_cache {
public:
    explicit schedule_cache(const dialogue_config& config);
    result<route_result> route(const route_request& request);
    /// The audience of session `session_id` in the schedule of `received`'s month, or "" (open
    /// to everyone, or not in it).
    std::string audience_of(std::string_view session_id, std::chrono::system_clock::time_point received);
    /// Officials' edits (session_edits.hpp) applied to the schedule from now on; the schedule
    /// is rebuilt only when they differ from the last ones.
    void set_edits(std::vector<session_edit> edits);
    /// Sessions admins added (build_schedule's `added`), from now on; rebuilt only on a change.
    void set_added(std::vector<explicit_session> added);

private:
    const std::vector<session>& sessions_for(const route_request& request);
    const dialogue_config& config_;
    std::vector<session_edit> edits_;
    std::vector<explicit_session> added_;
    std::vector<session> sessions_;
    std::chrono::year_month first_{};
    bool built_ = false;
};

/// When a session takes place, in the words every citizen-facing text uses after "the
/// session" / "buổi đối thoại": "on 18 March 2027" / "ngày 18/3/2027" once the date is set,
/// "in March 2027" / "tháng 3/2027" while only the month is known. The one formatter for
/// session dates: texts around it add no "on"/"ngày" of their own.
std::string when_en(const session& s);
std::string when_vi(const session& s);

/// core::session_preview over a schedule_cache at one moment: the session a concern of that
/// topic and commune would be filed to now. The cache (and the config it routes with) must
/// outlive the preview; like the cache, not thread-safe.
class schedule_preview final : public core::session_preview {
public:
    schedule_preview(schedule_cache& cache, std::chrono::system_clock::time_point now)
        : cache_(cache), now_(now) {}
    std::optional<core::session_preview_text> preview(std::string_view topic,
                                                      std::string_view locality_code,
                                                      std::string_view lang) const override;

private:
    schedule_cache& cache_;
    std::chrono::system_clock::time_point now_;
};

}  // namespace dgw::dialogue
