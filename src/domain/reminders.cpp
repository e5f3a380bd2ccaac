#include "dgw/domain/reminders.hpp"

#include <dgw/core/reach.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/domain/schedule.hpp>

#include <map>

namespace dgw::domain {

namespace chr = std::chrono;

bool reminder_due(const dialogue::session& s, int days, chr::year_month_day today) {
    if (days <= 0 || !s.date || !s.open()) return false;
    const auto day = chr::sys_days{*s.date};
    const auto from = chr::sys_days{today};
    return day >= from && day <= from + chr::days(days);
}

std::string reminder_text(const dialogue::session& s, const std::vector<std::string>& refs,
                          std::string_view lang, std::string_view watch_link) {
    std::string list;
    for (const auto& r : refs) list += (list.empty() ? "" : ", ") + r;
    const std::string link(watch_link);
    if (lang == "en")
        return "Reminder: your concern " + list + " will be heard at " + session_label(s, "en") +
               ", at " + s.venue + ". You are welcome to attend and speak." +
               (link.empty() ? "" : " To attend or watch: " + link);
    return "Nhắc lịch: phản ánh " + list + " của bạn sẽ được đưa ra " + session_label(s, "vi") +
           ", tại " + s.venue + ". Mời bạn đến dự và trao đổi trực tiếp." +
           (link.empty() ? "" : " Cách tham dự hoặc theo dõi: " + link);
}

reminder_report queue_reminders(store::store& s, const dialogue::dialogue_config& cfg,
                                store::time_point now) {
    reminder_report report;
    const auto overrides = s.list_session_overrides();
    std::map<std::string, std::string, std::less<>> links;
    for (const auto& o : overrides)
        if (!o.watch_link.empty()) links[o.session_id] = o.watch_link;
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    for (const auto& x : routing_schedule(cfg, s.list_added_sessions(), overrides, now)) {
        const auto* level = cfg.find_level(x.level);
        if (!level || !reminder_due(x, level->remind_days_before, today)) continue;
        auto who = s.citizens_to_remind(x.id);
        if (who.empty()) continue;
        const auto link = links.find(x.id);
        const std::string watch = link == links.end() ? "" : link->second;
        std::vector<store::outbox_message> out;
        std::vector<std::int64_t> told;
        for (auto& c : who) {
            told.push_back(c.contact_id);  // once, reachable or not
            auto ct = s.find_contact(c.contact_id);
            if (!ct || !can_write_to(*ct)) {
                ++report.unreachable;
                continue;
            }
            const auto lang = ct->language.starts_with("en") ? "en" : "vi";
            core::notice n;
            n.purpose = core::notice_purpose::session_reminder;
            n.id = "reminder:" + x.id;
            n.session_id = x.id;
            n.refs = c.refs;
            n.session = session_label(x, lang) + ", " + x.venue;
            n.link = watch;
            out.push_back(notice_message(*ct, n, reminder_text(x, c.refs, lang, watch), now));
        }
        s.transact([&] {
            if (!out.empty()) s.append_outbox(out);
            s.mark_reminded(x.id, told, now);
        });
        ++report.sessions;
        report.messages += out.size();
    }
    return report;
}

}  // namespace dgw::domain
