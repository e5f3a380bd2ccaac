#pragma once
/// Matching what a citizen typed against a short list of options (choices, yes/no, commands).
///
/// Citizens answer on phones, often without diacritics, in teencode ("ko", "dc"), with typos,
/// or by typing the number of a button. Every function here is pure and thread-safe.
///
/// Ranking, best first: an exact accented match; an exact folded match; an option phrase found
/// inside the message (more matched words first, accented before folded); the same with one typo
/// in a word of 5+ letters; the message found inside an option phrase. Options tied at the best
/// rank are returned together: the caller asks again with them as buttons, never guesses.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// The comparison key of a message: a few emoji mapped to words (👍 -> "ok"), fold(), then
/// common teencode and abbreviations expanded ("ko dc" -> "khong duoc").
std::string match_key(std::string_view text);

/// What one folded word stands for when it is teencode ("ko" -> "khong", "sdt" -> "so dien
/// thoai"); the word itself otherwise. match_key() word by word, for callers that fold once.
std::string_view expand_word(std::string_view folded_word);

/// One option: its label and synonyms, in any language, with or without diacritics.
struct match_option {
    std::vector<std::string> phrases;
};

enum class match_kind {
    none,    ///< nothing matched
    unique,  ///< exactly one option is best: `indices` has one element
    tie,     ///< several options share the best rank: `indices` lists them, in option order
};

struct match_result {
    match_kind kind = match_kind::none;
    std::vector<std::size_t> indices;
    /// The best options matched the whole message (accented or folded), not a phrase inside it.
    bool whole = false;
    /// Words of the option phrase that matched (of the message, when the message was found
    /// inside a phrase): a message much longer than this is more than a pick of the option.
    std::size_t words = 0;
};

/// Ranks `options` against `input` as described above. Numbers are not interpreted here; see
/// match_number().
match_result match_options(std::string_view input, const std::vector<match_option>& options);

/// "2", "số 2", "chọn 2", "#2", "option 2" -> 1 (zero-based) when 1 <= n <= count.
std::optional<std::size_t> match_number(std::string_view input, std::size_t count);

/// True when the whole message, folded and expanded, equals one of the phrases (commands such as
/// "huỷ" must not fire on a description that merely contains the word).
bool matches_whole(std::string_view input, const std::vector<std::string>& phrases);

/// matches_whole() for a message whose match_key() the caller already made: one message
/// checked against several lists (commands) folds once.
bool key_matches_whole(const std::string& key, const std::vector<std::string>& phrases);

}  // namespace dgw::core
