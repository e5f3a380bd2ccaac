#include "dgw/domain/session_changes.hpp"

#include <dgw/core/message.hpp>
#include <dgw/dialogue/session_edits.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/domain/schedule.hpp>

#include <chrono>
#include <map>

namespace dgw::domain {

namespace {

namespace chr = std::chrono;

// How many concerns of one session a change reads at most: far more than a session hears.
constexpr std::size_t max_concerns = 100000;

// A citizen whose concern left a postponed or cancelled session is told where it goes now.
std::string moved_text(const store::concern& k, const dialogue::session* next, bool cancelled) {
    const std::string why_vi = cancelled ? "đã bị huỷ" : "đã hoãn";
    const std::string why_en = cancelled ? "was cancelled" : "was postponed";
    if (next)
        return "Buổi đối thoại dự kiến xem xét phản ánh " + k.ref + " của bạn " + why_vi +
               ". Phản ánh được chuyển sang: " + session_label(*next, "vi") + ", tại " +
               next->venue + ".\n\n(The dialogue session for your concern " + k.ref + " " +
               why_en + ". It moves to: " + session_label(*next, "en") + ", " + next->venue +
               ".)";
    return "Buổi đối thoại dự kiến xem xét phản ánh " + k.ref + " của bạn " + why_vi +
           ". Phản ánh sẽ được xếp vào buổi đối thoại tiếp theo; chúng tôi sẽ báo lại.\n\n"
           "(The dialogue session for your concern " + k.ref + " " + why_en +
           ". It will be scheduled again and you will be told.)";
}

// A citizen whose concern stays on a session whose date or place officials set or changed is
// told when and where it now is.
std::string new_date_text(const store::concern& k, const dialogue::session& s) {
    return "Buổi đối thoại xem xét phản ánh " + k.ref + " của bạn sẽ diễn ra " +
           dialogue::when_vi(s) + " tại " + s.venue +
           ".\n\n(The dialogue session for your concern " + k.ref + " takes place " +
           dialogue::when_en(s) + " at " + s.venue + ".)";
}

// A citizen whose concern moves to a session an admin added before the one it was on is told
// where it is heard now.
std::string earlier_text(const store::concern& k, const dialogue::session& next) {
    return "Phản ánh " + k.ref + " của bạn được chuyển sang một buổi đối thoại sớm hơn: " +
           session_label(next, "vi") + ", tại " + next.venue +
           ".\n\n(Your concern " + k.ref + " moves to an earlier dialogue session: " +
           session_label(next, "en") + ", " + next.venue + ".)";
}

// Queues one notice to the citizen of `k`, when they can be written to, about session `about`
// (the one officials changed or added): `text`, and where `k` is heard now (`at`), if known.
void tell(store::store& s, session_moves& out, const store::concern& k, const std::string& about,
          const dialogue::session* at, std::string text, std::string_view link,
          store::time_point now) {
    auto ct = s.find_contact(k.contact_id);
    if (!ct || !can_write_to(*ct)) return;
    core::notice n;
    n.purpose = core::notice_purpose::session_moved;
    n.id = notice_id("moved", about, now);
    n.session_id = about;
    n.refs = {k.ref};
    n.session = at ? session_label(*at, "vi") + ", " + at->venue : "sẽ thông báo sau";
    n.link = notice_link(link, k.ref);
    out.notices.push_back(notice_message(*ct, n, std::move(text), now));
}

}  // namespace

session_moves after_session_edit(store::store& s, const dialogue::dialogue_config& cfg,
                                 const std::vector<store::added_session>& added,
                                 const std::vector<store::session_override>& overrides,
                                 const dialogue::session& edited,
                                 const store::session_override& before,
                                 const store::session_override& after, std::string_view link,
                                 store::time_point now) {
    session_moves m;
    const auto edit = dialogue::make_edit(after.session_id, after.status, after.date, after.venue,
                                          after.note);
    const bool new_time_or_place = (after.date != before.date && !after.date.empty()) ||
                                   (after.venue != before.venue && !after.venue.empty());
    // dialogue::route skips cancelled sessions and those postponed without a date.
    if (!dialogue::moves_concerns(edit) && !new_time_or_place) return m;
    const bool cancelled = after.status == "cancelled";
    const auto schedule = routing_schedule(cfg, added, overrides, now);
    store::concern_filter f;
    f.session_id = after.session_id;
    f.status = core::concern_status::scheduled;
    for (auto k : s.search_concerns(f, nullptr, 0, max_concerns).items) {
        auto next = reroute(cfg, schedule, k, now);
        if (next && next->id == after.session_id) {  // still its session: nothing is written
            if (new_time_or_place)
                tell(s, m, k, after.session_id, &edited, new_date_text(k, edited), link, now);
            continue;
        }
        const auto* to = next ? &*next : nullptr;
        tell(s, m, k, after.session_id, to, moved_text(k, to, cancelled), link, now);
        m.moved.emplace_back(after.session_id, std::move(k));
    }
    return m;
}

session_moves to_added_session(store::store& s, const dialogue::dialogue_config& cfg,
                               const std::vector<store::added_session>& added,
                               const std::string& id, std::string_view link,
                               store::time_point now) {
    session_moves m;
    const auto schedule = routing_schedule(cfg, added, s.list_session_overrides(), now);
    std::map<std::string, const dialogue::session*, std::less<>> by_id;
    for (const auto& x : schedule) by_id.emplace(x.id, &x);
    const auto added_at = by_id.find(id);
    if (added_at == by_id.end()) return m;  // outside the routing horizon: nothing goes there
    const chr::sys_days day{added_at->second->earliest_day()};
    auto later = [&by_id, day](const store::concern& k) {
        const auto on = by_id.find(k.session_id);
        return on != by_id.end() && chr::sys_days{on->second->earliest_day()} > day;
    };
    store::concern_filter f;
    f.status = core::concern_status::scheduled;
    for (auto k : s.search_concerns(f, later, 0, max_concerns).items) {
        std::string from = k.session_id;
        const auto next = reroute(cfg, schedule, k, now);
        if (!next || next->id != id) continue;
        tell(s, m, k, id, &*next, earlier_text(k, *next), link, now);
        m.moved.emplace_back(std::move(from), std::move(k));
    }
    return m;
}

void store_moves(store::store& s, session_moves& m) {
    for (const auto& moved : m.moved) s.update_concern(moved.second);
    s.append_outbox(m.notices);
}

}  // namespace dgw::domain
