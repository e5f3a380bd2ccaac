// After the meeting (issue 19 item 5): the work answers assigned to offices, with the overdue
// first, and its close, which tells the citizens. The rules are the domain's (followup.hpp).
#include "api/service.hpp"

#include <dgw/api/messages.hpp>
#include <dgw/core/reach.hpp>
#include <dgw/domain/contacts.hpp>
#include <dgw/domain/followup.hpp>

#include <algorithm>
#include <map>

namespace dgw::api {

namespace {
using nlohmann::json;
constexpr std::size_t max_result_bytes = 4000;
}  // namespace

// GET /api/v1/followups?state=open|overdue|closed|all: the caller's assigned items, the
// overdue ones first, then by deadline.
net::awaitable<http::response> service::list_followups(http::request_context& c,
                                                       const principal& p) {
    std::string state = c.query_param("state");
    if (state.empty()) state = "open";
    if (state != "open" && state != "overdue" && state != "closed" && state != "all")
        co_return refuse(error::followup_state_invalid, {{"field", "state"}});
    const auto today = dialogue::local_date(deps_.now(), deps_.dialogue->utc_offset);
    auto self = this;
    auto who = p;
    auto keep = [self, who, state, today](const store::concern& k) {
        if (k.assigned_to.empty() || !in_scope(who, self->place_of(k))) return false;
        if (state == "all") return true;
        if (state == "closed") return k.followup == "closed";
        if (k.followup != "assigned") return false;
        return state == "open" || domain::overdue(k, today);
    };
    const auto lang = request_language(c);
    auto work = [self, keep, lang](store::store& s) {
        auto found = s.search_concerns({}, keep, 0, 100000);
        auto labels = self->labels_of(s, found.items, lang);
        return std::pair{std::move(found.items), std::move(labels)};
    };
    auto [items, labels] = co_await on_db(work);
    std::stable_sort(items.begin(), items.end(), [&](const store::concern& a, const store::concern& b) {
        const bool la = domain::overdue(a, today), lb = domain::overdue(b, today);
        if (la != lb) return la;
        return a.deadline < b.deadline;
    });
    json out = json::array();
    std::size_t late = 0;
    for (const auto& k : items) {
        out.push_back(concern_json(k, p, labels));
        if (domain::overdue(k, today)) ++late;
    }
    co_return ok({{"items", out}, {"total", items.size()}, {"overdue", late}, {"state", state}});
}

// POST /api/v1/concerns/{ref}/followup/close {"result"}: the assigned work is done; the
// citizen is told on their own channel, and the concerns merged into it with theirs.
net::awaitable<http::response> service::close_followup(http::request_context& c, const principal& p,
                                                       const json& body) {
    auto result = string_member(body, "result");
    if (!result || result->empty()) co_return refuse(error::text_required);
    if (result->size() > max_result_bytes)
        co_return refuse(error::text_too_long, {{"limit", max_result_bytes}});
    const std::string ref = c.params["ref"];
    const auto now = deps_.now();
    auto self = this;
    auto who = p;
    auto text = *result;
    auto work = [self, who, ref, text, now](store::store& s) {
        auto k = s.find_concern(ref);
        if (auto no = self->refusal(k, ref, who, "")) return *no;
        if (k->followup != "assigned") return refuse(error::followup_not_open, {{"ref", ref}});
        const json before = {{"followup", k->followup}};
        k->followup = "closed";
        k->followup_result = text;
        k->followup_closed_at = now;
        k->updated_at = now;
        std::vector<store::outbox_message> outbox;
        auto ct = s.find_contact(k->contact_id);
        if (ct && domain::can_write_to(*ct)) {
            core::notice n;
            n.purpose = core::notice_purpose::answer;
            n.id = domain::notice_id("closed", ref, now);
            n.session_id = k->session_id;
            n.refs = {ref};
            n.answer = text;
            const auto lang = ct->language.starts_with("en") ? "en" : "vi";
            outbox.push_back(domain::notice_message(*ct, n, domain::closed_text({ref}, text, lang), now));
        }
        s.transact([&] {
            s.update_concern(*k);
            s.append_audit(audit_line(who, now, "concern.followup_closed", "concern:" + ref, before,
                                      json{{"followup", "closed"}, {"result", text}}));
            if (!outbox.empty()) s.append_outbox(outbox);
        });
        return ok({{"ref", ref}, {"followup", "closed"}, {"messages", outbox.size()}});
    };
    auto res = co_await on_db(work);
    if (res.result() == http::status::ok && deps_.outbox_written) deps_.outbox_written();
    co_return res;
}

}  // namespace dgw::api
