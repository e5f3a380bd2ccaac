#include <dgw/api/secrets.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace dgw::api {
namespace {

TEST(Secrets, ScryptMatchesTheRfc7914Vector) {
    // RFC 7914 §12: scrypt("password", "NaCl", N=1024, r=8, p=16); the first 32 bytes of its
    // 64-byte output (PBKDF2 output blocks are independent, so a shorter key is a prefix).
    EXPECT_EQ(hash_password_with_salt("password", "NaCl", {10, 8, 16}),
              "$scrypt$ln=10,r=8,p=16$TmFDbA==$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI=");
}

TEST(Secrets, HashesHaveTheDocumentedFormatAndAFreshSalt) {
    auto a = hash_password("correct horse");
    auto b = hash_password("correct horse");
    std::regex format(R"(\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=)");
    EXPECT_TRUE(std::regex_match(a, format)) << a;
    EXPECT_NE(a, b);  // 16 random bytes of salt each time
    EXPECT_TRUE(verify_password("correct horse", a));
    EXPECT_TRUE(verify_password("correct horse", b));
}

TEST(Secrets, VerifyRefusesWrongPasswordsAndMalformedHashes) {
    auto h = hash_password_with_salt("s3cret-pass", "0123456789abcdef", {10, 8, 1});
    EXPECT_TRUE(verify_password("s3cret-pass", h));
    EXPECT_FALSE(verify_password("s3cret-pasS", h));
    EXPECT_FALSE(verify_password("", h));
    // One changed character of the stored hash.
    auto tampered = h;
    tampered[tampered.size() - 3] = tampered[tampered.size() - 3] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(verify_password("s3cret-pass", tampered));
    for (const char* bad :
         {"", "$scrypt$", "$bcrypt$ln=10,r=8,p=1$AAAA$AAAA",
          "$scrypt$ln=30,r=8,p=1$MDEyMzQ1Njc4OWFiY2RlZg==$AAAA", "$scrypt$ln=10,r=8$MDEy$AAAA",
          "$scrypt$ln=10,r=8,p=1$@@@@$AAAA", "plain text password"}) {
        EXPECT_FALSE(verify_password("s3cret-pass", bad)) << bad;
    }
}

TEST(Secrets, EmptyPasswordsHashAndVerify) {
    auto h = hash_password_with_salt("", "0123456789abcdef", {10, 8, 1});
    EXPECT_TRUE(verify_password("", h));
    EXPECT_FALSE(verify_password(" ", h));
}

TEST(Secrets, TokensAreRandomUrlSafeAndHashedAsHex) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto t = random_token();
        EXPECT_EQ(t.size(), 43u);
        EXPECT_TRUE(std::regex_match(t, std::regex("[A-Za-z0-9_-]+"))) << t;
        seen.insert(t);
    }
    EXPECT_EQ(seen.size(), 50u);
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Secrets, ReadablePasswordsAvoidLookAlikes) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto p = readable_password();
        EXPECT_TRUE(std::regex_match(p, std::regex("([a-hjkmnp-z2-9]{5}-){3}[a-hjkmnp-z2-9]{5}")))
            << p;
        seen.insert(p);
    }
    EXPECT_EQ(seen.size(), 50u);
}

TEST(Secrets, ConstantTimeEqual) {
    EXPECT_TRUE(constant_time_equal("", ""));
    EXPECT_TRUE(constant_time_equal("token", "token"));
    EXPECT_FALSE(constant_time_equal("token", "tokem"));
    EXPECT_FALSE(constant_time_equal("token", "token2"));
    EXPECT_FALSE(constant_time_equal("", "x"));
}

}  // namespace
}  // namespace dgw::api
