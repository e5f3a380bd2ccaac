#include "dgw/domain/filing.hpp"

#include <dgw/dialogue/audience.hpp>

#include <stdexcept>

namespace dgw::domain {

std::optional<dialogue::session> place(store::concern& c,
                                       const dialogue::result<dialogue::route_result>& routed,
                                       std::string_view lang) {
    if (routed && routed->status == dialogue::route_status::scheduled && routed->session) {
        const auto& s = *routed->session;
        c.status = core::concern_status::scheduled;
        c.session_id = s.id;
        c.session_label = session_label(s, lang);
        c.route_reason = routed->reason;
        return s;
    }
    c.status = core::concern_status::unscheduled;
    c.session_id.clear();
    c.session_label.clear();
    c.route_reason = routed ? routed->reason : routed.error().message;
    return std::nullopt;
}

std::string session_label(const dialogue::session& s, std::string_view lang) {
    return lang == "en" ? s.title_en + ", " + dialogue::when_en(s)
                        : s.title_vi + ", " + dialogue::when_vi(s);
}

std::string heard_at(const std::optional<dialogue::session>& s, std::string_view lang) {
    if (lang == "en")
        return s ? "It will be heard at " + session_label(*s, "en") + ", " + s->venue + "."
                 : "The session where it will be heard will be announced.";
    return s ? "Phản ánh sẽ được đưa ra " + session_label(*s, "vi") + ", tại " + s->venue + "."
             : "Buổi đối thoại xem xét phản ánh sẽ được thông báo sau.";
}

std::string audience_for(const dialogue::dialogue_config& cfg, const store::contact& ct,
                         const std::function<std::string(std::string_view)>& session_audience,
                         std::string_view text, std::chrono::system_clock::time_point now) {
    if (!ct.invite.empty() && ct.invited_at && now - *ct.invited_at <= invite_window) {
        auto invited = session_audience(ct.invite);
        if (!invited.empty() && cfg.find_audience(invited)) return invited;
    }
    return dialogue::audience_in(cfg, text);
}

std::string new_reference(const dialogue::dialogue_config& cfg, const dialogue::random_source& random,
                          const std::function<bool(std::string_view)>& taken) {
    auto ref = dialogue::make_reference(cfg.reference_prefix, random, taken);
    if (!ref) throw std::runtime_error("cannot make a reference: " + ref.error().message);
    return ref.value();
}

namespace {

// A public page of the gateway for one commune. Commune codes are digits; anything else is
// left out rather than escaped.
std::string commune_page(std::string_view public_url, std::string_view page,
                         std::string_view commune) {
    if (public_url.empty()) return "";
    std::string out = std::string(public_url) + std::string(page);
    if (!commune.empty() && commune.find_first_not_of("0123456789") == std::string_view::npos)
        out += "?commune=" + std::string(commune);
    return out;
}

}  // namespace

std::string results_link(std::string_view public_url, std::string_view commune) {
    return commune_page(public_url, "/ket-qua", commune);
}

std::string calendar_link(std::string_view public_url, std::string_view commune) {
    return commune_page(public_url, "/sessions.ics", commune);
}

std::string calendar_line(std::string_view public_url, std::string_view commune,
                          std::string_view lang) {
    const auto link = calendar_link(public_url, commune);
    if (link.empty()) return "";
    return (lang == "en" ? "\nAdd the sessions to your calendar: "
                         : "\nThêm lịch đối thoại vào điện thoại: ") +
           link;
}

}  // namespace dgw::domain
