#include "dgw/core/words.hpp"

#include <gtest/gtest.h>

#include <array>

namespace dgw::core {
namespace {

using nlohmann::json;

TEST(Words, PlaceholdersAreFilledFromTheParameters) {
    EXPECT_EQ(fill("{field} has at most {limit} bytes", {{"field", "venue"}, {"limit", 300}}),
              "venue has at most 300 bytes");
    // A value that is not given stays visible rather than vanishing.
    EXPECT_EQ(fill("flow {id} version {version}", {{"id", "main"}}), "flow main version {version}");
    EXPECT_EQ(fill("no braces", json::object()), "no braces");
    EXPECT_EQ(fill("a { left open", {{"x", 1}}), "a { left open");
    EXPECT_EQ(fill("write {{ or }} for a brace", json::object()), "write {{ or }} for a brace");
    EXPECT_EQ(placeholders("Phản ánh {ref} đã được gộp vào {into}."),
              (std::vector<std::string>{"ref", "into"}));
}

TEST(Words, AnEntryIsFoundByItsCode) {
    constexpr std::array<words, 2> table{words{"a", "một", "one"}, words{"b", "hai", "two"}};
    ASSERT_NE(find_words(table, "b"), nullptr);
    EXPECT_EQ(find_words(table, "b")->vi, "hai");
    EXPECT_EQ(find_words(table, "c"), nullptr);
}

}  // namespace
}  // namespace dgw::core
