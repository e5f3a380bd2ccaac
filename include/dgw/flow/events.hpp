#pragma once
/// What the engine is given and what it gives back. Platform-neutral: channels turn webhooks
/// into these events and render these messages as buttons, keyboards and text.

#include "dgw/core/message.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dgw::flow {

using time_point = std::chrono::system_clock::time_point;

// ----- inbound --------------------------------------------------------------------------------

/// A typed message.
struct text_event {
    std::string text;
};
/// A button press: the id of a choice the engine offered.
struct choice_event {
    std::string id;
};
/// A shared GPS location.
struct location_event {
    double lat = 0;
    double lon = 0;
};
/// One or more images (platform media references) with an optional caption.
struct image_event {
    std::vector<std::string> refs;
    std::string caption;
};
/// A shared contact card.
struct contact_event {
    std::string phone;
};
/// A timer the engine asked for has fired (the caller passes back the id it was given).
struct timer_event {
    std::string id;
};
/// The caller's answer to a submit effect.
struct submit_outcome {
    bool ok = true;
    std::string ref;           ///< the concern's reference number
    std::string session_date;  ///< the dialogue session it was filed to, shown as text
    std::string session_place;
    bool urgent = false;
    std::string hotline;  ///< shown when urgent
    std::string status;   ///< check_status: the concern's status, in words
    std::string answer;   ///< check_status: the answer given at the session, if any
    std::string results = {};  ///< where answers are published ("" when nowhere: left unset)
    std::string calendar = {};  ///< the sessions' calendar to subscribe to ("": left unset)
};

using event = std::variant<text_event, choice_event, location_event, image_event, contact_event,
                           timer_event, submit_outcome>;

// ----- outbound -------------------------------------------------------------------------------

// The messages themselves are shared with the channels, which render them (core/message.hpp).
using core::choice_button;
using core::input_hint;
using core::outbound_message;

/// The answer the conversation is waiting for, if any.
struct expectation {
    std::string answer;  ///< answer name, or "review"
    std::string type;    ///< answer type name ("choice" for review)
    bool optional = false;
};

/// What a submit node asks of the caller: file the concern, look one up, or erase the
/// citizen's personal data (a data-rights request made in the chat).
enum class submit_action { file_concern, check_status, erase_my_data, record_verdict };

/// "file_concern", "check_status", "erase_my_data", "record_verdict" (the citizen's say on an
/// answer: satisfied, or not and why, which re-opens the concern onto the next session).
std::string_view to_string(submit_action a) noexcept;
/// As its name in JSON (the simulator's transcript).
inline void to_json(nlohmann::json& j, submit_action a) { j = std::string(to_string(a)); }

/// "File this concern" (or look one up): the caller performs it and feeds a submit_outcome
/// back as the next event.
struct submit_effect {
    submit_action action = submit_action::file_concern;
    nlohmann::json answers;
    std::string lang;
    /// What was read from the citizen's words rather than asked, per answer:
    /// {"topic": {"value","confidence","words"}, "locality": {"value","confidence","why"}};
    /// an object, empty when nothing was inferred.
    nlohmann::json inferred = nlohmann::json::object();
};
/// "A person should take over this conversation."
struct handoff_effect {
    std::string reason;
    nlohmann::json answers;
};
/// "Start this other flow for the contact" (the menu's choices).
struct start_flow_effect {
    std::string flow;
    std::string lang;
    /// The citizen's message the choice was read from, for the new flow to understand
    /// ({"text"}, {"media","text"} or {"location"}); null when the choice was a plain command.
    nlohmann::json carry;
};

using effect = std::variant<submit_effect, handoff_effect, start_flow_effect>;

/// A timer the caller must arm. After each step the list is the complete set: the caller
/// cancels the timers it holds for the conversation and arms these.
struct timer_request {
    std::string id;
    time_point at;
};

}  // namespace dgw::flow
