#include "dgw/dialogue/routing.hpp"

#include <dgw/core/text.hpp>

#include <algorithm>
#include <array>
#include <tuple>

namespace dgw::dialogue {

namespace {

namespace chr = std::chrono;

constexpr std::array<const char*, 12> month_names = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/// Is `locality` (a unit of level `level`) the commune itself or one of its ancestors?
bool unit_covers(const dialogue_config& c, const unit& commune, std::string_view locality) {
    const unit* u = &commune;
    // Parents form a short chain (commune -> district); the bound guards a config cycle.
    for (int depth = 0; u && depth < 8; ++depth) {
        if (u->code == locality) return true;
        if (u->parent.empty()) break;
        u = c.find_unit(u->parent);
    }
    return false;
}

struct hearing {
    bool hears = false;
    std::size_t level_pref = 0;
    bool own_audience = false;
};

hearing hears(const dialogue_config& c, const session& s, const unit& commune, const topic& t,
              std::string_view audience) {
    hearing h;
    auto lit = std::find(t.levels.begin(), t.levels.end(), s.level);
    if (lit == t.levels.end()) return h;
    if (std::find(s.topics.begin(), s.topics.end(), t.id) == s.topics.end()) return h;
    if (!s.audience.empty() && s.audience != audience) return h;
    const level* lv = c.find_level(s.level);
    if (!lv) return h;
    // An organisation's conference is for its own staff only.
    if (lv->scope == level_scope::organisation ? s.audience.empty() : !held_for(c, s, commune))
        return h;
    h.hears = true;
    h.level_pref = static_cast<std::size_t>(lit - t.levels.begin());
    h.own_audience = !s.audience.empty();
    return h;
}

std::string level_word_en(const dialogue_config& c, std::string_view level) {
    if (const dialogue::level* lv = c.find_level(level)) {
        if (lv->scope == level_scope::organisation) return "agency";
    }
    return std::string(level);
}

std::string audience_en(const dialogue_config& c, std::string_view id) {
    const audience* a = c.find_audience(id);
    return a ? (a->name_en.empty() ? a->name_vi : a->name_en) : std::string(id);
}

std::string audience_vi(const dialogue_config& c, std::string_view id) {
    const audience* a = c.find_audience(id);
    return a ? a->name_vi : std::string(id);
}

std::string level_name_vi(const dialogue_config& c, std::string_view id) {
    const level* lv = c.find_level(id);
    return lv ? lv->name_vi : std::string(id);
}

}  // namespace

bool held_for(const dialogue_config& c, const session& s, const unit& commune) {
    const level* lv = c.find_level(s.level);
    if (!lv) return false;
    switch (lv->scope) {
        case level_scope::province:
            return true;
        case level_scope::unit:
            return unit_covers(c, commune, s.locality);
        case level_scope::organisation:
            return false;
    }
    return false;
}

std::string_view to_string(route_status s) {
    return s == route_status::scheduled ? "scheduled" : "unscheduled";
}

std::string when_en(const session& s) {
    if (s.date) {
        return "on " + std::to_string(static_cast<unsigned>(s.date->day())) + " " +
               month_names[static_cast<unsigned>(s.date->month()) - 1] + " " +
               std::to_string(static_cast<int>(s.date->year()));
    }
    return "in " + std::string(month_names[static_cast<unsigned>(s.month.month()) - 1]) + " " +
           std::to_string(static_cast<int>(s.month.year()));
}

std::string when_vi(const session& s) {
    if (s.date) {
        return "ngày " + std::to_string(static_cast<unsigned>(s.date->day())) + "/" +
               std::to_string(static_cast<unsigned>(s.date->month())) + "/" +
               std::to_string(static_cast<int>(s.date->year()));
    }
    return "tháng " + std::to_string(static_cast<unsigned>(s.month.month())) + "/" +
           std::to_string(static_cast<int>(s.month.year()));
}

namespace {
chr::year_month first_month(const dialogue_config& c, const route_request& req) {
    const chr::year_month_day today = local_date(req.received, c.utc_offset);
    return {today.year(), today.month()};
}
}  // namespace

result<route_result> route(const dialogue_config& c, const route_request& req) {
    const auto first = first_month(c, req);
    return route(c, build_schedule(c, first, first + chr::months{c.schedule.horizon_months}), req);
}

schedule_cache::schedule_cache(const dialogue_config& config) : config_(config) {}

const std::vector<session>& schedule_cache::sessions_for(const route_request& req) {
    const auto first = first_month(config_, req);
    if (!built_ || first != first_) {
        const auto last = first + chr::months{config_.schedule.horizon_months};
        sessions_ = apply_edits(build_schedule(config_, first, last, added_), edits_);
        first_ = first;
        built_ = true;
    }
    return sessions_;
}

result<route_result> schedule_cache::route(const route_request& req) {
    return dialogue::route(config_, sessions_for(req), req);
}

std::string schedule_cache::audience_of(std::string_view session_id,
                                        std::chrono::system_clock::time_point received) {
    route_request req;
    req.received = received;
    for (const auto& s : sessions_for(req))
        if (s.id == session_id) return s.audience;
    return {};
}

void schedule_cache::set_edits(std::vector<session_edit> edits) {
    if (edits == edits_) return;
    edits_ = std::move(edits);
    built_ = false;
}

void schedule_cache::set_added(std::vector<explicit_session> added) {
    if (added == added_) return;
    added_ = std::move(added);
    built_ = false;
}

result<route_result> route(const dialogue_config& c, const std::vector<session>& sessions,
                           const route_request& req) {
    const unit* commune = c.find_unit(req.commune);
    if (!commune) return error{errc::unknown_commune, "unknown commune code " + req.commune};
    const topic* t = c.find_topic(req.topic);
    if (!t) return error{errc::unknown_topic, "unknown topic " + req.topic};
    if (!req.audience.empty() && !c.find_audience(req.audience))
        return error{errc::unknown_audience, "unknown audience " + req.audience};

    const chr::year_month_day today = local_date(req.received, c.utc_offset);
    const chr::sys_days deadline = chr::sys_days{today} + chr::days{c.schedule.cutoff_days};
    const chr::year_month first{today.year(), today.month()};
    const chr::year_month last = first + chr::months{c.schedule.horizon_months};

    const session* best = nullptr;
    std::tuple<int, std::size_t, chr::sys_days> best_key{};
    // The session it would have gone to, were it open and far enough away: to explain a skip.
    const session* skipped = nullptr;
    std::tuple<int, std::size_t, chr::sys_days> skipped_key{};

    for (const auto& s : sessions) {
        const hearing h = hears(c, s, *commune, *t, req.audience);
        if (!h.hears) continue;
        const chr::sys_days day{s.earliest_day()};
        const auto key = std::tuple(h.own_audience ? 0 : 1, h.level_pref, day);
        // A session that has already taken place is history, not a skip worth explaining.
        if (s.date && day < chr::sys_days{today}) continue;
        if (!s.open() || day < deadline) {
            if (!skipped || key < skipped_key) {
                skipped = &s;
                skipped_key = key;
            }
            continue;
        }
        if (!best || key < best_key) {
            best = &s;
            best_key = key;
        }
    }

    route_result out;
    const std::string topic_en = t->name_en.empty() ? t->id : t->name_en;
    if (!best) {
        out.status = route_status::unscheduled;
        out.reason = "no open session hears " + topic_en + " for " + commune->name + " until " +
                     to_string(last) + ": kept as unscheduled for officials to assign";
        out.reason_vi = "chưa có buổi đối thoại nào nghe lĩnh vực \"" + t->name_vi + "\" của " +
                        commune->name + " đến " + to_string(last) +
                        ": ý kiến được giữ lại để cán bộ xếp lịch";
        return out;
    }
    out.status = route_status::scheduled;
    out.session = *best;
    const session& s = *best;
    std::string en = level_word_en(c, s.level) + " session of " + s.locality_name + ", " +
                     when_en(s) + ": " + topic_en + " heard at " + s.level + " level";
    // "buổi đối thoại Xã Bát Xát, tháng 12/2026: lĩnh vực "Đất đai" do cấp xã tiếp nhận"
    std::string vi = "buổi đối thoại " + s.locality_name + ", " + when_vi(s) + ": lĩnh vực \"" +
                     t->name_vi + "\" do " + core::lower(level_name_vi(c, s.level)) + " tiếp nhận";
    if (!s.audience.empty()) {
        en += " with " + audience_en(c, s.audience);
        vi += " (đối thoại với " + audience_vi(c, s.audience) + ")";
    }
    if (skipped && skipped_key < best_key) {
        const session& k = *skipped;
        if (k.status == session_status::cancelled) {
            en += "; the session " + when_en(k) + " was cancelled";
            vi += "; buổi " + when_vi(k) + " đã bị hủy";
        } else if (!k.open()) {
            en += "; the session " + when_en(k) + " was postponed without a new date";
            vi += "; buổi " + when_vi(k) + " đã hoãn, chưa có ngày mới";
        } else {
            en += "; the session " + when_en(k) + " is closed to new concerns (cut-off " +
                  std::to_string(c.schedule.cutoff_days) + " days before)";
            vi += "; buổi " + when_vi(k) + " đã hết hạn nhận ý kiến (trước " +
                  std::to_string(c.schedule.cutoff_days) + " ngày)";
        }
        if (!k.note.empty()) en += " (" + k.note + ")";
    }
    out.reason = std::move(en);
    out.reason_vi = std::move(vi);
    return out;
}

std::optional<core::session_preview_text> schedule_preview::preview(
    std::string_view topic, std::string_view locality_code, std::string_view lang) const {
    auto r = cache_.route({std::string(locality_code), std::string(topic), "", now_});
    if (!r || r->status != route_status::scheduled || !r->session) return std::nullopt;
    return core::session_preview_text{lang == "vi" ? when_vi(*r->session) : when_en(*r->session),
                                      r->session->venue};
}

}  // namespace dgw::dialogue
