#include <dgw/channels/viber.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

constexpr std::string_view signature_header = "x-viber-content-signature";
constexpr std::size_t min_split_length = 100;

// Viber's send_message status codes (REST bot API "Error Codes").
constexpr std::int64_t status_ok = 0;
constexpr std::int64_t status_invalid_auth_token = 2;
constexpr std::int64_t status_receiver_not_registered = 5;
constexpr std::int64_t status_receiver_not_subscribed = 6;
constexpr std::int64_t status_too_many_requests = 12;

// The outcome of reading one callback: an event, nothing to do, or a malformed body.
enum class read { event, ignored, malformed };

// message_token is a 64-bit integer above 2^53 (5491463539446537000 and the like): its exact
// decimal text, read as an integer, never through double (PLATFORMS.md pitfall 4). A float
// token has already lost digits: refused.
std::optional<std::string> token_text(const json* v) {
    if (!v) return std::nullopt;
    if (auto i = json_int64(*v)) return std::to_string(*i);
    if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
    if (v->is_string() && !v->get_ref<const std::string&>().empty()) return v->get<std::string>();
    return std::nullopt;
}

std::optional<double> coordinate(const json* v, double limit) {
    if (!v || !v->is_number()) return std::nullopt;
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < -limit || d > limit) return std::nullopt;
    return d;
}

read read_message(const json& body, core::inbound_event& ev) {
    const json* sender = json_member(body, "sender");
    auto user_id = sender ? json_string(*sender, "id") : std::nullopt;
    auto token = token_text(json_member(body, "message_token"));
    const json* msg = json_member(body, "message");
    auto type = msg ? json_string(*msg, "type") : std::nullopt;
    if (!user_id || user_id->empty() || !token || !type) return read::malformed;

    ev.user_id = std::move(*user_id);
    ev.dedup_key = std::move(*token);
    ev.display_name = core::nfc(json_string(*sender, "name").value_or(""));
    ev.language = json_string(*sender, "language").value_or("");

    if (*type == "text") {
        // Reply-keyboard taps arrive here too: their text is the button's ActionBody.
        auto text = json_string(*msg, "text");
        if (!text) return read::malformed;
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(*text);
        return read::event;
    }
    if (*type == "picture") {
        auto media = json_string(*msg, "media");
        // A picture without a link gives a flow nothing to store.
        if (!media || media->empty()) return read::ignored;
        ev.kind = core::inbound_kind::image;
        ev.media.push_back(std::move(*media));
        ev.text = core::nfc(json_string(*msg, "text").value_or(""));
        return read::event;
    }
    if (*type == "location") {
        const json* loc = json_member(*msg, "location");
        auto lat = loc ? coordinate(json_member(*loc, "lat"), 90.0) : std::nullopt;
        auto lon = loc ? coordinate(json_member(*loc, "lon"), 180.0) : std::nullopt;
        if (!lat || !lon) return read::malformed;
        ev.kind = core::inbound_kind::location;
        ev.lat = *lat;
        ev.lon = *lon;
        return read::event;
    }
    if (*type == "contact") {
        const json* contact = json_member(*msg, "contact");
        auto phone = contact ? json_string(*contact, "phone_number") : std::nullopt;
        if (!phone || phone->empty()) return read::malformed;
        ev.kind = core::inbound_kind::contact;
        ev.phone = std::move(*phone);
        return read::event;
    }
    // Stickers, files, videos, URLs, rich media: nothing a flow can use.
    return read::ignored;
}

// subscribed {"user": {"id"}, "message_token"} / unsubscribed {"user_id", "message_token"}:
// whether the bot may send to this citizen at all (Viber refuses the unsubscribed).
read read_subscription(const json& body, bool subscribed, core::inbound_event& ev) {
    std::optional<std::string> user_id;
    if (subscribed) {
        const json* user = json_member(body, "user");
        user_id = user ? json_string(*user, "id") : std::nullopt;
    } else {
        user_id = json_string(body, "user_id");
    }
    auto token = token_text(json_member(body, "message_token"));
    if (!user_id || user_id->empty() || !token) return read::malformed;
    core::permission p;
    p.kind = core::permission_kind::subscription;
    p.granted = subscribed;
    ev.kind = core::inbound_kind::permission;
    ev.permission = std::move(p);
    ev.user_id = std::move(*user_id);
    ev.dedup_key = std::move(*token);
    return read::event;
}

// The first `n` code points of UTF-8 `s` (Viber counts the sender name in characters).
std::string first_code_points(std::string_view s, std::size_t n) {
    std::size_t count = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
        if (count == n) break;
        ++count;
    }
    return std::string(s.substr(0, i));
}

// A reply keyboard, one full-width button per choice (Vietnamese labels are long). The
// ActionBody is the label, not the id: a tap sends it back as a text message, and the flow
// engine maps texts to choices by their labels (and numbers), never by ids.
// When the flow asks for a phone number, a share-phone button comes first (Viber sends the
// number back as a "contact" message; clients below API level 3 do not show it).
json keyboard(const core::outbound_message& msg, const viber_settings& s) {
    json buttons = json::array();
    if (msg.hint == core::input_hint::phone)
        buttons.push_back({{"Columns", 6},
                           {"Rows", 1},
                           {"ActionType", "share-phone"},
                           {"ActionBody", "phone"},
                           {"Text", s.contact_button_label},
                           {"TextSize", "regular"}});
    for (const auto& c : msg.choices) {
        const std::string& label = c.label.empty() ? c.id : c.label;
        buttons.push_back({{"Columns", 6},
                           {"Rows", 1},
                           {"ActionType", "reply"},
                           {"ActionBody", label},
                           {"Text", label},
                           {"TextSize", "regular"}});
    }
    return json{{"Type", "keyboard"}, {"DefaultHeight", false}, {"Buttons", std::move(buttons)}};
}

}  // namespace

viber_adapter::viber_adapter(viber_settings settings) : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
    settings_.sender_name = first_code_points(settings_.sender_name, max_sender_name);
}

parse_result viber_adapter::parse(const webhook_request& req) const {
    // An adapter without a token fails closed: anyone could post callbacks. The signature is
    // checked over the raw bytes before anything is parsed (PLATFORMS.md pitfall 1).
    if (settings_.auth_token.empty() ||
        !constant_time_equal(ascii_lower(trim(req.header(signature_header))),
                             to_hex(hmac_sha256(settings_.auth_token, req.body)))) {
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");
    }
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
        return reject(parse_result::verdict::bad_request, 400, "body is not valid JSON");
    auto event = json_string(body, "event");
    if (!body.is_object() || !event)
        return reject(parse_result::verdict::bad_request, 400, "not a Viber callback");

    parse_result r;
    core::inbound_event ev;
    // conversation_started could carry a welcome message in the answer; the pipeline greets
    // on the first real message instead. "webhook" is set_webhook's availability check and
    // must get 200. delivered, seen, failed, client_status and any newer callback: nothing to
    // do. (Un)subscriptions decide whether a notice can reach the citizen later.
    const read outcome = *event == "message"        ? read_message(body, ev)
                         : *event == "subscribed"   ? read_subscription(body, true, ev)
                         : *event == "unsubscribed" ? read_subscription(body, false, ev)
                                                    : read::ignored;
    switch (outcome) {
        case read::malformed:
            return reject(parse_result::verdict::bad_request, 400, "malformed Viber message");
        case read::ignored:
            ++r.ignored;
            break;
        case read::event:
            r.events.push_back(std::move(ev));
            break;
    }
    r.response_body = "{}";
    return r;
}

std::vector<send_request> viber_adapter::render(std::string_view user_id,
                                                const core::outbound_message& msg) const {
    const bool share_phone = msg.hint == core::input_hint::phone;
    const bool with_keyboard = !msg.choices.empty() || share_phone;
    std::vector<std::string> bodies;
    // Viber counts characters; UTF-16 units keep emoji-heavy texts within 7000 too. A part of
    // 7000 three-byte characters plus a large keyboard can pass 30 KB: then split finer.
    for (std::size_t limit = max_text_length;; limit /= 2) {
        bodies.clear();
        auto parts = split_text(msg.text, limit, length_unit::utf16_units);
        bool fits = true;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            json body{{"receiver", std::string(user_id)},
                      {"min_api_version", share_phone ? 3 : 1},
                      {"sender", {{"name", settings_.sender_name}}},
                      {"type", "text"},
                      {"text", std::move(parts[i])}};
            if (with_keyboard && i + 1 == parts.size()) body["keyboard"] = keyboard(msg, settings_);
            // Invalid UTF-8 from a flow must not throw here: replace it.
            bodies.push_back(body.dump(-1, ' ', false, json::error_handler_t::replace));
            fits = fits && bodies.back().size() <= max_request_bytes;
        }
        if (fits || limit / 2 < min_split_length) break;
    }
    std::vector<send_request> out;
    for (auto& b : bodies) {
        send_request req;
        req.method = "POST";
        req.url = settings_.api_base + "/pa/send_message";
        req.headers = {{"Content-Type", "application/json"},
                       {"X-Viber-Auth-Token", settings_.auth_token}};
        req.body = std::move(b);
        out.push_back(std::move(req));
    }
    return out;
}

std::optional<send_request> viber_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict viber_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    const std::optional<std::int64_t> status = json_int64(j, "status");
    const std::string message = json_string(j, "status_message").value_or("");
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        // Messages come from outside: keep them short and free of the token.
        v.reason = truncate_reason(redact(std::move(reason), settings_.auth_token));
        return v;
    };
    auto or_else = [&](std::string fallback) { return message.empty() ? fallback : message; };
    // The message is fine; this citizen cannot be reached on Viber (another path may work).
    auto refused = [&](std::string reason) {
        auto v = verdict(send_verdict::kind::permanent, std::move(reason));
        v.path_refused = true;
        return v;
    };
    const std::string code = std::to_string(http_status);

    if (http_status == 429) return verdict(send_verdict::kind::retry, or_else("rate limited"));
    if (http_status >= 500) return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    if (http_status >= 200 && http_status < 300) {
        // Viber answers 200 and puts the outcome in `status`.
        if (!status)
            return verdict(send_verdict::kind::permanent, "unexpected answer (HTTP " + code + ")");
        switch (*status) {
            case status_ok:
                return verdict(send_verdict::kind::sent, "");
            case status_too_many_requests:
                return verdict(send_verdict::kind::retry, "rate limited");
            case status_receiver_not_registered:
                return refused("receiver not registered");
            case status_receiver_not_subscribed:
                return refused("not subscribed");
            case status_invalid_auth_token:
                return verdict(send_verdict::kind::permanent, "invalid auth token");
            default:
                return verdict(send_verdict::kind::permanent,
                               or_else("Viber status " + std::to_string(*status)));
        }
    }
    if (http_status >= 400) return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
    // 1xx/3xx: not a Viber answer (a proxy in between?); worth another try later.
    return verdict(send_verdict::kind::retry, "unexpected HTTP " + code);
}

delivery_plan viber_adapter::plan(const render_context& ctx) const {
    // Writing to the bot subscribes a citizen; an unsubscription since then stops every send.
    return free_unless_withdrawn(ctx, core::permission_kind::subscription,
                                 "the citizen unsubscribed from the Viber account",
                                 "Viber refused: the citizen is not subscribed");
}

}  // namespace dgw::channels
