#include <dgw/channels/twilio.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;
using form = std::vector<std::pair<std::string, std::string>>;

constexpr std::string_view signature_header = "x-twilio-signature";
constexpr std::size_t max_media = 10;  // Twilio attaches at most 10 media to a message

// ---- form encoding ------------------------------------------------------------------------

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool decode_component(std::string_view in, std::string& out) {
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%') {
            if (i + 2 >= in.size()) return false;
            const int hi = hex_value(in[i + 1]);
            const int lo = hex_value(in[i + 2]);
            if (hi < 0 || lo < 0) return false;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else {
            out += c;
        }
    }
    return true;
}

std::string encode_component(std::string_view in) {
    static constexpr char digits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(in.size() * 3);
    for (const char ch : in) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            out += ch;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 0x0F];
        }
    }
    return out;
}

const std::string* field(const form& f, std::string_view name) {
    for (const auto& [k, v] : f)
        if (k == name) return &v;
    return nullptr;
}

// ---- SMS segments -------------------------------------------------------------------------

// One code point of UTF-8 and its length; an invalid byte is U+FFFD of length 1.
std::pair<char32_t, std::size_t> decode_utf8(std::string_view s, std::size_t i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) return {b0, 1};
    std::size_t len = (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return {U'\uFFFD', 1};
    char32_t cp = b0 & (0x7F >> len);
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return {U'\uFFFD', 1};
        cp = (cp << 6) | (b & 0x3F);
    }
    return {cp, len};
}

// Septets a character takes in the GSM 03.38 default alphabet: 1 (basic table), 2 (escape
// + extension table), or 0 when it is not in the alphabet.
unsigned gsm_septets(char32_t c) {
    static constexpr std::u32string_view basic =
        U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    static constexpr std::u32string_view extension = U"\f^{}\\[~]|€";
    if (basic.find(c) != std::u32string_view::npos) return 1;
    if (extension.find(c) != std::u32string_view::npos) return 2;
    return 0;
}

// Parts of `capacity` units for characters of the given widths; a character never straddles
// two parts (an escape pair or a surrogate pair stays whole).
std::size_t count_parts(const std::vector<unsigned>& widths, std::size_t capacity) {
    std::size_t parts = 1;
    std::size_t used = 0;
    for (const unsigned w : widths) {
        if (used + w > capacity) ++parts, used = 0;
        used += w;
    }
    return parts;
}

// ---- the status callback URL ---------------------------------------------------------------

constexpr std::string_view status_suffix = "/status";

// The path of an absolute URL: from the first '/' after "scheme://" up to '?' or '#'.
std::string_view url_path(std::string_view url) {
    const std::size_t scheme = url.find("://");
    const std::size_t start = url.find('/', scheme == std::string_view::npos ? 0 : scheme + 3);
    if (start == std::string_view::npos) return {};
    const std::size_t end = url.find_first_of("?#", start);
    return url.substr(start, end == std::string_view::npos ? end : end - start);
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// A request to "<webhook path>/status" (the HTTP layer's route for delivery callbacks).
bool is_status_path(std::string_view request_path, std::string_view public_url) {
    return ends_with(request_path, status_suffix) &&
           !ends_with(url_path(public_url), status_suffix);
}

// "https://h/webhooks/sms?ch=1" -> "https://h/webhooks/sms/status?ch=1".
std::string status_url(std::string_view public_url) {
    const std::size_t scheme = public_url.find("://");
    const std::size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
    std::size_t end = public_url.find_first_of("?#", from);
    if (end == std::string_view::npos) end = public_url.size();
    std::string path_part(public_url.substr(0, end));
    while (!path_part.empty() && path_part.back() == '/' && path_part.size() > from)
        path_part.pop_back();
    return path_part + std::string(status_suffix) + std::string(public_url.substr(end));
}

// ---- media URLs ----------------------------------------------------------------------------

// A Twilio SID after its two-letter prefix: letters and digits only ("MM0123...", "ME...").
bool is_sid(std::string_view s) {
    if (s.size() < 3 || s.size() > 64) return false;
    for (const char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
            return false;
    return true;
}

// "{MessageSid}/Media/{MediaSid}", nothing before or after.
bool is_media_path(std::string_view rest) {
    constexpr std::string_view media = "/Media/";
    const std::size_t at = rest.find(media);
    return at != std::string_view::npos && is_sid(rest.substr(0, at)) &&
           is_sid(rest.substr(at + media.size()));
}

// ---- helpers as in the other adapters -----------------------------------------------------

}  // namespace

twilio_adapter::twilio_adapter(twilio_settings settings) : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
}

bool twilio_adapter::parse_form(std::string_view body, form& out) {
    out.clear();
    std::size_t pos = 0;
    while (pos <= body.size()) {
        std::size_t amp = body.find('&', pos);
        if (amp == std::string_view::npos) amp = body.size();
        const std::string_view pair = body.substr(pos, amp - pos);
        pos = amp + 1;
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        std::string name, value;
        if (!decode_component(pair.substr(0, eq), name)) return false;
        if (eq != std::string_view::npos && !decode_component(pair.substr(eq + 1), value))
            return false;
        out.emplace_back(std::move(name), std::move(value));
    }
    return true;
}

std::string twilio_adapter::signature(std::string_view auth_token, std::string_view url,
                                      form fields) {
    // Sorted by name, byte-wise (case-sensitive); equal names by value.
    std::sort(fields.begin(), fields.end());
    std::string data(url);
    for (const auto& [name, value] : fields) data += name + value;
    return to_base64(hmac_sha1(auth_token, data));
}

parse_result twilio_adapter::parse(const webhook_request& req) const {
    const std::string given = req.header(signature_header);
    if (settings_.auth_token.empty() || settings_.public_url.empty() || given.empty())
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");
    // The signature covers the decoded fields, so the form is decoded first, but nothing of
    // it is used before the signature matches.
    form fields;
    if (!parse_form(req.body, fields))
        return reject(parse_result::verdict::bad_request, 400, "body is not a valid form");
    // Over the configured public URL, never the request's Host (pitfall 8). Delivery
    // callbacks come to ".../status" beside it, and Twilio signs the URL it called.
    const bool status_path = is_status_path(req.path, settings_.public_url);
    const std::string signed_url =
        status_path ? status_url(settings_.public_url) : settings_.public_url;
    if (!constant_time_equal(given, signature(settings_.auth_token, signed_url, fields)))
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");

    parse_result r;
    r.response_body = "<Response></Response>";
    r.response_content_type = "text/xml";

    const std::string* body = field(fields, "Body");
    if (!body || status_path) {
        // Status callbacks (MessageStatus: queued, sent, delivered, undelivered, failed...)
        // and anything else without a message: counted, not stored.
        ++r.ignored;
        return r;
    }
    const std::string* sid = field(fields, "MessageSid");
    const std::string* from = field(fields, "From");
    if (!sid || sid->empty() || !from || from->empty())
        return reject(parse_result::verdict::bad_request, 400, "not a Twilio message");

    core::inbound_event ev;
    ev.dedup_key = *sid;
    ev.user_id = *from;
    ev.text = core::nfc(*body);
    ev.kind = core::inbound_kind::text;
    std::size_t num_media = 0;
    if (const std::string* n = field(fields, "NumMedia"); n && !n->empty()) {
        const char* end = n->data() + n->size();
        auto [p, ec] = std::from_chars(n->data(), end, num_media);
        if (ec != std::errc() || p != end || num_media > max_media)
            return reject(parse_result::verdict::bad_request, 400, "bad NumMedia");
    }
    for (std::size_t i = 0; i < num_media; ++i) {
        const std::string* url = field(fields, "MediaUrl" + std::to_string(i));
        if (!url || url->empty())
            return reject(parse_result::verdict::bad_request, 400, "missing MediaUrl");
        ev.media.push_back(*url);
    }
    if (!ev.media.empty()) ev.kind = core::inbound_kind::image;  // the Body is the caption
    // A WhatsApp button reply through Twilio: Body and ButtonText are the label the citizen
    // saw (in their language, possibly changed since), ButtonPayload the id the button was
    // given. The id is the answer, as every other platform's button is.
    if (const std::string* payload = field(fields, "ButtonPayload"); payload && !payload->empty()) {
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = *payload;
        ev.text.clear();
    }
    r.events.push_back(std::move(ev));
    return r;
}

std::vector<send_request> twilio_adapter::render(std::string_view user_id,
                                                 const core::outbound_message& msg) const {
    std::vector<send_request> out;
    if (msg.text.empty()) return out;
    // SMS has no buttons: the choices become numbered lines the citizen answers with.
    std::string text = msg.text;
    for (std::size_t i = 0; i < msg.choices.size(); ++i) {
        const auto& c = msg.choices[i];
        text += (i == 0 ? "\n\n" : "\n") + std::to_string(i + 1) + ". " +
                (c.label.empty() ? c.id : c.label);
    }
    const std::string url = settings_.api_base + "/2010-04-01/Accounts/" +
                            encode_component(settings_.account_sid) + "/Messages.json";
    const std::string auth =
        "Basic " + to_base64(settings_.account_sid + ":" + settings_.auth_token);
    for (auto& part : split_text(text, max_text_length, length_unit::code_points)) {
        send_request req;
        req.method = "POST";
        req.url = url;
        req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Authorization", auth}};
        req.body = "To=" + encode_component(user_id) + "&From=" + encode_component(settings_.from) +
                   "&Body=" + encode_component(part);
        out.push_back(std::move(req));
    }
    return out;
}

std::optional<send_request> twilio_adapter::media_lookup(std::string_view media_id) const {
    // The credentials go with this request: only to this account's media at Twilio's API.
    const std::string prefix =
        settings_.api_base + "/2010-04-01/Accounts/" + settings_.account_sid + "/Messages/";
    if (settings_.account_sid.empty() || !media_id.starts_with(prefix) ||
        !is_media_path(media_id.substr(prefix.size())))
        return std::nullopt;
    send_request req;
    req.method = "GET";
    req.url = std::string(media_id);
    req.headers = {{"Authorization",
                    "Basic " + to_base64(settings_.account_sid + ":" + settings_.auth_token)}};
    return req;
}

std::optional<send_request> twilio_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict twilio_adapter::classify(unsigned http_status, std::string_view body) const {
    // Errors are {"code": 21211, "message": "...", "more_info": "...", "status": 400}.
    const json j = json::parse(body, nullptr, false);
    const std::string message = json_string(j, "message").value_or("");
    std::int64_t code = 0;
    if (j.is_object()) {
        if (auto it = j.find("code"); it != j.end()) code = json_int64(*it).value_or(0);
    }
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        reason = redact(std::move(reason), settings_.auth_token);
        v.reason = truncate_reason(std::move(reason));
        return v;
    };
    auto described = [&](std::string fallback) {
        std::string s = message.empty() ? std::move(fallback) : message;
        if (code != 0) s += " (" + std::to_string(code) + ")";
        return s;
    };
    const std::string status = std::to_string(http_status);

    if (http_status == 200 || http_status == 201) return verdict(send_verdict::kind::sent, "");
    if (http_status == 429) return verdict(send_verdict::kind::retry, described("rate limited"));
    if (http_status >= 500) return verdict(send_verdict::kind::retry, described("HTTP " + status));
    if (code == 21610)
        return verdict(send_verdict::kind::permanent, "unsubscribed: the recipient sent STOP");
    if (code == 21211) return verdict(send_verdict::kind::permanent, "invalid phone number");
    if (http_status >= 400)
        return verdict(send_verdict::kind::permanent, described("HTTP " + status));
    // Other 2xx/1xx/3xx: not a Messages.json answer; retrying could send twice, but a 3xx
    // from a proxy sent nothing. Only 2xx is taken as "maybe sent".
    if (http_status >= 200 && http_status < 300)
        return verdict(send_verdict::kind::permanent, "unexpected answer (HTTP " + status + ")");
    return verdict(send_verdict::kind::retry, "unexpected HTTP " + status);
}

std::size_t twilio_adapter::segments(std::string_view text) {
    if (text.empty()) return 0;
    std::vector<unsigned> gsm, ucs2;
    std::size_t gsm_total = 0, ucs2_total = 0;
    bool is_gsm = true;
    for (std::size_t i = 0; i < text.size();) {
        const auto [cp, len] = decode_utf8(text, i);
        i += len;
        const unsigned septets = gsm_septets(cp);
        if (septets == 0) is_gsm = false;
        if (is_gsm) gsm.push_back(septets), gsm_total += septets;
        const unsigned units = cp > 0xFFFF ? 2u : 1u;
        ucs2.push_back(units);
        ucs2_total += units;
    }
    if (is_gsm) return gsm_total <= 160 ? 1 : count_parts(gsm, 153);
    return ucs2_total <= 70 ? 1 : count_parts(ucs2, 67);
}

std::size_t twilio_adapter::billed_units(const send_request& req) const {
    std::vector<std::pair<std::string, std::string>> fields;
    if (!parse_form(req.body, fields)) return 0;
    for (const auto& [name, value] : fields)
        if (name == "Body") return segments(value);
    return 0;
}

}  // namespace dgw::channels
