#include "dgw/flow/engine.hpp"

#include "dgw/core/match.hpp"
#include "dgw/core/reading.hpp"
#include "dgw/core/text.hpp"
#include "dgw/flow/answers.hpp"
#include "flow/template.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <sstream>
#include <utility>

namespace dgw::flow {
namespace {

using nlohmann::json;

constexpr std::string_view status_active = "active";
constexpr std::string_view status_submitting = "submitting";
constexpr std::string_view status_done = "done";
// A validated flow cannot run this long without waiting; the guard protects hand-built ones.
constexpr int max_nodes_per_step = 256;
// Buttons offered for an unclear commune: a former district spans up to a dozen communes of
// today, and every one of them must be offered (with "none of these").
constexpr std::size_t max_locality_buttons = 12;
// Topics suggested for an unsure reading, before "other".
constexpr std::size_t max_topic_buttons = 3;
// A message this many words longer than the menu phrase it contains is a description, not a
// command: "nhà văn hoá … bị nứt, đề nghị xã kiểm tra" does not check a status.
constexpr std::size_t command_extra_words = 3;
// A message this long at the topic or commune question may be the whole concern.
constexpr std::size_t concern_words = 5;
// The buttons that leave a list of suggestions for the whole list, or for typing.
constexpr std::string_view more_id = "more";
constexpr std::string_view none_id = "none";

struct timer_entry {
    std::string id;
    std::int64_t at_ms = 0;
};

// The conversation as the engine sees it; stored as JSON between steps.
struct conv_state {
    std::string flow;
    int version = 0;
    std::string lang;
    std::string node;
    std::string status{status_active};
    json answers = json::object();
    json vars = json::object();
    int attempts = 0;
    std::string return_to;
    std::vector<choice_button> offered;
    std::vector<timer_entry> timers;
    std::int64_t timer_seq = 0;
    // What the citizen's free words filled: these answers' questions are not asked.
    std::vector<std::string> given;
    // Per answer, the likeliest options offered instead of the full list ([{id,label}]).
    json suggest = json::object();
    // Per answer, what was read rather than asked (submit_effect::inferred).
    json inferred = json::object();
    // The message a menu choice was read from, for the flow the choice starts.
    json carry;
    // A review with actions is showing the answers to change.
    bool editing = false;
};

// Takes the state by value: a step's runner hands over its state when it finishes, so the
// answers and variables move into the JSON instead of being copied.
json to_json_state(conv_state s) {
    json offered = json::array();
    for (auto& b : s.offered) {
        json o = json::object();
        o["id"] = std::move(b.id);
        o["label"] = std::move(b.label);
        offered.push_back(std::move(o));
    }
    json timers = json::array();
    for (auto& t : s.timers) {
        json o = json::object();
        o["id"] = std::move(t.id);
        o["at_ms"] = t.at_ms;
        timers.push_back(std::move(o));
    }
    json j = json::object();
    j["flow"] = std::move(s.flow);
    j["version"] = s.version;
    j["lang"] = std::move(s.lang);
    j["node"] = std::move(s.node);
    j["status"] = std::move(s.status);
    j["answers"] = std::move(s.answers);
    j["vars"] = std::move(s.vars);
    j["attempts"] = s.attempts;
    j["return_to"] = std::move(s.return_to);
    j["offered"] = std::move(offered);
    j["timers"] = std::move(timers);
    j["timer_seq"] = s.timer_seq;
    // Written only when used, so that states of flows without them stay as they were.
    if (!s.given.empty()) j["given"] = std::move(s.given);
    if (!s.suggest.empty()) j["suggest"] = std::move(s.suggest);
    if (!s.inferred.empty()) j["inferred"] = std::move(s.inferred);
    if (!s.carry.is_null()) j["carry"] = std::move(s.carry);
    if (s.editing) j["editing"] = true;
    return j;
}

std::optional<conv_state> from_json_state(const json& j) {
    // A stored state is ours, but it crosses a database: anything odd is reported, not trusted.
    try {
        conv_state s;
        s.flow = j.at("flow").get<std::string>();
        s.version = j.at("version").get<int>();
        s.lang = j.at("lang").get<std::string>();
        s.node = j.at("node").get<std::string>();
        s.status = j.at("status").get<std::string>();
        s.answers = j.at("answers");
        s.vars = j.at("vars");
        s.attempts = j.at("attempts").get<int>();
        s.return_to = j.at("return_to").get<std::string>();
        for (const auto& b : j.at("offered"))
            s.offered.push_back({b.at("id").get<std::string>(), b.at("label").get<std::string>()});
        for (const auto& t : j.at("timers"))
            s.timers.push_back({t.at("id").get<std::string>(), t.at("at_ms").get<std::int64_t>()});
        s.timer_seq = j.at("timer_seq").get<std::int64_t>();
        if (auto g = j.find("given"); g != j.end()) s.given = g->get<std::vector<std::string>>();
        if (auto g = j.find("suggest"); g != j.end()) s.suggest = *g;
        if (auto g = j.find("inferred"); g != j.end()) s.inferred = *g;
        if (auto g = j.find("carry"); g != j.end()) s.carry = *g;
        if (auto g = j.find("editing"); g != j.end()) s.editing = g->get<bool>();
        if (!s.answers.is_object() || !s.vars.is_object() || !s.suggest.is_object() ||
            !s.inferred.is_object())
            return std::nullopt;
        return s;
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

std::int64_t to_ms(time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

time_point from_ms(std::int64_t ms) { return time_point(std::chrono::milliseconds(ms)); }

input_hint hint_for(answer_type t) {
    switch (t) {
        case answer_type::choice:
            return input_hint::choice;
        case answer_type::text:
            return input_hint::text;
        case answer_type::number:
            return input_hint::number;
        case answer_type::yes_no:
            return input_hint::yes_no;
        case answer_type::phone:
            return input_hint::phone;
        case answer_type::locality:
            return input_hint::locality;
        case answer_type::location:
            return input_hint::location;
        case answer_type::media:
            return input_hint::media;
        case answer_type::any:
            return input_hint::any;
    }
    return input_hint::any;
}

std::string trim(std::string_view s) {
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return std::string(s.substr(b, e - b + 1));
}

std::string format_number(double v) {
    if (std::floor(v) == v && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
    std::ostringstream o;
    o << v;
    return o.str();
}

// How an answer to an ask was understood.
struct accepted {
    json value;
};
struct skipped {};
struct invalid {};
struct tied {
    std::vector<choice_button> options;
};
// A greeting where a question was asked: the question again, not the hint.
struct greeted {};
using reading = std::variant<accepted, skipped, invalid, tied, greeted>;

std::size_t word_count(std::string_view text) { return core::tokens(core::match_key(text)).size(); }

class runner {
public:
    runner(const definition& def, const step_context& ctx, time_point now, conv_state st)
        : def_(def), ctx_(ctx), now_(now), st_(std::move(st)) {}

    result<step_result> begin(const start_input& in) {
        if (!in.carry.is_null()) take_carry(in.carry);
        if (in.first) first_ = *in.first;
        if (auto e = run_from(def_.start)) return *e;
        return finish();
    }

    result<step_result> handle(const event& ev) {
        if (st_.status == status_done) return finish();
        if (const auto* t = std::get_if<timer_event>(&ev)) return on_timer(*t);
        if (const auto* o = std::get_if<submit_outcome>(&ev)) return on_outcome(*o);
        if (st_.status == status_submitting) {
            say_text(words().wait_text);
            return finish();
        }
        if (const auto* t = std::get_if<text_event>(&ev); t && command(t->text)) return finish();
        const node* n = def_.find_node(st_.node);
        if (!n) return error{"state names unknown node \"" + st_.node + "\""};
        if (n->kind != node_kind::ask && n->kind != node_kind::review)
            return error{"state waits at a " + std::string(to_string(n->kind)) + " node"};
        // A photo or a location the flow takes at any time is kept, whatever was asked; its
        // caption is still an answer to the question.
        const event* current = &ev;
        event caption;
        if (attach(*n, ev)) {
            const auto* img = std::get_if<image_event>(&ev);
            if (!img || trim(img->caption).empty() || n->kind != node_kind::ask) {
                if (!words().attached_text.empty()) say_text(words().attached_text);
                redisplay();
                return finish();
            }
            caption = text_event{img->caption};
            current = &caption;
        }
        std::optional<error> e =
            n->kind == node_kind::ask ? on_answer(*n, *current) : on_review(*n, *current);
        if (e) return *e;
        return finish();
    }

private:
    const definition& def_;
    const step_context& ctx_;
    time_point now_;
    conv_state st_;
    step_result out_;
    // The message a conversation was started by, until the first question takes it.
    std::optional<event> first_;

    const vocabulary& words() const { return def_.words(st_.lang); }
    const std::string& str(const std::string& key) const { return def_.text(st_.lang, key); }

    // Ends the step: the runner is not used after this, so its state moves into the result.
    result<step_result> finish() {
        for (const auto& t : st_.timers) out_.timers.push_back({t.id, from_ms(t.at_ms)});
        out_.done = st_.status == status_done;
        if (st_.status == status_active) {
            if (const node* n = def_.find_node(st_.node)) {
                if (n->kind == node_kind::ask) {
                    const answer_decl* a = def_.find_answer(n->answer);
                    out_.expect =
                        expectation{n->answer, std::string(to_string(a->type)), !a->required};
                } else if (n->kind == node_kind::review) {
                    out_.expect = expectation{"review", "choice", false};
                }
            }
        }
        out_.state = to_json_state(std::move(st_));
        return std::move(out_);
    }

    void say_text(const std::string& text, std::vector<choice_button> choices = {},
                  input_hint hint = input_hint::none) {
        out_.messages.push_back({text, std::move(choices), hint});
    }

    // ----- templates -----

    std::string choice_label(const std::string& answer, const std::string& id) const {
        if (const node* ask = def_.ask_for(answer))
            for (const auto& c : ask->choices)
                if (c.id == id) return str(c.label);
        return id;
    }

    std::string show_answer(const answer_decl& a, const json& v) const {
        switch (a.type) {
            case answer_type::choice:
                return v.is_string() ? choice_label(a.name, v.get<std::string>()) : v.dump();
            case answer_type::yes_no:
                return v == true ? words().yes_label : words().no_label;
            case answer_type::number:
                return v.is_number() ? format_number(v.get<double>()) : v.dump();
            case answer_type::locality: {
                const std::string name = v.value("name", std::string());
                const std::string former = v.value("former", std::string());
                if (former.empty() || words().former_text.empty()) return name;
                return detail::render_template(words().former_text, [&](const std::string& k) {
                    return k == "former" ? former : k == "name" ? name : std::string();
                });
            }
            case answer_type::location:
                return format_number(v.value("lat", 0.0)) + ", " +
                       format_number(v.value("lon", 0.0));
            case answer_type::media:
                return std::to_string(v.is_array() ? v.size() : 1);
            default:
                return v.is_string() ? v.get<std::string>() : v.dump();
        }
    }

    std::string var_value(const std::string& name) const {
        if (name.starts_with("answers.")) {
            std::string a = name.substr(8);
            const answer_decl* d = def_.find_answer(a);
            auto it = st_.answers.find(a);
            if (!d || it == st_.answers.end()) return words().skipped_text;
            return show_answer(*d, *it);
        }
        auto it = st_.vars.find(name);
        if (it == st_.vars.end()) return {};
        if (it->is_boolean()) return *it == true ? words().yes_label : words().no_label;
        return it->is_string() ? it->get<std::string>() : it->dump();
    }

    std::string render(const std::string& key) const {
        return detail::render_template(str(key),
                                       [this](const std::string& v) { return var_value(v); });
    }

    // ----- running nodes -----

    std::vector<choice_button> buttons_for(const node& n) const {
        std::vector<choice_button> b;
        const answer_decl* a = def_.find_answer(n.answer);
        if (a->type == answer_type::choice)
            for (const auto& c : n.choices) b.push_back({c.id, str(c.label)});
        if (a->type == answer_type::yes_no) {
            b.push_back({"yes", words().yes_label});
            b.push_back({"no", words().no_label});
        }
        return b;
    }

    void prompt(const node& n, const std::string& text_key) {
        st_.carry = nullptr;  // a message carried to another flow is not carried past a question
        const answer_decl* a = def_.find_answer(n.answer);
        std::vector<choice_button> b;
        if (auto sug = st_.suggest.find(n.answer); sug != st_.suggest.end()) {
            // The likeliest options read from the citizen's words, then a way to the rest.
            for (const auto& o : *sug) b.push_back({o.at("id"), o.at("label")});
            const bool choice = a->type == answer_type::choice;
            const std::string& extra = choice ? words().more_label : words().none_label;
            if (!extra.empty()) b.push_back({std::string(choice ? more_id : none_id), extra});
        } else {
            b = buttons_for(n);
        }
        st_.offered = b;
        // An optional yes/no already has its "no" button; a third "skip" would only confuse.
        if (!a->required && a->type != answer_type::yes_no)
            b.push_back({"skip", words().skip_label});
        say_text(render(text_key), std::move(b), hint_for(a->type));
    }

    void arm_timers(const node& n) {
        st_.timers.clear();
        ++st_.timer_seq;
        std::string seq = std::to_string(st_.timer_seq);
        if (n.reminder)
            st_.timers.push_back({"reminder:" + n.id + ":" + seq, to_ms(now_ + n.reminder->after)});
        if (n.timeout)
            st_.timers.push_back({"timeout:" + n.id + ":" + seq, to_ms(now_ + n.timeout->after)});
    }

    std::vector<choice_button> review_buttons(const node& n) const {
        std::vector<choice_button> b;
        if (!n.actions.empty()) {
            for (const auto& a : n.actions) b.push_back({a.id, str(a.label)});
            return b;
        }
        b.push_back({"confirm", words().confirm_label});
        for (const auto& name : n.show)
            b.push_back(
                {"edit:" + name, words().edit_label + " " + str(def_.find_answer(name)->label)});
        return b;
    }

    // The answers a review with actions offers to change, then its other buttons again, so
    // that "change" never leads to a dead end.
    std::vector<choice_button> edit_buttons(const node& n) const {
        std::vector<choice_button> b;
        for (const auto& name : n.show)
            if (def_.ask_for(name))
                b.push_back({"edit:" + name,
                             words().edit_label + " " + str(def_.find_answer(name)->label)});
        for (const auto& a : n.actions)
            if (!a.edit) b.push_back({a.id, str(a.label)});
        return b;
    }

    void show_review(const node& n) {
        st_.editing = false;
        if (!n.urgent_text.empty() && st_.vars.value("concern.urgent", false))
            say_text(render(n.urgent_text));
        std::string text = render(n.text);
        for (const auto& name : n.show) {
            const answer_decl* a = def_.find_answer(name);
            auto it = st_.answers.find(name);
            // A review with actions lists what the citizen sent, not the photos they did not.
            if (it == st_.answers.end() && !n.actions.empty() && !a->required) continue;
            text += "\n• " + str(a->label) + ": " +
                    (it == st_.answers.end() ? words().skipped_text : show_answer(*a, *it));
        }
        if (n.session && ctx_.sessions) {
            const auto& se = *n.session;
            const json topic = st_.answers.value(se.topic, json());
            const json place = st_.answers.value(se.locality, json());
            std::optional<core::session_preview_text> at;
            if (topic.is_string() && place.is_object() && place.value("code", json()).is_string())
                at = ctx_.sessions->preview(topic.get<std::string>(),
                                            place["code"].get<std::string>(), st_.lang);
            if (at) {
                st_.vars["session.date"] = at->date;
                st_.vars["session.place"] = at->place;
            }
            text += "\n" + render(at ? se.text : se.none_text);
        }
        if (!n.notice.empty()) text += "\n\n" + render(n.notice);
        st_.offered = review_buttons(n);
        say_text(text, st_.offered, input_hint::choice);
    }

    bool condition(const branch_case& c) const {
        const json* v = nullptr;
        if (c.var.starts_with("answers.")) {
            auto it = st_.answers.find(c.var.substr(8));
            if (it != st_.answers.end()) v = &*it;
        } else {
            auto it = st_.vars.find(c.var);
            if (it != st_.vars.end()) v = &*it;
        }
        if (c.present) return (v != nullptr) == *c.present;
        return v && c.equals && *v == *c.equals;
    }

    std::optional<error> run_from(std::string id) {
        st_.timers.clear();
        st_.return_to.clear();
        st_.offered.clear();
        st_.attempts = 0;
        for (int guard = 0; guard < max_nodes_per_step; ++guard) {
            const node* n = def_.find_node(id);
            if (!n) return error{"unknown node \"" + id + "\""};
            // Moving on from the node the conversation was at (none when it starts).
            if (!st_.node.empty()) out_.left.push_back(st_.node);
            st_.node = id;
            out_.reached.push_back(id);
            switch (n->kind) {
                case node_kind::say:
                    say_text(render(n->text));
                    id = n->next;
                    continue;
                case node_kind::ask:
                    // Never a question whose answer the citizen already gave in their words.
                    if (given(n->answer)) {
                        id = n->next;
                        continue;
                    }
                    arm_timers(*n);
                    if (first_) {
                        event ev = std::move(*first_);
                        first_.reset();
                        return take_first(*n, ev);
                    }
                    prompt(*n, n->text);
                    return std::nullopt;
                case node_kind::branch: {
                    id = n->next;
                    for (const auto& c : n->cases)
                        if (condition(c)) {
                            id = c.next;
                            break;
                        }
                    continue;
                }
                case node_kind::set:
                    st_.answers[n->answer] = n->value;
                    id = n->next;
                    continue;
                case node_kind::review:
                    arm_timers(*n);
                    show_review(*n);
                    return std::nullopt;
                case node_kind::submit:
                    out_.effects.push_back(submit_effect{n->action,
                                                         st_.answers, st_.lang, st_.inferred});
                    st_.status = status_submitting;
                    return std::nullopt;
                case node_kind::handoff:
                    if (!n->text.empty()) say_text(render(n->text));
                    out_.effects.push_back(handoff_effect{n->reason, st_.answers});
                    if (n->next.empty()) {
                        st_.status = status_done;
                        return std::nullopt;
                    }
                    id = n->next;
                    continue;
                case node_kind::end:
                    if (!n->text.empty()) say_text(render(n->text));
                    if (!n->start_flow.empty())
                        out_.effects.push_back(
                            start_flow_effect{n->start_flow, st_.lang, std::move(st_.carry)});
                    st_.carry = nullptr;
                    st_.status = status_done;
                    return std::nullopt;
            }
        }
        return error{"flow ran through " + std::to_string(max_nodes_per_step) +
                     " nodes without waiting (a loop)"};
    }

    // ----- citizen input -----

    template <class Member>
    std::vector<std::string> all_langs(Member m) const {
        std::vector<std::string> out;
        for (const auto& [lang, v] : def_.vocab) {
            const auto& field = v.*m;
            if constexpr (std::is_same_v<std::decay_t<decltype(field)>, std::string>)
                out.push_back(field);
            else
                out.insert(out.end(), field.begin(), field.end());
        }
        return out;
    }

    // Commands work in every state and every language of the flow. True when one was obeyed.
    bool command(const std::string& text) {
        const std::string key = core::match_key(text);  // folded once for every check below
        if (key.empty()) return false;
        for (const auto& lang : def_.languages) {
            if (core::key_matches_whole(key, def_.words(lang).language)) {
                st_.lang = lang;
                redisplay();
                return true;
            }
        }
        if (core::key_matches_whole(key, all_langs(&vocabulary::cancel))) {
            say_text(words().cancel_text);
            st_.timers.clear();
            st_.offered.clear();
            st_.status = status_done;
            return true;
        }
        if (core::key_matches_whole(key, all_langs(&vocabulary::restart))) {
            say_text(words().restart_text);
            st_.answers = json::object();
            st_.vars = json::object();
            if (auto e = run_from(def_.start)) st_.status = status_done;
            return true;
        }
        if (core::key_matches_whole(key, all_langs(&vocabulary::help))) {
            say_text(words().help_text);
            redisplay();
            return true;
        }
        return false;
    }

    void redisplay() {
        const node* n = def_.find_node(st_.node);
        if (!n) return;
        if (n->kind == node_kind::ask) prompt(*n, n->text);
        if (n->kind == node_kind::review) show_review(*n);
    }

    // The message that started the conversation, at its first question: taken as the answer
    // when it is one; otherwise the question is asked as usual (not the hint: nothing was
    // asked yet).
    std::optional<error> take_first(const node& n, const event& ev) {
        const auto* t = std::get_if<text_event>(&ev);
        if (t && command(t->text)) return std::nullopt;
        st_.offered = buttons_for(n);  // "1" means its first button, shown or not
        return on_answer(n, ev, true);
    }

    std::optional<error> on_answer(const node& n, const event& ev, bool first = false) {
        const answer_decl* a = def_.find_answer(n.answer);
        if (leaves_suggestions(n, *a, ev)) return std::nullopt;
        if (auto handled = understand_answer(n, ev)) return *handled;
        reading r = n.intents.empty() ? read_answer(n, *a, ev) : read_menu(n, *a, ev);
        if (auto* ok = std::get_if<accepted>(&r)) {
            st_.answers[n.answer] = std::move(ok->value);
            st_.suggest.erase(n.answer);
            // The description may say what the flow has not asked yet.
            const auto* t = std::get_if<text_event>(&ev);
            if (t && def_.understand && n.answer == def_.understand->description && ctx_.reader)
                understand(t->text, read(t->text));
            return advance(n);
        }
        if (std::holds_alternative<skipped>(r)) {
            st_.answers.erase(n.answer);
            st_.suggest.erase(n.answer);
            return advance(n);
        }
        if (auto* t = std::get_if<tied>(&r)) {
            // Never guess between equally good options: ask again with just those.
            st_.offered = t->options;
            if (a->type == answer_type::locality && !words().none_label.empty())
                st_.offered.push_back({std::string(none_id), words().none_label});
            say_text(words().tie_text, st_.offered, hint_for(a->type));
            return std::nullopt;
        }
        if (first || std::holds_alternative<greeted>(r)) {
            prompt(n, n.text);
            return std::nullopt;
        }
        if (++st_.attempts >= n.max_attempts) return run_from(n.fallback);
        prompt(n, n.hint);
        return std::nullopt;
    }

    // ----- what the citizen's own words say -----

    bool has_answer(const std::string& name) const { return st_.answers.contains(name); }

    bool given(const std::string& name) const {
        return has_answer(name) &&
               std::find(st_.given.begin(), st_.given.end(), name) != st_.given.end();
    }

    void give(const std::string& name) {
        if (std::find(st_.given.begin(), st_.given.end(), name) == st_.given.end())
            st_.given.push_back(name);
        st_.suggest.erase(name);
    }

    core::message_reading read(const std::string& text) {
        auto r = ctx_.reader->read(text);
        out_.inferred.push_back(core::to_json(r));
        return r;
    }

    const choice_def* topic_choice(const std::string& answer, const std::string& id) const {
        const node* ask = def_.ask_for(answer);
        if (!ask) return nullptr;
        for (const auto& c : ask->choices)
            if (c.id == id) return &c;
        return nullptr;
    }

    // Fills, from one reading of the citizen's words, the answers of the flow's `understand`
    // that are still unset: when sure, the answer (its question is then not asked); when
    // unsure, the likeliest options, offered when the question comes.
    void understand(const std::string& text, const core::message_reading& r) {
        if (!def_.understand) return;
        const auto& u = *def_.understand;
        if (!u.reference.empty() && !has_answer(u.reference) && !r.reference.empty()) {
            st_.answers[u.reference] = r.reference;
            give(u.reference);
        }
        if (r.intent != core::message_intent::concern) return;
        if (!u.description.empty() && !has_answer(u.description)) {
            const node* ask = def_.ask_for(u.description);
            std::string d = core::nfc(trim(text));
            const std::size_t len = core::utf8_length(d);
            if (ask && len >= std::max<std::size_t>(ask->min_length, 1) && len <= ask->max_length) {
                st_.answers[u.description] = std::move(d);
                give(u.description);
                // What the receipt and the review say of danger comes from the same words.
                st_.vars["concern.urgent"] = !r.urgent.empty();
            }
        }
        if (!u.topic.empty() && !has_answer(u.topic) && !r.topics.empty()) {
            const auto& best = r.topics.front();
            if (r.topic_sure && topic_choice(u.topic, best.id)) {
                st_.answers[u.topic] = best.id;
                give(u.topic);
                st_.inferred[u.topic] = {
                    {"value", best.id}, {"confidence", best.confidence}, {"words", best.words}};
            } else {
                json list = json::array();
                for (const auto& t : r.topics)
                    if (const choice_def* c = topic_choice(u.topic, t.id);
                        c && list.size() < max_topic_buttons)
                        list.push_back({{"id", c->id}, {"label", str(c->label)}});
                if (!list.empty()) st_.suggest[u.topic] = std::move(list);
            }
        }
        if (!u.locality.empty() && !has_answer(u.locality) && !r.locality.candidates.empty()) {
            const auto& c = r.locality.candidates;
            if (r.locality.unique) {
                st_.answers[u.locality] = locality_value(c.front());
                give(u.locality);
                st_.inferred[u.locality] = {{"value", c.front().code},
                                            {"confidence", c.front().confidence},
                                            {"why", c.front().why}};
            } else {
                json list = json::array();
                for (std::size_t i = 0; i < c.size() && i < max_locality_buttons; ++i)
                    list.push_back({{"id", c[i].code}, {"label", c[i].name}});
                st_.suggest[u.locality] = std::move(list);
            }
        }
    }

    // What another flow passed on: its photo or location, and the words to understand.
    void take_carry(const json& carry) {
        if (!carry.is_object()) return;
        if (auto m = carry.find("media"); m != carry.end() && m->is_array() && !m->empty()) {
            image_event img;
            for (const auto& r : *m)
                if (r.is_string()) img.refs.push_back(r.get<std::string>());
            store_any_time(img);
        }
        if (auto l = carry.find("location"); l != carry.end() && l->is_object())
            store_any_time(location_event{l->value("lat", 0.0), l->value("lon", 0.0)});
        auto t = carry.find("text");
        if (t == carry.end() || !t->is_string() || trim(t->get<std::string>()).empty() ||
            !def_.understand || !ctx_.reader)
            return;
        const std::string text = t->get<std::string>();
        auto done = carry.find("reading");
        auto already = done != carry.end() ? core::reading_from_json(*done) : std::nullopt;
        understand(text, already ? *already : read(text));
    }

    const answer_decl* any_time(answer_type type) const {
        for (const auto& a : def_.answers)
            if (a.any_time && a.type == type) return &a;
        return nullptr;
    }

    // Keeps a photo or location for the flow's any_time answer; false when there is none.
    bool store_any_time(const event& ev) {
        if (const auto* img = std::get_if<image_event>(&ev)) {
            const answer_decl* a = any_time(answer_type::media);
            if (!a || img->refs.empty()) return false;
            const node* ask = def_.ask_for(a->name);
            const std::size_t cap = ask ? ask->max_count : 3;
            json list = st_.answers.value(a->name, json::array());
            for (const auto& r : img->refs)
                if (list.size() < cap) list.push_back(r);
            st_.answers[a->name] = std::move(list);
            give(a->name);
            return true;
        }
        if (const auto* l = std::get_if<location_event>(&ev)) {
            const answer_decl* a = any_time(answer_type::location);
            if (!a || !(l->lat >= -90 && l->lat <= 90) || !(l->lon >= -180 && l->lon <= 180))
                return false;
            st_.answers[a->name] = json{{"lat", l->lat}, {"lon", l->lon}};
            give(a->name);
            return true;
        }
        return false;
    }

    // A photo or location sent while something else is asked (the question for that answer
    // reads it itself).
    bool attach(const node& at, const event& ev) {
        const answer_decl* a = nullptr;
        if (std::holds_alternative<image_event>(ev)) a = any_time(answer_type::media);
        if (std::holds_alternative<location_event>(ev)) a = any_time(answer_type::location);
        if (!a || (at.kind == node_kind::ask && at.answer == a->name)) return false;
        return store_any_time(ev);
    }

    // The answer to one question may say more: a reference inside a sentence, or the whole
    // concern typed at the topic or commune question. Nothing when the usual reading applies.
    std::optional<std::optional<error>> understand_answer(const node& n, const event& ev) {
        const auto* t = std::get_if<text_event>(&ev);
        if (!t || !def_.understand || !ctx_.reader) return std::nullopt;
        const auto& u = *def_.understand;
        if (n.answer == u.reference) {
            auto r = read(t->text);
            if (r.reference.empty()) return std::nullopt;
            st_.answers[n.answer] = r.reference;
            return advance(n);
        }
        if ((n.answer != u.topic && n.answer != u.locality) ||
            word_count(t->text) < concern_words)
            return std::nullopt;
        auto r = read(t->text);
        if (r.intent != core::message_intent::concern) return std::nullopt;
        understand(t->text, r);
        if (has_answer(n.answer)) return advance(n);
        prompt(n, n.text);  // with the likeliest options, when the words gave some
        return std::optional<error>{};
    }

    // "Khác" after suggested topics shows them all; "none of these" after suggested communes
    // asks the citizen to type the name.
    bool leaves_suggestions(const node& n, const answer_decl& a, const event& ev) {
        const bool offered = std::any_of(st_.offered.begin(), st_.offered.end(), [](const auto& b) {
            return b.id == more_id || b.id == none_id;
        });
        if (!offered) return false;
        std::string id;
        if (const auto* b = std::get_if<choice_event>(&ev)) {
            id = b->id;
        } else if (const auto* t = std::get_if<text_event>(&ev)) {
            if (auto i = numbered(t->text)) {
                id = st_.offered[*i].id;
            } else if (core::matches_whole(t->text, all_langs(&vocabulary::more_label))) {
                id = more_id;
            } else if (core::matches_whole(t->text, all_langs(&vocabulary::none_label))) {
                id = none_id;
            }
        }
        if (id != more_id && id != none_id) return false;
        st_.suggest.erase(n.answer);
        if (id == more_id) {
            prompt(n, n.text);
        } else {
            st_.offered.clear();
            say_text(render(n.text), {}, hint_for(a.type));
        }
        return true;
    }

    // A menu: a button, the number of one, or a whole phrase of it is a command; anything else
    // is read for what it is (a concern, a status question, a question about the sessions, a
    // greeting), and the words go on to the flow the choice starts.
    reading read_menu(const node& n, const answer_decl& a, const event& ev) {
        auto pick = [&](core::message_intent i) -> std::optional<std::string> {
            auto it = n.intents.find(core::to_string(i));
            if (it == n.intents.end()) return std::nullopt;
            return it->second;
        };
        if (const auto* img = std::get_if<image_event>(&ev)) {
            auto c = pick(core::message_intent::concern);
            if (!c || img->refs.empty()) return invalid{};
            st_.carry = {{"media", img->refs}, {"text", img->caption}};
            return accepted{*c};
        }
        if (const auto* l = std::get_if<location_event>(&ev)) {
            auto c = pick(core::message_intent::concern);
            if (!c) return invalid{};
            st_.carry = {{"location", {{"lat", l->lat}, {"lon", l->lon}}}};
            return accepted{*c};
        }
        const auto* t = std::get_if<text_event>(&ev);
        if (!t) return read_answer(n, a, ev);
        if (auto i = numbered(t->text)) return accepted{st_.offered[*i].id};
        auto m = core::match_options(t->text, choice_options(n));
        if (m.kind != core::match_kind::none &&
            (m.whole || word_count(t->text) <= m.words + command_extra_words)) {
            if (!m.whole) st_.carry = {{"text", t->text}};
            return from_match(m, [&](std::size_t i) {
                return choice_button{n.choices[i].id, str(n.choices[i].label)};
            });
        }
        if (!ctx_.reader) return invalid{};
        auto r = read(t->text);
        // Words read as nothing (keyboard mash, "qwrtp zxcvb") say nothing of the language
        // either: only a message understood switches it.
        if (r.intent != core::message_intent::none && !r.lang.empty() && r.lang != st_.lang &&
            def_.has_language(r.lang))
            st_.lang = r.lang;
        if (r.intent == core::message_intent::greeting) return greeted{};
        auto c = pick(r.intent);
        if (!c) return invalid{};
        // The words and what they were read as: the next flow does not read them again.
        if (r.intent != core::message_intent::about)
            st_.carry = {{"text", t->text}, {"reading", core::to_json(r)}};
        return accepted{*c};
    }

    std::optional<error> advance(const node& n) {
        std::string next = st_.return_to.empty() ? n.next : st_.return_to;
        return run_from(next);
    }

    std::optional<std::size_t> numbered(const std::string& text) const {
        return core::match_number(text, st_.offered.size());
    }

    bool is_skip(const event& ev) const {
        if (const auto* c = std::get_if<choice_event>(&ev)) return c->id == "skip";
        if (const auto* t = std::get_if<text_event>(&ev)) {
            auto words_ = all_langs(&vocabulary::skip);
            auto labels = all_langs(&vocabulary::skip_label);
            words_.insert(words_.end(), labels.begin(), labels.end());
            return core::matches_whole(t->text, words_);
        }
        return false;
    }

    reading read_answer(const node& n, const answer_decl& a, const event& ev) const {
        if (!a.required && is_skip(ev)) return skipped{};
        const auto* text = std::get_if<text_event>(&ev);
        const auto* button = std::get_if<choice_event>(&ev);
        switch (a.type) {
            case answer_type::choice: {
                if (button) {
                    for (const auto& c : n.choices)
                        if (c.id == button->id) return accepted{c.id};
                    return invalid{};
                }
                if (!text) return invalid{};
                if (auto i = numbered(text->text)) return accepted{st_.offered[*i].id};
                return from_match(core::match_options(text->text, choice_options(n)),
                                  [&](std::size_t i) {
                    return choice_button{n.choices[i].id, str(n.choices[i].label)};
                });
            }
            case answer_type::yes_no: {
                if (button) {
                    if (button->id == "yes") return accepted{true};
                    if (button->id == "no") return accepted{false};
                    return invalid{};
                }
                if (!text) return invalid{};
                if (auto i = numbered(text->text)) return accepted{st_.offered[*i].id == "yes"};
                core::match_option yes{all_langs(&vocabulary::yes)}, no{all_langs(&vocabulary::no)};
                auto yl = all_langs(&vocabulary::yes_label), nl = all_langs(&vocabulary::no_label);
                yes.phrases.insert(yes.phrases.end(), yl.begin(), yl.end());
                no.phrases.insert(no.phrases.end(), nl.begin(), nl.end());
                auto m = core::match_options(text->text, {yes, no});
                if (m.kind == core::match_kind::unique) return accepted{m.indices[0] == 0};
                if (m.kind == core::match_kind::tie)
                    return tied{{{"yes", words().yes_label}, {"no", words().no_label}}};
                return invalid{};
            }
            case answer_type::text: {
                if (!text) return invalid{};
                std::string s = core::nfc(trim(text->text));
                std::size_t len = core::utf8_length(s);
                if (len < std::max<std::size_t>(n.min_length, 1) || len > n.max_length)
                    return invalid{};
                return accepted{s};
            }
            case answer_type::number: {
                if (!text) return invalid{};
                auto v = parse_number(text->text);
                if (!v || (n.min && *v < *n.min) || (n.max && *v > *n.max)) return invalid{};
                return accepted{*v};
            }
            case answer_type::phone: {
                std::optional<std::string> p;
                if (const auto* c = std::get_if<contact_event>(&ev)) p = normalize_phone(c->phone);
                if (text) p = normalize_phone(text->text);
                if (!p) return invalid{};
                return accepted{*p};
            }
            case answer_type::locality:
                return read_locality(ev);
            case answer_type::location: {
                const auto* l = std::get_if<location_event>(&ev);
                if (!l || !(l->lat >= -90 && l->lat <= 90) || !(l->lon >= -180 && l->lon <= 180))
                    return invalid{};
                return accepted{json{{"lat", l->lat}, {"lon", l->lon}}};
            }
            case answer_type::media: {
                const auto* img = std::get_if<image_event>(&ev);
                if (!img || img->refs.empty() || img->refs.size() > n.max_count) return invalid{};
                return accepted{json(img->refs)};
            }
            case answer_type::any: {
                if (text && !trim(text->text).empty()) return accepted{core::nfc(trim(text->text))};
                if (const auto* img = std::get_if<image_event>(&ev))
                    return accepted{json{{"media", img->refs}, {"caption", img->caption}}};
                if (const auto* l = std::get_if<location_event>(&ev))
                    return accepted{json{{"lat", l->lat}, {"lon", l->lon}}};
                if (const auto* c = std::get_if<contact_event>(&ev)) return accepted{c->phone};
                if (button) return accepted{button->id};
                return invalid{};
            }
        }
        return invalid{};
    }

    // Every label (in every language) and synonym of each choice, for matching typed words.
    std::vector<core::match_option> choice_options(const node& n) const {
        std::vector<core::match_option> opts;
        for (const auto& c : n.choices) {
            core::match_option o;
            for (const auto& lang : def_.languages) o.phrases.push_back(def_.text(lang, c.label));
            for (const auto& [lang, list] : c.synonyms)
                o.phrases.insert(o.phrases.end(), list.begin(), list.end());
            opts.push_back(std::move(o));
        }
        return opts;
    }

    template <class Button>
    static reading from_match(const core::match_result& m, Button button) {
        if (m.kind == core::match_kind::unique) return accepted{button(m.indices[0]).id};
        if (m.kind == core::match_kind::tie) {
            tied t;
            for (auto i : m.indices) t.options.push_back(button(i));
            return t;
        }
        return invalid{};
    }

    static json locality_value(const core::locality_candidate& c) {
        json v = {{"code", c.code}, {"name", c.name}};
        if (!c.former.empty()) v["former"] = c.former;  // "Xã Phong Niên, now part of ..."
        return v;
    }

    reading read_locality(const event& ev) const {
        if (const auto* b = std::get_if<choice_event>(&ev)) {
            for (const auto& o : st_.offered)
                if (o.id == b->id) return accepted{json{{"code", o.id}, {"name", o.label}}};
            if (ctx_.localities) {
                auto c = ctx_.localities->by_code(b->id);
                if (!c.empty()) return accepted{locality_value(c.front())};
            }
            return invalid{};
        }
        const auto* t = std::get_if<text_event>(&ev);
        if (!t || trim(t->text).empty()) return invalid{};
        if (auto i = numbered(t->text))
            return accepted{json{{"code", st_.offered[*i].id}, {"name", st_.offered[*i].label}}};
        if (!ctx_.localities)
            return accepted{json{{"code", nullptr}, {"name", core::nfc(trim(t->text))}}};
        auto r = ctx_.localities->resolve(t->text);
        if (r.candidates.empty()) return invalid{};
        if (r.unique) return accepted{locality_value(r.candidates.front())};
        tied options;
        for (std::size_t i = 0; i < r.candidates.size() && i < max_locality_buttons; ++i)
            options.options.push_back({r.candidates[i].code, r.candidates[i].name});
        return options;
    }

    // A review with actions: its buttons (by tap, number or words), a phone number typed or
    // shared (the citizen chose to leave one), or an answer to change.
    std::optional<error> on_actions(const node& n, const event& ev) {
        std::optional<std::string> phone;
        if (const auto* c = std::get_if<contact_event>(&ev)) phone = normalize_phone(c->phone);
        if (const auto* t = std::get_if<text_event>(&ev)) phone = normalize_phone(t->text);
        if (phone) {
            for (const auto& a : n.actions) {
                const node* ask = def_.find_node(a.next);
                if (!ask || ask->kind != node_kind::ask ||
                    def_.find_answer(ask->answer)->type != answer_type::phone)
                    continue;
                st_.answers[ask->answer] = *phone;
                take_action(a);
                return run_from(ask->next);
            }
        }
        std::string picked;
        if (const auto* b = std::get_if<choice_event>(&ev)) {
            picked = b->id;
        } else if (const auto* t = std::get_if<text_event>(&ev)) {
            if (auto i = core::match_number(t->text, st_.offered.size())) {
                picked = st_.offered[*i].id;
            } else {
                std::vector<core::match_option> opts;
                for (const auto& offered : st_.offered) {
                    core::match_option o{{offered.label}};
                    // "ok", "đồng ý", "gửi": the first button that sends.
                    auto first = std::find_if(n.actions.begin(), n.actions.end(),
                                              [](const review_action& a) { return a.consent; });
                    if (first != n.actions.end() && offered.id == first->id) {
                        auto yes = all_langs(&vocabulary::yes);
                        o.phrases.insert(o.phrases.end(), yes.begin(), yes.end());
                    }
                    opts.push_back(std::move(o));
                }
                auto m = core::match_options(t->text, opts);
                if (m.kind == core::match_kind::unique) picked = st_.offered[m.indices[0]].id;
                if (m.kind == core::match_kind::tie) {
                    std::vector<choice_button> tied_buttons;
                    for (auto k : m.indices) tied_buttons.push_back(st_.offered[k]);
                    say_text(words().tie_text, tied_buttons, input_hint::choice);
                    return std::nullopt;
                }
            }
        }
        if (picked.starts_with("edit:")) return edit_answer(n, picked.substr(5));
        for (const auto& a : n.actions) {
            if (a.id != picked) continue;
            if (a.edit) {
                st_.editing = true;
                st_.offered = edit_buttons(n);
                say_text(render(n.edit_text), st_.offered, input_hint::choice);
                return std::nullopt;
            }
            take_action(a);
            return run_from(a.next);
        }
        show_review(n);
        return std::nullopt;
    }

    void take_action(const review_action& a) {
        for (const auto& [name, value] : a.set) st_.answers[name] = value;
        // The flow's id and version identify the notice the citizen saw when they agreed.
        if (a.consent)
            st_.answers["consent_notice"] = def_.id + " v" + std::to_string(def_.version);
    }

    // Asks one answer again and comes back to the review, even when the citizen's words had
    // filled it (they are changing what was read).
    std::optional<error> edit_answer(const node& n, const std::string& name) {
        if (std::find(n.show.begin(), n.show.end(), name) == n.show.end()) {
            show_review(n);
            return std::nullopt;
        }
        std::erase(st_.given, name);
        st_.suggest.erase(name);
        if (auto it = st_.inferred.find(name); it != st_.inferred.end()) (*it)["changed"] = true;
        const node* ask = def_.ask_for(name);
        if (auto e = run_from(ask->id)) return e;
        // Back to the summary after this one answer, not through the rest of the flow.
        st_.return_to = n.id;
        return std::nullopt;
    }

    std::optional<error> on_review(const node& n, const event& ev) {
        if (!n.actions.empty()) return on_actions(n, ev);
        std::string picked;
        if (const auto* b = std::get_if<choice_event>(&ev)) {
            picked = b->id;
        } else if (const auto* t = std::get_if<text_event>(&ev)) {
            auto buttons = review_buttons(n);
            if (auto i = core::match_number(t->text, buttons.size())) {
                picked = buttons[*i].id;
            } else {
                std::vector<core::match_option> opts;
                core::match_option confirm{all_langs(&vocabulary::yes)};
                auto labels = all_langs(&vocabulary::confirm_label);
                confirm.phrases.insert(confirm.phrases.end(), labels.begin(), labels.end());
                opts.push_back(std::move(confirm));
                for (const auto& name : n.show) {
                    core::match_option o;
                    for (const auto& lang : def_.languages)
                        o.phrases.push_back(def_.words(lang).edit_label + " " +
                                            def_.text(lang, def_.find_answer(name)->label));
                    opts.push_back(std::move(o));
                }
                auto m = core::match_options(t->text, opts);
                if (m.kind == core::match_kind::unique) picked = buttons[m.indices[0]].id;
                if (m.kind == core::match_kind::tie) {
                    std::vector<choice_button> tiedb;
                    for (auto k : m.indices) tiedb.push_back(buttons[k]);
                    say_text(words().tie_text, tiedb, input_hint::choice);
                    return std::nullopt;
                }
            }
        }
        if (picked == "confirm") return run_from(n.next);
        if (picked.starts_with("edit:")) return edit_answer(n, picked.substr(5));
        show_review(n);
        return std::nullopt;
    }

    result<step_result> on_timer(const timer_event& t) {
        auto it = std::find_if(st_.timers.begin(), st_.timers.end(),
                               [&](const timer_entry& e) { return e.id == t.id; });
        // A timer of an earlier question: the citizen answered meanwhile.
        if (it == st_.timers.end() || st_.status != status_active) return finish();
        const node* n = def_.find_node(st_.node);
        if (!n || (n->kind != node_kind::ask && n->kind != node_kind::review)) return finish();
        if (t.id.starts_with("reminder:") && n->reminder) {
            st_.timers.erase(it);
            auto b = st_.offered;
            if (n->kind == node_kind::review) {
                // A concern read but not sent: the buttons again under the reminder.
                say_text(render(n->reminder->text), std::move(b), input_hint::choice);
                return finish();
            }
            const answer_decl* a = def_.find_answer(n->answer);
            if (!a->required && a->type != answer_type::yes_no)
                b.push_back({"skip", words().skip_label});
            say_text(render(n->reminder->text), std::move(b), hint_for(a->type));
            return finish();
        }
        if (t.id.starts_with("timeout:") && n->timeout) {
            if (auto e = run_from(n->timeout->next)) return *e;
        }
        return finish();
    }

    result<step_result> on_outcome(const submit_outcome& o) {
        if (st_.status != status_submitting) return finish();
        const node* n = def_.find_node(st_.node);
        if (!n || n->kind != node_kind::submit)
            return error{"state submits from a non-submit node"};
        st_.status = status_active;
        std::optional<error> e;
        if (o.ok) {
            st_.vars["concern.ref"] = o.ref;
            if (n->action == submit_action::file_concern ||
                n->action == submit_action::record_verdict) {
                st_.vars["concern.urgent"] = o.urgent;
                st_.vars["session.date"] = o.session_date;
                st_.vars["session.place"] = o.session_place;
                st_.vars["session.hotline"] = o.hotline;
                if (!o.results.empty()) st_.vars["session.results"] = o.results;
                if (!o.calendar.empty()) st_.vars["session.calendar"] = o.calendar;
            } else {
                st_.vars["concern.status"] = o.status;
                st_.vars["concern.answer"] = o.answer;
            }
            e = run_from(n->next);
        } else {
            e = run_from(n->failed);
        }
        if (e) return *e;
        return finish();
    }
};

}  // namespace

step_result start(const definition& def, std::string_view lang, time_point now,
                  const step_context& ctx, const start_input& input) {
    conv_state st;
    st.flow = def.id;
    st.version = def.version;
    st.lang = def.has_language(lang) ? std::string(lang) : def.languages.front();
    auto r = runner(def, ctx, now, std::move(st)).begin(input);
    if (r) return std::move(r).value();
    // Only a hand-built, unvalidated definition gets here; end the conversation cleanly.
    step_result failed;
    failed.done = true;
    return failed;
}

result<step_result> step(const definition& def, const nlohmann::json& state, const event& ev,
                         time_point now, const step_context& ctx) {
    auto st = from_json_state(state);
    if (!st) return error{"malformed conversation state"};
    if (st->flow != def.id || st->version != def.version)
        return error{"state belongs to flow " + st->flow + " v" + std::to_string(st->version) +
                     ", not " + def.id + " v" + std::to_string(def.version)};
    if (!def.has_language(st->lang)) st->lang = def.languages.front();
    return runner(def, ctx, now, std::move(*st)).handle(ev);
}

std::optional<flow_ref> state_flow(const nlohmann::json& state) {
    if (!state.is_object()) return std::nullopt;
    auto f = state.find("flow");
    auto v = state.find("version");
    if (f == state.end() || v == state.end() || !f->is_string() || !v->is_number_integer())
        return std::nullopt;
    return flow_ref{f->get<std::string>(), v->get<int>()};
}

bool registry::add(std::shared_ptr<const definition> def) {
    std::unique_lock lock(mu_);
    auto& versions = flows_[def->id];
    return versions.emplace(def->version, std::move(def)).second;
}

std::shared_ptr<const definition> registry::find(std::string_view id, int version) const {
    std::shared_lock lock(mu_);
    auto f = flows_.find(id);
    if (f == flows_.end()) return nullptr;
    auto v = f->second.find(version);
    return v == f->second.end() ? nullptr : v->second;
}

std::shared_ptr<const definition> registry::latest(std::string_view id) const {
    std::shared_lock lock(mu_);
    auto f = flows_.find(id);
    if (f == flows_.end() || f->second.empty()) return nullptr;
    return f->second.rbegin()->second;
}

std::vector<std::shared_ptr<const definition>> registry::all() const {
    std::shared_lock lock(mu_);
    std::vector<std::shared_ptr<const definition>> out;
    for (const auto& [id, versions] : flows_)
        for (const auto& [version, def] : versions) out.push_back(def);
    return out;
}

std::shared_ptr<const definition> registry::for_state(const nlohmann::json& state) const {
    auto ref = state_flow(state);
    return ref ? find(ref->id, ref->version) : nullptr;
}

}  // namespace dgw::flow
