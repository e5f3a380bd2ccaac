#include "dgw/dialogue/session_edits.hpp"

#include <map>

namespace dgw::dialogue {

std::vector<session> apply_edits(std::vector<session> schedule,
                                 const std::vector<session_edit>& edits) {
    std::map<std::string, const session_edit*> by_id;
    for (const auto& e : edits) by_id[e.session] = &e;  // a later edit of a session wins
    for (auto& s : schedule) {
        auto it = by_id.find(s.id);
        if (it == by_id.end()) continue;
        const session_edit& e = *it->second;
        if (!e.venue.empty()) s.venue = e.venue;
        if (!e.note.empty()) s.note = e.note;
        if (e.status == session_status::cancelled) {
            s.status = session_status::cancelled;
        } else if (e.status == session_status::postponed) {
            // Without a new date it stays closed until one is given (session::open()).
            s.status = session_status::postponed;
            s.date = e.date;
        } else if (e.date) {
            s.date = e.date;
            if (s.status == session_status::planned) s.status = session_status::fixed;
        }
    }
    return schedule;
}

session_edit make_edit(std::string session, std::string_view status, std::string_view date,
                       std::string venue, std::string note) {
    session_edit e;
    e.session = std::move(session);
    if (status == "postponed") e.status = session_status::postponed;
    if (status == "cancelled") e.status = session_status::cancelled;
    if (!date.empty()) e.date = parse_date(date);
    e.venue = std::move(venue);
    e.note = std::move(note);
    return e;
}

bool moves_concerns(const session_edit& edit) {
    return edit.status == session_status::cancelled || edit.status == session_status::postponed;
}

}  // namespace dgw::dialogue
