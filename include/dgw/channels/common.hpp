#pragma once
/// Small pure helpers shared by the channel adapters: constant-time secret comparison, exact
/// 64-bit id reading from untrusted JSON, and splitting long texts at the platforms' limits.
/// Everything here is thread-safe and does no I/O.

#include <dgw/channels/adapter.hpp>

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::channels {

/// True when `a` and `b` are equal. The content is compared in constant time
/// (CRYPTO_memcmp); only the lengths may leak through timing, which is acceptable for secrets
/// of a configured, non-secret length.
bool constant_time_equal(std::string_view a, std::string_view b);

/// An integer JSON value as int64, or nothing for floats, strings, out-of-range values and
/// anything else. Platform ids exceed 2^31 and sometimes 2^53: they are never read as double.
std::optional<std::int64_t> json_int64(const nlohmann::json& j);

/// The member `key` of a JSON object, or nullptr (also when `obj` is not an object).
const nlohmann::json* json_member(const nlohmann::json& obj, std::string_view key);

/// An integer member of an object (as json_int64), or nothing when absent or not an integer.
std::optional<std::int64_t> json_int64(const nlohmann::json& obj, std::string_view key);

/// A string member of an object, or nothing when absent or not a string.
std::optional<std::string> json_string(const nlohmann::json& obj, std::string_view key);

/// How a platform counts the length of a text.
enum class length_unit {
    code_points,  ///< Unicode characters
    utf16_units,  ///< UTF-16 code units: characters above U+FFFF (emoji) count two
};

/// The length of UTF-8 `text` in `unit`s (an invalid byte counts as one unit).
std::size_t text_length(std::string_view text, length_unit unit);

/// Splits UTF-8 `text` into parts of at most `max_len` units each, never inside a UTF-8
/// sequence and never right before a combining mark. A part ends preferably at a line break,
/// else at a space, found in its second half; the break character itself is dropped. Texts
/// within the limit come back as one part; an empty text as no part. `max_len` must be > 1.
std::vector<std::string> split_text(std::string_view text, std::size_t max_len, length_unit unit);

/// A refusal of a webhook: `v` with the HTTP status to answer and the reason.
parse_result reject(parse_result::verdict v, unsigned status, std::string error);

/// Cuts `s` to at most `max_bytes`, at a UTF-8 character boundary, so that a reason built from
/// a platform's answer stays short and valid text.
std::string truncate_reason(std::string s, std::size_t max_bytes = 300);

/// `s` without leading and trailing spaces and tabs.
std::string trim(std::string_view s);

/// ASCII letters lower-cased; other bytes unchanged (header values, hex digests).
std::string ascii_lower(std::string s);

/// `text` with every occurrence of `secret` replaced by "***" (for error texts built from what
/// a platform answered; an empty `secret` changes nothing).
std::string redact(std::string text, std::string_view secret);

/// True when the platform already refused `path` for the message `ctx` renders.
bool was_refused(const render_context& ctx, core::reach_path path);

/// The first permission of `kind` that is usable at ctx.now (granted, with a token when
/// `with_token`, not expired), or nullptr.
const core::permission* usable_permission(const render_context& ctx, core::permission_kind kind,
                                          bool with_token);

/// The permission of `kind` the citizen last reported, usable or not, or nullptr.
const core::permission* reported_permission(const render_context& ctx, core::permission_kind kind);

/// For platforms that reach their citizens at any time: free, unless the citizen's last word on
/// `kind` withdrew it (then path none with `withdrawn` as the reason) or the platform refused
/// the free message (path none, `refused`).
delivery_plan free_unless_withdrawn(const render_context& ctx, core::permission_kind kind,
                                    std::string withdrawn, std::string refused);

/// `s` percent-encoded for a query or form value: unreserved characters (A-Z a-z 0-9 - _ . ~)
/// kept, every other byte as %XX.
std::string percent_encode(std::string_view s);

/// True when `id` is a platform's decimal id (1 to 32 digits, as LINE's message ids and Meta's
/// media ids are): anything else must never become part of a request's path.
bool decimal_id(std::string_view id);

/// True when `url` is on the scheme, host and port of `base` (an absolute http(s) URL): it
/// starts with base's "scheme://authority" followed by '/', '?' or nothing, so neither
/// "https://host.evil.example/" nor "https://host@evil.example/" passes for "https://host".
/// For a request that carries the channel's credentials to where the platform said.
bool on_origin(std::string_view url, std::string_view base);

}  // namespace dgw::channels
