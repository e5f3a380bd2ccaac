#include "dgw/flow/answers.hpp"

#include <gtest/gtest.h>

#include <ostream>

namespace dgw::flow {
namespace {

struct phone_case {
    const char* input;
    const char* expected;  // "" when not a phone number
};

// Names the case in test output instead of dumping its bytes.
void PrintTo(const phone_case& c, std::ostream* os) { *os << '"' << c.input << '"'; }

class Phone : public ::testing::TestWithParam<phone_case> {};

TEST_P(Phone, NormalisesToE164) {
    auto got = normalize_phone(GetParam().input);
    EXPECT_EQ(got.value_or(""), GetParam().expected) << GetParam().input;
}

INSTANTIATE_TEST_SUITE_P(
    VietnameseForms, Phone,
    ::testing::Values(
        phone_case{"0912345678", "+84912345678"}, phone_case{"0912 345 678", "+84912345678"},
        phone_case{"0912.345.678", "+84912345678"}, phone_case{"0912-345-678", "+84912345678"},
        phone_case{"+84912345678", "+84912345678"}, phone_case{"+84 912 345 678", "+84912345678"},
        phone_case{"84912345678", "+84912345678"}, phone_case{"0084912345678", "+84912345678"},
        phone_case{"0381234567", "+84381234567"}, phone_case{"(0214) 3840 123", "+842143840123"},
        phone_case{"091234567", ""}, phone_case{"09123456789", ""}, phone_case{"0112345678", ""},
        phone_case{"+1 415 555 0100", ""}, phone_case{"sdt 0912345678", ""}, phone_case{"", ""},
        phone_case{"+84 0912345678", ""}, phone_case{"1900 1234", ""}));

TEST(Number, FirstNumberInTheMessage) {
    EXPECT_EQ(parse_number("50"), 50.0);
    EXPECT_EQ(parse_number("khoảng 50 người"), 50.0);
    EXPECT_EQ(parse_number("2,5 ha"), 2.5);
    EXPECT_EQ(parse_number("1.5"), 1.5);
    EXPECT_EQ(parse_number("-3"), -3.0);
    EXPECT_FALSE(parse_number("không biết"));
    EXPECT_FALSE(parse_number("1234567890123456789"));
}

}  // namespace
}  // namespace dgw::flow
