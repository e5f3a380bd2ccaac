#pragma once
/// The outbound HTTP client for the platforms' send APIs: HTTP and HTTPS (certificate and host
/// name verified against the system CA store, or `ca_file` instead), keep-alive connections
/// reused per scheme/host/port, a connect timeout and a total timeout per request.
///
/// Thread-safe: send() may be awaited from any executor, concurrently; each request uses its
/// own connection (pooled ones are handed out exclusively). Failures are values, never thrown.

#include <dgw/core/ip_address.hpp>
#include <dgw/core/net.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::http {

struct client_options {
    std::optional<std::string> ca_file;  ///< PEM bundle used instead of the system store
    std::chrono::milliseconds connect_timeout{5'000};
    std::chrono::milliseconds total_timeout{15'000};  ///< default per request
    std::size_t max_idle_per_host = 8;
    std::size_t max_response_bytes = 8 * 1024 * 1024;
    std::string user_agent = "dialogue-gateway";
};

/// Where a request may go when its URL comes from outside (the download link of a photo in a
/// webhook: a leaked webhook secret must not turn the gateway into a proxy into the
/// province's network). The URL's host and every redirect's must match `hosts`; the address
/// a name resolves to must be public (core::is_public_unicast), checked on the address that
/// is then connected to, so a name that resolves differently a second time cannot slip
/// through; an IP address listed in `hosts` is the operator's explicit choice and allowed.
/// Redirects are followed (at most `max_redirects`), never from https to http, and a request's
/// own headers are not sent to another host. Answers over `max_bytes` are refused.
struct fetch_policy {
    std::vector<std::string> hosts;  ///< "cdn.example.com", "*.example.com", "203.0.113.7"
    int max_redirects = 3;
    std::size_t max_bytes = 10 * 1024 * 1024;

    /// True when `host` (a URL's, lower-case, without brackets) matches one of `hosts`.
    bool host_allowed(std::string_view host) const;
    /// True when a connection for `host` may go to `address`.
    bool address_allowed(std::string_view host, const core::ip_address& address) const;
};

struct client_request {
    beast::http::verb method = beast::http::verb::post;
    std::string url;  ///< "https://api.telegram.org/bot.../sendMessage"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<std::chrono::milliseconds> timeout;  ///< overrides total_timeout
    /// Set for a URL that comes from outside: see fetch_policy. Such requests never use or
    /// fill the connection pool.
    std::shared_ptr<const fetch_policy> policy;
};

struct client_response {
    unsigned status = 0;
    beast::http::fields headers;
    std::string body;
};

enum class client_errc {
    bad_url = 1,
    resolve_failed,
    connect_failed,
    tls_failed,
    timeout,
    io_error,
    response_too_large,
    refused,  ///< the fetch_policy refused a host, an address, or a redirect
};

struct client_error {
    client_errc code;
    std::string message;
};

/// "timeout", "tls_failed", ... for logs and metrics labels.
const char* to_string(client_errc e);

using client_result = boost::system::result<client_response, client_error>;

/// Lets boost::system::result throw a client_error from value() (only reached by misuse).
[[noreturn]] void throw_exception_from_error(const client_error& e,
                                             const boost::source_location& loc);

class client {
public:
    /// Throws std::runtime_error when `ca_file` cannot be loaded (a start-up failure).
    client(net::any_io_executor ex, client_options options);
    ~client();
    client(const client&) = delete;
    client& operator=(const client&) = delete;

    /// Sends one request and reads the whole response.
    net::awaitable<client_result> send(client_request req);

    /// Connections opened so far and idle in the pool now (for tests and metrics).
    std::uint64_t connections_opened() const;
    std::size_t idle_connections() const;

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::http
