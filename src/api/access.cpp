#include "dgw/api/access.hpp"

#include "dgw/api/secrets.hpp"

#include <algorithm>

namespace dgw::api {

std::optional<role> parse_role(std::string_view name) {
    if (name == "admin") return role::admin;
    if (name == "official") return role::official;
    if (name == "viewer") return role::viewer;
    return std::nullopt;
}

const char* to_string(role r) {
    switch (r) {
        case role::admin:
            return "admin";
        case role::official:
            return "official";
        case role::viewer:
            return "viewer";
    }
    return "viewer";
}

bool in_scope(const principal& p, const concern_place& place) {
    if (p.role != role::official) return true;
    auto has = [&](const std::string& v) {
        return !v.empty() && std::find(p.scope.begin(), p.scope.end(), v) != p.scope.end();
    };
    return has(place.commune) || has(place.parent) || has(place.level);
}

bool sees_personal_data(const principal& p) { return p.role != role::viewer; }

bool state_changing(std::string_view method) {
    return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

bool csrf_ok(const principal& p, std::string_view method, std::string_view header) {
    if (!p.by_cookie || !state_changing(method)) return true;
    return !p.csrf_token.empty() && constant_time_equal(header, p.csrf_token);
}

bool session_alive(time_point created_at, time_point last_seen_at, time_point now,
                   const session_policy& policy) {
    return now - last_seen_at < policy.idle && now - created_at < policy.absolute;
}

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        auto semi = header.find(';');
        auto pair = header.substr(0, semi);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            auto v = pair.substr(eq + 1);
            while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
            return std::string(v);
        }
        if (semi == std::string_view::npos) break;
        header.remove_prefix(semi + 1);
    }
    return {};
}

std::string bearer_token(std::string_view header) {
    // The scheme is case-insensitive (RFC 9110 §11.1).
    constexpr std::string_view scheme = "bearer ";
    if (header.size() <= scheme.size()) return {};
    for (std::size_t i = 0; i < scheme.size(); ++i) {
        char c = header[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != scheme[i]) return {};
    }
    auto token = header.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
    return std::string(token);
}

login_limiter::login_limiter(std::size_t max_failures, std::chrono::seconds window,
                             std::size_t max_keys)
    : max_failures_(max_failures), window_(window), max_keys_(max_keys) {}

void login_limiter::prune(std::vector<time_point>& failures, time_point now) const {
    std::erase_if(failures, [&](time_point t) { return now - t >= window_; });
}

std::optional<std::chrono::seconds> login_limiter::blocked(const std::string& key, time_point now) {
    std::lock_guard lock(mu_);
    auto it = failures_.find(key);
    if (it == failures_.end()) return std::nullopt;
    prune(it->second, now);
    if (it->second.size() < max_failures_) return std::nullopt;
    // Blocked until enough failures have left the window to go below the limit.
    auto until = it->second[it->second.size() - max_failures_] + window_;
    auto wait = std::chrono::ceil<std::chrono::seconds>(until - now);
    return std::max(wait, std::chrono::seconds(1));
}

void login_limiter::failure(const std::string& key, time_point now) {
    std::lock_guard lock(mu_);
    if (failures_.size() >= max_keys_ && !failures_.contains(key)) {
        // Bounded memory under a spray of user names: forget whoever is not failing now.
        for (auto it = failures_.begin(); it != failures_.end();) {
            prune(it->second, now);
            it = it->second.empty() ? failures_.erase(it) : std::next(it);
        }
        if (failures_.size() >= max_keys_) failures_.erase(failures_.begin());
    }
    auto& f = failures_[key];
    prune(f, now);
    f.push_back(now);
}

void login_limiter::success(const std::string& key) {
    std::lock_guard lock(mu_);
    failures_.erase(key);
}

}  // namespace dgw::api
