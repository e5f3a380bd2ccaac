// Inviting an audience's concerns (issue 19 item 2): for a session, the links that open each
// chat that can be opened so (the web chat at the gateway's public address, Telegram by the
// bot's name) carrying the invitation, and their QR codes to print. A citizen who comes in by
// one has their concerns filed for that session's audience (domain::audience_for).

#include "service.hpp"

#include <dgw/api/qr.hpp>
#include <dgw/core/message.hpp>

namespace dgw::api {
namespace {

using nlohmann::json;

std::string invite_url(const api_deps::invite_link& l, const std::string& session) {
    return l.prefix + std::string(core::invite_prefix) + session;
}

}  // namespace

// The session as the caller sees it (404, 403 as for its agenda), and its invitations: each
// link with its QR code as an SVG document.
net::awaitable<http::response> service::session_invite(http::request_context& c, const principal& p) {
    const std::string id = c.params["id"];
    auto read = [](store::store& s) { return std::pair{s.list_session_overrides(), s.list_added_sessions()}; };
    auto [overrides, added] = co_await on_db(read);
    const auto found = find_session(*deps_.dialogue, overrides, added, id, deps_.now());
    if (auto no = session_refusal(found, id, p, false)) co_return std::move(*no);
    // A payload longer than Telegram takes cannot be an invitation.
    if (core::invite_of(std::string(core::invite_prefix) + id).empty())
        co_return refuse(error::session_not_found, {{"id", id}});
    json links = json::array();
    for (const auto& l : deps_.invite_links) {
        const auto url = invite_url(l, id);
        links.push_back({{"channel", l.channel}, {"type", l.type}, {"url", url}, {"qr_svg", qr_svg(url)}});
    }
    json audience = nullptr;
    if (const auto* a = deps_.dialogue->find_audience(found->audience))
        audience = {{"id", a->id}, {"name_vi", a->name_vi}, {"name_en", a->name_en}};
    co_return ok({{"session", id}, {"audience", audience}, {"links", links}});
}

}  // namespace dgw::api
