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

login_throttle::login_throttle(options o) : opts_(o) {}

std::chrono::seconds login_throttle::delay_after(std::size_t failures) const {
    if (failures <= opts_.free_failures) return std::chrono::seconds(0);
    auto d = opts_.first_delay;
    for (std::size_t i = opts_.free_failures + 1; i < failures && d < opts_.max_delay; ++i) d *= 2;
    return std::min(d, opts_.max_delay);
}

std::chrono::seconds login_throttle::attempt(store::account_store& memory,
                                             const std::string& user, const std::string& address,
                                             time_point now) const {
    auto wait = time_point::duration::zero();
    memory.update_login_memory(user, address, now - opts_.window, [&](store::login_memory& m) {
        // Forgotten a whole window after the delay ended: waiting out the delay alone does
        // not give the free attempts back.
        if (m.failures > 0 && now - m.until >= opts_.window) m.failures = 0;
        if (m.failures > 0 && m.until > now) wait = m.until - now;
        const auto& list = m.address_failures;  // within the window, oldest first
        if (list.size() >= opts_.max_per_address) {
            // Until enough failures have left the window to go below the cap.
            const auto until = list[list.size() - opts_.max_per_address] + opts_.window;
            wait = std::max(wait, until - now);
        }
        if (wait > wait.zero()) return;
        ++m.failures;
        m.until = now + delay_after(m.failures);
        m.address_failures.push_back(now);
    });
    if (wait > wait.zero())
        return std::max(std::chrono::ceil<std::chrono::seconds>(wait), std::chrono::seconds(1));
    return std::chrono::seconds(0);
}

std::vector<login_throttle::throttled> login_throttle::failed(store::account_store& memory,
                                                              const std::string& user,
                                                              const std::string& address,
                                                              time_point now) const {
    std::vector<throttled> out;
    memory.update_login_memory(user, address, now - opts_.window, [&](store::login_memory& m) {
        if (m.failures > 0 && m.until > now) out.push_back({user, address, m.failures, m.until});
        if (m.address_failures.size() == opts_.max_per_address)
            out.push_back({"", address, m.address_failures.size(),
                           m.address_failures.front() + opts_.window});
    });
    return out;
}

bool login_throttle::succeeded(store::account_store& memory, const std::string& user,
                               const std::string& address, time_point now) const {
    bool was_throttled = false;
    memory.update_login_memory(user, address, now - opts_.window, [&](store::login_memory& m) {
        auto& list = m.address_failures;
        if (auto it = std::find(list.rbegin(), list.rend(), now); it != list.rend())
            list.erase(std::next(it).base());
        if (m.failures == 0) return;
        // The attempt that succeeded was counted too: the failures before it decide.
        was_throttled = delay_after(m.failures - 1) > std::chrono::seconds(0);
        m.failures = 0;
    });
    return was_throttled;
}

}  // namespace dgw::api
