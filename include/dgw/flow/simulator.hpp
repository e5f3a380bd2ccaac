#pragma once
/// The terminal simulator behind `dialogue-gateway chat`: one citizen message per input line,
/// the bot's replies printed, effects performed by a fake that says it is simulated. It runs
/// the same engine as the server; it only reads and writes the streams it is given.

#include "dgw/core/locality.hpp"
#include "dgw/core/reading.hpp"
#include "dgw/flow/definition.hpp"
#include "dgw/flow/engine.hpp"
#include "dgw/flow/events.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::flow {

struct simulator_options {
    std::string lang = "vi";
    /// One JSON object per line (after the start and after each citizen line) instead of text.
    bool json = false;
    /// Resolves communes; when null, the free text is taken as the name with no code, and the
    /// simulated receipt says so.
    const core::locality_lookup* localities = nullptr;
    /// Reads the citizen's words (intent, topic, commune, urgency), as the gateway does; when
    /// null nothing is inferred.
    const core::message_reader* reader = nullptr;
    /// Where a concern would be heard, for reviews that show it; may be null.
    const core::session_preview* sessions = nullptr;
    /// Finds another flow by id, for `end` nodes that start one (the menu). May be empty.
    std::function<std::shared_ptr<const definition>(const std::string&)> find_flow;
    /// The time the conversation runs at; timers fire only on "/wait".
    time_point now{};
};

/// A typed line as the event a channel would produce:
/// "/location 22.48 103.97", "/photo [ref ...]", "/contact 0912345678", "/button ID";
/// anything else is text. "/wait" is not an event: the simulator handles it. Nothing for a
/// malformed command, which the simulator reports.
std::optional<event> parse_line(std::string_view line);

/// The JSON line printed in --json mode for one step (documented in flows/README.md);
/// `inferred` lists what was read from the citizen's words during the step.
nlohmann::ordered_json to_json(const std::vector<outbound_message>& messages,
                               const std::optional<expectation>& expect,
                               const nlohmann::json& effects, bool done,
                               const nlohmann::json& inferred = nlohmann::json::array());

/// Runs a conversation on `def` until the input ends or the conversation is over. As on every
/// channel, the citizen writes first: the conversation starts with the first input line, which
/// the flow reads (a line is printed at the start all the same, with no messages). Returns the
/// process exit code: 0 normally, 1 when the engine reported an error.
int run_simulator(std::shared_ptr<const definition> def, std::istream& in, std::ostream& out,
                  const simulator_options& options);

}  // namespace dgw::flow
