#pragma once
/// What a change to the schedule does to the concerns filed to it (DESIGN.md, the `domain`
/// module: re-route after a session edit or an added session, once): which concerns routing now
/// sends elsewhere, and the notices telling their citizens where they are heard. The API's
/// session endpoints decide who may change what and answer; the rules live here.

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/store/store.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::domain {

/// Concerns a change to the schedule moves, each with the session it leaves (the concern as it
/// is now: its new session, or unscheduled), and the notices to their citizens.
struct session_moves {
    std::vector<std::pair<std::string, store::concern>> moved;
    std::vector<store::outbox_message> notices;
};

/// An edit officials made to session `edited` (its override was `before` and is now `after`;
/// `overrides` holds every session's, `after` among them): routing over the edited schedule, as
/// at filing, moves the concerns scheduled to it when it is cancelled or postponed without a
/// date; the citizens of those that stay are told the date and place when officials set or
/// changed them. `link` is the address citizens read more at, "{ref}" standing for their
/// reference. Reads the store; writes nothing (store_moves does).
session_moves after_session_edit(store::store& s, const dialogue::dialogue_config& cfg,
                                 const std::vector<store::added_session>& added,
                                 const std::vector<store::session_override>& overrides,
                                 const dialogue::session& edited,
                                 const store::session_override& before,
                                 const store::session_override& after, std::string_view link,
                                 store::time_point now);

/// The concerns scheduled to a later session that routing, as at filing, now sends to session
/// `id` an admin added (`added` holds it), and the notices telling their citizens. A concern on
/// a session already past its cut-off stays there even when routing would pick `id`. Reads the
/// store; writes nothing.
session_moves to_added_session(store::store& s, const dialogue::dialogue_config& cfg,
                               const std::vector<store::added_session>& added,
                               const std::string& id, std::string_view link,
                               store::time_point now);

/// Stores the moved concerns and queues the notices, inside the caller's transaction (which
/// also records who made the change).
void store_moves(store::store& s, session_moves& m);

}  // namespace dgw::domain
