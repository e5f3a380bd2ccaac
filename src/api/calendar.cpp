// The sessions as an iCalendar feed (see the header).

#include "dgw/api/calendar.hpp"

#include <dgw/dialogue/routing.hpp>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace dgw::api {

namespace {

namespace chr = std::chrono;
using nlohmann::json;

constexpr std::size_t max_octets = 75;  // per content line, CRLF not counted (RFC 5545 §3.1)

// "20270318": a DATE value.
std::string date_value(chr::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

// "20261207T155032Z": a DATE-TIME in UTC.
std::string utc_value(chr::system_clock::time_point t) {
    const auto day = chr::floor<chr::days>(t);
    const chr::hh_mm_ss hms{chr::floor<chr::seconds>(t - day)};
    char buf[24];
    std::snprintf(buf, sizeof buf, "%sT%02d%02d%02dZ", date_value(chr::year_month_day{day}).c_str(),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buf;
}

// The zone the schedule's days are in: Vietnam has kept +07:00 without daylight saving since
// 1975, so one STANDARD observance describes it.
constexpr const char* vtimezone[] = {
    "BEGIN:VTIMEZONE",          "TZID:Asia/Ho_Chi_Minh", "BEGIN:STANDARD",
    "DTSTART:19750613T000000", "TZOFFSETFROM:+0700",    "TZOFFSETTO:+0700",
    "TZNAME:+07",               "END:STANDARD",          "END:VTIMEZONE"};

std::string_view status_of(const dialogue::session& s) {
    if (s.status == dialogue::session_status::cancelled) return "CANCELLED";
    return s.date ? "CONFIRMED" : "TENTATIVE";
}

std::string summary_of(const dialogue::session& s) {
    if (s.status == dialogue::session_status::cancelled) return "Đã huỷ: " + s.title_vi;
    if (s.status == dialogue::session_status::postponed && !s.date) return "Tạm hoãn: " + s.title_vi;
    return s.date ? s.title_vi : s.title_vi + " (ngày sẽ báo sau)";
}

std::string description_of(const calendar_entry& e) {
    const auto& s = e.session;
    std::string out = "Buổi đối thoại " + dialogue::when_vi(s) + ".";
    if (!s.date) out += " Ngày cụ thể sẽ được thông báo sau.";
    if (!e.audience.empty()) out += "\nDành cho: " + e.audience + ".";
    if (!s.note.empty()) out += "\nGhi chú: " + s.note;
    return out;
}

void event(std::string& out, const calendar_entry& e, const std::string& uid_domain,
           const std::string& stamp) {
    const auto& s = e.session;
    // A month-only session spans its month; DTEND of an all-day event is the day after.
    const chr::year_month_day first = s.date ? *s.date : s.month / chr::day{1};
    const chr::year_month_day end =
        s.date ? chr::year_month_day{chr::sys_days{*s.date} + chr::days{1}}
               : (s.month + chr::months{1}) / chr::day{1};
    out += ical_line("BEGIN:VEVENT");
    out += ical_line("UID:" + ical_escape(s.id + "@" + uid_domain));
    out += ical_line("DTSTAMP:" + stamp);
    out += ical_line("DTSTART;VALUE=DATE:" + date_value(first));
    out += ical_line("DTEND;VALUE=DATE:" + date_value(end));
    out += ical_line("SEQUENCE:" + std::to_string(e.revision));
    if (e.modified) out += ical_line("LAST-MODIFIED:" + utc_value(*e.modified));
    out += ical_line("SUMMARY;LANGUAGE=vi:" + ical_escape(summary_of(s)));
    if (!s.venue.empty()) out += ical_line("LOCATION;LANGUAGE=vi:" + ical_escape(s.venue));
    out += ical_line("DESCRIPTION;LANGUAGE=vi:" + ical_escape(description_of(e)));
    out += ical_line("STATUS:" + std::string(status_of(s)));
    out += ical_line(s.date ? "TRANSP:OPAQUE" : "TRANSP:TRANSPARENT");
    out += ical_line("END:VEVENT");
}

// A string member of an audit line's JSON text, "" when absent or not JSON.
std::string audited(const json& j, const char* key) {
    if (!j.is_object()) return "";
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::string ical_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char ch = text[i];
        switch (ch) {
            case '\\': out += "\\\\"; break;
            case ';': out += "\\;"; break;
            case ',': out += "\\,"; break;
            case '\n': out += "\\n"; break;
            case '\r':
                // CRLF and a lone CR are one line break.
                if (i + 1 >= text.size() || text[i + 1] != '\n') out += "\\n";
                break;
            default:
                if ((static_cast<unsigned char>(ch) < 0x20 && ch != '\t') || ch == 0x7f) break;
                out += ch;
        }
    }
    return out;
}

std::string ical_line(std::string_view line) {
    std::string out;
    std::size_t limit = max_octets;  // the first piece; later ones start with a space
    while (line.size() > limit) {
        std::size_t cut = limit;
        // Never between the bytes of one character: back up to the start of the character
        // (a UTF-8 continuation byte is 10xxxxxx).
        while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
        if (cut == 0) cut = limit;  // not UTF-8: any cut keeps the octet limit
        out.append(line.substr(0, cut));
        out += "\r\n ";
        line.remove_prefix(cut);
        limit = max_octets - 1;
    }
    out.append(line);
    out += "\r\n";
    return out;
}

std::string sessions_ical(const calendar_feed& feed, chr::system_clock::time_point now) {
    std::string out;
    out += ical_line("BEGIN:VCALENDAR");
    out += ical_line("VERSION:2.0");
    out += ical_line("PRODID:-//dialogue-gateway//Lich doi thoai//VI");
    out += ical_line("CALSCALE:GREGORIAN");
    out += ical_line("METHOD:PUBLISH");
    out += ical_line("X-WR-CALNAME:" + ical_escape(feed.name));
    out += ical_line("NAME:" + ical_escape(feed.name));
    out += ical_line("X-WR-TIMEZONE:Asia/Ho_Chi_Minh");
    // How often a subscriber should look again (RFC 7986, and the older Microsoft name).
    out += ical_line("REFRESH-INTERVAL;VALUE=DURATION:PT6H");
    out += ical_line("X-PUBLISHED-TTL:PT6H");
    for (const char* l : vtimezone) out += ical_line(l);
    const std::string stamp = utc_value(now);
    for (const auto& e : feed.entries) event(out, e, feed.uid_domain, stamp);
    out += ical_line("END:VCALENDAR");
    return out;
}

int session_revision(const std::vector<store::audit_entry>& history) {
    int n = 0;
    for (const auto& a : history) {
        if (a.action != "session.update") continue;
        const json before = json::parse(a.before, nullptr, false);
        const json after = json::parse(a.after, nullptr, false);
        for (const char* key : {"date", "venue", "status"}) {
            if (audited(before, key) != audited(after, key)) {
                ++n;
                break;
            }
        }
    }
    return n;
}

}  // namespace dgw::api
