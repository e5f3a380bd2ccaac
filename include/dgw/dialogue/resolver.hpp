#pragma once
/// Free text -> communes: the dialogue implementation of core::locality_lookup, which the flow
/// engine is given for `locality` answers.
///
/// Matches current names, former commune names and former district names ("huyện Bảo Thắng"
/// offers every commune that took part of it), with or without diacritics, with or without a
/// prefix (xã, phường, thị trấn, tt, p., h., huyện, thị xã, tx, thành phố, tp), with small typos,
/// and inside a longer sentence ("tôi ở xã Phong Niên"). GPS cannot stand in for this without
/// boundary data: the caller stores a location and still asks for the commune.

#include <dgw/core/locality.hpp>
#include <dgw/dialogue/config.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace dgw::dialogue {

class locality_resolver final : public core::locality_lookup {
public:
    /// Builds the name index from the config's units of `level` (by default "commune").
    /// The resolver copies what it needs; `config` need not outlive it.
    explicit locality_resolver(const dialogue_config& config, std::string level = "commune");

    /// Best first; at most `max_candidates` unless one former district spans more communes.
    /// `unique` when the best is confident (>= 0.8) and clearly ahead (by >= 0.1) of the next.
    result resolve(std::string_view text) const override;
    std::vector<core::locality_candidate> by_code(std::string_view code) const override;

    /// The communes a whole message names ("đường vào thôn Cốc San, xã Bát Xát bị sạt lở"),
    /// stricter than resolve(), which reads the answer to "which commune?": in a sentence, a
    /// name without a prefix counts only when spelt exactly, and the config's common names
    /// ("Trung Tâm", "Lào Cai") only after a prefix. Reads up to 120 words.
    result find_in(std::string_view text) const;

    static constexpr std::size_t max_candidates = 12;

private:
    enum class kind { current, former_commune, former_district };
    struct entry {
        std::string folded;     ///< name without prefix, folded: "bao thang"
        std::string marked;     ///< same with diacritics kept: "bảo thắng"
        std::string squashed;   ///< folded without spaces: "baothang"
        std::size_t words = 0;  ///< words in `folded`
        kind what;
        bool town = false;                 ///< a former "Thị trấn"
        std::string name;                  ///< the unit's name as configured
        std::vector<std::size_t> targets;  ///< indexes into units_
        std::string why;
        std::array<std::uint8_t, 26> letters{};  ///< how many of each letter `squashed` has
    };
    struct target {
        std::string code;
        std::string name;
    };
    struct options {
        std::size_t max_tokens;
        bool in_sentence;
    };
    result run(std::string_view text, const options& opt) const;

    std::vector<target> units_;
    std::vector<entry> entries_;
    std::size_t max_words_ = 0;
    /// Entries by their squashed name, for the exact lookups of find_in().
    std::unordered_map<std::string, std::vector<std::size_t>> by_squashed_;
    /// Per entry: a common word that counts in a message only after a prefix.
    std::vector<bool> common_entry_;
};

}  // namespace dgw::dialogue
