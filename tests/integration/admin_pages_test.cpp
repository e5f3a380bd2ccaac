// The officials' web app is served by the gateway itself: three embedded files under /admin/
// with a strict Content-Security-Policy (scripts and requests from this origin only).

#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace dgw {
namespace {

class AdminPages : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-admin-pages");
        gw_ = std::make_unique<test::running_gateway>(test::base_gateway_config(dir_));
    }
    void TearDown() override {
        gw_.reset();
        std::filesystem::remove_all(dir_);
    }
    test::bhttp::response<test::bhttp::string_body> get(const std::string& path) {
        test::sync_client c(gw_->port());
        return c.request(test::bhttp::verb::get, path);
    }
    std::filesystem::path dir_;
    std::unique_ptr<test::running_gateway> gw_;
};

TEST_F(AdminPages, TheAppIsServedWithAStrictPolicy) {
    for (const char* path : {"/admin", "/admin/"}) {
        auto page = get(path);
        ASSERT_EQ(page.result_int(), 200u) << path;
        EXPECT_EQ(page[test::bhttp::field::content_type], "text/html; charset=utf-8");
        EXPECT_NE(page.body().find("<script src=\"/admin/app.js\" defer></script>"), std::string::npos);
        auto csp = std::string(page["Content-Security-Policy"]);
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
        EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
        EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
        EXPECT_EQ(page["X-Content-Type-Options"], "nosniff");
    }
    auto js = get("/admin/app.js");
    ASSERT_EQ(js.result_int(), 200u);
    EXPECT_EQ(js[test::bhttp::field::content_type], "text/javascript; charset=utf-8");
    EXPECT_NE(js.body().find("/api/v1"), std::string::npos);
    // Every script the page names is served, as JavaScript, under the same policy.
    for (const char* script : {"/admin/flow_forms.js", "/admin/flows.js", "/admin/users.js", "/admin/dashboard.js",
                               "/admin/handoffs.js", "/admin/register.js"}) {
        auto page = get("/admin/");
        EXPECT_NE(page.body().find(std::string("<script src=\"") + script + "\" defer>"),
                  std::string::npos)
            << script;
        auto res = get(script);
        ASSERT_EQ(res.result_int(), 200u) << script;
        EXPECT_EQ(res[test::bhttp::field::content_type], "text/javascript; charset=utf-8");
        EXPECT_NE(std::string(res["Content-Security-Policy"]).find("script-src 'self'"),
                  std::string::npos);
    }
    auto css = get("/admin/app.css");
    ASSERT_EQ(css.result_int(), 200u);
    EXPECT_EQ(css[test::bhttp::field::content_type], "text/css; charset=utf-8");
    // Nothing in the app points outside the gateway but the map link officials click.
    for (const auto* body : {&js.body(), &css.body()}) {
        auto at = body->find("http://");
        EXPECT_EQ(at, std::string::npos);
    }
}

// The policy's style-src 'self' blocks every inline style attribute: a page that sets one
// (el("td", {style: ...}), style="...") silently loses it, as the dashboard's bars and the
// concern texts' line breaks did. Styles go in app.css; lengths set from data are SVG
// attributes.
TEST_F(AdminPages, NoPageSetsAnInlineStyleThePolicyWouldBlock) {
    ASSERT_NE(std::string(get("/admin/")["Content-Security-Policy"]).find("style-src 'self'"),
              std::string::npos);
    for (const char* path : {"/admin/", "/admin/app.js", "/admin/flow_forms.js", "/admin/flows.js", "/admin/users.js",
                             "/admin/dashboard.js", "/admin/handoffs.js", "/admin/register.js"}) {
        const auto body = get(path).body();
        for (const char* inline_style :
             {"style=\"", "style: \"", "style: `", "\"style\":", "setAttribute(\"style\"",
              "style: '", ".cssText"})
            EXPECT_EQ(body.find(inline_style), std::string::npos) << path << ": " << inline_style;
    }
}

TEST_F(AdminPages, TheRootLeadsToTheApp) {
    auto root = get("/");
    EXPECT_EQ(root.result_int(), 302u);
    EXPECT_EQ(root[test::bhttp::field::location], "/admin/");
    EXPECT_EQ(get("/admin/missing.js").result_int(), 404u);
}

}  // namespace
}  // namespace dgw
