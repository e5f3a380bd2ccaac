#pragma once
// Several gateways on one database (PostgreSQL, README "Running in production"): what each
// must learn from the others. Every second a gateway records itself alive, shares the
// platforms' whole-account rate limits among the gateways seen lately, and loads the flow
// versions another gateway published — and at once when the database announces a publish
// (LISTEN/NOTIFY), so a publish reaches every gateway within milliseconds, or within two
// seconds when a notification was missed.
// (Session edits, users, login sessions and API tokens are read from the store on every use:
// nothing to learn.) Private to the app module.

#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/net.hpp>
#include <dgw/flow/engine.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/sender.hpp>
#include <dgw/store/records.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace dgw::app {

/// This gateway's name among those sharing a database: host name and listening port (unique
/// among live processes on one host; a restarted gateway gets its old name back and releases
/// its own claims at once), or host name, process id and a count when the port is chosen by
/// the system (then a restarted gateway's claims are taken over after their lease).
std::string gateway_name(std::uint16_t port);

/// Adds the published versions the registry lacks; returns the problems, one per line ("" for
/// none). `known_ok`: a version already in the registry is skipped silently (a refresh),
/// otherwise it is a clash with a flow file (at start-up).
std::string add_published_flows(flow::registry& registry,
                                const std::vector<store::flow_version>& versions, bool known_ok);

struct peer_watch_options {
    std::string name;  ///< gateway_name()
    /// The database's URL, to LISTEN for its announcements; "" to rely on the periodic look.
    std::string listen_url;
    std::chrono::milliseconds every{1000};
    /// A gateway not seen for this long no longer counts (it stopped or died).
    std::chrono::milliseconds alive_within{5000};
    core::clock clock = core::system_clock();
};

class peer_watch {
public:
    peer_watch(net::any_io_executor ex, pipeline::database& db, pipeline::sender& sender,
               std::shared_ptr<flow::registry> flows, peer_watch_options options,
               core::logger& log);
    ~peer_watch();
    void start();
    void stop();

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::app
