#include "dgw/dialogue/concern.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "unit/dialogue/shipped_config.hpp"

namespace dgw::dialogue {
namespace {

random_source seeded(std::uint32_t seed) {
    auto gen = std::make_shared<std::mt19937>(seed);
    return [gen] { return static_cast<std::uint32_t>((*gen)()); };
}

bool never_taken(std::string_view) { return false; }

TEST(Reference, ShapeAndAlphabet) {
    auto r = make_reference("LC", seeded(1), never_taken);
    ASSERT_TRUE(r);
    const std::string& ref = r.value();
    ASSERT_EQ(ref.size(), 8u);
    EXPECT_EQ(ref.substr(0, 3), "LC-");
    for (char c : ref.substr(3)) {
        EXPECT_NE(reference_alphabet.find(c), std::string_view::npos) << c;
        EXPECT_EQ(std::string_view("0O1IL").find(c), std::string_view::npos) << c;
    }
}

TEST(Reference, AlphabetExcludesLookAlikes) {
    EXPECT_EQ(reference_alphabet.size(), 31u);
    for (char c : std::string_view("0O1IL"))
        EXPECT_EQ(reference_alphabet.find(c), std::string_view::npos);
}

TEST(Reference, DeterministicForAGivenSourceAndSpreadOut) {
    EXPECT_EQ(make_reference("LC", seeded(7), never_taken).value(),
              make_reference("LC", seeded(7), never_taken).value());
    std::set<std::string> refs;
    std::map<char, int> counts;
    auto rnd = seeded(42);
    for (int i = 0; i < 2000; ++i) {
        auto r = make_reference("LC", rnd, never_taken);
        refs.insert(r.value());
        for (char c : r.value().substr(3)) ++counts[c];
    }
    EXPECT_GT(refs.size(), 1990u);
    EXPECT_EQ(counts.size(), 31u) << "every character is used";
    for (const auto& [c, n] : counts) EXPECT_GT(n, 200) << c;  // expected ~322 each
}

TEST(Reference, RetriesOnCollisionAndGivesUp) {
    int calls = 0;
    std::set<std::string> taken;
    auto first = make_reference("LC", seeded(3), never_taken).value();
    taken.insert(first);
    auto r = make_reference("LC", seeded(3), [&](std::string_view ref) {
        ++calls;
        return taken.contains(std::string(ref));
    });
    ASSERT_TRUE(r);
    EXPECT_NE(r.value(), first);
    EXPECT_EQ(calls, 2);
    auto none = make_reference(
        "LC", seeded(3), [](std::string_view) { return true; }, 5);
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, errc::references_exhausted);
}

TEST(Reference, RejectionSamplingSkipsBiasedValues) {
    // The first value is in the biased tail above the largest multiple of 31 and must be
    // skipped; the next ones map to alphabet positions 0..4.
    std::vector<std::uint32_t> values = {UINT32_MAX, 0, 1, 2, 3, 4};
    std::size_t i = 0;
    auto r = make_reference(
        "LC", [&] { return values.at(i++); }, never_taken);
    EXPECT_EQ(r.value(), "LC-23456");
}

TEST(Reference, ParseForgivesCaseSpacesAndPrefix) {
    EXPECT_EQ(parse_reference("LC-7K4M2", "LC").value(), "LC-7K4M2");
    EXPECT_EQ(parse_reference("lc 7k4m2", "LC").value(), "LC-7K4M2");
    EXPECT_EQ(parse_reference("7K4M2", "LC").value(), "LC-7K4M2");
    EXPECT_EQ(parse_reference(" 7k-4m-2 ", "LC").value(), "LC-7K4M2");
    EXPECT_FALSE(parse_reference("LC-7K4M", "LC"));
    auto bad = parse_reference("LC-7K4M0", "LC");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, errc::bad_reference);
    EXPECT_FALSE(parse_reference("LC-7KIM2", "LC"));
}

TEST(ConcernStatus, NamesRoundTrip) {
    for (auto s : {concern_status::received, concern_status::scheduled, concern_status::answered,
                   concern_status::forwarded, concern_status::withdrawn, concern_status::merged,
                   concern_status::unscheduled})
        EXPECT_EQ(parse_concern_status(to_string(s)), s);
    EXPECT_FALSE(parse_concern_status("lost"));
}

TEST(ConcernStatus, Transitions) {
    using cs = concern_status;
    EXPECT_TRUE(can_transition(cs::received, cs::scheduled));
    EXPECT_TRUE(can_transition(cs::received, cs::unscheduled));
    EXPECT_TRUE(can_transition(cs::scheduled, cs::scheduled));  // rerouted after a cancellation
    EXPECT_TRUE(can_transition(cs::scheduled, cs::answered));
    EXPECT_TRUE(can_transition(cs::unscheduled, cs::scheduled));
    EXPECT_TRUE(can_transition(cs::forwarded, cs::answered));
    EXPECT_FALSE(can_transition(cs::received, cs::answered));  // only at a session
    EXPECT_FALSE(can_transition(cs::answered, cs::scheduled));
    EXPECT_FALSE(can_transition(cs::withdrawn, cs::scheduled));
    EXPECT_FALSE(can_transition(cs::merged, cs::answered));
    EXPECT_FALSE(can_transition(cs::unscheduled, cs::answered));
}

struct urgent_case {
    const char* text;
    bool urgent;
};

TEST(Urgent, ShippedKeywords) {
    const urgent_detector d(test::shipped().urgent);
    const urgent_case cases[] = {
        {"Đường lên Y Tý bị sạt lở, đất đá chắn đường", true},
        {"duong len y ty bi sat lo", true},
        {"SẠT LỞ taluy sau nhà", true},
        {"Nước lũ dâng cao, nhà tôi sắp bị cuốn", true},
        {"lu quet o ban", true},
        {"Cháy rừng ở đồi thông sau bản", true},
        {"Nhà văn hóa thôn có nguy cơ sập", true},
        {"Tường rào trường học bị nứt nhà dân cũng nứt, đổ sập mất một đoạn", true},
        {"Đá lăn xuống đường rất nguy hiểm", true},
        {"Ruộng ngập nước sau mưa", true},
        {"Dây điện võng thấp, hôm qua trâu bị điện giật", true},
        {"Đề nghị sửa đường liên thôn", false},
        {"Chậm cấp sổ đỏ", false},
        {"Lú lẫn vì thủ tục quá nhiều", false},    // "lú" is not "lũ"
        {"Xe chạy quá tốc độ qua trường", false},  // "chạy" is not "cháy"
        {"Ông Lù Văn Sáng hỏi về chế độ", false},
        // "sụt lở" is as dangerous as "sạt lở", typed with or without marks.
        {"Đồi sau nhà bị sụt lở", true},
        {"sut lo dat sau nha", true},
        // A short word must be spelt right: "sáp nhập" (merging) is not "sập nhà".
        {"sáp nhập xã làm dân khổ", false},
        {"", false},
    };
    for (const auto& c : cases) EXPECT_EQ(d.urgent(c.text), c.urgent) << c.text;
    EXPECT_FALSE(test::shipped().urgent.hotline.empty());
}

TEST(Urgent, ReportsWhichKeywordsAndIsConfigurable) {
    urgent_config cfg;
    cfg.keywords = {"rắn độc", "Vỡ đập"};
    cfg.hotline = "115";
    const urgent_detector d(cfg);
    EXPECT_EQ(d.find("có rắn độc trong lớp học, sợ vỡ đập"),
              (std::vector<std::string>{"rắn độc", "Vỡ đập"}));
    EXPECT_EQ(d.find("RAN DOC"), (std::vector<std::string>{"rắn độc"}));
    EXPECT_TRUE(d.find("sạt lở").empty()) << "only configured keywords";
}

}  // namespace
}  // namespace dgw::dialogue

namespace dgw::dialogue {
namespace {

TEST(Urgent, NoticeGivesTheHotlineAtOnce) {
    const urgent_detector d(test::shipped().urgent);
    auto vi = d.notice("Nhà tôi bị sạt lở đất phía sau", "vi");
    ASSERT_TRUE(vi);
    EXPECT_NE(vi->find("112"), std::string::npos) << *vi;
    auto en = d.notice("flood? lũ đang lên", "en");
    ASSERT_TRUE(en);
    EXPECT_NE(en->find("call 112"), std::string::npos) << *en;
    EXPECT_FALSE(d.notice("Đề nghị sửa đường", "vi"));
    urgent_config bare;
    bare.keywords = {"cháy"};
    bare.hotline = "114";
    EXPECT_EQ(urgent_detector(bare).notice("cháy nhà", "vi"),
              "Nếu có nguy hiểm, hãy gọi ngay 114.");
}

}  // namespace
}  // namespace dgw::dialogue
