#include "dgw/domain/followup.hpp"

#include <dgw/core/text.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/schedule.hpp>

#include <nlohmann/json.hpp>

#include <map>

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

namespace {

// "Phòng  Kinh tế xã " and "phong kinh te xa" are one office.
std::string office_key(std::string_view office) {
    std::string out;
    for (char c : core::fold(office)) {
        if (c == ' ' || c == '\t') {
            if (!out.empty() && out.back() != ' ') out += ' ';
        } else {
            out += c;
        }
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

}  // namespace

bool works_in(const store::user& u, std::string_view office) {
    if (u.disabled || (u.role != "official" && u.role != "admin")) return false;
    const auto key = office_key(u.office);
    return !key.empty() && key == office_key(office);
}

std::string work_reminder_text(const std::string& office, const std::vector<store::concern>& due) {
    std::string text = "Nhắc việc (" + office + "): " + std::to_string(due.size()) +
                       " việc được giao sắp đến hạn.";
    for (const auto& k : due) text += "\n- " + k.ref + ", hạn " + day_text(k.deadline) + ": " + k.promise;
    return text;
}

work_reminder_report remind_offices(
    store::store& s, const dialogue::dialogue_config& cfg, const std::string& sms_channel,
    store::time_point now, const std::function<bool(const store::user&, const store::concern&)>& may_see) {
    work_reminder_report report;
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    const auto until = chr::year_month_day{chr::sys_days{today} + chr::days(work_reminder_days + 1)};
    std::vector<store::concern> due;
    for (auto& k : s.overdue_followups(dialogue::to_string(until)))
        if (k.office_reminded != k.deadline) due.push_back(std::move(k));
    if (due.empty()) return report;
    const auto users = s.list_users();
    // Each official once, with every item of theirs (and the office it was assigned to).
    struct reminder {
        const store::user* official;
        std::string office;
        std::vector<store::concern> items;
    };
    std::map<std::int64_t, reminder> by_official;
    for (const auto& k : due) {
        bool reached = false;
        for (const auto& u : users) {
            if (!works_in(u, k.assigned_to) || !may_see(u, k)) continue;
            if (u.phone.empty() || sms_channel.empty()) continue;
            auto& r = by_official.try_emplace(u.id, reminder{&u, k.assigned_to, {}}).first->second;
            r.items.push_back(k);
            reached = true;
        }
        if (!reached) ++report.unreachable;
    }
    std::vector<store::outbox_message> out;
    s.transact([&] {
        for (auto& [id, r] : by_official) {
            auto ct = s.upsert_contact(sms_channel, r.official->phone, r.official->name, "vi", now);
            core::notice n;
            n.purpose = core::notice_purpose::work_reminder;
            n.id = "work:" + std::to_string(id) + ":" + dialogue::to_string(today);
            for (const auto& k : r.items) n.refs.push_back(k.ref);
            out.push_back(notice_message(ct, n, work_reminder_text(r.office, r.items), now));
        }
        if (!out.empty()) s.append_outbox(out);
        for (auto& k : due) {
            k.office_reminded = k.deadline;
            s.update_concern(k);
            s.append_audit({0, now, "system", "concern.work_reminded", "concern:" + k.ref, "",
                            nlohmann::json{{"office", k.assigned_to}, {"deadline", k.deadline}}.dump()});
        }
    });
    report.items = due.size();
    report.messages = out.size();
    return report;
}

}  // namespace dgw::domain
