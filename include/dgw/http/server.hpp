#pragma once
/// The HTTP/1.1 server: Beast with C++20 coroutines, keep-alive, optional TLS, body and header
/// limits, header, read and idle timeouts, connection caps shared fairly, and graceful
/// shutdown.
///
/// Fairness: no peer address (an IPv6 peer: its /64, see core::limit_key) may hold more than
/// max_connections_per_address connections (trusted proxies, which carry many clients, are
/// exempt); when a cap is reached, the connection idle the longest (of that address, or of
/// everyone for the total cap) is closed to make room, and only when none is idle is the
/// newcomer answered 503 — except for the paths of `always_answer` (health checks), which are
/// answered even then, so a flood never makes a healthy process look dead.
///
/// Threads: construct and start() on any thread before the io_context runs; the io_context may
/// be run by several threads. Each connection is a coroutine on its own strand; the acceptor
/// and the connection registry live on the server's strand.

#include <dgw/core/ip_address.hpp>
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
#include <vector>

namespace dgw::http {

struct server_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;  ///< 0 = any free port; see local_endpoint()
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_connections = 1024;
    /// Connections one peer address (IPv6: one /64) may hold; 0 = no cap. Trusted proxies are
    /// exempt.
    std::size_t max_connections_per_address = 0;
    /// A request's header must be complete within this (at most read_timeout): from the
    /// connection's start for its first request, from the first byte for the next ones.
    std::chrono::milliseconds header_timeout{5'000};
    std::chrono::milliseconds read_timeout{10'000};   ///< a request must arrive within this
    std::chrono::milliseconds idle_timeout{60'000};   ///< keep-alive wait for the next request
    std::chrono::milliseconds write_timeout{10'000};  ///< a response must be taken within this
    std::chrono::milliseconds drain_timeout{10'000};  ///< shutdown waits this long for requests
    std::optional<std::string> tls_cert_file;         ///< both set = TLS on every connection
    std::optional<std::string> tls_key_file;
    std::string server_name = "dialogue-gateway";
    /// Peers whose X-Forwarded-For and X-Forwarded-Proto are believed (a reverse proxy):
    /// request_context::remote_address is then the client that proxy saw. Anyone else's
    /// headers are ignored.
    std::vector<core::ip_block> trusted_proxies;
    /// GET paths answered even to a connection over the caps (health checks).
    std::vector<std::string> always_answer;
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

    /// The route table it serves.
    const router& routes() const;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::http
