#pragma once
/// Themed audiences (issue 19 item 2): a province session may be held for one audience
/// (college students and teachers, the workers of an enterprise). A citizen who says they
/// belong to one ("tôi là sinh viên trường Cao đẳng Lào Cai", "em la cong nhan apatit") has
/// their concern routed with that audience, so the audience's session hears it first when it
/// hears the topic (routing.hpp). Pure.

#include <dgw/dialogue/config.hpp>

#include <string>
#include <string_view>

namespace dgw::dialogue {

/// The id of the first configured audience (in config order) one of whose `words` the text
/// contains as whole words — folded, teencode expanded, with or without diacritics — or "".
std::string audience_in(const dialogue_config& config, std::string_view text);

}  // namespace dgw::dialogue
