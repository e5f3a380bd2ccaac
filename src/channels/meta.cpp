#include "channels/meta.hpp"

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>

#include <utility>

namespace dgw::channels::detail {

namespace {

using json = nlohmann::json;

constexpr std::string_view signature_header = "x-hub-signature-256";
constexpr std::string_view signature_prefix = "sha256=";

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Form decoding: "+" is a space, "%XX" a byte; a malformed escape is kept as it is.
std::string form_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out += ' ';
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

std::string lower_ascii(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        const std::size_t eq = pair.find('=');
        if (form_decode(pair.substr(0, eq)) != name) continue;
        return eq == std::string_view::npos ? std::string{} : form_decode(pair.substr(eq + 1));
    }
    return std::nullopt;
}

std::optional<parse_result> meta_verify(const webhook_request& req, std::string_view app_secret,
                                        std::string_view verify_token) {
    if (req.method == "GET") {
        // The subscription handshake of the App Dashboard: echo hub.challenge when the token is
        // ours; Meta's own sample answers anything else with 403.
        const auto mode = query_value(req.query, "hub.mode");
        const auto token = query_value(req.query, "hub.verify_token");
        const auto challenge = query_value(req.query, "hub.challenge");
        if (verify_token.empty() || mode != "subscribe" || !token || !challenge ||
            !constant_time_equal(*token, verify_token)) {
            return reject(parse_result::verdict::unauthorized, 403,
                               "webhook verification failed");
        }
        parse_result r;
        r.status = 200;
        r.response_body = *challenge;
        r.response_content_type = "text/plain";
        return r;
    }
    // The signature covers the raw bytes: Meta escapes non-ASCII as \uXXXX and '/' as '\/', so
    // anything re-serialised would no longer match. An adapter without app secret fails closed.
    const std::string header = req.header(signature_header);
    if (app_secret.empty() || header.size() <= signature_prefix.size() ||
        lower_ascii(header.substr(0, signature_prefix.size())) != signature_prefix) {
        return reject(parse_result::verdict::unauthorized, 401,
                           "missing or malformed X-Hub-Signature-256");
    }
    const std::string expected = to_hex(hmac_sha256(app_secret, req.body));
    if (!constant_time_equal(lower_ascii(header.substr(signature_prefix.size())), expected))
        return reject(parse_result::verdict::unauthorized, 401, "wrong X-Hub-Signature-256");
    return std::nullopt;
}

std::optional<graph_error> read_graph_error(const json& body) {
    const json* err = json_member(body, "error");
    if (!err || !err->is_object()) return std::nullopt;
    graph_error e;
    if (const json* c = json_member(*err, "code")) e.code = json_int64(*c).value_or(0);
    if (const json* c = json_member(*err, "error_subcode")) e.subcode = json_int64(*c).value_or(0);
    e.message = json_string(*err, "message").value_or("");
    // WhatsApp puts the useful part in error_data.details ("Message failed to send because
    // more than 24 hours have passed...").
    if (const json* data = json_member(*err, "error_data")) {
        if (auto details = json_string(*data, "details"); details && !details->empty())
            e.message = e.message.empty() ? *details : e.message + ": " + *details;
    }
    return e;
}

std::string safe_reason(std::string s, std::string_view secret) {
    return truncate_reason(redact(std::move(s), secret));
}

std::string short_title(std::string_view label, std::string_view fallback, std::size_t max_chars) {
    const std::string_view text = label.empty() ? fallback : label;
    // split_text cuts on code points, never before a combining mark, and prefers a word break
    // in the second half: "Giao thông vận tải đường bộ" becomes "Giao thông vận tải".
    auto parts = split_text(text, max_chars, length_unit::code_points);
    return parts.empty() ? std::string{} : std::move(parts.front());
}

std::string with_numbered_choices(std::string_view text,
                                  const std::vector<core::choice_button>& choices) {
    std::string out(text);
    for (std::size_t i = 0; i < choices.size(); ++i) {
        if (!out.empty()) out += i == 0 ? "\n\n" : "\n";
        const auto& c = choices[i];
        out += std::to_string(i + 1) + ". " + (c.label.empty() ? c.id : c.label);
    }
    return out;
}

bool window_open(const render_context& ctx) {
    return !ctx.last_inbound_at || ctx.now - *ctx.last_inbound_at <= messaging_window;
}

std::optional<delivery_plan> window_plan(const render_context& ctx) {
    delivery_plan p;
    if (window_open(ctx) && !was_refused(ctx, core::reach_path::free)) return p;
    if (ctx.notice) return std::nullopt;
    p.path = core::reach_path::none;
    p.reason = std::string(window_closed);
    return p;
}

std::string dump_body(const json& body) {
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<parse_result> meta_open(const webhook_request& req, std::string_view app_secret,
                                      std::string_view verify_token, std::string_view object,
                                      nlohmann::json& body) {
    if (auto answer = meta_verify(req, app_secret, verify_token)) return answer;
    body = nlohmann::json::parse(req.body, nullptr, false);
    if (body.is_discarded())
        return reject(parse_result::verdict::bad_request, 400, "body is not valid JSON");
    if (json_string(body, "object") != object)
        return reject(parse_result::verdict::bad_request, 404,
                      "not a webhook for object \"" + std::string(object) + "\"");
    const auto* entries = json_member(body, "entry");
    if (!entries || !entries->is_array())
        return reject(parse_result::verdict::bad_request, 400, "webhook without entry array");
    return std::nullopt;
}

}  // namespace dgw::channels::detail
