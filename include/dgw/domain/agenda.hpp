#pragma once
/// A session's agenda as officials work it (issue 7 §3, issue 19 item 4): the automatic
/// grouping of dialogue::group_agenda, the concerns officials moved put into the group they
/// chose, and per group what happened at the meeting — raised or not, the answer given and
/// who gave it. One place for the agenda page, its exports, the live view, answers by group
/// and the minutes.

#include <dgw/store/store.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::domain {

struct agenda_entry {
    std::string key;  ///< the representative concern's reference, or the key concerns were moved to
    std::string name;  ///< the officials' name for it, or ""
    std::string topic;
    std::string representative;
    std::vector<std::string> refs;
    std::vector<std::string> communes;       ///< codes
    std::vector<std::string> commune_names;  ///< the same communes by name, for people
    std::size_t citizens = 0;
    std::size_t urgent = 0;
    std::size_t answered = 0;  ///< concerns of the group with an answer recorded
    std::string answer;        ///< the answer, when every answered concern has the same one
    std::optional<store::time_point> answered_at;  ///< the latest
    std::string answered_by;                       ///< the official who recorded the latest
    /// Who gave the latest answer at the meeting (name, office), when it was noted.
    std::string speaker;
    std::string speaker_office;
    /// Raised at the meeting: every concern of the group marked raised; when and by whom
    /// (the latest mark).
    bool raised = false;
    std::optional<store::time_point> raised_at;
    std::string raised_by;
    /// What the latest answer promised: "", "settled" or "assigned" (to `assigned_to` by
    /// `deadline`, promising `promise`), "closed" (with `followup_result`).
    std::string followup;
    std::string assigned_to;
    std::string deadline;
    std::string promise;
    std::string followup_result;
};

/// Who gave an answer at the meeting: a name and, when said, an office.
struct speaker {
    std::string name;
    std::string office;
};

/// The longest name or office a speaker may have, in bytes.
inline constexpr std::size_t max_speaker_bytes = 200;

/// Why `s` cannot be recorded ("name", "office": the field at fault), or nothing: a name is
/// needed when an office is given; each at most max_speaker_bytes.
std::optional<std::string> speaker_fault(const speaker& s);

/// The line an answer to a citizen ends with when its speaker was noted, in `lang` ("en",
/// else Vietnamese): "\n— Ông Lê Văn B, Phòng Tài nguyên và Môi trường"; "" when not noted.
std::string speaker_line(const speaker& s, std::string_view lang);

/// The agenda of `concerns` (one session's, those the reader may see) with officials' group
/// `names`, ranked: most citizens first, then urgent ones, then size.
std::vector<agenda_entry> build_agenda(const std::vector<store::concern>& concerns,
                                       const std::vector<store::agenda_name>& names);

}  // namespace dgw::domain
