#pragma once
/// Citizens the bot handed to a person, and what officials did about them.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class handoff_store {
public:
    virtual ~handoff_store() = default;

    /// Hand-offs by status ("open", "closed", or "" for both), the most recently active first,
    /// with the contact's name, the message count and the latest message.
    virtual std::vector<handoff> list_handoffs(const std::string& status, std::size_t limit) = 0;
    /// One hand-off with its whole exchange.
    virtual std::optional<handoff> find_handoff(std::int64_t id) = 0;
    /// Records that `by` opened it; true only for the first time (the citizen is told once).
    virtual bool mark_handoff_seen(std::int64_t id, const std::string& by, time_point at) = 0;
    /// Adds an official's reply to the exchange and queues `message` (to the citizen), both
    /// or neither; false when the hand-off is not open.
    virtual bool reply_to_handoff(std::int64_t id, const std::string& by, const std::string& text,
                                  outbox_message& message) = 0;
    /// Closes an open hand-off, recording who and (when it became one) the concern's
    /// reference; false when it was not open.
    virtual bool close_handoff(std::int64_t id, const std::string& by, const std::string& concern_ref,
                               time_point at) = 0;
};

}  // namespace dgw::store
