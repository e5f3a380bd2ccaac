#include "dgw/dialogue/schedule.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace dgw::dialogue {

namespace {

namespace chr = std::chrono;

std::string fill_name(std::string_view templ, std::string_view name) {
    std::string out(templ);
    constexpr std::string_view key = "{name}";
    for (auto pos = out.find(key); pos != std::string::npos; pos = out.find(key, pos + name.size()))
        out.replace(pos, key.size(), name);
    return out;
}

/// Topics a level hears when a session does not list its own.
std::vector<std::string> topics_of_level(const dialogue_config& c, std::string_view level) {
    std::vector<std::string> out;
    for (const auto& t : c.topics)
        if (std::find(t.levels.begin(), t.levels.end(), level) != t.levels.end())
            out.push_back(t.id);
    return out;
}

std::vector<std::string> localities_of(const dialogue_config& c, const level& lv) {
    std::vector<std::string> out;
    if (lv.scope == level_scope::province) {
        out.push_back(c.province.code);
    } else if (lv.scope == level_scope::unit) {
        for (const auto& u : c.units)
            if (u.level == lv.id) out.push_back(u.code);
    }
    return out;
}

std::size_t level_rank(const dialogue_config& c, std::string_view level) {
    for (std::size_t i = 0; i < c.levels.size(); ++i)
        if (c.levels[i].id == level) return i;
    return c.levels.size();
}

// What an explicit session sets on `s`: a generated slot it replaces, or a blank session.
void set_from_explicit(const dialogue_config& c, const level& lv, const explicit_session& x,
                       chr::year_month m, session& s) {
    s.level = lv.id;
    s.locality = x.locality;
    s.locality_name = c.locality_name(lv, x.locality);
    s.month = m;
    s.date = x.date;
    if (!x.venue.empty()) s.venue = x.venue;
    s.audience = x.audience;
    s.topics = x.topics.empty() ? topics_of_level(c, lv.id) : x.topics;
    if (!x.title_vi.empty()) s.title_vi = x.title_vi;
    if (!x.title_en.empty()) s.title_en = x.title_en;
    s.status = x.date ? session_status::fixed : session_status::planned;
    s.generated = false;
}

chr::year_month effective_month(const session& s) {
    return s.date ? chr::year_month{s.date->year(), s.date->month()} : s.month;
}

}  // namespace

std::string_view to_string(session_status s) {
    switch (s) {
        case session_status::planned:
            return "planned";
        case session_status::fixed:
            return "fixed";
        case session_status::postponed:
            return "postponed";
        case session_status::cancelled:
            return "cancelled";
    }
    return "planned";
}

bool session::open() const noexcept {
    switch (status) {
        case session_status::planned:
        case session_status::fixed:
            return true;
        case session_status::postponed:
            return date.has_value();
        case session_status::cancelled:
            return false;
    }
    return false;
}

chr::year_month_day session::earliest_day() const noexcept {
    return date ? *date : chr::year_month_day{month / chr::day{1}};
}

std::string slot_id(std::string_view level, std::string_view locality, chr::year_month m) {
    return std::string(level) + "-" + std::string(locality) + "-" + to_string(m);
}

std::string added_session_id(std::string_view level, std::string_view locality,
                             chr::year_month_day date) {
    return std::string(level) + "-" + std::string(locality) + "-" + to_string(date);
}

std::vector<session> build_schedule(const dialogue_config& c, chr::year_month first,
                                    chr::year_month last,
                                    const std::vector<explicit_session>& added) {
    // Postponements can move a session across months, so slots are generated from a year
    // before `first` and filtered on both the slot month and the month it now takes place.
    const chr::year_month gen_first = first - chr::years{1};
    const chr::year_month valid_from{c.valid_from.year(), c.valid_from.month()};
    std::map<std::string, session> by_id;

    for (const auto& rule : c.schedule.rules) {
        const level* lv = c.find_level(rule.level);
        if (!lv) continue;
        const auto topics = topics_of_level(c, lv->id);
        const auto localities = localities_of(c, *lv);
        for (chr::year_month m = std::max(gen_first, valid_from); m <= last; m += chr::months{1}) {
            if (std::find(rule.months.begin(), rule.months.end(),
                          static_cast<unsigned>(m.month())) == rule.months.end())
                continue;
            for (const auto& loc : localities) {
                session s;
                s.id = slot_id(lv->id, loc, m);
                s.level = lv->id;
                s.locality = loc;
                s.locality_name = c.locality_name(*lv, loc);
                s.month = m;
                s.venue = fill_name(rule.venue, s.locality_name);
                s.topics = topics;
                s.title_vi = fill_name(rule.title_vi, s.locality_name);
                s.title_en = fill_name(rule.title_en, s.locality_name);
                s.status = session_status::planned;
                by_id[s.id] = std::move(s);
            }
        }
    }

    // An explicit session takes the generated slot's place (and id) when it falls in the same
    // level, locality and month; otherwise it is an extra session.
    for (const auto& x : c.schedule.sessions) {
        const level* lv = c.find_level(x.level);
        if (!lv) continue;
        const chr::year_month m = x.date ? chr::year_month{x.date->year(), x.date->month()}
                                         : x.month.value_or(chr::year_month{});
        session s;
        const std::string slot = slot_id(lv->id, x.locality, m);
        if (auto it = by_id.find(slot); it != by_id.end()) {
            s = it->second;
            by_id.erase(it);
        }
        // Keeping the slot's id keeps the concerns already filed to "some day in March".
        s.id = x.id.empty() ? slot : x.id;
        set_from_explicit(c, *lv, x, m, s);
        by_id[s.id] = std::move(s);
    }

    // Sessions admins added are extra ones under their own id. The API refuses an id that is
    // taken; should the config later name the same id, the config's session stays.
    for (const auto& x : added) {
        const level* lv = c.find_level(x.level);
        if (!lv || !x.date || x.id.empty()) continue;
        session s;
        s.id = x.id;
        set_from_explicit(c, *lv, x, chr::year_month{x.date->year(), x.date->month()}, s);
        s.added = true;
        by_id.emplace(s.id, std::move(s));
    }

    for (const auto& ch : c.schedule.changes) {
        auto it = by_id.find(ch.session);
        if (it == by_id.end()) continue;  // outside the range, or a slot that no rule makes
        session& s = it->second;
        s.note = ch.reason;
        if (ch.action == change_action::cancel) {
            s.status = session_status::cancelled;
        } else {
            s.status = session_status::postponed;
            s.date = ch.to;  // no new date yet: closed until one is given
        }
    }

    std::vector<session> out;
    for (auto& [id, s] : by_id) {
        const bool slot_in = s.month >= first && s.month <= last;
        const chr::year_month em = effective_month(s);
        const bool moved_in = s.date && em >= first && em <= last;
        if (slot_in || moved_in) out.push_back(std::move(s));
    }
    std::sort(out.begin(), out.end(), [&](const session& a, const session& b) {
        return std::tuple(chr::sys_days{a.earliest_day()}, level_rank(c, a.level), a.locality) <
               std::tuple(chr::sys_days{b.earliest_day()}, level_rank(c, b.level), b.locality);
    });
    return out;
}

std::vector<session> sessions_between(const dialogue_config& c, chr::year_month_day from,
                                      chr::year_month_day to, std::string_view level,
                                      const std::vector<explicit_session>& added) {
    const chr::year_month first{from.year(), from.month()};
    const chr::year_month last{to.year(), to.month()};
    std::vector<session> out;
    for (auto& s : build_schedule(c, first, last, added)) {
        if (!level.empty() && s.level != level) continue;
        bool in = false;
        if (s.date) {
            in = *s.date >= from && *s.date <= to;
        } else {
            in = s.month >= first && s.month <= last;
        }
        if (in) out.push_back(std::move(s));
    }
    return out;
}

}  // namespace dgw::dialogue
