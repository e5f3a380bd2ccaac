// Open311 GeoReport v2 under /open311/v2 (open311.hpp makes the documents): no login for the
// GETs, each path in .json or .xml, every error in the spec's shape ([{code, description}]).
#include "api/intake.hpp"
#include "api/service.hpp"

#include <dgw/api/api_keys.hpp>
#include <dgw/api/open311.hpp>
#include <dgw/core/time_text.hpp>

#include <charconv>
#include <map>

namespace dgw::api {

namespace {

using json = nlohmann::ordered_json;
namespace o311 = open311;

// The format the path's last segment asks for.
std::optional<o311::format> format_of(const http::request_context& c) {
    const auto slash = c.path.rfind('/');
    auto split = o311::split_format(std::string_view(c.path).substr(slash + 1));
    if (!split) return std::nullopt;
    return split->second;
}

// The name in the path's parameter `name` without its format ("roads.json" → "roads").
std::string name_in(const http::request_context& c, const char* name) {
    auto it = c.params.find(name);
    if (it == c.params.end()) return {};
    auto split = o311::split_format(it->second);
    return split ? split->first : std::string();
}

http::response reply(http::status s, const o311::document& d, o311::format f) {
    auto res =
        f == o311::format::xml
            ? http::text_response(s, o311::to_xml(d), "text/xml; charset=utf-8")
            : http::text_response(s, d.body.dump(-1, ' ', false, json::error_handler_t::replace),
                                  "application/json");
    // Read by other sites' scripts (a map of the province's concerns): public data only.
    res.set(beast::http::field::access_control_allow_origin, "*");
    return res;
}

http::response refused(http::status s, std::string_view why, o311::format f) {
    return reply(s, o311::errors(static_cast<int>(s), why), f);
}

// A coordinate in [-limit, limit], or nothing.
std::optional<double> degrees(const std::string& text, double limit) {
    double v = 0;
    const auto* end = text.data() + text.size();
    const auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || p != end || !(v >= -limit && v <= limit)) return std::nullopt;
    return v;
}

}  // namespace

net::awaitable<http::response> service::open311_answered(http::request_context& c, open_member fn) {
    // A path without its format is answered in JSON, the spec's other default being XML.
    const auto f = format_of(c);
    if (!f)
        co_return refused(http::status::not_found, "the path must end with .json or .xml",
                          o311::format::json);
    const auto jurisdiction = c.query_param("jurisdiction_id");
    if (!jurisdiction.empty() && jurisdiction != deps_.dialogue->province.code)
        co_return refused(
            http::status::not_found,
            "jurisdiction_id not found: this endpoint serves " + deps_.dialogue->province.code, *f);
    std::string failure;
    try {
        co_return co_await (this->*fn)(c);
    } catch (const store::unavailable& e) {
        failure = e.what();
    }
    if (deps_.log) deps_.log->error("open311", "store unavailable: " + failure);
    co_return refused(http::status::service_unavailable,
                      "the service is unavailable, try again later", *f);
}

net::awaitable<http::response> service::open311_discovery(http::request_context& c) {
    o311::discovery_info info;
    info.base_url = deps_.public_url + "/open311/v2";
    info.changeset = o311::datetime_text(started_, deps_.dialogue->utc_offset);
    info.contact = deps_.dialogue->province.name;
    info.key_service =
        "dialogue-gateway apikeys add NAME --scope CODE (an operator of the gateway)";
    co_return reply(http::status::ok, o311::discovery(info), *format_of(c));
}

net::awaitable<http::response> service::open311_services(http::request_context& c) {
    co_return reply(http::status::ok, o311::services(*deps_.dialogue, request_language(c)),
                    *format_of(c));
}

net::awaitable<http::response> service::open311_service(http::request_context& c) {
    const auto code = name_in(c, "code");
    auto d = o311::service_definition(*deps_.dialogue, code, request_language(c));
    if (!d)
        co_return refused(http::status::not_found, "service_code not found: " + code,
                          *format_of(c));
    co_return reply(http::status::ok, *d, *format_of(c));
}

json service::open311_requests_json(store::store& s, const std::vector<store::concern>& found,
                                    std::string_view lang) const {
    const auto& cfg = *deps_.dialogue;
    const auto now = deps_.now();
    std::map<std::string, dialogue::session, std::less<>> sessions;
    for (auto& x : edited_sessions(cfg, s.list_added_sessions(), s.list_session_overrides(), now))
        sessions.emplace(x.id, std::move(x));
    json items = json::array();
    for (const auto& k : found) {
        std::optional<dialogue::session> session;
        if (auto it = sessions.find(k.session_id); it != sessions.end()) session = it->second;
        // Only a photo an official chose to show with a published answer, as on /ket-qua.
        std::string photo;
        if (const auto shown = public_photos(s, k); !shown.empty())
            photo = deps_.public_url + "/ket-qua/anh/" + std::to_string(shown.front());
        items.push_back(o311::service_request(cfg, k, session, photo, lang));
    }
    return items;
}

net::awaitable<http::response> service::open311_requests(http::request_context& c) {
    const auto f = *format_of(c);
    auto param = [&c](std::string_view name) { return c.query_param(name); };
    auto parsed = o311::parse_filter(*deps_.dialogue, param, deps_.now());
    if (auto* why = std::get_if<std::string>(&parsed))
        co_return refused(http::status::bad_request, *why, f);
    auto filter = std::get<o311::request_filter>(std::move(parsed));
    auto self = this;
    const auto lang = request_language(c);
    auto work = [self, filter, lang](store::store& s) {
        // What SQL can filter it filters (an anonymous query must not make the database read
        // every concern); the rest, the open/closed words, row by row.
        store::concern_filter in_sql;
        in_sql.refs = filter.ids;
        in_sql.topics = filter.codes;
        in_sql.created_from = filter.start;
        in_sql.created_to = filter.end;
        in_sql.count_all = false;
        auto keep = [&filter](const store::concern& k) { return o311::matches(filter, k); };
        auto found = s.search_concerns(in_sql, keep, 0, filter.limit).items;
        return self->open311_requests_json(s, found, lang);
    };
    auto items = co_await on_db(work);
    co_return reply(http::status::ok, o311::service_requests(std::move(items)), f);
}

net::awaitable<http::response> service::open311_request(http::request_context& c) {
    const auto f = *format_of(c);
    const auto id = name_in(c, "id");
    auto self = this;
    const auto lang = request_language(c);
    auto work = [self, id, lang](store::store& s) {
        auto k = s.find_concern(id);
        if (!k) return json::array();
        return self->open311_requests_json(s, {*k}, lang);
    };
    auto items = co_await on_db(work);
    if (items.empty())
        co_return refused(http::status::not_found, "service_request_id not found: " + id, f);
    co_return reply(http::status::ok, o311::service_requests(std::move(items)), f);
}

net::awaitable<http::response> service::open311_post_request(http::request_context& c) {
    const auto f = *format_of(c);
    const auto lang = request_language(c);
    // The spec's body is a form: any other holds no key, and is refused as keyless.
    const bool is_form =
        c.req[beast::http::field::content_type].starts_with("application/x-www-form-urlencoded");
    const auto form = is_form ? o311::parse_form(c.req.body())
                              : std::map<std::string, std::string, std::less<>>{};
    auto field = [&form](std::string_view name) {
        auto it = form.find(name);
        return it == form.end() ? std::string() : it->second;
    };
    // The key is a secret: never logged, not even when it is refused.
    const auto presented = field("api_key");
    if (presented.empty())
        co_return refused(http::status::forbidden,
                          "api_key is required, in an application/x-www-form-urlencoded body", f);
    auto check = [presented](store::store& s) { return check_api_key(s, presented); };
    const auto key = co_await on_db(check);
    if (!key) co_return refused(http::status::forbidden, "api_key is not valid or was revoked", f);
    const auto now = deps_.now();
    if (const auto wait = open311_keys_.take(*key, now)) {
        auto res = refused(http::status::too_many_requests,
                           "this api_key filed its hourly allowance: try again later", f);
        res.set(beast::http::field::retry_after, std::to_string(wait->count()));
        co_return res;
    }

    intake_fields in;
    in.source = "open311";
    in.topic = field("service_code");
    in.commune_code = field("attribute[commune]");
    in.text = field("description");
    in.name = field("first_name");
    if (const auto last = field("last_name"); !last.empty())
        in.name += (in.name.empty() ? "" : " ") + last;
    in.phone = field("phone");
    in.consent = field("attribute[consent]") == "true";
    if (in.topic.empty())
        co_return refused(http::status::bad_request, "service_code is required", f);
    if (in.commune_code.empty())
        co_return refused(http::status::bad_request,
                          "attribute[commune] is required (services/" + in.topic + ")", f);
    // Anonymous means no name and no phone kept: a request that says so and sends them is
    // refused rather than half kept.
    const bool personal = !in.name.empty() || !in.phone.empty() || !field("email").empty();
    if (field("attribute[anonymous]") == "true" && personal)
        co_return refused(http::status::bad_request,
                          "attribute[anonymous] is true but a name, phone or email was given", f);
    // The chat's consent rule (intake_concern holds it too), said here in the protocol's words
    // so that an integrator learns which parameter the citizen's agreement goes in.
    if (personal && !in.consent)
        co_return refused(http::status::bad_request,
                          "attribute[consent] must be true to give a name, phone or email", f);
    std::optional<double> lat, lon;
    if (const auto text = field("lat"); !text.empty() && !(lat = degrees(text, 90)))
        co_return refused(http::status::bad_request, "lat is not a latitude: " + text, f);
    if (const auto text = field("long"); !text.empty() && !(lon = degrees(text, 180)))
        co_return refused(http::status::bad_request, "long is not a longitude: " + text, f);
    if (lat.has_value() != lon.has_value())
        co_return refused(http::status::bad_request, "lat and long go together", f);

    auto checked =
        intake_concern(*deps_.dialogue, dialogue::urgent_detector(deps_.dialogue->urgent), in);
    if (auto* why = std::get_if<api_error>(&checked))
        co_return refused(http::status::bad_request, message_of(*why, lang), f);
    auto k = std::get<store::concern>(std::move(checked));
    if (!key_covers(*key, k.commune_code))
        co_return refused(http::status::forbidden,
                          "this api_key files for " + key->scope + ", not " + k.commune_code, f);
    k.lat = lat;
    k.lon = lon;
    // What the client system said beyond the concern: where (in its words) and its own ids.
    // The e-mail address is not kept: the gateway answers by SMS or on the public page.
    for (const char* extra : {"address_string", "media_url", "account_id", "device_id"})
        if (auto v = field(extra); !v.empty()) k.answers[extra] = v;
    k.answers["_api_key"] = key->name;

    principal who;
    who.name = "apikey:" + key->name;
    const auto cfg = deps_.dialogue;
    const std::string sms = deps_.sms_channel;
    const std::string url = deps_.public_url;
    const auto account = field("account_id");
    auto work = [cfg, k, sms, url, who, now, account, lang](store::store& s) mutable {
        std::vector<store::concern> one{k};
        const bool texted = file_registered(s, *cfg, one, sms, url, who, now).front();
        const auto& filed = one.front();
        auto session = filed.session_id.empty()
                           ? std::nullopt
                           : find_session(*cfg, s.list_session_overrides(), s.list_added_sessions(),
                                          filed.session_id, now);
        return std::pair{o311::post_answer(*cfg, filed, session, account, lang), texted};
    };
    auto [answer, texted] = co_await on_db(work);
    if (texted && deps_.outbox_written) deps_.outbox_written();
    co_return reply(http::status::created, o311::service_requests(std::move(answer)), f);
}

net::awaitable<http::response> service::open311_token(http::request_context& c) {
    const auto f = *format_of(c);
    const auto token = name_in(c, "token");
    auto find = [token](store::store& s) { return !token.empty() && s.concern_ref_exists(token); };
    const bool known = co_await on_db(find);
    if (!known) co_return refused(http::status::not_found, "token not found: " + token, f);
    co_return reply(
        http::status::ok,
        o311::service_requests(json::array({{{"service_request_id", token}, {"token", token}}})),
        f);
}

}  // namespace dgw::api
