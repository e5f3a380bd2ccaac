#pragma once
/// Twilio-style SMS (PLATFORMS.md, Twilio rows): signed form-encoded webhooks in,
/// Messages.json out. Sans-I/O, immutable and thread-safe.

#include <dgw/channels/adapter.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::channels {

struct twilio_settings {
    std::string account_sid;  ///< "AC..."; in the send URL and the Basic auth user
    std::string auth_token;   ///< signs webhooks (HMAC-SHA1 key), Basic auth password
    std::string from;         ///< the sending number (E.164) or messaging service sender
    /// This webhook's URL exactly as configured at Twilio (scheme, host, path, query): the
    /// signature covers it. Never the request's Host (pitfall 8: proxies rewrite it).
    /// Requests whose path ends in "/status" are delivery callbacks, verified against this
    /// URL with "/status" appended to its path (configure StatusCallback that way).
    std::string public_url;
    std::string api_base = "https://api.twilio.com";  ///< e.g. a local mock in tests
};

class twilio_adapter final : public adapter {
public:
    /// The longest Body one Messages.json request takes; longer texts are sent as several.
    static constexpr std::size_t max_text_length = 1600;

    explicit twilio_adapter(twilio_settings settings);

    std::string_view type() const override { return "twilio"; }

    /// Checks X-Twilio-Signature (base64 HMAC-SHA1 with the auth token over public_url +
    /// every form field sorted by name as name+value, decoded; constant time; an adapter
    /// without a token rejects everything), then reads the form. An inbound SMS/MMS becomes a
    /// text (or image, with MediaUrlN) event keyed by MessageSid from `From`; status callbacks
    /// (MessageStatus without Body, or any request to ".../status") are counted in `ignored`.
    /// Answers 200 with an empty TwiML `<Response></Response>` as text/xml.
    parse_result parse(const webhook_request& req) const override;

    /// Messages.json request(s), Basic auth, form To/From/Body; choices appended as numbered
    /// lines ("1. label"); one request per 1600-character part. An empty text renders none.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// An MMS photo, by the MediaUrlN its event carried: GET of that URL with Basic auth
    /// (account SID and auth token), which Twilio answers with the bytes or a redirect to its
    /// media CDN (followed by the fetcher, without the credentials). Nothing for a URL that is
    /// not api_base/2010-04-01/Accounts/{account_sid}/Messages/{sid}/Media/{sid}: the
    /// credentials go to Twilio's own media of this account only.
    bool fetches_media() const override { return true; }
    bool media_lookup_is_download() const override { return true; }
    std::optional<send_request> media_lookup(std::string_view media_id) const override;

    /// SMS needs no acknowledgement: always nothing.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// 200/201 = sent; 429 and 5xx = retry; 400 with code 21610 (the recipient replied STOP)
    /// or 21211 (invalid number) and other 4xx = permanent.
    send_verdict classify(unsigned http_status, std::string_view body) const override;

    /// The SMS segments `text` (UTF-8) costs: GSM-7 160 septets single / 153 per part
    /// (extension characters such as € and { count two); any other character (Vietnamese
    /// with most diacritics) makes it UCS-2: 70 UTF-16 units single / 67 per part. An empty
    /// text costs 0.
    static std::size_t segments(std::string_view text);

    /// The segments of the Body a rendered send request carries.
    std::size_t billed_units(const send_request& req) const override;

    /// `application/x-www-form-urlencoded` decoding ('+' is a space, %XX a byte), in order.
    /// Returns false for a malformed escape.
    static bool parse_form(std::string_view body,
                           std::vector<std::pair<std::string, std::string>>& out);

    /// The signature Twilio puts in X-Twilio-Signature for `url` and the decoded fields.
    static std::string signature(std::string_view auth_token, std::string_view url,
                                 std::vector<std::pair<std::string, std::string>> fields);

private:
    twilio_settings settings_;
};

}  // namespace dgw::channels
