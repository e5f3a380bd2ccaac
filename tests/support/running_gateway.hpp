#pragma once
// The whole gateway in-process for integration tests: the config they start from (127.0.0.1
// on port 0, two I/O threads, a SQLite file in a temp dir, the shipped flows and dialogue
// configuration, retries fast enough for a test, Prometheus's listener on a free port too), a
// Telegram channel pointed at a mock, and the gateway started and run on a thread of its own;
// the destructor shuts it down gracefully and joins.

#include <dgw/app/gateway.hpp>
#include <dgw/config/gateway_config.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>

namespace dgw::test {

inline config::gateway_config base_gateway_config(const std::filesystem::path& dir) {
    config::gateway_config cfg;
    cfg.server.host = "127.0.0.1";
    cfg.server.port = 0;
    cfg.server.threads = 2;
    cfg.store.sqlite_path = (dir / "dgw.sqlite").string();
    cfg.flows_dir = DGW_SOURCE_DIR "/flows";
    cfg.dialogue_file = DGW_SOURCE_DIR "/config/dialogue.json";
    cfg.pipeline.backoff_seconds = 0.05;
    cfg.pipeline.max_backoff_seconds = 0.2;
    // Prometheus's listener on a free port too: tests run side by side.
    cfg.metrics.listen = "127.0.0.1:0";
    cfg.metrics.host = "127.0.0.1";
    cfg.metrics.port = 0;
    return cfg;
}

/// The channel "telegram" sending to `api_base` (a mock), without rate limits (they have their
/// own unit tests).
inline config::channel_config telegram_channel(const std::string& api_base,
                                               const std::string& bot_token,
                                               const std::string& secret_token) {
    config::channel_config ch;
    ch.id = "telegram";
    ch.type = "telegram";
    ch.api_base = api_base;
    ch.settings = {{"bot_token", bot_token}, {"secret_token", secret_token}};
    ch.rate_limit = {0, 0, 0, 0};
    ch.media_hosts = config::default_media_hosts(ch.type, api_base);
    return ch;
}

class running_gateway {
public:
    explicit running_gateway(config::gateway_config cfg, core::clock clock = core::system_clock())
        : gw_(std::move(cfg), log_, std::move(clock)) {
        gw_.start();
        runner_ = std::thread([this] { gw_.run(); });
    }
    ~running_gateway() {
        gw_.shutdown();
        runner_.join();
    }
    running_gateway(const running_gateway&) = delete;
    running_gateway& operator=(const running_gateway&) = delete;

    std::uint16_t port() const { return gw_.port(); }
    std::uint16_t metrics_port() const { return gw_.metrics_port().value_or(0); }
    core::metrics& metrics() { return gw_.metrics(); }
    app::gateway& gateway() { return gw_; }

private:
    core::null_logger log_;
    app::gateway gw_;
    std::thread runner_;
};

}  // namespace dgw::test
