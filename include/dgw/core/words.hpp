#pragma once
/// Words for people in two languages, kept in catalogues (STYLE.md §2a: one place for each
/// rule). An entry has a stable `code` that programs act on and a text in Vietnamese and in
/// English with {name} placeholders for its values; the values travel beside the code, so the
/// words can be put into either language later (a problem found while loading a flow is shown
/// to an admin in the language of the page that asked).

#include <nlohmann/json.hpp>

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// One entry of a catalogue.
struct words {
    std::string_view code;
    std::string_view vi;
    std::string_view en;
};

/// `text` with each {name} replaced by the parameter `name` (a string as it is, anything else
/// as JSON); an unknown name, or a brace with no name, stays as written.
std::string fill(std::string_view text, const nlohmann::json& params);

/// The names of the {placeholders} of `text`, in order.
std::vector<std::string> placeholders(std::string_view text);

/// The entry with `code` in `catalogue`, or nullptr.
const words* find_words(std::span<const words> catalogue, std::string_view code);

}  // namespace dgw::core
