#include "dgw/domain/followup.hpp"

#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/schedule.hpp>

#include <nlohmann/json.hpp>

namespace dgw::domain {

namespace chr = std::chrono;

namespace {

constexpr std::size_t max_office_bytes = 200;
constexpr std::size_t max_promise_bytes = 2000;

// "2027-01-31" -> "31/01/2027", as Vietnamese documents write a date.
std::string day_text(const std::string& iso) {
    const auto d = dialogue::parse_date(iso);
    return d ? dialogue::day_text(*d) : iso;
}

}  // namespace

std::optional<std::string> assignment_fault(const assignment& a, chr::year_month_day today) {
    if (a.office.empty() || a.office.size() > max_office_bytes) return "office";
    const auto d = dialogue::parse_date(a.deadline);
    if (!d || chr::sys_days{*d} < chr::sys_days{today}) return "deadline";
    if (a.promise.empty() || a.promise.size() > max_promise_bytes) return "promise";
    return std::nullopt;
}

void follow_up(store::concern& k, const std::optional<assignment>& a) {
    k.followup = a ? "assigned" : "settled";
    k.assigned_to = a ? a->office : "";
    k.deadline = a ? a->deadline : "";
    k.promise = a ? a->promise : "";
    k.followup_result.clear();
    k.followup_closed_at.reset();
}

std::string assignment_text(const assignment& a, std::string_view lang) {
    if (lang == "en")
        return "Assigned to " + a.office + ", due " + day_text(a.deadline) + ": " + a.promise +
               ". You will be told when it is done.";
    return "Việc được giao cho " + a.office + ", hạn " + day_text(a.deadline) + ": " + a.promise +
           ". Bạn sẽ được báo khi việc hoàn thành.";
}

std::string closed_text(const std::vector<std::string>& refs, const std::string& result,
                        std::string_view lang) {
    std::string list;
    for (const auto& r : refs) list += (list.empty() ? "" : ", ") + r;
    if (lang == "en") return "The work on your concern " + list + " is done:\n" + result;
    return "Việc giải quyết phản ánh " + list + " của bạn đã hoàn thành:\n" + result;
}

bool overdue(const store::concern& k, chr::year_month_day today) {
    const auto d = dialogue::parse_date(k.deadline);
    return k.followup == "assigned" && d && chr::sys_days{*d} < chr::sys_days{today};
}

std::size_t carry_overdue(store::store& s, const dialogue::dialogue_config& cfg,
                          store::time_point now) {
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    auto late = s.overdue_followups(dialogue::to_string(today));
    if (late.empty()) return 0;
    const auto schedule = routing_schedule(cfg, s.list_added_sessions(), s.list_session_overrides(), now);
    s.transact([&] {
        for (auto& k : late) {
            const nlohmann::json before = {{"status", k.status}, {"session", k.session_id}};
            reroute(cfg, schedule, k, now);
            s.update_concern(k);
            s.append_audit({0, now, "system", "concern.carried", "concern:" + k.ref, before.dump(),
                            nlohmann::json{{"status", k.status},
                                           {"session", k.session_id},
                                           {"reason", "deadline " + k.deadline + " passed"}}
                                .dump()});
        }
    });
    return late.size();
}

}  // namespace dgw::domain
