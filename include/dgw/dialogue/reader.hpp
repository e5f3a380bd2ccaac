#pragma once
/// Reading a citizen's message: the dialogue implementation of core::message_reader.
///
/// "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc" is read as a concern
/// about roads in Xã Bát Xát, urgent (sạt lở); "alo có ai không" as a greeting; "tra cứu
/// LC-7K4M2" as a status question with its reference. Everything it knows comes from the
/// dialogue configuration: topic words, the reading vocabulary, communes and their former names,
/// urgent keywords and the reference prefix. Pure and thread-safe once built.
///
/// How a topic is decided: each configured word found in the message (folded, teencode
/// expanded, one typo allowed in a word of 5+ letters; where both sides have diacritics they
/// must agree) scores its number of syllables, the first one found half as much again (a
/// complaint names its subject first); a phrase inside a longer one found does not count ("nước"
/// inside "nước thải"), nor do the words of the commune's name. The best topic is sure when no
/// other scored, or when it scored at least 1.5 times the next; otherwise the flow asks with
/// the likeliest ones as buttons.

#include <dgw/core/reading.hpp>
#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/resolver.hpp>

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dgw::dialogue {

class concern_reader final : public core::message_reader {
public:
    /// Copies what it needs from `config`, which need not outlive the reader.
    explicit concern_reader(const dialogue_config& config);

    core::message_reading read(std::string_view text) const override;

    /// At most this many topics are suggested when the best one is unsure.
    static constexpr std::size_t max_topics = 3;

private:
    struct phrase {
        std::vector<std::string> key;     ///< folded, teencode expanded
        std::vector<std::string> marked;  ///< with diacritics, per word; empty when not aligned
        std::string original;             ///< as configured
        std::size_t owner = 0;            ///< topic index, or list id
    };
    struct word {
        std::string key;     ///< folded, teencode expanded
        std::string marked;  ///< as typed, lower case with diacritics; empty for an expansion
    };
    struct hit {
        std::size_t phrase, begin, end;
    };
    /// Phrases by their first word, so a message is compared only with those it may start.
    struct phrase_list {
        std::vector<phrase> all;
        std::unordered_map<std::string, std::vector<std::size_t>> by_first;
        std::vector<std::size_t> loose;  ///< first word long enough to be misspelt
        const phrase& operator[](std::size_t i) const { return all[i]; }
    };
    static phrase_list index(std::vector<phrase> all);

    static std::vector<word> words_of(std::string_view text);
    static std::vector<phrase> phrases_of(const language_words& words, std::size_t owner);
    static bool matches_at(const std::vector<word>& text, std::size_t at, const phrase& p);
    /// Non-overlapping hits, longest phrases first.
    static std::vector<hit> find(const std::vector<word>& text, const phrase_list& list);

    /// `place`: the words that are a commune's name, not counted as topic words.
    void read_topics(const std::vector<word>& text, const std::vector<bool>& place,
                     core::message_reading& out) const;
    static std::vector<bool> place_words(const std::vector<word>& text,
                                         const core::locality_lookup::result& where);
    std::string find_reference(std::string_view text) const;
    std::string language_of(const std::vector<word>& words) const;

    std::vector<std::string> topic_ids_;
    phrase_list topic_phrases_;
    phrase_list greeting_, filler_, about_, status_, problem_;
    std::vector<std::string> english_;  ///< folded
    locality_resolver resolver_;
    urgent_detector urgent_;
    std::string reference_prefix_;
};

}  // namespace dgw::dialogue
