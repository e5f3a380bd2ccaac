#include "dgw/flow/loader.hpp"
#include "dgw/flow/problems.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <set>
#include <ostream>
#include <string>

namespace dgw::flow {
namespace {

using nlohmann::json;

json tiny() {
    return json::parse(testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json"));
}

std::vector<std::string> problems_of(const json& doc) {
    std::vector<std::string> out;
    for (const auto& p : validate(doc)) out.push_back(core::to_string(p));
    return out;
}

// The words of every problem: both languages, different, naming the same values.
TEST(Validator, EveryProblemHasWordsInBothLanguages) {
    const auto names = [](std::string_view text) {
        std::set<std::string> out;
        static const std::regex identifier("[a-z_]+");
        for (auto& n : core::placeholders(text))
            if (std::regex_match(n, identifier)) out.insert(n);
        return out;
    };
    std::set<std::string_view> codes;
    for (const auto catalogue : {fault_words(), core::shape_words()})
        for (const auto& w : catalogue) {
            EXPECT_TRUE(codes.insert(w.code).second) << w.code << " is one entry";
            EXPECT_FALSE(w.vi.empty()) << w.code;
            EXPECT_NE(w.vi, w.en) << w.code;
            // The Vietnamese may leave out the JSON type the English names ("number"), and
            // says the line of what the English quotes from the parser ({detail}).
            auto en = names(w.en);
            auto vi = names(w.vi);
            if (!vi.contains("type")) en.erase("type");
            if (en.erase("detail") == 0) {
                EXPECT_EQ(vi, en) << w.code;
            }
        }
}

TEST(Validator, AProblemIsShownInTheLanguageAsked) {
    json doc = tiny();
    doc["nodes"][3]["next"] = "confirm";
    const auto problems = validate(doc);
    ASSERT_FALSE(problems.empty());
    const auto& p = problems.front();
    EXPECT_EQ(p.code, "node_unknown");
    EXPECT_EQ(p.params, (json{{"node", "confirm"}}));
    EXPECT_EQ(message_in(p, "vi"), "không có bước \"confirm\"");
    EXPECT_EQ(message_in(p, "en"), "unknown node \"confirm\"");
    // Words written in place (a config's own) stay as they are in any language.
    EXPECT_EQ(message_in(core::problem{"/x", "as written"}, "vi"), "as written");
}

TEST(Validator, BrokenJsonSaysTheLineInVietnamese) {
    auto r = load_text("{\n  \"id\": \"x\",\n  \"version\": ]\n}");
    ASSERT_EQ(r.problems.size(), 1u);
    EXPECT_EQ(r.problems[0].code, "not_json");
    EXPECT_EQ(message_in(r.problems[0], "vi"), "không phải JSON hợp lệ (dòng 3, cột 14)");
    EXPECT_NE(r.problems[0].message.find("not valid JSON"), std::string::npos);
}

TEST(Validator, FixtureIsValid) { EXPECT_EQ(problems_of(tiny()), std::vector<std::string>{}); }

struct bad_case {
    const char* name;
    std::function<void(json&)> edit;
    const char* expected;  // one of the reported problems, exactly
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const bad_case& c, std::ostream* os) { *os << c.name; }

class ValidatorRejects : public ::testing::TestWithParam<bad_case> {};

// `expected` is one of the problems reported, and the flow is not loaded.
void expect_rejected(const json& doc, const std::string& expected) {
    auto problems = problems_of(doc);
    EXPECT_NE(std::find(problems.begin(), problems.end(), expected), problems.end())
        << "expected: " << expected << "\ngot:\n"
        << ::testing::PrintToString(problems);
    // An invalid flow is never loaded.
    EXPECT_FALSE(load(doc).flow);
    // Every problem comes from a catalogue, so the flow editor can show it in Vietnamese: its
    // English is the catalogue's, filled with its values, and its Vietnamese is other words.
    for (const auto& p : validate(doc)) {
        EXPECT_FALSE(p.code.empty()) << core::to_string(p) << " has no code";
        EXPECT_EQ(message_in(p, "en"), p.message) << p.code;
        EXPECT_NE(message_in(p, "vi"), p.message) << p.code;
        const auto* w = core::find_words(fault_words(), p.code);
        if (!w) w = core::find_words(core::shape_words(), p.code);
        ASSERT_NE(w, nullptr) << p.code;
        for (const auto& name : core::placeholders(w->vi))
            if (std::regex_match(name, std::regex("[a-z_]+"))) {
                EXPECT_TRUE(p.params.contains(name)) << p.code << " leaves {" << name << "} unfilled";
            }
    }
}

TEST_P(ValidatorRejects, ReportsTheProblemWithItsPath) {
    json doc = tiny();
    GetParam().edit(doc);
    expect_rejected(doc, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    EveryKind, ValidatorRejects,
    ::testing::Values(
        bad_case{"unknown_reference", [](json& d) { d["nodes"][3]["next"] = "confirm"; },
                 "/nodes/3/next: unknown node \"confirm\""},
        bad_case{"unknown_fallback", [](json& d) { d["nodes"][1]["fallback"] = "nowhere"; },
                 "/nodes/1/fallback: unknown node \"nowhere\""},
        bad_case{"unknown_start", [](json& d) { d["start"] = "begin"; },
                 "/start: unknown node \"begin\""},
        bad_case{"unreachable",
                 [](json& d) {
                     d["nodes"].push_back({{"id", "orphan"}, {"type", "end"}, {"text", "bye"}});
                 },
                 "/nodes/9: unreachable node \"orphan\" (no path from start)"},
        bad_case{"dead_end_missing_next", [](json& d) { d["nodes"][0].erase("next"); },
                 "/nodes/0/next: dead end: a say node needs a next"},
        bad_case{"dead_end_cycle_without_exit",
                 [](json& d) {
                     // name -> phone -> summary -> file; make every exit of "name" loop back.
                     d["nodes"][2]["fallback"] = "color";
                     d["nodes"][2]["timeout"]["next"] = "color";
                     d["nodes"][2]["next"] = "color";
                     d["nodes"][1]["fallback"] = "name";
                 },
                 "/nodes/1: dead end: no path from \"color\" to an end node"},
        bad_case{"loop_without_ask",
                 [](json& d) {
                     d["nodes"][0]["next"] = "again";
                     d["nodes"].push_back(
                         {{"id", "again"}, {"type", "say"}, {"text", "hello"}, {"next", "hello"}});
                 },
                 "/nodes/0: loop with no ask: hello -> again -> hello"},
        bad_case{"missing_translation", [](json& d) { d["strings"]["en"].erase("bye"); },
                 "/strings/en/bye: missing translation"},
        bad_case{"missing_vocab_language", [](json& d) { d["vocab"].erase("en"); },
                 "/vocab/en: missing translation (is required)"},
        bad_case{"unknown_string", [](json& d) { d["nodes"][8]["text"] = "farewell"; },
                 "/nodes/8/text: unknown string \"farewell\""},
        bad_case{"undefined_template_variable",
                 [](json& d) { d["strings"]["vi"]["done"] = "Mã {concern.reff}."; },
                 "/strings/vi/done: undefined variable {concern.reff}"},
        bad_case{"undeclared_answer_in_template",
                 [](json& d) { d["strings"]["en"]["ask_name"] = "Name {answers.colour}?"; },
                 "/strings/en/ask_name: undefined variable {answers.colour}"},
        bad_case{"template_variable_unset_on_path",
                 [](json& d) { d["strings"]["vi"]["ask_color"] = "Màu cho {answers.name}?"; },
                 "/nodes/1/text: {answers.name} in \"ask_color\" may be unset here (optional, or "
                 "not yet asked on some path)"},
        bad_case{"results_link_without_its_branch",
                 [](json& d) {
                     d["strings"]["vi"]["done"] = "Mã {concern.ref}. Kết quả: {session.results}";
                     d["strings"]["en"]["done"] = "Ref {concern.ref}. Results: {session.results}";
                 },
                 "/nodes/6/text: {session.results} in \"done\" may be unset here (optional, or "
                 "not yet asked on some path)"},
        bad_case{"unbalanced_brace", [](json& d) { d["strings"]["vi"]["bye"] = "Tạm biệt {"; },
                 "/strings/vi/bye: unbalanced { or } (write {{ or }} for a literal brace)"},
        bad_case{"duplicate_node_id", [](json& d) { d["nodes"][8]["id"] = "done"; },
                 "/nodes/8/id: duplicate node id \"done\""},
        bad_case{"duplicate_choice_id", [](json& d) { d["nodes"][1]["choices"][1]["id"] = "red"; },
                 "/nodes/1/choices/1/id: duplicate choice id \"red\""},
        bad_case{"synonym_collision_after_folding",
                 [](json& d) { d["nodes"][1]["choices"][1]["synonyms"]["vi"] = {"Đỏ"}; },
                 "/nodes/1/choices/1/synonyms/vi/0: \"Đỏ\" collides with choice \"red\" after "
                 "diacritic folding"},
        bad_case{"synonym_collision_only_by_accents",
                 [](json& d) { d["nodes"][1]["choices"][1]["synonyms"]["vi"] = {"do tuoi"}; },
                 "/nodes/1/choices/1/synonyms/vi/0: \"do tuoi\" collides with choice \"red\" "
                 "after diacritic folding"},
        bad_case{"choice_synonym_is_a_command",
                 [](json& d) { d["nodes"][1]["choices"][0]["synonyms"]["en"] = {"Help"}; },
                 "/nodes/1/choices/0/synonyms/en/0: \"Help\" is also the help command; typing it "
                 "would never pick this choice"},
        bad_case{"yes_no_collision",
                 [](json& d) {
                     d["vocab"]["vi"]["no"] = {"không", "Có"};
                 },
                 "/vocab/vi/no/1: \"Có\" collides with \"yes\" after folding"},
        bad_case{"required_answer_unset_on_path_to_submit",
                 [](json& d) { d["nodes"][1]["fallback"] = "phone"; },
                 "/nodes/5: required answer \"color\" is not filled on some path to submit"},
        bad_case{"undeclared_answer", [](json& d) { d["nodes"][3]["answer"] = "mobile"; },
                 "/nodes/3/answer: undeclared answer \"mobile\""},
        bad_case{"choices_on_non_choice",
                 [](json& d) { d["nodes"][2]["choices"] = d["nodes"][1]["choices"]; },
                 "/nodes/2/choices: only a choice answer has choices (\"name\" is text)"},
        bad_case{"unknown_answer_type", [](json& d) { d["answers"]["name"]["type"] = "essay"; },
                 "/answers/name/type: unknown answer type \"essay\""},
        bad_case{"unknown_node_type", [](json& d) { d["nodes"][0]["type"] = "shout"; },
                 "/nodes/0/type: unknown node type \"shout\""},
        bad_case{"unknown_key", [](json& d) { d["nodes"][0]["colour"] = "red"; },
                 "/nodes/0/colour: unknown key"},
        bad_case{"end_has_no_next", [](json& d) { d["nodes"][8]["next"] = "hello"; },
                 "/nodes/8/next: unknown key"},
        bad_case{"wrong_type", [](json& d) { d["nodes"][0]["text"] = 5; },
                 "/nodes/0/text: has the wrong type (number)"},
        bad_case{"bad_version", [](json& d) { d["version"] = 0; },
                 "/version: must be a whole number from 1"},
        bad_case{"language_not_listed", [](json& d) { d["strings"]["fr"] = d["strings"]["en"]; },
                 "/strings/fr: language \"fr\" is not in /languages"},
        bad_case{"review_of_unasked_answer",
                 [](json& d) {
                     d["answers"]["age"] = {
                         {"type", "number"}, {"label", "l_name"}, {"required", false}};
                     d["nodes"][4]["show"].push_back("age");
                 },
                 "/nodes/4/show/3: no ask node collects \"age\""},
        bad_case{"branch_on_unknown_variable",
                 [](json& d) {
                     d["nodes"][0]["next"] = "fork";
                     d["nodes"].push_back(
                         {{"id", "fork"},
                          {"type", "branch"},
                          {"cases", {{{"var", "answers.size"}, {"equals", 1}, {"next", "bye"}}}},
                          {"next", "color"}});
                 },
                 "/nodes/9/cases/0/var: undefined variable \"answers.size\""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

// {session.results} is set only when the gateway has a public address: a text may show it
// after a branch case that found it present, and nowhere else.
TEST(Validator, AVariableABranchFoundPresentMayBeShownAfterIt) {
    auto doc = tiny();
    doc["nodes"][5]["next"] = "linked";
    doc["nodes"].push_back({{"id", "linked"},
                            {"type", "branch"},
                            {"cases", json::array({{{"var", "session.results"}, {"present", true}, {"next", "done_linked"}}})},
                            {"next", "done"}});
    doc["nodes"].push_back({{"id", "done_linked"}, {"type", "end"}, {"text", "done_linked"}});
    doc["strings"]["vi"]["done_linked"] = "Mã {concern.ref}. Kết quả: {session.results}";
    doc["strings"]["en"]["done_linked"] = "Ref {concern.ref}. Results: {session.results}";
    EXPECT_EQ(problems_of(doc), std::vector<std::string>{});
    // The default way out of the branch did not find it.
    doc["nodes"][9]["next"] = "done_linked";
    doc["nodes"][9]["cases"][0]["next"] = "done";
    EXPECT_EQ(problems_of(doc),
              std::vector<std::string>{"/nodes/10/text: {session.results} in \"done_linked\" may be unset here "
                                       "(optional, or not yet asked on some path)"});
}

TEST(Validator, ReportsEveryProblemNotJustTheFirst) {
    json doc = tiny();
    doc["nodes"][3]["next"] = "confirm";
    doc["strings"]["en"].erase("bye");
    doc["nodes"][8]["id"] = "done";
    EXPECT_GE(problems_of(doc).size(), 3u);
}

TEST(Validator, NonObjectDocumentIsOneProblem) {
    auto p = problems_of(json::array());
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], "/: must be an object, not array");
}

}  // namespace
}  // namespace dgw::flow

namespace dgw::flow {
namespace {

// The keys that read a citizen's free words, the menu's intents and the review's buttons, on the
// shipped flows that use them.
struct shipped_bad_case {
    const char* name;
    const char* flow;
    std::function<void(json&)> edit;
    const char* expected;
};

void PrintTo(const shipped_bad_case& c, std::ostream* os) { *os << c.name; }

class ValidatorRejectsShipped : public ::testing::TestWithParam<shipped_bad_case> {};

TEST_P(ValidatorRejectsShipped, ReportsTheProblemWithItsPath) {
    json doc = testing::shipped_json(GetParam().flow);
    EXPECT_EQ(problems_of(doc), std::vector<std::string>{}) << "the shipped flow is valid";
    GetParam().edit(doc);
    expect_rejected(doc, GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    NewKeys, ValidatorRejectsShipped,
    ::testing::Values(
        shipped_bad_case{"understand_topic_of_the_wrong_type", "raise_concern",
                         [](json& d) { d["understand"]["topic"] = "description"; },
                         "/understand/topic: \"description\" is text, not choice"},
        shipped_bad_case{"understand_an_undeclared_answer", "raise_concern",
                         [](json& d) { d["understand"]["locality"] = "place"; },
                         "/understand/locality: undeclared answer \"place\""},
        shipped_bad_case{"understand_an_unknown_key", "raise_concern",
                         [](json& d) { d["understand"]["phone"] = "phone"; },
                         "/understand/phone: unknown key"},
        shipped_bad_case{"understood_topics_need_the_more_button", "raise_concern",
                         [](json& d) { d["vocab"]["en"].erase("more_label"); },
                         "/vocab/en/more_label: is required when the flow understands topics"},
        shipped_bad_case{"any_time_only_for_photos_and_locations", "raise_concern",
                         [](json& d) { d["answers"]["description"]["any_time"] = true; },
                         "/answers/description/any_time: only a media or location answer can be "
                         "taken any time"},
        shipped_bad_case{"a_button_sets_an_undeclared_answer", "raise_concern",
                         [](json& d) { d["nodes"][3]["actions"][0]["set"] = {{"consnt", true}}; },
                         "/nodes/3/actions/0/set/consnt: undeclared answer \"consnt\""},
        shipped_bad_case{"a_button_goes_nowhere", "raise_concern",
                         [](json& d) { d["nodes"][3]["actions"][0]["next"] = "sumbit"; },
                         "/nodes/3/actions/0/next: unknown node \"sumbit\""},
        shipped_bad_case{"a_button_id_of_the_engine", "raise_concern",
                         [](json& d) { d["nodes"][3]["actions"][0]["id"] = "edit:topic"; },
                         "/nodes/3/actions/0/id: \"edit:\" ids are the engine's"},
        shipped_bad_case{"two_edit_buttons", "raise_concern",
                         [](json& d) {
                             d["nodes"][3]["actions"].push_back(
                                 {{"id", "edit2"}, {"label", "edit"}, {"edit", true}});
                         },
                         "/nodes/3/actions: at most one edit button"},
        shipped_bad_case{"an_edit_button_without_its_question", "raise_concern",
                         [](json& d) { d["nodes"][3].erase("edit_text"); },
                         "/nodes/3/edit_text: is required with an edit button"},
        shipped_bad_case{"the_session_of_a_topic_that_is_not_a_choice", "raise_concern",
                         [](json& d) { d["nodes"][3]["session"]["topic"] = "description"; },
                         "/nodes/3/session/topic: must name a choice answer (the topic)"},
        shipped_bad_case{"the_session_text_with_an_unknown_variable", "raise_concern",
                         [](json& d) {
                             d["strings"]["vi"]["review_session"] = "Ngày {session.day}.";
                         },
                         "/strings/vi/review_session: undefined variable {session.day}"},
        shipped_bad_case{"an_intent_picks_an_unknown_choice", "menu",
                         [](json& d) { d["nodes"][0]["intents"]["concern"] = "rais"; },
                         "/nodes/0/intents/concern: unknown choice \"rais\""},
        shipped_bad_case{"an_unknown_intent", "menu",
                         [](json& d) { d["nodes"][0]["intents"]["gossip"] = "about"; },
                         "/nodes/0/intents/gossip: unknown intent \"gossip\" (concern, status, "
                         "about)"}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace dgw::flow
