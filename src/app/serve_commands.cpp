// `serve`, `check` and `version`: the commands that read config/gateway.json.

#include "app/commands.hpp"
#include "app/config_file.hpp"
#include "app/configured_store.hpp"
#include "app/spdlog_logger.hpp"

#include <dgw/app/gateway.hpp>

#include <iostream>

namespace dgw::app {
namespace {

int run_check(const std::string& path) {
    auto loaded = load_config_file(path);
    if (!loaded.problems.empty()) {
        for (const auto& p : loaded.problems) std::cout << path << ": " << core::to_string(p) << "\n";
        return 1;
    }
    // A shared database is reached now, so that a wrong URL is found before the start.
    if (loaded.config.store.on_postgres()) {
        try {
            const auto found = describe_store(loaded.config.store);
            std::cout << "store: " << found << "\n";
        } catch (const store::unavailable& e) {
            std::cout << path << ": /store/postgres/url: " << e.what() << "\n";
            return 1;
        }
    }
    std::cout << "ok\n";
    return 0;
}

int run_serve(const std::string& path) {
    auto loaded = load_config_file(path);
    if (!loaded.problems.empty()) {
        for (const auto& p : loaded.problems) std::cerr << path << ": " << core::to_string(p) << "\n";
        return 1;
    }
    spdlog_logger log(loaded.config.log.level);
    const bool tls = loaded.config.server.tls.has_value();
    std::string host = loaded.config.server.host;
    if (host.find(':') != std::string::npos) host = "[" + host + "]";
    const std::string metrics_host = loaded.config.metrics.host;
    try {
        gateway gw(std::move(loaded.config), log);
        gw.start();
        gw.handle_signals();
        std::cout << "dialogue-gateway " << version() << " listening on "
                  << (tls ? "https" : "http") << "://" << host << ":" << gw.port() << "/";
        if (auto mp = gw.metrics_port()) {
            std::string mhost = metrics_host;
            if (mhost.find(':') != std::string::npos) mhost = "[" + mhost + "]";
            std::cout << " (metrics on http://" << mhost << ":" << *mp << "/metrics)";
        }
        std::cout << std::endl;
        if (auto pw = gw.first_admin_password()) {
            // Only here, once, on stdout: never in the log.
            std::cout << "First start: created the user admin with the one-time password " << *pw
                      << "\nLog in at " << (tls ? "https" : "http") << "://" << host << ":"
                      << gw.port()
                      << "/admin/ (or POST /api/v1/auth/login) and change it: it must be "
                         "changed before anything else."
                      << std::endl;
        }
        gw.run();
    } catch (const std::exception& e) {
        log.error("app", e.what());
        return 1;
    }
    log.info("app", "stopped");
    return 0;
}

}  // namespace

void add_serve_commands(CLI::App& root, command_action& action) {
    static std::string config_path = "config/gateway.json";

    auto* serve = root.add_subcommand("serve", "Run the gateway");
    serve->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    serve->callback([&action] { action = [] { return run_serve(config_path); }; });

    auto* check = root.add_subcommand("check", "Validate a configuration file and exit");
    check->add_option("--config", config_path, "Gateway configuration file")->capture_default_str();
    check->callback([&action] { action = [] { return run_check(config_path); }; });

    auto* ver = root.add_subcommand("version", "Print the version");
    ver->callback([&action] {
        action = [] {
            std::cout << "dialogue-gateway " << version() << "\n";
            return 0;
        };
    });
}

}  // namespace dgw::app
