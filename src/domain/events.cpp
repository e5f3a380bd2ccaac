#include "dgw/domain/events.hpp"

#include <dgw/core/time_text.hpp>

namespace dgw::domain {

using nlohmann::json;

std::string hook_channel(std::string_view name) { return "hook:" + std::string(name); }

json concern_data(const store::concern& c, bool personal_data) {
    json d = {{"ref", c.ref},
              {"status", c.status},
              {"topic", c.topic},
              {"commune", {{"code", c.commune_code}, {"name", c.commune_name}}},
              {"source", c.source},
              {"urgent", c.urgent},
              {"session", {{"id", c.session_id}, {"label", c.session_label}}},
              {"created_at", core::utc_text(c.created_at)},
              {"updated_at", core::utc_text(c.updated_at)}};
    if (!c.answer.empty()) {
        json a = {{"text", c.answer}};
        if (c.answered_at) a["answered_at"] = core::utc_text(*c.answered_at);
        if (!c.assigned_to.empty()) a["assigned_to"] = c.assigned_to;
        if (!c.deadline.empty()) a["deadline"] = c.deadline;
        if (!c.followup.empty()) a["followup"] = c.followup;
        d["answer"] = std::move(a);
    }
    if (!c.merged_into.empty()) d["merged_into"] = c.merged_into;
    if (personal_data) {
        json who = {{"text", c.text}, {"anonymous", c.anonymous}, {"channel", c.channel}};
        // What the citizen gave with their consent; an anonymous concern has neither.
        if (!c.anonymous && c.consent) {
            if (!c.citizen_name.empty()) who["name"] = c.citizen_name;
            if (!c.phone.empty()) who["phone"] = c.phone;
        }
        if (c.lat && c.lon) who["location"] = {{"lat", *c.lat}, {"lon", *c.lon}};
        d["citizen"] = std::move(who);
    }
    return d;
}

namespace {

json session_data(const store::session_change& s) {
    json d = {{"id", s.session_id}};
    if (s.edit) {
        const auto& e = *s.edit;
        d["change"] = "edited";
        d["status"] = e.status.empty() ? "scheduled" : e.status;
        d["date"] = e.date;
        d["venue"] = e.venue;
        d["note"] = e.note;
        d["watch_link"] = e.watch_link;
        d["chair"] = e.chair;
    } else if (s.added) {
        const auto& a = *s.added;
        d["change"] = "added";
        d["status"] = "scheduled";
        d["level"] = a.level;
        d["locality"] = a.locality;
        d["date"] = a.date;
        d["venue"] = a.venue;
        d["audience"] = a.audience;
        d["topics"] = a.topics;
        d["title"] = {{"vi", a.title_vi}, {"en", a.title_en}};
    } else {
        d["change"] = "deleted";
    }
    return d;
}

}  // namespace

event_hooks::event_hooks(std::vector<hook> hooks) : hooks_(std::move(hooks)) {}

template <class Data>
std::vector<store::outbox_message> event_hooks::rows(core::event_type type, const std::string& key,
                                                     std::int64_t contact_id, store::time_point at,
                                                     const Data& data) const {
    std::vector<store::outbox_message> out;
    for (const auto& h : hooks_) {
        if (!h.events.contains(type)) continue;
        store::outbox_message m;
        m.channel = hook_channel(h.name);
        m.user_id = key;
        m.contact_id = contact_id;
        m.kind = "event";
        m.payload = {{"type", core::to_string(type)},
                     {"occurred_at", core::utc_text(at)},
                     {"data", data(h.personal_data)}};
        m.next_attempt_at = at;
        m.created_at = at;
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<store::outbox_message> event_hooks::filed(const store::concern& c) const {
    return rows(core::event_type::concern_filed, c.ref, c.contact_id, c.created_at,
                [&](bool personal) { return concern_data(c, personal); });
}

std::vector<store::outbox_message> event_hooks::changed(const store::concern& before,
                                                        const store::concern& after) const {
    std::vector<store::outbox_message> out;
    if (before.status != after.status || before.session_id != after.session_id) {
        out = rows(core::event_type::concern_status, after.ref, after.contact_id, after.updated_at, [&](bool personal) {
            auto d = concern_data(after, personal);
            d["previous"] = {{"status", before.status}, {"session_id", before.session_id}};
            return d;
        });
    }
    if (!after.answer.empty() && after.answer != before.answer) {
        auto more = rows(core::event_type::concern_answered, after.ref, after.contact_id, after.updated_at,
                         [&](bool personal) { return concern_data(after, personal); });
        out.insert(out.end(), std::make_move_iterator(more.begin()),
                   std::make_move_iterator(more.end()));
    }
    return out;
}

std::vector<store::outbox_message> event_hooks::session_changed(const store::session_change& s) const {
    return rows(core::event_type::session_changed, "session:" + s.session_id, 0, s.at,
                [&](bool) { return session_data(s); });
}

}  // namespace dgw::domain
