#pragma once
/// The pipeline's durable queues (DESIGN.md invariants 1-4): the inbox of webhook events, the
/// steps a worker batch commits, timers, and the outbox the sender works through in order per
/// contact.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

#include <chrono>
#include <string>

namespace dgw::store {

/// In whose name the sender claims outbox messages. Several gateways may share one database:
/// each claims as its own `owner`, and takes over another's claim only once it is older than
/// `lease` (that gateway died mid-send: the message is flagged in doubt and sent again). A
/// lease of zero never takes a claim over (one gateway: its claims are released at start).
struct claimant {
    std::string owner;
    std::chrono::milliseconds lease{0};
};

class queue_store {
public:
    virtual ~queue_store() = default;

    /// Sets who claims outbox messages from now on (default: owner "", no lease).
    virtual void set_claimant(claimant who) = 0;

    /// Appends events in one transaction; duplicates of (channel, dedup_key) are skipped.
    virtual append_result append_inbox(const std::vector<inbox_item>& items) = 0;
    /// Pending events in arrival order. On a database several gateways share (PostgreSQL) only
    /// the events of contacts no other transaction is working on: each contact returned is
    /// locked until the caller's transaction ends, and all its pending events come, in order
    /// (within `limit`), so one contact's events are processed by one gateway at a time, in
    /// the order their webhooks were committed.
    virtual std::vector<inbox_row> pending_inbox(std::size_t limit) = 0;
    virtual std::size_t inbox_backlog() = 0;
    /// Commits the steps in one transaction, in order (a worker batch).
    virtual void commit_steps(std::vector<step_write>& steps) = 0;
    /// Timers due at `now`, earliest first; on a shared database only those of contacts this
    /// transaction holds or could lock (as pending_inbox), so a timer fires once.
    virtual std::vector<timer> due_timers(time_point now, std::size_t limit) = 0;
    /// For each (channel, contact), the oldest pending message, if due by `now`, unclaimed or
    /// claimed by this claimant (or by another whose lease has run out): sending only the head
    /// of each contact's queue keeps its replies in order (invariant 4). `busy`: heads the
    /// caller is sending already, left out, so they take no room in `limit` and are not read
    /// again every round.
    virtual std::vector<outbox_message> sendable_outbox(
        time_point now, std::size_t limit, const std::vector<std::int64_t>& busy = {}) = 0;
    /// Records that these messages are being handed to the platform now, in the claimant's
    /// name, and returns those claimed: not one another gateway holds under a live lease. A
    /// message claimed before (taken over from a dead gateway, or this claimant's own whose
    /// outcome was never recorded) is flagged in doubt: it may have reached the platform.
    virtual std::vector<std::int64_t> claim_outbox(const std::vector<std::int64_t>& ids,
                                                   time_point at) = 0;
    /// At start-up: claims left by a dead process become `in_doubt` (they will be sent
    /// again). Returns how many. SQLite (one gateway): every claim; a shared database: the
    /// claimant's own (a restarted gateway; others' are taken over after their lease).
    virtual std::size_t release_claims() = 0;
    /// Records several send outcomes in one transaction. An outcome for a message no longer
    /// pending, or claimed by another claimant (this one's lease ran out and it was taken
    /// over), changes nothing.
    virtual void record_sends(const std::vector<send_result>& results) = 0;
    virtual void mark_sent(std::int64_t id, time_point at) = 0;
    virtual void mark_failed(std::int64_t id, const std::string& reason, time_point at) = 0;
    virtual void reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                            const std::string& last_error) = 0;
    /// Pending messages, those held for the citizen's next message aside.
    virtual std::size_t outbox_pending() = 0;
    /// Messages held for the citizen's next message.
    virtual std::size_t outbox_held() = 0;
    /// Records that gateway `id` is alive at `now` and returns how many gateways (itself
    /// included) were seen at or after `since`: several gateways on one database share the
    /// platforms' rate limits among them. Rows of gateways gone for a day are dropped.
    virtual std::size_t gateways_alive(const std::string& id, time_point now, time_point since) = 0;
    /// Appends notifications (inbox_id 0) to the outbox; ids are assigned.
    virtual void append_outbox(std::vector<outbox_message>& messages) = 0;
    /// The permissions of a contact and the phone number they gave with consent (of their
    /// newest concern with one), for the sender to choose a path.
    virtual contact_reach reach_of(std::int64_t contact_id) = 0;
    /// One user's messages sent after outbox id `after_id`, oldest first, at most `limit`:
    /// what a page that fetches its replies (the web chat) has not shown yet. Only replies and
    /// notices (not acks or offers) whose status is `sent`; a contact's messages are sent in id
    /// order, so nothing sent later can appear before one already returned.
    virtual std::vector<outbox_message> outbox_after(const std::string& channel,
                                                     const std::string& user_id,
                                                     std::int64_t after_id,
                                                     std::size_t limit) = 0;
};

}  // namespace dgw::store
