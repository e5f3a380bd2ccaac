#include "dgw/http/router.hpp"

#include <boost/asio/awaitable.hpp>
#include <gtest/gtest.h>

#include <stdexcept>

namespace dgw::http {
namespace {

net::awaitable<response> ok(request_context&) { co_return text_response(status::ok, "ok"); }

router make() {
    router r;
    r.add(verb::get, "/healthz", ok);
    r.add(verb::post, "/webhooks/{channel}", ok);
    r.add(verb::get, "/webhooks/{channel}", ok);
    r.add(verb::get, "/api/v1/flows/{id}", ok);
    r.add(verb::get, "/api/v1/flows/drafts", ok);
    r.add(verb::put, "/api/v1/sessions/{id}/concerns/{concern}", ok);
    return r;
}

TEST(Router, MatchesLiteralAndParameters) {
    auto r = make();
    auto m = r.match(verb::post, "/webhooks/zalo-main");
    auto* hit = std::get_if<router::matched>(&m);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(*hit->pattern, "/webhooks/{channel}");
    EXPECT_EQ(hit->params.at("channel"), "zalo-main");

    m = r.match(verb::put, "/api/v1/sessions/s1/concerns/LC-7K4M2");
    hit = std::get_if<router::matched>(&m);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->params.at("id"), "s1");
    EXPECT_EQ(hit->params.at("concern"), "LC-7K4M2");
}

TEST(Router, LiteralSegmentBeatsParameter) {
    auto r = make();
    auto m = r.match(verb::get, "/api/v1/flows/drafts");
    auto* hit = std::get_if<router::matched>(&m);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(*hit->pattern, "/api/v1/flows/drafts");
    EXPECT_TRUE(hit->params.empty());
    m = r.match(verb::get, "/api/v1/flows/menu");
    hit = std::get_if<router::matched>(&m);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(*hit->pattern, "/api/v1/flows/{id}");
}

TEST(Router, NotFoundVersusMethodNotAllowed) {
    auto r = make();
    EXPECT_TRUE(std::holds_alternative<router::not_found>(r.match(verb::get, "/nope")));
    EXPECT_TRUE(std::holds_alternative<router::not_found>(r.match(verb::get, "/webhooks")));
    EXPECT_TRUE(std::holds_alternative<router::not_found>(r.match(verb::get, "/webhooks/a/b")));
    auto m = r.match(verb::delete_, "/webhooks/telegram");
    auto* bad = std::get_if<router::method_not_allowed>(&m);
    ASSERT_NE(bad, nullptr);
    EXPECT_EQ(bad->allow, "GET, POST");
}

TEST(Router, PercentDecodesParametersAndToleratesSlashes) {
    auto r = make();
    auto m = r.match(verb::get, "//healthz/");
    EXPECT_TRUE(std::holds_alternative<router::matched>(m));
    m = r.match(verb::get, "/webhooks/l%C3%A0o");
    auto* hit = std::get_if<router::matched>(&m);
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->params.at("channel"), "l\xC3\xA0o");
}

TEST(Router, RejectsBadPatternsAndDuplicates) {
    router r;
    r.add(verb::get, "/a/{id}", ok);
    EXPECT_THROW(r.add(verb::get, "/a/{other}", ok), std::invalid_argument);
    EXPECT_THROW(r.add(verb::get, "no-slash", ok), std::invalid_argument);
    EXPECT_THROW(r.add(verb::get, "/a/{open", ok), std::invalid_argument);
    EXPECT_NO_THROW(r.add(verb::post, "/a/{id}", ok));
}

TEST(QueryParam, Decodes) {
    request_context ctx;
    ctx.query = "hub.mode=subscribe&hub.verify_token=a%2Bb+c&hub.challenge=123&flag";
    EXPECT_EQ(ctx.query_param("hub.mode"), "subscribe");
    EXPECT_EQ(ctx.query_param("hub.verify_token"), "a+b c");
    EXPECT_EQ(ctx.query_param("hub.challenge"), "123");
    EXPECT_EQ(ctx.query_param("flag"), "");
    EXPECT_EQ(ctx.query_param("missing"), "");
}

}  // namespace
}  // namespace dgw::http
