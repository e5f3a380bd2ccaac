#pragma once
/// What the gateway keeps for itself: channels' refreshed token pairs and its own keys.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

namespace dgw::store {

class secret_store {
public:
    virtual ~secret_store() = default;

    /// At start-up, for a channel whose tokens are refreshed: the stored pair, which is newer
    /// than the config's after a refresh. `configured` (with its `seed` fingerprint) is stored
    /// instead when the channel has no row yet, or when its seed differs from the row's: an
    /// operator has put a new pair in the config. One transaction; returns the row in use.
    virtual channel_token seed_channel_token(const channel_token& configured) = 0;
    /// Stores the pair a refresh returned, replacing the old one, in one transaction.
    virtual void save_channel_token(const channel_token& token) = 0;
    virtual std::optional<channel_token> find_channel_token(const std::string& channel) = 0;
    /// Several gateways share the pair (one database) and a refresh token works once: before
    /// refreshing, a gateway takes the channel's refresh until `until`. `claimed` when it may
    /// refresh now; `replaced` (with the stored pair) when the pair is no longer the one whose
    /// refresh token `in_use` names, another gateway having refreshed it; `busy` while another
    /// gateway holds an unexpired refresh. save_channel_token ends the refresh.
    virtual token_refresh claim_token_refresh(const std::string& channel, const std::string& in_use,
                                              const std::string& owner, time_point now,
                                              time_point until) = 0;
    /// The secret kept under `name`, storing `fresh` first when there is none yet: for keys
    /// the gateway makes itself at its first start, which every later start (and every
    /// gateway sharing the database) must use too.
    virtual std::string keep_secret(const std::string& name, const std::string& fresh) = 0;
};

}  // namespace dgw::store
