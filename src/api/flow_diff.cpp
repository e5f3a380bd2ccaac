// Grouping a flow diff for the editor (see the header).

#include "dgw/api/flow_diff.hpp"

#include <charconv>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dgw::api {
namespace {

using nlohmann::json;

// JSON Pointer tokens ("/nodes/3/text" -> nodes, 3, text), unescaped.
std::vector<std::string> pointer_tokens(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 1;
    while (i <= path.size()) {
        auto end = path.find('/', i);
        if (end == std::string::npos) end = path.size();
        std::string t = path.substr(i, end - i);
        for (std::size_t k = 0; (k = t.find('~', k)) != std::string::npos; ++k)
            t.replace(k, 2, k + 1 < t.size() && t[k + 1] == '1' ? "/" : "~");
        out.push_back(std::move(t));
        i = end + 1;
    }
    return out;
}

// A member of an object, or null: a draft being diffed may have any shape, and json::value()
// throws on a non-object or a member of another type.
const json& member(const json& j, const char* key) {
    static const json none;
    if (!j.is_object()) return none;
    auto it = j.find(key);
    return it == j.end() ? none : *it;
}

std::string text_member(const json& j, const char* key) {
    const json& v = member(j, key);
    return v.is_string() ? v.get<std::string>() : "";
}

std::string node_id_at(const json& doc, const std::string& index) {
    const json& nodes = member(doc, "nodes");
    std::size_t i = 0;
    auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), i);
    if (ec != std::errc() || !nodes.is_array() || i >= nodes.size()) return "";
    return text_member(nodes[i], "id");
}

// The nodes of `doc` that show string `key` (text, hint, reminder, choice labels).
std::vector<std::string> nodes_using(const json& doc, const std::string& key) {
    std::vector<std::string> out;
    const json& nodes = member(doc, "nodes");
    if (!nodes.is_array()) return out;
    for (const auto& n : nodes) {
        bool uses = text_member(n, "text") == key || text_member(n, "hint") == key ||
                    text_member(member(n, "reminder"), "text") == key;
        const json& choices = member(n, "choices");
        if (choices.is_array())
            for (const auto& c : choices) uses = uses || text_member(c, "label") == key;
        if (uses) out.push_back(text_member(n, "id"));
    }
    return out;
}

// An RFC 6902 patch grouped for the editor: by node (an operation under /nodes/N is the node
// with that index: in `to`, or in `from` when it was removed), by string key (with the nodes
// that show it), or by the top-level member for the rest.
json group_patch(const json& patch, const json& from, const json& to) {
    std::map<std::pair<std::string, std::string>, json> groups;
    for (const auto& op : patch) {
        auto tokens = pointer_tokens(text_member(op, "path"));
        std::string kind = "flow", id = tokens.empty() ? "" : tokens[0];
        if (tokens.size() >= 2 && tokens[0] == "nodes") {
            kind = "node";
            id = tokens[1] == "-" ? text_member(member(op, "value"), "id")
                                  : node_id_at(text_member(op, "op") == "remove" ? from : to, tokens[1]);
            if (id.empty()) id = node_id_at(from, tokens[1]);
        } else if (tokens.size() >= 3 && tokens[0] == "strings") {
            kind = "string";
            id = tokens[2];
        }
        auto& g = groups[{kind, id}];
        if (g.is_null()) {
            g = {{"kind", kind}, {"id", id}, {"ops", json::array()}};
            if (kind == "string") {
                auto used = nodes_using(to, id);
                if (used.empty()) used = nodes_using(from, id);
                g["nodes"] = used;
            }
        }
        // What a replaced or removed value was, so the editor can show "before -> after".
        json shown = op;
        const json::json_pointer at(text_member(op, "path"));
        if (text_member(op, "op") != "add" && from.contains(at)) shown["was"] = from.at(at);
        g["ops"].push_back(std::move(shown));
    }
    json out = json::array();
    for (auto& [key, g] : groups) out.push_back(std::move(g));
    return out;
}

}  // namespace

json diff_flows(const json& from, const json& to) {
    json patch = json::diff(from, to);
    json groups = group_patch(patch, from, to);
    return {{"patch", std::move(patch)}, {"groups", std::move(groups)}};
}

}  // namespace dgw::api
