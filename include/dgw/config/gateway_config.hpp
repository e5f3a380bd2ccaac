#pragma once
/// `config/gateway.json` as typed structs. The file's text and the environment are passed in
/// (nothing below `app` reads files or the environment), `${VAR}` references are expanded, and
/// every problem — unknown keys, wrong types, bad values, unset variables — is reported with its
/// JSON Pointer path before any socket opens.

#include <dgw/core/ip_address.hpp>
#include <dgw/core/json_reader.hpp>
#include <dgw/core/log.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::config {

struct tls_config {
    std::string cert_file;  ///< PEM certificate chain
    std::string key_file;   ///< PEM private key
};

struct server_config {
    std::string listen = "127.0.0.1:8080";  ///< "host:port", "[v6]:port"; port 0 = any
    std::string host = "127.0.0.1";          ///< parsed from listen
    std::uint16_t port = 8080;               ///< parsed from listen
    unsigned threads = 0;                    ///< I/O threads; 0 = number of cores
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_connections = 1024;
    /// Connections one client address may hold (trusted proxies exempt); 0 = no cap. Idle
    /// ones of that address are closed first to make room.
    std::size_t max_connections_per_address = 64;
    double drain_seconds = 10;         ///< how long shutdown waits for in-flight requests
    double header_timeout_seconds = 5;  ///< a request's header must arrive within this
    double read_timeout_seconds = 10;  ///< a request's header and body must arrive within this
    double idle_timeout_seconds = 60;  ///< keep-alive connections idle longer are closed
    std::optional<tls_config> tls;
    /// Reverse proxies (addresses or blocks) whose X-Forwarded-For names the client.
    std::vector<std::string> trusted_proxies;
    std::vector<core::ip_block> trusted_proxy_blocks;  ///< parsed from trusted_proxies
};

struct log_config {
    core::log_level level = core::log_level::info;
};

/// `store`: exactly one of `sqlite` (the default) and `postgres`.
struct store_config {
    std::string sqlite_path = "var/dgw.sqlite";  ///< relative to the working directory
    bool synchronous_full = true;                ///< "full" (default) or "normal"
    double max_size_mb = 0;                      ///< 0 = unlimited; else 503 once reached
    /// `postgres.url`: a libpq URL or connection string (a secret: from ${ENV}). Set = the
    /// store is on PostgreSQL, shared by every gateway configured with it.
    std::string postgres_url;
    int postgres_connections = 8;  ///< `postgres.connections`: the most this gateway opens

    bool on_postgres() const { return !postgres_url.empty(); }
};

/// Send limits of one channel (PLATFORMS.md "Outbound").
struct rate_limit_config {
    double per_second = 30;
    double burst = 30;
    double per_chat_per_second = 1;
    double per_chat_burst = 3;
};

/// The web chat's own settings (`type: "webchat"`); it has no secrets.
struct webchat_config {
    std::string title = "Phản ánh, kiến nghị";  ///< the page's heading and <title>
    std::string media_dir = "var/media/webchat";  ///< uploaded photos, by content hash
    /// Largest photo upload; 0 = server.max_body_bytes. It may not exceed that limit, which
    /// the server applies to every request body before any handler runs.
    std::size_t max_photo_bytes = 0;
    /// Photo uploads one browser session may make per hour, and the whole channel per minute:
    /// the page is open to anyone, so the disk must not be filled through it. 0 = unlimited.
    std::size_t photos_per_session_per_hour = 20;
    std::size_t photos_per_minute = 120;
    /// Messages one browser session may post per minute (a burst of that many, then one every
    /// minute/N); more get 429 and the page sends them again a little later. 0 = unlimited.
    std::size_t messages_per_session_per_minute = 30;
    /// Messages the whole channel takes per minute, whoever sends them: sessions are free to
    /// get, so the per-session limit alone does not bound what reaches the store. 0 = unlimited.
    std::size_t messages_per_minute = 600;
    /// Photos nothing refers to (no concern, no conversation under way, no message waiting),
    /// uploaded longer ago than this, are deleted: abandoned uploads, and the photos of
    /// citizens who erased their data. Checked at start and hourly. 0 = kept forever.
    std::size_t keep_unfiled_photos_hours = 48;
};

/// One approved template for messages sent after the platform's reply window: a WhatsApp
/// message template, a Zalo transaction message. `params` names the notice fields the
/// template's parameters take, in the template's order ("ref", "answer", "session", "link").
struct template_config {
    std::string name;      ///< WhatsApp: the template's name; Zalo: its template_type
    std::string language;  ///< WhatsApp: "vi", "en_US"...; Zalo: "VI" or "EN"
    std::vector<std::string> params;
    std::string title;  ///< Zalo: the header line of the transaction message
};

/// A Zalo Notification Service template, sent by phone number: its id and which notice field
/// fills each of its named parameters.
struct zns_config {
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> params;  ///< (ZNS parameter, notice field)
};

/// How a channel reaches citizens after its reply window (`late_messages` of a channel), per
/// notice purpose ("answer", "session_moved"). Which keys a type takes is checked here.
struct late_config {
    std::map<std::string, template_config> templates;  ///< WhatsApp, Zalo
    std::map<std::string, zns_config> zns;             ///< Zalo
    std::map<std::string, std::string> tags;           ///< Messenger message tags
    /// Messenger: the opt-in the receipt offers: "" (none), "one_time_notification" or
    /// "notification_messages".
    std::string optin;
};

/// One configured messaging account. Type-specific keys (tokens, secrets) are in `settings`,
/// already checked for presence and with `${ENV}` expanded.
struct channel_config {
    std::string id;    ///< the webhook is /webhooks/{id}
    std::string type;  ///< "telegram"
    std::string flow = "menu";
    std::string api_base;
    std::map<std::string, std::string> settings;
    rate_limit_config rate_limit;
    webchat_config webchat;  ///< type "webchat" only
    late_config late;        ///< `late_messages`
    /// The hosts photos of this channel may be fetched from, for an official: exact names,
    /// "*.example.com" for its subdomains, or IP addresses. Defaults per type
    /// (channels::channel_type::media_hosts: the platform's CDN; for Telegram the host of
    /// api_base). Names must resolve to public
    /// addresses; an address listed here is the operator's explicit choice (a local mirror).
    std::vector<std::string> media_hosts;
};

/// What every web chat channel shares: a browser has one session cookie for them all.
struct webchat_sessions_config {
    /// Session cookies are signed with this (HMAC-SHA256); empty = a key the gateway makes
    /// at its first start and keeps in the store.
    std::string session_key;
    /// New sessions one client address may be given per hour (a burst of that many, then
    /// one every hour/N); more get 429. 0 = unlimited.
    std::size_t new_sessions_per_address_per_hour = 60;
};

/// Where Prometheus scrapes /metrics.
struct metrics_config {
    /// A listener of its own; "" = none. A config file without the key gets
    /// default_metrics_listen; a config built in code has none unless it says so (two
    /// gateways in one test would want the same port).
    std::string listen;
    std::string host;        ///< parsed from listen
    std::uint16_t port = 0;  ///< parsed from listen; 0 = any
    /// When set, the public listener serves /metrics too, to requests that carry
    /// `Authorization: Bearer <token>`; otherwise /metrics is not there at all.
    std::string bearer_token;
};

/// Prometheus's listener when the config file does not name one: loopback only.
inline constexpr const char* default_metrics_listen = "127.0.0.1:9464";

/// Fetching a citizen's photo from a platform for an official.
struct media_config {
    std::size_t max_bytes = 10 * 1024 * 1024;  ///< a larger answer is refused
    double timeout_seconds = 10;               ///< for the whole fetch, redirects included
    int max_redirects = 3;
};

/// What answers and other notices to citizens share, whatever their channel.
struct notifications_config {
    /// Where a citizen reads more (a template's "link" parameter); "{ref}" is replaced by the
    /// first reference. "" = none.
    std::string link;
    /// The Twilio-style channel that sends the SMS fallback to citizens who gave a phone
    /// number and consented, when their own channel has no way to reach them; "" = none.
    std::string sms_channel;
    /// The address citizens reach this gateway at ("https://doithoai.laocai.gov.vn"), for the
    /// web chat's invitation links and QR codes; "" = the web chat is not invited to.
    std::string public_url;
};

struct pipeline_config {
    std::size_t batch = 256;            ///< inbox events per worker transaction
    std::size_t max_in_flight = 64;     ///< concurrent sends
    int max_attempts = 12;              ///< then a message is marked failed
    double backoff_seconds = 1;         ///< first retry delay, doubled each time
    double max_backoff_seconds = 300;
    double send_timeout_seconds = 10;
    std::string ca_file;  ///< PEM bundle for the platforms' HTTPS instead of the system store
};

/// Citizens' personal data (Vietnam's personal data protection law).
struct privacy_config {
    /// Contacts whose concerns are all closed (answered, forwarded, withdrawn, merged) and who
    /// have written nothing for this many days are anonymised automatically. 0 = never.
    int retention_days = 730;
};

/// Another system told of concerns and sessions as they change (issue 22 item 3,
/// `outbound_hooks`): each event it subscribes to is POSTed to `url`, signed with `secret`
/// (channels/event_hook.hpp), through the outbox like a reply.
struct outbound_hook_config {
    /// Its outbox channel is "hook:<name>" (the message log, metrics); default "hook-<n>",
    /// n its place in the list from 1.
    std::string name;
    std::string url;
    std::string secret;  ///< at least 16 characters; `${ENV}` in the file
    std::vector<std::string> events;  ///< core::event_type names, at least one
    /// Whether events carry the citizen's own words and the details they gave with consent
    /// (name, phone, location); by default they carry none.
    bool personal_data = false;
};

struct gateway_config {
    server_config server;
    log_config log;
    store_config store;
    std::vector<channel_config> channels;
    std::string flows_dir = "flows";
    std::string dialogue_file = "config/dialogue.json";
    pipeline_config pipeline;
    privacy_config privacy;
    notifications_config notifications;
    webchat_sessions_config webchat;
    metrics_config metrics;
    media_config media;
    std::vector<outbound_hook_config> outbound_hooks;
};

/// Returns the value of an environment variable, or nothing when it is unset.
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;

struct parse_result {
    gateway_config config;
    std::vector<core::problem> problems;  ///< empty when the config is valid
};

/// Parses and validates the whole document; never throws on bad content.
parse_result parse_gateway_config(std::string_view text, const env_lookup& env);

/// Splits "host:port" / "[v6]:port"; false when malformed.
bool split_listen(std::string_view listen, std::string& host, std::uint16_t& port);

}  // namespace dgw::config
