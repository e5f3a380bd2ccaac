#pragma once
/// Signed event webhooks to other systems (issue 22 item 3): the province's operations centre,
/// its smart-city app, a petition portal. Sans-I/O like the platforms' adapters, and an
/// adapter itself, so an event goes through the outbox and the sender like a reply does (the
/// same claims, retries, backoff, rate limit and message log); it renders events only.
///
/// Each event is one POST of a JSON body to the configured URL, with these headers:
///
///     Content-Type: application/json
///     X-Dgw-Event: concern.filed
///     X-Dgw-Delivery: 4711                  (the event's id: the same on every attempt)
///     X-Dgw-Timestamp: 1796601600           (Unix seconds when this attempt was signed)
///     X-Dgw-Signature: sha256=<hex>         (event_signature below)
///
/// A receiver recomputes the signature over the raw body with its secret, compares it in
/// constant time, rejects a timestamp more than a few minutes from its clock (a replay), and
/// drops a delivery id it has seen (a retry after an answer that was lost). Any 2xx is
/// success; 408, 429 (with Retry-After) and 5xx, or no answer, are retried with backoff; any
/// other status fails the event for good.

#include <dgw/channels/adapter.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace dgw::channels {

/// "sha256=" and the lower-case hex of HMAC-SHA256 under `secret` of the timestamp in decimal,
/// a dot, and the raw body: "1796601600.{...}".
std::string event_signature(std::string_view secret, std::int64_t timestamp, std::string_view body);

struct event_hook_settings {
    std::string url;     ///< where the events are POSTed (http or https)
    std::string secret;  ///< the HMAC key the receiver shares; never logged
};

class event_hook final : public adapter {
public:
    explicit event_hook(event_hook_settings settings);

    std::string_view type() const override { return "event_hook"; }
    /// Nothing comes in through a hook: always refused.
    parse_result parse(const webhook_request& req) const override;
    /// A hook sends events only (deliver()): a message to it is a bug, and throws.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;
    send_verdict classify(unsigned http_status, std::string_view body) const override;
    /// classify(), with the receiver's Retry-After (seconds) on a 429 or 503.
    send_verdict classify_answer(unsigned http_status, std::string_view body,
                                 const header_map& headers) const override;

    /// The request that delivers the event stored as `payload` (its "type", "occurred_at" and
    /// "data") under delivery id `id`, signed at `now`. The body is the payload with the id.
    send_request deliver(const nlohmann::json& payload, std::int64_t id,
                         std::chrono::system_clock::time_point now) const;

private:
    event_hook_settings s_;
};

}  // namespace dgw::channels
