#pragma once
/// The platform-neutral messages that cross module lines: what a channel adapter makes of a
/// webhook (`inbound_event`), and what the flow engine says back (`outbound_message`), which an
/// adapter renders as the platform's text, buttons and keyboards.

#include <dgw/core/reach.hpp>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace dgw::core {

/// `permission`: not something the citizen said, but a change in what they let the platform
/// deliver to them (a notification opt-in, following or unfollowing the account); it reaches
/// no flow.
enum class inbound_kind { text, choice, location, image, contact, permission };

/// "text", "choice", ... and back; false for an unknown name.
const char* to_string(inbound_kind k) noexcept;
bool parse_inbound_kind(std::string_view name, inbound_kind& out) noexcept;

/// One normalized event from a citizen.
struct inbound_event {
    /// Unique per channel and stable across redeliveries: the idempotency key (PLATFORMS.md).
    std::string dedup_key;
    /// The citizen on this channel (platform user id, always a string: ids exceed 2^53).
    std::string user_id;
    inbound_kind kind = inbound_kind::text;
    std::string text;                ///< text, or the caption of an image (NFC)
    std::string choice_id;           ///< a button's id
    double lat = 0, lon = 0;         ///< location
    std::vector<std::string> media;  ///< platform media references (file ids, URLs)
    std::string phone;               ///< shared contact card
    std::string display_name;        ///< as the platform gives it, may be empty
    std::string language;            ///< the platform's language hint ("vi"), may be empty
    /// Platform data needed to answer (Telegram callback query id, LINE reply token...).
    nlohmann::json reply_context = nlohmann::json::object();
    /// Kind `permission` only: what changed.
    std::optional<core::permission> permission;
    /// The dialogue session the citizen was invited to by a link or QR code an official gave
    /// out (invite_of), or "": their concerns go to that session when it hears them.
    std::string invite;
};

/// What an invitation link carries: "moi_" ("mời", invite) and a session id, as Telegram's
/// deep links (`?start=`) and the web chat (`?start=`) pass it; at most 64 bytes of A-Z a-z
/// 0-9 _ - (Telegram's limit).
inline constexpr std::string_view invite_prefix = "moi_";
/// The session id an invitation `payload` names ("moi_province-15-2026-04-16" gives
/// "province-15-2026-04-16"), or "" when it is not one.
std::string invite_of(std::string_view payload);

void to_json(nlohmann::json& j, const inbound_event& e);
void from_json(const nlohmann::json& j, inbound_event& e);

struct choice_button {
    std::string id;
    std::string label;
    friend bool operator==(const choice_button&, const choice_button&) = default;
};

/// What kind of input a message asks for, so that a channel can show a fitting keyboard.
enum class input_hint { none, text, choice, number, yes_no, phone, locality, location, media, any };

const char* to_string(input_hint h) noexcept;
bool parse_input_hint(std::string_view name, input_hint& out) noexcept;

struct outbound_message {
    std::string text;
    std::vector<choice_button> choices;
    input_hint hint = input_hint::none;
};

void to_json(nlohmann::json& j, const outbound_message& m);
void from_json(const nlohmann::json& j, outbound_message& m);

}  // namespace dgw::core
