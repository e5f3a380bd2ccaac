// `schedule`, `locate` and `route`: the commands over config/dialogue.json. The work (building
// the schedule, resolving, routing, formatting) is done by the dialogue library, where it is
// unit-tested; this file only parses the command line, reads the file and the clock, and prints.

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/format.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/schedule.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "app/commands.hpp"

namespace dgw::app {

std::optional<dialogue::dialogue_config> read_dialogue(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << path << ": cannot open\n";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::vector<core::problem> problems;
    auto config = dialogue::load_text(text.str(), problems);
    if (!problems.empty()) {
        for (const auto& p : problems) std::cerr << path << ": " << core::to_string(p) << "\n";
        return std::nullopt;
    }
    return config;
}

namespace {

namespace chr = std::chrono;

struct dialogue_options {
    std::string file = "config/dialogue.json";
    bool json = false;
    // schedule
    std::string from, to, level;
    // locate
    std::string text;
    // route
    std::string commune, topic, audience, at;
};

int run_schedule(const dialogue_options& o) {
    auto config = read_dialogue(o.file);
    if (!config) return 1;
    const auto today = dialogue::local_date(chr::system_clock::now(), config->utc_offset);
    auto from = o.from.empty() ? std::optional(today) : dialogue::parse_date(o.from);
    if (!from) {
        std::cerr << "--from: expected YYYY-MM-DD, got " << o.from << "\n";
        return 2;
    }
    auto to = o.to.empty()
                  ? std::optional(chr::year_month_day{chr::sys_days{*from} + chr::days{365}})
                  : dialogue::parse_date(o.to);
    if (!to) {
        std::cerr << "--to: expected YYYY-MM-DD, got " << o.to << "\n";
        return 2;
    }
    if (!o.level.empty() && !config->find_level(o.level)) {
        std::cerr << "--level: unknown level " << o.level << "\n";
        return 2;
    }
    for (const auto& s : dialogue::sessions_between(*config, *from, *to, o.level))
        std::cout << (o.json ? dialogue::to_json(s).dump() : dialogue::to_text(s)) << "\n";
    return 0;
}

int run_locate(const dialogue_options& o) {
    auto config = read_dialogue(o.file);
    if (!config) return 1;
    const dialogue::locality_resolver resolver(*config);
    const auto result = resolver.resolve(o.text);
    std::cout << (o.json ? dialogue::to_json(result).dump() : dialogue::to_text(result)) << "\n";
    return result.candidates.empty() ? 3 : 0;
}

int run_route(const dialogue_options& o) {
    auto config = read_dialogue(o.file);
    if (!config) return 1;
    auto at = o.at.empty() ? std::optional(chr::system_clock::now())
                           : dialogue::parse_date_time(o.at, config->utc_offset);
    if (!at) {
        std::cerr << "--at: expected YYYY-MM-DD[THH:MM[:SS]][Z], got " << o.at << "\n";
        return 2;
    }
    auto routed = dialogue::route(*config, {o.commune, o.topic, o.audience, *at});
    if (!routed) {
        std::cerr << routed.error().message << "\n";
        return 2;
    }
    std::cout << (o.json ? dialogue::to_json(routed.value()).dump()
                         : dialogue::to_text(routed.value()))
              << "\n";
    return 0;
}

}  // namespace

std::shared_ptr<const core::locality_lookup> load_dialogue_localities(const std::string& path) {
    auto config = read_dialogue(path);
    if (!config) return nullptr;
    return std::make_shared<const dialogue::locality_resolver>(*config);
}

void add_dialogue_commands(CLI::App& root, command_action& action) {
    static dialogue_options o;
    auto add_common = [](CLI::App* cmd) {
        cmd->add_option("--dialogue", o.file, "Dialogue configuration file")->capture_default_str();
        cmd->add_flag("--json", o.json, "One JSON object per line, for scripts");
    };

    auto* schedule = root.add_subcommand("schedule", "List dialogue sessions in a date range");
    schedule->add_option("--from", o.from, "First day, YYYY-MM-DD (default: today, UTC+7)");
    schedule->add_option("--to", o.to, "Last day, YYYY-MM-DD (default: a year after --from)");
    schedule->add_option("--level", o.level, "Only this level (province, commune, agency, ...)");
    add_common(schedule);
    schedule->callback([&action] { action = [] { return run_schedule(o); }; });

    auto* locate = root.add_subcommand("locate", "Find the commune a text names (old names too)");
    locate->add_option("text", o.text, "What the citizen typed")->required();
    add_common(locate);
    locate->callback([&action] { action = [] { return run_locate(o); }; });

    auto* route = root.add_subcommand("route", "The session a concern goes to, and why");
    route->add_option("--commune", o.commune, "Official commune code, e.g. 02683")->required();
    route->add_option("--topic", o.topic, "Topic id, e.g. roads")->required();
    route->add_option("--audience", o.audience, "Audience id, e.g. students_teachers");
    route->add_option(
        "--at", o.at,
        "Received at: local YYYY-MM-DD[THH:MM], or UTC with a final Z (default: now)");
    add_common(route);
    route->callback([&action] { action = [] { return run_route(o); }; });
}

}  // namespace dgw::app
