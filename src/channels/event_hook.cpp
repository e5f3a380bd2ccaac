#include "dgw/channels/event_hook.hpp"

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>

#include <charconv>
#include <stdexcept>

namespace dgw::channels {

std::string event_signature(std::string_view secret, std::int64_t timestamp, std::string_view body) {
    std::string signed_text = std::to_string(timestamp);
    signed_text += '.';
    signed_text += body;
    return "sha256=" + to_hex(hmac_sha256(secret, signed_text));
}

event_hook::event_hook(event_hook_settings settings) : s_(std::move(settings)) {}

parse_result event_hook::parse(const webhook_request&) const {
    return reject(parse_result::verdict::unauthorized, 404, "an event hook receives nothing");
}

std::vector<send_request> event_hook::render(std::string_view, const core::outbound_message&) const {
    throw std::logic_error("an event hook sends events, not messages");
}

std::optional<send_request> event_hook::acknowledge(const core::inbound_event&) const {
    return std::nullopt;
}

send_verdict event_hook::classify(unsigned http_status, std::string_view body) const {
    send_verdict v;
    if (http_status >= 200 && http_status < 300) return v;
    std::string reason = "the receiver answered " + std::to_string(http_status);
    if (!body.empty()) reason += ": " + std::string(body);
    v.reason = truncate_reason(redact(std::move(reason), s_.secret), 200);
    v.outcome = http_status == 408 || http_status == 429 || http_status >= 500
                    ? send_verdict::kind::retry
                    : send_verdict::kind::permanent;
    return v;
}

send_verdict event_hook::classify_answer(unsigned http_status, std::string_view body,
                                         const header_map& headers) const {
    auto v = classify(http_status, body);
    if (v.outcome != send_verdict::kind::retry) return v;
    if (auto it = headers.find("retry-after"); it != headers.end()) {
        // Seconds only; an HTTP date is rare from a webhook receiver and is left to backoff.
        const auto& text = it->second;
        unsigned long seconds = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec == std::errc{} && end == text.data() + text.size() && seconds <= 86'400)
            v.retry_after = std::chrono::seconds(seconds);
    }
    return v;
}

send_request event_hook::deliver(const nlohmann::json& payload, std::int64_t id,
                                 std::chrono::system_clock::time_point now) const {
    nlohmann::json body = payload;
    body["id"] = id;
    send_request r;
    r.url = s_.url;
    r.body = body.dump();
    const auto ts = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    r.headers = {{"Content-Type", "application/json"},
                 {"X-Dgw-Event", payload.value("type", "")},
                 {"X-Dgw-Delivery", std::to_string(id)},
                 {"X-Dgw-Timestamp", std::to_string(ts)},
                 {"X-Dgw-Signature", event_signature(s_.secret, ts, r.body)}};
    return r;
}

}  // namespace dgw::channels
