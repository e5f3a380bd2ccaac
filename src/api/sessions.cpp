// Dialogue sessions (the schedule with officials' edits), the agenda of a session, and
// answers sent back to citizens.

#include "api/service.hpp"
#include "api/document_parts.hpp"

#include <dgw/api/agenda_export.hpp>
#include <dgw/api/minutes.hpp>
#include <dgw/domain/agenda.hpp>
#include <dgw/domain/schedule.hpp>
#include <dgw/core/message.hpp>
#include <dgw/core/reach.hpp>
#include <dgw/core/text.hpp>
#include <dgw/core/time_text.hpp>
#include <dgw/dialogue/agenda.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/session_edits.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/session_changes.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/domain/followup.hpp>
#include <dgw/domain/verdict.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <variant>

namespace dgw::api {

namespace {

using nlohmann::json;
namespace chr = std::chrono;

constexpr std::size_t max_answer_bytes = 4000;
constexpr std::size_t max_group_name_bytes = 200;  // a heading on the agenda
constexpr std::size_t max_note_bytes = 2000;
constexpr std::size_t max_session_text = 300;  // bytes of a title or venue

// An agenda group's key: a concern's reference (the representative's, or one officials
// chose), or "" for automatic grouping. Anything else is refused before it is stored.
bool valid_group_key(const std::string& key) {
    if (key.size() > 64) return false;
    for (char ch : key)
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return false;
    return true;
}

}  // namespace

std::vector<dialogue::session> known_sessions(const dialogue::dialogue_config& cfg,
                                              const std::vector<store::added_session>& added,
                                              std::chrono::system_clock::time_point now,
                                              std::optional<chr::year_month> since) {
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    const chr::year_month month{today.year(), today.month()};
    const chr::months horizon{cfg.schedule.horizon_months};
    const auto first = since ? std::min(*since, month - chr::years{1}) : month - chr::years{1};
    return dialogue::build_schedule(cfg, first, month + horizon, domain::added_of(added));
}

std::vector<dialogue::session> edited_sessions(const dialogue::dialogue_config& cfg,
                                               const std::vector<store::added_session>& added,
                                               const std::vector<store::session_override>& overrides,
                                               std::chrono::system_clock::time_point now) {
    return dialogue::apply_edits(known_sessions(cfg, added, now), domain::edits_of(overrides));
}

namespace {

// A link citizens may open (how to attend or watch a session): http(s), no spaces, short.
bool web_link(const std::string& s) {
    return s.size() <= max_session_text && (s.starts_with("https://") || s.starts_with("http://")) &&
           s.size() > 8 && std::none_of(s.begin(), s.end(), [](unsigned char ch) {
               return ch <= ' ' || ch == '"' || ch == '<' || ch == '>' || ch == 0x7f;
           });
}

// Where a session comes from: a schedule rule, the config's explicit sessions, or an admin.
const char* origin_of(const dialogue::session& s) {
    return s.added ? "added" : s.generated ? "rule" : "config";
}

json session_json(const dialogue::session& s, std::size_t concerns) {
    json j = {{"id", s.id},
              {"level", s.level},
              {"locality", s.locality},
              {"locality_name", s.locality_name},
              {"month", dialogue::to_string(s.month)},
              {"date", s.date ? json(dialogue::to_string(*s.date)) : json()},
              {"venue", s.venue},
              {"audience", s.audience},
              {"topics", s.topics},
              {"title_vi", s.title_vi},
              {"title_en", s.title_en},
              {"status", dialogue::to_string(s.status)},
              {"open", s.open()},
              {"note", s.note},
              {"origin", origin_of(s)},
              {"concerns", concerns}};
    return j;
}

// ----- agenda
// -------------------------------------------------------------------------------------

using domain::agenda_entry;
using domain::build_agenda;

json group_json(const agenda_entry& g) {
    json j = {{"key", g.key},           {"name", g.name},
              {"topic", g.topic},       {"representative", g.representative},
              {"concerns", g.refs},     {"count", g.refs.size()},
              {"communes", g.communes}, {"commune_names", g.commune_names},
              {"citizens", g.citizens}, {"urgent", g.urgent},
              {"answered", g.answered}, {"raised", g.raised}};
    if (g.raised) {
        j["raised_at"] = core::utc_text(*g.raised_at);
        j["raised_by"] = g.raised_by;
    }
    if (g.answered > 0) {
        j["answer"] = g.answer;
        j["answered_at"] = core::utc_text(*g.answered_at);
        j["answered_by"] = g.answered_by;
        j["speaker"] = g.speaker;
        j["speaker_office"] = g.speaker_office;
        j["followup"] = g.followup;
        if (g.followup == "assigned" || g.followup == "closed")
            j["assign"] = {{"office", g.assigned_to}, {"deadline", g.deadline}, {"promise", g.promise}};
    }
    return j;
}

// The optional "speaker": {"name", "office"} of an answer.
std::variant<domain::speaker, api_error> speaker_of(const json& body) {
    auto fault = [](const std::string& field) {
        return api_error{error::speaker_invalid, {{"field", field}, {"limit", domain::max_speaker_bytes}}};
    };
    if (!body.contains("speaker")) return domain::speaker{};
    const auto& j = body["speaker"];
    if (!j.is_object()) return fault("speaker");
    for (const char* f : {"name", "office"})
        if (j.contains(f) && !j[f].is_string()) return fault(std::string("speaker.") + f);
    domain::speaker out{j.value("name", ""), j.value("office", "")};
    if (auto bad = domain::speaker_fault(out)) return fault("speaker." + *bad);
    return out;
}

// What the citizen reads, entirely in their language (English for a contact whose platform
// said English, Vietnamese otherwise); a correction says it corrects the earlier answer.
std::string answer_text(const std::vector<std::string>& refs, const std::string& text_alone,
                        const std::string& language, bool correction,
                        const std::optional<domain::assignment>& assigned,
                        const domain::speaker& said_by) {
    std::string list;
    for (const auto& r : refs) list += (list.empty() ? "" : ", ") + r;
    const bool en = language.starts_with("en");
    const std::string text = text_alone + domain::speaker_line(said_by, en ? "en" : "vi");
    // Who does the work by when, if it was assigned; then how to say whether it settled
    // anything (the verdict flow hears the reply).
    const auto ask = (assigned ? "\n\n" + domain::assignment_text(*assigned, en ? "en" : "vi") : "") +
                     "\n\n" + domain::verdict_invitation(en ? "en" : "vi");
    if (correction)
        return (en ? "The answer to your concern " + list + " has been corrected:\n" + text
                   : "Câu trả lời cho phản ánh " + list + " của bạn đã được đính chính:\n" + text) +
               ask;
    return (en ? "Your concern " + list + " has been answered at the dialogue session:\n" + text
               : "Phản ánh " + list + " của bạn đã được trả lời tại buổi đối thoại:\n" + text) +
           ask;
}

}  // namespace

std::optional<dialogue::session> find_session(const dialogue::dialogue_config& cfg,
                                              const std::vector<store::session_override>& overrides,
                                              const std::vector<store::added_session>& added,
                                              const std::string& id,
                                              std::chrono::system_clock::time_point now) {
    auto known = edited_sessions(cfg, added, overrides, now);
    auto it = std::find_if(known.begin(), known.end(),
                           [&](const dialogue::session& x) { return x.id == id; });
    if (it == known.end()) return std::nullopt;
    return *it;
}

namespace {

// A session an admin added as the audit keeps it (when it is added, and deleted).
json added_json(const store::added_session& row) {
    return {{"level", row.level},       {"locality", row.locality}, {"date", row.date},
            {"venue", row.venue},       {"title_vi", row.title_vi}, {"title_en", row.title_en},
            {"audience", row.audience}, {"topics", row.topics}};
}

// Stores what a change to the schedule moved, each concern audited as re-routed: inside the
// caller's transaction.
void write_moves(store::store& s, const principal& who, store::time_point now,
                 domain::session_moves& m) {
    for (const auto& [from, k] : m.moved)
        s.append_audit(audit_line(who, now, "concern.reroute", "concern:" + k.ref,
                                  json{{"session", from}},
                                  json{{"session", k.session_id}, {"status", k.status}}));
    domain::store_moves(s, m);
}

// An edit of a session as the audit keeps it (before and after).
json override_json(const store::session_override& o) {
    return {{"status", o.status}, {"date", o.date},     {"venue", o.venue},
            {"note", o.note},     {"watch_link", o.watch_link}, {"chair", o.chair}};
}

// What moved, for the answer: each concern, the session it left and the one it is on now.
json moved_json(const domain::session_moves& m) {
    json out = json::array();
    for (const auto& [from, k] : m.moved)
        out.push_back({{"ref", k.ref}, {"from", from}, {"session", k.session_id}});
    return out;
}

// A locality of `lv` as the body names it: the province code (the default for the province
// level), a unit of that level, or an organisation; "" with `wrong` set when unknown.
std::string locality_of(const dialogue::dialogue_config& cfg, const dialogue::level& lv,
                        const json& body, std::optional<api_error>& wrong) {
    const std::string given = body.value("locality", "");
    const json params = {{"field", "locality"}, {"given", given}};
    switch (lv.scope) {
        case dialogue::level_scope::province:
            if (given.empty() || given == cfg.province.code) return cfg.province.code;
            wrong = api_error{error::province_code_mismatch,
                              {{"field", "locality"}, {"province", cfg.province.code}, {"given", given}}};
            return "";
        case dialogue::level_scope::unit: {
            const auto* u = cfg.find_unit(given);
            if (u && u->level == lv.id) return given;
            wrong = api_error{error::locality_unknown,
                              {{"field", "locality"}, {"level", lv.id}, {"given", given}}};
            return "";
        }
        case dialogue::level_scope::organisation:
            if (cfg.find_organisation(given)) return given;
            wrong = api_error{error::organisation_unknown, params};
            return "";
    }
    return "";
}

// A POST /sessions body checked against the dialogue config: nothing with `out` filled (but
// for created_by and created_at), or what is wrong for a 400.
std::optional<api_error> read_new_session(const json& body, const dialogue::dialogue_config& cfg,
                                          chr::year_month_day today, store::added_session& out) {
    static const std::set<std::string> fields = {"level",    "locality", "date",     "venue",
                                                 "title_vi", "title_en", "audience", "topics"};
    for (const auto& [k, v] : body.items()) {
        if (!fields.contains(k))
            return api_error{error::field_unknown,
                             {{"field", k},
                              {"allowed",
                               "level, locality, date, venue, title_vi, title_en, audience, topics"}}};
        if (k == "topics" ? !v.is_array() : !v.is_string())
            return api_error{k == "topics" ? error::topics_invalid : error::not_a_string,
                             {{"field", k}}};
    }
    const std::string level = body.value("level", "");
    const auto* lv = cfg.find_level(level);
    if (!lv) return api_error{error::level_unknown, {{"field", "level"}, {"level", level}}};
    std::optional<api_error> wrong;
    out.level = lv->id;
    out.locality = locality_of(cfg, *lv, body, wrong);
    if (wrong) return wrong;

    auto date = dialogue::parse_date(body.value("date", ""));
    if (!date) return api_error{error::date_invalid, {{"field", "date"}}};
    if (chr::sys_days{*date} < chr::sys_days{today})
        return api_error{error::date_past, {{"field", "date"}, {"date", dialogue::to_string(*date)}}};
    // Beyond the horizon nothing is routed to it and officials could not edit it.
    const chr::year_month last =
        chr::year_month{today.year(), today.month()} + chr::months{cfg.schedule.horizon_months};
    if (chr::year_month{date->year(), date->month()} > last)
        return api_error{error::date_beyond_horizon,
                         {{"field", "date"},
                          {"months", cfg.schedule.horizon_months},
                          {"until", dialogue::to_string(last)}}};
    out.date = dialogue::to_string(*date);

    out.venue = body.value("venue", "");
    out.title_vi = body.value("title_vi", "");
    out.title_en = body.value("title_en", "");
    if (out.title_en.empty()) out.title_en = out.title_vi;
    if (out.venue.empty() || out.title_vi.empty())
        return api_error{error::session_text_required,
                         {{"field", out.venue.empty() ? "venue" : "title_vi"}}};
    if (out.venue.size() > max_session_text || out.title_vi.size() > max_session_text ||
        out.title_en.size() > max_session_text)
        return api_error{error::session_text_too_long,
                         {{"field", out.venue.size() > max_session_text ? "venue" : "title"},
                          {"limit", max_session_text}}};

    out.audience = body.value("audience", "");
    if (!out.audience.empty() && !cfg.find_audience(out.audience))
        return api_error{error::audience_unknown,
                         {{"field", "audience"}, {"audience", out.audience}}};
    // Routing gives an organisation's conference only to its own staff (an audience).
    if (lv->scope == dialogue::level_scope::organisation && out.audience.empty())
        return api_error{error::audience_required, {{"field", "audience"}}};
    for (const auto& t : body.value("topics", json::array())) {
        if (!t.is_string() || !cfg.find_topic(t.get<std::string>()))
            return api_error{error::topic_unknown,
                             {{"field", "topics"}, {"topic", t.is_string() ? t.get<std::string>() : t.dump()}}};
        out.topics.push_back(t.get<std::string>());
    }
    out.id = dialogue::added_session_id(out.level, out.locality, *date);
    return std::nullopt;
}

}  // namespace

session_labels service::labels_of(store::store& s, const std::vector<store::concern>& ks,
                                  std::string_view lang) const {
    session_labels out;
    const auto& cfg = *deps_.dialogue;
    std::set<std::string, std::less<>> wanted;
    std::optional<chr::year_month> since;
    for (const auto& k : ks) {
        if (k.session_id.empty()) continue;
        wanted.insert(k.session_id);
        // A concern is filed to a session of its own month or later: the schedule from the
        // oldest one's month has them all.
        const auto day = dialogue::local_date(k.created_at, cfg.utc_offset);
        const chr::year_month month{day.year(), day.month()};
        since = since ? std::min(*since, month) : month;
    }
    if (wanted.empty()) return out;
    const auto schedule = dialogue::apply_edits(
        known_sessions(cfg, s.list_added_sessions(), deps_.now(), since),
        domain::edits_of(s.list_session_overrides()));
    for (const auto& x : schedule)
        if (wanted.contains(x.id)) out.emplace(x.id, domain::session_label(x, lang));
    return out;
}

concern_place service::place_of(const dialogue::session& s) const {
    concern_place place;
    place.level = s.level;
    if (const auto* u = deps_.dialogue->find_unit(s.locality)) {
        place.commune = u->code;
        place.parent = u->parent;
    }
    return place;
}

std::optional<http::response> service::session_refusal(const std::optional<dialogue::session>& s,
                                                       const std::string& id, const principal& p,
                                                       bool sees_concerns) const {
    if (!s) return refuse(error::session_not_found, {{"id", id}});
    if (!sees_concerns && !in_scope(p, place_of(*s))) return refuse(error::session_outside_scope);
    return std::nullopt;
}

// The concerns of a session that its agenda shows to `p`: in scope, neither merged nor
// withdrawn.
static std::vector<store::concern> agenda_concerns(store::store& s, const service& svc,
                                                   const principal& p, const std::string& session) {
    store::concern_filter f;
    f.session_id = session;
    auto keep = [&svc, &p](const store::concern& c) {
        return c.status != core::concern_status::merged && c.status != core::concern_status::withdrawn && in_scope(p, svc.place_of(c));
    };
    return s.search_concerns(f, keep, 0, 100000).items;
}

// What an agenda is made of, read in one piece of database work: the session's concerns
// that `p` may see, the officials' group names, the session edits and added sessions.
static auto agenda_reader(const service& svc, const principal& p, const std::string& id) {
    return [self = &svc, who = p, id](store::store& s) {
        return std::tuple{agenda_concerns(s, *self, who, id), s.list_agenda_names(id),
                          s.list_session_overrides(), s.list_added_sessions()};
    };
}

net::awaitable<http::response> service::list_sessions(http::request_context& c, const principal&) {
    const auto& cfg = *deps_.dialogue;
    const auto today = dialogue::local_date(deps_.now(), cfg.utc_offset);
    auto from = chr::year_month_day{today.year() / today.month() / chr::day{1}};
    auto to = chr::year_month_day{chr::sys_days{from} + chr::days{366}};
    if (auto v = c.query_param("from"); !v.empty()) {
        auto d = dialogue::parse_date(v);
        if (!d) co_return refuse(error::date_invalid, {{"field", "from"}});
        from = *d;
    }
    if (auto v = c.query_param("to"); !v.empty()) {
        auto d = dialogue::parse_date(v);
        if (!d) co_return refuse(error::date_invalid, {{"field", "to"}});
        to = *d;
    }
    if (chr::sys_days{to} < chr::sys_days{from}) co_return refuse(error::window_reversed);
    if (chr::sys_days{to} - chr::sys_days{from} > chr::days{3 * 366})
        co_return refuse(error::window_too_long);
    const std::string level = c.query_param("level");
    auto work = [](store::store& s) {
        return std::tuple{s.list_session_overrides(), s.count_concerns_by_session(),
                          s.list_added_sessions()};
    };
    auto [overrides, counts, added] = co_await on_db(work);
    auto sessions = dialogue::apply_edits(
        dialogue::sessions_between(cfg, from, to, level, domain::added_of(added)), domain::edits_of(overrides));
    json items = json::array();
    std::map<std::string, const store::session_override*, std::less<>> edited;
    for (const auto& o : overrides) edited[o.session_id] = &o;
    for (const auto& s : sessions) {
        auto it = counts.find(s.id);
        items.push_back(session_json(s, it == counts.end() ? 0 : it->second));
        if (auto o = edited.find(s.id); o != edited.end()) {
            if (!o->second->watch_link.empty()) items.back()["watch_link"] = o->second->watch_link;
            if (!o->second->chair.empty()) items.back()["chair"] = o->second->chair;
        }
    }
    co_return ok(
        {{"items", items}, {"from", dialogue::to_string(from)}, {"to", dialogue::to_string(to)}});
}

// What a session can be held for, from the dialogue config (no personal data): the forms
// of the web app pick communes, agencies, audiences and topics (with the levels that hear
// each) by name from it.
net::awaitable<http::response> service::localities(http::request_context&, const principal&) {
    const auto& cfg = *deps_.dialogue;
    json levels = json::array(), units = json::array(), organisations = json::array(),
         audiences = json::array(), topics = json::array();
    for (const auto& l : cfg.levels)
        levels.push_back({{"id", l.id},
                          {"name_vi", l.name_vi},
                          {"name_en", l.name_en},
                          {"scope", dialogue::to_string(l.scope)}});
    for (const auto& u : cfg.units)
        units.push_back({{"code", u.code}, {"name", u.name}, {"level", u.level}});
    for (const auto& o : cfg.organisations)
        organisations.push_back({{"id", o.id}, {"name", o.name}, {"name_en", o.name_en}});
    for (const auto& a : cfg.audiences)
        audiences.push_back({{"id", a.id}, {"name_vi", a.name_vi}, {"name_en", a.name_en}});
    for (const auto& t : cfg.topics)
        topics.push_back(
            {{"id", t.id}, {"name_vi", t.name_vi}, {"name_en", t.name_en}, {"levels", t.levels}});
    co_return ok({{"province", {{"code", cfg.province.code}, {"name", cfg.province.name}}},
                  {"levels", levels},
                  {"units", units},
                  {"organisations", organisations},
                  {"audiences", audiences},
                  {"topics", topics}});
}

// Communes and wards by name as an official types it, the way a citizen's answer is read:
// without diacritics, with typos, former communes and districts, abbreviations; best first.
net::awaitable<http::response> service::find_localities(http::request_context& c,
                                                        const principal&) {
    const std::string q = c.query_param("q");
    if (q.size() > 200) co_return refuse(error::query_too_long, {{"field", "q"}, {"limit", 200}});
    json candidates = json::array();
    bool unique = false;
    if (deps_.localities && !core::fold(q).empty()) {
        auto found = deps_.localities->by_code(q);
        unique = found.size() == 1;
        if (found.empty()) {
            auto r = deps_.localities->resolve(q);
            found = std::move(r.candidates);
            unique = r.unique;
        }
        for (const auto& k : found)
            candidates.push_back(
                {{"code", k.code}, {"name", k.name}, {"why", k.why}, {"former", k.former}});
    }
    co_return ok({{"candidates", candidates}, {"unique", unique}});
}

net::awaitable<http::response> service::create_session(http::request_context&, const principal& p,
                                                       const nlohmann::json& body) {
    const auto now = deps_.now();
    const auto& cfg = *deps_.dialogue;
    store::added_session row;
    if (auto problem = read_new_session(body, cfg, dialogue::local_date(now, cfg.utc_offset), row))
        co_return refuse(*problem);
    row.created_by = p.name;
    row.created_at = now;
    auto config = deps_.dialogue;
    auto who = p;
    auto link = deps_.notice_link;
    auto work = [config, who, row, now, link](store::store& s) {
        auto added = s.list_added_sessions();
        auto known = known_sessions(*config, added, now);
        if (std::any_of(known.begin(), known.end(),
                        [&](const dialogue::session& x) { return x.id == row.id; }))
            return refuse(error::session_exists, {{"id", row.id}});
        added.push_back(row);
        // Concerns already filed to a later session of its commune and topics come to it.
        auto m = domain::to_added_session(s, *config, added, row.id, link, now);
        bool stored = false;
        s.transact([&] {
            stored = s.add_session(row);
            if (!stored) return;
            s.append_audit(audit_line(who, now, "session.create", "session:" + row.id, nullptr,
                                      added_json(row)));
            write_moves(s, who, now, m);
        });
        if (!stored)
            return refuse(error::session_exists, {{"id", row.id}});
        auto listed = known_sessions(*config, added, now);
        auto it = std::find_if(listed.begin(), listed.end(),
                               [&](const dialogue::session& x) { return x.id == row.id; });
        if (it == listed.end()) throw std::logic_error("an added session is not in the schedule");
        auto out = session_json(*it, m.moved.size());
        out["moved"] = moved_json(m);
        out["notified"] = m.notices.size();
        return http::json_response(http::status::created, out);
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::created && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

// An added session goes while nothing is filed to it (the store checks that as it deletes); a
// session of the configured schedule stays, to be cancelled, so its citizens are told.
net::awaitable<http::response> service::delete_session(http::request_context& c,
                                                       const principal& p) {
    const std::string id = c.params["id"];
    const auto now = deps_.now();
    auto config = deps_.dialogue;
    auto who = p;
    auto work = [config, who, id, now](store::store& s) {
        const auto added = s.list_added_sessions();
        const auto row = std::find_if(added.begin(), added.end(),
                                      [&](const store::added_session& a) { return a.id == id; });
        if (row == added.end()) {
            if (find_session(*config, s.list_session_overrides(), added, id, now))
                return refuse(error::session_not_added, {{"id", id}});
            return refuse(error::session_not_found, {{"id", id}});
        }
        bool deleted = false;
        s.transact([&] {
            deleted = s.delete_added_session(id, now);
            if (deleted)
                s.append_audit(audit_line(who, now, "session.delete", "session:" + id,
                                          added_json(*row), nullptr));
        });
        if (!deleted) {
            const auto counts = s.count_concerns_by_session();
            const auto n = counts.find(id);
            const std::size_t filed = n == counts.end() ? 0 : n->second;
            return refuse(error::session_has_concerns, {{"id", id}, {"concerns", filed}});
        }
        return ok({{"id", id}, {"deleted", true}});
    };
    co_return co_await on_db(work);
}

net::awaitable<http::response> service::patch_session(http::request_context& c, const principal& p,
                                                      const nlohmann::json& body) {
    for (const auto& [k, v] : body.items()) {
        if (k != "date" && k != "venue" && k != "status" && k != "note" && k != "watch_link" &&
            k != "chair")
            co_return refuse(error::field_unknown,
                             {{"field", k}, {"allowed", "date, venue, status, note, watch_link, chair"}});
        if (!v.is_string()) co_return refuse(error::not_a_string, {{"field", k}});
    }
    auto date = string_member(body, "date");
    auto status = string_member(body, "status");
    if (date && !date->empty() && !dialogue::parse_date(*date))
        co_return refuse(error::date_invalid, {{"field", "date"}});
    if (status && *status != "" && *status != "postponed" && *status != "cancelled")
        co_return refuse(error::session_status_invalid, {{"field", "status"}});
    if (auto venue = string_member(body, "venue"); venue && venue->size() > max_session_text)
        co_return refuse(error::field_too_long, {{"field", "venue"}, {"limit", max_session_text}});
    if (auto note = string_member(body, "note"); note && note->size() > max_note_bytes)
        co_return refuse(error::field_too_long, {{"field", "note"}, {"limit", max_note_bytes}});
    if (auto chair = string_member(body, "chair"); chair && chair->size() > max_session_text)
        co_return refuse(error::field_too_long, {{"field", "chair"}, {"limit", max_session_text}});
    if (auto w = string_member(body, "watch_link"); w && !w->empty() && !web_link(*w))
        co_return refuse(error::link_invalid, {{"field", "watch_link"}, {"limit", max_session_text}});

    const std::string id = c.params["id"];
    const auto now = deps_.now();
    auto cfg = deps_.dialogue;
    auto who = p;
    auto patch = body;
    auto link = deps_.notice_link;
    auto work = [cfg, who, id, patch, now, link](store::store& s) {
        auto overrides = s.list_session_overrides();
        const auto added = s.list_added_sessions();
        auto known = known_sessions(*cfg, added, now);
        auto it = std::find_if(known.begin(), known.end(),
                               [&](const dialogue::session& x) { return x.id == id; });
        if (it == known.end()) return refuse(error::session_not_found, {{"id", id}});

        store::session_override o{id, "", "", "", "", now};
        for (const auto& existing : overrides)
            if (existing.session_id == id) o = existing;
        const store::session_override before = o;
        o.watch_link = patch.value("watch_link", o.watch_link);
        o.chair = patch.value("chair", o.chair);
        o.status = patch.value("status", o.status);
        o.date = patch.value("date", o.date);
        o.venue = patch.value("venue", o.venue);
        o.note = patch.value("note", o.note);
        o.updated_at = now;
        std::erase_if(overrides,
                      [&](const store::session_override& x) { return x.session_id == id; });
        overrides.push_back(o);
        const auto edited = dialogue::apply_edits({*it}, domain::edits_of(overrides)).front();
        auto m =
            domain::after_session_edit(s, *cfg, added, overrides, edited, before, o, link, now);
        s.transact([&] {
            s.put_session_override(o);
            s.append_audit(audit_line(who, now, "session.update", "session:" + id,
                                      override_json(before), override_json(o)));
            write_moves(s, who, now, m);
        });
        auto out = session_json(edited, 0);
        out["watch_link"] = o.watch_link;
        out["chair"] = o.chair;
        out["moved"] = moved_json(m);
        out["notified"] = m.notices.size();
        return ok(out);
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::ok && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

namespace {
constexpr std::size_t notes_per_day = 3;  // per session: a note is news, not a feed
}  // namespace

// An official's note to every citizen with a concern on the session's agenda that the
// official may see (the time changed, bring your papers, the live stream): one message per
// citizen on their own channel through the outbox, in their language around the official's
// words, audited, at most notes_per_day per session in 24 hours. `dry_run` says who would be
// told and writes nothing.
net::awaitable<http::response> service::session_note(http::request_context& c, const principal& p,
                                                     const nlohmann::json& body) {
    auto text = string_member(body, "text");
    if (!text || text->empty()) co_return refuse(error::text_required);
    if (text->size() > max_note_bytes) co_return refuse(error::text_too_long, {{"limit", max_note_bytes}});
    if (body.contains("dry_run") && !body["dry_run"].is_boolean())
        co_return refuse(error::not_boolean, {{"field", "dry_run"}});
    const bool dry_run = body.value("dry_run", false);
    const std::string id = c.params["id"];
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);
    const auto now = deps_.now();
    auto who = p;
    auto note = *text;
    auto session = *found;
    auto work = [who, id, note, session, concerns, now, dry_run](store::store& s) {
        std::size_t recent = 0;
        for (const auto& a : s.list_audit("session:" + id, 10000))
            if (a.action == "session.note" && a.at > now - chr::hours(24)) ++recent;
        std::map<std::int64_t, std::vector<std::string>> per_contact;
        for (const auto& k : concerns)
            if (k.status == core::concern_status::scheduled || k.status == core::concern_status::answered) per_contact[k.contact_id].push_back(k.ref);
        std::vector<store::outbox_message> outbox;
        std::map<std::string, std::size_t> channels;
        std::size_t unreachable = 0;
        const std::string action = domain::notice_id("note", id, now);
        for (const auto& [contact_id, refs] : per_contact) {
            auto ct = s.find_contact(contact_id);
            if (!ct || !domain::can_write_to(*ct)) {
                ++unreachable;
                continue;
            }
            const bool en = ct->language.starts_with("en");
            std::string list;
            for (const auto& r : refs) list += (list.empty() ? "" : ", ") + r;
            core::notice n;
            n.purpose = core::notice_purpose::session_note;
            n.id = action;
            n.session_id = id;
            n.refs = refs;
            n.answer = note;
            n.session = domain::session_label(session, en ? "en" : "vi") + ", " + session.venue;
            const std::string words =
                en ? "About " + domain::session_label(session, "en") + " (your concern " + list +
                         "):\n" + note
                   : "Thông báo về " + domain::session_label(session, "vi") + " (phản ánh " + list +
                         " của bạn):\n" + note;
            ++channels[ct->channel];
            outbox.push_back(domain::notice_message(*ct, n, words, now));
        }
        json summary = {{"citizens", per_contact.size()},
                        {"messages", outbox.size()},
                        {"unreachable", unreachable},
                        {"channels", channels},
                        {"sent_today", recent}};
        if (dry_run) return ok(summary);
        if (recent >= notes_per_day) return refuse(error::notes_limit, {{"limit", notes_per_day}});
        s.transact([&] {
            s.append_outbox(outbox);
            s.append_audit(audit_line(who, now, "session.note", "session:" + id, json(nullptr),
                                      json{{"text", note}, {"messages", outbox.size()}}));
        });
        return ok(summary);
    };
    auto res = co_await on_db(work);
    if (!dry_run && res.result() == http::status::ok && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

net::awaitable<http::response> service::agenda(http::request_context& c, const principal& p) {
    const std::string id = c.params["id"];
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);
    // Grouping is CPU work: done here, not on the database thread.
    json groups = json::array();
    for (const auto& g : build_agenda(concerns, names)) groups.push_back(group_json(g));
    json body = {{"session", id}, {"concerns", concerns.size()}, {"groups", groups}};
    body["session_info"] = session_json(*found, concerns.size());
    for (const auto& o : overrides)
        if (o.session_id == id && !o.chair.empty()) body["session_info"]["chair"] = o.chair;
    co_return ok(body);
}

namespace {

// A unit or province name without its kind: "Xã Bát Xát" -> "Bát Xát", for "Bát Xát, ngày …".
std::string bare_place(const std::string& name) {
    for (const char* kind : {"Thành phố ", "Thị trấn ", "Phường ", "Tỉnh ", "Xã "})
        if (name.starts_with(kind)) return name.substr(std::string_view(kind).size());
    return name;
}

// Who issues the agenda or the minutes, as the top left of an administrative document writes
// it: the commune's or the province's People's Committee, or the organisation.
template <typename Document>
void fill_issuer(Document& sheet, const dialogue::dialogue_config& cfg, const dialogue::session& s,
                 bool vi) {
    const std::string& province = vi ? cfg.province.name : cfg.province.name_en;
    sheet.place = bare_place(cfg.province.name);
    if (const auto* unit = cfg.find_unit(s.locality); unit && s.locality != cfg.province.code) {
        sheet.issuer = vi ? core::upper("Ủy ban nhân dân " + unit->name)
                          : "People's Committee of " + unit->name;
        sheet.place = bare_place(unit->name);
    } else if (const auto* org = cfg.find_organisation(s.locality)) {
        sheet.issuer = vi ? core::upper(org->name) : org->name_en;
    } else {
        sheet.issuer = vi ? core::upper("Ủy ban nhân dân " + cfg.province.name)
                          : "People's Committee of " + province;
    }
}

// The head of a document about session `s` (the agenda, the minutes): its title, when and where
// in `vi` or English, the issuing body, and today's date for the place and date line.
template <typename Document>
void fill_head(Document& doc, const dialogue::dialogue_config& cfg, const dialogue::session& s,
               bool vi, std::chrono::system_clock::time_point now) {
    doc.language = vi ? "vi" : "en";
    doc.title = vi ? s.title_vi : s.title_en;
    doc.date = vi ? dialogue::when_vi(s) : dialogue::when_en(s);
    doc.venue = s.venue;
    fill_issuer(doc, cfg, s, vi);
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    doc.day = static_cast<int>(static_cast<unsigned>(today.day()));
    doc.month = static_cast<int>(static_cast<unsigned>(today.month()));
    doc.year = static_cast<int>(today.year());
}

}  // namespace

// The agenda to take to the meeting: CSV, XLSX or a printable A4 page (agenda_export.hpp).
// The same groups as the agenda above, commune names instead of codes, no personal data.
net::awaitable<http::response> service::agenda_export(http::request_context& c, const principal& p,
                                                      std::string format) {
    const std::string id = c.params["id"];
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);

    agenda_sheet sheet;
    const bool vi = c.query_param("lang") != "en";
    fill_head(sheet, *deps_.dialogue, *found, vi, deps_.now());
    for (const auto& g : build_agenda(concerns, names)) {
        const auto* topic = deps_.dialogue->find_topic(g.topic);
        const std::string topic_name =
            !topic ? g.topic : (vi ? topic->name_vi : topic->name_en);
        sheet.groups.push_back({g.name, topic_name, g.refs.size(), g.citizens, g.commune_names,
                                g.representative, g.urgent > 0});
    }
    const std::string file = "agenda-" + id;
    http::response res;
    if (format == "csv") {
        res = http::text_response(http::status::ok, agenda_csv(sheet), "text/csv; charset=utf-8");
        res.set(beast::http::field::content_disposition, "attachment; filename=\"" + file + ".csv\"");
    } else if (format == "xlsx") {
        // libxlsxwriter writes a temporary file: not on an I/O thread.
        // Named, not a temporary inside the co_await: GCC 12 destroys such a temporary twice.
        std::function<std::string()> make = [sheet] { return agenda_xlsx(sheet); };
        std::string book = co_await document_off_thread(std::move(make));
        res = http::text_response(
            http::status::ok, std::move(book),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        res.set(beast::http::field::content_disposition, "attachment; filename=\"" + file + ".xlsx\"");
    } else {
        res = http::text_response(http::status::ok, agenda_html(sheet), "text/html; charset=utf-8");
        res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    }
    res.set(beast::http::field::cache_control, "no-store");
    co_return res;
}

namespace {

// What an answer promised, in the minutes' words.
std::string followup_words(const agenda_entry& g, bool vi) {
    const auto day = [](const std::string& d) {
        auto parsed = dialogue::parse_date(d);
        return parsed ? dialogue::day_text(*parsed) : d;
    };
    if (g.followup == "settled") return vi ? "Đã giải quyết tại hội nghị" : "Settled at the meeting";
    if (g.followup == "assigned")
        return (vi ? "Giao " + g.assigned_to + " thực hiện, hạn " : "Assigned to " + g.assigned_to + ", due ") +
               day(g.deadline) + ": " + g.promise;
    if (g.followup == "closed")
        return (vi ? g.assigned_to + " đã thực hiện: " : "Done by " + g.assigned_to + ": ") + g.followup_result;
    return "";
}

}  // namespace

// The minutes of a session (minutes.hpp): a printable A4 page, an .odt or an .xlsx, from the
// agenda as the caller sees it and what the meeting recorded on it.
net::awaitable<http::response> service::minutes_export(http::request_context& c, const principal& p,
                                                       std::string format) {
    const std::string id = c.params["id"];
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);
    const auto& cfg = *deps_.dialogue;
    const bool vi = c.query_param("lang") != "en";
    minutes m;
    fill_head(m, cfg, *found, vi, deps_.now());
    for (const auto& o : overrides)
        if (o.session_id == id) m.chair = o.chair;
    if (const auto* a = cfg.find_audience(found->audience)) m.audience = vi ? a->name_vi : a->name_en;
    std::map<std::string, std::size_t> by_source;
    std::set<std::int64_t> citizens;
    for (const auto& k : concerns) {
        ++by_source[k.source];
        citizens.insert(k.contact_id);
    }
    m.concerns = concerns.size();
    m.citizens = citizens.size();
    for (const char* source :
         {"chat", "letter", "reception", "hotline", "press", "meeting", "open311"})
        if (auto it = by_source.find(source); it != by_source.end())
            m.sources.emplace_back(source_words(source, vi), it->second);
    for (const auto& g : build_agenda(concerns, names)) {
        const auto* topic = cfg.find_topic(g.topic);
        minutes::group row{g.name,
                           !topic ? g.topic : (vi ? topic->name_vi : topic->name_en),
                           g.refs.size(), g.citizens, g.commune_names, g.representative,
                           g.answered > 0 ? g.answer : "",
                           g.speaker_office.empty() ? g.speaker : g.speaker + ", " + g.speaker_office,
                           g.answered > 0 ? followup_words(g, vi) : ""};
        (g.raised ? m.raised : m.not_raised).push_back(std::move(row));
    }
    const std::string file = (vi ? "bien-ban-" : "minutes-") + id;
    http::response res;
    if (format == "html") {
        res = http::text_response(http::status::ok, minutes_html(m), "text/html; charset=utf-8");
        res.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    } else {
        const bool odt = format == "odt";
        // Named, not a temporary inside the co_await: GCC 12 destroys such a temporary twice.
        std::function<std::string()> make = [m, odt] { return odt ? minutes_odt(m) : minutes_xlsx(m); };
        std::string bytes = co_await document_off_thread(std::move(make));
        res = http::text_response(
            http::status::ok, std::move(bytes),
            odt ? "application/vnd.oasis.opendocument.text"
                : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        res.set(beast::http::field::content_disposition,
                "attachment; filename=\"" + file + (odt ? ".odt" : ".xlsx") + "\"");
    }
    res.set(beast::http::field::cache_control, "no-store");
    co_return res;
}

net::awaitable<http::response> service::move_to_group(http::request_context& c, const principal& p,
                                                      const nlohmann::json& body) {
    auto ref = string_member(body, "concern");
    auto group = string_member(body, "group");
    if (!ref || !group)
        co_return refuse(error::move_fields_required);
    if (!valid_group_key(*group))
        co_return refuse(error::group_key_invalid, {{"field", "group"}});
    const std::string id = c.params["id"];
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto r = *ref;
    auto g = *group;
    auto work = [self, who, id, r, g, now](store::store& s) {
        auto k = s.find_concern(r);
        if (auto no = self->refusal(k, r, who, id)) return *no;
        json before = {{"agenda_group", k->agenda_group}};
        k->agenda_group = g;
        k->updated_at = now;
        s.transact([&] {
            s.update_concern(*k);
            s.append_audit(audit_line(who, now, "agenda.move", "concern:" + r, before,
                                      json{{"agenda_group", g}}));
        });
        return ok({{"ref", r}, {"agenda_group", g}});
    };
    co_return co_await on_db(work);
}

net::awaitable<http::response> service::name_group(http::request_context& c, const principal& p,
                                                   const nlohmann::json& body) {
    auto name = string_member(body, "name");
    if (!name) co_return refuse(error::group_name_required, {{"field", "name"}});
    if (name->size() > max_group_name_bytes)
        co_return refuse(error::field_too_long, {{"field", "name"}, {"limit", max_group_name_bytes}});
    const std::string id = c.params["id"];
    const std::string group = c.params["group"];
    // Only a group of this session's agenda as `p` sees it: the session must exist and be in
    // their scope, and the group must hold a concern they may act on.
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);
    const auto agenda = build_agenda(concerns, names);
    if (std::none_of(agenda.begin(), agenda.end(),
                     [&](const agenda_entry& g) { return g.key == group; }))
        co_return refuse(error::agenda_group_not_found, {{"group", group}, {"id", id}});
    const auto now = deps_.now();
    auto who = p;
    auto n = *name;
    auto work = [who, id, group, n, now](store::store& s) {
        s.transact([&] {
            s.put_agenda_name({id, group, n});
            s.append_audit(audit_line(who, now, "agenda.name", "session:" + id, nullptr,
                                      json{{"group", group}, {"name", n}}));
        });
    };
    co_await on_db(work);
    co_return ok({{"session", id}, {"group", group}, {"name", n}});
}

// The live view's mark (issue 19 item 4): a group of the agenda was raised at the meeting
// (`"raised": true`), or the mark was a slip (`false`). Every concern of the group as `p`
// sees it is marked, when and by whom; audited once for the group.
net::awaitable<http::response> service::mark_raised(http::request_context& c, const principal& p,
                                                    const nlohmann::json& body) {
    if (!body.contains("raised") || !body["raised"].is_boolean())
        co_return refuse(error::not_boolean, {{"field", "raised"}});
    const bool raised = body["raised"].get<bool>();
    const std::string id = c.params["id"];
    const std::string group = c.params["group"];
    auto read = agenda_reader(*this, p, id);  // named: see service::on_db
    auto [concerns, names, overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !concerns.empty())) co_return std::move(*no);
    std::vector<std::string> refs;
    for (const auto& g : build_agenda(concerns, names))
        if (g.key == group) refs = g.refs;
    if (refs.empty()) co_return refuse(error::agenda_group_not_found, {{"group", group}, {"id", id}});
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto work = [self, who, id, group, refs, raised, now](store::store& s) {
        std::vector<store::concern> changing;
        for (const auto& r : refs) {
            auto k = s.find_concern(r);
            if (auto no = self->refusal(k, r, who, id)) return *no;
            if (k->raised_at.has_value() == raised) continue;  // already as asked
            k->raised_at = raised ? std::optional(now) : std::nullopt;
            k->raised_by = raised ? who.name : "";
            k->updated_at = now;
            changing.push_back(std::move(*k));
        }
        if (!changing.empty())
            s.transact([&] {
                for (const auto& k : changing) s.update_concern(k);
                s.append_audit(audit_line(who, now, raised ? "agenda.raised" : "agenda.unraised",
                                          "session:" + id, nullptr,
                                          json{{"group", group}, {"concerns", refs}}));
            });
        return ok({{"session", id}, {"group", group}, {"raised", raised}, {"changed", changing.size()}});
    };
    co_return co_await on_db(work);
}

namespace {

// What one answer does to each concern it is for: a first answer, the same answer again
// (nothing to do: never sent twice), or a different one (a correction, only when asked).
enum class answer_change { first, same, correction };

answer_change change_of(const store::concern& k, const std::string& text) {
    if (k.status != core::concern_status::answered && !(k.status == core::concern_status::merged && !k.answer.empty()))
        return answer_change::first;
    return k.answer == text ? answer_change::same : answer_change::correction;
}

}  // namespace

// Records an answer and tells each citizen once, on their own channel. `"dry_run": true`
// says who would be told, on which channels, and what is already answered, writing
// nothing: the web app shows it for confirmation. The same answer twice is refused (409
// already_answered); a different answer to answered concerns needs `"correction": true`
// (409 answer_differs otherwise) and reaches citizens as a correction.
net::awaitable<http::response> service::answer(http::request_context& c, const principal& p,
                                               const nlohmann::json& body) {
    auto text = string_member(body, "text");
    auto group = string_member(body, "group");
    auto ref = string_member(body, "concern");
    if (!text || text->empty() || text->size() > max_answer_bytes)
        co_return refuse(error::answer_text_required, {{"field", "text"}, {"limit", max_answer_bytes}});
    if (group.has_value() == ref.has_value())
        co_return refuse(error::answer_target_required);
    for (const char* flag : {"dry_run", "correction"})
        if (body.contains(flag) && !body[flag].is_boolean())
            co_return refuse(error::not_boolean, {{"field", flag}});
    const bool dry_run = body.value("dry_run", false);
    const bool correction = body.value("correction", false);
    // Shown on the public page of results, or not (the official's choice; kept when not said).
    if (body.contains("publish") && !body["publish"].is_boolean())
        co_return refuse(error::not_boolean, {{"field", "publish"}});
    const std::optional<bool> publish =
        body.contains("publish") ? std::optional(body["publish"].get<bool>()) : std::nullopt;
    // Settled, or assigned to an office by a deadline (issue 19 item 5).
    std::optional<domain::assignment> assign;
    if (body.contains("assign")) {
        const auto& a = body["assign"];
        if (!a.is_object()) co_return refuse(error::assignment_invalid, {{"field", "assign"}});
        assign = domain::assignment{string_member(a, "office").value_or(""),
                                    string_member(a, "deadline").value_or(""),
                                    string_member(a, "promise").value_or("")};
        if (auto bad = domain::assignment_fault(
                *assign, dialogue::local_date(deps_.now(), deps_.dialogue->utc_offset)))
            co_return refuse(error::assignment_invalid, {{"field", "assign." + *bad}});
    }
    // Who gave it at the meeting (issue 19 item 4), and whether it marks them raised there.
    auto speaker = speaker_of(body);
    if (auto* why = std::get_if<api_error>(&speaker)) co_return refuse(*why);
    if (body.contains("raised") && !body["raised"].is_boolean())
        co_return refuse(error::not_boolean, {{"field", "raised"}});
    const bool raised = body.value("raised", false);
    const std::string id = c.params["id"];
    auto self = this;
    auto who = p;

    // Which concerns the answer is for: one, or every concern of an agenda group as this
    // official sees the agenda, plus the concerns merged into them.
    std::vector<std::string> refs;
    if (ref) {
        refs.push_back(*ref);
    } else {
        auto work = [self, who, id](store::store& s) {
            return std::pair{agenda_concerns(s, *self, who, id), s.list_agenda_names(id)};
        };
        auto [concerns, names] = co_await on_db(work);
        for (const auto& g : build_agenda(concerns, names))
            if (g.key == *group) refs = g.refs;
        if (refs.empty()) co_return refuse(error::agenda_group_not_found, {{"group", *group}, {"id", id}});
    }
    const auto now = deps_.now();
    auto answer = *text;
    auto link = deps_.notice_link;
    const std::string key = group ? *group : *ref;
    auto said_by = std::get<domain::speaker>(speaker);
    auto work = [self, who, id, refs, answer, now, link, key, dry_run, correction, assign,
                 publish, said_by, raised](store::store& s) {
        std::vector<store::concern> targets;
        for (const auto& r : refs) {
            auto k = s.find_concern(r);
            if (auto no = self->refusal(k, r, who, id)) return *no;
            targets.push_back(std::move(*k));
        }
        store::concern_filter merged;
        merged.session_id = id;
        merged.status = core::concern_status::merged;
        for (auto& k : s.search_concerns(merged, nullptr, 0, 100000).items)
            if (std::find(refs.begin(), refs.end(), k.merged_into) != refs.end())
                targets.push_back(std::move(k));

        json first = json::array(), same = json::array(), corrected = json::array();
        std::vector<store::concern> changing;
        for (auto& k : targets) {
            switch (change_of(k, answer)) {
                case answer_change::first: first.push_back(k.ref); break;
                case answer_change::same: same.push_back(k.ref); continue;
                case answer_change::correction: corrected.push_back(k.ref); break;
            }
            changing.push_back(std::move(k));
        }
        // One message per citizen, naming each of their concerns that changes.
        std::map<std::int64_t, std::vector<std::string>> per_contact;
        std::map<std::int64_t, bool> corrects;  // contact -> their message is a correction
        for (const auto& k : changing) {
            per_contact[k.contact_id].push_back(k.ref);
            if (change_of(k, answer) == answer_change::correction) corrects[k.contact_id] = true;
        }
        std::vector<store::outbox_message> outbox;
        std::map<std::string, std::size_t> channels;
        std::size_t unreachable = 0;
        const std::string action = domain::notice_id("answer", key, now);
        for (const auto& [contact_id, their_refs] : per_contact) {
            auto ct = s.find_contact(contact_id);
            if (!ct || !domain::can_write_to(*ct)) {
                ++unreachable;  // nobody to tell
                continue;
            }
            ++channels[ct->channel];
            core::notice n;
            n.purpose = core::notice_purpose::answer;
            n.id = action;
            n.session_id = id;
            n.refs = their_refs;
            n.answer = answer;
            n.link = domain::notice_link(link, their_refs.front());
            outbox.push_back(domain::notice_message(
                *ct, n,
                answer_text(their_refs, answer, ct->language, corrects[contact_id], assign, said_by),
                now));
        }
        const json summary = {{"answer", first},
                              {"unchanged", same},
                              {"correct", corrected},
                              {"citizens", per_contact.size()},
                              {"messages", outbox.size()},
                              {"unreachable", unreachable},
                              {"channels", channels}};
        if (dry_run) return ok(summary);
        if (changing.empty())
            return refuse(error::already_answered);
        if (!corrected.empty() && !correction)
            return refuse(error::answer_differs);
        s.transact([&] {
            for (auto& k : changing) {
                json before = {{"status", k.status}, {"answer", k.answer}};
                const bool corrects_it = change_of(k, answer) == answer_change::correction;
                if (k.status != core::concern_status::merged) k.status = core::concern_status::answered;
                k.answer = answer;
                k.answered_at = now;
                k.answered_by = who.name;
                k.updated_at = now;
                k.speaker = said_by.name;
                k.speaker_office = said_by.office;
                if (raised && !k.raised_at) {
                    k.raised_at = now;
                    k.raised_by = who.name;
                }
                domain::follow_up(k, assign);
                if (publish) k.published = *publish;
                s.update_concern(k);
                s.append_audit(audit_line(who, now,
                                          corrects_it ? "concern.answer_corrected"
                                                      : "concern.answer",
                                          "concern:" + k.ref, before,
                                          json{{"status", k.status},
                                               {"answer", k.answer},
                                               {"followup", k.followup},
                                               {"assigned_to", k.assigned_to},
                                               {"deadline", k.deadline},
                                               {"speaker", k.speaker},
                                               {"speaker_office", k.speaker_office}}));
            }
            s.append_outbox(outbox);
        });
        json answered = json::array();
        for (const auto& k : changing) answered.push_back(k.ref);
        json out = summary;
        out["answered"] = answered;
        return ok(out);
    };
    auto res = co_await on_db(work);
    if (!dry_run && res.result() == http::status::ok && deps_.outbox_written)
        deps_.outbox_written();
    co_return res;
}

namespace {

// How one notice stands for its citizen, in the words of the reach report.
const char* reach_state(const store::outbox_message& m) {
    if (m.status == "sent") return "delivered";
    if (m.status == "failed") return "failed";
    return m.held_at ? "waiting" : "pending";
}

}  // namespace

// Who was told what officials said about a session, by which path, and who not and why: one
// entry per answer (or session edit), one row per citizen, only concerns in the caller's
// scope.
net::awaitable<http::response> service::reach(http::request_context& c, const principal& p) {
    const std::string id = c.params["id"];
    auto self = this;
    auto who = p;
    auto read = [self, who, id](store::store& s) {
        std::map<std::string, bool> visible;  // reference -> in scope
        auto visible_ref = [&](const std::string& ref) {
            auto it = visible.find(ref);
            if (it != visible.end()) return it->second;
            auto k = s.find_concern(ref);
            const bool ok = k && in_scope(who, self->place_of(*k));
            visible[ref] = ok;
            return ok;
        };
        std::vector<std::pair<store::outbox_message, core::notice>> rows;
        for (auto& m : s.list_notices(id)) {
            core::notice n;
            try {
                n = m.payload.at("notice").get<core::notice>();
            } catch (const std::exception&) {
                continue;  // an erased citizen's message keeps no notice
            }
            bool shown = !n.refs.empty();
            for (const auto& r : n.refs) shown = shown && visible_ref(r);
            if (shown) rows.emplace_back(std::move(m), std::move(n));
        }
        return std::tuple{std::move(rows), s.list_session_overrides(), s.list_added_sessions()};
    };
    auto [rows, overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, !rows.empty())) co_return std::move(*no);
    json notices = json::array();
    std::map<std::string, std::size_t> index;  // notice id -> position in `notices`
    json totals = {{"citizens", 0}, {"delivered", 0}, {"waiting", 0},
                   {"pending", 0},  {"failed", 0},    {"by_path", json::object()}};
    for (const auto& [m, n] : rows) {
        auto [it, fresh] = index.try_emplace(n.id, notices.size());
        if (fresh)
            notices.push_back({{"id", n.id},
                               {"purpose", core::to_string(n.purpose)},
                               {"created_at", core::utc_text(m.created_at)},
                               {"refs", json::array()},
                               {"citizens", 0},
                               {"delivered", 0},
                               {"waiting", 0},
                               {"pending", 0},
                               {"failed", 0},
                               {"by_path", json::object()},
                               {"rows", json::array()}});
        auto& e = notices[it->second];
        const std::string state = reach_state(m);
        json row = {{"refs", n.refs},
                    {"channel", m.channel},
                    {"state", state},
                    {"path", m.path.empty() ? json() : json(m.path)},
                    {"reason", state == "delivered" ? std::string() : m.last_error}};
        if (m.sent_at)
            row["at"] = core::utc_text(*m.sent_at);
        else if (m.held_at)
            row["at"] = core::utc_text(*m.held_at);
        for (auto* counts : {&e, &totals}) {
            (*counts)["citizens"] = (*counts)["citizens"].get<int>() + 1;
            (*counts)[state] = (*counts)[state].get<int>() + 1;
            if (state == "delivered") {
                auto& by = (*counts)["by_path"][m.path.empty() ? "free" : m.path];
                by = by.is_null() ? 1 : by.get<int>() + 1;
            }
        }
        for (const auto& r : n.refs) e["refs"].push_back(r);
        e["rows"].push_back(std::move(row));
    }
    co_return ok({{"session", id}, {"totals", totals}, {"notices", notices}});
}

}  // namespace dgw::api
