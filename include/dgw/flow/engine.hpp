#pragma once
/// The deterministic, sans-I/O conversation engine.
///
/// `step(definition, state, event, now)` returns the next state, the messages to send, the
/// effects to perform and the timers to arm. The same inputs always give the same outputs: the
/// engine reads no clock and does no I/O. The state is plain JSON that names the flow id and
/// version, so a stored conversation always continues on the version it started on.

#include "dgw/core/locality.hpp"
#include "dgw/core/reading.hpp"
#include "dgw/flow/definition.hpp"
#include "dgw/flow/events.hpp"
#include "dgw/flow/result.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::flow {

/// What the engine may consult while stepping. Pointers are borrowed for the call only.
struct step_context {
    /// Resolves `locality` answers; when null the free text is taken as the name, with no code.
    const core::locality_lookup* localities = nullptr;
    /// Reads citizens' free words (the flow's `understand` and a menu's `intents`); when null
    /// nothing is inferred and every question is asked.
    const core::message_reader* reader = nullptr;
    /// The session a concern would be filed to, shown by a review with `session`; when null
    /// the review says nothing about it.
    const core::session_preview* sessions = nullptr;
};

/// What a conversation starts with besides its flow.
struct start_input {
    /// The message that made the caller start it (a citizen's first words): it answers the
    /// first question when it can, instead of being thrown away.
    const event* first = nullptr;
    /// What the flow that started this one carried over (start_flow_effect::carry).
    nlohmann::json carry;
};

struct step_result {
    nlohmann::json state;
    std::vector<outbound_message> messages;
    std::vector<effect> effects;
    std::vector<timer_request> timers;  ///< the complete set to keep armed
    std::optional<expectation> expect;  ///< what the next citizen message should answer
    bool done = false;                  ///< the conversation is over
    /// Node ids the conversation entered during this step, in order (a node entered twice is
    /// listed twice): the "reached" counts of the flow editor's diagram.
    std::vector<std::string> reached;
    /// Node ids it moved on from during this step, in order. A node reached and not left is
    /// where the conversation waits, ended, or was abandoned (cancel, restart leaves it).
    std::vector<std::string> left;
    /// What was read from the citizen's words during this step (core::to_json of each
    /// message_reading), in order; empty when nothing was read.
    nlohmann::json inferred = nlohmann::json::array();
};

/// A new conversation on `def` in `lang` (the base language when `lang` is not in the flow):
/// runs from the start node to the first question.
step_result start(const definition& def, std::string_view lang, time_point now,
                  const step_context& ctx = {}, const start_input& input = {});

/// One event. Errors only when `state` is not a state of this flow and version, or is
/// malformed: the caller must look the definition up by `state_flow(state)`.
result<step_result> step(const definition& def, const nlohmann::json& state, const event& ev,
                         time_point now, const step_context& ctx = {});

/// The flow id and version a state belongs to, or nothing if it is not a flow state.
struct flow_ref {
    std::string id;
    int version = 0;
};
std::optional<flow_ref> state_flow(const nlohmann::json& state);

/// Every loaded version of every flow. Publishing a new version never replaces an old one, so
/// conversations started on it can finish; new conversations start on the highest version
/// (`latest`), which is why a publish or a roll back always adds a version above every other.
/// Thread-safe: versions may be added (an admin publishes) while other threads read.
class registry {
public:
    /// Adds a definition; false when that id and version is already present.
    bool add(std::shared_ptr<const definition> def);
    /// The exact version, for continuing a conversation.
    std::shared_ptr<const definition> find(std::string_view id, int version) const;
    /// The newest version, for starting one.
    std::shared_ptr<const definition> latest(std::string_view id) const;
    /// The definition a state belongs to.
    std::shared_ptr<const definition> for_state(const nlohmann::json& state) const;
    /// Every definition, by id then version.
    std::vector<std::shared_ptr<const definition>> all() const;

private:
    mutable std::shared_mutex mu_;
    std::map<std::string, std::map<int, std::shared_ptr<const definition>>, std::less<>> flows_;
};

}  // namespace dgw::flow
