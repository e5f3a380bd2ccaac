#pragma once
/// What the flow validator can find wrong with a flow, as one catalogue of words in Vietnamese
/// and English (the words of a document's shape — "is required", "unknown key" — are the
/// core's, core::shape). The validator records each problem with its code and values; the
/// command line prints the English, the web app's flow editor shows `message_in` its language.

#include "dgw/core/json_reader.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace dgw::flow {

/// Every problem of the catalogue, in its order (problems.cpp); the values each names in {}.
enum class fault : std::uint8_t {
    version_invalid,
    id_mismatch,            ///< {id}
    strings_table,
    answer_type_unknown,    ///< {type}
    node_type_unknown,      ///< {type}
    submit_action_unknown,
    buttons_required,
    set_table,
    attempts_range,
    not_number,
    intents_table,
    choice_id_expected,
    minutes_positive,
    case_needs_test,
    no_language,
    language_duplicate,     ///< {lang}
    language_undeclared,    ///< {lang}
    braces_unbalanced,
    variable_undefined,     ///< {variable}
    translation_missing,
    vocabulary_missing,
    word_collides,          ///< {word}, {other}
    string_unknown,         ///< {key}
    any_time_type,
    attached_text_required,
    more_label_required,
    none_label_required,
    answer_undeclared,      ///< {answer}
    answer_wrong_type,      ///< {answer}, {type}, {expected}
    answer_not_asked,       ///< {answer}
    node_duplicate,         ///< {node}
    node_unknown,           ///< {node}
    next_required,          ///< {kind}
    session_topic,
    session_locality,
    button_duplicate,       ///< {id}
    button_id_reserved,
    edit_button_plain,
    edit_buttons_many,
    edit_text_required,
    choices_required,
    choices_not_choice,     ///< {answer}, {type}
    length_order,
    intents_not_choice,
    intent_unknown,         ///< {intent}
    choice_unknown,         ///< {choice}
    min_order,
    choice_duplicate,       ///< {id}
    choice_is_command,      ///< {phrase}, {command}
    choice_collides,        ///< {phrase}, {choice}
    node_unreachable,       ///< {node}
    dead_end,               ///< {node}
    loop_without_ask,       ///< {cycle}
    variable_maybe_unset,   ///< {variable}, {key}
    required_answer_unset,  ///< {answer}
};

std::span<const core::words> fault_words();

/// A problem of the catalogue at `path`, its message filled in English.
core::problem make_problem(std::string path, fault what,
                           nlohmann::json params = nlohmann::json::object());

/// A flow problem's message in `lang` ("en", else Vietnamese): the flow's catalogue, then the
/// document shapes; words written in place stay as they are.
std::string message_in(const core::problem& p, std::string_view lang);

}  // namespace dgw::flow
