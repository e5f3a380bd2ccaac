// Open311 GeoReport v2 against the real gateway in-process (real SQLite file, real HTTP on
// 127.0.0.1:0): the spec's example requests replayed with this province's codes and our
// answers checked field by field, in JSON and in XML; errors in the spec's shape; and never a
// citizen's personal data in a public answer. Concerns are seeded through a second connection
// to the same database file, as the CLI does next to a serving gateway.

#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/api/api_keys.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace dgw {
namespace {

using nlohmann::json;
namespace bhttp = test::bhttp;
using response = bhttp::response<bhttp::string_body>;

constexpr const char* bat_xat = "02683";

// A small reader of the spec's XML (elements, text, no attributes) into JSON: an element with
// children is an object of them, or an array when its children share one name (a list);
// one with text only is that text. Enough to compare our XML with our JSON field by field.
class xml_reader {
public:
    explicit xml_reader(std::string text) : s_(std::move(text)) {}
    json document(std::string& root) {
        if (s_.starts_with("<?xml")) at_ = s_.find("?>") + 2;
        return element(root);
    }

private:
    json element(std::string& name) {
        expect('<');
        const auto end = s_.find('>', at_);
        name = s_.substr(at_, end - at_);
        at_ = end + 1;
        if (s_.compare(at_, 2, "</") == 0 || s_[at_] != '<') {
            const auto close = s_.find("</" + name + ">", at_);
            auto text = unescape(s_.substr(at_, close - at_));
            at_ = close + name.size() + 3;
            return text;
        }
        json members = json::array();
        std::vector<std::string> names;
        while (s_.compare(at_, 2, "</") != 0) {
            std::string child;
            auto v = element(child);
            names.push_back(child);
            members.push_back(json::array({child, v}));
        }
        at_ = s_.find('>', at_) + 1;
        const bool list =
            names.size() > 1 &&
            std::all_of(names.begin(), names.end(), [&](const auto& n) { return n == names[0]; });
        const bool one_item =
            names.size() == 1 &&
            (name == "services" || name == "service_requests" || name == "errors" ||
             name == "attributes" || name == "values" || name == "endpoints" || name == "formats");
        json out = list || one_item ? json::array() : json::object();
        for (auto& m : members) {
            if (out.is_array())
                out.push_back(m[1]);
            else
                out[m[0].get<std::string>()] = m[1];
        }
        return out;
    }
    void expect(char c) {
        ASSERT_EQ(s_[at_], c) << "at " << at_ << ": " << s_.substr(at_, 40);
        ++at_;
    }
    static std::string unescape(std::string t) {
        for (auto [from, to] : {std::pair{"&lt;", "<"},
                                {"&gt;", ">"},
                                {"&quot;", "\""},
                                {"&apos;", "'"}, {"&#39;", "'"},
                                {"&amp;", "&"}})
            for (auto p = t.find(from); p != std::string::npos; p = t.find(from, p + 1))
                t.replace(p, std::string(from).size(), to);
        return t;
    }
    std::string s_;
    std::size_t at_ = 0;
};

// A JSON value as the spec's XML writes it: text as is, numbers and true/false as written, null
// as nothing.
std::string as_text(const json& v) {
    return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : v.dump();
}

// Every member of `j`, at any depth, is the text of the same element in `x` (read from XML).
void same_fields(const json& j, const json& x, const std::string& where) {
    if (j.is_object()) {
        ASSERT_TRUE(x.is_object()) << where << ": " << x.dump();
        EXPECT_EQ(j.size(), x.size()) << where;
        for (const auto& [k, v] : j.items()) {
            ASSERT_TRUE(x.contains(k)) << where << "." << k;
            same_fields(v, x[k], where + "." + k);
        }
    } else if (j.is_array()) {
        ASSERT_TRUE(x.is_array()) << where << ": " << x.dump();
        ASSERT_EQ(j.size(), x.size()) << where;
        for (std::size_t i = 0; i < j.size(); ++i)
            same_fields(j[i], x[i], where + "[" + std::to_string(i) + "]");
    } else {
        EXPECT_EQ(as_text(j), x.get<std::string>()) << where;
    }
}

class Open311Test : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-open311");
        gw_ = std::make_unique<test::running_gateway>(test::base_gateway_config(dir_));
        db_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
        std::stringstream text;
        text << in.rdbuf();
        std::vector<core::problem> problems;
        dialogue_ = dialogue::load_text(text.str(), problems);
        now_ = std::chrono::system_clock::now();
        auto r = dialogue::route(dialogue_, {bat_xat, "roads", "", now_});
        ASSERT_TRUE(r && r->session);
        session_ = *r->session;
    }
    void TearDown() override {
        db_.reset();
        gw_.reset();
        std::filesystem::remove_all(dir_);
    }

    response get(const std::string& target) {
        test::sync_client c(gw_->port());
        return c.request(bhttp::verb::get, target);
    }

    response post(const std::string& target, const std::string& form) {
        test::sync_client c(gw_->port());
        return c.request(bhttp::verb::post, target, form, "application/x-www-form-urlencoded");
    }

    /// A key for client system `name` filing for `scope`; its text.
    std::string key_for(const std::string& name, const std::string& scope = bat_xat,
                        int per_hour = 100) {
        auto r = api::add_api_key(*db_, dialogue_, name, scope, per_hour, now_, "test");
        EXPECT_TRUE(r.issued) << r.error;
        return r.issued ? r.issued->text : std::string();
    }

    std::size_t concerns() { return db_->search_concerns({}, nullptr, 0, 1000).total; }

    /// A chat concern of Bát Xát about a road, with the citizen's phone and name, filed to the
    /// session routing gives it.
    std::string add(const std::string& ref, const std::string& status = "scheduled",
                    std::chrono::system_clock::time_point at = {}) {
        auto ct = db_->upsert_contact("telegram", "900001", "Lò Văn A", "vi", now_);
        store::concern c;
        c.ref = ref;
        c.contact_id = ct.id;
        c.channel = "telegram";
        c.conversation_key = "seed." + ref;
        c.topic = "roads";
        c.commune_code = bat_xat;
        c.commune_name = "Xã Bát Xát";
        c.text = "Đường vào thôn bị sạt lở, gọi Lò Văn A 0912345678";
        c.phone = "+84912345678";
        c.citizen_name = "Lò Văn A";
        c.consent = true;
        c.lat = 22.5234567;
        c.lon = 103.8891234;
        c.status = core::parse_concern_status(status).value();
        c.session_id = session_.id;
        c.created_at = c.updated_at = at == std::chrono::system_clock::time_point{} ? now_ : at;
        std::vector<store::step_write> steps(1);
        steps[0].concerns.push_back(c);
        db_->commit_steps(steps);
        return ref;
    }

    /// The JSON and XML answers of `target` + ".json"/".xml" (+ `query`): both 200 (or
    /// `status`), and the same document field by field. The JSON one.
    json both(const std::string& target, const std::string& query = "", unsigned status = 200) {
        auto j = get(target + ".json" + query);
        auto x = get(target + ".xml" + query);
        EXPECT_EQ(j.result_int(), status) << target << ": " << j.body();
        EXPECT_EQ(x.result_int(), status) << target << ": " << x.body();
        EXPECT_EQ(j[bhttp::field::content_type], "application/json");
        EXPECT_EQ(x[bhttp::field::content_type], "text/xml; charset=utf-8");
        auto doc = json::parse(j.body(), nullptr, false);
        EXPECT_FALSE(doc.is_discarded()) << j.body();
        std::string root;
        auto read = xml_reader(x.body()).document(root);
        root_ = root;
        same_fields(doc, read, target);
        return doc;
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::running_gateway> gw_;
    std::unique_ptr<store::store> db_;
    dialogue::dialogue_config dialogue_;
    std::chrono::system_clock::time_point now_;
    dialogue::session session_;
    std::string root_;  // the last XML answer's root element
};

// GET discovery: where the endpoint is, its formats, how to get a key.
TEST_F(Open311Test, DiscoveryNamesTheEndpointAndItsFormats) {
    const auto d = both("/open311/v2/discovery");
    EXPECT_EQ(root_, "discovery");
    ASSERT_EQ(d["endpoints"].size(), 1u);
    const auto& e = d["endpoints"][0];
    EXPECT_EQ(e["specification"], "http://wiki.open311.org/GeoReport_v2");
    EXPECT_EQ(e["url"], "/open311/v2");
    EXPECT_EQ(e["type"], "production");
    EXPECT_EQ(e["formats"], json::array({"text/xml", "application/json"}));
    EXPECT_FALSE(d["changeset"].get<std::string>().empty());
    EXPECT_NE(d["key_service"].get<std::string>().find("apikeys add"), std::string::npos);
}

// The spec's "GET Service List": https://[API endpoint]/services.xml?jurisdiction_id=city.gov
TEST_F(Open311Test, TheSpecsServiceListIsOneServicePerTopic) {
    const auto list = both("/open311/v2/services", "?jurisdiction_id=15");
    EXPECT_EQ(root_, "services");
    ASSERT_EQ(list.size(), dialogue_.topics.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& s = list[i];
        const auto& t = dialogue_.topics[i];
        EXPECT_EQ(s["service_code"], t.id);
        EXPECT_EQ(s["service_name"], t.name_vi);
        EXPECT_EQ(s["metadata"], true);
        EXPECT_EQ(s["type"], "batch");
        EXPECT_EQ(s["group"], t.group.empty() ? "general" : t.group);
        EXPECT_TRUE(s["description"].is_string() && s["keywords"].is_string());
        if (auto it = t.words.find("vi"); it != t.words.end() && !it->second.empty()) {
            EXPECT_NE(s["keywords"].get<std::string>().find(it->second.front()), std::string::npos);
        }
    }
    EXPECT_EQ(get("/open311/v2/services.json?lang=en").body().find(dialogue_.topics[0].name_vi),
              std::string::npos)
        << "names in English when asked";
}

// The spec's "GET Service Definition": https://[API
// endpoint]/services/033.xml?jurisdiction_id=city.gov
TEST_F(Open311Test, TheSpecsServiceDefinitionAsksForTheCommune) {
    const auto d = both("/open311/v2/services/roads", "?jurisdiction_id=15");
    EXPECT_EQ(root_, "service_definition");
    EXPECT_EQ(d["service_code"], "roads");
    const auto& attrs = d["attributes"];
    ASSERT_EQ(attrs.size(), 3u);
    EXPECT_EQ(attrs[0]["code"], "commune");
    EXPECT_EQ(attrs[0]["variable"], true);
    EXPECT_EQ(attrs[0]["datatype"], "singlevaluelist");
    EXPECT_EQ(attrs[0]["required"], true);
    EXPECT_EQ(attrs[0]["order"], 1);
    std::size_t communes = 0;
    for (const auto& u : dialogue_.units) communes += u.type == "commune" || u.type == "ward";
    EXPECT_EQ(attrs[0]["values"].size(), communes);
    EXPECT_TRUE(std::any_of(
        attrs[0]["values"].begin(), attrs[0]["values"].end(),
        [](const json& v) { return v["key"] == bat_xat && v["name"] == "Xã Bát Xát"; }));
    EXPECT_EQ(attrs[1]["code"], "anonymous");
    EXPECT_EQ(attrs[2]["code"], "consent");
    for (const auto& a : attrs)
        for (const char* field : {"variable", "code", "datatype", "required",
                                  "datatype_description", "order", "description", "values"})
            EXPECT_TRUE(a.contains(field)) << a["code"] << " " << field;
}

// The spec's "GET Service Requests": requests.xml?start_date=…&end_date=…&status=open, and
// "GET Service Request": requests/638344.xml?jurisdiction_id=city.gov.
TEST_F(Open311Test, TheSpecsRequestQueriesAnswerWithoutPersonalData) {
    using namespace std::chrono_literals;
    const auto open = add("LC-OPEN1");
    add("LC-DONE1", "answered");
    add("LC-OLD01", "scheduled", now_ - std::chrono::days{120});
    const auto day = [](std::chrono::system_clock::time_point t) {
        return dialogue::to_string(dialogue::local_date(t, std::chrono::minutes{0}));
    };
    const auto list =
        both("/open311/v2/requests", "?start_date=" + day(now_ - std::chrono::days{30}) +
                                         "T00:00:00Z&end_date=" + day(now_ + std::chrono::days{1}) +
                                         "T00:00:00Z&status=open");
    EXPECT_EQ(root_, "service_requests");
    ASSERT_EQ(list.size(), 1u) << list.dump();
    const auto& r = list[0];
    EXPECT_EQ(r["service_request_id"], open);
    EXPECT_EQ(r["status"], "open");
    EXPECT_EQ(r["detailed_status"], "scheduled");
    EXPECT_EQ(r["status_notes"], "");
    EXPECT_EQ(r["service_code"], "roads");
    EXPECT_EQ(r["service_name"], dialogue_.find_topic("roads")->name_vi);
    EXPECT_EQ(r["address"], "Xã Bát Xát");
    EXPECT_EQ(r["address_id"], bat_xat);
    EXPECT_EQ(r["lat"], 22.523);
    EXPECT_EQ(r["long"], 103.889);
    EXPECT_NE(r["agency_responsible"].get<std::string>().find(session_.locality_name),
              std::string::npos);
    EXPECT_NE(r["service_notice"].get<std::string>().find(session_.title_vi), std::string::npos);
    EXPECT_EQ(r["session_venue"], session_.venue);
    if (session_.date) {
        EXPECT_EQ(r["expected_datetime"], dialogue::to_string(*session_.date) + "T00:00:00+07:00");
    } else {
        EXPECT_TRUE(r["expected_datetime"].is_null());
    }
    for (const char* field : {"requested_datetime", "updated_datetime"})
        EXPECT_TRUE(r[field].get<std::string>().ends_with("+07:00")) << field;

    // Without dates: the spec's last 90 days, both statuses.
    auto all = json::parse(get("/open311/v2/requests.json").body());
    EXPECT_EQ(all.size(), 2u);
    auto closed = json::parse(get("/open311/v2/requests.json?status=closed").body());
    ASSERT_EQ(closed.size(), 1u);
    EXPECT_EQ(closed[0]["service_request_id"], "LC-DONE1");
    // By ids, whatever their age.
    auto by_id =
        json::parse(get("/open311/v2/requests.json?service_request_id=LC-OLD01,LC-DONE1").body());
    EXPECT_EQ(by_id.size(), 2u);

    const auto one = both("/open311/v2/requests/" + open, "?jurisdiction_id=15");
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0], r);

    for (const auto& target : {"/open311/v2/requests.json", "/open311/v2/requests.xml",
                               "/open311/v2/requests/LC-OPEN1.xml"}) {
        const auto body = get(target).body();
        for (const char* personal : {"Lò Văn A", "0912345678", "900001", "telegram", "sạt lở"})
            EXPECT_EQ(body.find(personal), std::string::npos) << target << " shows " << personal;
    }
}

// A published answer is the status notes.
TEST_F(Open311Test, StatusNotesAreTheAnswerOncePublished) {
    const auto ref = add("LC-ANS01", "answered");
    auto k = *db_->find_concern(ref);
    k.answer = "Huyện sẽ sửa đoạn đường trong quý I/2027.";
    db_->update_concern(k);
    auto r = json::parse(get("/open311/v2/requests/" + ref + ".json").body());
    EXPECT_EQ(r[0]["status"], "closed");
    EXPECT_EQ(r[0]["status_notes"], "") << "not published yet";
    k.published = true;
    db_->update_concern(k);
    r = json::parse(get("/open311/v2/requests/" + ref + ".json").body());
    EXPECT_EQ(r[0]["status_notes"], k.answer);
}

// Errors as the spec shapes them: [{code, description}], <errors><error>…
TEST_F(Open311Test, UnknownThingsAndBadFiltersAnswerTheSpecsErrors) {
    for (const auto& [target, query, status] :
         {std::tuple{std::string("/open311/v2/services/potholes"), std::string(), 404u},
          std::tuple{std::string("/open311/v2/requests/LC-NONE1"), std::string(), 404u},
          std::tuple{std::string("/open311/v2/services"), std::string("?jurisdiction_id=99"), 404u},
          std::tuple{std::string("/open311/v2/requests"), std::string("?status=pending"), 400u},
          std::tuple{std::string("/open311/v2/requests"), std::string("?start_date=yesterday"),
                     400u},
          std::tuple{std::string("/open311/v2/requests"), std::string("?service_code=potholes"),
                     400u}}) {
        const auto e = both(target, query, status);
        EXPECT_EQ(root_, "errors") << target << query;
        ASSERT_TRUE(e.is_array() && e.size() == 1) << e.dump();
        EXPECT_EQ(e[0]["code"], status);
        EXPECT_FALSE(e[0]["description"].get<std::string>().empty());
    }
    const auto no_format = get("/open311/v2/services/roads");
    EXPECT_EQ(no_format.result_int(), 404u);
    EXPECT_EQ(json::parse(no_format.body())[0]["code"], 404);
}

// The spec's "POST Service Request" example, with this province's codes: filed as a chat
// concern is (routed to the session, a reference, consent kept), answered with the reference,
// the session's day and place; then public without personal data, and seen by officials.
TEST_F(Open311Test, TheSpecsPostFilesAConcernAsTheChatDoes) {
    const auto key = key_for("cong-dvc");
    const std::string form =
        "jurisdiction_id=15&service_code=roads&lat=22.5234567&long=103.8891234"
        "&address_string=Th%C3%B4n+Tr%E1%BB%8Bnh+T%C6%B0%E1%BB%9Dng&email=smith%40example.vn"
        "&device_id=tt222111&account_id=123456&first_name=John&last_name=Smith&phone=0912345678"
        "&description=A+large+sinkhole+is+destroying+the+street&media_url=http%3A%2F%2Fexample.vn%"
        "2Fa.jpg"
        "&attribute%5Bcommune%5D=02683&attribute[consent]=true&api_key=" +
        key;
    const auto res = post("/open311/v2/requests.json", form);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const auto answer = json::parse(res.body());
    ASSERT_TRUE(answer.is_array() && answer.size() == 1) << res.body();
    const auto& a = answer[0];
    const auto ref = a["service_request_id"].get<std::string>();
    EXPECT_TRUE(ref.starts_with(dialogue_.reference_prefix + "-")) << ref;
    EXPECT_EQ(a["token"], ref);
    EXPECT_EQ(a["account_id"], "123456");
    EXPECT_EQ(a["detailed_status"], "scheduled");
    EXPECT_EQ(a["session_venue"], session_.venue);
    EXPECT_NE(a["service_notice"].get<std::string>().find(session_.title_vi), std::string::npos);
    if (session_.date) {
        EXPECT_EQ(a["expected_datetime"], dialogue::to_string(*session_.date) + "T00:00:00+07:00");
    }

    // Filed by the chat's rules, with what the citizen consented to keep.
    const auto k = db_->find_concern(ref);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->source, "open311");
    EXPECT_EQ(k->status, core::concern_status::scheduled);
    EXPECT_EQ(k->session_id, session_.id);
    EXPECT_EQ(k->topic, "roads");
    EXPECT_EQ(k->commune_code, bat_xat);
    EXPECT_EQ(k->text, "A large sinkhole is destroying the street");
    EXPECT_EQ(k->phone, "+84912345678");
    EXPECT_EQ(k->citizen_name, "John Smith");
    EXPECT_TRUE(k->consent);
    EXPECT_FALSE(k->anonymous);
    EXPECT_EQ(k->lat, 22.5234567);
    EXPECT_EQ(k->answers["address_string"], "Thôn Trịnh Tường");
    EXPECT_EQ(k->answers["_api_key"], "cong-dvc");
    EXPECT_EQ(k->answers.dump().find("smith@example.vn"), std::string::npos) << "e-mail not kept";
    const auto audit = db_->list_audit("concern:" + ref, 10);
    ASSERT_EQ(audit.size(), 1u);
    EXPECT_EQ(audit[0].actor, "apikey:cong-dvc");

    // tokens/{token} maps back; the public answer shows no personal data.
    const auto t = both("/open311/v2/tokens/" + ref);
    ASSERT_EQ(t.size(), 1u);
    EXPECT_EQ(t[0]["service_request_id"], ref);
    const auto pub = get("/open311/v2/requests/" + ref + ".json");
    ASSERT_EQ(pub.result_int(), 200u);
    for (const char* personal :
         {"John", "Smith", "0912345678", "smith@", "sinkhole", "123456", "tt222111"})
        EXPECT_EQ(pub.body().find(personal), std::string::npos) << personal;
    EXPECT_EQ(json::parse(pub.body())[0]["lat"], 22.523);

    // The officials' list has it, with the phone for an official of Bát Xát.
    auto u = api::add_user(*db_, "lan", "official", {bat_xat}, now_);
    ASSERT_TRUE(u.account) << u.error;
    db_->set_password(u.account->user.id, u.account->user.password_hash, false, now_);
    const auto token = *api::issue_token(*db_, "lan", now_);
    test::sync_client c(gw_->port());
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, "/api/v1/concerns?q=" + ref, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    req.set(bhttp::field::authorization, "Bearer " + token);
    const auto listed = c.send(req);
    ASSERT_EQ(listed.result_int(), 200u) << listed.body();
    EXPECT_NE(listed.body().find(ref), std::string::npos);
    EXPECT_NE(listed.body().find("+84912345678"), std::string::npos);
}

// An anonymous concern in XML: no consent needed, nothing personal kept.
TEST_F(Open311Test, AnAnonymousPostInXmlKeepsNothingPersonal) {
    const auto key = key_for("bao-chi", "province");
    const auto res = post("/open311/v2/requests.xml",
                          "service_code=roads&attribute[commune]=02683&attribute[anonymous]=true"
                          "&description=%C4%90%C6%B0%E1%BB%9Dng+s%E1%BA%A1t+l%E1%BB%9F&api_key=" +
                              key);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    std::string root;
    const auto x = xml_reader(res.body()).document(root);
    EXPECT_EQ(root, "service_requests");
    ASSERT_TRUE(x.is_array() && x.size() == 1) << res.body();
    const auto k = db_->find_concern(x[0]["service_request_id"].get<std::string>());
    ASSERT_TRUE(k);
    EXPECT_TRUE(k->anonymous);
    EXPECT_TRUE(k->phone.empty() && k->citizen_name.empty());
    EXPECT_EQ(k->text, "Đường sạt lở");
}

// No key, a wrong one, a revoked one, one for another commune: 403 in the spec's shape, and
// nothing filed.
TEST_F(Open311Test, KeysAreCheckedAndRevocable) {
    const auto key = key_for("cong-dvc");
    const auto elsewhere = key_for("xa-khac", [&] {
        for (const auto& u : dialogue_.units)
            if (u.code != bat_xat && u.type == "commune") return u.code;
        return std::string();
    }());
    const std::string form = "service_code=roads&attribute[commune]=02683&description=H%E1%BB%8Fng";
    const auto dot = key.find('.');
    for (const auto& [what, k] :
         {std::pair{"no key", std::string()},
          std::pair{"a wrong secret", key.substr(0, dot + 1) + "x" + key.substr(dot + 2)},
          std::pair{"no such key", std::string("o311nobody.secret")},
          std::pair{"another commune's key", elsewhere}}) {
        const auto res =
            post("/open311/v2/requests.json", form + (k.empty() ? "" : "&api_key=" + k));
        EXPECT_EQ(res.result_int(), 403u) << what << ": " << res.body();
        const auto e = json::parse(res.body(), nullptr, false);
        ASSERT_TRUE(e.is_array() && e.size() == 1) << what << ": " << res.body();
        EXPECT_EQ(e[0]["code"], 403) << what;
        EXPECT_NE(res.body().find("description"), std::string::npos);
    }
    EXPECT_EQ(concerns(), 0u);
    EXPECT_EQ(post("/open311/v2/requests.json", form + "&api_key=" + key).result_int(), 201u);
    EXPECT_TRUE(api::revoke_api_key(*db_, "cong-dvc", now_, "test"));
    const auto revoked = post("/open311/v2/requests.xml", form + "&api_key=" + key);
    EXPECT_EQ(revoked.result_int(), 403u);
    EXPECT_NE(revoked.body().find("<errors><error><code>403</code>"), std::string::npos)
        << revoked.body();
    EXPECT_EQ(concerns(), 1u);
    const auto audit = db_->list_audit("apikey:cong-dvc", 10);
    ASSERT_EQ(audit.size(), 2u);
    EXPECT_EQ(audit[0].action, "apikey.add");
    EXPECT_EQ(audit[1].action, "apikey.revoke");
    EXPECT_EQ(audit[0].after.find(key.substr(dot + 1)), std::string::npos)
        << "the secret is never written";
}

// What the chat refuses is refused here too, in the spec's shape, and loses nothing.
TEST_F(Open311Test, BadRequestsAreRefusedAndFileNothing) {
    const auto key = key_for("cong-dvc");
    const std::string base = "api_key=" + key + "&description=H%E1%BB%8Fng";
    for (const auto& [what, form] :
         {std::pair{"no service", base + "&attribute[commune]=02683"},
          std::pair{"an unknown service", base + "&service_code=potholes&attribute[commune]=02683"},
          std::pair{"no commune", base + "&service_code=roads"},
          std::pair{"an unknown commune", base + "&service_code=roads&attribute[commune]=99999"},
          std::pair{"a phone without consent",
                    base + "&service_code=roads&attribute[commune]=02683&phone=0912345678"},
          std::pair{"an e-mail without consent",
                    base + "&service_code=roads&attribute[commune]=02683&email=a%40b.vn"},
          std::pair{"anonymous with a name",
                    base + "&service_code=roads&attribute[commune]=02683"
                           "&attribute[anonymous]=true&attribute[consent]=true&first_name=An"},
          std::pair{
              "a bad phone",
              base +
                  "&service_code=roads&attribute[commune]=02683&attribute[consent]=true&phone=12"},
          std::pair{"a latitude out of range",
                    base + "&service_code=roads&attribute[commune]=02683&lat=91&long=103"},
          std::pair{"no text",
                    "api_key=" + key + "&service_code=roads&attribute[commune]=02683"}}) {
        const auto res = post("/open311/v2/requests.json", form);
        EXPECT_EQ(res.result_int(), 400u) << what << ": " << res.body();
        const auto e = json::parse(res.body(), nullptr, false);
        ASSERT_TRUE(e.is_array() && e.size() == 1) << what << ": " << res.body();
        EXPECT_EQ(e[0]["code"], 400) << what;
        EXPECT_FALSE(e[0]["description"].get<std::string>().empty()) << what;
        if (std::string_view(what).ends_with("without consent")) {
            EXPECT_NE(e[0]["description"].get<std::string>().find("attribute[consent]"),
                      std::string::npos)
                << what << ": the client is told which parameter says the citizen agreed";
        }
    }
    test::sync_client c(gw_->port());
    const auto as_json = c.request(bhttp::verb::post, "/open311/v2/requests.json",
                                   json{{"api_key", key}, {"service_code", "roads"}}.dump());
    EXPECT_EQ(as_json.result_int(), 403u) << "the spec's body is a form: no key in JSON";
    EXPECT_NE(as_json.body().find("x-www-form-urlencoded"), std::string::npos) << as_json.body();
    EXPECT_EQ(concerns(), 0u);
}

// Each key files at most its hourly allowance; the next is told when to come back.
TEST_F(Open311Test, AKeyIsHeldToItsHourlyAllowance) {
    const auto key = key_for("cong-dvc", bat_xat, 2);
    const auto other = key_for("bao-chi", "province", 2);
    const std::string form =
        "service_code=roads&attribute[commune]=02683&description=H%E1%BB%8Fng&api_key=";
    EXPECT_EQ(post("/open311/v2/requests.json", form + key).result_int(), 201u);
    EXPECT_EQ(post("/open311/v2/requests.json", form + key).result_int(), 201u);
    const auto third = post("/open311/v2/requests.json", form + key);
    EXPECT_EQ(third.result_int(), 429u) << third.body();
    EXPECT_EQ(json::parse(third.body())[0]["code"], 429);
    EXPECT_FALSE(third[bhttp::field::retry_after].empty());
    EXPECT_EQ(post("/open311/v2/requests.json", form + other).result_int(), 201u)
        << "each key its own";
    EXPECT_EQ(concerns(), 3u);
}

}  // namespace
}  // namespace dgw
