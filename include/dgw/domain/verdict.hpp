#pragma once
/// The citizen's verdict on an answer (issue 19 item 6): after an official's answer reaches
/// them, a citizen may reply "đã thỏa đáng" or "chưa thỏa đáng" (and why). The verdict flow
/// (flows/verdict.json) hears it; these are the rules around it, once.

#include <dgw/store/store.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::domain {

/// The flow that hears a verdict, and the answers it collects.
inline constexpr std::string_view verdict_flow = "verdict";
inline constexpr const char* verdict_answer = "verdict";  ///< "satisfied" | "unsatisfied"
inline constexpr const char* reason_answer = "reason";

/// How long after an answer a citizen's verdict words are taken as their say on it.
inline constexpr auto verdict_window = std::chrono::days(30);

enum class verdict { satisfied, unsatisfied };

/// "satisfied" / "unsatisfied" as the flow's choice ids and the store's words.
std::string_view to_string(verdict v) noexcept;
/// The verdict a flow collected, or nothing for any other value.
std::optional<verdict> parse_verdict(std::string_view id) noexcept;

/// The line that ends an answer to a citizen: how to say whether it settled anything, in the
/// words the verdict flow understands ("en", else Vietnamese).
std::string verdict_invitation(std::string_view lang);

/// The concern that carries an unsatisfied citizen's case onto the next session: the same
/// citizen, channel, topic, commune, text, photos and consent as `first`, following it; not
/// yet placed (domain::place) nor numbered (new_reference).
store::concern reopened(const store::concern& first, store::time_point now);

}  // namespace dgw::domain
