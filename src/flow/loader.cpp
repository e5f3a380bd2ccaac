#include "dgw/flow/loader.hpp"

#include "dgw/core/match.hpp"
#include "dgw/flow/problems.hpp"
#include "flow/template.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace dgw::flow {
namespace {

using core::problem;
using core::shape;
using nlohmann::json;

std::string idx_path(const std::string& base, std::size_t i) {
    return base + "/" + std::to_string(i);
}

// Reads an array of strings, recording a problem per bad element.
std::vector<std::string> string_list(const json& v, const std::string& path,
                                     std::vector<problem>& out) {
    std::vector<std::string> list;
    if (!v.is_array()) {
        out.push_back(core::shape_problem(path, shape::not_string_list, {{"type", v.type_name()}}));
        return list;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i].is_string())
            list.push_back(v[i].get<std::string>());
        else
            out.push_back(core::shape_problem(idx_path(path, i), shape::not_string));
    }
    return list;
}

lang_words read_lang_words(const json& v, const std::string& path, std::vector<problem>& out) {
    lang_words words;
    if (!v.is_object()) {
        out.push_back(core::shape_problem(path, shape::not_object, {{"type", v.type_name()}}));
        return words;
    }
    for (const auto& [lang, list] : v.items())
        words[lang] = string_list(list, path + "/" + core::pointer_escape(lang), out);
    return words;
}

// ---------------------------------------------------------------------------------------------
// Structure: every key known, of the right type. Problems are collected, never thrown.

struct structure_reader {
    std::vector<problem>& out;
    definition def;
    // Where each node and answer came from, for semantic messages.
    std::vector<std::string> node_paths;

    void read(const json& doc) {
        core::json_reader r(doc, "", out);
        if (!r.ok()) return;
        r.find("$schema");  // editors' hint, no meaning here
        r.required("id", def.id);
        if (const json* v = r.find("version")) {
            if (v->is_number_integer() && v->get<long long>() >= 1 && v->get<long long>() < 1000000)
                def.version = v->get<int>();
            else
                r.fail("version", make_problem({}, fault::version_invalid));
        } else {
            r.fail("version", core::shape_problem({}, shape::required));
        }
        if (const json* v = r.find("languages"))
            def.languages = string_list(*v, "/languages", out);
        else
            r.fail("languages", core::shape_problem({}, shape::required));
        r.required("start", def.start);
        read_strings(r);
        read_vocab(r);
        read_answers(r);
        read_nodes(r);
        if (r.find("understand")) {
            auto u = r.child("understand");
            understanding d;
            u.optional("description", d.description);
            u.optional("topic", d.topic);
            u.optional("locality", d.locality);
            u.optional("reference", d.reference);
            u.finish();
            def.understand = d;
        }
        r.finish();
    }

    void read_strings(core::json_reader& r) {
        const json* v = r.find("strings");
        if (!v) return r.fail("strings", core::shape_problem({}, shape::required));
        if (!v->is_object())
            return r.fail("strings", core::shape_problem({}, shape::not_object, {{"type", v->type_name()}}));
        for (const auto& [lang, table] : v->items()) {
            std::string path = "/strings/" + core::pointer_escape(lang);
            if (!table.is_object()) {
                out.push_back(make_problem(path, fault::strings_table));
                continue;
            }
            auto& dst = def.strings[lang];
            for (const auto& [key, text] : table.items()) {
                if (text.is_string())
                    dst[key] = text.get<std::string>();
                else
                    out.push_back(core::shape_problem(path + "/" + core::pointer_escape(key), shape::not_string));
            }
        }
    }

    void read_vocab(core::json_reader& r) {
        const json* v = r.find("vocab");
        if (!v) return r.fail("vocab", core::shape_problem({}, shape::required));
        if (!v->is_object())
            return r.fail("vocab", core::shape_problem({}, shape::not_object, {{"type", v->type_name()}}));
        for (const auto& [lang, entry] : v->items()) {
            core::json_reader w(entry, "/vocab/" + core::pointer_escape(lang), out);
            if (!w.ok()) continue;
            vocabulary& d = def.vocab[lang];
            w.required("language_name", d.language_name);
            for (auto [key, list] : {std::pair{"language", &d.language},
                                     {"restart", &d.restart},
                                     {"cancel", &d.cancel},
                                     {"help", &d.help},
                                     {"skip", &d.skip},
                                     {"yes", &d.yes},
                                     {"no", &d.no}}) {
                if (const json* l = w.find(key))
                    *list = string_list(*l, w.path_of(key), out);
                else
                    w.fail(key, core::shape_problem({}, shape::required));
            }
            for (auto [key, text] : {std::pair{"yes_label", &d.yes_label},
                                     {"no_label", &d.no_label},
                                     {"skip_label", &d.skip_label},
                                     {"confirm_label", &d.confirm_label},
                                     {"edit_label", &d.edit_label},
                                     {"help_text", &d.help_text},
                                     {"cancel_text", &d.cancel_text},
                                     {"restart_text", &d.restart_text},
                                     {"tie_text", &d.tie_text},
                                     {"skipped_text", &d.skipped_text},
                                     {"wait_text", &d.wait_text}})
                w.required(key, *text);
            for (auto [key, text] : {std::pair{"more_label", &d.more_label},
                                     {"none_label", &d.none_label},
                                     {"attached_text", &d.attached_text},
                                     {"former_text", &d.former_text}})
                w.optional(key, *text);
            w.finish();
        }
    }

    void read_answers(core::json_reader& r) {
        const json* v = r.find("answers");
        if (!v) return r.fail("answers", core::shape_problem({}, shape::required));
        if (!v->is_object())
            return r.fail("answers", core::shape_problem({}, shape::not_object, {{"type", v->type_name()}}));
        for (const auto& [name, entry] : v->items()) {
            core::json_reader a(entry, "/answers/" + core::pointer_escape(name), out);
            if (!a.ok()) continue;
            answer_decl d;
            d.name = name;
            std::string type;
            if (a.required("type", type)) {
                if (auto t = parse_answer_type(type))
                    d.type = *t;
                else
                    a.fail("type", make_problem({}, fault::answer_type_unknown, {{"type", type}}));
            }
            a.optional("required", d.required);
            a.required("label", d.label);
            a.optional("any_time", d.any_time);
            a.finish();
            def.answers.push_back(std::move(d));
        }
    }

    void read_nodes(core::json_reader& r) {
        const json* v = r.find("nodes");
        if (!v) return r.fail("nodes", core::shape_problem({}, shape::required));
        if (!v->is_array()) return r.fail("nodes", core::shape_problem({}, shape::not_array));
        for (std::size_t i = 0; i < v->size(); ++i) {
            node_paths.push_back(idx_path("/nodes", i));
            def.nodes.push_back(read_node((*v)[i], node_paths.back()));
        }
    }

    node read_node(const json& v, const std::string& path) {
        node n;
        core::json_reader r(v, path, out);
        if (!r.ok()) return n;
        r.required("id", n.id);
        std::string type;
        if (!r.required("type", type)) return n;
        static const std::map<std::string, node_kind, std::less<>> kinds{
            {"say", node_kind::say},         {"ask", node_kind::ask},
            {"branch", node_kind::branch},   {"set", node_kind::set},
            {"review", node_kind::review},   {"submit", node_kind::submit},
            {"handoff", node_kind::handoff}, {"end", node_kind::end}};
        auto k = kinds.find(type);
        if (k == kinds.end()) {
            r.fail("type", make_problem({}, fault::node_type_unknown, {{"type", type}}));
            return n;  // its other keys cannot be judged
        }
        n.kind = k->second;
        // `next` is optional here: a missing one is reported as a dead end by the graph checks.
        // An `end` has none: there is nothing after it.
        if (n.kind != node_kind::end) r.optional("next", n.next);
        switch (n.kind) {
            case node_kind::say:
                r.required("text", n.text);
                break;
            case node_kind::end:
                r.optional("text", n.text);
                r.optional("start_flow", n.start_flow);
                break;
            case node_kind::ask:
                read_ask(r, n);
                break;
            case node_kind::branch:
                read_branch(r, n);
                break;
            case node_kind::set:
                r.required("answer", n.answer);
                if (const json* val = r.find("value"))
                    n.value = *val;
                else
                    r.fail("value", core::shape_problem({}, shape::required));
                break;
            case node_kind::review:
                read_review(r, n);
                break;
            case node_kind::submit: {
                std::string action = "file_concern";
                r.optional("action", action);
                if (action == "check_status")
                    n.action = submit_action::check_status;
                else if (action == "erase_my_data")
                    n.action = submit_action::erase_my_data;
                else if (action == "record_verdict")
                    n.action = submit_action::record_verdict;
                else if (action != "file_concern")
                    r.fail("action", make_problem({}, fault::submit_action_unknown));
                r.required("failed", n.failed);
                break;
            }
            case node_kind::handoff:
                r.required("reason", n.reason);
                r.optional("text", n.text);
                break;
        }
        r.finish();
        return n;
    }

    void read_review(core::json_reader& r, node& n) {
        r.required("text", n.text);
        r.required("show", n.show);
        read_timers(r, n);
        r.optional("notice", n.notice);
        r.optional("urgent_text", n.urgent_text);
        r.optional("edit_text", n.edit_text);
        if (r.find("session")) {
            auto sr = r.child("session");
            review_session d;
            sr.required("topic", d.topic);
            sr.required("locality", d.locality);
            sr.required("text", d.text);
            sr.required("none_text", d.none_text);
            sr.finish();
            n.session = d;
        }
        const json* a = r.find("actions");
        if (!a) return;
        const std::string apath = r.path_of("actions");
        if (!a->is_array() || a->empty())
            return out.push_back(make_problem(apath, fault::buttons_required));
        for (std::size_t j = 0; j < a->size(); ++j) {
            core::json_reader ar((*a)[j], idx_path(apath, j), out);
            if (!ar.ok()) continue;
            review_action d;
            ar.required("id", d.id);
            ar.required("label", d.label);
            ar.optional("edit", d.edit);
            ar.optional("consent", d.consent);
            if (!d.edit) ar.required("next", d.next);
            if (const json* set = ar.find("set")) {
                if (!set->is_object())
                    ar.fail("set", make_problem({}, fault::set_table));
                else
                    for (const auto& [k, v] : set->items()) d.set[k] = v;
            }
            ar.finish();
            n.actions.push_back(std::move(d));
        }
    }

    void read_ask(core::json_reader& r, node& n) {
        r.required("answer", n.answer);
        r.required("text", n.text);
        r.required("hint", n.hint);
        r.required("fallback", n.fallback);
        if (r.optional("max_attempts", n.max_attempts) &&
            (n.max_attempts < 1 || n.max_attempts > 10))
            r.fail("max_attempts", make_problem({}, fault::attempts_range));
        r.optional("min_length", n.min_length);
        r.optional("max_length", n.max_length);
        if (const json* m = r.find("min")) {
            if (m->is_number())
                n.min = m->get<double>();
            else
                r.fail("min", make_problem({}, fault::not_number));
        }
        if (const json* m = r.find("max")) {
            if (m->is_number())
                n.max = m->get<double>();
            else
                r.fail("max", make_problem({}, fault::not_number));
        }
        r.optional("max_count", n.max_count);
        if (const json* in = r.find("intents")) {
            if (!in->is_object()) {
                r.fail("intents", make_problem({}, fault::intents_table));
            } else {
                for (const auto& [intent, choice] : in->items()) {
                    if (choice.is_string())
                        n.intents[intent] = choice.get<std::string>();
                    else
                        out.push_back(make_problem(r.path_of("intents") + "/" + core::pointer_escape(intent),
                                                  fault::choice_id_expected));
                }
            }
        }
        if (const json* c = r.find("choices")) {
            std::string cpath = r.path_of("choices");
            if (!c->is_array()) {
                out.push_back(core::shape_problem(cpath, shape::not_array));
            } else {
                for (std::size_t j = 0; j < c->size(); ++j) {
                    core::json_reader cr((*c)[j], idx_path(cpath, j), out);
                    if (!cr.ok()) continue;
                    choice_def d;
                    cr.required("id", d.id);
                    cr.required("label", d.label);
                    if (const json* s = cr.find("synonyms"))
                        d.synonyms = read_lang_words(*s, cr.path_of("synonyms"), out);
                    cr.finish();
                    n.choices.push_back(std::move(d));
                }
            }
        }
        read_timers(r, n);
    }

    // A question (or a review) not answered for a while: a reminder, then where to go.
    void read_timers(core::json_reader& r, node& n) {
        if (r.find("reminder")) {
            auto rr = r.child("reminder");
            reminder_def d;
            int minutes = 0;
            if (rr.required("after_minutes", minutes) && minutes < 1)
                rr.fail("after_minutes", make_problem({}, fault::minutes_positive));
            d.after = std::chrono::minutes(minutes);
            rr.required("text", d.text);
            rr.finish();
            n.reminder = d;
        }
        if (r.find("timeout")) {
            auto tr = r.child("timeout");
            timeout_def d;
            int minutes = 0;
            if (tr.required("after_minutes", minutes) && minutes < 1)
                tr.fail("after_minutes", make_problem({}, fault::minutes_positive));
            d.after = std::chrono::minutes(minutes);
            tr.required("next", d.next);
            tr.finish();
            n.timeout = d;
        }
    }

    void read_branch(core::json_reader& r, node& n) {
        const json* c = r.find("cases");
        if (!c) return r.fail("cases", core::shape_problem({}, shape::required));
        std::string cpath = r.path_of("cases");
        if (!c->is_array()) return out.push_back(core::shape_problem(cpath, shape::not_array));
        for (std::size_t j = 0; j < c->size(); ++j) {
            core::json_reader cr((*c)[j], idx_path(cpath, j), out);
            if (!cr.ok()) continue;
            branch_case bc;
            cr.required("var", bc.var);
            if (const json* e = cr.find("equals")) bc.equals = *e;
            bool present = false;
            if (cr.find("present") && cr.optional("present", present)) bc.present = present;
            if (!bc.equals && !bc.present)
                cr.fail("equals", make_problem({}, fault::case_needs_test));
            cr.required("next", bc.next);
            cr.finish();
            n.cases.push_back(std::move(bc));
        }
    }
};

// ---------------------------------------------------------------------------------------------
// Meaning: references, reachability, translations, templates, collisions, definite assignment.

struct edge {
    std::size_t to;
    std::vector<std::string> sets;  // variables definitely set when this edge is taken
};

class semantic_checker {
public:
    semantic_checker(const definition& d, const std::vector<std::string>& paths,
                     std::vector<problem>& out)
        : d_(d), paths_(paths), out_(out) {}

    void run() {
        check_header();
        check_strings();
        check_vocab();
        check_answers();
        check_understand();
        index_nodes();
        check_nodes();
        build_edges();
        check_reachable();
        check_dead_ends();
        check_loops();
        check_definite_assignment();
    }

private:
    const definition& d_;
    const std::vector<std::string>& paths_;
    std::vector<problem>& out_;
    std::map<std::string, std::size_t, std::less<>> index_;
    std::vector<std::vector<edge>> edges_;

    void fail(std::string path, fault what, nlohmann::json params = nlohmann::json::object()) {
        out_.push_back(make_problem(std::move(path), what, std::move(params)));
    }

    void check_header() {
        if (d_.languages.empty()) fail("/languages", fault::no_language);
        std::set<std::string> seen;
        for (std::size_t i = 0; i < d_.languages.size(); ++i)
            if (!seen.insert(d_.languages[i]).second)
                fail(idx_path("/languages", i), fault::language_duplicate, {{"lang", d_.languages[i]}});
    }

    void check_strings() {
        std::set<std::string, std::less<>> all_keys;
        for (const auto& [lang, table] : d_.strings) {
            if (!d_.has_language(lang))
                fail("/strings/" + core::pointer_escape(lang), fault::language_undeclared, {{"lang", lang}});
            for (const auto& [key, text] : table) {
                all_keys.insert(key);
                std::string path =
                    "/strings/" + core::pointer_escape(lang) + "/" + core::pointer_escape(key);
                auto vars = detail::template_vars(text);
                if (!vars) {
                    fail(path, fault::braces_unbalanced);
                    continue;
                }
                for (const auto& v : *vars)
                    if (!known_var(v)) fail(path, fault::variable_undefined, {{"variable", "{" + v + "}"}});
            }
        }
        for (const auto& lang : d_.languages) {
            auto t = d_.strings.find(lang);
            for (const auto& key : all_keys)
                if (t == d_.strings.end() || !t->second.contains(key))
                    fail("/strings/" + core::pointer_escape(lang) + "/" + core::pointer_escape(key),
                         fault::translation_missing);
        }
    }

    void check_vocab() {
        for (const auto& lang : d_.languages)
            if (!d_.vocab.contains(lang))
                fail("/vocab/" + core::pointer_escape(lang), fault::vocabulary_missing);
        for (const auto& [lang, v] : d_.vocab) {
            std::string base = "/vocab/" + core::pointer_escape(lang);
            if (!d_.has_language(lang))
                fail(base, fault::language_undeclared, {{"lang", lang}});
            // A word meaning both yes and no, or both cancel and restart, cannot be obeyed.
            std::map<std::string, std::string> owner;
            for (auto [name, list] : {std::pair{"yes", &v.yes}, {"no", &v.no}}) {
                for (std::size_t i = 0; i < list->size(); ++i) {
                    auto [it, fresh] = owner.emplace(core::match_key((*list)[i]), name);
                    if (!fresh && it->second != name)
                        fail(idx_path(base + "/" + name, i), fault::word_collides,
                             {{"word", (*list)[i]}, {"other", it->second}});
                }
            }
            owner.clear();
            for (auto [name, list] : {std::pair{"restart", &v.restart},
                                      {"cancel", &v.cancel},
                                      {"help", &v.help},
                                      {"language", &v.language}}) {
                for (std::size_t i = 0; i < list->size(); ++i) {
                    auto [it, fresh] = owner.emplace(core::match_key((*list)[i]), name);
                    if (!fresh && it->second != name)
                        fail(idx_path(base + "/" + name, i), fault::word_collides,
                             {{"word", (*list)[i]}, {"other", it->second}});
                }
            }
        }
    }

    void check_string_key(const std::string& path, const std::string& key) {
        if (key.empty()) return;  // reported as missing by the structure reader
        bool anywhere = std::any_of(d_.strings.begin(), d_.strings.end(),
                                    [&](const auto& t) { return t.second.contains(key); });
        if (!anywhere) fail(path, fault::string_unknown, {{"key", key}});
    }

    void check_answers() {
        bool any_time = false;
        for (const auto& a : d_.answers) {
            const std::string base = "/answers/" + core::pointer_escape(a.name);
            check_string_key(base + "/label", a.label);
            if (a.any_time && a.type != answer_type::media && a.type != answer_type::location)
                fail(base + "/any_time", fault::any_time_type);
            any_time = any_time || a.any_time;
        }
        if (any_time)
            require_vocab_text(&vocabulary::attached_text, "attached_text",
                               fault::attached_text_required);
    }

    // A vocabulary text that became required because the flow uses what needs it.
    void require_vocab_text(std::string vocabulary::*text, const char* key, fault why) {
        for (const auto& [lang, v] : d_.vocab)
            if ((v.*text).empty()) fail("/vocab/" + core::pointer_escape(lang) + "/" + key, why);
    }

    void check_understand() {
        if (!d_.understand) return;
        const auto& u = *d_.understand;
        auto expect = [&](const std::string& name, const char* key,
                          std::initializer_list<answer_type> types) {
            if (name.empty()) return;
            const std::string path = std::string("/understand/") + key;
            const answer_decl* a = d_.find_answer(name);
            if (!a) return fail(path, fault::answer_undeclared, {{"answer", name}});
            if (std::find(types.begin(), types.end(), a->type) == types.end())
                return fail(path, fault::answer_wrong_type,
                            {{"answer", name},
                             {"type", std::string(to_string(a->type))},
                             {"expected", std::string(to_string(*types.begin()))}});
            if (!d_.ask_for(name)) fail(path, fault::answer_not_asked, {{"answer", name}});
        };
        expect(u.description, "description", {answer_type::text});
        expect(u.topic, "topic", {answer_type::choice});
        expect(u.locality, "locality", {answer_type::locality});
        expect(u.reference, "reference", {answer_type::text, answer_type::any});
        if (!u.topic.empty())
            require_vocab_text(&vocabulary::more_label, "more_label", fault::more_label_required);
        if (!u.locality.empty())
            require_vocab_text(&vocabulary::none_label, "none_label", fault::none_label_required);
    }

    bool known_var(std::string_view v) const {
        if (v.starts_with("answers.")) return d_.find_answer(v.substr(8)) != nullptr;
        const auto& o = detail::outcome_vars();
        return std::find(o.begin(), o.end(), v) != o.end();
    }

    void index_nodes() {
        for (std::size_t i = 0; i < d_.nodes.size(); ++i) {
            const auto& id = d_.nodes[i].id;
            if (id.empty()) continue;
            auto [it, fresh] = index_.emplace(id, i);
            if (!fresh) fail(paths_[i] + "/id", fault::node_duplicate, {{"node", id}});
        }
        if (!d_.start.empty() && !index_.contains(d_.start))
            fail("/start", fault::node_unknown, {{"node", d_.start}});
    }

    void check_ref(const std::string& path, const std::string& target) {
        if (!target.empty() && !index_.contains(target))
            fail(path, fault::node_unknown, {{"node", target}});
    }

    void check_nodes() {
        for (std::size_t i = 0; i < d_.nodes.size(); ++i) {
            const node& n = d_.nodes[i];
            const std::string& p = paths_[i];
            check_ref(p + "/next", n.next);
            check_string_key(p + "/text", n.text);
            bool needs_next = n.kind != node_kind::end && n.kind != node_kind::handoff &&
                              !(n.kind == node_kind::review && !n.actions.empty());
            if (needs_next && n.next.empty())
                fail(p + "/next", fault::next_required, {{"kind", std::string(to_string(n.kind))}});
            if (n.kind == node_kind::ask) check_ask(n, p);
            if (n.kind == node_kind::branch)
                for (std::size_t j = 0; j < n.cases.size(); ++j) {
                    std::string cp = idx_path(p + "/cases", j);
                    check_ref(cp + "/next", n.cases[j].next);
                    if (!n.cases[j].var.empty() && !known_var(n.cases[j].var))
                        fail(cp + "/var", fault::variable_undefined, {{"variable", "\"" + n.cases[j].var + "\""}});
                }
            if (n.kind == node_kind::set && !n.answer.empty() && !d_.find_answer(n.answer))
                fail(p + "/answer", fault::answer_undeclared, {{"answer", n.answer}});
            if (n.kind == node_kind::review) check_review(n, p);
            if (n.kind == node_kind::review)
                for (std::size_t j = 0; j < n.show.size(); ++j) {
                    if (!d_.find_answer(n.show[j]))
                        fail(idx_path(p + "/show", j), fault::answer_undeclared, {{"answer", n.show[j]}});
                    // "change" asks it again; a photo taken any time is changed by sending
                    // another (a review with actions offers no button for it).
                    else if (!d_.ask_for(n.show[j]) &&
                             !(d_.find_answer(n.show[j])->any_time && !n.actions.empty()))
                        fail(idx_path(p + "/show", j), fault::answer_not_asked,
                             {{"answer", n.show[j]}});
                }
            if (n.kind == node_kind::submit) check_ref(p + "/failed", n.failed);
        }
    }

    void check_review(const node& n, const std::string& p) {
        if (n.reminder) check_string_key(p + "/reminder/text", n.reminder->text);
        if (n.timeout) check_ref(p + "/timeout/next", n.timeout->next);
        check_string_key(p + "/notice", n.notice);
        check_string_key(p + "/urgent_text", n.urgent_text);
        check_string_key(p + "/edit_text", n.edit_text);
        if (n.session) {
            const auto& se = *n.session;
            const answer_decl* t = d_.find_answer(se.topic);
            if (!t || t->type != answer_type::choice)
                fail(p + "/session/topic", fault::session_topic);
            const answer_decl* l = d_.find_answer(se.locality);
            if (!l || l->type != answer_type::locality)
                fail(p + "/session/locality", fault::session_locality);
            check_string_key(p + "/session/text", se.text);
            check_string_key(p + "/session/none_text", se.none_text);
        }
        std::set<std::string> ids;
        std::size_t edits = 0;
        for (std::size_t j = 0; j < n.actions.size(); ++j) {
            const review_action& a = n.actions[j];
            const std::string ap = idx_path(p + "/actions", j);
            if (!a.id.empty() && !ids.insert(a.id).second)
                fail(ap + "/id", fault::button_duplicate, {{"id", a.id}});
            if (a.id.starts_with("edit:")) fail(ap + "/id", fault::button_id_reserved);
            check_string_key(ap + "/label", a.label);
            check_ref(ap + "/next", a.next);
            if (a.edit) ++edits;
            if (a.edit && (!a.next.empty() || !a.set.empty() || a.consent))
                fail(ap, fault::edit_button_plain);
            for (const auto& [name, value] : a.set)
                if (!d_.find_answer(name))
                    fail(ap + "/set/" + core::pointer_escape(name), fault::answer_undeclared,
                         {{"answer", name}});
        }
        if (edits > 1) fail(p + "/actions", fault::edit_buttons_many);
        if (edits == 1 && n.edit_text.empty())
            fail(p + "/edit_text", fault::edit_text_required);
    }

    void check_ask(const node& n, const std::string& p) {
        check_ref(p + "/fallback", n.fallback);
        check_string_key(p + "/hint", n.hint);
        if (n.reminder) check_string_key(p + "/reminder/text", n.reminder->text);
        if (n.timeout) check_ref(p + "/timeout/next", n.timeout->next);
        const answer_decl* a = n.answer.empty() ? nullptr : d_.find_answer(n.answer);
        if (!n.answer.empty() && !a) fail(p + "/answer", fault::answer_undeclared, {{"answer", n.answer}});
        bool is_choice = a && a->type == answer_type::choice;
        if (is_choice && n.choices.empty()) fail(p + "/choices", fault::choices_required);
        if (a && !is_choice && !n.choices.empty())
            fail(p + "/choices", fault::choices_not_choice,
                 {{"answer", n.answer}, {"type", std::string(to_string(a->type))}});
        if (n.min_length > n.max_length) fail(p + "/min_length", fault::length_order);
        if (!n.intents.empty() && !is_choice)
            fail(p + "/intents", fault::intents_not_choice);
        for (const auto& [intent, choice] : n.intents) {
            const std::string ip = p + "/intents/" + core::pointer_escape(intent);
            if (intent != "concern" && intent != "status" && intent != "about")
                fail(ip, fault::intent_unknown, {{"intent", intent}});
            // Named: clang 14 (the fuzz preset) cannot capture a structured binding.
            const std::string& wanted = choice;
            if (std::none_of(n.choices.begin(), n.choices.end(),
                             [&](const choice_def& c) { return c.id == wanted; }))
                fail(ip, fault::choice_unknown, {{"choice", choice}});
        }
        if (n.min && n.max && *n.min > *n.max) fail(p + "/min", fault::min_order);
        // Collisions: two choices a citizen's words cannot tell apart once folded.
        std::map<std::string, std::size_t> owner;
        std::map<std::string, std::string> commands;
        for (const auto& [lang, v] : d_.vocab)
            for (auto [name, list] : {std::pair{"restart", &v.restart}, {"cancel", &v.cancel},
                                      {"help", &v.help}, {"language", &v.language}})
                for (const auto& w : *list) commands.emplace(core::match_key(w), name);
        std::set<std::string> ids;
        for (std::size_t j = 0; j < n.choices.size(); ++j) {
            const choice_def& c = n.choices[j];
            std::string cp = idx_path(p + "/choices", j);
            if (!c.id.empty() && !ids.insert(c.id).second)
                fail(cp + "/id", fault::choice_duplicate, {{"id", c.id}});
            check_string_key(cp + "/label", c.label);
            auto claim = [&](const std::string& phrase, const std::string& path) {
                std::string key = core::match_key(phrase);
                if (key.empty()) return;
                // Commands are obeyed before answers are read, so such a choice could never be
                // picked by typing it.
                if (auto cmd = commands.find(key); cmd != commands.end())
                    fail(path, fault::choice_is_command, {{"phrase", phrase}, {"command", cmd->second}});
                auto [it, fresh] = owner.emplace(key, j);
                if (!fresh && it->second != j)
                    fail(path, fault::choice_collides,
                         {{"phrase", phrase}, {"choice", n.choices[it->second].id}});
            };
            for (const auto& lang : d_.languages) {
                auto t = d_.strings.find(lang);
                if (t == d_.strings.end()) continue;
                auto s = t->second.find(c.label);
                if (s != t->second.end()) claim(s->second, cp + "/label");
            }
            for (const auto& [lang, list] : c.synonyms) {
                std::string sp = cp + "/synonyms/" + core::pointer_escape(lang);
                if (!d_.has_language(lang))
                    fail(sp, fault::language_undeclared, {{"lang", lang}});
                for (std::size_t k = 0; k < list.size(); ++k) claim(list[k], idx_path(sp, k));
            }
        }
    }

    std::optional<std::size_t> target(const std::string& id) const {
        auto it = index_.find(id);
        if (it == index_.end()) return std::nullopt;
        return it->second;
    }

    void add_edge(std::size_t from, const std::string& to, std::vector<std::string> sets = {}) {
        if (auto t = target(to)) edges_[from].push_back({*t, std::move(sets)});
    }

    void build_edges() {
        edges_.assign(d_.nodes.size(), {});
        for (std::size_t i = 0; i < d_.nodes.size(); ++i) {
            const node& n = d_.nodes[i];
            switch (n.kind) {
                case node_kind::ask: {
                    const answer_decl* a = d_.find_answer(n.answer);
                    std::vector<std::string> sets;
                    if (a && a->required) sets.push_back("answers." + n.answer);
                    add_edge(i, n.next, sets);
                    add_edge(i, n.fallback);
                    if (n.timeout) add_edge(i, n.timeout->next);
                    break;
                }
                case node_kind::set:
                    add_edge(i, n.next, {"answers." + n.answer});
                    break;
                case node_kind::branch:
                    // A case taken when a variable is present sets it for what follows.
                    for (const auto& c : n.cases)
                        add_edge(i, c.next, c.present.value_or(false) ? std::vector<std::string>{c.var}
                                                                      : std::vector<std::string>{});
                    add_edge(i, n.next);
                    break;
                case node_kind::review:
                    if (n.timeout) add_edge(i, n.timeout->next);
                    if (n.actions.empty()) {
                        add_edge(i, n.next);
                        break;
                    }
                    for (const auto& a : n.actions) {
                        std::vector<std::string> sets;
                        for (const auto& [name, value] : a.set) sets.push_back("answers." + name);
                        add_edge(i, a.next, std::move(sets));
                    }
                    break;
                case node_kind::submit:
                    if (n.action == submit_action::file_concern ||
                        n.action == submit_action::record_verdict)
                        add_edge(i, n.next,
                                 {"concern.ref", "concern.urgent", "session.date", "session.place",
                                  "session.hotline"});
                    else
                        add_edge(i, n.next, {"concern.ref", "concern.status", "concern.answer"});
                    add_edge(i, n.failed);
                    break;
                default:
                    add_edge(i, n.next);
            }
        }
    }

    std::vector<bool> reachable_;

    void check_reachable() {
        reachable_.assign(d_.nodes.size(), false);
        auto s = target(d_.start);
        if (!s) return;
        std::vector<std::size_t> stack{*s};
        while (!stack.empty()) {
            std::size_t i = stack.back();
            stack.pop_back();
            if (reachable_[i]) continue;
            reachable_[i] = true;
            for (const auto& e : edges_[i]) stack.push_back(e.to);
        }
        for (std::size_t i = 0; i < d_.nodes.size(); ++i)
            if (!reachable_[i])
                fail(paths_[i], fault::node_unreachable, {{"node", d_.nodes[i].id}});
    }

    static bool terminal(const node& n) {
        return n.kind == node_kind::end || (n.kind == node_kind::handoff && n.next.empty());
    }

    void check_dead_ends() {
        // Backwards from every terminal node: what is left can never finish.
        std::vector<std::vector<std::size_t>> preds(d_.nodes.size());
        for (std::size_t i = 0; i < d_.nodes.size(); ++i)
            for (const auto& e : edges_[i]) preds[e.to].push_back(i);
        std::vector<bool> finishes(d_.nodes.size(), false);
        std::vector<std::size_t> stack;
        for (std::size_t i = 0; i < d_.nodes.size(); ++i)
            if (terminal(d_.nodes[i])) stack.push_back(i);
        while (!stack.empty()) {
            std::size_t i = stack.back();
            stack.pop_back();
            if (finishes[i]) continue;
            finishes[i] = true;
            for (auto p : preds[i]) stack.push_back(p);
        }
        for (std::size_t i = 0; i < d_.nodes.size(); ++i)
            if (reachable_[i] && !finishes[i])
                fail(paths_[i], fault::dead_end, {{"node", d_.nodes[i].id}});
    }

    static bool waits(const node& n) {
        return n.kind == node_kind::ask || n.kind == node_kind::review ||
               n.kind == node_kind::submit;
    }

    void check_loops() {
        // Depth-first search over nodes that run without waiting for the citizen; a back edge
        // is a loop the engine would spin in forever.
        // Iterative, with an explicit stack: a generated flow may chain thousands of nodes.
        enum class mark { white, grey, black };
        std::vector<mark> m(d_.nodes.size(), mark::white);
        std::vector<std::size_t> path;       // grey nodes, root first
        std::vector<std::size_t> next_edge;  // per path entry: the next edge to look at
        for (std::size_t root = 0; root < d_.nodes.size(); ++root) {
            if (m[root] != mark::white || waits(d_.nodes[root])) continue;
            m[root] = mark::grey;
            path.assign(1, root);
            next_edge.assign(1, 0);
            while (!path.empty()) {
                std::size_t i = path.back();
                if (next_edge.back() == edges_[i].size()) {
                    m[i] = mark::black;
                    path.pop_back();
                    next_edge.pop_back();
                    continue;
                }
                std::size_t to = edges_[i][next_edge.back()++].to;
                if (waits(d_.nodes[to])) continue;
                if (m[to] == mark::grey) {
                    std::string cycle;
                    auto from = std::find(path.begin(), path.end(), to);
                    for (auto it = from; it != path.end(); ++it) cycle += d_.nodes[*it].id + " -> ";
                    fail(paths_[to], fault::loop_without_ask, {{"cycle", cycle + d_.nodes[to].id}});
                } else if (m[to] == mark::white) {
                    m[to] = mark::grey;
                    path.push_back(to);
                    next_edge.push_back(0);
                }
            }
        }
    }

    // Which variables are set on *every* path from start to each node (a must-analysis: the
    // intersection over incoming edges, iterated to a fixed point).
    void check_definite_assignment() {
        auto s = target(d_.start);
        if (!s) return;
        std::vector<std::optional<std::set<std::string>>> in(d_.nodes.size());
        in[*s] = std::set<std::string>{};
        std::vector<std::size_t> work{*s};
        while (!work.empty()) {
            std::size_t i = work.back();
            work.pop_back();
            for (const auto& e : edges_[i]) {
                std::set<std::string> outset = *in[i];
                outset.insert(e.sets.begin(), e.sets.end());
                if (e.to == *s) continue;  // restart also enters here with nothing set
                if (!in[e.to]) {
                    in[e.to] = std::move(outset);
                    work.push_back(e.to);
                    continue;
                }
                std::set<std::string> meet;
                std::set_intersection(in[e.to]->begin(), in[e.to]->end(), outset.begin(),
                                      outset.end(), std::inserter(meet, meet.begin()));
                if (meet != *in[e.to]) {
                    in[e.to] = std::move(meet);
                    work.push_back(e.to);
                }
            }
        }
        for (std::size_t i = 0; i < d_.nodes.size(); ++i) {
            if (!in[i]) continue;
            const node& n = d_.nodes[i];
            auto uses = [&](const std::string& key, const std::string& path,
                            std::initializer_list<std::string_view> set_here = {}) {
                for (const auto& lang : d_.languages) {
                    auto t = d_.strings.find(lang);
                    if (t == d_.strings.end()) continue;
                    auto str = t->second.find(key);
                    if (str == t->second.end()) continue;
                    auto vars = detail::template_vars(str->second);
                    if (!vars) continue;
                    for (const auto& v : *vars)
                        if (known_var(v) && !in[i]->contains(v) &&
                            std::find(set_here.begin(), set_here.end(), v) == set_here.end())
                            fail(path, fault::variable_maybe_unset,
                                 {{"variable", "{" + v + "}"}, {"key", key}});
                    return;  // one language is enough: translations use the same variables
                }
            };
            if (!n.text.empty()) uses(n.text, paths_[i] + "/text");
            if (!n.notice.empty()) uses(n.notice, paths_[i] + "/notice");
            if (!n.urgent_text.empty()) uses(n.urgent_text, paths_[i] + "/urgent_text");
            if (!n.edit_text.empty()) uses(n.edit_text, paths_[i] + "/edit_text");
            // The review looks the session up itself before it shows this text.
            if (n.session) {
                uses(n.session->text, paths_[i] + "/session/text",
                     {"session.date", "session.place"});
                uses(n.session->none_text, paths_[i] + "/session/none_text");
            }
            if (!n.hint.empty()) uses(n.hint, paths_[i] + "/hint");
            if (n.reminder) uses(n.reminder->text, paths_[i] + "/reminder/text");
            if (n.kind == node_kind::submit && n.action == submit_action::file_concern)
                for (const auto& a : d_.answers)
                    if (a.required && !in[i]->contains("answers." + a.name))
                        fail(paths_[i], fault::required_answer_unset, {{"answer", a.name}});
        }
    }
};

}  // namespace

load_result load(const nlohmann::json& doc) {
    load_result r;
    structure_reader reader{r.problems, {}, {}};
    reader.read(doc);
    if (doc.is_object()) semantic_checker(reader.def, reader.node_paths, r.problems).run();
    if (r.problems.empty()) {
        reader.def.document = doc;
        r.flow = std::make_shared<const definition>(std::move(reader.def));
    }
    return r;
}

std::vector<core::problem> validate(const nlohmann::json& doc) { return load(doc).problems; }

load_result load_text(std::string_view text) {
    core::problem error;
    auto doc = core::parse_json(text, &error);
    if (!doc) {
        load_result r;
        // The parser's words are the English detail; the line and column say it in any language.
        const auto what =
            error.code == "number_too_large" ? shape::number_too_large : shape::not_json;
        r.problems.push_back(core::shape_problem(error.path, what, std::move(error.params)));
        return r;
    }
    return load(*doc);
}

}  // namespace dgw::flow
