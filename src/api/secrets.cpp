#include "dgw/api/secrets.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

namespace dgw::api {
namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;

std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("the random generator failed");
    return out;
}

std::string base64(std::string_view raw) {
    std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(raw.data()),
                            static_cast<int>(raw.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

// EVP_DecodeBlock counts padding as zero bytes: take them off again.
bool unbase64(std::string_view text, std::string& out) {
    if (text.empty() || text.size() % 4 != 0) return false;
    out.assign(text.size() / 4 * 3, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0) return false;
    std::size_t pad = text.ends_with("==") ? 2 : text.ends_with('=') ? 1 : 0;
    out.resize(static_cast<std::size_t>(n) - pad);
    return true;
}

std::string scrypt(std::string_view password, std::string_view salt, const scrypt_params& prm,
                   std::size_t out_len) {
    std::unique_ptr<EVP_KDF, decltype(&EVP_KDF_free)> kdf(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr),
                                                          &EVP_KDF_free);
    if (!kdf) throw std::runtime_error("OpenSSL has no SCRYPT KDF");
    std::unique_ptr<EVP_KDF_CTX, decltype(&EVP_KDF_CTX_free)> ctx(EVP_KDF_CTX_new(kdf.get()),
                                                                  &EVP_KDF_CTX_free);
    if (!ctx) throw std::runtime_error("out of memory");
    std::uint64_t n = std::uint64_t{1} << prm.log_n;
    std::uint32_t r = prm.r, p = prm.p;
    // OpenSSL wants non-const pointers but does not write through them. An empty password
    // still needs a valid pointer.
    static char empty = 0;
    void* pass = password.empty() ? &empty : const_cast<char*>(password.data());
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, pass, password.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                          salt.size()),
        OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
        OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
        OSSL_PARAM_construct_end()};
    std::string out(out_len, '\0');
    if (EVP_KDF_derive(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), out_len, params) !=
        1)
        throw std::runtime_error("scrypt failed");
    return out;
}

// "ln=15,r=8,p=1" -> params; bounds keep a tampered hash from costing gigabytes.
bool parse_params(std::string_view text, scrypt_params& out) {
    unsigned* fields[] = {&out.log_n, &out.r, &out.p};
    const char* names[] = {"ln=", "r=", "p="};
    for (int i = 0; i < 3; ++i) {
        if (!text.starts_with(names[i])) return false;
        text.remove_prefix(std::string_view(names[i]).size());
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *fields[i]);
        if (ec != std::errc{}) return false;
        text.remove_prefix(static_cast<std::size_t>(end - text.data()));
        if (i < 2) {
            if (!text.starts_with(',')) return false;
            text.remove_prefix(1);
        }
    }
    return text.empty() && out.log_n >= 10 && out.log_n <= 20 && out.r >= 1 && out.r <= 32 &&
           out.p >= 1 && out.p <= 16;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        auto i = s.find(sep);
        out.push_back(s.substr(0, i));
        if (i == std::string_view::npos) return out;
        s.remove_prefix(i + 1);
    }
}

}  // namespace

std::string hash_password_with_salt(std::string_view password, std::string_view salt,
                                    const scrypt_params& params) {
    auto hash = scrypt(password, salt, params, hash_bytes);
    return "$scrypt$ln=" + std::to_string(params.log_n) + ",r=" + std::to_string(params.r) +
           ",p=" + std::to_string(params.p) + "$" + base64(salt) + "$" + base64(hash);
}

std::string hash_password(std::string_view password, const scrypt_params& params) {
    return hash_password_with_salt(password, random_bytes(salt_bytes), params);
}

bool verify_password(std::string_view password, std::string_view encoded) {
    // "", "scrypt", params, salt, hash
    auto parts = split(encoded, '$');
    if (parts.size() != 5 || !parts[0].empty() || parts[1] != "scrypt") return false;
    scrypt_params params;
    std::string salt, hash;
    if (!parse_params(parts[2], params) || !unbase64(parts[3], salt) || !unbase64(parts[4], hash))
        return false;
    if (hash.size() < 16 || hash.size() > 64) return false;
    try {
        return constant_time_equal(scrypt(password, salt, params, hash.size()), hash);
    } catch (const std::runtime_error&) {
        return false;
    }
}

std::string random_token(std::size_t bytes) {
    auto s = base64(random_bytes(bytes));
    while (!s.empty() && s.back() == '=') s.pop_back();
    for (auto& c : s) {
        if (c == '+') c = '-';
        if (c == '/') c = '_';
    }
    return s;
}

std::uint32_t random_u32() {
    std::uint32_t v = 0;
    const auto bytes = random_bytes(sizeof v);
    std::memcpy(&v, bytes.data(), sizeof v);
    return v;
}

std::string readable_password() {
    // No 0/o, 1/l/i: read aloud or copied from a terminal without mistakes.
    constexpr std::string_view alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
    std::string out;
    while (out.size() < 23) {
        if (out.size() % 6 == 5) {
            out += '-';
            continue;
        }
        // Rejection sampling keeps every character equally likely.
        auto b = static_cast<unsigned char>(random_bytes(1)[0]);
        if (b >= 256 - 256 % alphabet.size()) continue;
        out += alphabet[b % alphabet.size()];
    }
    return out;
}

std::string sha256_hex(std::string_view data) {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), d, &len, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
        out += hex[d[i] >> 4];
        out += hex[d[i] & 15];
    }
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<std::string> decode_base64(std::string_view text) {
    std::string out;
    if (!unbase64(text, out)) return std::nullopt;
    return out;
}

}  // namespace dgw::api
