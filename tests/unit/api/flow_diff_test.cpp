// The flow editor's diff: RFC 6902 operations grouped by node, by text (with the nodes that
// show it) and by top-level member, for any two documents, even drafts of any shape.

#include <dgw/api/flow_diff.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace dgw::api {
namespace {

using nlohmann::json;

json small_flow() {
    return json::parse(R"({
      "id": "f", "version": 1, "start": "hello",
      "strings": {"vi": {"hello": "Xin chào", "ask": "Bạn tên gì?", "red": "Đỏ"}},
      "nodes": [
        {"id": "hello", "type": "say", "text": "hello", "next": "name"},
        {"id": "name", "type": "ask", "text": "ask", "next": "bye",
         "choices": [{"id": "r", "label": "red"}]},
        {"id": "bye", "type": "end"}
      ]})");
}

// The groups by "kind:id".
std::map<std::string, json> by_key(const json& diff) {
    std::map<std::string, json> out;
    for (const auto& g : diff["groups"]) out[g["kind"].get<std::string>() + ":" + g["id"].get<std::string>()] = g;
    return out;
}

TEST(FlowDiff, SameDocumentsHaveNoOperations) {
    auto d = diff_flows(small_flow(), small_flow());
    EXPECT_EQ(d["patch"], json::array());
    EXPECT_EQ(d["groups"], json::array());
}

TEST(FlowDiff, ATextChangeNamesTheNodesShowingItWithTheOldValue) {
    auto to = small_flow();
    to["strings"]["vi"]["red"] = "Màu đỏ";
    to["version"] = 2;
    auto groups = by_key(diff_flows(small_flow(), to));
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups["string:red"]["nodes"], json::array({"name"})) << "a choice label";
    EXPECT_EQ(groups["string:red"]["ops"][0]["op"], "replace");
    EXPECT_EQ(groups["string:red"]["ops"][0]["was"], "Đỏ");
    EXPECT_EQ(groups["string:red"]["ops"][0]["value"], "Màu đỏ");
    EXPECT_EQ(groups["flow:version"]["ops"][0]["was"], 1);
}

TEST(FlowDiff, NodeChangesAreGroupedByNodeIdAddedAndRemovedToo) {
    auto to = small_flow();
    to["nodes"][0]["next"] = "bye";
    to["nodes"].push_back({{"id", "later"}, {"type", "end"}});
    auto groups = by_key(diff_flows(small_flow(), to));
    ASSERT_TRUE(groups.contains("node:hello"));
    EXPECT_EQ(groups["node:hello"]["ops"][0]["path"], "/nodes/0/next");
    EXPECT_EQ(groups["node:hello"]["ops"][0]["was"], "name");
    ASSERT_TRUE(groups.contains("node:later"));
    EXPECT_EQ(groups["node:later"]["ops"][0]["op"], "add");
    EXPECT_FALSE(groups["node:later"]["ops"][0].contains("was"));

    auto removed = by_key(diff_flows(to, small_flow()));
    ASSERT_TRUE(removed.contains("node:later")) << "named from the document it left";
    EXPECT_EQ(removed["node:later"]["ops"][0]["op"], "remove");
    EXPECT_EQ(removed["node:later"]["ops"][0]["was"]["id"], "later");
}

// Nodes are matched by id, not by their place in the list: a node inserted at the top is the
// only node changed, and a change further down is named by its node with its old value.
TEST(FlowDiff, ANodeInsertedAtTheTopChangesNoOtherNode) {
    auto to = small_flow();
    auto& nodes = to["nodes"];
    nodes.insert(nodes.begin(), json{{"id", "intro"}, {"type", "say"}, {"text", "hello"}, {"next", "hello"}});
    to["start"] = "intro";
    to["nodes"][3]["type"] = "say";  // "bye", now fourth
    const auto d = diff_flows(small_flow(), to);
    auto groups = by_key(d);
    EXPECT_EQ(groups.size(), 3u) << d["groups"].dump(1);
    ASSERT_TRUE(groups.contains("node:intro"));
    ASSERT_EQ(groups["node:intro"]["ops"].size(), 1u);
    EXPECT_EQ(groups["node:intro"]["ops"][0]["op"], "add");
    EXPECT_EQ(groups["node:intro"]["ops"][0]["path"], "/nodes/0");
    EXPECT_EQ(groups["node:intro"]["ops"][0]["value"]["id"], "intro");
    EXPECT_FALSE(groups.contains("node:hello")) << "moved down, not changed";
    EXPECT_FALSE(groups.contains("node:name")) << "moved down, not changed";
    ASSERT_TRUE(groups.contains("node:bye"));
    ASSERT_EQ(groups["node:bye"]["ops"].size(), 1u);
    EXPECT_EQ(groups["node:bye"]["ops"][0]["op"], "replace");
    EXPECT_EQ(groups["node:bye"]["ops"][0]["path"], "/nodes/3/type");
    EXPECT_EQ(groups["node:bye"]["ops"][0]["was"], "end");
    EXPECT_EQ(groups["node:bye"]["ops"][0]["value"], "say");
    EXPECT_EQ(groups["flow:start"]["ops"][0]["was"], "hello");
    EXPECT_FALSE(groups["node:bye"]["ops"][0].contains("node_id")) << "no marker leaks out";
    // The patch stays the RFC 6902 one from the first document to the second.
    EXPECT_EQ(small_flow().patch(d["patch"]), to);
}

TEST(FlowDiff, ARemovedOrReorderedNodeIsNamedByIdAlone) {
    auto to = small_flow();
    to["nodes"].erase(to["nodes"].begin());  // "hello" goes
    auto groups = by_key(diff_flows(small_flow(), to));
    ASSERT_EQ(groups.size(), 1u);
    ASSERT_TRUE(groups.contains("node:hello"));
    EXPECT_EQ(groups["node:hello"]["ops"][0]["op"], "remove");
    EXPECT_EQ(groups["node:hello"]["ops"][0]["path"], "/nodes/0");
    EXPECT_EQ(groups["node:hello"]["ops"][0]["was"]["id"], "hello");

    auto reordered = small_flow();
    std::swap(reordered["nodes"][0], reordered["nodes"][2]);
    const auto d = diff_flows(small_flow(), reordered);
    EXPECT_EQ(d["groups"], json::array()) << "the order of the list is no change of a node";
    EXPECT_FALSE(d["patch"].empty());
}

TEST(FlowDiff, NodesWithoutTheirOwnIdsAreComparedByPosition) {
    auto twins = small_flow();
    twins["nodes"][1]["id"] = "hello";  // two nodes "hello": which is which is unknown
    auto to = twins;
    to["nodes"][1]["next"] = "hello";
    auto groups = by_key(diff_flows(twins, to));
    ASSERT_TRUE(groups.contains("node:hello"));
    EXPECT_EQ(groups["node:hello"]["ops"][0]["path"], "/nodes/1/next");
    EXPECT_EQ(groups["node:hello"]["ops"][0]["was"], "bye");
}

TEST(FlowDiff, DocumentsOfAnyShapeGiveAnAnswer) {
    auto odd = json::parse(R"({"nodes": [1, {"id": 5}], "strings": {"vi": {"a/b": 3}}})");
    for (const auto& [a, b] : std::vector<std::pair<json, json>>{
             {small_flow(), json::array({1, 2})},
             {json("text"), small_flow()},
             {small_flow(), odd},
             {odd, small_flow()}}) {
        json d;
        EXPECT_NO_THROW(d = diff_flows(a, b));
        EXPECT_FALSE(d["patch"].empty());
        EXPECT_FALSE(d["groups"].empty());
    }
    auto groups = by_key(diff_flows(json::object(), odd));
    EXPECT_TRUE(groups.contains("flow:nodes"));
    EXPECT_TRUE(groups.contains("flow:strings"));
}

}  // namespace
}  // namespace dgw::api
