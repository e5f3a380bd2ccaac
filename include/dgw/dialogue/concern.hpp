#pragma once
/// Concern references, statuses and the urgent flag.

#include <dgw/core/concern_status.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/result.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::dialogue {

/// Characters of a reference: digits and capitals without 0/O, 1/I/L, which are misheard or
/// misread on a phone. 31 characters; 5 of them give 28.6 million references.
inline constexpr std::string_view reference_alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
inline constexpr std::size_t reference_length = 5;

/// A source of uniform random 32-bit values (e.g. a std::mt19937 seeded by the caller, or
/// a CSPRNG); passed in so that generation is deterministic under test.
using random_source = std::function<std::uint32_t()>;

/// "LC-7K4M2": `prefix`, a dash and 5 alphabet characters. `taken` says whether a candidate is
/// already used (the store checks); generation retries and fails with references_exhausted
/// after `max_attempts` collisions instead of looping forever.
result<std::string> make_reference(std::string_view prefix, const random_source& random,
                                   const std::function<bool(std::string_view)>& taken,
                                   int max_attempts = 32);

/// What a citizen types or reads back -> canonical reference: case, spaces and dashes are
/// forgiven and the prefix may be left out ("lc 7k4m2", "7K4M2"). Characters outside the
/// alphabet are an error (bad_reference).
result<std::string> parse_reference(std::string_view text, std::string_view prefix);

using core::concern_status;
using core::parse_concern_status;
using core::to_string;
/// Allowed transitions: received -> scheduled | unscheduled | forwarded | withdrawn | merged;
/// scheduled -> scheduled (rerouted) | unscheduled | answered | forwarded | withdrawn | merged;
/// unscheduled -> scheduled | forwarded | withdrawn | merged; forwarded -> answered.
/// answered, withdrawn and merged are final.
bool can_transition(concern_status from, concern_status to);

/// Finds danger to life or property in a concern's text. Keywords match whole words of the
/// folded text with the typo tolerance answers get (one typo in a word of 5+ letters); a short
/// word must be spelt right, and when both the text and the keyword carry diacritics its
/// accented form must match too, so "lũ" (flood) is not found in "lú" — unaccented text is
/// matched folded.
class urgent_detector {
public:
    explicit urgent_detector(const urgent_config& config);
    /// The configured keywords found, in config order (empty: not urgent).
    std::vector<std::string> find(std::string_view text) const;
    bool urgent(std::string_view text) const { return !find(text).empty(); }
    /// What the receipt says at once for an urgent concern, instead of waiting for a quarterly
    /// meeting: the configured message in `lang` ("vi", else English; the hotline number when
    /// no message is configured). Nothing when the text is not urgent.
    std::optional<std::string> notice(std::string_view text, std::string_view lang) const;

private:
    struct keyword {
        std::string original;
        std::vector<std::string> folded;
        std::vector<std::string> marked;  ///< empty when it cannot be aligned
    };
    std::vector<keyword> keywords_;
    std::string hotline_;
    std::string message_vi_;
    std::string message_en_;
};

}  // namespace dgw::dialogue
