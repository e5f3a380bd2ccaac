#include "dgw/pipeline/processor.hpp"

#include <dgw/core/json_reader.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/domain/schedule.hpp>
#include <dgw/domain/status.hpp>
#include <dgw/domain/verdict.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

namespace dgw::pipeline {
namespace {

// The state of a conversation as stored; store::corrupt_row, naming it, when it cannot be
// read (the store's own reads say the same for theirs).
nlohmann::json parse_state(const store::conversation& c) {
    core::problem error;
    auto state = core::parse_json(c.state_text, &error);
    if (!state)
        throw store::corrupt_row("conversations " + c.key + " state" +
                                 (error.path.empty() ? "" : " " + error.path) + ": " +
                                 error.message);
    return std::move(*state);
}

using nlohmann::json;
using time_point = store::time_point;

flow::event to_flow_event(const core::inbound_event& e) {
    switch (e.kind) {
        case core::inbound_kind::text: return flow::text_event{e.text};
        case core::inbound_kind::choice: return flow::choice_event{e.choice_id};
        case core::inbound_kind::location: return flow::location_event{e.lat, e.lon};
        case core::inbound_kind::image: return flow::image_event{e.media, e.text};
        case core::inbound_kind::contact: return flow::contact_event{e.phone};
        case core::inbound_kind::permission:
            break;  // handled before any flow
    }
    return flow::text_event{e.text};
}

std::string json_string(const json& answers, const char* key) {
    auto it = answers.find(key);
    return it != answers.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The commune the citizen chose or was read from their words: {code, name}, or empty.
std::pair<std::string, std::string> locality_of(const json& answers) {
    auto it = answers.find("locality");
    if (it == answers.end() || !it->is_object()) return {};
    return {json_string(*it, "code"), json_string(*it, "name")};
}

// One contact as this batch sees it: the state every planned step starts from.
struct contact_ctx {
    store::contact contact;
    std::optional<store::conversation> active;
};

}  // namespace

struct processor::impl {
    explicit impl(processor_deps deps)
        : d(std::move(deps)), urgent(d.dialogue->urgent), schedule(*d.dialogue) {
        if (d.metrics) {
            auto& m = *d.metrics;
            m.describe("dgw_conversations_total",
                       "Conversations by event (started, completed, expired).",
                       core::metrics::kind::counter);
            m.describe("dgw_concerns_filed_total", "Concerns filed, by routing status.",
                       core::metrics::kind::counter);
            m.describe("dgw_inbox_processed_total", "Inbox events processed, by result.",
                       core::metrics::kind::counter);
            m.describe("dgw_timers_fired_total", "Conversation timers fired, by effect.",
                       core::metrics::kind::counter);
            m.describe("dgw_handoffs_total", "Conversations that asked for a person.",
                       core::metrics::kind::counter);
            m.describe("dgw_data_erasures_total", "Contacts erased, by who asked (citizen).",
                       core::metrics::kind::counter);
            m.describe("dgw_permissions_total",
                       "Permissions citizens gave or withdrew on a platform (notification opt-ins, "
                       "follows, subscriptions), by channel, kind and granted.",
                       core::metrics::kind::counter);
        }
    }

    processor_deps d;
    dialogue::urgent_detector urgent;
    dialogue::schedule_cache schedule;  // the processor runs on one thread at a time

    // The states this processor wrote, parsed, by contact: the text each was written as and
    // the tree it came from. The next event of that contact reads the row back; if the text
    // is the same, the tree is reused instead of parsed again. Nothing is trusted: a state
    // that changed in the store (or a write that never committed) has another text.
    struct written_state {
        std::string text;
        nlohmann::json state;
    };
    std::unordered_map<std::int64_t, written_state> memo;
    static constexpr std::size_t memo_limit = 8192;  // contacts; beyond it, start afresh

    // A contact's active conversation as read (`c`, its state as text), its state parsed.
    std::optional<store::conversation> load_active(std::int64_t contact_id,
                                                   std::optional<store::conversation> c) {
        auto m = memo.find(contact_id);
        if (c) {
            if (m != memo.end() && m->second.text == c->state_text)
                c->state = std::move(m->second.state);
            else
                c->state = parse_state(*c);
            c->state_text.clear();
        }
        if (m != memo.end()) memo.erase(m);
        return c;
    }

    // After a batch: keep the active conversations it wrote, parsed, for their next events.
    void remember(std::map<std::int64_t, contact_ctx>& contacts,
                  std::map<std::int64_t, std::string>& texts) {
        if (memo.size() + texts.size() > memo_limit) memo.clear();
        for (auto& [contact_id, text] : texts) {
            auto it = contacts.find(contact_id);
            if (it == contacts.end() || !it->second.active || !it->second.active->active) continue;
            memo[contact_id] = {std::move(text), std::move(it->second.active->state)};
        }
    }

    // ----- one step under construction -------------------------------------------------------

    struct plan {
        store::step_write write;
        contact_ctx ctx;
        std::string key_base;  // conversation keys started by this step: key_base + "." + n
        int started = 0;
        std::set<std::string>* batch_refs = nullptr;
        store::store* db = nullptr;
        time_point now;
        std::string channel;
        int depth = 0;
        std::size_t concerns = 0;
        std::size_t started_count = 0;
        std::size_t completed_count = 0;
        json reply_context = json::object();  // of the event being answered, if any
        time_point received_at{};
        bool active_changed = false;  // ctx.active is not yet in write.conversations
        std::string active_text;      // the text ctx.active was last written as, if it was
        std::vector<std::string> filed;  // references of the concerns this step filed
    };

    void count(const char* name, core::metric_labels labels = {}) {
        if (d.metrics) d.metrics->inc(name, labels);
    }

    // The active conversation changed: it is written once, as it ends up (flush_conversation),
    // rather than copied into the step after every engine result. The state is a JSON tree,
    // and copying it was a measurable part of the worker's time.
    void upsert_conversation(plan& p) { p.active_changed = true; }

    // Puts the active conversation into the step. `replaced`: another one takes its place
    // (start_flow), so it is moved, not copied; it is written before the new one, which keeps
    // "one active conversation per contact" true at every statement.
    void flush_conversation(plan& p, bool replaced) {
        if (!p.active_changed || !p.ctx.active) return;
        p.active_changed = false;
        auto& c = *p.ctx.active;
        std::string text = c.state.dump();  // written as is: the tree itself is not copied
        store::conversation row;
        if (replaced) {
            row = std::move(c);
        } else {
            auto state = std::move(c.state);
            row = c;
            c.state = std::move(state);
            p.active_text = text;
        }
        row.state_text = std::move(text);
        p.write.conversations.push_back(std::move(row));
    }

    void queue_messages(plan& p, const std::vector<flow::outbound_message>& messages) {
        for (const auto& m : messages) {
            store::outbox_message row;
            row.channel = p.ctx.contact.channel;
            row.user_id = p.ctx.contact.user_id;
            row.contact_id = p.ctx.contact.id;
            row.kind = "message";
            row.payload = m;
            // What the platform may need to answer this event (a LINE reply token) and when it
            // arrived, so the sender can tell whether it is still usable.
            // Only the first reply gets it: reply tokens are single-use.
            if (!p.reply_context.empty()) {
                row.payload["context"] = {
                    {"reply_context", p.reply_context},
                    {"inbound_at_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                          p.received_at.time_since_epoch())
                                          .count()}};
                p.reply_context = json::object();
            }
            row.next_attempt_at = p.now;
            row.created_at = p.now;
            row.inbox_id = p.write.inbox_id;
            p.write.outbox.push_back(std::move(row));
        }
    }

    // The review shows the session a concern would go to, routed over the same schedule (with
    // officials' edits and added sessions) the concern is filed by.
    flow::step_context step_ctx(const plan& p) {
        preview.emplace(schedule, p.now);
        return flow::step_context{d.localities.get(), d.reader.get(), &*preview};
    }
    std::optional<dialogue::schedule_preview> preview;

    // `first`: the message that starts it (the citizen's first words are read, not dropped);
    // `carry`: what the flow that started this one passed on.
    void start_flow(plan& p, const std::string& flow_id, const std::string& lang,
                    const flow::event* first = nullptr, nlohmann::json carry = nullptr) {
        auto def = d.flows->latest(flow_id);
        if (!def) throw std::runtime_error("no flow named " + flow_id);
        auto r = flow::start(*def, lang.empty() ? p.ctx.contact.language : lang, p.now,
                             step_ctx(p), {first, std::move(carry)});
        begin(p, def, std::move(r));
    }

    // The conversation a flow's start (`r`) opens takes the place of the active one.
    void begin(plan& p, const std::shared_ptr<const flow::definition>& def, flow::step_result r) {
        store::conversation c;
        c.key = p.key_base + "." + std::to_string(p.started++);
        c.contact_id = p.ctx.contact.id;
        c.flow_id = def->id;
        c.flow_version = def->version;
        c.started_at = p.now;
        flush_conversation(p, true);
        p.ctx.active = std::move(c);
        ++p.started_count;
        apply(p, *def, std::move(r));
    }

    // The editor's per-node counts travel in the step's write, so they commit (or not) with
    // the conversation state they describe: a redelivered or retried event counts nothing twice.
    static void add_node_counts(plan& p, const flow::definition& def, const flow::step_result& r) {
        auto bump = [&](const std::string& node, bool reached) {
            auto& counts = p.write.node_counts;
            auto it = std::find_if(counts.begin(), counts.end(), [&](const store::node_count& c) {
                return c.flow_id == def.id && c.version == def.version && c.node == node;
            });
            if (it == counts.end()) it = counts.insert(counts.end(), {def.id, def.version, node, 0, 0});
            ++(reached ? it->reached : it->left);
        };
        for (const auto& n : r.reached) bump(n, true);
        for (const auto& n : r.left) bump(n, false);
    }

    void apply(plan& p, const flow::definition& def, flow::step_result r) {
        if (++p.depth > 8) throw std::runtime_error("flow effects recurse too deep");
        add_node_counts(p, def, r);
        auto& conv = *p.ctx.active;
        // Most steps neither had nor set a timer: then there is nothing to replace in the store.
        const auto old_timers = conv.state.find("timers");  // end() for a new conversation
        const bool had_timers = old_timers != conv.state.end() && !old_timers->empty();
        conv.state = std::move(r.state);
        conv.updated_at = p.now;
        if (r.done) {
            conv.active = false;
            conv.outcome = p.write.timer_id != 0 ? "expired" : "completed";
            ++p.completed_count;
        }
        upsert_conversation(p);
        queue_messages(p, r.messages);
        // The engine returns the complete set of timers to keep armed.
        if (had_timers || !r.timers.empty()) p.write.timers_reset_for.push_back(conv.key);
        for (const auto& t : r.timers) p.write.timers.push_back({0, conv.key, t.id, t.at});

        const std::string lang = conv.state.value("lang", def.languages.front());
        for (auto& e : r.effects) {
            if (auto* s = std::get_if<flow::submit_effect>(&e)) {
                auto outcome = perform(p, *s, lang);
                auto next = flow::step(def, p.ctx.active->state, outcome, p.now, step_ctx(p));
                if (!next) throw std::runtime_error("flow refused a submit outcome: " + next.err().message);
                apply(p, def, std::move(next.value()));
            } else if (auto* h = std::get_if<flow::handoff_effect>(&e)) {
                count("dgw_handoffs_total");
                if (d.log)
                    d.log->info("pipeline", "conversation " + conv.key + " asks for a person: " +
                                                h->reason);
                open_handoff(p, *h, lang);
            } else if (auto* f = std::get_if<flow::start_flow_effect>(&e)) {
                start_flow(p, f->flow, f->lang, nullptr, std::move(f->carry));
            }
        }
        --p.depth;
    }

    static store::handoff_note& handoff_note(plan& p) {
        if (!p.write.handoff) p.write.handoff = store::handoff_note{};
        p.write.handoff->contact_id = p.ctx.contact.id;
        return *p.write.handoff;
    }

    // The bot gives up: the officials' hand-off inbox gets the citizen with what the
    // conversation had gathered (topic, commune, description), nothing of it dropped.
    static void open_handoff(plan& p, const flow::handoff_effect& h, const std::string& lang) {
        auto& n = handoff_note(p);
        n.opens = true;
        n.channel = p.ctx.contact.channel;
        n.reason = h.reason;
        n.lang = lang;
        n.topic = json_string(h.answers, "topic");
        std::tie(n.commune_code, n.commune_name) = locality_of(h.answers);
        n.said = json_string(h.answers, "description");
    }

    // What a submit node asked for, done inside this batch.
    flow::submit_outcome perform(plan& p, const flow::submit_effect& s, const std::string& lang) {
        switch (s.action) {
            case flow::submit_action::check_status: return check_status(p, s.answers, lang);
            case flow::submit_action::erase_my_data: return erase_my_data(p);
            case flow::submit_action::record_verdict: return record_verdict(p, s.answers, lang);
            case flow::submit_action::file_concern: break;
        }
        return file_concern(p, s, lang);
    }

    flow::submit_outcome file_concern(plan& p, const flow::submit_effect& submit,
                                      const std::string& lang) {
        const json& answers = submit.answers;
        const auto& cfg = *d.dialogue;
        store::concern c;
        c.contact_id = p.ctx.contact.id;
        c.channel = p.ctx.contact.channel;
        c.conversation_key = p.ctx.active->key;
        c.topic = json_string(answers, "topic");
        std::tie(c.commune_code, c.commune_name) = locality_of(answers);
        c.text = json_string(answers, "description");
        if (auto it = answers.find("photo"); it != answers.end() && it->is_array()) c.media = *it;
        c.copy_media = !c.media.empty() && d.copies_media && d.copies_media(c.channel);
        if (auto it = answers.find("location"); it != answers.end() && it->is_object()) {
            c.lat = it->value("lat", 0.0);
            c.lon = it->value("lon", 0.0);
        }
        c.phone = json_string(answers, "phone");
        c.anonymous = c.phone.empty();
        c.consent = answers.value("consent", false);
        c.urgent = urgent.urgent(c.text);
        // The invitation the citizen followed: set by this batch, else as stored.
        c.audience = domain::audience_for(
            cfg, p.ctx.contact, [&](std::string_view id) { return schedule.audience_of(id, p.now); }, c.text, p.now);
        c.answers = answers;
        // What was read from the citizen's words rather than asked: officials' corrections of
        // it are counted per topic.
        if (!submit.inferred.empty()) c.answers["_inferred"] = submit.inferred;
        c.created_at = c.updated_at = p.now;

        flow::submit_outcome o;
        o.urgent = c.urgent;
        o.hotline = cfg.urgent.hotline;
        file(p, std::move(c), lang, o);
        return o;
    }

    // A citizen answered lately (domain::verdict_window) who replies with their verdict is
    // heard by the verdict flow; any other first message starts the channel's flow as usual.
    // The verdict flow is started only when it takes the message as a verdict: it asks
    // nothing of a citizen who wrote about something else.
    bool hear_verdict(plan& p, const flow::event& first, const std::string& lang) {
        auto def = d.flows->latest(domain::verdict_flow);
        if (!def || !p.db->awaiting_verdict(p.ctx.contact.id, p.now - domain::verdict_window))
            return false;
        auto r = flow::start(*def, lang.empty() ? p.ctx.contact.language : lang, p.now,
                             step_ctx(p), {&first, nullptr});
        if (r.expect && r.expect->answer == domain::verdict_answer) return false;
        begin(p, def, std::move(r));
        return true;
    }

    // The verdict is recorded on the concern awaiting it; "unsatisfied" re-opens the concern
    // onto the next session (a new reference, following the first), where the citizen's
    // reason is heard.
    flow::submit_outcome record_verdict(plan& p, const json& answers, const std::string& lang) {
        flow::submit_outcome o;
        auto first = p.db->awaiting_verdict(p.ctx.contact.id, p.now - domain::verdict_window);
        auto said = domain::parse_verdict(json_string(answers, domain::verdict_answer));
        if (!first || !said) {
            o.ok = false;
            return o;
        }
        p.write.verdict = store::step_write::verdict_note{
            first->ref, std::string(domain::to_string(*said)),
            json_string(answers, domain::reason_answer)};
        o.ok = true;
        o.ref = first->ref;
        if (*said == domain::verdict::satisfied) return o;
        store::concern c = domain::reopened(*first, p.now);
        c.conversation_key = p.ctx.active->key;
        file(p, std::move(c), lang, o);
        return o;
    }

    // Routes, numbers and queues a new concern of this step; `o` says where it will be heard.
    void file(plan& p, store::concern c, const std::string& lang, flow::submit_outcome& o) {
        // Routing never drops a concern: an unknown commune or no session in the horizon
        // leaves it unscheduled, for officials to assign.
        const bool vi = lang == "vi";
        if (auto s = domain::place(c, schedule.route({c.commune_code, c.topic, c.audience, p.now}), lang)) {
            o.session_date = vi ? dialogue::when_vi(*s) : dialogue::when_en(*s);
            o.session_place = s->venue;
        } else {
            o.session_date = vi ? "(sẽ thông báo sau)" : "(to be announced)";
            o.session_place = o.session_date;
        }
        c.ref = domain::new_reference(*d.dialogue, d.random, [&](std::string_view r) {
            std::string s(r);
            return p.batch_refs->contains(s) || p.db->concern_ref_exists(s);
        });
        p.batch_refs->insert(c.ref);
        o.ok = true;
        o.ref = c.ref;
        o.results = domain::results_link(d.public_url, c.commune_code);
        o.calendar = domain::calendar_link(d.public_url, c.commune_code);
        p.filed.push_back(c.ref);
        p.write.concerns.push_back(std::move(c));
        ++p.concerns;
    }

    flow::submit_outcome check_status(plan& p, const json& answers, const std::string& lang) {
        flow::submit_outcome o;
        auto ref = dialogue::parse_reference(json_string(answers, "ref"), d.dialogue->reference_prefix);
        if (!ref) {
            o.ok = false;
            return o;
        }
        // Concerns filed earlier in this batch are not in the store yet.
        const store::concern* found = nullptr;
        std::optional<store::concern> stored;
        for (const auto& c : p.write.concerns)
            if (c.ref == ref.value()) found = &c;
        if (!found && (stored = p.db->find_concern(ref.value()))) found = &*stored;
        if (!found) {
            o.ok = false;
            return o;
        }
        // Status and answer only: no personal data is read back to whoever knows a reference.
        o.ok = true;
        o.ref = found->ref;
        o.status = domain::status_line(*found, lang);
        o.answer = found->answer;
        return o;
    }

    // The citizen asked in the chat to have their personal data deleted (and confirmed): the
    // same erasure as an official's on request (store::erase_contact), inside this batch's
    // transaction. The confirmation still reaches them: it is queued after the erasure, with
    // the address this step already holds.
    flow::submit_outcome erase_my_data(plan& p) {
        flow::submit_outcome o;
        o.ok = p.db->erase_contact(p.ctx.contact.id, p.now);
        if (o.ok) {
            p.db->append_audit({0, p.now, "citizen", "contact.erase",
                                "contact:" + std::to_string(p.ctx.contact.id), "",
                                R"({"reason":"asked in the chat"})"});
            count("dgw_data_erasures_total", {{"by", "citizen"}});
        }
        return o;
    }

    void add_ack(plan& p, const store::inbox_row& row) {
        if (!d.wants_ack || !d.wants_ack(row.channel, row.event)) return;
        store::outbox_message ack;
        ack.channel = row.channel;
        ack.user_id = row.event.user_id;
        ack.contact_id = p.ctx.contact.id;
        ack.kind = "ack";
        ack.payload = row.event;
        ack.next_attempt_at = ack.created_at = p.now;
        ack.inbox_id = row.id;
        p.write.outbox.push_back(std::move(ack));
    }

    // After the receipt of a concern, the opt-in the platform needs to reach the citizen weeks
    // later (Messenger: notification opt-in; Zalo: following the OA). Queued after the step's
    // replies, so it comes after the receipt; the sender renders it for the platform.
    void add_offer(plan& p) {
        if (p.filed.empty() || !d.offers_notifications || !d.offers_notifications(p.channel))
            return;
        store::outbox_message offer;
        offer.channel = p.ctx.contact.channel;
        offer.user_id = p.ctx.contact.user_id;
        offer.contact_id = p.ctx.contact.id;
        offer.kind = "offer";
        offer.payload = {{"ref", p.filed.back()}};
        offer.next_attempt_at = offer.created_at = p.now;
        offer.inbox_id = p.write.inbox_id;
        p.write.outbox.push_back(std::move(offer));
    }

    // A citizen's permission to be reached later: stored with the contact, no flow step.
    void plan_permission(plan& p, const store::inbox_row& row) {
        const auto& perm = *row.event.permission;
        p.write.permissions.push_back({p.ctx.contact.id, perm});
        // A new way to reach them: what was held for them may go now.
        if (perm.granted) p.write.release_held.push_back(p.ctx.contact.id);
        count("dgw_permissions_total", {{"channel", row.channel},
                                        {"kind", core::to_string(perm.kind)},
                                        {"granted", perm.granted ? "true" : "false"}});
    }

    void plan_event(plan& p, const store::inbox_row& row) {
        add_ack(p, row);
        // Opened from an official's invitation: kept on the contact for their concerns.
        if (!row.event.invite.empty()) {
            p.ctx.contact.invite = row.event.invite;
            p.ctx.contact.invited_at = p.now;
            p.write.invite = store::step_write::invite_note{p.ctx.contact.id, row.event.invite};
        }
        // The citizen wrote: what was held for their next message is due, ahead of the replies.
        p.write.release_held.push_back(p.ctx.contact.id);
        // And it joins their open hand-off, if they have one, for the official who reads it.
        if (!row.event.text.empty()) handoff_note(p).wrote = row.event.text;
        if (p.ctx.active) {
            auto def = definition_for(p);
            if (def) {
                auto r = flow::step(*def, p.ctx.active->state, to_flow_event(row.event), p.now,
                                    step_ctx(p));
                if (r) {
                    apply(p, *def, std::move(r.value()));
                    return;
                }
                if (d.log)
                    d.log->warn("pipeline", "conversation " + p.ctx.active->key +
                                                " cannot continue (" + r.err().message +
                                                "); starting over");
            }
            // The version it started on is gone or the state is unusable: close it and start
            // over rather than leave the citizen talking to nothing.
            p.ctx.active->active = false;
            p.ctx.active->outcome = "failed";
            p.ctx.active->updated_at = p.now;
            upsert_conversation(p);
        }
        const flow::event first = to_flow_event(row.event);
        if (hear_verdict(p, first, row.event.language)) return;
        auto it = d.start_flow.find(row.channel);
        start_flow(p, it == d.start_flow.end() ? "menu" : it->second, row.event.language, &first);
    }

    // The version a conversation is on; one another gateway published is loaded first.
    std::shared_ptr<const flow::definition> definition_for(plan& p) {
        auto def = d.flows->for_state(p.ctx.active->state);
        if (!def && d.learn_flow) {
            d.learn_flow(*p.db, p.ctx.active->flow_id);
            def = d.flows->for_state(p.ctx.active->state);
        }
        return def;
    }

    void plan_timer(plan& p, const store::timer& t) {
        auto def = definition_for(p);
        if (!def) return;
        auto r = flow::step(*def, p.ctx.active->state, flow::timer_event{t.timer_id}, p.now,
                            step_ctx(p));
        if (!r) return;
        apply(p, *def, std::move(r.value()));
    }

    void record(const plan& p, batch_report& rep) {
        rep.concerns += p.concerns;
        rep.messages += p.write.outbox.size();
        for (std::size_t i = 0; i < p.started_count; ++i)
            count("dgw_conversations_total", {{"event", "started"}});
        // A conversation a timer ends (the flow's timeout route) expired; others completed.
        const char* ended = p.write.timer_id != 0 ? "expired" : "completed";
        for (std::size_t i = 0; i < p.completed_count; ++i)
            count("dgw_conversations_total", {{"event", ended}});
        for (const auto& c : p.write.concerns) count("dgw_concerns_filed_total", {{"status", std::string(core::to_string(c.status))}});
    }

    batch_report run(store::store& db, time_point now, std::size_t limit) {
        batch_report rep;
        // Officials postpone and cancel sessions through the API: new concerns must not be
        // filed to a session that no longer takes place. One small query per batch.
        schedule.set_edits(domain::edits_of(db.list_session_overrides()));
        // And admins add sessions (an agency's conference, an extra meeting) that take concerns
        // from now on.
        schedule.set_added(domain::added_of(db.list_added_sessions()));
        std::map<std::int64_t, contact_ctx> contacts;
        std::map<std::int64_t, std::string> texts;  // what each contact's active state was written as
        std::set<std::string> refs;
        std::vector<store::step_write> steps;

        auto base_plan = [&](contact_ctx ctx) {
            plan p;
            p.ctx = std::move(ctx);
            p.batch_refs = &refs;
            p.db = &db;
            p.now = now;
            return p;
        };

        // Timers first: they were due before anything this batch brings.
        for (const auto& t : db.due_timers(now, limit)) {
            ++rep.timers;
            std::optional<contact_ctx> ctx;
            try {
                auto conv = db.find_conversation(t.conversation_key);
                if (conv) {
                    auto cached = contacts.find(conv->contact_id);
                    if (cached != contacts.end()) {
                        ctx = cached->second;
                    } else if (auto c = db.find_contact(conv->contact_id)) {
                        ctx = contact_ctx{*c, load_active(c->id, db.active_conversation_text(c->id))};
                    }
                }
            } catch (const store::corrupt_row& e) {
                // A conversation the store cannot read cannot be stepped: the timer goes, as a
                // stale one does, instead of failing the batch again and again.
                if (d.log)
                    d.log->error("pipeline", "timer " + std::to_string(t.id) + ": " + e.what());
                ctx.reset();
            }
            plan p = base_plan(ctx.value_or(contact_ctx{}));
            p.write.timer_id = t.id;
            p.key_base = "t" + std::to_string(t.id);
            // A timer whose conversation has moved on (answered, finished, restarted) does
            // nothing but disappear.
            bool live = ctx && ctx->active && ctx->active->key == t.conversation_key;
            if (live) {
                try {
                    plan_timer(p, t);
                    flush_conversation(p, false);
                    count("dgw_timers_fired_total", {{"effect", "stepped"}});
                } catch (const std::exception& e) {
                    if (d.log) d.log->error("pipeline", "timer " + std::to_string(t.id) + ": " + e.what());
                    p = base_plan(*ctx);
                    p.write.timer_id = t.id;
                }
                if (!p.active_text.empty()) texts[p.ctx.contact.id] = std::move(p.active_text);
                contacts[p.ctx.contact.id] = std::move(p.ctx);  // p.ctx is not read again
            } else {
                count("dgw_timers_fired_total", {{"effect", "stale"}});
            }
            record(p, rep);
            steps.push_back(std::move(p.write));
        }

        const auto rows = db.pending_inbox(limit);
        const auto is_permission = [](const store::inbox_row& row) {
            return row.event.kind == core::inbound_kind::permission && row.event.permission;
        };
        // The senders are written in one statement and the active conversations of those the
        // timers did not bring read in another: two round trips a batch on a database server,
        // not two an event.
        std::vector<store::contact_seen> seen;
        for (const auto& row : rows)
            if (!is_permission(row))
                seen.push_back({row.channel, row.event.user_id, row.event.display_name,
                                row.event.language});
        const auto senders = db.upsert_contacts(seen, now);
        std::set<std::int64_t> unread;
        for (const auto& c : senders)
            if (!contacts.contains(c.id)) unread.insert(c.id);
        const auto actives = db.active_conversations_text({unread.begin(), unread.end()});
        auto sender = senders.begin();

        for (const auto& row : rows) {
            ++rep.events;
            const bool permission = is_permission(row);
            auto contact = permission ? db.ensure_contact(row.channel, row.event.user_id, now)
                                      : *sender++;
            auto cached = contacts.find(contact.id);
            plan p = base_plan(contact_ctx{});
            try {
                // Inside: a conversation state the store cannot read (store::corrupt_row) fails
                // this event, not the whole batch again and again.
                // As read with the batch's senders; else (a contact only a permission event
                // brought) now.
                auto active = [&]() -> std::optional<store::conversation> {
                    if (auto it = actives.find(contact.id); it != actives.end()) return it->second;
                    if (unread.contains(contact.id)) return std::nullopt;
                    return db.active_conversation_text(contact.id);
                };
                contact_ctx ctx = cached != contacts.end()
                                      ? cached->second
                                      : contact_ctx{contact, load_active(contact.id, active())};
                // An invitation an earlier event of this batch followed is not stored yet.
                if (const auto& was = ctx.contact; was.invited_at &&
                    (!contact.invited_at || *contact.invited_at < *was.invited_at)) {
                    contact.invite = was.invite;
                    contact.invited_at = was.invited_at;
                }
                ctx.contact = contact;
                p = base_plan(std::move(ctx));
                p.write.inbox_id = row.id;
                p.key_base = std::to_string(row.id);
                p.channel = row.channel;
                p.reply_context = row.event.reply_context;
                p.received_at = row.received_at;
                p.write.at = now;
                if (permission) {
                    plan_permission(p, row);
                } else {
                    plan_event(p, row);
                    add_offer(p);
                }
                flush_conversation(p, false);
                if (!p.active_text.empty()) texts[contact.id] = std::move(p.active_text);
                contacts[contact.id] = std::move(p.ctx);  // p.ctx is not read again
                count("dgw_inbox_processed_total", {{"result", "done"}});
            } catch (const std::exception& e) {
                // A bad event is marked failed with the reason; the contact's state is untouched.
                ++rep.failed;
                if (d.log)
                    d.log->error("pipeline", "inbox event " + std::to_string(row.id) + " failed: " + e.what());
                p = base_plan(contact_ctx{});
                p.write.inbox_id = row.id;
                p.write.at = now;
                p.write.inbox_error = e.what();
                count("dgw_inbox_processed_total", {{"result", "failed"}});
            }
            record(p, rep);
            steps.push_back(std::move(p.write));
        }
        if (steps.empty()) return rep;
        try {
            db.commit_steps(steps);
        } catch (const std::logic_error& e) {
            // A step the database refuses (a bug, e.g. a broken constraint): commit the others
            // one by one and mark the refused event failed, instead of retrying forever.
            if (d.log) d.log->error("pipeline", std::string("batch refused, committing one by one: ") + e.what());
            for (auto& s : steps) {
                std::vector<store::step_write> one{s};
                try {
                    db.commit_steps(one);
                } catch (const std::logic_error& e1) {
                    store::step_write failed;
                    failed.inbox_id = s.inbox_id;
                    failed.timer_id = s.timer_id;
                    failed.at = s.at;
                    failed.inbox_error = e1.what();
                    std::vector<store::step_write> f{failed};
                    db.commit_steps(f);
                    ++rep.failed;
                }
            }
        }
        remember(contacts, texts);
        return rep;
    }
};

processor::processor(processor_deps deps) : impl_(std::make_unique<impl>(std::move(deps))) {}
processor::~processor() = default;

batch_report processor::run_batch(store::store& db, store::time_point now, std::size_t limit) {
    // One transaction for the whole batch, contacts included: one durable commit (one fsync)
    // per batch rather than one per event.
    batch_report rep;
    db.transact([&] { rep = impl_->run(db, now, limit); });
    return rep;
}

}  // namespace dgw::pipeline
