#include "dgw/config/gateway_config.hpp"

#include <dgw/channels/registry.hpp>
#include <dgw/core/event_type.hpp>
#include <dgw/core/reach.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <utility>

namespace dgw::config {

bool split_listen(std::string_view listen, std::string& host, std::uint16_t& port) {
    std::string_view h, p;
    if (listen.starts_with('[')) {
        auto close = listen.find("]:");
        if (close == std::string_view::npos) return false;
        h = listen.substr(1, close - 1);
        p = listen.substr(close + 2);
    } else {
        auto colon = listen.rfind(':');
        if (colon == std::string_view::npos) return false;
        h = listen.substr(0, colon);
        p = listen.substr(colon + 1);
        if (h.find(':') != std::string_view::npos) return false;  // bare IPv6 needs brackets
    }
    if (h.empty() || p.empty()) return false;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (ec != std::errc{} || end != p.data() + p.size() || value > 65535) return false;
    host = std::string(h);
    port = static_cast<std::uint16_t>(value);
    return true;
}

namespace {

bool core_field(const std::string& name) { return core::notice_field_known(name); }

void read_server(core::json_reader r, server_config& s) {
    if (r.optional("listen", s.listen) && !split_listen(s.listen, s.host, s.port))
        r.fail("listen", "must be \"host:port\" (IPv6 as \"[::1]:8080\"), got \"" + s.listen + "\"");
    if (r.optional("threads", s.threads) && s.threads > 256)
        r.fail("threads", "must be between 0 (= number of cores) and 256");
    if (r.optional("max_body_bytes", s.max_body_bytes) && s.max_body_bytes == 0)
        r.fail("max_body_bytes", "must be at least 1");
    if (r.optional("max_header_bytes", s.max_header_bytes) && s.max_header_bytes < 1024)
        r.fail("max_header_bytes", "must be at least 1024");
    if (r.optional("max_connections", s.max_connections) && s.max_connections == 0)
        r.fail("max_connections", "must be at least 1");
    r.optional("max_connections_per_address", s.max_connections_per_address);
    auto positive = [&](const char* key, double& v) {
        if (r.optional(key, v) && !(v > 0)) r.fail(key, "must be a positive number of seconds");
    };
    positive("drain_seconds", s.drain_seconds);
    positive("header_timeout_seconds", s.header_timeout_seconds);
    positive("read_timeout_seconds", s.read_timeout_seconds);
    positive("idle_timeout_seconds", s.idle_timeout_seconds);
    if (r.find("tls")) {
        auto t = r.child("tls");
        tls_config tls;
        t.required("cert_file", tls.cert_file);
        t.required("key_file", tls.key_file);
        t.finish();
        s.tls = std::move(tls);
    }
    if (r.optional("trusted_proxies", s.trusted_proxies)) {
        for (std::size_t i = 0; i < s.trusted_proxies.size(); ++i) {
            if (auto block = core::parse_ip_block(s.trusted_proxies[i]))
                s.trusted_proxy_blocks.push_back(*block);
            else
                r.problems().push_back(
                    {r.path_of("trusted_proxies") + "/" + std::to_string(i),
                     "must be an IP address or block such as \"10.0.0.0/8\", got \"" +
                         s.trusted_proxies[i] + "\""});
        }
    }
    r.finish();
}

void read_log(core::json_reader r, log_config& l) {
    std::string level;
    if (r.optional("level", level) && !level.empty() && !core::parse_log_level(level, l.level))
        r.fail("level", "must be one of trace, debug, info, warn, error, off; got \"" + level + "\"");
    r.finish();
}

void read_store(core::json_reader r, store_config& st) {
    if (r.find("postgres")) {
        if (r.find("sqlite")) r.fail("postgres", "give one of sqlite and postgres, not both");
        auto pg = r.child("postgres");
        if (pg.required("url", st.postgres_url) && st.postgres_url.empty())
            pg.fail("url", "must not be empty (a PostgreSQL URL, e.g. from ${DATABASE_URL})");
        if (pg.optional("connections", st.postgres_connections) &&
            (st.postgres_connections < 1 || st.postgres_connections > 100))
            pg.fail("connections", "must be from 1 to 100");
        pg.finish();
        r.finish();
        return;
    }
    auto sq = r.child("sqlite");
    if (sq.optional("path", st.sqlite_path) && st.sqlite_path.empty())
        sq.fail("path", "must not be empty");
    std::string sync = "full";
    if (sq.optional("synchronous", sync)) {
        if (sync == "full")
            st.synchronous_full = true;
        else if (sync == "normal")
            st.synchronous_full = false;
        else
            sq.fail("synchronous", "must be \"full\" or \"normal\"");
    }
    if (sq.optional("max_size_mb", st.max_size_mb) && st.max_size_mb < 0)
        sq.fail("max_size_mb", "must not be negative (0 = unlimited)");
    sq.finish();
    r.finish();
}

void read_rate_limit(core::json_reader r, rate_limit_config& l) {
    for (auto [key, field] : {std::pair{"per_second", &l.per_second}, {"burst", &l.burst},
                              {"per_chat_per_second", &l.per_chat_per_second},
                              {"per_chat_burst", &l.per_chat_burst}}) {
        if (r.optional(key, *field) && *field < 0) r.fail(key, "must not be negative");
    }
    r.finish();
}

bool valid_channel_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

bool http_url(const std::string& s) {
    return s.starts_with("https://") || s.starts_with("http://");
}

// A media host pattern: a name ("dl-media.viber.com"), "*." and a name, or an IP address.
bool valid_media_host(const std::string& h) {
    if (core::parse_ip(h)) return true;
    std::string_view name = h;
    if (name.starts_with("*.")) name.remove_prefix(2);
    if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.')
        return false;
    for (char ch : name)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.'))
            return false;
    return name.find("..") == std::string_view::npos;
}

void read_webchat(core::json_reader& r, webchat_config& w) {
    r.optional("title", w.title);
    if (r.optional("media_dir", w.media_dir) && w.media_dir.empty())
        r.fail("media_dir", "must not be empty");
    r.optional("max_photo_bytes", w.max_photo_bytes);
    r.optional("photos_per_session_per_hour", w.photos_per_session_per_hour);
    r.optional("photos_per_minute", w.photos_per_minute);
    r.optional("messages_per_session_per_minute", w.messages_per_session_per_minute);
    r.optional("messages_per_minute", w.messages_per_minute);
    r.optional("keep_unfiled_photos_hours", w.keep_unfiled_photos_hours);
}

// ----- late_messages: the platforms' ways to reach a citizen after their reply window ----------

bool is_purpose(std::string_view p) { return p == "answer" || p == "session_moved"; }

bool all_of_chars(std::string_view s, bool (*ok)(char)) {
    if (s.empty()) return false;
    for (char c : s)
        if (!ok(c)) return false;
    return true;
}
bool lower_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}
bool word_char(char c) { return lower_word_char(c) || (c >= 'A' && c <= 'Z'); }

// A WhatsApp language code as Meta names them: "vi", "en", "en_US", "pt_BR", "zh_CN"...
bool meta_language(std::string_view s) {
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
    if (s.size() != 2 && s.size() != 3 && s.size() != 5) return false;
    if (!lower(s[0]) || !lower(s[1])) return false;
    if (s.size() == 3) return lower(s[2]);
    return s.size() == 2 || (s[2] == '_' && upper(s[3]) && upper(s[4]));
}

// The transaction message types Zalo's OA API takes (its SDK's TransactionTemplateType).
bool zalo_transaction_type(std::string_view s) {
    static constexpr std::string_view types[] = {
        "transaction_billing",  "transaction_order",       "transaction_reward",
        "transaction_contract", "transaction_booking",     "transaction_membership",
        "transaction_event",    "transaction_transaction", "transaction_account",
        "transaction_internal", "transaction_partnership", "transaction_education",
        "transaction_rating"};
    for (auto t : types)
        if (s == t) return true;
    return false;
}

void read_params(core::json_reader& r, std::vector<std::string>& params) {
    if (!r.required("params", params)) return;
    if (params.empty()) r.fail("params", "must name at least one field");
    for (const auto& p : params)
        if (!core_field(p))
            r.fail("params", "unknown field \"" + p + "\" (ref, answer, session, link)");
}

template_config read_template(core::json_reader r, const std::string& type) {
    template_config t;
    r.required("template", t.name);
    r.required("language", t.language);
    read_params(r, t.params);
    if (type == "whatsapp") {
        if (!t.name.empty() && (!all_of_chars(t.name, lower_word_char) || t.name.size() > 512))
            r.fail("template", "must be a WhatsApp template name: a-z, 0-9 and _");
        if (!t.language.empty() && !meta_language(t.language))
            r.fail("language", "must be a WhatsApp language code such as \"vi\" or \"en_US\"");
    } else {
        if (r.required("title", t.title) && (t.title.empty() || t.title.size() > 300))
            r.fail("title", "must be 1-300 bytes");
        if (!t.name.empty() && !zalo_transaction_type(t.name))
            r.fail("template", "must be a Zalo transaction type such as \"transaction_event\"");
        if (!t.language.empty() && t.language != "VI" && t.language != "EN")
            r.fail("language", "must be \"VI\" or \"EN\"");
    }
    r.finish();
    return t;
}

zns_config read_zns(core::json_reader r) {
    zns_config z;
    r.required("template_id", z.template_id);
    if (z.template_id.empty()) r.fail("template_id", "must not be empty");
    const auto* params = r.find("params");
    if (!params || !params->is_object() || params->empty()) {
        r.fail("params", "must be an object naming a notice field for each ZNS parameter");
    } else {
        for (const auto& [name, field] : params->items()) {
            const std::string f = field.is_string() ? field.get<std::string>() : std::string();
            if (!all_of_chars(name, word_char))
                r.fail("params", "ZNS parameter names are A-Z, a-z, 0-9 and _: \"" + name + "\"");
            else if (!core_field(f))
                r.fail("params", "\"" + name + "\": unknown field (ref, answer, session, link)");
            z.params.emplace_back(name, f);
        }
    }
    r.finish();
    return z;
}

void read_late(core::json_reader r, const std::string& type, late_config& l) {
    if (type == "messenger") {
        if (r.optional("optin", l.optin) && !l.optin.empty() &&
            l.optin != "one_time_notification" && l.optin != "notification_messages")
            r.fail("optin", "must be \"one_time_notification\", \"notification_messages\" or \"\"");
        if (const auto* tags = r.find("tags")) {
            if (!tags->is_object())
                r.fail("tags", "must be an object of purpose: tag");
            else
                for (const auto& [purpose, tag] : tags->items()) {
                    const std::string t = tag.is_string() ? tag.get<std::string>() : std::string();
                    // HUMAN_AGENT is for a person's answers within 7 days: not a late notice.
                    if (!is_purpose(purpose))
                        r.fail("tags",
                               "unknown purpose \"" + purpose + "\" (answer, session_moved)");
                    else if (t != "CONFIRMED_EVENT_UPDATE" && t != "ACCOUNT_UPDATE" &&
                             t != "POST_PURCHASE_UPDATE")
                        r.fail("tags", purpose +
                                           ": must be CONFIRMED_EVENT_UPDATE, ACCOUNT_UPDATE "
                                           "or POST_PURCHASE_UPDATE");
                    else
                        l.tags[purpose] = t;
                }
        }
    } else if (type == "whatsapp" || type == "zalo") {
        for (const char* purpose : {"answer", "session_moved"})
            if (r.find(purpose)) l.templates[purpose] = read_template(r.child(purpose), type);
        if (type == "zalo" && r.find("zns")) {
            auto z = r.child("zns");
            for (const char* purpose : {"answer", "session_moved"})
                if (z.find(purpose)) l.zns[purpose] = read_zns(z.child(purpose));
            z.finish();
        }
    }
    r.finish();
}

void read_channels(const nlohmann::json& list, const std::string& path,
                   std::vector<channel_config>& out, std::vector<core::problem>& problems) {
    if (!list.is_array()) {
        problems.push_back({path, "must be an array"});
        return;
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < list.size(); ++i) {
        core::json_reader r(list[i], path + "/" + std::to_string(i), problems);
        if (!r.ok()) continue;
        channel_config c;
        if (r.required("id", c.id)) {
            if (!valid_channel_id(c.id))
                r.fail("id", "must be 1-64 of a-z, 0-9, '-', '_' (it is part of the webhook URL)");
            else if (!ids.insert(c.id).second)
                r.fail("id", "duplicate channel id \"" + c.id + "\"");
        }
        r.required("type", c.type);
        r.optional("flow", c.flow);
        const auto* type = channels::find_channel_type(c.type);
        if (!c.type.empty() && !type) {
            r.fail("type", "unknown channel type \"" + c.type + "\"");
            r.finish();
            continue;
        }
        if (!type) continue;
        c.api_base = type->api_base;
        if (c.type == "webchat") {
            // Nothing is sent to an API, and nothing limits how fast a page may read.
            c.rate_limit = {0, 0, 0, 0};
            read_webchat(r, c.webchat);
        } else if (r.optional("api_base", c.api_base) && !http_url(c.api_base))
            r.fail("api_base", "must be an http(s) URL");
        while (c.api_base.ends_with('/')) c.api_base.pop_back();
        for (const auto& [key, fallback] : type->urls) {
            std::string v = fallback;
            const bool may_be_empty = fallback.empty();
            if (r.optional(key, v) && !(v.empty() && may_be_empty) && !http_url(v))
                r.fail(key, "must be an http(s) URL");
            while (v.ends_with('/')) v.pop_back();
            c.settings[key] = v;
        }
        for (const auto& key : type->required) {
            std::string v;
            if (r.required(key, v) && v.empty()) r.fail(key, "must not be empty");
            c.settings[key] = v;
        }
        // The bot's @name, for invitation links (t.me/<name>?start=…): Telegram's rules.
        if (std::string name; c.type == "telegram" && r.find("bot_username") && r.optional("bot_username", name)) {
            const bool ok = name.size() >= 5 && name.size() <= 32 &&
                            std::all_of(name.begin(), name.end(), [](char ch) {
                                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
                            });
            if (!ok) r.fail("bot_username", "must be 5-32 letters, digits or _ (the bot's @name)");
            else c.settings["bot_username"] = name;
        }
        // The Page's user name (or id), for invitation links (m.me/<name>?ref=…).
        if (std::string name; c.type == "messenger" && r.find("page_username") && r.optional("page_username", name)) {
            const bool ok = !name.empty() && name.size() <= 50 &&
                            std::all_of(name.begin(), name.end(), [](char ch) {
                                return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.';
                            });
            if (!ok) r.fail("page_username", "must be 1-50 letters, digits or dots (the Page's m.me name)");
            else c.settings["page_username"] = name;
        }
        c.media_hosts = type->media_hosts(c.api_base, c.settings);
        if (r.optional("media_hosts", c.media_hosts)) {
            for (std::size_t k = 0; k < c.media_hosts.size(); ++k)
                if (!valid_media_host(c.media_hosts[k]))
                    r.problems().push_back(
                        {r.path_of("media_hosts") + "/" + std::to_string(k),
                         "must be a host name (lower-case), \"*.\" and a name, or an IP "
                         "address; got \"" +
                             c.media_hosts[k] + "\""});
        }
        read_rate_limit(r.child("rate_limit"), c.rate_limit);
        if (r.find("late_messages")) {
            // Telegram, Viber, LINE and SMS reach their citizens at any time; the web chat
            // keeps the message on the citizen's page.
            if (c.type == "messenger" || c.type == "whatsapp" || c.type == "zalo")
                read_late(r.child("late_messages"), c.type, c.late);
            else
                r.fail("late_messages", "channels of type " + c.type + " need none");
        }
        r.finish();
        out.push_back(std::move(c));
    }
}

void read_pipeline(core::json_reader r, pipeline_config& p) {
    if (r.optional("batch", p.batch) && (p.batch == 0 || p.batch > 10000))
        r.fail("batch", "must be between 1 and 10000");
    if (r.optional("max_in_flight", p.max_in_flight) && p.max_in_flight == 0)
        r.fail("max_in_flight", "must be at least 1");
    if (r.optional("max_attempts", p.max_attempts) && p.max_attempts < 1)
        r.fail("max_attempts", "must be at least 1");
    for (auto [key, field] : {std::pair{"backoff_seconds", &p.backoff_seconds},
                              {"max_backoff_seconds", &p.max_backoff_seconds},
                              {"send_timeout_seconds", &p.send_timeout_seconds}}) {
        if (r.optional(key, *field) && !(*field > 0)) r.fail(key, "must be a positive number of seconds");
    }
    r.optional("ca_file", p.ca_file);
    r.finish();
}

// Runs after the channels: the SMS channel must be one of them, and a template that passes a
// link needs one to pass.
void read_notifications(core::json_reader r, gateway_config& cfg,
                        std::vector<core::problem>& problems) {
    auto& n = cfg.notifications;
    if (r.optional("link", n.link) && !n.link.empty() && !http_url(n.link))
        r.fail("link", "must be an http(s) URL");
    if (r.optional("public_url", n.public_url) && !n.public_url.empty() && !http_url(n.public_url))
        r.fail("public_url", "must be an http(s) URL");
    while (n.public_url.ends_with('/')) n.public_url.pop_back();
    if (r.optional("sms_channel", n.sms_channel) && !n.sms_channel.empty()) {
        auto it = std::find_if(cfg.channels.begin(), cfg.channels.end(),
                               [&](const channel_config& c) { return c.id == n.sms_channel; });
        if (it == cfg.channels.end())
            r.fail("sms_channel", "no channel \"" + n.sms_channel + "\"");
        else if (it->type != "twilio")
            r.fail("sms_channel", "channel \"" + n.sms_channel + "\" is not of type twilio");
    }
    r.finish();
    if (!n.link.empty()) return;
    for (std::size_t i = 0; i < cfg.channels.size(); ++i) {
        const auto& late = cfg.channels[i].late;
        bool uses_link = false;
        for (const auto& [purpose, t] : late.templates)
            for (const auto& p : t.params) uses_link = uses_link || p == "link";
        for (const auto& [purpose, z] : late.zns)
            for (const auto& [name, field] : z.params) uses_link = uses_link || field == "link";
        if (uses_link)
            problems.push_back({"/channels/" + std::to_string(i) + "/late_messages",
                                "a template takes \"link\": set notifications.link"});
    }
}

void read_webchat_sessions(core::json_reader r, webchat_sessions_config& w) {
    if (r.optional("session_key", w.session_key) && !w.session_key.empty() &&
        w.session_key.size() < 32)
        r.fail("session_key",
               "must have at least 32 characters (or be left out: the gateway "
               "then makes one and keeps it in the store)");
    r.optional("new_sessions_per_address_per_hour", w.new_sessions_per_address_per_hour);
    r.finish();
}

void read_metrics(core::json_reader r, metrics_config& m, const server_config& server) {
    m.listen = default_metrics_listen;
    split_listen(m.listen, m.host, m.port);
    if (r.optional("listen", m.listen) && !m.listen.empty() &&
        !split_listen(m.listen, m.host, m.port))
        r.fail("listen",
               "must be \"host:port\" (IPv6 as \"[::1]:9464\"), or \"\" for no "
               "listener of its own; got \"" +
                   m.listen + "\"");
    else if (!m.listen.empty() && m.port != 0 && m.port == server.port && m.host == server.host)
        r.fail("listen", "must differ from server.listen");
    if (r.optional("bearer_token", m.bearer_token) && !m.bearer_token.empty() &&
        m.bearer_token.size() < 16)
        r.fail("bearer_token", "must have at least 16 characters");
    r.finish();
}

void read_media(core::json_reader r, media_config& m) {
    if (r.optional("max_bytes", m.max_bytes) && m.max_bytes == 0)
        r.fail("max_bytes", "must be at least 1");
    if (r.optional("timeout_seconds", m.timeout_seconds) && !(m.timeout_seconds > 0))
        r.fail("timeout_seconds", "must be a positive number of seconds");
    if (r.optional("max_redirects", m.max_redirects) &&
        (m.max_redirects < 0 || m.max_redirects > 10))
        r.fail("max_redirects", "must be between 0 and 10");
    r.finish();
}

void read_outbound_hooks(const nlohmann::json& list, const std::string& path,
                         std::vector<outbound_hook_config>& out, std::vector<core::problem>& problems) {
    if (!list.is_array()) {
        problems.push_back({path, "must be an array"});
        return;
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        core::json_reader r(list[i], path + "/" + std::to_string(i), problems);
        if (!r.ok()) continue;
        outbound_hook_config h;
        h.name = "hook-" + std::to_string(i + 1);
        if (r.optional("name", h.name) && !valid_channel_id(h.name))
            r.fail("name", "must be 1-64 of a-z, 0-9, '-', '_'");
        else if (!names.insert(h.name).second)
            r.fail("name", "duplicate hook name \"" + h.name + "\"");
        if (r.required("url", h.url) && !http_url(h.url)) r.fail("url", "must be an http(s) URL");
        if (r.required("secret", h.secret) && h.secret.size() < 16)
            r.fail("secret", "must have at least 16 characters");
        if (r.required("events", h.events)) {
            if (h.events.empty())
                r.fail("events", "must name at least one event");
            for (const auto& e : h.events) {
                core::event_type t;
                if (!core::parse_event_type(e, t))
                    r.fail("events", "unknown event \"" + e +
                                         "\" (concern.filed, concern.status, concern.answered, "
                                         "session.changed)");
            }
        }
        r.optional("personal_data", h.personal_data);
        r.finish();
        out.push_back(std::move(h));
    }
}

// A photo is one request body, and the server refuses bodies over its limit before any
// handler sees them: a larger photo limit could never be reached. 0 takes the server's.
void check_photo_limits(gateway_config& cfg, const std::string& path,
                        std::vector<core::problem>& problems) {
    for (std::size_t i = 0; i < cfg.channels.size(); ++i) {
        auto& w = cfg.channels[i].webchat;
        if (cfg.channels[i].type != "webchat") continue;
        if (w.max_photo_bytes > cfg.server.max_body_bytes)
            problems.push_back({path + "/" + std::to_string(i) + "/max_photo_bytes",
                                "must not exceed server.max_body_bytes (" +
                                    std::to_string(cfg.server.max_body_bytes) + ")"});
        if (w.max_photo_bytes == 0) w.max_photo_bytes = cfg.server.max_body_bytes;
    }
}

}  // namespace

parse_result parse_gateway_config(std::string_view text, const env_lookup& env) {
    parse_result out;
    auto doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_discarded()) {
        out.problems.push_back({"", "not valid JSON"});
        return out;
    }
    core::expand_env(doc, env, out.problems);
    core::json_reader root(doc, "", out.problems);
    if (!root.ok()) return out;
    read_server(root.child("server"), out.config.server);
    read_log(root.child("log"), out.config.log);
    read_store(root.child("store"), out.config.store);
    if (const auto* channels = root.find("channels"))
        read_channels(*channels, root.path_of("channels"), out.config.channels, out.problems);
    {
        auto flows = root.child("flows");
        flows.optional("dir", out.config.flows_dir);
        flows.finish();
        auto dialogue = root.child("dialogue");
        dialogue.optional("file", out.config.dialogue_file);
        dialogue.finish();
    }
    read_pipeline(root.child("pipeline"), out.config.pipeline);
    {
        auto privacy = root.child("privacy");
        auto& days = out.config.privacy.retention_days;
        if (privacy.optional("retention_days", days) && (days < 0 || days > 36500))
            privacy.fail("retention_days", "must be between 0 (never) and 36500 days");
        privacy.finish();
    }
    read_notifications(root.child("notifications"), out.config, out.problems);
    read_webchat_sessions(root.child("webchat"), out.config.webchat);
    read_metrics(root.child("metrics"), out.config.metrics, out.config.server);
    read_media(root.child("media"), out.config.media);
    check_photo_limits(out.config, root.path_of("channels"), out.problems);
    if (const auto* hooks = root.find("outbound_hooks"))
        read_outbound_hooks(*hooks, root.path_of("outbound_hooks"), out.config.outbound_hooks,
                            out.problems);
    root.finish();
    return out;
}

}  // namespace dgw::config
