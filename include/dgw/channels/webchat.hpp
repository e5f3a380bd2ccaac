#pragma once
/// The web chat channel (`type: "webchat"`): the gateway's own page at /chat posts each citizen
/// input as JSON to the ordinary webhook, so the durable ingest path (stored before 200,
/// deduplicated) is the same as every platform's. The citizen is an anonymous session: a
/// 128-bit random id in an HttpOnly cookie signed by the gateway, of which only a hash is
/// ever stored.
///
/// Replies are not pushed anywhere: render() returns no request, the sender marks the outbox
/// row sent at once, and the page fetches its sent rows. Sans-I/O, immutable, thread-safe.

#include <dgw/channels/adapter.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::channels {

/// The session cookie's name.
inline constexpr std::string_view webchat_cookie = "dgw_chat";

/// The session id in a Cookie header value ("a=b; dgw_chat=<32 hex>.<64 hex>"): 128 random
/// bits and their HMAC-SHA256 under `key`, checked in constant time. Nothing when the cookie
/// is absent, malformed, or not signed with `key` (a value the client made up).
std::optional<std::string> webchat_session(std::string_view cookie_header, std::string_view key);

/// The cookie value the gateway issues for `session` (32 lower-case hex digits), signed with
/// `key`.
std::string webchat_cookie_value(std::string_view session, std::string_view key);

/// The contact's user id for a session: a SHA-256 of the session id, so that the store (and
/// everybody who reads it) never holds the secret that lets a browser act as this citizen.
/// 32 hex digits prefixed with "w".
std::string webchat_user_id(std::string_view session);

/// The image formats a photo upload may be.
enum class image_format { jpeg, png, webp };

/// The format the bytes really are, from their magic numbers; nothing for anything else.
std::optional<image_format> sniff_image(std::string_view bytes);
/// "image/jpeg", ... and the file extension "jpg", ...
std::string_view mime_type(image_format f);
std::string_view file_extension(image_format f);
/// The format a Content-Type names (parameters ignored, case-insensitive), or nothing.
std::optional<image_format> image_format_of(std::string_view content_type);

/// A stored photo's id: the SHA-256 of its bytes in hex, a dot and the extension.
std::string media_id(std::string_view bytes, image_format f);
/// True when `id` has the form media_id() produces (nothing else may name a file).
bool valid_media_id(std::string_view id);

struct webchat_settings {
    /// A longer text is refused with 400 (the flows take 2000 characters; Vietnamese in NFC is
    /// up to 3 bytes a character).
    std::size_t max_text_bytes = 8000;
    /// The key session cookies are signed with (webchat_cookie_value); empty accepts none.
    std::string session_key;
};

class webchat_adapter final : public adapter {
public:
    explicit webchat_adapter(webchat_settings settings = {});

    std::string_view type() const override { return "webchat"; }

    /// A POST with Content-Type application/json (else 415: with SameSite=Strict cookies this
    /// keeps other sites' forms out) and a session cookie the gateway signed (else 401). The body
    /// is one object with a client message `id` (1-64 of A-Za-z0-9_-), an optional `lang` ("vi" or
    /// "en") and exactly one of `text` (NFC, non-blank, ≤ max_text_bytes), `choice` (a button
    /// id), `location` ({lat, lon} in range) or `image` (a media id from an upload, with an
    /// optional `caption`). Anything else is 400. The dedup key is "<user_id>:<id>", so a
    /// retried post is a duplicate.
    parse_result parse(const webhook_request& req) const override;

    /// No request: the page fetches its messages from the outbox.
    std::vector<send_request> render(std::string_view user_id,
                                     const core::outbound_message& msg) const override;

    /// Nothing to acknowledge.
    std::optional<send_request> acknowledge(const core::inbound_event& ev) const override;

    /// Never called in practice (no requests); anything is "sent".
    send_verdict classify(unsigned http_status, std::string_view body) const override;

    /// Always the page: the citizen sees the message there at their next visit, however late.
    delivery_plan plan(const render_context& ctx) const override;

private:
    webchat_settings settings_;
};

}  // namespace dgw::channels
