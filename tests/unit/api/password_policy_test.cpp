#include <dgw/api/password_policy.hpp>

#include <gtest/gtest.h>

namespace dgw::api {
namespace {

TEST(PasswordPolicy, ShortPasswordsAreRefusedByCharactersNotBytes) {
    EXPECT_EQ(check_password("k7mpx-3qr"), password_problem::too_short);
    // Ten characters with diacritics are more than ten bytes, and nine are still too few.
    EXPECT_EQ(check_password("mậtkhẩucủa"), password_problem::none);
    EXPECT_EQ(check_password("mậtkhẩucủ"), password_problem::too_short);
}

TEST(PasswordPolicy, TheShippedListAndTrivialRunsAreRefused) {
    EXPECT_GT(common_password_count(), 3000u);
    for (const char* p : {"1234567890", "12345678910", "password123", "Password123", "PASSWORD123",
                          "matkhau123", "anhyeuem123", "qwertyuiop", "1q2w3e4r5t", "iloveyou2024",
                          "nguyen1990", "0987654321", "1111111111"})
        EXPECT_EQ(check_password(p), password_problem::common) << p;
    // Runs of any length, past what the list holds.
    for (const char* p : {"abcdefghijklmnop", "zzzzzzzzzzzzzzzzzzzz", "98765432109876",
                          "123456789012345678"})
        EXPECT_EQ(check_password(p), password_problem::common) << p;
}

TEST(PasswordPolicy, TheUserNameDressedUpIsRefused) {
    EXPECT_EQ(check_password("lan.nguyen2024", "lan.nguyen"), password_problem::like_name);
    EXPECT_EQ(check_password("@@lan.nguyen!!", "lan.nguyen"), password_problem::like_name);
    EXPECT_EQ(check_password("lan.nguyen đi chợ sớm", "lan.nguyen"), password_problem::none);
}

TEST(PasswordPolicy, AnOrdinaryPassphraseIsAccepted) {
    EXPECT_EQ(check_password("a-new-long-password-2026", "admin"), password_problem::none);
    EXPECT_EQ(check_password("mây trắng bay qua núi"), password_problem::none);
    EXPECT_EQ(check_password("k7mpx-3qrta-9vhd2"), password_problem::none);
}

TEST(PasswordPolicy, EachProblemHasACodeAndWordsInBothLanguages) {
    for (auto p : {password_problem::too_short, password_problem::common, password_problem::like_name}) {
        EXPECT_TRUE(password_problem_code(p).starts_with("password_"));
        const auto vi = password_problem_message(p, "vi");
        const auto en = password_problem_message(p, "en");
        EXPECT_NE(vi, en);
        EXPECT_NE(vi.find("Mật khẩu"), std::string::npos) << vi;
        EXPECT_NE(en.find("password"), std::string::npos) << en;
    }
    EXPECT_EQ(password_problem_code(password_problem::none), "");
}

}  // namespace
}  // namespace dgw::api
