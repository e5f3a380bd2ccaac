#pragma once
/// Vietnamese typed with the Vietnamese keyboard switched off.
///
/// Phones and computers type Vietnamese with the Telex method: "xax" becomes "xã" once the
/// keyboard converts the keystrokes. With it switched off, citizens send the raw keystrokes
/// ("xax Tar Phinf" for "xã Tả Phìn"). These functions turn such words back into Vietnamese so
/// that the commune resolver and the topic reader can read them. Pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace dgw::core {

/// One word of raw Telex keystrokes ("Phinf", "dduwowngf", "tar") -> the Vietnamese syllable
/// ("Phìn", "đường", "tả"), or nothing when the word carries no Telex keystroke or does not
/// then spell a Vietnamese syllable. Only ASCII letters are decoded.
std::optional<std::string> telex_word(std::string_view word);

/// Whether a folded word (lower case ASCII, no diacritics) is spelt like a Vietnamese syllable:
/// an initial consonant, one to three vowels, a final consonant of the few Vietnamese has.
/// "thon", "nghieng", "qua" are; "road", "health", "is" are not (how English is told apart).
bool vietnamese_syllable(std::string_view folded);

/// Every word of `text` that telex_word() decodes, decoded; the rest, punctuation and spacing
/// kept as typed. Equal to `text` when nothing was decoded. Not for English text: "has" is also
/// a Telex spelling of "há", so the caller decides when to try this reading.
std::string telex_decode(std::string_view text);

}  // namespace dgw::core
