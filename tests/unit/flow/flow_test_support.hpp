#pragma once
// Helpers shared by the flow tests: loading fixtures and shipped flows, and a small locality
// lookup over a handful of Lào Cai communes (a test double of core::locality_lookup).

#include "dgw/core/locality.hpp"
#include "dgw/core/reading.hpp"
#include "dgw/core/text.hpp"
#include "dgw/flow/loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace dgw::flow::testing {

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream buf;
    buf << in.rdbuf();
    return buf.str();
}

inline nlohmann::json shipped_json(const std::string& name) {
    return nlohmann::json::parse(
        read_text(std::string(DGW_SOURCE_DIR) + "/flows/" + name + ".json"));
}

inline std::shared_ptr<const definition> must_load(const nlohmann::json& doc) {
    auto r = load(doc);
    std::string all;
    for (const auto& p : r.problems) all += core::to_string(p) + "\n";
    EXPECT_TRUE(r.flow) << all;
    return r.flow;
}

inline std::shared_ptr<const definition> shipped(const std::string& name) {
    return must_load(shipped_json(name));
}

/// Four communes; "Phong" is deliberately ambiguous (two communes share the word).
class fake_localities : public core::locality_lookup {
public:
    result resolve(std::string_view text) const override {
        result r;
        std::string key = core::fold(text);
        for (const auto& c : communes_) {
            std::string name = core::fold(c.name);
            if (name.find(key) != std::string::npos && !key.empty()) r.candidates.push_back(c);
        }
        r.unique = r.candidates.size() == 1;
        return r;
    }
    std::vector<core::locality_candidate> by_code(std::string_view code) const override {
        std::vector<core::locality_candidate> out;
        for (const auto& c : communes_)
            if (c.code == code) out.push_back(c);
        return out;
    }

private:
    std::vector<core::locality_candidate> communes_{
        {"02683", "Xã Bát Xát", 1.0, "", "", ""},
        {"02656", "Phường Cốc Lếu", 1.0, "", "", ""},
        {"02905", "Xã Phong Hải", 1.0, "", "", ""},
        {"02908", "Xã Phong Niên", 1.0, "", "", ""},
    };
};

/// Readings by exact text: what the dialogue module's reader would say of a few messages (the
/// flow engine is tested as a pure function; the real reader has its own tests).
class fake_reader : public core::message_reader {
public:
    core::message_reading read(std::string_view text) const override {
        for (const auto& [t, r] : readings_)
            if (t == text) return r;
        return {};
    }
    void add(std::string text, core::message_reading r) {
        readings_.emplace_back(std::move(text), std::move(r));
    }

private:
    std::vector<std::pair<std::string, core::message_reading>> readings_;
};

/// A session for every topic and commune, in words.
class fake_sessions : public core::session_preview {
public:
    std::optional<core::session_preview_text> preview(std::string_view topic,
                                                      std::string_view code,
                                                      std::string_view lang) const override {
        if (code == "99999") return std::nullopt;  // no session hears it
        return core::session_preview_text{
            std::string(lang == "vi" ? "ngày 18/3/2027" : "on 18 March 2027"),
            "Hội trường " + std::string(code) + " (" + std::string(topic) + ")"};
    }
};

}  // namespace dgw::flow::testing
