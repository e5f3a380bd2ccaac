#include "app/admin_pages.hpp"

namespace dgw::app {
namespace {

// Scripts, styles, pictures and requests from this origin only; no framing (clickjacking).
constexpr const char* csp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

http::response file(std::string_view body, const char* type) {
    auto res = http::text_response(http::status::ok, std::string(body), type);
    res.set("Content-Security-Policy", csp);
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    // Small files that change with each release: always revalidated, never stale.
    res.set(beast::http::field::cache_control, "no-cache");
    return res;
}

struct asset {
    const char* path;
    const std::string_view* body;
    const char* type;
};

net::awaitable<http::response> serve(const asset* a) {
    co_return file(*a->body, a->type);
}

}  // namespace

void add_admin_pages(http::router& r) {
    using http::verb;
    auto index = [](http::request_context&) -> net::awaitable<http::response> {
        co_return file(admin_index_html, "text/html; charset=utf-8");
    };
    r.add(verb::get, "/admin", index);  // the router takes "/admin/" for it too
    static constexpr asset assets[] = {
        {"/admin/app.js", &admin_app_js, "text/javascript; charset=utf-8"},
        {"/admin/flow_forms.js", &admin_flow_forms_js, "text/javascript; charset=utf-8"},
        {"/admin/flows.js", &admin_flows_js, "text/javascript; charset=utf-8"},
        {"/admin/users.js", &admin_users_js, "text/javascript; charset=utf-8"},
        {"/admin/dashboard.js", &admin_dashboard_js, "text/javascript; charset=utf-8"},
        {"/admin/handoffs.js", &admin_handoffs_js, "text/javascript; charset=utf-8"},
        {"/admin/register.js", &admin_register_js, "text/javascript; charset=utf-8"},
        {"/admin/followups.js", &admin_followups_js, "text/javascript; charset=utf-8"},
        {"/admin/live.js", &admin_live_js, "text/javascript; charset=utf-8"},
        {"/admin/messages.js", &admin_messages_js, "text/javascript; charset=utf-8"},
        {"/admin/app.css", &admin_app_css, "text/css; charset=utf-8"},
    };
    for (const auto& a : assets)
        // Not a coroutine itself: the coroutine gets the asset as a parameter, not a capture.
        r.add(verb::get, a.path, [&a](http::request_context&) { return serve(&a); });
    r.add(verb::get, "/", [](http::request_context&) -> net::awaitable<http::response> {
        auto res = http::text_response(http::status::found, "", "text/plain");
        res.set(beast::http::field::location, "/admin/");
        co_return res;
    });
}

}  // namespace dgw::app
