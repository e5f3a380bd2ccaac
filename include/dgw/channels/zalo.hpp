#pragma once
/// The Zalo Official Account API v3 channel (PLATFORMS.md, Zalo rows): OA webhook events in,
/// consultation ("cs") messages out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <string>
#include <string_view>

namespace dgw::channels {

struct zalo_settings {
    std::string app_id;         ///< the Zalo app's id: the first part of the signed bytes
    std::string oa_secret_key;  ///< the OA secret key (not the app secret): signs webhooks
    std::string app_secret;     ///< the app secret: the `secret_key` of token refreshes
    /// The OA access token (~25 h) used when the render context brings none; only ever
    /// placed in a header.
    std::string access_token;
    std::string api_base = "https://openapi.zalo.me";  ///< e.g. a local mock in tests
    std::string oauth_base = "https://oauth.zaloapp.com";  ///< where tokens are refreshed
};

class zalo_adapter final : public adapter {
public:
    /// The longest text one consultation message takes (⚠ PLATFORMS.md); longer texts are
    /// sent as several messages.
    static constexpr std::size_t max_text_length = 2000;

    explicit zalo_adapter(zalo_settings settings);

    std::string_view type() const override { return "zalo"; }

    /// Checks `X-ZEvent-Signature: mac=<hex>`, the plain SHA-256 of app_id + raw body + the
    /// body's `timestamp` (its text as sent) + OA secret key, in constant time; an adapter
    /// without app_id or OA secret key rejects everything. Then reads one event:
    /// user_send_text, user_send_image and user_send_location become events (dedup key
    /// message.msg_id, user id sender.id as a string); stickers, follow/unfollow, the OA's
    /// own echoes (oa_send_*), receipts, other content and events without msg_id are counted
    /// in `ignored`.
    parse_result parse(const webhook_request& req) const override;

    /// POST {api_base}/v3.0/oa/message/cs request(s) with the `access_token` header: the text
    /// with the choices appended as numbered lines ("1. Giao thông"; the flow engine accepts
    /// the numbers), split at 2000 characters. An empty message renders no request.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// The same with `ctx.access_token` (the current one, refreshed by the sender) when set.
    std::vector<send_request> render(std::string_view user_id, const core::outbound_message& msg,
                                     const render_context& ctx) const override;

    /// Zalo needs no acknowledgement: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 2xx + error 0 = sent; error -216 (access token invalid or expired) = reauth; -32 (rate
    /// limit), 429 and 5xx = retry; any other error = permanent with Zalo's message.
    send_verdict classify(unsigned http_status, std::string_view body) const override;
    /// A photo is the download URL its event carried, fetched as it is.
    bool fetches_media() const override { return true; }
    bool media_lookup_is_download() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view url) const override {
        return url_download(url);
    }

    bool refreshes_tokens() const override { return true; }

    /// POST {oauth_base}/v4/oa/access_token with header `secret_key: <app secret>` and the
    /// form `refresh_token=...&app_id=...&grant_type=refresh_token`. The refresh token works
    /// once: the caller must store the pair it gets back before anything else.
    send_request render_refresh(std::string_view refresh_token) const override;

    /// `{"access_token", "refresh_token", "expires_in"}` (expires_in: seconds, as a string or
    /// a number) = refreshed; an error object (`{"error": -14014, "error_name", ...}`) or a
    /// 4xx = rejected (the refresh token is invalid, spent or revoked); no usable answer, 429
    /// and 5xx = retry.
    refresh_verdict read_refresh(unsigned http_status, std::string_view body) const override;

private:
    std::vector<send_request> build(std::string_view user_id, const core::outbound_message& msg,
                                    const std::string& access_token) const;

    zalo_settings settings_;
};

}  // namespace dgw::channels
