#pragma once
/// `flows check`: validates flow files and directories and prints every problem.

#include <filesystem>
#include <iosfwd>
#include <vector>

namespace dgw::flow {

/// Validates each file, and each `*.json` in each directory (not recursive; `schema.json` is
/// skipped). Prints one line per problem, "FILE: /json/path: message", including two files that
/// declare the same flow id and version; prints "ok" when there are none. Returns the exit
/// code: 0 when every flow is valid, 1 otherwise (also when no flow file was found).
int check_flows(const std::vector<std::filesystem::path>& paths, std::ostream& out);

}  // namespace dgw::flow
