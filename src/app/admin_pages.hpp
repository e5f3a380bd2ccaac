#pragma once
// The officials' and admins' web app (src/web/admin, embedded at build time): static
// files served under /admin/ with a strict Content-Security-Policy. The app speaks only to
// /api/v1; the pages themselves need no login (they hold no data).
//
//   GET /            -> 302 /admin/
//   GET /admin (and /admin/), /admin/app.js, /admin/app.css, /admin/flow_forms.js,
//   /admin/flows.js, /admin/users.js, /admin/dashboard.js, /admin/handoffs.js, /admin/register.js

#include <dgw/http/router.hpp>

#include <string_view>

namespace dgw::app {

extern const std::string_view admin_index_html;
extern const std::string_view admin_app_js;
extern const std::string_view admin_app_css;
extern const std::string_view admin_flow_forms_js;
extern const std::string_view admin_flows_js;
extern const std::string_view admin_users_js;
extern const std::string_view admin_dashboard_js;
extern const std::string_view admin_handoffs_js;
extern const std::string_view admin_followups_js;
extern const std::string_view admin_messages_js;
extern const std::string_view admin_live_js;
extern const std::string_view admin_register_js;

/// Adds the routes above to `r`.
void add_admin_pages(http::router& r);

}  // namespace dgw::app
