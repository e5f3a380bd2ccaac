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

net::awaitable<http::response> service::dashboard_report(http::request_context& c, const principal& p,
                                                        bool xlsx) {
    const auto by = c.query_param("by");
    if (!by.empty() && by != "week" && by != "month")
        co_return refuse(error::period_invalid, {{"field", "by"}});
    const auto period = by == "week" ? dashboard_period::week : dashboard_period::month;
    // The report's period: concerns filed from `from` to `to` (days in Vietnam), either open.
    std::optional<std::chrono::year_month_day> from, to;
    for (auto [name, day] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
        if (auto v = c.query_param(name); !v.empty()) {
            *day = dialogue::parse_date(v);
            if (!*day) co_return refuse(error::date_invalid, {{"field", name}});
        }
    }
    if (from && to && std::chrono::sys_days{*to} < std::chrono::sys_days{*from})
        co_return refuse(error::window_reversed);
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto work = [self, who, period, now, from, to](store::store& s) {
        std::vector<store::concern> mine;
        store::concern_filter all;
        for (auto& k : s.search_concerns(all, nullptr, 0, 1000000).items)
            if (in_scope(who, self->place_of(k)) && filed_within(k, from, to)) mine.push_back(std::move(k));
        std::map<std::string, store::time_point> answered_at;
        for (const auto& k : mine)
            if (k.status == core::concern_status::answered)
                if (auto at = first_answer(s, k.ref)) answered_at[k.ref] = *at;
        auto figures = dashboard_stats(mine, answered_at, *self->deps_.dialogue, period, now);
        // Citizens waiting for a person (the hand-off inbox), in the same scope.
        std::size_t waiting = 0;
        for (const auto& h : s.list_handoffs("open", 100000)) waiting += in_scope(who, self->place_of(h));
        figures["handoffs_open"] = waiting;
        return figures;
    };
    auto figures = co_await on_db(work);
    figures["from"] = from ? json(dialogue::to_string(*from)) : json();
    figures["to"] = to ? json(dialogue::to_string(*to)) : json();
    if (!xlsx) co_return ok(figures);
    const bool vi = c.query_param("lang") != "en";
    const auto day = [](const auto& d) { return d ? dialogue::day_text(*d) : std::string("…"); };
    const std::string when = !from && !to ? (vi ? "Toàn bộ thời gian" : "All time")
                                          : (vi ? "Từ " : "From ") + day(from) + (vi ? " đến " : " to ") + day(to);
    std::function<std::string()> make = [figures, when, vi] { return dashboard_xlsx(figures, when, vi ? "vi" : "en"); };
    std::string book = co_await document_off_thread(std::move(make));
    auto res = http::text_response(http::status::ok, std::move(book),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    res.set(beast::http::field::content_disposition, "attachment; filename=\"bao-cao-doi-thoai.xlsx\"");
    res.set(beast::http::field::cache_control, "no-store");
    co_return res;
}

}  // namespace dgw::api
