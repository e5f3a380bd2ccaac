#pragma once
// Reading config/gateway.json from disk with the process environment: the only place that
// does (DESIGN.md: nothing below app reads files or the environment).

#include <dgw/config/gateway_config.hpp>

#include <string>

namespace dgw::app {

/// Reads and validates the file; an unreadable file or unreadable TLS files are problems too.
config::parse_result load_config_file(const std::string& path);

/// Looks a variable up in the process environment.
std::optional<std::string> environment_variable(const std::string& name);

}  // namespace dgw::app
