#include "dgw/core/match.hpp"

#include "dgw/core/text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace dgw::core {
namespace {

// Folded teencode token -> folded expansion. Only forms that are unambiguous in a citizen's
// reply to a bot: "bt" (biết / bình thường) or "v" (vậy / về) are left alone on purpose.
constexpr std::array<std::pair<std::string_view, std::string_view>, 46> teencode{{
    {"ko", "khong"},      {"k", "khong"},      {"kg", "khong"},        {"kh", "khong"},
    {"khg", "khong"},     {"hok", "khong"},    {"hong", "khong"},      {"hem", "khong"},
    {"khum", "khong"},    {"hk", "khong"},     {"dc", "duoc"},         {"dk", "duoc"},
    {"dx", "duoc"},       {"kq", "ket qua"},   {"oke", "ok"},          {"okie", "ok"},
    {"oki", "ok"},        {"okay", "ok"},      {"okey", "ok"},         {"uh", "u"},
    {"uk", "u"},          {"um", "u"},         {"uhm", "u"},           {"ukm", "u"},
    {"vg", "vang"},       {"j", "gi"},         {"ntn", "nhu the nao"}, {"sdt", "so dien thoai"},
    {"dt", "dien thoai"}, {"mn", "moi nguoi"}, {"vs", "voi"},          {"r", "roi"},
    {"ng", "nguoi"},      {"trc", "truoc"},    {"tks", "cam on"},      {"thx", "cam on"},
    {"camon", "cam on"},  {"tp", "thanh pho"}, {"tt", "thi tran"},     {"ubnd", "uy ban nhan dan"},
    {"mk", "minh"},       {"cx", "cung"},      {"vc", "viec"},         {"ns", "noi"},
    {"dg", "duong"},      {"qa", "qua"},
}};

// Emoji carry meaning in replies ("👍" is a yes); fold() would drop them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> emoji_words{{
    {"\xF0\x9F\x91\x8D", " ok "},     // 👍
    {"\xF0\x9F\x91\x8C", " ok "},     // 👌
    {"\xF0\x9F\x91\x8E", " khong "},  // 👎
    {"\xE2\x9D\x8C", " khong "},      // ❌
}};

std::string replace_emoji(std::string_view text) {
    std::string out(text);
    for (const auto& [emoji, word] : emoji_words) {
        for (std::size_t pos = out.find(emoji); pos != std::string::npos;
             pos = out.find(emoji, pos + word.size())) {
            out.replace(pos, emoji.size(), word);
        }
    }
    return out;
}

std::string expand(std::string_view folded) {
    std::string out;
    for (const auto& t : tokens(folded)) {
        if (!out.empty()) out += ' ';
        out += expand_word(t);
    }
    return out;
}

bool token_close(const std::string& a, const std::string& b) {
    if (a == b) return true;
    // A typo is only forgiven in long words: short Vietnamese syllables differ by one letter
    // far too often ("dat"/"dau", "co"/"cu").
    if (utf8_length(a) < 5 || utf8_length(b) < 5) return false;
    return edit_distance_within(a, b, 1) <= 1;
}

// Index of the first place `needle` occurs contiguously in `hay`, comparing with `eq`.
template <class Eq>
bool contains_run(const std::vector<std::string>& hay, const std::vector<std::string>& needle,
                  Eq eq) {
    if (needle.empty() || needle.size() > hay.size()) return false;
    for (std::size_t i = 0; i + needle.size() <= hay.size(); ++i) {
        bool all = true;
        for (std::size_t j = 0; j < needle.size() && all; ++j) all = eq(hay[i + j], needle[j]);
        if (all) return true;
    }
    return false;
}

bool exact_eq(const std::string& a, const std::string& b) { return a == b; }

// (tier, matched words, accented): compared lexicographically, larger is better.
using rank = std::tuple<int, std::size_t, int>;

struct prepared_input {
    std::string marks;                     // fold_keep_marks
    std::vector<std::string> mark_tokens;  // tokens of marks
    std::string key;                       // match_key
    std::vector<std::string> key_tokens;   // tokens of key
};

// The folded forms of an option phrase. Phrases come from the flow definitions, so the same
// few hundred are folded again for every message a citizen sends, and folding (Unicode
// normalisation) is most of the cost of matching: each thread keeps the forms it has made.
// Bounded, since callers may pass any text as a phrase.
const prepared_input& phrase_forms(std::string_view phrase) {
    struct hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    thread_local std::unordered_map<std::string, prepared_input, hash, std::equal_to<>> memo;
    if (auto it = memo.find(phrase); it != memo.end()) return it->second;
    if (memo.size() >= 4096) memo.clear();
    prepared_input f;
    f.marks = fold_keep_marks(phrase);
    f.mark_tokens = tokens(f.marks);
    f.key = match_key(phrase);
    f.key_tokens = tokens(f.key);
    return memo.emplace(std::string(phrase), std::move(f)).first->second;
}

rank rank_phrase(const prepared_input& in, std::string_view phrase) {
    const prepared_input& p = phrase_forms(phrase);  // used before any other phrase_forms call
    const auto& pt = p.key_tokens;
    if (p.key.empty() || in.key.empty()) return {0, 0, 0};
    if (!p.marks.empty() && p.marks == in.marks) return {5, pt.size(), 1};
    if (p.key == in.key) return {4, pt.size(), 0};
    const int accented = contains_run(in.mark_tokens, p.mark_tokens, exact_eq) ? 1 : 0;
    if (contains_run(in.key_tokens, pt, exact_eq)) return {3, pt.size(), accented};
    if (contains_run(in.key_tokens, pt, token_close)) return {2, pt.size(), 0};
    // The message is a piece of the option ("giao thong" for "Đường giao thông"). One- and
    // two-letter messages would match half the options, so they never count here.
    if (in.key.size() >= 3 && contains_run(pt, in.key_tokens, token_close))
        return {1, in.key_tokens.size(), 0};
    return {0, 0, 0};
}

}  // namespace

std::string match_key(std::string_view text) { return expand(fold(replace_emoji(text))); }

std::string_view expand_word(std::string_view folded_word) {
    auto it = std::find_if(teencode.begin(), teencode.end(),
                           [&](const auto& e) { return e.first == folded_word; });
    return it == teencode.end() ? folded_word : it->second;
}

match_result match_options(std::string_view input, const std::vector<match_option>& options) {
    prepared_input in;
    in.marks = fold_keep_marks(replace_emoji(input));
    in.mark_tokens = tokens(in.marks);
    in.key = match_key(input);
    in.key_tokens = tokens(in.key);

    match_result out;
    rank best{0, 0, 0};
    for (std::size_t i = 0; i < options.size(); ++i) {
        rank r{0, 0, 0};
        for (const auto& p : options[i].phrases) r = std::max(r, rank_phrase(in, p));
        if (std::get<0>(r) == 0) continue;
        if (r > best) {
            best = r;
            out.indices.assign(1, i);
        } else if (r == best) {
            out.indices.push_back(i);
        }
    }
    if (out.indices.empty()) return out;
    out.kind = out.indices.size() == 1 ? match_kind::unique : match_kind::tie;
    out.whole = std::get<0>(best) >= 4;
    out.words = std::get<1>(best);
    return out;
}

std::optional<std::size_t> match_number(std::string_view input, std::size_t count) {
    // Words people put around the number of an option.
    static constexpr std::array<std::string_view, 10> filler{
        "so", "chon", "cau", "phuong", "an", "muc", "option", "number", "no", "toi"};
    std::optional<std::size_t> found;
    for (const auto& t : tokens(fold(input))) {
        if (std::find(filler.begin(), filler.end(), t) != filler.end()) continue;
        std::size_t n = 0;
        auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
        if (ec != std::errc{} || ptr != t.data() + t.size() || found) return std::nullopt;
        found = n;
    }
    if (!found || *found < 1 || *found > count) return std::nullopt;
    return *found - 1;
}

bool matches_whole(std::string_view input, const std::vector<std::string>& phrases) {
    return key_matches_whole(match_key(input), phrases);
}

bool key_matches_whole(const std::string& key, const std::vector<std::string>& phrases) {
    if (key.empty()) return false;
    return std::any_of(phrases.begin(), phrases.end(),
                       [&](const std::string& p) { return phrase_forms(p).key == key; });
}

}  // namespace dgw::core
