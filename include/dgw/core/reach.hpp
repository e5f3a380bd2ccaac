#pragma once
/// Reaching a citizen long after they last wrote: what officials send them (an answer, a
/// session that moved), the permissions a citizen gave a platform to be told outside its reply
/// window (a Messenger notification opt-in, following a Zalo OA, a Viber subscription), and
/// the path a message took to them. Shared by the channels (which decide the path by their
/// platform's rules), the pipeline (which sends), the store and the officials' API.

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

using time_point = std::chrono::system_clock::time_point;

/// What a citizen allowed a platform to deliver to them.
enum class permission_kind {
    notification_messages,  ///< Messenger recurring notifications: a token until it expires
    one_time_notification,  ///< Messenger one-time notification: a token good for one message
    follow,                 ///< following a Zalo OA: transaction messages may reach them
    subscription,           ///< subscribed to a Viber bot / a LINE friend: pushes reach them
};

const char* to_string(permission_kind k) noexcept;
bool parse_permission_kind(std::string_view name, permission_kind& out) noexcept;

/// One permission as a platform reported it (`granted` false: withdrawn — unfollowed,
/// unsubscribed, notifications stopped).
struct permission {
    permission_kind kind = permission_kind::follow;
    bool granted = true;
    std::string token;                     ///< for token opt-ins; "" otherwise
    std::optional<time_point> expires_at;  ///< when the platform said it ends
    std::string topic;                     ///< what it was asked for (a concern's reference)
};

void to_json(nlohmann::json& j, const permission& p);
void from_json(const nlohmann::json& j, permission& p);

/// True when `p` is granted and, for a token, not expired at `now`.
bool usable(const permission& p, time_point now);

/// How a message reached (or is to reach) a citizen.
enum class reach_path {
    free,              ///< an ordinary message, inside the platform's window or where none exists
    template_message,  ///< an approved template (WhatsApp) or transaction message (Zalo)
    tag,               ///< a Messenger message tag
    optin,             ///< a Messenger notification token the citizen accepted
    zns,               ///< Zalo Notification Service, by phone number
    sms,               ///< the SMS fallback, to the phone the citizen gave
    page,              ///< the web chat: the message waits on the citizen's page
    next_contact,      ///< kept, and delivered when the citizen next writes
    none,              ///< no way yet
};

/// "free", "template", "tag", "optin", "zns", "sms", "page", "next_contact", "none".
const char* to_string(reach_path p) noexcept;
bool parse_reach_path(std::string_view name, reach_path& out) noexcept;

/// What officials tell citizens long after they wrote: an answer, their session moved, the
/// reminder days before it, a note an official sends a session's citizens — and, to
/// officials, the reminder of work assigned to their office.
enum class notice_purpose { answer, session_moved, session_reminder, session_note, work_reminder };

const char* to_string(notice_purpose p) noexcept;
bool parse_notice_purpose(std::string_view name, notice_purpose& out) noexcept;

/// A message officials send to one citizen about their concerns, with the fields a platform's
/// template takes as parameters. The full text travels beside it (core::outbound_message).
struct notice {
    notice_purpose purpose = notice_purpose::answer;
    std::string id;          ///< the officials' action it belongs to (one answer, one session edit)
    std::string session_id;  ///< the session it is about
    std::vector<std::string> refs;  ///< the citizen's concerns it is about
    std::string answer;             ///< the answer (purpose answer)
    std::string session;            ///< the session it concerns now ("Ngày 15/01/2027, tại ...")
    std::string link;               ///< where to read more, or ""
};

void to_json(nlohmann::json& j, const notice& n);
void from_json(const nlohmann::json& j, notice& n);

/// The template parameter names a platform's template may take, in any order: "ref" (the
/// references), "answer", "session", "link".
bool notice_field_known(std::string_view name) noexcept;

/// The value of a template parameter, cut to at most `max_chars` characters (with "…") so
/// that it fits the platform's limits; "" for an unknown name.
std::string notice_field(const notice& n, std::string_view name, std::size_t max_chars = 1000);

/// The first line of a message kept for the citizen's next contact:
/// "Bạn có 1 trả lời mới cho phản ánh LC-7K4M2" (and in English).
std::string heads_up_text(const notice& n);

/// What the receipt offers on platforms that need an opt-in to reach a citizen later.
std::string optin_title();        ///< a button's title: "Nhận thông báo khi có trả lời"
std::string follow_offer_text();  ///< Zalo: follow the OA to be told

/// `phone` in E.164 without the plus ("84912345678"), for Vietnamese numbers written as
/// "0912345678", "+84 912 345 678" or "84912345678"; "" when it is not a phone number.
std::string phone_digits(std::string_view phone);

}  // namespace dgw::core
