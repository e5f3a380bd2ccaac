#include "dgw/flow/answers.hpp"

#include <cctype>
#include <cstdlib>

namespace dgw::flow {

std::optional<std::string> normalize_phone(std::string_view text) {
    std::string digits;
    bool plus = false;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') {
            return std::nullopt;  // letters: not a phone number, whatever digits it holds
        }
    }
    std::string national;  // without the leading 0
    if (plus) {
        if (!digits.starts_with("84")) return std::nullopt;
        national = digits.substr(2);
    } else if (digits.starts_with("0084")) {
        national = digits.substr(4);
    } else if (digits.starts_with("84") && (digits.size() == 11 || digits.size() == 12)) {
        national = digits.substr(2);
    } else if (digits.starts_with("0")) {
        national = digits.substr(1);
    } else {
        return std::nullopt;
    }
    if (national.empty() || national[0] == '0') return std::nullopt;
    bool mobile = national.size() == 9 &&
                  std::string_view("35789").find(national[0]) != std::string_view::npos;
    bool landline = national.size() == 10 && national[0] == '2';
    if (!mobile && !landline) return std::nullopt;
    return "+84" + national;
}

std::optional<double> parse_number(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && !(text[i] >= '0' && text[i] <= '9')) ++i;
    if (i == text.size()) return std::nullopt;
    bool negative = i > 0 && text[i - 1] == '-';
    std::string num;
    bool sep = false;
    for (; i < text.size(); ++i) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            num += c;
        } else if ((c == ',' || c == '.') && !sep && i + 1 < text.size() && text[i + 1] >= '0' &&
                   text[i + 1] <= '9') {
            // Vietnamese writes the decimal separator as a comma; both are accepted.
            num += '.';
            sep = true;
        } else {
            break;
        }
    }
    if (num.size() > 15) return std::nullopt;
    double v = std::strtod(num.c_str(), nullptr);
    return negative ? -v : v;
}

}  // namespace dgw::flow
