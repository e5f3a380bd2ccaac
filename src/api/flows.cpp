// The loaded flows (read-only), validation of a flow document, and the simulator: the same
// engine and simulator as `dialogue-gateway chat --json`, driven by a list of messages.

#include "api/service.hpp"

#include <dgw/flow/loader.hpp>
#include <dgw/flow/simulator.hpp>

#include <algorithm>
#include <map>
#include <sstream>

namespace dgw::api {
namespace {

using nlohmann::json;

constexpr std::size_t max_simulated_messages = 200;
constexpr std::size_t max_message_bytes = 4000;

json problems_json(const std::vector<core::problem>& problems) {
    json out = json::array();
    for (const auto& p : problems) out.push_back({{"path", p.path}, {"message", p.message}});
    return out;
}

}  // namespace

net::awaitable<http::response> service::list_flows(http::request_context&, const principal&) {
    std::map<std::string, json> by_id;
    for (const auto& def : deps_.flows->all()) {
        auto& f = by_id[def->id];
        if (f.is_null()) f = {{"id", def->id}, {"versions", json::array()}};
        f["versions"].push_back(def->version);
        // all() lists versions in ascending order: the last one seen is the latest.
        f["latest"] = def->version;
        f["languages"] = def->languages;
        f["nodes"] = def->nodes.size();
    }
    json items = json::array();
    for (auto& [id, f] : by_id) items.push_back(std::move(f));
    co_return ok({{"items", items}});
}

net::awaitable<http::response> service::validate_flow(http::request_context&, const principal&,
                                                      const json& body) {
    auto problems = flow::validate(body);
    co_return ok({{"valid", problems.empty()}, {"problems", problems_json(problems)}});
}

net::awaitable<http::response> service::simulate(http::request_context&, const principal&,
                                                 const json& body) {
    // The flow: a loaded one by id, or a document (a draft being edited).
    std::shared_ptr<const flow::definition> def;
    if (auto id = string_member(body, "flow_id")) {
        def = deps_.flows->latest(*id);
        if (!def) co_return not_found("flow " + *id);
    } else if (body.contains("flow")) {
        auto loaded = flow::load(body["flow"]);
        if (!loaded.flow)
            co_return http::json_response(
                http::status::bad_request,
                {{"error", {{"code", "invalid_flow"}, {"message", "the flow does not validate"}}},
                 {"problems", problems_json(loaded.problems)}});
        def = loaded.flow;
    } else {
        co_return bad_request("give flow_id (a loaded flow) or flow (a flow document)");
    }
    auto messages = body.value("messages", json::array());
    if (!messages.is_array() || messages.size() > max_simulated_messages)
        co_return bad_request("messages must be an array of at most 200 strings");
    std::string input;
    for (const auto& m : messages) {
        if (!m.is_string() || m.get_ref<const std::string&>().size() > max_message_bytes)
            co_return bad_request("every message must be a string of at most 4000 bytes");
        // One citizen message per line, as `chat` reads them.
        std::string line = m.get<std::string>();
        std::replace(line.begin(), line.end(), '\n', ' ');
        input += line + "\n";
    }
    flow::simulator_options options;
    options.json = true;
    options.lang = body.value("lang", "vi");
    options.localities = deps_.localities.get();
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
