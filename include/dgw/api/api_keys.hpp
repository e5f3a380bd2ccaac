#pragma once
/// The keys of client systems that file concerns through Open311 (POST /open311/v2/requests):
/// issued and revoked by an operator (`dialogue-gateway apikeys`), each change audited; the
/// key shown once and only its secret's hash kept; checked in constant time; each key held to
/// its hourly allowance.

#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::api {

/// A key as issued: the row kept, and the key text to give the client (shown once).
struct issued_api_key {
    store::api_key key;
    std::string text;  ///< "<key_id>.<secret>"
};

/// What api_key issuing returns: the key, or why not (in English, for the command line).
struct api_key_result {
    std::optional<issued_api_key> issued;
    std::string error;
};

/// Issues a key to client system `name` (letters, digits, '-', '_' and '.', at most 64), which
/// may file concerns of `scope`: one commune's code, or "province" for all of them; at most
/// `per_hour` an hour (1 to 100000). Audited as `actor`'s ("apikey.add"). Refused when the
/// name is taken (a revoked key's too: names are never reused) or the scope is unknown.
api_key_result add_api_key(store::store& s, const dialogue::dialogue_config& cfg,
                           const std::string& name, const std::string& scope, int per_hour,
                           std::chrono::system_clock::time_point now, const std::string& actor);

/// Revokes the key of `name`, audited as `actor`'s ("apikey.revoke"); false when it has no
/// key that is not revoked already.
bool revoke_api_key(store::store& s, const std::string& name,
                    std::chrono::system_clock::time_point now, const std::string& actor);

/// The key `presented` is, when it is one and not revoked: its public half finds the row, its
/// secret's hash is compared in constant time.
std::optional<store::api_key> check_api_key(store::api_key_store& s, std::string_view presented);

/// Whether key `k` may file for commune `commune_code`.
bool key_covers(const store::api_key& k, std::string_view commune_code);

/// Each key's filings in the last hour, in this gateway's memory: a sliding window of
/// `api_key::per_hour` requests. Thread-safe.
class api_key_limiter {
public:
    /// Counts one request of `k` at `now` and returns nothing, or (its hour is full) returns
    /// the seconds until one more is allowed, counting nothing.
    std::optional<std::chrono::seconds> take(const store::api_key& k,
                                             std::chrono::system_clock::time_point now);

private:
    std::mutex mutex_;
    std::map<std::string, std::deque<std::chrono::system_clock::time_point>, std::less<>> seen_;
};

}  // namespace dgw::api
