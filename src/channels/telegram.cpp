#include <dgw/channels/telegram.hpp>

#include <dgw/channels/common.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdint>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

constexpr std::string_view secret_header = "x-telegram-bot-api-secret-token";

// The outcome of reading one part of an Update: an event, nothing to do, or a malformed body.
enum class read { event, ignored, malformed };

// "First Last" from a User (or a private Chat); names are NFC like every stored text.
void fill_sender(const json* from, core::inbound_event& ev) {
    if (!from || !from->is_object()) return;
    std::string name = json_string(*from, "first_name").value_or("");
    if (auto last = json_string(*from, "last_name"); last && !last->empty()) {
        if (!name.empty()) name += ' ';
        name += *last;
    }
    ev.display_name = core::nfc(name);
    ev.language = json_string(*from, "language_code").value_or("");
}

// The largest PhotoSize: Telegram lists sizes smallest first, but pick by area to be safe.
std::optional<std::string> largest_photo(const json& sizes) {
    std::optional<std::string> best;
    std::int64_t best_area = -1;
    for (const auto& s : sizes) {
        auto id = json_string(s, "file_id");
        if (!id || id->empty()) continue;
        const std::int64_t w = json_int64(s, "width").value_or(0);
        const std::int64_t h = json_int64(s, "height").value_or(0);
        const std::int64_t area = (w > 0 && h > 0 && w < (1 << 20) && h < (1 << 20)) ? w * h : 0;
        if (area >= best_area) best_area = area, best = std::move(id);
    }
    return best;
}

read read_message(const json& m, core::inbound_event& ev) {
    const json* chat = json_member(m, "chat");
    auto chat_id = chat ? json_int64(*chat, "id") : std::nullopt;
    auto chat_type = chat ? json_string(*chat, "type") : std::nullopt;
    auto message_id = json_int64(m, "message_id");
    if (!chat_id || !chat_type || !message_id) return read::malformed;
    // Only one-to-one conversations reach a flow; groups, supergroups and channels are ignored.
    if (*chat_type != "private") return read::ignored;

    ev.user_id = std::to_string(*chat_id);
    // message_id is unique only within a chat (PLATFORMS.md pitfall 6).
    ev.dedup_key = ev.user_id + ":" + std::to_string(*message_id);
    const json* from = json_member(m, "from");
    fill_sender(from ? from : chat, ev);

    if (auto text = json_string(m, "text")) {
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(*text);
        // A deep link (t.me/<bot>?start=moi_<session>) opens the chat with "/start <payload>":
        // the invitation is kept, the citizen is greeted as after a plain "/start".
        if (ev.text.starts_with("/start ")) {
            ev.invite = core::invite_of(std::string_view(ev.text).substr(7));
            if (!ev.invite.empty()) ev.text = "/start";
        }
        return read::event;
    }
    if (const json* loc = json_member(m, "location"); loc && loc->is_object()) {
        const json* lat = json_member(*loc, "latitude");
        const json* lon = json_member(*loc, "longitude");
        if (!lat || !lon || !lat->is_number() || !lon->is_number()) return read::malformed;
        ev.kind = core::inbound_kind::location;
        ev.lat = lat->get<double>();
        ev.lon = lon->get<double>();
        return read::event;
    }
    if (const json* photo = json_member(m, "photo"); photo && photo->is_array()) {
        auto file_id = largest_photo(*photo);
        if (!file_id) return read::malformed;
        ev.kind = core::inbound_kind::image;
        ev.media.push_back(std::move(*file_id));
        ev.text = core::nfc(json_string(m, "caption").value_or(""));
        return read::event;
    }
    if (const json* contact = json_member(m, "contact"); contact && contact->is_object()) {
        auto phone = json_string(*contact, "phone_number");
        if (!phone) return read::malformed;
        ev.kind = core::inbound_kind::contact;
        ev.phone = std::move(*phone);
        return read::event;
    }
    // Stickers, voice, documents, service messages (pins, joins...): nothing a flow can use.
    return read::ignored;
}

read read_callback(const json& cq, core::inbound_event& ev) {
    auto id = json_string(cq, "id");
    const json* from = json_member(cq, "from");
    auto from_id = from ? json_int64(*from, "id") : std::nullopt;
    if (!id || id->empty() || !from_id) return read::malformed;
    // A callback without data comes from a game button: not ours.
    auto data = json_string(cq, "data");
    if (!data) return read::ignored;
    // The button's message tells the chat; it is absent for inline-mode messages, where the
    // private chat id equals the user id anyway.
    std::int64_t chat_id = *from_id;
    if (const json* msg = json_member(cq, "message"); msg && msg->is_object()) {
        const json* chat = json_member(*msg, "chat");
        auto type = chat ? json_string(*chat, "type") : std::nullopt;
        auto cid = chat ? json_int64(*chat, "id") : std::nullopt;
        if (type && *type != "private") return read::ignored;
        if (cid) chat_id = *cid;
    }
    ev.kind = core::inbound_kind::choice;
    ev.user_id = std::to_string(chat_id);
    ev.dedup_key = "cb:" + *id;
    ev.choice_id = std::move(*data);
    fill_sender(from, ev);
    ev.reply_context = json{{"callback_query_id", *id}};
    return read::event;
}

// Telegram takes chat_id as "Integer or String"; private chats are integers.
json chat_id_value(std::string_view user_id) {
    std::int64_t v = 0;
    const char* end = user_id.data() + user_id.size();
    auto [p, ec] = std::from_chars(user_id.data(), end, v);
    if (ec == std::errc() && p == end && !user_id.empty()) return v;
    return std::string(user_id);
}

json reply_markup(const core::outbound_message& msg, const telegram_settings& s) {
    json rows = json::array();
    // Request buttons first: a "skip" choice usually follows them.
    if (msg.hint == core::input_hint::location)
        rows.push_back(
            json::array({{{"text", s.location_button_label}, {"request_location", true}}}));
    if (msg.hint == core::input_hint::phone)
        rows.push_back(
            json::array({{{"text", s.contact_button_label}, {"request_contact", true}}}));
    // One choice per row: Vietnamese labels are long, side by side they get cut off. A tap
    // sends the label back as text, which the flow engine maps to the choice.
    for (const auto& c : msg.choices)
        rows.push_back(json::array({{{"text", c.label.empty() ? c.id : c.label}}}));
    if (rows.empty()) return json{{"remove_keyboard", true}};
    return json{
        {"keyboard", std::move(rows)}, {"resize_keyboard", true}, {"one_time_keyboard", true}};
}

}  // namespace

telegram_adapter::telegram_adapter(telegram_settings settings) : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
}

parse_result telegram_adapter::parse(const webhook_request& req) const {
    // An adapter without a configured secret fails closed: anyone could post Updates.
    if (settings_.secret_token.empty() ||
        !constant_time_equal(req.header(secret_header), settings_.secret_token)) {
        return reject(parse_result::verdict::unauthorized, 401, "missing or wrong secret token");
    }
    const json update = json::parse(req.body, nullptr, false);
    if (update.is_discarded())
        return reject(parse_result::verdict::bad_request, 400, "body is not valid JSON");
    if (!update.is_object() || !json_int64(update, "update_id"))
        return reject(parse_result::verdict::bad_request, 400, "not a Telegram Update");

    parse_result r;
    core::inbound_event ev;
    read outcome = read::ignored;
    // An Update carries at most one of its optional parts. edited_message keeps the old
    // message_id (its dedup key is taken), channel_post and my_chat_member (blocked/unblocked)
    // are not conversations: all of them, and any newer part, are ignored with a 200.
    if (const json* m = json_member(update, "message")) {
        outcome = m->is_object() ? read_message(*m, ev) : read::malformed;
    } else if (const json* cq = json_member(update, "callback_query")) {
        outcome = cq->is_object() ? read_callback(*cq, ev) : read::malformed;
    }
    switch (outcome) {
        case read::malformed:
            return reject(parse_result::verdict::bad_request, 400, "malformed Telegram Update");
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

send_request telegram_adapter::api_request(std::string_view method, std::string body) const {
    send_request req;
    req.method = "POST";
    req.url = settings_.api_base + "/bot" + settings_.bot_token + "/" + std::string(method);
    req.headers = {{"Content-Type", "application/json"}};
    req.body = std::move(body);
    return req;
}

std::optional<send_request> telegram_adapter::media_lookup(std::string_view media_id) const {
    if (media_id.empty()) return std::nullopt;
    return api_request("getFile", json{{"file_id", media_id}}.dump());
}

std::optional<send_request> telegram_adapter::media_download(unsigned http_status,
                                                             std::string_view body) const {
    if (http_status != 200) return std::nullopt;
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object() || j.value("ok", false) != true || !j.contains("result") ||
        !j["result"].is_object())
        return std::nullopt;
    const auto path = j["result"].value("file_path", std::string());
    // A path Telegram gave ("photos/file_12.jpg"): nothing that could leave the file area.
    if (path.empty() || path.find("..") != std::string::npos || path.front() == '/' ||
        path.find_first_of("?#") != std::string::npos)
        return std::nullopt;
    send_request req;
    req.method = "GET";
    req.url = settings_.api_base + "/file/bot" + settings_.bot_token + "/" + path;
    return req;
}

std::vector<send_request> telegram_adapter::render(std::string_view user_id,
                                                   const core::outbound_message& msg) const {
    std::vector<send_request> out;
    // Telegram's limit is 4096 characters after entity parsing; counting UTF-16 units (how
    // Telegram measures text) keeps emoji-heavy texts within it too.
    auto parts = split_text(msg.text, max_text_length, length_unit::utf16_units);
    const json chat_id = chat_id_value(user_id);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        json body{{"chat_id", chat_id}, {"text", std::move(parts[i])}};
        if (i + 1 == parts.size()) body["reply_markup"] = reply_markup(msg, settings_);
        // Invalid UTF-8 from a flow must not throw here: replace it.
        out.push_back(
            api_request("sendMessage", body.dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return out;
}

std::optional<send_request> telegram_adapter::acknowledge(const core::inbound_event& ev) const {
    auto id = json_string(ev.reply_context, "callback_query_id");
    if (!id) return std::nullopt;
    return api_request("answerCallbackQuery", json{{"callback_query_id", *id}}.dump());
}

send_verdict telegram_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    std::string description = json_string(j, "description").value_or("");
    std::optional<std::chrono::milliseconds> retry_after;
    if (const json* params = json_member(j, "parameters")) {
        if (auto s = json_int64(*params, "retry_after"); s && *s >= 0 && *s < 86'400)
            retry_after = std::chrono::seconds(*s);
    }
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        if (k == send_verdict::kind::retry) v.retry_after = retry_after;
        // Descriptions come from outside: keep them short and free of the token.
        v.reason = truncate_reason(redact(std::move(reason), settings_.bot_token));
        return v;
    };
    auto or_else = [&](std::string fallback) {
        return description.empty() ? fallback : description;
    };
    const std::string code = std::to_string(http_status);

    if (http_status >= 200 && http_status < 300) {
        const json* ok = json_member(j, "ok");
        if (ok && ok->is_boolean() && ok->get<bool>()) return verdict(send_verdict::kind::sent, "");
        // Telegram always answers ok:true with 2xx; anything else is not Telegram. Retrying
        // could send the citizen the same message twice.
        return verdict(send_verdict::kind::permanent, "unexpected answer (HTTP " + code + ")");
    }
    if (http_status == 429) return verdict(send_verdict::kind::retry, or_else("rate limited"));
    if (http_status >= 500) return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    if (http_status == 403) {
        // "Forbidden: bot was blocked by the user" is the common case; others ("user is
        // deactivated") are kept as Telegram worded them. The message was not at fault:
        // another path (the SMS fallback) may still reach the citizen.
        auto v = verdict(send_verdict::kind::permanent,
                         description.empty() || description.find("blocked") != std::string::npos
                             ? std::string("blocked by the user")
                             : description);
        v.path_refused = true;
        return v;
    }
    if (http_status == 400) return verdict(send_verdict::kind::permanent, or_else("bad request"));
    if (http_status >= 400) return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
    // 1xx/3xx: not a Bot API answer (a proxy in between?); worth another try later.
    return verdict(send_verdict::kind::retry, "unexpected HTTP " + code);
}

}  // namespace dgw::channels
