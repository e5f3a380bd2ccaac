#pragma once
/// Citizens as the platforms know them, and their conversations with the flows.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class contact_store {
public:
    virtual ~contact_store() = default;

    /// The contact for (channel, user_id), created if new; refreshes name, language and
    /// last_inbound_at. Idempotent.
    virtual contact upsert_contact(const std::string& channel, const std::string& user_id,
                                   const std::string& display_name, const std::string& language,
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
    virtual std::optional<conversation> find_conversation(const std::string& key) = 0;
};

}  // namespace dgw::store
