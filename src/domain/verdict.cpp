#include "dgw/domain/verdict.hpp"

namespace dgw::domain {

std::string_view to_string(verdict v) noexcept {
    return v == verdict::satisfied ? "satisfied" : "unsatisfied";
}

std::optional<verdict> parse_verdict(std::string_view id) noexcept {
    if (id == "satisfied") return verdict::satisfied;
    if (id == "unsatisfied") return verdict::unsatisfied;
    return std::nullopt;
}

std::string verdict_invitation(std::string_view lang) {
    if (lang == "en")
        return "Did this settle it? Reply \"Satisfied\", or \"Not satisfied\" and we will take "
               "it to the next session.";
    return "Câu trả lời đã thỏa đáng chưa? Xin nhắn \"Đã thỏa đáng\", hoặc \"Chưa thỏa đáng\" để "
           "phản ánh được đưa ra kỳ tiếp xúc tiếp theo.";
}

store::concern reopened(const store::concern& first, store::time_point now) {
    store::concern c;
    c.contact_id = first.contact_id;
    c.channel = first.channel;
    c.topic = first.topic;
    c.commune_code = first.commune_code;
    c.commune_name = first.commune_name;
    c.text = first.text;
    c.audience = first.audience;
    c.media = first.media;
    c.lat = first.lat;
    c.lon = first.lon;
    c.phone = first.phone;
    c.anonymous = first.anonymous;
    c.consent = first.consent;
    c.urgent = first.urgent;
    c.answers = first.answers;
    c.source = first.source;
    c.citizen_name = first.citizen_name;
    c.follows = first.ref;
    c.created_at = c.updated_at = now;
    return c;
}

}  // namespace dgw::domain
