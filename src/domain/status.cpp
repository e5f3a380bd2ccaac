#include "dgw/domain/status.hpp"

namespace dgw::domain {

std::string status_words(core::concern_status s, std::string_view lang) {
    const bool vi = lang == "vi";
    using cs = core::concern_status;
    switch (s) {
        case cs::received: return vi ? "đã tiếp nhận" : "received";
        case cs::scheduled: return vi ? "đã xếp vào buổi đối thoại" : "scheduled for a dialogue session";
        case cs::answered: return vi ? "đã được trả lời" : "answered";
        case cs::forwarded:
            return vi ? "đã chuyển cơ quan có thẩm quyền" : "forwarded to the competent body";
        case cs::withdrawn: return vi ? "đã rút" : "withdrawn";
        case cs::merged:
            return vi ? "đã gộp với phản ánh cùng nội dung" : "merged with a similar concern";
        case cs::unscheduled: return vi ? "đang chờ xếp lịch" : "waiting to be scheduled";
    }
    return std::string(core::to_string(s));
}

std::string status_line(const store::concern& k, std::string_view lang) {
    auto out = status_words(k.status, lang);
    if (!k.session_label.empty()) out += " — " + k.session_label;
    return out;
}

}  // namespace dgw::domain
