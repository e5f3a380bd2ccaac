// dialogue-gateway: one binary, one subcommand per task. Each module's commands register
// themselves (app/commands.hpp); main parses, then runs the chosen one.

#include "app/commands.hpp"

#include <iostream>

int main(int argc, char** argv) {
    CLI::App root{"dialogue-gateway: citizens' concerns from chat apps to dialogue sessions"};
    root.require_subcommand(1);
    dgw::app::command_action action;
    dgw::app::add_serve_commands(root, action);
    dgw::app::add_flow_commands(root, action);
    dgw::app::add_dialogue_commands(root, action);
    dgw::app::add_store_commands(root, action);
    dgw::app::add_user_commands(root, action);
    try {
        root.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help exits 0; a usage error exits 2 (CLI11 returns its own codes; normalise them).
        int code = root.exit(e);
        return code == 0 ? 0 : 2;
    }
    if (!action) return 2;
    return action();
}
