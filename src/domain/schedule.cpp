#include "dgw/domain/schedule.hpp"

#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/filing.hpp>

namespace dgw::domain {

std::vector<dialogue::session_edit> edits_of(const std::vector<store::session_override>& all) {
    std::vector<dialogue::session_edit> out;
    for (const auto& o : all)
        out.push_back(dialogue::make_edit(o.session_id, o.status, o.date, o.venue, o.note));
    return out;
}

std::vector<dialogue::explicit_session> added_of(const std::vector<store::added_session>& all) {
    std::vector<dialogue::explicit_session> out;
    for (const auto& a : all)
        out.push_back({a.id, a.level, a.locality, dialogue::parse_date(a.date), std::nullopt,
                       a.venue, a.audience, a.topics, a.title_vi, a.title_en});
    return out;
}

std::vector<dialogue::session> routing_schedule(const dialogue::dialogue_config& cfg,
                                               const std::vector<store::added_session>& added,
                                               const std::vector<store::session_override>& edits,
                                               std::chrono::system_clock::time_point now) {
    namespace chr = std::chrono;
    const auto today = dialogue::local_date(now, cfg.utc_offset);
    const chr::year_month month{today.year(), today.month()};
    const chr::months horizon{cfg.schedule.horizon_months};
    return dialogue::apply_edits(
        dialogue::build_schedule(cfg, month, month + horizon, added_of(added)), edits_of(edits));
}

std::optional<dialogue::session> reroute(const dialogue::dialogue_config& cfg,
                                         const std::vector<dialogue::session>& schedule,
                                         store::concern& k,
                                         std::chrono::system_clock::time_point now) {
    k.updated_at = now;
    // An audience the config no longer has is dropped rather than failing the routing.
    if (!k.audience.empty() && !cfg.find_audience(k.audience)) k.audience.clear();
    return place(k, dialogue::route(cfg, schedule, {k.commune_code, k.topic, k.audience, now}), "vi");
}

}  // namespace dgw::domain
