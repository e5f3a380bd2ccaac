// Concerns that did not come by chat (issue 19 §1): officials register what people wrote in a
// letter, said at the reception desk or on the hotline, what the press reported, or what was
// raised aloud at the meeting. Filed by the same rules as a chat concern (domain::place, a
// fresh reference, urgency, scope), with the source recorded; a citizen who gave a phone number
// with their consent gets the receipt by SMS through the configured SMS channel.

#include "service.hpp"

#include <dgw/api/schedule_rows.hpp>

#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/flow/answers.hpp>

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace dgw::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_text_bytes = 4000;
constexpr std::size_t max_name_bytes = 200;
/// Where a concern an official registers may come from ("chat" is the platforms' own).
constexpr std::array<std::string_view, 5> sources = {"letter", "reception", "hotline", "press", "meeting"};

std::uint32_t strong_random() {
    std::uint32_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1)
        throw std::runtime_error("RAND_bytes failed");
    return v;
}

std::string receipt_text(const store::concern& k, const std::optional<dialogue::session>& s) {
    return "Phản ánh của ông/bà đã được ghi nhận, mã số " + k.ref + ". " +
           (s ? "Phản ánh sẽ được đưa ra " + s->title_vi + ", " + dialogue::when_vi(*s) + ", tại " + s->venue + "."
              : "Buổi đối thoại xem xét phản ánh sẽ được thông báo sau.");
}

}  // namespace

net::awaitable<http::response> service::register_concern(http::request_context& c, const principal& p,
                                                         const nlohmann::json& body) {
    (void)c;
    const auto source = string_member(body, "source").value_or("");
    if (std::find(sources.begin(), sources.end(), source) == sources.end())
        co_return bad_request("source is one of letter, reception, hotline, press, meeting");
    const auto topic = string_member(body, "topic").value_or("");
    const auto& cfg = deps_.dialogue;
    if (std::none_of(cfg->topics.begin(), cfg->topics.end(), [&](const auto& t) { return t.id == topic; }))
        co_return bad_request("topic must be one of the configured topics");
    const auto commune = string_member(body, "commune_code").value_or("");
    const auto* unit = cfg->find_unit(commune);
    if (!unit) co_return bad_request("commune_code must be a known commune or ward");
    const auto text = string_member(body, "text").value_or("");
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) co_return bad_request("text is required");
    if (text.size() > max_text_bytes)
        co_return bad_request("text has at most " + std::to_string(max_text_bytes) + " bytes");
    const auto name = string_member(body, "name").value_or("");
    if (name.size() > max_name_bytes)
        co_return bad_request("name has at most " + std::to_string(max_name_bytes) + " bytes");
    const auto phone_text = string_member(body, "phone").value_or("");
    std::string phone;
    if (!phone_text.empty()) {
        auto e164 = flow::normalize_phone(phone_text);
        if (!e164) co_return bad_request("phone is not a Vietnamese phone number");
        phone = *e164;
    }
    const bool consent = body.value("consent", false) == true;
    if (!consent && (!name.empty() || !phone.empty()))
        co_return bad_request("consent is needed to keep a name or phone number: leave them out, or record that the citizen agreed");

    store::concern k;
    k.source = source;
    k.topic = topic;
    k.commune_code = commune;
    k.commune_name = unit->name;
    k.text = text;
    k.citizen_name = name;
    k.phone = phone;
    k.consent = consent;
    k.anonymous = phone.empty() && name.empty();
    k.answers = {{"_registered_by", p.name}};
    if (!in_scope(p, place_of(k))) co_return forbidden("that commune is outside your scope");
    const auto now = deps_.now();
    k.created_at = k.updated_at = now;
    k.urgent = dialogue::urgent_detector(cfg->urgent).urgent(text);
    // The receipt goes by SMS when the citizen gave a number with their consent and the
    // gateway has an SMS channel; otherwise nobody can be written to.
    const std::string sms = deps_.sms_channel;
    auto who = p;
    auto work = [k, cfg, sms, who, now](store::store& s) mutable -> http::response {
        const auto schedule = routing_schedule(*cfg, s.list_added_sessions(), s.list_session_overrides(), now);
        const auto session = reroute(*cfg, schedule, k, now);
        k.ref = domain::new_reference(*cfg, strong_random,
                                      [&](std::string_view r) { return s.concern_ref_exists(std::string(r)); });
        const bool texted = !k.phone.empty() && !sms.empty();
        auto ct = texted ? s.upsert_contact(sms, k.phone, k.citizen_name, "vi", now)
                         : s.upsert_contact(std::string(domain::office_channel), k.source + ":" + k.ref,
                                            k.citizen_name, "vi", now);
        k.contact_id = ct.id;
        k.channel = ct.channel;
        k.conversation_key = "registered." + k.ref;
        store::step_write step;
        step.at = now;
        step.concerns.push_back(k);
        if (texted) {
            core::notice n;
            n.purpose = core::notice_purpose::answer;
            n.id = notice_id("receipt", k.ref, now);
            n.refs = {k.ref};
            n.answer = receipt_text(k, session);
            step.outbox.push_back(notice_message(ct, n, n.answer, now));
        }
        s.transact([&] {
            std::vector<store::step_write> steps{step};
            s.commit_steps(steps);
            s.append_audit(audit_line(who, now, "concern.register", "concern:" + k.ref, nullptr,
                                      json{{"source", k.source}, {"topic", k.topic}, {"commune", k.commune_code}}));
        });
        json out = {{"ref", k.ref},          {"status", k.status},   {"session", k.session_id},
                    {"session_label", k.session_label}, {"urgent", k.urgent}, {"receipt", texted ? "sms" : "none"}};
        return http::json_response(http::status::created, out);
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::created && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

}  // namespace dgw::api
