#pragma once
/// Concrete dialogue sessions from the schedule rules, explicit sessions and changes of a
/// dialogue_config. Pure: the caller gives the range; nothing reads the clock.

#include <dgw/dialogue/config.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace dgw::dialogue {

enum class session_status {
    planned,    ///< open; only the month is known ("some day in March")
    fixed,      ///< open, with a date
    postponed,  ///< moved: open at `date` when a new date is known, closed otherwise
    cancelled,  ///< closed; its concerns are routed again
};

std::string_view to_string(session_status s);

struct session {
    /// Stable id of the slot, "<level>-<locality>-<yyyy>-<mm>" for generated slots, so that
    /// concerns filed to "some day in March" stay with the session when its date is fixed.
    std::string id;
    std::string level;
    std::string locality;             ///< province code, unit code or organisation id
    std::string locality_name;        ///< e.g. "Xã Bát Xát"
    std::chrono::year_month month{};  ///< the slot's month (as planned)
    std::optional<std::chrono::year_month_day> date;  ///< set when the day is known
    std::string venue;
    std::string audience;  ///< empty: open to everyone
    std::vector<std::string> topics;
    std::string title_vi;
    std::string title_en;
    session_status status = session_status::planned;
    bool generated = true;  ///< false when it comes from an explicit session
    bool added = false;     ///< created by an admin (stored in the database), not in the config
    std::string note;       ///< reason of a postponement or cancellation

    /// Open sessions take concerns: planned, fixed, or postponed to a known date.
    bool open() const noexcept;
    /// The earliest day the session may take place: its date, or the 1st of its month. The
    /// cut-off is measured from this day so officials always get `cutoff_days` to prepare.
    std::chrono::year_month_day earliest_day() const noexcept;
};

/// "<level>-<locality>-<yyyy>-<mm>".
std::string slot_id(std::string_view level, std::string_view locality, std::chrono::year_month m);

/// "<level>-<locality>-<yyyy>-<mm>-<dd>": the id of a session an admin adds on a date. It
/// extends the slot id with the day, so it never takes a generated slot's id, and a second
/// session of the same unit on the same day is a duplicate.
std::string added_session_id(std::string_view level, std::string_view locality,
                             std::chrono::year_month_day date);

/// All sessions whose slot month lies in [first, last] (inclusive), or whose postponed date does:
/// generated ones (no slot before the config's valid_from month), explicit sessions replacing
/// them slot for slot, and changes applied. `added` are the sessions admins created (each
/// with its id and date): always extra sessions, never in a slot's place. Sorted by
/// earliest_day, then level order in the config, then locality.
std::vector<session> build_schedule(const dialogue_config& config, std::chrono::year_month first,
                                    std::chrono::year_month last,
                                    const std::vector<explicit_session>& added = {});

/// Sessions taking place in [from, to] (dates inclusive; a month-only session when its month
/// overlaps), optionally of one level. Cancelled sessions are kept (with their status) so that
/// a listing shows them; use session::open() to filter.
std::vector<session> sessions_between(const dialogue_config& config,
                                      std::chrono::year_month_day from,
                                      std::chrono::year_month_day to, std::string_view level = {},
                                      const std::vector<explicit_session>& added = {});

}  // namespace dgw::dialogue
