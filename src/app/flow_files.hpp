#pragma once
// Reading flows from disk. The flow module validates and runs flows from text and does no I/O
// (DESIGN.md); the files are read here, in the composition root, for the gateway's start and
// the `flows check` and `chat` commands.

#include <dgw/flow/engine.hpp>
#include <dgw/flow/loader.hpp>

#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace dgw::app {

/// A whole file's bytes, or nothing when it cannot be read.
std::optional<std::string> read_text(const std::filesystem::path& file);

/// A whole file's bytes; throws std::runtime_error("cannot read <path>") when it cannot be read.
std::string read_file(const std::string& path);

/// Reads a flow file and validates it (flow::load_text); an unreadable file is one problem
/// naming it.
flow::load_result load_flow_file(const std::filesystem::path& file);

/// `flows check`: validates each file, and each `*.json` in each directory (not recursive;
/// `schema.json` is skipped). Prints one line per problem, "FILE: /json/path: message",
/// including two files that declare the same flow id and version; prints "ok" when there are
/// none. Returns the exit code: 0 when every flow is valid, 1 otherwise (also when no flow file
/// was found).
int check_flows(const std::vector<std::filesystem::path>& paths, std::ostream& out);

/// Every *.json flow in the directory (schema.json aside), for the gateway's start. Throws
/// std::runtime_error naming every problem of every file when one is invalid or unreadable,
/// or when two declare the same id and version.
std::shared_ptr<flow::registry> load_flows(const std::string& dir);

}  // namespace dgw::app
