// `schedule`, `locate` and `route`: the commands over config/dialogue.json (with --config, the
// schedule also takes the sessions admins added and the edits officials made, from the store).
// The work (building the schedule, resolving, routing, formatting) is done by the dialogue
// library, where it is unit-tested; this file only parses the command line, reads the files,
// the store and the clock, and prints.

#include <dgw/domain/schedule.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/format.hpp>
#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/dialogue/session_edits.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>

#include "app/commands.hpp"
#include "app/config_file.hpp"

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
    bool file_given = false;
    // schedule and route: a gateway config whose store adds the web app's changes
    std::string config;
    bool json = false;
    // schedule
    std::string from, to, level;
    // locate
    std::string text;
    // route
    std::string commune, topic, audience, at;
};

// The schedule's changes in the store of the gateway config `o.config` (none without one), and
// the dialogue file to read: --dialogue if given, else the one that config names.
struct store_changes {
    std::string dialogue_file;
    std::vector<dialogue::session_edit> edits;
    std::vector<dialogue::explicit_session> added;
};

std::optional<store_changes> read_changes(const dialogue_options& o) {
    store_changes out{o.file, {}, {}};
    if (o.config.empty()) return out;
    auto loaded = load_config_file(o.config);
    if (!o.file_given && loaded.problems.empty()) out.dialogue_file = loaded.config.dialogue_file;
    auto db = open_store(o.config);
    if (!db) return std::nullopt;
    try {
        out.edits = domain::edits_of(db->list_session_overrides());
        out.added = domain::added_of(db->list_added_sessions());
    } catch (const store::unavailable& e) {
        std::cerr << e.what() << "\n";
        return std::nullopt;
    }
    return out;
}

// A day of --from or --to: a date, or a time (ISO 8601, local, with a final Z or with an
// offset such as +07:00) taken as the day it is in the province.
std::optional<chr::year_month_day> parse_day(const std::string& text, chr::minutes offset) {
    if (auto d = dialogue::parse_date(text)) return d;
    if (text.size() <= 10) return std::nullopt;
    auto t = dialogue::parse_date_time(text, offset);
    if (!t) return std::nullopt;
    return dialogue::local_date(*t, offset);
}

int run_schedule(const dialogue_options& o) {
    auto changes = read_changes(o);
    if (!changes) return 1;
    auto config = read_dialogue(changes->dialogue_file);
    if (!config) return 1;
    const auto today = dialogue::local_date(chr::system_clock::now(), config->utc_offset);
    auto from = o.from.empty() ? std::optional(today) : parse_day(o.from, config->utc_offset);
    if (!from) {
        std::cerr << "--from: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+07:00], got "
                  << o.from << "\n";
        return 2;
    }
    auto to = o.to.empty()
                  ? std::optional(chr::year_month_day{chr::sys_days{*from} + chr::days{365}})
                  : parse_day(o.to, config->utc_offset);
    if (!to) {
        std::cerr << "--to: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][Z|+07:00], got " << o.to
                  << "\n";
        return 2;
    }
    if (!o.level.empty() && !config->find_level(o.level)) {
        std::cerr << "--level: unknown level " << o.level << "\n";
        return 2;
    }
    auto sessions = dialogue::apply_edits(
        dialogue::sessions_between(*config, *from, *to, o.level, changes->added), changes->edits);
    for (const auto& s : sessions)
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

int run_read(const dialogue_options& o) {
    auto config = read_dialogue(o.file);
    if (!config) return 1;
    const dialogue::concern_reader reader(*config);
    const auto reading = core::to_json(reader.read(o.text));
    std::cout << (o.json ? reading.dump() : reading.dump(2)) << "\n";
    return 0;
}

int run_route(const dialogue_options& o) {
    auto changes = read_changes(o);
    if (!changes) return 1;
    auto config = read_dialogue(changes->dialogue_file);
    if (!config) return 1;
    auto at = o.at.empty() ? std::optional(chr::system_clock::now())
                           : dialogue::parse_date_time(o.at, config->utc_offset);
    if (!at) {
        std::cerr << "--at: expected YYYY-MM-DD[THH:MM[:SS]][Z|+07:00], got " << o.at << "\n";
        return 2;
    }
    // As the worker files it: the schedule with the store's changes, when there is a store.
    dialogue::schedule_cache schedule(*config);
    schedule.set_edits(changes->edits);
    schedule.set_added(changes->added);
    auto routed = schedule.route({o.commune, o.topic, o.audience, *at});
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

std::unique_ptr<chat_dialogue> load_chat_dialogue(const std::string& path,
                                                  std::chrono::system_clock::time_point now) {
    auto config = read_dialogue(path);
    if (!config) return nullptr;
    auto d = std::make_unique<chat_dialogue>();
    d->config = std::move(*config);
    d->localities = std::make_unique<const dialogue::locality_resolver>(d->config);
    d->reader = std::make_unique<const dialogue::concern_reader>(d->config);
    d->schedule = std::make_unique<dialogue::schedule_cache>(d->config);
    d->sessions = std::make_unique<const dialogue::schedule_preview>(*d->schedule, now);
    return d;
}

void add_dialogue_commands(CLI::App& root, command_action& action) {
    static dialogue_options o;
    auto add_common = [](CLI::App* cmd) {
        cmd->add_option("--dialogue", o.file, "Dialogue configuration file")
            ->capture_default_str()
            ->each([](const std::string&) { o.file_given = true; });
        cmd->add_flag("--json", o.json, "One JSON object per line, for scripts");
    };
    auto add_store = [](CLI::App* cmd) {
        cmd->add_option("--config", o.config,
                        "A gateway config: its store's added sessions and edits count too, and "
                        "its dialogue file is read unless --dialogue is given");
    };

    auto* schedule = root.add_subcommand("schedule", "List dialogue sessions in a date range");
    schedule->add_option("--from", o.from,
                         "First day, YYYY-MM-DD, or an ISO 8601 time (its day in UTC+7) such as "
                         "2026-11-02T09:00:00+07:00 (default: today, UTC+7)");
    schedule->add_option("--to", o.to,
                         "Last day, as --from (default: a year after --from)");
    schedule->add_option("--level", o.level, "Only this level (province, commune, agency, ...)");
    add_common(schedule);
    add_store(schedule);
    schedule->callback([&action] { action = [] { return run_schedule(o); }; });

    auto* locate = root.add_subcommand("locate", "Find the commune a text names (old names too)");
    locate->add_option("text", o.text, "What the citizen typed")->required();
    add_common(locate);
    locate->callback([&action] { action = [] { return run_locate(o); }; });

    auto* read = root.add_subcommand(
        "read", "What the gateway reads in a citizen's message: topic, commune, urgency, intent");
    read->add_option("text", o.text, "What the citizen typed")->required();
    add_common(read);
    read->callback([&action] { action = [] { return run_read(o); }; });

    auto* route = root.add_subcommand("route", "The session a concern goes to, and why");
    route->add_option("--commune", o.commune, "Official commune code, e.g. 02683")->required();
    route->add_option("--topic", o.topic, "Topic id, e.g. roads")->required();
    route->add_option("--audience", o.audience, "Audience id, e.g. students_teachers");
    route->add_option(
        "--at", o.at,
        "Received at: local YYYY-MM-DD[THH:MM[:SS]], UTC with a final Z, or with an ISO 8601 "
        "offset such as 2026-11-02T09:00:00+07:00 (default: now)");
    add_common(route);
    add_store(route);
    route->callback([&action] { action = [] { return run_route(o); }; });
}

}  // namespace dgw::app
