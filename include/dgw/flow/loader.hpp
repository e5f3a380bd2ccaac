#pragma once
/// Reading and validating flow files. An invalid flow is never loaded: load() returns either a
/// definition or every problem found, each with its JSON Pointer path
/// (`/nodes/7/next: unknown node "confirm"`), so `flows check` and the admin API can show them
/// all at once.

#include "dgw/core/json_reader.hpp"
#include "dgw/flow/definition.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string_view>
#include <vector>

namespace dgw::flow {

/// A definition, or the problems that kept it from loading (never both).
struct load_result {
    std::shared_ptr<const definition> flow;
    std::vector<core::problem> problems;
};

/// Reads and validates a parsed document. Never throws on any JSON value.
load_result load(const nlohmann::json& doc);

/// Parses and validates flow text; broken JSON is one problem at path "" with the parser's
/// message. Never throws.
load_result load_text(std::string_view text);

/// All problems of a parsed document (empty when it is a valid flow).
std::vector<core::problem> validate(const nlohmann::json& doc);

}  // namespace dgw::flow
