#include "dgw/flow/definition.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace dgw::flow {
namespace {

constexpr std::array<std::pair<answer_type, std::string_view>, 9> answer_names{{
    {answer_type::choice, "choice"},
    {answer_type::text, "text"},
    {answer_type::number, "number"},
    {answer_type::yes_no, "yes_no"},
    {answer_type::phone, "phone"},
    {answer_type::locality, "locality"},
    {answer_type::location, "location"},
    {answer_type::media, "media"},
    {answer_type::any, "any"},
}};

constexpr std::array<std::string_view, 8> node_names{"say",    "ask",    "branch",  "set",
                                                     "review", "submit", "handoff", "end"};

}  // namespace

std::string_view to_string(answer_type t) noexcept {
    for (const auto& [k, name] : answer_names)
        if (k == t) return name;
    return "any";
}

std::optional<answer_type> parse_answer_type(std::string_view s) noexcept {
    for (const auto& [k, name] : answer_names)
        if (name == s) return k;
    return std::nullopt;
}

std::string_view to_string(node_kind k) noexcept { return node_names[static_cast<std::size_t>(k)]; }

std::string_view to_string(submit_action a) noexcept {
    switch (a) {
        case submit_action::check_status: return "check_status";
        case submit_action::erase_my_data: return "erase_my_data";
        case submit_action::record_verdict: return "record_verdict";
        case submit_action::file_concern: break;
    }
    return "file_concern";
}

const node* definition::find_node(std::string_view node_id) const noexcept {
    auto it =
        std::find_if(nodes.begin(), nodes.end(), [&](const node& n) { return n.id == node_id; });
    return it == nodes.end() ? nullptr : &*it;
}

const answer_decl* definition::find_answer(std::string_view name) const noexcept {
    auto it = std::find_if(answers.begin(), answers.end(),
                           [&](const answer_decl& a) { return a.name == name; });
    return it == answers.end() ? nullptr : &*it;
}

const node* definition::ask_for(std::string_view name) const noexcept {
    auto it = std::find_if(nodes.begin(), nodes.end(), [&](const node& n) {
        return n.kind == node_kind::ask && n.answer == name;
    });
    return it == nodes.end() ? nullptr : &*it;
}

const std::string& definition::text(std::string_view lang, std::string_view key) const {
    for (std::string_view l : {lang, std::string_view(languages.front())}) {
        auto s = strings.find(l);
        if (s == strings.end()) continue;
        auto t = s->second.find(key);
        if (t != s->second.end()) return t->second;
    }
    // The validator rejects unknown keys, so this only serves a definition built by hand.
    static const std::string missing = "?";
    return missing;
}

const vocabulary& definition::words(std::string_view lang) const {
    auto it = vocab.find(lang);
    if (it != vocab.end()) return it->second;
    return vocab.find(languages.front())->second;
}

bool definition::has_language(std::string_view lang) const noexcept {
    return std::find(languages.begin(), languages.end(), lang) != languages.end();
}

}  // namespace dgw::flow
