#include "dgw/http/server.hpp"

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

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>

namespace dgw::http {
namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace bhttp = beast::http;
using tcp = net::ip::tcp;
using clock_type = std::chrono::steady_clock;

// One open connection, as the shutdown path sees it. `busy`, `stopping` and `close` are touched
// only on the connection's strand.
struct connection {
    explicit connection(net::any_io_executor ex) : strand(std::move(ex)) {}
    net::any_io_executor strand;
    std::function<void()> close;
    bool busy = false;
    bool stopping = false;
};

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
    std::atomic<bool> stopping{false};
    std::function<void()> on_drained;  // strand only

    void add(const std::shared_ptr<connection>& c) {
        std::lock_guard lock(mutex);
        connections.insert(c);
    }

    void remove(const std::shared_ptr<connection>& c) {
        bool last = false;
        {
            std::lock_guard lock(mutex);
            connections.erase(c);
            last = connections.empty();
        }
        if (last && stopping.load()) {
            net::post(strand, [self = shared_from_this()] { self->drained.cancel(); });
        }
    }

    std::size_t count() const {
        std::lock_guard lock(mutex);
        return connections.size();
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

template <class Stream>
net::awaitable<void> serve_requests(std::shared_ptr<server::impl> st, Stream& stream,
                                    std::shared_ptr<connection> conn, std::string remote,
                                    bool tls) {
    beast::flat_buffer buffer;
    auto& lowest = beast::get_lowest_layer(stream);
    bool first = true;
    for (;;) {
        // Wait for the first byte of the next request: the idle timeout applies between
        // requests, the (shorter) read timeout to the request itself.
        if (buffer.size() == 0) {
            lowest.expires_after(first ? st->opts.read_timeout : st->opts.idle_timeout);
            auto [ec, n] = co_await stream.async_read_some(buffer.prepare(4096), use_tuple);
            if (ec) co_return;
            buffer.commit(n);
        }
        first = false;
        conn->busy = true;
        lowest.expires_after(st->opts.read_timeout);

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
        std::string_view target = ctx.req.target();
        auto q = target.find('?');
        ctx.path = std::string(target.substr(0, q));
        if (q != std::string_view::npos) ctx.query = std::string(target.substr(q + 1));
        ctx.request_id = rid;
        ctx.remote_address = remote;
        ctx.tls = tls;

        response res = co_await dispatch(st, ctx);
        bool keep = ctx.req.keep_alive() && !conn->stopping;
        res.version(ctx.req.version());
        res.keep_alive(keep);
        res.set(bhttp::field::server, st->opts.server_name);
        res.set("X-Request-Id", ctx.request_id);
        if (!res.has_content_length() && !res.chunked()) res.prepare_payload();
        // Counted before the write, so that a client that has its answer also sees it counted.
        record(*st, ctx, res.result_int(), res.body().size(), started);
        bool ok = false;
        co_await write_response(stream, res, st->opts.write_timeout, ok);
        conn->busy = false;
        if (!ok || !keep || conn->stopping) co_return;
    }
}

net::awaitable<void> run_plain(std::shared_ptr<server::impl> st, tcp::socket socket,
                               std::shared_ptr<connection> conn) {
    beast::tcp_stream stream(std::move(socket));
    beast::error_code ec;
    auto ep = stream.socket().remote_endpoint(ec);
    conn->close = [&stream] {
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream.socket().close(ignored);
    };
    if (conn->stopping) conn->close();
    // Named first: GCC 12 mishandles a prvalue string argument inside a co_await expression.
    std::string remote = ec ? std::string() : ep.address().to_string();
    co_await serve_requests(st, stream, conn, std::move(remote), false);
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn->close = nullptr;
}

net::awaitable<void> run_tls(std::shared_ptr<server::impl> st, tcp::socket socket,
                             std::shared_ptr<connection> conn) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), st->ssl);
    beast::error_code ec;
    auto ep = beast::get_lowest_layer(stream).socket().remote_endpoint(ec);
    conn->close = [&stream] {
        beast::error_code ignored;
        auto& s = beast::get_lowest_layer(stream).socket();
        s.shutdown(tcp::socket::shutdown_both, ignored);
        s.close(ignored);
    };
    if (conn->stopping) conn->close();
    beast::get_lowest_layer(stream).expires_after(st->opts.read_timeout);
    auto [hec] = co_await stream.async_handshake(net::ssl::stream_base::server, use_tuple);
    if (!hec) {
        std::string remote = ec ? std::string() : ep.address().to_string();
        co_await serve_requests(st, stream, conn, std::move(remote), true);
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

// Over the connection cap: answer 503 with Retry-After and close, instead of queueing
// connections until file descriptors run out.
net::awaitable<void> refuse(std::shared_ptr<server::impl> st, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    auto res = error_response(status::service_unavailable, "too_many_connections",
                              "the gateway is at its connection limit; retry shortly");
    res.set(bhttp::field::retry_after, "1");
    res.keep_alive(false);
    if (!st->tls) {
        stream.expires_after(std::chrono::seconds(2));
        co_await bhttp::async_write(stream, res, use_tuple);
    }
    st->metrics.inc("dgw_http_connections_refused_total");
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

void spawn_connection(const std::shared_ptr<server::impl>& st, tcp::socket socket) {
    // The socket was accepted onto a fresh strand: the connection's coroutine runs there.
    auto conn = std::make_shared<connection>(socket.get_executor());
    st->add(conn);
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
        if (st->count() >= st->opts.max_connections) {
            net::co_spawn(socket.get_executor(), refuse(st, std::move(socket)), net::detached);
            continue;
        }
        spawn_connection(st, std::move(socket));
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
                     "Connections answered 503 because server.max_connections was reached.",
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

}  // namespace dgw::http
