#pragma once
/// The digests the platforms sign webhooks with (PLATFORMS.md "Inbound: verify"), and the
/// encodings they put them in. Pure functions over OpenSSL's libcrypto.

#include <string>
#include <string_view>

namespace dgw::channels {

/// Raw (binary) digests.
std::string hmac_sha256(std::string_view key, std::string_view data);
std::string hmac_sha1(std::string_view key, std::string_view data);
std::string sha256(std::string_view data);

/// Lower-case hex of raw bytes ("mac=<hex>", "sha256=<hex>").
std::string to_hex(std::string_view raw);
/// Standard base64 with padding (LINE, Twilio).
std::string to_base64(std::string_view raw);

}  // namespace dgw::channels
