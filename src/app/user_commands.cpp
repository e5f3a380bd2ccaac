// `users add|token|password|disable|enable|list`: accounts of officials and admins; `apikeys
// add|list|revoke`: the client systems that file concerns through Open311. Straight on the
// store (safe next to a serving gateway: SQLite in WAL mode). Secrets are printed once, on
// stdout, and never logged.

#include "app/commands.hpp"
#include "app/config_file.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/api/api_keys.hpp>
#include <dgw/core/time_text.hpp>

#include <cstdlib>
#include <iostream>
#include <sstream>

namespace dgw::app {
namespace {

struct user_options {
    std::string config = "config/gateway.json";
    std::string name;
    std::string role;
    std::string scope;  // comma-separated
};

std::vector<std::string> split_scope(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// The dialogue config, to refuse scope entries nobody recognises (an official who would see
// nothing); only read when there is a scope to check.
std::optional<dialogue::dialogue_config> dialogue_for(const std::string& config_path,
                                                      const std::vector<std::string>& scope) {
    if (scope.empty()) return std::nullopt;
    return read_dialogue(load_config_file(config_path).config.dialogue_file);
}

int run_add(const user_options& o) {
    auto scope = split_scope(o.scope);
    auto dialogue = dialogue_for(o.config, scope);
    if (!scope.empty() && !dialogue) return 1;
    auto db = open_store(o.config);
    if (!db) return 1;
    const dialogue::dialogue_config* known = dialogue ? &*dialogue : nullptr;
    auto r = api::add_user(*db, o.name, o.role, scope, api::make_one_time_password(),
                           std::chrono::system_clock::now(), "cli", known);
    if (!r.account) {
        std::cerr << r.error << "\n";
        return 1;
    }
    std::cout << "created " << o.role << " " << o.name << "; one-time password (change it at "
              << "first login): " << r.account->password << "\n";
    return 0;
}

int run_token(const user_options& o) {
    auto db = open_store(o.config);
    if (!db) return 1;
    auto token = api::issue_token(*db, o.name, std::chrono::system_clock::now());
    if (!token) {
        std::cerr << "no active user \"" << o.name << "\"\n";
        return 1;
    }
    std::cout << *token << "\n";
    return 0;
}

int run_disable(const user_options& o, bool disabled) {
    auto db = open_store(o.config);
    if (!db) return 1;
    api::user_change change;
    change.disabled = disabled;
    auto r = api::change_user(*db, o.name, change, std::chrono::system_clock::now(), "cli");
    if (!r.user) {
        std::cerr << r.error << "\n";
        return 1;
    }
    std::cout << o.name << (disabled ? " disabled" : " enabled") << "\n";
    return 0;
}

int run_password(const user_options& o) {
    auto db = open_store(o.config);
    if (!db) return 1;
    auto password = api::make_one_time_password();
    if (!api::reset_password(*db, o.name, password, std::chrono::system_clock::now(), "cli")) {
        std::cerr << "no user \"" << o.name << "\"\n";
        return 1;
    }
    std::cout << "new one-time password for " << o.name
              << " (change it at first login): " << password.text << "\n";
    return 0;
}

int run_list(const user_options& o) {
    auto db = open_store(o.config);
    if (!db) return 1;
    for (const auto& u : db->list_users()) {
        std::cout << u.name << "  " << u.role;
        for (std::size_t i = 0; i < u.scope.size(); ++i)
            std::cout << (i ? "," : "  ") << u.scope[i];
        if (u.disabled) std::cout << "  (disabled)";
        if (u.must_change_password) std::cout << "  (one-time password)";
        std::cout << "\n";
    }
    return 0;
}

struct key_options {
    std::string config = "config/gateway.json";
    std::string name;
    std::string scope;
    int per_hour = 120;
};

// The operator who ran the command, for the audit log.
std::string operator_name() {
    const char* user = std::getenv("USER");
    return std::string("cli:") + (user && *user ? user : "unknown");
}

int run_key_add(const key_options& o) {
    auto dialogue = read_dialogue(load_config_file(o.config).config.dialogue_file);
    if (!dialogue) return 1;
    auto db = open_store(o.config);
    if (!db) return 1;
    auto r = api::add_api_key(*db, *dialogue, o.name, o.scope, o.per_hour,
                              std::chrono::system_clock::now(), operator_name());
    if (!r.issued) {
        std::cerr << r.error << "\n";
        return 1;
    }
    std::cerr << "key of " << o.name << " (files for " << o.scope << ", " << o.per_hour
              << " an hour); shown once, give it to the client system as api_key:\n";
    std::cout << r.issued->text << "\n";
    return 0;
}

int run_key_list(const key_options& o) {
    auto db = open_store(o.config);
    if (!db) return 1;
    for (const auto& k : db->list_api_keys()) {
        std::cout << k.name << "  " << k.key_id << "  " << k.scope << "  " << k.per_hour
                  << "/h  created " << core::utc_text(k.created_at);
        if (k.revoked_at) std::cout << "  revoked " << core::utc_text(*k.revoked_at);
        std::cout << "\n";
    }
    return 0;
}

int run_key_revoke(const key_options& o) {
    auto db = open_store(o.config);
    if (!db) return 1;
    if (!api::revoke_api_key(*db, o.name, std::chrono::system_clock::now(), operator_name())) {
        std::cerr << "no key \"" << o.name << "\" that is not revoked\n";
        return 1;
    }
    std::cout << o.name << " revoked\n";
    return 0;
}

void add_key_commands(CLI::App& root, command_action& action) {
    static key_options o;
    auto* keys = root.add_subcommand("apikeys", "Keys of client systems filing through Open311");
    keys->require_subcommand(1);
    auto config = [](CLI::App* cmd) {
        cmd->add_option("--config", o.config, "Gateway configuration file")->capture_default_str();
    };
    auto* add = keys->add_subcommand("add", "Issue a key to a client system and print it once");
    add->add_option("name", o.name, "The client system")->required();
    add->add_option("--scope", o.scope, "Where it files: a commune's code, or province")->required();
    add->add_option("--per-hour", o.per_hour, "Concerns it may file an hour")->capture_default_str();
    config(add);
    add->callback([&action] { action = [] { return run_key_add(o); }; });
    auto* list = keys->add_subcommand("list", "List the keys (never their secrets)");
    config(list);
    list->callback([&action] { action = [] { return run_key_list(o); }; });
    auto* revoke = keys->add_subcommand("revoke", "Revoke a client system's key at once");
    revoke->add_option("name", o.name, "The client system")->required();
    config(revoke);
    revoke->callback([&action] { action = [] { return run_key_revoke(o); }; });
}

}  // namespace

void add_user_commands(CLI::App& root, command_action& action) {
    static user_options o;
    auto* users = root.add_subcommand("users", "Accounts of officials and admins");
    users->require_subcommand(1);
    auto config = [](CLI::App* cmd) {
        cmd->add_option("--config", o.config, "Gateway configuration file")->capture_default_str();
    };

    auto* add = users->add_subcommand("add", "Add a user and print a one-time password");
    add->add_option("name", o.name, "User name")->required();
    add->add_option("--role", o.role, "admin, official or viewer")->required();
    add->add_option("--scope", o.scope, "Officials: unit codes and/or level ids, comma-separated");
    config(add);
    add->callback([&action] { action = [] { return run_add(o); }; });

    auto* token = users->add_subcommand("token", "Issue an API token (Authorization: Bearer)");
    token->add_option("name", o.name, "User name")->required();
    config(token);
    token->callback([&action] { action = [] { return run_token(o); }; });

    auto* disable = users->add_subcommand(
        "disable", "Disable a user: no login, sessions and API tokens refused at once");
    disable->add_option("name", o.name, "User name")->required();
    config(disable);
    disable->callback([&action] { action = [] { return run_disable(o, true); }; });

    auto* enable = users->add_subcommand("enable", "Enable a disabled user again");
    enable->add_option("name", o.name, "User name")->required();
    config(enable);
    enable->callback([&action] { action = [] { return run_disable(o, false); }; });

    auto* password = users->add_subcommand(
        "password", "Reset a password: print a new one-time password, end the user's sessions");
    password->add_option("name", o.name, "User name")->required();
    config(password);
    password->callback([&action] { action = [] { return run_password(o); }; });

    auto* list = users->add_subcommand("list", "List the users");
    config(list);
    list->callback([&action] { action = [] { return run_list(o); }; });

    add_key_commands(root, action);
}

}  // namespace dgw::app
