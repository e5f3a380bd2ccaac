#pragma once
// The whole gateway in-process for integration tests: the config they start from (127.0.0.1
// on port 0, two I/O threads, a SQLite file in a temp dir, the shipped flows and dialogue
// configuration, retries fast enough for a test, Prometheus's listener on a free port too), a
// Telegram channel pointed at a mock, and the gateway started and run on a thread of its own;
// the destructor shuts it down gracefully and joins. The gateway's log is kept in memory (the
// last lines, debug included) and printed when the test that ran it has failed, so a failure
// seen only on a loaded CI machine tells what the gateway was doing.

#include <dgw/app/gateway.hpp>
#include <dgw/channels/registry.hpp>
#include <dgw/config/gateway_config.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
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
    ch.media_hosts = channels::default_media_hosts(ch.type, api_base);
    return ch;
}

/// Keeps the last `capacity` lines written to it; thread-safe.
class recording_logger final : public core::logger {
public:
    explicit recording_logger(std::size_t capacity = 400) : capacity_(capacity) {}
    void write(core::log_level level, std::string_view section, std::string_view message) override {
        static constexpr const char* names[] = {"trace", "debug", "info", "warn", "error", "off"};
        std::lock_guard lock(mutex_);
        lines_.push_back(std::string(names[static_cast<int>(level)]) + " [" + std::string(section) +
                         "] " + std::string(message));
        if (lines_.size() > capacity_) lines_.pop_front();
    }
    bool enabled(core::log_level level) const override { return level >= core::log_level::debug; }
    void print(std::ostream& out) const {
        std::lock_guard lock(mutex_);
        out << "--- the gateway's last " << lines_.size() << " log lines ---\n";
        for (const auto& l : lines_) out << l << '\n';
    }

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::deque<std::string> lines_;
};

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
        if (::testing::Test::HasFailure()) log_.print(std::cerr);
    }
    running_gateway(const running_gateway&) = delete;
    running_gateway& operator=(const running_gateway&) = delete;

    std::uint16_t port() const { return gw_.port(); }
    std::uint16_t metrics_port() const { return gw_.metrics_port().value_or(0); }
    core::metrics& metrics() { return gw_.metrics(); }
    app::gateway& gateway() { return gw_; }

private:
    recording_logger log_;
    app::gateway gw_;
    std::thread runner_;
};

}  // namespace dgw::test
