#include "app/flow_files.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dgw::app {
namespace {

namespace testing = flow::testing;

namespace fs = std::filesystem;

class CheckFlows : public ::testing::Test {
   protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("dgw_flow_check_" +
                std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    void write(const std::string& name, const std::string& text) {
        std::ofstream(dir_ / name) << text;
    }
    fs::path dir_;
};

TEST_F(CheckFlows, ShippedFlowsAreOk) {
    std::ostringstream out;
    EXPECT_EQ(check_flows({fs::path(DGW_SOURCE_DIR) / "flows"}, out), 0);
    EXPECT_EQ(out.str(), "ok\n");
}

TEST_F(CheckFlows, EveryErrorWithFileAndPath) {
    auto doc = nlohmann::json::parse(
        testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json"));
    doc["nodes"][3]["next"] = "confirm";
    doc["strings"]["en"].erase("bye");
    write("bad.json", doc.dump());
    write("broken.json", "{");
    std::ostringstream out;
    EXPECT_EQ(check_flows({dir_}, out), 1);
    std::string s = out.str();
    EXPECT_NE(s.find((dir_ / "bad.json").string() + ": /nodes/3/next: unknown node \"confirm\""),
              std::string::npos)
        << s;
    EXPECT_NE(s.find((dir_ / "bad.json").string() + ": /strings/en/bye: missing translation"),
              std::string::npos)
        << s;
    EXPECT_NE(s.find((dir_ / "broken.json").string() + ": /: not valid JSON"), std::string::npos)
        << s;
    EXPECT_EQ(s.find("ok\n"), std::string::npos);
}

TEST_F(CheckFlows, SameIdAndVersionTwiceIsAnError) {
    std::string tiny = testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json");
    write("a.json", tiny);
    write("b.json", tiny);
    std::ostringstream out;
    EXPECT_EQ(check_flows({dir_}, out), 1);
    EXPECT_NE(out.str().find("version 1 is also defined in"), std::string::npos) << out.str();
}

TEST_F(CheckFlows, NothingToCheckFails) {
    std::ostringstream out;
    EXPECT_EQ(check_flows({dir_}, out), 1);
    EXPECT_EQ(out.str(), "no flow files found\n");
}

TEST_F(CheckFlows, LoadFlowsTakesEveryFlowOfADirectory) {
    write("tiny.json", testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json"));
    write("schema.json", "not a flow");
    write("notes.txt", "not a flow either");
    auto flows = load_flows(dir_.string());
    ASSERT_TRUE(flows->latest("tiny"));
    EXPECT_EQ(flows->latest("tiny")->version, 1);
}

TEST_F(CheckFlows, LoadFlowsNamesEveryProblemAndFile) {
    write("broken.json", "{");
    try {
        load_flows(dir_.string());
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(
            std::string(e.what()).find("invalid flows:\n  " + (dir_ / "broken.json").string() +
                                       ": /: not valid JSON"),
            std::string::npos)
            << e.what();
    }
    EXPECT_THROW(load_flows((dir_ / "missing").string()), std::runtime_error);
}

TEST(FlowFiles, MissingFileNamesIt) {
    auto r = load_flow_file("/nonexistent/flow.json");
    EXPECT_FALSE(r.flow);
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_NE(r.problems[0].message.find("/nonexistent/flow.json"), std::string::npos);
    EXPECT_THROW(read_file("/nonexistent/dialogue.json"), std::runtime_error);
}

TEST(FlowFiles, ReadsTheFixture) {
    auto r = load_flow_file(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json");
    ASSERT_TRUE(r.flow) << (r.problems.empty() ? "" : core::to_string(r.problems[0]));
    EXPECT_EQ(r.flow->id, "tiny");
}

}  // namespace
}  // namespace dgw::app
