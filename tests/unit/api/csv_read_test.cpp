// Reading the CSV files officials upload, as spreadsheets write them.
#include "dgw/api/csv_read.hpp"

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

using rows = std::vector<std::vector<std::string>>;

rows read_ok(std::string_view text) {
    csv_problem error;
    auto t = read_csv(text, error);
    EXPECT_TRUE(t) << "line " << error.line;
    return t ? t->rows : rows{};
}

std::string read_error(std::string_view text) {
    csv_problem error;
    EXPECT_FALSE(read_csv(text, error)) << "read: " << text;
    const char* what[] = {"a quoted field is never closed", "text after a closing quote", "too many rows"};
    return "line " + std::to_string(error.line) + ": " + what[static_cast<int>(error.what)];
}

TEST(CsvRead, ExcelsQuotingLineBreaksInsideAndCrlf) {
    EXPECT_EQ(read_ok("\xEF\xBB\xBFnguon,noi_dung\r\nthu,\"Đường \"\"sạt lở\"\",\r\nxe không qua\"\r\n\r\n"),
              (rows{{"nguon", "noi_dung"}, {"thu", "Đường \"sạt lở\",\r\nxe không qua"}}));
}

TEST(CsvRead, SemicolonsWhenTheHeaderUsesThem) {
    EXPECT_EQ(read_ok("source;text\nletter;a, b\n"), (rows{{"source", "text"}, {"letter", "a, b"}}));
}

TEST(CsvRead, EmptyFieldsAndAMissingLastNewline) {
    EXPECT_EQ(read_ok("a,b,c\n,,x"), (rows{{"a", "b", "c"}, {"", "", "x"}}));
    EXPECT_EQ(read_ok("a,\"\"\n"), (rows{{"a", ""}}));
}

TEST(CsvRead, AQuoteInsideAnUnquotedFieldIsKept) {
    EXPECT_EQ(read_ok("a,ống 5\" bị vỡ\n"), (rows{{"a", "ống 5\" bị vỡ"}}));
}

TEST(CsvRead, BrokenQuotingSaysWhere) {
    EXPECT_EQ(read_error("a,b\nx,\"never closed\n"), "line 2: a quoted field is never closed");
    EXPECT_EQ(read_error("a,b\n\"closed\"then,x\n"), "line 2: text after a closing quote");
}

TEST(CsvRead, TooManyRowsIsAnError) {
    std::string text = "a\n";
    for (int i = 0; i < 10; ++i) text += "x\n";
    csv_problem error;
    EXPECT_FALSE(read_csv(text, error, 5));
    EXPECT_EQ(error.what, csv_problem::kind::too_many_rows);
}

}  // namespace
}  // namespace dgw::api
