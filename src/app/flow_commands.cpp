// `flows check` and `chat`: the commands that read flow files. The files are read by
// flow_files (check_flows, load_flow_file) and the conversation is run by the flow library
// (run_simulator), each unit-tested there; this file only parses the command line and passes
// in the streams, the clock and the flow lookup.

#include "app/commands.hpp"
#include "app/flow_files.hpp"

#include <dgw/flow/definition.hpp>
#include <dgw/flow/simulator.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace dgw::app {
namespace {

int run_flows_check(const std::vector<std::string>& args) {
    std::vector<std::filesystem::path> paths(args.begin(), args.end());
    if (paths.empty()) paths.emplace_back("flows");
    return check_flows(paths, std::cout);
}

int run_chat(const std::string& file, const std::string& lang, bool json,
             const std::string& dialogue_file) {
    auto loaded = load_flow_file(file);
    if (!loaded.flow) {
        for (const auto& p : loaded.problems)
            std::cerr << file << ": " << core::to_string(p) << "\n";
        return 1;
    }
    flow::simulator_options options;
    options.lang = lang;
    options.json = json;
    options.now = std::chrono::system_clock::now();
    // Words are read and communes resolved exactly as the gateway does (module dialogue: topic
    // words, new and former names, urgent words), and the review shows the session the config's
    // schedule gives.
    auto dialogue = load_chat_dialogue(dialogue_file, options.now);
    if (!dialogue) return 1;
    options.localities = dialogue->localities.get();
    options.reader = dialogue->reader.get();
    options.sessions = dialogue->sessions.get();
    // The menu starts other flows: look for them next to the one being simulated.
    const std::filesystem::path dir = std::filesystem::path(file).parent_path();
    options.find_flow = [dir](const std::string& id) -> std::shared_ptr<const flow::definition> {
        return load_flow_file(dir / (id + ".json")).flow;
    };
    return flow::run_simulator(loaded.flow, std::cin, std::cout, options);
}

}  // namespace

void add_flow_commands(CLI::App& root, command_action& action) {
    static std::vector<std::string> check_paths;
    static std::string chat_flow;
    static std::string chat_lang = "vi";
    static bool chat_json = false;
    static std::string chat_dialogue = "config/dialogue.json";

    auto* flows = root.add_subcommand("flows", "Work with conversation flows");
    flows->require_subcommand(1);
    auto* check = flows->add_subcommand("check", "Validate flow files; print every problem");
    check->add_option("paths", check_paths, "Flow files or directories (default: flows)");
    check->callback([&action] { action = [] { return run_flows_check(check_paths); }; });

    auto* chat = root.add_subcommand("chat", "Talk to a flow in the terminal, one message a line");
    chat->add_option("--flow", chat_flow, "Flow file")->required()->check(CLI::ExistingFile);
    chat->add_option("--lang", chat_lang, "Language to start in")
        ->check(CLI::IsMember({"vi", "en"}))
        ->capture_default_str();
    chat->add_flag("--json", chat_json, "Print one JSON object per step, for scripts");
    chat->add_option("--dialogue", chat_dialogue, "Dialogue configuration (communes)")
        ->capture_default_str();
    chat->callback([&action] {
        action = [] { return run_chat(chat_flow, chat_lang, chat_json, chat_dialogue); };
    });
}

}  // namespace dgw::app
