#include <dgw/api/messages.hpp>

#include <dgw/core/words.hpp>

#include <array>
#include <cstddef>

namespace dgw::api {

namespace {

using st = http::status;
using e = error;

// Vietnamese first: the officials read it. A code clients already act on keeps its spelling.
constexpr std::array catalogue{
    // requests, logins and roles
    error_entry{e::invalid_json, "invalid_json", st::bad_request,
                "Nội dung yêu cầu phải là một đối tượng JSON.",
                "The body must be a JSON object."},
    error_entry{e::unauthorized, "unauthorized", st::unauthorized,
                "Hãy đăng nhập, hoặc gửi Authorization: Bearer <token>.",
                "Log in, or send Authorization: Bearer <token>."},
    error_entry{e::csrf_required, "csrf_required", st::forbidden,
                "Thiếu mã chống giả mạo: gửi header X-CSRF-Token của phiên đăng nhập.",
                "Send the session's X-CSRF-Token header."},
    error_entry{e::password_change_required, "password_change_required", st::forbidden,
                "Hãy đổi mật khẩu một lần trước (POST /api/v1/auth/password).",
                "Change the one-time password first (POST /api/v1/auth/password)."},
    error_entry{e::role_forbidden, "forbidden", st::forbidden,
                "Vai trò của bạn không được làm việc này.",
                "Not allowed for your role."},
    error_entry{e::unsupported_media_type, "unsupported_media_type", st::unsupported_media_type,
                "Hãy gửi thông tin đăng nhập với Content-Type: application/json.",
                "Send the login as Content-Type: application/json."},
    error_entry{e::login_fields_required, "login_fields_required", st::bad_request,
                "Cần có tên đăng nhập (username) và mật khẩu (password).",
                "Username and password are required strings."},
    error_entry{e::too_many_attempts, "too_many_attempts", st::too_many_requests,
                "Đăng nhập sai quá nhiều lần; hãy thử lại sau.",
                "Too many failed logins; try again later."},
    error_entry{e::invalid_credentials, "invalid_credentials", st::unauthorized,
                "Sai tên đăng nhập hoặc mật khẩu.",
                "Wrong user name or password."},
    error_entry{e::current_password_wrong, "invalid_credentials", st::forbidden,
                "Mật khẩu hiện tại không đúng.",
                "The current password is wrong."},
    error_entry{e::password_fields_required, "password_fields_required", st::bad_request,
                "Cần có mật khẩu hiện tại (current_password) và mật khẩu mới (new_password).",
                "current_password and new_password are required."},
    error_entry{e::password_unchanged, "password_unchanged", st::bad_request,
                "Mật khẩu mới phải khác mật khẩu cũ.",
                "The new password must differ from the old one."},
    error_entry{e::store_unavailable, "store_unavailable", st::service_unavailable,
                "Cơ sở dữ liệu tạm thời không trả lời; hãy thử lại.",
                "The database cannot answer right now; try again."},
    // fields of a body or a query
    error_entry{e::not_a_string, "not_a_string", st::bad_request,
                "Trường {field} phải là một chuỗi.",
                "{field} must be a string."},
    error_entry{e::not_boolean, "not_boolean", st::bad_request,
                "Trường {field} phải là true hoặc false.",
                "{field} must be true or false."},
    error_entry{e::field_unknown, "field_unknown", st::bad_request,
                "Không có trường {field} (các trường: {allowed}).",
                "Unknown field {field} ({allowed})."},
    error_entry{e::field_invalid, "field_invalid", st::bad_request,
                "Trường {field} không có hoặc sai kiểu ({allowed}).",
                "Unknown field or wrong type: {field} ({allowed})."},
    error_entry{e::field_too_long, "field_too_long", st::bad_request,
                "Trường {field} dài tối đa {limit} byte.",
                "{field} has at most {limit} bytes."},
    error_entry{e::text_required, "text_required", st::bad_request,
                "Cần có nội dung (text).",
                "Text is required."},
    error_entry{e::text_too_long, "text_too_long", st::bad_request,
                "Nội dung dài tối đa {limit} byte.",
                "Text has at most {limit} bytes."},
    error_entry{e::limit_out_of_range, "limit_out_of_range", st::bad_request,
                "limit phải từ 1 đến {max}.",
                "limit must be 1..{max}."},
    error_entry{e::offset_invalid, "offset_invalid", st::bad_request,
                "offset phải là số nguyên không âm.",
                "offset must be a non-negative integer."},
    error_entry{e::date_invalid, "date_invalid", st::bad_request,
                "Trường {field} phải là ngày dạng YYYY-MM-DD.",
                "{field} must be a date YYYY-MM-DD."},
    error_entry{e::query_too_long, "query_too_long", st::bad_request,
                "Từ khóa tìm kiếm dài tối đa {limit} byte.",
                "q has at most {limit} bytes."},
    // concerns and their photos
    error_entry{e::concern_not_found, "concern_not_found", st::not_found,
                "Không tìm thấy phản ánh {ref}.",
                "Concern {ref} not found."},
    error_entry{e::concern_not_in_session, "concern_not_in_session", st::not_found,
                "Không tìm thấy phản ánh {ref} trong buổi đối thoại {session}.",
                "Concern {ref} not found in session {session}."},
    error_entry{e::concern_outside_scope, "concern_outside_scope", st::forbidden,
                "Phản ánh này nằm ngoài phạm vi phụ trách của bạn.",
                "This concern is outside your scope."},
    error_entry{e::concern_change_empty, "concern_change_empty", st::bad_request,
                "Không có gì để thay đổi: hãy gửi status, assignee, topic và/hoặc commune_code.",
                "Nothing to change: give status, assignee, topic and/or commune_code."},
    error_entry{e::concern_status_invalid, "concern_status_invalid", st::bad_request,
                "Trạng thái phải là một trong received, scheduled, answered, forwarded, "
                "withdrawn, unscheduled (gộp phản ánh dùng POST .../merge).",
                "Status must be one of received, scheduled, answered, forwarded, withdrawn, "
                "unscheduled (merging is POST .../merge)."},
    error_entry{e::topic_unknown, "topic_unknown", st::bad_request,
                "Không có lĩnh vực \"{topic}\" trong danh sách lĩnh vực.",
                "Unknown topic \"{topic}\": not one of the configured topics."},
    error_entry{e::commune_unknown, "commune_unknown", st::bad_request,
                "Không có xã/phường mã \"{code}\".",
                "Unknown commune or ward code \"{code}\"."},
    error_entry{e::commune_outside_scope, "commune_outside_scope", st::forbidden,
                "Xã/phường này nằm ngoài phạm vi phụ trách của bạn.",
                "That commune is outside your scope."},
    error_entry{e::assignee_invalid, "assignee_invalid", st::bad_request,
                "Người phụ trách phải là một cán bộ hoặc quản trị viên đang hoạt động.",
                "The assignee must be an active official or admin."},
    error_entry{e::merge_target_required, "merge_target_required", st::bad_request,
                "Cần có phản ánh để gộp vào (into: một mã số phản ánh).",
                "into (a concern reference) is required."},
    error_entry{e::concern_merge_self, "concern_merge_self", st::bad_request,
                "Không thể gộp một phản ánh vào chính nó.",
                "A concern cannot be merged into itself."},
    error_entry{e::already_merged, "already_merged", st::conflict,
                "Phản ánh {ref} đã được gộp vào {into}.",
                "{ref} is already merged into {into}."},
    error_entry{e::target_merged, "target_merged", st::conflict,
                "Phản ánh {ref} đã được gộp vào {into}: hãy gộp vào {into}.",
                "{ref} is itself merged into {into}: merge into {into}."},
    error_entry{e::photo_number_invalid, "photo_number_invalid", st::bad_request,
                "Số thứ tự ảnh bắt đầu từ 0.",
                "A photo is numbered from 0."},
    error_entry{e::photo_not_found, "photo_not_found", st::not_found,
                "Phản ánh {ref} không có ảnh số {n}.",
                "Photo {n} of concern {ref} not found."},
    error_entry{e::photo_unavailable, "photo_unavailable", st::not_found,
                "Hệ thống không lưu được ảnh này: {reason}",
                "The gateway could not keep this photo: {reason}"},
    error_entry{e::not_kept, "not_kept", st::not_found,
                "Ảnh gửi qua {channel} được lưu ở nền tảng đó; hệ thống chỉ giữ mã của ảnh.",
                "Photos sent over {channel} stay with that platform; the gateway keeps only "
                "their ids."},
    error_entry{e::platform_unavailable, "platform_unavailable", st::service_unavailable,
                "Nền tảng lưu ảnh không trả lời; hãy thử lại.",
                "The platform that keeps the photo did not answer; retry."},
    error_entry{e::photo_gone, "photo_gone", st::not_found,
                "Ảnh không còn (đã xóa, bị gỡ hoặc nền tảng không còn lưu).",
                "The photo is gone (erased, removed, or no longer kept by the platform)."},
    // citizens' data
    error_entry{e::contact_id_invalid, "contact_id_invalid", st::bad_request,
                "Mã người dân (contact) phải là số nguyên dương.",
                "The contact id must be a positive integer."},
    error_entry{e::contact_not_found, "contact_not_found", st::not_found,
                "Không tìm thấy người dân mã {id}.",
                "Contact {id} not found."},
    // hand-offs
    error_entry{e::handoff_not_found, "handoff_not_found", st::not_found,
                "Không tìm thấy yêu cầu gặp cán bộ số {id}.",
                "Hand-off {id} not found."},
    error_entry{e::handoff_outside_scope, "handoff_outside_scope", st::forbidden,
                "Yêu cầu gặp cán bộ này nằm ngoài phạm vi phụ trách của bạn.",
                "This hand-off is outside your scope."},
    error_entry{e::handoff_status_invalid, "handoff_status_invalid", st::bad_request,
                "Trạng thái là open, closed hoặc all.",
                "Status is open, closed or all."},
    error_entry{e::handoff_closed, "handoff_closed", st::conflict,
                "Yêu cầu gặp cán bộ này đã đóng; không có gì được thực hiện.",
                "This hand-off is closed; nothing was done."},
    error_entry{e::citizen_erased, "citizen_erased", st::conflict,
                "Người dân đã xóa dữ liệu của mình; không thể báo cho ai.",
                "The citizen erased their data; nobody can be told."},
    error_entry{e::citizen_text_empty, "citizen_text_empty", st::bad_request,
                "Cần có nội dung: người dân chưa viết gì để tạo phản ánh.",
                "Text is required: the citizen wrote nothing to file."},
    // sessions, agendas and answers
    error_entry{e::session_not_found, "session_not_found", st::not_found,
                "Không tìm thấy buổi đối thoại {id}.",
                "Session {id} not found."},
    error_entry{e::level_unknown, "level_unknown", st::bad_request,
                "Cấp \"{level}\" không có trong cấu hình (province, commune, agency...).",
                "Level must be one of the configured levels (province, commune, agency...), "
                "not \"{level}\"."},
    error_entry{e::province_code_mismatch, "province_code_mismatch", st::bad_request,
                "Mã của tỉnh là {province}, không phải {given}.",
                "The province's code is {province}, not {given}."},
    error_entry{e::locality_unknown, "locality_unknown", st::bad_request,
                "Không có đơn vị cấp {level} mã \"{given}\".",
                "Unknown {level} code \"{given}\"."},
    error_entry{e::organisation_unknown, "organisation_unknown", st::bad_request,
                "Không có cơ quan, tổ chức \"{given}\".",
                "Unknown organisation \"{given}\"."},
    error_entry{e::date_past, "date_past", st::bad_request,
                "Ngày {date} đã qua.",
                "Date {date} is in the past."},
    error_entry{e::date_beyond_horizon, "date_beyond_horizon", st::bad_request,
                "Ngày phải trong vòng {months} tháng tới (đến hết {until}).",
                "Date must be within {months} months (until {until})."},
    error_entry{e::session_text_required, "session_text_required", st::bad_request,
                "Cần có địa điểm (venue) và tên tiếng Việt (title_vi); tên tiếng Anh mặc định "
                "là tên tiếng Việt.",
                "venue and title_vi are required (title_en defaults to title_vi)."},
    error_entry{e::session_text_too_long, "session_text_too_long", st::bad_request,
                "Địa điểm và tên buổi đối thoại dài tối đa {limit} byte.",
                "venue and titles have at most {limit} bytes."},
    error_entry{e::audience_unknown, "audience_unknown", st::bad_request,
                "Không có đối tượng tham dự \"{audience}\".",
                "Unknown audience \"{audience}\"."},
    error_entry{e::audience_required, "audience_required", st::bad_request,
                "Hội nghị của một cơ quan, tổ chức cần có đối tượng tham dự (audience: cán bộ, "
                "người lao động của cơ quan).",
                "An organisation's conference needs an audience (its staff)."},
    error_entry{e::topics_invalid, "topics_invalid", st::bad_request,
                "topics phải là một mảng mã lĩnh vực.",
                "topics must be an array of topic ids."},
    error_entry{e::session_outside_scope, "session_outside_scope", st::forbidden,
                "Buổi đối thoại này nằm ngoài phạm vi phụ trách của bạn.",
                "This session is outside your scope."},
    error_entry{e::session_exists, "session_exists", st::conflict,
                "Đã có buổi đối thoại {id} trong lịch.",
                "Session {id} already exists."},
    error_entry{e::session_not_added, "session_not_added", st::conflict,
                "Buổi đối thoại {id} có trong lịch theo cấu hình, không do quản trị viên thêm: "
                "không xoá được; hãy hủy buổi này.",
                "Session {id} is in the configured schedule, not added by an admin: it cannot be "
                "deleted; cancel it instead."},
    error_entry{e::session_has_concerns, "session_has_concerns", st::conflict,
                "Đã có {concerns} phản ánh được gửi tới buổi đối thoại {id}: không xoá được; hãy "
                "hoãn hoặc hủy buổi này.",
                "{concerns} concern(s) are filed to session {id}: it cannot be deleted; postpone "
                "or cancel it instead."},
    error_entry{e::session_status_invalid, "session_status_invalid", st::bad_request,
                "Trạng thái phải là postponed (hoãn) hoặc cancelled (hủy).",
                "Status must be postponed or cancelled."},
    error_entry{e::window_reversed, "window_reversed", st::bad_request,
                "Ngày kết thúc (to) trước ngày bắt đầu (from).",
                "to is before from."},
    error_entry{e::window_too_long, "window_too_long", st::bad_request,
                "Khoảng thời gian dài tối đa ba năm.",
                "The window may span at most three years."},
    error_entry{e::move_fields_required, "move_fields_required", st::bad_request,
                "Cần có concern (mã số phản ánh) và group (mã nhóm, \"\" để tự động xếp).",
                "concern (a reference) and group (a group key, \"\" for automatic) are required."},
    error_entry{e::group_key_invalid, "group_key_invalid", st::bad_request,
                "group phải là mã nhóm (một mã số phản ánh), hoặc \"\" để tự động xếp.",
                "group must be a group key (a reference), or \"\" for automatic."},
    error_entry{e::group_name_required, "group_name_required", st::bad_request,
                "Cần có tên nhóm (\"\" để dùng tên tự động).",
                "name is required (\"\" gives the group its automatic title)."},
    error_entry{e::agenda_group_not_found, "agenda_group_not_found", st::not_found,
                "Không tìm thấy nhóm {group} trong chương trình buổi đối thoại {id}.",
                "Agenda group {group} of session {id} not found."},
    error_entry{e::answer_text_required, "answer_text_required", st::bad_request,
                "Cần có nội dung trả lời (tối đa {limit} byte).",
                "Text is required (at most {limit} bytes)."},
    error_entry{e::answer_target_required, "answer_target_required", st::bad_request,
                "Gửi một trong hai: group (mã nhóm) hoặc concern (mã số phản ánh).",
                "Give either group (an agenda group key) or concern (a reference)."},
    error_entry{e::already_answered, "already_answered", st::conflict,
                "Câu trả lời này đã được gửi cho mọi phản ánh của nó; không gửi gì thêm.",
                "This answer was already sent for every concern it is for; nothing was sent."},
    error_entry{e::answer_differs, "answer_differs", st::conflict,
                "Một số phản ánh đã có câu trả lời khác: gửi dưới dạng đính chính "
                "(\"correction\": true) hoặc trả lời từng phản ánh.",
                "Some concerns already have another answer: send it as a correction "
                "(\"correction\": true) or answer them one by one."},
    error_entry{e::period_invalid, "period_invalid", st::bad_request,
                "by là week (tuần) hoặc month (tháng).",
                "by is week or month."},
    // flows and the simulator
    error_entry{e::invalid_flow, "invalid_flow", st::unprocessable_entity,
                "Kịch bản có lỗi nên chưa dùng được: xem các lỗi (problems).",
                "The flow does not validate: see its problems."},
    error_entry{e::invalid_simulated_flow, "invalid_flow", st::bad_request,
                "Kịch bản gửi để chạy thử có lỗi: xem các lỗi (problems).",
                "The flow to simulate does not validate: see its problems."},
    error_entry{e::flow_not_found, "flow_not_found", st::not_found,
                "Không tìm thấy kịch bản {id}.",
                "Flow {id} not found."},
    error_entry{e::flow_id_invalid, "flow_id_invalid", st::bad_request,
                "Mã kịch bản chỉ gồm chữ thường, chữ số, '_' và '-'.",
                "A flow id is lowercase letters, digits, '_' and '-'."},
    error_entry{e::flow_version_invalid, "flow_version_invalid", st::bad_request,
                "Phiên bản là một số nguyên từ 1.",
                "A version is a whole number from 1."},
    error_entry{e::flow_version_not_found, "flow_version_not_found", st::not_found,
                "Không tìm thấy phiên bản {version} của kịch bản {id}.",
                "Flow {id} version {version} not found."},
    error_entry{e::flow_draft_required, "flow_draft_required", st::bad_request,
                "Gửi text (kịch bản dạng văn bản) hoặc document (kịch bản JSON).",
                "Give text (the flow as typed) or document (a JSON flow)."},
    error_entry{e::flow_draft_not_found, "flow_draft_not_found", st::not_found,
                "Kịch bản {id} không có bản nháp.",
                "A draft of flow {id} not found."},
    error_entry{e::rollback_version_required, "rollback_version_required", st::bad_request,
                "Gửi to: phiên bản muốn quay lại.",
                "Give to: the version to go back to."},
    error_entry{e::diff_version_invalid, "diff_version_invalid", st::bad_request,
                "from và to là số phiên bản (số nguyên) hoặc \"draft\" (bản nháp).",
                "from and to are versions (whole numbers) or \"draft\"."},
    error_entry{e::simulate_flow_required, "simulate_flow_required", st::bad_request,
                "Gửi flow_id (một kịch bản đã nạp) hoặc flow (nội dung kịch bản).",
                "Give flow_id (a loaded flow) or flow (a flow document)."},
    error_entry{e::simulate_messages_invalid, "simulate_messages_invalid", st::bad_request,
                "messages phải là một mảng tối đa {max} chuỗi.",
                "messages must be an array of at most {max} strings."},
    error_entry{e::simulate_message_too_long, "simulate_message_too_long", st::bad_request,
                "Mỗi tin nhắn phải là một chuỗi dài tối đa {limit} byte.",
                "Every message must be a string of at most {limit} bytes."},
    // accounts
    error_entry{e::user_not_found, "user_not_found", st::not_found,
                "Không tìm thấy tài khoản {name}.",
                "User {name} not found."},
    error_entry{e::active_user_not_found, "active_user_not_found", st::not_found,
                "Không có tài khoản đang hoạt động tên {name}.",
                "Active user {name} not found."},
    error_entry{e::user_fields_invalid, "user_fields_invalid", st::bad_request,
                "name và role là chuỗi, scope là mảng các chuỗi.",
                "name and role are strings, scope an array of strings."},
    error_entry{e::user_change_empty, "user_change_empty", st::bad_request,
                "Không có gì để thay đổi: gửi role, scope và/hoặc disabled.",
                "Give role, scope and/or disabled."},
    error_entry{e::scope_invalid, "scope_invalid", st::bad_request,
                "scope phải là một mảng các chuỗi.",
                "scope must be an array of strings."},
    error_entry{e::user_name_invalid, "user_name_invalid", st::bad_request,
                "Tên đăng nhập \"{name}\" không hợp lệ: dùng 1-64 ký tự a-z, 0-9, '.', '_', '-', "
                "bắt đầu bằng chữ cái hoặc chữ số.",
                "Invalid user name \"{name}\": use 1-64 of a-z, 0-9, '.', '_', '-', starting "
                "with a letter or digit."},
    error_entry{e::user_exists, "user_exists", st::conflict,
                "Đã có tài khoản \"{name}\".",
                "User \"{name}\" already exists."},
    error_entry{e::role_unknown, "role_unknown", st::bad_request,
                "Không có vai trò \"{role}\": dùng admin, official hoặc viewer.",
                "Unknown role \"{role}\": use admin, official or viewer."},
    error_entry{e::scope_required, "scope_required", st::bad_request,
                "Cán bộ cần có phạm vi phụ trách (mã xã/phường hoặc mã cấp).",
                "An official needs a scope (unit codes or level ids)."},
    error_entry{e::scope_not_official, "scope_not_official", st::bad_request,
                "Chỉ cán bộ (official) mới có phạm vi phụ trách.",
                "Only officials have a scope."},
    error_entry{e::scope_unknown, "scope_unknown", st::bad_request,
                "Phạm vi \"{scope}\" không phải mã đơn vị hay mã cấp nào.",
                "Unknown scope \"{scope}\": not a unit code or level id."},
    error_entry{e::last_active_admin, "last_active_admin", st::conflict,
                "{name} là quản trị viên cuối cùng đang hoạt động: hãy tạo quản trị viên khác "
                "trước.",
                "{name} is the last active admin: make another admin first."},
    // concerns officials register, one by one or from a spreadsheet
    error_entry{e::source_unknown, "source_unknown", st::bad_request,
                "Nguồn phải là một trong: letter (thư, đơn), reception (tiếp dân), hotline (đường "
                "dây nóng), press (báo chí, dư luận), meeting (tại buổi đối thoại).",
                "The source is one of letter, reception, hotline, press, meeting."},
    error_entry{e::phone_invalid, "phone_invalid", st::bad_request,
                "\"{phone}\" không phải số điện thoại Việt Nam.",
                "\"{phone}\" is not a Vietnamese phone number."},
    error_entry{e::consent_required, "consent_required", st::bad_request,
                "Chỉ lưu tên và số điện thoại khi người dân đồng ý: bỏ trống hai trường này, hoặc "
                "ghi nhận là người dân đã đồng ý.",
                "Consent is needed to keep a name or phone number: leave them out, or record that "
                "the citizen agreed."},
    error_entry{e::csv_required, "csv_required", st::bad_request,
                "Cần có nội dung tệp: csv (chữ của tệp CSV) hoặc xlsx (tệp Excel mã hóa base64).",
                "A file is required: csv (the CSV file's text) or xlsx (the Excel file in base64)."},
    error_entry{e::csv_quote_unclosed, "csv_quote_unclosed", st::bad_request,
                "Tệp không đúng dạng CSV: dấu ngoặc kép mở ở dòng {line} không được đóng.",
                "The file is not CSV as expected: the quote opened on line {line} is never closed."},
    error_entry{e::csv_text_after_quote, "csv_text_after_quote", st::bad_request,
                "Tệp không đúng dạng CSV: dòng {line} có chữ sau dấu ngoặc kép đóng.",
                "The file is not CSV as expected: line {line} has text after a closing quote."},
    error_entry{e::csv_too_many_rows, "csv_too_many_rows", st::bad_request,
                "Tệp có nhiều hơn {limit} dòng: hãy chia thành nhiều tệp.",
                "The file has more than {limit} rows: split it."},
    error_entry{e::csv_empty, "csv_empty", st::bad_request,
                "Tệp không có dòng nào dưới dòng tiêu đề.",
                "The file has no rows under its header line."},
    error_entry{e::csv_column_missing, "csv_column_missing", st::bad_request,
                "Dòng tiêu đề thiếu cột {column} (cần: Nguồn, Lĩnh vực, Xã, Nội dung).",
                "The header line has no column {column} (needed: source, topic, commune, text)."},
    error_entry{e::xlsx_invalid, "xlsx_invalid", st::bad_request,
                "Tệp không phải bảng tính Excel (.xlsx) đọc được ({detail}); hãy lưu lại bằng Excel "
                "hoặc LibreOffice, hoặc lưu thành CSV.",
                "The file is not an Excel workbook (.xlsx) the gateway can read ({detail}); save it "
                "again from Excel or LibreOffice, or as CSV."},
    error_entry{e::import_file_invalid, "import_file_invalid", st::bad_request,
                "Gửi đúng một tệp: csv là chữ, xlsx là tệp mã hóa base64.",
                "Send exactly one file: csv as text, or xlsx as base64."},
    error_entry{e::scan_invalid, "scan_invalid", st::bad_request,
                "Bản quét phải là một tệp gửi dưới dạng data: URL (base64).",
                "The scan must be a file sent as a data: URL (base64)."},
    error_entry{e::scan_type_unsupported, "scan_type_unsupported", st::unsupported_media_type,
                "Bản quét phải là tệp PDF, JPEG hoặc PNG.",
                "The scan must be a PDF, JPEG or PNG file."},
    error_entry{e::public_photo_not_found, "public_photo_not_found", st::not_found,
                "Không có ảnh công bố này.",
                "No such published photo."},
    error_entry{e::scan_not_publishable, "scan_not_publishable", st::bad_request,
                "Bản quét thư của người dân không được công bố (có thể có thông tin cá nhân).",
                "A letter's scan is never published (it may hold personal data)."},
    // before the meeting
    error_entry{e::link_invalid, "link_invalid", st::bad_request,
                "Trường {field} phải là một địa chỉ bắt đầu bằng https:// hoặc http://, không có "
                "khoảng trắng, dài tối đa {limit} byte.",
                "{field} must be an address starting with https:// or http://, without spaces, of "
                "at most {limit} bytes."},
    error_entry{e::notes_limit, "notes_limit", st::too_many_requests,
                "Mỗi buổi đối thoại chỉ gửi được {limit} thông báo cho người dân trong 24 giờ.",
                "A session's citizens can be sent at most {limit} notes in 24 hours."},
    // after the meeting
    error_entry{e::assignment_invalid, "assignment_invalid", st::bad_request,
                "Việc giao cần đơn vị thực hiện (office, tối đa 200 byte), hạn xử lý từ hôm nay "
                "(deadline, YYYY-MM-DD) và việc đã hứa (promise, tối đa 2000 byte): {field} chưa "
                "đúng.",
                "An assignment needs an office (at most 200 bytes), a deadline from today "
                "(YYYY-MM-DD) and what was promised (at most 2000 bytes): {field} is wrong."},
    error_entry{e::followup_not_open, "followup_not_open", st::conflict,
                "Phản ánh {ref} không có việc được giao đang chờ hoàn thành.",
                "Concern {ref} has no assigned work waiting to be done."},
    error_entry{e::followup_state_invalid, "followup_state_invalid", st::bad_request,
                "state phải là open, overdue, closed hoặc all.",
                "state must be open, overdue, closed or all."},
    // during the meeting
    error_entry{e::speaker_invalid, "speaker_invalid", st::bad_request,
                "Người trả lời (speaker) cần họ tên (name) và có thể kèm đơn vị (office), mỗi "
                "trường tối đa {limit} byte: {field} chưa đúng.",
                "Who answered (speaker) needs a name and may have an office, each of at most "
                "{limit} bytes: {field} is wrong."},
    error_entry{e::session_only_for_meeting, "session_only_for_meeting", st::bad_request,
                "Chỉ ý kiến nêu tại buổi đối thoại (nguồn meeting) mới được ghi thẳng vào một "
                "buổi; ý kiến từ nguồn khác được xếp vào buổi đối thoại tiếp theo tự động.",
                "Only a concern raised at the meeting (source meeting) is filed straight to a "
                "session; other sources go to the next session automatically."},
    error_entry{e::session_cancelled, "session_cancelled", st::conflict,
                "Buổi đối thoại {id} đã bị huỷ: không ghi thêm ý kiến vào buổi này.",
                "Session {id} was cancelled: no concern can be added to it."},
};

// The table is indexed by the enum: an entry out of place is a compile error.
constexpr bool in_order() {
    for (std::size_t i = 0; i < catalogue.size(); ++i)
        if (static_cast<std::size_t>(catalogue[i].id) != i) return false;
    return true;
}
static_assert(in_order(), "the catalogue follows the order of dgw::api::error");
static_assert(catalogue.size() == static_cast<std::size_t>(error::session_cancelled) + 1,
              "every dgw::api::error has its entry");

const error_entry* find_entry(std::string_view code, http::status s) {
    for (const auto& entry : catalogue)
        if (entry.code == code && entry.status == s) return &entry;
    return nullptr;
}

}  // namespace

std::span<const error_entry> error_catalogue() { return catalogue; }

const error_entry& entry_of(error id) { return catalogue.at(static_cast<std::size_t>(id)); }

std::string message_of(const api_error& e, std::string_view lang) {
    const auto& entry = entry_of(e.id);
    return core::fill(lang == "en" ? entry.en : entry.vi, e.params);
}

nlohmann::json error_body(error id, const nlohmann::json& params) {
    const auto& entry = entry_of(id);
    nlohmann::json body = {{"code", entry.code}, {"message", core::fill(entry.vi, params)}};
    if (params.is_object() && !params.empty()) body["params"] = params;
    return {{"error", body}};
}

http::response refuse(error id, const nlohmann::json& params) {
    return http::json_response(entry_of(id).status, error_body(id, params));
}

void localize(http::response& res, std::string_view lang) {
    if (lang != "en" || res.result_int() < 400) return;
    auto body = nlohmann::json::parse(res.body(), nullptr, false);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return;
    auto& err = body["error"];
    const auto code = err.value("code", std::string{});
    const auto* entry = find_entry(code, res.result());
    if (!entry) return;
    err["message"] = core::fill(entry->en, err.value("params", nlohmann::json::object()));
    res.body() = body.dump();
    res.prepare_payload();
}

}  // namespace dgw::api
