// The dashboard's figures (GET /api/v1/stats/dashboard): gathered here on the database
// thread over the concerns in the asker's scope, computed by dashboard_stats().

#include "api/service.hpp"

#include <dgw/api/dashboard.hpp>

namespace dgw::api {
namespace {

using nlohmann::json;

// When a concern was first answered: its first audit line that set the status `answered`
// (an answer recorded for it or its group, or a status change by hand).
std::optional<store::time_point> first_answer(store::store& s, const std::string& ref) {
    for (const auto& e : s.list_audit("concern:" + ref, 1000)) {
        if (e.action == "concern.answer") return e.at;
        if (e.after.empty()) continue;
        const auto after = json::parse(e.after, nullptr, false);
        if (after.is_object() && after.value("status", "") == "answered") return e.at;
    }
    return std::nullopt;
}

}  // namespace

net::awaitable<http::response> service::dashboard(http::request_context& c, const principal& p) {
    const auto by = c.query_param("by");
    if (!by.empty() && by != "week" && by != "month")
        co_return refuse(error::period_invalid, {{"field", "by"}});
    const auto period = by == "week" ? dashboard_period::week : dashboard_period::month;
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto work = [self, who, period, now](store::store& s) {
        std::vector<store::concern> mine;
        store::concern_filter all;
        for (auto& k : s.search_concerns(all, nullptr, 0, 1000000).items)
            if (in_scope(who, self->place_of(k))) mine.push_back(std::move(k));
        std::map<std::string, store::time_point> answered_at;
        for (const auto& k : mine)
            if (k.status == "answered")
                if (auto at = first_answer(s, k.ref)) answered_at[k.ref] = *at;
        auto figures = dashboard_stats(mine, answered_at, *self->deps_.dialogue, period, now);
        // Citizens waiting for a person (the hand-off inbox), in the same scope.
        std::size_t waiting = 0;
        for (const auto& h : s.list_handoffs("open", 100000)) waiting += in_scope(who, self->place_of(h));
        figures["handoffs_open"] = waiting;
        return ok(figures);
    };
    co_return co_await on_db(work);
}

}  // namespace dgw::api
