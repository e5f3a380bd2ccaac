// Open311 GeoReport v2 documents (see the header): pure functions from the configuration and
// store rows to the spec's documents, and one writer for their XML form.

#include "dgw/api/open311.hpp"

#include <dgw/core/text.hpp>
#include <dgw/dialogue/concern.hpp>
#include <dgw/domain/filing.hpp>
#include <dgw/http/types.hpp>

#include <boost/algorithm/string/join.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

namespace dgw::api::open311 {

namespace {

using json = nlohmann::ordered_json;
namespace chr = std::chrono;

// The spec's element name for one item of each list it defines.
const std::map<std::string, std::string, std::less<>>& item_names() {
    static const std::map<std::string, std::string, std::less<>> names = {
        {"services", "service"},     {"service_requests", "request"},
        {"attributes", "attribute"}, {"values", "value"},
        {"errors", "error"},         {"endpoints", "endpoint"},
        {"formats", "format"}};
    return names;
}

void write_xml(std::string& out, const std::string& name, const json& v) {
    out += '<' + name + '>';
    if (v.is_object()) {
        for (const auto& [key, member] : v.items()) write_xml(out, key, member);
    } else if (v.is_array()) {
        const auto it = item_names().find(name);
        const std::string item = it != item_names().end() ? it->second : "item";
        for (const auto& member : v) write_xml(out, item, member);
    } else if (v.is_string()) {
        out += xml_escape(v.get_ref<const std::string&>());
    } else if (!v.is_null()) {
        out += v.dump();  // numbers and true/false read the same in both forms
    }
    out += "</" + name + '>';
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= text.size()) {
        auto comma = text.find(',', at);
        if (comma == std::string::npos) comma = text.size();
        auto word = text.substr(at, comma - at);
        word.erase(0, word.find_first_not_of(' '));
        word.erase(word.find_last_not_of(' ') + 1);
        if (!word.empty()) out.push_back(std::move(word));
        at = comma + 1;
    }
    return out;
}

json value(std::string key, std::string name) {
    return {{"key", std::move(key)}, {"name", std::move(name)}};
}

json attribute(std::string code, std::string datatype, bool required, int order,
               std::string description, std::string datatype_description, json values) {
    return {{"variable", true},
            {"code", std::move(code)},
            {"datatype", std::move(datatype)},
            {"required", required},
            {"datatype_description", std::move(datatype_description)},
            {"order", order},
            {"description", std::move(description)},
            {"values", std::move(values)}};
}

double to_100m(double degrees) { return std::round(degrees * 1000.0) / 1000.0; }

}  // namespace

std::optional<std::pair<std::string, format>> split_format(std::string_view segment) {
    for (auto [suffix, f] : {std::pair{std::string_view(".json"), format::json},
                             std::pair{std::string_view(".xml"), format::xml}})
        if (segment.size() > suffix.size() && segment.ends_with(suffix))
            return std::pair{std::string(segment.substr(0, segment.size() - suffix.size())), f};
    return std::nullopt;
}

std::string xml_escape(std::string_view text) {
    // XML 1.0 holds no C0 control character but tab, LF and CR, not even escaped: dropped. The
    // markup is escaped as for HTML (its &#39; is XML's too).
    std::string kept;
    kept.reserve(text.size());
    for (char ch : text)
        if (static_cast<unsigned char>(ch) >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r')
            kept += ch;
    return core::html_escape(kept);
}

std::string to_xml(const document& d) {
    std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
    write_xml(out, d.root, d.body);
    return out;
}

document errors(int code, std::string_view description) {
    return {json::array({{{"code", code}, {"description", std::string(description)}}}), "errors"};
}

std::string datetime_text(chr::system_clock::time_point t, chr::minutes offset) {
    const auto local = chr::floor<chr::seconds>(t) + offset;
    const auto day = chr::floor<chr::days>(local);
    const chr::year_month_day ymd{day};
    const chr::hh_mm_ss hms{local - day};
    const auto off = offset.count() < 0 ? -offset.count() : offset.count();
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                  offset.count() < 0 ? '-' : '+', static_cast<int>(off / 60),
                  static_cast<int>(off % 60));
    return buf;
}

document discovery(const discovery_info& info) {
    json endpoint = {{"specification", "http://wiki.open311.org/GeoReport_v2"},
                     {"url", info.base_url},
                     {"changeset", info.changeset},
                     {"type", "production"},
                     {"formats", json::array({"text/xml", "application/json"})}};
    return {json{{"changeset", info.changeset},
                 {"contact", info.contact},
                 {"key_service", info.key_service},
                 {"endpoints", json::array({endpoint})}},
            "discovery"};
}

document services(const dialogue::dialogue_config& cfg, std::string_view lang) {
    json list = json::array();
    const bool en = lang == "en";
    for (const auto& t : cfg.topics) {
        std::vector<std::string> words;
        for (const char* l : {"vi", "en"})
            if (auto it = t.words.find(l); it != t.words.end())
                words.insert(words.end(), it->second.begin(), it->second.end());
        const auto& levels = t.levels;
        std::string heard_by;
        for (const auto& id : levels)
            if (const auto* lv = cfg.find_level(id))
                heard_by += (heard_by.empty() ? "" : ", ") + (en ? lv->name_en : lv->name_vi);
        list.push_back({{"service_code", t.id},
                        {"service_name", en ? t.name_en : t.name_vi},
                        {"description", (en ? "Heard by: " : "Cấp xem xét: ") + heard_by},
                        {"metadata", true},
                        {"type", "batch"},
                        {"keywords", boost::algorithm::join(words, ", ")},
                        {"group", t.group.empty() ? "general" : t.group}});
    }
    return {std::move(list), "services"};
}

std::optional<document> service_definition(const dialogue::dialogue_config& cfg,
                                           std::string_view code, std::string_view lang) {
    if (std::none_of(cfg.topics.begin(), cfg.topics.end(),
                     [&](const dialogue::topic& t) { return t.id == code; }))
        return std::nullopt;
    const bool en = lang == "en";
    json communes = json::array();
    for (const auto& u : cfg.units)
        if (u.type == "commune" || u.type == "ward") communes.push_back(value(u.code, u.name));
    const auto yes_no = [en] {
        return json::array({value("true", en ? "Yes" : "Có"), value("false", en ? "No" : "Không")});
    };
    json attributes = json::array(
        {attribute("commune", "singlevaluelist", true, 1,
                   en ? "Commune or ward the concern is about" : "Xã, phường nơi có vấn đề",
                   en ? "The unit's official code" : "Mã đơn vị hành chính", std::move(communes)),
         attribute(
             "anonymous", "singlevaluelist", false, 2,
             en ? "Raised anonymously (no name or phone kept)"
                : "Phản ánh ẩn danh (không lưu họ tên, số điện thoại)",
             en ? "true when no name or phone is given" : "true khi không có họ tên, số điện thoại",
             yes_no()),
         attribute("consent", "singlevaluelist", false, 3,
                   en ? "The citizen agreed that their name and phone be kept and seen by the "
                        "officials in charge"
                      : "Người dân đồng ý để cán bộ phụ trách lưu và xem họ tên, số điện thoại",
                   en ? "Required (true) with first_name, last_name, phone or email"
                      : "Bắt buộc (true) khi gửi first_name, last_name, phone hoặc email",
                   yes_no())});
    return document{
        json{{"service_code", std::string(code)}, {"attributes", std::move(attributes)}},
        "service_definition"};
}

std::string_view open_or_closed(core::concern_status status) {
    using core::concern_status;
    switch (status) {
        case concern_status::answered:
        case concern_status::withdrawn:
        case concern_status::merged: return "closed";
        default: return "open";
    }
}

json service_request(const dialogue::dialogue_config& cfg, const store::concern& k,
                     const std::optional<dialogue::session>& session, std::string_view photo_url,
                     std::string_view lang) {
    const bool en = lang == "en";
    const auto* topic = cfg.find_topic(k.topic);
    std::string agency, notice, venue;
    json expected = nullptr;
    if (session) {
        const auto* lv = cfg.find_level(session->level);
        agency = (lv ? (en ? lv->name_en : lv->name_vi) + " – " : std::string()) +
                 session->locality_name;
        notice = domain::session_label(*session, lang);
        venue = session->venue;
        // Sessions have days, not hours: the day's start in the province.
        if (session->date)
            expected =
                datetime_text(chr::sys_days{*session->date} - cfg.utc_offset, cfg.utc_offset);
    } else {
        const auto* lv = cfg.find_level("commune");
        agency = (lv ? (en ? lv->name_en : lv->name_vi) + " – " : std::string()) + k.commune_name;
    }
    json r = {
        {"service_request_id", k.ref},
        {"status", std::string(open_or_closed(k.status))},
        {"detailed_status", k.status},
        {"status_notes", k.published ? k.answer : std::string()},
        {"service_name", topic ? (en ? topic->name_en : topic->name_vi) : k.topic},
        {"service_code", k.topic},
        // The citizen's words can hold their name or their neighbours': the topic and
        // the place instead, as on the public page of answers.
        {"description",
         (topic ? (en ? topic->name_en : topic->name_vi) : k.topic) + " – " + k.commune_name},
        {"agency_responsible", agency},
        {"service_notice", notice},
        {"requested_datetime", datetime_text(k.created_at, cfg.utc_offset)},
        {"updated_datetime", datetime_text(std::max(k.updated_at, k.created_at), cfg.utc_offset)},
        {"expected_datetime", expected},
        {"session_venue", venue},
        {"address", k.commune_name},
        {"address_id", k.commune_code},
        {"zipcode", ""},
        {"lat", k.lat ? json(to_100m(*k.lat)) : json(nullptr)},
        {"long", k.lon ? json(to_100m(*k.lon)) : json(nullptr)},
        {"media_url", std::string(photo_url)}};
    return r;
}

document service_requests(json items) { return {std::move(items), "service_requests"}; }

std::variant<request_filter, std::string> parse_filter(
    const dialogue::dialogue_config& cfg, const std::function<std::string(std::string_view)>& param,
    chr::system_clock::time_point now) {
    request_filter f;
    f.ids = split_list(param("service_request_id"));
    f.codes = split_list(param("service_code"));
    for (const auto& c : f.codes)
        if (!cfg.find_topic(c)) return "service_code not found: " + c;
    const auto statuses = split_list(param("status"));
    bool open = false, closed = false;
    for (const auto& s : statuses) {
        if (s == "open")
            open = true;
        else if (s == "closed")
            closed = true;
        else
            return "status must be open or closed: " + s;
    }
    if (open != closed) f.open = open;
    for (auto [name, slot] : {std::pair{"start_date", &f.start}, std::pair{"end_date", &f.end}}) {
        const auto text = param(name);
        if (text.empty()) continue;
        auto t = dialogue::parse_date_time(text, cfg.utc_offset);
        if (!t) return std::string(name) + " is not a w3 date-time: " + text;
        *slot = *t;
    }
    if (f.start && f.end && *f.start > *f.end) return "start_date is after end_date";
    // The spec's default span: 90 days (ending at end_date, or now).
    if (f.ids.empty() && !f.start) f.start = (f.end ? *f.end : now) - chr::days{90};
    if (const auto size = param("page_size"); !size.empty()) {
        std::size_t n = 0;
        if (size.size() > 4 || size.find_first_not_of("0123456789") != std::string::npos ||
            (n = std::stoul(size)) == 0 || n > 1000)
            return "page_size must be a number from 1 to 1000";
        f.limit = n;
    }
    return f;
}

bool matches(const request_filter& f, const store::concern& k) {
    if (!f.ids.empty() && std::find(f.ids.begin(), f.ids.end(), k.ref) == f.ids.end()) return false;
    if (!f.codes.empty() && std::find(f.codes.begin(), f.codes.end(), k.topic) == f.codes.end())
        return false;
    if (f.open && (open_or_closed(k.status) == "open") != *f.open) return false;
    if (f.start && k.created_at < *f.start) return false;
    if (f.end && k.created_at > *f.end) return false;
    return true;
}

std::map<std::string, std::string, std::less<>> parse_form(std::string_view body) {
    std::map<std::string, std::string, std::less<>> out;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const auto pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = http::url_decode(pair.substr(0, eq));
        auto v =
            eq == std::string_view::npos ? std::string() : http::url_decode(pair.substr(eq + 1));
        out.emplace(std::move(name), std::move(v));
    }
    return out;
}

json post_answer(const dialogue::dialogue_config& cfg, const store::concern& k,
                 const std::optional<dialogue::session>& session, std::string_view account_id,
                 std::string_view lang) {
    const auto full = service_request(cfg, k, session, "", lang);
    return json::array({{{"service_request_id", k.ref},
                         {"token", k.ref},
                         {"service_notice", domain::heard_at(session, lang)},
                         {"account_id", std::string(account_id)},
                         {"expected_datetime", full["expected_datetime"]},
                         {"session_venue", full["session_venue"]},
                         {"agency_responsible", full["agency_responsible"]},
                         {"detailed_status", k.status}}});
}

}  // namespace dgw::api::open311
