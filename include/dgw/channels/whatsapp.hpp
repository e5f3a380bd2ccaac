#pragma once
/// The WhatsApp Cloud API channel (PLATFORMS.md, WhatsApp rows): WhatsApp Business Account
/// webhooks in, /{phone_number_id}/messages out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <map>
#include <string>
#include <string_view>

namespace dgw::channels {

struct whatsapp_settings {
    std::string app_secret;    ///< signs X-Hub-Signature-256; never in error texts
    std::string verify_token;  ///< the Verify Token entered in the App Dashboard
    std::string access_token;  ///< system-user token; only ever placed in the Authorization header
    /// The business phone number this channel serves; messages to other numbers of the same
    /// WhatsApp Business Account are ignored (when empty, every number is served).
    std::string phone_number_id;
    std::string api_base = "https://graph.facebook.com/v21.0";  ///< e.g. a local mock in tests
    /// The approved utility template a notice of each purpose ("answer", "session_moved")
    /// is sent with after the 24-hour window.
    std::map<std::string, late_template> templates{};
    /// Where Meta serves the media a lookup points to (its `url`); a download URL anywhere
    /// else, apart from api_base's own host, is refused: the access token goes with it.
    std::string media_base = "https://lookaside.fbsbx.com";
};

class whatsapp_adapter final : public adapter {
public:
    /// The longest text message body; longer texts are sent as several messages.
    static constexpr std::size_t max_text_length = 4096;
    /// The longest body of an interactive message; the text before it goes in text messages.
    static constexpr std::size_t max_interactive_body = 1024;
    static constexpr std::size_t max_buttons = 3;      ///< reply buttons, titles <= 20
    static constexpr std::size_t max_list_rows = 10;   ///< list rows, titles <= 24
    static constexpr std::size_t max_button_title = 20;
    static constexpr std::size_t max_row_title = 24;

    explicit whatsapp_adapter(whatsapp_settings settings);

    std::string_view type() const override { return "whatsapp"; }

    /// GET: the subscription handshake (hub.challenge as text/plain, or 403). POST: checks
    /// X-Hub-Signature-256 over the raw body (401), then reads every entry, change and
    /// messages[] item in order: text, interactive button/list replies and template quick
    /// replies (choices), location, image (id as media, caption as text) and contacts (first
    /// phone) become events. Statuses, errors, reactions, group messages, messages to another
    /// phone_number_id, other webhook fields and unsupported types are counted in `ignored`.
    /// Invalid JSON is a 400; an `object` other than "whatsapp_business_account" a 404.
    parse_result parse(const webhook_request& req) const override;

    /// Messages API request(s): no choices = text messages (split at 4096 characters); 1-3
    /// choices = interactive reply buttons; 4-10 = an interactive list (button "Chọn"); more =
    /// numbered lines in the text. An interactive body holds at most 1024 characters: the text
    /// before the last 1024 goes in preceding text messages. An empty text renders no request.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// As render(); path template: one template message (type template) with the configured
    /// name and language, the notice's fields as body parameters in the configured order
    /// (on one line each, the answer cut at 600 characters).
    std::vector<send_request> render(std::string_view user_id, const core::outbound_message& msg,
                                     const render_context& ctx) const override;

    /// A photo in two steps, both with the access token as a Bearer token: GET
    /// api_base/{media id} answers JSON whose `url` (valid for a few minutes) is then
    /// downloaded. Nothing for an id that is not a media id (digits), nor for a `url` that is
    /// not on media_base's or api_base's scheme and host (the token would go elsewhere).
    bool fetches_media() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view media_id) const override;
    std::optional<send_request> media_download(unsigned http_status,
                                               std::string_view body) const override;

    /// WhatsApp needs no answer to an inbound event: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 2xx with messages[] = sent; 131047 (outside the 24-hour window), 131026 (undeliverable),
    /// 190 (invalid token) and other 4xx = permanent, the first two path_refused; 131056,
    /// 130429, 80007, 131000, 131016, 133004, 1, 2, 4, HTTP 429 and 5xx = retry.
    send_verdict classify(unsigned http_status, std::string_view body) const override;

    /// Meta's 24-hour window: inside it (or when the time is unknown: the platform's answer
    /// decides) free; after it a reply cannot go ("outside the 24-hour messaging window"), a
    /// notice goes as the template configured for its purpose, else nowhere (with the reason).
    delivery_plan plan(const render_context& ctx) const override;

private:
    send_request api_request(nlohmann::json body) const;

    whatsapp_settings settings_;
};

}  // namespace dgw::channels
