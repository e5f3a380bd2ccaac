// The engine reading a citizen's own words (flow `understand`, a menu's `intents`, the first
// message of a conversation, photos sent at any time, the review's buttons), as pure steps on the
// shipped flows with a reader that says what the dialogue module would say.

#include "dgw/flow/engine.hpp"

#include "unit/flow/flow_test_support.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dgw::flow {
namespace {

using core::message_intent;
using nlohmann::json;

const time_point t0 = time_point(std::chrono::seconds(1'780'000'000));

core::message_reading concern(std::vector<core::topic_guess> topics, bool topic_sure,
                              std::vector<core::locality_candidate> places, bool place_sure,
                              std::vector<std::string> urgent = {}) {
    core::message_reading r;
    r.intent = message_intent::concern;
    r.lang = "vi";
    r.topics = std::move(topics);
    r.topic_sure = topic_sure;
    r.locality.candidates = std::move(places);
    r.locality.unique = place_sure;
    r.urgent = std::move(urgent);
    return r;
}

const core::locality_candidate bat_xat{"02683",        "Xã Bát Xát", 1.0, "current name",
                                       "", "Xã Bát Xát"};
const core::locality_candidate xuan_quang{"02926", "Xã Xuân Quang", 0.98,
                                          "former Xã Phong Niên (Huyện Bảo Thắng)",
                                          "Xã Phong Niên", "Xã Phong Niên"};

// A citizen's conversation across flows, as the pipeline runs it: the menu started with the
// first message; a start_flow effect starts the next flow with what it carries.
struct citizen {
    testing::fake_reader reader;
    testing::fake_sessions sessions;
    step_context ctx;
    std::shared_ptr<const definition> def;
    step_result last;
    int messages = 0;

    citizen() {
        ctx.reader = &reader;
        ctx.sessions = &sessions;
    }

    void follow() {
        for (auto& e : last.effects)
            if (auto* f = std::get_if<start_flow_effect>(&e)) {
                def = testing::shipped(f->flow);
                auto messages_so_far = last.messages;
                auto inferred = last.inferred;
                last = start(*def, f->lang, t0, ctx, {nullptr, f->carry});
                last.messages.insert(last.messages.begin(), messages_so_far.begin(),
                                     messages_so_far.end());
                for (auto& i : inferred) last.inferred.insert(last.inferred.begin(), i);
                return;
            }
    }

    citizen& first(const std::string& text) {
        def = testing::shipped("menu");
        const event ev = text_event{text};
        ++messages;
        last = start(*def, "vi", t0, ctx, {&ev, nullptr});
        follow();
        return *this;
    }

    citizen& send(const event& ev) {
        ++messages;
        auto r = step(*def, last.state, ev, t0, ctx);
        EXPECT_TRUE(r) << (r ? "" : r.err().message);
        if (r) last = std::move(r).value();
        follow();
        return *this;
    }
    citizen& say(const std::string& text) { return send(text_event{text}); }
    citizen& tap(const std::string& id) { return send(choice_event{id}); }

    std::string node() const { return last.state.at("node"); }
    std::string flow() const { return last.state.at("flow"); }
    std::string all_text() const {
        std::string out;
        for (const auto& m : last.messages) out += m.text + "\n";
        return out;
    }
    std::vector<std::string> buttons() const {
        std::vector<std::string> ids;
        for (const auto& c : last.messages.back().choices) ids.push_back(c.id);
        return ids;
    }
    const submit_effect* submitted() const {
        for (const auto& e : last.effects)
            if (const auto* s = std::get_if<submit_effect>(&e)) return s;
        return nullptr;
    }
};

const std::string landslide = "duong vao thon Coc San xa Bat Xat bi sat lo";

TEST(Understand, AFirstMessageNamingProblemAndPlaceGoesStraightToTheReview) {
    citizen c;
    c.reader.add(landslide, concern({{"roads", 0.86, {"đường", "sạt lở"}}}, true, {bat_xat}, true,
                                    {"sạt lở"}));
    c.first(landslide);
    EXPECT_EQ(c.flow(), "raise_concern");
    EXPECT_EQ(c.node(), "review");
    const std::string said = c.all_text();
    // No greeting, no menu: the danger advice, then what will be sent and where it is heard.
    EXPECT_EQ(said.find("Xin chào"), std::string::npos) << said;
    EXPECT_NE(said.find("gọi ngay 112"), std::string::npos) << said;
    EXPECT_NE(said.find("• Xã/phường: Xã Bát Xát"), std::string::npos) << said;
    EXPECT_NE(said.find("• Nội dung: " + landslide), std::string::npos) << said;
    EXPECT_NE(said.find("buổi đối thoại ngày 18/3/2027 tại Hội trường 02683 (roads)"),
              std::string::npos)
        << said;
    EXPECT_EQ(c.buttons(), (std::vector<std::string>{"send_anonymous", "send_with_phone", "edit"}));
    // What was read is reported with the step (chat --json shows it).
    ASSERT_FALSE(c.last.inferred.empty());
    EXPECT_EQ(c.last.inferred[0]["intent"], "concern");

    c.tap("send_anonymous");
    EXPECT_EQ(c.messages, 2);
    const submit_effect* s = c.submitted();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->answers["topic"], "roads");
    EXPECT_EQ(s->answers["locality"]["code"], "02683");
    EXPECT_EQ(s->answers["description"], landslide);
    EXPECT_EQ(s->answers["consent"], true);
    EXPECT_EQ(s->inferred["topic"]["value"], "roads");
    EXPECT_EQ(s->inferred["topic"]["words"], (json{"đường", "sạt lở"}));
    EXPECT_EQ(s->inferred["locality"]["value"], "02683");
}

TEST(Understand, AnUnsureTopicIsAskedWithTheLikeliestAndOther) {
    const std::string text = "đường vào thôn có bãi rác bốc mùi ở xã Bát Xát";
    citizen c;
    c.reader.add(text, concern({{"roads", 0.4, {"đường"}}, {"environment", 0.4, {"bãi rác"}}},
                               false, {bat_xat}, true));
    c.first(text);
    EXPECT_EQ(c.node(), "topic");
    EXPECT_EQ(c.buttons(), (std::vector<std::string>{"roads", "environment", "more"}));
    // "Khác…" shows every topic.
    c.tap("more");
    EXPECT_EQ(c.node(), "topic");
    EXPECT_EQ(c.buttons().size(), 13u);
    c.tap("environment");
    EXPECT_EQ(c.node(), "review") << "the commune and the description were already given";
    c.tap("send_anonymous");
    EXPECT_EQ(c.submitted()->answers["topic"], "environment");
    EXPECT_FALSE(c.submitted()->inferred.contains("topic")) << "the citizen picked it";
}

TEST(Understand, SeveralCommunesAreOfferedWithNoneOfThese) {
    const std::string text = "đường vào trường hỏng nặng";
    citizen c;
    c.reader.add(text, concern({{"roads", 0.6, {"đường"}}}, true, {bat_xat, xuan_quang}, false));
    c.first(text);
    EXPECT_EQ(c.node(), "locality");
    EXPECT_EQ(c.buttons(), (std::vector<std::string>{"02683", "02926", "none"}));
    c.tap("none");
    EXPECT_TRUE(c.last.messages.back().choices.empty()) << "now typed";
    EXPECT_EQ(c.node(), "locality");
}

TEST(Understand, AFormerCommuneIsConfirmedAsNowPartOfItsNewOne) {
    const std::string text = "đường xã Phong Niên cũ xuống cấp";
    citizen c;
    c.reader.add(text, concern({{"roads", 0.6, {"đường"}}}, true, {xuan_quang}, true));
    c.first(text);
    EXPECT_NE(c.all_text().find("• Xã/phường: Xã Phong Niên (nay thuộc Xã Xuân Quang)"),
              std::string::npos)
        << c.all_text();
}

TEST(Understand, AGreetingGetsTheMenuOnceAndIsNotCountedAsAWrongAnswer) {
    citizen c;
    core::message_reading hello;
    hello.intent = message_intent::greeting;
    hello.lang = "vi";
    c.reader.add("alo co ai khong", hello);
    c.first("alo co ai khong");
    EXPECT_EQ(c.flow(), "menu");
    EXPECT_EQ(c.node(), "menu");
    ASSERT_EQ(c.last.messages.size(), 1u) << "the welcome, once";
    EXPECT_EQ(c.last.messages[0].text.rfind("Xin chào!", 0), 0u);
    for (int i = 0; i < 4; ++i) c.say("alo co ai khong");
    EXPECT_EQ(c.node(), "menu") << "greetings never hand the citizen over to a person";
    EXPECT_EQ(c.last.state["attempts"], 0);
}

TEST(Understand, AReferenceTypedFirstIsLookedUpAtOnce) {
    citizen c;
    core::message_reading status;
    status.intent = message_intent::status;
    status.reference = "LC-7K4M2";
    c.reader.add("tra cuu lc 7k4m2", status);
    c.first("tra cuu lc 7k4m2");
    EXPECT_EQ(c.flow(), "check_status");
    const submit_effect* s = c.submitted();
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->action, flow::submit_action::check_status);
    EXPECT_EQ(s->answers["ref"], "LC-7K4M2");
}

TEST(Understand, EnglishWordsAreAnsweredInEnglish) {
    const std::string text = "The road to Bat Xat commune is broken";
    citizen c;
    auto r = concern({{"roads", 0.67, {"road"}}}, true, {bat_xat}, true);
    r.lang = "en";
    c.reader.add(text, r);
    c.first(text);
    EXPECT_EQ(c.node(), "review");
    EXPECT_NE(c.all_text().find("Your concern:"), std::string::npos) << c.all_text();
    EXPECT_EQ(c.buttons()[0], "send_anonymous");
    EXPECT_EQ(c.last.messages.back().choices[0].label, "Send anonymously");
}

// Keyboard mash at the menu reads as nothing and as "English" words: it must not switch a
// Vietnamese conversation to English (it once did: the re-asked menu came in English).
TEST(Understand, WordsReadAsNothingDoNotSwitchTheLanguage) {
    citizen c;
    core::message_reading greeting;
    greeting.intent = message_intent::greeting;
    greeting.lang = "vi";
    c.reader.add("xin chao", greeting);
    c.first("xin chao");
    core::message_reading mash;
    mash.intent = message_intent::none;
    mash.lang = "en";
    c.reader.add("qwrtp zxcvb", mash);
    c.say("qwrtp zxcvb");
    EXPECT_EQ(c.last.state["lang"], "vi");
    EXPECT_EQ(c.all_text().find("Tap a button"), std::string::npos) << c.all_text();
}

// A menu word inside a description is no command: the words go on to the concern.
TEST(Understand, AMenuWordInsideADescriptionIsNotACommand) {
    const std::string text = "nhà văn hoá thôn bị nứt tường, đề nghị xã kiểm tra";
    citizen c;
    c.reader.add(text, concern({{"roads", 0.67, {"nhà văn hoá"}}}, true, {}, false));
    c.first(text);
    EXPECT_EQ(c.flow(), "raise_concern") << "not the status check \"kiểm tra\" names";
    EXPECT_EQ(c.node(), "locality");
}

// The whole concern typed at the topic question (after tapping "Gửi phản ánh") is read too.
TEST(Understand, AConcernTypedAtTheTopicQuestionFillsWhatItSays) {
    citizen c;
    c.first("1");  // no reading: the menu's first button
    EXPECT_EQ(c.flow(), "raise_concern");
    EXPECT_EQ(c.node(), "topic");
    c.reader.add(landslide, concern({{"roads", 0.86, {"đường"}}}, true, {bat_xat}, true));
    c.say(landslide);
    EXPECT_EQ(c.node(), "review");
    EXPECT_EQ(c.last.state["answers"]["description"], landslide);
}

TEST(Understand, APhotoFirstIsAConcernAndItsCaptionTheDescription) {
    citizen c;
    c.def = testing::shipped("menu");
    const std::string caption = "cống vỡ trước chợ xã Bát Xát";
    c.reader.add(caption, concern({{"roads", 0.67, {"cống"}}}, true, {bat_xat}, true));
    const event photo = image_event{{"photo-1"}, caption};
    c.last = start(*c.def, "vi", t0, c.ctx, {&photo, nullptr});
    c.follow();
    EXPECT_EQ(c.node(), "review");
    EXPECT_EQ(c.last.state["answers"]["photo"], (json{"photo-1"}));
    EXPECT_EQ(c.last.state["answers"]["description"], caption);
}

// States written before these keys existed continue as they were.
TEST(Understand, AStateWithoutTheNewKeysStillSteps) {
    auto def = testing::shipped("menu");
    auto started = start(*def, "vi", t0);
    json old = started.state;
    for (const char* key : {"given", "suggest", "inferred", "carry", "editing"}) old.erase(key);
    auto r = step(*def, old, text_event{"2"}, t0);
    ASSERT_TRUE(r) << r.err().message;
    EXPECT_TRUE(r.value().done);
}

}  // namespace
}  // namespace dgw::flow

namespace dgw::flow {
namespace {

// A concern read from a message but never sent: reminded once, then the conversation ends and
// nothing is filed (a citizen who comes back much later starts afresh).
TEST(Understand, AReviewLeftUnansweredRemindsThenEndsWithoutFiling) {
    const std::string text = "duong vao thon Coc San xa Bat Xat bi sat lo";
    citizen c;
    c.reader.add(text, concern({{"roads", 0.86, {"đường"}}}, true, {bat_xat}, true));
    c.first(text);
    ASSERT_EQ(c.node(), "review");
    ASSERT_EQ(c.last.timers.size(), 2u) << "a reminder and a timeout";
    const auto reminder = c.last.timers[0];
    c.send(timer_event{reminder.id});
    EXPECT_EQ(c.node(), "review");
    EXPECT_NE(c.all_text().find("chưa được gửi"), std::string::npos) << c.all_text();
    EXPECT_EQ(c.buttons(), (std::vector<std::string>{"send_anonymous", "send_with_phone", "edit"}));
    c.send(timer_event{c.last.timers.at(0).id});
    EXPECT_TRUE(c.last.done);
    EXPECT_EQ(c.submitted(), nullptr);
}

}  // namespace
}  // namespace dgw::flow
