#pragma once
/// Citizens' data rights and retention: erasure, what the sweep forgets, what is still in use.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class privacy_store {
public:
    virtual ~privacy_store() = default;

    /// A citizen's data request: the contact's name and platform id are replaced, its concerns
    /// lose phone, location, media (the kept copies and the copies still to make with them)
    /// and collected answers (their text stays, anonymous), its
    /// conversations end, its inbound events and message texts are blanked, its pending (and
    /// held) outbox is dropped and its permissions are deleted. False when there is no such
    /// contact.
    virtual bool erase_contact(std::int64_t contact_id, time_point now) = 0;
    /// Messages to erased contacts that left the outbox (sent or failed) before `before` lose
    /// their platform address and text. They are the confirmation of a citizen's own erasure,
    /// queued after it so that it still reaches them (and a web chat page still shows it);
    /// afterwards nothing may point at the citizen. Returns how many were scrubbed.
    virtual std::size_t forget_erased_messages(time_point before) = 0;
    /// Contacts to anonymise after the retention period: not erased yet, silent since before
    /// `cutoff`, and every concern of theirs closed (answered, forwarded, withdrawn, merged)
    /// and unchanged since before `cutoff` (a contact with no concern at all qualifies too).
    virtual std::vector<std::int64_t> contacts_past_retention(time_point cutoff,
                                                              std::size_t limit) = 0;
    /// Of `media` (ids of photos kept by this gateway), those still referred to by a concern
    /// (erased ones have none), a conversation under way or an inbox event not yet processed.
    virtual std::vector<std::string> media_in_use(const std::vector<std::string>& media) = 0;
};

}  // namespace dgw::store
