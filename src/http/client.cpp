#include "dgw/http/client.hpp"

#include "http/address.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/throw_exception.hpp>

#include <openssl/ssl.h>

#include <atomic>
#include <cctype>
#include <charconv>
#include <map>
#include <mutex>
#include <stdexcept>
#include <variant>

namespace dgw::http {
namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using steady = std::chrono::steady_clock;

struct parsed_url {
    bool https = false;
    std::string host;  // without brackets
    std::string port;
    std::string target;
    std::string host_header;
    std::string pool_key() const { return (https ? "https://" : "http://") + host + ":" + port; }
};

std::optional<parsed_url> parse_url(std::string_view url) {
    parsed_url u;
    if (url.starts_with("https://")) {
        u.https = true;
        url.remove_prefix(8);
    } else if (url.starts_with("http://")) {
        url.remove_prefix(7);
    } else {
        return std::nullopt;
    }
    auto slash = url.find_first_of("/?");
    std::string_view authority = url.substr(0, slash);
    u.target = slash == std::string_view::npos ? "/" : std::string(url.substr(slash));
    if (u.target.front() == '?') u.target.insert(0, "/");
    if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
    u.host_header = std::string(authority);
    std::string_view port;
    if (authority.front() == '[') {
        auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        u.host = std::string(authority.substr(1, close - 1));
        if (close + 1 < authority.size()) {
            if (authority[close + 1] != ':') return std::nullopt;
            port = authority.substr(close + 2);
        }
    } else {
        auto colon = authority.rfind(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    if (port.empty()) {
        u.port = u.https ? "443" : "80";
    } else {
        unsigned p = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
        if (ec != std::errc{} || end != port.data() + port.size() || p == 0 || p > 65535)
            return std::nullopt;
        u.port = std::string(port);
    }
    return u;
}

// One kept-alive connection: plain or TLS, with the read buffer that belongs to it.
struct connection {
    std::variant<std::unique_ptr<beast::tcp_stream>,
                 std::unique_ptr<beast::ssl_stream<beast::tcp_stream>>>
        stream;
    beast::flat_buffer buffer;

    beast::tcp_stream& lowest() {
        if (auto* p = std::get_if<0>(&stream)) return **p;
        return beast::get_lowest_layer(*std::get<1>(stream));
    }
};

client_error fail(client_errc code, std::string message) { return {code, std::move(message)}; }

}  // namespace

const char* to_string(client_errc e) {
    switch (e) {
        case client_errc::bad_url: return "bad_url";
        case client_errc::resolve_failed: return "resolve_failed";
        case client_errc::connect_failed: return "connect_failed";
        case client_errc::tls_failed: return "tls_failed";
        case client_errc::timeout: return "timeout";
        case client_errc::io_error: return "io_error";
        case client_errc::response_too_large: return "response_too_large";
        case client_errc::refused:
            return "refused";
    }
    return "unknown";
}

void throw_exception_from_error(const client_error& e, const boost::source_location& loc) {
    boost::throw_exception(std::runtime_error(std::string(to_string(e.code)) + ": " + e.message),
                           loc);
}

bool fetch_policy::host_allowed(std::string_view host) const {
    const auto literal = core::parse_ip(host);
    for (const auto& h : hosts) {
        if (literal) {
            if (auto listed = core::parse_ip(h); listed && *listed == *literal) return true;
            continue;
        }
        if (h.starts_with("*.")) {
            const std::string_view suffix = std::string_view(h).substr(1);  // ".example.com"
            if (host.size() > suffix.size() && host.ends_with(suffix)) return true;
        } else if (host == h) {
            return true;
        }
    }
    return false;
}

bool fetch_policy::address_allowed(std::string_view host, const core::ip_address& address) const {
    if (auto literal = core::parse_ip(host); literal && *literal == address) {
        for (const auto& h : hosts)
            if (auto listed = core::parse_ip(h); listed && *listed == address) return true;
    }
    return core::is_public_unicast(address);
}

struct client::impl {
    impl(net::any_io_executor e, client_options o)
        : ex(std::move(e)), opts(std::move(o)), ssl(net::ssl::context::tls_client) {
        ssl.set_verify_mode(net::ssl::verify_peer);
        ssl.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                        net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                        net::ssl::context::no_tlsv1_1);
        beast::error_code ec;
        if (opts.ca_file) {
            ssl.load_verify_file(*opts.ca_file, ec);
            if (ec) throw std::runtime_error("cannot load CA file " + *opts.ca_file + ": " + ec.message());
        } else {
            ssl.set_default_verify_paths(ec);
            if (ec) throw std::runtime_error("cannot load the system CA store: " + ec.message());
        }
    }

    net::any_io_executor ex;
    client_options opts;
    net::ssl::context ssl;
    std::atomic<std::uint64_t> opened{0};
    mutable std::mutex mutex;
    std::map<std::string, std::vector<std::unique_ptr<connection>>> idle;  // guarded by mutex

    std::unique_ptr<connection> take(const std::string& key) {
        std::lock_guard lock(mutex);
        auto it = idle.find(key);
        if (it == idle.end() || it->second.empty()) return nullptr;
        auto c = std::move(it->second.back());
        it->second.pop_back();
        return c;
    }

    void give_back(const std::string& key, std::unique_ptr<connection> c) {
        std::lock_guard lock(mutex);
        auto& list = idle[key];
        if (list.size() < opts.max_idle_per_host) list.push_back(std::move(c));
    }

    net::awaitable<boost::system::result<std::unique_ptr<connection>, client_error>> connect(
        parsed_url url, steady::time_point deadline, const fetch_policy* policy = nullptr) {
        using namespace net::experimental::awaitable_operators;
        auto executor = co_await net::this_coro::executor;
        tcp::resolver resolver(executor);
        net::steady_timer timer(executor);
        auto connect_deadline = std::min(deadline, steady::now() + opts.connect_timeout);
        timer.expires_at(connect_deadline);
        auto resolved = co_await (resolver.async_resolve(url.host, url.port, use_tuple) ||
                                  timer.async_wait(use_tuple));
        if (resolved.index() == 1)
            co_return fail(client_errc::timeout, "resolving " + url.host + " timed out");
        auto [rec, endpoints] = std::get<0>(resolved);
        if (rec) co_return fail(client_errc::resolve_failed, url.host + ": " + rec.message());
        // Only the addresses the policy allows are tried, and the connection goes to exactly
        // the address checked: no second lookup that could answer differently.
        std::vector<tcp::endpoint> allowed;
        for (const auto& e : endpoints)
            if (!policy || policy->address_allowed(url.host, to_ip(e.endpoint().address())))
                allowed.push_back(e.endpoint());
        if (allowed.empty())
            co_return fail(client_errc::refused,
                           url.host +
                               " resolves only to addresses a fetch may not go to "
                               "(loopback, private, link-local, multicast...)");

        auto c = std::make_unique<connection>();
        auto tcp_stream = std::make_unique<beast::tcp_stream>(ex);
        tcp_stream->expires_at(connect_deadline);
        auto [cec, ep] = co_await tcp_stream->async_connect(allowed, use_tuple);
        if (cec == beast::error::timeout)
            co_return fail(client_errc::timeout, "connecting to " + url.host_header + " timed out");
        if (cec) co_return fail(client_errc::connect_failed, url.host_header + ": " + cec.message());
        opened.fetch_add(1);
        if (!url.https) {
            c->stream = std::move(tcp_stream);
            co_return c;
        }
        auto tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*tcp_stream), ssl);
        // SNI, so virtual hosts present the right certificate; not sent for IP literals.
        beast::error_code ignored;
        net::ip::make_address(url.host, ignored);
        if (ignored && !SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str()))
            co_return fail(client_errc::tls_failed, "cannot set SNI for " + url.host);
        tls->set_verify_callback(net::ssl::host_name_verification(url.host));
        beast::get_lowest_layer(*tls).expires_at(deadline);
        auto [hec] = co_await tls->async_handshake(net::ssl::stream_base::client, use_tuple);
        if (hec == beast::error::timeout)
            co_return fail(client_errc::timeout, "TLS handshake with " + url.host_header + " timed out");
        if (hec) co_return fail(client_errc::tls_failed, url.host_header + ": " + hec.message());
        c->stream = std::move(tls);
        co_return c;
    }
};

namespace {

struct exchange_outcome {
    std::optional<client_response> response;
    beast::error_code ec;
    bool response_started = false;  // some response bytes arrived: never retry then
    bool keep_alive = false;
    bool too_large = false;
};

template <class Stream>
net::awaitable<exchange_outcome> exchange(Stream& stream, beast::flat_buffer& buffer,
                                          bhttp::request<bhttp::string_body>& req,
                                          std::size_t body_limit) {
    exchange_outcome out;
    auto [wec, wn] = co_await bhttp::async_write(stream, req, use_tuple);
    if (wec) {
        out.ec = wec;
        co_return out;
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(body_limit);
    auto before = buffer.size();
    auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    out.response_started = rn > 0 || buffer.size() != before || parser.got_some();
    if (rec) {
        out.ec = rec;
        out.too_large = rec == bhttp::error::body_limit;
        co_return out;
    }
    auto res = parser.release();
    out.keep_alive = res.keep_alive();
    client_response cr;
    cr.status = res.result_int();
    cr.body = std::move(res.body());
    for (const auto& f : res) cr.headers.insert(f.name_string(), f.value());
    out.response = std::move(cr);
    co_return out;
}

}  // namespace

client::client(net::any_io_executor ex, client_options options)
    : impl_(std::make_shared<impl>(std::move(ex), std::move(options))) {}

client::~client() = default;

std::uint64_t client::connections_opened() const { return impl_->opened.load(); }

std::size_t client::idle_connections() const {
    std::lock_guard lock(impl_->mutex);
    std::size_t n = 0;
    for (const auto& [k, v] : impl_->idle) n += v.size();
    return n;
}

namespace {

// Where a redirect's Location points, from the URL that answered it; nothing when it is not
// a usable http(s) reference.
std::optional<std::string> redirect_target(const parsed_url& from, std::string_view location) {
    if (location.empty() || location.size() > 8192) return std::nullopt;
    for (unsigned char ch : location)
        if (ch <= 0x20 || ch == 0x7f) return std::nullopt;
    const std::string scheme = from.https ? "https:" : "http:";
    if (location.starts_with("https://") || location.starts_with("http://"))
        return std::string(location);
    if (location.starts_with("//")) return scheme + std::string(location);
    const std::string origin = scheme + "//" + from.host_header;
    if (location.starts_with('/')) return origin + std::string(location);
    const auto path = from.target.substr(0, from.target.find('?'));
    return origin + path.substr(0, path.rfind('/') + 1) + std::string(location);
}

bool is_redirect(unsigned status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// A request under a fetch_policy: each hop's host checked, resolved and connected to only a
// permitted address, on a connection of its own (never pooled: a pooled connection was made
// for another request, under no policy), redirects followed by hand.
net::awaitable<client_result> guarded_fetch(std::shared_ptr<client::impl> st, client_request r) {
    const auto& policy = *r.policy;
    const auto deadline = steady::now() + r.timeout.value_or(st->opts.total_timeout);
    std::string url_text = std::move(r.url);
    auto method = r.method;
    for (int hop = 0;; ++hop) {
        auto url = parse_url(url_text);
        if (!url) co_return fail(client_errc::bad_url, "not an http(s) URL");
        for (auto& ch : url->host)
            ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (!policy.host_allowed(url->host))
            co_return fail(client_errc::refused,
                           url->host + " is not a host media is fetched from");
        auto made = co_await st->connect(*url, deadline, &policy);
        if (!made) co_return made.error();
        auto conn = std::move(*made);

        bhttp::request<bhttp::string_body> req{method, url->target, 11};
        req.set(bhttp::field::host, url->host_header);
        req.set(bhttp::field::user_agent, st->opts.user_agent);
        for (const auto& [name, value] : r.headers) req.set(name, value);
        req.body() = r.body;
        req.keep_alive(false);
        req.prepare_payload();
        conn->lowest().expires_at(deadline);
        exchange_outcome out;
        if (auto* plain = std::get_if<0>(&conn->stream))
            out = co_await exchange(**plain, conn->buffer, req, policy.max_bytes);
        else
            out =
                co_await exchange(*std::get<1>(conn->stream), conn->buffer, req, policy.max_bytes);
        if (!out.response) {
            if (out.ec == beast::error::timeout)
                co_return fail(client_errc::timeout,
                               "request to " + url->host_header + " timed out");
            if (out.too_large)
                co_return fail(client_errc::response_too_large, "response body over the limit");
            co_return fail(client_errc::io_error, url->host_header + ": " + out.ec.message());
        }
        auto res = std::move(*out.response);
        const auto location = res.headers[bhttp::field::location];
        if (!is_redirect(res.status) || location.empty()) co_return res;
        if (hop >= policy.max_redirects)
            co_return fail(client_errc::refused,
                           "more than " + std::to_string(policy.max_redirects) + " redirects");
        auto next = redirect_target(*url, location);
        if (!next) co_return fail(client_errc::refused, "a redirect to an unusable location");
        auto next_url = parse_url(*next);
        if (!next_url) co_return fail(client_errc::refused, "a redirect to an unusable location");
        if (url->https && !next_url->https)
            co_return fail(client_errc::refused, "a redirect from https to http");
        // The caller's headers (credentials, perhaps) were meant for the first host only.
        if (next_url->pool_key() != url->pool_key()) r.headers.clear();
        if (res.status == 303 ||
            ((res.status == 301 || res.status == 302) && method == bhttp::verb::post)) {
            method = bhttp::verb::get;
            r.body.clear();
        }
        url_text = std::move(*next);
    }
}

}  // namespace

net::awaitable<client_result> client::send(client_request r) {
    auto st = impl_;  // keeps the pool alive across suspension points
    if (r.policy) co_return co_await guarded_fetch(st, std::move(r));
    auto url = parse_url(r.url);
    if (!url) co_return fail(client_errc::bad_url, "not an http(s) URL");
    const auto deadline = steady::now() + r.timeout.value_or(st->opts.total_timeout);

    bhttp::request<bhttp::string_body> req{r.method, url->target, 11};
    req.set(bhttp::field::host, url->host_header);
    req.set(bhttp::field::user_agent, st->opts.user_agent);
    for (const auto& [name, value] : r.headers) req.set(name, value);
    req.body() = std::move(r.body);
    req.keep_alive(true);
    req.prepare_payload();

    const std::string key = url->pool_key();
    // A pooled connection may have been closed by the server while idle; if it fails before
    // any response byte arrives, the request never reached the application: retry once on a
    // fresh connection.
    for (int attempt = 0; attempt < 2; ++attempt) {
        auto conn = attempt == 0 ? st->take(key) : nullptr;
        bool reused = conn != nullptr;
        if (!conn) {
            auto made = co_await st->connect(*url, deadline);
            if (!made) co_return made.error();
            conn = std::move(*made);
        }
        conn->lowest().expires_at(deadline);
        exchange_outcome out;
        if (auto* plain = std::get_if<0>(&conn->stream))
            out = co_await exchange(**plain, conn->buffer, req, st->opts.max_response_bytes);
        else
            out = co_await exchange(*std::get<1>(conn->stream), conn->buffer, req,
                                    st->opts.max_response_bytes);
        if (out.response) {
            if (out.keep_alive) {
                conn->lowest().expires_never();
                st->give_back(key, std::move(conn));
            }
            co_return std::move(*out.response);
        }
        // Error texts name the host only: platform URLs carry tokens in their paths.
        if (out.ec == beast::error::timeout)
            co_return fail(client_errc::timeout, "request to " + url->host_header + " timed out");
        if (out.too_large)
            co_return fail(client_errc::response_too_large, "response body over the limit");
        if (!reused || out.response_started)
            co_return fail(client_errc::io_error, url->host_header + ": " + out.ec.message());
    }
    co_return fail(client_errc::io_error, "connection to " + url->host_header + " failed");
}

}  // namespace dgw::http
