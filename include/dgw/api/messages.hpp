#pragma once
/// The API's error words for people, from one catalogue (STYLE.md §2a): every error a handler
/// answers has a stable `code` that clients act on and a message in Vietnamese and English with
/// {placeholders} for its values. A handler answers `refuse(error::x, {{"ref", ref}})`; the
/// message is Vietnamese and the wrappers that know the request (service::guarded, the login)
/// put it into the request's language with `localize`. The values ride along as the error's
/// `params`, so that a page can tell which field an error is about.

#include <dgw/http/types.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::api {

/// Every error of the catalogue. The order is the catalogue's (messages.cpp).
enum class error : std::uint16_t {
    // requests, logins and roles
    invalid_json,
    unauthorized,
    csrf_required,
    password_change_required,
    role_forbidden,
    unsupported_media_type,
    login_fields_required,
    too_many_attempts,
    invalid_credentials,
    current_password_wrong,
    password_fields_required,
    password_unchanged,
    store_unavailable,
    // fields of a body or a query
    not_a_string,
    not_boolean,
    field_unknown,
    field_invalid,
    field_too_long,
    text_required,
    text_too_long,
    limit_out_of_range,
    offset_invalid,
    date_invalid,
    query_too_long,
    // concerns and their photos
    concern_not_found,
    concern_not_in_session,
    concern_outside_scope,
    concern_change_empty,
    concern_status_invalid,
    topic_unknown,
    commune_unknown,
    commune_outside_scope,
    assignee_invalid,
    merge_target_required,
    concern_merge_self,
    already_merged,
    target_merged,
    photo_number_invalid,
    photo_not_found,
    photo_unavailable,
    not_kept,
    platform_unavailable,
    photo_gone,
    // citizens' data
    contact_id_invalid,
    contact_not_found,
    // hand-offs
    handoff_not_found,
    handoff_outside_scope,
    handoff_status_invalid,
    handoff_closed,
    citizen_erased,
    citizen_text_empty,
    // sessions, agendas and answers
    session_not_found,
    level_unknown,
    province_code_mismatch,
    locality_unknown,
    organisation_unknown,
    date_past,
    date_beyond_horizon,
    session_text_required,
    session_text_too_long,
    audience_unknown,
    audience_required,
    topics_invalid,
    session_outside_scope,
    session_exists,
    session_not_added,
    session_has_concerns,
    session_status_invalid,
    window_reversed,
    window_too_long,
    move_fields_required,
    group_key_invalid,
    group_name_required,
    agenda_group_not_found,
    answer_text_required,
    answer_target_required,
    already_answered,
    answer_differs,
    period_invalid,
    // flows and the simulator
    invalid_flow,
    invalid_simulated_flow,
    flow_not_found,
    flow_id_invalid,
    flow_version_invalid,
    flow_version_not_found,
    flow_draft_required,
    flow_draft_not_found,
    rollback_version_required,
    diff_version_invalid,
    simulate_flow_required,
    simulate_messages_invalid,
    simulate_message_too_long,
    // accounts
    user_not_found,
    active_user_not_found,
    user_fields_invalid,
    user_change_empty,
    scope_invalid,
    user_name_invalid,
    user_exists,
    role_unknown,
    scope_required,
    scope_not_official,
    scope_unknown,
    last_active_admin,
    // concerns officials register, one by one or from a spreadsheet
    source_unknown,
    phone_invalid,
    consent_required,
    csv_required,
    csv_quote_unclosed,
    csv_text_after_quote,
    csv_too_many_rows,
    csv_empty,
    csv_column_missing,
    xlsx_invalid,
    import_file_invalid,
    scan_invalid,
    scan_type_unsupported,
    public_photo_not_found,
    scan_not_publishable,
    // before the meeting
    link_invalid,
    notes_limit,
    // after the meeting
    assignment_invalid,
    followup_not_open,
    followup_state_invalid,
    // during the meeting
    speaker_invalid,
    session_only_for_meeting,
    session_cancelled,
};

/// One error of the catalogue: its wire code and status, and its message in both languages.
/// A (code, status) pair names one entry.
struct error_entry {
    error id;
    std::string_view code;
    http::status status;
    std::string_view vi;
    std::string_view en;
};

/// An error found before its response is made (a validator's verdict): which, and its values.
struct api_error {
    error id;
    nlohmann::json params = nlohmann::json::object();
};

/// The whole catalogue, in the order of `error`.
std::span<const error_entry> error_catalogue();
const error_entry& entry_of(error id);

/// The error's message in `lang` ("en", else Vietnamese), for words outside a response (the
/// command line).
std::string message_of(const api_error& e, std::string_view lang);

/// The body of the error's response, {"error": {"code", "message", "params"}}, for a response
/// that adds members of its own (a flow's problems).
nlohmann::json error_body(error id, const nlohmann::json& params = nlohmann::json::object());

/// The error as a response: its status, code, `params` and its message in Vietnamese.
http::response refuse(error id, const nlohmann::json& params = nlohmann::json::object());
inline http::response refuse(const api_error& e) { return refuse(e.id, e.params); }
/// The message of a catalogue error in `lang` ("en" or "vi"); any other response unchanged.
void localize(http::response& res, std::string_view lang);

}  // namespace dgw::api
