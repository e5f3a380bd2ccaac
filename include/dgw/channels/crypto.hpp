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
std::string sha1(std::string_view data);

/// Lower-case hex of raw bytes ("mac=<hex>", "sha256=<hex>").
std::string to_hex(std::string_view raw);
/// Standard base64 with padding (LINE, Twilio).
std::string to_base64(std::string_view raw);

/// A name-based UUID (RFC 4122 version 5: SHA-1 of the gateway's namespace UUID + `name`) in
/// its text form, e.g. "2ed3f6b0-4c1a-5e7f-9a3b-0c1d2e3f4a5b": the same name always gives the
/// same UUID (LINE's X-Line-Retry-Key must be the same on every attempt of a message).
std::string name_uuid(std::string_view name);

}  // namespace dgw::channels
