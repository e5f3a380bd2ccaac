// Reading a workbook officials upload: shared, rich and inline strings, numbers and booleans,
// cells skipped by the writer, the first sheet found through the workbook's relationships; and
// what is refused, and why: not a zip, a zip that is no workbook, broken XML, a part that
// would unpack too large, too many rows. (The integration test reads a file LibreOffice saved.)

#include <dgw/api/xlsx_read.hpp>

#include <gtest/gtest.h>
#include <zip.h>

#include <map>

namespace dgw::api {
namespace {

// A zip of the given parts, written in memory with libzip.
std::string zip_of(const std::map<std::string, std::string>& parts) {
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &ze);
    zip_source_keep(src);
    zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    for (const auto& [name, text] : parts) {
        zip_source_t* s = zip_source_buffer(z, text.data(), text.size(), 0);
        zip_file_add(z, name.c_str(), s, ZIP_FL_ENC_UTF_8);
    }
    zip_close(z);
    zip_source_open(src);
    zip_source_seek(src, 0, SEEK_END);
    const auto size = zip_source_tell(src);
    zip_source_seek(src, 0, SEEK_SET);
    std::string out(static_cast<std::size_t>(size), '\0');
    zip_source_read(src, out.data(), static_cast<zip_uint64_t>(size));
    zip_source_close(src);
    zip_source_free(src);
    return out;
}

const std::string workbook =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    R"(<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">)"
    R"(<sheets><sheet name="Thư" sheetId="1" r:id="rId7"/><sheet name="Khác" sheetId="2" r:id="rId8"/></sheets></workbook>)";
const std::string rels =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId8" Type="worksheet" Target="worksheets/other.xml"/>)"
    R"(<Relationship Id="rId7" Type="worksheet" Target="worksheets/letters.xml"/></Relationships>)";
const std::string shared =
    R"(<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">)"
    R"(<si><t>Nguồn</t></si><si><t>Xã</t></si><si><r><t>Đường </t></r><r><rPr><b/></rPr><t>sạt lở</t></r></si>)"
    R"(<si><t xml:space="preserve"> thư </t></si></sst>)";

std::string sheet(const std::string& rows) {
    return R"(<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           rows + "</sheetData></worksheet>";
}

std::string book(const std::string& rows) {
    return zip_of({{"xl/workbook.xml", workbook},
                   {"xl/_rels/workbook.xml.rels", rels},
                   {"xl/sharedStrings.xml", shared},
                   {"xl/worksheets/letters.xml", sheet(rows)},
                   {"xl/worksheets/other.xml", sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row>)")}});
}

TEST(XlsxRead, TheFirstSheetsCellsReadAsTheSheetShowsThem) {
    const auto bytes = book(
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>Nội dung</t></is></c></row>)"
        R"(<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2"><v>2683</v></c><c r="C2" t="b"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row>)"
        R"(<row r="3"><c r="A3" s="1"/></row>)"
        R"(<row r="5"><c r="C5" t="str"><f>A1</f><v>Nguồn</v></c></row>)");
    xlsx_problem why;
    auto t = read_xlsx(bytes, why);
    ASSERT_TRUE(t) << why.detail;
    ASSERT_EQ(t->rows.size(), 3u) << "a row of empty cells is skipped";
    EXPECT_EQ(t->rows[0], (std::vector<std::string>{"Nguồn", "Xã", "", "Nội dung"})) << "C1 was skipped by the writer";
    EXPECT_EQ(t->rows[1], (std::vector<std::string>{" thư ", "2683", "TRUE", "Đường sạt lở"})) << "rich text runs joined";
    EXPECT_EQ(t->rows[2], (std::vector<std::string>{"", "", "Nguồn"})) << "a formula's cached text";
}

TEST(XlsxRead, WhatIsNotAWorkbookIsRefusedWithWhy) {
    xlsx_problem why;
    EXPECT_FALSE(read_xlsx("source,topic\nletter,roads\n", why));
    EXPECT_EQ(why.what, xlsx_problem::kind::not_a_workbook);
    EXPECT_FALSE(why.detail.empty());

    EXPECT_FALSE(read_xlsx(zip_of({{"word/document.xml", "<w/>"}}), why)) << "a zip, but no workbook";
    EXPECT_EQ(why.what, xlsx_problem::kind::not_a_workbook);
    EXPECT_EQ(why.detail, "xl/workbook.xml");

    EXPECT_FALSE(read_xlsx(zip_of({{"xl/workbook.xml", workbook},
                                   {"xl/_rels/workbook.xml.rels", rels},
                                   {"xl/worksheets/letters.xml", "<worksheet><sheetData><row>"}}),
                           why));
    EXPECT_EQ(why.what, xlsx_problem::kind::not_a_workbook);
    EXPECT_EQ(why.detail, "xl/worksheets/letters.xml") << "broken XML, named";

    // An entity that would point outside the file is not followed: the document is refused
    // (or read without it), never expanded from the machine's files.
    const std::string xxe = R"(<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>)"
                            R"(<worksheet><sheetData><row><c t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>)";
    auto t = read_xlsx(zip_of({{"xl/workbook.xml", workbook}, {"xl/_rels/workbook.xml.rels", rels},
                               {"xl/worksheets/letters.xml", xxe}}),
                       why);
    if (t) {
        for (const auto& row : t->rows)
            for (const auto& cell : row) {
                EXPECT_EQ(cell.find("root:"), std::string::npos);
            }
    }
}

TEST(XlsxRead, APartThatUnpacksTooLargeAndTooManyRowsAreRefused) {
    std::string rows;
    for (int r = 1; r <= 20; ++r)
        rows += "<row r=\"" + std::to_string(r) + "\"><c r=\"A" + std::to_string(r) + "\"><v>" + std::to_string(r) + "</v></c></row>";
    const auto bytes = book(rows);
    xlsx_problem why;
    EXPECT_FALSE(read_xlsx(bytes, why, 10));
    EXPECT_EQ(why.what, xlsx_problem::kind::too_many_rows);
    ASSERT_TRUE(read_xlsx(bytes, why, 20));
    // A sheet of a few hundred bytes compressed that unpacks past the limit.
    const auto padded = book(rows + std::string(200000, ' '));
    EXPECT_LT(padded.size(), 20000u) << "it compresses well";
    EXPECT_FALSE(read_xlsx(padded, why, 5000, 100000));
    EXPECT_EQ(why.what, xlsx_problem::kind::part_too_large);
    EXPECT_EQ(why.detail, "xl/worksheets/letters.xml");
}

}  // namespace
}  // namespace dgw::api
