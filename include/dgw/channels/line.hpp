#pragma once
/// The LINE Messaging API channel (PLATFORMS.md, LINE rows): signed webhook batches in,
/// reply (while the event's reply token is fresh) or push out. Sans-I/O, immutable and
/// thread-safe.

#include <dgw/channels/adapter.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace dgw::channels {

struct line_settings {
    std::string channel_secret;                    ///< signs webhooks (HMAC-SHA256 key)
    std::string channel_access_token;              ///< Bearer token of the send API
    std::string api_base = "https://api.line.me";  ///< e.g. a local mock in tests
    /// How long after the event arrived its reply token is still used. LINE accepts it for
    /// about a minute; replying is free, pushing counts against the monthly quota.
    std::chrono::seconds reply_token_ttl{50};
    /// Where LINE serves the content citizens sent (photos), by message id.
    std::string data_base = "https://api-data.line.me";
};

class line_adapter final : public adapter {
public:
    static constexpr std::size_t max_text_length = 5000;        ///< per text message object
    static constexpr std::size_t max_messages_per_request = 5;  ///< per reply or push
    static constexpr std::size_t max_quick_reply_items = 13;
    static constexpr std::size_t max_label_length = 20;  ///< quick reply action labels

    explicit line_adapter(line_settings settings);

    std::string_view type() const override { return "line"; }

    /// Checks X-Line-Signature (base64 HMAC-SHA256 of the raw body with the channel secret,
    /// compared in constant time; an adapter without a secret rejects everything), then reads
    /// `{destination, events[]}`. One-to-one text, image, location and postback events become
    /// events keyed by webhookEventId (kept on redelivery); follow and unfollow (blocking the
    /// account) become `permission` events (kind subscription); join/leave, stickers, other
    /// message types, standby-mode events and groups/rooms are counted in `ignored`. `events: []`
    /// (the console's verify) is accepted with nothing stored.
    parse_result parse(const webhook_request& req) const override;

    /// Push request(s): there is no reply token to use.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// Reply when `ctx.reply_context.reply_token` is set and younger than reply_token_ttl
    /// (only the first request: a token works once), push otherwise. Each push request of a
    /// message with `ctx.outbox_id` carries `X-Line-Retry-Key: retry_key(ctx.channel,
    /// ctx.outbox_id, request index)`. The text is split at
    /// 5000 UTF-16 units, at most 5 message objects a request; choices (≤ 13, else numbered
    /// lines in the text) and a location request are quick-reply items on the last message.
    /// An empty text renders no request.
    std::vector<send_request> render(std::string_view user_id, const core::outbound_message& msg,
                                     const render_context& ctx) const override;

    /// A photo's content: GET data_base/v2/bot/message/{id}/content with the channel's
    /// access token, which answers the bytes (LINE keeps them for a limited time only).
    /// Nothing for an id that is not a LINE message id (digits).
    bool fetches_media() const override { return true; }
    bool media_lookup_is_download() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view media_id) const override;

    /// LINE needs no acknowledgement: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 2xx = sent; 429 and 5xx = retry; 400 "Invalid reply token" = permanent with reason
    /// "invalid reply token" (the caller should push instead); 401/403 and other 4xx =
    /// permanent with LINE's message.
    send_verdict classify(unsigned http_status, std::string_view body) const override;

    /// As classify(), except that 409 with `x-line-accepted-request-id` (a retry key LINE has
    /// already accepted) = sent.
    send_verdict classify_answer(unsigned http_status, std::string_view body,
                                 const header_map& headers) const override;

    /// Pushes reach friends at any time: free, unless the citizen blocked the account since
    /// (or LINE refused the push), then nowhere.
    delivery_plan plan(const render_context& ctx) const override;

    /// The retry key of push request number `request_index` (0-based) of an outbox message:
    /// a version-5 UUID of the three, so it is the same on every attempt.
    static std::string retry_key(std::string_view channel, std::int64_t outbox_id,
                                 std::size_t request_index);

private:
    std::vector<send_request> build(std::string_view user_id, const core::outbound_message& msg,
                                    std::string_view reply_token, std::string_view channel,
                                    std::int64_t outbox_id) const;

    line_settings settings_;
};

}  // namespace dgw::channels
