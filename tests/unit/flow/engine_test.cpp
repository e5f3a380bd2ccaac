#include "dgw/flow/engine.hpp"

#include "dgw/flow/loader.hpp"
#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ostream>
#include <thread>
#include <string>
#include <vector>

namespace dgw::flow {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const time_point t0 = time_point(std::chrono::seconds(1'780'000'000));

std::shared_ptr<const definition> tiny() {
    return testing::must_load(
        json::parse(testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json")));
}

// Runs a conversation: start, then each event in turn, failing the test on an engine error.
struct conversation {
    std::shared_ptr<const definition> def;
    step_context ctx;
    step_result last;
    std::vector<outbound_message> all;
    int citizen_messages = 0;
    time_point now = t0;

    explicit conversation(std::shared_ptr<const definition> d, std::string lang = "vi")
        : def(std::move(d)) {
        last = start(*def, lang, now, ctx);
        all = last.messages;
    }

    conversation& send(const event& ev) {
        if (!std::holds_alternative<timer_event>(ev) && !std::holds_alternative<submit_outcome>(ev))
            ++citizen_messages;
        auto r = step(*def, last.state, ev, now, ctx);
        EXPECT_TRUE(r) << (r ? "" : r.err().message);
        if (r) {
            last = std::move(r).value();
            all.insert(all.end(), last.messages.begin(), last.messages.end());
        }
        return *this;
    }
    conversation& say(const std::string& text) { return send(text_event{text}); }
    conversation& tap(const std::string& id) { return send(choice_event{id}); }

    std::string node() const { return last.state.at("node"); }
    std::string status() const { return last.state.at("status"); }
    json answer(const std::string& name) const {
        return last.state.at("answers").value(name, json());
    }
    std::string last_text() const { return last.messages.empty() ? "" : last.messages.back().text; }
};

struct engine_case {
    const char* name;
    std::vector<event> events;
    const char* node;       // where the conversation waits afterwards
    const char* status;     // active / submitting / done
    const char* last_text;  // the last message sent
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const engine_case& c, std::ostream* os) { *os << c.name; }

class EngineTable : public ::testing::TestWithParam<engine_case> {};

TEST_P(EngineTable, StepsToTheExpectedState) {
    conversation c(tiny());
    for (const auto& ev : GetParam().events) c.send(ev);
    EXPECT_EQ(c.node(), GetParam().node);
    EXPECT_EQ(c.status(), GetParam().status);
    EXPECT_EQ(c.last_text(), GetParam().last_text);
}

text_event txt(const char* s) { return text_event{s}; }
choice_event btn(const char* s) { return choice_event{s}; }

INSTANTIATE_TEST_SUITE_P(
    Tiny, EngineTable,
    ::testing::Values(
        engine_case{"start_asks_first_question", {}, "color", "active", "Màu gì?"},
        engine_case{"button_answers_choice", {btn("red")}, "name", "active", "Tên Đỏ?"},
        engine_case{
            "unaccented_text_answers_choice", {txt("xanh la")}, "name", "active", "Tên Xanh lá?"},
        engine_case{"number_picks_the_second_button", {txt("2")}, "name", "active", "Tên Xanh lá?"},
        engine_case{"synonym_in_another_language", {txt("Crimson")}, "name", "active", "Tên Đỏ?"},
        engine_case{"unknown_button_reprompts", {btn("blue")}, "color", "active", "Chọn một màu."},
        engine_case{
            "invalid_reprompts_with_hint", {txt("tím")}, "color", "active", "Chọn một màu."},
        engine_case{"too_many_invalid_go_to_fallback",
                    {txt("tím"), txt("vàng")},
                    "bye",
                    "done",
                    "Tạm biệt."},
        engine_case{"tie_asks_again_with_tied_options",
                    {txt("đỏ hay xanh")},
                    "color",
                    "active",
                    "Ý bạn là?"},
        engine_case{"tie_then_number_picks_among_tied",
                    {txt("đỏ hay xanh"), txt("2")},
                    "name",
                    "active",
                    "Tên Xanh lá?"},
        engine_case{
            "text_too_short_reprompts", {btn("red"), txt("A")}, "name", "active", "Tên dài hơn."},
        engine_case{"text_too_long_reprompts",
                    {btn("red"), txt("Nguyễn Văn Một Hai Ba Bốn Năm")},
                    "name",
                    "active",
                    "Tên dài hơn."},
        engine_case{"image_for_text_reprompts",
                    {btn("red"), image_event{{"m1"}, ""}},
                    "name",
                    "active",
                    "Tên dài hơn."},
        engine_case{"bad_phone_reprompts",
                    {btn("red"), txt("An"), txt("12345")},
                    "phone",
                    "active",
                    "Số sai."},
        engine_case{"skip_word_skips_optional",
                    {btn("red"), txt("An"), txt("bo qua")},
                    "summary",
                    "active",
                    "Kiểm tra:\n• Màu: Đỏ\n• Tên: An\n• Điện thoại: (không có)"},
        engine_case{"skip_button_skips_optional",
                    {btn("red"), txt("An"), btn("skip")},
                    "summary",
                    "active",
                    "Kiểm tra:\n• Màu: Đỏ\n• Tên: An\n• Điện thoại: (không có)"},
        engine_case{"phone_text_normalised",
                    {btn("red"), txt("An"), txt("0912 345 678")},
                    "summary",
                    "active",
                    "Kiểm tra:\n• Màu: Đỏ\n• Tên: An\n• Điện thoại: +84912345678"},
        engine_case{"contact_card_answers_phone",
                    {btn("red"), txt("An"), contact_event{"+84 912 345 678"}},
                    "summary",
                    "active",
                    "Kiểm tra:\n• Màu: Đỏ\n• Tên: An\n• Điện thoại: +84912345678"},
        engine_case{"cancel_in_any_state", {btn("red"), txt("Huỷ")}, "name", "done", "Đã huỷ."},
        engine_case{"cancel_in_another_language", {txt("cancel")}, "color", "done", "Đã huỷ."},
        engine_case{"restart_goes_back_to_start",
                    {btn("red"), txt("bat dau lai")},
                    "color",
                    "active",
                    "Màu gì?"},
        engine_case{
            "help_then_same_question", {btn("red"), txt("trợ giúp")}, "name", "active", "Tên Đỏ?"},
        engine_case{"language_switch_repeats_in_english",
                    {btn("red"), txt("English")},
                    "name",
                    "active",
                    "Name for Red?"},
        engine_case{"review_confirm_submits",
                    {btn("red"), txt("An"), btn("skip"), txt("gui")},
                    "file",
                    "submitting",
                    ""},
        engine_case{"review_number_confirms",
                    {btn("red"), txt("An"), btn("skip"), txt("1")},
                    "file",
                    "submitting",
                    ""},
        engine_case{"review_edit_asks_that_question",
                    {btn("red"), txt("An"), btn("skip"), btn("edit:name")},
                    "name",
                    "active",
                    "Tên Đỏ?"},
        engine_case{"review_edit_by_words",
                    {btn("red"), txt("An"), btn("skip"), txt("sua ten")},
                    "name",
                    "active",
                    "Tên Đỏ?"},
        engine_case{"review_edit_returns_to_review",
                    {btn("red"), txt("An"), btn("skip"), btn("edit:color"), btn("green")},
                    "summary",
                    "active",
                    "Kiểm tra:\n• Màu: Xanh lá\n• Tên: An\n• Điện thoại: (không có)"},
        engine_case{"message_while_submitting_waits",
                    {btn("red"), txt("An"), btn("skip"), btn("confirm"), txt("xong chưa?")},
                    "file",
                    "submitting",
                    "Chờ chút."},
        engine_case{"outcome_fills_the_receipt",
                    {btn("red"), txt("An"), btn("skip"), btn("confirm"),
                     submit_outcome{true, "LC-2026-000007", "30/06/2026", "UBND xã Bát Xát", false,
                                    "", "", ""}},
                    "done",
                    "done",
                    "Mã LC-2026-000007, ngày 30/06/2026 tại UBND xã Bát Xát."},
        engine_case{"failed_outcome_goes_to_failed",
                    {btn("red"), txt("An"), btn("skip"), btn("confirm"),
                     submit_outcome{false, "", "", "", false, "", "", ""}},
                    "failed",
                    "done",
                    "Lỗi."},
        engine_case{"outcome_when_not_submitting_is_ignored",
                    {submit_outcome{true, "X", "d", "p", false, "", "", ""}},
                    "color",
                    "active",
                    ""},
        engine_case{
            "after_done_nothing_happens", {txt("cancel"), txt("xin chào")}, "color", "done", ""}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Engine, SubmitEffectCarriesTheAnswers) {
    conversation c(tiny());
    c.tap("green").say("  Lan  ").say("0912345678").tap("confirm");
    ASSERT_EQ(c.last.effects.size(), 1u);
    const auto* s = std::get_if<submit_effect>(&c.last.effects[0]);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, flow::submit_action::file_concern);
    EXPECT_EQ(s->lang, "vi");
    EXPECT_EQ(s->answers, (json{{"color", "green"}, {"name", "Lan"}, {"phone", "+84912345678"}}));
}

TEST(Engine, ChoicesAreRenderedAsButtonsWithAHint) {
    conversation c(tiny(), "en");
    ASSERT_FALSE(c.all.empty());
    EXPECT_EQ(c.all.front().text, "Hello.");
    const auto& ask = c.last.messages.back();
    EXPECT_EQ(ask.choices, (std::vector<choice_button>{{"red", "Red"}, {"green", "Green"}}));
    EXPECT_EQ(ask.hint, input_hint::choice);
    ASSERT_TRUE(c.last.expect);
    EXPECT_EQ(c.last.expect->answer, "color");
    EXPECT_EQ(c.last.expect->type, "choice");
    EXPECT_FALSE(c.last.expect->optional);
}

TEST(Engine, TieOffersOnlyTheTiedOptions) {
    conversation c(tiny());
    c.say("đỏ hay xanh");
    EXPECT_EQ(c.last.messages.back().choices,
              (std::vector<choice_button>{{"red", "Đỏ"}, {"green", "Xanh lá"}}));
    EXPECT_EQ(c.answer("color"), json());
}

TEST(Engine, OptionalAskOffersASkipButton) {
    conversation c(tiny());
    c.tap("red").say("An");
    EXPECT_EQ(c.last.messages.back().choices, (std::vector<choice_button>{{"skip", "Bỏ qua"}}));
    EXPECT_EQ(c.last.messages.back().hint, input_hint::phone);
    EXPECT_TRUE(c.last.expect->optional);
}

TEST(Engine, TimersRemindThenTimeOut) {
    conversation c(tiny());
    c.tap("red");
    ASSERT_EQ(c.last.timers.size(), 2u);
    EXPECT_EQ(c.last.timers[0].at, t0 + 10min);
    EXPECT_EQ(c.last.timers[1].at, t0 + 60min);
    std::string reminder = c.last.timers[0].id, timeout = c.last.timers[1].id;
    c.now = t0 + 10min;
    c.send(timer_event{reminder});
    EXPECT_EQ(c.last_text(), "Còn đó không?");
    EXPECT_EQ(c.node(), "name");
    ASSERT_EQ(c.last.timers.size(), 1u);  // the timeout stays armed
    c.send(timer_event{reminder});        // fired twice: ignored
    EXPECT_TRUE(c.last.messages.empty());
    c.now = t0 + 60min;
    c.send(timer_event{timeout});
    EXPECT_EQ(c.node(), "bye");
    EXPECT_TRUE(c.last.done);
    EXPECT_TRUE(c.last.timers.empty());
}

TEST(Engine, StaleTimerOfAnAnsweredQuestionIsIgnored) {
    conversation c(tiny());
    c.tap("red");
    std::string timeout = c.last.timers[1].id;
    c.say("An");  // answered: the name timers are gone
    EXPECT_TRUE(c.last.timers.empty());
    c.send(timer_event{timeout});
    EXPECT_EQ(c.node(), "phone");
    EXPECT_TRUE(c.last.messages.empty());
}

TEST(Engine, IsDeterministic) {
    auto def = tiny();
    auto run = [&] {
        conversation c(def);
        c.say("do").say("Minh").say("bo qua").tap("edit:color").say("2");
        return std::pair(c.last.state, c.all.size());
    };
    EXPECT_EQ(run(), run());
}

TEST(Engine, RejectsAStateOfAnotherFlowOrMalformed) {
    auto def = tiny();
    auto s = start(*def, "vi", t0);
    json other = s.state;
    other["version"] = 2;
    EXPECT_FALSE(step(*def, other, text_event{"x"}, t0));
    EXPECT_FALSE(step(*def, json::object(), text_event{"x"}, t0));
    json broken = s.state;
    broken["answers"] = 3;
    EXPECT_FALSE(step(*def, broken, text_event{"x"}, t0));
    auto ref = state_flow(s.state);
    ASSERT_TRUE(ref);
    EXPECT_EQ(ref->id, "tiny");
    EXPECT_EQ(ref->version, 1);
}

TEST(Engine, UnknownLanguageStartsInTheBaseLanguage) {
    conversation c(tiny(), "fr");
    EXPECT_EQ(c.last.state.at("lang"), "vi");
    EXPECT_EQ(c.last_text(), "Màu gì?");
}

TEST(Engine, AddingALanguageNeedsOnlyStrings) {
    // H'Mông as a third language: strings and vocabulary copied from English, no code change.
    json doc = json::parse(testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/tiny.json"));
    doc["languages"].push_back("hmn");
    doc["strings"]["hmn"] = doc["strings"]["en"];
    doc["strings"]["hmn"]["ask_color"] = "Xim dab tsi?";
    doc["vocab"]["hmn"] = doc["vocab"]["en"];
    doc["vocab"]["hmn"]["language"] = {"Hmoob"};
    doc["vocab"]["hmn"]["language_name"] = "Hmoob";
    auto def = testing::must_load(doc);
    ASSERT_TRUE(def);
    conversation c(def);
    c.say("Hmoob");
    EXPECT_EQ(c.last_text(), "Xim dab tsi?");
    EXPECT_EQ(c.last.state.at("lang"), "hmn");
}

// ----- the shipped raise_concern flow --------------------------------------------------------

// Question by question (the citizen tapped "Gửi phản ánh"): topic, commune, description, and
// one tap that sends it and is the consent.
TEST(RaiseConcern, QuestionByQuestionReachesSubmitInFourMessages) {
    conversation c(testing::shipped("raise_concern"));
    c.say("duong vao thon bi sat lo")
        .say("Bat Xat")
        .say("duong vao thon Tong Sanh bi sat lo tu tuan truoc, xe may ko di dc");
    EXPECT_EQ(c.node(), "review");
    // The review says what will be sent, with the privacy notice in two lines and three buttons.
    const auto& review = c.last.messages.back();
    EXPECT_NE(review.text.find("Bat Xat"), std::string::npos);
    EXPECT_NE(review.text.find("24 tháng"), std::string::npos);
    EXPECT_EQ(review.choices, (std::vector<choice_button>{{"send_anonymous", "Gửi ẩn danh"},
                                                          {"send_with_phone", "Gửi kèm số điện thoại"},
                                                          {"edit", "Sửa"}}));
    c.say("gui an danh");
    EXPECT_EQ(c.citizen_messages, 4);
    EXPECT_EQ(c.status(), "submitting");
    ASSERT_EQ(c.last.effects.size(), 1u);
    const auto& s = std::get<submit_effect>(c.last.effects[0]);
    EXPECT_EQ(s.answers.at("topic"), "roads");
    EXPECT_EQ(s.answers.at("locality").at("name"), "Bat Xat");
    EXPECT_TRUE(s.answers.at("locality").at("code").is_null());
    // The tap is the consent, recorded with the flow version whose notice was shown.
    EXPECT_EQ(s.answers.at("consent"), true);
    EXPECT_EQ(s.answers.at("consent_notice"), "raise_concern v" + std::to_string(c.def->version));
    EXPECT_FALSE(s.answers.contains("phone"));
    c.send(submit_outcome{true, "LC-7K4M2", "ngày 28/12/2026", "Hội trường UBND xã Bát Xát", false,
                          "", "", ""});
    EXPECT_TRUE(c.last.done);
    EXPECT_NE(c.last_text().find("LC-7K4M2"), std::string::npos);
    // One date formatter: the text adds no "ngày" of its own.
    EXPECT_NE(c.last_text().find("buổi đối thoại ngày 28/12/2026 tại Hội trường"),
              std::string::npos);
}

TEST(RaiseConcern, APhoneNumberTypedAtTheReviewSendsItWithThePhone) {
    conversation c(testing::shipped("raise_concern"), "en");
    c.tap("security").say("Bat Xat").say("Someone is selling drugs near the school gate");
    c.say("0912345678");
    EXPECT_EQ(c.status(), "submitting");
    const auto& s = std::get<submit_effect>(c.last.effects.at(0));
    EXPECT_EQ(s.answers.at("phone"), "+84912345678");
    EXPECT_EQ(s.answers.at("consent"), true);
    EXPECT_EQ(c.citizen_messages, 4);
}

TEST(RaiseConcern, SendWithPhoneAsksTheNumberWithTheShareButtonHint) {
    conversation c(testing::shipped("raise_concern"), "en");
    c.tap("security").say("Bat Xat").say("Someone is selling drugs near the school gate");
    c.tap("send_with_phone");
    EXPECT_EQ(c.node(), "phone");
    EXPECT_EQ(c.last.messages.back().hint, input_hint::phone);  // the platform's share button
    c.send(contact_event{"+84 912 345 678"});
    EXPECT_EQ(std::get<submit_effect>(c.last.effects.at(0)).answers.at("phone"), "+84912345678");
}

TEST(RaiseConcern, UrgentReceiptShowsTheHotline) {
    conversation c(testing::shipped("raise_concern"), "en");
    c.tap("security")
        .say("Bat Xat")
        .say("Someone is selling drugs near the school gate")
        .tap("send_anonymous");
    c.send(submit_outcome{true, "LC-9", "30/03/2027", "Commune hall", true, "113", "", ""});
    EXPECT_NE(c.last_text().find("113"), std::string::npos);
    EXPECT_NE(c.last_text().find("LC-9"), std::string::npos);
}

// No "extras?" question: a photo or a location sent at any point goes with the concern.
TEST(RaiseConcern, PhotoAndLocationAreTakenWheneverTheyAreSent) {
    conversation c(testing::shipped("raise_concern"));
    c.say("1");
    c.send(image_event{{"a", "b", "c", "d"}, ""});  // at the commune question
    EXPECT_EQ(c.node(), "locality");
    EXPECT_EQ(c.last.messages.front().text, "Đã nhận, sẽ gửi kèm phản ánh.");
    EXPECT_EQ(c.answer("photo"), (json{"a", "b", "c"}));  // at most 3 are kept
    c.say("Bat Xat");
    c.send(location_event{22.48, 103.97});
    EXPECT_EQ(c.node(), "description");
    c.say("Cầu treo bản Mường Hum bị gãy một nhịp");
    EXPECT_EQ(c.node(), "review");
    EXPECT_NE(c.last_text().find("• Ảnh: 3"), std::string::npos);
    EXPECT_NE(c.last_text().find("• Vị trí: 22.48, 103.97"), std::string::npos);
    // A photo at the review is added and the review shown again.
    c.send(image_event{{"e"}, ""});
    EXPECT_EQ(c.node(), "review");
    EXPECT_EQ(c.answer("photo"), (json{"a", "b", "c"}));
    c.tap("send_anonymous");
    EXPECT_EQ(std::get<submit_effect>(c.last.effects.at(0)).answers.at("location"),
              (json{{"lat", 22.48}, {"lon", 103.97}}));
}

// A photo with a caption answers the question with its caption.
TEST(RaiseConcern, APhotosCaptionIsTheAnswer) {
    conversation c(testing::shipped("raise_concern"));
    c.say("1").say("Bat Xat");
    c.send(image_event{{"p1"}, "Cống thoát nước trước chợ bị vỡ, nước tràn ra đường"});
    EXPECT_EQ(c.node(), "review");
    EXPECT_EQ(c.answer("photo"), (json{"p1"}));
    EXPECT_EQ(c.answer("description"), "Cống thoát nước trước chợ bị vỡ, nước tràn ra đường");
}

// Nothing is filed until the citizen taps a send button: cancelling at the review keeps nothing.
TEST(RaiseConcern, CancellingAtTheReviewKeepsNothing) {
    conversation c(testing::shipped("raise_concern"));
    c.say("1").say("Bat Xat").say("Đường vào thôn bị sạt lở nặng").say("huỷ");
    EXPECT_TRUE(c.last.done);
    EXPECT_TRUE(c.last.effects.empty());
}

TEST(RaiseConcern, ChangeShowsTheAnswersThenComesBackToTheReview) {
    conversation c(testing::shipped("raise_concern"));
    c.say("1").say("Bat Xat").say("Đường vào thôn bị sạt lở nặng").tap("edit");
    EXPECT_EQ(c.node(), "review");
    EXPECT_EQ(c.last_text(), "Bạn muốn sửa mục nào?");
    std::vector<std::string> ids;
    for (const auto& b : c.last.messages.back().choices) ids.push_back(b.id);
    EXPECT_EQ(ids, (std::vector<std::string>{"edit:topic", "edit:locality", "edit:description",
                                             "send_anonymous", "send_with_phone"}));
    c.tap("edit:locality");
    EXPECT_EQ(c.node(), "locality");
    c.say("Sa Pa");
    EXPECT_EQ(c.node(), "review");
    EXPECT_NE(c.last_text().find("Xã/phường: Sa Pa"), std::string::npos);
}

TEST(RaiseConcern, AmbiguousCommuneIsAskedWithButtonsAndNoneOfThese) {
    testing::fake_localities places;
    conversation c(testing::shipped("raise_concern"));
    c.ctx.localities = &places;
    c.say("dat dai").say("Phong");
    EXPECT_EQ(c.node(), "locality");
    EXPECT_EQ(c.last.messages.back().choices,
              (std::vector<choice_button>{{"02905", "Xã Phong Hải"},
                                          {"02908", "Xã Phong Niên"},
                                          {"none", "Không phải các nơi trên"}}));
    c.tap("02908");
    EXPECT_EQ(c.answer("locality"), (json{{"code", "02908"}, {"name", "Xã Phong Niên"}}));
    EXPECT_EQ(c.node(), "description");
}

TEST(RaiseConcern, NoneOfTheseAsksTheCitizenToTypeTheName) {
    testing::fake_localities places;
    conversation c(testing::shipped("raise_concern"));
    c.ctx.localities = &places;
    c.say("dat dai").say("Phong").say("3");  // the third button: none of these
    EXPECT_EQ(c.node(), "locality");
    EXPECT_TRUE(c.last.messages.back().choices.empty());
    c.say("coc leu");
    EXPECT_EQ(c.answer("locality"), (json{{"code", "02656"}, {"name", "Phường Cốc Lếu"}}));
}

TEST(RaiseConcern, UniqueCommuneIsTakenWithItsCode) {
    testing::fake_localities places;
    conversation c(testing::shipped("raise_concern"));
    c.ctx.localities = &places;
    c.say("dat dai").say("coc leu");
    EXPECT_EQ(c.answer("locality"), (json{{"code", "02656"}, {"name", "Phường Cốc Lếu"}}));
    c.say("Nowhere at all");  // now the description
    EXPECT_EQ(c.node(), "review");
}

TEST(RaiseConcern, UnknownCommuneReprompts) {
    testing::fake_localities places;
    conversation c(testing::shipped("raise_concern"));
    c.ctx.localities = &places;
    c.say("dat dai").say("Ha Noi");
    EXPECT_EQ(c.node(), "locality");
    EXPECT_NE(c.last_text().find("chưa tìm thấy"), std::string::npos);
}

TEST(RaiseConcern, ConversationFinishesOnTheVersionItStartedOn) {
    registry flows;
    ASSERT_TRUE(flows.add(testing::shipped("raise_concern")));
    auto shipped = flows.latest("raise_concern");
    const int old_version = shipped->version;
    auto started = start(*shipped, "vi", t0);

    // A new version is published while the conversation is under way.
    json doc = testing::shipped_json("raise_concern");
    doc["version"] = old_version + 1;
    doc["strings"]["vi"]["topic"] = "Phiên bản mới: lĩnh vực nào?";
    auto next = load(doc);
    ASSERT_TRUE(next.flow);
    ASSERT_TRUE(flows.add(next.flow));
    EXPECT_FALSE(flows.add(next.flow));  // the same version twice
    EXPECT_EQ(flows.latest("raise_concern")->version, old_version + 1);

    json state = started.state;
    bool submitted = false;
    for (const char* text : {"moi truong", "Bat Xat", "Khoi bui tu xuong da gan truong hoc",
                             "gui an danh"}) {
        auto def = flows.for_state(state);
        ASSERT_TRUE(def);
        EXPECT_EQ(def->version, old_version);
        auto r = step(*def, state, text_event{text}, t0);
        ASSERT_TRUE(r) << r.err().message;
        state = r.value().state;
        submitted = submitted || !r.value().effects.empty();
    }
    EXPECT_TRUE(submitted);
    auto r = step(*flows.for_state(state), state,
                  submit_outcome{true, "LC-1", "d", "p", false, "", "", ""}, t0);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r.value().done);
    EXPECT_EQ(r.value().state.at("version"), old_version);
    // And the new version is what new conversations get.
    EXPECT_EQ(start(*flows.latest("raise_concern"), "vi", t0).messages.front().text,
              "Phiên bản mới: lĩnh vực nào?");
    // The new definition refuses an old state instead of running it on the wrong graph.
    EXPECT_FALSE(step(*next.flow, started.state, text_event{"co"}, t0));
}

TEST(CheckStatus, ReferenceThenStatusAndAnswer) {
    conversation c(testing::shipped("check_status"));
    c.say("LC-2026-000123");
    ASSERT_EQ(c.last.effects.size(), 1u);
    EXPECT_EQ(std::get<submit_effect>(c.last.effects[0]).action, submit_action::check_status);
    c.send(submit_outcome{true, "LC-2026-000123", "", "", false, "", "đã trả lời",
                          "Huyện sẽ sửa đường trong quý 1."});
    EXPECT_EQ(c.last_text(),
              "Phản ánh LC-2026-000123: đã trả lời. Huyện sẽ sửa đường trong quý 1.");
    EXPECT_TRUE(c.last.done);
}

TEST(CheckStatus, UnknownReference) {
    conversation c(testing::shipped("check_status"));
    c.say("LC-0").send(submit_outcome{false, "", "", "", false, "", "", ""});
    EXPECT_EQ(c.node(), "not_found");
}

TEST(Menu, ChoicesStartTheOtherFlows) {
    conversation c(testing::shipped("menu"));
    c.say("gui phan anh");
    ASSERT_EQ(c.last.effects.size(), 1u);
    EXPECT_EQ(std::get<start_flow_effect>(c.last.effects[0]).flow, "raise_concern");
    conversation d(testing::shipped("menu"));
    d.say("2");
    EXPECT_EQ(std::get<start_flow_effect>(d.last.effects.at(0)).flow, "check_status");
    conversation e(testing::shipped("menu"));
    e.say("lich doi thoai");
    EXPECT_EQ(e.node(), "menu");
    EXPECT_NE(e.all.at(e.all.size() - 2).text.find("tháng 4"), std::string::npos);
}

}  // namespace
}  // namespace dgw::flow

namespace dgw::flow {
namespace {

std::shared_ptr<const definition> types() {
    return testing::must_load(
        json::parse(testing::read_text(std::string(DGW_FIXTURES_DIR) + "/flows/types.json")));
}

struct types_case {
    const char* name;
    std::vector<event> events;
    const char* node;
    const char* last_text;
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const types_case& c, std::ostream* os) { *os << c.name; }

class EngineTypes : public ::testing::TestWithParam<types_case> {};

TEST_P(EngineTypes, ReadsEachAnswerType) {
    conversation c(types(), "en");
    for (const auto& ev : GetParam().events) c.send(ev);
    EXPECT_EQ(c.node(), GetParam().node);
    EXPECT_EQ(c.last_text(), GetParam().last_text);
}

INSTANTIATE_TEST_SUITE_P(
    Types, EngineTypes,
    ::testing::Values(
        types_case{
            "number_in_a_sentence", {text_event{"about 12 households"}}, "note", "Anything else?"},
        types_case{"number_out_of_range", {text_event{"51"}}, "count", "A number from 1 to 50."},
        types_case{"number_missing", {text_event{"many"}}, "count", "A number from 1 to 50."},
        types_case{"number_fails_twice_hands_off",
                   {text_event{"many"}, text_event{"lots"}},
                   "handoff",
                   "A person will help."},
        types_case{"any_takes_a_photo",
                   {text_event{"3"}, image_event{{"m1"}, "the road"}},
                   "place",
                   "Where?"},
        types_case{"location_must_be_a_location",
                   {text_event{"3"}, text_event{"x"}, text_event{"near the school"}},
                   "place",
                   "Share a location."},
        types_case{"location_out_of_range",
                   {text_event{"3"}, text_event{"x"}, location_event{95, 10}},
                   "place",
                   "Share a location."},
        types_case{"media_over_the_limit",
                   {text_event{"3"}, text_event{"x"}, location_event{22.3, 103.8},
                    image_event{{"a", "b", "c"}, ""}},
                   "pics",
                   "At most 2 photos."},
        types_case{"set_and_branch_on_present",
                   {text_event{"3"}, text_event{"x"}, location_event{22.3, 103.8},
                    image_event{{"a"}, ""}, text_event{"yes"}},
                   "with_place",
                   "3 households, marked chat."},
        types_case{"branch_default_when_skipped",
                   {text_event{"7"}, text_event{"x"}, text_event{"skip"}, choice_event{"skip"},
                    choice_event{"no"}},
                   "no_place",
                   "7 households, no place."}),
    [](const auto& param_info) { return std::string(param_info.param.name); });

TEST(Engine, HandoffEffectCarriesTheReason) {
    conversation c(types(), "en");
    c.say("many").say("lots");
    ASSERT_EQ(c.last.effects.size(), 1u);
    const auto& h = std::get<handoff_effect>(c.last.effects[0]);
    EXPECT_EQ(h.reason, "stuck");
    EXPECT_TRUE(c.last.done);
}

TEST(Engine, AnswersKeepTheirTypesInTheState) {
    conversation c(types(), "en");
    c.say("2,5").send(image_event{{"m1"}, "cap"}).send(location_event{22.3, 103.8});
    EXPECT_EQ(c.answer("count"), 2.5);
    EXPECT_EQ(c.answer("note"), (json{{"media", {"m1"}}, {"caption", "cap"}}));
    EXPECT_EQ(c.answer("place"), (json{{"lat", 22.3}, {"lon", 103.8}}));
}

TEST(RaiseConcern, ThreeUnclearTopicsHandOverToAPerson) {
    conversation c(testing::shipped("raise_concern"));
    c.say("abc").say("xyz").say("???");
    EXPECT_EQ(c.node(), "handoff");
    ASSERT_EQ(c.last.effects.size(), 1u);
    EXPECT_EQ(std::get<handoff_effect>(c.last.effects[0]).reason, "citizen_not_understood");
}


// ----- per-node counts (the flow editor's diagram) ------------------------------------------------

using names = std::vector<std::string>;

TEST(NodeCounts, StartReachesEveryNodeUpToTheFirstQuestion) {
    conversation c(tiny());
    EXPECT_EQ(c.last.reached, (names{"hello", "color"}));
    EXPECT_EQ(c.last.left, (names{"hello"}));
}

TEST(NodeCounts, AnAnswerLeavesTheQuestionAndAnInvalidOneDoesNot) {
    conversation c(tiny());
    c.say("tím");
    EXPECT_TRUE(c.last.reached.empty());
    EXPECT_TRUE(c.last.left.empty());
    c.tap("red");
    EXPECT_EQ(c.last.reached, (names{"name"}));
    EXPECT_EQ(c.last.left, (names{"color"}));
}

TEST(NodeCounts, TheFallbackIsReachedFromTheQuestionGivenUpOn) {
    conversation c(tiny());
    c.say("tím").say("vàng");
    EXPECT_EQ(c.last.reached, (names{"bye"}));
    EXPECT_EQ(c.last.left, (names{"color"}));
}

TEST(NodeCounts, CancelLeavesNothingAndRestartLeavesTheCurrentNode) {
    conversation cancelled(tiny());
    cancelled.tap("red").say("huỷ");
    EXPECT_EQ(cancelled.status(), "done");
    EXPECT_TRUE(cancelled.last.left.empty());  // abandoned at "name": reached, never left

    conversation again(tiny());
    again.tap("red").say("bắt đầu lại");
    EXPECT_EQ(again.last.reached, (names{"hello", "color"}));
    EXPECT_EQ(again.last.left, (names{"name", "hello"}));
}

TEST(NodeCounts, ReviewEditAndSubmitOutcomeMoveBetweenNodes) {
    conversation c(tiny());
    c.tap("red").say("An").tap("skip");
    c.tap("edit:name");
    EXPECT_EQ(c.last.reached, (names{"name"}));
    EXPECT_EQ(c.last.left, (names{"summary"}));
    c.say("Bình").tap("confirm");
    EXPECT_EQ(c.last.reached, (names{"file"}));
    EXPECT_EQ(c.last.left, (names{"summary"}));
    c.send(submit_outcome{true, "X", "d", "p", false, "", "", ""});
    EXPECT_EQ(c.last.reached, (names{"done"}));
    EXPECT_EQ(c.last.left, (names{"file"}));
}

TEST(Registry, AddsVersionsWhileOtherThreadsStartConversations) {
    registry flows;
    ASSERT_TRUE(flows.add(tiny()));
    std::vector<std::shared_ptr<const definition>> versions;
    for (int v = 2; v <= 30; ++v) {
        json doc = tiny()->document;
        doc["version"] = v;
        versions.push_back(testing::must_load(doc));
    }
    std::atomic<bool> stop{false};
    std::atomic<int> misses{0};
    std::vector<std::thread> readers;
    for (int i = 0; i < 2; ++i)
        readers.emplace_back([&] {
            while (!stop.load()) {
                auto def = flows.latest("tiny");
                if (!def || !flows.find("tiny", def->version)) ++misses;
                (void)flows.all();
            }
        });
    for (const auto& def : versions) ASSERT_TRUE(flows.add(def));
    stop.store(true);
    for (auto& t : readers) t.join();
    EXPECT_EQ(misses.load(), 0);
    EXPECT_EQ(flows.latest("tiny")->version, 30);
    EXPECT_EQ(flows.all().size(), 30u);
}

}  // namespace
}  // namespace dgw::flow
