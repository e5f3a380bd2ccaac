#pragma once
/// The Viber REST bot API channel (PLATFORMS.md, Viber rows): callbacks in, send_message out.
/// Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <string>
#include <string_view>

namespace dgw::channels {

struct viber_settings {
    std::string auth_token;  ///< the bot's token: signs callbacks, sent as X-Viber-Auth-Token
    std::string sender_name = "Đối thoại Lào Cai";  ///< shown as the sender; cut at 28 chars
    std::string api_base = "https://chatapi.viber.com";  ///< e.g. a local mock in tests
    /// The button that shares the citizen's own number when a flow asks for a phone.
    std::string contact_button_label = "📞 Gửi số điện thoại / Share phone number";
};

class viber_adapter final : public adapter {
public:
    /// The longest text one send_message takes; longer texts are sent as several messages.
    static constexpr std::size_t max_text_length = 7000;
    /// Viber refuses requests above 30 KB; texts are split further to stay within it.
    static constexpr std::size_t max_request_bytes = 30'000;
    /// The longest sender name Viber shows.
    static constexpr std::size_t max_sender_name = 28;

    explicit viber_adapter(viber_settings settings);

    std::string_view type() const override { return "viber"; }

    /// Checks X-Viber-Content-Signature, the hex HMAC-SHA256 of the raw body keyed with the
    /// auth token, in constant time (an adapter without a token rejects everything), then
    /// reads one callback. `message` callbacks with a text, picture, location or contact
    /// become events (dedup key message_token as exact decimal text, user id sender.id);
    /// `subscribed` and `unsubscribed` become `permission` events (kind subscription, dedup
    /// key message_token); conversation_started, the set_webhook check, receipts and other
    /// message types are counted in `ignored` and answered 200 `{}`.
    parse_result parse(const webhook_request& req) const override;

    /// POST {api_base}/pa/send_message request(s): the text split at 7000 characters (and
    /// under 30 KB a request), the choices as a reply keyboard on the last one. A button's
    /// ActionBody is its label: a tap comes back as that text, which the flow engine matches
    /// against the labels (it does not match choice ids sent as text). An empty text renders
    /// no request: Viber refuses empty messages.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// Viber needs no acknowledgement: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// status 0 = sent; 12 (rate limited), 429 and 5xx = retry; 5 and 6 (receiver not
    /// registered / not subscribed, path_refused), 2 (invalid auth token) and any other
    /// status = permanent.
    send_verdict classify(unsigned http_status, std::string_view body) const override;
    /// A photo is the download URL its event carried, fetched as it is.
    bool fetches_media() const override { return true; }
    bool media_lookup_is_download() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view url) const override {
        return url_download(url);
    }

    /// Viber sends to subscribed citizens at any time: free, unless the citizen's last word
    /// on it was an unsubscription (or Viber refused them), then nowhere.
    delivery_plan plan(const render_context& ctx) const override;

private:
    viber_settings settings_;
};

}  // namespace dgw::channels
