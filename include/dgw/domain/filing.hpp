#pragma once
/// Filing a concern: the rules every way a concern comes in shares (DESIGN.md, the `domain`
/// module: the use cases once). The chat (pipeline), a hand-off an official turns into a
/// concern and a session edit that moves concerns elsewhere (api) all place a concern with
/// place() and name a new one with new_reference(); none of them repeats these rules.

#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/result.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/store/store.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::domain {

/// Puts concern `c` where `routed` (dialogue::route for its commune and topic, now) says:
/// `scheduled` to the session, labelled in `lang` ("vi" or "en": its title and when), or
/// `unscheduled` with the reason (routing never drops a concern: officials place it). Returns
/// the session when there is one.
std::optional<dialogue::session> place(store::concern& c,
                                       const dialogue::result<dialogue::route_result>& routed,
                                       std::string_view lang);

/// The label of a concern's session in `lang` ("en", else Vietnamese): its title and when
/// ("Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026"). place() stores it in the citizen's
/// language; the API gives it in its reader's, from the same session.
std::string session_label(const dialogue::session& s, std::string_view lang);

/// What a citizen is told of where their concern will be heard, in `lang` ("en", else
/// Vietnamese): the session's title, when and where, or that it will be announced.
std::string heard_at(const std::optional<dialogue::session>& s, std::string_view lang);

/// Where the answers to concerns of `commune` are published (the public page, /ket-qua, of the
/// gateway at `public_url`), for receipts: "" when the gateway has no public address.
std::string results_link(std::string_view public_url, std::string_view commune);

/// The calendar of the sessions held for the citizens of `commune` (GET /sessions.ics of the
/// gateway at `public_url`, to subscribe to), for receipts: "" when the gateway has no public
/// address.
std::string calendar_link(std::string_view public_url, std::string_view commune);

/// The line of a receipt offering that calendar (calendar_link) in `lang` ("en", else
/// Vietnamese), starting with a line break; "" when the gateway has no public address. The
/// chat's receipt says the same in its flow's words.
std::string calendar_line(std::string_view public_url, std::string_view commune,
                          std::string_view lang);

/// How long an invitation counts: a citizen who opened the chat from an official's link or QR
/// code (store::contact::invite) and files within these days is filed for that session's
/// audience.
inline constexpr std::chrono::days invite_window{60};

/// The themed audience a concern of contact `ct` saying `text` is filed for (issue 19 item 2):
/// the audience of the session their invitation named (`session_audience` gives a session's,
/// "" for none), while the invitation is within invite_window; else the audience their words
/// name ("tôi là sinh viên…", dialogue::audience_in); else "" (everyone). Routing then puts
/// that audience's sessions first when they hear the topic.
std::string audience_for(const dialogue::dialogue_config& cfg, const store::contact& ct,
                         const std::function<std::string(std::string_view)>& session_audience,
                         std::string_view text, std::chrono::system_clock::time_point now);

/// A fresh reference ("LC-7K4M2"): random, and not one `taken` says is used (the store's and
/// those being filed alongside). Throws when none is found (the alphabet is exhausted).
std::string new_reference(const dialogue::dialogue_config& cfg, const dialogue::random_source& random,
                          const std::function<bool(std::string_view)>& taken);

}  // namespace dgw::domain
