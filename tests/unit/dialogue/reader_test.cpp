// Reading a citizen's first message with the shipped configuration: what it is, which topic and
// commune it names, with the words behind them, danger, a reference.

#include <dgw/dialogue/reader.hpp>

#include "unit/dialogue/shipped_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace dgw::dialogue {
namespace {

using core::message_intent;

const concern_reader& reader() {
    static const dialogue_config config = test::load_ok(test::shipped_json());
    static const concern_reader r(config);
    return r;
}

struct reading_case {
    const char* text;
    message_intent intent;
    const char* topic;  // "" when no topic is sure
    const char* code;   // "" when no commune is sure
    const char* lang;
};

void PrintTo(const reading_case& c, std::ostream* os) { *os << c.text; }

class Reading : public ::testing::TestWithParam<reading_case> {};

TEST_P(Reading, FindsIntentTopicCommuneAndLanguage) {
    const auto& c = GetParam();
    const auto r = reader().read(c.text);
    EXPECT_EQ(r.intent, c.intent) << core::to_json(r).dump();
    EXPECT_EQ(r.topic_sure && !r.topics.empty() ? r.topics[0].id : "", c.topic)
        << core::to_json(r).dump();
    EXPECT_EQ(r.locality.unique ? r.locality.candidates[0].code : "", c.code)
        << core::to_json(r).dump();
    EXPECT_EQ(r.lang, c.lang);
}

INSTANTIATE_TEST_SUITE_P(
    Shipped, Reading,
    ::testing::Values(
        reading_case{"duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc",
                     message_intent::concern, "roads", "02683", "vi"},
        // The commune after "xã" outranks the village's name.
        reading_case{"thôn Cốc San, xã Bát Xát đường hỏng", message_intent::concern, "roads",
                     "02683", "vi"},
        reading_case{"đường hỏng", message_intent::concern, "roads", "", "vi"},
        // Raw Telex keystrokes.
        reading_case{"xax Tar Phinf mat ddieenj", message_intent::concern, "roads", "03013", "vi"},
        // A former commune, said to be one.
        reading_case{"duong o xa Phong Nien cu xuong cap", message_intent::concern, "roads",
                     "02926", "vi"},
        // Words of the commune's name are not topic words ("Mường" is no "mương").
        reading_case{"x. Muong Hum duong bi sat", message_intent::concern, "roads", "02728", "vi"},
        // A typed "phường" is not a former "Xã" of the same name.
        reading_case{"phuong nghia lo cot dien nghieng", message_intent::concern, "roads", "04288",
                     "vi"},
        // The subject comes first: the bridge, not the pupils it affects.
        reading_case{"cau treo o xa Y Ty bi gay, hoc sinh phai loi suoi", message_intent::concern,
                     "roads", "02701", "vi"},
        // Two topics as strong as each other: asked, not guessed.
        reading_case{"đường vào thôn vừa hỏng vừa có bãi rác bốc mùi", message_intent::concern, "",
                     "", "vi"},
        // Common words that are also commune names need "xã"/"phường".
        reading_case{"trung tâm y tế thiếu thuốc", message_intent::concern, "health", "", "vi"},
        reading_case{"Phường Trung Tâm bệnh viện quá tải", message_intent::concern, "health",
                     "04663", "vi"},
        reading_case{"The road to Ta Phin commune is broken", message_intent::concern, "roads",
                     "03013", "en"},
        reading_case{"No electricity in Sa Pa for two days, please help", message_intent::concern,
                     "roads", "03006", "en"},
        // A menu word inside a description does not make it a command.
        reading_case{"nhà văn hoá thôn bị nứt tường, đề nghị xã kiểm tra", message_intent::concern,
                     "roads", "", "vi"},
        reading_case{"alo có ai không", message_intent::greeting, "", "", "vi"},
        reading_case{"xin chao", message_intent::greeting, "", "", "vi"},
        reading_case{"hello", message_intent::greeting, "", "", "en"},
        reading_case{"hỏi về buổi đối thoại", message_intent::about, "", "", "vi"},
        reading_case{"tra cứu", message_intent::status, "", "", "vi"},
        reading_case{"?", message_intent::none, "", "", ""}),
    [](const auto& param_info) { return "case" + std::to_string(param_info.index); });

TEST(Reader, ExplainsItselfWithTheConfiguredWords) {
    const auto r = reader().read("Trạm y tế xã Bát Xát thiếu thuốc, bác sĩ ít khi có mặt");
    ASSERT_FALSE(r.topics.empty());
    EXPECT_EQ(r.topics[0].id, "health");
    EXPECT_EQ(r.topics[0].words, (std::vector<std::string>{"trạm y tế", "thiếu thuốc", "bác sĩ"}));
    EXPECT_GT(r.topics[0].confidence, 0.5);
    EXPECT_LE(r.topics[0].confidence, 1.0);
    EXPECT_EQ(r.locality.candidates[0].why, "current name");
    EXPECT_EQ(core::to_json(r)["topics"][0]["id"], "health");
}

TEST(Reader, FindsAReferenceButNotAWordSpeltLikeOne) {
    EXPECT_EQ(reader().read("tra cứu LC-7K4M2").reference, "LC-7K4M2");
    EXPECT_EQ(reader().read("ma so cua toi la lc7k4m2 da tra loi chua").reference, "LC-7K4M2");
    EXPECT_EQ(reader().read("lc 7k4m2").intent, message_intent::status);
    // "nhanh" spells five reference characters: a bare code must mix digits and letters.
    EXPECT_EQ(reader().read("xin giai quyet nhanh").reference, "");
    EXPECT_EQ(reader().read("LC-2026-000123").reference, "");
}

TEST(Reader, DangerIsFoundAsTheReceiptWouldFindIt) {
    const urgent_detector urgent(test::shipped().urgent);
    EXPECT_EQ(reader().read("sạt lở đất ở Bát Xát").urgent, urgent.find("sạt lở đất ở Bát Xát"));
    EXPECT_FALSE(reader().read("sut lo dat o bat xat").urgent.empty());
    EXPECT_TRUE(reader().read("đường hỏng").urgent.empty());
}

TEST(Reader, AFormerCommuneIsNamedAsTheCitizenSaidIt) {
    const auto r = reader().read("đường xã Phong Niên cũ xuống cấp");
    ASSERT_TRUE(r.locality.unique);
    EXPECT_EQ(r.locality.candidates[0].name, "Xã Xuân Quang");
    EXPECT_EQ(r.locality.candidates[0].former, "Xã Phong Niên");
}

TEST(Reader, AFormerDistrictAloneIsAShortListOfAllItsCommunes) {
    const auto r = reader().read("mất điện ở huyện Bảo Thắng");
    EXPECT_FALSE(r.locality.unique);
    std::vector<std::string> codes;
    for (const auto& c : r.locality.candidates) codes.push_back(c.code);
    // Its six communes of today, Xã Xuân Quang included, and Phường Lào Cai (Bản Phiệt).
    for (const char* code : {"02647", "02902", "02905", "02908", "02923", "02926"})
        EXPECT_NE(std::find(codes.begin(), codes.end(), code), codes.end()) << code;
}

}  // namespace
}  // namespace dgw::dialogue
