// The whole gateway under the attacks a hostile internet makes, made here as an attacker would:
// connection floods from one address and from many, and /metrics asked for on the public
// listener. (The router walk, the lockout attempt, forged chat cookies and the fetcher aimed
// inward are in api_test and webchat_e2e_test, next to the features they attack.)

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "support/flood.hpp"
#include "support/mock_telegram.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

namespace dgw {
namespace {

using nlohmann::json;
namespace bhttp = test::bhttp;

constexpr const char* bot_token = "5550002222:AAFhostileTokenForTests_0123456789a";
constexpr const char* secret = "hostile-webhook-secret";

class Hostile : public ::testing::Test {
protected:
    void SetUp() override { dir_ = test::make_temp_dir("dgw-hostile"); }

    void start(config::gateway_config cfg) {
        tg_ = std::make_unique<test::mock_telegram>(bot_token);
        cfg.channels.push_back(test::telegram_channel(tg_->api_base(), bot_token, secret));
        gw_ = std::make_unique<test::running_gateway>(std::move(cfg));
    }

    void TearDown() override {
        gw_.reset();
        tg_.reset();
        std::filesystem::remove_all(dir_);
    }

    // A Telegram update for an ignored edit (answered 200 once stored nothing: no flow work),
    // signed as Telegram signs it, from 127.0.0.1.
    unsigned webhook(int n) {
        test::sync_client c(gw_->port());
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/webhooks/telegram", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.set("X-Telegram-Bot-Api-Secret-Token", secret);
        req.body() = json{{"update_id", 1000 + n},
                          {"edited_message",
                           {{"message_id", n},
                            {"date", 1790000000},
                            {"edit_date", 1790000001},
                            {"chat", {{"id", 77}, {"type", "private"}, {"first_name", "B"}}},
                            {"text", "xin chao"}}}}
                         .dump();
        req.prepare_payload();
        return c.send(req).result_int();
    }

    // What another client gets while the flood holds: webhooks and health checks.
    int served_meanwhile(int rounds) {
        int ok = 0;
        for (int i = 0; i < rounds; ++i) {
            if (webhook(i) == 200u) ++ok;
            if (test::get_from("127.0.0.1", gw_->port(), "/healthz") == 200u) ++ok;
        }
        return ok;
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::mock_telegram> tg_;
    std::unique_ptr<test::running_gateway> gw_;
};

// The flood that took the gateway down: 1,030 idle keep-alive connections from one address made
// everyone else — Telegram included — get 503 for a minute, and /healthz with them. With the
// shipped limits, that address holds its share and nobody else notices.
TEST_F(Hostile, AConnectionFloodFromOneAddressLeavesOtherClientsServed) {
    start(test::base_gateway_config(dir_));
    test::flood attacker;
    auto idle = attacker.open("127.0.0.2", gw_->port(), 800, test::flood::mode::idle);
    EXPECT_EQ(idle.served, 800) << "each of its newcomers got a connection: its oldest gave way";
    auto trickle = attacker.open("127.0.0.2", gw_->port(), 300, test::flood::mode::trickle);
    EXPECT_EQ(trickle.open + trickle.closed, 300);
    EXPECT_EQ(served_meanwhile(10), 20) << "webhooks and /healthz from another address";
    EXPECT_LE(
        gw_->metrics().value("dgw_http_connections_refused_total", {{"reason", "max_connections"}}),
        0.0)
        << "one address never reaches the total cap";
    EXPECT_GE(gw_->metrics().value("dgw_http_connections_shed_total"), 700.0)
        << "its own idle connections made room for its new ones";
}

// Many addresses together past the total: the connections idle the longest give way.
TEST_F(Hostile, AFloodFromManyAddressesShedsIdleConnectionsOldestFirst) {
    auto cfg = test::base_gateway_config(dir_);
    cfg.server.max_connections = 300;
    start(cfg);
    test::flood attackers;
    int served = 0;
    for (int a = 2; a < 12; ++a)
        served +=
            attackers.open("127.0.0." + std::to_string(a), gw_->port(), 40, test::flood::mode::idle)
                .served;
    EXPECT_EQ(served, 400) << "each newcomer got a connection";
    EXPECT_EQ(served_meanwhile(10), 20);
    EXPECT_GE(gw_->metrics().value("dgw_http_connections_shed_total"), 100.0);
    EXPECT_GE(attackers.closed_by_server(), 100) << "the oldest idle connections were closed";
}

// Connections that never finish their header cannot be shed (they are not idle): the caps and
// the header deadline bound them, and /healthz is answered even when the gateway is full.
TEST_F(Hostile, TricklingHeadersFromManyAddressesNeverMakeHealth503) {
    auto cfg = test::base_gateway_config(dir_);
    cfg.server.max_connections = 60;
    start(cfg);
    test::flood attackers;
    for (int a = 2; a < 6; ++a)
        attackers.open("127.0.0." + std::to_string(a), gw_->port(), 20, test::flood::mode::trickle);
    int health = 0;
    for (int i = 0; i < 10; ++i)
        if (test::get_from("127.0.0.1", gw_->port(), "/healthz") == 200u) ++health;
    EXPECT_EQ(health, 10);
    test::sync_client m(gw_->metrics_port());
    EXPECT_EQ(m.request(bhttp::verb::get, "/healthz").result_int(), 200u)
        << "and on Prometheus's own listener, which no flood on the public one reaches";
}

// /metrics told anyone the route and status counts, the channel ids and the version.
TEST_F(Hostile, MetricsAreRefusedOnThePublicListener) {
    start(test::base_gateway_config(dir_));
    test::sync_client c(gw_->port());
    EXPECT_EQ(c.request(bhttp::verb::get, "/metrics").result_int(), 404u);
    test::sync_client m(gw_->metrics_port());
    auto res = m.request(bhttp::verb::get, "/metrics");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_NE(res.body().find("dgw_build_info"), std::string::npos);
}

TEST_F(Hostile, MetricsOnThePublicListenerNeedTheBearerToken) {
    auto cfg = test::base_gateway_config(dir_);
    cfg.metrics.listen = "";
    cfg.metrics.bearer_token = "prometheus-token-0123456789";
    start(cfg);
    EXPECT_EQ(gw_->metrics_port(), 0);
    auto scrape = [&](const std::string& authorization) {
        test::sync_client c(gw_->port());
        bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/metrics", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        if (!authorization.empty()) req.set(bhttp::field::authorization, authorization);
        return c.send(req);
    };
    EXPECT_EQ(scrape("").result_int(), 401u);
    EXPECT_EQ(scrape("Bearer prometheus-token-012345678").result_int(), 401u);
    EXPECT_EQ(scrape("Bearer prometheus-token-01234567890").result_int(), 401u);
    EXPECT_EQ(scrape("Basic cHJvbWV0aGV1czp4").result_int(), 401u);
    auto ok = scrape("Bearer prometheus-token-0123456789");
    EXPECT_EQ(ok.result_int(), 200u);
    EXPECT_NE(ok.body().find("dgw_build_info"), std::string::npos);
}

}  // namespace
}  // namespace dgw
