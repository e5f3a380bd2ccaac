#include "dgw/dialogue/resolver.hpp"

#include <dgw/core/text.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

namespace dgw::dialogue {

namespace {

enum class hint { none, commune, town, district, province, village };

struct prefix {
    std::array<std::string_view, 2> words;  // second empty for one-word prefixes
    hint what;
};

// Administrative prefixes as citizens type them, folded. Two-word prefixes come first so that
// "thi xa" (a district-level town) is not read as "xa" (a commune).
constexpr std::array<prefix, 15> prefixes = {{
    {{"thi", "tran"}, hint::town},
    {{"thi", "xa"}, hint::district},
    {{"thanh", "pho"}, hint::district},
    {{"xa", ""}, hint::commune},
    {{"x", ""}, hint::commune},  // "x. Bát Xát"
    {{"phuong", ""}, hint::commune},
    {{"p", ""}, hint::commune},
    {{"tt", ""}, hint::town},
    {{"f", ""}, hint::commune},  // "f." is a common phone shorthand for phường
    {{"huyen", ""}, hint::district},
    {{"h", ""}, hint::district},
    {{"tx", ""}, hint::district},
    {{"tp", ""}, hint::district},
    {{"quan", ""}, hint::district},
    {{"tinh", ""}, hint::province},
}};

// Words before a village, hamlet or residential group inside a commune: the name after them is
// a village's, which often repeats an old commune's ("thôn Cốc San, xã Bát Xát" is in Bát Xát).
constexpr std::array<std::string_view, 6> village_words = {"thon", "ban", "to",
                                                           "xom",  "khu", "lang"};

// English puts the kind after the name: "Ta Phin commune", "Bat Xat district".
std::pair<hint, bool> suffix_after(const std::vector<std::string>& toks, std::size_t end) {
    if (end >= toks.size()) return {hint::none, false};
    const auto& t = toks[end];
    if (t == "commune" || t == "ward" || t == "village") return {hint::commune, true};
    if (t == "district" || t == "town") return {hint::district, true};
    return {hint::none, false};
}

/// Drops a leading administrative prefix from a folded, tokenised official name.
std::vector<std::string> strip_prefix(std::vector<std::string> toks) {
    for (const auto& p : prefixes) {
        const std::size_t n = p.words[1].empty() ? 1 : 2;
        if (toks.size() > n && toks[0] == p.words[0] && (n == 1 || toks[1] == p.words[1])) {
            toks.erase(toks.begin(), toks.begin() + static_cast<std::ptrdiff_t>(n));
            return toks;
        }
    }
    return toks;
}

/// The prefix just before token `i`, if any, and how many tokens it spans.
std::pair<hint, std::size_t> prefix_before(const std::vector<std::string>& toks, std::size_t i) {
    for (const auto& p : prefixes) {
        const std::size_t n = p.words[1].empty() ? 1 : 2;
        if (i < n) continue;
        if (n == 1 && toks[i - 1] == p.words[0]) return {p.what, 1};
        if (n == 2 && toks[i - 2] == p.words[0] && toks[i - 1] == p.words[1]) return {p.what, 2};
    }
    if (i >= 1 && std::find(village_words.begin(), village_words.end(), toks[i - 1]) !=
                      village_words.end())
        return {hint::village, 1};
    return {hint::none, 0};
}

// Whether the word before a name says commune or ward ("xã" / "phường"): a former "Xã Trung Tâm"
// is not what "phường Trung Tâm" means, nor the former town "Thị trấn Khánh Yên" what "xã Khánh
// Yên" means.
enum class unit_word { other, commune, ward, town };

unit_word typed_unit(const std::vector<std::string>& toks, std::size_t i) {
    if (i == 0) return unit_word::other;
    const std::string& w = toks[i - 1];
    if (w == "xa" || w == "x")  // not the "xã" of "thị xã"
        return i >= 2 && toks[i - 2] == "thi" ? unit_word::other : unit_word::commune;
    if (w == "phuong" || w == "p" || w == "f") return unit_word::ward;
    return unit_word::other;
}

unit_word named_unit(std::string_view configured_name) {
    const std::string f = core::fold(configured_name);
    if (f.rfind("xa ", 0) == 0) return unit_word::commune;
    if (f.rfind("phuong ", 0) == 0) return unit_word::ward;
    if (f.rfind("thi tran ", 0) == 0) return unit_word::town;
    return unit_word::other;
}

// What the words around a window of `len` words at `i` say it is: the kind its prefix (or an
// English suffix) names, how many words the prefix takes, whether the suffix is English.
struct words_around {
    hint kind = hint::none;
    std::size_t prefix = 0;
    bool english = false;
};

words_around around_window(const std::vector<std::string>& toks, std::size_t i, std::size_t len) {
    const auto [h, plen] = prefix_before(toks, i);
    const auto [after, english] = suffix_after(toks, i + len);
    // An administrative word on either side beats a village word before the name ("to Ta Phin
    // commune" is not the residential group "tổ Ta Phin").
    const hint kind = h != hint::none && h != hint::village ? h : after != hint::none ? after : h;
    return {kind, plen, english};
}

// "ở Bát Xát", "tại xã ...": a place word just before a name (or before its prefix).
bool after_place_word(const std::vector<std::string>& toks, std::size_t i) {
    static constexpr std::array<std::string_view, 7> words = {"o", "tai", "thuoc", "in",
                                                              "at", "near", "gan"};
    return i >= 1 && std::find(words.begin(), words.end(), toks[i - 1]) != words.end();
}

std::string join(const std::vector<std::string>& toks, std::size_t from, std::size_t to,
                 std::string_view sep) {
    std::string out;
    for (std::size_t i = from; i < to; ++i) {
        if (i > from) out += sep;
        out += toks[i];
    }
    return out;
}

/// Typos allowed for a name of this many letters: none for very short names, which would
/// otherwise match ordinary words in a sentence.
std::size_t allowed_edits(std::size_t letters) {
    if (letters >= 10) return 2;
    if (letters >= 5) return 1;
    return 0;
}

std::vector<std::string> split_spaces(std::string_view s) { return core::tokens(s); }

using letter_counts = std::array<std::uint8_t, 26>;

letter_counts count_letters(std::string_view ascii) {
    letter_counts n{};
    for (char c : ascii)
        if (c >= 'a' && c <= 'z') ++n[static_cast<std::size_t>(c - 'a')];
    return n;
}

// A lower bound of the edit distance of two words from their letters alone: the letters one
// has more of, or the other, whichever is more. Much cheaper than the distance, and most names
// are told apart by it.
std::size_t letters_apart(const letter_counts& a, const letter_counts& b) {
    std::size_t more = 0, fewer = 0;
    for (std::size_t k = 0; k < a.size(); ++k) {
        if (a[k] > b[k]) more += static_cast<std::size_t>(a[k] - b[k]);
        else fewer += static_cast<std::size_t>(b[k] - a[k]);
    }
    return std::max(more, fewer);
}

}  // namespace

locality_resolver::locality_resolver(const dialogue_config& config, std::string level) {
    std::map<std::string, std::size_t> index_of;
    for (const auto& u : config.units) {
        if (u.level != level) continue;
        index_of[u.code] = units_.size();
        units_.push_back({u.code, u.name});
    }
    std::size_t max_words = 0;
    auto make_entry = [&max_words](std::string_view name, kind what, std::string why) {
        entry e;
        const auto all = split_spaces(core::fold(name));
        auto folded = strip_prefix(all);
        // The prefix is recognised on the folded form ("xã" folds to "xa"); drop as many
        // words from the accented form.
        auto marked = split_spaces(core::fold_keep_marks(name));
        if (marked.size() == all.size())
            marked.erase(marked.begin(),
                         marked.begin() + static_cast<std::ptrdiff_t>(all.size() - folded.size()));
        e.folded = join(folded, 0, folded.size(), " ");
        e.squashed = join(folded, 0, folded.size(), "");
        e.words = folded.size();
        max_words = std::max(max_words, e.words);
        e.marked = marked.size() == folded.size() ? join(marked, 0, marked.size(), " ") : "";
        e.what = what;
        e.town = core::fold(name).rfind("thi tran ", 0) == 0;
        e.why = std::move(why);
        e.name = std::string(name);
        e.letters = count_letters(e.squashed);
        return e;
    };
    // Former districts span several communes: one entry per district, keyed by its folded
    // name (the source spells "Thị Xã"/"Thị xã" both ways).
    std::map<std::string, std::size_t> district_entry;
    for (const auto& u : config.units) {
        auto it = index_of.find(u.code);
        if (it == index_of.end()) continue;
        entry cur = make_entry(u.name, kind::current, "current name");
        cur.targets.push_back(it->second);
        entries_.push_back(std::move(cur));
        for (const auto& f : u.former) {
            entry fe = make_entry(f.name, kind::former_commune,
                                  "former " + f.name + " (" + f.district + ")");
            fe.targets.push_back(it->second);
            entries_.push_back(std::move(fe));
            const std::string key = core::fold(f.district);
            auto d = district_entry.find(key);
            if (d == district_entry.end()) {
                district_entry[key] = entries_.size();
                entries_.push_back(
                    make_entry(f.district, kind::former_district, "former " + f.district));
                d = district_entry.find(key);
            }
            auto& targets = entries_[d->second].targets;
            if (std::find(targets.begin(), targets.end(), it->second) == targets.end())
                targets.push_back(it->second);
        }
    }
    max_words_ = max_words;
    std::vector<std::string> common;
    for (const auto& n : config.reading.common_names) {
        auto toks = strip_prefix(split_spaces(core::fold(n)));
        common.push_back(join(toks, 0, toks.size(), ""));
    }
    for (std::size_t idx = 0; idx < entries_.size(); ++idx) {
        const entry& e = entries_[idx];
        by_squashed_[e.squashed].push_back(idx);
        common_entry_.push_back(e.what != kind::former_district &&
                                std::find(common.begin(), common.end(), e.squashed) != common.end());
    }
}

std::vector<core::locality_candidate> locality_resolver::by_code(std::string_view code) const {
    for (const auto& u : units_)
        if (u.code == code) return {{u.code, u.name, 1.0, "official code", "", u.name}};
    return {};
}

core::locality_lookup::result locality_resolver::resolve(std::string_view text) const {
    // The answer to "which commune?" is a few words; a long message is a concern, not an
    // answer. Only its first words are read, which also bounds the work per message.
    return run(text, {40, false});
}

core::locality_lookup::result locality_resolver::find_in(std::string_view text) const {
    return run(text, {120, true});
}

core::locality_lookup::result locality_resolver::run(std::string_view text,
                                                     const options& opt) const {
    result out;
    const std::string folded = core::fold(text);
    if (folded.size() == 5 &&
        std::all_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        out.candidates = by_code(folded);
        out.unique = !out.candidates.empty();
        return out;
    }
    const std::size_t max_tokens = opt.max_tokens;
    auto toks = split_spaces(folded);
    auto marked_toks = split_spaces(core::fold_keep_marks(text));
    if (toks.size() > max_tokens) toks.resize(max_tokens);
    if (marked_toks.size() > max_tokens) marked_toks.resize(max_tokens);
    // Diacritics can only break ties when the citizen typed them.
    const bool has_marks = marked_toks.size() == toks.size() &&
                           join(marked_toks, 0, marked_toks.size(), " ") != folded;
    if (toks.empty()) return out;

    // The best reading of the text for each name: where it matched and how well.
    struct match {
        const entry* e;
        double score;
        std::size_t begin, end;  // matched tokens
        std::size_t prefix;      // prefix tokens just before `begin`
        std::size_t edits;
        bool against_prefix;  // under a prefix of the other kind ("huyện" before a commune)
        bool named;           // under an agreeing administrative prefix (or English suffix)
    };
    std::vector<match> matches;

    // Every run of words without spaces ("batxat"), computed once; a window may be one word
    // longer than the longest name.
    const std::size_t max_window = max_words_ + 1;
    struct window {
        std::string squashed;
        bool ascii;
        letter_counts letters;
    };
    std::vector<std::vector<window>> windows(max_window + 1);  // [len][start]
    for (std::size_t len = 1; len <= max_window; ++len)
        for (std::size_t i = 0; i + len <= toks.size(); ++i) {
            std::string w = join(toks, i, i + len, "");
            const bool ascii =
                std::all_of(w.begin(), w.end(), [](char ch) { return (ch & 0x80) == 0; });
            const letter_counts letters = count_letters(w);
            windows[len].push_back({std::move(w), ascii, letters});
        }

    // The best reading of each name, kept in the order of entries_ (ties go to the first).
    std::vector<std::optional<match>> tops(entries_.size());
    auto consider = [&](std::size_t idx, std::size_t len, std::size_t i, std::size_t d,
                        const words_around& around) {
        const entry& e = entries_[idx];
        const std::size_t k = e.words;
        const hint kind_hint = around.kind;
        const bool admin = kind_hint != hint::none && kind_hint != hint::village;
        // In a sentence, ordinary words look like names: a name without a prefix must be spelt
        // right (or stand where a place is expected), and a common one needs its prefix.
        if (opt.in_sentence && !admin) {
            if (common_entry_[idx]) return;
            // A misspelt name counts where a place is expected: first ("Bac Haa: mất điện")
            // or after "ở"/"tại".
            if (d > 0 && i > 0 && !after_place_word(toks, i)) return;
            // Typed with diacritics that are not the name's: another word ("văn hoá" is
            // culture, not Vạn Hòa).
            if (has_marks && !e.marked.empty() && len == k) {
                const std::string typed = join(marked_toks, i, i + len, " ");
                if (typed != join(toks, i, i + len, " ") && typed != e.marked) return;
            }
        }
        // A former name is still what many people say: one spelt like a current one elsewhere
        // ("Trạm Tấu", the former town now in Hạnh Phúc) stays a question, unless a prefix or
        // "cũ" (below) tells which.
        double s = e.what == kind::current          ? 1.0
                   : e.what == kind::former_commune ? 0.93
                                                    : 0.8;
        s -= 0.08 * static_cast<double>(d);
        if (has_marks && !e.marked.empty() && len == k) {
            // An exact accented match beats a folded one ("Sa Pả" vs "Sa Pa").
            s += join(marked_toks, i, i + len, " ") == e.marked ? 0.03 : -0.05;
        }
        bool against = false;
        if (kind_hint == hint::province) {
            s *= 0.5;  // "tỉnh Lào Cai" names the province, not Phường Lào Cai
            against = true;
        } else if (kind_hint == hint::village) {
            s *= 0.6;  // "thôn Cốc San" is a village, whatever commune it is in
        } else if (kind_hint == hint::town && e.what != kind::former_district) {
            // Towns (thị trấn) were abolished in July 2025: "tt Khánh Yên" means the former
            // town, not the current commune of the same name.
            s = e.town ? s + 0.1 : s * 0.9;
        } else if (kind_hint != hint::none) {
            const bool district = e.what == kind::former_district;
            against = (kind_hint == hint::district) != district;
            s = against ? s * 0.85 : s + 0.05;
        }
        const unit_word typed = typed_unit(toks, i);
        if (typed != unit_word::other && e.what != kind::former_district) {
            const unit_word named = named_unit(e.name);
            if (named != unit_word::other) s = named == typed ? s + 0.02 : s * 0.9;
        }
        // "xã Phong Niên cũ": the citizen says it is a former unit.
        const std::size_t after_name = i + len + (around.english ? 1 : 0);
        if (after_name < toks.size() && toks[after_name] == "cu")
            s = e.what == kind::current ? s * 0.9 : s + 0.1;
        // Words around the name ("tôi ở ...") make it a little less certain.
        if (len + around.prefix < toks.size()) s *= 0.97;
        auto& top = tops[idx];
        if (!top || s > top->score)
            top = match{&e, s, i, i + len, around.prefix, d, against, admin && !against};
    };

    for (std::size_t len = 1; len <= max_window; ++len) {
        for (std::size_t i = 0; i + len <= toks.size(); ++i) {
            const window& w = windows[len][i];
            const words_around around = around_window(toks, i, len);
            // In a sentence only names where a place is expected (first, after "ở"/"tại",
            // next to xã/phường/huyện) may be misspelt; elsewhere an exact spelling is looked
            // up, which keeps a long message from being compared letter by letter with every
            // name (the same readings, a fraction of the work).
            const bool admin = around.kind != hint::none && around.kind != hint::village;
            if (opt.in_sentence && !admin && i > 0 && !after_place_word(toks, i)) {
                auto exact = by_squashed_.find(w.squashed);
                if (exact == by_squashed_.end()) continue;
                for (std::size_t idx : exact->second)
                    if (len <= entries_[idx].words + 1) consider(idx, len, i, 0, around);
                continue;
            }
            for (std::size_t idx = 0; idx < entries_.size(); ++idx) {
                const entry& e = entries_[idx];
                if (e.squashed.empty() || len > e.words + 1) continue;
                const std::size_t allowed = allowed_edits(e.squashed.size());
                // Folded names are ASCII, so for an ASCII window the length difference is a
                // lower bound of the edit distance: skip the distance when it cannot match.
                const std::size_t diff = w.squashed.size() > e.squashed.size()
                                             ? w.squashed.size() - e.squashed.size()
                                             : e.squashed.size() - w.squashed.size();
                if (w.ascii && (diff > allowed || letters_apart(w.letters, e.letters) > allowed))
                    continue;
                const std::size_t d = core::edit_distance_within(w.squashed, e.squashed, allowed);
                if (d <= allowed) consider(idx, len, i, d, around);
            }
        }
    }
    for (auto& t : tops)
        if (t) matches.push_back(*t);

    // "thôn Cốc San, xã Bát Xát": a name the citizen put after "xã"/"phường"/"huyện" outranks
    // a bare one; two named ones remain a question.
    const bool any_named = std::any_of(matches.begin(), matches.end(), [](const match& m) {
        return m.named && m.score >= 0.8;
    });
    if (any_named)
        for (auto& m : matches)
            if (!m.named && m.e->what != kind::former_district) m.score *= 0.85;

    auto overlap = [](std::size_t b1, std::size_t e1, std::size_t b2, std::size_t e2) {
        return b1 < e2 && b2 < e1;
    };
    // Several names can read the same words. An exact reading beats a typo reading of them
    // ("bao ha" is Bảo Hà, not Bắc Hà misspelt); a longer name beats one inside it ("Tả Van Chư"
    // is not "Tả Van"); and words that are another name's prefix are not a name ("thị trấn
    // Yên Thế" does not mention Trấn Yên).
    std::vector<double> factor(matches.size(), 1.0);
    for (std::size_t a = 0; a < matches.size(); ++a) {
        const match& ma = matches[a];
        for (std::size_t b = 0; b < matches.size(); ++b) {
            const match& mb = matches[b];
            if (a == b || mb.score < 0.7) continue;
            if (mb.edits == 0 && ma.edits > 0 && overlap(ma.begin, ma.end, mb.begin, mb.end))
                factor[a] = std::min(factor[a], 0.75);
            if (mb.edits <= ma.edits && mb.begin <= ma.begin && ma.end <= mb.end &&
                mb.end - mb.begin > ma.end - ma.begin)
                factor[a] = std::min(factor[a], 0.8);
            if (mb.prefix > 0 && overlap(ma.begin, ma.end, mb.begin - mb.prefix, mb.begin) &&
                mb.edits <= ma.edits)
                factor[a] = std::min(factor[a], 0.7);
        }
    }
    for (std::size_t a = 0; a < matches.size(); ++a) matches[a].score *= factor[a];

    // "xã Phong Niên, huyện Bảo Thắng": a district named in other words of the text confirms
    // the commune inside it and demotes same-named communes elsewhere.
    std::vector<bool> in_district(units_.size(), false);
    std::vector<const match*> confirming;  // district readings that confirmed a commune
    for (const auto& m : matches) {
        if (m.e->what == kind::former_district || m.score < 0.7 || m.against_prefix) continue;
        for (const auto& dm : matches) {
            // A district under a commune's prefix ("xã Bát Xát") is that commune, not the
            // district around another commune named alongside it.
            if (dm.e->what != kind::former_district || dm.score < 0.6 || dm.against_prefix ||
                overlap(m.begin, m.end, dm.begin, dm.end))
                continue;
            confirming.push_back(&dm);
            for (std::size_t t : dm.e->targets) in_district[t] = true;
        }
    }
    const bool confirmed = !confirming.empty();
    // Words read as the confirming district are not also a commune name ("Phong Niên Bảo
    // Thắng" is not Xã Bảo Thắng).
    auto reads_district = [&](const match& m) {
        return std::any_of(confirming.begin(), confirming.end(), [&](const match* dm) {
            return overlap(m.begin, m.end, dm->begin, dm->end);
        });
    };

    struct hit {
        double score = 0;
        const entry* via = nullptr;
    };
    std::vector<hit> best(units_.size());
    for (const auto& m : matches) {
        for (std::size_t t : m.e->targets) {
            double sc = m.score;
            if (confirmed)
                sc = m.e->what == kind::former_district ? sc * 0.8
                     : reads_district(m)                ? sc * 0.8
                     : in_district[t]                   ? sc + 0.05
                                                        : sc - 0.15;
            if (sc > best[t].score) best[t] = {sc, m.e};
        }
    }

    // Ranked and judged on raw scores (bonuses can pass 1.0); confidences are clamped to 0..1
    // only for the caller.
    std::vector<std::size_t> order;
    for (std::size_t t = 0; t < best.size(); ++t)
        if (best[t].via && best[t].score >= 0.5) order.push_back(t);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (best[a].score != best[b].score) return best[a].score > best[b].score;
        return units_[a].code < units_[b].code;
    });
    if (order.size() > max_candidates) order.resize(max_candidates);
    for (std::size_t t : order) {
        const entry* via = best[t].via;
        std::string former;
        if (via->what == kind::former_commune &&
            core::fold(via->name) != core::fold(units_[t].name))
            former = via->name;
        out.candidates.push_back({units_[t].code, units_[t].name,
                                  std::clamp(best[t].score, 0.0, 1.0), via->why, former,
                                  via->name});
    }
    if (!order.empty()) {
        const double first = best[order[0]].score;
        const double second = order.size() > 1 ? best[order[1]].score : 0.0;
        out.unique = first >= 0.8 && first - second >= 0.1 - 1e-9;
    }
    return out;
}

}  // namespace dgw::dialogue
