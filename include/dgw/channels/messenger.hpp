#pragma once
/// The Facebook Messenger channel (PLATFORMS.md, Messenger rows): Page webhooks in, the Send
/// API (/me/messages) out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <string_view>

namespace dgw::channels {

struct messenger_settings {
    std::string app_secret;         ///< signs X-Hub-Signature-256; never in error texts
    std::string verify_token;       ///< the Verify Token entered in the App Dashboard
    std::string page_access_token;  ///< only ever placed in request URLs
    /// The Page this channel serves; when set, events for another Page are ignored.
    std::string page_id;
    std::string api_base = "https://graph.facebook.com/v21.0";  ///< e.g. a local mock in tests
    /// The opt-in the receipt of a concern asks for, to reach the citizen after the 24-hour
    /// window: "one_time_notification", "notification_messages", or "" (none).
    std::string optin{};
    /// The message tag a notice of each purpose ("answer", "session_moved") is sent with
    /// after the window, where the province judged that the content fits the tag's use case.
    std::map<std::string, std::string> tags{};
};

class messenger_adapter final : public adapter {
public:
    /// The longest text one message takes; longer texts are sent as several messages.
    static constexpr std::size_t max_text_length = 2000;
    /// Quick replies one message can carry; with more choices they become numbered lines.
    static constexpr std::size_t max_quick_replies = 13;
    /// The longest quick-reply title (longer labels are cut).
    static constexpr std::size_t max_title_length = 20;

    explicit messenger_adapter(messenger_settings settings);

    std::string_view type() const override { return "messenger"; }

    /// GET: the subscription handshake (hub.challenge as text/plain, or 403). POST: checks
    /// X-Hub-Signature-256 over the raw body (401), then reads every entry and every messaging
    /// item in order: texts, quick replies and postbacks (choices), images and locations become
    /// events; notification opt-ins (messaging_optins with a one-time or recurring token, and
    /// their stop/resume) become `permission` events; echoes, deliveries, reads, reactions,
    /// edits, other Pages' events and anything unknown or incomplete are counted in `ignored`.
    /// Invalid JSON is a 400; a body whose `object` is not "page" is refused with 404, as in Meta's
    /// sample webhook.
    parse_result parse(const webhook_request& req) const override;

    /// Send API request(s) with messaging_type RESPONSE: the text split at 2000 characters,
    /// up to 13 choices as quick replies on the last part (titles cut to 20 characters), more
    /// as numbered lines in the text. An empty text renders no request.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// As render(), by ctx.plan: a notice inside the window goes as messaging_type UPDATE;
    /// path tag as MESSAGE_TAG with the configured tag; path optin to the notification token
    /// instead of the PSID, in one message (a token takes one), cut at 2000 characters.
    std::vector<send_request> render(std::string_view user_id, const core::outbound_message& msg,
                                     const render_context& ctx) const override;

    /// Messenger needs no answer to an inbound event: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 2xx with message_id = sent; error codes 1, 2, 4, 17, 32, 613, 1200, HTTP 429 and 5xx =
    /// retry; 10/2018278 (outside the 24-hour window), 551 and 200/1545041 (user
    /// unavailable), 190 (invalid token) and other 4xx = permanent; the window and an
    /// unavailable user are path_refused (another path may reach the citizen).
    send_verdict classify(unsigned http_status, std::string_view body) const override;
    /// A photo is the download URL its event carried, fetched as it is.
    bool fetches_media() const override { return true; }
    bool media_lookup_is_download() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view url) const override {
        return url_download(url);
    }

    /// Meta's 24-hour window: inside it (or when the time is unknown: the platform's answer
    /// decides) free. After it a reply cannot go ("outside the 24-hour messaging window"); a
    /// notice goes with a usable notification token the citizen accepted, else with the
    /// message tag configured for its purpose, else nowhere (with the reason).
    delivery_plan plan(const render_context& ctx) const override;

    /// After a receipt, when an opt-in is configured: the one-time notification request
    /// (template one_time_notif_req) or the recurring notifications request (template
    /// notification_messages), titled "Nhận thông báo khi có trả lời", with the concern's
    /// reference as its payload (Meta returns it in the opt-in event).
    std::optional<send_request> offer_notifications(std::string_view user_id, std::string_view ref,
                                                    const render_context& ctx) const override;

private:
    send_request api_request(const nlohmann::json& body) const;

    messenger_settings settings_;
};

}  // namespace dgw::channels
