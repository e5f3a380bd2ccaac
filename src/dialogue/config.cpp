#include "dgw/dialogue/config.hpp"

#include <dgw/core/match.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

namespace dgw::dialogue {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

bool all_digits(std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> to_int(std::string_view s) {
    if (!all_digits(s)) return std::nullopt;
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

/// Calls `each(reader, index)` for every element of the array at `key`; elements must be
/// objects. Returns false (with a problem) when the key is present but not an array.
bool for_each_object(core::json_reader& r, std::string_view key, bool is_required,
                     const std::function<void(core::json_reader&, std::size_t)>& each) {
    const json* v = r.find(key);
    if (!v) {
        if (is_required && r.ok()) r.fail(key, "is required");
        return false;
    }
    if (!v->is_array()) {
        r.fail(key, std::string("must be an array, not ") + v->type_name());
        return false;
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
        core::json_reader child((*v)[i], r.path_of(key) + "/" + std::to_string(i), r.problems());
        if (!child.ok()) continue;
        each(child, i);
        child.finish();
    }
    return true;
}

/// {"vi": ["..."], "en": ["..."]}: words per language code, none empty.
void read_words(core::json_reader& r, std::string_view key, language_words& out) {
    const json* v = r.find(key);
    if (!v) return;
    if (!v->is_object()) return r.fail(key, "must be an object of language -> words");
    for (const auto& [lang, list] : v->items()) {
        const std::string path = r.path_of(key) + "/" + core::pointer_escape(lang);
        if (lang.size() < 2 || lang.size() > 3 ||
            !std::all_of(lang.begin(), lang.end(),
                         [](char ch) { return ch >= 'a' && ch <= 'z'; })) {
            r.problems().push_back({path, "must be a language code such as vi or en"});
            continue;
        }
        if (!list.is_array()) {
            r.problems().push_back({path, "must be an array of words"});
            continue;
        }
        auto& words = out[lang];
        for (std::size_t i = 0; i < list.size(); ++i) {
            if (!list[i].is_string() || list[i].get_ref<const std::string&>().empty())
                r.problems().push_back(
                    {path + "/" + std::to_string(i), "must be a non-empty string"});
            else
                words.push_back(list[i].get<std::string>());
        }
    }
}

void required_text(core::json_reader& r, std::string_view key, std::string& out) {
    if (r.required(key, out) && out.empty()) r.fail(key, "must not be empty");
}

void read_date(core::json_reader& r, std::string_view key, bool is_required,
               std::optional<chr::year_month_day>& out) {
    std::string text;
    if (is_required ? !r.required(key, text) : (!r.optional(key, text) || text.empty())) return;
    out = parse_date(text);
    if (!out) r.fail(key, "must be a date YYYY-MM-DD, not \"" + text + "\"");
}

/// A change names an explicit session's id, or a slot "<level>-<locality>-<yyyy>-<mm>" of a
/// known level and locality (level ids contain no dash; localities may).
bool change_target_known(const dialogue_config& c, std::string_view id) {
    for (const auto& x : c.schedule.sessions)
        if (!x.id.empty() && x.id == id) return true;
    if (id.size() < 10 || id[id.size() - 8] != '-') return false;
    if (!parse_month(id.substr(id.size() - 7))) return false;
    const std::string_view head = id.substr(0, id.size() - 8);
    const auto dash = head.find('-');
    if (dash == std::string_view::npos) return false;
    const level* lv = c.find_level(head.substr(0, dash));
    if (!lv) return false;
    const std::string_view locality = head.substr(dash + 1);
    switch (lv->scope) {
        case level_scope::province:
            return locality == c.province.code;
        case level_scope::unit: {
            const unit* u = c.find_unit(locality);
            return u && u->level == lv->id;
        }
        case level_scope::organisation:
            return c.find_organisation(locality) != nullptr;
    }
    return false;
}

bool code_ok(std::string_view code, std::size_t digits) {
    return code.size() == digits && all_digits(code);
}

}  // namespace

std::optional<chr::year_month_day> parse_date(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    auto y = to_int(t.substr(0, 4));
    auto m = to_int(t.substr(5, 2));
    auto d = to_int(t.substr(8, 2));
    if (!y || !m || !d) return std::nullopt;
    chr::year_month_day ymd{chr::year{*y}, chr::month{static_cast<unsigned>(*m)},
                            chr::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

std::optional<chr::year_month> parse_month(std::string_view t) {
    if (t.size() != 7 || t[4] != '-') return std::nullopt;
    auto y = to_int(t.substr(0, 4));
    auto m = to_int(t.substr(5, 2));
    if (!y || !m) return std::nullopt;
    chr::year_month ym{chr::year{*y}, chr::month{static_cast<unsigned>(*m)}};
    if (!ym.ok()) return std::nullopt;
    return ym;
}

std::optional<chr::system_clock::time_point> parse_date_time(std::string_view t,
                                                             chr::minutes offset) {
    auto date = parse_date(t.substr(0, std::min<std::size_t>(t.size(), 10)));
    if (!date) return std::nullopt;
    chr::minutes local_offset = offset;
    std::string_view rest = t.substr(10);
    if (!rest.empty() && rest.back() == 'Z') {
        local_offset = chr::minutes{0};
        rest.remove_suffix(1);
    } else if (auto sign = rest.find_first_of("+-"); sign != std::string_view::npos) {
        // ISO 8601's offset after a time: +07:00, +0700 or +07 (the time itself has no sign).
        std::string_view off = rest.substr(sign + 1);
        const bool colon = off.size() == 5 && off[2] == ':';
        if (off.size() != 2 && off.size() != 4 && !colon) return std::nullopt;
        auto oh = to_int(off.substr(0, 2));
        auto om = off.size() == 2 ? std::optional(0) : to_int(off.substr(colon ? 3 : 2, 2));
        if (sign == 0 || !oh || !om || *oh > 23 || *om > 59) return std::nullopt;
        local_offset = chr::hours{*oh} + chr::minutes{*om};
        if (rest[sign] == '-') local_offset = -local_offset;
        rest = rest.substr(0, sign);
    }
    int hh = 0, mm = 0, ss = 0;
    if (!rest.empty()) {
        if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
        rest.remove_prefix(1);
        if (rest.size() != 5 && rest.size() != 8) return std::nullopt;
        auto h = to_int(rest.substr(0, 2));
        auto m = to_int(rest.substr(3, 2));
        if (rest[2] != ':' || !h || !m || *h > 23 || *m > 59) return std::nullopt;
        hh = *h;
        mm = *m;
        if (rest.size() == 8) {
            auto s = to_int(rest.substr(6, 2));
            if (rest[5] != ':' || !s || *s > 59) return std::nullopt;
            ss = *s;
        }
    }
    auto local = chr::sys_days{*date} + chr::hours{hh} + chr::minutes{mm} + chr::seconds{ss};
    return chr::time_point_cast<chr::system_clock::duration>(local - local_offset);
}

std::string to_string(chr::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                  static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return buf;
}

std::string day_text(chr::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02u/%02u/%04d", static_cast<unsigned>(d.day()),
                  static_cast<unsigned>(d.month()), static_cast<int>(d.year()));
    return buf;
}

std::string to_string(chr::year_month m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u", static_cast<int>(m.year()),
                  static_cast<unsigned>(m.month()));
    return buf;
}

std::string_view to_string(level_scope s) {
    switch (s) {
        case level_scope::province:
            return "province";
        case level_scope::unit:
            return "unit";
        case level_scope::organisation:
            return "organisation";
    }
    return "unit";
}

chr::year_month_day local_date(chr::system_clock::time_point t, chr::minutes offset) {
    return chr::year_month_day{chr::floor<chr::days>(t + offset)};
}

const level* dialogue_config::find_level(std::string_view id) const {
    auto it =
        std::find_if(levels.begin(), levels.end(), [&](const level& l) { return l.id == id; });
    return it == levels.end() ? nullptr : &*it;
}
const unit* dialogue_config::find_unit(std::string_view code) const {
    auto it =
        std::find_if(units.begin(), units.end(), [&](const unit& u) { return u.code == code; });
    return it == units.end() ? nullptr : &*it;
}
const topic* dialogue_config::find_topic(std::string_view id) const {
    auto it =
        std::find_if(topics.begin(), topics.end(), [&](const topic& t) { return t.id == id; });
    return it == topics.end() ? nullptr : &*it;
}
const organisation* dialogue_config::find_organisation(std::string_view id) const {
    auto it = std::find_if(organisations.begin(), organisations.end(),
                           [&](const organisation& o) { return o.id == id; });
    return it == organisations.end() ? nullptr : &*it;
}
const audience* dialogue_config::find_audience(std::string_view id) const {
    auto it = std::find_if(audiences.begin(), audiences.end(),
                           [&](const audience& a) { return a.id == id; });
    return it == audiences.end() ? nullptr : &*it;
}

std::string dialogue_config::locality_name(const level& lv, std::string_view locality) const {
    switch (lv.scope) {
        case level_scope::province:
            return province.name;
        case level_scope::unit:
            if (const unit* u = find_unit(locality)) return u->name;
            break;
        case level_scope::organisation:
            if (const organisation* o = find_organisation(locality)) return o->name;
            break;
    }
    return std::string(locality);
}

dialogue_config load(const json& doc, std::vector<core::problem>& problems) {
    dialogue_config c;
    core::json_reader r(doc, "", problems);
    if (!r.ok()) return c;

    if (r.required("version", c.version) && c.version != 1) r.fail("version", "must be 1");
    std::optional<chr::year_month_day> valid_from;
    read_date(r, "valid_from", true, valid_from);
    if (valid_from) c.valid_from = *valid_from;
    int offset = 420;
    if (r.optional("utc_offset_minutes", offset) && (offset < -720 || offset > 840))
        r.fail("utc_offset_minutes", "must be between -720 and 840");
    c.utc_offset = chr::minutes{offset};
    if (r.optional("reference_prefix", c.reference_prefix)) {
        const auto& p = c.reference_prefix;
        if (p.empty() || p.size() > 4 ||
            !std::all_of(p.begin(), p.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; }))
            r.fail("reference_prefix", "must be 1 to 4 capital letters A-Z");
    }

    {
        auto p = r.child("province", true);
        if (p.ok()) {
            if (p.required("code", c.province.code) && !code_ok(c.province.code, 2))
                p.fail("code", "must be a 2-digit province code");
            required_text(p, "name", c.province.name);
            p.optional("name_en", c.province.name_en);
            p.finish();
        }
    }

    std::set<std::string, std::less<>> ids;
    for_each_object(r, "levels", true, [&](core::json_reader& e, std::size_t) {
        level lv;
        required_text(e, "id", lv.id);
        required_text(e, "name_vi", lv.name_vi);
        e.optional("name_en", lv.name_en);
        if (e.optional("remind_days_before", lv.remind_days_before) &&
            (lv.remind_days_before < 0 || lv.remind_days_before > 60))
            e.fail("remind_days_before", "must be from 0 (no reminder) to 60 days");
        std::string scope;
        if (e.required("scope", scope)) {
            if (scope == "province")
                lv.scope = level_scope::province;
            else if (scope == "unit")
                lv.scope = level_scope::unit;
            else if (scope == "organisation")
                lv.scope = level_scope::organisation;
            else
                e.fail("scope", "must be province, unit or organisation, not \"" + scope + "\"");
        }
        if (!lv.id.empty() && !ids.insert(lv.id).second) e.fail("id", "duplicate level " + lv.id);
        c.levels.push_back(std::move(lv));
    });

    ids.clear();
    std::vector<std::string> unit_paths;
    for_each_object(r, "units", true, [&](core::json_reader& e, std::size_t) {
        unit u;
        if (e.required("code", u.code) && !code_ok(u.code, 5) && !code_ok(u.code, 3))
            e.fail("code", "must be an official 5-digit (or 3-digit district) code, not \"" +
                               u.code + "\"");
        required_text(e, "name", u.name);
        if (e.required("type", u.type) && u.type != "commune" && u.type != "ward" &&
            u.type != "district")
            e.fail("type", "must be commune, ward or district, not \"" + u.type + "\"");
        if (e.required("level", u.level)) {
            const level* lv = c.find_level(u.level);
            if (!lv)
                e.fail("level", "unknown level \"" + u.level + "\"");
            else if (lv->scope != level_scope::unit)
                e.fail("level", "level \"" + u.level + "\" has no units (scope " +
                                    std::string(to_string(lv->scope)) + ")");
        }
        e.optional("parent", u.parent);
        if (!u.code.empty() && !ids.insert(u.code).second)
            e.fail("code", "duplicate unit code " + u.code);
        for_each_object(e, "former", false, [&](core::json_reader& f, std::size_t) {
            former_unit fu;
            if (f.required("code", fu.code) && !code_ok(fu.code, 5))
                f.fail("code", "must be a 5-digit code, not \"" + fu.code + "\"");
            required_text(f, "name", fu.name);
            required_text(f, "district", fu.district);
            if (f.required("district_code", fu.district_code) && !code_ok(fu.district_code, 3))
                f.fail("district_code", "must be a 3-digit code");
            f.optional("province", fu.province);
            f.optional("province_code", fu.province_code);
            if (f.required("note", fu.note) && fu.note != "merged" && fu.note != "kept")
                f.fail("note", "must be merged or kept");
            u.former.push_back(std::move(fu));
        });
        unit_paths.push_back(e.path());
        c.units.push_back(std::move(u));
    });
    // Parents can only be checked once every unit is known.
    for (std::size_t i = 0; i < c.units.size(); ++i) {
        const unit& u = c.units[i];
        if (u.parent.empty()) continue;
        const unit* p = c.find_unit(u.parent);
        if (!p || p == &u)
            problems.push_back({unit_paths[i] + "/parent", "unknown parent unit " + u.parent});
    }

    ids.clear();
    for_each_object(r, "organisations", false, [&](core::json_reader& e, std::size_t) {
        organisation o;
        required_text(e, "id", o.id);
        required_text(e, "name", o.name);
        e.optional("name_en", o.name_en);
        if (!o.id.empty() && !ids.insert(o.id).second) e.fail("id", "duplicate organisation");
        c.organisations.push_back(std::move(o));
    });
    ids.clear();
    for_each_object(r, "audiences", false, [&](core::json_reader& e, std::size_t) {
        audience a;
        required_text(e, "id", a.id);
        required_text(e, "name_vi", a.name_vi);
        e.optional("name_en", a.name_en);
        read_words(e, "words", a.words);
        if (!a.id.empty() && !ids.insert(a.id).second) e.fail("id", "duplicate audience");
        c.audiences.push_back(std::move(a));
    });
    ids.clear();
    for_each_object(r, "topics", true, [&](core::json_reader& e, std::size_t) {
        topic t;
        required_text(e, "id", t.id);
        required_text(e, "name_vi", t.name_vi);
        e.optional("name_en", t.name_en);
        e.optional("group", t.group);
        if (e.required("levels", t.levels)) {
            if (t.levels.empty()) e.fail("levels", "must name at least one level");
            for (std::size_t i = 0; i < t.levels.size(); ++i)
                if (!c.find_level(t.levels[i]))
                    problems.push_back({e.path_of("levels") + "/" + std::to_string(i),
                                        "unknown level \"" + t.levels[i] + "\""});
        }
        read_words(e, "words", t.words);
        if (!t.id.empty() && !ids.insert(t.id).second) e.fail("id", "duplicate topic " + t.id);
        c.topics.push_back(std::move(t));
    });

    // A phrase two topics claim cannot tell them apart: the reader would always have to ask.
    {
        std::map<std::string, std::string> owner;
        for (std::size_t i = 0; i < c.topics.size(); ++i)
            for (const auto& [lang, list] : c.topics[i].words)
                for (std::size_t j = 0; j < list.size(); ++j) {
                    auto [it, fresh] = owner.emplace(core::match_key(list[j]), c.topics[i].id);
                    if (!fresh && it->second != c.topics[i].id)
                        problems.push_back({"/topics/" + std::to_string(i) + "/words/" +
                                                core::pointer_escape(lang) + "/" +
                                                std::to_string(j),
                                            "\"" + list[j] + "\" is also a word of topic " +
                                                it->second + " (after folding)"});
                }
    }

    auto check_topics = [&](core::json_reader& e, const std::vector<std::string>& list) {
        for (std::size_t i = 0; i < list.size(); ++i)
            if (!c.find_topic(list[i]))
                problems.push_back({e.path_of("topics") + "/" + std::to_string(i),
                                    "unknown topic \"" + list[i] + "\""});
    };

    {
        auto s = r.child("schedule", true);
        if (s.ok()) {
            if (s.optional("cutoff_days", c.schedule.cutoff_days) &&
                (c.schedule.cutoff_days < 0 || c.schedule.cutoff_days > 90))
                s.fail("cutoff_days", "must be between 0 and 90");
            if (s.optional("horizon_months", c.schedule.horizon_months) &&
                (c.schedule.horizon_months < 1 || c.schedule.horizon_months > 60))
                s.fail("horizon_months", "must be between 1 and 60");
            for_each_object(s, "rules", false, [&](core::json_reader& e, std::size_t) {
                schedule_rule rule;
                if (e.required("level", rule.level)) {
                    const level* lv = c.find_level(rule.level);
                    if (!lv)
                        e.fail("level", "unknown level \"" + rule.level + "\"");
                    else if (lv->scope == level_scope::organisation)
                        e.fail("level", "organisation levels have explicit sessions only");
                }
                if (e.required("months", rule.months)) {
                    std::set<unsigned> seen;
                    if (rule.months.empty()) e.fail("months", "must name at least one month");
                    for (unsigned m : rule.months)
                        if (m < 1 || m > 12 || !seen.insert(m).second)
                            e.fail("months", "must be distinct months 1..12");
                }
                e.optional("venue", rule.venue);
                e.optional("title_vi", rule.title_vi);
                e.optional("title_en", rule.title_en);
                c.schedule.rules.push_back(std::move(rule));
            });
            for_each_object(s, "sessions", false, [&](core::json_reader& e, std::size_t) {
                explicit_session x;
                e.optional("id", x.id);
                const level* lv = nullptr;
                if (e.required("level", x.level)) {
                    lv = c.find_level(x.level);
                    if (!lv) e.fail("level", "unknown level \"" + x.level + "\"");
                }
                if (e.required("locality", x.locality) && lv) {
                    bool known =
                        lv->scope == level_scope::province ? x.locality == c.province.code
                        : lv->scope == level_scope::unit
                            ? (c.find_unit(x.locality) && c.find_unit(x.locality)->level == lv->id)
                            : c.find_organisation(x.locality) != nullptr;
                    if (!known)
                        e.fail("locality",
                               "\"" + x.locality + "\" is not a locality of level " + lv->id);
                }
                read_date(e, "date", false, x.date);
                std::string month;
                if (e.optional("month", month) && !month.empty()) {
                    x.month = parse_month(month);
                    if (!x.month) e.fail("month", "must be YYYY-MM, not \"" + month + "\"");
                }
                if (e.find("date") && e.find("month"))
                    e.fail("month", "give either date or month, not both");
                else if (!e.find("date") && !e.find("month"))
                    e.fail("date", "is required (or month)");
                e.optional("venue", x.venue);
                if (e.optional("audience", x.audience) && !x.audience.empty() &&
                    !c.find_audience(x.audience))
                    e.fail("audience", "unknown audience \"" + x.audience + "\"");
                if (e.optional("topics", x.topics)) check_topics(e, x.topics);
                e.optional("title_vi", x.title_vi);
                e.optional("title_en", x.title_en);
                c.schedule.sessions.push_back(std::move(x));
            });
            // One explicit session per slot and per id: a second one would silently replace
            // the first.
            {
                std::set<std::string, std::less<>> slots, explicit_ids;
                for (std::size_t i = 0; i < c.schedule.sessions.size(); ++i) {
                    const auto& x = c.schedule.sessions[i];
                    const std::string path = s.path_of("sessions") + "/" + std::to_string(i);
                    if (!x.date && !x.month) continue;
                    const chr::year_month m =
                        x.date ? chr::year_month{x.date->year(), x.date->month()} : *x.month;
                    const std::string slot =
                        x.level + "-" + x.locality + "-" + dialogue::to_string(m);
                    if (!slots.insert(slot).second)
                        problems.push_back({path, "a second session for slot " + slot});
                    const std::string id = x.id.empty() ? slot : x.id;
                    if (!explicit_ids.insert(id).second)
                        problems.push_back({path + "/id", "duplicate session id " + id});
                }
            }
            for_each_object(s, "changes", false, [&](core::json_reader& e, std::size_t) {
                session_change ch;
                if (e.required("session", ch.session) && !change_target_known(c, ch.session))
                    e.fail("session", "no explicit session has id \"" + ch.session +
                                          "\" and it is no <level>-<locality>-<yyyy>-<mm> slot");
                std::string action;
                if (e.required("action", action)) {
                    if (action == "postpone")
                        ch.action = change_action::postpone;
                    else if (action == "cancel")
                        ch.action = change_action::cancel;
                    else
                        e.fail("action", "must be postpone or cancel, not \"" + action + "\"");
                }
                read_date(e, "to", false, ch.to);
                if (ch.to && ch.action == change_action::cancel)
                    e.fail("to", "a cancelled session has no new date");
                e.optional("reason", ch.reason);
                c.schedule.changes.push_back(std::move(ch));
            });
            s.finish();
        }
    }

    {
        auto u = r.child("urgent", false);
        if (u.ok()) {
            if (u.optional("keywords", c.urgent.keywords))
                for (const auto& k : c.urgent.keywords)
                    if (k.empty()) u.fail("keywords", "must not contain empty keywords");
            u.optional("hotline", c.urgent.hotline);
            u.optional("message_vi", c.urgent.message_vi);
            u.optional("message_en", c.urgent.message_en);
            if (!c.urgent.keywords.empty() && c.urgent.hotline.empty())
                u.fail("hotline", "is required when urgent keywords are configured");
            u.finish();
        }
    }
    {
        auto g = r.child("reading", false);
        if (g.ok()) {
            auto& rc = c.reading;
            for (auto [key, words] : {std::pair{"greeting", &rc.greeting},
                                      {"filler", &rc.filler},
                                      {"about", &rc.about},
                                      {"status", &rc.status},
                                      {"problem", &rc.problem}})
                read_words(g, key, *words);
            g.optional("english", rc.english);
            if (g.optional("common_names", rc.common_names))
                for (const auto& n : rc.common_names)
                    if (n.empty()) g.fail("common_names", "must not contain empty names");
            g.finish();
        }
    }
    r.finish();
    return c;
}

dialogue_config load_text(std::string_view text, std::vector<core::problem>& problems) {
    // Config is trusted but hand-edited: report a syntax error as a problem like the others
    // rather than letting the exception escape to the caller.
    core::problem error;
    auto doc = core::parse_json(text, &error);
    if (!doc) {
        problems.push_back({error.path, "invalid JSON: " + error.message});
        return {};
    }
    return load(*doc, problems);
}

}  // namespace dgw::dialogue
