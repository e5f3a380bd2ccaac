#pragma once
/// What other systems are told, through the signed event webhooks (issue 22 item 3): which
/// change makes which event, what an event carries, and to which hooks it goes. The store calls
/// this as its event sink (store::event_sink) inside the transaction of each change; the
/// sender delivers the rows (channels::event_hook signs them).
///
/// An event's outbox row: channel "hook:<name>"; user_id the concern's reference, or
/// "session:<id>" (the sender sends one message per (channel, user_id) at a time, in id order,
/// so each concern's events, and each session's, reach a receiver in the order they happened);
/// contact_id the concern's citizen (0 for a session: an erasure removes what the event says
/// of them, and the citizen's message log shows it); kind "event"; payload {"type",
/// "occurred_at", "data"}.
///
/// `data` of a concern: ref, status, topic, commune (code, name), source, urgent, session (id,
/// label), created_at, updated_at; the answer, who it was assigned to and by when, once there
/// is one; merged_into when merged; `previous` (status, session_id) for concern.status. With
/// `personal_data` only: `citizen` (the citizen's own words, name and phone as given with
/// consent, whether anonymous, their channel and location). A session's `data`: its id, the
/// change ("added", "edited", "deleted") and the new values.

#include <dgw/core/event_type.hpp>
#include <dgw/store/records.hpp>

#include <set>
#include <string>
#include <vector>

namespace dgw::domain {

/// One system told of events (config outbound_hooks[]).
struct hook {
    std::string name;  ///< its outbox channel is "hook:<name>"
    std::set<core::event_type> events;
    bool personal_data = false;  ///< whether events carry the citizen's words and details
};

/// The outbox channel of hook `name`.
std::string hook_channel(std::string_view name);

/// The data of concern `c` in an event, with the citizen's details only when `personal_data`.
nlohmann::json concern_data(const store::concern& c, bool personal_data);

class event_hooks final : public store::event_sink {
public:
    explicit event_hooks(std::vector<hook> hooks);

    std::vector<store::outbox_message> filed(const store::concern& c) const override;
    /// concern.status when its status or session changed; concern.answered when its answer
    /// changed to one that is not empty (both, in that order, when an answer closes it).
    std::vector<store::outbox_message> changed(const store::concern& before,
                                               const store::concern& after) const override;
    std::vector<store::outbox_message> session_changed(const store::session_change& s) const override;

private:
    std::vector<hook> hooks_;
    // One row per hook that wants `type`; `data` given the hook's personal_data.
    template <class Data>
    std::vector<store::outbox_message> rows(core::event_type type, const std::string& key,
                                            std::int64_t contact_id, store::time_point at,
                                            const Data& data) const;
};

}  // namespace dgw::domain
