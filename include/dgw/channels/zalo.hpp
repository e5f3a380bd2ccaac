#pragma once
/// The Zalo Official Account API v3 channel (PLATFORMS.md, Zalo rows): OA webhook events in,
/// consultation ("cs") messages out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <map>
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
    std::string zns_base = "https://business.openapi.zalo.me";  ///< Zalo Notification Service
    /// The transaction message a notice of each purpose ("answer", "session_moved") is sent
    /// as after the 48 hours, to citizens who follow the OA.
    std::map<std::string, late_template> templates{};
    /// The ZNS template a notice of each purpose is sent with, by phone number, to citizens
    /// who gave one with their consent (the province needs a ZNS account).
    std::map<std::string, zns_template> zns{};
    /// The picture of the "request_user_info" form Zalo shows when a flow asks for a phone
    /// number (the citizen shares the number of their Zalo account with a tap); the OA hosts
    /// it. "" = no form: the citizen types the number.
    std::string share_phone_image{};
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
    /// message.msg_id, user id sender.id as a string); follow and unfollow become `permission`
    /// events (kind follow, user follower.id); stickers, the OA's own echoes (oa_send_*),
    /// receipts, other content and events without msg_id are counted in `ignored`.
    parse_result parse(const webhook_request& req) const override;

    /// POST {api_base}/v3.0/oa/message/cs request(s) with the `access_token` header: the text
    /// with the choices appended as numbered lines ("1. Giao thông"; the flow engine accepts
    /// the numbers), split at 2000 characters. An empty message renders no request.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// The same with `ctx.access_token` (the current one, refreshed by the sender) when set,
    /// by ctx.plan: path template is one transaction message (POST /v3.0/oa/message/
    /// transaction: the configured template_type and language, the title as its header, then
    /// the configured fields in order: "answer" as a text, "ref" and "session" as table rows,
    /// "link" as a button); path zns is one ZNS template message to ctx.facts.phone (POST
    /// {zns_base}/message/template) with the configured parameters.
    std::vector<send_request> render(std::string_view user_id, const core::outbound_message& msg,
                                     const render_context& ctx) const override;

    /// Zalo's windows: consultation messages are free within 48 hours of the citizen's last
    /// message (and refused after 7 days). A notice after the 48 hours goes as a transaction
    /// message when its purpose has a template and the citizen follows the OA (or may: the
    /// gateway learns of follows from the webhook, so an unknown one is tried), else by ZNS
    /// when it has a template and the citizen gave a phone number, else nowhere (with the
    /// reason). A reply goes as consultation (Zalo decides).
    delivery_plan plan(const render_context& ctx) const override;

    /// After a receipt: an invitation to follow the OA ("Nhận thông báo khi có trả lời..."),
    /// unless the citizen already follows it.
    std::optional<send_request> offer_notifications(std::string_view user_id, std::string_view ref,
                                                    const render_context& ctx) const override;

    /// Zalo needs no acknowledgement: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 2xx + error 0 = sent; error -216 (access token invalid or expired) = reauth; -32 (rate
    /// limit), 429 and 5xx = retry; any other error = permanent with Zalo's message, path_refused
    /// for -230 (no interaction in 7 days), -213 (not a follower) and ZNS's refusals of a recipient
    /// (-1xx other than -100, unknown, which is retried).
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
    send_request transaction(std::string_view user_id, const core::notice& n,
                             const late_template& t, const std::string& access_token) const;
    send_request zns_message(const core::notice& n, const zns_template& t,
                             const render_context& ctx, const std::string& access_token) const;

    zalo_settings settings_;
};

}  // namespace dgw::channels
