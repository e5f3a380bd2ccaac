#include <dgw/domain/agenda.hpp>

#include <dgw/dialogue/agenda.hpp>

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <tuple>

namespace dgw::domain {
namespace {

// What the meeting did with the group, from its concerns: answered (the same answer for all,
// or none shown), the latest answer's speaker and follow-up, raised when every concern was.
void gather(agenda_entry& g, const std::map<std::string, const store::concern*>& by_ref) {
    std::set<std::string> communes;
    std::set<std::int64_t> citizens;
    std::size_t raised = 0;
    for (const auto& ref : g.refs) {
        const auto& c = *by_ref.at(ref);
        communes.insert(c.commune_code);
        citizens.insert(c.contact_id);
        if (c.urgent) ++g.urgent;
        if (c.raised_at) {
            ++raised;
            if (!g.raised_at || *c.raised_at > *g.raised_at) {
                g.raised_at = c.raised_at;
                g.raised_by = c.raised_by;
            }
        }
        if (c.status != core::concern_status::answered || !c.answered_at) continue;
        if (g.answered++ == 0 || c.answer == g.answer)
            g.answer = c.answer;
        else
            g.answer.clear();  // answered differently: shown per concern
        if (!g.answered_at || *c.answered_at > *g.answered_at) {
            g.answered_at = c.answered_at;
            g.answered_by = c.answered_by;
            g.speaker = c.speaker;
            g.speaker_office = c.speaker_office;
            g.followup = c.followup;
            g.assigned_to = c.assigned_to;
            g.deadline = c.deadline;
            g.promise = c.promise;
            g.followup_result = c.followup_result;
        }
    }
    g.raised = !g.refs.empty() && raised == g.refs.size();
    if (!g.raised) {
        g.raised_at.reset();
        g.raised_by.clear();
    }
    g.communes.assign(communes.begin(), communes.end());
    g.citizens = citizens.size();
}

}  // namespace

std::optional<std::string> speaker_fault(const speaker& s) {
    const auto blank = [](const std::string& t) { return t.find_first_not_of(" \t\r\n") == std::string::npos; };
    if (s.name.size() > max_speaker_bytes || (blank(s.name) && !s.name.empty())) return "name";
    if (s.office.size() > max_speaker_bytes) return "office";
    if (s.name.empty() && !s.office.empty()) return "name";
    return std::nullopt;
}

std::string speaker_line(const speaker& s, std::string_view lang) {
    if (s.name.empty()) return {};
    const std::string who = s.office.empty() ? s.name : s.name + ", " + s.office;
    return (lang == "en" ? "\n(Answered by " : "\n(Người trả lời: ") + who + ")";
}

std::vector<agenda_entry> build_agenda(const std::vector<store::concern>& concerns,
                                       const std::vector<store::agenda_name>& names) {
    std::vector<dialogue::agenda_item> automatic;
    std::map<std::string, const store::concern*> by_ref;
    std::map<std::string, std::string> commune_names;  // code -> name, from any concern
    for (const auto& c : concerns) {
        by_ref[c.ref] = &c;
        if (!c.commune_name.empty()) commune_names.try_emplace(c.commune_code, c.commune_name);
        if (!c.agenda_group.empty()) continue;
        // Anonymous concerns still come from one chat account: count the account.
        automatic.push_back(
            {c.ref, std::to_string(c.contact_id), c.topic, c.commune_code, c.text, c.urgent});
    }
    std::vector<agenda_entry> groups;
    for (const auto& g : dialogue::group_agenda(automatic)) {
        agenda_entry v;
        v.key = g.representative_id;
        v.topic = g.topic;
        v.representative = g.representative;
        v.refs = g.concern_ids;
        groups.push_back(std::move(v));
    }
    for (const auto& c : concerns) {
        if (c.agenda_group.empty()) continue;
        auto it = std::find_if(groups.begin(), groups.end(),
                               [&](const agenda_entry& g) { return g.key == c.agenda_group; });
        if (it == groups.end()) {
            agenda_entry v;
            v.key = c.agenda_group;
            v.topic = c.topic;
            v.representative = c.text;
            groups.push_back(std::move(v));
            it = std::prev(groups.end());
        }
        it->refs.push_back(c.ref);
    }
    for (auto& g : groups) {
        gather(g, by_ref);
        for (const auto& code : g.communes) {
            auto named = commune_names.find(code);
            g.commune_names.push_back(named != commune_names.end() ? named->second : code);
        }
        for (const auto& n : names)
            if (n.group == g.key) g.name = n.name;
    }
    std::stable_sort(groups.begin(), groups.end(), [](const agenda_entry& a, const agenda_entry& b) {
        return std::tuple(b.citizens, b.urgent, b.refs.size(), a.topic, a.representative) <
               std::tuple(a.citizens, a.urgent, a.refs.size(), b.topic, b.representative);
    });
    return groups;
}

}  // namespace dgw::domain
