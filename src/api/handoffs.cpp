// The hand-off inbox (issue 18 §8): citizens the bot could not help, or who asked for a
// person, listed for the officials whose scope covers them, with what they had already said.
// An official opens one (the citizen is told, once, that it was seen), replies through the
// citizen's own channel (the outbox, in order, by the platform's rules for late messages),
// may turn the exchange into a concern filed like any other, and closes it.

#include "service.hpp"

#include <dgw/api/secrets.hpp>

#include <dgw/domain/schedule.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/dialogue/routing.hpp>

#include <algorithm>
#include <stdexcept>

namespace dgw::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_reply_bytes = 4000;

json handoff_json(const store::handoff& h, bool with_messages) {
    json j = {{"id", h.id},
              {"status", h.status},
              {"reason", h.reason},
              {"lang", h.lang},
              {"channel", h.channel},
              {"name", h.display_name},
              {"topic", h.topic},
              {"commune_code", h.commune_code},
              {"commune", h.commune_name},
              {"created_at", core::utc_text(h.created_at)},
              {"updated_at", core::utc_text(h.updated_at)},
              {"seen_by", h.seen_by},
              {"closed_by", h.closed_by},
              {"concern", h.concern_ref},
              {"messages_count", h.message_count}};
    j["seen_at"] = h.seen_at ? json(core::utc_text(*h.seen_at)) : json();
    j["closed_at"] = h.closed_at ? json(core::utc_text(*h.closed_at)) : json();
    if (!with_messages) {
        j["last_text"] = h.last_text;
        return j;
    }
    json lines = json::array();
    for (const auto& m : h.messages)
        lines.push_back({{"author", m.author}, {"by", m.by}, {"text", m.text}, {"at", core::utc_text(m.at)}});
    j["messages"] = std::move(lines);
    return j;
}

bool english(const std::string& lang) { return lang.starts_with("en"); }

// What the citizen reads when an official first opens their hand-off, and with a reply.
std::string seen_text(const std::string& lang) {
    return english(lang) ? "An official has read your messages and will reply here."
                         : "Cán bộ đã xem tin nhắn của bạn và sẽ trả lời tại đây.";
}
std::string reply_text(const std::string& lang, const std::string& text) {
    return (english(lang) ? "Reply from an official:\n" : "Cán bộ trả lời:\n") + text;
}
std::string filed_text(const std::string& lang, const store::concern& k,
                       const std::optional<dialogue::session>& s, const std::string& public_url) {
    if (english(lang))
        return "An official has filed what you told us as concern " + k.ref + ". " +
               domain::heard_at(s, "en") + domain::calendar_line(public_url, k.commune_code, "en");
    return "Cán bộ đã ghi nhận ý kiến của bạn thành phản ánh " + k.ref + ". " +
           domain::heard_at(s, "vi") + domain::calendar_line(public_url, k.commune_code, "vi");
}

// The citizen's own messages of the exchange, as the concern's text to start from.
std::string citizen_words(const store::handoff& h) {
    std::string out;
    for (const auto& m : h.messages)
        if (m.author == "citizen") out += (out.empty() ? "" : "\n") + m.text;
    return out;
}

// A message to the hand-off's citizen (a notice: it may go out long after they wrote), or
// nothing when they erased their data.
std::optional<store::outbox_message> to_citizen(store::store& s, const store::handoff& h,
                                                const std::string& text, const char* action,
                                                store::time_point now) {
    auto ct = s.find_contact(h.contact_id);
    if (!ct || !domain::can_write_to(*ct)) return std::nullopt;
    core::notice n;
    n.purpose = core::notice_purpose::answer;
    n.id = domain::notice_id(action, std::to_string(h.id), now);
    n.answer = text;
    return domain::notice_message(*ct, n, text, now);
}

}  // namespace

concern_place service::place_of(const store::handoff& h) const {
    concern_place place;
    place.commune = h.commune_code;
    if (const auto* u = deps_.dialogue->find_unit(h.commune_code)) place.parent = u->parent;
    if (h.commune_code.empty()) place.level = "province";
    return place;
}

std::optional<http::response> service::handoff_refusal(const std::optional<store::handoff>& h,
                                                       std::int64_t id, const principal& p) const {
    if (!h) return refuse(error::handoff_not_found, {{"id", id}});
    if (!in_scope(p, place_of(*h))) return refuse(error::handoff_outside_scope);
    return std::nullopt;
}

net::awaitable<http::response> service::list_handoffs(http::request_context& c, const principal& p) {
    std::string status = c.query_param("status");
    if (status.empty()) status = "open";
    if (status == "all") status.clear();
    if (!status.empty() && status != "open" && status != "closed")
        co_return refuse(error::handoff_status_invalid, {{"field", "status"}});
    auto read = [status](store::store& s) { return s.list_handoffs(status, 500); };
    auto all = co_await on_db(read);
    json items = json::array();
    for (const auto& h : all)
        if (in_scope(p, place_of(h))) {
            items.push_back(handoff_json(h, false));
            items.back()["channel_type"] = channel_type(h.channel);
        }
    co_return ok({{"items", std::move(items)}});
}

net::awaitable<http::response> service::get_handoff(http::request_context& c, const principal& p) {
    const auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::handoff_not_found, {{"id", c.params["id"]}});
    const auto now = deps_.now();
    const auto self = this;
    auto who = p;
    const auto hid = *id;
    // The first official to open it marks it seen, and the citizen is told so, once.
    auto work = [self, who, hid, now](store::store& s) -> std::pair<http::response, bool> {
        auto h = s.find_handoff(hid);
        if (auto no = self->handoff_refusal(h, hid, who)) return {std::move(*no), false};
        bool told = false;
        if (!h->seen_at && h->status == "open") {
            s.transact([&] {
                if (!s.mark_handoff_seen(hid, who.name, now)) return;
                h->seen_at = now;
                h->seen_by = who.name;
                if (auto m = to_citizen(s, *h, seen_text(h->lang), "handoff_seen", now)) {
                    std::vector<store::outbox_message> out{std::move(*m)};
                    s.append_outbox(out);
                    told = true;
                }
            });
        }
        auto j = handoff_json(*h, true);
        j["channel_type"] = self->channel_type(h->channel);
        return {ok(j), told};
    };
    auto [res, told] = co_await on_db(work);
    if (told && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

net::awaitable<http::response> service::reply_handoff(http::request_context& c, const principal& p,
                                                       const nlohmann::json& body) {
    const auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::handoff_not_found, {{"id", c.params["id"]}});
    auto text = string_member(body, "text");
    if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos)
        co_return refuse(error::text_required, {{"field", "text"}});
    if (text->size() > max_reply_bytes)
        co_return refuse(error::text_too_long, {{"field", "text"}, {"limit", max_reply_bytes}});
    const auto now = deps_.now();
    const auto self = this;
    auto who = p;
    const auto hid = *id;
    const auto reply = *text;
    auto work = [self, who, hid, reply, now](store::store& s) -> http::response {
        auto h = s.find_handoff(hid);
        if (auto no = self->handoff_refusal(h, hid, who)) return std::move(*no);
        if (h->status != "open")
            return refuse(error::handoff_closed);
        auto m = to_citizen(s, *h, reply_text(h->lang, reply), "handoff_reply", now);
        if (!m)
            return refuse(error::citizen_erased);
        if (!s.reply_to_handoff(hid, who.name, reply, *m))
            return refuse(error::handoff_closed);
        return ok({{"id", hid}, {"sent", true}, {"channel", h->channel}});
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::ok && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

net::awaitable<http::response> service::handoff_concern(http::request_context& c, const principal& p,
                                                        const nlohmann::json& body) {
    const auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::handoff_not_found, {{"id", c.params["id"]}});
    const auto topic = string_member(body, "topic").value_or("");
    const auto commune = string_member(body, "commune_code").value_or("");
    const auto text = string_member(body, "text");
    const auto& cfg = deps_.dialogue;
    if (std::none_of(cfg->topics.begin(), cfg->topics.end(), [&](const auto& t) { return t.id == topic; }))
        co_return refuse(error::topic_unknown, {{"field", "topic"}, {"topic", topic}});
    const auto* unit = cfg->find_unit(commune);
    if (!unit) co_return refuse(error::commune_unknown, {{"field", "commune_code"}, {"code", commune}});
    if (text && text->size() > max_reply_bytes)
        co_return refuse(error::text_too_long, {{"field", "text"}, {"limit", max_reply_bytes}});
    const auto now = deps_.now();
    const auto self = this;
    auto who = p;
    const auto hid = *id;
    const std::string commune_name = unit->name;
    const std::string given = text.value_or("");
    const auto lang = request_language(c);
    const std::string url = deps_.public_url;
    auto work = [self, who, hid, topic, commune, commune_name, given, cfg, now, lang,
                 url](store::store& s) -> http::response {
        auto h = s.find_handoff(hid);
        if (auto no = self->handoff_refusal(h, hid, who)) return std::move(*no);
        store::concern k;
        k.commune_code = commune;
        k.commune_name = commune_name;
        k.topic = topic;
        // The concern must stay in the official's scope: they file only where they may act.
        if (!in_scope(who, self->place_of(k))) return refuse(error::commune_outside_scope, {{"field", "commune_code"}});
        if (h->status != "open")
            return refuse(error::handoff_closed);
        k.text = given.empty() ? citizen_words(*h) : given;
        if (k.text.empty()) return refuse(error::citizen_text_empty, {{"field", "text"}});
        k.contact_id = h->contact_id;
        k.channel = h->channel;
        k.anonymous = true;  // no phone was asked for; the chat still reaches them
        k.answers = {{"_source", "handoff"}, {"_handoff", hid}, {"_filed_by", who.name}};
        k.created_at = k.updated_at = now;
        const auto schedule = domain::routing_schedule(*cfg, s.list_added_sessions(), s.list_session_overrides(), now);
        const auto session = domain::reroute(*cfg, schedule, k, now);
        k.ref = domain::new_reference(*cfg, random_u32,
                                      [&](std::string_view r) { return s.concern_ref_exists(std::string(r)); });
        store::step_write step;
        step.at = now;
        step.concerns.push_back(k);
        if (auto m = to_citizen(s, *h, filed_text(h->lang, k, session, url), "handoff_filed", now))
            step.outbox.push_back(std::move(*m));
        s.transact([&] {
            std::vector<store::step_write> steps{step};
            s.commit_steps(steps);
            s.close_handoff(hid, who.name, k.ref, now);
            s.append_audit(audit_line(who, now, "handoff.concern", "handoff:" + std::to_string(hid), nullptr,
                                      json{{"ref", k.ref}, {"topic", topic}, {"commune", commune}}));
        });
        // The official reads the session in their own language.
        return ok({{"id", hid},
                   {"ref", k.ref},
                   {"status", k.status},
                   {"session", k.session_id},
                   {"session_label",
                    session ? domain::session_label(*session, lang) : k.session_label}});
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::ok && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

net::awaitable<http::response> service::close_handoff(http::request_context& c, const principal& p,
                                                      const nlohmann::json&) {
    const auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::handoff_not_found, {{"id", c.params["id"]}});
    const auto now = deps_.now();
    const auto self = this;
    auto who = p;
    const auto hid = *id;
    auto work = [self, who, hid, now](store::store& s) -> http::response {
        auto h = s.find_handoff(hid);
        if (auto no = self->handoff_refusal(h, hid, who)) return std::move(*no);
        bool closed = false;
        s.transact([&] {
            closed = s.close_handoff(hid, who.name, "", now);
            if (closed)
                s.append_audit(audit_line(who, now, "handoff.close", "handoff:" + std::to_string(hid),
                                          nullptr, nullptr));
        });
        if (!closed)
            return refuse(error::handoff_closed);
        return ok({{"id", hid}, {"status", "closed"}});
    };
    co_return co_await on_db(work);
}

}  // namespace dgw::api
