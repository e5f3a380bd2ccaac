#pragma once
/// Concerns and the dialogue sessions they go to: filing, officials' work on them, the
/// schedule's edits, agenda names, reminders, follow-up and citizens' verdicts.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class concern_store {
public:
    virtual ~concern_store() = default;

    virtual bool concern_ref_exists(const std::string& ref) = 0;
    virtual std::optional<concern> find_concern(const std::string& ref) = 0;
    /// Answered concerns assigned to an office whose deadline ("YYYY-MM-DD") is before
    /// `before_day`, still open: to be carried to the next session.
    virtual std::vector<concern> overdue_followups(const std::string& before_day) = 0;
    /// The concern of `contact_id` whose answer awaits their verdict: answered at or after
    /// `since` and no verdict yet (the latest answered, when several are).
    virtual std::optional<concern> awaiting_verdict(std::int64_t contact_id, time_point since) = 0;
    /// Records a citizen's verdict ("satisfied" or "unsatisfied") on an answered concern; false
    /// when it has one already (a redelivered message records nothing twice).
    virtual bool record_verdict(const std::string& ref, const std::string& verdict,
                                const std::string& reason, time_point at) = 0;
    virtual std::vector<concern> list_concerns(const std::string& session_id,
                                               std::size_t limit) = 0;
    /// Concerns matching `f` and `keep` (a predicate for what SQL cannot do: scope, folded
    /// text search), oldest first: `limit` of them after skipping `offset`, and the total.
    virtual concern_page search_concerns(const concern_filter& f,
                                         const std::function<bool(const concern&)>& keep,
                                         std::size_t offset, std::size_t limit) = 0;
    /// Writes the fields officials change: status, session, route reason, answer, assignee,
    /// merged_into, agenda_group, updated_at, the topic, commune and answers they correct, and
    /// the follow-up of the answer.
    virtual void update_concern(const concern& c) = 0;
    /// Concerns per session id.
    virtual std::map<std::string, std::size_t> count_concerns_by_session() = 0;
    virtual std::vector<session_override> list_session_overrides() = 0;
    /// Inserts or replaces the override of its session.
    virtual void put_session_override(const session_override& o) = 0;
    /// The citizens with concerns scheduled to `session_id` who were not reminded of it yet.
    virtual std::vector<to_remind> citizens_to_remind(const std::string& session_id) = 0;
    /// Notes them reminded of `session_id` (each once: a later call for the same changes
    /// nothing), in the caller's transaction with the reminders queued.
    virtual void mark_reminded(const std::string& session_id,
                               const std::vector<std::int64_t>& contact_ids, time_point at) = 0;
    /// The sessions admins added, by id.
    virtual std::vector<added_session> list_added_sessions() = 0;
    /// Inserts; false (and no change) when the id is taken.
    virtual bool add_session(const added_session& s) = 0;
    virtual std::vector<agenda_name> list_agenda_names(const std::string& session_id) = 0;
    virtual void put_agenda_name(const agenda_name& n) = 0;
    /// Deletes the session admins added as `id`, and officials' edits of it, when no concern is
    /// filed to it (whatever the concern's status): true when it was deleted; false, changing
    /// nothing, when no session was added as `id` or a concern is filed to it. `at`: when (the
    /// session.changed event of other systems).
    virtual bool delete_added_session(const std::string& id, time_point at) = 0;
};

}  // namespace dgw::store
