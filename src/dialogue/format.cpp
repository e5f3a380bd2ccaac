#include "dgw/dialogue/format.hpp"

#include <cmath>
#include <cstdio>

namespace dgw::dialogue {

nlohmann::json to_json(const session& s) {
    nlohmann::json j;
    j["id"] = s.id;
    j["level"] = s.level;
    j["locality"] = s.locality;
    j["locality_name"] = s.locality_name;
    j["month"] = to_string(s.month);
    j["date"] = s.date ? nlohmann::json(to_string(*s.date)) : nlohmann::json(nullptr);
    j["status"] = std::string(to_string(s.status));
    j["venue"] = s.venue;
    j["audience"] = s.audience.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.audience);
    j["topics"] = s.topics;
    j["title_vi"] = s.title_vi;
    j["title_en"] = s.title_en;
    j["generated"] = s.generated;
    if (!s.note.empty()) j["note"] = s.note;
    return j;
}

std::string to_text(const session& s) {
    std::string when = s.date ? to_string(*s.date) : to_string(s.month);
    char level[16];
    std::snprintf(level, sizeof level, "%-9s", s.level.c_str());
    std::string out =
        when + (s.date ? "  " : "     ") + level + " " + s.locality + " " + s.locality_name;
    if (!s.venue.empty()) out += " — " + s.venue;
    if (!s.audience.empty()) out += " (audience: " + s.audience + ")";
    out += " [" + std::string(to_string(s.status)) + "]";
    return out;
}

nlohmann::json to_json(const route_result& r) {
    nlohmann::json j;
    j["status"] = std::string(to_string(r.status));
    j["reason"] = r.reason;
    j["reason_vi"] = r.reason_vi;
    j["session"] = r.session ? to_json(*r.session) : nlohmann::json(nullptr);
    return j;
}

std::string to_text(const route_result& r) {
    std::string out = std::string(to_string(r.status)) + ": " + r.reason;
    if (r.session) out += "\nsession " + r.session->id;
    return out;
}

nlohmann::json to_json(const core::locality_lookup::result& r) {
    nlohmann::json j;
    j["unique"] = r.unique;
    j["candidates"] = nlohmann::json::array();
    for (const auto& c : r.candidates) {
        // Two decimals are all a confidence means; more only makes output unstable to read.
        j["candidates"].push_back({{"code", c.code},
                                   {"name", c.name},
                                   {"confidence", std::round(c.confidence * 100.0) / 100.0},
                                   {"why", c.why}});
    }
    return j;
}

std::string to_text(const core::locality_lookup::result& r) {
    if (r.candidates.empty()) return "no commune matches";
    std::string out = r.unique ? "unique match:" : "candidates:";
    for (const auto& c : r.candidates) {
        char conf[16];
        std::snprintf(conf, sizeof conf, "%.2f", c.confidence);
        out += "\n  " + c.code + "  " + c.name + "  " + conf + "  (" + c.why + ")";
    }
    return out;
}

std::string receipt_text(const route_result& r, std::string_view reference, std::string_view lang) {
    const std::string ref(reference);
    if (lang == "vi") {
        std::string out = "Ý kiến của bạn đã được ghi nhận, mã số " + ref + ". ";
        if (r.session)
            return out + "Ý kiến sẽ được đưa ra buổi đối thoại " + r.session->locality_name + ", " +
                   when_vi(*r.session) + ".";
        return out + "Hiện chưa có buổi đối thoại phù hợp; cán bộ sẽ xếp lịch và báo lại cho bạn.";
    }
    std::string out = "Your concern is recorded, reference " + ref + ". ";
    if (r.session)
        return out + "It will be heard at the " + r.session->level + " session of " +
               r.session->locality_name + ", " + when_en(*r.session) + ".";
    return out + "No session hears it yet; officials will schedule it and let you know.";
}

}  // namespace dgw::dialogue
