#pragma once
/// Which passwords an account may have: what the password change, an admin setting a user's
/// password and the web app's forms refuse. Pure functions over the password's bytes.

#include <cstddef>
#include <string>
#include <string_view>

namespace dgw::api {

/// The fewest characters (Unicode code points) a password chosen by a person may have.
inline constexpr std::size_t min_password_length = 10;

/// Why a password is refused.
enum class password_problem {
    none,
    too_short,     ///< fewer than min_password_length characters
    common,        ///< in config/common_passwords.txt (ignoring case), or one character
                   ///< repeated, or a run such as "abcdefghij" or "9876543210"
    like_name,     ///< the user name, maybe with digits or symbols around it
};

/// The problem with `password` as the password of `user_name` ("" when not known).
password_problem check_password(std::string_view password, std::string_view user_name = {});

/// The API error code of a problem: "password_too_short", "password_common",
/// "password_like_name" ("" for none).
std::string_view password_problem_code(password_problem p);

/// What to tell the person, in `lang` ("en", else Vietnamese).
std::string password_problem_message(password_problem p, std::string_view lang);

/// How many entries the shipped list of common passwords has (for tests and the README).
std::size_t common_password_count();

}  // namespace dgw::api
