#pragma once
// The shipped config/dialogue.json, parsed once per test binary.

#include <dgw/dialogue/config.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace dgw::dialogue::test {

inline nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::json::parse(in);
}

inline const nlohmann::json& shipped_json() {
    static const nlohmann::json doc = read_json(DGW_SOURCE_DIR "/config/dialogue.json");
    return doc;
}

/// Loads a (possibly modified) document and fails loudly if it has problems.
inline dialogue_config load_ok(const nlohmann::json& doc) {
    std::vector<core::problem> problems;
    auto c = load(doc, problems);
    if (!problems.empty()) throw std::runtime_error(core::to_string(problems.front()));
    return c;
}

inline const dialogue_config& shipped() {
    static const dialogue_config c = load_ok(shipped_json());
    return c;
}

}  // namespace dgw::dialogue::test
