// GET /sessions.ics: the upcoming dialogue sessions as a calendar to subscribe to, no login,
// for one commune (the sessions held for its citizens: its own, those of the units above it
// and the province's) and/or one level. Officials' edits applied; a cancelled session stays
// in the feed, marked, so that subscribed calendars drop it.
#include "api/service.hpp"

#include <dgw/api/calendar.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/session_edits.hpp>

#include <algorithm>
#include <map>

namespace dgw::api {

namespace {

namespace chr = std::chrono;

// The last local day a session may take place on: its date, or the end of its month.
chr::year_month_day last_day(const dialogue::session& s) {
    return s.date ? *s.date : s.month / chr::last;
}

}  // namespace

net::awaitable<http::response> service::sessions_calendar(http::request_context& c) {
    const auto& cfg = *deps_.dialogue;
    const std::string commune = c.query_param("commune");
    const std::string level = c.query_param("level");
    const dialogue::unit* unit = nullptr;
    if (!commune.empty() && !(unit = cfg.find_unit(commune)))
        co_return refuse(error::commune_unknown, {{"field", "commune"}, {"code", commune}});
    const dialogue::level* lv = nullptr;
    if (!level.empty() && !(lv = cfg.find_level(level)))
        co_return refuse(error::level_unknown, {{"field", "level"}, {"level", level}});

    const auto now = deps_.now();
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    auto read = [](store::store& s) {
        return std::tuple{s.list_session_overrides(), s.list_added_sessions()};
    };
    auto [overrides, added] = co_await on_db(read);
    std::vector<dialogue::session> sessions;
    for (auto& s : edited_sessions(cfg, added, overrides, now)) {
        if (chr::sys_days{last_day(s)} < chr::sys_days{today}) continue;
        if (lv && s.level != lv->id) continue;
        if (unit && !dialogue::held_for(cfg, s, *unit)) continue;
        sessions.push_back(std::move(s));
    }

    // What officials changed: the revision of each edited session from its audit lines (a
    // postponement or cancellation written in the config counts once more).
    std::map<std::string, const store::session_override*, std::less<>> edited;
    for (const auto& o : overrides) edited[o.session_id] = &o;
    std::vector<std::string> to_count;
    for (const auto& s : sessions)
        if (edited.contains(s.id)) to_count.push_back(s.id);
    auto count = [to_count](store::store& s) {
        std::map<std::string, int, std::less<>> out;
        for (const auto& id : to_count) out[id] = session_revision(s.list_audit("session:" + id, 100000));
        return out;
    };
    const auto revisions = co_await on_db(count);

    calendar_feed feed;
    feed.name = "Lịch đối thoại với Nhân dân · " + (unit ? unit->name : cfg.province.name);
    if (lv) feed.name += " · " + lv->name_vi;
    feed.uid_domain = cfg.province.code + ".dialogue-gateway";
    for (auto& s : sessions) {
        calendar_entry e;
        if (auto r = revisions.find(s.id); r != revisions.end()) e.revision = r->second;
        if (std::any_of(cfg.schedule.changes.begin(), cfg.schedule.changes.end(),
                        [&](const dialogue::session_change& ch) { return ch.session == s.id; }))
            ++e.revision;
        if (auto o = edited.find(s.id); o != edited.end()) e.modified = o->second->updated_at;
        if (const auto* a = cfg.find_audience(s.audience)) e.audience = a->name_vi;
        e.session = std::move(s);
        feed.entries.push_back(std::move(e));
    }
    auto res = http::text_response(http::status::ok, sessions_ical(feed, now),
                                   "text/calendar; charset=utf-8");
    res.set(beast::http::field::content_disposition, "inline; filename=\"lich-doi-thoai.ics\"");
    co_return res;
}

}  // namespace dgw::api
