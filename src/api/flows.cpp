// The flows: listing, validation, the simulator (the same engine and simulator as
// `dialogue-gateway chat --json`, driven by a list of messages), and the editor's endpoints:
// one draft per flow, publish and roll back (each a new, highest version, so "latest is live"
// stays true and running conversations stay on theirs), diffs between versions, per-node counts.

#include "api/service.hpp"

#include <dgw/api/flow_diff.hpp>

#include <dgw/dialogue/routing.hpp>
#include <dgw/flow/loader.hpp>
#include <dgw/flow/problems.hpp>
#include <dgw/flow/simulator.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <functional>
#include <map>
#include <sstream>

namespace dgw::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_simulated_messages = 200;
constexpr std::size_t max_message_bytes = 4000;

// Each problem with its code and values, and its words in the language of the page that asked.
json problems_json(const std::vector<core::problem>& problems, std::string_view lang) {
    json out = json::array();
    for (const auto& p : problems) {
        json item = {{"path", p.path}, {"message", flow::message_in(p, lang)}};
        if (!p.code.empty()) item["code"] = p.code;
        if (!p.params.empty()) item["params"] = p.params;
        out.push_back(std::move(item));
    }
    return out;
}

// Flow ids are file-name-like ("raise_concern"): anything else in the path is refused before
// it reaches the store or a log line.
bool valid_flow_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    return std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
}

std::optional<int> parse_version(const std::string& text) {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 1) return std::nullopt;
    return v;
}

int live_version(const flow::registry& flows, const std::string& id) {
    auto def = flows.latest(id);
    return def ? def->version : 0;
}

// A document as it would be published as `version` of flow `id`: the number is the gateway's
// to give (an admin never types it), and the id must be the flow being edited.
flow::load_result prepare(json doc, const std::string& id, int version) {
    if (doc.is_object()) doc["version"] = version;
    auto r = flow::load(doc);
    if (doc.is_object() && doc.value("id", json()) != json(id)) {
        r.flow.reset();
        r.problems.push_back(flow::make_problem("/id", flow::fault::id_mismatch, {{"id", id}}));
    }
    return r;
}

// The draft's text checked as it would be published: broken JSON is one problem at "".
std::vector<core::problem> draft_problems(const std::string& text, const std::string& id,
                                          int version) {
    auto doc = json::parse(text, nullptr, false);
    if (doc.is_discarded()) return flow::load_text(text).problems;
    return prepare(std::move(doc), id, version).problems;
}

http::response invalid_flow(const std::vector<core::problem>& problems, std::string_view lang,
                            error id = error::invalid_flow) {
    auto body = error_body(id);
    body["problems"] = problems_json(problems, lang);
    return http::json_response(entry_of(id).status, body);
}

// What a publish or a roll back did, decided on the database thread.
struct publish_outcome {
    int previous = 0;
    int version = 0;  ///< 0 = nothing published
    bool no_draft = false;
    std::vector<core::problem> problems;
    /// The published definition, for the registry once the round has committed.
    std::shared_ptr<const flow::definition> published;
};

// Numbers, stores and loads `doc` as the next version of `id`, on the database thread so
// that two admins publishing at once get two numbers. It runs inside the database thread's
// shared transaction, which commits after it returns: the caller gives the registry the
// version (learn_published) only once it resumes, after the commit, so new conversations never
// start on something the store could still lose.
publish_outcome publish_document(store::store& s, const flow::registry& flows, const std::string& id,
                                 json doc, const std::string& author, store::time_point now,
                                 const std::function<store::audit_entry(int, int)>& audit,
                                 bool drop_draft) {
    publish_outcome out;
    out.previous = live_version(flows, id);
    const int next = std::max(out.previous, s.max_flow_version(id)) + 1;
    auto loaded = prepare(std::move(doc), id, next);
    if (!loaded.flow) {
        out.problems = std::move(loaded.problems);
        return out;
    }
    store::flow_version v{id, next, loaded.flow->document.dump(2), "published", author, now, now};
    s.transact([&] {
        if (!s.add_flow_version(v)) throw store::unavailable("flow version taken meanwhile");
        if (drop_draft) s.delete_flow_draft(id);
        s.append_audit(audit(out.previous, next));
    });
    out.published = loaded.flow;
    out.version = next;
    return out;
}

// After the commit: new conversations start on the published version from now on.
void learn_published(flow::registry& flows, const publish_outcome& out) {
    if (out.published) flows.add(out.published);
}

}  // namespace

net::awaitable<http::response> service::list_flows(http::request_context&, const principal&) {
    auto read = [](store::store& s) { return s.list_flow_drafts(); };
    auto drafts = co_await on_db(read);
    auto entry = [](std::map<std::string, json>& by_id, const std::string& id) -> json& {
        auto& f = by_id[id];
        if (f.is_null())
            f = {{"id", id}, {"versions", json::array()}, {"latest", nullptr}, {"draft", nullptr}};
        return f;
    };
    std::map<std::string, json> by_id;
    for (const auto& def : deps_.flows->all()) {
        auto& f = entry(by_id, def->id);
        f["versions"].push_back(def->version);
        // all() lists versions in ascending order: the last one seen is the latest.
        f["latest"] = def->version;
        f["languages"] = def->languages;
        f["nodes"] = def->nodes.size();
    }
    // A flow being written is listed from its first saved draft, before any version exists.
    for (const auto& d : drafts)
        entry(by_id, d.flow_id)["draft"] = {{"author", d.author},
                                            {"updated_at", core::utc_text(d.updated_at)}};
    json items = json::array();
    for (auto& [id, f] : by_id) items.push_back(std::move(f));
    co_return ok({{"items", items}});
}

net::awaitable<http::response> service::validate_flow(http::request_context& c, const principal&,
                                                      const json& body) {
    auto problems = flow::validate(body);
    co_return ok({{"valid", problems.empty()}, {"problems", problems_json(problems, request_language(c))}});
}

net::awaitable<http::response> service::simulate(http::request_context& c, const principal&,
                                                 const json& body) {
    // The flow: a loaded one by id, or a document (a draft being edited).
    std::shared_ptr<const flow::definition> def;
    if (auto id = string_member(body, "flow_id")) {
        def = deps_.flows->latest(*id);
        if (!def) co_return refuse(error::flow_not_found, {{"id", *id}});
    } else if (body.contains("flow")) {
        auto loaded = flow::load(body["flow"]);
        if (!loaded.flow) co_return invalid_flow(loaded.problems, request_language(c), error::invalid_simulated_flow);
        def = loaded.flow;
    } else {
        co_return refuse(error::simulate_flow_required);
    }
    auto messages = body.value("messages", json::array());
    if (!messages.is_array() || messages.size() > max_simulated_messages)
        co_return refuse(error::simulate_messages_invalid, {{"max", max_simulated_messages}});
    std::string input;
    for (const auto& m : messages) {
        if (!m.is_string() || m.get_ref<const std::string&>().size() > max_message_bytes)
            co_return refuse(error::simulate_message_too_long, {{"limit", max_message_bytes}});
        // One citizen message per line, as `chat` reads them.
        std::string line = m.get<std::string>();
        std::replace(line.begin(), line.end(), '\n', ' ');
        input += line + "\n";
    }
    flow::simulator_options options;
    options.json = true;
    options.lang = body.value("lang", "vi");
    options.localities = deps_.localities.get();
    options.reader = deps_.reader.get();
    // The review shows the session of the config's schedule (the simulation files nothing).
    std::optional<dialogue::schedule_cache> schedule;
    std::optional<dialogue::schedule_preview> sessions;
    if (deps_.dialogue) {
        schedule.emplace(*deps_.dialogue);
        sessions.emplace(*schedule, deps_.now());
        options.sessions = &*sessions;
    }
    auto flows = deps_.flows;
    options.find_flow = [flows](const std::string& id) { return flows->latest(id); };
    options.now = deps_.now();
    std::istringstream in(input);
    std::ostringstream out;
    // Pure and quick (no I/O): run here rather than hop threads.
    const int rc = flow::run_simulator(def, in, out, options);
    json steps = json::array();
    std::istringstream lines(out.str());
    for (std::string line; std::getline(lines, line);)
        if (auto j = json::parse(line, nullptr, false); !j.is_discarded()) steps.push_back(j);
    co_return ok({{"flow", def->id}, {"version", def->version}, {"steps", steps}, {"ok", rc == 0}});
}

}  // namespace dgw::api

// ----- the flow editor ---------------------------------------------------------------------------

namespace dgw::api {
namespace {

using nlohmann::json;

// The flow id of the path, or the 400 to answer.
std::optional<std::string> flow_id_of(const http::request_context& c, http::response& error) {
    auto it = c.params.find("id");
    if (it == c.params.end() || !valid_flow_id(it->second)) {
        error = refuse(error::flow_id_invalid);
        return std::nullopt;
    }
    return it->second;
}

struct flow_rows {
    std::vector<store::flow_version> published;
    std::optional<store::flow_version> draft;
};

}  // namespace

net::awaitable<http::response> service::get_flow(http::request_context& c, const principal&) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    const std::string flow_id = *id;
    auto read = [flow_id](store::store& s) {
        return flow_rows{s.list_flow_versions(flow_id), s.find_flow_draft(flow_id)};
    };
    auto rows = co_await on_db(read);
    std::map<int, const store::flow_version*> stored;
    for (const auto& v : rows.published) stored[v.version] = &v;
    json versions = json::array();
    for (const auto& def : deps_.flows->all()) {
        if (def->id != flow_id) continue;
        json v = {{"version", def->version}, {"status", "published"}, {"nodes", def->nodes.size()}};
        // Shipped versions come from the flows directory; the others were published here.
        if (auto it = stored.find(def->version); it != stored.end()) {
            v["source"] = "editor";
            v["author"] = it->second->author;
            v["published_at"] = core::utc_text(it->second->created_at);
        } else {
            v["source"] = "file";
        }
        versions.push_back(std::move(v));
    }
    if (versions.empty() && !rows.draft) co_return refuse(error::flow_not_found, {{"id", flow_id}});
    const int live = live_version(*deps_.flows, flow_id);
    json body = {{"id", flow_id},
                 {"live", live == 0 ? json() : json(live)},
                 {"versions", versions},
                 {"draft", nullptr}};
    if (rows.draft) {
        auto problems = draft_problems(rows.draft->document, flow_id, live + 1);
        body["draft"] = {{"text", rows.draft->document},
                         {"author", rows.draft->author},
                         {"updated_at", core::utc_text(rows.draft->updated_at)},
                         {"valid", problems.empty()},
                         {"problems", problems_json(problems, request_language(c))}};
    }
    co_return ok(body);
}

net::awaitable<http::response> service::get_flow_version(http::request_context& c,
                                                         const principal&) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    auto version = parse_version(c.params["version"]);
    if (!version) co_return refuse(error::flow_version_invalid);
    auto def = deps_.flows->find(*id, *version);
    if (!def) co_return refuse(error::flow_version_not_found, {{"id", *id}, {"version", *version}});
    co_return ok({{"id", def->id},
                  {"version", def->version},
                  {"live", def->version == live_version(*deps_.flows, *id)},
                  {"document", def->document}});
}

net::awaitable<http::response> service::save_flow_draft(http::request_context& c,
                                                        const principal& p, const json& body) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    // The editor sends its text as typed (even broken JSON is kept, so no work is lost);
    // scripts may send the document itself.
    std::string text;
    if (auto t = string_member(body, "text"))
        text = *t;
    else if (body.contains("document"))
        text = body["document"].dump(2);
    else
        co_return refuse(error::flow_draft_required);
    const int live = live_version(*deps_.flows, *id);
    auto problems = draft_problems(text, *id, live + 1);
    const auto now = deps_.now();
    store::flow_version draft{*id, 0, text, "draft", p.name, now, now};
    auto entry = audit_line(p, now, "flow.draft", "flow:" + *id, json{{"version", live}},
                            json{{"version", live}, {"draft", true}, {"valid", problems.empty()}});
    auto save = [draft, entry](store::store& s) {
        s.transact([&] {
            s.save_flow_draft(draft);
            s.append_audit(entry);
        });
    };
    co_await on_db(save);
    co_return ok({{"saved", true},
                  {"valid", problems.empty()},
                  {"problems", problems_json(problems, request_language(c))},
                  {"live", live}});
}

net::awaitable<http::response> service::publish_flow(http::request_context& c, const principal& p) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    const auto now = deps_.now();
    auto flows = deps_.flows;
    const std::string flow_id = *id;
    const principal who = p;
    auto work = [flows, flow_id, who, now](store::store& s) {
        auto draft = s.find_flow_draft(flow_id);
        if (!draft) return publish_outcome{0, 0, true, {}, nullptr};
        auto doc = json::parse(draft->document, nullptr, false);
        if (doc.is_discarded())
            return publish_outcome{0, 0, false, flow::load_text(draft->document).problems, nullptr};
        auto audit = [&](int before, int after) {
            return audit_line(who, now, "flow.publish", "flow:" + flow_id, json{{"version", before}},
                              json{{"version", after}});
        };
        return publish_document(s, *flows, flow_id, std::move(doc), who.name, now, audit, true);
    };
    auto out = co_await on_db(work);
    learn_published(*flows, out);
    if (out.no_draft) co_return refuse(error::flow_draft_not_found, {{"id", flow_id}});
    if (out.version == 0) co_return invalid_flow(out.problems, request_language(c));
    if (deps_.log)
        deps_.log->info("api", p.name + " published flow " + flow_id + " version " +
                                   std::to_string(out.version));
    co_return ok({{"id", flow_id}, {"version", out.version}, {"previous", out.previous}});
}

net::awaitable<http::response> service::rollback_flow(http::request_context& c, const principal& p,
                                                      const json& body) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    auto to = body.find("to");
    if (to == body.end() || !to->is_number_integer())
        co_return refuse(error::rollback_version_required);
    const int target = to->get<int>();
    auto old = deps_.flows->find(*id, target);
    if (!old) co_return refuse(error::flow_version_not_found, {{"id", *id}, {"version", target}});
    const auto now = deps_.now();
    auto flows = deps_.flows;
    const std::string flow_id = *id;
    const principal who = p;
    json doc = old->document;
    // Rolling back publishes the old document again under a new number: conversations on the
    // version being replaced keep it, and new ones start on the copy.
    auto work = [flows, flow_id, who, now, doc, target](store::store& s) {
        auto audit = [&](int before, int after) {
            return audit_line(who, now, "flow.rollback", "flow:" + flow_id,
                              json{{"version", before}}, json{{"version", after}, {"from", target}});
        };
        return publish_document(s, *flows, flow_id, doc, who.name, now, audit, false);
    };
    auto out = co_await on_db(work);
    learn_published(*flows, out);
    // A version that loaded once can fail only if the validator changed since.
    if (out.version == 0) co_return invalid_flow(out.problems, request_language(c));
    co_return ok({{"id", flow_id}, {"version", out.version}, {"previous", out.previous},
                  {"from", target}});
}

net::awaitable<http::response> service::diff_flow(http::request_context& c, const principal&) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    // Each side: a version number, or "draft" (the saved draft, which must be JSON).
    static constexpr std::array<const char*, 2> sides{"from", "to"};
    std::map<std::string, json> docs;
    for (const char* side : sides) {
        const std::string v = c.query_param(side);
        if (v == "draft") {
            const std::string flow_id = *id;
            auto read = [flow_id](store::store& s) { return s.find_flow_draft(flow_id); };
            auto draft = co_await on_db(read);
            if (!draft) co_return refuse(error::flow_draft_not_found, {{"id", flow_id}});
            auto doc = json::parse(draft->document, nullptr, false);
            if (doc.is_discarded()) co_return invalid_flow(flow::load_text(draft->document).problems, request_language(c));
            docs[side] = std::move(doc);
            continue;
        }
        auto n = parse_version(v);
        if (!n) co_return refuse(error::diff_version_invalid);
        auto def = deps_.flows->find(*id, *n);
        if (!def) co_return refuse(error::flow_version_not_found, {{"id", *id}, {"version", v}});
        docs[side] = def->document;
    }
    json body = diff_flows(docs["from"], docs["to"]);
    body["id"] = *id;
    body["from"] = c.query_param("from");
    body["to"] = c.query_param("to");
    co_return ok(body);
}

net::awaitable<http::response> service::flow_counts(http::request_context& c, const principal&) {
    http::response error;
    auto id = flow_id_of(c, error);
    if (!id) co_return error;
    const std::string asked = c.query_param("version");
    std::optional<int> version = asked.empty() ? std::optional<int>(live_version(*deps_.flows, *id))
                                               : parse_version(asked);
    if (!version) co_return refuse(error::flow_version_invalid);
    auto def = deps_.flows->find(*id, *version);
    if (!def) co_return refuse(error::flow_version_not_found, {{"id", *id}, {"version", *version}});
    const std::string flow_id = *id;
    const int v = *version;
    auto read = [flow_id, v](store::store& s) { return s.list_node_counts(flow_id, v); };
    auto counts = co_await on_db(read);
    std::map<std::string, const store::node_count*> by_node;
    for (const auto& n : counts) by_node[n.node] = &n;
    json nodes = json::array();
    for (const auto& n : def->nodes) {
        auto it = by_node.find(n.id);
        nodes.push_back({{"id", n.id},
                         {"type", flow::to_string(n.kind)},
                         {"reached", it == by_node.end() ? 0 : it->second->reached},
                         {"left", it == by_node.end() ? 0 : it->second->left}});
    }
    co_return ok({{"id", flow_id}, {"version", v}, {"nodes", nodes}});
}

}  // namespace dgw::api
