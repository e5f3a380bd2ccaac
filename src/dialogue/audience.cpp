#include <dgw/dialogue/audience.hpp>

#include <dgw/core/match.hpp>
#include <dgw/core/text.hpp>

#include <algorithm>
#include <vector>

namespace dgw::dialogue {
namespace {

// Whether `phrase` appears in `text` as a run of whole words.
bool contains_words(const std::vector<std::string>& text, const std::vector<std::string>& phrase) {
    if (phrase.empty() || phrase.size() > text.size()) return false;
    return std::search(text.begin(), text.end(), phrase.begin(), phrase.end()) != text.end();
}

}  // namespace

std::string audience_in(const dialogue_config& config, std::string_view text) {
    const auto words = core::tokens(core::match_key(text));
    for (const auto& a : config.audiences)
        for (const auto& [lang, phrases] : a.words)
            for (const auto& p : phrases)
                if (contains_words(words, core::tokens(core::match_key(p)))) return a.id;
    return {};
}

}  // namespace dgw::dialogue
