#include <dgw/channels/crypto.hpp>

#include <gtest/gtest.h>

namespace dgw::channels {
namespace {

// Vectors from RFC 4231 (HMAC-SHA256), RFC 2202 (HMAC-SHA1) and FIPS 180-2 (SHA-256).
TEST(Crypto, KnownVectors) {
    EXPECT_EQ(to_hex(hmac_sha256("Jefe", "what do ya want for nothing?")),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(to_hex(hmac_sha1("Jefe", "what do ya want for nothing?")),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    EXPECT_EQ(to_hex(sha256("abc")),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(sha1("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");  // FIPS 180-2
}

// Expected values from Python's uuid.uuid5 with the gateway's namespace UUID.
TEST(Crypto, NameUuidIsRfc4122Version5) {
    EXPECT_EQ(name_uuid(""), "947e73ad-dd7c-5764-9470-bf6c0c2ddb56");
    EXPECT_EQ(name_uuid("line-retry:line:42:0"), "4a85cc1d-aca2-54ea-9e4d-b8d60e54f7c2");
    EXPECT_EQ(name_uuid("line-retry:line:42:0"), name_uuid("line-retry:line:42:0"));
    EXPECT_NE(name_uuid("line-retry:line:42:0"), name_uuid("line-retry:line:42:1"));
}

TEST(Crypto, Base64) {
    EXPECT_EQ(to_base64(""), "");
    EXPECT_EQ(to_base64("f"), "Zg==");
    EXPECT_EQ(to_base64("fo"), "Zm8=");
    EXPECT_EQ(to_base64("foobar"), "Zm9vYmFy");
}

}  // namespace
}  // namespace dgw::channels
