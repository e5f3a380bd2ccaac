// Client systems' Open311 keys (see the header).
#include "dgw/api/api_keys.hpp"

#include <dgw/api/secrets.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace dgw::api {

namespace {

bool good_name(const std::string& name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

store::audit_entry audit(std::chrono::system_clock::time_point now, const std::string& actor,
                         std::string action, const std::string& name, const nlohmann::json& after) {
    return {0,
            now,
            actor,
            std::move(action),
            "apikey:" + name,
            "",
            after.is_null() ? "" : after.dump()};
}

}  // namespace

api_key_result add_api_key(store::store& s, const dialogue::dialogue_config& cfg,
                           const std::string& name, const std::string& scope, int per_hour,
                           std::chrono::system_clock::time_point now, const std::string& actor) {
    api_key_result r;
    if (!good_name(name)) {
        r.error = "a key's name is 1 to 64 letters, digits, '-', '_' or '.'";
        return r;
    }
    const auto* unit = cfg.find_unit(scope);
    if (scope != "province" && !(unit && (unit->type == "commune" || unit->type == "ward"))) {
        r.error = "unknown scope \"" + scope + "\": a commune's or ward's code, or province";
        return r;
    }
    if (per_hour < 1 || per_hour > 100000) {
        r.error = "--per-hour must be from 1 to 100000";
        return r;
    }
    issued_api_key k;
    // The public half names the row; the secret half is only ever kept hashed.
    k.key.key_id = "o311" + random_token(9);
    const auto secret = random_token();
    k.key.name = name;
    k.key.secret_hash = sha256_hex(secret);
    k.key.scope = scope;
    k.key.per_hour = per_hour;
    k.key.created_at = now;
    k.text = k.key.key_id + "." + secret;
    bool added = false;
    s.transact([&] {
        added = s.add_api_key(k.key);
        if (added)
            s.append_audit(
                audit(now, actor, "apikey.add", name,
                      {{"scope", scope}, {"per_hour", per_hour}, {"key_id", k.key.key_id}}));
    });
    if (!added) {
        r.error = "a key named \"" + name + "\" exists (revoked keys keep their names)";
        return r;
    }
    r.issued = std::move(k);
    return r;
}

bool revoke_api_key(store::store& s, const std::string& name,
                    std::chrono::system_clock::time_point now, const std::string& actor) {
    bool revoked = false;
    s.transact([&] {
        revoked = s.revoke_api_key(name, now);
        if (revoked) s.append_audit(audit(now, actor, "apikey.revoke", name, nullptr));
    });
    return revoked;
}

std::optional<store::api_key> check_api_key(store::api_key_store& s, std::string_view presented) {
    const auto dot = presented.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot > 64) return std::nullopt;
    auto k = s.find_api_key(std::string(presented.substr(0, dot)));
    if (!k || k->revoked_at) return std::nullopt;
    if (!constant_time_equal(sha256_hex(presented.substr(dot + 1)), k->secret_hash))
        return std::nullopt;
    return k;
}

bool key_covers(const store::api_key& k, std::string_view commune_code) {
    return k.scope == "province" || k.scope == commune_code;
}

std::optional<std::chrono::seconds> api_key_limiter::take(
    const store::api_key& k, std::chrono::system_clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& times = seen_[k.key_id];
    while (!times.empty() && now - times.front() >= std::chrono::hours{1}) times.pop_front();
    if (times.size() >= static_cast<std::size_t>(std::max(k.per_hour, 1))) {
        const auto wait =
            std::chrono::ceil<std::chrono::seconds>(times.front() + std::chrono::hours{1} - now);
        return std::max(wait, std::chrono::seconds{1});
    }
    times.push_back(now);
    return std::nullopt;
}

}  // namespace dgw::api
