#pragma once
// Subcommands of the one `dialogue-gateway` binary. Each module's commands live in their own
// file and register themselves on the root CLI11 app; main() runs whichever was parsed.

#include <dgw/core/locality.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/store/store.hpp>

#include <CLI/CLI.hpp>

#include <chrono>
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
void add_store_commands(CLI::App& root, command_action& action);     // concerns, messages, backup
void add_user_commands(CLI::App& root, command_action& action);  // users …, apikeys add, list, revoke

/// The store named by a gateway config file, or null (after printing why to stderr).
std::unique_ptr<store::store> open_store(const std::string& config_path);

/// Reads and validates a dialogue file; prints every problem and returns nothing on failure.
std::optional<dialogue::dialogue_config> read_dialogue(const std::string& path);

/// What `chat` needs from a dialogue config file to talk as the gateway does: the commune
/// resolver, the message reader and the schedule (the config's, without a store's edits).
struct chat_dialogue {
    dialogue::dialogue_config config;
    std::unique_ptr<const dialogue::locality_resolver> localities;
    std::unique_ptr<const dialogue::concern_reader> reader;
    std::unique_ptr<dialogue::schedule_cache> schedule;  // refers to `config`: not movable
    std::unique_ptr<const dialogue::schedule_preview> sessions;
};

/// Loads it at `now`, or null (after printing the problems to stderr) when the file is missing
/// or invalid.
std::unique_ptr<chat_dialogue> load_chat_dialogue(const std::string& path,
                                                  std::chrono::system_clock::time_point now);

}  // namespace dgw::app
