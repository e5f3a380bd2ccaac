#include "dgw/http/types.hpp"

#include <nlohmann/json.hpp>

namespace dgw::http {

std::string url_decode(std::string_view in, bool plus_as_space) {
    std::string out;
    out.reserve(in.size());
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '+' && plus_as_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
            out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string request_context::query_param(std::string_view name) const {
    std::string_view q = query;
    while (!q.empty()) {
        auto amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        auto eq = pair.find('=');
        if (url_decode(pair.substr(0, eq)) == name)
            return eq == std::string_view::npos ? std::string() : url_decode(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        q.remove_prefix(amp + 1);
    }
    return {};
}

response json_response(status s, const nlohmann::json& body) {
    response res{s, 11};
    res.set(beast::http::field::content_type, "application/json");
    res.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    res.prepare_payload();
    return res;
}

response text_response(status s, std::string body, std::string_view content_type) {
    response res{s, 11};
    res.set(beast::http::field::content_type, content_type);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response error_response(status s, std::string_view code, std::string_view message) {
    return json_response(s, {{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace dgw::http
