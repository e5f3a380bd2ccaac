#pragma once
/// Keys of the client systems that file concerns through Open311 (POST /open311/v2/requests):
/// one per system, with the place it may file for, revocable. Only a hash of each key's
/// secret is kept.
///
/// One role of the store (store.hpp): synchronous, not thread-safe, each mutating call one
/// transaction (or a savepoint inside the caller's store::transact).

#include <dgw/store/records.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace dgw::store {

/// One client system's key. The key a client sends is "<key_id>.<secret>": the id finds the
/// row, the secret's SHA-256 is compared in constant time with `secret_hash`.
struct api_key {
    std::int64_t id = 0;
    std::string name;         ///< the client system, unique ("cong-dich-vu-cong")
    std::string key_id;       ///< public half of the key, unique
    std::string secret_hash;  ///< lower-case hex SHA-256 of the secret half
    std::string scope;        ///< a commune code or a level id ("province"): where it may file
    int per_hour = 0;         ///< requests it may file per hour
    time_point created_at;
    std::optional<time_point> revoked_at;  ///< set once revoked: it files nothing any more
};

class api_key_store {
public:
    virtual ~api_key_store() = default;

    /// Inserts; false (and no change) when the name or the key id is taken.
    virtual bool add_api_key(const api_key& k) = 0;
    /// The key whose public half is `key_id`, revoked or not.
    virtual std::optional<api_key> find_api_key(const std::string& key_id) = 0;
    /// Every key, by name.
    virtual std::vector<api_key> list_api_keys() = 0;
    /// Marks the key of `name` revoked at `at`; false when there is no such key not yet revoked.
    virtual bool revoke_api_key(const std::string& name, time_point at) = 0;
};

}  // namespace dgw::store
