// The agenda exports: what officials open in Excel or print must show Vietnamese correctly,
// keep every group, never run a citizen's text as a formula or markup, and carry no personal
// data (the sheet has none to give).

#include <dgw/api/agenda_export.hpp>

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

agenda_sheet sample() {
    agenda_sheet a;
    a.title = "Đối thoại quý IV/2026 — xã Bát Xát";
    a.date = "2026-12-15";
    a.venue = "Hội trường UBND xã";
    a.groups.push_back({"Sạt lở đường thôn", "hạ tầng", 3, 3, {"Bát Xát", "Mường Hum"},
                        "Đường vào thôn bị sạt lở, xe máy không đi được", true});
    a.groups.push_back({"", "đất đai", 1, 1, {"Bát Xát"}, "=HYPERLINK(\"http://x\",\"a, b\")", false});
    return a;
}

TEST(AgendaCsv, HasABomCrlfLinesAndAHeader) {
    auto csv = agenda_csv(sample());
    ASSERT_GE(csv.size(), 3u);
    EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv.find("STT,Nhóm,Lĩnh vực,Số phản ánh,Số người dân,\"Xã, phường\",Nội dung tiêu biểu,Khẩn cấp\r\n"),
              std::string::npos);
    EXPECT_NE(csv.find("1,Sạt lở đường thôn,hạ tầng,3,3,\"Bát Xát, Mường Hum\","
                       "\"Đường vào thôn bị sạt lở, xe máy không đi được\",Có\r\n"),
              std::string::npos);
}

TEST(AgendaCsv, DefusesFormulasAndQuotesQuotes) {
    auto csv = agenda_csv(sample());
    // Unnamed group: titled by its representative text, which starts with '=': prefixed.
    EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\",\"\"a, b\"\")\""), std::string::npos) << csv;
    EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos);
}

// A cell starting with TAB or CR is read as the formula after it by spreadsheets.
TEST(AgendaCsv, DefusesFormulasBehindATabOrACarriageReturn) {
    auto a = sample();
    a.groups[0].name = "\t=cmd|' /C calc'!A0";
    a.groups[1].representative = "\r=HYPERLINK(\"http://x\")";
    a.groups.push_back({"+1+1", "", 1, 1, {"@SUM(A1)"}, "-2+3", false});
    auto csv = agenda_csv(a);
    EXPECT_NE(csv.find(",'\t=cmd|' /C calc'!A0,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\"'\r=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'+1+1,"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'@SUM(A1),"), std::string::npos) << csv;
    EXPECT_NE(csv.find(",'-2+3,"), std::string::npos) << csv;
    for (const char* raw : {",\t=", ",\r=", "\"\r=", "\"\t="})
        EXPECT_EQ(csv.find(raw), std::string::npos) << raw;
}

TEST(AgendaCsv, EnglishHeadings) {
    auto a = sample();
    a.language = "en";
    auto csv = agenda_csv(a);
    EXPECT_NE(csv.find("No.,Group,Topic,Concerns,Citizens,Communes,Representative text,Urgent\r\n"),
              std::string::npos);
}

TEST(AgendaXlsx, IsAZipWorkbookWithOneSheet) {
    auto x = agenda_xlsx(sample());
    ASSERT_GT(x.size(), 1000u);
    EXPECT_EQ(x.substr(0, 4), std::string("PK\x03\x04", 4));
    // Entry names are stored uncompressed in the archive.
    EXPECT_NE(x.find("xl/worksheets/sheet1.xml"), std::string::npos);
    EXPECT_NE(x.find("xl/sharedStrings.xml"), std::string::npos);
}

TEST(AgendaHtml, IsAnA4PageWithEscapedText) {
    auto a = sample();
    a.groups[1].representative = "<script>alert(1)</script> & co";
    auto h = agenda_html(a);
    EXPECT_NE(h.find("@page{size:A4"), std::string::npos);
    EXPECT_NE(h.find("Đối thoại quý IV/2026 — xã Bát Xát"), std::string::npos);
    EXPECT_NE(h.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
    EXPECT_EQ(h.find("<script>"), std::string::npos);
    EXPECT_EQ(h.find("http"), std::string::npos);  // nothing fetched from outside
    EXPECT_NE(h.find("(Khẩn cấp)"), std::string::npos);
}

// The A4 page is an administrative document as Vietnam writes one (Decree 30/2020): the
// national heading and motto, the issuing body, "place, ngày dd tháng mm năm yyyy" with a 0
// before days under 10 and months 1 and 2, numbered items, a signature block; and long
// words wrap instead of being clipped.
TEST(AgendaHtml, IsAnAdministrativeDocument) {
    auto a = sample();
    a.issuer = "ỦY BAN NHÂN DÂN XÃ BÁT XÁT";
    a.place = "Bát Xát";
    a.day = 6;
    a.month = 2;
    a.year = 2027;
    auto h = agenda_html(a);
    for (const char* part :
         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "ỦY BAN NHÂN DÂN XÃ BÁT XÁT", "Bát Xát, ngày 06 tháng 02 năm 2027",
          "DANH SÁCH Ý KIẾN, KIẾN NGHỊ CỦA NHÂN DÂN", "NGƯỜI LẬP DANH SÁCH",
          "<td class=\"n\">1</td>", "<td class=\"n\">2</td>", "table-layout:fixed",
          "overflow-wrap:break-word"})
        EXPECT_NE(h.find(part), std::string::npos) << part;
    a.day = 16;
    a.month = 12;
    EXPECT_NE(agenda_html(a).find("Bát Xát, ngày 16 tháng 12 năm 2027"), std::string::npos);
    a.language = "en";
    h = agenda_html(a);
    EXPECT_NE(h.find("SOCIALIST REPUBLIC OF VIET NAM"), std::string::npos);
    EXPECT_NE(h.find("Bát Xát, 16/12/2027"), std::string::npos);
}

// An unnamed group is titled by whole words of its text, never a word cut in the middle.
TEST(AgendaCsv, AnUnnamedGroupIsTitledByWholeWords) {
    auto a = sample();
    a.groups[1].representative =
        "Đường liên thôn từ trung tâm xã đi thôn Cốc San bị sạt lở nghiêm trọng sau mưa lớn, "
        "xe máy không đi được";
    auto csv = agenda_csv(a);
    const std::string title = "Đường liên thôn từ trung tâm xã đi thôn Cốc San bị sạt lở…";
    EXPECT_NE(csv.find("2," + title + ","), std::string::npos) << csv;
    // One long word: cut between characters, never inside one.
    a.groups[1].representative = std::string(30, 'a') + std::string(40, 'x') + "ườngggggg" +
                                 std::string(30, 'b');
    csv = agenda_csv(a);
    EXPECT_NE(csv.find("…"), std::string::npos);
}

}  // namespace
}  // namespace dgw::api
