#include "dgw/flow/loader.hpp"

#include "dgw/flow/definition.hpp"
#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace dgw::flow {
namespace {

TEST(ShippedFlows, EveryFileInFlowsLoads) {
    int count = 0;
    for (const auto& f :
         std::filesystem::directory_iterator(std::string(DGW_SOURCE_DIR) + "/flows")) {
        if (f.path().extension() != ".json" || f.path().filename() == "schema.json") continue;
        auto r = load_file(f.path());
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

TEST(ShippedFlows, ConsentStatesPurposeAudienceAndRetention) {
    auto def = testing::shipped("raise_concern");
    ASSERT_TRUE(def);
    const std::string& vi = def->text("vi", "consent");
    EXPECT_NE(vi.find("chỉ dùng để"), std::string::npos);           // purpose
    EXPECT_NE(vi.find("Chỉ cán bộ phụ trách"), std::string::npos);  // who sees it
    EXPECT_NE(vi.find("24 tháng"), std::string::npos);              // how long
    const std::string& en = def->text("en", "consent");
    EXPECT_NE(en.find("24 months"), std::string::npos);
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
