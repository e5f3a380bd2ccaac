#include "dgw/app/gateway.hpp"

#include <dgw/http/server.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <thread>
#include <vector>

#ifndef DGW_VERSION
#define DGW_VERSION "0.0.0"
#endif

namespace dgw::app {

std::string version() { return DGW_VERSION; }

namespace {

http::server_options server_options_from(const config::server_config& s) {
    using ms = std::chrono::milliseconds;
    auto seconds = [](double v) { return ms(static_cast<long long>(v * 1000)); };
    http::server_options o;
    o.host = s.host;
    o.port = s.port;
    o.max_body_bytes = s.max_body_bytes;
    o.max_header_bytes = s.max_header_bytes;
    o.max_connections = s.max_connections;
    o.read_timeout = seconds(s.read_timeout_seconds);
    o.idle_timeout = seconds(s.idle_timeout_seconds);
    o.write_timeout = seconds(s.read_timeout_seconds);
    o.drain_timeout = seconds(s.drain_seconds);
    if (s.tls) {
        o.tls_cert_file = s.tls->cert_file;
        o.tls_key_file = s.tls->key_file;
    }
    return o;
}

}  // namespace

struct gateway::impl {
    impl(config::gateway_config c, core::logger& l)
        : cfg(std::move(c)),
          log(l),
          threads(cfg.server.threads ? cfg.server.threads
                                     : std::max(1u, std::thread::hardware_concurrency())),
          ioc(static_cast<int>(threads)) {}

    config::gateway_config cfg;
    core::logger& log;
    unsigned threads;
    net::io_context ioc;
    core::metrics metrics;
    std::unique_ptr<http::server> server;
    std::unique_ptr<net::signal_set> signals;
    std::atomic<bool> stopping{false};

    // Operations endpoints (issue 2 §8). Readiness will also ask the store once there is one.
    net::awaitable<http::response> healthz(http::request_context&) {
        co_return http::json_response(http::status::ok, {{"status", "ok"}});
    }
    net::awaitable<http::response> readyz(http::request_context&) {
        if (stopping.load())
            co_return http::json_response(http::status::service_unavailable,
                                          {{"status", "stopping"}});
        co_return http::json_response(http::status::ok, {{"status", "ready"}});
    }
    net::awaitable<http::response> metrics_text(http::request_context&) {
        co_return http::text_response(http::status::ok, metrics.render(),
                                      "text/plain; version=0.0.4; charset=utf-8");
    }

    http::router routes() {
        http::router r;
        // Handlers are member coroutines reached through non-coroutine forwarding lambdas
        // (STYLE.md §3: no capturing lambda coroutines).
        r.add(http::verb::get, "/healthz", [this](http::request_context& c) { return healthz(c); });
        r.add(http::verb::get, "/readyz", [this](http::request_context& c) { return readyz(c); });
        r.add(http::verb::get, "/metrics",
              [this](http::request_context& c) { return metrics_text(c); });
        return r;
    }
};

gateway::gateway(config::gateway_config config, core::logger& log)
    : impl_(std::make_unique<impl>(std::move(config), log)) {
    impl_->metrics.describe("dgw_build_info", "The running gateway's version.",
                            core::metrics::kind::gauge);
    impl_->metrics.set("dgw_build_info", {{"version", version()}}, 1);
}

gateway::~gateway() = default;

void gateway::start() {
    auto& st = *impl_;
    st.server = std::make_unique<http::server>(st.ioc, server_options_from(st.cfg.server),
                                               st.routes(), st.metrics, st.log);
    st.server->start();
}

std::uint16_t gateway::port() const { return impl_->server->local_endpoint().port(); }

core::metrics& gateway::metrics() { return impl_->metrics; }

void gateway::shutdown() {
    auto& st = *impl_;
    if (st.stopping.exchange(true)) return;
    st.log.info("app", "shutting down: draining connections");
    st.server->shutdown([&st] {
        st.log.info("app", "all connections closed");
        st.ioc.stop();
    });
}

void gateway::handle_signals() {
    auto& st = *impl_;
    st.signals = std::make_unique<net::signal_set>(st.ioc, SIGINT, SIGTERM);
    st.signals->async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) shutdown();
    });
}

void gateway::run() {
    auto& st = *impl_;
    auto guard = net::make_work_guard(st.ioc);
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < st.threads; ++i) pool.emplace_back([&st] { st.ioc.run(); });
    st.ioc.run();
    for (auto& t : pool) t.join();
    st.signals.reset();
}

}  // namespace dgw::app
