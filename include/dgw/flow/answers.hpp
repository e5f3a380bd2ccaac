#pragma once
/// Parsing of typed answers that do not depend on a flow: phone numbers and numbers.

#include <optional>
#include <string>
#include <string_view>

namespace dgw::flow {

/// A Vietnamese phone number in E.164 ("+84912345678"), from "0912 345 678", "0912.345.678",
/// "+84 912 345 678", "84912345678" or "0084...". Mobile numbers have 9 digits after the
/// country code, landlines (02x area codes) 10. Anything else is nothing.
std::optional<std::string> normalize_phone(std::string_view text);

/// The first number in a message ("khoảng 50 người" -> 50, "2,5" -> 2.5).
std::optional<double> parse_number(std::string_view text);

}  // namespace dgw::flow
