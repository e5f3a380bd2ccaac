#pragma once
// Template variables in flow strings: "{answers.topic}", "{concern.ref}". "{{" and "}}" stand
// for literal braces. Shared by the validator (which rejects unknown variables) and the engine
// (which fills them in).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::flow::detail {

/// The variables a string uses, in order; nullopt when a brace is unbalanced.
std::optional<std::vector<std::string>> template_vars(std::string_view text);

/// Replaces each variable with `value(name)`.
std::string render_template(std::string_view text,
                            const std::function<std::string(const std::string&)>& value);

/// Variables that exist outside `answers.*`.
const std::vector<std::string>& outcome_vars();

}  // namespace dgw::flow::detail
