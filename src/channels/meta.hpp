#pragma once
/// What Meta's two channels (Messenger, WhatsApp Cloud) share: the GET subscription handshake,
/// the X-Hub-Signature-256 check over the raw body, the Graph API error object, and a few
/// rendering helpers. Private to the channels module; pure functions, thread-safe.

#include <dgw/channels/adapter.hpp>
#include <dgw/core/message.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::channels::detail {

/// The value of `name` in an application/x-www-form-urlencoded query ("+" is a space,
/// %XX decoded), or nothing when absent.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

/// Verifies a webhook request the way both Meta channels need it. Returns the final answer
/// when there is nothing left to parse: the GET subscription handshake (hub.mode=subscribe and
/// hub.verify_token equal to `verify_token`, in constant time: 200 with hub.challenge as
/// text/plain; otherwise 403), or a POST whose `x-hub-signature-256` is not
/// "sha256=<hex HMAC-SHA256(app_secret, raw body)>" (401). Returns nothing for a POST with a
/// valid signature: the caller parses the body. Empty secrets reject everything.
std::optional<parse_result> meta_verify(const webhook_request& req, std::string_view app_secret,
                                        std::string_view verify_token);

/// meta_verify, then the body: parsed into `body` when it is a JSON object whose `object` is
/// `object` with an `entry` array. Otherwise the final answer: 400 for broken JSON or no entry
/// array, 404 for another object (as Meta's sample webhook does: a configuration error).
std::optional<parse_result> meta_open(const webhook_request& req, std::string_view app_secret,
                                      std::string_view verify_token, std::string_view object,
                                      nlohmann::json& body);

/// A Graph API error object: {"error":{"message","type","code","error_subcode",
/// "error_data":{"details"}}}.
struct graph_error {
    std::int64_t code = 0;
    std::int64_t subcode = 0;
    std::string message;  ///< message, with error_data.details appended when present
};

/// The error of a Graph API answer, or nothing when `body` holds no error object.
std::optional<graph_error> read_graph_error(const nlohmann::json& body);

/// `s` cut to at most 300 bytes at a UTF-8 boundary, with `secret` redacted first.
std::string safe_reason(std::string s, std::string_view secret);

/// `label` cut to at most `max_chars` code points (preferably at a word break, never inside a
/// UTF-8 sequence or before a combining mark); an empty label becomes `fallback`, cut as well.
std::string short_title(std::string_view label, std::string_view fallback, std::size_t max_chars);

/// `text` followed by the choices as numbered lines ("1. Label"), for when a platform cannot
/// show that many buttons; the citizen answers with the number or the label.
std::string with_numbered_choices(std::string_view text,
                                  const std::vector<core::choice_button>& choices);

/// How long after the citizen's last message a business may answer freely (Messenger's
/// standard messaging window, WhatsApp's customer service window).
inline constexpr std::chrono::hours messaging_window{24};

/// True when `ctx.last_inbound_at` is at most `messaging_window` before `ctx.now`, or unknown
/// (then the platform's answer decides).
bool window_open(const render_context& ctx);

/// The reason every Meta channel gives for a reply it cannot send any more.
inline constexpr std::string_view window_closed = "outside the 24-hour messaging window";

/// What both Meta channels decide alone: free inside the window (unless refused), and a reply
/// (no notice) after it goes nowhere. Nothing when a notice is past the window: the channel's
/// own late paths decide.
std::optional<delivery_plan> window_plan(const render_context& ctx);

/// Serialises a request body; invalid UTF-8 from a flow is replaced, never thrown on.
std::string dump_body(const nlohmann::json& body);

}  // namespace dgw::channels::detail
