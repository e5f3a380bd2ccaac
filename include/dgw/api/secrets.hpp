#pragma once
/// Passwords and tokens of officials' accounts: scrypt password hashes (OpenSSL 3 EVP_KDF),
/// random session and API tokens, their SHA-256 for storage, and constant-time comparison.
/// Thread-safe; no I/O besides the OpenSSL random generator.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::api {

/// scrypt cost: N = 2^log_n, r, p. The default costs about 32 MiB and a tenth of a second.
struct scrypt_params {
    unsigned log_n = 15;
    unsigned r = 8;
    unsigned p = 1;
};

/// "$scrypt$ln=15,r=8,p=1$<base64 salt>$<base64 hash>" with a fresh 16-byte salt and a
/// 32-byte hash. Throws std::runtime_error when OpenSSL fails (out of memory).
std::string hash_password(std::string_view password, const scrypt_params& params = {});

/// The same with a given salt (for tests that pin the output).
std::string hash_password_with_salt(std::string_view password, std::string_view salt,
                                    const scrypt_params& params);

/// True when `password` matches `encoded`. The hashes are compared in constant time; a
/// malformed `encoded` (or parameters outside sane bounds) is false, never an exception.
bool verify_password(std::string_view password, std::string_view encoded);

/// `bytes` random bytes as unpadded base64url (43 characters for 32 bytes).
std::string random_token(std::size_t bytes = 32);

/// The bytes of standard base64 text (padded, as a browser's data: URL carries a file), or
/// nothing when it is not base64.
std::optional<std::string> decode_base64(std::string_view text);

/// A random number from the OS's entropy (OpenSSL): what concern references are drawn from,
/// so that nobody can guess the next one.
std::uint32_t random_u32();

/// A one-time password people can type: four groups of five lower-case letters and digits
/// without look-alikes ("k7mpx-3qrta-..."), about 99 bits.
std::string readable_password();

/// Lower-case hex SHA-256: how session and API tokens are stored.
std::string sha256_hex(std::string_view data);

/// Equality with the content compared in constant time (CRYPTO_memcmp); only the lengths may
/// leak. The same contract as channels::constant_time_equal, which `api` may not include.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace dgw::api
