#include "dgw/core/reach.hpp"

#include "core/enum_names.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace dgw::core {
namespace {

constexpr std::array<std::pair<permission_kind, const char*>, 4> permission_names{{
    {permission_kind::notification_messages, "notification_messages"},
    {permission_kind::one_time_notification, "one_time_notification"},
    {permission_kind::follow, "follow"},
    {permission_kind::subscription, "subscription"},
}};

constexpr std::array<std::pair<reach_path, const char*>, 9> path_names{{
    {reach_path::free, "free"},
    {reach_path::template_message, "template"},
    {reach_path::tag, "tag"},
    {reach_path::optin, "optin"},
    {reach_path::zns, "zns"},
    {reach_path::sms, "sms"},
    {reach_path::page, "page"},
    {reach_path::next_contact, "next_contact"},
    {reach_path::none, "none"},
}};

constexpr std::array<std::pair<notice_purpose, const char*>, 5> purpose_names{{
    {notice_purpose::answer, "answer"},
    {notice_purpose::session_moved, "session_moved"},
    {notice_purpose::session_reminder, "session_reminder"},
    {notice_purpose::session_note, "session_note"},
    {notice_purpose::work_reminder, "work_reminder"},
}};

using detail::name_of;
using detail::parse_name;

std::int64_t to_ms(time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string joined(const std::vector<std::string>& refs) {
    std::string out;
    for (const auto& r : refs) out += (out.empty() ? "" : ", ") + r;
    return out;
}

// Cuts UTF-8 `s` to at most `max_chars` code points, the last being "…" when it was cut.
std::string cut(std::string s, std::size_t max_chars) {
    auto starts = [&](std::size_t i) { return (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80; };
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) chars += starts(i) ? 1 : 0;
    if (chars <= max_chars || max_chars == 0) return s;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (starts(i) && kept++ == max_chars - 1) return s.substr(0, i) + "…";
    }
    return s;
}

}  // namespace

const char* to_string(permission_kind k) noexcept { return name_of(permission_names, k); }
bool parse_permission_kind(std::string_view name, permission_kind& out) noexcept {
    return parse_name(permission_names, name, out);
}
const char* to_string(reach_path p) noexcept { return name_of(path_names, p); }
bool parse_reach_path(std::string_view name, reach_path& out) noexcept {
    return parse_name(path_names, name, out);
}
const char* to_string(notice_purpose p) noexcept { return name_of(purpose_names, p); }
bool parse_notice_purpose(std::string_view name, notice_purpose& out) noexcept {
    return parse_name(purpose_names, name, out);
}

void to_json(nlohmann::json& j, const permission& p) {
    j = {{"kind", to_string(p.kind)}, {"granted", p.granted}};
    if (!p.token.empty()) j["token"] = p.token;
    if (p.expires_at) j["expires_at_ms"] = to_ms(*p.expires_at);
    if (!p.topic.empty()) j["topic"] = p.topic;
}

void from_json(const nlohmann::json& j, permission& p) {
    if (!parse_permission_kind(j.at("kind").get<std::string>(), p.kind))
        throw std::invalid_argument("unknown permission kind");
    p.granted = j.value("granted", true);
    p.token = j.value("token", "");
    p.expires_at.reset();
    if (auto it = j.find("expires_at_ms"); it != j.end() && it->is_number_integer())
        p.expires_at = time_point(std::chrono::milliseconds(it->get<std::int64_t>()));
    p.topic = j.value("topic", "");
}

bool usable(const permission& p, time_point now) {
    return p.granted && (!p.expires_at || now < *p.expires_at);
}

void to_json(nlohmann::json& j, const notice& n) {
    j = {{"purpose", to_string(n.purpose)},
         {"id", n.id},
         {"session_id", n.session_id},
         {"refs", n.refs}};
    if (!n.answer.empty()) j["answer"] = n.answer;
    if (!n.session.empty()) j["session"] = n.session;
    if (!n.link.empty()) j["link"] = n.link;
}

void from_json(const nlohmann::json& j, notice& n) {
    if (!parse_notice_purpose(j.at("purpose").get<std::string>(), n.purpose))
        throw std::invalid_argument("unknown notice purpose");
    n.id = j.value("id", "");
    n.session_id = j.value("session_id", "");
    n.refs = j.value("refs", std::vector<std::string>{});
    n.answer = j.value("answer", "");
    n.session = j.value("session", "");
    n.link = j.value("link", "");
}

bool notice_field_known(std::string_view name) noexcept {
    return name == "ref" || name == "answer" || name == "session" || name == "link";
}

std::string notice_field(const notice& n, std::string_view name, std::size_t max_chars) {
    std::string v;
    if (name == "ref")
        v = joined(n.refs);
    else if (name == "answer")
        v = n.answer;
    else if (name == "session")
        v = n.session;
    else if (name == "link")
        v = n.link;
    // Templates take one line: Meta refuses parameters with line breaks, tabs or more than four
    // spaces in a row, and ZNS parameters are single fields too.
    std::string flat;
    flat.reserve(v.size());
    int spaces = 0;
    for (char c : v) {
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
        spaces = c == ' ' ? spaces + 1 : 0;
        if (spaces > 1) continue;
        flat += c;
    }
    while (!flat.empty() && flat.back() == ' ') flat.pop_back();
    while (!flat.empty() && flat.front() == ' ') flat.erase(flat.begin());
    return cut(std::move(flat), max_chars);
}

std::string heads_up_text(const notice& n) {
    const std::string refs = joined(n.refs);
    // Vietnamese first, as every message to citizens.
    if (n.purpose == notice_purpose::answer)
        return "Bạn có 1 trả lời mới cho phản ánh " + refs +
               " (You have a new answer to your concern " + refs + "):";
    return "Bạn có 1 thông báo mới về phản ánh " + refs + " (You have news about your concern " +
           refs + "):";
}

std::string optin_title() { return "Nhận thông báo khi có trả lời"; }

std::string follow_offer_text() {
    return "Nhận thông báo khi có trả lời: bạn bấm \"Quan tâm\" Official Account này để nhận câu "
           "trả lời cả khi đã lâu không nhắn tin.\n\n(To be told when there is an answer, even "
           "weeks from now, follow this Official Account.)";
}

std::string phone_digits(std::string_view phone) {
    std::string digits;
    for (char c : phone) {
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c != '+' && c != ' ' && c != '.' && c != '-' && c != '(' && c != ')')
            return {};
    }
    if (digits.starts_with("0084"))
        digits = digits.substr(2);
    else if (digits.starts_with("0"))
        digits = "84" + digits.substr(1);
    if (!digits.starts_with("84") || digits.size() < 11 || digits.size() > 12) return {};
    return digits;
}

}  // namespace dgw::core
