// Concerns (list, detail, status, assignment, merge), the message log and citizens' data
// requests.

#include "api/service.hpp"

#include <dgw/api/message_log.hpp>
#include <dgw/api/place.hpp>
#include <dgw/domain/followup.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/schedule.hpp>

#include <dgw/core/reach.hpp>
#include <dgw/core/text.hpp>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

namespace dgw::api {
namespace {

using nlohmann::json;

// What officials may set directly; "merged" goes through the merge endpoint, which records
// what it was merged into.
const std::set<std::string, std::less<>> settable_statuses = {
    "received", "scheduled", "answered", "forwarded", "withdrawn", "unscheduled"};

std::optional<std::size_t> parse_size(const std::string& text) {
    std::size_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    return v;
}

json audit_json(const store::audit_entry& a, bool with_actor) {
    json j = {{"at", core::utc_text(a.at)}, {"action", a.action}};
    if (with_actor) j["actor"] = a.actor;
    auto parse = [](const std::string& s) {
        return s.empty() ? json() : json::parse(s, nullptr, false);
    };
    j["before"] = parse(a.before);
    j["after"] = parse(a.after);
    return j;
}

json state_of(const store::concern& c) {
    return {{"status", c.status},
            {"assignee", c.assignee},
            {"merged_into", c.merged_into},
            {"session", c.session_id}};
}

}  // namespace

std::optional<std::int64_t> parse_id(const std::string& text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v <= 0) return std::nullopt;
    return v;
}

concern_place service::place_of(const store::concern& c) const {
    return api::place_of(*deps_.dialogue, c);
}

std::optional<http::response> service::refusal(const std::optional<store::concern>& k,
                                               const std::string& ref, const principal& p,
                                               const std::string& session) const {
    if (!k || (!session.empty() && k->session_id != session))
        return session.empty()
                   ? refuse(error::concern_not_found, {{"ref", ref}})
                   : refuse(error::concern_not_in_session, {{"ref", ref}, {"session", session}});
    if (!in_scope(p, place_of(*k))) return refuse(error::concern_outside_scope);
    return std::nullopt;
}

// The platform a channel is on; "" for a channel no longer configured.
std::string service::channel_type(const std::string& channel) const {
    auto it = deps_.channel_types.find(channel);
    return it == deps_.channel_types.end() ? std::string() : it->second;
}

std::string session_label_of(const session_labels& labels, const store::concern& k) {
    const auto it = labels.find(k.session_id);
    return it != labels.end() ? it->second : k.session_label;
}

json service::concern_json(const store::concern& c, const principal& p,
                           const session_labels& labels) const {
    json j = {{"ref", c.ref},
              {"status", c.status},
              {"topic", c.topic},
              {"commune_code", c.commune_code},
              {"commune", c.commune_name},
              {"text", c.text},
              {"urgent", c.urgent},
              {"anonymous", c.anonymous},
              {"session", c.session_id},
              {"session_label", session_label_of(labels, c)},
              {"route_reason", c.route_reason},
              {"answer", c.answer},
              {"merged_into", c.merged_into},
              {"agenda_group", c.agenda_group},
              {"channel", c.channel},
              {"channel_type", channel_type(c.channel)},
              {"source", c.source},
              {"created_at", core::utc_text(c.created_at)},
              {"updated_at", core::utc_text(c.updated_at)}};
    if (c.answered_at) {
        j["answered_at"] = core::utc_text(*c.answered_at);
        j["answered_by"] = c.answered_by;
    }
    // The citizen's say on the answer, and the concern this one re-opens.
    if (!c.verdict.empty()) {
        j["verdict"] = c.verdict;
        j["verdict_reason"] = c.verdict_reason;
        if (c.verdict_at) j["verdict_at"] = core::utc_text(*c.verdict_at);
    }
    if (!c.follows.empty()) j["follows"] = c.follows;
    // What the answer promised, and how it was closed.
    if (!c.followup.empty()) {
        j["followup"] = c.followup;
        if (!c.assigned_to.empty()) {
            j["assigned_to"] = c.assigned_to;
            j["deadline"] = c.deadline;
            j["promise"] = c.promise;
            j["overdue"] = domain::overdue(c, dialogue::local_date(deps_.now(), deps_.dialogue->utc_offset));
        }
        if (c.followup == "closed") {
            j["followup_result"] = c.followup_result;
            if (c.followup_closed_at) j["followup_closed_at"] = core::utc_text(*c.followup_closed_at);
        }
    }
    // What was read from the citizen's words rather than asked (topic and commune, with the
    // configured words that decided): the web app marks them.
    if (c.answers.is_object() && c.answers.contains("_inferred"))
        j["read"] = c.answers["_inferred"];
    if (!sees_personal_data(p)) return j;  // viewers: no photos, places, people
    // Officials' corrections of it, with who made them.
    if (c.answers.is_object() && c.answers.contains("_corrected"))
        j["corrected"] = c.answers["_corrected"];
    j["assignee"] = c.assignee;
    j["media"] = c.media;
    // Where staff can see the photos, for the channels whose photos can be fetched, and a
    // letter's scan, which the gateway kept from the start.
    const bool scanned = c.media.is_array() && !c.media.empty() && c.media[0].is_string() &&
                         c.media[0].get_ref<const std::string&>().starts_with("scan:");
    const bool viewable = scanned || (deps_.fetch_media && deps_.media_channels.contains(c.channel));
    if (viewable && c.media.is_array() && !c.media.empty()) {
        json urls = json::array();
        for (std::size_t i = 0; i < c.media.size(); ++i)
            urls.push_back("/api/v1/concerns/" + c.ref + "/photos/" + std::to_string(i));
        j["photos"] = urls;
    }
    if (c.lat && c.lon) j["location"] = {{"lat", *c.lat}, {"lon", *c.lon}};
    // The citizen agreed to be contacted, or the contact stays hidden.
    if (c.consent && !c.anonymous)
        j["contact"] = {{"id", c.contact_id}, {"phone", c.phone}, {"given_name", c.citizen_name}};
    return j;
}

net::awaitable<http::response> service::list_concerns(http::request_context& c,
                                                      const principal& p) {
    store::concern_filter f;
    f.session_id = c.query_param("session");
    f.commune_code = c.query_param("commune");
    f.topic = c.query_param("topic");
    if (auto st = c.query_param("status"); !st.empty()) {
        f.status = core::parse_concern_status(st);
        if (!f.status) co_return refuse(error::concern_status_invalid, {{"field", "status"}});
    }
    if (auto u = c.query_param("urgent"); !u.empty()) {
        if (u != "true" && u != "false") co_return refuse(error::not_boolean, {{"field", "urgent"}});
        f.urgent = u == "true";
    }
    std::size_t limit = 50, offset = 0;
    if (auto l = c.query_param("limit"); !l.empty()) {
        auto v = parse_size(l);
        if (!v || *v == 0 || *v > deps_.options.max_page)
            co_return refuse(error::limit_out_of_range, {{"max", deps_.options.max_page}});
        limit = *v;
    }
    if (auto o = c.query_param("offset"); !o.empty()) {
        auto v = parse_size(o);
        if (!v) co_return refuse(error::offset_invalid);
        offset = *v;
    }
    // Accent-insensitive: "sat lo" finds "sạt lở".
    const std::string q = core::fold(c.query_param("q"));
    auto self = this;
    auto who = p;
    auto keep = [self, who, q](const store::concern& k) {
        if (!in_scope(who, self->place_of(k))) return false;
        if (q.empty()) return true;
        return core::fold(k.text).find(q) != std::string::npos ||
               core::fold(k.ref).find(q) != std::string::npos ||
               core::fold(k.commune_name).find(q) != std::string::npos;
    };
    const auto lang = request_language(c);
    auto work = [self, f, keep, offset, limit, lang](store::store& s) {
        auto found = s.search_concerns(f, keep, offset, limit);
        auto labels = self->labels_of(s, found.items, lang);
        return std::pair{std::move(found), std::move(labels)};
    };
    auto [page, labels] = co_await on_db(work);
    json items = json::array();
    for (const auto& k : page.items) items.push_back(concern_json(k, p, labels));
    json body = {{"items", items}, {"total", page.total}, {"offset", offset}, {"limit", limit}};
    if (offset + page.items.size() < page.total) body["next_offset"] = offset + page.items.size();
    co_return ok(body);
}

net::awaitable<http::response> service::get_concern(http::request_context& c, const principal& p) {
    const std::string ref = c.params["ref"];
    struct found {
        std::optional<store::concern> concern;
        std::vector<store::audit_entry> history;
        std::optional<store::contact> contact;
        std::vector<store::media_copy> copies;
        session_labels labels;
    };
    const auto lang = request_language(c);
    auto self = this;
    auto work = [self, ref, lang](store::store& s) {
        found out;
        out.concern = s.find_concern(ref);
        if (out.concern) {
            out.history = s.list_audit("concern:" + ref, 1000);
            out.contact = s.find_contact(out.concern->contact_id);
            out.copies = s.media_copies_of(out.concern->id);
            out.labels = self->labels_of(s, {*out.concern}, lang);
        }
        return out;
    };
    auto f = co_await on_db(work);
    if (auto no = refusal(f.concern, ref, p)) co_return std::move(*no);
    json body = concern_json(*f.concern, p, f.labels);
    // Whether each photo is kept by the gateway yet, and why not when it never will be.
    if (body.contains("photos") && !f.copies.empty()) {
        json copies = json::array();
        for (std::size_t i = 0; i < body["photos"].size(); ++i) {
            auto it = std::find_if(f.copies.begin(), f.copies.end(),
                                   [i](const store::media_copy& m) { return m.index == i; });
            if (it == f.copies.end()) {
                copies.push_back(nullptr);
            } else {
                json copy = {{"status", store::to_string(it->status)},
                             {"reason", it->reason},
                             {"published", it->published}};
                // A letter's scanned page: its type, so that a PDF is offered as a link.
                if (it->media_id.starts_with("scan:")) copy["scan"] = it->media_id.substr(5);
                copies.push_back(std::move(copy));
            }
        }
        body["photo_copies"] = std::move(copies);
    }
    if (body.contains("contact") && f.contact) {
        body["contact"]["name"] = f.contact->display_name;
        body["contact"]["language"] = f.contact->language;
    }
    json history = json::array();
    for (const auto& a : f.history) history.push_back(audit_json(a, sees_personal_data(p)));
    body["history"] = history;
    co_return ok(body);
}

// A photo of a concern, for staff in scope, as the app fetches it (api_deps::fetch_media).
net::awaitable<http::response> service::concern_photo(http::request_context& c,
                                                      const principal& p) {
    const std::string ref = c.params["ref"];
    const auto n = parse_size(c.params["n"]);
    if (!n) co_return refuse(error::photo_number_invalid);
    struct found {
        std::optional<store::concern> concern;
        std::optional<store::media_copy> copy;
        std::optional<store::media_file> file;
    };
    auto work = [ref, n = *n](store::store& s) {
        found out;
        out.concern = s.find_concern(ref);
        if (!out.concern) return out;
        for (auto& m : s.media_copies_of(out.concern->id))
            if (m.index == n) out.copy = std::move(m);
        if (out.copy && out.copy->status == store::media_copy_status::kept)
            out.file = s.find_media_file(out.copy->id);
        return out;
    };
    auto f = co_await on_db(work);
    const auto& k = f.concern;
    if (auto no = refusal(k, ref, p)) co_return std::move(*no);
    if (!k->media.is_array() || *n >= k->media.size() || !k->media[*n].is_string())
        co_return refuse(error::photo_not_found, {{"n", *n}, {"ref", ref}});
    // The gateway's own copy, once there is one; the platform only while it is pending.
    if (f.file) {
        auto res = http::text_response(http::status::ok, std::move(f.file->bytes),
                                       f.file->content_type);
        // Personal data: never kept by a shared cache, nor by the browser (an erasure must
        // take it from every screen).
        res.set(beast::http::field::cache_control, "private, no-store");
        res.set("X-Content-Type-Options", "nosniff");
        // A letter's scan in PDF: downloaded, never opened inline from the gateway's own
        // address (a PDF may carry script).
        if (res[beast::http::field::content_type] == "application/pdf") {
            res.set(beast::http::field::content_disposition, "attachment; filename=\"" + ref + ".pdf\"");
            res.set("Content-Security-Policy", "sandbox");
        }
        co_return res;
    }
    if (f.copy && (f.copy->status == store::media_copy_status::refused ||
                   f.copy->status == store::media_copy_status::failed))
        co_return refuse(error::photo_unavailable, {{"reason", f.copy->reason}});
    if (!deps_.fetch_media || !deps_.media_channels.contains(k->channel))
        co_return refuse(error::not_kept, {{"channel", k->channel}});
    auto got = co_await deps_.fetch_media(k->channel, k->media[*n].get<std::string>());
    using outcome = media_fetch::outcome;
    if (got.result == outcome::unavailable)
        co_return refuse(error::platform_unavailable);
    if (got.result != outcome::ok)
        co_return refuse(error::photo_gone);
    // Personal data: never kept by a browser or a proxy.
    auto res = http::text_response(http::status::ok, std::move(got.bytes), got.content_type);
    res.set(beast::http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    co_return res;
}

// An official shows (or hides) one of a concern's photos on the public page of answers, with
// its answer once that is published (issue 19 item 8). Only a photo the gateway keeps; never a
// letter's scan.
net::awaitable<http::response> service::publish_photo(http::request_context& c, const principal& p,
                                                      const nlohmann::json& body) {
    const std::string ref = c.params["ref"];
    const auto n = parse_size(c.params["n"]);
    if (!n) co_return refuse(error::photo_number_invalid);
    const auto it = body.find("published");
    if (it == body.end() || !it->is_boolean()) co_return refuse(error::not_boolean, {{"field", "published"}});
    const bool published = it->get<bool>();
    auto read = [ref](store::store& s) {
        auto k = s.find_concern(ref);
        std::vector<store::media_copy> copies;
        if (k) copies = s.media_copies_of(k->id);
        return std::pair{std::move(k), std::move(copies)};
    };
    auto [k, copies] = co_await on_db(read);
    if (auto no = refusal(k, ref, p)) co_return std::move(*no);
    const auto copy = std::find_if(copies.begin(), copies.end(), [&](const store::media_copy& m) {
        return m.index == *n && m.status == store::media_copy_status::kept;
    });
    if (copy == copies.end()) co_return refuse(error::photo_not_found, {{"n", *n}, {"ref", ref}});
    if (copy->media_id.starts_with("scan:")) co_return refuse(error::scan_not_publishable);
    const auto now = deps_.now();
    auto who = p;
    const auto id = k->id;
    auto work = [who, now, ref, id, n = *n, published](store::store& s) {
        s.transact([&] {
            s.publish_media(id, n, published);
            s.append_audit(audit_line(who, now, published ? "photo.publish" : "photo.unpublish",
                                      "concern:" + ref, nullptr, json{{"photo", n}}));
        });
    };
    co_await on_db(work);
    co_return ok({{"ref", ref}, {"photo", *n}, {"published", published}});
}

net::awaitable<http::response> service::patch_concern(http::request_context& c, const principal& p,
                                                      const nlohmann::json& body) {
    auto status = string_member(body, "status");
    auto assignee = string_member(body, "assignee");
    auto topic = string_member(body, "topic");
    auto commune = string_member(body, "commune_code");
    for (const char* key : {"status", "assignee", "topic", "commune_code"})
        if (body.contains(key) && !string_member(body, key))
            co_return refuse(error::not_a_string, {{"field", key}});
    if (!status && !assignee && !topic && !commune)
        co_return refuse(error::concern_change_empty);
    if (status && !settable_statuses.contains(*status))
        co_return refuse(error::concern_status_invalid, {{"field", "status"}});
    const auto& cfg = *deps_.dialogue;
    if (topic && !cfg.find_topic(*topic)) co_return refuse(error::topic_unknown, {{"topic", *topic}});
    const dialogue::unit* unit = commune ? cfg.find_unit(*commune) : nullptr;
    if (commune && (!unit || unit->level != "commune"))
        co_return refuse(error::commune_unknown, {{"code", *commune}});
    const std::string ref = c.params["ref"];
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto dialogue = deps_.dialogue;
    const std::string commune_name = unit ? unit->name : "";
    const auto lang = request_language(c);
    auto work = [self, who, ref, status, assignee, topic, commune, commune_name, dialogue, now,
                 lang](store::store& s) {
        auto k = s.find_concern(ref);
        if (auto no = self->refusal(k, ref, who)) return *no;
        if (assignee && !assignee->empty()) {
            auto u = s.find_user_by_name(*assignee);
            if (!u || u->disabled || u->role == "viewer")
                return refuse(error::assignee_invalid, {{"field", "assignee"}});
        }
        json before = state_of(*k);
        if (status) k->status = *core::parse_concern_status(*status);  // checked above
        if (assignee) k->assignee = *assignee;
        k->updated_at = now;
        // A correction of what was read (or asked): the topic or the commune. Officials may
        // only move a concern to a place within their scope, and it is filed again.
        const bool new_topic = topic && *topic != k->topic;
        const bool new_commune = commune && *commune != k->commune_code;
        json corrected_before, corrected_after;
        if (new_topic || new_commune) {
            corrected_before = {{"topic", k->topic}, {"commune", k->commune_code},
                                {"session", k->session_id}, {"status", k->status}};
            if (new_topic) correct(*k, "topic", k->topic, *topic, who, now);
            if (new_commune) correct(*k, "commune", k->commune_code, *commune, who, now);
            if (new_topic) k->topic = *topic;
            if (new_commune) {
                k->commune_code = *commune;
                k->commune_name = commune_name;
            }
            if (!in_scope(who, self->place_of(*k)))
                return refuse(error::commune_outside_scope);
            // Not yet heard: filed again to the session that hears it now.
            if (k->status == core::concern_status::received || k->status == core::concern_status::scheduled || k->status == core::concern_status::unscheduled)
                domain::reroute(*dialogue,
                        domain::routing_schedule(*dialogue, s.list_added_sessions(),
                                         s.list_session_overrides(), now),
                        *k, now);
            corrected_after = {{"topic", k->topic}, {"commune", k->commune_code},
                               {"session", k->session_id}, {"status", k->status}};
        }
        s.transact([&] {
            s.update_concern(*k);
            if (status || assignee)
                s.append_audit(audit_line(who, now, "concern.update", "concern:" + ref, before,
                                          state_of(*k)));
            if (!corrected_after.is_null())
                s.append_audit(audit_line(who, now, "concern.correct", "concern:" + ref,
                                          corrected_before, corrected_after));
        });
        return ok(self->concern_json(*k, who, self->labels_of(s, {*k}, lang)));
    };
    co_return co_await on_db(work);
}

// What the concern's words were read as and what officials made of it: counted per topic by
// inference_stats().
void service::correct(store::concern& k, const std::string& field, const std::string& from,
                      const std::string& to, const principal& who, store::time_point now) {
    if (!k.answers.is_object()) k.answers = json::object();
    k.answers["_corrected"][field] = {
        {"from", from}, {"to", to}, {"by", who.name}, {"at", core::utc_text(now)}};
}

net::awaitable<http::response> service::inference_stats(http::request_context&,
                                                        const principal& p) {
    auto self = this;
    auto who = p;
    auto work = [self, who](store::store& s) {
        // Per topic the citizen's words were read as: how many concerns, and how many of them
        // officials corrected (topic, commune). Only concerns in the asker's scope.
        struct counts {
            std::size_t concerns = 0, topic_read = 0, topic_corrected = 0, commune_read = 0,
                        commune_corrected = 0;
        };
        std::map<std::string, counts> by_topic;
        store::concern_filter all;
        for (const auto& k : s.search_concerns(all, nullptr, 0, 1000000).items) {
            if (!in_scope(who, self->place_of(k))) continue;
            const json inferred = k.answers.is_object()
                                      ? k.answers.value("_inferred", json::object())
                                      : json::object();
            const json corrected = k.answers.is_object()
                                       ? k.answers.value("_corrected", json::object())
                                       : json::object();
            const bool topic_read = inferred.contains("topic");
            // Counted under the topic as read, which is what a correction corrects.
            const std::string topic =
                topic_read ? inferred["topic"].value("value", k.topic) : k.topic;
            auto& n = by_topic[topic];
            ++n.concerns;
            if (topic_read) {
                ++n.topic_read;
                if (corrected.contains("topic")) ++n.topic_corrected;
            }
            if (inferred.contains("locality")) {
                ++n.commune_read;
                if (corrected.contains("commune")) ++n.commune_corrected;
            }
        }
        json topics = json::array();
        const auto& cfg = *self->deps_.dialogue;
        for (const auto& [id, n] : by_topic) {
            const auto* t = cfg.find_topic(id);
            topics.push_back({{"topic", id},
                              {"name_vi", t ? t->name_vi : id},
                              {"name_en", t ? t->name_en : id},
                              {"concerns", n.concerns},
                              {"topic_read", n.topic_read},
                              {"topic_corrected", n.topic_corrected},
                              {"commune_read", n.commune_read},
                              {"commune_corrected", n.commune_corrected}});
        }
        return ok({{"topics", topics}});
    };
    co_return co_await on_db(work);
}

net::awaitable<http::response> service::merge_concern(http::request_context& c, const principal& p,
                                                      const nlohmann::json& body) {
    auto into = string_member(body, "into");
    if (!into || into->empty()) co_return refuse(error::merge_target_required);
    const std::string ref = c.params["ref"];
    if (*into == ref) co_return refuse(error::concern_merge_self);
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto target = *into;
    const auto lang = request_language(c);
    auto work = [self, who, ref, target, now, lang](store::store& s) {
        auto k = s.find_concern(ref);
        auto t = s.find_concern(target);
        if (auto no = self->refusal(k, ref, who)) return *no;
        if (auto no = self->refusal(t, target, who)) return *no;
        if (k->status == core::concern_status::merged)
            return refuse(error::already_merged, {{"ref", ref}, {"into", k->merged_into}});
        if (t->status == core::concern_status::merged)
            return refuse(error::target_merged, {{"ref", target}, {"into", t->merged_into}});
        json before = state_of(*k);
        k->status = core::concern_status::merged;
        k->merged_into = target;
        k->updated_at = now;
        s.transact([&] {
            s.update_concern(*k);
            s.append_audit(
                audit_line(who, now, "concern.merge", "concern:" + ref, before, state_of(*k)));
            s.append_audit(audit_line(who, now, "concern.merged_from", "concern:" + target, nullptr,
                                      json{{"from", ref}}));
        });
        return ok(self->concern_json(*k, who, self->labels_of(s, {*k}, lang)));
    };
    co_return co_await on_db(work);
}

net::awaitable<http::response> service::messages(http::request_context& c, const principal&) {
    std::optional<std::int64_t> contact;
    if (auto v = c.query_param("contact"); !v.empty()) {
        contact = parse_id(v);
        if (!contact) co_return refuse(error::contact_id_invalid);
    }
    std::size_t limit = 100;
    if (auto l = c.query_param("limit"); !l.empty()) {
        auto v = parse_size(l);
        if (!v || *v == 0 || *v > deps_.options.max_page)
            co_return refuse(error::limit_out_of_range, {{"max", deps_.options.max_page}});
        limit = *v;
    }
    auto work = [contact, limit](store::store& s) { return message_log(s, contact, limit); };
    auto items = co_await on_db(work);
    co_return ok({{"items", items}});
}

net::awaitable<http::response> service::export_contact(http::request_context& c,
                                                       const principal& p) {
    auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::contact_id_invalid);
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto contact_id = *id;
    auto work = [self, who, contact_id, now](store::store& s) {
        auto ct = s.find_contact(contact_id);
        if (!ct) return refuse(error::contact_not_found, {{"id", contact_id}});
        store::concern_filter f;
        f.contact_id = contact_id;
        auto concerns = s.search_concerns(f, nullptr, 0, 100000);
        json list = json::array();
        for (const auto& k : concerns.items) {
            // Their own data as it is held: each session labelled in their language.
            auto j = self->concern_json(k, who, {});
            // Everything held about the person, consent or not: it is their own data.
            j["phone"] = k.phone;
            j["consent"] = k.consent;
            j["answers"] = k.answers;
            list.push_back(std::move(j));
        }
        // What the citizen allowed the platform to deliver to them later; the tokens themselves
        // are credentials to message them and stay out of the export.
        json permissions = json::array();
        for (const auto& perm : s.reach_of(contact_id).permissions) {
            json j = {{"kind", core::to_string(perm.kind)}, {"granted", perm.granted}};
            if (perm.expires_at) j["expires_at"] = core::utc_text(*perm.expires_at);
            if (!perm.topic.empty()) j["topic"] = perm.topic;
            permissions.push_back(std::move(j));
        }
        json body = {{"contact",
                      {{"id", ct->id},
                       {"channel", ct->channel},
                       {"user_id", ct->user_id},
                       {"name", ct->display_name},
                       {"language", ct->language},
                       {"created_at", core::utc_text(ct->created_at)},
                       {"last_inbound_at", core::utc_text(ct->last_inbound_at)}}},
                     {"concerns", list},
                     {"permissions", permissions},
                     {"messages", message_log(s, contact_id, 100000)}};
        s.append_audit(audit_line(who, now, "contact.export",
                                  "contact:" + std::to_string(contact_id), nullptr, nullptr));
        return ok(body);
    };
    co_return co_await on_db(work);
}

net::awaitable<http::response> service::erase_contact(http::request_context& c,
                                                      const principal& p) {
    auto id = parse_id(c.params["id"]);
    if (!id) co_return refuse(error::contact_id_invalid);
    const auto now = deps_.now();
    auto who = p;
    auto contact_id = *id;
    auto work = [who, contact_id, now](store::store& s) {
        bool erased = false;
        s.transact([&] {
            erased = s.erase_contact(contact_id, now);
            if (erased)
                s.append_audit(audit_line(who, now, "contact.erase",
                                          "contact:" + std::to_string(contact_id), nullptr,
                                          nullptr));
        });
        if (!erased) return refuse(error::contact_not_found, {{"id", contact_id}});
        return ok({{"erased", true}, {"contact", contact_id}});
    };
    co_return co_await on_db(work);
}

}  // namespace dgw::api
