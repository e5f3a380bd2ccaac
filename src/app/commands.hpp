#pragma once
// Subcommands of the one `dialogue-gateway` binary. Each module's commands live in their own
// file and register themselves on the root CLI11 app; main() runs whichever was parsed.

#include <CLI/CLI.hpp>

#include <functional>

namespace dgw::app {

/// Set by the parsed subcommand's callback; returns the process exit code.
using command_action = std::function<int()>;

void add_serve_commands(CLI::App& root, command_action& action);  // serve, check, version
void add_flow_commands(CLI::App& root, command_action& action);   // flows check, chat
void add_dialogue_commands(CLI::App& root, command_action& action);  // schedule, locate, route

}  // namespace dgw::app
