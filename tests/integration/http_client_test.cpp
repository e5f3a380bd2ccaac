// The outbound client against local servers on port 0: plain and TLS, connection reuse,
// certificate verification failures, timeouts and refused connections; and the fetch policy of
// media downloads, attacked as a leaked webhook secret would let anyone attack it.

#include "support/mock_platform.hpp"
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

// ----- fetch policy --------------------------------------------------------------------------

std::shared_ptr<const http::fetch_policy> policy(std::vector<std::string> hosts,
                                                 std::size_t max_bytes = 1024 * 1024) {
    auto p = std::make_shared<http::fetch_policy>();
    p->hosts = std::move(hosts);
    p->max_bytes = max_bytes;
    return p;
}

http::client_result fetch(http::client& c, net::io_context& ioc, std::string url,
                          std::shared_ptr<const http::fetch_policy> p,
                          std::vector<std::pair<std::string, std::string>> headers = {}) {
    http::client_request req;
    req.method = http::verb::get;
    req.url = std::move(url);
    req.policy = std::move(p);
    req.headers = std::move(headers);
    req.timeout = std::chrono::seconds(10);
    return send_one(c, ioc, std::move(req));
}

TEST(FetchPolicy, HostsMatchExactlyOrAsSubdomains) {
    http::fetch_policy p;
    p.hosts = {"*.viber.com", "api.telegram.org", "203.0.113.7", "::1"};
    EXPECT_TRUE(p.host_allowed("dl-media.viber.com"));
    EXPECT_TRUE(p.host_allowed("a.b.viber.com"));
    EXPECT_FALSE(p.host_allowed("viber.com")) << "the pattern is for subdomains";
    EXPECT_FALSE(p.host_allowed("evilviber.com"));
    EXPECT_FALSE(p.host_allowed("viber.com.evil.net"));
    EXPECT_TRUE(p.host_allowed("api.telegram.org"));
    EXPECT_FALSE(p.host_allowed("api.telegram.org.evil.net"));
    EXPECT_TRUE(p.host_allowed("203.0.113.7"));
    EXPECT_TRUE(p.host_allowed("0:0::1")) << "an address in any of its spellings";
    EXPECT_FALSE(p.host_allowed("127.0.0.1"));
}

// Names must resolve to public addresses: what an attacker's DNS answers for a host under an
// allowed suffix is checked, not trusted.
TEST(FetchPolicy, ANameMayOnlyLeadToAPublicAddress) {
    http::fetch_policy p;
    p.hosts = {"*.viber.com", "10.1.2.3"};
    for (const char* inside :
         {"127.0.0.1", "10.0.0.1", "169.254.169.254", "192.168.1.10", "172.20.0.5", "100.64.1.1",
          "::1", "fd00::5", "fe80::1", "ff02::1", "::ffff:10.0.0.1", "0.0.0.0", "224.0.0.251"})
        EXPECT_FALSE(p.address_allowed("dl-media.viber.com", *core::parse_ip(inside))) << inside;
    EXPECT_TRUE(p.address_allowed("dl-media.viber.com", *core::parse_ip("104.18.8.1")));
    EXPECT_TRUE(p.address_allowed("10.1.2.3", *core::parse_ip("10.1.2.3")))
        << "an address the operator listed is theirs to choose";
    EXPECT_FALSE(p.address_allowed("10.1.2.4", *core::parse_ip("10.1.2.4")));
}

// The addresses a webhook's download URL could aim the gateway at, on a channel whose photos
// come from its CDN: none is fetched, and nothing reaches the inner server.
TEST(FetchPolicy, InternalAddressesAreRefusedBeforeAnyRequest) {
    test::mock_platform inner(200, "internal secrets");
    const auto port = inner.base().substr(inner.base().rfind(':'));
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    const auto cdn = policy({"*.viber.com"});
    const std::vector<std::string> inward = {"http://127.0.0.1" + port + "/x",
                                             "http://10.0.0.1/x",
                                             "http://169.254.169.254/latest/",
                                             "http://[::1]" + port + "/x",
                                             "http://localhost" + port + "/x",
                                             "http://0x7f000001/x",
                                             "http://2130706433/x"};
    for (const auto& url : inward) {
        auto r = fetch(c, ioc, url, cdn);
        ASSERT_FALSE(r.has_value()) << url;
        EXPECT_EQ(r.error().code, http::client_errc::refused) << url << ": " << r.error().message;
    }
    // A name on the list that resolves to this machine is refused on its address.
    auto r = fetch(c, ioc, "http://localhost" + port + "/x", policy({"localhost"}));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::refused) << r.error().message;
    EXPECT_NE(r.error().message.find("resolves only to"), std::string::npos) << r.error().message;
    EXPECT_EQ(inner.count(), 0u);
    // Listed as an address, by the operator, it is fetched (how tests reach their mocks).
    r = fetch(c, ioc, "http://127.0.0.1" + port + "/x", policy({"127.0.0.1"}));
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->body, "internal secrets");
    EXPECT_EQ(c.idle_connections(), 0u) << "a fetch never fills the pool";
}

// A permitted host redirecting inward: every hop is checked as the first one was.
TEST(FetchPolicy, RedirectsAreCheckedHopByHop) {
    test::mock_platform inner(200, "internal secrets");
    test::mock_platform cdn(404, "{}");
    const auto inner_port = inner.base().substr(inner.base().rfind(':'));
    cdn.respond_with([&](const test::mock_platform::request& r,
                         std::size_t) -> std::optional<test::mock_platform::answer> {
        test::mock_platform::answer a;
        a.status = 302;
        if (r.path == "/to-name")
            a.headers = {{"Location", "http://localhost" + inner_port + "/x"}};
        else if (r.path == "/to-address")
            a.headers = {{"Location", "http://169.254.169.254/latest/meta-data/"}};
        else if (r.path == "/to-inner")
            a.headers = {{"Location", inner.base() + "/x"}};
        else if (r.path == "/loop")
            a.headers = {{"Location", "/loop"}};
        else
            return std::nullopt;
        return a;
    });
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    // The CDN is the operator's mock (listed by address); "localhost" is on the list too, to
    // show that the address rule, not the list, refuses it.
    const auto p = policy({"127.0.0.1", "localhost"});
    for (const char* path : {"/to-name", "/to-address"}) {
        auto r = fetch(c, ioc, cdn.base() + path, p);
        ASSERT_FALSE(r.has_value()) << path;
        EXPECT_EQ(r.error().code, http::client_errc::refused) << path << ": " << r.error().message;
    }
    auto r = fetch(c, ioc, cdn.base() + "/loop", p);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::refused);
    EXPECT_NE(r.error().message.find("redirects"), std::string::npos) << r.error().message;
    EXPECT_EQ(inner.count(), 0u);
    // A redirect that is allowed is followed, without the first request's headers.
    r = fetch(c, ioc, cdn.base() + "/to-inner", p, {{"Authorization", "Bearer platform-token"}});
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->status, 200u);
    ASSERT_EQ(inner.count(), 1u);
    EXPECT_EQ(inner.requests()[0].headers.count("authorization"), 0u);
    EXPECT_EQ(cdn.requests().back().headers.at("authorization"), "Bearer platform-token");
}

TEST(FetchPolicy, ALargerAnswerThanTheLimitIsRefused) {
    test::mock_platform cdn(200, std::string(5000, 'x'));
    net::io_context ioc;
    http::client c(ioc.get_executor(), {});
    auto r = fetch(c, ioc, cdn.base() + "/big.jpg", policy({"127.0.0.1"}, 4096));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, http::client_errc::response_too_large);
    r = fetch(c, ioc, cdn.base() + "/big.jpg", policy({"127.0.0.1"}, 8192));
    EXPECT_TRUE(r.has_value());
}

}  // namespace
}  // namespace dgw
