#include <dgw/channels/line.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

constexpr std::string_view signature_header = "x-line-signature";
constexpr const char* location_label = "Gửi vị trí";

// The outcome of reading one webhook event: an event, nothing to do, or a malformed body.
enum class read { event, ignored, malformed };

read read_message(const json& m, core::inbound_event& ev) {
    auto type = json_string(m, "type");
    auto id = json_string(m, "id");
    if (!type || !id || id->empty()) return read::malformed;
    if (*type == "text") {
        auto text = json_string(m, "text");
        if (!text) return read::malformed;
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(*text);
        return read::event;
    }
    if (*type == "image") {
        // The content is fetched later from api-data.line.me/v2/bot/message/{id}/content.
        ev.kind = core::inbound_kind::image;
        ev.media.push_back(std::move(*id));
        return read::event;
    }
    if (*type == "location") {
        const json* lat = json_member(m, "latitude");
        const json* lon = json_member(m, "longitude");
        if (!lat || !lon || !lat->is_number() || !lon->is_number()) return read::malformed;
        ev.kind = core::inbound_kind::location;
        ev.lat = lat->get<double>();
        ev.lon = lon->get<double>();
        return read::event;
    }
    // Stickers, video, audio, files: nothing a flow can use.
    return read::ignored;
}

read read_event(const json& e, core::inbound_event& ev) {
    if (!e.is_object()) return read::malformed;
    auto type = json_string(e, "type");
    if (!type) return read::malformed;
    // Every documented event has these; the id is the idempotency key (pitfall 7: never a
    // hash of the body, which changes on redelivery).
    auto event_id = json_string(e, "webhookEventId");
    if (!event_id || event_id->empty()) return read::malformed;
    // In standby mode another channel of the account answers: this one must stay silent.
    if (json_string(e, "mode").value_or("active") != "active") return read::ignored;

    const json* message = nullptr;
    const json* postback = nullptr;
    if (*type == "message") {
        message = json_member(e, "message");
        if (!message || !message->is_object()) return read::malformed;
    } else if (*type == "postback") {
        postback = json_member(e, "postback");
        if (!postback || !postback->is_object()) return read::malformed;
    } else if (*type != "follow" && *type != "unfollow") {
        // join/leave/memberJoined/unsend/beacon/...: counted, not stored.
        return read::ignored;
    }

    // Only one-to-one chats reach a flow; groups and rooms are ignored.
    const json* source = json_member(e, "source");
    if (!source || !source->is_object()) return read::malformed;
    if (json_string(*source, "type").value_or("") != "user") return read::ignored;
    auto user_id = json_string(*source, "userId");
    if (!user_id || user_id->empty()) return read::malformed;

    read outcome = read::ignored;
    if (message) {
        outcome = read_message(*message, ev);
    } else if (!postback) {
        // Adding the account as a friend (or unblocking it) and blocking it: whether pushes
        // can reach this citizen later.
        core::permission p;
        p.kind = core::permission_kind::subscription;
        p.granted = *type == "follow";
        ev.kind = core::inbound_kind::permission;
        ev.permission = std::move(p);
        ev.dedup_key = std::move(*event_id);
        ev.user_id = std::move(*user_id);
        return read::event;
    } else {
        auto data = json_string(*postback, "data");
        if (!data) return read::malformed;
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = std::move(*data);
        outcome = read::event;
    }
    if (outcome != read::event) return outcome;

    ev.dedup_key = std::move(*event_id);
    ev.user_id = std::move(*user_id);
    // A redelivered event arrives late: its reply token is as old as the event, so pushing
    // is the safe answer.
    bool redelivery = false;
    if (const json* dc = json_member(e, "deliveryContext")) {
        const json* r = json_member(*dc, "isRedelivery");
        redelivery = r && r->is_boolean() && r->get<bool>();
    }
    if (auto token = json_string(e, "replyToken"); token && !token->empty() && !redelivery)
        ev.reply_context = json{{"reply_token", std::move(*token)}};
    return read::event;
}

// At most `max_units` UTF-16 units of `s`, cut between characters, with "…" when cut.
std::string short_label(std::string_view s, std::size_t max_units) {
    if (text_length(s, length_unit::utf16_units) <= max_units) return std::string(s);
    std::string out;
    std::size_t units = 0;
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : 4;
        if (i + len > s.size()) len = 1;
        const std::size_t u = len == 4 ? 2 : 1;
        if (units + u > max_units - 1) break;
        out.append(s.substr(i, len));
        units += u;
        i += len;
    }
    return out + "…";
}

json quick_reply_item(json action) {
    return json{{"type", "action"}, {"action", std::move(action)}};
}

}  // namespace

line_adapter::line_adapter(line_settings settings) : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
}

parse_result line_adapter::parse(const webhook_request& req) const {
    // Verify the raw bytes before anything else; without a secret, fail closed.
    if (settings_.channel_secret.empty() ||
        !constant_time_equal(req.header(signature_header),
                             to_base64(hmac_sha256(settings_.channel_secret, req.body)))) {
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");
    }
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
        return reject(parse_result::verdict::bad_request, 400, "body is not valid JSON");
    const json* events = json_member(body, "events");
    if (!events || !events->is_array())
        return reject(parse_result::verdict::bad_request, 400, "not a LINE webhook");

    parse_result r;
    // `events: []` is the console's verify request: 200 with nothing stored.
    for (const auto& e : *events) {
        core::inbound_event ev;
        switch (read_event(e, ev)) {
            case read::malformed:
                return reject(parse_result::verdict::bad_request, 400, "malformed LINE event");
            case read::ignored:
                ++r.ignored;
                break;
            case read::event:
                r.events.push_back(std::move(ev));
                break;
        }
    }
    r.response_body = "{}";
    return r;
}

std::optional<send_request> line_adapter::media_lookup(std::string_view media_id) const {
    // Message ids are decimal; anything else must not become a path.
    if (!decimal_id(media_id)) return std::nullopt;
    send_request req;
    req.method = "GET";
    req.url = settings_.data_base + "/v2/bot/message/" + std::string(media_id) + "/content";
    req.headers = {{"Authorization", "Bearer " + settings_.channel_access_token}};
    return req;
}

std::vector<send_request> line_adapter::render(std::string_view user_id,
                                               const core::outbound_message& msg) const {
    return build(user_id, msg, "", "", 0);
}

std::vector<send_request> line_adapter::render(std::string_view user_id,
                                               const core::outbound_message& msg,
                                               const render_context& ctx) const {
    std::string token = json_string(ctx.reply_context, "reply_token").value_or("");
    if (!token.empty() &&
        (!ctx.inbound_at || ctx.now - *ctx.inbound_at >= settings_.reply_token_ttl))
        token.clear();
    return build(user_id, msg, token, ctx.channel, ctx.outbox_id);
}

std::string line_adapter::retry_key(std::string_view channel, std::int64_t outbox_id,
                                    std::size_t request_index) {
    return name_uuid("line-retry:" + std::string(channel) + ":" + std::to_string(outbox_id) +
                     ":" + std::to_string(request_index));
}

std::vector<send_request> line_adapter::build(std::string_view user_id,
                                              const core::outbound_message& msg,
                                              std::string_view reply_token,
                                              std::string_view channel,
                                              std::int64_t outbox_id) const {
    std::vector<send_request> out;
    if (msg.text.empty()) return out;

    // Quick replies: the location request first, then the choices; when they do not fit,
    // the choices become numbered lines of the text (the flow maps "2" back to a choice).
    json items = json::array();
    if (msg.hint == core::input_hint::location)
        items.push_back(quick_reply_item({{"type", "location"}, {"label", location_label}}));
    std::string text = msg.text;
    if (items.size() + msg.choices.size() <= max_quick_reply_items) {
        for (const auto& c : msg.choices) {
            const std::string& label = c.label.empty() ? c.id : c.label;
            items.push_back(quick_reply_item({{"type", "postback"},
                                              {"label", short_label(label, max_label_length)},
                                              {"data", c.id},
                                              {"displayText", short_label(label, 300)}}));
        }
    } else {
        text += "\n";
        for (std::size_t i = 0; i < msg.choices.size(); ++i) {
            const auto& c = msg.choices[i];
            text += "\n" + std::to_string(i + 1) + ". " + (c.label.empty() ? c.id : c.label);
        }
    }

    auto parts = split_text(text, max_text_length, length_unit::utf16_units);
    for (std::size_t first = 0; first < parts.size(); first += max_messages_per_request) {
        const std::size_t last = std::min(parts.size(), first + max_messages_per_request);
        json messages = json::array();
        for (std::size_t i = first; i < last; ++i) {
            json m{{"type", "text"}, {"text", std::move(parts[i])}};
            if (i + 1 == parts.size() && !items.empty()) m["quickReply"] = {{"items", items}};
            messages.push_back(std::move(m));
        }
        // A reply token works once: only the first request may use it.
        const bool reply = first == 0 && !reply_token.empty();
        json body = reply ? json{{"replyToken", std::string(reply_token)},
                                 {"messages", std::move(messages)}}
                          : json{{"to", std::string(user_id)}, {"messages", std::move(messages)}};
        send_request req;
        req.method = "POST";
        req.url = settings_.api_base + (reply ? "/v2/bot/message/reply" : "/v2/bot/message/push");
        req.headers = {{"Content-Type", "application/json"},
                       {"Authorization", "Bearer " + settings_.channel_access_token}};
        // Every attempt of the same outbox message sends the same key, so LINE tells a retried
        // push from a new one. Reply tokens work once anyway: replies take none; without an
        // outbox id there is nothing stable to derive a key from.
        if (!reply && outbox_id > 0)
            req.headers.emplace_back(
                "X-Line-Retry-Key",
                retry_key(channel, outbox_id, first / max_messages_per_request));
        // Invalid UTF-8 from a flow must not throw here: replace it.
        req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
        out.push_back(std::move(req));
    }
    return out;
}

std::optional<send_request> line_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict line_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    // Error responses are {"message": "...", "details": [{"message", "property"}]}.
    std::string message = json_string(j, "message").value_or("");
    if (const json* details = json_member(j, "details"); details && details->is_array()) {
        for (const auto& d : *details) {
            auto dm = json_string(d, "message");
            auto prop = json_string(d, "property");
            if (dm && !dm->empty()) message += (prop ? " (" + *prop + ": " : " (") + *dm + ")";
        }
    }
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        // Messages come from outside: keep them short and free of the secrets.
        reason = redact(std::move(reason), settings_.channel_access_token);
        v.reason = truncate_reason(redact(std::move(reason), settings_.channel_secret));
        return v;
    };
    auto or_else = [&](std::string fallback) { return message.empty() ? fallback : message; };
    const std::string code = std::to_string(http_status);

    if (http_status >= 200 && http_status < 300) return verdict(send_verdict::kind::sent, "");
    if (http_status == 429) {
        // The monthly message quota is also a 429, but waiting minutes will not lift it.
        if (message.find("monthly limit") != std::string::npos)
            return verdict(send_verdict::kind::permanent, message);
        return verdict(send_verdict::kind::retry, or_else("rate limited"));
    }
    if (http_status >= 500) return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    if (http_status == 400 && message.find("Invalid reply token") != std::string::npos) {
        // Expired or already used: the same request would fail again; push instead.
        return verdict(send_verdict::kind::permanent, "invalid reply token");
    }
    if (http_status == 401)
        return verdict(send_verdict::kind::permanent, or_else("invalid channel access token"));
    if (http_status >= 400) return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
    // 1xx/3xx: not a Messaging API answer (a proxy in between?); worth another try later.
    return verdict(send_verdict::kind::retry, "unexpected HTTP " + code);
}

send_verdict line_adapter::classify_answer(unsigned http_status, std::string_view body,
                                           const header_map& headers) const {
    // A push retried with a key LINE already accepted: the first attempt got through (its
    // answer was lost), so the message was sent, once.
    if (http_status == 409) {
        auto accepted = headers.find("x-line-accepted-request-id");
        if (accepted != headers.end() && !accepted->second.empty()) return send_verdict{};
    }
    return classify(http_status, body);
}

delivery_plan line_adapter::plan(const render_context& ctx) const {
    return free_unless_withdrawn(ctx, core::permission_kind::subscription,
                                 "the citizen blocked the LINE account", "LINE refused the push");
}

}  // namespace dgw::channels
