#pragma once
/// What the gateway knows of each channel type, in one place: the settings a channel of the
/// type needs, the optional URLs it takes with their defaults, its send API by default, the
/// hosts its photos come from, and how its adapter is built. The config's validation reads the
/// lists, `app` builds the adapters with the factories. Pure: no I/O, no global state beyond
/// the constant table.

#include <dgw/channels/adapter.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::channels {

/// One configured channel in this module's words: what a channel type's factory builds an
/// adapter from. `app` fills it from the config, which has checked the type's keys.
struct channel_settings {
    std::string id;
    std::string type;      ///< a channel_type's name
    std::string api_base;  ///< the send API, defaulted, without a trailing '/'
    /// The type's required keys and optional URLs (channel_type::required and ::urls), and
    /// the other keys the config took for it (a bot's @name).
    std::map<std::string, std::string> values;
    std::map<std::string, late_template> templates{};  ///< per purpose: WhatsApp, Zalo
    std::map<std::string, zns_template> zns{};         ///< per purpose: Zalo
    std::map<std::string, std::string> tags{};         ///< Messenger: message tag per purpose
    std::string optin{};        ///< Messenger: the opt-in the receipt offers ("" = none)
    std::string session_key{};  ///< web chat: what its session cookies are signed with
};

/// An optional URL a channel type takes besides api_base (tests point them at local mocks).
struct url_setting {
    std::string key;
    /// Its value when the config gives none; "" = none, and then the key may be given empty.
    std::string fallback;
};

/// One channel type: everything per platform that is not in its adapter.
struct channel_type {
    std::string name;  ///< "telegram", the config's `type`
    /// Keys a channel of this type must give, non-empty: secrets and account ids, from ${ENV}
    /// in a real deployment.
    std::vector<std::string> required;
    std::vector<url_setting> urls;  ///< sorted by key
    std::string api_base;           ///< the send API by default; "" = it sends nowhere
    /// The hosts its photos may be fetched from unless the config names others, given its
    /// api_base and values (a URL absent from `values` counts as its default).
    std::vector<std::string> (*media_hosts)(std::string_view api_base,
                                            const std::map<std::string, std::string>& values);
    /// Builds the adapter. Throws std::out_of_range when a required key is not in `values`.
    std::shared_ptr<const adapter> (*make)(const channel_settings& settings);
};

/// Every channel type, in a fixed order. Built once; safe to read from any thread.
const std::vector<channel_type>& channel_types();

/// The type called `name`, or null when there is none.
const channel_type* find_channel_type(std::string_view name);

/// The adapter of `settings.type` built from `settings`, or null for an unknown type.
std::shared_ptr<const adapter> make_adapter(const channel_settings& settings);

/// The hosts a channel of `type` fetches photos from when its URLs are the defaults: the
/// platform's CDN (Zalo, Messenger, Viber), the host of `api_base` (Telegram), LINE's content
/// host, the host of `api_base` and the media host (WhatsApp: lookaside.fbsbx.com; Twilio: its
/// CDN mms.twiliocdn.com, where its API redirects), or none.
std::vector<std::string> default_media_hosts(std::string_view type, std::string_view api_base);

/// The host of an http(s) URL: lower-case, without port or brackets.
std::string url_host(std::string_view url);

}  // namespace dgw::channels
