#pragma once
/// The dialogue sessions as an iCalendar feed (RFC 5545) that citizens and officials subscribe
/// to (GET /sessions.ics). Pure: the handler gives the sessions, what officials changed and
/// the time; nothing here reads a clock or the store.

#include <dgw/dialogue/schedule.hpp>
#include <dgw/store/records.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::api {

/// One session of a feed, with what the feed says of its history.
struct calendar_entry {
    dialogue::session session;
    /// How many times its day, place or state changed since it was first published
    /// (SEQUENCE): a subscribed calendar replaces its copy when this grows.
    int revision = 0;
    /// When officials last changed it, if they did (LAST-MODIFIED).
    std::optional<std::chrono::system_clock::time_point> modified;
    std::string audience;  ///< who it is held for, by name; "" = everyone
};

struct calendar_feed {
    std::string name;        ///< X-WR-CALNAME, shown by the subscribing app
    std::string uid_domain;  ///< right side of every UID: "<session id>@<uid_domain>"
    std::vector<calendar_entry> entries;
};

/// TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks;
/// other control characters, which TEXT may not hold, are dropped.
std::string ical_escape(std::string_view text);

/// One content line ("NAME;PARAM=x:value") folded at 75 octets (§3.1), never inside a UTF-8
/// character, each piece ended with CRLF and continued after a space.
std::string ical_line(std::string_view line);

/// The feed: a VCALENDAR (METHOD:PUBLISH) with the Asia/Ho_Chi_Minh zone and one VEVENT per
/// entry, in order. A session's days are the local days of the schedule, so events are
/// all-day: its date, or the whole month while only the month is known (TRANSP:TRANSPARENT:
/// "some day in March" blocks no day). STATUS is CANCELLED for a cancelled session (kept, so
/// that subscribed calendars drop it), TENTATIVE while no day is known (planned, or postponed
/// without a new date), CONFIRMED otherwise. DTSTAMP is `now` (UTC).
std::string sessions_ical(const calendar_feed& feed, std::chrono::system_clock::time_point now);

/// How many of a session's audit lines ("session.update", list_audit("session:<id>")) changed
/// its date, venue or status: its revision for calendar_entry.
int session_revision(const std::vector<store::audit_entry>& history);

}  // namespace dgw::api
