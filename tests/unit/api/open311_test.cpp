// Open311 GeoReport v2 documents as pure functions: XML escaping and the lists' element names,
// a concern as a service request without any personal data, statuses, the filters.

#include <dgw/api/open311.hpp>

#include <gtest/gtest.h>

#include <string>

namespace dgw::api::open311 {
namespace {

using json = nlohmann::ordered_json;
namespace chr = std::chrono;

dialogue::dialogue_config config() {
    dialogue::dialogue_config cfg;
    cfg.province = {"15", "Tỉnh Lào Cai", "Lao Cai Province"};
    cfg.levels.push_back({"commune", "Cấp xã", "Commune and ward"});
    cfg.units.push_back({"02683", "Xã Bát Xát", "commune", "commune", "", {}});
    dialogue::topic roads{"roads",
                          "Giao thông, đường sá",
                          "Roads and transport",
                          "socio_economic",
                          {"commune"},
                          {{"vi", {"ổ gà"}}, {"en", {"pothole"}}}};
    cfg.topics.push_back(roads);
    return cfg;
}

store::concern concern_with_personal_data() {
    store::concern k;
    k.ref = "LC-7K4M2";
    k.topic = "roads";
    k.commune_code = "02683";
    k.commune_name = "Xã Bát Xát";
    k.text = "Ông Lò Văn A, 0912345678, báo đường hỏng";
    k.phone = "+84912345678";
    k.citizen_name = "Lò Văn A";
    k.contact_id = 4242;
    k.channel = "telegram";
    k.conversation_key = "telegram:900001";
    k.consent = true;
    k.lat = 22.5234567;
    k.lon = 103.8891234;
    k.status = core::concern_status::answered;
    k.answer = "Sẽ sửa trong quý I";
    k.published = false;
    k.media = json::array({"AgACAgIAAxkBAAIB"});
    k.created_at = chr::sys_days{chr::year{2026} / 12 / 1} + chr::hours{3};
    k.updated_at = k.created_at + chr::hours{1};
    return k;
}

TEST(Open311, XmlEscapesMarkupAndDropsWhatXmlCannotHold) {
    EXPECT_EQ(xml_escape("a<b>&\"c'\x01\td"), "a&lt;b&gt;&amp;&quot;c&#39;\td");
    EXPECT_EQ(xml_escape("Xã Bát Xát"), "Xã Bát Xát");
}

TEST(Open311, XmlNamesEachListsItemsAsTheSpecDoes) {
    document d{json::array({{{"service_code", "roads"}, {"metadata", true}, {"x", nullptr}}}),
               "services"};
    EXPECT_EQ(to_xml(d),
              "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>roads"
              "</service_code><metadata>true</metadata><x></x></service></services>");
    EXPECT_EQ(to_xml(errors(404, "not <found>")),
              "<?xml version=\"1.0\" encoding=\"utf-8\"?><errors><error><code>404</code>"
              "<description>not &lt;found&gt;</description></error></errors>");
}

TEST(Open311, TheFormatIsTheLastSegmentsSuffix) {
    EXPECT_EQ(split_format("roads.json"), (std::pair{std::string("roads"), format::json}));
    EXPECT_EQ(split_format("LC-7K4M2.xml"), (std::pair{std::string("LC-7K4M2"), format::xml}));
    EXPECT_FALSE(split_format("roads"));
    EXPECT_FALSE(split_format(".json"));
}

TEST(Open311, TimesCarryTheProvincesOffset) {
    const auto t = chr::sys_days{chr::year{2026} / 12 / 7} + chr::hours{19} + chr::minutes{10};
    EXPECT_EQ(datetime_text(t, chr::minutes{420}), "2026-12-08T02:10:00+07:00");
    EXPECT_EQ(datetime_text(t, chr::minutes{-330}), "2026-12-07T13:40:00-05:30");
}

TEST(Open311, AServiceRequestHoldsNoPersonalData) {
    const auto cfg = config();
    auto k = concern_with_personal_data();
    const auto r = service_request(cfg, k, std::nullopt, "", "vi");
    const auto text = r.dump();
    for (const char* personal : {"Lò Văn A", "0912345678", "4242", "telegram", "900001",
                                 "AgACAgIAAxkBAAIB", "báo đường hỏng"})
        EXPECT_EQ(text.find(personal), std::string::npos) << personal;
    EXPECT_EQ(r["service_request_id"], "LC-7K4M2");
    EXPECT_EQ(r["status"], "closed");
    EXPECT_EQ(r["detailed_status"], "answered");
    EXPECT_EQ(r["status_notes"], "") << "an answer no official published stays unpublished";
    EXPECT_EQ(r["service_code"], "roads");
    EXPECT_EQ(r["service_name"], "Giao thông, đường sá");
    EXPECT_EQ(r["agency_responsible"], "Cấp xã – Xã Bát Xát");
    EXPECT_EQ(r["address"], "Xã Bát Xát");
    EXPECT_EQ(r["address_id"], "02683");
    EXPECT_EQ(r["lat"], 22.523);
    EXPECT_EQ(r["long"], 103.889);
    EXPECT_EQ(r["requested_datetime"], "2026-12-01T10:00:00+07:00");
    EXPECT_EQ(r["updated_datetime"], "2026-12-01T11:00:00+07:00");
    EXPECT_TRUE(r["expected_datetime"].is_null());
    EXPECT_EQ(r["media_url"], "");

    k.published = true;
    EXPECT_EQ(service_request(cfg, k, std::nullopt, "", "vi")["status_notes"],
              "Sẽ sửa trong quý I");
}

TEST(Open311, TheSessionGivesTheAgencyTheNoticeAndTheExpectedDay) {
    const auto cfg = config();
    auto k = concern_with_personal_data();
    k.status = core::concern_status::scheduled;
    dialogue::session s;
    s.id = "commune-02683-2026-12";
    s.level = "commune";
    s.locality = "02683";
    s.locality_name = "Xã Bát Xát";
    s.month = chr::year{2026} / 12;
    s.date = chr::year{2026} / 12 / 18;
    s.venue = "Hội trường UBND xã";
    s.title_vi = "Đối thoại với Nhân dân xã Bát Xát";
    s.title_en = "Dialogue with the citizens of Bat Xat";
    const auto r = service_request(cfg, k, s, "", "vi");
    EXPECT_EQ(r["status"], "open");
    EXPECT_EQ(r["expected_datetime"], "2026-12-18T00:00:00+07:00");
    EXPECT_EQ(r["session_venue"], "Hội trường UBND xã");
    EXPECT_EQ(r["agency_responsible"], "Cấp xã – Xã Bát Xát");
    EXPECT_NE(r["service_notice"].get<std::string>().find("Đối thoại với Nhân dân xã Bát Xát"),
              std::string::npos);
}

TEST(Open311, StatusesAreOpenUntilAnsweredWithdrawnOrMerged) {
    using cs = core::concern_status;
    for (auto s : {cs::received, cs::scheduled, cs::unscheduled, cs::forwarded})
        EXPECT_EQ(open_or_closed(s), "open") << core::to_string(s);
    for (auto s : {cs::answered, cs::withdrawn, cs::merged})
        EXPECT_EQ(open_or_closed(s), "closed") << core::to_string(s);
}

TEST(Open311, ServicesAreTheTopicsAndTheirDefinitionTheCommunes) {
    const auto cfg = config();
    const auto list = services(cfg, "en").body;
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["service_name"], "Roads and transport");
    EXPECT_EQ(list[0]["group"], "socio_economic");
    EXPECT_EQ(list[0]["keywords"], "ổ gà, pothole");
    EXPECT_FALSE(service_definition(cfg, "potholes", "vi"));
    const auto d = service_definition(cfg, "roads", "vi");
    ASSERT_TRUE(d);
    EXPECT_EQ(d->root, "service_definition");
    const auto& commune = d->body["attributes"][0];
    EXPECT_EQ(commune["code"], "commune");
    EXPECT_EQ(commune["datatype"], "singlevaluelist");
    EXPECT_EQ(commune["required"], true);
    EXPECT_EQ(commune["values"], json::array({{{"key", "02683"}, {"name", "Xã Bát Xát"}}}));
}

TEST(Open311, FiltersAreCheckedAndDefaultToTheLastNinetyDays) {
    const auto cfg = config();
    const auto now = chr::sys_days{chr::year{2026} / 12 / 7} + chr::hours{12};
    auto with = [](std::map<std::string, std::string> q) {
        return [q](std::string_view name) {
            auto it = q.find(std::string(name));
            return it == q.end() ? std::string() : it->second;
        };
    };
    auto f = std::get<request_filter>(parse_filter(cfg, with({}), now));
    EXPECT_EQ(f.start, now - chr::days{90});
    EXPECT_FALSE(f.open);
    f = std::get<request_filter>(parse_filter(cfg,
                                              with({{"status", "open"},
                                                    {"start_date", "2026-11-01T00:00:00Z"},
                                                    {"service_code", "roads"}}),
                                              now));
    EXPECT_EQ(f.open, true);
    auto k = concern_with_personal_data();
    k.status = core::concern_status::scheduled;
    EXPECT_TRUE(matches(f, k));
    k.status = core::concern_status::merged;
    EXPECT_FALSE(matches(f, k));
    for (auto bad : std::vector<std::map<std::string, std::string>>{
             {{"status", "pending"}},
             {{"start_date", "yesterday"}},
             {{"service_code", "potholes"}},
             {{"start_date", "2026-12-02T00:00:00Z"}, {"end_date", "2026-12-01T00:00:00Z"}},
             {{"page_size", "0"}}})
        EXPECT_TRUE(std::holds_alternative<std::string>(parse_filter(cfg, with(bad), now)))
            << bad.begin()->first;
}

}  // namespace
}  // namespace dgw::api::open311
