#include <dgw/channels/messenger.hpp>

#include "channels/meta.hpp"

#include <dgw/channels/common.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <string_view>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

// A Page-scoped id (PSID, Page id) as a string: Meta sends strings, but be lenient with
// integers; never read through double.
std::optional<std::string> id_of(const json* obj) {
    if (!obj) return std::nullopt;
    const json* id = json_member(*obj, "id");
    if (!id) return std::nullopt;
    if (id->is_string()) {
        auto s = id->get<std::string>();
        if (s.empty()) return std::nullopt;
        return s;
    }
    if (auto v = json_int64(*id)) return std::to_string(*v);
    return std::nullopt;
}

// "+84912345678", "0912345678": an optional plus and 8 to 15 digits (E.164 has at most 15).
bool phone_shaped(std::string_view v) {
    if (!v.empty() && v.front() == '+') v.remove_prefix(1);
    return v.size() >= 8 && v.size() <= 15 &&
           std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads one message object; false when it is nothing a flow can use.
bool read_message(const json& m, core::inbound_event& ev) {
    // Echoes are our own sends coming back; is_echo must never reach a flow.
    const json* echo = json_member(m, "is_echo");
    if (echo && echo->is_boolean() && echo->get<bool>()) return false;
    auto mid = json_string(m, "mid");
    if (!mid || mid->empty()) return false;
    ev.dedup_key = std::move(*mid);
    const auto text = json_string(m, "text");

    if (const json* qr = json_member(m, "quick_reply")) {
        auto payload = json_string(*qr, "payload");
        if (!payload) return false;
        // The user_phone_number quick reply: the number is both the text and the payload
        // (our own choices' payloads are ids, never a number).
        if (text && *text == *payload && phone_shaped(*payload)) {
            ev.kind = core::inbound_kind::contact;
            ev.phone = std::move(*payload);
            return true;
        }
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = std::move(*payload);
        return true;
    }
    if (text) {
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(*text);
        return true;
    }
    // Stickers (the thumbs-up too) arrive as image attachments with a sticker_id: not a photo.
    if (json_member(m, "sticker_id")) return false;
    const json* attachments = json_member(m, "attachments");
    if (!attachments || !attachments->is_array()) return false;
    for (const auto& a : *attachments) {
        if (json_string(a, "type") != "image") continue;
        const json* payload = json_member(a, "payload");
        auto url = payload ? json_string(*payload, "url") : std::nullopt;
        if (url && !url->empty()) ev.media.push_back(std::move(*url));
    }
    if (!ev.media.empty()) {
        ev.kind = core::inbound_kind::image;
        return true;
    }
    for (const auto& a : *attachments) {
        if (json_string(a, "type") != "location") continue;
        const json* payload = json_member(a, "payload");
        const json* coords = payload ? json_member(*payload, "coordinates") : nullptr;
        const json* lat = coords ? json_member(*coords, "lat") : nullptr;
        const json* lon = coords ? json_member(*coords, "long") : nullptr;
        if (!lat || !lon || !lat->is_number() || !lon->is_number()) continue;
        ev.kind = core::inbound_kind::location;
        ev.lat = lat->get<double>();
        ev.lon = lon->get<double>();
        return true;
    }
    // Audio, video, files, fallback links: nothing a flow can use.
    return false;
}

// The invitation an m.me link carried (https://m.me/PAGE?ref=moi_<session>): in a referral,
// or in the "Get Started" postback of a citizen who opens the Page's chat for the first time.
std::string invite_in(const json* referral) {
    if (!referral || !referral->is_object()) return "";
    auto ref = json_string(*referral, "ref");
    return ref ? core::invite_of(*ref) : "";
}

bool read_postback(const json& pb, const json& item, const std::string& user_id,
                   core::inbound_event& ev) {
    auto payload = json_string(pb, "payload");
    if (!payload) return false;
    ev.kind = core::inbound_kind::choice;
    ev.choice_id = std::move(*payload);
    ev.invite = invite_in(json_member(pb, "referral"));
    if (auto mid = json_string(pb, "mid"); mid && !mid->empty()) {
        ev.dedup_key = std::move(*mid);
        return true;
    }
    // Older postbacks carry no mid: the sender and the event's millisecond timestamp identify
    // it across redeliveries (the body of a redelivery is the same).
    auto t = json_int64(item, "timestamp");
    if (!t) return false;
    ev.dedup_key = "postback:" + user_id + ":" + std::to_string(*t);
    return true;
}

// A Meta timestamp in milliseconds, sent as a number or a string of digits.
std::optional<std::int64_t> millis(const json* v) {
    if (!v) return std::nullopt;
    if (auto n = json_int64(*v)) return n;
    if (!v->is_string()) return std::nullopt;
    const auto& s = v->get_ref<const std::string&>();
    std::int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9' || n > (std::int64_t{1} << 55)) return std::nullopt;
        n = n * 10 + (c - '0');
    }
    if (s.empty()) return std::nullopt;
    return n;
}

// A notification opt-in (messaging_optins): the token that lets the Page reach the citizen
// after the 24-hour window, with its expiry, or its stop/resume. The Send to Messenger
// plugin's opt-in (a ref, no token) is nothing to keep.
bool read_optin(const json& optin, const json& item, const std::string& user_id,
                core::inbound_event& ev) {
    using namespace std::chrono;
    auto type = json_string(optin, "type");
    auto t = json_int64(item, "timestamp");
    if (!type || !t) return false;
    core::permission p;
    p.topic = json_string(optin, "payload").value_or("");
    if (*type == "one_time_notif_req") {
        auto token = json_string(optin, "one_time_notif_token");
        if (!token || token->empty()) return false;
        p.kind = core::permission_kind::one_time_notification;
        p.token = std::move(*token);
        // Meta: the token "will expire within 1 year of creation"; the webhook gives no date.
        p.expires_at = system_clock::time_point(milliseconds(*t)) + hours(24 * 365);
    } else if (*type == "notification_messages") {
        auto token = json_string(optin, "notification_messages_token");
        if (!token || token->empty()) return false;
        p.kind = core::permission_kind::notification_messages;
        p.token = std::move(*token);
        if (auto expiry = millis(json_member(optin, "token_expiry_timestamp")))
            p.expires_at = system_clock::time_point(milliseconds(*expiry));
        // The citizen may stop the notifications (and resume them) from the conversation.
        p.granted = json_string(optin, "notification_messages_status") != "STOP_NOTIFICATIONS";
    } else {
        return false;
    }
    ev.kind = core::inbound_kind::permission;
    ev.permission = std::move(p);
    ev.dedup_key = "optin:" + user_id + ":" + std::to_string(*t);
    return true;
}

// One entry[].messaging[] item: an event, or false when it is to be ignored.
bool read_item(const json& item, const std::string& page_id, core::inbound_event& ev) {
    if (!item.is_object()) return false;
    if (!page_id.empty()) {
        auto recipient = id_of(json_member(item, "recipient"));
        if (recipient && *recipient != page_id) return false;
    }
    auto sender = id_of(json_member(item, "sender"));
    if (!sender) return false;
    ev.user_id = *sender;
    // delivery, read, reaction, message_edit, referral...: receipts and side events.
    if (const json* m = json_member(item, "message"); m && m->is_object())
        return read_message(*m, ev);
    if (const json* pb = json_member(item, "postback"); pb && pb->is_object())
        return read_postback(*pb, item, *sender, ev);
    if (const json* optin = json_member(item, "optin"); optin && optin->is_object())
        return read_optin(*optin, item, *sender, ev);
    // A citizen already in the Page's chat who opens it again from an invitation: a start,
    // as Telegram's "/start moi_<session>" is.
    if (auto invite = invite_in(json_member(item, "referral")); !invite.empty()) {
        auto t = json_int64(item, "timestamp");
        if (!t) return false;
        ev.kind = core::inbound_kind::text;
        ev.text = "/start";
        ev.invite = std::move(invite);
        ev.dedup_key = "referral:" + *sender + ":" + std::to_string(*t);
        return true;
    }
    return false;
}

}  // namespace

messenger_adapter::messenger_adapter(messenger_settings settings)
    : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
}

parse_result messenger_adapter::parse(const webhook_request& req) const {
    json body;
    if (auto answer = detail::meta_open(req, settings_.app_secret, settings_.verify_token,
                                        "page", body))
        return std::move(*answer);
    const json* entries = json_member(body, "entry");

    parse_result r;
    // Meta batches: several entries, each with several messaging items, all in order. A
    // malformed item is ignored rather than failing the batch: Meta would redeliver the whole
    // body for days, holding back the valid events with it.
    for (const auto& entry : *entries) {
        const json* messaging = json_member(entry, "messaging");
        if (!messaging || !messaging->is_array()) {
            ++r.ignored;  // standby (handover protocol), changes (feed), or garbage
            continue;
        }
        const bool other_page = !settings_.page_id.empty() &&
                                id_of(&entry).value_or(settings_.page_id) != settings_.page_id;
        for (const auto& item : *messaging) {
            core::inbound_event ev;
            if (!other_page && read_item(item, settings_.page_id, ev)) {
                r.events.push_back(std::move(ev));
            } else {
                ++r.ignored;
            }
        }
    }
    // Meta only needs a 200; its samples answer "EVENT_RECEIVED".
    r.response_body = "EVENT_RECEIVED";
    r.response_content_type = "text/plain";
    return r;
}

std::vector<send_request> messenger_adapter::render(std::string_view user_id,
                                                    const core::outbound_message& msg) const {
    return render(user_id, msg, render_context{});
}

std::vector<send_request> messenger_adapter::render(std::string_view user_id,
                                                    const core::outbound_message& msg,
                                                    const render_context& ctx) const {
    std::vector<send_request> out;
    if (msg.text.empty()) return out;  // the Send API refuses an empty text
    const auto path = ctx.plan.path;
    if (path == core::reach_path::optin) {
        // A token stands for one message (one-time) or one per cool-down (recurring): the
        // whole text goes in one, cut if it must be, and without buttons to answer.
        const char* field = ctx.plan.token_kind == core::permission_kind::one_time_notification
                                ? "one_time_notif_token"
                                : "notification_messages_token";
        auto parts = split_text(msg.text, max_text_length, length_unit::code_points);
        const json body{{"recipient", {{field, ctx.plan.token}}},
                        {"message", {{"text", std::move(parts.front())}}}};
        out.push_back(api_request(body));
        return out;
    }
    // Quick replies disappear once tapped, and more than 13 are refused: beyond that the
    // choices become numbered lines, which the flow engine maps back from the typed answer.
    // When the flow asks for a phone number, the first quick reply offers the number the
    // citizen gave Facebook (Messenger shows it; a tap sends it back as the payload).
    const bool share_phone = msg.hint == core::input_hint::phone;
    const std::size_t replies_count = msg.choices.size() + (share_phone ? 1 : 0);
    const bool as_quick_replies = replies_count > 0 && replies_count <= max_quick_replies;
    const std::string text =
        as_quick_replies ? msg.text : detail::with_numbered_choices(msg.text, msg.choices);

    auto parts = split_text(text, max_text_length, length_unit::code_points);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        json message{{"text", std::move(parts[i])}};
        if (as_quick_replies && i + 1 == parts.size()) {
            json replies = json::array();
            if (share_phone) replies.push_back({{"content_type", "user_phone_number"}});
            for (const auto& c : msg.choices) {
                replies.push_back({{"content_type", "text"},
                                   {"title", detail::short_title(c.label, c.id, max_title_length)},
                                   {"payload", c.id}});
            }
            message["quick_replies"] = std::move(replies);
        }
        // A reply answers the citizen; a notice inside the window is an update they did not
        // ask for; after it, a tag names the use case Meta allows it for.
        json body{{"recipient", {{"id", std::string(user_id)}}},
                  {"messaging_type", ctx.notice ? "UPDATE" : "RESPONSE"},
                  {"message", std::move(message)}};
        if (path == core::reach_path::tag && ctx.notice) {
            auto tag = settings_.tags.find(core::to_string(ctx.notice->purpose));
            body["messaging_type"] = "MESSAGE_TAG";
            body["tag"] = tag == settings_.tags.end() ? std::string() : tag->second;
        }
        out.push_back(api_request(body));
    }
    return out;
}

send_request messenger_adapter::api_request(const json& body) const {
    send_request req;
    req.method = "POST";
    req.url = settings_.api_base +
              "/me/messages?access_token=" + percent_encode(settings_.page_access_token);
    req.headers = {{"Content-Type", "application/json"}};
    req.body = detail::dump_body(body);
    return req;
}

std::optional<send_request> messenger_adapter::offer_notifications(
    std::string_view user_id, std::string_view ref, const render_context& ctx) const {
    (void)ctx;
    if (settings_.optin.empty()) return std::nullopt;
    json payload{{"title", core::optin_title()}, {"payload", std::string(ref)}};
    if (settings_.optin == "one_time_notification") {
        payload["template_type"] = "one_time_notif_req";
    } else {
        payload["template_type"] = "notification_messages";
        // An answer comes weeks later: the least frequent cadence Meta offers.
        payload["notification_messages_frequency"] = "MONTHLY";
        payload["notification_messages_reoptin"] = "ENABLED";
    }
    const json body{{"recipient", {{"id", std::string(user_id)}}},
                    {"messaging_type", "RESPONSE"},
                    {"message", {{"attachment", {{"type", "template"}, {"payload", payload}}}}}};
    return api_request(body);
}

std::optional<send_request> messenger_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict messenger_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    const auto err = detail::read_graph_error(j);
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        v.reason = detail::safe_reason(std::move(reason), settings_.page_access_token);
        return v;
    };
    const std::string code = std::to_string(http_status);

    if (!err) {
        if (http_status >= 200 && http_status < 300) {
            if (json_string(j, "message_id")) return verdict(send_verdict::kind::sent, "");
            // Not the Send API's answer: retrying could send the message twice.
            return verdict(send_verdict::kind::permanent,
                           "unexpected answer (HTTP " + code + ")");
        }
        if (http_status == 429 || http_status >= 500 || http_status < 200)
            return verdict(send_verdict::kind::retry, "HTTP " + code);
        return verdict(send_verdict::kind::permanent, "HTTP " + code);
    }
    auto or_else = [&](std::string fallback) {
        return err->message.empty() ? fallback : err->message;
    };
    // The message is fine; the citizen cannot be reached this way (another path may work).
    auto refused = [&](std::string reason) {
        auto v = verdict(send_verdict::kind::permanent, std::move(reason));
        v.path_refused = true;
        return v;
    };
    switch (err->code) {
        case 1:     // unknown error, possibly temporary
        case 2:     // service temporarily unavailable
        case 4:     // application request limit reached
        case 17:    // user request limit reached
        case 32:    // page request limit reached
        case 613:   // calls to this API exceeded the rate limit
        case 1200:  // temporary send message failure
            return verdict(send_verdict::kind::retry, or_else("rate limited or unavailable"));
        case 10:
            if (err->subcode == 2018278) return refused(std::string(detail::window_closed));
            break;
        case 551:
            return refused("user unavailable");
        case 200:
            if (err->subcode == 1545041) return refused("user unavailable");
            break;
        case 190:
            return verdict(send_verdict::kind::permanent, "invalid or expired page access token");
        default:
            break;
    }
    if (http_status >= 500 || http_status == 429)
        return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
}

delivery_plan messenger_adapter::plan(const render_context& ctx) const {
    if (auto decided = detail::window_plan(ctx)) return *decided;
    delivery_plan p;
    p.path = core::reach_path::none;
    if (!was_refused(ctx, core::reach_path::optin)) {
        // A recurring token first: a one-time token is spent by the message.
        for (auto kind : {core::permission_kind::notification_messages,
                          core::permission_kind::one_time_notification}) {
            if (const auto* token = usable_permission(ctx, kind, true)) {
                p.path = core::reach_path::optin;
                p.token = token->token;
                p.token_kind = kind;
                return p;
            }
        }
    }
    if (!was_refused(ctx, core::reach_path::tag) &&
        settings_.tags.contains(core::to_string(ctx.notice->purpose))) {
        p.path = core::reach_path::tag;
        return p;
    }
    p.reason =
        "more than 24 hours since the citizen's last message, and no notification "
        "opt-in from them (and no message tag for this notice)";
    return p;
}

}  // namespace dgw::channels
