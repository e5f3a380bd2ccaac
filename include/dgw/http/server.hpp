#pragma once
/// The HTTP/1.1 server: Beast with C++20 coroutines, keep-alive, optional TLS, body and header
/// limits, read and idle timeouts, a connection cap and graceful shutdown.
///
/// Threads: construct and start() on any thread before the io_context runs; the io_context may
/// be run by several threads. Each connection is a coroutine on its own strand; the acceptor
/// and the connection registry live on the server's strand.

#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/http/router.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace dgw::http {

struct server_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0 = any free port; see local_endpoint()
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_connections = 1024;
    std::chrono::milliseconds read_timeout{10'000};   ///< a request must arrive within this
    std::chrono::milliseconds idle_timeout{60'000};   ///< keep-alive wait for the next request
    std::chrono::milliseconds write_timeout{10'000};  ///< a response must be taken within this
    std::chrono::milliseconds drain_timeout{10'000};  ///< shutdown waits this long for requests
    std::optional<std::string> tls_cert_file;         ///< both set = TLS on every connection
    std::optional<std::string> tls_key_file;
    std::string server_name = "dialogue-gateway";
};

class server {
public:
    /// `metrics` and `log` must outlive the server.
    server(net::io_context& ioc, server_options options, router routes, core::metrics& metrics,
           core::logger& log);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Loads TLS files, binds and starts accepting. Throws std::runtime_error naming what
    /// failed (address in use, unreadable certificate): a start-up failure.
    void start();

    /// The bound address (the real port when options.port was 0). Valid after start().
    net::ip::tcp::endpoint local_endpoint() const;

    /// Graceful shutdown, callable from any thread, once: stops accepting, closes idle
    /// connections, lets in-flight requests finish (their responses carry Connection: close),
    /// and after drain_timeout closes whatever is left. `done` runs on an io thread when the
    /// last connection is gone.
    void shutdown(std::function<void()> done);

    /// Open connections right now (for tests and metrics).
    std::size_t connection_count() const;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::http
