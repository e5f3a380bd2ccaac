#include "dgw/core/telex.hpp"

#include "dgw/core/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace dgw::core {
namespace {

// A letter of a syllable: its ASCII base and the mark Telex added to it.
enum class mark : std::uint8_t { none, hat, breve, horn, stroke };

struct letter {
    char base;
    mark m = mark::none;
    bool operator==(const letter&) const = default;
};

bool is_vowel(char c) {
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

char32_t code_point(const letter& l, bool upper) {
    auto pick = [upper](char32_t lo, char32_t up) { return upper ? up : lo; };
    switch (l.m) {
        case mark::hat:
            if (l.base == 'a') return pick(U'\u00E2', U'\u00C2');
            if (l.base == 'e') return pick(U'\u00EA', U'\u00CA');
            return pick(U'\u00F4', U'\u00D4');
        case mark::breve:
            return pick(U'\u0103', U'\u0102');
        case mark::horn:
            return l.base == 'o' ? pick(U'\u01A1', U'\u01A0') : pick(U'\u01B0', U'\u01AF');
        case mark::stroke:
            return pick(U'\u0111', U'\u0110');
        case mark::none:
            break;
    }
    return static_cast<char32_t>(upper ? l.base - 'a' + 'A' : l.base);
}

// The combining mark of each tone key: sắc, huyền, hỏi, ngã, nặng.
char32_t tone_mark(char key) {
    switch (key) {
        case 's': return U'\u0301';
        case 'f': return U'\u0300';
        case 'r': return U'\u0309';
        case 'x': return U'\u0303';
        case 'j': return U'\u0323';
        default: return 0;
    }
}

// Keystrokes -> letters: "dd" -> đ, "aa" ee" "oo" -> â ê ô, "aw" -> ă, "ow" "uw" -> ơ ư,
// "uow" -> ươ, a lone "w" -> ư.
std::vector<letter> letters_of(std::string_view w) {
    std::vector<letter> out;
    std::size_t i = 0;
    if (w.starts_with("dd")) {
        out.push_back({'d', mark::stroke});
        i = 2;
    }
    while (i < w.size()) {
        const std::string_view rest = w.substr(i);
        if (rest.starts_with("uow")) {
            out.push_back({'u', mark::horn});
            out.push_back({'o', mark::horn});
            i += 3;
            continue;
        }
        static constexpr std::array<std::pair<std::string_view, letter>, 6> pairs{{
            {"aw", {'a', mark::breve}},
            {"ow", {'o', mark::horn}},
            {"uw", {'u', mark::horn}},
            {"aa", {'a', mark::hat}},
            {"ee", {'e', mark::hat}},
            {"oo", {'o', mark::hat}},
        }};
        bool paired = false;
        for (const auto& [keys, l] : pairs) {
            if (rest.starts_with(keys)) {
                out.push_back(l);
                i += 2;
                paired = true;
                break;
            }
        }
        if (paired) continue;
        out.push_back(w[i] == 'w' ? letter{'u', mark::horn} : letter{w[i]});
        ++i;
    }
    return out;
}

bool starts_with(const std::vector<letter>& ls, std::size_t at, std::string_view plain) {
    if (at + plain.size() > ls.size()) return false;
    for (std::size_t k = 0; k < plain.size(); ++k)
        if (ls[at + k] != letter{plain[k]}) return false;
    return true;
}

// Length of the initial consonant, or nothing when the letters cannot start a syllable.
std::optional<std::size_t> onset_length(const std::vector<letter>& ls) {
    if (!ls.empty() && ls[0].m == mark::stroke) return 1;
    static constexpr std::array<std::string_view, 26> onsets{
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu", "b", "c",
        "d",   "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",  "s",  "t",  "v", "x"};
    for (auto o : onsets) {
        if (!starts_with(ls, 0, o)) continue;
        // "gi" and "qu" are an onset only before another vowel ("gìn" is g + ìn).
        if ((o == "gi" || o == "qu") && (ls.size() <= 2 || !is_vowel(ls[2].base))) continue;
        return o.size();
    }
    if (!ls.empty() && is_vowel(ls[0].base)) return 0;
    return std::nullopt;
}

}  // namespace

std::optional<std::string> telex_word(std::string_view word) {
    if (word.size() < 2 || word.size() > 12) return std::nullopt;
    std::string w;
    for (char c : word) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c < 'a' || c > 'z') return std::nullopt;
        w += c;
    }
    const bool upper = word[0] >= 'A' && word[0] <= 'Z';
    // The tone key may come anywhere after the first vowel ("taasu" and "taaus" are both
    // "tấu"): no Vietnamese syllable has s, f, r, x or j after its vowel, so each is a key.
    char tone = 0;
    const auto first_vowel = w.find_first_of("aeiouyw", w.starts_with("dd") ? 2 : 0);
    if (first_vowel != std::string::npos) {
        std::string kept = w.substr(0, first_vowel + 1);
        for (std::size_t k = first_vowel + 1; k < w.size(); ++k) {
            if (tone_mark(w[k]) != 0)
                tone = w[k];
            else
                kept += w[k];
        }
        w = std::move(kept);
    }
    auto ls = letters_of(w);
    const bool marked = tone != 0 || std::any_of(ls.begin(), ls.end(), [](const letter& l) {
                            return l.m != mark::none;
                        });
    if (!marked) return std::nullopt;

    const auto onset = onset_length(ls);
    if (!onset) return std::nullopt;
    std::size_t v_end = *onset;
    while (v_end < ls.size() && is_vowel(ls[v_end].base)) ++v_end;
    const std::size_t vowels = v_end - *onset;
    if (vowels < 1 || vowels > 3) return std::nullopt;
    std::string final_;
    for (std::size_t k = v_end; k < ls.size(); ++k) {
        if (ls[k].m != mark::none) return std::nullopt;
        final_ += ls[k].base;
    }
    static constexpr std::array<std::string_view, 9> finals{"", "c", "ch", "m", "n",
                                                            "ng", "nh", "p", "t"};
    if (std::find(finals.begin(), finals.end(), final_) == finals.end()) return std::nullopt;
    // A syllable closed by a stop (c, ch, p, t) takes only the sắc or the nặng tone.
    const bool stop = final_ == "c" || final_ == "ch" || final_ == "p" || final_ == "t";
    if (stop && (tone == 'f' || tone == 'r' || tone == 'x')) return std::nullopt;

    // Where the tone goes: on the last vowel Telex marked (ươ takes it on ơ); else on the last
    // vowel before a final consonant; else the first of two vowels and the middle of three
    // (the traditional spelling the official unit names use: "Hòa", "Tỷ").
    std::size_t at = *onset;
    bool found = false;
    for (std::size_t k = *onset; k < v_end; ++k)
        if (ls[k].m != mark::none) at = k, found = true;
    if (!found) {
        if (!final_.empty())
            at = v_end - 1;
        else
            at = *onset + (vowels == 3 ? 1 : 0);
    }

    std::string out;
    for (std::size_t k = 0; k < ls.size(); ++k) {
        append_utf8(out, code_point(ls[k], upper && k == 0));
        if (k == at && tone != 0) append_utf8(out, tone_mark(tone));
    }
    return nfc(out);
}

bool vietnamese_syllable(std::string_view folded) {
    if (folded.empty() || folded.size() > 7) return false;
    std::vector<letter> ls;
    for (char c : folded) {
        if (c < 'a' || c > 'z') return false;
        ls.push_back({c});
    }
    const auto onset = onset_length(ls);
    if (!onset) return false;
    std::size_t v_end = *onset;
    while (v_end < ls.size() && is_vowel(ls[v_end].base)) ++v_end;
    const std::size_t vowels = v_end - *onset;
    if (vowels < 1 || vowels > 3) return false;
    static constexpr std::array<std::string_view, 9> finals{"", "c", "ch", "m", "n",
                                                            "ng", "nh", "p", "t"};
    return std::find(finals.begin(), finals.end(), folded.substr(v_end)) != finals.end();
}

std::string telex_decode(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto is_letter = [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        };
        if (!is_letter(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && is_letter(text[j])) ++j;
        // A run of letters glued to other bytes (digits, accented letters) is not a keystroke word.
        const bool glued = (i > 0 && static_cast<unsigned char>(text[i - 1]) >= 0x80) ||
                           (j < text.size() && (static_cast<unsigned char>(text[j]) >= 0x80 ||
                                                (text[j] >= '0' && text[j] <= '9')));
        const std::string_view word = text.substr(i, j - i);
        auto decoded = glued ? std::nullopt : telex_word(word);
        out += decoded ? *decoded : std::string(word);
        i = j;
    }
    return out;
}

}  // namespace dgw::core
