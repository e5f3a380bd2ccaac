#include <dgw/channels/webchat.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;
using verdict = parse_result::verdict;

constexpr std::size_t session_hex_digits = 32;  // 128 bits
constexpr std::size_t max_client_id = 64;

bool lower_hex(std::string_view s) {
    for (char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
}

bool token_chars(std::string_view s) {
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_';
        if (!ok) return false;
    }
    return true;
}

// The one kind of input the body carries; a second one is ambiguous and refused.
constexpr std::array<std::string_view, 4> input_keys{"text", "choice", "location", "image"};
constexpr std::array<std::string_view, 4> other_keys{"id", "lang", "caption", "invite"};

bool known_key(std::string_view key) {
    for (auto k : input_keys)
        if (k == key) return true;
    for (auto k : other_keys)
        if (k == key) return true;
    return false;
}

struct format_name {
    image_format format;
    std::string_view mime;
    std::string_view extension;
};
constexpr std::array<format_name, 3> image_formats{{
    {image_format::jpeg, "image/jpeg", "jpg"},
    {image_format::png, "image/png", "png"},
    {image_format::webp, "image/webp", "webp"},
}};

const format_name& format_names(image_format f) {
    for (const auto& n : image_formats)
        if (n.format == f) return n;
    return image_formats[0];  // unreachable: every enumerator is in the table
}

parse_result bad(std::string error) {
    return reject(verdict::bad_request, 400, std::move(error));
}

bool blank(std::string_view s) {
    for (char c : s)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    return true;
}

// Reads the one input of `body` into `ev`; an error text when it is malformed.
std::optional<std::string> read_input(const json& body, std::string_view key,
                                      std::size_t max_text, core::inbound_event& ev) {
    const json& v = body.at(std::string(key));
    if (key == "text") {
        if (!v.is_string()) return "text must be a string";
        auto text = v.get<std::string>();
        if (text.size() > max_text) return "text is too long";
        if (blank(text)) return "text is empty";
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(text);
        return std::nullopt;
    }
    if (key == "choice") {
        if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
            v.get_ref<const std::string&>().size() > max_client_id)
            return "choice must be a button id";
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = v.get<std::string>();
        return std::nullopt;
    }
    if (key == "location") {
        if (!v.is_object() || v.size() != 2 || !v.contains("lat") || !v.contains("lon") ||
            !v["lat"].is_number() || !v["lon"].is_number())
            return "location must be {\"lat\": number, \"lon\": number}";
        const double lat = v["lat"].get<double>();
        const double lon = v["lon"].get<double>();
        if (!std::isfinite(lat) || !std::isfinite(lon) || std::abs(lat) > 90 ||
            std::abs(lon) > 180)
            return "location is out of range";
        ev.kind = core::inbound_kind::location;
        ev.lat = lat;
        ev.lon = lon;
        return std::nullopt;
    }
    // image: only an id this gateway handed out may name a file.
    if (!v.is_string() || !valid_media_id(v.get_ref<const std::string&>()))
        return "image must be a media id from an upload";
    ev.kind = core::inbound_kind::image;
    ev.media.push_back(v.get<std::string>());
    if (auto it = body.find("caption"); it != body.end()) {
        if (!it->is_string() || it->get_ref<const std::string&>().size() > max_text)
            return "caption must be a short string";
        ev.text = core::nfc(it->get<std::string>());
    }
    return std::nullopt;
}

}  // namespace

namespace {

// The signature of a session: only the gateway, which holds the key, can make a value the
// server accepts, so a client cannot mint sessions to get around their limits.
std::string session_signature(std::string_view session, std::string_view key) {
    return to_hex(hmac_sha256(key, "dgw-webchat-cookie:" + std::string(session)));
}

}  // namespace

std::optional<std::string> webchat_session(std::string_view cookie_header, std::string_view key) {
    // Cookie: name=value pairs separated by ';' and optional spaces (RFC 6265 §4.2.1).
    while (!cookie_header.empty()) {
        auto semi = cookie_header.find(';');
        std::string_view pair = cookie_header.substr(0, semi);
        cookie_header = semi == std::string_view::npos ? std::string_view{}
                                                       : cookie_header.substr(semi + 1);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        auto eq = pair.find('=');
        if (eq == std::string_view::npos || pair.substr(0, eq) != webchat_cookie) continue;
        std::string_view value = pair.substr(eq + 1);
        while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
        // "<session>.<signature>"; a malformed or forged value is not silently replaced by a
        // later cookie of the same name.
        const auto dot = value.find('.');
        if (dot != session_hex_digits || key.empty()) return std::nullopt;
        const auto session = value.substr(0, dot);
        if (!lower_hex(session)) return std::nullopt;
        if (!constant_time_equal(value.substr(dot + 1), session_signature(session, key)))
            return std::nullopt;
        return std::string(session);
    }
    return std::nullopt;
}

std::string webchat_cookie_value(std::string_view session, std::string_view key) {
    return std::string(session) + "." + session_signature(session, key);
}

std::string webchat_user_id(std::string_view session) {
    // A domain prefix keeps this hash from matching any other use of the same bytes.
    return "w" + to_hex(sha256("dgw-webchat-session:" + std::string(session))).substr(0, 32);
}

std::optional<image_format> sniff_image(std::string_view b) {
    if (b.size() >= 3 && b.substr(0, 3) == "\xFF\xD8\xFF") return image_format::jpeg;
    if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8))
        return image_format::png;
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP")
        return image_format::webp;
    return std::nullopt;
}

std::string_view mime_type(image_format f) { return format_names(f).mime; }

std::string_view file_extension(image_format f) { return format_names(f).extension; }

std::optional<image_format> image_format_of(std::string_view content_type) {
    const std::string type = ascii_lower(trim(content_type.substr(0, content_type.find(';'))));
    for (const auto& n : image_formats)
        if (type == n.mime) return n.format;
    return std::nullopt;
}

std::string media_id(std::string_view bytes, image_format f) {
    return to_hex(sha256(bytes)) + "." + std::string(file_extension(f));
}

bool valid_media_id(std::string_view id) {
    auto dot = id.find('.');
    if (dot != 64 || !lower_hex(id.substr(0, dot))) return false;
    for (const auto& n : image_formats)
        if (id.substr(dot + 1) == n.extension) return true;
    return false;
}

webchat_adapter::webchat_adapter(webchat_settings settings) : settings_(std::move(settings)) {}

parse_result webchat_adapter::parse(const webhook_request& req) const {
    if (req.method != "POST") return bad("the web chat takes POST");
    // Only a same-origin script can send application/json without a CORS preflight, which
    // this server never grants: together with SameSite=Strict this keeps out forged posts.
    const std::string type = ascii_lower(trim(req.header("content-type")));
    if (type.substr(0, type.find(';')) != "application/json")
        return reject(verdict::bad_request, 415, "Content-Type must be application/json");
    auto session = webchat_session(req.header("cookie"), settings_.session_key);
    if (!session) return reject(verdict::unauthorized, 401, "no chat session: open /chat first");

    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return bad("body is not a JSON object");
    for (const auto& [key, value] : body.items()) {
        (void)value;
        if (!known_key(key)) return bad("unknown key \"" + truncate_reason(key, 40) + "\"");
    }
    auto id = json_string(body, "id");
    if (!id || id->empty() || id->size() > max_client_id || !token_chars(*id))
        return bad("id must be 1-64 of A-Za-z0-9_-");
    std::string_view input;
    for (auto k : input_keys) {
        if (!body.contains(std::string(k))) continue;
        if (!input.empty()) return bad("send one of text, choice, location, image");
        input = k;
    }
    if (input.empty()) return bad("send one of text, choice, location, image");
    if (body.contains("caption") && input != "image") return bad("caption goes with an image");

    core::inbound_event ev;
    if (auto it = body.find("lang"); it != body.end()) {
        if (!it->is_string() || (*it != "vi" && *it != "en")) return bad("lang must be vi or en");
        ev.language = it->get<std::string>();
    }
    if (auto error = read_input(body, input, settings_.max_text_bytes, ev)) return bad(*error);
    // Opened from an invitation (/chat?start=moi_<session>): the page sends it along.
    if (auto it = body.find("invite"); it != body.end()) {
        if (!it->is_string() || core::invite_of(it->get<std::string>()).empty())
            return bad("invite must be moi_ and a session id");
        ev.invite = core::invite_of(it->get<std::string>());
    }
    ev.user_id = webchat_user_id(*session);
    ev.dedup_key = ev.user_id + ":" + *id;
    parse_result r;
    r.events.push_back(std::move(ev));
    return r;
}

std::vector<send_request> webchat_adapter::render(std::string_view user_id,
                                                  const core::outbound_message& msg) const {
    (void)user_id;
    (void)msg;
    return {};
}

std::optional<send_request> webchat_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict webchat_adapter::classify(unsigned http_status, std::string_view body) const {
    (void)http_status;
    (void)body;
    return {};
}

delivery_plan webchat_adapter::plan(const render_context& ctx) const {
    (void)ctx;
    return {core::reach_path::page, {}, {}, {}};
}

}  // namespace dgw::channels
