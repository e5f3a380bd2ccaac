#include "dgw/dialogue/concern.hpp"

#include <dgw/core/text.hpp>

#include <algorithm>

namespace dgw::dialogue {

namespace {

bool has_marks(const std::vector<std::string>& folded, const std::vector<std::string>& marked) {
    return folded != marked;
}

char upper_ascii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

result<std::string> make_reference(std::string_view prefix, const random_source& random,
                                   const std::function<bool(std::string_view)>& taken,
                                   int max_attempts) {
    constexpr auto n = static_cast<std::uint32_t>(reference_alphabet.size());
    // Rejection sampling: values at or above the largest multiple of n would bias the low
    // characters.
    constexpr std::uint32_t limit = UINT32_MAX - UINT32_MAX % n;
    for (int attempt = 0; attempt < max_attempts; ++attempt) {
        std::string ref(prefix);
        ref += '-';
        for (std::size_t i = 0; i < reference_length; ++i) {
            std::uint32_t v = random();
            while (v >= limit) v = random();
            ref += reference_alphabet[v % n];
        }
        if (!taken(ref)) return ref;
    }
    return error{errc::references_exhausted,
                 "no free reference after " + std::to_string(max_attempts) + " attempts"};
}

result<std::string> parse_reference(std::string_view text, std::string_view prefix) {
    std::string chars;
    for (char c : text) {
        if (c == ' ' || c == '-' || c == '\t' || c == '.') continue;
        chars += upper_ascii(c);
    }
    if (chars.size() == prefix.size() + reference_length &&
        std::string_view(chars).substr(0, prefix.size()) == prefix)
        chars.erase(0, prefix.size());
    if (chars.size() != reference_length)
        return error{errc::bad_reference,
                     "a reference has " + std::to_string(reference_length) + " characters"};
    for (char c : chars)
        if (reference_alphabet.find(c) == std::string_view::npos)
            return error{errc::bad_reference, std::string("'") + c + "' is not used in references"};
    return std::string(prefix) + "-" + chars;
}

bool can_transition(concern_status from, concern_status to) {
    using cs = concern_status;
    switch (from) {
        case cs::received:
            return to == cs::scheduled || to == cs::unscheduled || to == cs::forwarded ||
                   to == cs::withdrawn || to == cs::merged;
        case cs::scheduled:
            return to == cs::scheduled || to == cs::unscheduled || to == cs::answered ||
                   to == cs::forwarded || to == cs::withdrawn || to == cs::merged;
        case cs::unscheduled:
            return to == cs::scheduled || to == cs::forwarded || to == cs::withdrawn ||
                   to == cs::merged;
        case cs::forwarded:
            return to == cs::answered;
        case cs::answered:
        case cs::withdrawn:
        case cs::merged:
            return false;
    }
    return false;
}

urgent_detector::urgent_detector(const urgent_config& config)
    : hotline_(config.hotline), message_vi_(config.message_vi), message_en_(config.message_en) {
    for (const auto& k : config.keywords) {
        keyword kw;
        kw.original = k;
        kw.folded = core::tokens(core::fold(k));
        kw.marked = core::tokens(core::fold_keep_marks(k));
        if (kw.marked.size() != kw.folded.size()) kw.marked.clear();
        if (!kw.folded.empty()) keywords_.push_back(std::move(kw));
    }
}

std::vector<std::string> urgent_detector::find(std::string_view text) const {
    const auto folded = core::tokens(core::fold(text));
    auto marked = core::tokens(core::fold_keep_marks(text));
    if (marked.size() != folded.size()) marked.clear();
    const bool text_marked = !marked.empty() && has_marks(folded, marked);
    // Word by word, with the tolerance answers get: a long word (5+ letters) may carry one typo;
    // a short one must be spelt right, and when both sides carry diacritics the accented forms
    // must agree, so "lũ" (flood) is not found in "lú" while "lu" (typed without marks) is.
    auto word_matches = [&](const keyword& kw, std::size_t j, std::size_t at) {
        const std::string& w = folded[at];
        const std::string& k = kw.folded[j];
        if (w.size() >= 5 && k.size() >= 5) return core::edit_distance_within(w, k, 1) <= 1;
        if (w != k) return false;
        if (!text_marked || kw.marked.empty()) return true;
        const std::string& m = marked[at];
        return m == w || m == kw.marked[j];
    };
    std::vector<std::string> out;
    for (const auto& kw : keywords_) {
        const std::size_t k = kw.folded.size();
        bool found = false;
        for (std::size_t i = 0; !found && i + k <= folded.size(); ++i) {
            bool all = true;
            for (std::size_t j = 0; all && j < k; ++j) all = word_matches(kw, j, i + j);
            found = all;
        }
        if (found) out.push_back(kw.original);
    }
    return out;
}

std::optional<std::string> urgent_detector::notice(std::string_view text,
                                                   std::string_view lang) const {
    if (!urgent(text)) return std::nullopt;
    const std::string& message = lang == "vi" ? message_vi_ : message_en_;
    if (!message.empty()) return message;
    return lang == "vi" ? "Nếu có nguy hiểm, hãy gọi ngay " + hotline_ + "."
                        : "If there is danger, call " + hotline_ + " now.";
}

}  // namespace dgw::dialogue
