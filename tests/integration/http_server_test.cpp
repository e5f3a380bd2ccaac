// The HTTP server over real loopback sockets: keep-alive, errors, limits, timeouts, the
// connection cap, graceful shutdown and TLS. No sleeps are used to synchronise: tests wait on
// promises set by handlers, or on the server closing a socket.

#include "support/flood.hpp"
#include "support/running_server.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/http/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <future>
#include <thread>

namespace dgw {
namespace {

using test::running_server;
using test::sync_client;
using nlohmann::json;

net::awaitable<http::response> echo(http::request_context& ctx) {
    co_return http::json_response(
        http::status::ok, {{"route", ctx.route}, {"params", ctx.params}, {"body", ctx.req.body()}});
}

http::router echo_routes() {
    http::router r;
    r.add(http::verb::get, "/healthz", echo);
    r.add(http::verb::post, "/webhooks/{channel}", echo);
    r.add(http::verb::get, "/webhooks/{channel}", echo);
    return r;
}

std::string error_code_of(const std::string& body) {
    auto j = json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.contains("error")) return "<not an error body>";
    EXPECT_TRUE(j["error"]["message"].is_string());
    return j["error"]["code"].get<std::string>();
}

TEST(HttpServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    running_server srv({}, echo_routes());
    sync_client c(srv.port());
    for (int i = 0; i < 3; ++i) {
        auto res = c.request(test::bhttp::verb::post, "/webhooks/telegram", "{\"n\":1}");
        ASSERT_EQ(res.result_int(), 200u);
        EXPECT_TRUE(res.keep_alive());
        auto body = json::parse(res.body());
        EXPECT_EQ(body["route"], "/webhooks/{channel}");
        EXPECT_EQ(body["params"]["channel"], "telegram");
    }
    EXPECT_EQ(srv.server().connection_count(), 1u);
}

TEST(HttpServer, NotFoundAndMethodNotAllowedAreJsonErrors) {
    running_server srv({}, echo_routes());
    sync_client c(srv.port());
    auto res = c.request(test::bhttp::verb::get, "/nope");
    EXPECT_EQ(res.result_int(), 404u);
    EXPECT_EQ(res[test::bhttp::field::content_type], "application/json");
    EXPECT_EQ(error_code_of(res.body()), "not_found");

    res = c.request(test::bhttp::verb::delete_, "/webhooks/zalo");
    EXPECT_EQ(res.result_int(), 405u);
    EXPECT_EQ(res[test::bhttp::field::allow], "GET, POST");
    EXPECT_EQ(error_code_of(res.body()), "method_not_allowed");
    EXPECT_TRUE(res.keep_alive()) << "a 404/405 must not cost the connection";
}

TEST(HttpServer, BodyOverTheLimitIs413AndTheConnectionCloses) {
    http::server_options o;
    o.max_body_bytes = 1000;
    running_server srv(o, echo_routes());
    {
        sync_client c(srv.port());
        auto res = c.request(test::bhttp::verb::post, "/webhooks/x", std::string(1000, 'a'));
        EXPECT_EQ(res.result_int(), 200u) << "exactly the limit is allowed";
    }
    sync_client c(srv.port());
    auto res = c.request(test::bhttp::verb::post, "/webhooks/x", std::string(1001, 'a'));
    EXPECT_EQ(res.result_int(), 413u);
    EXPECT_EQ(error_code_of(res.body()), "payload_too_large");
    EXPECT_FALSE(res.keep_alive());
    EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, ChunkedBodyOverTheLimitIs413) {
    http::server_options o;
    o.max_body_bytes = 100;
    running_server srv(o, echo_routes());
    sync_client c(srv.port());
    std::string raw =
        "POST /webhooks/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        "c8\r\n" + std::string(200, 'b') + "\r\n0\r\n\r\n";
    boost::asio::write(c.stream().socket(), boost::asio::buffer(raw));
    boost::beast::flat_buffer buf;
    test::bhttp::response<test::bhttp::string_body> res;
    test::bhttp::read(c.stream(), buf, res);
    EXPECT_EQ(res.result_int(), 413u);
}

TEST(HttpServer, HeaderOverTheLimitIs431) {
    http::server_options o;
    o.max_header_bytes = 2048;
    running_server srv(o, echo_routes());
    sync_client c(srv.port());
    test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/healthz", 11};
    req.set("X-Padding", std::string(4096, 'p'));
    auto res = c.send(req);
    EXPECT_EQ(res.result_int(), 431u);
    EXPECT_EQ(error_code_of(res.body()), "header_too_large");
}

TEST(HttpServer, MalformedRequestIs400) {
    running_server srv({}, echo_routes());
    sync_client c(srv.port());
    std::string raw = "GARBAGE\r\n\r\n";
    boost::asio::write(c.stream().socket(), boost::asio::buffer(raw));
    boost::beast::flat_buffer buf;
    test::bhttp::response<test::bhttp::string_body> res;
    test::bhttp::read(c.stream(), buf, res);
    EXPECT_EQ(res.result_int(), 400u);
    EXPECT_EQ(error_code_of(res.body()), "bad_request");
}

TEST(HttpServer, RequestIdIsEchoedOrGenerated) {
    running_server srv({}, echo_routes());
    sync_client c(srv.port());
    test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/healthz", 11};
    req.set("X-Request-Id", "platform-abc.123");
    auto res = c.send(req);
    EXPECT_EQ(res["X-Request-Id"], "platform-abc.123");
    req.set("X-Request-Id", "bad id with spaces");
    res = c.send(req);
    EXPECT_EQ(res["X-Request-Id"].size(), 16u);
    EXPECT_NE(res["X-Request-Id"], "bad id with spaces");
}

TEST(HttpServer, MetricsUseTheRoutePatternNotTheRawPath) {
    running_server srv({}, echo_routes());
    sync_client c(srv.port());
    c.request(test::bhttp::verb::post, "/webhooks/telegram", "{}");
    c.request(test::bhttp::verb::post, "/webhooks/zalo", "{}");
    c.request(test::bhttp::verb::get, "/secret-path-123");
    EXPECT_EQ(srv.metrics().value("dgw_http_requests_total", {{"route", "/webhooks/{channel}"},
                                                               {"method", "POST"},
                                                               {"status", "200"}}),
              2.0);
    auto text = srv.metrics().render();
    EXPECT_NE(text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1"), std::string::npos);
    EXPECT_EQ(text.find("secret-path-123"), std::string::npos);
    EXPECT_NE(text.find("dgw_http_request_duration_seconds_count{route=\"/webhooks/{channel}\"} 2"),
              std::string::npos);
}

TEST(HttpServer, HandlerExceptionIsA500AndTheServerLivesOn) {
    http::router r = echo_routes();
    r.add(http::verb::get, "/boom", [](http::request_context&) -> net::awaitable<http::response> {
        throw std::runtime_error("kaboom");
    });
    running_server srv({}, std::move(r));
    sync_client c(srv.port());
    auto res = c.request(test::bhttp::verb::get, "/boom");
    EXPECT_EQ(res.result_int(), 500u);
    EXPECT_EQ(error_code_of(res.body()), "internal");
    EXPECT_EQ(res.body().find("kaboom"), std::string::npos) << "details stay in the log";
    EXPECT_EQ(c.request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
}

// A client that sends its header one byte at a time must be cut off by the read timeout,
// while 100 other clients are served normally at the same time.
TEST(HttpServer, TricklingClientIsCutOffWhileOthersAreServed) {
    http::server_options o;
    o.read_timeout = std::chrono::milliseconds(500);
    running_server srv(o, echo_routes(), 2);

    std::atomic<bool> trickler_cut{false};
    std::thread trickler([&] {
        boost::asio::io_context ioc;
        boost::asio::ip::tcp::socket s(ioc);
        s.connect({boost::asio::ip::make_address("127.0.0.1"), srv.port()});
        std::string header = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(200, 's');
        // At most ~10 s of trickling; the server must close long before.
        for (std::size_t i = 0; i < header.size(); ++i) {
            boost::system::error_code ec;
            boost::asio::write(s, boost::asio::buffer(&header[i], 1), ec);
            if (ec) {
                trickler_cut = true;
                return;
            }
            // Pace the trickle (this is the client's behaviour, not synchronisation).
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (s.available(ec) > 0 || ec) break;
        }
        // Either the write failed above, or the server closed and the read says so.
        char c;
        boost::system::error_code ec;
        s.read_some(boost::asio::buffer(&c, 1), ec);
        trickler_cut = ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset;
    });

    std::atomic<int> served{0};
    std::vector<std::thread> others;
    for (int t = 0; t < 4; ++t) {
        others.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                sync_client c(srv.port());
                if (c.request(test::bhttp::verb::get, "/healthz").result_int() == 200) ++served;
            }
        });
    }
    for (auto& t : others) t.join();
    trickler.join();
    EXPECT_EQ(served.load(), 100);
    EXPECT_TRUE(trickler_cut.load());
}

TEST(HttpServer, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    http::server_options o;
    o.idle_timeout = std::chrono::milliseconds(300);
    running_server srv(o, echo_routes());
    sync_client c(srv.port());
    EXPECT_EQ(c.request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
    EXPECT_TRUE(c.closed_by_peer());  // blocks until the server closes (client timeout 20 s)
}

TEST(HttpServer, TwoHundredConcurrentConnections) {
    running_server srv({}, echo_routes(), 2);
    boost::asio::io_context ioc;
    std::vector<std::unique_ptr<boost::beast::tcp_stream>> streams;
    for (int i = 0; i < 200; ++i) {
        auto s = std::make_unique<boost::beast::tcp_stream>(ioc);
        s->connect({boost::asio::ip::make_address("127.0.0.1"), srv.port()});
        streams.push_back(std::move(s));
    }
    // All 200 are open at once: send on every one, then read every answer.
    for (auto& s : streams) {
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/healthz", 11};
        req.set(test::bhttp::field::host, "x");
        test::bhttp::write(*s, req);
    }
    int ok = 0;
    for (auto& s : streams) {
        boost::beast::flat_buffer buf;
        test::bhttp::response<test::bhttp::string_body> res;
        s->expires_after(std::chrono::seconds(20));
        test::bhttp::read(*s, buf, res);
        if (res.result_int() == 200) ++ok;
    }
    EXPECT_EQ(ok, 200);
    EXPECT_EQ(srv.server().connection_count(), 200u);
}

// A handler that waits until the test lets it go: the in-flight request during shutdown.
struct gate {
    std::promise<void> entered;
    std::shared_ptr<net::steady_timer> timer;
};

net::awaitable<http::response> wait_at_gate(std::shared_ptr<gate> g, http::request_context&) {
    // Its own reference, taken before saying it entered: the test lets the gate go (expires
    // the timer, drops it) as soon as it knows, maybe before this waits.
    auto timer = g->timer;
    g->entered.set_value();
    co_await timer->async_wait(net::as_tuple(net::use_awaitable));
    co_return http::text_response(http::status::ok, "finished");
}

// A full server closes the connection idle the longest to take a newcomer: idle keep-alive
// connections, however many, cannot lock anyone out.
TEST(HttpServer, AtTheConnectionCapTheConnectionIdleLongestGivesWay) {
    http::server_options o;
    o.max_connections = 3;
    running_server srv(o, echo_routes());
    std::vector<std::unique_ptr<sync_client>> idle;
    for (int i = 0; i < 3; ++i) {
        idle.push_back(std::make_unique<sync_client>(srv.port()));
        ASSERT_EQ(idle.back()->request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
    }
    sync_client newcomer(srv.port());
    EXPECT_EQ(newcomer.request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
    EXPECT_TRUE(idle[0]->closed_by_peer()) << "the oldest idle connection made room";
    EXPECT_EQ(idle[2]->request(test::bhttp::verb::get, "/healthz").result_int(), 200u);
    EXPECT_EQ(srv.metrics().value("dgw_http_connections_shed_total"), 1.0);
}

// Only when every connection is busy is a newcomer refused: 503 with Retry-After, except the
// health check, which an orchestrator must always get an answer to.
TEST(HttpServer, OverTheConnectionCapWithNothingIdleIsRefusedButHealthIsAnswered) {
    auto g = std::make_shared<gate>();
    http::router r = echo_routes();
    r.add(http::verb::get, "/slow",
          [g](http::request_context& ctx) { return wait_at_gate(g, ctx); });
    http::server_options o;
    o.max_connections = 1;
    o.always_answer = {"/healthz"};
    running_server srv(o, std::move(r));
    g->timer = std::make_shared<net::steady_timer>(srv.ioc(), std::chrono::hours(1));
    auto slow = std::async(std::launch::async, [&] {
        sync_client c(srv.port());
        return c.request(test::bhttp::verb::get, "/slow");
    });
    g->entered.get_future().wait();

    sync_client c(srv.port());
    auto res = c.request(test::bhttp::verb::post, "/webhooks/telegram", "{}");
    EXPECT_EQ(res.result_int(), 503u);
    EXPECT_EQ(error_code_of(res.body()), "too_many_connections");
    EXPECT_EQ(res[test::bhttp::field::retry_after], "1");
    EXPECT_FALSE(res.keep_alive());
    sync_client health(srv.port());
    res = health.request(test::bhttp::verb::get, "/healthz");
    EXPECT_EQ(res.result_int(), 200u) << "a flood must never make /healthz answer 503";
    EXPECT_EQ(
        srv.metrics().value("dgw_http_connections_refused_total", {{"reason", "max_connections"}}),
        2.0);

    net::post(srv.ioc(), [g] {
        g->timer->expires_at(net::steady_timer::time_point::min());  // waiting yet or not
        g->timer.reset();
    });
    EXPECT_EQ(slow.get().result_int(), 200u);
}

// One address opens connection after connection, idle or trickling headers, as the flood that
// took the gateway down did: it holds at most its share, and another address is served.
TEST(HttpServer, OneAddressCannotTakeEveryConnection) {
    http::server_options o;
    o.max_connections = 40;
    o.max_connections_per_address = 8;
    o.header_timeout = std::chrono::milliseconds(500);
    running_server srv(o, echo_routes());
    test::flood attacker;
    auto idle = attacker.open("127.0.0.2", srv.port(), 30, test::flood::mode::idle);
    EXPECT_EQ(idle.served, 30) << "its own idle connections give way to its new ones";
    auto trickle = attacker.open("127.0.0.2", srv.port(), 30, test::flood::mode::trickle);
    EXPECT_EQ(trickle.open + trickle.closed, 30);
    int served = 0;
    for (int i = 0; i < 20; ++i) {
        if (test::get_from("127.0.0.1", srv.port(), "/healthz") == 200) ++served;
        sync_client c(srv.port());
        if (c.request(test::bhttp::verb::post, "/webhooks/telegram", "{}").result_int() == 200)
            ++served;
    }
    EXPECT_EQ(served, 40);
    EXPECT_GE(srv.metrics().value("dgw_http_connections_shed_total"), 22.0)
        << "beyond 8, each of its idle newcomers closed its own oldest";
    EXPECT_GE(
        srv.metrics().value("dgw_http_connections_refused_total", {{"reason", "per_address"}}),
        1.0);
}

// The header deadline, not the whole request's: a trickling client is cut off even when
// the read timeout would let it go on.
TEST(HttpServer, HeaderDeadlineCutsOffATricklingClient) {
    http::server_options o;
    o.header_timeout = std::chrono::milliseconds(300);
    o.read_timeout = std::chrono::seconds(60);
    running_server srv(o, echo_routes());
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), srv.port()});
    const std::string header =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(400, 's');
    bool cut = false;
    for (std::size_t i = 0; i < header.size() && !cut; ++i) {
        boost::system::error_code ec;
        boost::asio::write(s, boost::asio::buffer(&header[i], 1), ec);
        // Pace the trickle (the client's behaviour, not synchronisation).
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        cut = ec || s.available(ec) > 0 || ec;
    }
    char c;
    boost::system::error_code ec;
    s.read_some(boost::asio::buffer(&c, 1), ec);
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
        << "after " << header.size() << " bytes at 20/s the header is still unfinished";
}

net::awaitable<http::response> whoami(http::request_context& ctx) {
    co_return http::json_response(http::status::ok,
                                  {{"address", ctx.remote_address}, {"tls", ctx.tls}});
}

// Behind a reverse proxy the client is who the proxy says, and only a trusted proxy is
// believed; the proxy, carrying many clients, is not held to the per-address cap.
TEST(HttpServer, OnlyTrustedProxiesNameTheClient) {
    http::router r;
    r.add(http::verb::get, "/whoami", whoami);
    http::server_options o;
    o.trusted_proxies = {*core::parse_ip_block("127.0.0.1")};
    o.max_connections_per_address = 2;
    running_server srv(o, std::move(r));
    auto ask = [&](sync_client& c, const char* forwarded, const char* proto) {
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/whoami", 11};
        req.set(test::bhttp::field::host, "x");
        req.set("X-Forwarded-For", forwarded);
        req.set("X-Forwarded-Proto", proto);
        return json::parse(c.send(req).body());
    };
    std::vector<std::unique_ptr<sync_client>> via_proxy;
    for (int i = 0; i < 5; ++i) {
        via_proxy.push_back(std::make_unique<sync_client>(srv.port()));
        auto j = ask(*via_proxy.back(), "10.9.9.9, 203.0.113.7", "https");
        EXPECT_EQ(j["address"], "203.0.113.7");
        EXPECT_EQ(j["tls"], true);
    }
    for (auto& c : via_proxy)
        EXPECT_EQ(ask(*c, "198.51.100.1", "http")["address"], "198.51.100.1")
            << "all five proxy connections stay open: the cap is for clients";

    // Not a trusted proxy: its headers are the client's own words, ignored.
    boost::asio::io_context ioc;
    boost::beast::tcp_stream stream(ioc);
    stream.socket().open(boost::asio::ip::tcp::v4());
    stream.socket().bind({boost::asio::ip::make_address("127.0.0.2"), 0});
    stream.connect({boost::asio::ip::make_address("127.0.0.1"), srv.port()});
    test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/whoami", 11};
    req.set(test::bhttp::field::host, "x");
    req.set("X-Forwarded-For", "203.0.113.7");
    req.set("X-Forwarded-Proto", "https");
    test::bhttp::write(stream, req);
    boost::beast::flat_buffer buf;
    test::bhttp::response<test::bhttp::string_body> res;
    test::bhttp::read(stream, buf, res);
    auto j = json::parse(res.body());
    EXPECT_EQ(j["address"], "127.0.0.2");
    EXPECT_EQ(j["tls"], false);
}

TEST(HttpServer, ShutdownDrainsAnInFlightRequestAndClosesIdleOnes) {
    auto g = std::make_shared<gate>();
    http::router r = echo_routes();
    r.add(http::verb::get, "/slow",
          [g](http::request_context& ctx) { return wait_at_gate(g, ctx); });
    running_server srv({}, std::move(r));
    g->timer = std::make_shared<net::steady_timer>(srv.ioc(), std::chrono::hours(1));

    sync_client idle(srv.port());
    ASSERT_EQ(idle.request(test::bhttp::verb::get, "/healthz").result_int(), 200u);

    auto slow = std::async(std::launch::async, [&] {
        sync_client c(srv.port());
        return c.request(test::bhttp::verb::get, "/slow");
    });
    g->entered.get_future().wait();
    auto drained = srv.shutdown();
    EXPECT_TRUE(idle.closed_by_peer()) << "idle keep-alive connections close at once";
    EXPECT_EQ(drained.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout)
        << "must wait for the in-flight request";
    // New connections are no longer accepted.
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    boost::system::error_code ec;
    s.connect({boost::asio::ip::make_address("127.0.0.1"), srv.port()}, ec);
    EXPECT_TRUE(ec) << "the listener must be closed";

    // Let go and dropped on an io thread: the timer belongs to the server's io_context, and
    // touching it here while the handler's wait runs there would race.
    net::post(srv.ioc(), [g] {
        g->timer->expires_at(net::steady_timer::time_point::min());  // waiting yet or not
        g->timer.reset();
    });
    auto res = slow.get();
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(res.body(), "finished");
    EXPECT_FALSE(res.keep_alive()) << "responses during shutdown carry Connection: close";
    drained.wait();
}

TEST(HttpServer, ShutdownClosesRequestsStillRunningAfterTheDrainTimeout) {
    auto g = std::make_shared<gate>();
    http::router r;
    r.add(http::verb::get, "/slow",
          [g](http::request_context& ctx) { return wait_at_gate(g, ctx); });
    http::server_options o;
    o.drain_timeout = std::chrono::milliseconds(200);
    running_server srv(o, std::move(r));
    g->timer = std::make_shared<net::steady_timer>(srv.ioc(), std::chrono::hours(1));
    auto slow = std::async(std::launch::async, [&] {
        sync_client c(srv.port());
        try {
            c.request(test::bhttp::verb::get, "/slow");
            return false;
        } catch (const boost::system::system_error&) {
            return true;  // cut off
        }
    });
    g->entered.get_future().wait();
    auto drained = srv.shutdown();
    EXPECT_TRUE(slow.get());
    // Let go and dropped on an io thread: the timer belongs to the server's io_context, and
    // touching it here while the handler's wait runs there would race.
    net::post(srv.ioc(), [g] {
        g->timer->expires_at(net::steady_timer::time_point::min());  // waiting yet or not
        g->timer.reset();
    });
    drained.wait();
}

TEST(HttpServer, ServesTlsWithTheConfiguredCertificate) {
    auto cert = test::make_self_signed("localhost");
    http::server_options o;
    o.tls_cert_file = cert.cert;
    o.tls_key_file = cert.key;
    running_server srv(o, echo_routes());

    net::io_context ioc;
    http::client_options co;
    co.ca_file = cert.cert;
    http::client cl(ioc.get_executor(), co);
    http::client_request req;
    req.method = http::verb::post;
    req.url = "https://127.0.0.1:" + std::to_string(srv.port()) + "/webhooks/secure";
    req.body = "hello";
    auto fut = net::co_spawn(ioc, cl.send(req), net::use_future);
    ioc.run();
    auto result = fut.get();
    ASSERT_TRUE(result.has_value()) << result.error().message;
    EXPECT_EQ(result->status, 200u);
    EXPECT_EQ(json::parse(result->body)["body"], "hello");

    // A plain-text client gets nothing useful from a TLS port.
    sync_client plain(srv.port());
    EXPECT_THROW(plain.request(test::bhttp::verb::get, "/healthz"), boost::system::system_error);
    std::filesystem::remove_all(cert.dir);
}

TEST(HttpServer, StartFailsClearlyOnAnUnreadableCertificate) {
    net::io_context ioc;
    core::metrics m;
    core::null_logger log;
    http::server_options o;
    o.port = 0;
    o.tls_cert_file = "/nonexistent/cert.pem";
    o.tls_key_file = "/nonexistent/key.pem";
    http::server s(ioc, o, echo_routes(), m, log);
    try {
        s.start();
        FAIL() << "start() must throw";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/cert.pem"), std::string::npos);
    }
}

}  // namespace
}  // namespace dgw
