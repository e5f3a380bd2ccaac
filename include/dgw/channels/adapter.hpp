#pragma once
/// One adapter per messaging platform, sans-I/O (DESIGN.md "Shape"): it verifies and parses a
/// webhook into inbound events, renders a reply into the platform's send request(s), and reads
/// the platform's answer to a send. The pipeline does the storing, sending and retrying.
///
/// Adapters are immutable after construction and thread-safe. Secrets are compared in constant
/// time and never appear in error texts.

#include <dgw/core/message.hpp>
#include <dgw/core/reach.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::channels {

/// A webhook request as the HTTP layer received it. Header names are lower-case.
struct webhook_request {
    std::string method;  ///< "POST", "GET"
    std::string path;    ///< e.g. "/webhooks/sms" or "/webhooks/sms/status"
    std::string query;   ///< raw query string, without '?'
    std::map<std::string, std::string> headers;
    std::string body;  ///< raw bytes, exactly as received (signatures are over these)

    /// The header's value, or "" (name in lower case).
    std::string header(std::string_view name) const;
};

/// What to do with a webhook.
struct parse_result {
    enum class verdict {
        accept,        ///< store `events` (possibly none: all ignored), then answer `status`
        unauthorized,  ///< bad or missing signature/secret: 401, nothing stored
        bad_request,   ///< malformed body: 400, nothing stored
    };
    verdict outcome = verdict::accept;
    std::string error;                       ///< for the 4xx body; never contains secrets
    std::vector<core::inbound_event> events;  ///< in the order the platform sent them
    std::size_t ignored = 0;                 ///< receipts, echoes, edits... counted, not stored
    unsigned status = 200;                   ///< the status to answer once stored
    std::string response_body;               ///< e.g. a verification challenge
    std::string response_content_type = "application/json";
};

/// One HTTP request to the platform's send API.
struct send_request {
    std::string method = "POST";
    std::string url;  ///< absolute, from the channel's api_base
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

/// Header names (lower-case) and values.
using header_map = std::map<std::string, std::string>;

/// What the store knows about reaching one citizen outside their platform's reply window.
struct reach_facts {
    std::vector<core::permission> permissions;  ///< as the platform last reported them
    /// The phone number the citizen gave with their consent to be contacted, as digits with
    /// the country code ("84912345678"); "" when there is none.
    std::string phone;
};

/// A template a platform approved for messages after its reply window (a WhatsApp message
/// template, a Zalo transaction message): `params` names the notice fields that fill its
/// parameters, in the template's order (core::notice_field).
struct late_template {
    std::string name;      ///< WhatsApp: the template's name; Zalo: its template_type
    std::string language;  ///< WhatsApp: "vi", "en_US"...; Zalo: "VI" or "EN"
    std::vector<std::string> params;
    std::string title;  ///< Zalo: the header line
};

/// A Zalo Notification Service template: its id and, per named parameter, the notice field.
struct zns_template {
    std::string template_id;
    std::vector<std::pair<std::string, std::string>> params;
};

/// How a message is to reach a citizen, chosen by plan() from the platform's rules.
struct delivery_plan {
    core::reach_path path = core::reach_path::free;
    std::string reason;  ///< path none: why, in words an official can read; no secrets
    std::string token;   ///< path optin: the notification token to send with
    core::permission_kind token_kind = core::permission_kind::notification_messages;
};

/// What a render may use besides the message: the event being answered, for platforms whose
/// replies are cheaper or only possible within a window (LINE reply tokens, Meta's 24 hours),
/// and what the sender knows about the message and the channel.
struct render_context {
    nlohmann::json reply_context = nlohmann::json::object();  ///< of the contact's last event
    std::optional<std::chrono::system_clock::time_point> inbound_at;  ///< when it arrived
    std::chrono::system_clock::time_point now{};
    /// When the contact last wrote to us (any message, not only the one being answered).
    std::optional<std::chrono::system_clock::time_point> last_inbound_at;
    std::string channel;         ///< the channel id from config
    std::int64_t outbox_id = 0;  ///< the outbox message: the same on every attempt
    /// The access token to send with, for platforms whose tokens the gateway refreshes
    /// (Zalo); empty = the one in the adapter's settings.
    std::string access_token;
    /// Set when the message is a notice (an answer, a session that moved) rather than a reply:
    /// then the platform's ways of reaching a citizen after its reply window apply.
    std::optional<core::notice> notice;
    reach_facts facts;  ///< notices only
    /// Paths the platform already refused for this message (it answered that this citizen
    /// cannot be reached that way): plan() chooses among the others.
    std::vector<core::reach_path> refused;
    /// The path render() follows, as plan() chose it (free for replies).
    delivery_plan plan;
};

/// A platform's access token with the refresh token that replaces it (Zalo OA).
struct token_pair {
    std::string access_token;
    std::string refresh_token;
    /// How long the access token lives from when it was issued; 0 = unknown.
    std::chrono::seconds expires_in{0};
};

/// How the platform answered a token refresh.
struct refresh_verdict {
    enum class kind {
        refreshed,  ///< `tokens` holds the new pair; the old refresh token is spent
        retry,      ///< no answer, 5xx, 429: try again later with the same refresh token
        rejected,   ///< the refresh token is invalid, expired or revoked: an operator must act
    };
    kind outcome = kind::refreshed;
    token_pair tokens;
    std::string reason;  ///< no secrets
};

/// How the platform answered a send.
struct send_verdict {
    enum class kind {
        sent,       ///< the platform accepted the message
        retry,      ///< try again later (5xx, 429, rate limited); `retry_after` when it said so
        permanent,  ///< never retry (blocked by the user, outside the reply window, bad request)
        reauth,     ///< the access token expired: refresh it, then retry (Zalo error -216)
    };
    kind outcome = kind::sent;
    std::optional<std::chrono::milliseconds> retry_after;
    std::string reason;  ///< e.g. "blocked by the user"; no secrets
    /// With `permanent`: what was refused is the way this message tried to reach the citizen
    /// (the reply window has closed, not a follower, unsubscribed, blocked, a spent opt-in
    /// token), not the message itself: another path may still reach them.
    bool path_refused = false;
};

class adapter {
public:
    virtual ~adapter() = default;

    /// The channel's type, e.g. "telegram".
    virtual std::string_view type() const = 0;

    /// Verifies (over the raw body, before any parsing) and normalises a webhook.
    virtual parse_result parse(const webhook_request& req) const = 0;

    /// The request(s) that deliver one message to `user_id`, in order (long texts are split).
    virtual std::vector<send_request> render(std::string_view user_id,
                                             const core::outbound_message& msg) const = 0;

    /// The same with the context of the event being answered; by default it is not needed.
    virtual std::vector<send_request> render(std::string_view user_id,
                                             const core::outbound_message& msg,
                                             const render_context& ctx) const {
        (void)ctx;
        return render(user_id, msg);
    }

    /// A request the platform requires in answer to an inbound event regardless of the flow
    /// (Telegram's answerCallbackQuery), or nothing.
    virtual std::optional<send_request> acknowledge(const core::inbound_event& ev) const = 0;

    /// Reads the platform's answer to one send request.
    virtual send_verdict classify(unsigned http_status, std::string_view body) const = 0;

    /// The same with the answer's headers, for platforms whose verdict depends on one (LINE's
    /// `x-line-accepted-request-id`); by default they are not needed.
    virtual send_verdict classify_answer(unsigned http_status, std::string_view body,
                                         const header_map& headers) const {
        (void)headers;
        return classify(http_status, body);
    }

    /// How the message may reach the citizen now, by the platform's rules for late messages,
    /// from ctx.now, ctx.last_inbound_at, ctx.notice, ctx.facts and ctx.refused (decided
    /// before sending, not by trying and failing). A reply (no notice) that cannot go gets
    /// path none with the reason. By default: free, unless that was refused.
    virtual delivery_plan plan(const render_context& ctx) const;

    /// plan() as a verdict reached before anything is sent: permanent with its reason when
    /// there is no path (Meta: the 24-hour window has closed), nothing when it may go out.
    std::optional<send_verdict> precheck(const render_context& ctx) const;

    /// Where a platform needs the citizen's consent to reach them after its reply window:
    /// the message that asks for it, sent after the receipt of concern `ref` (Messenger: a
    /// notification opt-in request; Zalo: an invitation to follow the OA). Nothing elsewhere.
    virtual std::optional<send_request> offer_notifications(std::string_view user_id,
                                                            std::string_view ref,
                                                            const render_context& ctx) const {
        (void)user_id;
        (void)ref;
        (void)ctx;
        return std::nullopt;
    }

    /// True when the gateway refreshes this channel's access token (Zalo OA); then
    /// render_refresh() and read_refresh() are implemented.
    virtual bool refreshes_tokens() const { return false; }

    /// The request that trades `refresh_token` for a new token pair.
    virtual send_request render_refresh(std::string_view refresh_token) const {
        (void)refresh_token;
        return {};
    }

    /// Reads the platform's answer to render_refresh()'s request.
    virtual refresh_verdict read_refresh(unsigned http_status, std::string_view body) const {
        (void)http_status;
        (void)body;
        return {refresh_verdict::kind::rejected, {}, "this channel does not refresh tokens"};
    }

    /// Media the platform keeps (a citizen's photo, by the id the event carried), fetched for
    /// an official in two steps: the request that looks it up, then, from the platform's
    /// answer to it, the request that downloads its bytes. nullopt: the platform offers no way
    /// (or the lookup found nothing). fetches_media() says whether this adapter implements them.
    virtual bool fetches_media() const { return false; }
    /// True when the lookup's answer is the file itself (the event carried a download URL):
    /// there is no media_download step.
    virtual bool media_lookup_is_download() const { return false; }
    virtual std::optional<send_request> media_lookup(std::string_view media_id) const {
        (void)media_id;
        return std::nullopt;
    }
    virtual std::optional<send_request> media_download(unsigned http_status,
                                                       std::string_view body) const {
        (void)http_status;
        (void)body;
        return std::nullopt;
    }

    /// What a sent request costs in the platform's billing units (SMS segments), or 0 where
    /// the platform does not bill per message part.
    virtual std::size_t billed_units(const send_request& req) const {
        (void)req;
        return 0;
    }
};

/// A GET of `url`, a download link a platform put in an event (Zalo, Messenger and Viber
/// photos), or nothing when it is not an http(s) URL.
std::optional<send_request> url_download(std::string_view url);

}  // namespace dgw::channels
