#include <dgw/api/password_policy.hpp>

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

namespace dgw::api {

// config/common_passwords.txt, compiled into the binary (cmake/embed_file.cmake): the refusal
// holds whatever is installed next to the gateway.
extern const std::string_view common_passwords_txt;

namespace {

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}

// Code points, not bytes: "mật khẩu" is 8 characters, as a person counts them.
std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

const std::unordered_set<std::string>& common_passwords() {
    // Built once, on first use, from the embedded file; read-only afterwards.
    static const auto set = [] {
        std::unordered_set<std::string> s;
        std::string_view rest = common_passwords_txt;
        while (!rest.empty()) {
            const auto end = rest.find('\n');
            auto line = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            if (line.empty() || line.front() == '#') continue;
            s.insert(lower_ascii(line));
        }
        return s;
    }();
    return set;
}

// One character over and over, or each byte one above (or below) the one before:
// "zzzzzzzzzz", "abcdefghijk", "9876543210". The list cannot hold every length of these.
bool trivial(const std::string& p) {
    if (p.size() < 2) return true;
    const auto step = [&](int d) {
        for (std::size_t i = 1; i < p.size(); ++i)
            if (static_cast<unsigned char>(p[i]) != static_cast<unsigned char>(p[i - 1]) + d &&
                !(d == 1 && p[i - 1] == '9' && p[i] == '0'))
                return false;
        return true;
    };
    return step(0) || step(1) || step(-1);
}

bool only_digits_or_symbols(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) {
        return !std::isalpha(static_cast<unsigned char>(ch)) &&
               (static_cast<unsigned char>(ch) & 0x80) == 0;
    });
}

}  // namespace

password_problem check_password(std::string_view password, std::string_view user_name) {
    if (characters(password) < min_password_length) return password_problem::too_short;
    const std::string p = lower_ascii(password);
    if (trivial(p) || common_passwords().contains(p)) return password_problem::common;
    const std::string name = lower_ascii(user_name);
    if (name.size() >= 3) {
        // "lan2024!!!", "@@lan12345": the user name dressed up is guessed first.
        const auto at = p.find(name);
        if (at != std::string::npos &&
            only_digits_or_symbols(std::string_view(p).substr(0, at)) &&
            only_digits_or_symbols(std::string_view(p).substr(at + name.size())))
            return password_problem::like_name;
    }
    return password_problem::none;
}

std::string_view password_problem_code(password_problem p) {
    switch (p) {
        case password_problem::too_short: return "password_too_short";
        case password_problem::common: return "password_common";
        case password_problem::like_name: return "password_like_name";
        case password_problem::none: break;
    }
    return "";
}

std::string password_problem_message(password_problem p, std::string_view lang) {
    const bool en = lang == "en";
    switch (p) {
        case password_problem::too_short:
            return en ? "The password must have at least " + std::to_string(min_password_length) +
                            " characters."
                      : "Mật khẩu phải có ít nhất " + std::to_string(min_password_length) +
                            " ký tự.";
        case password_problem::common:
            return en ? "This password is too common or too easy to guess (like 1234567890 or "
                        "password123): choose another one, for example a few words of a sentence."
                      : "Mật khẩu này quá phổ biến hoặc quá dễ đoán (như 1234567890 hay "
                        "password123): hãy chọn mật khẩu khác, ví dụ vài từ của một câu.";
        case password_problem::like_name:
            return en ? "The password must not be the user name with a few digits or symbols."
                      : "Mật khẩu không được là tên đăng nhập thêm vài chữ số hay ký hiệu.";
        case password_problem::none: break;
    }
    return "";
}

std::size_t common_password_count() { return common_passwords().size(); }

}  // namespace dgw::api
