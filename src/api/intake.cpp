// Concerns that did not come by chat (issue 19 §1): officials register what people wrote in a
// letter, said at the reception desk or on the hotline, what the press reported, or what was
// raised aloud at the meeting. Filed by the same rules as a chat concern (domain::place, a
// fresh reference, urgency, scope), with the source recorded; a citizen who gave a phone number
// with their consent gets the receipt by SMS through the configured SMS channel.

#include "api/intake.hpp"

#include <dgw/api/secrets.hpp>

#include <dgw/domain/schedule.hpp>

#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/api/csv_read.hpp>
#include <dgw/api/xlsx_read.hpp>
#include <dgw/api/messages.hpp>
#include <dgw/core/text.hpp>
#include <dgw/flow/answers.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <stdexcept>
#include <variant>

namespace dgw::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_text_bytes = 4000;
constexpr std::size_t max_name_bytes = 200;
/// Where a concern an official registers may come from ("chat" is the platforms' own).
constexpr std::array<std::string_view, 5> sources = {"letter", "reception", "hotline", "press", "meeting"};

// The rules a registered concern must pass (one place for the form and the import): the
// concern to file, or why not.
std::variant<store::concern, api_error> check_intake(const dialogue::dialogue_config& cfg,
                                                     const dialogue::urgent_detector& urgent,
                                                     const intake_fields& f) {
    if (std::find(sources.begin(), sources.end(), f.source) == sources.end())
        return api_error{error::source_unknown};
    return intake_concern(cfg, urgent, f);
}

}  // namespace

std::variant<store::concern, api_error> intake_concern(const dialogue::dialogue_config& cfg,
                                                       const dialogue::urgent_detector& urgent,
                                                       const intake_fields& f) {
    if (std::none_of(cfg.topics.begin(), cfg.topics.end(), [&](const auto& t) { return t.id == f.topic; }))
        return api_error{error::topic_unknown, {{"topic", f.topic}}};
    const auto* unit = cfg.find_unit(f.commune_code);
    if (!unit) return api_error{error::commune_unknown, {{"code", f.commune_code}}};
    if (f.text.find_first_not_of(" \t\r\n") == std::string::npos) return api_error{error::text_required};
    if (f.text.size() > max_text_bytes) return api_error{error::text_too_long, {{"limit", max_text_bytes}}};
    if (f.name.size() > max_name_bytes)
        return api_error{error::field_too_long, {{"field", "name"}, {"limit", max_name_bytes}}};
    std::string phone;
    if (!f.phone.empty()) {
        auto e164 = flow::normalize_phone(f.phone);
        if (!e164) return api_error{error::phone_invalid, {{"phone", f.phone}, {"field", "phone"}}};
        phone = *e164;
    }
    if (!f.consent && (!f.name.empty() || !phone.empty()))
        return api_error{error::consent_required, {{"field", "phone"}}};
    store::concern k;
    k.source = f.source;
    k.topic = f.topic;
    k.commune_code = f.commune_code;
    k.commune_name = unit->name;
    k.text = f.text;
    k.citizen_name = f.name;
    k.phone = phone;
    k.consent = f.consent;
    k.anonymous = phone.empty() && f.name.empty();
    k.urgent = urgent.urgent(f.text);
    return k;
}

namespace {

// The scanned page of a letter, sent as a data: URL: PDF, JPEG or PNG, told by its first bytes
// (not by what the browser declared). Nothing, with the refusal, otherwise.
std::variant<store::media_file, api_error> read_scan(const std::string& url, store::time_point now) {
    const auto comma = url.find(";base64,");
    if (!url.starts_with("data:") || comma == std::string::npos) return api_error{error::scan_invalid};
    auto bytes = decode_base64(std::string_view(url).substr(comma + 8));
    if (!bytes) return api_error{error::scan_invalid};
    store::media_file f;
    if (bytes->starts_with("%PDF-")) f.content_type = "application/pdf";
    else if (bytes->starts_with("\xFF\xD8\xFF")) f.content_type = "image/jpeg";
    else if (bytes->starts_with("\x89PNG\r\n\x1A\n")) f.content_type = "image/png";
    else return api_error{error::scan_type_unsupported};
    f.sha256 = sha256_hex(*bytes);
    f.bytes = std::move(*bytes);
    f.created_at = now;
    return f;
}

std::string receipt_text(const store::concern& k, const std::optional<dialogue::session>& s,
                         const std::string& public_url) {
    const auto link = domain::results_link(public_url, k.commune_code);
    return "Phản ánh của ông/bà đã được ghi nhận, mã số " + k.ref + ". " + domain::heard_at(s, "vi") +
           (link.empty() ? "" : " Các câu trả lời được công bố tại " + link) +
           domain::calendar_line(public_url, k.commune_code, "vi");
}

}  // namespace

std::vector<bool> file_registered(store::store& s, const dialogue::dialogue_config& cfg,
                                  std::vector<store::concern>& concerns, const std::string& sms,
                                  const std::string& public_url,
                                  const principal& who, store::time_point now,
                                  const std::optional<dialogue::session>& held,
                                  const std::optional<store::media_file>& scan) {
    const auto schedule = domain::routing_schedule(cfg, s.list_added_sessions(), s.list_session_overrides(), now);
    std::set<std::string> batch;
    std::vector<store::step_write> steps;
    std::vector<bool> texted;
    for (auto& k : concerns) {
        k.answers["_registered_by"] = who.name;
        k.created_at = now;
        const auto session = held ? held : domain::reroute(cfg, schedule, k, now);
        if (held) {
            k.status = core::concern_status::scheduled;
            k.session_id = held->id;
            k.session_label = domain::session_label(*held, "vi");
            k.route_reason = "raised at the session";
            k.raised_at = now;
            k.raised_by = who.name;
        }
        k.ref = domain::new_reference(cfg, random_u32, [&](std::string_view r) {
            return batch.contains(std::string(r)) || s.concern_ref_exists(std::string(r));
        });
        batch.insert(k.ref);
        const bool by_sms = !k.phone.empty() && !sms.empty();
        auto ct = by_sms ? s.upsert_contact(sms, k.phone, k.citizen_name, "vi", now)
                         : s.upsert_contact(std::string(domain::office_channel), k.source + ":" + k.ref,
                                            k.citizen_name, "vi", now);
        k.contact_id = ct.id;
        k.channel = ct.channel;
        k.conversation_key = "registered." + k.ref;
        // A letter's scanned page is the concern's one "photo", kept by the gateway from the
        // start (the copy is marked kept in this transaction, so no copier ever fetches it).
        if (scan) {
            k.media = json::array({"scan:" + scan->content_type});
            k.copy_media = true;
        }
        store::step_write step;
        step.at = now;
        step.concerns.push_back(k);
        if (by_sms) {
            core::notice n;
            n.purpose = core::notice_purpose::answer;
            n.id = domain::notice_id("receipt", k.ref, now);
            n.refs = {k.ref};
            n.answer = receipt_text(k, session, public_url);
            step.outbox.push_back(domain::notice_message(ct, n, n.answer, now));
        }
        steps.push_back(std::move(step));
        texted.push_back(by_sms);
    }
    s.transact([&] {
        s.commit_steps(steps);
        if (scan)
            if (auto filed = s.find_concern(concerns.front().ref))
                for (const auto& copy : s.media_copies_of(filed->id)) s.keep_media_copy(copy.id, *scan);
        for (const auto& k : concerns)
            s.append_audit(audit_line(who, now, "concern.register", "concern:" + k.ref, nullptr,
                                      json{{"source", k.source}, {"topic", k.topic}, {"commune", k.commune_code}}));
    });
    return texted;
}

namespace {

// A spreadsheet's words for a source, a topic, a commune and consent, as officials type them.
std::string source_of(const std::string& cell) {
    const auto f = core::fold(cell);
    for (auto s : sources)
        if (f == s) return std::string(s);
    static const std::pair<const char*, const char*> words[] = {
        {"thu", "letter"},       {"don", "letter"},      {"thu, don", "letter"}, {"tiep dan", "reception"},
        {"duong day nong", "hotline"}, {"bao chi", "press"}, {"du luan", "press"},
        {"doi thoai", "meeting"}, {"tai buoi doi thoai", "meeting"}};
    for (const auto& [w, s] : words)
        if (f == w) return s;
    return cell;
}

std::string topic_of(const dialogue::dialogue_config& cfg, const std::string& cell) {
    const auto f = core::fold(cell);
    for (const auto& t : cfg.topics)
        if (t.id == cell || core::fold(t.name_vi) == f || core::fold(t.name_en) == f) return t.id;
    return cell;
}

// A spreadsheet that took a commune code or a phone number for a number dropped its leading
// zero ("2683" for 02683, "912345678" for 0912345678): given back.
bool all_digits(const std::string& cell) {
    return !cell.empty() && cell.find_first_not_of("0123456789") == std::string::npos;
}

std::string code_of(const std::string& cell) {
    return all_digits(cell) && cell.size() < 5 ? std::string(5 - cell.size(), '0') + cell : cell;
}

std::string phone_of(const std::string& cell) {
    return all_digits(cell) && cell.size() == 9 ? "0" + cell : cell;
}

bool consent_of(const std::string& cell) {
    const auto f = core::fold(cell);
    return f == "co" || f == "yes" || f == "x" || f == "1" || f == "true" || f == "dong y";
}

}  // namespace

net::awaitable<http::response> service::register_concern(http::request_context& c, const principal& p,
                                                         const nlohmann::json& body) {
    intake_fields f;
    f.source = string_member(body, "source").value_or("");
    f.topic = string_member(body, "topic").value_or("");
    f.commune_code = string_member(body, "commune_code").value_or("");
    f.text = string_member(body, "text").value_or("");
    f.name = string_member(body, "name").value_or("");
    f.phone = string_member(body, "phone").value_or("");
    f.consent = body.value("consent", false) == true;
    auto checked = check_intake(*deps_.dialogue, dialogue::urgent_detector(deps_.dialogue->urgent), f);
    if (auto* why = std::get_if<api_error>(&checked)) co_return refuse(*why);
    auto k = std::get<store::concern>(std::move(checked));
    if (!in_scope(p, place_of(k))) co_return refuse(error::commune_outside_scope);
    const auto now = deps_.now();
    // Raised aloud in the room (the live view): filed to that session, not the next one.
    std::optional<dialogue::session> held;
    if (body.contains("session")) {
        auto id = string_member(body, "session");
        if (!id) co_return refuse(error::not_a_string, {{"field", "session"}});
        if (f.source != "meeting") co_return refuse(error::session_only_for_meeting);
        auto read = [](store::store& s) { return std::pair{s.list_session_overrides(), s.list_added_sessions()}; };
        auto [overrides, added] = co_await on_db(read);
        held = find_session(*deps_.dialogue, overrides, added, *id, now);
        if (auto no = session_refusal(held, *id, p, false)) co_return std::move(*no);
        if (held->status == dialogue::session_status::cancelled)
            co_return refuse(error::session_cancelled, {{"id", *id}});
    }
    std::optional<store::media_file> scan;
    if (body.contains("scan")) {
        auto url = string_member(body, "scan");
        if (!url) co_return refuse(error::scan_invalid, {{"field", "scan"}});
        auto read = read_scan(*url, now);
        if (auto* why = std::get_if<api_error>(&read)) co_return refuse(*why);
        scan = std::get<store::media_file>(std::move(read));
    }
    const auto cfg = deps_.dialogue;
    const std::string sms = deps_.sms_channel;
    auto who = p;
    auto self = this;
    const auto lang = request_language(c);
    const std::string url = deps_.public_url;
    auto work = [self, k, cfg, sms, url, who, now, lang, held, scan](store::store& s) mutable {
        std::vector<store::concern> one{k};
        const bool texted = file_registered(s, *cfg, one, sms, url, who, now, held, scan).front();
        const auto& filed = one.front();
        // Labelled for the official who registers it, in their language.
        return json{{"ref", filed.ref},
                    {"status", filed.status},
                    {"session", filed.session_id},
                    {"session_label", session_label_of(self->labels_of(s, one, lang), filed)},
                    {"urgent", filed.urgent},
                    {"receipt", texted ? "sms" : "none"}};
    };
    auto out = co_await on_db(work);
    if (deps_.outbox_written) deps_.outbox_written();
    co_return http::json_response(http::status::created, out);
}

net::awaitable<http::response> service::import_concerns(http::request_context& c, const principal& p,
                                                        const nlohmann::json& body) {
    // The file: a CSV file's text, or an Excel workbook in base64 (as a browser reads a file
    // into a data: URL, with or without that prefix).
    const auto text = string_member(body, "csv");
    auto xlsx = string_member(body, "xlsx");
    if (!text && !xlsx) co_return refuse(error::csv_required);
    if (text && xlsx) co_return refuse(error::import_file_invalid);
    const bool dry_run = body.value("dry_run", false) == true;
    constexpr std::size_t max_rows = 5000;
    std::optional<csv_table> table;
    if (xlsx) {
        if (auto comma = xlsx->find(";base64,"); xlsx->starts_with("data:") && comma != std::string::npos)
            xlsx->erase(0, comma + 8);
        const auto bytes = decode_base64(*xlsx);
        if (!bytes) co_return refuse(error::import_file_invalid);
        xlsx_problem broken;
        table = read_xlsx(*bytes, broken, max_rows);
        if (!table)
            co_return broken.what == xlsx_problem::kind::too_many_rows
                ? refuse(error::csv_too_many_rows, {{"limit", max_rows}})
                : refuse(error::xlsx_invalid, {{"detail", broken.detail}});
    } else {
        csv_problem broken;
        table = read_csv(*text, broken, max_rows);
        if (!table) {
            using k = csv_problem::kind;
            co_return broken.what == k::too_many_rows ? refuse(error::csv_too_many_rows, {{"limit", max_rows}})
                      : refuse(broken.what == k::quote_unclosed ? error::csv_quote_unclosed : error::csv_text_after_quote,
                               {{"line", broken.line}});
        }
    }
    if (table->rows.size() < 2) co_return refuse(error::csv_empty);
    // The reasons of refused rows, in the words of the request's language.
    const auto lang = request_language(c);
    // Columns by their heading, in Vietnamese or English, with or without accents.
    static const std::map<std::string, std::string> headings = {
        {"source", "source"}, {"nguon", "source"}, {"topic", "topic"}, {"linh vuc", "topic"},
        {"commune", "commune"}, {"commune_code", "commune"}, {"xa", "commune"}, {"xa, phuong", "commune"},
        {"xa/phuong", "commune"}, {"text", "text"}, {"noi dung", "text"}, {"name", "name"},
        {"ho ten", "name"}, {"ho va ten", "name"}, {"phone", "phone"}, {"so dien thoai", "phone"},
        {"dien thoai", "phone"}, {"consent", "consent"}, {"dong y", "consent"}};
    std::map<std::string, std::size_t> column;
    for (std::size_t i = 0; i < table->rows[0].size(); ++i)
        if (auto it = headings.find(core::fold(table->rows[0][i])); it != headings.end()) column[it->second] = i;
    for (const char* needed : {"source", "topic", "commune", "text"})
        if (!column.contains(needed)) co_return refuse(error::csv_column_missing, {{"column", needed}});
    const auto& cfg = *deps_.dialogue;
    const dialogue::urgent_detector urgent(cfg.urgent);  // once for the whole file
    json refused = json::array();
    std::vector<store::concern> good;
    std::vector<std::size_t> good_rows;
    for (std::size_t r = 1; r < table->rows.size(); ++r) {
        const auto& row = table->rows[r];
        auto cell = [&](const char* name) {
            auto it = column.find(name);
            return it != column.end() && it->second < row.size() ? row[it->second] : std::string();
        };
        intake_fields f;
        f.source = source_of(cell("source"));
        f.topic = topic_of(cfg, cell("topic"));
        f.commune_code = code_of(cell("commune"));
        if (!cfg.find_unit(f.commune_code) && deps_.localities) {
            auto found = deps_.localities->resolve(f.commune_code);
            if (found.unique && !found.candidates.empty()) f.commune_code = found.candidates.front().code;
        }
        f.text = cell("text");
        f.name = cell("name");
        f.phone = phone_of(cell("phone"));
        f.consent = consent_of(cell("consent"));
        auto checked = check_intake(cfg, urgent, f);
        std::optional<api_error> why;
        if (auto* w = std::get_if<api_error>(&checked)) why = *w;
        else if (!in_scope(p, place_of(std::get<store::concern>(checked)))) why = api_error{error::commune_outside_scope};
        if (why) {
            refused.push_back({{"row", r + 1}, {"code", entry_of(why->id).code}, {"reason", message_of(*why, lang)}});
            continue;
        }
        good.push_back(std::get<store::concern>(std::move(checked)));
        good_rows.push_back(r + 1);
    }
    json filed = json::array();
    if (!dry_run && !good.empty()) {
        const auto now = deps_.now();
        const std::string sms = deps_.sms_channel;
        auto who = p;
        const auto cfgp = deps_.dialogue;
        const std::string url = deps_.public_url;
        auto work = [good, cfgp, sms, url, who, now](store::store& s) mutable {
            auto texted = file_registered(s, *cfgp, good, sms, url, who, now);
            std::vector<std::pair<std::string, bool>> out;
            for (std::size_t i = 0; i < good.size(); ++i) out.emplace_back(good[i].ref, texted[i]);
            return out;
        };
        auto refs = co_await on_db(work);
        for (std::size_t i = 0; i < refs.size(); ++i)
            filed.push_back({{"row", good_rows[i]}, {"ref", refs[i].first}, {"receipt", refs[i].second ? "sms" : "none"}});
        if (deps_.outbox_written) deps_.outbox_written();
    }
    json accepted = json::array();
    if (dry_run)
        for (auto r : good_rows) accepted.push_back(r);
    co_return ok({{"rows", table->rows.size() - 1}, {"dry_run", dry_run}, {"filed", filed},
                  {"accepted", accepted}, {"refused", refused}});
}

}  // namespace dgw::api
