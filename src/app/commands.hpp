#pragma once
// Subcommands of the one `dialogue-gateway` binary. Each module's commands live in their own
// file and register themselves on the root CLI11 app; main() runs whichever was parsed.

#include <dgw/core/locality.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace dgw::app {

/// Set by the parsed subcommand's callback; returns the process exit code.
using command_action = std::function<int()>;

void add_serve_commands(CLI::App& root, command_action& action);  // serve, check, version
void add_flow_commands(CLI::App& root, command_action& action);   // flows check, chat
void add_dialogue_commands(CLI::App& root, command_action& action);  // schedule, locate, route
void add_store_commands(CLI::App& root, command_action& action);     // concerns, messages
void add_user_commands(CLI::App& root, command_action& action);      // users add, token, list

/// The store named by a gateway config file, or null (after printing why to stderr).
std::unique_ptr<store::store> open_store(const std::string& config_path);

/// Reads and validates a dialogue file; prints every problem and returns nothing on failure.
std::optional<dialogue::dialogue_config> read_dialogue(const std::string& path);

/// The commune resolver built from a dialogue config file, or null (after printing the
/// problems to stderr) when the file is missing or invalid.
std::shared_ptr<const core::locality_lookup> load_dialogue_localities(const std::string& path);

}  // namespace dgw::app
