#include "dgw/flow/problems.hpp"

#include <array>
#include <cstddef>

namespace dgw::flow {
namespace {

using core::words;

// Vietnamese for an admin in the flow editor; English for `flows check`. Ids written in the
// flow file (node, answer and choice ids, JSON keys such as max_length) stay as written.
constexpr std::array faults{
    words{"version_invalid", "phải là số nguyên từ 1 trở lên", "must be a whole number from 1"},
    words{"id_mismatch", "phải là \"{id}\", mã của luồng đang sửa",
          "must be \"{id}\", the flow being edited"},
    words{"strings_table", "phải là một bảng khóa → văn bản", "must be an object of key -> text"},
    words{"answer_type_unknown", "không có loại câu trả lời \"{type}\"",
          "unknown answer type \"{type}\""},
    words{"node_type_unknown", "không có loại bước \"{type}\"", "unknown node type \"{type}\""},
    words{"submit_action_unknown",
          "phải là \"file_concern\" (ghi nhận phản ánh), \"check_status\" (tra cứu), "
          "\"erase_my_data\" (xóa dữ liệu) hoặc \"record_verdict\" (ý kiến về câu trả lời)",
          "must be \"file_concern\", \"check_status\", \"erase_my_data\" or \"record_verdict\""},
    words{"buttons_required", "phải là một danh sách có ít nhất một nút",
          "must be a non-empty array of buttons"},
    words{"set_table", "phải là một bảng câu trả lời → giá trị",
          "must be an object of answer -> value"},
    words{"attempts_range", "phải từ 1 đến 10", "must be from 1 to 10"},
    words{"not_number", "phải là một số", "must be a number"},
    words{"intents_table", "phải là một bảng ý định → mã lựa chọn",
          "must be an object of intent -> choice id"},
    words{"choice_id_expected", "phải là mã của một lựa chọn", "must be a choice id"},
    words{"minutes_positive", "phải từ 1 phút trở lên", "must be at least 1"},
    words{"case_needs_test", "mỗi trường hợp cần \"equals\" hoặc \"present\"",
          "a case needs \"equals\" or \"present\""},
    words{"no_language", "cần ít nhất một ngôn ngữ", "needs at least one language"},
    words{"language_duplicate", "ngôn ngữ \"{lang}\" bị lặp lại", "duplicate language \"{lang}\""},
    words{"language_undeclared", "ngôn ngữ \"{lang}\" không có trong danh sách ngôn ngữ của luồng",
          "language \"{lang}\" is not in /languages"},
    words{"braces_unbalanced",
          "dấu ngoặc nhọn không khớp (muốn viết dấu ngoặc nhọn thật thì gõ hai lần)",
          "unbalanced { or } (write {{ or }} for a literal brace)"},
    words{"variable_undefined", "không có biến {variable}", "undefined variable {variable}"},
    words{"translation_missing", "thiếu bản dịch", "missing translation"},
    words{"vocabulary_missing", "thiếu bộ từ của ngôn ngữ này (bắt buộc)",
          "missing translation (is required)"},
    words{"word_collides", "\"{word}\" trùng với từ của \"{other}\" khi bỏ dấu",
          "\"{word}\" collides with \"{other}\" after folding"},
    words{"string_unknown", "không có chuỗi \"{key}\"", "unknown string \"{key}\""},
    words{"any_time_type", "chỉ câu trả lời là ảnh/tệp hoặc vị trí mới nhận bất cứ lúc nào",
          "only a media or location answer can be taken any time"},
    words{"attached_text_required", "bắt buộc khi có câu trả lời nhận bất cứ lúc nào",
          "is required when an answer is taken any time"},
    words{"more_label_required", "bắt buộc khi luồng tự hiểu lĩnh vực",
          "is required when the flow understands topics"},
    words{"none_label_required", "bắt buộc khi luồng tự hiểu xã/phường",
          "is required when the flow understands communes"},
    words{"answer_undeclared", "câu trả lời \"{answer}\" chưa được khai báo",
          "undeclared answer \"{answer}\""},
    words{"answer_wrong_type", "\"{answer}\" là loại {type}, không phải {expected}",
          "\"{answer}\" is {type}, not {expected}"},
    words{"answer_not_asked", "không có bước hỏi nào thu câu trả lời \"{answer}\"",
          "no ask node collects \"{answer}\""},
    words{"node_duplicate", "mã bước \"{node}\" bị trùng", "duplicate node id \"{node}\""},
    words{"node_unknown", "không có bước \"{node}\"", "unknown node \"{node}\""},
    words{"next_required", "ngõ cụt: bước loại {kind} cần có bước tiếp theo",
          "dead end: a {kind} node needs a next"},
    words{"session_topic", "phải là một câu trả lời dạng lựa chọn (lĩnh vực)",
          "must name a choice answer (the topic)"},
    words{"session_locality", "phải là một câu trả lời dạng xã/phường",
          "must name a locality answer"},
    words{"button_duplicate", "mã nút \"{id}\" bị trùng", "duplicate button id \"{id}\""},
    words{"button_id_reserved", "mã nút bắt đầu bằng \"edit:\" được dành cho hệ thống",
          "\"edit:\" ids are the engine's"},
    words{"edit_button_plain", "nút sửa chỉ hiện các câu trả lời để sửa: không có bước tiếp "
                               "theo, giá trị gán hay đồng ý",
          "the edit button only shows the answers to change"},
    words{"edit_buttons_many", "chỉ được một nút sửa", "at most one edit button"},
    words{"edit_text_required", "bắt buộc khi có nút sửa", "is required with an edit button"},
    words{"choices_required", "câu hỏi lựa chọn cần có các lựa chọn",
          "a choice ask needs choices"},
    words{"choices_not_choice", "chỉ câu trả lời dạng lựa chọn mới có lựa chọn (\"{answer}\" là "
                                "loại {type})",
          "only a choice answer has choices (\"{answer}\" is {type})"},
    words{"length_order", "lớn hơn độ dài tối đa (max_length)", "is greater than max_length"},
    words{"intents_not_choice", "chỉ câu hỏi lựa chọn mới có ý định",
          "only a choice ask has intents"},
    words{"intent_unknown", "không có ý định \"{intent}\" (chỉ có concern, status, about)",
          "unknown intent \"{intent}\" (concern, status, about)"},
    words{"choice_unknown", "không có lựa chọn \"{choice}\"", "unknown choice \"{choice}\""},
    words{"min_order", "lớn hơn giá trị tối đa (max)", "is greater than max"},
    words{"choice_duplicate", "mã lựa chọn \"{id}\" bị trùng", "duplicate choice id \"{id}\""},
    words{"choice_is_command",
          "\"{phrase}\" cũng là lệnh {command}: gõ từ này sẽ không bao giờ chọn được lựa chọn này",
          "\"{phrase}\" is also the {command} command; typing it would never pick this choice"},
    words{"choice_collides", "\"{phrase}\" trùng với lựa chọn \"{choice}\" khi bỏ dấu",
          "\"{phrase}\" collides with choice \"{choice}\" after diacritic folding"},
    words{"node_unreachable", "không đi tới được bước \"{node}\" từ bước bắt đầu",
          "unreachable node \"{node}\" (no path from start)"},
    words{"dead_end", "ngõ cụt: từ bước \"{node}\" không có đường tới bước kết thúc",
          "dead end: no path from \"{node}\" to an end node"},
    words{"loop_without_ask", "vòng lặp không có câu hỏi nào: {cycle}",
          "loop with no ask: {cycle}"},
    words{"variable_maybe_unset",
          "{variable} trong \"{key}\" có thể chưa có giá trị ở đây (không bắt buộc, hoặc có "
          "đường đi chưa hỏi tới)",
          "{variable} in \"{key}\" may be unset here (optional, or not yet asked on some path)"},
    words{"required_answer_unset",
          "câu trả lời bắt buộc \"{answer}\" chưa được điền trên một đường đi tới bước gửi",
          "required answer \"{answer}\" is not filled on some path to submit"},
};
static_assert(faults.size() == static_cast<std::size_t>(fault::required_answer_unset) + 1,
              "every flow::fault has its words");

}  // namespace

std::span<const core::words> fault_words() { return faults; }

core::problem make_problem(std::string path, fault what, nlohmann::json params) {
    return core::catalogue_problem(faults, static_cast<std::size_t>(what), std::move(path),
                                   std::move(params));
}

std::string message_in(const core::problem& p, std::string_view lang) {
    return core::localized(p, lang, faults);
}

}  // namespace dgw::flow
