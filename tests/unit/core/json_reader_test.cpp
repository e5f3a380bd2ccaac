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

// Numbers where whole numbers are expected: nlohmann would cast 1.5 to 1, 1e300 to anything
// (undefined behaviour), and -1 to 4294967295 for an unsigned field.
TEST(JsonReader, IntegersMustBeWholeAndInRange) {
    auto doc = nlohmann::json::parse(
        R"({"a": 1.5, "b": 1e300, "c": -1, "d": 4294967296, "e": 7, "f": 18446744073709551615})");
    std::vector<problem> out;
    json_reader r(doc, "", out);
    unsigned a = 0, b = 0, c = 0, d = 0, e = 0;
    int f = 0;
    EXPECT_FALSE(r.required("a", a));
    EXPECT_FALSE(r.required("b", b));
    EXPECT_FALSE(r.required("c", c));
    EXPECT_FALSE(r.required("d", d));
    EXPECT_TRUE(r.required("e", e));
    EXPECT_FALSE(r.required("f", f));
    EXPECT_EQ(e, 7u);
    EXPECT_EQ(a + b + c + d, 0u) << "a refused value is not written";
    EXPECT_EQ(strings(out), (std::vector<std::string>{
                                "/a: must be a whole number", "/b: must be a whole number",
                                "/c: must be a whole number from 0 to 4294967295",
                                "/d: must be a whole number from 0 to 4294967295",
                                "/f: must be a whole number from -2147483648 to 2147483647"}));
}

// Lists of integers too: "months": [3, 1.23e61] was cast element by element (undefined
// behaviour, found by the long fuzz run of the dialogue file: tests/fuzz/run_long.sh).
TEST(JsonReader, IntegerListsMustHoldWholeNumbersInRange) {
    auto doc = nlohmann::json::parse(
        R"({"a": [3, 1.23e61], "b": [12, -1], "c": [3, 6, 9, 12], "d": "3", "e": [1.5]})");
    std::vector<problem> out;
    json_reader r(doc, "", out);
    std::vector<unsigned> a, b, c, d, e;
    EXPECT_FALSE(r.required("a", a));
    EXPECT_FALSE(r.required("b", b));
    EXPECT_TRUE(r.required("c", c));
    EXPECT_FALSE(r.required("d", d));
    EXPECT_FALSE(r.required("e", e));
    EXPECT_EQ(c, (std::vector<unsigned>{3, 6, 9, 12}));
    EXPECT_TRUE(a.empty() && b.empty() && d.empty() && e.empty()) << "a refused list is not written";
    EXPECT_EQ(strings(out), (std::vector<std::string>{
                                "/a/1: must be a whole number",
                                "/b/1: must be a whole number from 0 to 4294967295",
                                "/d: has the wrong type (string)", "/e/0: must be a whole number"}));
}

// What nlohmann throws out_of_range for rather than a parse error: 1e999 is valid JSON that
// no double holds. Found by fuzzing the flow loader: it made `flows check` abort.
TEST(ParseJson, NumberOutOfRangeIsAProblemAtItsPathNeverAThrow) {
    problem p;
    std::optional<nlohmann::json> doc;
    EXPECT_NO_THROW(doc = parse_json("{\"nodes\": [{}, {\"min\":\n  1e999}]}", &p));
    EXPECT_FALSE(doc);
    EXPECT_EQ(p.path, "/nodes/1/min");
    EXPECT_EQ(p.message, "the number 1e999 is out of range (line 2, column 3)");
    EXPECT_FALSE(parse_json("-1e400", &p));
    EXPECT_EQ(p.path, "");
    EXPECT_FALSE(parse_json("[1, 2, " + std::string(100, '9') + "e999]", &p));
    EXPECT_EQ(p.path, "/2");
    EXPECT_LT(p.message.size(), 100u) << "a megabyte of digits is not copied into the message";
}

TEST(ParseJson, SyntaxErrorsAreTheDocumentsWithLineAndColumn) {
    problem p;
    EXPECT_FALSE(parse_json("{\"a\": [1,\n ]}", &p));
    EXPECT_EQ(p.path, "");
    EXPECT_NE(p.message.find("line 2, column 2"), std::string::npos) << p.message;
    EXPECT_EQ(p.message.find("[json.exception"), std::string::npos) << p.message;
    EXPECT_FALSE(parse_json("", &p));
    EXPECT_FALSE(parse_json("\xff", nullptr));
    auto ok = parse_json(R"({"a": [1, 2.5, "x"]})", &p);
    ASSERT_TRUE(ok);
    EXPECT_EQ((*ok)["a"][1], 2.5);
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
