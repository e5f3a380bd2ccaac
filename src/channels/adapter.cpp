#include <dgw/channels/adapter.hpp>

#include <algorithm>

namespace dgw::channels {

std::string webhook_request::header(std::string_view name) const {
    // The HTTP layer stores names in lower case; `name` is given in lower case by contract.
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
}

delivery_plan adapter::plan(const render_context& ctx) const {
    delivery_plan p;
    if (std::find(ctx.refused.begin(), ctx.refused.end(), core::reach_path::free) !=
        ctx.refused.end()) {
        p.path = core::reach_path::none;
        p.reason = "the platform refused to deliver to this citizen";
    }
    return p;
}

std::optional<send_verdict> adapter::precheck(const render_context& ctx) const {
    auto p = plan(ctx);
    if (p.path != core::reach_path::none) return std::nullopt;
    send_verdict v;
    v.outcome = send_verdict::kind::permanent;
    v.reason = p.reason;
    return v;
}

}  // namespace dgw::channels
