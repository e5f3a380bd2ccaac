#pragma once
/// The Telegram Bot API channel (PLATFORMS.md, Telegram rows): webhook Updates in,
/// sendMessage / answerCallbackQuery out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <string>
#include <string_view>

namespace dgw::channels {

struct telegram_settings {
    std::string bot_token;     ///< "123456:ABC..."; only ever placed in request URLs
    std::string secret_token;  ///< the secret_token given to setWebhook (1-256 of A-Za-z0-9_-)
    std::string api_base = "https://api.telegram.org";  ///< e.g. a local mock in tests
    /// Labels of the buttons that share the citizen's location or phone number.
    std::string location_button_label = "📍 Gửi vị trí / Send location";
    std::string contact_button_label = "📞 Gửi số điện thoại / Share phone number";
};

class telegram_adapter final : public adapter {
public:
    /// The longest text one sendMessage takes; longer texts are sent as several messages.
    static constexpr std::size_t max_text_length = 4096;

    explicit telegram_adapter(telegram_settings settings);

    std::string_view type() const override { return "telegram"; }

    /// Checks X-Telegram-Bot-Api-Secret-Token (constant time; an adapter configured without a
    /// secret rejects everything), then reads one Update. Private-chat messages (text,
    /// location, photo, contact) and callback queries become events; edits, channel posts,
    /// group chats, membership changes and unsupported content are counted in `ignored`.
    parse_result parse(const webhook_request& req) const override;

    /// sendMessage request(s): the text split at 4096 UTF-16 units, the keyboard (choices,
    /// a location or contact request button, or remove_keyboard) on the last one. An empty
    /// text renders no request: Telegram refuses empty messages.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// answerCallbackQuery for an event made from a callback query (it stops the spinner on
    /// the citizen's button), nothing otherwise.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 200 + ok:true = sent; 429 (with parameters.retry_after) and 5xx = retry; 403 (blocked
    /// by the user: path_refused), 400 and other 4xx = permanent.
    send_verdict classify(unsigned http_status, std::string_view body) const override;
    /// getFile for a photo's file_id; then the file's download URL from its file_path.
    bool fetches_media() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view media_id) const override;
    std::optional<send_request> media_download(unsigned http_status,
                                               std::string_view body) const override;

private:
    send_request api_request(std::string_view method, std::string body) const;

    telegram_settings settings_;
};

}  // namespace dgw::channels
