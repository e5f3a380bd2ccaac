#pragma once
/// Before the meeting (issue 19 item 3): some days before a session (its level's
/// `remind_days_before` in the dialogue config), every citizen with a concern on its agenda is
/// told once when and where it is and how to attend or watch it (the session's `watch_link`).
/// The worker's hourly sweep calls queue_reminders(); the messages go out as notices, by the
/// channel rules for late messages (issue 10).

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/store/store.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::domain {

/// Whether `s` is due its reminders on local day `today`: open, on a known date from today to
/// `days` days ahead.
bool reminder_due(const dialogue::session& s, int days, std::chrono::year_month_day today);

/// The reminder a citizen reads, entirely in their language ("en", else Vietnamese).
std::string reminder_text(const dialogue::session& s, const std::vector<std::string>& refs,
                          std::string_view lang, std::string_view watch_link);

struct reminder_report {
    std::size_t sessions = 0;     ///< sessions whose citizens were reminded now
    std::size_t messages = 0;     ///< reminders queued
    std::size_t unreachable = 0;  ///< citizens nobody can write to (erased, registered by post)
};

/// Queues the reminders due at `now`: for each session due, one notice per citizen not yet
/// reminded of it, and notes them reminded in the same transaction (so a citizen is reminded
/// once, whoever runs it and however often). Runs on the database thread.
reminder_report queue_reminders(store::store& s, const dialogue::dialogue_config& cfg,
                                store::time_point now);

}  // namespace dgw::domain
