#include "dgw/dialogue/reader.hpp"

#include <dgw/core/match.hpp>
#include <dgw/core/telex.hpp>
#include <dgw/core/text.hpp>

#include <algorithm>
#include <map>
#include <numeric>

namespace dgw::dialogue {
namespace {

// A message this long is a description, not a command or a greeting: "tra cứu" inside it does
// not make it a status question.
constexpr std::size_t command_extra_words = 3;
// A sentence of this many words that is no greeting, no question about the service and no
// status question is taken as a concern even without a topic word: the flow then asks the topic.
constexpr std::size_t sentence_words = 5;
// The first topic word found counts this much more than the others (the subject comes first).
constexpr double first_weight = 1.5;
// The best topic is taken without asking when it scored this many times the next one.
constexpr double sure_ratio = 1.5;

bool has_digit(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_letter(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

void add_unique(std::vector<std::string>& list, const std::string& s) {
    if (std::find(list.begin(), list.end(), s) == list.end()) list.push_back(s);
}

}  // namespace

std::vector<concern_reader::word> concern_reader::words_of(std::string_view text) {
    std::vector<word> out;
    auto marked = core::tokens(core::fold_keep_marks(text));
    auto folded = core::tokens(core::fold(text));
    // The two foldings split the same words, but for a lone mark or symbol one of them drops:
    // then each word is folded on its own.
    if (folded.size() != marked.size()) {
        folded.clear();
        for (const auto& m : marked) folded.push_back(core::fold(m));
    }
    for (std::size_t i = 0; i < marked.size(); ++i) {
        const std::string_view e = core::expand_word(folded[i]);
        if (e == folded[i]) {
            out.push_back({std::move(folded[i]), std::move(marked[i])});
            continue;
        }
        // Teencode ("ko", "sdt") expands to words the citizen did not type with marks.
        for (auto& x : core::tokens(e)) out.push_back({std::move(x), std::string()});
    }
    return out;
}

std::vector<concern_reader::phrase> concern_reader::phrases_of(const language_words& words,
                                                              std::size_t owner) {
    std::vector<phrase> out;
    for (const auto& [lang, list] : words)
        for (const auto& w : list) {
            phrase p;
            p.original = w;
            p.owner = owner;
            for (auto& x : words_of(w)) {
                p.key.push_back(std::move(x.key));
                p.marked.push_back(std::move(x.marked));
            }
            if (!p.key.empty()) out.push_back(std::move(p));
        }
    return out;
}

bool concern_reader::matches_at(const std::vector<word>& text, std::size_t at, const phrase& p) {
    if (at + p.key.size() > text.size()) return false;
    for (std::size_t j = 0; j < p.key.size(); ++j) {
        const word& w = text[at + j];
        const std::string& k = p.key[j];
        if (w.key != k) {
            // One typo in a word of 6+ letters of a longer phrase ("benh vienn" is "bệnh
            // viện"). Shorter syllables one letter apart are different words ("khong"/"phong",
            // "tường" wall/"đường" road), so a phrase of one syllable must be spelt right too.
            if (p.key.size() < 2 || w.key.size() < 6 || k.size() < 6 ||
                core::edit_distance_within(w.key, k, 1) > 1)
                return false;
            continue;
        }
        // A short word with diacritics on both sides must agree ("đất" is not "đặt", "điện" is
        // not "diễn"); a long one typed with a slip of the accent ("đuờng") is still the word.
        const std::string& pm = p.marked[j];
        if (k.size() <= 4 && !w.marked.empty() && w.marked != w.key && !pm.empty() && pm != k &&
            w.marked != pm)
            return false;
    }
    return true;
}

concern_reader::phrase_list concern_reader::index(std::vector<phrase> all) {
    phrase_list list;
    list.all = std::move(all);
    for (std::size_t i = 0; i < list.all.size(); ++i) {
        const phrase& p = list.all[i];
        // matches_at() forgives a typo only in a word of 6+ letters of a longer phrase.
        if (p.key.size() >= 2 && p.key[0].size() >= 6)
            list.loose.push_back(i);
        else
            list.by_first[p.key[0]].push_back(i);
    }
    return list;
}

std::vector<concern_reader::hit> concern_reader::find(const std::vector<word>& text,
                                                      const phrase_list& list) {
    std::vector<hit> all;
    auto try_at = [&](std::size_t i, std::size_t at) {
        const phrase& p = list.all[i];
        if (at + p.key.size() <= text.size() && matches_at(text, at, p))
            all.push_back({i, at, at + p.key.size()});
    };
    for (std::size_t at = 0; at < text.size(); ++at) {
        if (auto f = list.by_first.find(text[at].key); f != list.by_first.end())
            for (std::size_t i : f->second) try_at(i, at);
        for (std::size_t i : list.loose) try_at(i, at);
    }
    // A phrase inside a longer one found is not counted on its own ("nước" inside "nước
    // thải"); phrases that only share a word both count: unaccented, "khong co bac si" reads
    // "cờ bạc" and "bác sĩ", and the longer context decides.
    std::vector<hit> taken;
    for (const auto& h : all) {
        const bool inside = std::any_of(all.begin(), all.end(), [&](const hit& t) {
            return t.end - t.begin > h.end - h.begin && t.begin <= h.begin && h.end <= t.end;
        });
        if (!inside) taken.push_back(h);
    }
    std::stable_sort(taken.begin(), taken.end(),
                     [](const hit& a, const hit& b) { return a.begin < b.begin; });
    return taken;
}

concern_reader::concern_reader(const dialogue_config& config)
    : resolver_(config), urgent_(config.urgent), reference_prefix_(config.reference_prefix) {
    std::vector<phrase> topics;
    for (const auto& t : config.topics) {
        if (t.words.empty()) continue;
        const std::size_t owner = topic_ids_.size();
        topic_ids_.push_back(t.id);
        auto p = phrases_of(t.words, owner);
        topics.insert(topics.end(), p.begin(), p.end());
    }
    topic_phrases_ = index(std::move(topics));
    const auto& r = config.reading;
    greeting_ = index(phrases_of(r.greeting, 0));
    filler_ = index(phrases_of(r.filler, 0));
    about_ = index(phrases_of(r.about, 0));
    status_ = index(phrases_of(r.status, 0));
    problem_ = index(phrases_of(r.problem, 0));
    for (const auto& e : r.english) english_.push_back(core::fold(e));
}

void concern_reader::read_topics(const std::vector<word>& text, const std::vector<bool>& place,
                                 core::message_reading& out) const {
    std::vector<double> score(topic_ids_.size(), 0.0);
    std::vector<std::vector<std::string>> words(topic_ids_.size());
    // Per topic, the words its phrases cover (two phrases sharing a word count it once).
    std::vector<std::vector<bool>> covered(topic_ids_.size(), std::vector<bool>(text.size()));
    bool first_hit = true;
    for (const auto& h : find(text, topic_phrases_)) {
        // Words of the commune's name are not topic words ("Mường Hum" is no "mương").
        bool in_place = false;
        for (std::size_t i = h.begin; i < h.end; ++i) in_place = in_place || place[i];
        if (in_place) continue;
        const phrase& p = topic_phrases_[h.phrase];
        for (std::size_t i = h.begin; i < h.end; ++i) covered[p.owner][i] = true;
        // A complaint names its subject first; what it affects comes after ("cầu treo bị gãy,
        // học sinh phải lội suối" is about the bridge).
        if (first_hit)
            score[p.owner] += static_cast<double>(h.end - h.begin) * (first_weight - 1.0);
        first_hit = false;
        add_unique(words[p.owner], p.original);
    }
    for (std::size_t t = 0; t < topic_ids_.size(); ++t)
        score[t] += static_cast<double>(std::count(covered[t].begin(), covered[t].end(), true));
    std::vector<std::size_t> order(topic_ids_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
    const double total = std::accumulate(score.begin(), score.end(), 0.0);
    for (std::size_t i = 0; i < order.size() && i < max_topics; ++i) {
        const std::size_t t = order[i];
        if (score[t] <= 0) break;
        // Half a word of doubt: one word found is likely, not certain.
        out.topics.push_back({topic_ids_[t], score[t] / (total + 0.5), words[t]});
    }
    if (out.topics.empty()) return;
    const double first = score[order[0]];
    const double second = order.size() > 1 ? score[order[1]] : 0.0;
    out.topic_sure = second == 0 ? first >= 1 : first >= sure_ratio * second;
}

std::vector<bool> concern_reader::place_words(const std::vector<word>& text,
                                              const core::locality_lookup::result& where) {
    std::vector<bool> place(text.size(), false);
    for (const auto& c : where.candidates) {
        auto name = core::tokens(core::fold(c.matched));
        // The name without its kind ("Xã", "Phường", "Thị trấn", "Huyện").
        if (name.size() > 2 && ((name[0] == "thi" && (name[1] == "tran" || name[1] == "xa")) ||
                                (name[0] == "thanh" && name[1] == "pho")))
            name.erase(name.begin(), name.begin() + 2);
        else if (name.size() > 1 && (name[0] == "xa" || name[0] == "phuong" || name[0] == "huyen"))
            name.erase(name.begin());
        if (name.empty()) continue;
        for (std::size_t at = 0; at + name.size() <= text.size(); ++at) {
            bool all = true;
            for (std::size_t j = 0; all && j < name.size(); ++j) all = text[at + j].key == name[j];
            if (all)
                for (std::size_t j = 0; j < name.size(); ++j) place[at + j] = true;
        }
    }
    return place;
}

std::string concern_reader::find_reference(std::string_view text) const {
    const auto toks = core::tokens(core::fold(text));
    const std::string prefix = core::fold(reference_prefix_);
    auto parsed = [&](const std::string& candidate) -> std::string {
        auto r = parse_reference(candidate, reference_prefix_);
        return r ? r.value() : std::string();
    };
    for (std::size_t i = 0; i < toks.size(); ++i) {
        const std::string& t = toks[i];
        std::string found;
        if (t == prefix && i + 1 < toks.size() && toks[i + 1].size() == reference_length)
            found = parsed(toks[i + 1]);
        else if (t.size() == prefix.size() + reference_length && t.starts_with(prefix))
            found = parsed(t.substr(prefix.size()));
        // A bare five-character code must mix digits and letters: "nhanh" spells a reference.
        else if (t.size() == reference_length && has_digit(t) && has_letter(t))
            found = parsed(t);
        if (!found.empty()) return found;
    }
    return {};
}

std::string concern_reader::language_of(const std::vector<word>& words) const {
    const bool marks = std::any_of(words.begin(), words.end(), [](const word& w) {
        return !w.marked.empty() && w.marked != w.key;
    });
    if (marks) return "vi";
    // Without diacritics, English shows in its words: the configured ones, and words no
    // Vietnamese syllable is spelt like ("road", "health"); place names ("Bat Xat") and
    // unaccented Vietnamese are syllables. Words that read as raw Telex keystrokes ("xax",
    // "days") tell nothing either way.
    std::size_t english = 0, vietnamese = 0, listed = 0;
    for (const auto& w : words) {
        if (std::all_of(w.key.begin(), w.key.end(), [](char c) { return c >= '0' && c <= '9'; }))
            continue;
        if (std::find(english_.begin(), english_.end(), w.key) != english_.end()) {
            ++english;
            ++listed;
        } else if (core::vietnamese_syllable(w.key)) {
            ++vietnamese;
        } else if (!core::telex_word(w.key)) {
            ++english;
        }
    }
    const bool enough = english >= 2 || (listed > 0 && vietnamese == 0);
    if (enough && 5 * english >= 2 * (english + vietnamese)) return "en";
    return english + vietnamese == 0 && words.empty() ? std::string() : std::string("vi");
}

core::message_reading concern_reader::read(std::string_view text) const {
    core::message_reading out;
    const auto words = words_of(text);
    const std::size_t n = words.size();
    if (n == 0) return out;
    out.lang = language_of(words);
    out.locality = resolver_.find_in(text);
    read_topics(words, place_words(words, out.locality), out);
    out.urgent = urgent_.find(text);
    out.reference = find_reference(text);

    // Typed with the Vietnamese keyboard off ("xax Tar Phinf"): read the keystrokes as the
    // letters they stand for, where the text as typed named no commune or topic for sure.
    if (out.lang != "en" && (!out.locality.unique || out.topics.empty())) {
        std::string telex = core::telex_decode(text);
        if (telex != text) {
            bool used = false;
            auto loc = resolver_.find_in(telex);
            if (!out.locality.unique && (loc.unique || out.locality.candidates.empty()) &&
                !loc.candidates.empty()) {
                out.locality = std::move(loc);
                used = true;
            }
            if (out.topics.empty()) {
                const auto decoded = words_of(telex);
                read_topics(decoded, place_words(decoded, out.locality), out);
                used = used || !out.topics.empty();
            }
            if (out.urgent.empty()) {
                out.urgent = urgent_.find(telex);
                used = used || !out.urgent.empty();
            }
            if (used) out.telex = std::move(telex);
        }
    }

    const auto greeting = find(words, greeting_);
    const auto filler = find(words, filler_);
    const auto about = find(words, about_);
    const auto status = find(words, status_);
    const auto problem = find(words, problem_);
    auto originals = [](const std::vector<hit>& hits, const phrase_list& list) {
        std::vector<std::string> w;
        for (const auto& h : hits) add_unique(w, list[h.phrase].original);
        return w;
    };
    // Every word is part of a greeting or of the words around one.
    std::vector<bool> said(n, false);
    for (const auto* hits : {&greeting, &filler})
        for (const auto& h : *hits)
            for (std::size_t i = h.begin; i < h.end; ++i) said[i] = true;
    const bool only_greeting =
        !greeting.empty() && std::all_of(said.begin(), said.end(), [](bool b) { return b; });
    const bool topical = !out.topics.empty() || !problem.empty() || !out.urgent.empty();
    std::size_t longest_status = 0;
    for (const auto& h : status) longest_status = std::max(longest_status, h.end - h.begin);

    using core::message_intent;
    if (!out.reference.empty()) {
        out.intent = message_intent::status;
        out.intent_words = {out.reference};
    } else if (only_greeting) {
        out.intent = message_intent::greeting;
        out.intent_words = originals(greeting, greeting_);
    } else if (!status.empty() && !topical && n <= longest_status + command_extra_words) {
        out.intent = message_intent::status;
        out.intent_words = originals(status, status_);
    } else if (!about.empty() && !topical) {
        out.intent = message_intent::about;
        out.intent_words = originals(about, about_);
    } else if (topical || n >= sentence_words) {
        out.intent = message_intent::concern;
        for (const auto& t : out.topics)
            for (const auto& w : t.words) add_unique(out.intent_words, w);
        for (const auto& w : originals(problem, problem_)) add_unique(out.intent_words, w);
        for (const auto& w : out.urgent) add_unique(out.intent_words, w);
    }
    return out;
}

}  // namespace dgw::dialogue
