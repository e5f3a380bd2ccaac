// `concerns` and `messages`: operators' views of the store, and `backup`: a consistent copy of
// it — all safe to run next to a serving gateway (SQLite in WAL mode lets readers in while it
// writes).

#include "app/commands.hpp"
#include "app/config_file.hpp"
#include "app/configured_store.hpp"

#include <dgw/api/message_log.hpp>
#include <dgw/core/time_text.hpp>
#include <dgw/store/postgres_store.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <nlohmann/json.hpp>

#include <iostream>

namespace dgw::app {
namespace {

int run_concerns(const std::string& config_path, const std::string& session, std::size_t limit,
                 bool json) {
    auto db = open_store(config_path);
    if (!db) return 1;
    for (const auto& c : db->list_concerns(session, limit)) {
        if (json) {
            nlohmann::json j = {{"ref", c.ref},         {"status", c.status},
                                {"topic", c.topic},     {"commune_code", c.commune_code},
                                {"commune", c.commune_name}, {"session", c.session_id},
                                {"urgent", c.urgent},   {"anonymous", c.anonymous},
                                {"channel", c.channel},
                                {"created_at", core::utc_text(c.created_at)},
                                {"text", c.text},       {"route_reason", c.route_reason}};
            std::cout << j.dump() << "\n";
        } else {
            std::cout << c.ref << "  " << core::to_string(c.status) << "  " << c.session_id << "  " << c.topic
                      << "  " << c.commune_name << (c.urgent ? "  URGENT" : "") << "\n    "
                      << c.text << "\n";
        }
    }
    return 0;
}

int run_messages(const std::string& config_path, std::optional<std::int64_t> contact,
                 std::size_t limit, bool json) {
    auto db = open_store(config_path);
    if (!db) return 1;
    for (const auto& j : api::message_log(*db, contact, limit)) {
        if (json) {
            std::cout << j.dump() << "\n";
        } else {
            std::cout << j["at"].get<std::string>() << "  " << (j["direction"] == "in" ? "<-" : "->")
                      << "  " << j["channel"].get<std::string>() << ":"
                      << j["user_id"].get<std::string>() << "  "
                      << (j.contains("status") ? j["status"].get<std::string>() + "  " : "")
                      << j.value("text", j["kind"].get<std::string>())
                      << (j.contains("error") ? "  (" + j["error"].get<std::string>() + ")" : "")
                      << "\n";
        }
    }
    return 0;
}

int run_backup(const std::string& config_path, const std::string& to) {
    auto loaded = load_config_file(config_path);
    if (!loaded.problems.empty()) {
        for (const auto& p : loaded.problems)
            std::cerr << config_path << ": " << core::to_string(p) << "\n";
        return 1;
    }
    if (loaded.config.store.on_postgres()) {
        std::cerr << "backup: the store is on PostgreSQL: back it up with pg_dump (README, "
                     "\"Backups\")\n";
        return 1;
    }
    const auto& from = loaded.config.store.sqlite_path;
    try {
        const auto r = store::backup_sqlite(from, to);
        std::cout << "backed up " << from << " to " << to << ": " << r.pages << " pages, " << r.bytes
                  << " bytes, schema version " << r.schema_version << ", integrity checked\n";
        return 0;
    } catch (const store::unavailable& e) {
        std::cerr << "backup: " << e.what() << "\n";
        return 1;
    }
}

// `migrate --from sqlite:PATH --to postgres:URL`. The URL may hold a password: it is never
// printed (errors name host, port and database).
int run_migrate(const std::string& from, const std::string& to) {
    constexpr std::string_view sqlite_prefix = "sqlite:";
    constexpr std::string_view postgres_prefix = "postgres:";
    if (!from.starts_with(sqlite_prefix) || from.size() == sqlite_prefix.size() ||
        !to.starts_with(postgres_prefix) || to.size() == postgres_prefix.size()) {
        std::cerr << "migrate: give --from sqlite:PATH --to postgres:URL\n";
        return 2;
    }
    try {
        const auto r = store::copy_sqlite_to_postgres(from.substr(sqlite_prefix.size()),
                                                      to.substr(postgres_prefix.size()));
        for (const auto& [table, rows] : r.tables) std::cout << table << "\t" << rows << "\n";
        std::cout << "copied " << r.rows << " rows in " << r.tables.size()
                  << " tables; every count checked\n";
        return 0;
    } catch (const store::unavailable& e) {
        std::cerr << "migrate: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace

std::unique_ptr<store::store> open_store(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (!loaded.problems.empty()) {
        for (const auto& p : loaded.problems)
            std::cerr << config_path << ": " << core::to_string(p) << "\n";
        return nullptr;
    }
    try {
        return open_configured_store(loaded.config.store, false);
    } catch (const store::unavailable& e) {
        std::cerr << e.what() << "\n";
        return nullptr;
    }
}

void add_store_commands(CLI::App& root, command_action& action) {
    static std::string config_path = "config/gateway.json";
    static std::string session;
    static std::int64_t contact = 0;
    static std::size_t limit = 100;
    static bool json = false;

    auto* concerns = root.add_subcommand("concerns", "List filed concerns (newest last)");
    concerns->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    concerns->add_option("--session", session, "Only this dialogue session id");
    concerns->add_option("--limit", limit, "At most this many")->capture_default_str();
    concerns->add_flag("--json", json, "One JSON object per line");
    concerns->callback([&action] {
        action = [] { return run_concerns(config_path, session, limit, json); };
    });

    static std::string backup_to;
    auto* backup = root.add_subcommand(
        "backup", "Copy the SQLite store consistently, while the gateway runs, into a new file");
    backup->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    backup->add_option("--to", backup_to, "The new file to write (refused if it exists)")->required();
    backup->callback([&action] { action = [] { return run_backup(config_path, backup_to); }; });

    static std::string migrate_from;
    static std::string migrate_to;
    auto* migrate = root.add_subcommand(
        "migrate", "Move a stopped gateway's SQLite store into a new PostgreSQL database");
    migrate->add_option("--from", migrate_from, "sqlite:PATH")->required();
    migrate->add_option("--to", migrate_to, "postgres:URL (a new, empty database)")->required();
    migrate->callback([&action] { action = [] { return run_migrate(migrate_from, migrate_to); }; });

    auto* messages = root.add_subcommand("messages", "The message log: inbound and outbound");
    messages->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    auto* c = messages->add_option("--contact", contact, "Only this contact id");
    messages->add_option("--limit", limit, "At most this many")->capture_default_str();
    messages->add_flag("--json", json, "One JSON object per line");
    messages->callback([&action, c] {
        std::optional<std::int64_t> who;
        if (c->count() > 0) who = contact;
        action = [who] { return run_messages(config_path, who, limit, json); };
    });
}

}  // namespace dgw::app
