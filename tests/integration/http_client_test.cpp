// The outbound client against local servers on port 0: plain and TLS, connection reuse,
// certificate verification failures, timeouts and refused connections.

#include "support/running_server.hpp"
#include "support/test_cert.hpp"

#include <dgw/http/client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <filesystem>

namespace dgw {
namespace {

net::awaitable<http::response> hello(http::request_context& ctx) {
    auto res = http::text_response(http::status::created, "hi " + ctx.req.body());
    res.set("X-Token-Seen", std::string(ctx.req["Authorization"]));
    co_return res;
}

net::awaitable<http::response> never(http::request_context&) {
    net::steady_timer t(co_await net::this_coro::executor, std::chrono::seconds(1));
    co_await t.async_wait(net::as_tuple(net::use_awaitable));
    co_return http::text_response(http::status::ok, "late");
}

http::router routes() {
    http::router r;
    r.add(http::verb::post, "/bot/sendMessage", hello);
    r.add(http::verb::get, "/slow", never);
    return r;
}

http::client_result send_one(http::client& c, net::io_context& ioc, http::client_request req) {
    auto fut = net::co_spawn(ioc, c.send(std::move(req)), net::use_future);
    ioc.restart();
    ioc.run();
    return fut.get();
}

TEST(HttpClient, PlainRequestsReuseOneConnection) {
    test::running_server srv({}, routes());
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    for (int i = 0; i < 3; ++i) {
        http::client_request req;
        req.url = "http://127.0.0.1:" + std::to_string(srv.port()) + "/bot/sendMessage";
        req.body = "n" + std::to_string(i);
        req.headers = {{"Authorization", "Bearer t"}, {"Content-Type", "text/plain"}};
        auto r = send_one(c, ioc, req);
        ASSERT_TRUE(r.has_value()) << r.error().message;
        EXPECT_EQ(r->status, 201u);
        EXPECT_EQ(r->body, "hi n" + std::to_string(i));
        EXPECT_EQ(r->headers["X-Token-Seen"], "Bearer t");
    }
    EXPECT_EQ(c.connections_opened(), 1u);
    EXPECT_EQ(c.idle_connections(), 1u);
    EXPECT_EQ(srv.server().connection_count(), 1u);
}

TEST(HttpClient, RetriesOnceWhenThePooledConnectionWasClosed) {
    http::server_options o;
    o.idle_timeout = std::chrono::milliseconds(100);
    test::running_server srv(o, routes());
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    http::client_request req;
    req.url = "http://127.0.0.1:" + std::to_string(srv.port()) + "/bot/sendMessage";
    ASSERT_TRUE(send_one(c, ioc, req).has_value());
    // Wait until the server has dropped the idle connection (no sleep: poll its count).
    while (srv.server().connection_count() != 0) std::this_thread::yield();
    auto r = send_one(c, ioc, req);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 201u);
    EXPECT_EQ(c.connections_opened(), 2u);
}

TEST(HttpClient, HttpsVerifiesTheCertificateAndTheHostName) {
    auto cert = test::make_self_signed("localhost");
    http::server_options o;
    o.tls_cert_file = cert.cert;
    o.tls_key_file = cert.key;
    test::running_server srv(o, routes());
    const auto port = std::to_string(srv.port());

    net::io_context ioc;
    http::client_options trusting;
    trusting.ca_file = cert.cert;
    http::client good(ioc.get_executor(), trusting);
    http::client_request req;
    req.url = "https://localhost:" + port + "/bot/sendMessage";
    req.body = "tls";
    auto r = send_one(good, ioc, req);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "hi tls");
    r = send_one(good, ioc, req);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(good.connections_opened(), 1u) << "TLS connections are reused too";

    // The system store does not know our self-signed certificate.
    http::client strict(ioc.get_executor(), {});
    r = send_one(strict, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::tls_failed);

    // Right CA, wrong name: the certificate is for localhost, not example.org.
    auto other = test::make_self_signed("example.org");
    http::client_options other_ca;
    other_ca.ca_file = other.cert;
    http::client wrong_ca(ioc.get_executor(), other_ca);
    r = send_one(wrong_ca, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::tls_failed);

    std::filesystem::remove_all(cert.dir);
    std::filesystem::remove_all(other.dir);
}

TEST(HttpClient, HostNameMismatchIsRejected) {
    auto cert = test::make_self_signed("api.example.org");  // SAN: api.example.org, 127.0.0.1
    http::server_options o;
    o.tls_cert_file = cert.cert;
    o.tls_key_file = cert.key;
    test::running_server srv(o, routes());
    net::io_context ioc;
    http::client_options co;
    co.ca_file = cert.cert;
    http::client c(ioc.get_executor(), co);
    http::client_request req;
    req.url = "https://localhost:" + std::to_string(srv.port()) + "/bot/sendMessage";
    auto r = send_one(c, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::tls_failed);
    // The same server by the IP address the certificate names is accepted.
    req.url = "https://127.0.0.1:" + std::to_string(srv.port()) + "/bot/sendMessage";
    r = send_one(c, ioc, req);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    std::filesystem::remove_all(cert.dir);
}

TEST(HttpClient, TotalTimeoutIsATypedError) {
    test::running_server srv({}, routes());
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    http::client_request req;
    req.method = http::verb::get;
    req.url = "http://127.0.0.1:" + std::to_string(srv.port()) + "/slow";
    req.timeout = std::chrono::milliseconds(200);
    auto r = send_one(c, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::timeout);
    EXPECT_EQ(c.idle_connections(), 0u) << "a timed-out connection is not pooled";
}

TEST(HttpClient, RefusedConnectionAndBadUrls) {
    // Bind a port, then close it, so nothing listens there.
    std::uint16_t port = 0;
    {
        net::io_context tmp;
        net::ip::tcp::acceptor a(tmp, {net::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    }
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    http::client_request req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
    auto r = send_one(c, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::connect_failed);

    for (const char* bad : {"ftp://x/", "http://", "http://host:0/", "http://host:99999/",
                            "https://user@host/", "not a url"}) {
        req.url = bad;
        r = send_one(c, ioc, req);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().code, http::client_errc::bad_url) << bad;
    }
}

TEST(HttpClient, ErrorMessagesNeverContainTheUrlPath) {
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    http::client_request req;
    std::uint16_t port = 0;
    {
        net::io_context tmp;
        net::ip::tcp::acceptor a(tmp, {net::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    }
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/bot123456:SECRET/sendMessage";
    auto r = send_one(c, ioc, req);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace dgw
