#pragma once
/// What officials and operators read of the queues: the message log and the notices of a session.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class message_log_store {
public:
    virtual ~message_log_store() = default;

    /// The notices about a session, oldest first: who was told, by which path, who not and
    /// why.
    virtual std::vector<outbox_message> list_notices(const std::string& session_id) = 0;
    /// The message log: inbound and outbound, newest first.
    virtual std::vector<outbox_message> list_outbox(const outbox_filter& f) = 0;
    virtual std::vector<inbox_row> list_inbox(std::optional<std::int64_t> contact_id,
                                              std::size_t limit) = 0;
};

}  // namespace dgw::store
