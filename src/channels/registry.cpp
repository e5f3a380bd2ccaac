#include "dgw/channels/registry.hpp"

#include <dgw/channels/line.hpp>
#include <dgw/channels/messenger.hpp>
#include <dgw/channels/telegram.hpp>
#include <dgw/channels/twilio.hpp>
#include <dgw/channels/viber.hpp>
#include <dgw/channels/webchat.hpp>
#include <dgw/channels/whatsapp.hpp>
#include <dgw/channels/zalo.hpp>

#include <cctype>
#include <utility>

namespace dgw::channels {

std::string url_host(std::string_view url) {
    url.remove_prefix(url.starts_with("https://") ? 8 : url.starts_with("http://") ? 7 : 0);
    auto authority = url.substr(0, url.find_first_of("/?#"));
    if (authority.starts_with('['))
        return std::string(authority.substr(1, authority.find(']') - 1));
    std::string host(authority.substr(0, authority.rfind(':')));
    for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return host;
}

namespace {

using values_map = std::map<std::string, std::string>;

// An optional value, or the adapter's own default when the config gave none.
void take(const values_map& v, const std::string& key, std::string& out) {
    if (auto it = v.find(key); it != v.end()) out = it->second;
}

std::string value_or(const values_map& v, const std::string& key, const std::string& fallback) {
    auto it = v.find(key);
    return it == v.end() ? fallback : it->second;
}

// ----- photos: the platforms' own CDNs, as their webhooks name them ------------------------

std::vector<std::string> no_media(std::string_view, const values_map&) { return {}; }

// Telegram's photos come from its Bot API itself.
std::vector<std::string> telegram_media(std::string_view api_base, const values_map&) {
    return {url_host(api_base)};
}
std::vector<std::string> zalo_media(std::string_view, const values_map&) {
    return {"*.zdn.vn", "*.zadn.vn"};
}
std::vector<std::string> messenger_media(std::string_view, const values_map&) {
    return {"*.fbcdn.net", "*.fbsbx.com"};
}
// The Graph API's media lookup, then the download host Meta's answer names (media_base).
std::vector<std::string> whatsapp_media(std::string_view api_base, const values_map& v) {
    std::vector<std::string> hosts{url_host(api_base)};
    auto media = url_host(value_or(v, "media_base", whatsapp_settings{}.media_base));
    if (media != hosts[0]) hosts.push_back(std::move(media));
    return hosts;
}
std::vector<std::string> viber_media(std::string_view, const values_map&) {
    return {"*.viber.com"};
}
// LINE's content comes from a host of its own (data_base).
std::vector<std::string> line_media(std::string_view, const values_map& v) {
    return {url_host(value_or(v, "data_base", line_settings{}.data_base))};
}
// The MediaUrl on Twilio's API, which redirects to its media CDN.
std::vector<std::string> twilio_media(std::string_view api_base, const values_map&) {
    return {url_host(api_base), "mms.twiliocdn.com"};
}

// ----- factories --------------------------------------------------------------------------

std::shared_ptr<const adapter> make_telegram(const channel_settings& c) {
    telegram_settings s;
    s.bot_token = c.values.at("bot_token");
    s.secret_token = c.values.at("secret_token");
    s.api_base = c.api_base;
    return std::make_shared<telegram_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_zalo(const channel_settings& c) {
    // The refresh token seeds the sender's token keeper, not the adapter.
    zalo_settings s;
    s.app_id = c.values.at("app_id");
    s.oa_secret_key = c.values.at("oa_secret_key");
    s.app_secret = c.values.at("app_secret");
    s.access_token = c.values.at("access_token");
    s.api_base = c.api_base;
    take(c.values, "oauth_base", s.oauth_base);
    take(c.values, "zns_base", s.zns_base);
    take(c.values, "share_phone_image", s.share_phone_image);
    s.templates = c.templates;
    s.zns = c.zns;
    return std::make_shared<zalo_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_messenger(const channel_settings& c) {
    messenger_settings s;
    s.app_secret = c.values.at("app_secret");
    s.verify_token = c.values.at("verify_token");
    s.page_access_token = c.values.at("page_access_token");
    s.api_base = c.api_base;
    s.optin = c.optin;
    s.tags = c.tags;
    return std::make_shared<messenger_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_whatsapp(const channel_settings& c) {
    whatsapp_settings s;
    s.app_secret = c.values.at("app_secret");
    s.verify_token = c.values.at("verify_token");
    s.access_token = c.values.at("access_token");
    s.phone_number_id = c.values.at("phone_number_id");
    s.api_base = c.api_base;
    take(c.values, "media_base", s.media_base);
    s.templates = c.templates;
    return std::make_shared<whatsapp_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_viber(const channel_settings& c) {
    viber_settings s;
    s.auth_token = c.values.at("auth_token");
    s.api_base = c.api_base;
    return std::make_shared<viber_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_line(const channel_settings& c) {
    line_settings s;
    s.channel_secret = c.values.at("channel_secret");
    s.channel_access_token = c.values.at("channel_access_token");
    s.api_base = c.api_base;
    take(c.values, "data_base", s.data_base);
    return std::make_shared<line_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_twilio(const channel_settings& c) {
    twilio_settings s;
    s.account_sid = c.values.at("account_sid");
    s.auth_token = c.values.at("auth_token");
    s.from = c.values.at("from");
    s.public_url = c.values.at("public_url");
    s.api_base = c.api_base;
    return std::make_shared<twilio_adapter>(std::move(s));
}

std::shared_ptr<const adapter> make_webchat(const channel_settings& c) {
    webchat_settings s;
    s.session_key = c.session_key;
    return std::make_shared<webchat_adapter>(std::move(s));
}

// The defaults are the adapters' own: each is written once, in the adapter's settings.
std::vector<channel_type> build_types() {
    const telegram_settings telegram_defaults;
    const zalo_settings zalo_defaults;
    const messenger_settings messenger_defaults;
    const whatsapp_settings whatsapp_defaults;
    const viber_settings viber_defaults;
    const line_settings line_defaults;
    const twilio_settings twilio_defaults;
    std::vector<channel_type> t;
    t.push_back({"telegram",
                 {"bot_token", "secret_token"},
                 {},
                 telegram_defaults.api_base,
                 telegram_media,
                 make_telegram});
    t.push_back({"zalo",
                 {"app_id", "oa_secret_key", "app_secret", "access_token", "refresh_token"},
                 {{"oauth_base", zalo_defaults.oauth_base},
                  {"share_phone_image", zalo_defaults.share_phone_image},  // "": no form
                  {"zns_base", zalo_defaults.zns_base}},
                 zalo_defaults.api_base,
                 zalo_media,
                 make_zalo});
    t.push_back({"messenger",
                 {"app_secret", "verify_token", "page_access_token"},
                 {},
                 messenger_defaults.api_base,
                 messenger_media,
                 make_messenger});
    t.push_back({"whatsapp",
                 {"app_secret", "verify_token", "access_token", "phone_number_id"},
                 {{"media_base", whatsapp_defaults.media_base}},
                 whatsapp_defaults.api_base,
                 whatsapp_media,
                 make_whatsapp});
    t.push_back({"viber", {"auth_token"}, {}, viber_defaults.api_base, viber_media, make_viber});
    t.push_back({"line",
                 {"channel_secret", "channel_access_token"},
                 {{"data_base", line_defaults.data_base}},
                 line_defaults.api_base,
                 line_media,
                 make_line});
    t.push_back({"twilio",
                 {"account_sid", "auth_token", "from", "public_url"},
                 {},
                 twilio_defaults.api_base,
                 twilio_media,
                 make_twilio});
    // Replies are fetched by the page, never sent anywhere.
    t.push_back({"webchat", {}, {}, "", no_media, make_webchat});
    return t;
}

}  // namespace

const std::vector<channel_type>& channel_types() {
    static const std::vector<channel_type> types = build_types();
    return types;
}

const channel_type* find_channel_type(std::string_view name) {
    for (const auto& t : channel_types())
        if (t.name == name) return &t;
    return nullptr;
}

std::shared_ptr<const adapter> make_adapter(const channel_settings& settings) {
    const auto* type = find_channel_type(settings.type);
    return type ? type->make(settings) : nullptr;
}

std::vector<std::string> default_media_hosts(std::string_view type, std::string_view api_base) {
    const auto* t = find_channel_type(type);
    return t ? t->media_hosts(api_base, {}) : std::vector<std::string>{};
}

}  // namespace dgw::channels
