#pragma once
/// Who the gateway can write to (DESIGN.md, the `domain` module): one rule for every message
/// officials send citizens (answers, a moved session, a hand-off reply, a reminder), and the
/// shape of those messages.

#include <dgw/core/reach.hpp>
#include <dgw/store/store.hpp>

#include <string>

#include <string_view>

namespace dgw::domain {

/// The channel of citizens registered by officials without a way to write to them (a letter
/// with no phone number, the reception desk): answered at the meeting or by post.
inline constexpr std::string_view office_channel = "office";

/// False for a citizen who erased their data and for one registered without a channel.
inline bool can_write_to(const store::contact& c) {
    return !c.user_id.starts_with("erased:") && c.channel != office_channel;
}

/// A message officials send a citizen, maybe long after they wrote (an answer, a moved
/// session, a reminder): its full text for the channels that take it, and the notice's fields
/// for those whose templates take parameters. The sender chooses the path by the platform's
/// rules (issue 10).
store::outbox_message notice_message(const store::contact& ct, const core::notice& n,
                                     std::string text, store::time_point now);

/// A notice's id: what it is (`action`: "answer", "moved", "note"…), about what (`key`: a
/// session, a reference) and when, to the millisecond. The sender keeps one message per
/// citizen and id, and the message log lists a session's notices by it.
std::string notice_id(std::string_view action, std::string_view key, store::time_point now);

/// The address a citizen reads more at: `pattern` (the configured link: the web chat page or
/// the province's portal) with its first "{ref}" replaced by `ref`.
std::string notice_link(std::string_view pattern, std::string_view ref);

}  // namespace dgw::domain
