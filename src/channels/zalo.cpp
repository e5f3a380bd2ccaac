#include <dgw/channels/zalo.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <utility>
#include <vector>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

constexpr std::string_view signature_header = "x-zevent-signature";
constexpr std::string_view signature_prefix = "mac=";
// Zalo's answer to a send: error 0 is success, these two are not the sender's fault.
constexpr std::int64_t error_token_invalid = -216;
constexpr std::int64_t error_rate_limited = -32;
// The citizen cannot be reached this way: no message to the OA for 7 days (consultation), not
// a follower (transaction messages).
constexpr std::int64_t error_no_interaction = -230;
constexpr std::int64_t error_not_follower = -213;
// Zalo Notification Service: its own codes, -100 to -1xx.
constexpr std::int64_t zns_unknown_error = -100;
// Free consultation messages (8 of them) within 48 hours of the citizen's last message.
constexpr auto free_window = std::chrono::hours(48);

// The outcome of reading one event: an event, nothing to do, or a malformed body.
enum class read { event, ignored, malformed };

// Zalo ids are 19-digit strings; should one arrive as a JSON number, take its exact integer
// text (never through double: PLATFORMS.md pitfall 4). Ids above 2^63 stay exact as unsigned.
std::optional<std::string> id_text(const json* v) {
    if (!v) return std::nullopt;
    if (v->is_string()) {
        auto s = v->get<std::string>();
        if (s.empty()) return std::nullopt;
        return s;
    }
    if (v->is_number_unsigned()) return std::to_string(v->get<std::uint64_t>());
    if (v->is_number_integer()) return std::to_string(v->get<std::int64_t>());
    return std::nullopt;
}

// The body's timestamp as the signer saw it: Zalo sends a string of milliseconds
// ("1751100041636"); some examples show a number. Integers print exactly as written (JSON
// allows no leading zeros or '+'); a float could not be reproduced byte for byte: refused.
std::optional<std::string> timestamp_text(const json& body) {
    const json* ts = json_member(body, "timestamp");
    if (!ts) return std::nullopt;
    if (ts->is_string()) return ts->get<std::string>();
    if (ts->is_number_unsigned()) return std::to_string(ts->get<std::uint64_t>());
    if (ts->is_number_integer()) return std::to_string(ts->get<std::int64_t>());
    return std::nullopt;
}

// Zalo sends coordinates as strings ("10.7923119"), sometimes as numbers.
std::optional<double> coordinate(const json* v, double limit) {
    if (!v) return std::nullopt;
    double d = 0;
    if (v->is_number()) {
        d = v->get<double>();
    } else if (v->is_string()) {
        const auto& s = v->get_ref<const std::string&>();
        const char* end = s.data() + s.size();
        auto [p, ec] = std::from_chars(s.data(), end, d);
        if (ec != std::errc() || p != end || s.empty()) return std::nullopt;
    } else {
        return std::nullopt;
    }
    if (!std::isfinite(d) || d < -limit || d > limit) return std::nullopt;
    return d;
}

// The attachments of a message that have the given type.
std::vector<const json*> attachments_of(const json& msg,
                                        std::initializer_list<std::string_view> types) {
    std::vector<const json*> out;
    const json* list = json_member(msg, "attachments");
    if (!list || !list->is_array()) return out;
    for (const auto& a : *list) {
        auto t = json_string(a, "type");
        if (!t) continue;
        for (auto want : types)
            if (*t == want) out.push_back(&a);
    }
    return out;
}

read read_text(const json& msg, core::inbound_event& ev) {
    auto text = json_string(msg, "text");
    if (!text) return read::malformed;
    ev.kind = core::inbound_kind::text;
    ev.text = core::nfc(*text);
    return read::event;
}

read read_image(const json& msg, core::inbound_event& ev) {
    // Zalo documents "image"; some integrations report "photo". The full picture is
    // payload.url; the thumbnail stands in when the url is missing.
    for (const json* a : attachments_of(msg, {"image", "photo"})) {
        const json* payload = json_member(*a, "payload");
        if (!payload) continue;
        auto url = json_string(*payload, "url");
        if (!url || url->empty()) url = json_string(*payload, "thumbnail");
        if (url && !url->empty()) ev.media.push_back(std::move(*url));
    }
    // An image event without any usable link gives a flow nothing to store.
    if (ev.media.empty()) return read::ignored;
    ev.kind = core::inbound_kind::image;
    ev.text = core::nfc(json_string(msg, "text").value_or(""));
    return read::event;
}

read read_location(const json& msg, core::inbound_event& ev) {
    auto locations = attachments_of(msg, {"location"});
    if (locations.empty()) return read::malformed;
    const json* payload = json_member(*locations.front(), "payload");
    const json* coords = payload ? json_member(*payload, "coordinates") : nullptr;
    if (!coords) return read::malformed;
    auto lat = coordinate(json_member(*coords, "latitude"), 90.0);
    auto lon = coordinate(json_member(*coords, "longitude"), 180.0);
    if (!lat || !lon) return read::malformed;
    ev.kind = core::inbound_kind::location;
    ev.lat = *lat;
    ev.lon = *lon;
    // message.text holds the place's name when the citizen picked one: not an answer.
    return read::event;
}

// follow / unfollow: {"event_name":"follow","follower":{"id":"..."},"oa_id","timestamp"}.
// They carry no msg_id: the follower and the event's timestamp identify one.
read read_follow(const json& body, bool follows, core::inbound_event& ev) {
    const json* follower = json_member(body, "follower");
    auto user_id = follower ? id_text(json_member(*follower, "id")) : std::nullopt;
    auto ts = timestamp_text(body);
    if (!user_id || !ts) return read::malformed;
    core::permission p;
    p.kind = core::permission_kind::follow;
    p.granted = follows;
    ev.kind = core::inbound_kind::permission;
    ev.permission = std::move(p);
    ev.user_id = *user_id;
    ev.dedup_key = std::string(follows ? "follow:" : "unfollow:") + *user_id + ":" + *ts;
    return read::event;
}

// user_submit_info: the citizen filled the request_user_info form.
// {"event_name":"user_submit_info","sender":{"id"},"info":{"phone","name","address",...},
// "timestamp"}. Only the phone number is kept: the rest was not asked for.
read read_submitted_info(const json& body, core::inbound_event& ev) {
    const json* sender = json_member(body, "sender");
    auto user_id = sender ? id_text(json_member(*sender, "id")) : std::nullopt;
    const json* info = json_member(body, "info");
    auto phone = info ? json_string(*info, "phone") : std::nullopt;
    auto ts = id_text(json_member(body, "timestamp"));
    if (!user_id || !ts) return read::malformed;
    if (!phone || phone->empty()) return read::ignored;
    ev.kind = core::inbound_kind::contact;
    ev.user_id = *user_id;
    ev.phone = std::move(*phone);
    ev.dedup_key = "submit_info:" + *user_id + ":" + *ts;
    return read::event;
}

read read_event(const json& body, std::string_view name, core::inbound_event& ev) {
    if (name == "follow" || name == "unfollow") return read_follow(body, name == "follow", ev);
    if (name == "user_submit_info") return read_submitted_info(body, ev);
    read (*reader)(const json&, core::inbound_event&) = nullptr;
    if (name == "user_send_text") reader = read_text;
    else if (name == "user_send_image") reader = read_image;
    else if (name == "user_send_location") reader = read_location;
    // Stickers, files,
    // audio, links, the OA's own messages echoed back (oa_send_*), user_received_message,
    // user_seen_message, group and anonymous events, and any newer event: nothing to do.
    if (!reader) return read::ignored;

    const json* msg = json_member(body, "message");
    if (!msg || !msg->is_object()) return read::malformed;
    // Without msg_id there is no idempotency key: Zalo would redeliver it as a new message.
    auto msg_id = json_string(*msg, "msg_id");
    if (!msg_id || msg_id->empty()) return read::ignored;
    const json* sender = json_member(body, "sender");
    auto user_id = sender ? id_text(json_member(*sender, "id")) : std::nullopt;
    if (!user_id) return read::malformed;

    ev.dedup_key = std::move(*msg_id);
    ev.user_id = std::move(*user_id);
    return reader(*msg, ev);
}

// CS text messages carry no buttons (those need templates): the choices become numbered
// lines, which the flow engine accepts as answers ("2" picks the second).
std::string with_choices(const core::outbound_message& msg) {
    std::string text = msg.text;
    for (std::size_t i = 0; i < msg.choices.size(); ++i) {
        const auto& c = msg.choices[i];
        if (!text.empty()) text += '\n';
        text += std::to_string(i + 1) + ". " + (c.label.empty() ? c.id : c.label);
    }
    return text;
}

// A JSON POST to the OA API or ZNS, which both take the OA's access token in a header.
send_request api_post(std::string url, const json& body, const std::string& access_token) {
    send_request req;
    req.method = "POST";
    req.url = std::move(url);
    req.headers = {{"Content-Type", "application/json"}, {"access_token", access_token}};
    // Invalid UTF-8 from a flow must not throw here: replace it.
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return req;
}

}  // namespace

zalo_adapter::zalo_adapter(zalo_settings settings) : settings_(std::move(settings)) {
    for (auto* base : {&settings_.api_base, &settings_.oauth_base})
        while (!base->empty() && base->back() == '/') base->pop_back();
}

parse_result zalo_adapter::parse(const webhook_request& req) const {
    // Fail closed: without the signing inputs anyone could post events.
    if (settings_.app_id.empty() || settings_.oa_secret_key.empty())
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");
    const std::string header = ascii_lower(trim(req.header(signature_header)));
    if (header.size() <= signature_prefix.size() || !header.starts_with(signature_prefix))
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");

    // The signed bytes include the body's own timestamp, so the body must be read before the
    // check; nothing in it is used until the signature matched.
    const json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded())
        return reject(parse_result::verdict::bad_request, 400, "body is not valid JSON");
    auto ts = timestamp_text(body);
    if (!body.is_object() || !ts)
        return reject(parse_result::verdict::bad_request, 400, "not a Zalo event");

    // Plain SHA-256, not HMAC, over app_id (from our config, not the body) + raw body +
    // timestamp + OA secret key (PLATFORMS.md pitfall 2).
    std::string signed_bytes;
    signed_bytes.reserve(settings_.app_id.size() + req.body.size() + ts->size() +
                         settings_.oa_secret_key.size());
    signed_bytes.append(settings_.app_id).append(req.body).append(*ts).append(
        settings_.oa_secret_key);
    const std::string expected = std::string(signature_prefix) + to_hex(sha256(signed_bytes));
    if (!constant_time_equal(header, expected))
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong signature");

    auto name = json_string(body, "event_name");
    if (!name) return reject(parse_result::verdict::bad_request, 400, "not a Zalo event");

    parse_result r;
    core::inbound_event ev;
    switch (read_event(body, *name, ev)) {
        case read::malformed:
            return reject(parse_result::verdict::bad_request, 400, "malformed Zalo event");
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

std::vector<send_request> zalo_adapter::render(std::string_view user_id,
                                               const core::outbound_message& msg) const {
    return build(user_id, msg, settings_.access_token);
}

std::vector<send_request> zalo_adapter::render(std::string_view user_id,
                                               const core::outbound_message& msg,
                                               const render_context& ctx) const {
    const std::string& token = ctx.access_token.empty() ? settings_.access_token : ctx.access_token;
    if (ctx.notice) {
        const std::string purpose = core::to_string(ctx.notice->purpose);
        if (ctx.plan.path == core::reach_path::template_message) {
            auto t = settings_.templates.find(purpose);
            if (t == settings_.templates.end()) return {};
            return {transaction(user_id, *ctx.notice, t->second, token)};
        }
        if (ctx.plan.path == core::reach_path::zns) {
            auto t = settings_.zns.find(purpose);
            if (t == settings_.zns.end()) return {};
            return {zns_message(*ctx.notice, t->second, ctx, token)};
        }
    }
    return build(user_id, msg, token);
}

send_request zalo_adapter::transaction(std::string_view user_id, const core::notice& n,
                                       const late_template& t,
                                       const std::string& access_token) const {
    json elements = json::array({{{"type", "header"}, {"content", t.title}, {"align", "left"}}});
    json rows = json::array();
    json buttons = json::array();
    std::size_t table_at = 0;  // where the table goes: at its first field, in the given order
    for (const auto& field : t.params) {
        const std::string value = core::notice_field(n, field, field == "answer" ? 1000 : 100);
        if (field == "answer") {
            elements.push_back({{"type", "text"}, {"align", "left"}, {"content", value}});
        } else if (field == "link") {
            buttons.push_back({{"title", "Xem chi tiết"},
                               {"type", "oa.open.url"},
                               {"payload", {{"url", value}}}});
        } else {
            if (rows.empty()) table_at = elements.size();
            rows.push_back(
                {{"key", field == "ref" ? "Mã phản ánh" : "Buổi đối thoại"}, {"value", value}});
        }
    }
    if (!rows.empty())
        elements.insert(elements.begin() + static_cast<std::ptrdiff_t>(table_at),
                        json{{"type", "table"}, {"content", rows}});
    json payload{{"template_type", t.name}, {"language", t.language}, {"elements", elements}};
    if (!buttons.empty()) payload["buttons"] = buttons;
    json body{{"recipient", {{"user_id", std::string(user_id)}}},
              {"message", {{"attachment", {{"type", "template"}, {"payload", payload}}}}}};
    return api_post(settings_.api_base + "/v3.0/oa/message/transaction", body, access_token);
}

send_request zalo_adapter::zns_message(const core::notice& n, const zns_template& t,
                                       const render_context& ctx,
                                       const std::string& access_token) const {
    json data = json::object();
    for (const auto& [name, field] : t.params)
        data[name] = core::notice_field(n, field, field == "answer" ? 400 : 100);
    // tracking_id comes back in ZNS's delivery events: the outbox message it was.
    json body{{"phone", ctx.facts.phone},
              {"template_id", t.template_id},
              {"template_data", data},
              {"tracking_id", ctx.channel + "-" + std::to_string(ctx.outbox_id)}};
    return api_post(settings_.zns_base + "/message/template", body, access_token);
}

delivery_plan zalo_adapter::plan(const render_context& ctx) const {
    delivery_plan p;
    const bool free_refused = was_refused(ctx, core::reach_path::free);
    const bool within = !ctx.last_inbound_at || ctx.now - *ctx.last_inbound_at <= free_window;
    if (!free_refused && (within || !ctx.notice)) return p;
    p.path = core::reach_path::none;
    if (!ctx.notice) {
        p.reason = "Zalo refused the consultation message (no interaction in 7 days)";
        return p;
    }
    const std::string purpose = core::to_string(ctx.notice->purpose);
    const auto* follow = reported_permission(ctx, core::permission_kind::follow);
    const bool may_follow = !follow || follow->granted;
    if (may_follow && settings_.templates.contains(purpose) &&
        !was_refused(ctx, core::reach_path::template_message)) {
        p.path = core::reach_path::template_message;
        return p;
    }
    if (!ctx.facts.phone.empty() && settings_.zns.contains(purpose) &&
        !was_refused(ctx, core::reach_path::zns)) {
        p.path = core::reach_path::zns;
        return p;
    }
    p.reason = "more than 48 hours since the citizen's last message; ";
    p.reason += !settings_.templates.contains(purpose) ? "no transaction template for this notice"
                : !may_follow || was_refused(ctx, core::reach_path::template_message)
                    ? "they do not follow the OA"
                    : "the transaction message was refused";
    p.reason += settings_.zns.contains(purpose)
                    ? (ctx.facts.phone.empty() ? ", and no phone number for ZNS"
                                               : ", and ZNS refused the phone number")
                    : ", and no ZNS template";
    return p;
}

std::optional<send_request> zalo_adapter::offer_notifications(std::string_view user_id,
                                                              std::string_view ref,
                                                              const render_context& ctx) const {
    (void)ref;
    if (const auto* follow = reported_permission(ctx, core::permission_kind::follow);
        follow && follow->granted)
        return std::nullopt;
    core::outbound_message msg{core::follow_offer_text(), {}, core::input_hint::none};
    auto requests =
        build(user_id, msg, ctx.access_token.empty() ? settings_.access_token : ctx.access_token);
    if (requests.empty()) return std::nullopt;
    return requests.front();
}

std::vector<send_request> zalo_adapter::build(std::string_view user_id,
                                              const core::outbound_message& msg,
                                              const std::string& access_token) const {
    std::vector<send_request> out;
    for (auto& part : split_text(with_choices(msg), max_text_length, length_unit::code_points)) {
        json body{{"recipient", {{"user_id", std::string(user_id)}}},
                  {"message", {{"text", std::move(part)}}}};
        out.push_back(api_post(settings_.api_base + "/v3.0/oa/message/cs", body, access_token));
    }
    // Asked for a phone number: Zalo's form that shares the number of the citizen's account.
    if (msg.hint == core::input_hint::phone && !settings_.share_phone_image.empty()) {
        json element{{"title", "Gửi số điện thoại / Share phone number"},
                     {"subtitle", "Bấm để gửi số điện thoại Zalo của bạn cho cán bộ."},
                     {"image_url", settings_.share_phone_image}};
        json payload{{"template_type", "request_user_info"}, {"elements", json::array({element})}};
        json body{{"recipient", {{"user_id", std::string(user_id)}}},
                  {"message", {{"attachment", {{"type", "template"}, {"payload", payload}}}}}};
        out.push_back(api_post(settings_.api_base + "/v3.0/oa/message/cs", body, access_token));
    }
    return out;
}

std::optional<send_request> zalo_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict zalo_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    const std::optional<std::int64_t> error = json_int64(j, "error");
    const std::string message = json_string(j, "message").value_or("");
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        // Messages come from outside: keep them short and free of our secrets.
        reason = redact(std::move(reason), settings_.access_token);
        reason = redact(std::move(reason), settings_.app_secret);
        reason = redact(std::move(reason), settings_.oa_secret_key);
        v.reason = truncate_reason(std::move(reason));
        return v;
    };
    auto or_else = [&](std::string fallback) { return message.empty() ? fallback : message; };
    const std::string code = std::to_string(http_status);

    // Zalo answers HTTP 200 with an error code in the body, even for failures.
    if (error == error_token_invalid)
        return verdict(send_verdict::kind::reauth, "access token invalid or expired");
    auto refused = [&](std::string reason) {
        auto v = verdict(send_verdict::kind::permanent, std::move(reason));
        v.path_refused = true;
        return v;
    };
    if (error == error_no_interaction)
        return refused(or_else("no interaction with the OA in 7 days"));
    if (error == error_not_follower) return refused(or_else("not a follower of the OA"));
    if (error == zns_unknown_error) return verdict(send_verdict::kind::retry, or_else("ZNS error"));
    // ZNS's other refusals (-101 to -1xx): the recipient's account, their settings, the
    // template, the province's quota; whichever it is, this path does not reach them.
    if (error && *error <= -101 && *error >= -199)
        return refused(or_else("ZNS error " + std::to_string(*error)));
    if (error == error_rate_limited)
        return verdict(send_verdict::kind::retry, or_else("rate limited"));
    if (http_status == 429) return verdict(send_verdict::kind::retry, or_else("rate limited"));
    if (http_status >= 500) return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    if (http_status >= 200 && http_status < 300) {
        if (error == 0) return verdict(send_verdict::kind::sent, "");
        if (error)
            return verdict(send_verdict::kind::permanent,
                           or_else("Zalo error " + std::to_string(*error)));
        // Not an OpenAPI answer; retrying could send the citizen the message twice.
        return verdict(send_verdict::kind::permanent, "unexpected answer (HTTP " + code + ")");
    }
    if (http_status >= 400) return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
    // 1xx/3xx: not an OpenAPI answer (a proxy in between?); worth another try later.
    return verdict(send_verdict::kind::retry, "unexpected HTTP " + code);
}

send_request zalo_adapter::render_refresh(std::string_view refresh_token) const {
    send_request req;
    req.method = "POST";
    req.url = settings_.oauth_base + "/v4/oa/access_token";
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"secret_key", settings_.app_secret}};
    req.body = "refresh_token=" + percent_encode(refresh_token) +
               "&app_id=" + percent_encode(settings_.app_id) + "&grant_type=refresh_token";
    return req;
}

refresh_verdict zalo_adapter::read_refresh(unsigned http_status, std::string_view body) const {
    auto verdict = [&](refresh_verdict::kind k, std::string reason) {
        refresh_verdict v;
        v.outcome = k;
        v.reason = truncate_reason(redact(std::move(reason), settings_.app_secret));
        return v;
    };
    const std::string code = std::to_string(http_status);
    if (http_status == 429 || http_status >= 500)
        return verdict(refresh_verdict::kind::retry, "HTTP " + code);

    const json j = json::parse(body, nullptr, false);
    auto access = json_string(j, "access_token");
    auto refresh = json_string(j, "refresh_token");
    if (http_status >= 200 && http_status < 300 && access && !access->empty() && refresh &&
        !refresh->empty()) {
        refresh_verdict v;
        v.tokens.access_token = std::move(*access);
        v.tokens.refresh_token = std::move(*refresh);
        // Zalo sends expires_in as a string of seconds ("90000"); accept a number too.
        const json* exp = json_member(j, "expires_in");
        std::optional<std::int64_t> seconds = json_int64(j, "expires_in");
        if (!seconds && exp && exp->is_string()) {
            const auto& t = exp->get_ref<const std::string&>();
            std::int64_t n = 0;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
            if (ec == std::errc() && p == t.data() + t.size()) seconds = n;
        }
        if (seconds && *seconds > 0) v.tokens.expires_in = std::chrono::seconds(*seconds);
        return v;
    }
    // Errors look like {"error_name": "Invalid parameter", "error_reason": "Invalid refresh
    // token", "error_description": "...", "error": -14014}: a spent, expired or revoked
    // refresh token. Trying again with it cannot help.
    const json* err = json_member(j, "error");
    const std::optional<std::int64_t> error = err ? json_int64(*err) : std::nullopt;
    if ((error && *error != 0) || (http_status >= 400 && http_status < 500)) {
        std::string what = json_string(j, "error_description").value_or("");
        if (what.empty()) what = json_string(j, "error_reason").value_or("");
        if (what.empty()) what = json_string(j, "error_name").value_or("");
        std::string reason = error ? "Zalo error " + std::to_string(*error) : "HTTP " + code;
        if (!what.empty()) reason += ": " + what;
        return verdict(refresh_verdict::kind::rejected, std::move(reason));
    }
    // Not an OAuth answer (a proxy in between?): worth another try.
    return verdict(refresh_verdict::kind::retry, "unexpected answer (HTTP " + code + ")");
}

}  // namespace dgw::channels
