#include "dgw/core/message.hpp"

#include "core/enum_names.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

namespace dgw::core {
namespace {

constexpr std::array<std::pair<inbound_kind, const char*>, 6> kind_names{{
    {inbound_kind::text, "text"},
    {inbound_kind::choice, "choice"},
    {inbound_kind::location, "location"},
    {inbound_kind::image, "image"},
    {inbound_kind::contact, "contact"},
    {inbound_kind::permission, "permission"},
}};

constexpr std::array<std::pair<input_hint, const char*>, 10> hint_names{{
    {input_hint::none, "none"},
    {input_hint::text, "text"},
    {input_hint::choice, "choice"},
    {input_hint::number, "number"},
    {input_hint::yes_no, "yes_no"},
    {input_hint::phone, "phone"},
    {input_hint::locality, "locality"},
    {input_hint::location, "location"},
    {input_hint::media, "media"},
    {input_hint::any, "any"},
}};

using detail::name_of;
using detail::parse_name;

}  // namespace

const char* to_string(inbound_kind k) noexcept { return name_of(kind_names, k); }
bool parse_inbound_kind(std::string_view name, inbound_kind& out) noexcept {
    return parse_name(kind_names, name, out);
}
const char* to_string(input_hint h) noexcept { return name_of(hint_names, h); }
bool parse_input_hint(std::string_view name, input_hint& out) noexcept {
    return parse_name(hint_names, name, out);
}

void to_json(nlohmann::json& j, const inbound_event& e) {
    j = {{"dedup_key", e.dedup_key}, {"user_id", e.user_id}, {"kind", to_string(e.kind)}};
    if (!e.text.empty()) j["text"] = e.text;
    if (!e.choice_id.empty()) j["choice_id"] = e.choice_id;
    if (e.kind == inbound_kind::location) {
        j["lat"] = e.lat;
        j["lon"] = e.lon;
    }
    if (!e.media.empty()) j["media"] = e.media;
    if (!e.phone.empty()) j["phone"] = e.phone;
    if (!e.display_name.empty()) j["display_name"] = e.display_name;
    if (!e.language.empty()) j["language"] = e.language;
    if (!e.reply_context.empty()) j["reply_context"] = e.reply_context;
    if (e.permission) j["permission"] = *e.permission;
    if (!e.invite.empty()) j["invite"] = e.invite;
}

std::string invite_of(std::string_view payload) {
    if (payload.size() > 64 || !payload.starts_with(invite_prefix)) return {};
    const auto id = payload.substr(invite_prefix.size());
    const bool token = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_' || c == '-';
    });
    return token ? std::string(id) : std::string();
}

void from_json(const nlohmann::json& j, inbound_event& e) {
    e.dedup_key = j.at("dedup_key").get<std::string>();
    e.user_id = j.at("user_id").get<std::string>();
    if (!parse_inbound_kind(j.at("kind").get<std::string>(), e.kind))
        throw std::invalid_argument("unknown inbound event kind");
    e.text = j.value("text", "");
    e.choice_id = j.value("choice_id", "");
    e.lat = j.value("lat", 0.0);
    e.lon = j.value("lon", 0.0);
    e.media = j.value("media", std::vector<std::string>{});
    e.phone = j.value("phone", "");
    e.display_name = j.value("display_name", "");
    e.language = j.value("language", "");
    e.reply_context = j.value("reply_context", nlohmann::json::object());
    e.permission.reset();
    if (auto it = j.find("permission"); it != j.end() && it->is_object())
        e.permission = it->get<permission>();
    e.invite = j.value("invite", "");
}

void to_json(nlohmann::json& j, const outbound_message& m) {
    j = {{"text", m.text}, {"hint", to_string(m.hint)}};
    if (!m.choices.empty()) {
        j["choices"] = nlohmann::json::array();
        for (const auto& c : m.choices) j["choices"].push_back({{"id", c.id}, {"label", c.label}});
    }
}

void from_json(const nlohmann::json& j, outbound_message& m) {
    m.text = j.at("text").get<std::string>();
    if (!parse_input_hint(j.value("hint", "none"), m.hint)) m.hint = input_hint::none;
    m.choices.clear();
    for (const auto& c : j.value("choices", nlohmann::json::array()))
        m.choices.push_back({c.at("id").get<std::string>(), c.at("label").get<std::string>()});
}

}  // namespace dgw::core
