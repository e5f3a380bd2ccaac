#pragma once
/// Who the gateway can write to (DESIGN.md, the `domain` module): one rule for every message
/// officials send citizens (answers, a moved session, a hand-off reply).

#include <dgw/store/store.hpp>

#include <string_view>

namespace dgw::domain {

/// The channel of citizens registered by officials without a way to write to them (a letter
/// with no phone number, the reception desk): answered at the meeting or by post.
inline constexpr std::string_view office_channel = "office";

/// False for a citizen who erased their data and for one registered without a channel.
inline bool can_write_to(const store::contact& c) {
    return !c.user_id.starts_with("erased:") && c.channel != office_channel;
}

}  // namespace dgw::domain
