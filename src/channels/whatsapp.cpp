#include <dgw/channels/whatsapp.hpp>

#include "channels/meta.hpp"

#include <dgw/channels/common.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <utility>

namespace dgw::channels {

namespace {

using json = nlohmann::json;

// The label of the list's menu button (≤ 20 characters), shown under the body.
constexpr std::string_view list_button_label = "Chọn";

std::size_t count_of(const json* arr) { return arr && arr->is_array() ? arr->size() : 0; }

// value.contacts[] gives the profile name of each sender (wa_id).
std::string profile_name(const json& value, const std::string& wa_id) {
    const json* contacts = json_member(value, "contacts");
    if (!contacts || !contacts->is_array()) return {};
    std::string first;
    for (const auto& c : *contacts) {
        const json* profile = json_member(c, "profile");
        auto name = profile ? json_string(*profile, "name") : std::nullopt;
        if (!name) continue;
        if (json_string(c, "wa_id") == wa_id) return *name;
        if (first.empty()) first = *name;
    }
    // One contact per message is the rule; a contact without wa_id still names the sender.
    return contacts->size() == 1 ? first : std::string{};
}

// Reads one messages[] item; false when it is nothing a flow can use.
bool read_message(const json& m, const json& value, core::inbound_event& ev) {
    auto from = json_string(m, "from");
    auto id = json_string(m, "id");
    auto type = json_string(m, "type");
    if (!from || from->empty() || !id || id->empty() || !type) return false;
    // Group conversations (Groups API) carry a group_id: only one-to-one chats reach a flow.
    if (json_member(m, "group_id")) return false;
    ev.user_id = *from;
    ev.dedup_key = *id;
    ev.display_name = core::nfc(profile_name(value, *from));

    const json* content = json_member(m, *type);
    if (!content || (!content->is_object() && *type != "contacts")) return false;
    if (*type == "text") {
        auto body = json_string(*content, "body");
        if (!body) return false;
        ev.kind = core::inbound_kind::text;
        ev.text = core::nfc(*body);
        return true;
    }
    if (*type == "interactive") {
        // button_reply (reply buttons) and list_reply (list rows) carry the id we rendered;
        // nfm_reply (Flows) and others are not ours.
        auto kind = json_string(*content, "type");
        if (kind != "button_reply" && kind != "list_reply") return false;
        const json* reply = json_member(*content, *kind);
        auto choice = reply ? json_string(*reply, "id") : std::nullopt;
        if (!choice) return false;
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = std::move(*choice);
        return true;
    }
    if (*type == "button") {
        // A quick-reply button of a template message.
        auto payload = json_string(*content, "payload");
        if (!payload) return false;
        ev.kind = core::inbound_kind::choice;
        ev.choice_id = std::move(*payload);
        return true;
    }
    if (*type == "location") {
        const json* lat = json_member(*content, "latitude");
        const json* lon = json_member(*content, "longitude");
        if (!lat || !lon || !lat->is_number() || !lon->is_number()) return false;
        ev.kind = core::inbound_kind::location;
        ev.lat = lat->get<double>();
        ev.lon = lon->get<double>();
        return true;
    }
    if (*type == "image") {
        // The media id, to be fetched later with GET /{media-id}; the URL expires.
        auto media = json_string(*content, "id");
        if (!media || media->empty()) return false;
        ev.kind = core::inbound_kind::image;
        ev.media.push_back(std::move(*media));
        ev.text = core::nfc(json_string(*content, "caption").value_or(""));
        return true;
    }
    if (*type == "contacts") {
        if (!content->is_array()) return false;
        for (const auto& card : *content) {
            const json* phones = json_member(card, "phones");
            if (!phones || !phones->is_array()) continue;
            for (const auto& p : *phones) {
                auto phone = json_string(p, "phone");
                if (!phone || phone->empty()) phone = json_string(p, "wa_id");
                if (!phone || phone->empty()) continue;
                ev.kind = core::inbound_kind::contact;
                ev.phone = std::move(*phone);
                return true;
            }
        }
        return false;
    }
    // reaction, audio, video, document, sticker, order, system, unsupported...
    return false;
}

}  // namespace

whatsapp_adapter::whatsapp_adapter(whatsapp_settings settings) : settings_(std::move(settings)) {
    while (!settings_.api_base.empty() && settings_.api_base.back() == '/')
        settings_.api_base.pop_back();
    while (!settings_.media_base.empty() && settings_.media_base.back() == '/')
        settings_.media_base.pop_back();
}

std::optional<send_request> whatsapp_adapter::media_lookup(std::string_view media_id) const {
    // Media ids are decimal; anything else must not become a path of the Graph API.
    if (!decimal_id(media_id)) return std::nullopt;
    send_request req;
    req.method = "GET";
    req.url = settings_.api_base + "/" + std::string(media_id);
    req.headers = {{"Authorization", "Bearer " + settings_.access_token}};
    return req;
}

std::optional<send_request> whatsapp_adapter::media_download(unsigned http_status,
                                                             std::string_view body) const {
    if (http_status != 200) return std::nullopt;
    const json j = json::parse(body, nullptr, false);
    auto url = json_string(j, "url");
    if (!url) return std::nullopt;
    // The token goes with the download: only to where Meta serves media, or to the API.
    if (!on_origin(*url, settings_.media_base) && !on_origin(*url, settings_.api_base))
        return std::nullopt;
    auto req = url_download(*url);
    if (!req) return std::nullopt;
    req->headers = {{"Authorization", "Bearer " + settings_.access_token}};
    return req;
}

parse_result whatsapp_adapter::parse(const webhook_request& req) const {
    json body;
    if (auto answer = detail::meta_open(req, settings_.app_secret, settings_.verify_token,
                                        "whatsapp_business_account", body))
        return std::move(*answer);
    const json* entries = json_member(body, "entry");

    parse_result r;
    // Every entry, change and message in order. Malformed parts are ignored rather than
    // failing the body: WhatsApp redelivers for up to 7 days and would hold back valid events.
    for (const auto& entry : *entries) {
        const json* changes = json_member(entry, "changes");
        if (!changes || !changes->is_array()) {
            ++r.ignored;
            continue;
        }
        for (const auto& change : *changes) {
            const json* value = json_member(change, "value");
            auto field = json_string(change, "field");
            if (!value || !value->is_object() || (field && *field != "messages")) {
                ++r.ignored;  // account_update, message_template_status_update, ...
                continue;
            }
            const json* messages = json_member(*value, "messages");
            // Statuses (sent/delivered/read/failed) are about 3x the inbound volume, and
            // errors are about our sends: neither may reach a flow.
            std::size_t skipped = count_of(json_member(*value, "statuses")) +
                                  count_of(json_member(*value, "errors"));
            const json* metadata = json_member(*value, "metadata");
            auto number = metadata ? json_string(*metadata, "phone_number_id") : std::nullopt;
            const bool ours = settings_.phone_number_id.empty() ||
                              number.value_or("") == settings_.phone_number_id;
            if (messages && messages->is_array()) {
                for (const auto& m : *messages) {
                    core::inbound_event ev;
                    if (ours && read_message(m, *value, ev)) {
                        r.events.push_back(std::move(ev));
                    } else {
                        ++skipped;
                    }
                }
            }
            // A change with none of the three is something new: one ignored item.
            const bool known = (messages && messages->is_array()) || skipped > 0;
            r.ignored += known ? skipped : 1;
        }
    }
    r.response_body = "EVENT_RECEIVED";
    r.response_content_type = "text/plain";
    return r;
}

send_request whatsapp_adapter::api_request(json body) const {
    send_request req;
    req.method = "POST";
    req.url = settings_.api_base + "/" + settings_.phone_number_id + "/messages";
    req.headers = {{"Authorization", "Bearer " + settings_.access_token},
                   {"Content-Type", "application/json"}};
    req.body = detail::dump_body(body);
    return req;
}

std::vector<send_request> whatsapp_adapter::render(std::string_view user_id,
                                                   const core::outbound_message& msg,
                                                   const render_context& ctx) const {
    if (ctx.plan.path != core::reach_path::template_message || !ctx.notice)
        return render(user_id, msg);
    auto t = settings_.templates.find(core::to_string(ctx.notice->purpose));
    if (t == settings_.templates.end()) return {};
    json parameters = json::array();
    for (const auto& name : t->second.params) {
        // A template's body holds at most 1024 characters, its own words included.
        const std::size_t max = name == "answer" ? 600 : 200;
        parameters.push_back(
            {{"type", "text"}, {"text", core::notice_field(*ctx.notice, name, max)}});
    }
    json body{{"messaging_product", "whatsapp"},
              {"recipient_type", "individual"},
              {"to", std::string(user_id)},
              {"type", "template"},
              {"template",
               {{"name", t->second.name},
                {"language", {{"code", t->second.language}}},
                {"components", json::array({{{"type", "body"}, {"parameters", parameters}}})}}}};
    return {api_request(std::move(body))};
}

std::vector<send_request> whatsapp_adapter::render(std::string_view user_id,
                                                   const core::outbound_message& msg) const {
    std::vector<send_request> out;
    if (msg.text.empty()) return out;  // a text body is required, interactive ones too
    const std::string to(user_id);
    auto envelope = [&](std::string type) {
        return json{{"messaging_product", "whatsapp"},
                    {"recipient_type", "individual"},
                    {"to", to},
                    {"type", std::move(type)}};
    };
    auto send_texts = [&](std::string_view text) {
        for (auto& part : split_text(text, max_text_length, length_unit::code_points)) {
            json b = envelope("text");
            b["text"] = {{"body", std::move(part)}};
            out.push_back(api_request(std::move(b)));
        }
    };

    const std::size_t n = msg.choices.size();
    if (n == 0 || n > max_list_rows) {
        send_texts(n == 0 ? msg.text : detail::with_numbered_choices(msg.text, msg.choices));
        return out;
    }
    // The interactive body takes the last 1024 characters (split at a break); what comes
    // before goes first, as plain text messages.
    std::string body_text = msg.text;
    if (text_length(msg.text, length_unit::code_points) > max_interactive_body) {
        auto parts = split_text(msg.text, max_interactive_body, length_unit::code_points);
        body_text = std::move(parts.back());
        // The last part is a suffix of the text; drop it and the break character before it.
        std::string_view head(msg.text);
        head.remove_suffix(std::min(head.size(), body_text.size()));
        if (!head.empty() && (head.back() == '\n' || head.back() == ' ')) head.remove_suffix(1);
        send_texts(head);
    }
    json interactive;
    if (n <= max_buttons) {
        json buttons = json::array();
        for (const auto& c : msg.choices) {
            const auto title = detail::short_title(c.label, c.id, max_button_title);
            buttons.push_back({{"type", "reply"}, {"reply", {{"id", c.id}, {"title", title}}}});
        }
        interactive = {{"type", "button"},
                       {"body", {{"text", std::move(body_text)}}},
                       {"action", {{"buttons", std::move(buttons)}}}};
    } else {
        json rows = json::array();
        for (const auto& c : msg.choices) {
            rows.push_back(
                {{"id", c.id}, {"title", detail::short_title(c.label, c.id, max_row_title)}});
        }
        // One untitled section: a title is required only with several sections.
        interactive = {{"type", "list"},
                       {"body", {{"text", std::move(body_text)}}},
                       {"action",
                        {{"button", std::string(list_button_label)},
                         {"sections", json::array({{{"rows", std::move(rows)}}})}}}};
    }
    json b = envelope("interactive");
    b["interactive"] = std::move(interactive);
    out.push_back(api_request(std::move(b)));
    return out;
}

std::optional<send_request> whatsapp_adapter::acknowledge(const core::inbound_event& ev) const {
    (void)ev;
    return std::nullopt;
}

send_verdict whatsapp_adapter::classify(unsigned http_status, std::string_view body) const {
    const json j = json::parse(body, nullptr, false);
    const auto err = detail::read_graph_error(j);
    auto verdict = [&](send_verdict::kind k, std::string reason) {
        send_verdict v;
        v.outcome = k;
        v.reason = detail::safe_reason(std::move(reason), settings_.access_token);
        return v;
    };
    const std::string code = std::to_string(http_status);

    if (!err) {
        if (http_status >= 200 && http_status < 300) {
            const json* messages = json_member(j, "messages");
            if (messages && messages->is_array() && !messages->empty())
                return verdict(send_verdict::kind::sent, "");
            // Not the Messages API's answer: retrying could send the message twice.
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
        case 131047:
            // Re-engagement: more than 24 hours since the citizen's last message; only a
            // template can reach them now.
            return refused("outside the 24-hour window");
        case 131026:
            return refused("message undeliverable");
        case 190:
            return verdict(send_verdict::kind::permanent, "invalid or expired access token");
        case 131056:  // pair rate limit: too many messages to this user
        case 130429:  // throughput rate limit of the number
        case 80007:   // WhatsApp Business Account rate limit
        case 131000:  // something went wrong
        case 131016:  // service unavailable
        case 133004:  // server temporarily unavailable
        case 1:       // API unknown
        case 2:       // API service
        case 4:       // API too many calls
            return verdict(send_verdict::kind::retry, or_else("rate limited or unavailable"));
        default:
            break;
    }
    if (http_status >= 500 || http_status == 429)
        return verdict(send_verdict::kind::retry, or_else("HTTP " + code));
    return verdict(send_verdict::kind::permanent, or_else("HTTP " + code));
}

delivery_plan whatsapp_adapter::plan(const render_context& ctx) const {
    if (auto decided = detail::window_plan(ctx)) return *decided;
    delivery_plan p;
    p.path = core::reach_path::none;
    if (!was_refused(ctx, core::reach_path::template_message) &&
        settings_.templates.contains(core::to_string(ctx.notice->purpose))) {
        p.path = core::reach_path::template_message;
        return p;
    }
    p.reason = was_refused(ctx, core::reach_path::template_message)
                   ? "more than 24 hours since the citizen's last message, and WhatsApp refused "
                     "the template"
                   : "more than 24 hours since the citizen's last message, and no approved "
                     "template for this notice";
    return p;
}

}  // namespace dgw::channels
