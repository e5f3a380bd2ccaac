#pragma once
/// The pipeline's durable queues (DESIGN.md invariants 1-4): the inbox of webhook events, the
/// steps a worker batch commits, timers, and the outbox the sender works through in order per
/// contact.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class queue_store {
public:
    virtual ~queue_store() = default;

    /// Appends events in one transaction; duplicates of (channel, dedup_key) are skipped.
    virtual append_result append_inbox(const std::vector<inbox_item>& items) = 0;
    /// Pending events in arrival order.
    virtual std::vector<inbox_row> pending_inbox(std::size_t limit) = 0;
    virtual std::size_t inbox_backlog() = 0;
    /// Commits the steps in one transaction, in order (a worker batch).
    virtual void commit_steps(std::vector<step_write>& steps) = 0;
    /// Timers due at `now`, earliest first.
    virtual std::vector<timer> due_timers(time_point now, std::size_t limit) = 0;
    /// For each (channel, contact), the oldest pending message, if due by `now`, claimed or
    /// not: sending only the head of each contact's queue keeps its replies in order
    /// (invariant 4).
    virtual std::vector<outbox_message> sendable_outbox(time_point now, std::size_t limit) = 0;
    /// Records that these messages are being handed to the platform now.
    virtual void claim_outbox(const std::vector<std::int64_t>& ids, time_point at) = 0;
    /// At start-up: claims left by a dead process become `in_doubt` (they will be sent
    /// again). Returns how many.
    virtual std::size_t release_claims() = 0;
    /// Records several send outcomes in one transaction.
    virtual void record_sends(const std::vector<send_result>& results) = 0;
    virtual void mark_sent(std::int64_t id, time_point at) = 0;
    virtual void mark_failed(std::int64_t id, const std::string& reason, time_point at) = 0;
    virtual void reschedule(std::int64_t id, int attempts, time_point next_attempt_at,
                            const std::string& last_error) = 0;
    /// Pending messages, those held for the citizen's next message aside.
    virtual std::size_t outbox_pending() = 0;
    /// Messages held for the citizen's next message.
    virtual std::size_t outbox_held() = 0;
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
