#include "dgw/flow/check.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dgw::flow {
namespace {

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

}  // namespace
}  // namespace dgw::flow
