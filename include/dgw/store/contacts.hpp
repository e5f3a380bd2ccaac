#pragma once
/// Citizens as the platforms know them, and their conversations with the flows.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

#include <map>
#include <vector>

namespace dgw::store {

/// What an inbound message says of its sender: upsert_contacts' input.
struct contact_seen {
    std::string channel;
    std::string user_id;
    std::string display_name;
    std::string language;
};

class contact_store {
public:
    virtual ~contact_store() = default;

    /// The contact for (channel, user_id), created if new; refreshes name, language and
    /// last_inbound_at. Idempotent.
    virtual contact upsert_contact(const std::string& channel, const std::string& user_id,
                                   const std::string& display_name, const std::string& language,
                                   time_point now) = 0;
    /// upsert_contact for each, in one statement where the database is a server (one round
    /// trip for a worker's batch): the contacts in the same order. A contact seen several
    /// times is written once, as the calls one by one would leave it (the last name and
    /// language given that are not empty).
    virtual std::vector<contact> upsert_contacts(const std::vector<contact_seen>& seen,
                                                 time_point now) = 0;
    virtual std::optional<contact> find_contact(std::int64_t id) = 0;
    /// The contact for (channel, user_id), created with `now` if new; an existing one is left
    /// as it is (an event that is not a message, such as a notification opt-in, does not
    /// change when the contact last wrote).
    virtual contact ensure_contact(const std::string& channel, const std::string& user_id,
                                   time_point now) = 0;
    virtual std::optional<conversation> active_conversation(std::int64_t contact_id) = 0;
    /// The same, with the state left unparsed in `state_text`.
    virtual std::optional<conversation> active_conversation_text(std::int64_t contact_id) = 0;
    /// active_conversation_text for each contact, in one statement where the database is a
    /// server: by contact id, those that have one.
    virtual std::map<std::int64_t, conversation> active_conversations_text(
        const std::vector<std::int64_t>& contact_ids) = 0;
    virtual std::optional<conversation> find_conversation(const std::string& key) = 0;
};

}  // namespace dgw::store
