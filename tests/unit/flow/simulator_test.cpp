#include "dgw/flow/simulator.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

namespace dgw::flow {
namespace {

using nlohmann::json;

std::vector<json> run_json(const std::string& flow, const std::string& input,
                           simulator_options opt = {}) {
    opt.json = true;
    std::istringstream in(input);
    std::ostringstream out;
    EXPECT_EQ(run_simulator(testing::shipped(flow), in, out, opt), 0);
    std::vector<json> lines;
    std::istringstream read(out.str());
    for (std::string line; std::getline(read, line);) lines.push_back(json::parse(line));
    return lines;
}

TEST(SimulatorLine, CommandsBecomeEvents) {
    auto loc = parse_line("/location 22.48 103.97");
    ASSERT_TRUE(loc);
    EXPECT_DOUBLE_EQ(std::get<location_event>(*loc).lat, 22.48);
    EXPECT_DOUBLE_EQ(std::get<location_event>(*loc).lon, 103.97);
    EXPECT_EQ(std::get<image_event>(*parse_line("/photo")).refs.size(), 1u);
    EXPECT_EQ(std::get<image_event>(*parse_line("/photo a b")).refs,
              (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(std::get<contact_event>(*parse_line("/contact 0912345678")).phone, "0912345678");
    EXPECT_EQ(std::get<choice_event>(*parse_line("/button roads")).id, "roads");
    EXPECT_EQ(std::get<text_event>(*parse_line("duong hong\r")).text, "duong hong");
    EXPECT_FALSE(parse_line("/location north"));
    EXPECT_FALSE(parse_line("/contact"));
}

TEST(Simulator, JsonModePrintsOneLinePerCitizenLineAndOneAtStart) {
    auto lines = run_json("raise_concern",
                          "duong vao thon bi sat lo\nBat Xat\n"
                          "duong vao thon bi sat lo tu tuan truoc\ngui an danh\n");
    ASSERT_EQ(lines.size(), 5u);
    // Start: as on every channel, nothing is said before the citizen writes.
    EXPECT_TRUE(lines[0]["messages"].empty());
    EXPECT_TRUE(lines[0]["expect"].is_null());
    EXPECT_EQ(lines[0]["done"], false);
    // The first line answers the first question (the topic), then the commune is asked.
    EXPECT_EQ(lines[1]["expect"]["answer"], "locality");
    // The description brings the review, with its send buttons.
    EXPECT_EQ(lines[3]["expect"]["answer"], "review");
    EXPECT_EQ(lines[3]["messages"].back()["choices"][0],
              (json{{"id", "send_anonymous"}, {"label", "Gửi ẩn danh"}}));
    // The last line carries the simulated submit, the receipt and the end of the conversation.
    const json& last = lines.back();
    ASSERT_EQ(last["effects"].size(), 1u);
    EXPECT_EQ(last["effects"][0]["type"], "submit");
    EXPECT_EQ(last["effects"][0]["simulated"], true);
    EXPECT_EQ(last["effects"][0]["answers"]["topic"], "roads");
    EXPECT_NE(last["effects"][0]["note"].get<std::string>().find("no code"), std::string::npos);
    EXPECT_EQ(last["done"], true);
    EXPECT_TRUE(last["expect"].is_null());
    std::string all_text;
    for (const auto& m : last["messages"]) all_text += m["text"].get<std::string>() + "\n";
    EXPECT_NE(all_text.find("SIM-1"), std::string::npos);
    EXPECT_NE(all_text.find("simulated"), std::string::npos);
}

TEST(Simulator, WithAResolverTheLocalityHasACode) {
    testing::fake_localities places;
    simulator_options opt;
    opt.localities = &places;
    auto lines = run_json("raise_concern",
                          "/button land\nBat Xat\nTranh chap ranh gioi dat voi xa ben\n"
                          "/contact 0912345678\n",
                          opt);
    ASSERT_FALSE(lines.empty());
    const json& submit = lines.back()["effects"].at(0);
    EXPECT_EQ(submit["answers"]["locality"]["code"], "02683");
    EXPECT_EQ(submit["answers"]["phone"], "+84912345678");
    EXPECT_FALSE(submit.contains("note"));
}

TEST(Simulator, TextModeNumbersTheButtons) {
    std::istringstream in("huỷ\n");
    std::ostringstream out;
    simulator_options opt;
    opt.find_flow = [](const std::string& id) { return testing::shipped(id); };
    EXPECT_EQ(run_simulator(testing::shipped("menu"), in, out, opt), 0);
    EXPECT_NE(out.str().find("the conversation starts with your message"), std::string::npos);
    std::istringstream in2("xin chao\n");
    std::ostringstream out2;
    EXPECT_EQ(run_simulator(testing::shipped("menu"), in2, out2, opt), 0);
    EXPECT_NE(out2.str().find("bot> Xin chào!"), std::string::npos);
    EXPECT_NE(out2.str().find("[1] Gửi phản ánh, kiến nghị (raise)"), std::string::npos);
    EXPECT_NE(out.str().find("-- conversation finished --"), std::string::npos);
}

TEST(Simulator, WaitFiresTheNextTimer) {
    auto lines = run_json("raise_concern", "moi truong\nBat Xat\n/wait\n/wait\n");
    ASSERT_EQ(lines.size(), 5u);
    EXPECT_NE(lines[3]["messages"][0]["text"].get<std::string>().find("vẫn ở đó"),
              std::string::npos);
    EXPECT_EQ(lines[4]["done"], true);
}

TEST(Simulator, MenuStartsTheChosenFlowWhenItCanFindIt) {
    simulator_options opt;
    opt.find_flow = [](const std::string& id) { return testing::shipped(id); };
    auto lines = run_json("menu", "xin chao\n2\nLC-2026-1\n", opt);
    ASSERT_EQ(lines.size(), 4u);
    EXPECT_EQ(lines[1]["expect"]["answer"], "menu");
    EXPECT_EQ(lines[2]["effects"][0],
              (json{{"type", "start_flow"}, {"flow", "check_status"}, {"carry", nullptr}}));
    EXPECT_EQ(lines[2]["expect"]["answer"], "ref");
    EXPECT_EQ(lines[3]["effects"][0]["action"], "check_status");
    EXPECT_EQ(lines[3]["done"], true);
}

}  // namespace
}  // namespace dgw::flow

namespace dgw::flow {
namespace {

TEST(Simulator, JsonLineKeepsTheDocumentedKeyOrder) {
    std::istringstream in("LC-7K4M2\n");
    std::ostringstream out;
    simulator_options opt;
    opt.json = true;
    EXPECT_EQ(run_simulator(testing::shipped("check_status"), in, out, opt), 0);
    const std::string all = out.str();
    const std::string line = all.substr(all.find('\n') + 1);
    EXPECT_EQ(line.rfind("{\"messages\":[", 0), 0u) << line;
    auto expect = line.find("\"expect\":"), effects = line.find("\"effects\":"),
         inferred = line.find("\"inferred\":"), done = line.find("\"done\":");
    EXPECT_LT(expect, effects);
    EXPECT_LT(effects, inferred);
    EXPECT_LT(inferred, done);
    EXPECT_EQ(std::count(all.begin(), all.end(), '\n'), 2);
}

}  // namespace
}  // namespace dgw::flow
