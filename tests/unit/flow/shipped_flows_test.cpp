#include "dgw/flow/loader.hpp"

#include "dgw/flow/definition.hpp"
#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace dgw::flow {
namespace {

TEST(ShippedFlows, EveryFileInFlowsLoads) {
    int count = 0;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DGW_SOURCE_DIR) + "/flows")) {
        if (f.path().extension() != ".json" || f.path().filename() == "schema.json") continue;
        auto r = load_text(testing::read_text(f.path().string()));
        std::string all;
        for (const auto& p : r.problems) all += core::to_string(p) + "\n";
        EXPECT_TRUE(r.problems.empty()) << f.path() << "\n" << all;
        ++count;
    }
    EXPECT_GE(count, 3);
}

TEST(ShippedFlows, RaiseConcernOffersTheDialoguePlanTopics) {
    auto def = testing::shipped("raise_concern");
    ASSERT_TRUE(def);
    const node* topic = def->ask_for("topic");
    ASSERT_NE(topic, nullptr);
    std::set<std::string> ids;
    for (const auto& c : topic->choices) ids.insert(c.id);
    EXPECT_EQ(ids,
              (std::set<std::string>{"roads", "land", "agriculture", "jobs", "security",
                                     "party_building", "party_congress", "education", "health",
                                     "environment", "social_policy", "admin_procedures", "other"}));
}

TEST(ShippedFlows, VietnameseFirstEnglishSecond) {
    for (const char* name : {"raise_concern", "check_status", "menu"}) {
        auto def = testing::shipped(name);
        ASSERT_TRUE(def) << name;
        EXPECT_EQ(def->languages, (std::vector<std::string>{"vi", "en"})) << name;
    }
}

// The notice shown with the send buttons (the tap is the consent): purpose, who sees it, how
// long it is kept, anonymity and erasure, in two lines a phone shows without scrolling.
TEST(ShippedFlows, PrivacyNoticeStatesPurposeAudienceAndRetentionInTwoLines) {
    auto def = testing::shipped("raise_concern");
    ASSERT_TRUE(def);
    const std::string& vi = def->text("vi", "privacy_notice");
    EXPECT_NE(vi.find("chỉ dùng để"), std::string::npos);           // purpose
    EXPECT_NE(vi.find("chỉ cán bộ phụ trách"), std::string::npos);  // who sees it
    EXPECT_NE(vi.find("24 tháng"), std::string::npos);              // how long
    EXPECT_NE(vi.find("ẩn danh"), std::string::npos);
    EXPECT_NE(vi.find("xoá"), std::string::npos);
    EXPECT_EQ(std::count(vi.begin(), vi.end(), '\n'), 1);
    const std::string& en = def->text("en", "privacy_notice");
    EXPECT_NE(en.find("24 months"), std::string::npos);
    EXPECT_EQ(std::count(en.begin(), en.end(), '\n'), 1);
    // Every button that sends records the consent.
    const node* review = def->find_node("review");
    ASSERT_NE(review, nullptr);
    for (const auto& a : review->actions) EXPECT_TRUE(a.edit || a.consent) << a.id;
}

// The entry flow reads a first message for what it is; the others understand what it says.
TEST(ShippedFlows, TheMenuReadsIntentsAndTheFlowsUnderstandWords) {
    auto menu = testing::shipped("menu");
    const node* ask = menu->find_node("menu");
    ASSERT_NE(ask, nullptr);
    EXPECT_EQ(ask->intents.at("concern"), "raise");
    EXPECT_EQ(ask->intents.at("status"), "check");
    auto raise = testing::shipped("raise_concern");
    ASSERT_TRUE(raise->understand);
    EXPECT_EQ(raise->understand->topic, "topic");
    EXPECT_EQ(raise->understand->locality, "locality");
    EXPECT_EQ(raise->understand->description, "description");
    auto check = testing::shipped("check_status");
    ASSERT_TRUE(check->understand);
    EXPECT_EQ(check->understand->reference, "ref");
}

}  // namespace
}  // namespace dgw::flow

namespace dgw::flow {
namespace {

// flows/schema.json documents the format for editors; it must name the same types the loader
// accepts, or admins are told a type exists that the gateway rejects (or the reverse).
TEST(Schema, NamesTheTypesTheLoaderAccepts) {
    auto schema = nlohmann::json::parse(
        testing::read_text(std::string(DGW_SOURCE_DIR) + "/flows/schema.json"));
    std::set<std::string> answer_types;
    for (const auto& t : schema.at("$defs").at("answer_type").at("enum")) {
        answer_types.insert(t.get<std::string>());
        EXPECT_TRUE(parse_answer_type(t.get<std::string>())) << t;
    }
    EXPECT_EQ(answer_types.size(), 9u);
    std::set<std::string> node_types;
    for (const auto& t : schema.at("$defs").at("node").at("properties").at("type").at("enum"))
        node_types.insert(t.get<std::string>());
    std::set<std::string> loader_types;
    for (auto k : {node_kind::say, node_kind::ask, node_kind::branch, node_kind::set,
                   node_kind::review, node_kind::submit, node_kind::handoff, node_kind::end})
        loader_types.insert(std::string(to_string(k)));
    EXPECT_EQ(node_types, loader_types);
}

}  // namespace
}  // namespace dgw::flow
