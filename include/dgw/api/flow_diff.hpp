#pragma once
/// The flow editor's diff between two flow documents: the RFC 6902 JSON Patch that
/// nlohmann::json::diff gives, and the same operations grouped the way an admin reads a flow.
/// Pure: any two JSON values (a draft may have any shape) give an answer, never an exception.

#include <nlohmann/json.hpp>

namespace dgw::api {

/// {"patch": [...], "groups": [...]}. A group is {"kind", "id", "ops"}: kind "node" for an
/// operation under /nodes/N (id: the id of node N in `to`, or in `from` when it was removed),
/// "string" for one under /strings/LANG/KEY (id: KEY, plus "nodes": the nodes showing it),
/// "flow" for the rest (id: the top-level member). Groups are sorted by kind then id; a
/// replaced or removed value is added to its operation as "was". Arrays are compared by
/// position, so a node inserted in the middle changes the nodes after it.
nlohmann::json diff_flows(const nlohmann::json& from, const nlohmann::json& to);

}  // namespace dgw::api
