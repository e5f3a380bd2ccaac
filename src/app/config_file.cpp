#include "app/config_file.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dgw::app {

std::optional<std::string> environment_variable(const std::string& name) {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
}

namespace {
bool readable(const std::string& path) { return std::ifstream(path).good(); }
}  // namespace

config::parse_result load_config_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        config::parse_result r;
        r.problems.push_back({"", "cannot read the file"});
        return r;
    }
    std::stringstream text;
    text << in.rdbuf();
    auto r = config::parse_gateway_config(text.str(), environment_variable);
    if (const auto& tls = r.config.server.tls) {
        if (!readable(tls->cert_file))
            r.problems.push_back({"/server/tls/cert_file", "cannot read " + tls->cert_file});
        if (!readable(tls->key_file))
            r.problems.push_back({"/server/tls/key_file", "cannot read " + tls->key_file});
    }
    return r;
}

}  // namespace dgw::app
