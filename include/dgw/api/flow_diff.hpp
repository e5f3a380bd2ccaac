#pragma once
/// The flow editor's diff between two flow documents: the RFC 6902 JSON Patch that
/// nlohmann::json::diff gives, and the same operations grouped the way an admin reads a flow.
/// Pure: any two JSON values (a draft may have any shape) give an answer, never an exception.

#include <nlohmann/json.hpp>

namespace dgw::api {

/// {"patch": [...], "groups": [...]}. `patch` is the RFC 6902 patch from `from` to `to`
/// (positional, as json::diff makes it). A group is {"kind", "id", "ops"}: kind "node" for a
/// node's operations (id: the node's id), "string" for one under /strings/LANG/KEY (id: KEY,
/// plus "nodes": the nodes showing it), "flow" for the rest (id: the top-level member).
/// Groups are sorted by kind then id; a replaced or removed value is added to its operation
/// as "was". Nodes are matched by id: a node's operations are its own changes, with paths
/// under its index in `to` (in `from` when it was removed), so a node inserted or moved
/// changes no other node. When the nodes are not all objects with their own id (a draft being
/// written), they are compared by position.
nlohmann::json diff_flows(const nlohmann::json& from, const nlohmann::json& to);

}  // namespace dgw::api
