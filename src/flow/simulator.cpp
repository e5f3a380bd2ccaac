#include "dgw/flow/simulator.hpp"

#include <istream>
#include <ostream>
#include <sstream>
#include <utility>
#include <vector>

namespace dgw::flow {
namespace {

using nlohmann::json;


bool has_free_text_locality(const definition& def, const json& answers) {
    for (const auto& a : def.answers) {
        if (a.type != answer_type::locality) continue;
        auto it = answers.find(a.name);
        if (it != answers.end() && it->is_object() && it->value("code", json()).is_null())
            return true;
    }
    return false;
}

class session {
public:
    session(std::shared_ptr<const definition> def, std::ostream& out, const simulator_options& o)
        : def_(std::move(def)), out_(out), opt_(o) {
        ctx_.localities = o.localities;
        ctx_.reader = o.reader;
        ctx_.sessions = o.sessions;
    }

    // Nothing is said before the citizen writes, as on every channel.
    void begin() {
        if (!opt_.json) note("write as a citizen would: the conversation starts with your message");
        emit();
    }

    bool done() const { return done_; }
    bool failed() const { return failed_; }

    void line(const std::string& text) {
        if (text == "/wait") {
            if (timers_.empty()) {
                note("no timer is armed");
                emit();
                return;
            }
            // Jump the clock to the earliest timer, as if the citizen had gone quiet.
            opt_.now = timers_.front().at;
            feed(timer_event{timers_.front().id});
        } else if (auto ev = parse_line(text)) {
            if (!started_) {
                started_ = true;
                accumulate(start(*def_, opt_.lang, opt_.now, ctx_, {&*ev, nullptr}));
            } else {
                feed(*ev);
            }
        } else {
            note(
                "cannot read that command; try /location LAT LON, /photo, /contact PHONE, "
                "/button ID, /wait");
        }
        emit();
    }

private:
    std::shared_ptr<const definition> def_;
    std::ostream& out_;
    simulator_options opt_;
    step_context ctx_;
    json state_;
    std::vector<timer_request> timers_;
    int receipts_ = 0;
    bool started_ = false;
    bool done_ = false;
    bool failed_ = false;
    // What the next output line carries.
    std::vector<outbound_message> messages_;
    json effects_ = json::array();
    json inferred_ = json::array();
    std::optional<expectation> expect_;

    void note(const std::string& text) {
        messages_.push_back({"[simulator] " + text, {}, input_hint::none});
    }

    void feed(const event& ev) {
        auto r = step(*def_, state_, ev, opt_.now, ctx_);
        if (!r) {
            note("engine error: " + r.err().message);
            failed_ = true;
            done_ = true;
            return;
        }
        accumulate(std::move(r).value());
    }

    void accumulate(step_result r) {
        state_ = std::move(r.state);
        timers_ = std::move(r.timers);
        expect_ = std::move(r.expect);
        done_ = r.done;
        for (auto& m : r.messages) messages_.push_back(std::move(m));
        for (auto& i : r.inferred) inferred_.push_back(std::move(i));
        for (const auto& e : r.effects) perform(e);
    }

    void perform(const effect& e) {
        if (const auto* s = std::get_if<submit_effect>(&e)) {
            submit_outcome o;
            o.ref = "SIM-" + std::to_string(++receipts_);
            // A status lookup echoes the reference the citizen typed, as the real one would.
            if (s->action == submit_action::check_status) {
                auto ref = s->answers.find("ref");
                if (ref != s->answers.end() && ref->is_string()) o.ref = ref->get<std::string>();
            }
            json receipt{{"ref", o.ref}};
            if (s->action == submit_action::erase_my_data) {
                receipt["erased"] = "(simulated: nothing erased)";
            } else if (s->action == submit_action::file_concern ||
                       s->action == submit_action::record_verdict) {
                o.session_date = "(simulated, not filed)";
                o.session_place = "(simulated)";
                receipt["session_date"] = o.session_date;
                receipt["session_place"] = o.session_place;
                receipt["urgent"] = false;
            } else {
                o.status = "(simulated status)";
                o.answer = "(simulated: no answer yet)";
                receipt["status"] = o.status;
            }
            json entry{{"type", "submit"},
                       {"action", s->action},
                       {"answers", s->answers},
                       {"inferred", s->inferred},
                       {"simulated", true},
                       {"receipt", receipt}};
            if (has_free_text_locality(*def_, s->answers)) {
                entry["note"] = "locality taken as free text: no resolver, so no code";
                note("the locality was taken as free text, with no code (no resolver)");
            }
            note("simulated submit, nothing was filed; receipt " + o.ref);
            effects_.push_back(std::move(entry));
            feed(o);
        } else if (const auto* h = std::get_if<handoff_effect>(&e)) {
            effects_.push_back(
                {{"type", "handoff"}, {"reason", h->reason}, {"answers", h->answers}});
            note("a person would take over now (" + h->reason + ")");
        } else if (const auto* f = std::get_if<start_flow_effect>(&e)) {
            effects_.push_back({{"type", "start_flow"}, {"flow", f->flow}, {"carry", f->carry}});
            auto next = opt_.find_flow ? opt_.find_flow(f->flow) : nullptr;
            if (!next) {
                note("would start flow \"" + f->flow + "\", which is not loaded here");
                return;
            }
            def_ = std::move(next);
            opt_.lang = f->lang;
            accumulate(start(*def_, f->lang, opt_.now, ctx_, {nullptr, f->carry}));
        }
    }

    void emit() {
        if (opt_.json) {
            out_ << to_json(messages_, expect_, effects_, done_, inferred_).dump() << '\n';
        } else {
            for (const auto& i : inferred_) out_ << "read> " << summary(i) << '\n';
            for (const auto& m : messages_) {
                out_ << "bot> " << m.text << '\n';
                for (std::size_t i = 0; i < m.choices.size(); ++i)
                    out_ << "     [" << i + 1 << "] " << m.choices[i].label << " ("
                         << m.choices[i].id << ")\n";
            }
            if (done_) out_ << "-- conversation finished --\n";
        }
        out_.flush();
        messages_.clear();
        effects_ = json::array();
        inferred_ = json::array();
    }

    // One line of what was read: "concern (đường, hỏng) · topic roads 0.67 sure · Xã Bát Xát
    // 1.00 · urgent: sạt lở".
    static std::string summary(const json& r) {
        auto words = [](const json& list) {
            std::string w;
            for (const auto& x : list) w += (w.empty() ? "" : ", ") + x.get<std::string>();
            return w;
        };
        auto number = [](double v) {
            std::ostringstream o;
            o.precision(2);
            o << std::fixed << v;
            return o.str();
        };
        std::string out = r.value("intent", "none");
        if (!r.value("intent_words", json::array()).empty())
            out += " (" + words(r["intent_words"]) + ")";
        for (const auto& t : r.value("topics", json::array()))
            out += " · topic " + t.value("id", "") + " " + number(t.value("confidence", 0.0));
        if (r.value("topic_sure", false)) out += " sure";
        const json loc = r.value("locality", json::object());
        for (const auto& c : loc.value("candidates", json::array()))
            out += " · " + c.value("name", "") + " " + number(c.value("confidence", 0.0));
        if (loc.value("unique", false)) out += " sure";
        if (!r.value("urgent", json::array()).empty()) out += " · urgent: " + words(r["urgent"]);
        if (!r.value("reference", "").empty()) out += " · reference " + r.value("reference", "");
        if (r.contains("telex")) out += " · read as Telex: " + r.value("telex", "");
        return out;
    }
};

}  // namespace

std::optional<event> parse_line(std::string_view line) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
    if (s.empty() || s[0] != '/') return text_event{s};
    std::istringstream in(s);
    std::string cmd;
    in >> cmd;
    if (cmd == "/location") {
        location_event l;
        if (!(in >> l.lat >> l.lon)) return std::nullopt;
        return l;
    }
    if (cmd == "/photo") {
        image_event img;
        for (std::string ref; in >> ref;) img.refs.push_back(ref);
        if (img.refs.empty()) img.refs.push_back("simulated-photo");
        return img;
    }
    if (cmd == "/contact") {
        contact_event c;
        if (!(in >> c.phone)) return std::nullopt;
        return c;
    }
    if (cmd == "/button") {
        choice_event c;
        if (!(in >> c.id)) return std::nullopt;
        return c;
    }
    // "/start" or a slash typed by a citizen: ordinary text.
    return text_event{s};
}

nlohmann::ordered_json to_json(const std::vector<outbound_message>& messages,
                               const std::optional<expectation>& expect,
                               const nlohmann::json& effects, bool done,
                               const nlohmann::json& inferred) {
    // Ordered, so that the line reads in the documented order: messages, expect, effects, done.
    using ojson = nlohmann::ordered_json;
    ojson msgs = ojson::array();
    for (const auto& m : messages) {
        ojson choices = ojson::array();
        for (const auto& c : m.choices) choices.push_back({{"id", c.id}, {"label", c.label}});
        msgs.push_back(
            {{"text", m.text}, {"choices", choices}, {"hint", core::to_string(m.hint)}});
    }
    ojson e = nullptr;
    if (expect)
        e = {{"answer", expect->answer}, {"type", expect->type}, {"optional", expect->optional}};
    return {{"messages", msgs},
            {"expect", e},
            {"effects", ojson(effects)},
            {"inferred", ojson(inferred)},
            {"done", done}};
}

int run_simulator(std::shared_ptr<const definition> def, std::istream& in, std::ostream& out,
                  const simulator_options& options) {
    session s(std::move(def), out, options);
    s.begin();
    for (std::string line; !s.done() && std::getline(in, line);) s.line(line);
    return s.failed() ? 1 : 0;
}

}  // namespace dgw::flow
