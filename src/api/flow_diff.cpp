// Grouping a flow diff for the editor (see the header).

#include "dgw/api/flow_diff.hpp"

#include <charconv>
#include <map>
#include <optional>
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

// Marks an operation already placed on a node by id (node_ops), with its "was" set.
constexpr const char* node_mark = "node_id";

// An RFC 6902 patch grouped for the editor: by node (an operation node_ops placed, or one under
// /nodes/N: the node with that index in `to`, or in `from` when it was removed), by string key
// (with the nodes that show it), or by the top-level member for the rest.
json group_patch(const json& patch, const json& from, const json& to) {
    std::map<std::pair<std::string, std::string>, json> groups;
    for (const auto& op : patch) {
        auto tokens = pointer_tokens(text_member(op, "path"));
        std::string kind = "flow", id = tokens.empty() ? "" : tokens[0];
        const bool placed = op.contains(node_mark);
        if (placed) {
            kind = "node";
            id = text_member(op, node_mark);
        } else if (tokens.size() >= 2 && tokens[0] == "nodes") {
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
        if (placed) {
            shown.erase(node_mark);
        } else {
            const json::json_pointer at(text_member(op, "path"));
            if (text_member(op, "op") != "add" && from.contains(at)) shown["was"] = from.at(at);
        }
        g["ops"].push_back(std::move(shown));
    }
    json out = json::array();
    for (auto& [key, g] : groups) out.push_back(std::move(g));
    return out;
}

// Each node's index by id, when every node is an object with its own non-empty string id;
// nothing otherwise (a draft being written may have any shape).
std::optional<std::map<std::string, std::size_t>> node_index(const json& doc) {
    const json& nodes = member(doc, "nodes");
    if (!nodes.is_array()) return std::nullopt;
    std::map<std::string, std::size_t> out;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const std::string id = text_member(nodes[i], "id");
        if (id.empty() || !out.emplace(id, i).second) return std::nullopt;
    }
    return out;
}

// The operations from `from` to `to` with the nodes matched by id: those of a node kept are
// its own diff under its index in `to` (what each replaced or removed value was, from the old
// node); a new node is added, a gone one removed with what it was. Where a node sits in the
// list is not a change of it: a node inserted at the top changes no other node.
json node_ops(const json& from, const json& to, const std::map<std::string, std::size_t>& old_at,
              const std::map<std::string, std::size_t>& new_at) {
    json rest_from = from, rest_to = to;
    rest_from.erase("nodes");
    rest_to.erase("nodes");
    json ops = json::diff(rest_from, rest_to);
    const json& old_nodes = from.at("nodes");
    const json& new_nodes = to.at("nodes");
    for (std::size_t i = 0; i < new_nodes.size(); ++i) {
        const std::string id = text_member(new_nodes[i], "id");
        const std::string at = "/nodes/" + std::to_string(i);
        auto was = old_at.find(id);
        if (was == old_at.end()) {
            ops.push_back({{"op", "add"}, {"path", at}, {"value", new_nodes[i]}, {node_mark, id}});
            continue;
        }
        const json& old_node = old_nodes[was->second];
        for (auto op : json::diff(old_node, new_nodes[i])) {
            const std::string inner = text_member(op, "path");
            if (text_member(op, "op") != "add" && old_node.contains(json::json_pointer(inner)))
                op["was"] = old_node.at(json::json_pointer(inner));
            op["path"] = at + inner;
            op[node_mark] = id;
            ops.push_back(std::move(op));
        }
    }
    for (const auto& [id, i] : old_at)
        if (!new_at.contains(id))
            ops.push_back({{"op", "remove"},
                           {"path", "/nodes/" + std::to_string(i)},
                           {"was", old_nodes[i]},
                           {node_mark, id}});
    return ops;
}

}  // namespace

json diff_flows(const json& from, const json& to) {
    json patch = json::diff(from, to);
    const auto old_at = node_index(from);
    const auto new_at = node_index(to);
    json groups = old_at && new_at ? group_patch(node_ops(from, to, *old_at, *new_at), from, to)
                                   : group_patch(patch, from, to);
    return {{"patch", std::move(patch)}, {"groups", std::move(groups)}};
}

}  // namespace dgw::api
