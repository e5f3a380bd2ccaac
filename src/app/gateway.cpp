#include "dgw/app/gateway.hpp"

#include "app/admin_pages.hpp"
#include "app/configured_store.hpp"
#include "app/flow_files.hpp"
#include "app/peers.hpp"
#include "app/photo_fetcher.hpp"
#include "app/webchat_routes.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/api/place.hpp>
#include <dgw/api/routes.hpp>
#include <dgw/api/secrets.hpp>
#include <dgw/channels/event_hook.hpp>
#include <dgw/channels/registry.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/reader.hpp>
#include <dgw/dialogue/resolver.hpp>
#include <dgw/http/client.hpp>
#include <dgw/http/server.hpp>
#include <dgw/domain/events.hpp>
#include <dgw/domain/followup.hpp>
#include <dgw/domain/reminders.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/ingest.hpp>
#include <dgw/pipeline/media_copier.hpp>
#include <dgw/pipeline/processor.hpp>
#include <dgw/pipeline/sender.hpp>
#include <dgw/pipeline/worker.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#ifndef DGW_VERSION
#define DGW_VERSION "0.0.0"
#endif

namespace dgw::app {

std::string version() { return DGW_VERSION; }

namespace {

using ms = std::chrono::milliseconds;

ms seconds(double v) { return ms(static_cast<long long>(v * 1000)); }

// Events per second to one other system (outbound_hooks), with twice that as a burst.
constexpr double hook_rate = 20;

std::vector<domain::hook> hooks_of(const config::gateway_config& cfg) {
    std::vector<domain::hook> out;
    for (const auto& h : cfg.outbound_hooks) {
        domain::hook d{h.name, {}, h.personal_data};
        for (const auto& name : h.events) {
            core::event_type t;
            if (core::parse_event_type(name, t)) d.events.insert(t);  // checked by the config
        }
        out.push_back(std::move(d));
    }
    return out;
}

http::server_options server_options_from(const config::server_config& s) {
    http::server_options o;
    o.host = s.host;
    o.port = s.port;
    o.max_body_bytes = s.max_body_bytes;
    o.max_header_bytes = s.max_header_bytes;
    o.max_connections = s.max_connections;
    o.max_connections_per_address = s.max_connections_per_address;
    o.header_timeout = seconds(s.header_timeout_seconds);
    o.read_timeout = seconds(s.read_timeout_seconds);
    o.idle_timeout = seconds(s.idle_timeout_seconds);
    o.write_timeout = seconds(s.read_timeout_seconds);
    o.drain_timeout = seconds(s.drain_seconds);
    o.trusted_proxies = s.trusted_proxy_blocks;
    // Answered even over the connection caps: a flood must not make an orchestrator restart
    // a healthy gateway.
    o.always_answer = {"/healthz", "/readyz"};
    if (s.tls) {
        o.tls_cert_file = s.tls->cert_file;
        o.tls_key_file = s.tls->key_file;
    }
    return o;
}

// The versions admins published (flow editor), after the files: they carry numbers above the
// files' at the time they were published. A clash (a file shipped later with a number already
// published) or a stored version this build no longer accepts stops start-up with the reason,
// like an invalid file: which of two "version 3" conversations are pinned to is unknowable.
void load_published_flows(store::store& db, flow::registry& registry) {
    const auto problems = add_published_flows(registry, db.list_flow_versions(""), false);
    if (!problems.empty()) throw std::runtime_error("invalid flows:" + problems);
}

std::shared_ptr<const dialogue::dialogue_config> load_dialogue(const std::string& path) {
    std::vector<core::problem> problems;
    auto cfg = dialogue::load_text(read_file(path), problems);
    if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems) all += "\n  " + path + ": " + core::to_string(p);
        throw std::runtime_error("invalid dialogue configuration:" + all);
    }
    return std::make_shared<const dialogue::dialogue_config>(std::move(cfg));
}

// A configured channel in the channels module's words, for its type's factory.
channels::channel_settings settings_of(const config::channel_config& c,
                                       const std::string& webchat_key) {
    channels::channel_settings s;
    s.id = c.id;
    s.type = c.type;
    s.api_base = c.api_base;
    s.values = c.settings;
    for (const auto& [purpose, t] : c.late.templates)
        s.templates[purpose] = {t.name, t.language, t.params, t.title};
    for (const auto& [purpose, z] : c.late.zns) s.zns[purpose] = {z.template_id, z.params};
    s.tags = c.late.tags;
    s.optin = c.late.optin;
    s.session_key = webchat_key;
    return s;
}

std::shared_ptr<const channels::adapter> make_adapter(const config::channel_config& c,
                                                      const std::string& webchat_key) {
    auto adapter = channels::make_adapter(settings_of(c, webchat_key));
    if (!adapter) throw std::runtime_error("channel " + c.id + ": unsupported type " + c.type);
    return adapter;
}

// The api module reaches the database thread through this seam (it may not include pipeline).
class database_runner final : public api::database_runner {
public:
    explicit database_runner(pipeline::database& db) : db_(db) {}
    net::awaitable<void> run(std::function<void(store::store&)> work) override {
        return db_.run(std::move(work));
    }

private:
    pipeline::database& db_;
};

}  // namespace

struct gateway::impl {
    impl(config::gateway_config c, core::logger& l, core::clock k)
        : cfg(std::move(c)),
          log(l),
          clock(std::move(k)),
          threads(cfg.server.threads ? cfg.server.threads
                                     : std::max(1u, std::thread::hardware_concurrency())),
          ioc(static_cast<int>(threads)) {}

    config::gateway_config cfg;
    core::logger& log;
    core::clock clock;
    unsigned threads;
    net::io_context ioc;
    core::metrics metrics;
    std::unique_ptr<store::store> db_store;
    std::unique_ptr<pipeline::database> db;
    std::shared_ptr<flow::registry> flows;
    std::shared_ptr<const dialogue::dialogue_config> dialogue;
    std::shared_ptr<const dialogue::locality_resolver> localities;
    std::shared_ptr<const dialogue::concern_reader> reader;
    std::map<std::string, std::shared_ptr<const channels::adapter>> adapters;
    std::unique_ptr<pipeline::processor> processor;
    std::unique_ptr<http::client> client;
    std::unique_ptr<pipeline::sender> sender;
    std::unique_ptr<pipeline::worker> worker;
    std::unique_ptr<pipeline::media_copier> copier;
    std::unique_ptr<pipeline::ingest> ingest;
    std::unique_ptr<peer_watch> peers;  // only on a database several gateways may share
    std::unique_ptr<webchat_routes> webchat;  // only when a webchat channel is configured
    std::unique_ptr<photo_fetcher> photos;
    std::unique_ptr<http::server> server;
    std::unique_ptr<http::server> metrics_server;  // Prometheus's own listener, when configured
    std::unique_ptr<net::signal_set> signals;
    std::string webchat_key;
    std::atomic<bool> stopping{false};
    std::optional<std::string> first_admin_password;

    void build() {
        flows = load_flows(cfg.flows_dir);
        dialogue = load_dialogue(cfg.dialogue_file);
        db_store = open_configured_store(cfg.store, true);
        load_published_flows(*db_store, *flows);
        // Sends are claimed in this gateway's name; another gateway takes a claim over only
        // once it is older than any send can take (that gateway died mid-send).
        const auto name = gateway_name(cfg.server.port);
        db_store->set_claimant(
            {name, 2 * seconds(cfg.pipeline.send_timeout_seconds) + std::chrono::seconds(30)});
        // Other systems told of concerns and sessions (outbound_hooks): the store queues their
        // events with each change, the sender delivers them like replies.
        if (!cfg.outbound_hooks.empty())
            db_store->set_event_sink(std::make_shared<domain::event_hooks>(hooks_of(cfg)));
        // Web chat sessions are signed with the configured key, or with one made at the first
        // start and kept in the store: a restart must accept the cookies it gave out.
        webchat_key = cfg.webchat.session_key.empty()
                          ? db_store->keep_secret("webchat_session_key", api::random_token())
                          : cfg.webchat.session_key;
        for (const auto& c : cfg.channels) {
            if (!flows->latest(c.flow))
                throw std::runtime_error("channel " + c.id + " starts flow \"" + c.flow +
                                         "\", which is not in " + cfg.flows_dir);
            adapters[c.id] = make_adapter(c, webchat_key);
        }
        db = std::make_unique<pipeline::database>(*db_store, metrics);

        pipeline::processor_deps deps;
        deps.flows = flows;
        deps.dialogue = dialogue;
        deps.public_url = cfg.notifications.public_url;
        localities = std::make_shared<const dialogue::locality_resolver>(*dialogue);
        deps.localities = localities;
        reader = std::make_shared<const dialogue::concern_reader>(*dialogue);
        deps.reader = reader;
        for (const auto& c : cfg.channels) deps.start_flow[c.id] = c.flow;
        auto acks = adapters;
        deps.wants_ack = [acks](const std::string& channel, const core::inbound_event& ev) {
            auto it = acks.find(channel);
            return it != acks.end() && it->second->acknowledge(ev).has_value();
        };
        // Asked once per channel, here: whether its platform needs an opt-in after a receipt.
        std::set<std::string> offering;
        for (const auto& [id, a] : adapters)
            if (a->offer_notifications("", "", channels::render_context{})) offering.insert(id);
        deps.offers_notifications = [offering](const std::string& channel) {
            return offering.contains(channel);
        };
        // The photos of platforms that keep them (or only for a while) are copied when the
        // concern is filed; the web chat's files too, so that every kept photo is one kind of
        // record (an official may show it on the public page; an erasure deletes it).
        std::set<std::string> copying;
        for (const auto& [id, a] : adapters)
            if (a->fetches_media() || a->type() == "webchat") copying.insert(id);
        deps.copies_media = [copying](const std::string& channel) {
            return copying.contains(channel);
        };
        // References must be unguessable enough that nobody enumerates other people's
        // concerns: seed from the OS entropy source.
        auto rng = std::make_shared<std::mt19937>(std::random_device{}());
        deps.random = [rng] { return static_cast<std::uint32_t>((*rng)()); };
        deps.metrics = &metrics;
        deps.log = &log;
        if (cfg.store.on_postgres())
            deps.learn_flow = [f = flows, l = &log](store::store& s, const std::string& id) {
                const auto problems = add_published_flows(*f, s.list_flow_versions(id), true);
                if (!problems.empty()) l->error("app", "cannot load flow " + id + ":" + problems);
            };
        processor = std::make_unique<pipeline::processor>(std::move(deps));

        http::client_options co;
        if (!cfg.pipeline.ca_file.empty()) co.ca_file = cfg.pipeline.ca_file;
        co.total_timeout = seconds(cfg.pipeline.send_timeout_seconds);
        // Every send in flight may hand its connection back: under load no message pays for a
        // new TCP and TLS handshake because the pool was smaller than the sender's concurrency.
        co.max_idle_per_host = std::max<std::size_t>(co.max_idle_per_host, cfg.pipeline.max_in_flight);
        client = std::make_unique<http::client>(ioc.get_executor(), co);

        std::map<std::string, pipeline::channel_route> routes;
        for (const auto& c : cfg.channels) {
            const auto& l = c.rate_limit;
            routes[c.id] = {adapters[c.id],
                            {l.per_second, l.burst, l.per_chat_per_second, l.per_chat_burst},
                            std::nullopt};
            if (adapters[c.id]->refreshes_tokens()) {
                routes[c.id].tokens = channels::token_pair{
                    c.settings.at("access_token"), c.settings.at("refresh_token"), {}};
            }
        }
        for (const auto& h : cfg.outbound_hooks) {
            routes[domain::hook_channel(h.name)] = {
                std::make_shared<channels::event_hook>(channels::event_hook_settings{h.url, h.secret}),
                {hook_rate, 2 * hook_rate, 0, 0},
                std::nullopt};
        }
        pipeline::sender_options so;
        so.max_in_flight = cfg.pipeline.max_in_flight;
        so.max_attempts = cfg.pipeline.max_attempts;
        so.backoff = seconds(cfg.pipeline.backoff_seconds);
        so.max_backoff = seconds(cfg.pipeline.max_backoff_seconds);
        so.send_timeout = seconds(cfg.pipeline.send_timeout_seconds);
        so.tokens.timeout = so.send_timeout;
        so.sms_channel = cfg.notifications.sms_channel;
        so.clock = clock;
        so.tokens.owner = name;
        sender = std::make_unique<pipeline::sender>(ioc.get_executor(), *db, *client,
                                                    std::move(routes), so, metrics, log);
        if (cfg.store.on_postgres()) {
            peer_watch_options po;
            po.name = name;
            po.listen_url = cfg.store.postgres_url;
            po.clock = clock;
            peers = std::make_unique<peer_watch>(ioc.get_executor(), *db, *sender, flows, po, log);
        }
        pipeline::worker_options wo;
        wo.batch = cfg.pipeline.batch;
        wo.retention = std::chrono::hours(24) * cfg.privacy.retention_days;
        wo.clock = clock;
        // Days before each session, its citizens are reminded of it (once each); assigned
        // work past its deadline goes onto the next session's agenda; work due soon is
        // reminded to the officials of the office it was assigned to (once per deadline).
        wo.periodic = [d = dialogue, sms = cfg.notifications.sms_channel](store::store& s,
                                                                          store::time_point now) {
            domain::carry_overdue(s, *d, now);
            const auto see = [&](const store::user& u, const store::concern& k) { return api::may_see(*d, u, k); };
            return domain::queue_reminders(s, *d, now).messages +
                   domain::remind_offices(s, *d, sms, now, see).messages;
        };
        pipeline::media_copier_options mo;
        mo.max_bytes = cfg.media.max_bytes;
        // A taken copy is left to its copier for longer than the whole fetch may take.
        mo.lease = std::max(std::chrono::seconds(60),
                            std::chrono::seconds(3 * static_cast<long long>(cfg.media.timeout_seconds) + 1));
        mo.clock = clock;
        copier = std::make_unique<pipeline::media_copier>(
            ioc.get_executor(), *db,
            [this](std::string channel, std::string media_id) {
                return photos->copy_source(std::move(channel), std::move(media_id));
            },
            mo, metrics, log);
        auto* s = sender.get();
        auto* m = copier.get();
        // A batch that wrote messages may have filed a concern with photos.
        worker = std::make_unique<pipeline::worker>(ioc.get_executor(), *db, *processor, wo, log,
                                                    [s, m] {
                                                        s->notify();
                                                        m->notify();
                                                    });
        auto* w = worker.get();
        db->on_inbox_commit([w] { w->notify(); });
        ingest = std::make_unique<pipeline::ingest>(*db, adapters, metrics, log, clock);
        build_webchat();
        photos = std::make_unique<photo_fetcher>(adapters, cfg.channels, cfg.media, *client,
                                                 webchat.get(), metrics, log);
    }

    void build_webchat() {
        std::vector<config::channel_config> pages;
        for (auto c : cfg.channels) {
            if (c.type != "webchat") continue;
            // The page is open to anyone: neither one session nor everyone together can flood
            // the inbox.
            const auto all = static_cast<double>(c.webchat.messages_per_minute);
            const auto one = static_cast<double>(c.webchat.messages_per_session_per_minute);
            if (all > 0 || one > 0) ingest->limit_senders(c.id, {all / 60.0, all, one / 60.0, one});
            // 0 = as large as the server takes (configs built in code skip the check).
            auto& limit = c.webchat.max_photo_bytes;
            if (limit == 0 || limit > cfg.server.max_body_bytes) limit = cfg.server.max_body_bytes;
            pages.push_back(std::move(c));
        }
        if (!pages.empty())
            webchat = std::make_unique<webchat_routes>(*db, std::move(pages), cfg.webchat,
                                                       webchat_key, metrics, log);
    }

    // Operations endpoints (issue 2 §8); readiness asks the store.
    net::awaitable<http::response> healthz(http::request_context&) {
        co_return http::json_response(http::status::ok, {{"status", "ok"}});
    }
    net::awaitable<http::response> readyz(http::request_context&) {
        if (stopping.load())
            co_return http::json_response(http::status::service_unavailable,
                                          {{"status", "stopping"}});
        bool ok = false;
        try {
            auto check = [](store::store& s) { return s.healthy(); };
            ok = co_await db->run(check);
        } catch (const std::exception&) {
            ok = false;
        }
        if (!ok)
            co_return http::json_response(http::status::service_unavailable,
                                          {{"status", "store unavailable"}});
        co_return http::json_response(http::status::ok, {{"status", "ready"}});
    }
    net::awaitable<http::response> metrics_text(http::request_context&) {
        // Backlogs are read at scrape time: one cheap query each, never on the hot path.
        try {
            auto read = [](store::store& s) {
                return std::tuple{s.inbox_backlog(), s.outbox_pending(), s.outbox_held(),
                                  s.media_copies_pending()};
            };
            auto [inbox, outbox, held, copies] = co_await db->run(read);
            metrics.set("dgw_inbox_backlog", {}, static_cast<double>(inbox));
            metrics.set("dgw_outbox_pending", {}, static_cast<double>(outbox));
            metrics.set("dgw_outbox_held", {}, static_cast<double>(held));
            metrics.set("dgw_media_copies_pending", {}, static_cast<double>(copies));
        } catch (const std::exception&) {
            // The store being down shows in /readyz; the other metrics are still worth serving.
        }
        co_return http::text_response(http::status::ok, metrics.render(),
                                      "text/plain; version=0.0.4; charset=utf-8");
    }
    // /metrics on the public listener, for Prometheus with the configured bearer token only:
    // route and status counts, channel ids and the version are nobody else's business.
    net::awaitable<http::response> guarded_metrics(http::request_context& c) {
        const auto token = api::bearer_token(c.req[beast::http::field::authorization]);
        if (token.empty() || !api::constant_time_equal(token, cfg.metrics.bearer_token)) {
            auto res = http::error_response(http::status::unauthorized, "unauthorized",
                                            "send Authorization: Bearer <metrics token>");
            res.set(beast::http::field::www_authenticate, "Bearer");
            co_return res;
        }
        co_return co_await metrics_text(c);
    }

    // Prometheus's own listener (metrics.listen, loopback by default), with the health
    // endpoints for orchestrators that probe from inside: no flood on the public listener
    // reaches them.
    http::router metrics_routes() {
        http::router r;
        r.add(http::verb::get, "/metrics",
              [this](http::request_context& c) { return metrics_text(c); });
        r.add(http::verb::get, "/healthz", [this](http::request_context& c) { return healthz(c); });
        r.add(http::verb::get, "/readyz", [this](http::request_context& c) { return readyz(c); });
        return r;
    }

    http::router routes() {
        http::router r;
        // Handlers are member coroutines reached through non-coroutine forwarding lambdas
        // (STYLE.md §3: no capturing lambda coroutines).
        r.add(http::verb::get, "/healthz", [this](http::request_context& c) { return healthz(c); });
        r.add(http::verb::get, "/readyz", [this](http::request_context& c) { return readyz(c); });
        if (!cfg.metrics.bearer_token.empty())
            r.add(http::verb::get, "/metrics",
                  [this](http::request_context& c) { return guarded_metrics(c); });
        r.add(http::verb::post, "/webhooks/{channel}",
              [this](http::request_context& c) { return ingest->handle(c); });
        r.add(http::verb::get, "/webhooks/{channel}",
              [this](http::request_context& c) { return ingest->handle(c); });
        // Delivery callbacks, for platforms that send them to a separate URL (Twilio).
        r.add(http::verb::post, "/webhooks/{channel}/status",
              [this](http::request_context& c) { return ingest->handle(c); });
        if (webchat) webchat->add_to(r);
        add_admin_pages(r);
        api::api_deps api;
        api.db = std::make_shared<database_runner>(*db);
        api.dialogue = dialogue;
        api.now = clock;
        api.notice_link = cfg.notifications.link;
        api.sms_channel = cfg.notifications.sms_channel;
        api.public_url = cfg.notifications.public_url;
        // Invitations open the web chat (at the public address), Telegram (by the bot's name)
        // and Messenger (by the Page's name). Zalo's and Viber's chat links carry nothing the
        // webhook gives back to a citizen's first message, so they get none.
        for (const auto& ch : cfg.channels) {
            if (ch.type == "webchat" && !cfg.notifications.public_url.empty())
                api.invite_links.push_back(
                    {ch.id, ch.type, cfg.notifications.public_url + "/chat/" + ch.id + "?start="});
            if (auto name = ch.settings.find("bot_username"); ch.type == "telegram" && name != ch.settings.end())
                api.invite_links.push_back({ch.id, ch.type, "https://t.me/" + name->second + "?start="});
            if (auto name = ch.settings.find("page_username"); ch.type == "messenger" && name != ch.settings.end())
                api.invite_links.push_back({ch.id, ch.type, "https://m.me/" + name->second + "?ref="});
        }
        auto* s = sender.get();
        api.outbox_written = [s] { s->notify(); };
        api.log = &log;
        api.flows = flows;
        api.localities = localities;
        api.reader = reader;
        for (const auto& c : cfg.channels) {
            if (c.type == "webchat") api.media_channels.insert(c.id);
            api.channel_types[c.id] = c.type;
        }
        for (const auto& [id, a] : adapters)
            if (a->fetches_media()) api.media_channels.insert(id);
        api.fetch_media = [this](std::string channel, std::string media_id) {
            return photos->fetch_media(std::move(channel), std::move(media_id));
        };
        api::add_routes(r, std::move(api));
        return r;
    }
};

gateway::gateway(config::gateway_config config, core::logger& log, core::clock clock)
    : impl_(std::make_unique<impl>(std::move(config), log, std::move(clock))) {
    auto& m = impl_->metrics;
    m.describe("dgw_build_info", "The running gateway's version.", core::metrics::kind::gauge);
    m.set("dgw_build_info", {{"version", version()}}, 1);
    m.describe("dgw_inbox_backlog", "Inbox events stored and not yet processed.",
               core::metrics::kind::gauge);
    m.describe("dgw_outbox_pending", "Outbox messages not yet sent or failed.",
               core::metrics::kind::gauge);
    m.describe("dgw_outbox_held",
               "Messages no path reaches now, held for the citizen's next message.",
               core::metrics::kind::gauge);
    m.describe("dgw_media_copies_pending",
               "Photos of filed concerns not yet copied into the gateway's storage (due or "
               "waiting for a retry).",
               core::metrics::kind::gauge);
    m.describe("dgw_media_fetches_total",
               "Photos fetched from a platform for an official, by channel and result: ok, gone "
               "(no longer there, not an image), unavailable (the platform failed), refused (the "
               "link pointed where media_hosts or the address rules do not allow).",
               core::metrics::kind::counter);
}

gateway::~gateway() {
    // The io_context is stopped by now; the database thread must finish before the store goes.
    if (impl_->webchat) impl_->webchat->stop();
    if (impl_->db) impl_->db->stop();
}

void gateway::start() {
    auto& st = *impl_;
    st.build();
    st.server = std::make_unique<http::server>(st.ioc, server_options_from(st.cfg.server),
                                               st.routes(), st.metrics, st.log);
    st.server->start();
    if (!st.cfg.metrics.listen.empty()) {
        http::server_options o;
        o.host = st.cfg.metrics.host;
        o.port = st.cfg.metrics.port;
        o.max_connections = 64;  // a scraper or two, and probes
        st.metrics_server = std::make_unique<http::server>(st.ioc, std::move(o),
                                                           st.metrics_routes(), st.metrics, st.log);
        st.metrics_server->start();
    }
    // Only once the port is ours, so that a failed start does not create an admin whose
    // password nobody saw. Nothing runs on the database thread before run(): the store is
    // still ours to use directly here.
    st.first_admin_password = api::ensure_first_admin(*st.db_store, st.clock());
    st.worker->start();
    st.sender->start();
    st.copier->start();
    if (st.peers) st.peers->start();
    if (st.webchat) st.webchat->start_sweeps(st.ioc.get_executor());
}

std::uint16_t gateway::port() const { return impl_->server->local_endpoint().port(); }

std::optional<std::uint16_t> gateway::metrics_port() const {
    if (!impl_->metrics_server) return std::nullopt;
    return impl_->metrics_server->local_endpoint().port();
}

std::vector<std::pair<http::verb, std::string>> gateway::route_table() const {
    return impl_->server->routes().table();
}

std::optional<std::string> gateway::first_admin_password() const {
    return impl_->first_admin_password;
}

core::metrics& gateway::metrics() { return impl_->metrics; }

void gateway::shutdown() {
    auto& st = *impl_;
    if (st.stopping.exchange(true)) return;
    st.log.info("app", "shutting down: draining connections");
    // Order: stop taking webhooks, then let the worker finish its batch and the sender its
    // sends in flight; whatever is still pending stays in the store for the next start.
    st.server->shutdown([&st] {
        auto pipeline = [&st] {
            st.log.info("app", "connections closed; stopping the pipeline");
            if (st.peers) st.peers->stop();
            st.worker->stop([&st] {
                st.sender->stop([&st] {
                    st.copier->stop([&st] {
                        st.log.info("app", "pipeline stopped");
                        st.ioc.stop();
                    });
                });
            });
        };
        if (st.metrics_server)
            st.metrics_server->shutdown(pipeline);
        else
            pipeline();
    });
}

void gateway::handle_signals() {
    auto& st = *impl_;
    st.signals = std::make_unique<net::signal_set>(st.ioc, SIGINT, SIGTERM);
    st.signals->async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) shutdown();
    });
}

void gateway::run() {
    auto& st = *impl_;
    auto guard = net::make_work_guard(st.ioc);
    std::vector<std::thread> pool;
    for (unsigned i = 1; i < st.threads; ++i) pool.emplace_back([&st] { st.ioc.run(); });
    st.ioc.run();
    for (auto& t : pool) t.join();
    st.signals.reset();
}

}  // namespace dgw::app
