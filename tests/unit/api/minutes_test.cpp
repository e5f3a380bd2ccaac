// The minutes: every part a signed record needs, in the document's language; a citizen's text
// never becomes markup, a formula or broken XML; the .odt is a zip LibreOffice can open (the
// integration test opens it for real).

#include <dgw/api/minutes.hpp>

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

minutes sample() {
    minutes m;
    m.issuer = "ỦY BAN NHÂN DÂN XÃ BÁT XÁT";
    m.place = "Bát Xát";
    m.day = 5;
    m.month = 1;
    m.year = 2027;
    m.title = "Đối thoại quý IV/2026 — xã Bát Xát";
    m.date = "ngày 15/12/2026";
    m.venue = "Hội trường UBND xã";
    m.chair = "Ông Nguyễn Văn An, Chủ tịch UBND xã";
    m.concerns = 4;
    m.citizens = 3;
    m.sources = {{"tin nhắn qua các kênh trực tuyến", 3}, {"nêu tại hội nghị", 1}};
    m.raised.push_back({"Sạt lở đường thôn", "Giao thông", 2, 2, {"Xã Bát Xát"},
                        "Đường vào thôn bị sạt lở <script>alert(1)</script> & cầu hỏng",
                        "Xã sẽ kè lại đoạn đường.", "Ông Lê Văn Bình, Phòng Kinh tế xã",
                        "Giao Ban quản lý dự án thực hiện, hạn 31/01/2027: Kè xong"});
    m.not_raised.push_back({"", "Môi trường", 1, 1, {"Xã Bát Xát"},
                            "=HYPERLINK(\"http://x\")", "", "", ""});
    return m;
}

TEST(MinutesHtml, HasEveryPartOfTheRecordAndEscapesCitizensText) {
    const auto h = minutes_html(sample());
    for (const std::string part :
         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN XÃ BÁT XÁT",
          "Bát Xát, ngày 05 tháng 01 năm 2027", "BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI", "Thời gian: ngày 15/12/2026",
          "Chủ trì: Ông Nguyễn Văn An", "Thành phần: Nhân dân và đại diện",
          "Tổng số 4 ý kiến, kiến nghị của 3 người dân, trong đó: tin nhắn qua các kênh trực tuyến: 3; nêu tại hội nghị: 1.",
          "III. NỘI DUNG ĐỐI THOẠI", "— Ông Lê Văn Bình, Phòng Kinh tế xã", "Giao Ban quản lý dự án",
          "IV. Ý KIẾN, KIẾN NGHỊ CHƯA ĐƯỢC ĐỐI THOẠI", "Chưa trả lời", "THƯ KÝ", "CHỦ TRÌ", "@page{size:A4"})
        EXPECT_NE(h.find(part), std::string::npos) << part;
    EXPECT_EQ(h.find("<script>alert"), std::string::npos);
    EXPECT_NE(h.find("&lt;script&gt;"), std::string::npos);
}

TEST(MinutesHtml, SaysSoWhenNothingWasRaisedAndLeavesTheChairToFillIn) {
    auto m = sample();
    m.raised.clear();
    m.chair.clear();
    m.language = "en";
    const auto h = minutes_html(m);
    EXPECT_NE(h.find("MINUTES OF THE DIALOGUE MEETING"), std::string::npos);
    EXPECT_NE(h.find("III. THE DIALOGUE</h3><p>None.</p>"), std::string::npos) << h;
    EXPECT_NE(h.find("Chaired by: ………"), std::string::npos);
    EXPECT_NE(h.find("Bát Xát, 05/01/2027"), std::string::npos);
}

TEST(MinutesOdt, IsAZipWithTheMimetypeStoredFirst) {
    const auto odt = minutes_odt(sample());
    ASSERT_GT(odt.size(), 200u);
    EXPECT_EQ(odt.substr(0, 4), std::string("PK\x03\x04", 4));
    EXPECT_EQ(odt.substr(8, 2), std::string("\0\0", 2)) << "stored, not deflated";
    EXPECT_EQ(odt.substr(30, 8), "mimetype");
    EXPECT_EQ(odt.substr(38, 39), "application/vnd.oasis.opendocument.text");
    for (const char* part : {"META-INF/manifest.xml", "content.xml", "styles.xml", "meta.xml"})
        EXPECT_NE(odt.find(part), std::string::npos) << part;
}

TEST(MinutesXlsx, IsAWorkbook) {
    const auto book = minutes_xlsx(sample());
    EXPECT_EQ(book.substr(0, 2), "PK");
    EXPECT_NE(book.find("xl/worksheets/sheet1.xml"), std::string::npos);
}

}  // namespace
}  // namespace dgw::api
