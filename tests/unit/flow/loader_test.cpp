#include "dgw/flow/loader.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

namespace dgw::flow {
namespace {

TEST(Loader, BrokenJsonIsOneProblemAtTheRoot) {
    auto r = load_text("{\"id\": ");
    EXPECT_FALSE(r.flow);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "");
    EXPECT_NE(r.problems[0].message.find("not valid JSON"), std::string::npos);
}

// Found by fuzzing: `dialogue-gateway flows check` on a file with 1e999 died with
// "terminate called after throwing ... out_of_range.406" (exit 134), and the same file in
// flows/ stopped start-up the same way.
TEST(Loader, NumberOutOfRangeIsAProblemWithItsPath) {
    auto text = testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json");
    auto at = text.find("\"version\"");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, "\"x\": 1e999, ");
    load_result r;
    ASSERT_NO_THROW(r = load_text(text));
    EXPECT_FALSE(r.flow);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].path, "/x");
    EXPECT_NE(r.problems[0].message.find("1e999 is out of range"), std::string::npos)
        << r.problems[0].message;
}

TEST(Loader, ReadsTheFixtureIntoTypedNodes) {
    auto r = load_text(testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json"));
    ASSERT_TRUE(r.flow);
    const definition& d = *r.flow;
    EXPECT_EQ(d.id, "tiny");
    EXPECT_EQ(d.version, 1);
    EXPECT_EQ(d.start, "hello");
    ASSERT_EQ(d.nodes.size(), 9u);
    const node* color = d.find_node("color");
    ASSERT_NE(color, nullptr);
    EXPECT_EQ(color->kind, node_kind::ask);
    EXPECT_EQ(color->max_attempts, 2);
    ASSERT_EQ(color->choices.size(), 2u);
    EXPECT_EQ(color->choices[0].synonyms.at("en"), std::vector<std::string>{"crimson"});
    const node* name = d.find_node("name");
    ASSERT_TRUE(name->reminder);
    EXPECT_EQ(name->reminder->after, std::chrono::minutes(10));
    EXPECT_EQ(name->timeout->next, "bye");
    const answer_decl* phone = d.find_answer("phone");
    ASSERT_NE(phone, nullptr);
    EXPECT_EQ(phone->type, answer_type::phone);
    EXPECT_FALSE(phone->required);
    EXPECT_EQ(d.text("en", "hello"), "Hello.");
    EXPECT_EQ(d.words("en").cancel, std::vector<std::string>{"cancel"});
}

TEST(Loader, TextFallsBackToBaseLanguage) {
    auto d = testing::must_load(nlohmann::json::parse(
        testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json")));
    ASSERT_TRUE(d);
    EXPECT_EQ(d->text("hmn", "hello"), "Xin chào.");
}

TEST(Loader, GarbageOfEveryJsonTypeNeverThrows) {
    for (const char* text : {"null", "1", "\"x\"", "[]", "{}", "{\"nodes\": 5}",
                             "{\"nodes\": [1, null, {\"type\": 3}]}", "{\"strings\": {\"vi\": 1}}",
                             "{\"vocab\": {\"vi\": {\"yes\": 1}}}", "{\"answers\": {\"a\": []}}"}) {
        load_result r;
        EXPECT_NO_THROW(r = load_text(text)) << text;
        EXPECT_FALSE(r.flow) << text;
        EXPECT_FALSE(r.problems.empty()) << text;
    }
}

}  // namespace
}  // namespace dgw::flow
