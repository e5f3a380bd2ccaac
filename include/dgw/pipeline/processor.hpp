#pragma once
/// The worker's core: turns pending inbox events and due timers into steps and commits them
/// (DESIGN.md invariants 2-5). It runs on the database thread with the real store; the flow
/// engine and the dialogue module it calls are pure, so one batch is a plain function call that
/// tests drive directly.
///
/// For each event, in arrival order: find or create the contact, continue its active
/// conversation on the version it started on (or start the channel's flow), perform the
/// effects (file the concern routed to its session, look a concern up, start another flow),
/// and produce the outbox rows and timers. The messages held for the contact's next message
/// are due again. A `permission` event (a notification opt-in, following the account) reaches
/// no flow: it is stored with the contact. A whole batch commits in one transaction; if that
/// fails on a bad event, events are committed one by one and the bad one is marked failed,
/// so one poisoned event never blocks the others.

#include <dgw/core/locality.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/core/reading.hpp>
#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/flow/engine.hpp>
#include <dgw/store/store.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace dgw::pipeline {

struct processor_deps {
    std::shared_ptr<const flow::registry> flows;
    std::shared_ptr<const dialogue::dialogue_config> dialogue;
    std::shared_ptr<const core::locality_lookup> localities;
    /// Reads citizens' free words (topic, commune, urgency, intent); may be null (then every
    /// question is asked).
    std::shared_ptr<const core::message_reader> reader;
    /// channel id -> the flow a new conversation starts with (e.g. "menu")
    std::map<std::string, std::string> start_flow;
    /// Whether the channel must acknowledge this event on the platform (an "ack" outbox row).
    std::function<bool(const std::string& channel, const core::inbound_event&)> wants_ack;
    /// Whether the channel asks, after a receipt, for the opt-in its platform needs to reach the
    /// citizen after its reply window (an "offer" outbox row after the receipt).
    std::function<bool(const std::string& channel)> offers_notifications;
    /// Whether the channel's photos are copied into the gateway's own storage when a concern
    /// is filed (the platform keeps them, or only for a while); null = none is.
    std::function<bool(const std::string& channel)> copies_media;
    /// The gateway's public address (notifications.public_url), for the receipt's link to the
    /// published answers; "" for none.
    std::string public_url;
    /// Loads the published versions of a flow into `flows` that it lacks: a conversation may
    /// be on a version another gateway sharing the database published a moment ago. Called
    /// when a conversation's version is unknown; may be null (one gateway: nothing to learn).
    std::function<void(store::store&, const std::string& flow_id)> learn_flow;
    /// Randomness for concern references.
    dialogue::random_source random;
    core::metrics* metrics = nullptr;
    core::logger* log = nullptr;
};

struct batch_report {
    std::size_t events = 0;  ///< inbox events handled (done or failed)
    std::size_t timers = 0;  ///< timers fired
    std::size_t failed = 0;  ///< events marked failed
    std::size_t concerns = 0;
    std::size_t messages = 0;  ///< outbox rows written
};

class processor {
public:
    explicit processor(processor_deps deps);
    ~processor();

    /// Handles up to `limit` pending events and the timers due at `now`, committing them.
    /// Throws store::unavailable when the database fails (nothing is lost: the events stay
    /// pending and the caller retries later).
    batch_report run_batch(store::store& db, store::time_point now, std::size_t limit = 256);

    struct impl;

private:
    std::unique_ptr<impl> impl_;
};

}  // namespace dgw::pipeline
