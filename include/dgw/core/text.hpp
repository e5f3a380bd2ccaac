#pragma once
/// Vietnamese-aware text normalisation shared by flow matching, the locality resolver and
/// agenda grouping. All functions are pure, thread-safe, and accept any bytes: invalid UTF-8
/// is replaced, never thrown on.

#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// Unicode NFC. Platforms send decomposed (NFD) Vietnamese from some keyboards; everything
/// stored or compared is NFC first. Invalid UTF-8 sequences become U+FFFD.
std::string nfc(std::string_view text);

/// NFC + Unicode case folding, diacritics kept ("Đường" -> "đường").
std::string lower(std::string_view text);

/// NFC, then every letter in capitals, diacritics kept ("Xã Bát Xát" -> "XÃ BÁT XÁT"), as the
/// headings of administrative documents write names.
std::string upper(std::string_view text);

/// The comparison key: NFC, case-folded, combining marks stripped, "đ" mapped to "d"
/// (it has no decomposition), punctuation turned into spaces, runs of white space collapsed,
/// trimmed. "Đường bị sạt lở!" -> "duong bi sat lo". Emoji and other symbols are dropped.
std::string fold(std::string_view text);

/// Like fold() but keeps the diacritics: the key for an exact accented match, which must
/// beat a folded one ("Sa Pa" vs "Sa Pả").
std::string fold_keep_marks(std::string_view text);

/// Splits an already folded string on spaces.
std::vector<std::string> tokens(std::string_view folded);

/// Levenshtein distance in code points between two UTF-8 strings.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The same distance when it is at most `limit`, and `limit + 1` when it is more: stops early,
/// which is what a search through many names needs.
std::size_t edit_distance_within(std::string_view a, std::string_view b, std::size_t limit);

/// Number of code points in valid UTF-8 (invalid bytes count one each).
std::size_t utf8_length(std::string_view text);

/// True when the bytes are valid UTF-8.
bool valid_utf8(std::string_view text);

/// The text with & < > " ' escaped, safe inside HTML text and quoted attributes.
std::string html_escape(std::string_view text);

}  // namespace dgw::core
