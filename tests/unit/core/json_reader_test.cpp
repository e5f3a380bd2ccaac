#include "dgw/core/json_reader.hpp"

#include <gtest/gtest.h>

#include <map>

namespace dgw::core {
namespace {

std::vector<std::string> strings(const std::vector<problem>& ps) {
    std::vector<std::string> out;
    for (const auto& p : ps) out.push_back(to_string(p));
    return out;
}

TEST(JsonReader, ReportsMissingWrongTypeAndUnknownKeysWithPaths) {
    auto doc = nlohmann::json::parse(R"({"server": {"threads": "two", "extra": 1}, "typo": 2})");
    std::vector<problem> out;
    json_reader root(doc, "", out);
    auto server = root.child("server");
    int threads = 0;
    std::string listen;
    EXPECT_FALSE(server.required("threads", threads));
    EXPECT_FALSE(server.required("listen", listen));
    server.finish();
    root.finish();
    EXPECT_EQ(strings(out),
              (std::vector<std::string>{"/server/threads: has the wrong type (string)",
                                        "/server/listen: is required", "/server/extra: unknown key",
                                        "/typo: unknown key"}));
}

TEST(JsonReader, OptionalKeepsDefaultAndAbsentChildReadsEmpty) {
    auto doc = nlohmann::json::parse(R"({})");
    std::vector<problem> out;
    json_reader root(doc, "", out);
    int threads = 4;
    EXPECT_TRUE(root.optional("threads", threads));
    EXPECT_EQ(threads, 4);
    auto tls = root.child("tls");
    EXPECT_TRUE(tls.ok());
    tls.finish();
    root.finish();
    EXPECT_TRUE(out.empty());
}

TEST(JsonReader, NotAnObject) {
    auto doc = nlohmann::json::parse(R"([1])");
    std::vector<problem> out;
    json_reader root(doc, "/log", out);
    EXPECT_FALSE(root.ok());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(to_string(out[0]), "/log: must be an object, not array");
}

TEST(ExpandEnv, SubstitutesAndNamesUnsetVariables) {
    std::map<std::string, std::string> env{{"TOKEN", "s3cret"}};
    auto lookup = [&](const std::string& n) -> std::optional<std::string> {
        auto it = env.find(n);
        if (it == env.end()) return std::nullopt;
        return it->second;
    };
    auto doc = nlohmann::json::parse(
        R"({"a": "x-${TOKEN}-y", "list": ["${MISSING}"], "lit": "$${TOKEN}", "n": 3})");
    std::vector<problem> out;
    expand_env(doc, lookup, out);
    EXPECT_EQ(doc["a"], "x-s3cret-y");
    EXPECT_EQ(doc["lit"], "${TOKEN}");
    EXPECT_EQ(doc["n"], 3);
    EXPECT_EQ(strings(out),
              (std::vector<std::string>{"/list/0: environment variable MISSING is not set"}));
}

}  // namespace
}  // namespace dgw::core
