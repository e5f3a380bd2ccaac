#pragma once
/// The composition root as an object: builds the modules from a validated config, wires the
/// route table, runs the io_context threads and shuts down gracefully. `serve` and the
/// in-process integration tests both use it, so tests exercise the real wiring.

#include <dgw/config/gateway_config.hpp>
#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/types.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dgw::app {

class gateway {
public:
    /// `log` must outlive the gateway. Nothing is opened until start(). `clock` is the time
    /// the pipeline, the API and the webhooks are reckoned in (tests move it weeks ahead).
    gateway(config::gateway_config config, core::logger& log,
            core::clock clock = core::system_clock());
    ~gateway();
    gateway(const gateway&) = delete;
    gateway& operator=(const gateway&) = delete;

    /// Binds the listener. Throws std::runtime_error with a clear message on failure.
    void start();
    /// The bound port (the real one when the config said port 0).
    std::uint16_t port() const;
    /// The port of Prometheus's own listener (metrics.listen), when there is one.
    std::optional<std::uint16_t> metrics_port() const;
    /// Every route of the public listener: what a test walks to check that none forgets
    /// authorization, scope or existence.
    std::vector<std::pair<http::verb, std::string>> route_table() const;
    /// From now on SIGINT and SIGTERM start a graceful shutdown (call before announcing the
    /// port, so that a signal sent right after the announcement is not lost).
    void handle_signals();
    /// Runs the I/O threads until shutdown completes.
    void run();
    /// Starts a graceful shutdown from any thread; run() returns when it is done.
    void shutdown();

    core::metrics& metrics();

    /// After start(): the one-time password of the `admin` account created because the store
    /// had no user at all, or nothing. Shown once by `serve`, never logged.
    std::optional<std::string> first_admin_password() const;

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

/// The gateway's version, e.g. "0.1.0".
std::string version();

}  // namespace dgw::app
