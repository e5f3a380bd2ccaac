#include "app/peers.hpp"

#include <dgw/flow/loader.hpp>
#include <dgw/store/postgres_store.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <array>
#include <atomic>
#include <utility>

namespace dgw::app {

std::string gateway_name(std::uint16_t port) {
    std::array<char, 256> host{};
    if (::gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
    const std::string h = host[0] ? host.data() : "localhost";
    if (port != 0) return h + ":" + std::to_string(port);
    // Gateways in one process (tests) are told apart too.
    static std::atomic<int> made{0};
    return h + ":pid" + std::to_string(::getpid()) + "-" + std::to_string(++made);
}

std::string add_published_flows(flow::registry& registry,
                                const std::vector<store::flow_version>& versions, bool known_ok) {
    std::string problems;
    for (const auto& v : versions) {
        if (known_ok && registry.find(v.flow_id, v.version)) continue;
        const std::string name = "published flow " + v.flow_id + " version " +
                                 std::to_string(v.version);
        auto loaded = flow::load_text(v.document);
        for (const auto& p : loaded.problems) problems += "\n  " + name + ": " + core::to_string(p);
        if (loaded.flow && (loaded.flow->id != v.flow_id || loaded.flow->version != v.version))
            problems += "\n  " + name + ": the document names another id or version";
        else if (loaded.flow && !registry.add(loaded.flow))
            problems += "\n  " + name + " is also a file in the flows directory; give the file a "
                        "version above every published one";
    }
    return problems;
}

struct peer_watch::impl {
    impl(net::any_io_executor ex, pipeline::database& d, pipeline::sender& s,
         std::shared_ptr<flow::registry> f, peer_watch_options o, core::logger& l)
        : strand(net::make_strand(ex)), wake(strand), db(d), sender(s), flows(std::move(f)),
          opts(std::move(o)), log(l) {}

    net::strand<net::any_io_executor> strand;
    net::steady_timer wake;
    pipeline::database& db;
    pipeline::sender& sender;
    std::shared_ptr<flow::registry> flows;
    peer_watch_options opts;
    core::logger& log;
    std::unique_ptr<store::change_listener> listener;
    // strand only
    bool stopping = false;
    bool look_now = false;  // an announcement came while looking: look again at once
    std::size_t versions_seen = 0;
    std::size_t gateways_seen = 0;
};

namespace {

struct look {
    std::size_t gateways = 1;
    std::size_t versions = 0;
};

net::awaitable<void> watch(std::shared_ptr<peer_watch::impl> st) {
    bool first = true;
    while (!st->stopping) {
        st->look_now = false;
        try {
            const auto now = st->opts.clock();
            auto beat = [name = st->opts.name, now, since = now - st->opts.alive_within](store::store& s) {
                return look{s.gateways_alive(name, now, since), s.count_flow_versions()};
            };
            const auto seen = co_await st->db.run(std::move(beat));
            if (seen.gateways != st->gateways_seen) {
                st->sender.set_share(seen.gateways);
                if (!first)
                    st->log.info("app", std::to_string(seen.gateways) +
                                            " gateway(s) share the database; each takes its share "
                                            "of the platforms' rate limits");
                st->gateways_seen = seen.gateways;
            }
            // The versions published at start-up are loaded already: only a change is news.
            if (first) st->versions_seen = seen.versions;
            if (seen.versions != st->versions_seen) {
                auto list = [](store::store& s) { return s.list_flow_versions(""); };
                const auto versions = co_await st->db.run(std::move(list));
                const auto problems = add_published_flows(*st->flows, versions, true);
                if (!problems.empty())
                    st->log.error("app", "flow versions another gateway published cannot be "
                                         "used here:" + problems);
                else
                    st->log.info("app", "loaded the flow versions another gateway published");
                st->versions_seen = seen.versions;
            }
            first = false;
        } catch (const std::exception& e) {
            // The database is down: the next look will tell; nothing here is urgent.
            st->log.warn("app", std::string("cannot look at the other gateways: ") + e.what());
        }
        if (st->stopping) break;
        if (std::exchange(st->look_now, false)) continue;
        st->wake.expires_after(st->opts.every);
        co_await st->wake.async_wait(net::as_tuple(net::use_awaitable));
    }
}

}  // namespace

peer_watch::peer_watch(net::any_io_executor ex, pipeline::database& db, pipeline::sender& sender,
                       std::shared_ptr<flow::registry> flows, peer_watch_options options,
                       core::logger& log)
    : impl_(std::make_shared<impl>(std::move(ex), db, sender, std::move(flows), std::move(options),
                                   log)) {}

peer_watch::~peer_watch() = default;

void peer_watch::start() {
    auto st = impl_;
    if (!st->opts.listen_url.empty()) {
        // Called on the listener's thread: the watch looks at once, on its strand.
        st->listener = std::make_unique<store::change_listener>(
            st->opts.listen_url, [weak = std::weak_ptr<impl>(st)](const std::string&) {
                if (auto alive = weak.lock())
                    net::post(alive->strand, [alive] {
                        alive->look_now = true;
                        alive->wake.cancel();
                    });
            });
    }
    net::co_spawn(st->strand, watch(st), [st](std::exception_ptr e) {
        if (e) st->log.error("app", "the watch of the other gateways ended by an exception");
    });
}

void peer_watch::stop() {
    auto st = impl_;
    st->listener.reset();  // joins its thread: nothing is posted after this
    net::post(st->strand, [st] {
        st->stopping = true;
        st->wake.cancel();
    });
}

}  // namespace dgw::app
