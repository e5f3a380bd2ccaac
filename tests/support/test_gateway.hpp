#pragma once
// The gateway config every in-process end-to-end test starts from: 127.0.0.1:0, two I/O
// threads, a SQLite file in the test's directory, the shipped flows and dialogue config, and
// retries fast enough for a test.

#include <dgw/config/gateway_config.hpp>

#include <filesystem>
#include <string>

namespace dgw::test {

inline config::gateway_config test_gateway_config(const std::filesystem::path& dir) {
    config::gateway_config cfg;
    cfg.server.host = "127.0.0.1";
    cfg.server.port = 0;
    cfg.server.threads = 2;
    cfg.store.sqlite_path = (dir / "dgw.sqlite").string();
    cfg.flows_dir = DGW_SOURCE_DIR "/flows";
    cfg.dialogue_file = DGW_SOURCE_DIR "/config/dialogue.json";
    cfg.pipeline.backoff_seconds = 0.05;
    cfg.pipeline.max_backoff_seconds = 0.2;
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
    return ch;
}

}  // namespace dgw::test
