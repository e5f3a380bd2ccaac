#pragma once
/// The in-memory form of one version of one conversation flow (see flows/README.md for the
/// JSON format). A definition only exists once the validator found nothing wrong with it, so
/// the engine can trust every reference in it. Immutable after loading; share it freely
/// between threads.

#include "dgw/flow/events.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::flow {

/// What an `ask` expects from the citizen.
enum class answer_type { choice, text, number, yes_no, phone, locality, location, media, any };

std::string_view to_string(answer_type t) noexcept;
std::optional<answer_type> parse_answer_type(std::string_view s) noexcept;

/// One entry of the flow's `answers` declaration: what is collected, independent of the graph.
struct answer_decl {
    std::string name;
    answer_type type = answer_type::text;
    bool required = true;
    std::string label;  ///< string key, shown by `review`
    /// A `media` or `location` answer taken whenever the citizen sends a photo or a location,
    /// at any question, instead of asking "any photos?".
    bool any_time = false;
};

/// How a flow uses what the message reader finds in a citizen's words (flow-level
/// `understand`): the answers a message fills. Empty names are not filled.
struct understanding {
    std::string description;  ///< a `text` answer: the message itself, as written
    std::string topic;        ///< a `choice` answer whose choice ids are topic ids
    std::string locality;     ///< a `locality` answer
    std::string reference;    ///< a `text` answer: a concern reference named in the message
};

/// Phrases per language code.
using lang_words = std::map<std::string, std::vector<std::string>, std::less<>>;

/// One button of a `choice` ask.
struct choice_def {
    std::string id;
    std::string label;  ///< string key
    lang_words synonyms;
};

struct reminder_def {
    std::chrono::seconds after{};
    std::string text;  ///< string key
};

struct timeout_def {
    std::chrono::seconds after{};
    std::string next;
};

/// One button of a `review` with `actions`: what it sets, where it goes.
struct review_action {
    std::string id;
    std::string label;  ///< string key
    std::string next;   ///< empty for the edit action
    /// Answers set when it is tapped ({"consent": true}).
    std::map<std::string, nlohmann::json, std::less<>> set;
    /// Tapping it is the citizen's consent to the notice shown with the review: recorded with
    /// the flow's id and version, which identify the notice's text.
    bool consent = false;
    /// Shows the answers to change instead of going on.
    bool edit = false;
};

/// Where the review says the concern will be heard, before it is sent.
struct review_session {
    std::string topic;      ///< answer holding the topic id
    std::string locality;   ///< answer holding the locality
    std::string text;       ///< string key; may use {session.date} and {session.place}
    std::string none_text;  ///< string key, when no session in the horizon hears it
};

/// One case of a `branch`: `var` compared with `equals`, or tested for presence.
struct branch_case {
    std::string var;  ///< "answers.NAME" or "concern.urgent", ...
    std::optional<nlohmann::json> equals;
    std::optional<bool> present;
    std::string next;
};

enum class node_kind { say, ask, branch, set, review, submit, handoff, end };

std::string_view to_string(node_kind k) noexcept;

/// What a `submit` asks the caller to do.

/// One node of the graph. Fields that do not apply to the node's kind are left empty.
struct node {
    std::string id;
    node_kind kind = node_kind::say;
    std::string text;  ///< string key: say/end text, ask prompt, review header
    std::string next;

    // ask
    std::string answer;
    std::string hint;  ///< string key, sent with the re-prompt after an invalid answer
    std::string fallback;
    int max_attempts = 3;
    std::vector<choice_def> choices;
    std::size_t min_length = 1;
    std::size_t max_length = 2000;
    std::optional<double> min;
    std::optional<double> max;
    std::size_t max_count = 3;
    std::optional<reminder_def> reminder;
    std::optional<timeout_def> timeout;

    // branch (`next` is the default)
    std::vector<branch_case> cases;

    // set
    nlohmann::json value;

    // ask: intents of the citizen's message (message_reader) that pick a choice when the words
    // are not a menu command ("concern" -> "raise"); only for choice asks
    std::map<std::string, std::string, std::less<>> intents;

    // review: the answers shown, in order
    std::vector<std::string> show;
    // review: buttons instead of "send" and one "change" per answer; the privacy notice shown
    // with them; what is said before the review of an urgent concern; the question above the
    // answers to change; where it will be heard
    std::vector<review_action> actions;
    std::string notice;
    std::string urgent_text;
    std::string edit_text;
    std::optional<review_session> session;

    // submit
    submit_action action = submit_action::file_concern;
    std::string failed;

    // handoff
    std::string reason;

    // end: another flow the caller should start (e.g. the menu's choices)
    std::string start_flow;
};

/// The words and fixed texts the engine needs in each language. Commands are matched against
/// the whole message in every language of the flow, so a citizen typing "cancel" in a
/// Vietnamese conversation is understood.
struct vocabulary {
    std::string language_name;          ///< "Tiếng Việt"
    std::vector<std::string> language;  ///< words that switch to this language
    std::vector<std::string> restart, cancel, help, skip, yes, no;
    std::string yes_label, no_label, skip_label, confirm_label, edit_label;
    std::string help_text, cancel_text, restart_text, tie_text, skipped_text, wait_text;
    /// Optional: the button after suggested topics that shows them all ("Khác"); the button
    /// after suggested communes ("Không phải các nơi trên"); what is said when a photo or
    /// location is taken for an any_time answer; how a former commune is shown, with
    /// {former} and {name} ("{former} (nay thuộc {name})").
    std::string more_label, none_label, attached_text, former_text;
};

struct definition {
    std::string id;
    int version = 0;
    std::vector<std::string> languages;  ///< the first is the base language
    std::string start;
    /// language -> key -> text
    std::map<std::string, std::map<std::string, std::string, std::less<>>, std::less<>> strings;
    std::map<std::string, vocabulary, std::less<>> vocab;
    std::vector<answer_decl> answers;  ///< in declaration order
    std::vector<node> nodes;
    /// What a citizen's free words fill (see understanding); nothing when absent.
    std::optional<understanding> understand;
    /// The JSON document it was loaded from (the flow editor shows it and diffs versions).
    nlohmann::json document;

    const node* find_node(std::string_view node_id) const noexcept;
    const answer_decl* find_answer(std::string_view name) const noexcept;
    /// The first ask node collecting `name`, the target of review's "change" buttons.
    const node* ask_for(std::string_view name) const noexcept;
    /// The text of `key` in `lang`, else in the base language, else the key itself.
    const std::string& text(std::string_view lang, std::string_view key) const;
    const vocabulary& words(std::string_view lang) const;
    bool has_language(std::string_view lang) const noexcept;
};

}  // namespace dgw::flow
