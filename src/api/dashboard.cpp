#include <dgw/api/dashboard.hpp>

#include <dgw/domain/followup.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace dgw::api {
namespace {

using nlohmann::json;
namespace chr = std::chrono;

// Invariant 8: stored in UTC, counted by the day in Vietnam.
constexpr auto vietnam_offset = chr::hours(7);

chr::sys_days local_day(store::time_point t) {
    return chr::floor<chr::days>(t + vietnam_offset);
}

std::string two(unsigned n) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02u", n % 100u);
    return buf;
}

double rounded(double x) { return static_cast<double>(static_cast<long long>(x * 10 + 0.5)) / 10; }

double share(std::size_t n, std::size_t of) {
    if (of == 0) return 0;
    return static_cast<double>(static_cast<long long>(
               static_cast<double>(n) * 1000 / static_cast<double>(of) + 0.5)) /
           1000;
}

}  // namespace

bool filed_within(const store::concern& k, const std::optional<chr::year_month_day>& from,
                  const std::optional<chr::year_month_day>& to) {
    const auto day = local_day(k.created_at);
    return (!from || day >= chr::sys_days{*from}) && (!to || day <= chr::sys_days{*to});
}

std::string period_of(store::time_point t, dashboard_period p) {
    const auto day = local_day(t);
    if (p == dashboard_period::month) {
        const chr::year_month_day ymd{day};
        return std::to_string(static_cast<int>(ymd.year())) + "-" +
               two(static_cast<unsigned>(ymd.month()));
    }
    // ISO 8601: a week belongs to the year of its Thursday.
    const chr::weekday wd{day};
    const auto monday_based = (wd.c_encoding() + 6) % 7;
    const auto thursday = day - chr::days(monday_based) + chr::days(3);
    const chr::year y = chr::year_month_day{thursday}.year();
    const auto first = chr::sys_days{y / chr::January / 1};
    const auto week = (thursday - first).count() / 7 + 1;
    return std::to_string(static_cast<int>(y)) + "-W" + two(static_cast<unsigned>(week));
}

json dashboard_stats(const std::vector<store::concern>& concerns,
                     const std::map<std::string, store::time_point>& answered_at,
                     const dialogue::dialogue_config& cfg, dashboard_period period,
                     store::time_point now, int periods) {
    std::map<std::string, std::size_t> by_status, by_topic, by_commune, by_period;
    std::map<std::string, std::string> commune_names;
    std::size_t base = 0, answered = 0, urgent = 0;
    std::vector<double> days;
    // Citizens' verdicts on answers, overall and per topic, session and answering official.
    struct say {
        std::size_t satisfied = 0, unsatisfied = 0;
    };
    say verdicts;
    std::map<std::string, say> say_by_topic, say_by_session, say_by_official;
    const auto say_rows = [](const std::map<std::string, say>& by, const char* key) {
        json rows = json::array();
        for (const auto& [id, s] : by)
            rows.push_back({{key, id},
                            {"satisfied", s.satisfied},
                            {"unsatisfied", s.unsatisfied},
                            {"satisfied_share", share(s.satisfied, s.satisfied + s.unsatisfied)}});
        return rows;
    };
    // Where concerns came from, which level hears them (the session's), and how the work
    // answers assigned is going: done by its deadline, done late, open, open past it.
    std::map<std::string, std::size_t> by_source, by_level;
    std::size_t assigned = 0, open = 0, overdue = 0, on_time = 0, late = 0, at_session = 0;
    const auto local_today = dialogue::local_date(now, cfg.utc_offset);
    for (const auto& k : concerns) {
        ++by_source[k.source.empty() ? "chat" : k.source];
        ++by_level[k.session_id.empty() ? "" : k.session_id.substr(0, k.session_id.find('-'))];
        if (!k.verdict.empty()) {
            const bool yes = k.verdict == "satisfied";
            for (say* s : {&verdicts, &say_by_topic[k.topic], &say_by_session[k.session_id],
                           &say_by_official[k.answered_by]})
                ++(yes ? s->satisfied : s->unsatisfied);
        }
        if (!k.assigned_to.empty()) {
            ++assigned;
            if (k.followup == "closed") {
                const auto deadline = dialogue::parse_date(k.deadline);
                const bool in_time = deadline && k.followup_closed_at &&
                                     local_day(*k.followup_closed_at) <= chr::sys_days{*deadline};
                ++(in_time ? on_time : late);
            } else {
                ++open;
                if (domain::overdue(k, local_today)) ++overdue;
            }
        }
        ++by_status[std::string(core::to_string(k.status))];
        ++by_topic[k.topic];
        ++by_commune[k.commune_code];
        if (!k.commune_name.empty()) commune_names[k.commune_code] = k.commune_name;
        ++by_period[period_of(k.created_at, period)];
        if (k.status == core::concern_status::withdrawn || k.status == core::concern_status::merged) continue;
        ++base;
        if (k.urgent) ++urgent;
        if (k.status != core::concern_status::answered) continue;
        ++answered;
        if (k.raised_at) ++at_session;
        if (auto it = answered_at.find(k.ref); it != answered_at.end() && it->second >= k.created_at)
            days.push_back(chr::duration<double>(it->second - k.created_at).count() / 86400.0);
    }

    // Most first; ties by name, so the order does not change between two loads.
    auto ranked = [](std::vector<json> rows, const char* name) {
        std::stable_sort(rows.begin(), rows.end(), [name](const json& a, const json& b) {
            if (a["concerns"] != b["concerns"]) return a["concerns"] > b["concerns"];
            return a[name].get<std::string>() < b[name].get<std::string>();
        });
        return json(rows);
    };
    std::vector<json> topics;
    for (const auto& [id, n] : by_topic) {
        const auto* t = cfg.find_topic(id);
        topics.push_back({{"topic", id},
                          {"name_vi", t ? t->name_vi : id},
                          {"name_en", t ? t->name_en : id},
                          {"concerns", n}});
    }
    std::vector<json> communes;
    for (const auto& [code, n] : by_commune) {
        const auto* u = code.empty() ? nullptr : cfg.find_unit(code);
        const auto stored = commune_names.find(code);
        const std::string name = u                            ? u->name
                                 : stored != commune_names.end() ? stored->second
                                                                 : code;
        communes.push_back({{"code", code}, {"name", name}, {"concerns", n}});
    }

    // The last `periods` periods up to now, oldest first, empty ones included.
    std::vector<std::string> keys;
    const auto today = local_day(now);
    if (period == dashboard_period::month) {
        const chr::year_month_day ymd{today};
        auto ym = ymd.year() / ymd.month();
        for (int i = 0; i < periods; ++i, ym -= chr::months(1))
            keys.push_back(std::to_string(static_cast<int>(ym.year())) + "-" +
                           two(static_cast<unsigned>(ym.month())));
    } else {
        for (int i = 0; i < periods; ++i)
            keys.push_back(period_of(store::time_point(today - chr::days(7 * i)), period));
    }
    std::reverse(keys.begin(), keys.end());
    json series = json::array();
    for (const auto& key : keys) {
        const auto it = by_period.find(key);
        series.push_back({{"period", key}, {"concerns", it == by_period.end() ? 0 : it->second}});
    }

    json median = nullptr;
    if (!days.empty()) {
        std::sort(days.begin(), days.end());
        const auto mid = days.size() / 2;
        median = rounded(days.size() % 2 ? days[mid] : (days[mid - 1] + days[mid]) / 2);
    }
    return {{"total", concerns.size()},
            {"by_status", by_status},
            {"by_topic", ranked(std::move(topics), "name_vi")},
            {"by_commune", ranked(std::move(communes), "name")},
            {"over_time",
             {{"period", period == dashboard_period::month ? "month" : "week"},
              {"items", series}}},
            {"answered", answered},
            {"answered_share", share(answered, base)},
            {"urgent", urgent},
            {"urgent_share", share(urgent, base)},
            {"median_days_to_answer", median},
            {"answered_at_session", at_session},
            {"answered_at_session_share", share(at_session, answered)},
            {"by_source", by_source},
            {"by_level", by_level},
            {"followups",
             {{"assigned", assigned},
              {"open", open},
              {"overdue", overdue},
              {"done_on_time", on_time},
              {"done_late", late},
              {"on_time_share", share(on_time, on_time + late)}}},
            {"satisfaction",
             {{"satisfied", verdicts.satisfied},
              {"unsatisfied", verdicts.unsatisfied},
              {"satisfied_share", share(verdicts.satisfied, verdicts.satisfied + verdicts.unsatisfied)},
              {"by_topic", say_rows(say_by_topic, "topic")},
              {"by_session", say_rows(say_by_session, "session")},
              {"by_official", say_rows(say_by_official, "official")}}}};
}

}  // namespace dgw::api
