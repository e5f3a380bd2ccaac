#pragma once
/// Open311 GeoReport v2 (wiki.open311.org/GeoReport_v2) under /open311/v2: the documents the
/// spec defines, made from the dialogue configuration and store rows, and written as JSON or
/// XML. Pure: the handlers give the rows, the sessions and the time; nothing here reads a clock
/// or the store.
///
/// What a public document never holds: a citizen's name, phone, e-mail, contact or platform
/// id, their words (the public page of answers shows none either), nor a photo no official
/// chose to publish. A concern's place is its commune, and its point only to about 100 m.

#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/schedule.hpp>
#include <dgw/store/records.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace dgw::api::open311 {

/// The format a GeoReport path ends with.
enum class format { json, xml };

/// Splits the last segment of a GeoReport path ("services.json", "roads.xml") into its name
/// and format; nothing without a ".json" or ".xml" suffix or with an empty name.
std::optional<std::pair<std::string, format>> split_format(std::string_view segment);

/// The document's root element in XML ("services", "service_requests", ...): the JSON form of
/// a list is the bare array, its XML form this element around one element per item.
struct document {
    nlohmann::ordered_json body;
    std::string root;
};

/// XML 1.0 character data: & < > " ' escaped (the apostrophe as &#39;), the control
/// characters XML 1.0 cannot hold (all but tab, line feed and carriage return) dropped.
std::string xml_escape(std::string_view text);

/// The document as XML (UTF-8, with the XML declaration): an object's members are elements in
/// order, an array's items are elements named by the spec for that list (services → service,
/// service_requests → request, attributes → attribute, values → value, errors → error,
/// endpoints → endpoint, formats → format), null is an empty element, true/false are words.
std::string to_xml(const document& d);

/// The spec's error document: [{"code": code, "description": description}] (XML:
/// <errors><error>…).
document errors(int code, std::string_view description);

/// Time as the spec writes it (a w3 ISO 8601 subset): "2026-12-07T19:10:00+07:00", at
/// `offset` (the province's zone).
std::string datetime_text(std::chrono::system_clock::time_point t, std::chrono::minutes offset);

/// What the discovery document says of this gateway.
struct discovery_info {
    std::string base_url;     ///< the public address + "/open311/v2", or "/open311/v2"
    std::string contact;      ///< who to write to about the API, or ""
    std::string changeset;    ///< when the services last changed (the gateway's start)
    std::string key_service;  ///< how a client system obtains an api_key
};
document discovery(const discovery_info& info);

/// One service per topic, in the configuration's order: its id as service_code, its name in
/// `lang` ("en", else Vietnamese), its group, its words as keywords; metadata true (every
/// service has the attributes of service_definition), type "batch" (a concern is heard at its
/// session, not dispatched in real time).
document services(const dialogue::dialogue_config& cfg, std::string_view lang);

/// The attributes a concern of topic `code` needs: `commune` (the commune or ward it is
/// about, a singlevaluelist of the configured units, required), `anonymous` ("true" or
/// "false": whether the citizen wants their name and phone kept, false by default when the
/// request gives them) and `consent` ("true" when the citizen agreed that their name and
/// phone be stored and shown to the officials in charge: required with them). Nothing for a
/// code that is no topic.
std::optional<document> service_definition(const dialogue::dialogue_config& cfg,
                                           std::string_view code, std::string_view lang);

/// Open (received, scheduled, unscheduled, forwarded) or closed (answered, withdrawn,
/// merged): the spec's two statuses for ours.
std::string_view open_or_closed(core::concern_status status);

/// One concern as the spec's service request, without personal data: the reference as
/// service_request_id; the topic as service_code/service_name; the status (the detailed one as
/// the extension `detailed_status`); the answer as status_notes once an official published
/// it; the session's level and place as agency_responsible, its title as service_notice, its
/// day (the province's midnight) as expected_datetime, its venue as the extension
/// `session_venue`; the commune as address/address_id; the point rounded to 3 decimals;
/// media_url the first photo an official published (`photo_url`, "" for none). `session` is
/// the concern's session as it stands (nothing when it has none or it no longer exists).
nlohmann::ordered_json service_request(const dialogue::dialogue_config& cfg,
                                       const store::concern& k,
                                       const std::optional<dialogue::session>& session,
                                       std::string_view photo_url, std::string_view lang);

/// A list of service requests (or of POST answers, or of tokens): root "service_requests".
document service_requests(nlohmann::ordered_json items);

/// The filters of GET requests.
struct request_filter {
    std::vector<std::string> ids;    ///< service_request_id, comma separated; empty: any
    std::vector<std::string> codes;  ///< service_code, comma separated; empty: any
    std::optional<bool> open;        ///< status "open" / "closed"; both or none: any
    std::optional<std::chrono::system_clock::time_point> start, end;  ///< requested_datetime
    std::size_t limit = 1000;                                         ///< the spec's default page
};

/// The filters from the query (`param` gives a parameter's decoded value, "" when absent).
/// Without ids and dates the spec's default span applies: the 90 days before `now`. The
/// error's description when one is malformed (a date, a status word, an unknown code, start
/// after end, page_size out of 1..1000).
std::variant<request_filter, std::string> parse_filter(
    const dialogue::dialogue_config& cfg, const std::function<std::string(std::string_view)>& param,
    std::chrono::system_clock::time_point now);

/// Whether concern `k` passes the filters.
bool matches(const request_filter& f, const store::concern& k);

/// An application/x-www-form-urlencoded body (the spec's POST) as name → value, both decoded
/// ('+' as space): "attribute[commune]=02683" is the member "attribute[commune]". A name given
/// twice keeps its first value.
std::map<std::string, std::string, std::less<>> parse_form(std::string_view body);

/// What a client system may send in a POST, beyond the spec's: the answer to it, the
/// spec's [{service_request_id, service_notice, account_id}] with the session's day as
/// expected_datetime, its venue as session_venue, and the reference as token too (a
/// concern's reference is known at once: tokens/{token} maps it back).
nlohmann::ordered_json post_answer(const dialogue::dialogue_config& cfg, const store::concern& k,
                                   const std::optional<dialogue::session>& session,
                                   std::string_view account_id, std::string_view lang);

}  // namespace dgw::api::open311
