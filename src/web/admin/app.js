// The officials' and admins' web app: one page, no framework, no build step, no outside
// requests. It speaks only to /api/v1 of the gateway that serves it. Vietnamese first.
"use strict";

// ----- words ----------------------------------------------------------------------------------

const WORDS = {
  vi: {
    brand: "Đối thoại với người dân", nav_dashboard: "Tổng quan", nav_sessions: "Lịch đối thoại",
    correct: "Sửa lĩnh vực, xã/phường", corrected: "Đã sửa; phản ánh được xếp lại buổi đối thoại.",
    nothing_changed: "Chưa có gì thay đổi.", read_from_words: "đọc tự động từ tin nhắn",
    corrected_from: "cán bộ {who} sửa, trước là {was}", reading: "Đọc tự động: cán bộ sửa bao nhiêu",
    reading_help: "Lĩnh vực và xã/phường đọc từ tin nhắn đầu tiên của người dân, theo lĩnh vực đã đọc: số lần cán bộ phải sửa.",
    topic_corrected: "Sửa lĩnh vực", commune_corrected: "Sửa xã/phường",
    nav_concerns: "Phản ánh", logout: "Đăng xuất", login: "Đăng nhập", username: "Tên đăng nhập",
    password: "Mật khẩu", login_failed: "Sai tên đăng nhập hoặc mật khẩu.",
    too_many: "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau.",
    by_status: "Phản ánh theo trạng thái", by_commune: "Phản ánh theo xã, phường",
    upcoming: "Buổi đối thoại sắp tới", urgent_first: "Phản ánh khẩn cấp",
    none: "Không có.", concerns: "phản ánh", citizens: "người dân", open: "mở",
    session: "Buổi đối thoại", date: "Ngày", venue: "Địa điểm", status: "Trạng thái",
    level: "Cấp", title: "Tên", agenda: "Chương trình (nhóm phản ánh)", group: "Nhóm",
    representative: "Nội dung tiêu biểu", communes: "Xã, phường", topic: "Lĩnh vực",
    name_group: "Đặt tên nhóm", save: "Lưu", answer: "Trả lời", answer_text: "Nội dung trả lời",
    move_to: "Chuyển sang nhóm",
    move: "Chuyển", merge: "Gộp phản ánh", merge_from: "Gộp phản ánh", merge_into: "vào phản ánh",
    export_csv: "Xuất CSV", export_xlsx: "Xuất Excel", print: "In (A4)", filter: "Lọc",
    all: "Tất cả", search: "Tìm kiếm", urgent: "Khẩn cấp", ref: "Mã số", text: "Nội dung",
    received: "Tiếp nhận", created: "Ngày gửi", history: "Lịch sử", contact: "Liên hệ",
    phone: "Điện thoại", anonymous: "Ẩn danh", location: "Vị trí", map: "Xem bản đồ",
    change_status: "Đổi trạng thái", assignee: "Người phụ trách", saved: "Đã lưu.",
    answered_n: "Đã trả lời {n} phản ánh; {m} tin nhắn sẽ được gửi.", next: "Trang sau",
    answered_state: "Đã trả lời {n}/{c} phản ánh", answered_meta: "lúc {at}, cán bộ {by}",
    verdict: "Ý kiến của người dân", verdict_satisfied: "đã thỏa đáng", verdict_unsatisfied: "chưa thỏa đáng",
    verdict_meta: "(lúc {at})", verdict_reason: "Lý do", follows: "Mở lại từ phản ánh (người dân chưa thỏa đáng):",
    answered_mixed: "Các phản ánh trong nhóm có câu trả lời khác nhau: xem từng phản ánh.",
    correct_answer: "Đính chính câu trả lời", check_answer: "Xem trước người nhận",
    drag_hint: "Kéo một mã sang thẻ nhóm khác để chuyển phản ánh sang nhóm đó.", moved_to: "Đã chuyển {ref} sang nhóm «{name}».",
    preview_send: "Sẽ gửi {m} tin nhắn tới {c} người dân.", preview_channels: "Theo kênh: {list}.",
    preview_unchanged: "{n} phản ánh đã có đúng câu trả lời này: không gửi lại.",
    preview_correct: "{n} phản ánh đã có câu trả lời khác: người dân nhận tin đính chính.",
    preview_unreachable: "{n} người dân đã xoá dữ liệu, không thể báo.",
    nothing_to_send: "Câu trả lời này đã được gửi cho mọi phản ánh của nhóm; không có gì để gửi thêm.",
    confirm_send: "Xác nhận và gửi", confirm_correction: "Xác nhận gửi đính chính", dont_send: "Không gửi",
    register_link: "＋ Ghi nhận phản ánh từ thư, tiếp dân, đường dây nóng…",
    invite_title: "Mời người dân gửi ý kiến cho buổi này",
    invite_help: "Đường dẫn và mã QR mở khung chat; ý kiến gửi qua đó được xếp vào buổi đối thoại này khi buổi này xem xét lĩnh vực đó.",
    invite_help_audience: "Buổi này dành cho: {who}. Gửi đường dẫn hoặc in mã QR cho họ: ý kiến gửi qua đó được xếp vào buổi này.",
    invite_qr: "Mã QR mở {channel}",
    src_letter: "thư, đơn", src_reception: "tiếp dân tại trụ sở", src_hotline: "đường dây nóng",
    src_press: "báo chí, dư luận", src_meeting: "ý kiến tại buổi đối thoại",
    filed_from: "Tiếp nhận từ {via} lúc {at}", a_filed_from: "Tiếp nhận từ {via}", "a_concern.register": "Cán bộ ghi nhận",
    filed_via: "Gửi qua {via} lúc {at}", a_filed: "Tiếp nhận qua {via}",
    "a_agenda.move": "Chuyển nhóm trong chương trình", "a_concern.answer": "Trả lời",
    "a_concern.answer_corrected": "Đính chính câu trả lời", "a_concern.correct": "Sửa lĩnh vực, xã/phường",
    "a_concern.merge": "Gộp vào phản ánh khác", "a_concern.merged_from": "Phản ánh khác được gộp vào",
    "a_concern.reroute": "Xếp lại buổi đối thoại", "a_concern.update": "Đổi trạng thái, người phụ trách",
    "a_concern.verdict": "Người dân cho ý kiến về câu trả lời", "a_concern.carried": "Quá hạn: đưa vào buổi đối thoại tiếp theo",
    "a_concern.followup_closed": "Báo hoàn thành việc được giao", "a_concern.work_reminded": "Nhắc việc qua SMS cho cơ quan được giao",
    "a_photo.publish": "Công bố ảnh trên trang kết quả", "a_photo.unpublish": "Thôi công bố ảnh",
    ch_office: "không qua kênh nhắn tin (trả lời trực tiếp)", ch_telegram: "Telegram", ch_zalo: "Zalo", ch_messenger: "Messenger", ch_whatsapp: "WhatsApp",
    ch_viber: "Viber", ch_line: "LINE", ch_twilio: "SMS", ch_webchat: "trang trò chuyện trên web",
    more_actions: "Thao tác khác", answer_group: "Trả lời nhóm này", select_group: "Chọn nhóm này để gộp",
    merge_groups: "Gộp {n} nhóm đã chọn thành một", groups_merged: "Đã gộp {n} phản ánh vào nhóm \"{name}\".",
    select_to_merge: "Chọn các nhóm cùng một vấn đề (ô ở góc mỗi nhóm) rồi bấm Gộp.",
    concerns_of: "Các phản ánh", photos_n: "{n} ảnh",
    commune_hint: "Gõ tên xã, phường (có dấu hoặc không)", commune_unsure: "Chưa rõ xã, phường nào: chọn một tên trong danh sách.",
    session_hint: "Gõ tên hoặc tháng của buổi đối thoại", session_unsure: "Chưa rõ buổi đối thoại nào: chọn một tên trong danh sách.",
    page_n: "Trang {n}/{m}", sessions_n: "{n} buổi đối thoại",
    prev: "Trang trước", of: "trên", edit: "Sửa", postpone: "Hoãn", cancel: "Hủy buổi",
    publish_toggle: "Công khai câu trả lời trên trang kết quả (không kèm tên, lời của người dân)",
    assign_toggle: "Giao việc cho một đơn vị (có hạn xử lý)", assign_office: "Đơn vị thực hiện", assign_deadline: "Hạn xử lý",
    assign_promise: "Việc đã hứa", followup: "Theo dõi thực hiện", assigned_meta: "giao {office}, hạn {deadline}: {promise}",
    overdue: "Quá hạn", followup_closed: "Kết quả", 
    note_title: "Gửi thông báo cho người dân của buổi này", note_help: "Mỗi người dân có phản ánh trong chương trình nhận một tin trên kênh của họ (tối đa 3 thông báo mỗi ngày).",
    note_text: "Nội dung thông báo", note_send: "Xem trước và gửi", note_confirm: "Gửi thông báo tới {n} người dân ({channels})?", note_sent: "Đã gửi thông báo tới {n} người dân.",
    watch_link: "Cách tham dự, xem trực tiếp (đường dẫn)", note: "Ghi chú", from: "Từ ngày", to: "Đến ngày", show: "Xem", no_rights: "Bạn không có quyền làm việc này.",
    must_change: "Bạn đang dùng mật khẩu một lần. Hãy đổi mật khẩu.", new_password: "Mật khẩu mới",
    current_password: "Mật khẩu hiện tại", new_password_again: "Nhập lại mật khẩu mới",
    new_password_optional: "Mật khẩu mới (để trống: hệ thống tạo mật khẩu một lần)",
    password_mismatch: "Hai mật khẩu mới không giống nhau.", password_changed: "Đã đổi mật khẩu.",
    wrong_current: "Mật khẩu hiện tại không đúng.",
    password_rule: "Ít nhất 10 ký tự; không dùng mật khẩu phổ biến như 1234567890. Nên dùng vài từ của một câu.",
    change_password: "Đổi mật khẩu", unscheduled: "Chưa xếp lịch", merged_into: "Đã gộp vào",
    s_received: "Đã tiếp nhận", s_scheduled: "Đã xếp lịch", s_answered: "Đã trả lời",
    s_forwarded: "Đã chuyển cơ quan khác", s_withdrawn: "Đã rút", s_merged: "Đã gộp",
    s_unscheduled: "Chưa xếp lịch", s_planned: "Dự kiến", s_postponed: "Hoãn", s_cancelled: "Hủy",
    s_held: "Đã tổ chức", s_fixed: "Đã định ngày", photo: "Ảnh", scan: "Bản quét", scan_pdf: "Tải bản quét thư (PDF)",
    photo_publish: "Công bố ảnh này trên trang kết quả", photo_shown: "Ảnh sẽ hiện trên trang kết quả cùng câu trả lời đã công bố.", photo_hidden: "Ảnh không còn hiện trên trang kết quả.", photo_on_platform: "(ảnh lưu ở nền tảng nhắn tin)",
    photo_refused: "Ảnh {n}: không lưu (không phải ảnh hoặc quá lớn)", photo_failed: "Ảnh {n}: không tải được từ nền tảng", loading: "Đang tải…", error: "Lỗi",
    create_session: "Thêm buổi đối thoại", commune: "Xã, phường", find_commune: "Tìm xã, phường theo tên",
    organisation: "Cơ quan, doanh nghiệp", province: "Tỉnh", title_vi: "Tên (tiếng Việt)",
    title_en: "Tên (tiếng Anh, không bắt buộc)", audience: "Đối tượng", everyone: "Mọi người dân",
    session_created: "Đã thêm buổi đối thoại.", keep_status: "Giữ nguyên", actions: "Thao tác",
    edit_session: "Sửa buổi đối thoại", added: "do quản trị viên thêm", close: "Đóng",
    moved_n: "{n} phản ánh được chuyển sang buổi khác, người dân được báo.",
    moved_here_n: "{n} phản ánh đã gửi tới buổi muộn hơn được chuyển sang buổi này, người dân được báo.",
    session_topics: "Lĩnh vực buổi đối thoại nghe", session_topics_all: "Không chọn lĩnh vực nào: buổi đối thoại nghe mọi lĩnh vực của cấp này.",
    delete_session: "Xóa", delete_session_confirm: "Xóa buổi đối thoại «{title}» ({date})? Chưa có phản ánh nào gửi tới buổi này.",
    session_deleted: "Đã xóa buổi đối thoại.", subscribe_calendar: "Theo dõi lịch đối thoại trên điện thoại, máy tính (iCalendar)",
    reach: "Người dân đã nhận được trả lời chưa", reach_none: "Chưa có trả lời nào được gửi.",
    r_citizens: "người dân", r_delivered: "đã nhận", r_waiting: "chờ lần nhắn tới",
    r_pending: "đang gửi", r_failed: "không gửi được", channel: "Kênh", path: "Cách gửi",
    reason: "Lý do", answer_of: "Trả lời", moved_of: "Đổi buổi đối thoại", note_of: "Thông báo của cán bộ", reminder_of: "Nhắc lịch", work_reminder_of: "Nhắc việc được giao",
    p_free: "tin nhắn thường", p_template: "mẫu tin đã duyệt", p_tag: "thẻ tin nhắn",
    p_optin: "đăng ký nhận thông báo", p_zns: "ZNS theo số điện thoại", p_sms: "SMS",
    p_page: "trang trò chuyện web", p_next_contact: "khi người dân nhắn lại",
    leave_unsaved: "Có thay đổi chưa lưu. Rời trang này và bỏ các thay đổi đó?",
    // Errors the gateway's HTTP server answers itself, before the API (x_<code>), and the
    // app's own when there is no answer or no code.
    x_not_found: "Máy chủ không có chức năng này. Hãy tải lại trang rồi thử lại.",
    x_method_not_allowed: "Máy chủ không nhận thao tác này. Hãy tải lại trang rồi thử lại.",
    x_internal: "Máy chủ gặp lỗi khi xử lý yêu cầu. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên mã yêu cầu {id}.",
    x_too_many_connections: "Máy chủ đang quá tải. Hãy thử lại sau ít giây.",
    x_payload_too_large: "Nội dung gửi lên quá lớn so với giới hạn của máy chủ. Hãy chia nhỏ tệp rồi gửi lại.",
    x_header_too_large: "Yêu cầu gửi lên quá lớn. Hãy đăng xuất, đăng nhập lại rồi thử lại.",
    x_bad_request: "Máy chủ không đọc được yêu cầu. Hãy tải lại trang rồi thử lại.",
    x_status: "Máy chủ trả lời lỗi (HTTP {status}). Hãy thử lại sau ít phút.",
    x_network: "Không kết nối được tới máy chủ. Hãy kiểm tra mạng rồi thử lại.",
  },
  en: {
    brand: "Citizen dialogue", nav_dashboard: "Dashboard", nav_sessions: "Schedule",
    correct: "Correct topic and commune", corrected: "Corrected; the concern was filed again.",
    nothing_changed: "Nothing changed.", read_from_words: "read from the citizen's message",
    corrected_from: "corrected by {who}, was {was}", reading: "Read from messages: how often corrected",
    reading_help: "Topic and commune read from citizens' first messages, by the topic read: how often officials corrected them.",
    topic_corrected: "Topic corrected", commune_corrected: "Commune corrected",
    nav_concerns: "Concerns", logout: "Log out", login: "Log in", username: "User name",
    password: "Password", login_failed: "Wrong user name or password.",
    too_many: "Too many failed logins. Please try again later.",
    by_status: "Concerns by status", by_commune: "Concerns by commune or ward",
    upcoming: "Upcoming dialogue sessions", urgent_first: "Urgent concerns",
    none: "None.", concerns: "concerns", citizens: "citizens", concerns_one: "concern", citizens_one: "citizen", open: "open",
    session: "Session", date: "Date", venue: "Venue", status: "Status", level: "Level",
    title: "Title", agenda: "Agenda (grouped concerns)", group: "Group",
    representative: "Representative text", communes: "Communes", topic: "Topic",
    name_group: "Name the group", save: "Save", answer: "Answer", answer_text: "Answer text",
    move_to: "Move to group",
    move: "Move", merge: "Merge concerns", merge_from: "Merge concern", merge_into: "into",
    export_csv: "Export CSV", export_xlsx: "Export Excel", print: "Print (A4)", filter: "Filter",
    all: "All", search: "Search", urgent: "Urgent", ref: "Reference", text: "Text",
    received: "Received", created: "Filed", history: "History", contact: "Contact",
    phone: "Phone", anonymous: "Anonymous", location: "Location", map: "Open map",
    change_status: "Change status", assignee: "Assignee", saved: "Saved.",
    answered_n: "{n} concerns answered; {m} messages will be sent.", next: "Next page",
    answered_state: "{n} of {c} concerns answered", answered_meta: "on {at} by {by}",
    verdict: "The citizen's say", verdict_satisfied: "satisfied", verdict_unsatisfied: "not satisfied",
    verdict_meta: "(on {at})", verdict_reason: "Why", follows: "Re-opened from concern (the citizen was not satisfied):",
    answered_mixed: "The group's concerns have different answers: see each concern.",
    correct_answer: "Correct the answer", check_answer: "Check who will be told",
    drag_hint: "Drag a reference onto another group's card to move the concern there.", moved_to: "Moved {ref} to the group “{name}”.",
    preview_send: "{m} messages will go to {c} citizens.", preview_channels: "By channel: {list}.",
    preview_unchanged: "{n} concerns already have exactly this answer: not sent again.",
    preview_correct: "{n} concerns have another answer: the citizens get a correction.",
    preview_unreachable: "{n} citizens erased their data and cannot be told.",
    nothing_to_send: "This answer was already sent for every concern of the group; nothing more to send.",
    confirm_send: "Confirm and send", confirm_correction: "Confirm and send the correction", dont_send: "Don't send",
    register_link: "＋ Register a concern from a letter, the desk, the hotline…",
    invite_title: "Invite citizens to raise concerns for this session",
    invite_help: "Links and QR codes that open the chat; concerns sent through them go to this session when it hears their topic.",
    invite_help_audience: "This session is for: {who}. Send them a link or print a QR code: concerns sent through it go to this session.",
    invite_qr: "QR code opening {channel}",
    src_letter: "a letter", src_reception: "the reception desk", src_hotline: "the hotline",
    src_press: "the press or public opinion", src_meeting: "the dialogue session itself",
    filed_from: "Received from {via} on {at}", a_filed_from: "Received from {via}", "a_concern.register": "Registered by an official",
    filed_via: "Sent by {via} on {at}", a_filed: "Received by {via}",
    "a_agenda.move": "Moved to another agenda group", "a_concern.answer": "Answered",
    "a_concern.answer_corrected": "Answer corrected", "a_concern.correct": "Topic or commune corrected",
    "a_concern.merge": "Merged into another concern", "a_concern.merged_from": "Another concern merged into it",
    "a_concern.reroute": "Moved to another session", "a_concern.update": "Status or assignee changed",
    "a_concern.verdict": "The citizen's say on the answer", "a_concern.carried": "Overdue: onto the next session",
    "a_concern.followup_closed": "Assigned work reported done",
    "a_concern.work_reminded": "The assigned office reminded by SMS", "a_photo.publish": "Photo shown on the public page",
    "a_photo.unpublish": "Photo taken off the public page",
    ch_office: "no messaging channel (answered in person)", ch_telegram: "Telegram", ch_zalo: "Zalo", ch_messenger: "Messenger", ch_whatsapp: "WhatsApp",
    ch_viber: "Viber", ch_line: "LINE", ch_twilio: "SMS", ch_webchat: "the web chat page",
    more_actions: "More actions", answer_group: "Answer this group", select_group: "Select this group to merge",
    merge_groups: "Merge the {n} selected groups into one", groups_merged: "{n} concerns merged into the group \"{name}\".",
    select_to_merge: "Select the groups about the same matter (the box in each group's corner), then Merge.",
    concerns_of: "The concerns", photos_n: "{n} photos",
    commune_hint: "Type a commune or ward (accents optional)", commune_unsure: "Which commune? Pick a name from the list.",
    session_hint: "Type a session's name or month", session_unsure: "Which session? Pick a name from the list.",
    page_n: "Page {n} of {m}", sessions_n: "{n} sessions",
    prev: "Previous page", of: "of", edit: "Edit", postpone: "Postpone", cancel: "Cancel session",
    publish_toggle: "Publish the answer on the public results page (no citizen's name or words)",
    assign_toggle: "Assign the work to an office (with a deadline)", assign_office: "Office", assign_deadline: "Deadline",
    assign_promise: "What was promised", followup: "Follow-up", assigned_meta: "assigned to {office}, due {deadline}: {promise}",
    overdue: "Overdue", followup_closed: "Result", 
    note_title: "Send a note to this session's citizens", note_help: "Each citizen with a concern on the agenda gets one message on their own channel (at most 3 notes a day).",
    note_text: "The note", note_send: "Preview and send", note_confirm: "Send the note to {n} citizens ({channels})?", note_sent: "The note was sent to {n} citizens.",
    watch_link: "How to attend or watch (link)", note: "Note", from: "From", to: "To", show: "Show", no_rights: "You are not allowed to do this.",
    must_change: "You are using a one-time password. Please change it.", new_password: "New password",
    current_password: "Current password", new_password_again: "New password again",
    new_password_optional: "New password (empty: the gateway draws a one-time password)",
    password_mismatch: "The two new passwords differ.", password_changed: "Password changed.",
    wrong_current: "The current password is wrong.",
    password_rule: "At least 10 characters; no common password such as 1234567890. A few words of a sentence work well.",
    change_password: "Change password", unscheduled: "Unscheduled", merged_into: "Merged into",
    s_received: "Received", s_scheduled: "Scheduled", s_answered: "Answered",
    s_forwarded: "Forwarded", s_withdrawn: "Withdrawn", s_merged: "Merged",
    s_unscheduled: "Unscheduled", s_planned: "Planned", s_postponed: "Postponed",
    s_cancelled: "Cancelled", s_held: "Held", s_fixed: "Date fixed", photo: "Photo", scan: "Scan", scan_pdf: "Download the letter's scan (PDF)",
    photo_publish: "Show this photo on the public page", photo_shown: "The photo will show on the public page with the published answer.", photo_hidden: "The photo no longer shows on the public page.", photo_on_platform: "(kept by the messaging platform)",
    photo_refused: "Photo {n}: not kept (not an image, or too large)", photo_failed: "Photo {n}: could not be fetched from the platform", loading: "Loading…",
    error: "Error", create_session: "Add a dialogue session", commune: "Commune or ward",
    find_commune: "Find a commune by name", organisation: "Agency or enterprise", province: "Province",
    title_vi: "Title (Vietnamese)", title_en: "Title (English, optional)", audience: "Audience",
    everyone: "Every citizen", session_created: "Session added.", keep_status: "As is",
    actions: "Actions", edit_session: "Edit the session", added: "added by an admin", close: "Close",
    moved_n: "{n} concerns moved to another session; their citizens are told.",
    moved_here_n: "{n} concerns filed to a later session moved to this one; their citizens are told.",
    session_topics: "Topics the session hears", session_topics_all: "None ticked: the session hears every topic of its level.",
    delete_session: "Delete", delete_session_confirm: "Delete the session «{title}» ({date})? No concern is filed to it.",
    session_deleted: "Session deleted.", subscribe_calendar: "Subscribe to the sessions in your phone's or computer's calendar (iCalendar)",
    reach: "Have the citizens been told", reach_none: "No answer has been sent yet.",
    r_citizens: "citizens", r_delivered: "reached", r_waiting: "waiting for their next message",
    r_pending: "being sent", r_failed: "could not be sent", channel: "Channel", path: "Path",
    reason: "Reason", answer_of: "Answer", moved_of: "Session change", note_of: "Officials' note", reminder_of: "Reminder", work_reminder_of: "Work reminder",
    p_free: "ordinary message", p_template: "approved template", p_tag: "message tag",
    p_optin: "notification opt-in", p_zns: "ZNS by phone", p_sms: "SMS",
    p_page: "web chat page", p_next_contact: "when the citizen wrote again",
    leave_unsaved: "There are unsaved changes. Leave this page and lose them?",
    x_not_found: "The server has no such function. Reload the page and try again.",
    x_method_not_allowed: "The server does not take this action. Reload the page and try again.",
    x_internal: "The server failed to handle the request. Try again; if it fails again, give the admin the request id {id}.",
    x_too_many_connections: "The server is overloaded. Try again in a few seconds.",
    x_payload_too_large: "What was sent is larger than the server takes. Split the file and send it again.",
    x_header_too_large: "The request is too large. Log out, log in again and retry.",
    x_bad_request: "The server could not read the request. Reload the page and try again.",
    x_status: "The server answered with an error (HTTP {status}). Try again in a few minutes.",
    x_network: "The server cannot be reached. Check the network and try again.",
  },
};

let lang = localStorage.getItem("dgw.lang") || "vi";
const t = (key, vars) => {
  let s = (WORDS[lang] && WORDS[lang][key]) || WORDS.vi[key] || key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace("{" + k + "}", v);
  return s;
};
const statusWord = (s) => t("s_" + s);

// ----- the API --------------------------------------------------------------------------------

const state = { user: null, csrf: "" };

class ApiError extends Error {
  // The gateway's errors are {"error": {"code", "message", "params"}}: a stable code, the
  // message in the page's language and the values it names (params.field: the field it is about).
  // Status 0: no answer at all.
  constructor(status, body, requestId) {
    const error = (body && body.error) || {};
    super(errorWords(status, error, requestId));
    this.status = status;
    this.code = error.code || (status ? undefined : "network");
    this.params = error.params || {};
  }
}

// What an error says to the official. The API's errors come from its catalogue in the page's
// language (Accept-Language); those the HTTP server answers before any handler (no such route,
// a body over its limit, a full server) have a code but English words, so the app says them
// itself (WORDS x_<code>); anything else, or no answer, gets the app's general words.
function errorWords(status, error, requestId) {
  if (error.code && WORDS.vi["x_" + error.code]) return t("x_" + error.code, { id: requestId || "—" });
  if (error.message) return error.message;
  return status ? t("x_status", { status }) : t("x_network");
}

async function api(method, path, body) {
  // The API answers its errors in the page's language.
  const headers = { Accept: "application/json", "Accept-Language": lang };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && state.csrf) headers["X-CSRF-Token"] = state.csrf;
  let res;
  try {
    res = await fetch("/api/v1" + path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, null);  // the browser's own words for it are English only
  }
  const data = await res.json().catch(() => null);
  if (res.status === 401 && path !== "/auth/login") {
    state.user = null;
    location.hash = "#/login";
    throw new ApiError(401, data);
  }
  if (!res.ok) throw new ApiError(res.status, data, res.headers.get("X-Request-Id"));
  return data;
}

// ----- small DOM helpers ------------------------------------------------------------------------

// el("div", {class: "card"}, child, "text", ...): text is always set as text, never as HTML.
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

const main = () => document.getElementById("main");
function show(...nodes) {
  unsaved = null;  // a new page: the one before had its chance to ask
  main().replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));
  main().focus();
}
function flash(text) {
  document.getElementById("flash").textContent = text || "";
}
function failure(e) {
  if (e.status === 403) return flash(t("no_rights") + (e.code ? " (" + e.code + ")" : ""));
  flash(t("error") + ": " + e.message);
}
const field = (labelText, input) => {
  const id = "f" + Math.random().toString(36).slice(2);
  (Array.isArray(input) ? input[0] : input).id = id;  // [input, its datalist] for pickers
  return el("div", {}, el("label", { for: id }, labelText), input);
};
// Folded for matching what people type: no case, no diacritics ("Bát Xát" ~ "bat xat").
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
// A form's error shown next to the field the API's error is about, else at the top of the form.
// `fields` maps a field name to [a pattern, its input]; the pattern is matched against the
// error's code, the field it names (params.field) and its message, so that a code or an
// English field name places an error whatever the page's language.
function formError(box, fields, e) {
  for (const node of box.querySelectorAll(".field-error")) node.remove();
  if (e.status === 403 || e.status === 401) return failure(e);
  const about = [e.code || "", (e.params && e.params.field) || "", e.message].join(" ");
  const hit = Object.values(fields).find(([words]) => words.test(about));
  const where = hit ? hit[1].parentNode : box;
  const note = el("p", { class: "error field-error", role: "alert", id: "e" + Math.random().toString(36).slice(2) }, e.message);
  if (hit) {
    where.append(note);
    hit[1].setAttribute("aria-describedby", note.id);
    hit[1].focus();
  } else {
    box.prepend(note);
  }
}
// A list too wide for a phone is shown there one block per row (app.css `table.stack`), each
// cell labelled with its column's heading.
function stackOnPhones(table) {
  if (table.tagName !== "TABLE") return table;
  const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent);
  for (const row of table.querySelectorAll("tbody tr"))
    [...row.children].forEach((cell, i) => { if (headings[i] && !cell.hasAttribute("colspan")) cell.dataset.label = headings[i]; });
  table.classList.add("stack");
  return table;
}

const option = (value, text, selected) => el("option", { value, selected: selected || undefined }, text);
const badge = (text, cls) => el("span", { class: "badge " + (cls || "") }, text);

// A commune typed by name (accents optional, a former commune's name, a code): the gateway reads
// it as it reads a citizen's answer (/localities/search) and lists what it found under the box.
// resolve() gives the code, "" for an empty box, null when the text is not clearly one commune.
let pickers = 0;
function communePicker(places, code) {
  const id = "picker-" + (++pickers);
  const unit = places.units.find((u) => u.code === code);
  const input = el("input", { type: "search", list: id, autocomplete: "off", value: unit ? unit.name : code || "", placeholder: t("commune_hint") });
  const list = el("datalist", { id });
  let timer = null;
  const lookup = async () => {
    const q = input.value.trim();
    if (!q) { list.replaceChildren(); return { candidates: [], unique: false }; }
    const r = await api("GET", "/localities/search?q=" + encodeURIComponent(q));
    list.replaceChildren(...r.candidates.map((c) => option(c.name, c.former ? c.former + " → " + c.name : c.name)));
    return r;
  };
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => lookup().catch(() => {}), 200); });
  const resolve = async () => {
    const q = input.value.trim();
    if (!q) return "";
    const exact = places.units.find((u) => u.name === q || fold(u.name) === fold(q));
    if (exact) return exact.code;
    const r = await lookup();
    return r.unique && r.candidates.length ? r.candidates[0].code : null;
  };
  return { input: [input, list], resolve };
}

// A session typed by its title or month, from the sessions of the two years around today.
function sessionPicker(sessions, id) {
  const key = "picker-" + (++pickers);
  const label = (s) => (lang === "vi" ? s.title_vi : s.title_en) + " · " + (s.date || s.month);
  const current = sessions.find((s) => s.id === id);
  const input = el("input", { type: "search", list: key, autocomplete: "off", value: current ? label(current) : id || "", placeholder: t("session_hint") });
  const list = el("datalist", { id: key }, sessions.map((s) => option(label(s))));
  const resolve = () => {
    const q = fold(input.value.trim());
    if (!q) return "";
    const hits = sessions.filter((s) => s.id === input.value.trim() || fold(label(s)) === q);
    if (hits.length === 1) return hits[0].id;
    const near = sessions.filter((s) => fold(label(s)).includes(q));
    return near.length === 1 ? near[0].id : null;
  };
  return { input: [input, list], resolve };
}
const day = (iso) => (iso ? iso.slice(0, 10) : "");
// A deadline ("2027-01-05") as the page's language writes a date: 05/01/2027 in Vietnamese.
const deadlineText = (iso) => (lang === "vi" && /^\d{4}-\d{2}-\d{2}$/.test(iso || "") ? iso.split("-").reverse().join("/") : iso || "");
// A moment the gateway gives in UTC, as the official's clock shows it.
const localTime = (iso) => (iso ? new Date(iso).toLocaleString(lang === "vi" ? "vi-VN" : "en-GB",
  { dateStyle: "short", timeStyle: "short" }) : "");
// The word for `n` of something: English says "1 concern", "2 concerns" (key + "_one").
const plural = (n, key) => (n === 1 && WORDS[lang][key + "_one"] ? t(key + "_one") : t(key));
const MONTHS_EN = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
// When a session is: "ngày 18/3/2027" / "18 Mar 2027", or its month "tháng 3/2027" / "Mar 2027".
function sessionWhen(s) {
  const [y, m, d] = (s.date || s.month || "").split("-").map(Number);
  if (!y || !m) return s.date || s.month || "";
  if (lang === "vi") return d ? `ngày ${d}/${m}/${y}` : `tháng ${m}/${y}`;
  return (d ? d + " " : "") + MONTHS_EN[m - 1] + " " + y;
}
// A channel by its platform's name when its id names one ("telegram" → "Telegram"), else its id.
const channelWord = (id) => (WORDS.vi["ch_" + id] ? t("ch_" + id) : id);
const canAct = () => state.user && state.user.role !== "viewer";
const isAdmin = () => state.user && state.user.role === "admin";

// ----- pages from other files ---------------------------------------------------------------------

// More pages live in their own files (flows.js, users.js), loaded after this one. Each calls
// addPage("name", {words: {vi: {...}, en: {...}}, nav: "word key", adminOnly, render}) and is
// then reached at #/name/...: render(parts after the name, URLSearchParams).
const PAGES = {};
function addWords(words) {
  for (const l of Object.keys(words || {})) Object.assign(WORDS[l], words[l]);
}
function addPage(name, page) {
  PAGES[name] = page;
  addWords(page.words);
}

// A page holding work not saved yet (the flow editor) says so with setUnsaved(test): leaving it
// (a link, the back button, the language switch, closing the tab) asks first while test() holds.
let unsaved = null;
function setUnsaved(test) {
  unsaved = test;
}
function mayLeave() {
  if (!unsaved || !unsaved()) return true;
  if (!confirm(t("leave_unsaved"))) return false;
  unsaved = null;
  return true;
}

// ----- pages ------------------------------------------------------------------------------------

function loginPage() {
  const user = el("input", { name: "username", autocomplete: "username", required: true });
  const pass = el("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "card login", onsubmit: async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    try {
      const r = await api("POST", "/auth/login", { username: user.value, password: pass.value });
      state.user = r.user;
      state.csrf = r.csrf_token;
      renderChrome();
      location.hash = "#/";
    } catch (e) {
      // A wrong password is only that: a server or network failure says what it is.
      error.textContent = e.status === 429 ? t("too_many") : e.status === 401 ? t("login_failed") : e.message;
    }
  } },
  el("h1", {}, t("login")), field(t("username"), user), field(t("password"), pass), error,
  el("p", {}, el("button", { class: "primary", type: "submit" }, t("login"))));
  show(form);
  user.focus();
}

// Two fields for a new password, which must match: `check()` says whether they do, and if
// not, puts the message beside the second field and focuses it. The gateway checks the rest
// (length, common passwords) and answers in the page's language.
// `optional`: both may stay empty (an admin adding an account lets the gateway draw one).
function newPasswordFields(optional) {
  const pass = el("input", { type: "password", autocomplete: "new-password", minlength: "10", required: !optional });
  const again = el("input", { type: "password", autocomplete: "new-password", minlength: "10", required: !optional });
  const wrap = el("div", { class: "new-password" }, field(t(optional ? "new_password_optional" : "new_password"), pass),
    field(t("new_password_again"), again), el("p", { class: "muted" }, t("password_rule")));
  const check = () => {
    for (const node of wrap.querySelectorAll(".field-error")) node.remove();
    again.removeAttribute("aria-describedby");
    if (pass.value === again.value) return true;
    const note = el("p", { class: "error field-error", role: "alert", id: "e" + Math.random().toString(36).slice(2) }, t("password_mismatch"));
    again.parentNode.append(note);
    again.setAttribute("aria-describedby", note.id);
    again.focus();
    return false;
  };
  return { pass, again, wrap, check };
}

function passwordCard() {
  const current = el("input", { type: "password", autocomplete: "current-password", required: true });
  const next = newPasswordFields();
  const form = el("form", { class: "card narrow", onsubmit: async (ev) => {
    ev.preventDefault();
    if (!next.check()) return;
    try {
      await api("POST", "/auth/password", { current_password: current.value, new_password: next.pass.value });
      const forced = state.user.must_change_password;
      state.user.must_change_password = false;
      if (!forced) location.hash = "#/";
      await route();
      flash(t("password_changed"));
    } catch (e) {
      // A wrong current password is a 403 of its own, not a missing right.
      if (e.code === "invalid_credentials") e = Object.assign(new Error(t("wrong_current")), { status: 400 });
      formError(form, { current: [new RegExp(t("wrong_current")), current], next: [/./, next.pass] }, e);
    }
  } }, state.user.must_change_password ? el("p", { class: "error" }, t("must_change")) : null,
  field(t("current_password"), current), next.wrap,
  el("button", { class: "primary", type: "submit" }, t("change_password")));
  return form;
}

// Per topic the citizens' words were read as: how often officials corrected the topic or the
// commune read from them.
function readingTable(topics) {
  const read = topics.filter((x) => x.topic_read || x.commune_read);
  if (!read.length) return el("p", { class: "muted" }, t("none"));
  const rate = (n, of) => (of ? `${n} / ${of} (${Math.round((100 * n) / of)}%)` : "—");
  return el("table", { class: "reading" }, el("thead", {}, el("tr", {}, el("th", {}, t("topic")),
    el("th", {}, t("topic_corrected")), el("th", {}, t("commune_corrected")))),
  el("tbody", {}, read.map((x) => el("tr", { "data-topic": x.topic },
    el("td", {}, lang === "vi" ? x.name_vi : x.name_en),
    el("td", {}, rate(x.topic_corrected, x.topic_read)), el("td", {}, rate(x.commune_corrected, x.commune_read))))));
}

// `editor(s)`, when given (admins on the schedule page), makes each session's edit form,
// opened under its row by an Edit button.
function sessionTable(items, editor) {
  if (!items.length) return el("p", { class: "muted" }, t("none"));
  return stackOnPhones(el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, t("date")), el("th", {}, t("title")),
    el("th", {}, t("venue")), el("th", {}, t("status")), el("th", {}, t("concerns")),
    editor ? el("th", {}, t("actions")) : null)),
  el("tbody", {}, items.map((s) => {
    const title = lang === "vi" ? s.title_vi : s.title_en;
    const row = el("tr", {},
      el("td", { class: "date" }, s.date || s.month), el("td", {}, el("a", { href: "#/sessions/" + encodeURIComponent(s.id) }, title),
        s.origin === "added" ? el("span", { class: "muted" }, " (", t("added"), ")") : null),
      el("td", {}, s.venue), el("td", {}, statusWord(s.status), s.note ? el("span", { class: "muted" }, " · ", s.note) : null),
      el("td", {}, String(s.concerns)));
    if (!editor) return row;
    const editRow = el("tr", { class: "edit-row", hidden: true }, el("td", { colspan: "6" }));
    const toggle = el("button", { type: "button", "aria-expanded": "false", "aria-label": t("edit") + ": " + title, onclick: () => {
      const open = editRow.hidden;
      editRow.hidden = !open;
      toggle.setAttribute("aria-expanded", String(open));
      if (open) {
        editRow.firstChild.replaceChildren(editor(s));
        editRow.querySelector("input, select").focus();
      }
    } }, t("edit"));
    row.append(el("td", {}, el("div", { class: "row-actions" }, toggle,
      s.origin === "added" && !s.concerns ? deleteSessionButton(s, title) : null)));
    return [row, editRow];
  }))));
}

// A session an admin added goes while nothing is filed to it (the API checks again): once
// confirmed, since there is no undo.
function deleteSessionButton(s, title) {
  return el("button", { type: "button", class: "danger", "aria-label": t("delete_session") + ": " + title, onclick: async () => {
    if (!confirm(t("delete_session_confirm", { title, date: s.date || s.month }))) return;
    try {
      await api("DELETE", "/sessions/" + encodeURIComponent(s.id));
      await route();
      flash(t("session_deleted"));
    } catch (e) {
      failure(e);
    }
  } }, t("delete_session"));
}

// Date, venue, a postponement or cancellation (with a note) of one session: PATCH with only
// what changed, since an empty date or venue would clear an earlier edit.
function sessionEditForm(s) {
  const f = {
    date: el("input", { type: "date", value: s.date || "" }), venue: el("input", { value: s.venue }),
    status: el("select", {}, option("", t("keep_status")), option("postponed", t("postpone")), option("cancelled", t("cancel"))),
    note: el("input", { value: s.note || "" }),
    watch: el("input", { type: "url", value: s.watch_link || "", placeholder: "https://", inputmode: "url" }),
  };
  const form = el("form", { class: "row", "aria-label": t("edit_session"), onsubmit: async (ev) => {
    ev.preventDefault();
    const body = {};
    if (f.date.value !== (s.date || "")) body.date = f.date.value;
    if (f.venue.value !== s.venue) body.venue = f.venue.value;
    if (f.status.value) body.status = f.status.value;
    if (f.note.value !== (s.note || "")) body.note = f.note.value;
    if (f.watch.value !== (s.watch_link || "")) body.watch_link = f.watch.value.trim();
    try {
      const r = await api("PATCH", "/sessions/" + encodeURIComponent(s.id), body);
      await route();
      flash(t("saved") + (r.moved && r.moved.length ? " " + t("moved_n", { n: r.moved.length }) : ""));
    } catch (e) {
      formError(form, { date: [/\bdate\b/, f.date], status: [/\bstatus\b|session_status_invalid/, f.status], note: [/\bnote\b/, f.note], venue: [/\bvenue\b/, f.venue], watch: [/watch_link|link_invalid/, f.watch] }, e);
    }
  } }, field(t("date"), f.date), field(t("venue"), f.venue), field(t("status"), f.status), field(t("note"), f.note),
  field(t("watch_link"), f.watch),
  el("button", { class: "primary", type: "submit" }, t("save")));
  return form;
}

// Adding a session that is not in the config's rules: an agency's conference, an extra commune
// or province meeting. The unit is picked by name; the API checks everything again.
function createSessionForm(places) {
  const name = (x) => (lang === "vi" ? x.name_vi : x.name_en || x.name_vi);
  const communes = places.units.slice().sort((a, b) => a.name.localeCompare(b.name, "vi"));
  const f = {
    level: el("select", {}, places.levels.map((l) => option(l.id, name(l), l.id === "commune"))),
    find: el("input", { type: "search", autocomplete: "off" }),
    commune: el("select", {}),
    organisation: el("select", {}, places.organisations.map((o) => option(o.id, lang === "vi" ? o.name : o.name_en || o.name))),
    date: el("input", { type: "date", required: true, min: new Date().toISOString().slice(0, 10) }),
    venue: el("input", { required: true }), title_vi: el("input", { required: true }), title_en: el("input", {}),
    audience: el("select", {}, option("", t("everyone")), places.audiences.map((a) => option(a.id, name(a)))),
    topics: el("fieldset", { class: "topics" }),
  };
  // The topics the chosen level hears, none ticked: the session then hears all of them.
  const showTopics = () => {
    const heard = places.topics.filter((x) => (x.levels || []).includes(f.level.value));
    f.topics.replaceChildren(el("legend", {}, t("session_topics")),
      el("p", { class: "muted" }, t("session_topics_all")),
      ...heard.map((x) => el("label", { class: "check" }, el("input", { type: "checkbox", value: x.id }), " ", name(x))));
  };
  const fillCommunes = () => {
    const q = fold(f.find.value.trim());
    const level = f.level.value;
    f.commune.replaceChildren(...communes.filter((u) => u.level === level && (!q || fold(u.name).includes(q))).map((u) => option(u.code, u.name)));
  };
  const where = { commune: [field(t("find_commune"), f.find), field(t("commune"), f.commune)],
    organisation: field(t("organisation"), f.organisation), province: el("p", {}, t("province"), ": ", places.province.name) };
  const place = el("div", { class: "row" });
  const showPlace = () => {
    const level = places.levels.find((l) => l.id === f.level.value);
    const scope = level ? level.scope : "unit";
    fillCommunes();
    place.replaceChildren(...[scope === "unit" ? where.commune : scope === "organisation" ? where.organisation : where.province].flat());
  };
  f.level.addEventListener("change", showPlace);
  f.level.addEventListener("change", showTopics);
  f.find.addEventListener("input", fillCommunes);
  showPlace();
  showTopics();
  const form = el("form", { class: "card noprint", "aria-labelledby": "create-session-title", onsubmit: async (ev) => {
    ev.preventDefault();
    const level = places.levels.find((l) => l.id === f.level.value) || {};
    const body = { level: f.level.value, date: f.date.value, venue: f.venue.value, title_vi: f.title_vi.value };
    if (level.scope === "unit") body.locality = f.commune.value;
    if (level.scope === "organisation") body.locality = f.organisation.value;
    if (f.title_en.value) body.title_en = f.title_en.value;
    if (f.audience.value) body.audience = f.audience.value;
    const ticked = [...f.topics.querySelectorAll("input:checked")].map((x) => x.value);
    if (ticked.length) body.topics = ticked;
    try {
      const r = await api("POST", "/sessions", body);
      // Shown among its commune's sessions: in a whole year's list it may be on a later page.
      if (level.scope === "unit") history.replaceState(null, "", `#/sessions?commune=${body.locality}`);
      await route();
      flash(t("session_created") + (r.moved && r.moved.length ? " " + t("moved_here_n", { n: r.moved.length }) : ""));
    } catch (e) {
      const unitInput = level.scope === "organisation" ? f.organisation : f.commune;
      formError(form, { locality: [/code|organisation|locality/, unitInput], date: [/\bdate\b/, f.date],
        venue: [/\bvenue\b/, f.venue], title: [/title/, f.title_vi], audience: [/audience/, f.audience],
        level: [/\blevel\b/, f.level], exists: [/^session_exists\b|already exists/, f.date],
        topics: [/topic/, f.topics] }, e);
    }
  } },
  el("h2", { id: "create-session-title" }, t("create_session")),
  el("div", { class: "row" }, field(t("level"), f.level), place),
  el("div", { class: "row" }, field(t("date"), f.date), field(t("venue"), f.venue), field(t("audience"), f.audience)),
  el("div", { class: "row" }, field(t("title_vi"), f.title_vi), field(t("title_en"), f.title_en)),
  f.topics,
  el("p", {}, el("button", { class: "primary", type: "submit" }, t("create_session"))));
  return form;
}

async function sessionsPage(params) {
  const from = params.get("from") || new Date().toISOString().slice(0, 10);
  const to = params.get("to") || new Date(Date.now() + 366 * 864e5).toISOString().slice(0, 10);
  const level = params.get("level") || "", status = params.get("status") || "", code = params.get("commune") || "";
  const [r, places] = await Promise.all([
    api("GET", `/sessions?from=${from}&to=${to}` + (level ? "&level=" + level : "")), api("GET", "/localities")]);
  const levelName = (l) => (lang === "vi" ? l.name_vi : l.name_en);
  const commune = communePicker(places, code);
  const f = { from: el("input", { type: "date", value: from }), to: el("input", { type: "date", value: to }),
    level: el("select", {}, option("", t("all")), places.levels.map((l) => option(l.id, levelName(l), l.id === level))),
    status: el("select", {}, option("", t("all")), ["planned", "fixed", "postponed", "cancelled"].map((x) => option(x, statusWord(x), x === status))) };
  // Filtered and paged here: a year of a province's sessions is a few hundred rows.
  const items = r.items.filter((x) => (!status || x.status === status) && (!code || x.locality === code));
  const size = 50, pages = Math.max(1, Math.ceil(items.length / size));
  const page = Math.min(pages, Math.max(1, Number(params.get("page") || 1)));
  const go = async (n) => {
    const c = await commune.resolve();
    if (c === null) { commune.input[0].focus(); return flash(t("commune_unsure")); }
    flash("");
    const q = new URLSearchParams({ from: f.from.value, to: f.to.value, level: f.level.value, status: f.status.value, commune: c });
    if (n > 1) q.set("page", n);
    location.hash = "#/sessions?" + q.toString();
  };
  const pager = pages > 1 ? el("p", { class: "noprint row" },
    page > 1 ? el("button", { type: "button", onclick: () => go(page - 1).catch(failure) }, t("prev")) : null,
    el("span", {}, t("page_n", { n: page, m: pages })),
    page < pages ? el("button", { type: "button", onclick: () => go(page + 1).catch(failure) }, t("next")) : null) : null;
  // The public calendar of the sessions (no login), of the commune shown when there is one.
  const calendar = "/sessions.ics" + (code ? "?commune=" + encodeURIComponent(code) : "");
  show(el("h1", {}, t("nav_sessions")),
    el("p", { class: "noprint" }, el("a", { href: calendar, class: "calendar-link" }, t("subscribe_calendar"))),
    el("form", { class: "card row noprint", onsubmit: (ev) => { ev.preventDefault(); go(1).catch(failure); } },
      field(t("from"), f.from), field(t("to"), f.to), field(t("level"), f.level), field(t("commune"), commune.input),
      field(t("status"), f.status), el("button", { type: "submit" }, t("show"))),
    isAdmin() ? createSessionForm(places) : null,
    el("div", { class: "card" }, el("p", { class: "muted" }, t("sessions_n", { n: items.length })),
      sessionTable(items.slice((page - 1) * size, page * size), isAdmin() ? sessionEditForm : null), pager));
}

// What a dragged concern reference carries, so that only those are dropped on a group.
const DRAGGED = "application/x-dgw-concern";

// One compact card per group: what it is about, how many people, where, and its answer; the
// answer and the other actions open on demand, so that a long agenda reads as a list.
function groupCard(sessionId, g, groups, places, selection) {
  const title = g.name || g.representative;
  const pick = canAct() && groups.length > 1
    ? el("input", { type: "checkbox", class: "pick", "aria-label": t("select_group") + ": " + title.slice(0, 60),
      onchange: (ev) => selection.toggle(g, ev.target.checked) }) : null;
  const card = el("section", { class: "card group", "aria-label": title },
    el("div", { class: "group-head" }, pick, el("h3", {}, title),
      g.urgent ? badge(t("urgent"), "urgent") : null, g.answered ? badge(t("answered_state", { n: g.answered, c: g.count }), "answered") : null),
    el("p", { class: "group-facts" }, el("span", { class: "count" }, String(g.count)), " ", plural(g.count, "concerns"), " · ",
      String(g.citizens), " ", plural(g.citizens, "citizens"), " · ", topicName(places, g.topic), " · ", g.commune_names.join(", ")),
    g.name ? el("p", { class: "muted" }, t("representative"), ": ", g.representative) : null,
    el("details", { class: "refs" }, el("summary", {}, t("concerns_of"), " (", String(g.count), ")"),
      el("p", {}, g.concerns.map((ref) => [el("a", { href: "#/concerns/" + ref, draggable: canAct() && groups.length > 1 ? "true" : undefined,
        ondragstart: (ev) => { ev.dataTransfer.setData(DRAGGED, ref); ev.dataTransfer.effectAllowed = "move"; } }, ref), " "])),
      canAct() && groups.length > 1 ? el("p", { class: "muted noprint" }, t("drag_hint")) : null),
    answeredBlock(g));
  if (!canAct()) return card;
  // A reference dropped on another group's card moves there (the "move" form does the same
  // by keyboard).
  const carries = (ev) => [...ev.dataTransfer.types].includes(DRAGGED);
  card.addEventListener("dragover", (ev) => { if (carries(ev)) { ev.preventDefault(); card.classList.add("drop-target"); } });
  card.addEventListener("dragleave", () => card.classList.remove("drop-target"));
  card.addEventListener("drop", async (ev) => {
    card.classList.remove("drop-target");
    const ref = ev.dataTransfer.getData(DRAGGED);
    if (!ref || g.concerns.includes(ref)) return;
    ev.preventDefault();
    try {
      await api("POST", `/sessions/${encodeURIComponent(sessionId)}/agenda/move`, { concern: ref, group: g.key });
      await route();
      flash(t("moved_to", { ref, name: title.slice(0, 60) }));
    } catch (e) { failure(e); }
  });

  const name = el("input", { value: g.name || "" });
  const rename = el("form", { class: "row", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api("PATCH", `/sessions/${encodeURIComponent(sessionId)}/agenda/groups/${encodeURIComponent(g.key)}`, { name: name.value });
      await route();
      flash(t("saved"));
    } catch (e) { failure(e); }
  } }, field(t("name_group"), name), el("button", { type: "submit" }, t("save")));

  const which = el("select", {}, g.concerns.map((ref) => option(ref, ref)));
  const target = el("select", {}, groups.filter((o) => o.key !== g.key).map((o) => option(o.key, o.name || o.representative.slice(0, 50))));
  const move = groups.length > 1 ? el("form", { class: "row", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      await api("POST", `/sessions/${encodeURIComponent(sessionId)}/agenda/move`, { concern: which.value, group: target.value });
      await route();
      flash(t("saved"));
    } catch (e) { failure(e); }
  } }, field(t("ref"), which), field(t("move_to"), target), el("button", { type: "submit" }, t("move"))) : null;

  card.append(
    el("details", { class: "noprint action", open: !g.answered || undefined },
      el("summary", {}, g.answered === g.count ? t("correct_answer") : t("answer_group")), answerForm(sessionId, g)),
    el("details", { class: "noprint action" }, el("summary", {}, t("more_actions")), rename, move));
  return card;
}

// Groups selected to become one: the concerns of the others are moved into the first.
function groupSelection(sessionId, bar) {
  const picked = [];
  const button = el("button", { type: "button", class: "primary", hidden: true, onclick: async () => {
    const [into, ...rest] = picked;
    try {
      let moved = 0;
      for (const g of rest)
        for (const ref of g.concerns) {
          await api("POST", `/sessions/${encodeURIComponent(sessionId)}/agenda/move`, { concern: ref, group: into.key });
          ++moved;
        }
      await route();
      flash(t("groups_merged", { n: moved, name: into.name || into.representative.slice(0, 60) }));
    } catch (e) { failure(e); }
  } });
  bar.append(el("p", { class: "muted" }, t("select_to_merge")), button);
  return {
    toggle(g, on) {
      const at = picked.indexOf(g);
      if (on && at < 0) picked.push(g);
      if (!on && at >= 0) picked.splice(at, 1);
      button.hidden = picked.length < 2;
      button.textContent = t("merge_groups", { n: picked.length });
    },
  };
}

// What the group's answer is so far, and the form to give (or correct) it. Sending is two
// steps: the gateway first says who would be told and on which channels, writing nothing
// (dry_run), then the official confirms. The gateway refuses the same answer twice.
function answeredBlock(g) {
  if (!g.answered) return null;
  return el("div", { class: "answered-block" },
    el("p", {}, el("strong", {}, t("answer"), ":"), " ",
      el("span", { class: "muted" }, t("answered_meta", { at: localTime(g.answered_at), by: g.answered_by }))),
    g.answer ? el("p", { class: "answer-text" }, g.answer) : el("p", { class: "muted" }, t("answered_mixed")));
}

function answerForm(sessionId, g) {
  const all = g.answered > 0 && g.answered === g.count;
  const text = el("textarea", { required: true });
  if (all && g.answer) text.value = g.answer;
  const panel = el("div", { class: "confirm", role: "status" });
  const path = `/sessions/${encodeURIComponent(sessionId)}/answers`;
  // Settled, or assigned to an office by a deadline (the citizen is told who and when).
  const office = el("input", { maxlength: 200 }), deadline = el("input", { type: "date" });
  const promise = el("input", { maxlength: 2000 });
  const assigned = el("input", { type: "checkbox", onchange: () => { assignBox.hidden = !assigned.checked; } });
  const assignBox = el("div", { class: "row assign", hidden: true },
    field(t("assign_office"), office), field(t("assign_deadline"), deadline), field(t("assign_promise"), promise));
  // Shown on the public page of results (/ket-qua), without any citizen's words or name.
  const publish = el("input", { type: "checkbox" });
  const assignment = () => ({ publish: publish.checked,
    ...(assigned.checked ? { assign: { office: office.value.trim(), deadline: deadline.value, promise: promise.value.trim() } } : {}) });
  const send = async (correction) => {
    try {
      const r = await api("POST", path, { group: g.key, text: text.value, correction, ...assignment() });
      await route();
      flash(t("answered_n", { n: r.answered.length, m: r.messages }));
    } catch (e) { failure(e); }
  };
  const form = el("form", { class: "noprint answer-form", onsubmit: async (ev) => {
    ev.preventDefault();
    try {
      const p = await api("POST", path, { group: g.key, text: text.value, dry_run: true, ...assignment() });
      const channels = Object.entries(p.channels || {}).map(([c, n]) => channelWord(c) + ": " + n).join(", ");
      const lines = [];
      if (p.messages) lines.push(t("preview_send", { m: p.messages, c: p.citizens }));
      if (channels) lines.push(t("preview_channels", { list: channels }));
      if (p.unchanged.length) lines.push(t("preview_unchanged", { n: p.unchanged.length }));
      if (p.correct.length) lines.push(t("preview_correct", { n: p.correct.length }));
      if (p.unreachable) lines.push(t("preview_unreachable", { n: p.unreachable }));
      const nothing = !p.answer.length && !p.correct.length;
      if (nothing) lines.push(t("nothing_to_send"));
      const correction = p.correct.length > 0;
      panel.replaceChildren(...lines.map((l) => el("p", {}, l)),
        el("p", { class: "row" },
          nothing ? null : el("button", { type: "button", class: "primary", onclick: () => send(correction) },
            correction ? t("confirm_correction") : t("confirm_send")),
          el("button", { type: "button", onclick: () => panel.replaceChildren() }, t("dont_send"))));
    } catch (e) { failure(e); }
  } }, field(all ? t("correct_answer") : t("answer_text"), text),
    el("label", { class: "check" }, assigned, " ", t("assign_toggle")), assignBox,
    el("label", { class: "check" }, publish, " ", t("publish_toggle"), " ", el("a", { href: "/ket-qua", target: "_blank" }, "/ket-qua")),
    el("button", { type: "submit" }, t("check_answer")), panel);
  return form;
}

// Who was told what officials said about this session, by which path, who not yet and why.
function reachSection(rep) {
  const counts = (c) => [t("r_citizens") + ": " + c.citizens, t("r_delivered") + ": " + c.delivered,
    t("r_waiting") + ": " + c.waiting, t("r_pending") + ": " + c.pending, t("r_failed") + ": " + c.failed,
    ...Object.entries(c.by_path || {}).map(([p, n]) => t("p_" + p) + ": " + n)].join(" · ");
  if (!rep.notices.length) return [el("h2", {}, t("reach")), el("p", { class: "muted" }, t("reach_none"))];
  return [el("h2", {}, t("reach")), el("p", {}, counts(rep.totals)),
    ...rep.notices.map((n) => el("div", { class: "card" },
      el("h3", {}, t({ answer: "answer_of", session_moved: "moved_of", session_note: "note_of", session_reminder: "reminder_of", work_reminder: "work_reminder_of" }[n.purpose] || "answer_of") + " · " + day(n.created_at)),
      el("p", {}, counts(n)),
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, t("ref")), el("th", {}, t("channel")),
        el("th", {}, t("status")), el("th", {}, t("path")), el("th", {}, t("reason")))),
      el("tbody", {}, n.rows.map((r) => el("tr", {},
        el("td", {}, r.refs.join(", ")), el("td", {}, channelWord(r.channel)),
        el("td", {}, badge(t("r_" + r.state), r.state)),
        el("td", {}, r.path ? t("p_" + r.path) : ""), el("td", {}, r.reason)))))))];
}

async function agendaPage(id, params) {
  const [agenda, reach, places, invite] = await Promise.all([api("GET", `/sessions/${encodeURIComponent(id)}/agenda`),
    api("GET", `/sessions/${encodeURIComponent(id)}/reach`), api("GET", "/localities"),
    api("GET", `/sessions/${encodeURIComponent(id)}/invite`)]);
  const session = agenda.session_info || { id, title_vi: id, title_en: id };
  const commune = params.get("commune") || "", topic = params.get("topic") || "";
  const groups = agenda.groups.filter((g) => (!commune || g.communes.includes(commune)) && (!topic || g.topic === topic));
  // Filter by code, shown by name.
  const communeName = new Map(agenda.groups.flatMap((g) => g.communes.map((c, i) => [c, g.commune_names[i]])));
  const communes = [...communeName.keys()].sort((a, b) => communeName.get(a).localeCompare(communeName.get(b), "vi"));
  const topics = [...new Set(agenda.groups.map((g) => g.topic))].sort();
  const fc = el("select", {}, option("", t("all")), communes.map((c) => option(c, communeName.get(c), c === commune)));
  const ft = el("select", {}, option("", t("all")), topics.map((c) => option(c, topicName(places, c), c === topic)));
  const allRefs = agenda.groups.flatMap((g) => g.concerns);
  // Merging one concern into another (a duplicate): the second list starts on another one.
  const a = el("select", {}, allRefs.map((r) => option(r, r)));
  const b = el("select", {}, allRefs.map((r, i) => option(r, r, i === 1)));
  const bar = el("div", { class: "card row noprint merge-bar" });
  const selection = groupSelection(id, bar);
  const base = `/api/v1/sessions/${encodeURIComponent(id)}/agenda`;
  show(
    el("h1", {}, lang === "vi" ? session.title_vi : session.title_en),
    el("p", {}, t("date"), ": ", sessionWhen(session), " · ", t("venue"), ": ", session.venue || "",
      " · ", String(agenda.concerns), " ", plural(agenda.concerns, "concerns")),
    el("p", { class: "noprint" },
      el("a", { class: "button", href: `${base}.csv?lang=${lang}`, download: "" }, t("export_csv")), " ",
      el("a", { class: "button", href: `${base}.xlsx?lang=${lang}`, download: "" }, t("export_xlsx")), " ",
      el("a", { class: "button", href: `${base}.html?lang=${lang}`, target: "_blank" }, t("print")), " ",
      el("a", { class: "button primary", href: "#/live/" + encodeURIComponent(id) }, t("l_open")), " ",
      el("a", { class: "button", href: `/api/v1/sessions/${encodeURIComponent(id)}/minutes.html?lang=${lang}`, target: "_blank" }, t("l_minutes_print"))),
    el("form", { class: "card row noprint", onsubmit: (ev) => {
      ev.preventDefault();
      location.hash = `#/sessions/${encodeURIComponent(id)}?commune=${encodeURIComponent(fc.value)}&topic=${encodeURIComponent(ft.value)}`;
    } }, field(t("communes"), fc), field(t("topic"), ft), el("button", { type: "submit" }, t("filter"))),
    canAct() && allRefs.length > 1 ? el("form", { class: "card row noprint", onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api("POST", `/concerns/${encodeURIComponent(a.value)}/merge`, { into: b.value });
        await route();
        flash(t("saved"));
      } catch (e) { failure(e); }
    } }, field(t("merge_from"), a), field(t("merge_into"), b), el("button", { type: "submit" }, t("merge"))) : null,
    el("h2", {}, t("agenda")),
    canAct() && groups.length > 1 ? bar : null,
    groups.length ? groups.map((g) => groupCard(id, g, agenda.groups, places, selection)) : el("p", { class: "muted" }, t("none")),
    canAct() && agenda.concerns ? sessionNoteForm(id) : null,
    inviteSection(invite),
    reachSection(reach));
}

// Links and QR codes that open a chat on this session: a citizen who comes in by one has their
// concerns filed for the session's audience (students, an enterprise's workers). To print on a
// poster or send to a school or a company.
function inviteSection(invite) {
  if (!invite.links.length) return null;
  const who = invite.audience ? (lang === "vi" ? invite.audience.name_vi : invite.audience.name_en) : "";
  // The platform by its name ("Telegram", "trang trò chuyện trên web"), whatever the channel's id.
  const platform = (l) => (WORDS.vi["ch_" + l.type] ? t("ch_" + l.type) : channelWord(l.channel));
  return el("section", { class: "card invite", "aria-labelledby": "invite-h" },
    el("h2", { id: "invite-h" }, t("invite_title")),
    el("p", { class: "muted" }, who ? t("invite_help_audience", { who }) : t("invite_help")),
    el("div", { class: "invite-links" }, invite.links.map((l) => el("figure", {},
      el("img", { src: "data:image/svg+xml;charset=utf-8," + encodeURIComponent(l.qr_svg),
        alt: t("invite_qr", { channel: platform(l) }), width: 180, height: 180 }),
      el("figcaption", {}, el("strong", {}, platform(l)), el("a", { href: l.url, target: "_blank", rel: "noopener" }, l.url))))));
}

// A note to every citizen of the session (the time changed, what to bring, the live stream):
// who would be told is shown and confirmed before anything is sent.
function sessionNoteForm(id) {
  const text = el("textarea", { rows: 3, maxlength: 2000, required: true });
  const form = el("form", { class: "card noprint session-note", "aria-labelledby": "note-h", onsubmit: async (ev) => {
    ev.preventDefault();
    const path = `/sessions/${encodeURIComponent(id)}/notes`;
    try {
      const preview = await api("POST", path, { text: text.value, dry_run: true });
      const channels = Object.entries(preview.channels).map(([c, n]) => channelWord(c) + ": " + n).join(", ");
      if (!confirm(t("note_confirm", { n: preview.messages, channels: channels || "—" }))) return;
      const r = await api("POST", path, { text: text.value });
      await route();
      flash(t("note_sent", { n: r.messages }));
    } catch (e) { failure(e); }
  } }, el("h2", { id: "note-h" }, t("note_title")), el("p", { class: "muted" }, t("note_help")),
  field(t("note_text"), text), el("button", { type: "submit" }, t("note_send")));
  return form;
}

// `places` (GET /localities), when given, shows topics by name.
function concernTable(items, places) {
  return el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, t("ref")), el("th", {}, t("created")),
    el("th", {}, t("communes")), el("th", {}, t("topic")), el("th", {}, t("text")), el("th", {}, t("status")))),
  el("tbody", {}, items.map((c) => el("tr", {},
    el("td", {}, el("a", { href: "#/concerns/" + c.ref }, c.ref), " ", c.urgent ? badge(t("urgent"), "urgent") : null),
    el("td", { class: "date" }, day(c.created_at)), el("td", {}, c.commune), el("td", {}, places ? topicName(places, c.topic) : c.topic),
    el("td", {}, c.text.length > 140 ? c.text.slice(0, 140) + "…" : c.text),
    el("td", {}, badge(statusWord(c.status), c.status))))));
}

async function concernsPage(params) {
  const q = new URLSearchParams(params);
  const limit = 50, offset = Number(q.get("offset") || 0);
  q.set("limit", limit);
  const today = new Date();
  const iso = (d) => d.toISOString().slice(0, 10);
  const [r, places, sessions] = await Promise.all([api("GET", "/concerns?" + q.toString()), api("GET", "/localities"),
    api("GET", `/sessions?from=${iso(new Date(today - 366 * 864e5))}&to=${iso(new Date(+today + 366 * 864e5))}`)]);
  const commune = communePicker(places, params.get("commune") || "");
  const session = sessionPicker(sessions.items, params.get("session") || "");
  const f = {
    q: el("input", { type: "search", value: params.get("q") || "" }),
    status: el("select", {}, option("", t("all")), ["received", "scheduled", "answered", "forwarded", "withdrawn", "merged", "unscheduled"].map((s) => option(s, statusWord(s), s === params.get("status")))),
    urgent: el("select", {}, option("", t("all")), option("true", t("urgent"), params.get("urgent") === "true")),
  };
  const go = async (off) => {
    const n = new URLSearchParams();
    for (const [k, input] of Object.entries(f)) if (input.value) n.set(k, input.value);
    const [code, sessionId] = [await commune.resolve(), session.resolve()];
    if (code === null) { commune.input[0].focus(); return flash(t("commune_unsure")); }
    if (sessionId === null) { session.input[0].focus(); return flash(t("session_unsure")); }
    if (code) n.set("commune", code);
    if (sessionId) n.set("session", sessionId);
    if (off) n.set("offset", off);
    flash("");
    location.hash = "#/concerns?" + n.toString();
  };
  show(el("h1", {}, t("nav_concerns")),
    canAct() ? el("p", { class: "noprint" }, el("a", { class: "button", href: "#/register" }, t("register_link"))) : null,
    el("form", { class: "card row noprint", onsubmit: (ev) => { ev.preventDefault(); go(0).catch(failure); } },
      field(t("search"), f.q), field(t("communes"), commune.input), field(t("session"), session.input),
      field(t("status"), f.status), field(t("urgent"), f.urgent), el("button", { type: "submit" }, t("filter"))),
    el("div", { class: "card" }, el("p", {}, `${offset + 1}–${offset + r.items.length} ${t("of")} ${r.total}`),
      concernTable(r.items, places),
      el("p", { class: "noprint" },
        offset > 0 ? el("button", { type: "button", onclick: () => go(Math.max(0, offset - limit)) }, t("prev")) : null, " ",
        offset + limit < r.total ? el("button", { type: "button", onclick: () => go(offset + limit) }, t("next")) : null)));
}

// What the gateway read from the citizen's words, and what officials corrected: shown next to
// the topic and the commune, so a reader knows which of them the citizen never confirmed by hand.
function readNote(c, field, places) {
  const read = c.read && c.read[field === "topic" ? "topic" : "locality"];
  const fixed = c.corrected && c.corrected[field];
  if (fixed) {
    const was = field === "topic" ? topicName(places, fixed.from) : communeName(places, fixed.from);
    return el("span", { class: "muted" }, " (", t("corrected_from", { was, who: fixed.by }), ")");
  }
  if (read) return el("span", { class: "muted" }, " (", t("read_from_words"), read.words ? ": " + read.words.join(", ") : "", ")");
  return null;
}
const topicName = (places, id) => {
  const topic = places.topics.find((x) => x.id === id);
  return topic ? (lang === "vi" ? topic.name_vi : topic.name_en) : id;
};
const communeName = (places, code) => {
  const unit = places.units.find((u) => u.code === code);
  return unit ? unit.name : code;
};

// Officials correct the topic and the commune (audited; the concern is filed again).
function correctionForm(c, places) {
  const topic = el("select", {}, places.topics.map((x) => option(x.id, topicName(places, x.id), x.id === c.topic)));
  const communes = places.units.filter((u) => u.level === "commune").sort((a, b) => a.name.localeCompare(b.name, "vi"));
  const commune = el("select", {}, communes.map((u) => option(u.code, u.name, u.code === c.commune_code)));
  return el("form", { class: "card row noprint", "aria-label": t("correct"), onsubmit: async (ev) => {
    ev.preventDefault();
    const body = {};
    if (topic.value !== c.topic) body.topic = topic.value;
    if (commune.value !== c.commune_code) body.commune_code = commune.value;
    if (!Object.keys(body).length) return flash(t("nothing_changed"));
    try {
      await api("PATCH", "/concerns/" + encodeURIComponent(c.ref), body);
      await route();
      flash(t("corrected"));
    } catch (e) { failure(e); }
  } }, field(t("topic"), topic), field(t("commune"), commune), el("button", { type: "submit" }, t("correct")));
}

async function concernPage(ref) {
  const [c, places] = await Promise.all([api("GET", "/concerns/" + encodeURIComponent(ref)), api("GET", "/localities")]);
  // The platform by name (the channel's id when it is no longer configured).
  // An official registered it (a letter, the desk, ...): its source, not a platform.
  const via = c.source && c.source !== "chat" ? t("src_" + c.source)
    : c.channel_type ? t("ch_" + c.channel_type) : c.channel;
  // History in words, from the filing on; an action without words shows as recorded.
  const said = (action) => (WORDS.vi["a_" + action] ? t("a_" + action) : action);
  const registered = c.source && c.source !== "chat";
  const history = [{ at: c.created_at, text: t(registered ? "a_filed_from" : "a_filed", { via }) },
    ...(c.history || []).map((h) => ({ at: h.at, text: said(h.action), actor: h.actor }))];
  const status = el("select", {}, ["received", "scheduled", "answered", "forwarded", "withdrawn", "unscheduled"].map((s) => option(s, statusWord(s), s === c.status)));
  const assignee = el("input", { value: c.assignee || "" });
  show(
    el("h1", {}, c.ref, " ", c.urgent ? badge(t("urgent"), "urgent") : null, " ", badge(statusWord(c.status), c.status)),
    el("div", { class: "card" },
      el("p", { class: "muted" }, t(registered ? "filed_from" : "filed_via", { via: via, at: localTime(c.created_at) })),
      el("p", {}, t("topic"), ": ", topicName(places, c.topic), readNote(c, "topic", places)),
      el("p", {}, t("commune"), ": ", c.commune, readNote(c, "commune", places)),
      el("p", {}, t("session"), ": ", c.session ? el("a", { href: "#/sessions/" + encodeURIComponent(c.session) }, c.session_label || c.session) : t("unscheduled")),
      el("p", { class: "concern-text" }, c.text),
      c.location ? el("p", {}, t("location"), ": ", `${c.location.lat}, ${c.location.lon} `,
        el("a", { href: `https://www.openstreetmap.org/?mlat=${c.location.lat}&mlon=${c.location.lon}#map=17/${c.location.lat}/${c.location.lon}`, target: "_blank", rel: "noopener noreferrer" }, t("map"))) : null,
      // Photos the gateway keeps or can still fetch are shown; one it refused (not an image,
      // too large) or could not copy says so instead of a broken image.
      // A letter's scan in PDF is a link; a kept photo can be shown on the public page.
      c.photos ? el("div", { class: "photos" }, c.photos.map((url, i) => {
        const copy = (c.photo_copies || [])[i];
        if (copy && (copy.status === "refused" || copy.status === "failed"))
          return el("span", { class: "muted photo-missing", title: copy.reason }, t("photo_" + copy.status, { n: i + 1 }));
        if (copy && copy.scan === "application/pdf")
          return el("a", { class: "button", href: url, download: "" }, t("scan_pdf"));
        const picture = el("a", { href: url, target: "_blank", rel: "noopener" },
          el("img", { src: url, alt: `${copy && copy.scan ? t("scan") : t("photo")} ${i + 1}`, loading: "lazy" }));
        if (!copy || copy.status !== "kept" || copy.scan || !canAct()) return picture;
        const shown = el("input", { type: "checkbox", checked: copy.published, onchange: async () => {
          try {
            await api("POST", `/concerns/${encodeURIComponent(ref)}/photos/${i}/publish`, { published: shown.checked });
            flash(t(shown.checked ? "photo_shown" : "photo_hidden"));
          } catch (e) { shown.checked = !shown.checked; failure(e); }
        } });
        return el("figure", {}, picture, el("figcaption", {}, el("label", { class: "check" }, shown, " ", t("photo_publish"))));
      }))
        : c.media && c.media.length ? el("p", {}, t("photo"), ": ", c.media.length, " ", el("span", { class: "muted" }, t("photo_on_platform"))) : null,
      c.merged_into ? el("p", {}, t("merged_into"), " ", el("a", { href: "#/concerns/" + c.merged_into }, c.merged_into)) : null,
      c.answer ? [el("p", {}, el("strong", {}, t("answer"), ":"), c.answered_by ? el("span", { class: "muted" }, " ", t("answered_meta", { at: localTime(c.answered_at), by: c.answered_by })) : null),
        el("p", { class: "answer-text" }, c.answer)] : null,
      // The citizen's say on the answer, and the concern this one re-opens.
      c.verdict ? el("p", { class: "verdict verdict-" + c.verdict }, el("strong", {}, t("verdict"), ": "),
        t("verdict_" + c.verdict), c.verdict_at ? el("span", { class: "muted" }, " ", t("verdict_meta", { at: localTime(c.verdict_at) })) : null,
        c.verdict_reason ? [el("br"), t("verdict_reason"), ": ", c.verdict_reason] : null) : null,
      c.follows ? el("p", {}, t("follows"), " ", el("a", { href: "#/concerns/" + encodeURIComponent(c.follows) }, c.follows)) : null,
      c.assigned_to ? el("p", { class: c.overdue ? "followup overdue" : "followup" }, el("strong", {}, t("followup"), ": "),
        t("assigned_meta", { office: c.assigned_to, deadline: deadlineText(c.deadline), promise: c.promise }),
        c.overdue ? [" ", badge(t("overdue"), "urgent")] : null,
        c.followup === "closed" ? [el("br"), t("followup_closed"), ": ", c.followup_result] : null) : null,
      c.contact ? el("p", {}, t("contact"), ": ", [c.contact.given_name, c.contact.phone].filter(Boolean).join(" · ")) : el("p", { class: "muted" }, c.anonymous ? t("anonymous") : "")),
    canAct() ? el("form", { class: "card row noprint", onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        await api("PATCH", "/concerns/" + encodeURIComponent(ref), { status: status.value, assignee: assignee.value });
        await route();
        flash(t("saved"));
      } catch (e) { failure(e); }
    } }, field(t("change_status"), status), field(t("assignee"), assignee), el("button", { type: "submit" }, t("save"))) : null,
    canAct() ? correctionForm(c, places) : null,
    el("div", { class: "card" }, el("h2", {}, t("history")),
      el("ul", { class: "plain" }, history.map((h) => el("li", {}, localTime(h.at), " · ", h.text, h.actor ? " · " + h.actor : "")))));
}

// ----- routing ----------------------------------------------------------------------------------

function renderChrome() {
  document.documentElement.lang = lang;
  document.title = t("brand");
  for (const node of document.querySelectorAll("[data-t]")) node.textContent = t(node.dataset.t);
  document.getElementById("lang").textContent = lang === "vi" ? "English" : "Tiếng Việt";
  const nav = document.getElementById("nav");
  nav.hidden = !state.user;
  for (const node of nav.querySelectorAll("a[data-page]")) node.remove();
  for (const [name, page] of Object.entries(PAGES))
    if (page.nav && (!page.adminOnly || isAdmin())) nav.append(el("a", { href: "#/" + name, "data-page": name }, t(page.nav)));
  document.getElementById("logout").hidden = !state.user;
  document.getElementById("password-link").hidden = !state.user;
  document.getElementById("who").textContent = state.user ? `${state.user.name} (${t("role_" + state.user.role)})` : "";
}

// Navigations run one after another, and one that a newer navigation has overtaken is skipped:
// otherwise a slow page started first (the language switch redraws the page) could finish last
// and cover the page asked for since.
let routing = Promise.resolve();
let routesAsked = 0;
function route() {
  const asked = ++routesAsked;
  const run = routing.then(() => (asked === routesAsked ? routeNow() : undefined));
  routing = run.catch(() => {});
  return run;
}

async function routeNow() {
  shownHash = location.hash;
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  try {
    if (!state.user && parts[0] !== "login") {
      try {
        const me = await api("GET", "/auth/me");
        state.user = me.user;
        state.csrf = me.csrf_token || "";
      } catch (e) {
        return;  // api() sent us to the login page
      }
      renderChrome();
    }
    if (parts[0] === "login") return loginPage();
    // A one-time password must be replaced before anything else (the API refuses the rest).
    if (state.user.must_change_password || parts[0] === "password") return show(el("h1", {}, t("change_password")), passwordCard());
    if (parts[0] === "sessions" && parts[1]) return await agendaPage(parts[1], params);
    if (parts[0] === "sessions") return await sessionsPage(params);
    if (parts[0] === "concerns" && parts[1]) return await concernPage(parts[1]);
    if (parts[0] === "concerns") return await concernsPage(params);
    if (PAGES[parts[0]]) return await PAGES[parts[0]].render(parts.slice(1), params);
    return await PAGES.dashboard.render(parts.slice(1), params);
  } catch (e) {
    if (e.status !== 401) failure(e);
  }
}

// The address of the page shown, to go back to when its unsaved work keeps the admin there.
let shownHash = location.hash;
window.addEventListener("hashchange", () => {
  if (!mayLeave()) return void history.replaceState(null, "", shownHash || "#/");
  shownHash = location.hash;
  flash("");
  route();
});
window.addEventListener("beforeunload", (ev) => {
  if (!unsaved || !unsaved()) return;
  ev.preventDefault();
  ev.returnValue = "";  // older engines ask only when it is set
});
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("lang").addEventListener("click", () => {
    if (!mayLeave()) return;
    lang = lang === "vi" ? "en" : "vi";
    localStorage.setItem("dgw.lang", lang);
    renderChrome();
    route();
  });
  document.getElementById("logout").addEventListener("click", async () => {
    if (!mayLeave()) return;
    try { await api("POST", "/auth/logout"); } catch (e) { /* the session may be gone already */ }
    state.user = null;
    state.csrf = "";
    renderChrome();
    location.hash = "#/login";
  });
  renderChrome();
  route();
});
