#include "dgw/http/server.hpp"

#include "http/address.hpp"
#include "http/request_id.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace dgw::http {
namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

// One open connection. `close`, `busy` and `stopping` are touched only on the connection's
// strand; `idle`, `idle_since` and `retiring` only under the server's mutex, where the accept
// loop picks which idle connection gives way to a newcomer.
struct connection {
    connection(net::any_io_executor ex, core::ip_address p, bool capped)
        : strand(std::move(ex)), peer(p), cap_key(core::limit_key(p)), per_address(capped) {}
    net::any_io_executor strand;
    std::function<void()> close;
    bool busy = false;
    bool stopping = false;  // answer the request under way with Connection: close, then close
    const core::ip_address peer;
    const core::ip_address cap_key;  // what the per-address cap counts: the address, or its /64
    const bool per_address;          // counted against max_connections_per_address
    bool idle = true;        // between requests, or connected and nothing received yet
    clock_type::time_point idle_since = clock_type::now();
    bool retiring = false;  // chosen to make room: closes when idle, or after its response
};

enum class admission { admit, over_total, over_address };

}  // namespace

struct server::impl : std::enable_shared_from_this<server::impl> {
    impl(net::io_context& ioc_, server_options o, router r, core::metrics& m, core::logger& l)
        : ioc(ioc_),
          strand(net::make_strand(ioc_)),
          acceptor(strand),
          drained(strand),
          opts(std::move(o)),
          routes(std::move(r)),
          metrics(m),
          log(l),
          ssl(net::ssl::context::tls_server) {}

    net::io_context& ioc;
    net::strand<net::io_context::executor_type> strand;
    tcp::acceptor acceptor;
    net::steady_timer drained;
    server_options opts;
    router routes;
    core::metrics& metrics;
    core::logger& log;
    net::ssl::context ssl;
    bool tls = false;

    mutable std::mutex mutex;
    std::set<std::shared_ptr<connection>> connections;  // guarded by mutex
    // Guarded by mutex: connections not retiring, per capped peer, and how many are retiring.
    std::map<core::ip_address, std::size_t> per_peer;
    std::size_t retiring = 0;
    std::atomic<std::size_t> refusing{0};  // refusals being answered right now
    std::atomic<bool> stopping{false};
    std::function<void()> on_drained;  // strand only

    // Admits `c` (registering it) or says which cap it is over. When a cap is reached, the
    // connection idle the longest — of the same address for its cap, of anyone for the total —
    // is retired to make room: a flood of idle connections cannot lock newcomers out.
    admission admit(const std::shared_ptr<connection>& c) {
        std::lock_guard lock(mutex);
        std::shared_ptr<connection> victim;
        const auto cap = opts.max_connections_per_address;
        if (c->per_address && cap > 0) {
            auto it = per_peer.find(c->cap_key);
            if (it != per_peer.end() && it->second >= cap) {
                victim = oldest_idle(&c->cap_key);
                if (!victim) return admission::over_address;
            }
        }
        if (!victim && connections.size() - retiring >= opts.max_connections) {
            victim = oldest_idle(nullptr);
            if (!victim) return admission::over_total;
        }
        if (victim) retire(victim);
        connections.insert(c);
        if (c->per_address) ++per_peer[c->cap_key];
        return admission::admit;
    }

    void remove(const std::shared_ptr<connection>& c) {
        bool last = false;
        {
            std::lock_guard lock(mutex);
            if (connections.erase(c) == 0) return;
            if (c->retiring)
                --retiring;
            else
                release_peer(*c);
            last = connections.empty();
        }
        if (last && stopping.load()) {
            net::post(strand, [self = shared_from_this()] { self->drained.cancel(); });
        }
    }

    // Called by the connection between requests (idle) and when a request starts (busy).
    void set_idle(connection& c, bool idle) {
        std::lock_guard lock(mutex);
        c.idle = idle;
        if (idle) c.idle_since = clock_type::now();
    }

    std::size_t count() const {
        std::lock_guard lock(mutex);
        return connections.size();
    }

    // Under the mutex: the idle, not yet retiring connection idle the longest (of the client
    // `peer`: an address, or an IPv6 /64).
    std::shared_ptr<connection> oldest_idle(const core::ip_address* peer) const {
        std::shared_ptr<connection> best;
        for (const auto& c : connections) {
            if (!c->idle || c->retiring || (peer && (!c->per_address || c->cap_key != *peer)))
                continue;
            if (!best || c->idle_since < best->idle_since) best = c;
        }
        return best;
    }

    // Under the mutex. The victim no longer counts against the caps; it closes on its strand
    // now if still idle, or after answering a request that arrived meanwhile.
    void retire(const std::shared_ptr<connection>& c) {
        c->retiring = true;
        ++retiring;
        release_peer(*c);
        metrics.inc("dgw_http_connections_shed_total");
        net::post(c->strand, [c] {
            c->stopping = true;
            if (!c->busy && c->close) c->close();
        });
    }

    void release_peer(const connection& c) {
        if (!c.per_address) return;
        auto it = per_peer.find(c.cap_key);
        if (it != per_peer.end() && --it->second == 0) per_peer.erase(it);
    }

    // Tells every connection to stop; idle ones close at once, busy ones after their response.
    // With `force`, busy ones are closed too.
    void stop_connections(bool force) {
        std::lock_guard lock(mutex);
        for (const auto& c : connections) {
            net::post(c->strand, [c, force] {
                c->stopping = true;
                if ((force || !c->busy) && c->close) c->close();
            });
        }
    }
};

namespace {

void record(server::impl& st, const request_context& ctx, unsigned status_code, std::size_t bytes,
            clock_type::time_point started) {
    auto elapsed = std::chrono::duration<double>(clock_type::now() - started).count();
    std::string method(ctx.req.method_string());
    st.metrics.inc("dgw_http_requests_total",
                   {{"route", ctx.route}, {"method", method}, {"status", std::to_string(status_code)}});
    st.metrics.observe("dgw_http_request_duration_seconds", {{"route", ctx.route}}, elapsed);
    if (st.log.enabled(core::log_level::info)) {
        st.log.info("http", method + " " + ctx.route + " " + std::to_string(status_code) + " " +
                                std::to_string(bytes) + "B " +
                                std::to_string(static_cast<long long>(elapsed * 1e6)) + "us rid=" +
                                ctx.request_id);
    }
}

// Boundary 1 of STYLE.md §4: route lookup, then the handler; an exception becomes a plain 500.
net::awaitable<response> dispatch(std::shared_ptr<server::impl> st, request_context& ctx) {
    auto m = st->routes.match(ctx.req.method(), ctx.path);
    if (std::holds_alternative<router::not_found>(m)) {
        ctx.route = "unmatched";
        co_return error_response(status::not_found, "not_found", "no route for " + ctx.path);
    }
    if (auto* bad = std::get_if<router::method_not_allowed>(&m)) {
        ctx.route = "unmatched";
        auto res = error_response(status::method_not_allowed, "method_not_allowed",
                                  std::string(ctx.req.method_string()) + " is not allowed on " +
                                      ctx.path + "; allowed: " + bad->allow);
        res.set(bhttp::field::allow, bad->allow);
        co_return res;
    }
    auto& hit = std::get<router::matched>(m);
    ctx.route = *hit.pattern;
    ctx.params = std::move(hit.params);
    std::string failure;
    try {
        co_return co_await (*hit.fn)(ctx);
    } catch (const std::exception& e) {
        failure = e.what();
    } catch (...) {
        failure = "unknown exception";
    }
    st->log.error("http", "handler for " + ctx.route + " failed: " + failure +
                              " rid=" + ctx.request_id);
    co_return error_response(status::internal_server_error, "internal",
                             "internal error; request id " + ctx.request_id);
}

template <class Stream>
net::awaitable<void> write_response(Stream& stream, response& res,
                                    std::chrono::milliseconds timeout, bool& ok) {
    beast::get_lowest_layer(stream).expires_after(timeout);
    auto [ec, n] = co_await bhttp::async_write(stream, res, use_tuple);
    ok = !ec;
}

// Answers a request that could not be read (too large, malformed) and tells the caller to close.
response early_error(status s, std::string_view code, std::string_view message,
                     const std::string& request_id) {
    auto res = error_response(s, code, message);
    res.set("X-Request-Id", request_id);
    res.keep_alive(false);
    return res;
}

// The client address and scheme of a request: the peer's, unless the peer is a trusted proxy,
// whose X-Forwarded-For and X-Forwarded-Proto are then believed.
void fill_client(const server::impl& st, request_context& ctx, const core::ip_address& peer,
                 bool tls) {
    ctx.tls = tls;
    if (st.opts.trusted_proxies.empty() || !core::in_any(st.opts.trusted_proxies, peer)) {
        ctx.remote_address = peer.to_string();
        return;
    }
    ctx.remote_address =
        core::client_address(peer, ctx.req["X-Forwarded-For"], st.opts.trusted_proxies).to_string();
    std::string_view proto = ctx.req["X-Forwarded-Proto"];
    proto = proto.substr(0, proto.find(','));
    while (!proto.empty() && proto.back() == ' ') proto.remove_suffix(1);
    if (proto.size() == 5 && (proto[0] | 0x20) == 'h' && (proto[1] | 0x20) == 't' &&
        (proto[2] | 0x20) == 't' && (proto[3] | 0x20) == 'p' && (proto[4] | 0x20) == 's')
        ctx.tls = true;
}

// How long a request's header may take: header_timeout, never more than the whole request's.
std::chrono::milliseconds header_deadline(const server_options& o) {
    return std::min(o.header_timeout, o.read_timeout);
}

// Splits the target into path and query.
void split_target(request_context& ctx) {
    std::string_view target = ctx.req.target();
    auto q = target.find('?');
    ctx.path = std::string(target.substr(0, q));
    if (q != std::string_view::npos) ctx.query = std::string(target.substr(q + 1));
}

template <class Stream>
net::awaitable<void> serve_requests(std::shared_ptr<server::impl> st, Stream& stream,
                                    std::shared_ptr<connection> conn, bool tls) {
    beast::flat_buffer buffer;
    auto& lowest = beast::get_lowest_layer(stream);
    // The first request's header must arrive within the header deadline of the connection's
    // start (run_plain and run_tls set it); later ones within it of their first byte.
    bool first = true;
    for (;;) {
        // Wait for the first byte of the next request: the idle timeout applies between
        // requests, where the connection may be closed to make room for a newcomer.
        if (buffer.size() == 0) {
            if (!first) lowest.expires_after(st->opts.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) co_return;
            buffer.commit(n);
        }
        if (!first) lowest.expires_after(header_deadline(st->opts));
        first = false;
        conn->busy = true;
        st->set_idle(*conn, false);

        bhttp::request_parser<bhttp::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(st->opts.max_header_bytes));
        parser.body_limit(st->opts.max_body_bytes);
        auto [hec, hn] = co_await bhttp::async_read_header(stream, buffer, parser, use_tuple);
        std::string rid = detail::make_request_id({});
        if (hec == bhttp::error::header_limit) {
            auto res = early_error(status::request_header_fields_too_large, "header_too_large",
                                   "request header exceeds " +
                                       std::to_string(st->opts.max_header_bytes) + " bytes",
                                   rid);
            bool ok = false;
            co_await write_response(stream, res, st->opts.write_timeout, ok);
            co_return;
        }
        if (hec == beast::error::timeout || hec == bhttp::error::end_of_stream ||
            hec == net::error::operation_aborted || hec == net::error::connection_reset ||
            hec == net::error::eof) {
            co_return;  // a slow or vanished client: nothing to answer
        }
        if (hec && hec != bhttp::error::body_limit) {
            auto res = early_error(status::bad_request, "bad_request",
                                   "malformed HTTP request: " + hec.message(), rid);
            bool ok = false;
            co_await write_response(stream, res, st->opts.write_timeout, ok);
            co_return;
        }
        rid = detail::make_request_id(parser.get()["X-Request-Id"]);
        // The body has the rest of the request's time.
        lowest.expires_after(st->opts.read_timeout);
        // Beast reports a Content-Length over body_limit while reading the header already.
        bool too_large = hec == bhttp::error::body_limit;
        if (!too_large) {
            auto [bec, bn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
            too_large = bec == bhttp::error::body_limit;
            if (bec && !too_large) co_return;  // timeout or reset mid-body
        }
        if (too_large) {
            // The rest of the body is not read: answer and close rather than drain megabytes.
            auto res = early_error(status::payload_too_large, "payload_too_large",
                                   "request body exceeds " +
                                       std::to_string(st->opts.max_body_bytes) + " bytes",
                                   rid);
            bool ok = false;
            co_await write_response(stream, res, st->opts.write_timeout, ok);
            co_return;
        }

        auto started = clock_type::now();
        request_context ctx;
        ctx.req = parser.release();
        split_target(ctx);
        ctx.request_id = rid;
        fill_client(*st, ctx, conn->peer, tls);

        response res = co_await dispatch(st, ctx);
        bool keep = ctx.req.keep_alive() && !conn->stopping;
        res.version(ctx.req.version());
        res.keep_alive(keep);
        res.set(bhttp::field::server, st->opts.server_name);
        res.set("X-Request-Id", ctx.request_id);
        if (!res.has_content_length() && !res.chunked()) res.prepare_payload();
        // Counted before the write, so that a client that has its answer also sees it counted.
        record(*st, ctx, res.result_int(), res.body().size(), started);
        // Idle from here for the caps, so that a client that has its answer sees the connection
        // as one that may give way; chosen during the write, it closes once the answer is out.
        st->set_idle(*conn, true);
        bool ok = false;
        co_await write_response(stream, res, st->opts.write_timeout, ok);
        conn->busy = false;
        if (!ok || !keep || conn->stopping) co_return;
    }
}

net::awaitable<void> run_plain(std::shared_ptr<server::impl> st, tcp::socket socket,
                               std::shared_ptr<connection> conn) {
    beast::tcp_stream stream(std::move(socket));
    conn->close = [&stream] {
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
    };
    if (conn->stopping) conn->close();
    stream.expires_after(header_deadline(st->opts));
    co_await serve_requests(st, stream, conn, false);
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->close = nullptr;
}

net::awaitable<void> run_tls(std::shared_ptr<server::impl> st, tcp::socket socket,
                             std::shared_ptr<connection> conn) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), st->ssl);
    conn->close = [&stream] {
        beast::error_code ignored;
        auto& s = beast::get_lowest_layer(stream).socket();
        s.shutdown(tcp::socket::shutdown_both, ignored);
        s.close(ignored);
    };
    if (conn->stopping) conn->close();
    // The handshake and the first request's header share the header deadline.
    beast::get_lowest_layer(stream).expires_after(header_deadline(st->opts));
    auto [hec] = co_await stream.async_handshake(net::ssl::stream_base::server, use_tuple);
    if (!hec) {
        co_await serve_requests(st, stream, conn, true);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
        auto [sec] = co_await stream.async_shutdown(use_tuple);
        (void)sec;  // the peer may well have gone already
    }
    conn->close = nullptr;
}

net::awaitable<void> run_connection(std::shared_ptr<server::impl> st, tcp::socket socket,
                                    std::shared_ptr<connection> conn) {
    if (st->tls)
        co_await run_tls(st, std::move(socket), conn);
    else
        co_await run_plain(st, std::move(socket), conn);
}

constexpr std::size_t max_refusing = 64;  // refusals answered at once; beyond, closed unread

bool always_answered(const server::impl& st, const request_context& ctx) {
    return ctx.req.method() == verb::get &&
           std::find(st.opts.always_answer.begin(), st.opts.always_answer.end(), ctx.path) !=
               st.opts.always_answer.end();
}

// Reads the refused connection's request under a short deadline and answers it: a health check
// normally, anything else 503 with Retry-After. Nothing for a client that sends nothing.
net::awaitable<void> answer_refused(std::shared_ptr<server::impl> st, beast::tcp_stream& stream,
                                    core::ip_address peer) {
    stream.expires_after(std::min(header_deadline(st->opts), std::chrono::milliseconds(2000)));
    beast::flat_buffer buffer;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(
        static_cast<std::uint32_t>(std::min<std::size_t>(st->opts.max_header_bytes, 8192)));
    parser.body_limit(0);
    auto [rec, rn] = co_await bhttp::async_read(stream, buffer, parser, use_tuple);
    if (rec == beast::error::timeout || rec == bhttp::error::end_of_stream ||
        rec == net::error::eof || rec == net::error::connection_reset)
        co_return;
    response res;
    bool answered = false;
    if (!rec) {
        request_context ctx;
        ctx.req = parser.release();
        split_target(ctx);
        ctx.request_id = detail::make_request_id(ctx.req["X-Request-Id"]);
        fill_client(*st, ctx, peer, false);
        if (always_answered(*st, ctx)) {
            const auto started = clock_type::now();
            res = co_await dispatch(st, ctx);
            res.set("X-Request-Id", ctx.request_id);
            res.prepare_payload();
            record(*st, ctx, res.result_int(), res.body().size(), started);
            answered = true;
        }
    }
    if (!answered) {
        res = error_response(status::service_unavailable, "too_many_connections",
                             "the gateway is at its connection limit; retry shortly");
        res.set(bhttp::field::retry_after, "1");
    }
    res.keep_alive(false);
    res.set(bhttp::field::server, st->opts.server_name);
    stream.expires_after(std::chrono::seconds(2));
    co_await bhttp::async_write(stream, res, use_tuple);
}

// Over a connection cap with nothing idle to give way. A health check is answered anyway (an
// orchestrator must not restart a healthy process because of a flood); anything else gets 503
// with Retry-After rather than connections queueing until file descriptors run out. Only so
// many refusals are answered at once; TLS ones are closed without a handshake.
net::awaitable<void> refuse(std::shared_ptr<server::impl> st, tcp::socket socket,
                            std::string reason) {
    st->metrics.inc("dgw_http_connections_refused_total", {{"reason", reason}});
    beast::tcp_stream stream(std::move(socket));
    beast::error_code ec;
    const auto endpoint = stream.socket().remote_endpoint(ec);
    const auto answering = st->refusing.fetch_add(1);
    if (!st->tls && !ec && answering < max_refusing)
        co_await answer_refused(st, stream, to_ip(endpoint.address()));
    st->refusing.fetch_sub(1);
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

void spawn_connection(const std::shared_ptr<server::impl>& st, tcp::socket socket,
                      std::shared_ptr<connection> conn) {
    // The socket was accepted onto a fresh strand: the connection's coroutine runs there.
    // Boundary 2 of STYLE.md §4: an escaped exception ends this connection only.
    net::co_spawn(conn->strand, run_connection(st, std::move(socket), conn),
                  [st, conn](std::exception_ptr e) {
                      if (e) {
                          try {
                              std::rethrow_exception(e);
                          } catch (const std::exception& ex) {
                              st->log.error("http", std::string("connection failed: ") + ex.what());
                          } catch (...) {
                              st->log.error("http", "connection failed");
                          }
                      }
                      st->remove(conn);
                  });
}

net::awaitable<void> accept_loop(std::shared_ptr<server::impl> st) {
    for (;;) {
        auto [ec, socket] = co_await st->acceptor.async_accept(net::make_strand(st->ioc), use_tuple);
        if (st->stopping.load() || ec == net::error::operation_aborted) co_return;
        if (ec) {
            // Out of descriptors or similar: back off briefly instead of spinning.
            st->log.warn("http", "accept failed: " + ec.message());
            net::steady_timer pause(st->strand, std::chrono::milliseconds(100));
            co_await pause.async_wait(use_tuple);
            continue;
        }
        beast::error_code pec;
        const auto endpoint = socket.remote_endpoint(pec);
        if (pec) continue;  // gone already
        const auto peer = to_ip(endpoint.address());
        const bool capped = !core::in_any(st->opts.trusted_proxies, peer);
        auto conn = std::make_shared<connection>(socket.get_executor(), peer, capped);
        switch (st->admit(conn)) {
            case admission::admit:
                spawn_connection(st, std::move(socket), std::move(conn));
                break;
            case admission::over_address:
                net::co_spawn(socket.get_executor(), refuse(st, std::move(socket), "per_address"),
                              net::detached);
                break;
            case admission::over_total:
                net::co_spawn(socket.get_executor(),
                              refuse(st, std::move(socket), "max_connections"), net::detached);
                break;
        }
    }
}

net::awaitable<void> drain(std::shared_ptr<server::impl> st) {
    beast::error_code ec;
    st->acceptor.close(ec);
    st->drained.expires_after(st->opts.drain_timeout);
    st->stop_connections(false);
    if (st->count() > 0) co_await st->drained.async_wait(use_tuple);
    if (st->count() > 0) {
        st->log.warn("http", std::to_string(st->count()) +
                                 " connection(s) still busy after the drain timeout; closing");
        st->drained.expires_after(std::chrono::seconds(5));
        st->stop_connections(true);
        if (st->count() > 0) co_await st->drained.async_wait(use_tuple);
    }
    if (st->on_drained) st->on_drained();
}

}  // namespace

server::server(net::io_context& ioc, server_options options, router routes, core::metrics& metrics,
               core::logger& log)
    : impl_(std::make_shared<impl>(ioc, std::move(options), std::move(routes), metrics, log)) {
    metrics.describe("dgw_http_requests_total", "HTTP requests by route pattern, method and status.",
                     core::metrics::kind::counter);
    metrics.describe("dgw_http_request_duration_seconds",
                     "Time from a request's header read to its response ready, by route pattern.",
                     core::metrics::kind::histogram, core::metrics::latency_buckets());
    metrics.describe("dgw_http_connections_refused_total",
                     "Connections answered 503 (health checks excepted) because a connection cap "
                     "was reached with no idle connection to close: max_connections, or "
                     "per_address (max_connections_per_address).",
                     core::metrics::kind::counter);
    metrics.describe("dgw_http_connections_shed_total",
                     "Idle keep-alive connections closed to make room for a new one at a cap.",
                     core::metrics::kind::counter);
}

server::~server() = default;

void server::start() {
    auto& st = *impl_;
    if (st.opts.tls_cert_file && st.opts.tls_key_file) {
        beast::error_code ec;
        st.ssl.set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                           net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                           net::ssl::context::no_tlsv1_1);
        st.ssl.use_certificate_chain_file(*st.opts.tls_cert_file, ec);
        if (ec)
            throw std::runtime_error("cannot load TLS certificate " + *st.opts.tls_cert_file +
                                     ": " + ec.message());
        st.ssl.use_private_key_file(*st.opts.tls_key_file, net::ssl::context::pem, ec);
        if (ec)
            throw std::runtime_error("cannot load TLS key " + *st.opts.tls_key_file + ": " +
                                     ec.message());
        st.tls = true;
    }
    beast::error_code ec;
    auto address = net::ip::make_address(st.opts.host, ec);
    if (ec) throw std::runtime_error("bad listen address " + st.opts.host + ": " + ec.message());
    tcp::endpoint ep(address, st.opts.port);
    auto fail = [&](const char* what) {
        throw std::runtime_error(std::string("cannot ") + what + " " + st.opts.host + ":" +
                                 std::to_string(st.opts.port) + ": " + ec.message());
    };
    st.acceptor.open(ep.protocol(), ec);
    if (ec) fail("open");
    st.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    st.acceptor.bind(ep, ec);
    if (ec) fail("bind");
    st.acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (ec) fail("listen on");
    net::co_spawn(st.strand, accept_loop(impl_), [self = impl_](std::exception_ptr e) {
        if (e) self->log.error("http", "accept loop ended by an exception");
    });
}

net::ip::tcp::endpoint server::local_endpoint() const {
    beast::error_code ec;
    return impl_->acceptor.local_endpoint(ec);
}

void server::shutdown(std::function<void()> done) {
    auto self = impl_;
    net::post(self->strand, [self, done = std::move(done)]() mutable {
        if (self->stopping.exchange(true)) return;
        self->on_drained = std::move(done);
        net::co_spawn(self->strand, drain(self), net::detached);
    });
}

std::size_t server::connection_count() const { return impl_->count(); }

const router& server::routes() const { return impl_->routes; }

}  // namespace dgw::http
