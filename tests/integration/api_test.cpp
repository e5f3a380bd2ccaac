// The officials' REST API against the real gateway in-process: real SQLite file, real HTTP on
// 127.0.0.1:0, Telegram mocked on another port. Users are created and concerns seeded through
// a second connection to the same database file, as the CLI does next to a serving gateway.

#include "support/mock_platform.hpp"
#include "support/mock_telegram.hpp"
#include "support/platforms.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"
#include "support/running_gateway.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/app/gateway.hpp>
#include <dgw/channels/registry.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/domain/followup.hpp>
#include <dgw/domain/reminders.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace bhttp = test::bhttp;
using response = bhttp::response<bhttp::string_body>;
using headers = std::vector<std::pair<std::string, std::string>>;

constexpr const char* bot_token = "5550001111:AAFe2eTokenForTests_0123456789abcd";
constexpr const char* secret = "s3cret-For_Webhooks";
constexpr const char* bat_xat = "02683";

dialogue::dialogue_config shipped_dialogue() {
    std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
    std::stringstream text;
    text << in.rdbuf();
    std::vector<core::problem> problems;
    return dialogue::load_text(text.str(), problems);
}

struct seed {
    std::string ref = "";  // "" = a generated one
    std::string commune = bat_xat;
    std::string topic = "roads";
    std::string text = "Đường vào thôn bị sạt lở";
    std::string status = "scheduled";
    std::string session = "";  // "" = where routing sends a road concern of Bát Xát today
    std::string phone = "";
    bool consent = false;
    bool urgent = false;
    std::string chat = "900001";  // the citizen's Telegram chat
    std::string channel = "telegram";
    json media = json::array();
    std::string language = "vi";  // what the citizen's platform says they read
};

class ApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-api");
        tg_ = std::make_unique<test::mock_telegram>(bot_token);
        auto cfg = test::base_gateway_config(dir_);
        cfg.channels.push_back(test::telegram_channel(tg_->api_base(), bot_token, secret));
        cfg.pipeline.send_timeout_seconds = 2;
        configure(cfg);
        gw_ = std::make_unique<app::gateway>(cfg, log_);
        gw_->start();
        runner_ = std::thread([this] { gw_->run(); });
        db_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        now_ = std::chrono::system_clock::now();
        // Where a road concern of Bát Xát filed now goes.
        auto r = dialogue::route(dialogue_, {bat_xat, "roads", "", now_});
        ASSERT_TRUE(r && r->session);
        session_ = r->session->id;
        for (const auto& u : dialogue_.units)
            if (u.code != bat_xat && u.level == "commune") other_commune_ = u.code;
    }

    /// What a fixture adds to the gateway's config before it starts.
    virtual void configure(config::gateway_config&) {}

    void TearDown() override {
        db_.reset();
        gw_->shutdown();
        runner_.join();
        gw_.reset();
        tg_.reset();
        std::filesystem::remove_all(dir_);
    }

    response call(bhttp::verb v, const std::string& target, const json& body = nullptr,
                  const headers& extra = {}) {
        test::sync_client c(gw_->port());
        bhttp::request<bhttp::string_body> req{v, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        for (const auto& [k, val] : extra) req.set(k, val);
        if (!body.is_null()) {
            req.set(bhttp::field::content_type, "application/json");
            req.body() = body.dump();
        }
        req.prepare_payload();
        return c.send(req);
    }

    /// A request with `token` as a bearer token.
    response as(const std::string& token, bhttp::verb v, const std::string& target,
                const json& body = nullptr) {
        return call(v, target, body, {{"Authorization", "Bearer " + token}});
    }

    /// A user ready to work (password already changed), with an API token.
    std::string token_for(const std::string& name, const std::string& role,
                          std::vector<std::string> scope = {}) {
        auto r = api::add_user(*db_, name, role, scope, now_);
        EXPECT_TRUE(r.account) << r.error;
        db_->set_password(r.account->user.id, r.account->user.password_hash, false, now_);
        return *api::issue_token(*db_, name, now_);
    }

    std::string add(seed s) {
        static int n = 0;
        if (s.ref.empty()) s.ref = "LC-T" + std::to_string(++n);
        if (s.session.empty()) s.session = session_;
        auto ct = db_->upsert_contact(s.channel, s.chat, "Lò Văn A", s.language, now_);
        store::concern c;
        c.ref = s.ref;
        c.contact_id = ct.id;
        c.channel = s.channel;
        c.media = s.media;
        c.conversation_key = "seed." + s.ref;
        c.topic = s.topic;
        c.commune_code = s.commune;
        const auto* unit = dialogue_.find_unit(s.commune);
        c.commune_name = unit ? unit->name : s.commune;
        c.text = s.text;
        c.phone = s.phone;
        c.anonymous = s.phone.empty();
        c.consent = s.consent;
        c.urgent = s.urgent;
        c.status = core::parse_concern_status(s.status).value();
        c.session_id = s.session;
        c.created_at = c.updated_at = now_;
        std::vector<store::step_write> steps(1);
        steps[0].concerns.push_back(c);
        db_->commit_steps(steps);
        return s.ref;
    }

    /// A citizen of Bát Xát the bot handed to a person, who wrote `said`; the hand-off's id.
    std::string handoff_in_bat_xat(std::int64_t contact_id, const std::string& said) {
        store::step_write w;
        w.at = now_;
        store::handoff_note n;
        n.contact_id = contact_id;
        n.opens = true;
        n.channel = "telegram";
        n.reason = "menu_not_understood";
        n.commune_code = bat_xat;
        n.commune_name = "Xã Bát Xát";
        n.wrote = "about " + said;
        w.handoff = n;
        std::vector<store::step_write> steps{w};
        db_->commit_steps(steps);
        return std::to_string(db_->list_handoffs("open", 1).at(0).id);
    }

    static json body_of(const response& r) { return json::parse(r.body(), nullptr, false); }
    static std::string code_of(const response& r) {
        auto j = body_of(r);
        return j.contains("error") ? j["error"]["code"].get<std::string>() : "";
    }

    // ----- the citizen side (as in telegram_e2e_test) ----------------------------------------

    void say(std::int64_t chat, const std::string& text) { send(chat, {{"text", text}}); }

    /// A Telegram update from the citizen of `chat`: a private message with `content` (its
    /// text, photo, ...).
    void send(std::int64_t chat, const json& content) {
        ++update_;
        json message = {
            {"message_id", update_},
            {"date", 1790000000},
            {"chat", {{"id", chat}, {"type", "private"}, {"first_name", "Lò"}}},
            {"from",
             {{"id", chat}, {"is_bot", false}, {"first_name", "Lò"}, {"language_code", "vi"}}}};
        message.update(content);
        json u = {{"update_id", update_}, {"message", std::move(message)}};
        auto res = call(bhttp::verb::post, "/webhooks/telegram", u,
                        {{"X-Telegram-Bot-Api-Secret-Token", secret}});
        ASSERT_EQ(res.result_int(), 200u) << res.body();
    }

    /// A citizen of Bát Xát raises a road concern over Telegram, anonymously; true once the
    /// receipt with its reference arrived.
    bool raise_road_concern(std::int64_t chat) {
        for (const auto& line : {"xin chao", "1", "1", "bat xat",
                                 "duong vao thon bi sat lo", "gui an danh"})
            say(chat, line);
        return wait_for_text(std::to_string(chat), "LC-");
    }

    bool wait_for_text(const std::string& chat, const std::string& needle,
                       std::chrono::milliseconds max = 20s) {
        auto deadline = std::chrono::steady_clock::now() + max;
        for (;;) {
            for (const auto& c : tg_->calls())
                if (c.method == "sendMessage" && c.chat_id == chat && c.status == 200 &&
                    c.text.find(needle) != std::string::npos)
                    return true;
            auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= 0ms) return false;
            tg_->wait_for_calls(tg_->call_count() + 1, left);
        }
    }

    std::filesystem::path dir_;
    core::null_logger log_;
    std::unique_ptr<test::mock_telegram> tg_;
    std::unique_ptr<app::gateway> gw_;
    std::thread runner_;
    std::unique_ptr<store::store> db_;
    store::time_point now_;
    dialogue::dialogue_config dialogue_ = shipped_dialogue();
    std::string session_;
    std::string other_commune_;
    std::int64_t update_ = 5000;
};

struct route_case {
    bhttp::verb verb;
    std::string path;
};

// Every API route, with a body where it takes one.
std::vector<route_case> all_routes(const std::string& ref, const std::string& session) {
    using bhttp::verb;
    return {{verb::post, "/api/v1/auth/logout"},
            {verb::get, "/api/v1/auth/me"},
            {verb::post, "/api/v1/auth/password"},
            {verb::get, "/api/v1/users"},
            {verb::post, "/api/v1/users"},
            {verb::patch, "/api/v1/users/admin"},
            {verb::post, "/api/v1/users/admin/password"},
            {verb::post, "/api/v1/users/admin/tokens"},
            {verb::get, "/api/v1/concerns"},
            {verb::get, "/api/v1/concerns/" + ref},
            {verb::patch, "/api/v1/concerns/" + ref},
            {verb::post, "/api/v1/concerns/" + ref + "/merge"},
            {verb::get, "/api/v1/concerns/" + ref + "/photos/0"},
            {verb::post, "/api/v1/concerns/" + ref + "/photos/0/publish"},
            {verb::get, "/api/v1/stats/dashboard"},
            {verb::get, "/api/v1/stats/dashboard.xlsx"},
            {verb::get, "/api/v1/sessions"},
            {verb::post, "/api/v1/sessions"},
            {verb::get, "/api/v1/localities"},
            {verb::patch, "/api/v1/sessions/" + session},
            {verb::get, "/api/v1/sessions/" + session + "/agenda"},
            {verb::get, "/api/v1/sessions/" + session + "/agenda.csv"},
            {verb::get, "/api/v1/sessions/" + session + "/agenda.xlsx"},
            {verb::get, "/api/v1/sessions/" + session + "/agenda.html"},
            {verb::post, "/api/v1/sessions/" + session + "/agenda/move"},
            {verb::patch, "/api/v1/sessions/" + session + "/agenda/groups/" + ref},
            {verb::post, "/api/v1/sessions/" + session + "/answers"},
            {verb::post, "/api/v1/sessions/" + session + "/agenda/groups/" + ref + "/raised"},
            {verb::get, "/api/v1/sessions/" + session + "/minutes.html"},
            {verb::get, "/api/v1/sessions/" + session + "/minutes.odt"},
            {verb::get, "/api/v1/sessions/" + session + "/minutes.xlsx"},
            {verb::get, "/api/v1/sessions/" + session + "/invite"},
            {verb::get, "/api/v1/flows"},
            {verb::post, "/api/v1/flows/validate"},
            {verb::post, "/api/v1/flows/simulate"},
            {verb::get, "/api/v1/messages"},
            {verb::get, "/api/v1/contacts/1/export"},
            {verb::post, "/api/v1/contacts/1/erase"}};
}

TEST_F(ApiTest, EveryEndpointNeedsCredentials) {
    auto ref = add({});
    for (const auto& r : all_routes(ref, session_)) {
        auto plain = call(r.verb, r.path, json::object());
        EXPECT_EQ(plain.result_int(), 401u) << r.path;
        EXPECT_EQ(code_of(plain), "unauthorized") << r.path;
        EXPECT_EQ(call(r.verb, r.path, json::object(), {{"Authorization", "Bearer dgw_forged"}})
                      .result_int(),
                  401u)
            << r.path;
        EXPECT_EQ(
            call(r.verb, r.path, json::object(), {{"Cookie", "dgw_session=forged"}}).result_int(),
            401u)
            << r.path;
    }
    EXPECT_EQ(db_->find_concern(ref)->status, core::concern_status::scheduled);
}

TEST_F(ApiTest, TheFirstAdminLogsInChangesThePasswordAndLogsOut) {
    auto first = gw_->first_admin_password();
    ASSERT_TRUE(first);
    // Unknown user and wrong password: the same answer.
    auto wrong = call(bhttp::verb::post, "/api/v1/auth/login",
                      {{"username", "admin"}, {"password", "nope"}});
    auto unknown = call(bhttp::verb::post, "/api/v1/auth/login",
                        {{"username", "ghost"}, {"password", "nope"}});
    EXPECT_EQ(wrong.result_int(), 401u);
    EXPECT_EQ(unknown.result_int(), 401u);
    EXPECT_EQ(wrong.body(), unknown.body());
    EXPECT_EQ(code_of(wrong), "invalid_credentials");
    EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/login", "not an object").result_int(), 400u);

    auto login = call(bhttp::verb::post, "/api/v1/auth/login",
                      {{"username", "admin"}, {"password", *first}});
    ASSERT_EQ(login.result_int(), 200u) << login.body();
    std::string set_cookie(login[bhttp::field::set_cookie]);
    EXPECT_TRUE(set_cookie.starts_with("dgw_session=")) << set_cookie;
    EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos);
    EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos);
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP here";
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    auto j = body_of(login);
    const std::string csrf = j["csrf_token"];
    EXPECT_EQ(j["user"]["role"], "admin");
    EXPECT_EQ(j["user"]["must_change_password"], true);
    // The session token is not stored in clear.
    EXPECT_FALSE(db_->find_login_session(cookie.substr(cookie.find('=') + 1)));

    headers with_cookie = {{"Cookie", cookie}};
    headers with_csrf = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    auto gated = call(bhttp::verb::get, "/api/v1/concerns", nullptr, with_cookie);
    EXPECT_EQ(gated.result_int(), 403u);
    EXPECT_EQ(code_of(gated), "password_change_required");

    json change = {{"current_password", *first}, {"new_password", "a-new-long-password"}};
    auto no_csrf = call(bhttp::verb::post, "/api/v1/auth/password", change, with_cookie);
    EXPECT_EQ(no_csrf.result_int(), 403u);
    EXPECT_EQ(code_of(no_csrf), "csrf_required");
    auto bad_csrf = call(bhttp::verb::post, "/api/v1/auth/password", change,
                         {{"Cookie", cookie}, {"X-CSRF-Token", csrf + "x"}});
    EXPECT_EQ(code_of(bad_csrf), "csrf_required");
    EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/password",
                   {{"current_password", *first}, {"new_password", "short"}}, with_csrf)
                  .result_int(),
              400u);
    auto changed = call(bhttp::verb::post, "/api/v1/auth/password", change, with_csrf);
    ASSERT_EQ(changed.result_int(), 200u) << changed.body();

    EXPECT_EQ(call(bhttp::verb::get, "/api/v1/concerns", nullptr, with_cookie).result_int(), 200u);
    auto me = body_of(call(bhttp::verb::get, "/api/v1/auth/me", nullptr, with_cookie));
    EXPECT_EQ(me["user"]["name"], "admin");
    EXPECT_EQ(me["user"]["must_change_password"], false);
    EXPECT_EQ(me["csrf_token"], csrf);

    EXPECT_EQ(
        call(bhttp::verb::post, "/api/v1/auth/login", {{"username", "admin"}, {"password", *first}})
            .result_int(),
        401u);
    EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/login",
                   {{"username", "admin"}, {"password", "a-new-long-password"}})
                  .result_int(),
              200u);

    EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/logout", nullptr, with_cookie).result_int(),
              403u);
    auto out = call(bhttp::verb::post, "/api/v1/auth/logout", nullptr, with_csrf);
    EXPECT_EQ(out.result_int(), 200u);
    EXPECT_NE(std::string(out[bhttp::field::set_cookie]).find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(call(bhttp::verb::get, "/api/v1/auth/me", nullptr, with_cookie).result_int(), 401u);

    std::vector<std::string> actions;
    for (const auto& a : db_->list_audit("user:admin", 100)) actions.push_back(a.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"user.add", "login", "password.change", "login"}));
}

TEST_F(ApiTest, LoginsAreRateLimitedPerUserAndAddressAndPerAddress) {
    auto first = *gw_->first_admin_password();
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/login",
                       {{"username", "admin"}, {"password", "x"}})
                      .result_int(),
                  401u);
    }
    // Slowed down now, even with the right password, from this address.
    auto blocked =
        call(bhttp::verb::post, "/api/v1/auth/login", {{"username", "admin"}, {"password", first}});
    EXPECT_EQ(blocked.result_int(), 429u);
    EXPECT_EQ(code_of(blocked), "too_many_attempts");
    auto retry = std::stoi(std::string(blocked[bhttp::field::retry_after]));
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 15 * 60);
    // Another name from this address is not slowed down by admin's failures...
    EXPECT_EQ(
        call(bhttp::verb::post, "/api/v1/auth/login", {{"username", "ghost"}, {"password", "x"}})
            .result_int(),
        401u);
    // ... until this address has failed 20 times in 15 minutes, whatever the names.
    for (int i = 0; i < 14; ++i) {
        EXPECT_EQ(call(bhttp::verb::post, "/api/v1/auth/login",
                       {{"username", "ghost" + std::to_string(i)}, {"password", "x"}})
                      .result_int(),
                  401u)
            << i;
    }
    auto capped =
        call(bhttp::verb::post, "/api/v1/auth/login", {{"username", "ghost"}, {"password", "x"}});
    EXPECT_EQ(capped.result_int(), 429u);
    std::vector<std::string> actions;
    for (const auto& a : db_->list_audit("address:127.0.0.1", 10)) actions.push_back(a.action);
    EXPECT_EQ(actions, std::vector<std::string>{"login.throttled"});
}

// The attack the old lockout invited: failing on purpose for an official's name, from
// another address, kept that official out for as long as the attacker liked. Now the attacker
// slows down, the official logs in, and both are in the audit log.
TEST_F(ApiTest, ALockoutAttemptLeavesTheRealUserAbleToLogIn) {
    auto first = *gw_->first_admin_password();
    auto login_from = [&](const char* from, const std::string& password) {
        test::sync_client c(gw_->port(), "127.0.0.1", from);
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/api/v1/auth/login", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.body() = json{{"username", "admin"}, {"password", password}}.dump();
        req.prepare_payload();
        return c.send(req);
    };
    int refused = 0, slowed = 0;
    for (int i = 0; i < 12; ++i) {
        const auto status = login_from("127.0.0.2", "guess" + std::to_string(i)).result_int();
        refused += status == 401u ? 1 : 0;
        slowed += status == 429u ? 1 : 0;
    }
    EXPECT_EQ(refused, 5) << "then every attempt must wait, longer each time";
    EXPECT_EQ(slowed, 7);
    EXPECT_EQ(login_from("127.0.0.1", first).result_int(), 200u)
        << "the real admin is not locked out";

    std::vector<std::string> actions;
    for (const auto& a : db_->list_audit("user:admin", 100)) {
        actions.push_back(a.action);
        if (a.action == "login.throttled") {
            EXPECT_NE(a.after.find("\"address\":\"127.0.0.2\""), std::string::npos) << a.after;
            EXPECT_NE(a.after.find("\"until\""), std::string::npos) << a.after;
        }
    }
    EXPECT_NE(std::find(actions.begin(), actions.end(), "login.throttled"), actions.end());
    EXPECT_NE(std::find(actions.begin(), actions.end(), "login"), actions.end());
}

// A page on another site can post text/plain or a form to the login without the browser
// asking the gateway first; JSON needs a preflight it never grants.
TEST_F(ApiTest, LoginTakesJsonOnly) {
    auto first = *gw_->first_admin_password();
    const auto body = json{{"username", "admin"}, {"password", first}}.dump();
    for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                             "multipart/form-data; boundary=x", ""}) {
        test::sync_client c(gw_->port());
        auto res = c.request(bhttp::verb::post, "/api/v1/auth/login", body, type);
        EXPECT_EQ(res.result_int(), 415u) << type;
        EXPECT_EQ(code_of(res), "unsupported_media_type") << type;
    }
    test::sync_client c(gw_->port());
    EXPECT_EQ(
        c.request(bhttp::verb::post, "/api/v1/auth/login", body, "Application/JSON; charset=utf-8")
            .result_int(),
        200u);
}

TEST_F(ApiTest, RolesAndScopesAreEnforcedOnEveryEndpoint) {
    auto mine = add({.phone = "0912345678", .consent = true});
    auto theirs = add({.commune = other_commune_, .chat = "900002"});
    const auto admin = token_for("boss", "admin");
    const auto official = token_for("lan", "official", {bat_xat});
    const auto viewer = token_for("press", "viewer");
    using bhttp::verb;

    // A viewer reads, without personal data, and changes nothing.
    auto list = body_of(as(viewer, verb::get, "/api/v1/concerns"));
    EXPECT_EQ(list["total"], 2);
    for (const auto& c : list["items"]) {
        EXPECT_FALSE(c.contains("contact"));
        EXPECT_FALSE(c.contains("assignee"));
        EXPECT_FALSE(c.contains("media"));
        EXPECT_EQ(c.dump().find("0912345678"), std::string::npos);
    }
    auto viewer_detail = as(viewer, verb::get, "/api/v1/concerns/" + mine);
    EXPECT_EQ(viewer_detail.result_int(), 200u);
    EXPECT_EQ(viewer_detail.body().find("0912345678"), std::string::npos);
    EXPECT_EQ(viewer_detail.body().find("Lò Văn A"), std::string::npos);

    // Each route a role may not use answers 403 "forbidden".
    std::map<std::string, std::set<std::string>> refused = {
        {"viewer",
         {"/api/v1/users", "PATCH /api/v1/concerns/" + mine, "/api/v1/concerns/" + mine + "/merge",
          "/api/v1/concerns/" + mine + "/photos/0",
          "PATCH /api/v1/sessions/" + session_, "/api/v1/sessions/" + session_ + "/agenda/move",
          "PATCH /api/v1/sessions/" + session_ + "/agenda/groups/" + mine,
          "/api/v1/sessions/" + session_ + "/answers", "/api/v1/messages", "/api/v1/flows",
          "/api/v1/flows/validate", "/api/v1/flows/simulate", "/api/v1/contacts/1/export",
          "/api/v1/contacts/1/erase"}},
        {"official",
         {"/api/v1/users", "PATCH /api/v1/sessions/" + session_, "/api/v1/messages",
          "/api/v1/contacts/1/export", "/api/v1/contacts/1/erase", "/api/v1/flows",
          "/api/v1/flows/validate", "/api/v1/flows/simulate"}},
    };
    for (const auto& [role, paths] : refused) {
        const auto& token = role == "viewer" ? viewer : official;
        for (const auto& r : all_routes(mine, session_)) {
            std::string key = (r.verb == verb::patch ? "PATCH " : "") + r.path;
            if (!paths.contains(key)) continue;
            auto res = as(token, r.verb, r.path, json::object());
            EXPECT_EQ(res.result_int(), 403u) << role << " " << key;
            EXPECT_EQ(code_of(res), "forbidden") << role << " " << key;
        }
    }
    EXPECT_EQ(db_->find_concern(mine)->status, core::concern_status::scheduled);

    // An official sees only the scope, with the contact the citizen agreed to give.
    list = body_of(as(official, verb::get, "/api/v1/concerns"));
    ASSERT_EQ(list["total"], 1);
    EXPECT_EQ(list["items"][0]["ref"], mine);
    auto detail = body_of(as(official, verb::get, "/api/v1/concerns/" + mine));
    EXPECT_EQ(detail["contact"]["phone"], "0912345678");
    EXPECT_EQ(detail["contact"]["name"], "Lò Văn A");
    EXPECT_EQ(as(official, verb::get, "/api/v1/concerns/" + theirs).result_int(), 403u);
    EXPECT_EQ(as(official, verb::patch, "/api/v1/concerns/" + theirs, {{"status", "forwarded"}})
                  .result_int(),
              403u);
    EXPECT_EQ(as(official, verb::post, "/api/v1/concerns/" + mine + "/merge", {{"into", theirs}})
                  .result_int(),
              403u);
    EXPECT_EQ(as(official, verb::post, "/api/v1/sessions/" + session_ + "/answers",
                 {{"concern", theirs}, {"text", "x"}})
                  .result_int(),
              403u);
    EXPECT_EQ(db_->find_concern(theirs)->status, core::concern_status::scheduled);

    // A bearer token needs no CSRF token; admins may do everything.
    EXPECT_EQ(as(official, verb::patch, "/api/v1/concerns/" + mine, {{"status", "forwarded"}})
                  .result_int(),
              200u);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/" + theirs).result_int(), 200u);
    // A disabled account is refused at once, token included.
    ASSERT_TRUE(api::set_user_disabled(*db_, "press", true, now_));
    EXPECT_EQ(as(viewer, verb::get, "/api/v1/concerns").result_int(), 401u);
    ASSERT_TRUE(api::set_user_disabled(*db_, "press", false, now_));
    EXPECT_EQ(as(viewer, verb::get, "/api/v1/concerns").result_int(), 200u);
    auto users = body_of(as(admin, verb::get, "/api/v1/users"));
    EXPECT_EQ(users["items"].size(), 4u);  // admin, boss, lan, press
    EXPECT_EQ(users.dump().find("scrypt"), std::string::npos);
}

// What a route of the public listener is, for the walk below.
enum class reach {
    open,        // no login (health, webhooks, the web chat, the pages, the login itself)
    own,         // the caller's own login session
    listing,     // lists filtered by scope: 200, without what the caller may not see
    staff_listing,  // the same for admins and officials; viewers none (personal data)
    read,        // one resource: everyone in scope reads it
    staff_read,  // one resource: admins and officials in scope (personal data)
    write,       // changes a resource: admins and officials in scope
    create,      // makes one where the body says (a commune): admins and officials of that scope
    admin,       // admins only
};

struct walk_case {
    reach kind;
    std::vector<json> bodies;  // for routes that take one; each is tried
};

// Every route the gateway serves, with what it is. A route missing here fails the walk: whoever
// adds one must say who may reach it, and the walk then checks it.
const std::map<std::string, walk_case>& route_kinds() {
    static const std::map<std::string, walk_case> kinds = {
        {"GET /healthz", {reach::open, {}}},
        {"GET /readyz", {reach::open, {}}},
        {"GET /metrics", {reach::open, {}}},
        {"GET /ket-qua", {reach::open, {}}},
        {"GET /ket-qua.json", {reach::open, {}}},
        {"GET /ket-qua.css", {reach::open, {}}},
        {"GET /ket-qua/anh/{id}", {reach::open, {}}},
        {"GET /api/v1/openapi.json", {reach::open, {}}},
        {"GET /sessions.ics", {reach::open, {}}},
        // Open311: public reads without personal data; filing by a client system's api_key,
        // whose scope open311_test.cpp walks (no login reaches it either way).
        {"GET /open311/v2/discovery.json", {reach::open, {}}},
        {"GET /open311/v2/discovery.xml", {reach::open, {}}},
        {"GET /open311/v2/services.json", {reach::open, {}}},
        {"GET /open311/v2/services.xml", {reach::open, {}}},
        {"GET /open311/v2/services/{code}", {reach::open, {}}},
        {"GET /open311/v2/requests.json", {reach::open, {}}},
        {"GET /open311/v2/requests.xml", {reach::open, {}}},
        {"GET /open311/v2/requests/{id}", {reach::open, {}}},
        {"POST /open311/v2/requests.json", {reach::open, {}}},
        {"POST /open311/v2/requests.xml", {reach::open, {}}},
        {"GET /open311/v2/tokens/{token}", {reach::open, {}}},
        {"POST /webhooks/{channel}", {reach::open, {}}},
        {"GET /webhooks/{channel}", {reach::open, {}}},
        {"POST /webhooks/{channel}/status", {reach::open, {}}},
        {"GET /chat", {reach::open, {}}},
        {"GET /chat/{channel}", {reach::open, {}}},
        {"GET /chat/api/{channel}/messages", {reach::open, {}}},
        {"POST /chat/api/{channel}/photos", {reach::open, {}}},
        {"GET /", {reach::open, {}}},
        {"GET /admin", {reach::open, {}}},
        {"GET /admin/app.js", {reach::open, {}}},
        {"GET /admin/flow_forms.js", {reach::open, {}}},
        {"GET /admin/flows.js", {reach::open, {}}},
        {"GET /admin/users.js", {reach::open, {}}},
        {"GET /admin/dashboard.js", {reach::open, {}}},
        {"GET /admin/handoffs.js", {reach::open, {}}},
        {"GET /admin/register.js", {reach::open, {}}},
        {"GET /admin/followups.js", {reach::open, {}}},
        {"GET /admin/live.js", {reach::open, {}}},
        {"GET /admin/messages.js", {reach::open, {}}},
        {"GET /admin/app.css", {reach::open, {}}},
        {"POST /api/v1/auth/login", {reach::open, {}}},
        {"POST /api/v1/auth/logout", {reach::own, {}}},
        {"GET /api/v1/auth/me", {reach::own, {}}},
        {"POST /api/v1/auth/password", {reach::own, {}}},
        {"GET /api/v1/users", {reach::admin, {}}},
        {"POST /api/v1/users", {reach::admin, {{{"name", "walker"}, {"role", "viewer"}}}}},
        {"PATCH /api/v1/users/{name}", {reach::admin, {{{"role", "viewer"}}}}},
        {"POST /api/v1/users/{name}/password", {reach::admin, {}}},
        {"POST /api/v1/users/{name}/tokens", {reach::admin, {}}},
        {"GET /api/v1/concerns", {reach::listing, {}}},
        {"GET /api/v1/stats/inferences", {reach::listing, {}}},
        {"GET /api/v1/stats/dashboard", {reach::listing, {}}},
        {"GET /api/v1/stats/dashboard.xlsx", {reach::listing, {}}},
        {"POST /api/v1/concerns",
         {reach::create,
          {{{"source", "letter"}, {"topic", "roads"}, {"commune_code", bat_xat}, {"text", "x"}}}}},
        // A row outside the caller's scope is refused in the report (200), never filed.
        {"POST /api/v1/concerns/import",
         {reach::staff_listing,
          {{{"csv", std::string("source,topic,commune,text\nletter,roads,") + bat_xat + ",x\n"}}}}},
        {"GET /api/v1/concerns/{ref}", {reach::read, {}}},
        {"GET /api/v1/concerns/{ref}/photos/{n}", {reach::staff_read, {}}},
        {"POST /api/v1/concerns/{ref}/photos/{n}/publish", {reach::write, {{{"published", true}}}}},
        {"PATCH /api/v1/concerns/{ref}",
         {reach::write,
          {{{"status", "forwarded"}}, {{"assignee", "khac"}}, {{"topic", "roads"}},
           {{"commune_code", bat_xat}}}}},
        {"POST /api/v1/concerns/{ref}/merge", {reach::write, {{{"into", "{ref2}"}}}}},
        {"GET /api/v1/sessions", {reach::listing, {}}},
        {"POST /api/v1/sessions",
         {reach::admin,
          {{{"level", "commune"},
            {"locality", bat_xat},
            {"date", "{future}"},
            {"venue", "x"},
            {"title_vi", "x"}}}}},
        {"GET /api/v1/localities", {reach::listing, {}}},
        {"GET /api/v1/localities/search", {reach::listing, {}}},
        {"PATCH /api/v1/sessions/{id}", {reach::admin, {{{"venue", "elsewhere"}}}}},
        {"DELETE /api/v1/sessions/{id}", {reach::admin, {}}},
        {"GET /api/v1/sessions/{id}/agenda", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/agenda.csv", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/agenda.xlsx", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/agenda.html", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/minutes.html", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/minutes.odt", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/minutes.xlsx", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/reach", {reach::read, {}}},
        {"GET /api/v1/sessions/{id}/invite", {reach::read, {}}},
        {"POST /api/v1/sessions/{id}/agenda/move",
         {reach::write, {{{"concern", "{ref}"}, {"group", "{ref2}"}}}}},
        {"PATCH /api/v1/sessions/{id}/agenda/groups/{group}",
         {reach::write, {{{"name", "renamed by the walk"}}}}},
        {"POST /api/v1/sessions/{id}/agenda/groups/{group}/raised",
         {reach::write, {{{"raised", true}}}}},
        {"POST /api/v1/sessions/{id}/answers",
         {reach::write,
          {{{"concern", "{ref}"}, {"text", "an answer"}}, {{"group", "{ref}"}, {"text", "x"}}}}},
        {"POST /api/v1/sessions/{id}/notes", {reach::write, {{{"text", "a note"}, {"dry_run", true}}}}},
        {"GET /api/v1/flows", {reach::admin, {}}},
        {"POST /api/v1/flows/validate", {reach::admin, {json::object()}}},
        {"POST /api/v1/flows/simulate", {reach::admin, {{{"flow_id", "menu"}}}}},
        {"GET /api/v1/flows/{id}", {reach::admin, {}}},
        {"GET /api/v1/flows/{id}/versions/{version}", {reach::admin, {}}},
        {"PUT /api/v1/flows/{id}/draft", {reach::admin, {{{"text", "{}"}}}}},
        {"POST /api/v1/flows/{id}/publish", {reach::admin, {}}},
        {"POST /api/v1/flows/{id}/rollback", {reach::admin, {{{"to", 1}}}}},
        {"GET /api/v1/flows/{id}/diff", {reach::admin, {}}},
        {"GET /api/v1/flows/{id}/counts", {reach::admin, {}}},
        {"GET /api/v1/followups", {reach::staff_listing, {}}},
        {"POST /api/v1/concerns/{ref}/followup/close", {reach::write, {{{"result", "done"}}}}},
        {"GET /api/v1/handoffs", {reach::staff_listing, {}}},
        {"GET /api/v1/handoffs/{id}", {reach::staff_read, {}}},
        {"POST /api/v1/handoffs/{id}/reply", {reach::write, {{{"text", "a reply"}}}}},
        {"POST /api/v1/handoffs/{id}/concern",
         {reach::write, {{{"topic", "roads"}, {"commune_code", bat_xat}}}}},
        {"POST /api/v1/handoffs/{id}/close", {reach::write, {json::object()}}},
        {"GET /api/v1/messages", {reach::admin, {}}},
        {"GET /api/v1/contacts/{id}/export", {reach::admin, {}}},
        {"POST /api/v1/contacts/{id}/erase", {reach::admin, {}}},
    };
    return kinds;
}

std::string verb_name(bhttp::verb v) { return std::string(bhttp::to_string(v)); }

// A pattern with its parameters filled in from `values` ({id} by the path's collection).
std::string fill(std::string pattern, const std::map<std::string, std::string>& values) {
    for (const auto& [name, value] : values) {
        std::string key = name;
        if (name.starts_with("id@")) {
            if (pattern.find(name.substr(3)) == std::string::npos) continue;
            key = "id";
        }
        for (auto at = pattern.find("{" + key + "}"); at != std::string::npos;
             at = pattern.find("{" + key + "}"))
            pattern.replace(at, key.size() + 2, value);
    }
    return pattern;
}

json fill_body(const json& body, const std::map<std::string, std::string>& values) {
    auto text = body.dump();
    for (const auto& [name, value] : values) {
        const std::string key = "{" + name + "}";
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key))
            text.replace(at, key.size(), value);
    }
    return json::parse(text);
}

// The walk: every route of the router's table with an official of another commune and with a
// viewer, against Bát Xát's concern, session, agenda group, citizen and the admin's account.
// Each must be refused (403) or unknown (404) to whoever it is outside the scope of; lists must
// leave Bát Xát out; and nothing may change. An admin asking for what does not exist gets 404.
TEST_F(ApiTest, EveryRouteOfTheRouterRefusesWhatIsOutsideTheCallersScope) {
    const auto ref = add({.phone = "0912345678", .consent = true});
    const auto ref2 = add({.chat = "900002"});
    const auto admin = token_for("boss", "admin");
    const auto other = token_for("khac", "official", {other_commune_});
    const auto viewer = token_for("press", "viewer");
    const auto contact = std::to_string(db_->find_concern(ref)->contact_id);
    const auto handoff = handoff_in_bat_xat(db_->find_concern(ref)->contact_id, ref);
    const auto future = dialogue::to_string(
        dialogue::local_date(now_ + std::chrono::hours(24 * 20), dialogue_.utc_offset));
    const std::map<std::string, std::string> values = {{"ref", ref},
                                                       {"ref2", ref2},
                                                       {"n", "0"},
                                                       {"group", ref},
                                                       {"name", "boss"},
                                                       {"version", "1"},
                                                       {"channel", "telegram"},
                                                       {"file", "app.js"},
                                                       {"id@/sessions/", session_},
                                                       {"id@/flows/", "raise_concern"},
                                                       {"id@/contacts/", contact},
                                                       {"id@/handoffs/", handoff},
                                                       {"future", future}};

    const auto table = gw_->route_table();
    ASSERT_GT(table.size(), 40u);
    for (const auto& [v, pattern] : table) {
        const std::string key = verb_name(v) + " " + pattern;
        auto kind = route_kinds().find(key);
        ASSERT_NE(kind, route_kinds().end())
            << key << " is not in the walk: say who may reach it in route_kinds()";
        const auto& [what, bodies_given] = kind->second;
        if (what == reach::open || what == reach::own) continue;
        const auto path = fill(pattern, values);
        std::vector<json> bodies;
        for (const auto& b : bodies_given) bodies.push_back(fill_body(b, values));
        if (bodies.empty()) bodies.push_back(nullptr);
        for (const auto& body : bodies) {
            const auto seen_by = [&](const std::string& token) { return as(token, v, path, body); };
            auto by_other = seen_by(other);
            auto by_viewer = seen_by(viewer);
            const auto o = by_other.result_int(), w = by_viewer.result_int();
            switch (what) {
                case reach::listing:
                    EXPECT_EQ(o, 200u) << key;
                    EXPECT_EQ(by_other.body().find(ref), std::string::npos)
                        << key << ": another commune's official sees " << ref;
                    EXPECT_EQ(w, 200u) << key;
                    break;
                case reach::staff_listing:
                    EXPECT_EQ(o, 200u) << key;
                    EXPECT_EQ(by_other.body().find(ref), std::string::npos)
                        << key << ": another commune's official sees " << ref;
                    EXPECT_EQ(w, 403u) << key;
                    break;
                case reach::read:
                    EXPECT_TRUE(o == 403u || o == 404u)
                        << key << " " << o << " " << by_other.body();
                    EXPECT_EQ(w, 200u) << key << ": viewers read everything";
                    break;
                case reach::staff_read:
                case reach::write:
                case reach::create:
                    EXPECT_TRUE(o == 403u || o == 404u)
                        << key << " " << body.dump() << ": " << o << " " << by_other.body();
                    EXPECT_EQ(w, 403u) << key << " " << body.dump() << ": " << by_viewer.body();
                    break;
                case reach::admin:
                    EXPECT_EQ(o, 403u) << key;
                    EXPECT_EQ(w, 403u) << key;
                    break;
                default:
                    break;
            }
        }
        // Existence: what is not there is 404 for an admin too, never a 200 on nothing.
        if (what == reach::read || what == reach::staff_read || what == reach::write) {
            auto missing = values;
            missing["ref"] = "LC-NONE";
            missing["group"] = "LC-NONE";
            missing["id@/sessions/"] = "commune-99999-2030-01";
            missing["id@/handoffs/"] = "999999";
            const auto gone = fill(pattern, missing);
            for (const auto& b : bodies_given) {
                auto res = as(admin, v, gone, fill_body(b, missing));
                EXPECT_EQ(res.result_int(), 404u) << key << " " << gone << ": " << res.body();
            }
            if (bodies_given.empty()) {
                EXPECT_EQ(as(admin, v, gone).result_int(), 404u) << key << " " << gone;
            }
        }
    }
    // Nothing the walk did as the other official or the viewer changed anything.
    const auto k = db_->find_concern(ref);
    EXPECT_EQ(k->status, core::concern_status::scheduled);
    EXPECT_EQ(k->agenda_group, "");
    EXPECT_EQ(k->answer, "");
    EXPECT_TRUE(db_->list_agenda_names(session_).empty());
    EXPECT_EQ(db_->find_concern(ref2)->status, core::concern_status::scheduled);
    EXPECT_TRUE(db_->list_audit("concern:" + ref, 10).empty());
    EXPECT_FALSE(db_->find_user_by_name("walker"));
    const auto h = db_->find_handoff(std::stoll(handoff));
    EXPECT_EQ(h->status, "open");
    EXPECT_FALSE(h->seen_at);
    EXPECT_EQ(h->messages.size(), 1u);
}

// The group rename took anything: another commune's session, a session or group that does not
// exist, and a 900 KB name that went into the database.
TEST_F(ApiTest, RenamingAnAgendaGroupChecksScopeExistenceAndLength) {
    const auto ref = add({});
    const auto official = token_for("lan", "official", {bat_xat});
    const auto other = token_for("khac", "official", {other_commune_});
    using bhttp::verb;
    const std::string group = "/api/v1/sessions/" + session_ + "/agenda/groups/";
    EXPECT_EQ(as(other, verb::patch, group + ref, {{"name", "x"}}).result_int(), 403u);
    EXPECT_EQ(as(official, verb::patch,
                 "/api/v1/sessions/commune-99999-2030-01/agenda/groups/" + ref, {{"name", "x"}})
                  .result_int(),
              404u);
    EXPECT_EQ(as(official, verb::patch, group + "LC-NONE", {{"name", "x"}}).result_int(), 404u);
    auto huge = as(official, verb::patch, group + ref, {{"name", std::string(900 * 1024, 'a')}});
    EXPECT_EQ(huge.result_int(), 400u) << "or 413: never stored";
    EXPECT_TRUE(db_->list_agenda_names(session_).empty());
    EXPECT_EQ(
        as(official, verb::patch, group + ref, {{"name", std::string(201, 'a')}}).result_int(),
        400u);
    EXPECT_EQ(as(official, verb::patch, group + ref, {{"name", "Sạt lở đường thôn"}}).result_int(),
              200u);
    ASSERT_EQ(db_->list_agenda_names(session_).size(), 1u);
    // A group key is a reference, not whatever a client sends.
    EXPECT_EQ(as(official, verb::post, "/api/v1/sessions/" + session_ + "/agenda/move",
                 {{"concern", ref}, {"group", std::string(5000, 'k')}})
                  .result_int(),
              400u);
}

// The hand-off inbox as a commune official uses it, and what it refuses with which error: an
// empty or oversized reply, an unknown topic or commune, a hand-off that does not exist or is
// closed; a reply is queued to the citizen's own chat, and filing makes a routed concern.
TEST_F(ApiTest, AHandOffIsRepliedToFiledAndClosedWithClearRefusals) {
    const auto ref = add({});
    const auto contact = db_->find_concern(ref)->contact_id;
    const auto id = handoff_in_bat_xat(contact, "nha van hoa thon bi dot");
    const auto official = token_for("lan", "official", {bat_xat});
    using bhttp::verb;
    const std::string at = "/api/v1/handoffs/" + id;
    auto list = body_of(as(official, verb::get, "/api/v1/handoffs"));
    ASSERT_EQ(list["items"].size(), 1u);
    EXPECT_EQ(list["items"][0]["reason"], "menu_not_understood");
    EXPECT_EQ(list["items"][0]["channel_type"], "telegram");
    EXPECT_EQ(list["items"][0]["last_text"], "about nha van hoa thon bi dot");
    EXPECT_EQ(as(official, verb::get, "/api/v1/handoffs?status=maybe").result_int(), 400u);
    EXPECT_EQ(as(official, verb::get, "/api/v1/handoffs/abc").result_int(), 404u);

    auto opened = body_of(as(official, verb::get, at));
    EXPECT_EQ(opened["seen_by"], "lan");
    as(official, verb::get, at);  // a second look tells the citizen nothing more
    // What the citizen is sent, oldest first.
    auto sent_to_citizen = [&] {
        std::vector<store::outbox_message> out;
        for (auto& m : db_->list_outbox({contact, 10})) out.insert(out.begin(), m);
        return out;
    };
    auto queued = sent_to_citizen();
    ASSERT_EQ(queued.size(), 1u) << "the citizen is told once that it was seen";
    EXPECT_NE(queued[0].payload["text"].get<std::string>().find("Cán bộ đã xem"), std::string::npos);

    EXPECT_EQ(code_of(as(official, verb::post, at + "/reply", {{"text", "  "}})), "text_required");
    auto too_long = as(official, verb::post, at + "/reply", {{"text", std::string(5000, 'a')}});
    EXPECT_EQ(too_long.result_int(), 400u);
    EXPECT_EQ(code_of(too_long), "text_too_long");
    EXPECT_EQ(as(official, verb::post, at + "/reply", {{"text", "Bạn ở thôn nào?"}}).result_int(), 200u);
    queued = sent_to_citizen();
    ASSERT_EQ(queued.size(), 2u);
    EXPECT_EQ(queued[1].user_id, "900001") << "the citizen's own chat";
    EXPECT_EQ(queued[1].payload["text"], "Cán bộ trả lời:\nBạn ở thôn nào?");

    EXPECT_EQ(as(official, verb::post, at + "/concern", {{"topic", "weather"}, {"commune_code", bat_xat}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::post, at + "/concern", {{"topic", "roads"}, {"commune_code", "99999"}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::post, at + "/concern", {{"topic", "roads"}, {"commune_code", other_commune_}}).result_int(), 403u)
        << "an official files only where they may act";
    auto filed = as(official, verb::post, at + "/concern", {{"topic", "social_policy"}, {"commune_code", bat_xat}});
    ASSERT_EQ(filed.result_int(), 200u) << filed.body();
    const auto new_ref = body_of(filed)["ref"].get<std::string>();
    auto k = db_->find_concern(new_ref);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->contact_id, contact);
    EXPECT_EQ(k->text, "about nha van hoa thon bi dot") << "the citizen's words, as they wrote them";
    EXPECT_EQ(k->commune_code, bat_xat);
    EXPECT_TRUE(k->status == core::concern_status::scheduled ||
                k->status == core::concern_status::unscheduled)
        << "routed like a concern from the chat: " << core::to_string(k->status);
    EXPECT_NE(sent_to_citizen().back().payload["text"].get<std::string>().find(new_ref), std::string::npos);
    EXPECT_EQ(db_->find_handoff(std::stoll(id))->concern_ref, new_ref);

    EXPECT_EQ(code_of(as(official, verb::post, at + "/reply", {{"text", "again"}})), "handoff_closed");
    EXPECT_EQ(code_of(as(official, verb::post, at + "/close", json::object())), "handoff_closed");
    EXPECT_EQ(code_of(as(official, verb::post, at + "/concern", {{"topic", "roads"}, {"commune_code", bat_xat}})),
              "handoff_closed");
    EXPECT_TRUE(body_of(as(official, verb::get, "/api/v1/handoffs"))["items"].empty());
}

// Hostile bodies on every route that takes one, as an admin (who gets furthest): numbers
// nlohmann cannot hold, wrong types, deep nesting. Each is a 4xx with the usual error, never
// a 500, and changes nothing.
// An error has a stable code and its message in the request's language: Vietnamese unless the
// request asks for English (Accept-Language: en..., or ?lang=en).
TEST_F(ApiTest, ErrorsAnswerInTheRequestsLanguageWithTheSameCode) {
    const auto official = token_for("lan", "official", {bat_xat});
    const auto ref = add({});
    using bhttp::verb;
    struct asked {
        verb v;
        std::string target;
        json body;
        unsigned status;
        std::string code, vi, en;
    };
    const std::vector<asked> cases = {
        {verb::post, "/api/v1/concerns/" + ref + "/merge", {{"into", ref}}, 400,
         "concern_merge_self", "Không thể gộp một phản ánh vào chính nó.",
         "A concern cannot be merged into itself."},
        {verb::patch, "/api/v1/concerns/" + ref, {{"topic", "weather"}}, 400, "topic_unknown",
         "Không có lĩnh vực \"weather\" trong danh sách lĩnh vực.",
         "Unknown topic \"weather\": not one of the configured topics."},
        {verb::get, "/api/v1/concerns/LC-NOPE", nullptr, 404, "concern_not_found",
         "Không tìm thấy phản ánh LC-NOPE.", "Concern LC-NOPE not found."},
        {verb::get, "/api/v1/sessions/nope/agenda", nullptr, 404, "session_not_found",
         "Không tìm thấy buổi đối thoại nope.", "Session nope not found."},
        {verb::get, "/api/v1/users", nullptr, 403, "forbidden",
         "Vai trò của bạn không được làm việc này.", "Not allowed for your role."},
    };
    auto with = [&](const asked& a, headers extra, const std::string& query = "") {
        extra.emplace_back("Authorization", "Bearer " + official);
        return call(a.v, a.target + query, a.body, extra);
    };
    for (const auto& a : cases) {
        for (const auto& [res, words] :
             {std::pair{with(a, {}), a.vi}, std::pair{with(a, {{"Accept-Language", "vi-VN,vi"}}), a.vi},
              std::pair{with(a, {{"Accept-Language", "en-GB,en;q=0.9"}}), a.en},
              std::pair{with(a, {}, "?lang=en"), a.en}}) {
            EXPECT_EQ(res.result_int(), a.status) << a.target << " " << res.body();
            EXPECT_EQ(code_of(res), a.code) << a.target;
            EXPECT_EQ(body_of(res)["error"]["message"], words) << a.target;
        }
    }
    // The values the message names come with it, for a page to place the error by its field.
    auto reply = call(verb::post, "/api/v1/handoffs/" + handoff_in_bat_xat(db_->find_concern(ref)->contact_id, "x") + "/reply",
                      {{"text", std::string(4001, 'a')}},
                      {{"Authorization", "Bearer " + official}, {"Accept-Language", "en"}});
    EXPECT_EQ(code_of(reply), "text_too_long");
    EXPECT_EQ(body_of(reply)["error"]["params"], json({{"field", "text"}, {"limit", 4000}}));
    EXPECT_EQ(body_of(reply)["error"]["message"], "Text has at most 4000 bytes.");
    // Before a login too: the login's own refusals.
    auto login = call(verb::post, "/api/v1/auth/login", {{"username", "lan"}, {"password", "wrong-one-1"}},
                      {{"Accept-Language", "en"}});
    EXPECT_EQ(code_of(login), "invalid_credentials");
    EXPECT_EQ(body_of(login)["error"]["message"], "Wrong user name or password.");
    login = call(verb::post, "/api/v1/auth/login", {{"username", "lan"}, {"password", "wrong-one-1"}});
    EXPECT_EQ(body_of(login)["error"]["message"], "Sai tên đăng nhập hoặc mật khẩu.");
}

// A concern's session is named in the reader's language, whatever language its citizen wrote
// in: a concern filed in English reads in Vietnamese on a Vietnamese page and in English on an
// English one, on its page, in the list and when a hand-off becomes a concern. Only a session
// that no longer exists keeps the label stored at filing.
TEST_F(ApiTest, AConcernsSessionIsLabelledInTheReadersLanguage) {
    const auto official = token_for("lan", "official", {bat_xat});
    using bhttp::verb;
    // A citizen whose Telegram is in English files a road concern of Bát Xát.
    const std::int64_t chat = 808;
    for (const auto* line : {"hello", "1", "1", "bat xat", "the road into the village has a landslide",
                             "send anonymously"})
        send(chat, {{"text", line},
                    {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Lò"}, {"language_code", "en"}}}});
    ASSERT_TRUE(wait_for_text(std::to_string(chat), "LC-")) << "no receipt";
    std::string ref;
    for (const auto& c : tg_->calls())
        if (auto at = c.text.find("LC-"); c.chat_id == std::to_string(chat) && at != std::string::npos)
            ref = c.text.substr(at, 8);
    const auto filed = db_->find_concern(ref);
    ASSERT_TRUE(filed) << ref;
    auto routed = dialogue::route(dialogue_, {bat_xat, "roads", "", now_});
    ASSERT_TRUE(routed && routed->session);
    const auto& session = *routed->session;
    ASSERT_EQ(filed->session_id, session.id);
    const std::string in_vietnamese = session.title_vi + ", " + dialogue::when_vi(session);
    const std::string in_english = session.title_en + ", " + dialogue::when_en(session);
    ASSERT_NE(in_vietnamese, in_english);
    EXPECT_EQ(filed->session_label, in_english) << "stored in the citizen's language";

    auto label = [&](const std::string& target, const headers& extra) {
        headers h = extra;
        h.emplace_back("Authorization", "Bearer " + official);
        auto res = call(verb::get, target, nullptr, h);
        EXPECT_EQ(res.result_int(), 200u) << target << " " << res.body();
        auto j = body_of(res);
        return j.contains("items") ? j["items"].at(0)["session_label"] : j["session_label"];
    };
    for (const auto& target : {"/api/v1/concerns/" + ref, "/api/v1/concerns?q=" + ref}) {
        EXPECT_EQ(label(target, {}), in_vietnamese) << target;
        EXPECT_EQ(label(target, {{"Accept-Language", "vi-VN,vi;q=0.9,en;q=0.8"}}), in_vietnamese) << target;
        EXPECT_EQ(label(target, {{"Accept-Language", "en"}}), in_english) << target;
    }
    EXPECT_EQ(label("/api/v1/concerns/" + ref + "?lang=en", {}), in_english);
    // A correction answers with the concern: in the reader's language too.
    auto corrected = call(verb::patch, "/api/v1/concerns/" + ref, {{"assignee", ""}},
                          {{"Authorization", "Bearer " + official}, {"Accept-Language", "en"}});
    EXPECT_EQ(body_of(corrected)["session_label"], in_english) << corrected.body();
    corrected = call(verb::patch, "/api/v1/concerns/" + ref, {{"assignee", ""}},
                     {{"Authorization", "Bearer " + official}});
    EXPECT_EQ(body_of(corrected)["session_label"], in_vietnamese) << corrected.body();

    // A hand-off turned into a concern: the answer names its session in the official's language.
    for (const auto& [lang, expected] : {std::pair{"en", in_english}, std::pair{"vi", in_vietnamese}}) {
        const auto id = handoff_in_bat_xat(filed->contact_id, "the bridge is broken");
        auto res = call(verb::post, "/api/v1/handoffs/" + id + "/concern",
                        {{"topic", "roads"}, {"commune_code", bat_xat}},
                        {{"Authorization", "Bearer " + official}, {"Accept-Language", lang}});
        ASSERT_EQ(res.result_int(), 200u) << res.body();
        EXPECT_EQ(body_of(res)["session"], session.id);
        EXPECT_EQ(body_of(res)["session_label"], expected) << lang;
    }

    // A session that no longer exists: the label it was filed with is all there is.
    auto gone = *db_->find_concern(add({.session = "commune-" + std::string(bat_xat) + "-1990-01"}));
    gone.session_label = "Buổi đối thoại đã xoá khỏi lịch, tháng 1/1990";
    db_->update_concern(gone);
    EXPECT_EQ(label("/api/v1/concerns/" + gone.ref, {{"Accept-Language", "en"}}), gone.session_label);
}

// The OpenAPI document (docs/openapi.json, served at /api/v1/openapi.json) against the router:
// every /api/v1 and /open311/v2 route documented and every documented operation routed, and
// each operation's documented auth what the gateway does — no credentials: 401 unless
// documented as public; a viewer and an official of the concern's commune: 403 exactly when
// `x-roles` leaves them out. Open311's POST wants a client system's key, not a login: without
// one, 403 in the spec's shape.
TEST_F(ApiTest, TheOpenApiDocumentIsTheRoutersWithTheAuthItEnforces) {
    using bhttp::verb;
    auto served = call(verb::get, "/api/v1/openapi.json");
    ASSERT_EQ(served.result_int(), 200u);
    std::ifstream in(DGW_SOURCE_DIR "/docs/openapi.json");
    const std::string shipped{std::istreambuf_iterator<char>(in), {}};
    ASSERT_FALSE(shipped.empty());
    EXPECT_EQ(served.body(), shipped) << "the gateway serves the document of the repository";
    const auto doc = json::parse(served.body());
    EXPECT_EQ(doc["openapi"], "3.1.0");
    // Every reference inside the document leads somewhere.
    std::function<void(const json&)> refs = [&](const json& j) {
        if (j.is_object() && j.contains("$ref")) {
            const auto to = j["$ref"].get<std::string>();
            EXPECT_TRUE(to.starts_with("#/") && doc.contains(json::json_pointer(to.substr(1))))
                << to;
        }
        if (j.is_structured())
            for (const auto& child : j) refs(child);
    };
    refs(doc);

    std::set<std::string> routed, documented;
    for (const auto& [v, pattern] : gw_->route_table())
        if (pattern.starts_with("/api/v1/") || pattern.starts_with("/open311/v2/"))
            routed.insert(verb_name(v) + " " + pattern);
    for (const auto& [path, item] : doc["paths"].items())
        for (const auto& [method, op] : item.items()) {
            auto name = method;
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char ch) { return static_cast<char>(std::toupper(ch)); });
            documented.insert(name + " " + path);
            // Each {parameter} of the path is described, and nothing else is in the path.
            std::set<std::string> in_path, described;
            for (auto at = path.find('{'); at != std::string::npos; at = path.find('{', at + 1))
                in_path.insert(path.substr(at + 1, path.find('}', at) - at - 1));
            for (const auto& p : op.value("parameters", json::array()))
                if (p["in"] == "path") described.insert(p["name"].get<std::string>());
            EXPECT_EQ(in_path, described) << name << " " << path;
            EXPECT_TRUE(op.contains("responses") && op.contains("security")) << name << " " << path;
        }
    for (const auto& r : routed) EXPECT_TRUE(documented.contains(r)) << r << " is not documented";
    for (const auto& d : documented) EXPECT_TRUE(routed.contains(d)) << d << " is not routed";

    const auto ref = add({.phone = "0912345678", .consent = true});
    const auto ref2 = add({.chat = "900002"});
    const auto official = token_for("lan", "official", {bat_xat});
    const auto viewer = token_for("press", "viewer");
    const auto contact = std::to_string(db_->find_concern(ref)->contact_id);
    const auto handoff = handoff_in_bat_xat(db_->find_concern(ref)->contact_id, ref);
    const std::map<std::string, std::string> values = {{"ref", ref},
                                                       {"ref2", ref2},
                                                       {"n", "0"},
                                                       {"group", ref},
                                                       {"name", "press"},
                                                       {"version", "1"},
                                                       {"id@/sessions/", session_},
                                                       {"id@/flows/", "raise_concern"},
                                                       {"id@/contacts/", contact},
                                                       {"id@/handoffs/", handoff},
                                                       {"id@/open311/v2/requests/", ref + ".json"},
                                                       {"code", "roads.xml"},
                                                       {"token", ref + ".xml"}};
    std::size_t checked = 0;
    for (const auto& [path, item] : doc["paths"].items())
        for (const auto& [method, op] : item.items()) {
            const auto v = method == "get"    ? verb::get
                           : method == "post" ? verb::post
                           : method == "put"  ? verb::put
                           : method == "delete" ? verb::delete_
                                              : verb::patch;
            const auto target = fill(path, values);
            const auto what = method + " " + path;
            const bool open = op["security"].empty();
            const auto anonymous = call(v, target, v == verb::get ? json(nullptr) : json::object());
            if (open) {
                EXPECT_NE(anonymous.result_int(), 401u) << what << " is documented as public";
                if (path.starts_with("/open311/v2/")) {
                    EXPECT_EQ(anonymous.result_int(), 200u) << what << ": " << anonymous.body();
                }
                continue;
            }
            if (path.starts_with("/open311/v2/")) {
                EXPECT_TRUE(op["security"][0].contains("open311ApiKey")) << what;
                EXPECT_EQ(anonymous.result_int(), 403u) << what << ": " << anonymous.body();
                continue;
            }
            EXPECT_EQ(anonymous.result_int(), 401u) << what << ": " << anonymous.body();
            if (path.ends_with("/erase") || path.ends_with("/logout")) continue;  // nobody else's
            std::set<std::string> roles;
            for (const auto& r : op["x-roles"]) roles.insert(r.get<std::string>());
            EXPECT_TRUE(roles.contains("admin")) << what;
            for (const auto& [role, token] :
                 {std::pair{std::string("viewer"), viewer}, std::pair{std::string("official"), official}}) {
                const auto res = as(token, v, target, v == verb::get ? json(nullptr) : json::object());
                if (roles.contains(role)) {
                    EXPECT_NE(res.result_int(), 403u) << what << " as " << role << ": " << res.body();
                } else {
                    EXPECT_EQ(res.result_int(), 403u) << what << " as " << role << ": " << res.body();
                }
                EXPECT_NE(res.result_int(), 401u) << what << " as " << role;
            }
            ++checked;
        }
    EXPECT_GT(checked, 50u);
}

TEST_F(ApiTest, NoBodyMakesARouteFail) {
    const auto ref = add({});
    const auto admin = token_for("boss", "admin");
    const auto contact = std::to_string(db_->find_concern(ref)->contact_id);
    const std::map<std::string, std::string> values = {{"ref", ref},
                                                       {"ref2", ref},
                                                       {"n", "0"},
                                                       {"group", ref},
                                                       {"name", "nobody"},
                                                       {"version", "1"},
                                                       {"channel", "telegram"},
                                                       {"file", "x"},
                                                       {"id@/sessions/", session_},
                                                       {"id@/flows/", "raise_concern"},
                                                       {"id@/contacts/", contact}};
    const std::vector<std::string> hostile = {
        R"({"x": 1e999})",
        R"({"name": 1e308, "status": -1e400})",
        R"([1e999])",
        R"({"status": ["forwarded"], "assignee": {"a": 1}, "into": 7, "text": null})",
        R"({"name": 18446744073709551616, "to": 1.5, "level": true, "date": 20261212})",
        R"({"document": {"id": 1e999}})",
        R"({"text": "{\"version\": 1e999}"})",
        std::string(5000, '[') + std::string(5000, ']'),
        "\xff\xfe{}",
        "{\"a\":\"\\ud800\"}"};
    for (const auto& [v, pattern] : gw_->route_table()) {
        if (v == bhttp::verb::get || !pattern.starts_with("/api/v1/")) continue;
        if (pattern.ends_with("/erase") || pattern.ends_with("/logout")) continue;
        const auto path = fill(pattern, values);
        for (const auto& body : hostile) {
            test::sync_client c(gw_->port());
            bhttp::request<bhttp::string_body> req{v, path, 11};
            req.set(bhttp::field::host, "127.0.0.1");
            req.set(bhttp::field::authorization, "Bearer " + admin);
            req.set(bhttp::field::content_type, "application/json");
            req.body() = body;
            req.prepare_payload();
            auto res = c.send(req);
            const auto what = verb_name(v) + " " + path + " " + body.substr(0, 60);
            EXPECT_LT(res.result_int(), 500u) << what << ": " << res.body();
            if (res.result_int() < 400u && pattern.ends_with("/notes")) {
                // A note's text may be any words, these too: it is sent as written.
                EXPECT_EQ(body_of(res)["messages"], 1) << what << ": " << res.body();
            } else if (res.result_int() < 400u) {
                // Only the flow checks answer 200 to a bad document: with its problems.
                EXPECT_TRUE(pattern.ends_with("/validate") || pattern.ends_with("/draft")) << what;
                EXPECT_FALSE(body_of(res)["problems"].empty()) << what << ": " << res.body();
            } else {
                EXPECT_TRUE(body_of(res)["error"]["code"].is_string())
                    << what << ": " << res.body();
            }
        }
    }
    EXPECT_EQ(db_->find_concern(ref)->status, core::concern_status::scheduled);
    EXPECT_TRUE(db_->list_agenda_names(session_).empty());
}

TEST_F(ApiTest, ConcernsAreFilteredSearchedAndPaged) {
    const auto admin = token_for("boss", "admin");
    add({.text = "Đường vào thôn Nậm Pung bị sạt lở", .urgent = true});
    add({.topic = "land", .text = "Tranh chấp đất đai với hàng xóm"});
    add({.commune = other_commune_, .text = "Sạt lở taluy dương"});
    add({.text = "Cầu treo hỏng", .status = "answered"});
    add({.text = "Điện yếu", .session = "commune-" + std::string(bat_xat) + "-2099-12"});
    using bhttp::verb;
    auto total = [&](const std::string& q) {
        auto r = as(admin, verb::get, "/api/v1/concerns" + q);
        EXPECT_EQ(r.result_int(), 200u) << q << r.body();
        return body_of(r)["total"].get<int>();
    };
    EXPECT_EQ(total(""), 5);
    EXPECT_EQ(total("?topic=land"), 1);
    EXPECT_EQ(total("?commune=" + other_commune_), 1);
    EXPECT_EQ(total("?status=answered"), 1);
    EXPECT_EQ(total("?urgent=true"), 1);
    EXPECT_EQ(total("?urgent=false"), 4);
    EXPECT_EQ(total("?session=" + session_), 4);
    // Accent-insensitive text search, in either spelling.
    EXPECT_EQ(total("?q=sat%20lo"), 2);
    EXPECT_EQ(total("?q=S%E1%BA%A0T%20L%E1%BB%9E"), 2);  // "SẠT LỞ"
    EXPECT_EQ(total("?q=sat%20lo&commune=" + std::string(bat_xat)), 1);

    auto page = body_of(as(admin, verb::get, "/api/v1/concerns?limit=2"));
    EXPECT_EQ(page["items"].size(), 2u);
    EXPECT_EQ(page["total"], 5);
    EXPECT_EQ(page["next_offset"], 2);
    auto last = body_of(as(admin, verb::get, "/api/v1/concerns?limit=2&offset=4"));
    EXPECT_EQ(last["items"].size(), 1u);
    EXPECT_FALSE(last.contains("next_offset"));
    for (const char* bad : {"?limit=0", "?limit=201", "?limit=x", "?offset=-1", "?urgent=yes"})
        EXPECT_EQ(as(admin, verb::get, std::string("/api/v1/concerns") + bad).result_int(), 400u)
            << bad;
    // A status that is not one is said, not answered with an empty list.
    auto unknown = as(admin, verb::get, "/api/v1/concerns?status=sheduled");
    EXPECT_EQ(unknown.result_int(), 400u);
    EXPECT_EQ(body_of(unknown)["error"]["code"], "concern_status_invalid");
    EXPECT_EQ(total("?status="), 5) << "an empty status filters nothing";
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/LC-NOPE").result_int(), 404u);
}

TEST_F(ApiTest, StatusAssignmentAndMergeAreAuditedInTheHistory) {
    const auto official = token_for("lan", "official", {bat_xat});
    token_for("press", "viewer");
    auto a = add({});
    auto b = add({.chat = "900002"});
    using bhttp::verb;
    auto patched = as(official, verb::patch, "/api/v1/concerns/" + a,
                      {{"status", "forwarded"}, {"assignee", "lan"}});
    ASSERT_EQ(patched.result_int(), 200u) << patched.body();
    EXPECT_EQ(body_of(patched)["assignee"], "lan");
    EXPECT_EQ(as(official, verb::patch, "/api/v1/concerns/" + a, {{"status", "lost"}}).result_int(),
              400u);
    EXPECT_EQ(
        as(official, verb::patch, "/api/v1/concerns/" + a, {{"status", "merged"}}).result_int(),
        400u);
    EXPECT_EQ(
        as(official, verb::patch, "/api/v1/concerns/" + a, {{"assignee", "press"}}).result_int(),
        400u);
    EXPECT_EQ(
        as(official, verb::patch, "/api/v1/concerns/" + a, {{"assignee", "ghost"}}).result_int(),
        400u);
    EXPECT_EQ(as(official, verb::patch, "/api/v1/concerns/" + a, json::object()).result_int(),
              400u);
    EXPECT_EQ(as(official, verb::patch, "/api/v1/concerns/LC-NOPE", {{"status", "received"}})
                  .result_int(),
              404u);

    EXPECT_EQ(
        as(official, verb::post, "/api/v1/concerns/" + b + "/merge", {{"into", b}}).result_int(),
        400u);
    EXPECT_EQ(as(official, verb::post, "/api/v1/concerns/" + b + "/merge", {{"into", "LC-NOPE"}})
                  .result_int(),
              404u);
    auto merged = as(official, verb::post, "/api/v1/concerns/" + b + "/merge", {{"into", a}});
    ASSERT_EQ(merged.result_int(), 200u) << merged.body();
    EXPECT_EQ(body_of(merged)["status"], "merged");
    EXPECT_EQ(body_of(merged)["merged_into"], a);
    auto again = as(official, verb::post, "/api/v1/concerns/" + b + "/merge", {{"into", a}});
    EXPECT_EQ(again.result_int(), 409u);
    EXPECT_EQ(
        as(official, verb::post, "/api/v1/concerns/" + a + "/merge", {{"into", b}}).result_int(),
        409u);

    auto history = body_of(as(official, verb::get, "/api/v1/concerns/" + a))["history"];
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0]["action"], "concern.update");
    EXPECT_EQ(history[0]["actor"], "lan");
    EXPECT_EQ(history[0]["before"]["status"], "scheduled");
    EXPECT_EQ(history[0]["after"]["status"], "forwarded");
    EXPECT_EQ(history[0]["after"]["assignee"], "lan");
    EXPECT_EQ(history[1]["action"], "concern.merged_from");
    auto bh = body_of(as(official, verb::get, "/api/v1/concerns/" + b))["history"];
    ASSERT_EQ(bh.size(), 1u);
    EXPECT_EQ(bh[0]["action"], "concern.merge");
    EXPECT_EQ(bh[0]["after"]["merged_into"], a);
}

TEST_F(ApiTest, CancellingASessionMovesItsConcernsOn) {
    const auto admin = token_for("boss", "admin");
    auto ref = add({});
    auto answered = add({.status = "answered", .chat = "900002"});
    using bhttp::verb;
    auto listed = body_of(as(admin, verb::get, "/api/v1/sessions?level=commune"));
    bool seen = false;
    for (const auto& s : listed["items"]) {
        if (s["id"] != session_) continue;
        seen = true;
        EXPECT_EQ(s["concerns"], 2);
        EXPECT_EQ(s["open"], true);
    }
    EXPECT_TRUE(seen) << "the session is in the default window";

    EXPECT_EQ(
        as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"status", "gone"}}).result_int(),
        400u);
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"date", "2026-02-30"}})
                  .result_int(),
              400u);
    EXPECT_EQ(
        as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"when", "soon"}}).result_int(),
        400u);
    EXPECT_EQ(
        as(admin, verb::patch, "/api/v1/sessions/commune-99999-2026-12", {{"status", "cancelled"}})
            .result_int(),
        404u);

    auto res = as(admin, verb::patch, "/api/v1/sessions/" + session_,
                  {{"status", "cancelled"}, {"note", "bão số 3"}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto j = body_of(res);
    EXPECT_EQ(j["status"], "cancelled");
    EXPECT_EQ(j["open"], false);
    ASSERT_EQ(j["moved"].size(), 1u);
    EXPECT_EQ(j["moved"][0]["ref"], ref);
    auto moved = *db_->find_concern(ref);
    EXPECT_NE(moved.session_id, session_);
    // Where dialogue routing sends it once the session is cancelled.
    EXPECT_TRUE(moved.status == core::concern_status::scheduled || moved.status == core::concern_status::unscheduled)
        << core::to_string(moved.status);
    EXPECT_EQ(db_->find_concern(answered)->session_id, session_) << "answered concerns stay";
    auto history = db_->list_audit("concern:" + ref, 10);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].action, "concern.reroute");
    // The citizen is told, on their own channel, that the session is off and where it goes.
    EXPECT_EQ(j["notified"], 1);
    EXPECT_TRUE(wait_for_text("900001", "Buổi đối thoại dự kiến xem xét phản ánh " + ref +
                                            " của bạn đã bị huỷ"));
    if (moved.status == core::concern_status::scheduled) {
        EXPECT_TRUE(wait_for_text("900001", moved.session_label));
    }
    EXPECT_FALSE(wait_for_text("900002", "đã bị huỷ", 300ms)) << "an answered concern stays";

    listed = body_of(as(admin, verb::get, "/api/v1/sessions?level=commune"));
    for (const auto& s : listed["items"]) {
        if (s["id"] == session_) {
            EXPECT_EQ(s["status"], "cancelled");
            EXPECT_EQ(s["note"], "bão số 3");
            EXPECT_EQ(s["concerns"], 1);
        }
        if (s["id"] == moved.session_id) {
            EXPECT_EQ(s["concerns"], 1);
        }
    }
    EXPECT_EQ(as(admin, verb::get, "/api/v1/sessions?from=2026-13-01").result_int(), 400u);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/sessions?from=2027-01-01&to=2026-01-01").result_int(),
              400u);
}

// Setting the date of a session known only by its month tells every citizen whose concern is
// on it when and where it takes place.
TEST_F(ApiTest, SettingASessionsDateTellsItsCitizensTheDate) {
    const auto admin = token_for("boss", "admin");
    auto ref = add({});
    const std::string month = session_.substr(session_.size() - 7);  // "2027-03"
    auto res = as(admin, bhttp::verb::patch, "/api/v1/sessions/" + session_,
                  {{"date", month + "-20"}, {"venue", "Nhà văn hoá thôn Phìn Ngan"}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["notified"], 1);
    EXPECT_EQ(body_of(res)["moved"], json::array()) << "the concern stays on its session";
    const std::string day = "ngày 20/" + std::to_string(std::stoi(month.substr(5))) + "/" +
                            month.substr(0, 4);
    EXPECT_TRUE(wait_for_text("900001", "phản ánh " + ref + " của bạn sẽ diễn ra " + day +
                                            " tại Nhà văn hoá thôn Phìn Ngan"));
    // Nothing new to say: nobody is told again.
    res = as(admin, bhttp::verb::patch, "/api/v1/sessions/" + session_, {{"note", "đã chốt"}});
    EXPECT_EQ(body_of(res)["notified"], 0);
}

// Officials correct the topic and commune the citizen's words were read as: audited, filed
// again to the session that hears it, counted per topic, and only within their scope.
TEST_F(ApiTest, OfficialsCorrectWhatWasReadAndItIsAuditedReroutedAndCounted) {
    const auto official = token_for("lan", "official", {bat_xat});
    const auto admin = token_for("boss", "admin");
    auto read = [&](const std::string& ref) {
        auto k = *db_->find_concern(ref);
        k.answers = {{"_inferred",
                      {{"topic", {{"value", "roads"}, {"confidence", 0.8}, {"words", {"đường"}}}},
                       {"locality", {{"value", bat_xat}, {"confidence", 1.0}}}}}};
        db_->update_concern(k);
        return ref;
    };
    const auto ref = read(add({}));
    read(add({.chat = "900003"}));  // read the same way, never corrected
    using bhttp::verb;
    const std::string path = "/api/v1/concerns/" + ref;
    EXPECT_EQ(as(official, verb::patch, path, {{"topic", "nope"}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::patch, path, {{"commune_code", "99999"}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::patch, path, {{"topic", 5}}).result_int(), 400u);
    // Another commune is outside this official's scope: refused, nothing changes.
    auto refused = as(official, verb::patch, path, {{"commune_code", other_commune_}});
    EXPECT_EQ(refused.result_int(), 403u) << refused.body();
    EXPECT_EQ(db_->find_concern(ref)->commune_code, bat_xat);

    auto res = as(official, verb::patch, path, {{"topic", "health"}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["topic"], "health");
    res = as(admin, verb::patch, path, {{"commune_code", other_commune_}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto k = *db_->find_concern(ref);
    EXPECT_EQ(k.commune_code, other_commune_);
    EXPECT_EQ(k.commune_name, dialogue_.find_unit(other_commune_)->name);
    auto expected = dialogue::route(dialogue_, {other_commune_, "health", "", now_});
    ASSERT_TRUE(expected && expected->session);
    EXPECT_EQ(k.session_id, expected->session->id) << "filed again where it is heard";
    EXPECT_EQ(k.answers["_corrected"]["topic"]["from"], "roads");
    EXPECT_EQ(k.answers["_corrected"]["commune"]["to"], other_commune_);
    EXPECT_EQ(k.answers["_corrected"]["commune"]["by"], "boss");
    auto history = db_->list_audit("concern:" + ref, 10);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].action, "concern.correct");
    EXPECT_EQ(json::parse(history[0].before)["topic"], "roads");
    EXPECT_EQ(json::parse(history[0].after)["topic"], "health");
    EXPECT_EQ(history[1].action, "concern.correct");
    EXPECT_EQ(json::parse(history[1].after)["commune"], other_commune_);

    // Per topic as read: two concerns read as roads, one corrected (topic and commune).
    auto stats = body_of(as(admin, verb::get, "/api/v1/stats/inferences"));
    json roads;
    for (const auto& t : stats["topics"])
        if (t["topic"] == "roads") roads = t;
    ASSERT_FALSE(roads.is_null()) << stats.dump();
    EXPECT_EQ(roads["name_vi"], dialogue_.find_topic("roads")->name_vi);
    EXPECT_EQ(roads["concerns"], 2);
    EXPECT_EQ(roads["topic_read"], 2);
    EXPECT_EQ(roads["topic_corrected"], 1);
    EXPECT_EQ(roads["commune_read"], 2);
    EXPECT_EQ(roads["commune_corrected"], 1);
    // The official's scope no longer holds the corrected concern.
    stats = body_of(as(official, verb::get, "/api/v1/stats/inferences"));
    ASSERT_EQ(stats["topics"].size(), 1u);
    EXPECT_EQ(stats["topics"][0]["concerns"], 1);
    EXPECT_EQ(stats["topics"][0]["topic_corrected"], 0);
}

// The dashboard's figures: by topic and commune with their names, over time, the shares and the
// median days to an answer, over what the asker may see only.
TEST_F(ApiTest, TheDashboardCountsWhatTheAskerMaySeeByName) {
    for (int i = 0; i < 5; ++i) add({.urgent = i == 0});
    const auto answered = add({.topic = "health", .status = "answered"});
    add({.commune = other_commune_, .topic = "health"});
    // Answered two days after it was filed.
    db_->append_audit({0, now_ + std::chrono::hours(48), "lan", "concern.answer",
                       "concern:" + answered, "", R"({"status":"answered"})"});
    const auto admin = token_for("boss", "admin");
    const auto official = token_for("lan", "official", {bat_xat});
    using bhttp::verb;

    auto all = as(admin, verb::get, "/api/v1/stats/dashboard");
    ASSERT_EQ(all.result_int(), 200u) << all.body();
    auto j = body_of(all);
    EXPECT_EQ(j["total"], 7);
    EXPECT_EQ(j["by_topic"][0]["topic"], "roads");
    EXPECT_EQ(j["by_topic"][0]["concerns"], 5);
    EXPECT_EQ(j["by_topic"][0]["name_vi"], dialogue_.find_topic("roads")->name_vi);
    EXPECT_EQ(j["by_topic"][1]["concerns"], 2);
    EXPECT_EQ(j["by_commune"][0]["name"], dialogue_.find_unit(bat_xat)->name);
    EXPECT_EQ(j["by_commune"][0]["concerns"], 6);
    EXPECT_EQ(j["by_commune"].size(), 2u);
    EXPECT_EQ(j["answered"], 1);
    EXPECT_DOUBLE_EQ(j["median_days_to_answer"].get<double>(), 2.0);
    EXPECT_EQ(j["over_time"]["period"], "month");
    EXPECT_EQ(j["over_time"]["items"].back()["concerns"], 7);

    auto mine = body_of(as(official, verb::get, "/api/v1/stats/dashboard?by=week"));
    EXPECT_EQ(mine["total"], 6);
    ASSERT_EQ(mine["by_commune"].size(), 1u) << mine.dump();
    EXPECT_EQ(mine["by_commune"][0]["code"], bat_xat);
    EXPECT_EQ(mine["over_time"]["period"], "week");
    EXPECT_DOUBLE_EQ(mine["answered_share"].get<double>(), 0.167);
    EXPECT_DOUBLE_EQ(mine["urgent_share"].get<double>(), 0.167);
    EXPECT_EQ(as(official, verb::get, "/api/v1/stats/dashboard?by=year").result_int(), 400u);
}

TEST_F(ApiTest, ConcernsFiledAfterACancellationGoToTheNextSession) {
    const auto admin = token_for("boss", "admin");
    ASSERT_EQ(
        as(admin, bhttp::verb::patch, "/api/v1/sessions/" + session_, {{"status", "cancelled"}})
            .result_int(),
        200u);
    ASSERT_TRUE(raise_road_concern(606)) << "no receipt";
    auto list = body_of(as(admin, bhttp::verb::get, "/api/v1/concerns"));
    ASSERT_EQ(list["total"], 1);
    EXPECT_NE(list["items"][0]["session"], session_)
        << "the pipeline routes around the cancellation";
}

TEST_F(ApiTest, TheAgendaGroupsConcernsAndOfficialsRegroupAndNameThem) {
    const auto official = token_for("lan", "official", {bat_xat});
    add({.text = "Đường vào thôn bị sạt lở, xe máy không đi được", .chat = "1"});
    add({.text = "Sạt lở đường vào thôn, xe máy không qua được", .chat = "2"});
    add({.text = "Đường thôn sạt lở nặng, xe máy không đi được nữa", .chat = "3"});
    auto odd = add({.text = "Cầu treo bản Mường bị gãy ván", .chat = "4"});
    add({.commune = other_commune_, .text = "Đường vào thôn bị sạt lở", .chat = "5"});
    using bhttp::verb;
    const std::string base = "/api/v1/sessions/" + session_ + "/agenda";
    auto agenda = body_of(as(official, verb::get, base));
    EXPECT_EQ(agenda["concerns"], 4) << "the other commune is outside the scope";
    ASSERT_GE(agenda["groups"].size(), 2u);
    auto top = agenda["groups"][0];
    EXPECT_EQ(top["count"], 3);
    EXPECT_EQ(top["citizens"], 3);
    EXPECT_EQ(top["communes"], json::array({bat_xat}));
    EXPECT_EQ(top["commune_names"], json::array({dialogue_.find_unit(bat_xat)->name}));
    const std::string key = top["key"];

    EXPECT_EQ(as(official, verb::post, base + "/move", {{"concern", odd}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::post, base + "/move", {{"concern", "LC-NOPE"}, {"group", key}})
                  .result_int(),
              404u);
    ASSERT_EQ(
        as(official, verb::post, base + "/move", {{"concern", odd}, {"group", key}}).result_int(),
        200u);
    ASSERT_EQ(as(official, verb::patch, base + "/groups/" + key, {{"name", "Sạt lở đường thôn"}})
                  .result_int(),
              200u);
    agenda = body_of(as(official, verb::get, base));
    top = agenda["groups"][0];
    EXPECT_EQ(top["key"], key);
    EXPECT_EQ(top["count"], 4);
    EXPECT_EQ(top["citizens"], 4);
    EXPECT_EQ(top["name"], "Sạt lở đường thôn");
    EXPECT_EQ(agenda["groups"].size(), 1u);
    EXPECT_EQ(db_->list_audit("concern:" + odd, 10).at(0).action, "agenda.move");
}

TEST_F(ApiTest, TheAgendaIsExportedAsCsvXlsxAndAnA4PageWithoutPersonalData) {
    const auto viewer = token_for("xem", "viewer");
    add({.text = "Đường vào thôn bị sạt lở, xe máy không đi được", .phone = "0912345678",
         .consent = true, .chat = "11"});
    add({.text = "Sạt lở đường vào thôn, xe máy không qua được", .chat = "12"});
    add({.text = "=HYPERLINK(\"http://evil\") cầu treo bản Mường bị gãy ván", .chat = "13"});
    using bhttp::verb;
    const std::string base = "/api/v1/sessions/" + session_ + "/agenda";
    const auto* unit = dialogue_.find_unit(bat_xat);
    ASSERT_TRUE(unit);

    auto csv = as(viewer, verb::get, base + ".csv");
    ASSERT_EQ(csv.result_int(), 200u) << csv.body();
    EXPECT_EQ(csv[bhttp::field::content_type], "text/csv; charset=utf-8");
    EXPECT_NE(std::string(csv[bhttp::field::content_disposition]).find(".csv"), std::string::npos);
    const auto& text = csv.body();
    EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(text.find("STT,Nhóm,Lĩnh vực,Số phản ánh,Số người dân"), std::string::npos);
    // Two citizens' road concerns are one group; the commune by name; the formula defused.
    // Topics by name, never by id.
    EXPECT_NE(text.find(",\"Giao thông, đường sá\",2,2," + unit->name + ","), std::string::npos)
        << text;
    EXPECT_EQ(text.find(",roads,"), std::string::npos) << text;
    EXPECT_NE(text.find("'=HYPERLINK"), std::string::npos) << text;
    for (const char* personal : {"0912345678", "Lò Văn A", "LC-"})
        EXPECT_EQ(text.find(personal), std::string::npos) << personal;
    auto english = as(viewer, verb::get, base + ".csv?lang=en");
    EXPECT_NE(english.body().find("No.,Group,Topic,Concerns,Citizens"), std::string::npos);

    auto xlsx = as(viewer, verb::get, base + ".xlsx");
    ASSERT_EQ(xlsx.result_int(), 200u);
    EXPECT_EQ(xlsx[bhttp::field::content_type],
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(xlsx.body().substr(0, 2), "PK");

    auto page = as(viewer, verb::get, base + ".html");
    ASSERT_EQ(page.result_int(), 200u);
    EXPECT_NE(page.body().find("@page{size:A4"), std::string::npos);
    EXPECT_NE(page.body().find(unit->name), std::string::npos);
    EXPECT_EQ(page.body().find("0912345678"), std::string::npos);
    // An administrative document: national heading, the commune's People's Committee, the
    // place and today's date, the session's date in words, a signature block.
    for (const std::string part :
         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
          "ỦY BAN NHÂN DÂN XÃ BÁT XÁT", "Bát Xát, ngày ", "DANH SÁCH Ý KIẾN, KIẾN NGHỊ",
          "NGƯỜI LẬP DANH SÁCH", "Giao thông, đường sá"})
        EXPECT_NE(page.body().find(part), std::string::npos) << part;
    EXPECT_TRUE(page.body().find("Thời gian: tháng ") != std::string::npos ||
                page.body().find("Thời gian: ngày ") != std::string::npos);

    EXPECT_EQ(as(viewer, verb::get, "/api/v1/sessions/no-such-session/agenda.csv").result_int(), 404u);
    // The agenda itself now says which session it is.
    auto agenda = body_of(as(viewer, verb::get, base));
    EXPECT_EQ(agenda["session_info"]["id"], session_);
}

TEST_F(ApiTest, AnAnswerReachesTheCitizenWhoFiledTheConcernOnTelegram) {
    const std::int64_t chat = 7123456789012;
    for (const auto& line :
         {"xin chao", "1", "1", "bat xat",
          "duong vao thon bi sat lo, xe may khong di duoc", "gui an danh"})
        say(chat, line);
    ASSERT_TRUE(wait_for_text(std::to_string(chat), "LC-")) << "no receipt";
    const auto official = token_for("lan", "official", {bat_xat});
    using bhttp::verb;
    auto list = body_of(as(official, verb::get, "/api/v1/concerns?q=xe%20may"));
    ASSERT_EQ(list["total"], 1) << list.dump();
    const std::string ref = list["items"][0]["ref"];
    const std::string session = list["items"][0]["session"];
    const std::string answers = "/api/v1/sessions/" + session + "/answers";
    EXPECT_EQ(as(official, verb::post, answers, {{"concern", ref}}).result_int(), 400u);
    EXPECT_EQ(as(official, verb::post, answers, {{"concern", ref}, {"group", ref}, {"text", "x"}})
                  .result_int(),
              400u);
    EXPECT_EQ(as(official, verb::post, "/api/v1/sessions/other-session/answers",
                 {{"concern", ref}, {"text", "x"}})
                  .result_int(),
              404u);

    const std::string text = "Huyện sẽ sửa đoạn đường này trước ngày 15/1.";
    auto res = as(official, verb::post, answers, {{"concern", ref}, {"text", text}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["messages"], 1);
    ASSERT_TRUE(wait_for_text(std::to_string(chat), text)) << "the answer never reached Telegram";
    EXPECT_TRUE(wait_for_text(std::to_string(chat), "Phản ánh " + ref));
    auto c = *db_->find_concern(ref);
    EXPECT_EQ(c.status, core::concern_status::answered);
    EXPECT_EQ(c.answer, text);
    EXPECT_EQ(db_->list_audit("concern:" + ref, 10).back().action, "concern.answer");
}

TEST_F(ApiTest, AGroupAnswerTellsEveryCitizenOnceOnTheirChannel) {
    const auto admin = token_for("boss", "admin");
    auto a1 = add({.text = "Đường vào thôn bị sạt lở, xe máy không đi được", .chat = "811"});
    auto a2 = add({.text = "Sạt lở đường vào thôn, xe máy không qua được", .chat = "811"});
    auto b = add({.text = "Đường thôn sạt lở nặng, xe máy không đi được nữa", .chat = "822"});
    auto merged = add({.text = "Sạt lở đường, xe máy không đi được", .chat = "833"});
    using bhttp::verb;
    ASSERT_EQ(
        as(admin, verb::post, "/api/v1/concerns/" + merged + "/merge", {{"into", b}}).result_int(),
        200u);
    auto agenda = body_of(as(admin, verb::get, "/api/v1/sessions/" + session_ + "/agenda"));
    ASSERT_EQ(agenda["groups"].size(), 1u) << agenda.dump();
    const std::string key = agenda["groups"][0]["key"];
    EXPECT_EQ(as(admin, verb::post, "/api/v1/sessions/" + session_ + "/answers",
                 {{"group", "LC-NOPE"}, {"text", "x"}})
                  .result_int(),
              404u);
    auto res = as(admin, verb::post, "/api/v1/sessions/" + session_ + "/answers",
                  {{"group", key}, {"text", "Đã có kế hoạch sửa đường."}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["messages"], 3) << "811 twice, 822, 833 (merged into 822's)";
    for (const char* chat : {"811", "822", "833"})
        EXPECT_TRUE(wait_for_text(chat, "Đã có kế hoạch sửa đường.")) << chat;
    std::size_t to_811 = 0;
    for (const auto& call : tg_->calls()) {
        if (call.chat_id != "811") continue;
        ++to_811;
        EXPECT_NE(call.text.find(a1), std::string::npos);
        EXPECT_NE(call.text.find(a2), std::string::npos);
    }
    EXPECT_EQ(to_811, 1u);
    for (const auto& ref : {a1, a2, b}) EXPECT_EQ(db_->find_concern(ref)->status, core::concern_status::answered);
    EXPECT_EQ(db_->find_concern(merged)->status, core::concern_status::merged);
    EXPECT_EQ(db_->find_concern(merged)->answer, "Đã có kế hoạch sửa đường.");
}

// Before the meeting (issue 19 item 3): once officials fixed the session's date and how to
// watch it, every citizen with a concern on its agenda is reminded once, the level's
// remind_days_before ahead, in their own language, with the link; a citizen whose concern came
// later is reminded on the next sweep, nobody twice. An official's note reaches every citizen
// of the session, at most three a day.
TEST_F(ApiTest, CitizensAreRemindedOfTheirSessionOnceAndOfficialsCanSendThemANote) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    // An extra meeting two days from now (within the commune level's remind_days_before), and
    // the quarter's session further ahead: only the first is due its reminders today.
    const int days = dialogue_.find_level("commune")->remind_days_before;
    ASSERT_GE(days, 2);
    const auto day = dialogue::to_string(
        dialogue::local_date(now_ + std::chrono::hours(24 * 2), dialogue_.utc_offset));
    auto res = as(admin, verb::post, "/api/v1/sessions",
                  {{"level", "commune"},
                   {"locality", bat_xat},
                   {"date", day},
                   {"venue", "Nhà văn hóa thôn 5"},
                   {"title_vi", "Đối thoại bổ sung với Nhân dân Xã Bát Xát"},
                   {"title_en", "Extra dialogue in Bát Xát"}});
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string extra = body_of(res)["id"];
    auto a = add({.text = "Đường vào thôn Cốc San sạt lở", .session = extra, .chat = "941"});
    auto b1 = add({.text = "Cầu tràn ngập", .session = extra, .chat = "942", .language = "en"});
    auto b2 = add({.text = "Đèn đường hỏng", .session = extra, .chat = "942", .language = "en"});
    add({.text = "Trạm y tế thiếu thuốc", .chat = "944"});  // on the later session
    const std::string session = "/api/v1/sessions/" + extra;
    const std::string link = "https://truyenhinh.laocai.gov.vn/truc-tiep";
    EXPECT_EQ(code_of(as(admin, verb::patch, session, {{"watch_link", "javascript:alert(1)"}})),
              "link_invalid");
    res = as(admin, verb::patch, session, {{"watch_link", link}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["watch_link"], link);

    auto r = domain::queue_reminders(*db_, dialogue_, now_);
    EXPECT_EQ(r.sessions, 1u) << "the later session is not due yet";
    EXPECT_EQ(r.messages, 2u) << "one per citizen, not per concern";
    ASSERT_TRUE(wait_for_text("941", "Nhắc lịch: phản ánh " + a));
    ASSERT_TRUE(wait_for_text("942", "Reminder: your concern " + b1 + ", " + b2));
    EXPECT_TRUE(wait_for_text("941", link));
    EXPECT_TRUE(wait_for_text("942", link));

    EXPECT_EQ(domain::queue_reminders(*db_, dialogue_, std::chrono::system_clock::now()).messages, 0u) << "nobody twice";
    add({.text = "Trường học dột", .session = extra, .chat = "943"});
    EXPECT_EQ(domain::queue_reminders(*db_, dialogue_, std::chrono::system_clock::now()).messages, 1u);
    ASSERT_TRUE(wait_for_text("943", "Nhắc lịch"));
    std::size_t to_941 = 0;
    for (const auto& call : tg_->calls())
        if (call.chat_id == "941" && call.text.find("Nhắc lịch") != std::string::npos) ++to_941;
    EXPECT_EQ(to_941, 1u);
    for (const auto& call : tg_->calls())
        EXPECT_NE(call.chat_id, "944") << "reminded of a session not due: " << call.text;

    const std::string notes = session + "/notes";
    const std::string note = "Buổi tiếp xúc bắt đầu lúc 8 giờ sáng tại hội trường UBND xã.";
    auto preview = body_of(as(admin, verb::post, notes, {{"text", note}, {"dry_run", true}}));
    EXPECT_EQ(preview["citizens"], 3);
    EXPECT_EQ(preview["messages"], 3);
    EXPECT_EQ(code_of(as(admin, verb::post, notes, {{"text", ""}})), "text_required");
    for (int i = 0; i < 3; ++i) {
        res = as(admin, verb::post, notes, {{"text", note + " (" + std::to_string(i + 1) + ")"}});
        ASSERT_EQ(res.result_int(), 200u) << res.body();
    }
    ASSERT_TRUE(wait_for_text("941", note + " (3)"));
    ASSERT_TRUE(wait_for_text("942", "About "));
    res = as(admin, verb::post, notes, {{"text", note}});
    EXPECT_EQ(res.result_int(), 429u);
    EXPECT_EQ(code_of(res), "notes_limit");
    const auto audit = db_->list_audit("session:" + extra, 100);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().action, "session.note");
}

// After the meeting (issue 19 item 5): an answer assigns the work to an office with a deadline
// and what was promised; the citizen reads who does what by when; the follow-up list shows it;
// past its deadline the worker's sweep carries it to the session it goes to now, once, with its
// history; closing it tells the citizen.
TEST_F(ApiTest, AssignedWorkIsFollowedCarriedWhenOverdueAndClosedWithTheCitizenTold) {
    const auto admin = token_for("boss", "admin");
    auto a = add({.text = "Mương thủy lợi thôn Phìn Ngan bị vỡ", .chat = "951"});
    using bhttp::verb;
    const std::string answers = "/api/v1/sessions/" + session_ + "/answers";
    const auto today = dialogue::local_date(now_, dialogue_.utc_offset);
    const auto deadline =
        dialogue::to_string(std::chrono::year_month_day{std::chrono::sys_days{today} + std::chrono::days{14}});
    const json assign = {{"office", "Phòng Kinh tế xã Bát Xát"},
                         {"deadline", deadline},
                         {"promise", "Sửa xong mương trước mùa mưa"}};
    auto late = assign;
    late["deadline"] = "2020-01-01";
    auto res = as(admin, verb::post, answers, {{"concern", a}, {"text", "Xã sẽ sửa mương."}, {"assign", late}});
    EXPECT_EQ(code_of(res), "assignment_invalid");
    EXPECT_EQ(body_of(res)["error"]["params"]["field"], "assign.deadline");
    EXPECT_EQ(db_->find_concern(a)->status, core::concern_status::scheduled) << "nothing recorded";

    res = as(admin, verb::post, answers, {{"concern", a}, {"text", "Xã sẽ sửa mương."}, {"assign", assign}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    ASSERT_TRUE(wait_for_text("951", "Việc được giao cho Phòng Kinh tế xã Bát Xát, hạn "));
    auto list = body_of(as(admin, verb::get, "/api/v1/followups"));
    ASSERT_EQ(list["total"], 1) << list.dump();
    EXPECT_EQ(list["items"][0]["ref"], a);
    EXPECT_EQ(list["items"][0]["assigned_to"], "Phòng Kinh tế xã Bát Xát");
    EXPECT_EQ(list["items"][0]["deadline"], deadline);
    EXPECT_EQ(list["items"][0]["overdue"], false);
    EXPECT_EQ(code_of(as(admin, verb::get, "/api/v1/followups?state=soon")), "followup_state_invalid");

    // The day after the deadline: onto an agenda again, once, answer and assignment kept.
    EXPECT_EQ(domain::carry_overdue(*db_, dialogue_, now_), 0u) << "not due yet";
    const auto after = now_ + std::chrono::hours(24 * 15);
    EXPECT_EQ(domain::carry_overdue(*db_, dialogue_, after), 1u);
    auto k = *db_->find_concern(a);
    EXPECT_EQ(k.status, core::concern_status::scheduled);
    EXPECT_FALSE(k.session_id.empty());
    EXPECT_EQ(k.followup, "assigned");
    EXPECT_EQ(k.answer, "Xã sẽ sửa mương.");
    EXPECT_EQ(db_->list_audit("concern:" + a, 100).back().action, "concern.carried");
    EXPECT_EQ(domain::carry_overdue(*db_, dialogue_, after), 0u) << "carried once";

    res = as(admin, verb::post, "/api/v1/concerns/" + a + "/followup/close",
             {{"result", "Đã sửa xong mương ngày 20/12."}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["messages"], 1);
    ASSERT_TRUE(wait_for_text("951", "Đã sửa xong mương ngày 20/12."));
    EXPECT_TRUE(wait_for_text("951", "đã hoàn thành"));
    res = as(admin, verb::post, "/api/v1/concerns/" + a + "/followup/close", {{"result", "again"}});
    EXPECT_EQ(res.result_int(), 409u);
    EXPECT_EQ(code_of(res), "followup_not_open");
    EXPECT_EQ(body_of(as(admin, verb::get, "/api/v1/followups"))["total"], 0);
    list = body_of(as(admin, verb::get, "/api/v1/followups?state=closed"));
    ASSERT_EQ(list["total"], 1);
    EXPECT_EQ(list["items"][0]["followup_result"], "Đã sửa xong mương ngày 20/12.");
}

// The public page of answers (issue 19 item 8): only what officials published, grouped by
// session and answer, filterable, without a login and without any personal data: the page and
// its JSON are searched for every stored name, phone, platform id and citizen's words.
TEST_F(ApiTest, ThePublicPageShowsPublishedAnswersAndNoPersonalData) {
    const auto admin = token_for("boss", "admin");
    const std::string said = "Nhà ông Lò Văn Minh thôn 3 bị nứt do nổ mìn";
    auto a = add({.text = said, .phone = "+84912345678", .consent = true, .chat = "73129461"});
    auto b = add({.topic = "health", .text = "Trạm y tế thiếu thuốc", .chat = "73129462"});
    using bhttp::verb;
    const std::string answers = "/api/v1/sessions/" + session_ + "/answers";
    const std::string published = "Công ty sẽ kiểm tra và bồi thường các nhà bị nứt trong tháng 1.";
    const std::string kept = "Trạm y tế được bổ sung thuốc từ tuần sau.";
    EXPECT_EQ(code_of(as(admin, verb::post, answers, {{"concern", a}, {"text", published}, {"publish", "yes"}})),
              "not_boolean");
    ASSERT_EQ(as(admin, verb::post, answers, {{"concern", a}, {"text", published}, {"publish", true}}).result_int(), 200u);
    ASSERT_EQ(as(admin, verb::post, answers, {{"concern", b}, {"text", kept}}).result_int(), 200u);

    auto page = call(verb::get, "/ket-qua", json(nullptr), {});
    ASSERT_EQ(page.result_int(), 200u) << page.body();
    EXPECT_NE(page[bhttp::field::content_type].find("text/html"), std::string::npos);
    const std::string html = page.body();
    EXPECT_NE(html.find("Kết quả đối thoại với Nhân dân"), std::string::npos);
    EXPECT_NE(html.find(published), std::string::npos);
    EXPECT_NE(html.find("Xã Bát Xát"), std::string::npos);
    EXPECT_EQ(html.find(kept), std::string::npos) << "not published";
    auto data = call(verb::get, "/ket-qua.json", json(nullptr), {});
    ASSERT_EQ(data.result_int(), 200u);
    const auto j = body_of(data);
    ASSERT_EQ(j["sessions"].size(), 1u) << j.dump();
    EXPECT_EQ(j["sessions"][0]["items"][0]["answer"], published);
    EXPECT_EQ(j["sessions"][0]["items"][0]["concerns"], 1);
    // No personal data, in the page or its data: names, phones, platform ids, citizens' words,
    // references.
    for (const auto& body : {html, data.body()})
        for (const std::string& personal : {said, std::string("Lò Văn"), std::string("0912345678"),
                                            std::string("84912345678"), std::string("7312946"), a, b}) {
            EXPECT_EQ(body.find(personal), std::string::npos) << personal << " is shown";
        }
    // Filters: another commune, another topic, a period before the answer.
    EXPECT_TRUE(body_of(call(verb::get, "/ket-qua.json?topic=health", json(nullptr), {}))["sessions"].empty());
    EXPECT_TRUE(body_of(call(verb::get, "/ket-qua.json?from=2020-01-01&to=2020-12-31", json(nullptr), {}))["sessions"].empty());
    EXPECT_EQ(call(verb::get, "/ket-qua?from=yesterday", json(nullptr), {}).result_int(), 400u);
    // In English on asking.
    EXPECT_NE(call(verb::get, "/ket-qua?lang=en", json(nullptr), {}).body().find("Results of the dialogues"),
              std::string::npos);
}

// The VEVENT of session `id` in a calendar feed (its UID is "<id>@..."), its lines unfolded,
// or "" when the feed has no such event.
std::string calendar_event(std::string ics, const std::string& id) {
    for (auto at = ics.find("\r\n "); at != std::string::npos; at = ics.find("\r\n ", at)) ics.erase(at, 3);
    const auto uid = ics.find("UID:" + id + "@");
    if (uid == std::string::npos) return "";
    const auto begin = ics.rfind("BEGIN:VEVENT\r\n", uid);
    const auto end = ics.find("END:VEVENT\r\n", uid);
    if (begin == std::string::npos || end == std::string::npos) return "";
    return ics.substr(begin, end - begin);
}

// The calendar citizens subscribe to (GET /sessions.ics, no login): a commune's feed has its
// own sessions and the province's, not another commune's; a level narrows it; an unknown
// commune or level is a clear 400; an official's change keeps the event's UID and grows its
// SEQUENCE, and a cancelled session stays in the feed, cancelled.
TEST_F(ApiTest, TheSessionsCalendarFollowsOfficialsChangesAndFiltersByCommuneAndLevel) {
    using bhttp::verb;
    auto res = call(verb::get, "/sessions.ics?commune=" + std::string(bat_xat), json(nullptr), {});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(res[bhttp::field::content_type], "text/calendar; charset=utf-8");
    std::string ics = res.body();
    EXPECT_TRUE(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    EXPECT_TRUE(ics.ends_with("END:VCALENDAR\r\n"));
    for (std::size_t at = ics.find('\n'); at != std::string::npos; at = ics.find('\n', at + 1)) {
        ASSERT_EQ(ics[at - 1], '\r') << "a bare LF at " << at;
    }
    EXPECT_NE(ics.find("TZID:Asia/Ho_Chi_Minh\r\n"), std::string::npos);
    std::string event = calendar_event(ics, session_);
    ASSERT_FALSE(event.empty()) << session_ << " is not in\n" << ics;
    EXPECT_NE(event.find("SEQUENCE:0\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("LOCATION;LANGUAGE=vi:Hội trường UBND Xã Bát Xát\r\n"), std::string::npos) << event;
    EXPECT_NE(ics.find("UID:province-15-"), std::string::npos) << "the province's sessions are the commune's too";
    EXPECT_EQ(ics.find("UID:commune-" + other_commune_ + "-"), std::string::npos) << "another commune's";
    EXPECT_EQ(ics.find("UID:agency-"), std::string::npos) << "an organisation's conference";

    const auto communes = call(verb::get, "/sessions.ics?commune=02683&level=commune", json(nullptr), {}).body();
    EXPECT_FALSE(calendar_event(communes, session_).empty());
    EXPECT_EQ(communes.find("UID:province-"), std::string::npos);
    const auto province = call(verb::get, "/sessions.ics?level=province", json(nullptr), {}).body();
    EXPECT_NE(province.find("UID:province-15-"), std::string::npos);
    EXPECT_EQ(province.find("UID:commune-"), std::string::npos);
    const auto everything = call(verb::get, "/sessions.ics", json(nullptr), {}).body();
    EXPECT_NE(everything.find("UID:commune-" + other_commune_ + "-"), std::string::npos);

    auto unknown = call(verb::get, "/sessions.ics?commune=99999", json(nullptr), {});
    EXPECT_EQ(unknown.result_int(), 400u);
    EXPECT_EQ(code_of(unknown), "commune_unknown") << unknown.body();
    EXPECT_NE(body_of(unknown)["error"]["message"].get<std::string>().find("99999"), std::string::npos);
    unknown = call(verb::get, "/sessions.ics?level=district", json(nullptr), {});
    EXPECT_EQ(unknown.result_int(), 400u);
    EXPECT_EQ(code_of(unknown), "level_unknown") << unknown.body();

    // An official sets the day: same UID, SEQUENCE 1, that day. A note alone moves nothing.
    const auto admin = token_for("boss", "admin");
    const std::string month = session_.substr(session_.size() - 7);  // "2027-03"
    ASSERT_EQ(as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"date", month + "-20"}}).result_int(), 200u);
    ASSERT_EQ(as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"note", "Mời bà con đến đúng giờ"}}).result_int(), 200u);
    event = calendar_event(call(verb::get, "/sessions.ics?commune=02683", json(nullptr), {}).body(), session_);
    ASSERT_FALSE(event.empty());
    EXPECT_NE(event.find("SEQUENCE:1\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("DTSTART;VALUE=DATE:" + month.substr(0, 4) + month.substr(5) + "20\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("STATUS:CONFIRMED\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("LAST-MODIFIED:"), std::string::npos) << event;

    // Cancelled: still there, so that subscribed calendars drop it.
    ASSERT_EQ(as(admin, verb::patch, "/api/v1/sessions/" + session_, {{"status", "cancelled"}, {"note", "bão số 3"}}).result_int(), 200u);
    event = calendar_event(call(verb::get, "/sessions.ics?commune=02683", json(nullptr), {}).body(), session_);
    ASSERT_FALSE(event.empty()) << "a cancelled session stays in the feed";
    EXPECT_NE(event.find("SEQUENCE:2\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("STATUS:CANCELLED\r\n"), std::string::npos) << event;
    EXPECT_NE(event.find("bão số 3"), std::string::npos) << event;
}

// The citizen's say on an answer (issue 19 item 6): the answer ends by asking whether it settled
// anything; "da thoa dang" is recorded as satisfied; "chua thoa dang" asks why and re-opens the
// concern onto the next session under a new reference that follows the first; a citizen who
// writes about something else is not asked for a verdict; the dashboard counts the verdicts.
TEST_F(ApiTest, ACitizenSaysWhetherTheAnswerSettledItAndAnUnsettledOneIsReopened) {
    const auto admin = token_for("boss", "admin");
    auto happy = add({.text = "Đèn đường thôn Phìn Ngan hỏng", .chat = "931"});
    auto unhappy = add({.text = "Đường vào thôn Coc San ngập khi mưa", .chat = "932"});
    auto other = add({.text = "Cống thoát nước tắc", .chat = "933"});
    using bhttp::verb;
    const std::string answers = "/api/v1/sessions/" + session_ + "/answers";
    const std::string answer = "Xã sẽ sửa trong tháng này.";
    for (const auto& ref : {happy, unhappy, other}) {
        auto res = as(admin, verb::post, answers, {{"concern", ref}, {"text", answer}});
        ASSERT_EQ(res.result_int(), 200u) << res.body();
    }
    ASSERT_TRUE(wait_for_text("931", "Đã thỏa đáng")) << "the answer asks for the citizen's say";
    ASSERT_TRUE(wait_for_text("932", answer));
    ASSERT_TRUE(wait_for_text("933", answer));

    say(931, "da thoa dang, cam on");
    ASSERT_TRUE(wait_for_text("931", "đã giải quyết thỏa đáng"));
    auto k = *db_->find_concern(happy);
    EXPECT_EQ(k.verdict, "satisfied");
    EXPECT_TRUE(k.verdict_at.has_value());
    EXPECT_EQ(k.status, core::concern_status::answered);

    say(932, "chua thoa dang");
    ASSERT_TRUE(wait_for_text("932", "vì sao"));
    say(932, "duong van ngap, chua ai den sua");
    ASSERT_TRUE(wait_for_text("932", "mở lại với mã mới"));
    k = *db_->find_concern(unhappy);
    EXPECT_EQ(k.verdict, "unsatisfied");
    EXPECT_EQ(k.verdict_reason, "duong van ngap, chua ai den sua");
    std::optional<store::concern> reopened;
    for (const auto& c : db_->list_concerns("", 100))
        if (c.follows == unhappy) reopened = c;
    ASSERT_TRUE(reopened) << "a new concern follows the unsettled one";
    EXPECT_NE(reopened->ref, unhappy);
    EXPECT_EQ(reopened->contact_id, k.contact_id);
    EXPECT_EQ(reopened->topic, k.topic);
    EXPECT_EQ(reopened->commune_code, k.commune_code);
    EXPECT_EQ(reopened->text, k.text);
    EXPECT_TRUE(wait_for_text("932", reopened->ref)) << "the citizen is told the new reference";
    auto page = body_of(as(admin, verb::get, "/api/v1/concerns/" + reopened->ref));
    EXPECT_EQ(page["follows"], unhappy);
    page = body_of(as(admin, verb::get, "/api/v1/concerns/" + unhappy));
    EXPECT_EQ(page["verdict"], "unsatisfied");
    EXPECT_EQ(page["verdict_reason"], "duong van ngap, chua ai den sua");
    EXPECT_EQ(db_->list_audit("concern:" + unhappy, 100).back().action, "concern.verdict")
        << "in the concern's history";

    // A verdict is given once: the same words again start no second re-opening.
    const auto concerns = db_->list_concerns("", 100).size();
    say(932, "chua thoa dang");
    say(932, "huy");
    ASSERT_TRUE(wait_for_text("932", "Đã huỷ"));
    EXPECT_EQ(db_->list_concerns("", 100).size(), concerns);

    // Writing about something else is not taken as a verdict: the menu reads it.
    say(933, "xin chao");
    ASSERT_TRUE(wait_for_text("933", "Xin chào"));
    EXPECT_EQ(db_->find_concern(other)->verdict, "");
    for (const auto& call : tg_->calls()) {
        if (call.chat_id == "933" && call.text.find(answer) == std::string::npos) {
            EXPECT_EQ(call.text.find("thỏa đáng chưa"), std::string::npos) << call.text;
        }
    }

    auto stats = body_of(as(admin, verb::get, "/api/v1/stats/dashboard"));
    EXPECT_EQ(stats["satisfaction"]["satisfied"], 1);
    EXPECT_EQ(stats["satisfaction"]["unsatisfied"], 1);
    EXPECT_EQ(stats["satisfaction"]["satisfied_share"], 0.5);
    ASSERT_EQ(stats["satisfaction"]["by_official"].size(), 1u);
    EXPECT_EQ(stats["satisfaction"]["by_official"][0]["official"], "boss");
}

// Answering is safe: the gateway first says who would be told (writing nothing), sends an
// answer once, refuses the same answer again, and sends a different one only as a correction
// the official asked for. Each citizen reads it in their own language only.
TEST_F(ApiTest, AnAnswerIsPreviewedSentOnceAndCorrectedOnlyAsACorrection) {
    const auto admin = token_for("boss", "admin");
    auto a1 = add({.text = "Cầu treo thôn Mường bị hỏng, đi lại nguy hiểm", .chat = "911"});
    auto a2 = add({.text = "Cầu treo thôn Mường hỏng, trẻ con đi học nguy hiểm",
                   .chat = "912",
                   .language = "en"});
    using bhttp::verb;
    const std::string answers = "/api/v1/sessions/" + session_ + "/answers";
    auto agenda = body_of(as(admin, verb::get, "/api/v1/sessions/" + session_ + "/agenda"));
    ASSERT_EQ(agenda["groups"].size(), 1u) << agenda.dump();
    const std::string key = agenda["groups"][0]["key"];
    EXPECT_EQ(agenda["groups"][0]["answered"], 0);
    const std::string first = "Huyện sửa cầu trong tháng 1.";
    const auto outbox = [&] { return db_->list_outbox({std::nullopt, 1000}).size(); };
    const auto sent_before = outbox();

    // Who would be told, and nothing written.
    auto preview = as(admin, verb::post, answers, {{"group", key}, {"text", first}, {"dry_run", true}});
    ASSERT_EQ(preview.result_int(), 200u) << preview.body();
    auto p = body_of(preview);
    EXPECT_EQ(p["citizens"], 2);
    EXPECT_EQ(p["messages"], 2);
    EXPECT_EQ(p["channels"], json({{"telegram", 2}}));
    EXPECT_EQ(p["answer"].size(), 2u);
    EXPECT_TRUE(p["unchanged"].empty() && p["correct"].empty());
    EXPECT_EQ(outbox(), sent_before);
    EXPECT_EQ(db_->find_concern(a1)->status, core::concern_status::scheduled);
    EXPECT_EQ(as(admin, verb::post, answers, {{"group", key}, {"text", first}, {"dry_run", "yes"}})
                  .result_int(),
              400u);

    auto res = as(admin, verb::post, answers, {{"group", key}, {"text", first}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["messages"], 2);
    ASSERT_TRUE(wait_for_text("911", first));
    ASSERT_TRUE(wait_for_text("912", first));
    for (const auto& call : tg_->calls()) {
        if (call.chat_id == "911") {
            EXPECT_NE(call.text.find("đã được trả lời"), std::string::npos) << call.text;
            EXPECT_EQ(call.text.find("Your concern"), std::string::npos) << call.text;
        }
        if (call.chat_id == "912") {
            EXPECT_NE(call.text.find("Your concern " + a2), std::string::npos) << call.text;
            EXPECT_EQ(call.text.find("Phản ánh"), std::string::npos) << call.text;
        }
    }
    auto k = *db_->find_concern(a1);
    EXPECT_EQ(k.status, core::concern_status::answered);
    ASSERT_TRUE(k.answered_at.has_value());
    EXPECT_EQ(k.answered_by, "boss");
    agenda = body_of(as(admin, verb::get, "/api/v1/sessions/" + session_ + "/agenda"));
    EXPECT_EQ(agenda["groups"][0]["answered"], 2);
    EXPECT_EQ(agenda["groups"][0]["answer"], first);
    EXPECT_EQ(agenda["groups"][0]["answered_by"], "boss");
    EXPECT_TRUE(agenda["groups"][0].contains("answered_at"));
    auto concern = body_of(as(admin, verb::get, "/api/v1/concerns/" + a1));
    EXPECT_EQ(concern["answered_by"], "boss");
    EXPECT_EQ(concern["channel_type"], "telegram") << "the web app names the platform";

    // The same answer again: refused, nothing sent twice.
    const auto after_first = outbox();
    res = as(admin, verb::post, answers, {{"group", key}, {"text", first}});
    EXPECT_EQ(res.result_int(), 409u);
    EXPECT_EQ(code_of(res), "already_answered");
    res = as(admin, verb::post, answers, {{"concern", a1}, {"text", first}});
    EXPECT_EQ(code_of(res), "already_answered");
    EXPECT_EQ(outbox(), after_first);

    // Another answer: only as a correction, and it says so.
    const std::string fixed = "Huyện sửa cầu trước ngày 20/1.";
    res = as(admin, verb::post, answers, {{"group", key}, {"text", fixed}});
    EXPECT_EQ(res.result_int(), 409u);
    EXPECT_EQ(code_of(res), "answer_differs");
    EXPECT_EQ(outbox(), after_first);
    p = body_of(as(admin, verb::post, answers, {{"group", key}, {"text", fixed}, {"dry_run", true}}));
    EXPECT_EQ(p["correct"].size(), 2u);
    res = as(admin, verb::post, answers, {{"group", key}, {"text", fixed}, {"correction", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_TRUE(wait_for_text("911", "đã được đính chính"));
    EXPECT_TRUE(wait_for_text("912", "has been corrected"));
    EXPECT_EQ(db_->find_concern(a1)->answer, fixed);
    EXPECT_EQ(db_->list_audit("concern:" + a1, 10).back().action, "concern.answer_corrected");

    // A concern that joins the group later gets the answer; the others are not told again.
    auto a3 = add({.text = "Cầu treo thôn Mường bị hỏng, đi lại rất nguy hiểm", .chat = "913"});
    agenda = body_of(as(admin, verb::get, "/api/v1/sessions/" + session_ + "/agenda"));
    ASSERT_EQ(agenda["groups"].size(), 1u) << agenda.dump();
    res = as(admin, verb::post, answers, {{"group", agenda["groups"][0]["key"]}, {"text", fixed}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["answered"], json::array({a3}));
    EXPECT_EQ(body_of(res)["unchanged"].size(), 2u);
    EXPECT_EQ(body_of(res)["messages"], 1);
}

TEST_F(ApiTest, AdminsReadTheLogAndExportOrEraseACitizensData) {
    const auto admin = token_for("boss", "admin");
    // The citizen wrote: inbound text and replies are personal data too.
    say(4242, "xin chao");
    ASSERT_TRUE(wait_for_text("4242", "Xin chào"));
    auto ref = add({.text = "Nhà tôi bị nứt do nổ mìn",
                    .phone = "0987654321",
                    .consent = true,
                    .chat = "4242"});
    auto contact = db_->find_concern(ref)->contact_id;
    // A reply still waiting (far in the future, so the sender leaves it alone).
    std::vector<store::step_write> steps(1);
    store::outbox_message m;
    m.channel = "telegram";
    m.user_id = "4242";
    m.contact_id = contact;
    m.payload = {{"text", "Xin chào Lò Văn A"}};
    m.next_attempt_at = m.created_at = now_ + 24h;
    steps[0].outbox.push_back(m);
    db_->commit_steps(steps);
    using bhttp::verb;
    const std::string id = std::to_string(contact);

    auto log = body_of(as(admin, verb::get, "/api/v1/messages?contact=" + id));
    ASSERT_GE(log["items"].size(), 3u);  // in: "xin chao"; out: the menu; out: pending
    EXPECT_EQ(log["items"][0]["text"], "Xin chào Lò Văn A") << "newest first";
    EXPECT_EQ(log["items"][0]["status"], "pending");
    EXPECT_EQ(log["items"].back()["direction"], "in");
    EXPECT_EQ(log["items"].back()["text"], "xin chao");
    EXPECT_EQ(as(admin, verb::get, "/api/v1/messages?contact=abc").result_int(), 400u);

    auto exported = body_of(as(admin, verb::get, "/api/v1/contacts/" + id + "/export"));
    EXPECT_EQ(exported["contact"]["user_id"], "4242");
    EXPECT_EQ(exported["contact"]["name"], "Lò Văn A");
    EXPECT_EQ(exported["concerns"][0]["phone"], "0987654321");
    // The same lines (their send status may have moved on in between).
    auto ids = [](const json& items) {
        std::vector<std::string> out;
        for (const auto& i : items)
            out.push_back(i["direction"].get<std::string>() + i["id"].dump());
        return out;
    };
    EXPECT_EQ(ids(exported["messages"]), ids(log["items"]));
    EXPECT_EQ(as(admin, verb::get, "/api/v1/contacts/999999/export").result_int(), 404u);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/contacts/x/erase").result_int(), 400u);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/contacts/999999/erase").result_int(), 404u);

    auto erased = as(admin, verb::post, "/api/v1/contacts/" + id + "/erase");
    ASSERT_EQ(erased.result_int(), 200u) << erased.body();
    auto ct = *db_->find_contact(contact);
    EXPECT_EQ(ct.display_name, "");
    EXPECT_EQ(ct.user_id, "erased:" + id);
    auto c = *db_->find_concern(ref);
    EXPECT_EQ(c.phone, "");
    EXPECT_TRUE(c.anonymous);
    EXPECT_FALSE(c.consent);
    EXPECT_EQ(c.text, "Nhà tôi bị nứt do nổ mìn") << "the concern itself stays, without identity";
    for (const auto& o : db_->list_outbox({contact, 10})) {
        EXPECT_NE(o.status, "pending") << "pending messages to them are dropped";
        EXPECT_EQ(o.user_id, "erased:" + id);
        EXPECT_EQ(o.payload.value("text", ""), "");
    }
    auto inbound = db_->list_inbox(contact, 10);
    ASSERT_EQ(inbound.size(), 1u);
    EXPECT_EQ(inbound[0].event.text, "");
    EXPECT_EQ(inbound[0].event.display_name, "");
    EXPECT_FALSE(db_->active_conversation(contact));
    auto after = as(admin, verb::get, "/api/v1/contacts/" + id + "/export");
    EXPECT_EQ(after.body().find("0987654321"), std::string::npos);
    EXPECT_EQ(after.body().find("Lò"), std::string::npos);
    EXPECT_EQ(after.body().find("xin chao"), std::string::npos);
    EXPECT_EQ(after.body().find("4242"), std::string::npos);
    std::vector<std::string> actions;
    for (const auto& a : db_->list_audit("contact:" + id, 10)) actions.push_back(a.action);
    EXPECT_EQ(actions,
              (std::vector<std::string>{"contact.export", "contact.erase", "contact.export"}));
}

// A gateway with a web chat channel, whose photos it keeps itself.
class ConcernPhotoTest : public ApiTest {
protected:
    void configure(config::gateway_config& cfg) override {
        config::channel_config web;
        web.id = "web";
        web.type = "webchat";
        web.rate_limit = {0, 0, 0, 0};
        web.webchat.media_dir = (dir_ / "media").string();
        cfg.channels.push_back(web);
        // A platform whose events carry the photo's download URL (as Zalo and Messenger do).
        config::channel_config viber;
        viber.id = "viber";
        viber.type = "viber";
        viber.api_base = "http://127.0.0.1:9";  // nothing is sent in these tests
        viber.settings = {{"auth_token", "445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9"}};
        viber.rate_limit = {0, 0, 0, 0};
        viber.media_hosts = {"127.0.0.1"};  // the test's CDN, named by the operator
        cfg.channels.push_back(viber);
        // The same platform as shipped: photos from Viber's CDN only.
        viber.id = "viber-cdn";
        viber.media_hosts = channels::default_media_hosts("viber", viber.api_base);
        cfg.channels.push_back(viber);
    }
};

TEST_F(ConcernPhotoTest, StaffInScopeSeeTheWebChatPhotosOfAConcern) {
    namespace fs = std::filesystem;
    const std::string jpg = std::string(64, 'a') + ".jpg", png = std::string(64, 'b') + ".png";
    fs::create_directories(dir_ / "media");
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xE0") + std::string(3000, '\0') + "end";
    std::ofstream(dir_ / "media" / jpg, std::ios::binary) << jpeg_bytes;
    auto ref = add({.chat = "web-1", .channel = "web", .media = json::array({jpg, png})});
    auto elsewhere = add({.commune = other_commune_, .chat = "web-2", .channel = "web", .media = json::array({jpg})});
    auto zalo = add({.chat = "z-1", .channel = "zalo", .media = json::array({"zalo-photo-id"})});
    const auto admin = token_for("boss", "admin");
    const auto official = token_for("lan", "official", {bat_xat});
    const auto viewer = token_for("press", "viewer");
    using bhttp::verb;

    auto detail = body_of(as(official, verb::get, "/api/v1/concerns/" + ref));
    EXPECT_EQ(detail["photos"], json::array({"/api/v1/concerns/" + ref + "/photos/0",
                                             "/api/v1/concerns/" + ref + "/photos/1"}));
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), jpeg_bytes) << "the file's bytes, whole";
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    EXPECT_EQ(photo[bhttp::field::cache_control], "no-store");
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/0").body(), jpeg_bytes);

    // Outside the official's scope, for a viewer, past the last photo, or not a number: refused.
    EXPECT_EQ(as(official, verb::get, "/api/v1/concerns/" + elsewhere + "/photos/0").result_int(), 403u);
    EXPECT_EQ(as(viewer, verb::get, "/api/v1/concerns/" + ref + "/photos/0").result_int(), 403u);
    EXPECT_FALSE(body_of(as(viewer, verb::get, "/api/v1/concerns/" + ref)).contains("photos"));
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/2").result_int(), 404u);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/x").result_int(), 400u);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/concerns/LC-NONE/photos/0").result_int(), 404u);
    // A photo whose file is gone (the sweep, an erasure, a hand) says so.
    auto gone = as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/1");
    EXPECT_EQ(gone.result_int(), 404u);
    EXPECT_EQ(code_of(gone), "photo_gone");
    // A channel the gateway cannot fetch photos from (none configured here): their ids only.
    EXPECT_FALSE(body_of(as(admin, verb::get, "/api/v1/concerns/" + zalo)).contains("photos"));
    auto kept = as(admin, verb::get, "/api/v1/concerns/" + zalo + "/photos/0");
    EXPECT_EQ(kept.result_int(), 404u);
    EXPECT_EQ(code_of(kept), "not_kept");
}

TEST_F(ConcernPhotoTest, ATelegramPhotoIsFetchedFromTheBotApiWithGetFile) {
    using bhttp::verb;
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xE1") + std::string(5000, 'p');
    tg_->add_file("AgACAgIAAxkBAAIBZ2X", "file_7.jpg", jpeg_bytes);
    auto ref = add({.chat = "900009", .media = json::array({"AgACAgIAAxkBAAIBZ2X", "AgACunknown"})});
    const auto official = token_for("lan", "official", {bat_xat});

    EXPECT_EQ(body_of(as(official, verb::get, "/api/v1/concerns/" + ref))["photos"].size(), 2u);
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), jpeg_bytes);
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    EXPECT_EQ(photo[bhttp::field::cache_control], "no-store");
    bool asked = false;
    for (const auto& c : tg_->calls())
        if (c.method == "getFile" && c.body.value("file_id", "") == "AgACAgIAAxkBAAIBZ2X") asked = true;
    EXPECT_TRUE(asked) << "getFile with the photo's file_id";

    // A file_id Telegram does not know, and Telegram failing.
    auto unknown = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/1");
    EXPECT_EQ(unknown.result_int(), 404u);
    EXPECT_EQ(code_of(unknown), "photo_gone");
    tg_->fail_next(1, 502);
    auto down = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    EXPECT_EQ(down.result_int(), 503u);
    EXPECT_EQ(code_of(down), "platform_unavailable");
    EXPECT_EQ(as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0").body(), jpeg_bytes)
        << "and again once it answers";
}

TEST_F(ConcernPhotoTest, APhotoWhoseEventCarriedAUrlIsFetchedFromThatUrl) {
    using bhttp::verb;
    test::mock_platform cdn(404, R"({"error":"Not Found"})");
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xDB") + std::string(4000, 'v');
    cdn.respond("/photo.jpg", 200, jpeg_bytes);
    cdn.respond("/page.jpg", 200, "<html>an expired link's error page</html>");
    auto ref = add({.chat = "viber-user-1", .channel = "viber",
                    .media = json::array({cdn.base() + "/photo.jpg", cdn.base() + "/expired.jpg",
                                          cdn.base() + "/page.jpg"})});
    const auto official = token_for("lan", "official", {bat_xat});

    EXPECT_EQ(body_of(as(official, verb::get, "/api/v1/concerns/" + ref))["photos"].size(), 3u);
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), jpeg_bytes);
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    ASSERT_GE(cdn.count(), 1u);
    EXPECT_EQ(cdn.requests()[0].method, "GET");
    EXPECT_EQ(cdn.requests()[0].path, "/photo.jpg");
    // An expired link, and one that answers something that is not an image.
    EXPECT_EQ(code_of(as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/1")), "photo_gone");
    EXPECT_EQ(code_of(as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/2")), "photo_gone");
}

// A leaked webhook secret let anyone file a "photo" whose URL points into the province's
// network; an official opening it made the gateway fetch it. Each is refused, nothing inside is
// asked for anything, and the refusals are counted.
TEST_F(ConcernPhotoTest, AFetcherAimedInwardIsRefused) {
    using bhttp::verb;
    test::mock_platform inner(200, std::string("\xFF\xD8\xFF\xE0") + "internal");
    const auto port = inner.base().substr(inner.base().rfind(':'));
    test::mock_platform cdn(302, "{}");
    cdn.respond_with([&](const test::mock_platform::request&,
                         std::size_t) -> std::optional<test::mock_platform::answer> {
        return test::mock_platform::answer{
            302, "", {{"Location", "http://localhost" + port + "/x"}}};
    });
    const std::vector<std::string> inward = {
        "http://127.0.0.1" + port + "/photo.jpg", "http://10.0.0.1/photo.jpg",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]" + port + "/photo.jpg", "http://localhost" + port + "/photo.jpg"};
    auto ref = add({.chat = "viber-user-2", .channel = "viber-cdn", .media = inward});
    // On the channel that allows the test's CDN by address: a redirect inward, to a name.
    auto redirected = add({.chat = "viber-user-3",
                           .channel = "viber",
                           .media = json::array({cdn.base() + "/photo.jpg"})});
    const auto official = token_for("lan", "official", {bat_xat});
    for (std::size_t i = 0; i < inward.size(); ++i) {
        auto res =
            as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/" + std::to_string(i));
        EXPECT_EQ(res.result_int(), 404u) << inward[i];
        EXPECT_EQ(code_of(res), "photo_gone") << inward[i];
    }
    auto res = as(official, verb::get, "/api/v1/concerns/" + redirected + "/photos/0");
    EXPECT_EQ(code_of(res), "photo_gone") << res.body();
    EXPECT_EQ(cdn.count(), 1u);
    EXPECT_EQ(inner.count(), 0u) << "nothing inside was asked for anything";
    EXPECT_EQ(gw_->metrics().value("dgw_media_fetches_total",
                                   {{"channel", "viber-cdn"}, {"result", "refused"}}),
              5.0);
    EXPECT_EQ(gw_->metrics().value("dgw_media_fetches_total",
                                   {{"channel", "viber"}, {"result", "refused"}}),
              1.0);
}

TEST_F(ConcernPhotoTest, OnlyNamesTheWebChatHandsOutReachTheDisk) {
    namespace fs = std::filesystem;
    fs::create_directories(dir_ / "media");
    std::ofstream(dir_ / "secret.jpg") << "not a photo";
    std::ofstream(dir_ / "media" / "plain.jpg") << "not a content hash";
    auto ref = add({.chat = "web-3", .channel = "web",
                    .media = json::array({"../secret.jpg", "plain.jpg", std::string(64, 'c') + ".exe"})});
    const auto admin = token_for("boss", "admin");
    for (int i = 0; i < 3; ++i) {
        auto res = as(admin, bhttp::verb::get, "/api/v1/concerns/" + ref + "/photos/" + std::to_string(i));
        EXPECT_EQ(res.result_int(), 404u) << i;
        EXPECT_EQ(res.body().find("not a"), std::string::npos) << i;
    }
}

// Photos that last: a concern's photos are copied into the gateway's store when it is filed,
// through the same fetch an official's request would make, so they open long after the
// platform forgot them.
class PhotoCopyTest : public ApiTest {
protected:
    static constexpr std::size_t max_bytes = 64 * 1024;
    void configure(config::gateway_config& cfg) override { cfg.media.max_bytes = max_bytes; }

    void send_photo(std::int64_t chat, const std::string& file_id) {
        // Telegram lists a photo's sizes, smallest first.
        send(chat, {{"photo",
                     {{{"file_id", file_id + "-small"}, {"file_unique_id", "s"}, {"width", 90}, {"height", 60}},
                      {{"file_id", file_id}, {"file_unique_id", "l"}, {"width", 1280}, {"height", 960}}}}});
    }

    /// A citizen files a road concern with a photo over Telegram; its reference.
    std::string file_with_photo(std::int64_t chat, const std::string& file_id) {
        for (const auto* line : {"xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo"})
            say(chat, line);
        send_photo(chat, file_id);
        say(chat, "gui an danh");
        EXPECT_TRUE(wait_for_text(std::to_string(chat), "LC-"));
        for (const auto& c : db_->list_concerns("", 100)) {
            auto who = db_->find_contact(c.contact_id);
            if (who && who->user_id == std::to_string(chat)) return c.ref;
        }
        ADD_FAILURE() << "no concern of chat " << chat;
        return "";
    }

    /// The copy of photo 0 of `ref` once it is no longer pending (or after 20 s).
    store::media_copy settled_copy(const std::string& ref) {
        const auto id = db_->find_concern(ref)->id;
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        for (;;) {
            auto copies = db_->media_copies_of(id);
            if (!copies.empty() && copies[0].status != store::media_copy_status::pending)
                return copies[0];
            if (std::chrono::steady_clock::now() > deadline) {
                ADD_FAILURE() << "the copy of " << ref << " is still pending";
                return copies.empty() ? store::media_copy{} : copies[0];
            }
            std::this_thread::sleep_for(20ms);
        }
    }

    std::size_t file_requests(const std::string& file_id) {
        std::size_t n = 0;
        for (const auto& c : tg_->calls())
            if (c.method == "getFile" && c.body.value("file_id", "") == file_id) ++n;
        return n;
    }
};

TEST_F(PhotoCopyTest, AFiledPhotoIsCopiedAndStillOpensAfterTheBotApiForgotIt) {
    using bhttp::verb;
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xE1") + std::string(6000, 'k');
    tg_->add_file("AgACphoto-lasts", "file_31.jpg", jpeg_bytes);
    const auto ref = file_with_photo(910001, "AgACphoto-lasts");
    ASSERT_FALSE(ref.empty());
    EXPECT_EQ(db_->find_concern(ref)->media, json::array({"AgACphoto-lasts"})) << "the largest size";
    auto copy = settled_copy(ref);
    EXPECT_EQ(copy.status, store::media_copy_status::kept) << copy.reason;
    EXPECT_EQ(file_requests("AgACphoto-lasts"), 1u) << "fetched once, with getFile";

    // Months later: Telegram no longer has it.
    tg_->remove_file("AgACphoto-lasts");
    const auto official = token_for("lan", "official", {bat_xat});
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), jpeg_bytes) << "the same bytes, whole";
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    EXPECT_EQ(photo["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(photo[bhttp::field::cache_control], "private, no-store");
    EXPECT_EQ(file_requests("AgACphoto-lasts"), 1u) << "served from the store, not the platform";
    auto detail = body_of(as(official, verb::get, "/api/v1/concerns/" + ref));
    EXPECT_EQ(detail["photo_copies"][0]["status"], "kept");
    // Still only for staff in scope.
    const auto viewer = token_for("press", "viewer");
    const auto elsewhere = token_for("minh", "official", {other_commune_});
    EXPECT_EQ(as(viewer, verb::get, "/api/v1/concerns/" + ref + "/photos/0").result_int(), 403u);
    EXPECT_EQ(as(elsewhere, verb::get, "/api/v1/concerns/" + ref + "/photos/0").result_int(), 403u);
    EXPECT_EQ(gw_->metrics().value("dgw_media_copies_total",
                                   {{"channel", "telegram"}, {"result", "kept"}}),
              1.0);
}

// A photo on the public page of answers (issue 19 item 8): only one an official chose to show,
// only while its answer is published, served without a login; taken back, it is gone. An
// official may only show photos of concerns in their scope.
TEST_F(PhotoCopyTest, APhotoShowsOnThePublicPageOnlyWhenAnOfficialPublishedItAndItsAnswer) {
    using bhttp::verb;
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xE0") + std::string(5000, 'p');
    tg_->add_file("AgACpublic", "file_41.jpg", jpeg_bytes);
    const auto ref = file_with_photo(910041, "AgACpublic");
    ASSERT_FALSE(ref.empty());
    ASSERT_EQ(settled_copy(ref).status, store::media_copy_status::kept);
    const auto official = token_for("lan", "official", {bat_xat});
    const auto stranger = token_for("khac", "official", {other_commune_});
    const std::string publish = "/api/v1/concerns/" + ref + "/photos/0/publish";
    EXPECT_EQ(as(stranger, verb::post, publish, {{"published", true}}).result_int(), 403u);
    EXPECT_EQ(code_of(as(official, verb::post, publish, {{"published", "yes"}})), "not_boolean");
    EXPECT_EQ(code_of(as(official, verb::post, "/api/v1/concerns/" + ref + "/photos/3/publish", {{"published", true}})),
              "photo_not_found");
    auto res = as(official, verb::post, publish, {{"published", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(as(official, verb::get, "/api/v1/concerns/" + ref))["photo_copies"][0]["published"], true);
    const auto copy_id = db_->media_copies_of(db_->find_concern(ref)->id).at(0).id;
    const std::string url = "/ket-qua/anh/" + std::to_string(copy_id);
    EXPECT_EQ(call(verb::get, url, json(nullptr), {}).result_int(), 404u) << "its answer is not published yet";

    const auto session = db_->find_concern(ref)->session_id;
    res = as(official, verb::post, "/api/v1/sessions/" + session + "/answers",
             {{"concern", ref}, {"text", "Xã đã cho san gạt đất sạt lở."}, {"publish", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto data = body_of(call(verb::get, "/ket-qua.json", json(nullptr), {}));
    ASSERT_EQ(data["sessions"].size(), 1u) << data.dump();
    EXPECT_EQ(data["sessions"][0]["items"][0]["photos"], json::array({url}));
    EXPECT_NE(call(verb::get, "/ket-qua", json(nullptr), {}).body().find("<img src=\"" + url + "\""), std::string::npos);
    auto photo = call(verb::get, url, json(nullptr), {});
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), jpeg_bytes);
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    EXPECT_EQ(call(verb::get, "/ket-qua/anh/abc", json(nullptr), {}).result_int(), 400u);

    ASSERT_EQ(as(official, verb::post, publish, {{"published", false}}).result_int(), 200u);
    EXPECT_EQ(call(verb::get, url, json(nullptr), {}).result_int(), 404u) << "taken back";
    data = body_of(call(verb::get, "/ket-qua.json", json(nullptr), {}));
    EXPECT_TRUE(data["sessions"][0]["items"][0]["photos"].empty());
    EXPECT_EQ(db_->list_audit("concern:" + ref, 100).back().action, "photo.unpublish");
}

TEST_F(PhotoCopyTest, APhotoLargerThanMaxBytesIsRefusedWithItsReasonAndShownAsUnavailable) {
    using bhttp::verb;
    tg_->add_file("AgACtoo-big", "file_32.jpg",
                  std::string("\xFF\xD8\xFF\xE0") + std::string(max_bytes + 1, 'b'));
    const auto ref = file_with_photo(910002, "AgACtoo-big");
    ASSERT_FALSE(ref.empty());
    auto copy = settled_copy(ref);
    EXPECT_EQ(copy.status, store::media_copy_status::refused);
    EXPECT_NE(copy.reason.find("larger than media.max_bytes (65536 bytes)"), std::string::npos)
        << copy.reason;
    const auto official = token_for("lan", "official", {bat_xat});
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    EXPECT_EQ(photo.result_int(), 404u);
    EXPECT_EQ(code_of(photo), "photo_unavailable");
    EXPECT_NE(photo.body().find("larger than"), std::string::npos) << photo.body();
    auto detail = body_of(as(official, verb::get, "/api/v1/concerns/" + ref));
    EXPECT_EQ(detail["photo_copies"][0]["status"], "refused");
    EXPECT_EQ(gw_->metrics().value("dgw_media_copies_total",
                                   {{"channel", "telegram"}, {"result", "refused"}}),
              1.0);
}

TEST_F(PhotoCopyTest, AFileThatIsAPdfAndNotAnImageIsRefusedWhateverItsName) {
    using bhttp::verb;
    // Named .jpg and served as image/jpeg by the mock: the first bytes decide.
    tg_->add_file("AgACnot-image", "file_33.jpg", "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj");
    const auto ref = file_with_photo(910003, "AgACnot-image");
    ASSERT_FALSE(ref.empty());
    auto copy = settled_copy(ref);
    EXPECT_EQ(copy.status, store::media_copy_status::refused);
    EXPECT_NE(copy.reason.find("not a JPEG, PNG, WebP or GIF image"), std::string::npos)
        << copy.reason;
    const auto admin = token_for("boss", "admin");
    EXPECT_EQ(code_of(as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/0")),
              "photo_unavailable");
}

TEST_F(PhotoCopyTest, ErasingTheCitizenDeletesTheKeptPhoto) {
    using bhttp::verb;
    const std::string jpeg_bytes = std::string("\xFF\xD8\xFF\xE1") + std::string(3000, 'e');
    tg_->add_file("AgACerase-me", "file_34.jpg", jpeg_bytes);
    const auto ref = file_with_photo(910004, "AgACerase-me");
    ASSERT_FALSE(ref.empty());
    auto copy = settled_copy(ref);
    ASSERT_EQ(copy.status, store::media_copy_status::kept) << copy.reason;
    ASSERT_TRUE(db_->find_media_file(copy.id));
    const auto admin = token_for("boss", "admin");
    const auto contact = db_->find_concern(ref)->contact_id;
    auto erased = as(admin, verb::post, "/api/v1/contacts/" + std::to_string(contact) + "/erase",
                     json::object());
    ASSERT_EQ(erased.result_int(), 200u) << erased.body();
    EXPECT_FALSE(db_->find_media_file(copy.id)) << "the stored bytes are gone";
    EXPECT_TRUE(db_->media_copies_of(db_->find_concern(ref)->id).empty());
    auto photo = as(admin, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    EXPECT_EQ(photo.result_int(), 404u);
    EXPECT_EQ(photo.body().find("\xFF\xD8\xFF"), std::string::npos);
}

// LINE keeps what citizens send on its content host, for the channel's token only.
class LinePhotoTest : public ApiTest {
protected:
    void configure(config::gateway_config& cfg) override {
        config::channel_config line;
        line.id = "line";
        line.type = "line";
        line.api_base = "http://127.0.0.1:9";  // nothing is sent in these tests
        line.settings = {{"channel_secret", "line-secret"},
                         {"channel_access_token", "line-token-0123456789"},
                         {"data_base", content_.base()}};
        line.rate_limit = {0, 0, 0, 0};
        line.media_hosts = {"127.0.0.1"};  // the test's content host
        cfg.channels.push_back(line);
    }
    test::mock_platform content_{404, R"({"message":"Not found"})"};
};

TEST_F(LinePhotoTest, ALinePhotoIsItsContentFetchedWithTheChannelsToken) {
    using bhttp::verb;
    const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + std::string(2000, 'l');
    content_.respond("/v2/bot/message/468789577898262530/content", 200, png);
    auto ref = add({.chat = "U4af4980629", .channel = "line",
                    .media = json::array({"468789577898262530", "468789577898262531"})});
    const auto official = token_for("lan", "official", {bat_xat});
    EXPECT_EQ(body_of(as(official, verb::get, "/api/v1/concerns/" + ref))["photos"].size(), 2u);
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), png);
    EXPECT_EQ(photo[bhttp::field::content_type], "image/png");
    ASSERT_GE(content_.count(), 1u);
    EXPECT_EQ(content_.requests()[0].method, "GET");
    EXPECT_EQ(content_.requests()[0].headers["authorization"], "Bearer line-token-0123456789");
    // Content LINE no longer keeps.
    EXPECT_EQ(code_of(as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/1")),
              "photo_gone");
}

// WhatsApp and SMS (Twilio MMS) photos, copied when the concern is filed with the channel's own
// credentials: WhatsApp's media lookup on the Graph API then Meta's download URL, both with
// the access token; Twilio's MediaUrl with Basic auth, redirected to its CDN, which never
// sees the credentials. Each platform is a mock speaking its API; a second mock is its media
// host.
class PlatformPhotoCopyTest : public PhotoCopyTest {
protected:
    void configure(config::gateway_config& cfg) override {
        PhotoCopyTest::configure(cfg);
        for (auto p : {test::whatsapp(), test::twilio()}) {
            config::channel_config ch;
            ch.id = p.id;
            ch.type = p.type;
            ch.settings = p.settings;
            ch.rate_limit = {0, 0, 0, 0};
            ch.media_hosts = {"127.0.0.1"};  // the test's API and media hosts
            if (p.type == "whatsapp") {
                ch.api_base = graph_.base() + "/v21.0";
                ch.settings["media_base"] = lookaside_.base();
            } else {
                ch.api_base = twilio_.base();
            }
            cfg.channels.push_back(ch);
            platforms_[p.type] = std::move(p);
        }
        graph_.respond_with([this](const test::mock_platform::request& r, std::size_t)
                                -> std::optional<test::mock_platform::answer> {
            if (r.path != "/v21.0/" + wa_media_id) return std::nullopt;
            if (forgotten_) return test::mock_platform::answer{404, R"({"error":{"code":100}})", {}, {}};
            json found = {{"messaging_product", "whatsapp"},
                          {"url", lookaside_.base() + "/whatsapp_business/attachments/?mid=" +
                                      wa_media_id + "&ext=1790000000&hash=ATsig"},
                          {"mime_type", "image/jpeg"},
                          {"file_size", std::to_string(photo_.size())},
                          {"id", wa_media_id}};
            return test::mock_platform::answer{200, found.dump(), {}, {}};
        });
        lookaside_.respond_with([this](const test::mock_platform::request& r, std::size_t)
                                    -> std::optional<test::mock_platform::answer> {
            if (forgotten_ || r.path != "/whatsapp_business/attachments/") return std::nullopt;
            return test::mock_platform::answer{200, photo_, {}, {}};
        });
        twilio_.respond_with([this](const test::mock_platform::request& r, std::size_t)
                                 -> std::optional<test::mock_platform::answer> {
            if (r.path.find("/Media/") == std::string::npos) return std::nullopt;
            if (forgotten_) return test::mock_platform::answer{404, R"({"code":20404})", {}, {}};
            // Twilio answers a media URL with a short-lived link on its CDN.
            return test::mock_platform::answer{
                307, "", {{"Location", cdn_.base() + "/mms/ME-signed?Expires=1790014400&Sig=x"}}, {}};
        });
        cdn_.respond_with([this](const test::mock_platform::request& r, std::size_t)
                              -> std::optional<test::mock_platform::answer> {
            if (forgotten_ || r.path != "/mms/ME-signed") return std::nullopt;
            return test::mock_platform::answer{200, photo_, {}, {}};
        });
    }

    /// The citizen of `type` files a road concern of Bát Xát with a photo, sent as `photo`
    /// makes it from a text message's body; its reference.
    std::string file_with(const std::string& type, const std::function<std::string(std::string)>& photo) {
        const auto& p = platforms_.at(type);
        int n = 0;
        auto post = [&](std::string body, const std::string& content_type) {
            test::sync_client c(gw_->port());
            bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/webhooks/" + p.id, 11};
            req.set(bhttp::field::host, "127.0.0.1");
            req.set(bhttp::field::content_type, content_type);
            for (const auto& [k, v] : p.sign(body)) req.set(k, v);
            req.body() = std::move(body);
            req.prepare_payload();
            EXPECT_EQ(c.send(req).result_int(), 200u) << p.id << " message " << n;
        };
        for (const auto* line : {"xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo"}) {
            auto [body, content_type] = p.make(++n, line);
            post(body, content_type);
        }
        auto with_photo = p.make(++n, "");
        post(photo(with_photo.first), with_photo.second);
        auto last = p.make(++n, "gui an danh");
        post(last.first, last.second);
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            for (const auto& c : db_->list_concerns("", 100))
                if (c.channel == p.id) return c.ref;
            std::this_thread::sleep_for(20ms);
        }
        ADD_FAILURE() << "no concern filed on " << p.id;
        return "";
    }

    /// The concern `ref` was filed with `media` as its photo's id, and the photo was kept.
    void expect_kept(const std::string& ref, const std::string& media) {
        ASSERT_FALSE(ref.empty());
        EXPECT_EQ(db_->find_concern(ref)->media, json::array({media}));
        auto copy = settled_copy(ref);
        EXPECT_EQ(copy.status, store::media_copy_status::kept) << copy.reason;
    }

    /// The requests `mock` got whose path contains `part`.
    static std::vector<test::mock_platform::request> requests_to(const test::mock_platform& mock,
                                                                 const std::string& part) {
        std::vector<test::mock_platform::request> out;
        for (const auto& r : mock.requests())
            if (r.path.find(part) != std::string::npos) out.push_back(r);
        return out;
    }

    const std::string wa_media_id = "1479537139650973";
    const std::string photo_ = std::string("\xFF\xD8\xFF\xE0") + std::string(7000, 'w');
    std::atomic<bool> forgotten_{false};  // the platform no longer has the photo
    std::map<std::string, test::platform> platforms_;
    test::mock_platform graph_{200, test::whatsapp().send_body};
    test::mock_platform lookaside_{404, R"({"error":"not found"})"};
    test::mock_platform twilio_{201, test::twilio().send_body};
    test::mock_platform cdn_{403, "<Error>AccessDenied</Error>"};
};

TEST_F(PlatformPhotoCopyTest, AWhatsAppPhotoIsCopiedWithTheAccessTokenAndOpensAfterMetaForgotIt) {
    using bhttp::verb;
    const auto ref = file_with("whatsapp", [this](std::string body) {
        json b = json::parse(body);
        auto& m = b["entry"][0]["changes"][0]["value"]["messages"][0];
        m["type"] = "image";
        m.erase("text");
        m["image"] = {{"mime_type", "image/jpeg"}, {"sha256", "29ed50"}, {"id", wa_media_id}};
        return b.dump();
    });
    ASSERT_FALSE(ref.empty());
    expect_kept(ref, wa_media_id);

    // The lookup on the Graph API, then the URL it gave, both with the channel's token.
    auto lookups = requests_to(graph_, "/v21.0/" + wa_media_id);
    ASSERT_EQ(lookups.size(), 1u);
    EXPECT_EQ(lookups[0].method, "GET");
    EXPECT_EQ(lookups[0].headers["authorization"], "Bearer WA-TOKEN");
    ASSERT_EQ(lookaside_.count(), 1u);
    auto download = lookaside_.requests()[0];
    EXPECT_EQ(download.method, "GET");
    EXPECT_EQ(download.query, "mid=" + wa_media_id + "&ext=1790000000&hash=ATsig");
    EXPECT_EQ(download.headers["authorization"], "Bearer WA-TOKEN");

    // Meta keeps media for a while only: the kept bytes still open.
    forgotten_ = true;
    const auto official = token_for("lan", "official", {bat_xat});
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), photo_) << "the same bytes, whole";
    EXPECT_EQ(photo[bhttp::field::content_type], "image/jpeg");
    EXPECT_EQ(photo[bhttp::field::cache_control], "private, no-store");
    EXPECT_EQ(lookaside_.count(), 1u) << "served from the store, not the platform";
    EXPECT_EQ(gw_->metrics().value("dgw_media_copies_total",
                                   {{"channel", "whatsapp"}, {"result", "kept"}}),
              1.0);
}

TEST_F(PlatformPhotoCopyTest, AnMmsPhotoIsCopiedWithBasicAuthAndItsCdnNeverSeesTheCredentials) {
    using bhttp::verb;
    const std::string media_url = twilio_.base() +
                                  "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/"
                                  "MM0a1b2c3d4e5f60718293a4b5c6d7e8f9/Media/ME0a1b2c3d4e5f60718293a4b5c6d7e8f9";
    const auto ref = file_with("twilio", [&](std::string body) {
        const auto at = body.find("NumMedia=0");
        EXPECT_NE(at, std::string::npos) << body;
        if (at == std::string::npos) return body;
        body.replace(at, 10, "NumMedia=1&MediaContentType0=image%2Fjpeg&MediaUrl0=" +
                                 test::form_encode(media_url));
        return body;
    });
    ASSERT_FALSE(ref.empty());
    expect_kept(ref, media_url);

    auto fetches = requests_to(twilio_, "/Media/");
    ASSERT_EQ(fetches.size(), 1u);
    EXPECT_EQ(fetches[0].method, "GET");
    // "AC…:twilioAuthToken" in base64, as curl -u sends it.
    EXPECT_EQ(fetches[0].headers["authorization"],
              "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0d2lsaW9BdXRoVG9rZW4=");
    ASSERT_EQ(cdn_.count(), 1u);
    EXPECT_EQ(cdn_.requests()[0].path, "/mms/ME-signed");
    EXPECT_EQ(cdn_.requests()[0].headers.count("authorization"), 0u)
        << "the redirect's host gets no credentials";

    forgotten_ = true;
    const auto official = token_for("lan", "official", {bat_xat});
    auto photo = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(photo.result_int(), 200u) << photo.body();
    EXPECT_EQ(photo.body(), photo_);
    EXPECT_EQ(cdn_.count(), 1u) << "served from the store, not the platform";
    EXPECT_EQ(gw_->metrics().value("dgw_media_copies_total",
                                   {{"channel", "sms"}, {"result", "kept"}}),
              1.0);
}

TEST_F(ApiTest, AdminsListValidateAndSimulateFlows) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    auto flows = body_of(as(admin, verb::get, "/api/v1/flows"));
    std::map<std::string, json> by_id;
    for (const auto& f : flows["items"]) by_id[f["id"]] = f;
    ASSERT_TRUE(by_id.contains("raise_concern")) << flows.dump();
    EXPECT_TRUE(by_id.contains("menu"));
    EXPECT_EQ(by_id["raise_concern"]["languages"][0], "vi");

    std::ifstream in(DGW_SOURCE_DIR "/flows/raise_concern.json");
    auto doc = json::parse(in);
    auto valid = body_of(as(admin, verb::post, "/api/v1/flows/validate", doc));
    EXPECT_EQ(valid["valid"], true);
    EXPECT_EQ(valid["problems"], json::array());
    auto broken = doc;
    broken["start"] = "no_such_node";
    auto invalid = body_of(as(admin, verb::post, "/api/v1/flows/validate", broken));
    EXPECT_EQ(invalid["valid"], false);
    ASSERT_FALSE(invalid["problems"].empty());
    EXPECT_EQ(invalid["problems"][0]["path"], "/start");
    // In the language of the page that asked, with a code and values for a program.
    EXPECT_EQ(invalid["problems"][0]["code"], "node_unknown");
    EXPECT_EQ(invalid["problems"][0]["params"]["node"], "no_such_node");
    EXPECT_EQ(invalid["problems"][0]["message"], "không có bước \"no_such_node\"");
    auto english = body_of(as(admin, verb::post, "/api/v1/flows/validate?lang=en", broken));
    EXPECT_EQ(english["problems"][0]["message"], "unknown node \"no_such_node\"");

    // The same conversation `chat --json` runs in gateway_process_test, here over HTTP.
    json run = {{"flow_id", "menu"},
                {"messages",
                 {"duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc",
                  "gui an danh"}}};
    auto sim = as(admin, verb::post, "/api/v1/flows/simulate", run);
    ASSERT_EQ(sim.result_int(), 200u) << sim.body();
    auto steps = body_of(sim)["steps"];
    ASSERT_EQ(steps.size(), 3u) << "one step at the start and one per message";
    EXPECT_TRUE(steps[0]["expect"].is_null()) << "the citizen writes first";
    // The first message is read as the gateway reads it, and shown with the session it goes to.
    EXPECT_EQ(steps[1]["inferred"][0]["topics"][0]["id"], "roads");
    EXPECT_EQ(steps[1]["expect"]["answer"], "review");
    EXPECT_NE(steps[1]["messages"].back()["text"].get<std::string>().find("Hội trường UBND Xã Bát Xát"),
              std::string::npos);
    EXPECT_EQ(steps.back()["done"], true);
    EXPECT_EQ(steps.back()["effects"][0]["answers"]["locality"]["code"], bat_xat);
    EXPECT_EQ(db_->list_concerns("", 10).size(), 0u) << "a simulation files nothing";

    // A draft document runs too; an invalid one is refused with its problems.
    json draft = {{"flow", doc}, {"messages", {"xin chao"}}};
    EXPECT_EQ(as(admin, verb::post, "/api/v1/flows/simulate", draft).result_int(), 200u);
    auto refused = as(admin, verb::post, "/api/v1/flows/simulate", {{"flow", broken}});
    EXPECT_EQ(refused.result_int(), 400u);
    EXPECT_EQ(code_of(refused), "invalid_flow");
    EXPECT_FALSE(body_of(refused)["problems"].empty());
    EXPECT_EQ(as(admin, verb::post, "/api/v1/flows/simulate", {{"flow_id", "nope"}}).result_int(),
              404u);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/flows/simulate",
                 {{"flow_id", "menu"}, {"messages", "not a list"}})
                  .result_int(),
              400u);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/flows/simulate", json::object()).result_int(), 400u);
}

// ----- creating sessions and managing users (admins) -------------------------------------------

class ApiAdminTest : public ApiTest {
protected:
    /// A browser session of a new user whose password is already changed: the cookie alone,
    /// and the cookie with the session's CSRF token.
    std::pair<headers, headers> browser_login(const std::string& name, const std::string& role) {
        auto r = api::add_user(*db_, name, role, {}, now_);
        EXPECT_TRUE(r.account) << r.error;
        db_->set_password(r.account->user.id, r.account->user.password_hash, false, now_);
        auto res = login(name, r.account->password);
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        std::string set_cookie(res[bhttp::field::set_cookie]);
        const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
        const std::string csrf = body_of(res)["csrf_token"];
        return {{{"Cookie", cookie}}, {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}};
    }

    response login(const std::string& name, const std::string& password) {
        return call(bhttp::verb::post, "/api/v1/auth/login",
                    {{"username", name}, {"password", password}});
    }

    /// The local date `days` from now, as the API reads dates.
    std::string local_day(int days) const {
        auto today = dialogue::local_date(now_, dialogue_.utc_offset);
        return dialogue::to_string(
            std::chrono::year_month_day{std::chrono::sys_days{today} + std::chrono::days{days}});
    }

    json extra_meeting(const std::string& date) const {
        return {{"level", "commune"},
                {"locality", bat_xat},
                {"date", date},
                {"venue", "Nhà văn hóa thôn 5"},
                {"title_vi", "Đối thoại bổ sung với Nhân dân Xã Bát Xát"},
                {"title_en", "Extra dialogue in Bát Xát"}};
    }
};

TEST_F(ApiAdminTest, AdminsCreateSessionsThatAreListedAndEditedLikeTheOthers) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    const std::string date = local_day(20);
    auto res = as(admin, verb::post, "/api/v1/sessions", extra_meeting(date));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    auto created = body_of(res);
    const std::string id = "commune-" + std::string(bat_xat) + "-" + date;
    EXPECT_EQ(created["id"], id);
    EXPECT_EQ(created["origin"], "added");
    EXPECT_EQ(created["status"], "fixed");
    EXPECT_EQ(created["date"], date);
    EXPECT_EQ(created["locality_name"], "Xã Bát Xát");
    EXPECT_FALSE(created["topics"].empty()) << "every topic the commune level hears";

    // The same unit on the same day again: a duplicate.
    auto again = as(admin, verb::post, "/api/v1/sessions", extra_meeting(date));
    EXPECT_EQ(again.result_int(), 409u);
    EXPECT_EQ(code_of(again), "session_exists");

    // Listed beside the rules' sessions, which are still there.
    auto listed = body_of(as(admin, verb::get, "/api/v1/sessions?level=commune"));
    std::map<std::string, std::string> origins;
    for (const auto& s : listed["items"]) origins[s["id"]] = s["origin"];
    EXPECT_EQ(origins[id], "added");
    EXPECT_EQ(origins[session_], "rule");

    // Edited, postponed and cancelled as any other session.
    auto moved = as(admin, verb::patch, "/api/v1/sessions/" + id,
                    {{"venue", "Hội trường UBND xã"}, {"date", local_day(21)}});
    ASSERT_EQ(moved.result_int(), 200u) << moved.body();
    EXPECT_EQ(body_of(moved)["venue"], "Hội trường UBND xã");
    EXPECT_EQ(body_of(moved)["date"], local_day(21));
    auto cancelled = as(admin, verb::patch, "/api/v1/sessions/" + id, {{"status", "cancelled"}});
    ASSERT_EQ(cancelled.result_int(), 200u) << cancelled.body();
    EXPECT_EQ(body_of(cancelled)["open"], false);
    auto agenda = body_of(as(admin, verb::get, "/api/v1/sessions/" + id + "/agenda"));
    EXPECT_EQ(agenda["session_info"]["status"], "cancelled");

    // The province level defaults to the province; an agency's conference names its staff.
    auto province = as(admin, verb::post, "/api/v1/sessions",
                       {{"level", "province"}, {"date", local_day(30)}, {"venue", "Hội trường"},
                        {"title_vi", "Đối thoại chuyên đề"}});
    ASSERT_EQ(province.result_int(), 201u) << province.body();
    EXPECT_EQ(body_of(province)["locality"], dialogue_.province.code);
    EXPECT_EQ(body_of(province)["title_en"], "Đối thoại chuyên đề") << "defaults to title_vi";
    auto agency = as(admin, verb::post, "/api/v1/sessions",
                     {{"level", "agency"}, {"locality", "apatit"}, {"date", local_day(40)},
                      {"venue", "Hội trường Công ty"}, {"title_vi", "Hội nghị người lao động"},
                      {"audience", "apatit_workers"}, {"topics", {"jobs", "health"}}});
    ASSERT_EQ(agency.result_int(), 201u) << agency.body();
    EXPECT_EQ(body_of(agency)["topics"], json({"jobs", "health"}));

    auto history = db_->list_audit("session:" + id, 10);
    ASSERT_EQ(history.size(), 3u);
    EXPECT_EQ(history[0].action, "session.create");
    EXPECT_EQ(history[0].actor, "boss");
    EXPECT_NE(history[0].after.find("Nhà văn hóa thôn 5"), std::string::npos);
    EXPECT_EQ(history[1].action, "session.update");
}

TEST_F(ApiAdminTest, ACreatedSessionIsValidatedAndNothingIsStoredOnAnError) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    auto refused = [&](json body, const std::string& code, const std::string& says,
                       const std::string& in_english) {
        auto res = as(admin, verb::post, "/api/v1/sessions", body);
        EXPECT_EQ(res.result_int(), 400u) << body.dump();
        EXPECT_EQ(code_of(res), code) << res.body();
        EXPECT_NE(body_of(res)["error"]["message"].get<std::string>().find(says),
                  std::string::npos)
            << res.body();
        // The same refusal in English, when asked.
        auto english = as(admin, verb::post, "/api/v1/sessions?lang=en", body);
        EXPECT_EQ(code_of(english), code);
        EXPECT_NE(body_of(english)["error"]["message"].get<std::string>().find(in_english),
                  std::string::npos)
            << english.body();
    };
    auto good = extra_meeting(local_day(20));
    auto with = [&](const char* key, json value) {
        auto b = good;
        b[key] = std::move(value);
        return b;
    };
    refused(with("locality", "99999"), "locality_unknown", "99999", "99999");
    refused(with("locality", dialogue_.province.code), "locality_unknown",
            dialogue_.province.code, dialogue_.province.code);
    refused(with("date", local_day(-1)), "date_past", "đã qua", "in the past");
    refused(with("date", "2026-02-30"), "date_invalid", "YYYY-MM-DD", "YYYY-MM-DD");
    refused(with("date", local_day(10 * 366)), "date_beyond_horizon", "trong vòng", "within");
    refused(with("level", "district"), "level_unknown", "district", "level");
    refused(with("venue", ""), "session_text_required", "venue", "venue");
    refused(with("title_vi", 7), "not_a_string", "title_vi", "must be a string");
    refused(with("audience", "pilots"), "audience_unknown", "pilots", "pilots");
    refused(with("topics", {"roads", "weather"}), "topic_unknown", "weather", "weather");
    refused(with("when", "soon"), "field_unknown", "when", "Unknown field when");
    refused({{"level", "agency"}, {"locality", "apatit"}, {"date", local_day(20)},
             {"venue", "x"}, {"title_vi", "x"}},
            "audience_required", "audience", "audience");
    refused({{"level", "agency"}, {"locality", "nowhere"}, {"date", local_day(20)},
             {"venue", "x"}, {"title_vi", "x"}, {"audience", "apatit_workers"}},
            "organisation_unknown", "nowhere", "nowhere");
    EXPECT_EQ(as(admin, verb::post, "/api/v1/sessions", "not an object").result_int(), 400u);
    EXPECT_TRUE(db_->list_added_sessions().empty());

    // Officials and viewers may not create sessions; a browser needs the CSRF token.
    for (const auto& [name, role] : {std::pair{"lan", "official"}, std::pair{"press", "viewer"}}) {
        auto token = token_for(name, role, role == std::string("official")
                                               ? std::vector<std::string>{bat_xat}
                                               : std::vector<std::string>{});
        auto res = as(token, verb::post, "/api/v1/sessions", good);
        EXPECT_EQ(res.result_int(), 403u) << role;
        EXPECT_EQ(code_of(res), "forbidden") << role;
    }
    auto [cookie, with_csrf] = browser_login("chief", "admin");
    auto no_csrf = call(verb::post, "/api/v1/sessions", good, cookie);
    EXPECT_EQ(no_csrf.result_int(), 403u);
    EXPECT_EQ(code_of(no_csrf), "csrf_required");
    EXPECT_TRUE(db_->list_added_sessions().empty());
    EXPECT_EQ(call(verb::post, "/api/v1/sessions", good, with_csrf).result_int(), 201u);
    EXPECT_EQ(db_->list_added_sessions().size(), 1u);
}

TEST_F(ApiAdminTest, EveryoneReadsTheLocalitiesSessionsAreHeldFor) {
    const auto viewer = token_for("press", "viewer");
    auto res = as(viewer, bhttp::verb::get, "/api/v1/localities");
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto j = body_of(res);
    EXPECT_EQ(j["province"]["code"], dialogue_.province.code);
    EXPECT_EQ(j["units"].size(), dialogue_.units.size());
    std::map<std::string, std::string> names;
    for (const auto& u : j["units"]) names[u["code"]] = u["name"];
    EXPECT_EQ(names[bat_xat], "Xã Bát Xát");
    std::set<std::string> levels;
    for (const auto& l : j["levels"]) levels.insert(l["id"].get<std::string>());
    EXPECT_EQ(levels, (std::set<std::string>{"province", "commune", "agency"}));
    EXPECT_EQ(j["organisations"][0]["id"], "apatit");
    EXPECT_FALSE(j["topics"].empty());
    EXPECT_FALSE(j["audiences"].empty());
    // Each topic with the levels that hear it: the schedule's form offers a level's topics.
    for (const auto& t : j["topics"]) {
        const auto* topic = dialogue_.find_topic(t["id"].get<std::string>());
        ASSERT_TRUE(topic) << t.dump();
        EXPECT_EQ(t["levels"], json(topic->levels)) << t.dump();
    }
    const auto& roads = *dialogue_.find_topic("roads");
    EXPECT_NE(std::find(roads.levels.begin(), roads.levels.end(), "commune"), roads.levels.end());
}

// Officials find a commune by what they type: no diacritics, a former commune's name, a code.
TEST_F(ApiAdminTest, CommunesAreFoundByNameAsTyped) {
    const auto viewer = token_for("press", "viewer");
    auto find = [&](const std::string& q) {
        auto res = as(viewer, bhttp::verb::get, "/api/v1/localities/search?q=" + q);
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        return body_of(res);
    };
    auto j = find("bat%20xat");
    ASSERT_FALSE(j["candidates"].empty()) << j.dump();
    EXPECT_EQ(j["candidates"][0]["code"], bat_xat);
    EXPECT_EQ(j["candidates"][0]["name"], "Xã Bát Xát");
    EXPECT_TRUE(j["unique"]);
    j = find("ban%20qua");  // merged into Bát Xát in 2025
    ASSERT_FALSE(j["candidates"].empty()) << j.dump();
    EXPECT_EQ(j["candidates"][0]["code"], bat_xat);
    EXPECT_EQ(j["candidates"][0]["former"], "Xã Bản Qua");
    j = find(bat_xat);
    ASSERT_EQ(j["candidates"].size(), 1u);
    EXPECT_EQ(j["candidates"][0]["name"], "Xã Bát Xát");
    EXPECT_TRUE(find("")["candidates"].empty());
    EXPECT_TRUE(find("zzzz%20qqqq")["candidates"].empty());
    EXPECT_EQ(as(viewer, bhttp::verb::get, "/api/v1/localities/search?q=" + std::string(300, 'a'))
                  .result_int(),
              400u);
}

TEST_F(ApiAdminTest, AConcernFiledOverTelegramGoesToTheCreatedSessionWhenItIsTheNextOne) {
    const auto admin = token_for("boss", "admin");
    // The earliest day a session still takes new concerns (the cut-off): earlier than any
    // later generated session of the commune.
    const std::string date = local_day(dialogue_.schedule.cutoff_days);
    auto next = dialogue::route(dialogue_, {bat_xat, "roads", "", now_});
    ASSERT_TRUE(next && next->session);
    if (dialogue::to_string(next->session->earliest_day()) == date) {
        // Today the generated session starts on the cut-off day itself: move it two weeks on,
        // so that the created session is the earlier one whatever the date.
        auto moved = as(admin, bhttp::verb::patch, "/api/v1/sessions/" + next->session->id,
                        {{"date", local_day(dialogue_.schedule.cutoff_days + 14)}});
        ASSERT_EQ(moved.result_int(), 200u) << moved.body();
    }
    auto res = as(admin, bhttp::verb::post, "/api/v1/sessions", extra_meeting(date));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string id = body_of(res)["id"];

    ASSERT_TRUE(raise_road_concern(707)) << "no receipt";
    auto list = body_of(as(admin, bhttp::verb::get, "/api/v1/concerns"));
    ASSERT_EQ(list["total"], 1);
    EXPECT_EQ(list["items"][0]["session"], id);
    // A concern of another commune does not go there.
    auto other = dialogue::route(dialogue_, {other_commune_, "roads", "", now_});
    ASSERT_TRUE(other && other->session);
    EXPECT_NE(other->session->id, id);
}

// Concerns already filed to a later session of the commune move to the session an admin adds
// before it, when routing would file them there (its topics): their citizens are told as
// after a postponement. Other communes' and other topics' concerns, and answered ones, stay.
TEST_F(ApiAdminTest, ConcernsMoveToAnEarlierSessionAddedForTheirCommune) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    // The commune's next session is put a month after the earliest day a session still takes
    // concerns, so that one added on that day is the earlier one whatever today is.
    auto later = as(admin, verb::patch, "/api/v1/sessions/" + session_,
                    {{"date", local_day(dialogue_.schedule.cutoff_days + 30)}});
    ASSERT_EQ(later.result_int(), 200u) << later.body();
    const auto road = add({});
    const auto answered = add({.status = "answered", .chat = "900002"});
    const auto health = add({.topic = "health", .chat = "900003"});
    auto elsewhere = dialogue::route(dialogue_, {other_commune_, "roads", "", now_});
    ASSERT_TRUE(elsewhere && elsewhere->session);
    const auto other = add({.commune = other_commune_, .session = elsewhere->session->id,
                            .chat = "900004"});

    auto meeting = extra_meeting(local_day(dialogue_.schedule.cutoff_days));
    meeting["topics"] = {"roads"};
    auto res = as(admin, verb::post, "/api/v1/sessions", meeting);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const auto j = body_of(res);
    const std::string id = j["id"];
    ASSERT_EQ(j["moved"].size(), 1u) << j.dump();
    EXPECT_EQ(j["moved"][0]["ref"], road);
    EXPECT_EQ(j["moved"][0]["from"], session_);
    EXPECT_EQ(j["concerns"], 1);
    EXPECT_EQ(j["notified"], 1);

    const auto moved = *db_->find_concern(road);
    EXPECT_EQ(moved.session_id, id);
    EXPECT_EQ(moved.status, core::concern_status::scheduled);
    auto history = db_->list_audit("concern:" + road, 10);
    ASSERT_EQ(history.size(), 1u);
    EXPECT_EQ(history[0].action, "concern.reroute");
    EXPECT_EQ(history[0].actor, "boss");
    EXPECT_TRUE(wait_for_text(
        "900001", "Phản ánh " + road + " của bạn được chuyển sang một buổi đối thoại sớm hơn"));
    EXPECT_TRUE(wait_for_text("900001", "Nhà văn hóa thôn 5")) << "the notice names the place";
    const auto told = body_of(as(admin, verb::get, "/api/v1/sessions/" + id + "/reach"));
    ASSERT_EQ(told["notices"].size(), 1u) << told.dump();
    EXPECT_EQ(told["notices"][0]["purpose"], "session_moved");

    EXPECT_EQ(db_->find_concern(answered)->session_id, session_) << "an answered concern stays";
    EXPECT_EQ(db_->find_concern(health)->session_id, session_) << "a topic it does not hear";
    EXPECT_EQ(db_->find_concern(other)->session_id, elsewhere->session->id) << "another commune";
    EXPECT_FALSE(wait_for_text("900003", "sớm hơn", 300ms));
    EXPECT_FALSE(wait_for_text("900004", "sớm hơn", 300ms));
    EXPECT_TRUE(db_->list_audit("concern:" + health, 10).empty());
}

// An added session can be deleted while nothing is filed to it; a session of the configured
// schedule, or one with a concern, cannot (409 with a code saying which); audited.
TEST_F(ApiAdminTest, AnAddedSessionIsDeletedOnlyWhileNothingIsFiledToIt) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    auto res = as(admin, verb::post, "/api/v1/sessions", extra_meeting(local_day(20)));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string id = body_of(res)["id"];
    res = as(admin, verb::post, "/api/v1/sessions", extra_meeting(local_day(22)));
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string held = body_of(res)["id"];
    add({.status = "withdrawn", .session = held});

    res = as(admin, verb::delete_, "/api/v1/sessions/commune-99999-2030-01");
    EXPECT_EQ(res.result_int(), 404u);
    EXPECT_EQ(code_of(res), "session_not_found");
    res = as(admin, verb::delete_, "/api/v1/sessions/" + session_);
    EXPECT_EQ(res.result_int(), 409u) << res.body();
    EXPECT_EQ(code_of(res), "session_not_added");
    res = as(admin, verb::delete_, "/api/v1/sessions/" + held + "?lang=en");
    EXPECT_EQ(res.result_int(), 409u) << res.body();
    EXPECT_EQ(code_of(res), "session_has_concerns");
    EXPECT_NE(body_of(res)["error"]["message"].get<std::string>().find("1 concern"),
              std::string::npos)
        << res.body();
    const auto official = token_for("lan", "official", {bat_xat});
    EXPECT_EQ(as(official, verb::delete_, "/api/v1/sessions/" + id).result_int(), 403u);
    EXPECT_EQ(db_->list_added_sessions().size(), 2u) << "nothing deleted yet";

    res = as(admin, verb::delete_, "/api/v1/sessions/" + id);
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["deleted"], true);
    const auto left = db_->list_added_sessions();
    ASSERT_EQ(left.size(), 1u);
    EXPECT_EQ(left[0].id, held);
    std::set<std::string> listed;
    const auto schedule = body_of(as(admin, verb::get, "/api/v1/sessions"));
    for (const auto& s : schedule["items"]) listed.insert(s["id"].get<std::string>());
    EXPECT_FALSE(listed.contains(id));
    EXPECT_TRUE(listed.contains(held));
    auto history = db_->list_audit("session:" + id, 10);
    ASSERT_EQ(history.size(), 2u);
    EXPECT_EQ(history[0].action, "session.create");
    EXPECT_EQ(history[1].action, "session.delete");
    EXPECT_EQ(history[1].actor, "boss");
    EXPECT_EQ(as(admin, verb::delete_, "/api/v1/sessions/" + id).result_int(), 404u)
        << "gone";
}

TEST_F(ApiAdminTest, AdminsAddAUserWhoLogsInWithTheOneTimePasswordAndMustChangeIt) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    auto res = as(admin, verb::post, "/api/v1/users",
                  {{"name", "minh"}, {"role", "official"}, {"scope", {bat_xat}}});
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    EXPECT_EQ(std::string(res[bhttp::field::cache_control]), "no-store");
    auto j = body_of(res);
    const std::string password = j["password"];
    EXPECT_EQ(j["user"]["role"], "official");
    EXPECT_EQ(j["user"]["scope"], json({bat_xat}));
    EXPECT_EQ(j["user"]["must_change_password"], true);
    EXPECT_EQ(res.body().find("scrypt"), std::string::npos);

    auto in = login("minh", password);
    ASSERT_EQ(in.result_int(), 200u) << in.body();
    EXPECT_EQ(body_of(in)["user"]["must_change_password"], true);
    std::string cookie(in[bhttp::field::set_cookie]);
    cookie = cookie.substr(0, cookie.find(';'));
    auto gated = call(verb::get, "/api/v1/concerns", nullptr, {{"Cookie", cookie}});
    EXPECT_EQ(code_of(gated), "password_change_required");

    auto refused = [&](const json& body, unsigned status, const std::string& says) {
        auto r = as(admin, verb::post, "/api/v1/users", body);
        EXPECT_EQ(r.result_int(), status) << body.dump();
        EXPECT_NE(r.body().find(says), std::string::npos) << r.body();
    };
    refused({{"name", "minh"}, {"role", "viewer"}}, 409u, "\"code\":\"user_exists\"");
    refused({{"name", "Minh!"}, {"role", "viewer"}}, 400u, "\"code\":\"user_name_invalid\"");
    refused({{"name", "hoa"}, {"role", "root"}}, 400u, "\"code\":\"role_unknown\"");
    refused({{"name", "hoa"}, {"role", "official"}}, 400u, "\"code\":\"scope_required\"");
    refused({{"name", "hoa"}, {"role", "official"}, {"scope", {"99999"}}}, 400u, "99999");
    refused({{"name", "hoa"}, {"role", "official"}, {"scope", {"99999"}}}, 400u, "scope_unknown");
    refused({{"name", "hoa"}, {"role", "viewer"}, {"scope", {bat_xat}}}, 400u, "scope_not_official");
    refused({{"name", "hoa"}, {"role", "viewer"}, {"phone", "x"}}, 400u, "\"code\":\"field_unknown\"");
    // An admin may type the first password (see AdminsSetPasswordsThePolicyAllows), not a weak one.
    refused({{"name", "hoa"}, {"role", "viewer"}, {"password", "x"}}, 400u, "password_too_short");
    EXPECT_FALSE(db_->find_user_by_name("hoa"));
    auto audit = db_->list_audit("user:minh", 10);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit[0].action, "user.add");
    EXPECT_EQ(audit[0].actor, "boss");
    EXPECT_EQ(audit[0].after.find(password), std::string::npos);
}

TEST_F(ApiAdminTest, AdminsChangeRolesDisableResetPasswordsAndIssueTokens) {
    const auto admin = token_for("boss", "admin");
    token_for("lan", "official", {bat_xat});
    using bhttp::verb;
    // A role change: a viewer has no scope.
    auto changed = as(admin, verb::patch, "/api/v1/users/lan", {{"role", "viewer"}});
    ASSERT_EQ(changed.result_int(), 200u) << changed.body();
    EXPECT_EQ(body_of(changed)["user"]["role"], "viewer");
    EXPECT_EQ(body_of(changed)["user"]["scope"], json::array());
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/lan", {{"scope", {bat_xat}}}).result_int(),
              400u);
    auto back = as(admin, verb::patch, "/api/v1/users/lan",
                   {{"role", "official"}, {"scope", {bat_xat, "province"}}});
    ASSERT_EQ(back.result_int(), 200u) << back.body();
    EXPECT_EQ(db_->find_user_by_name("lan")->scope,
              (std::vector<std::string>{bat_xat, "province"}));
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/lan", {{"disabled", "yes"}}).result_int(),
              400u);
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/lan", json::object()).result_int(), 400u);
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/ghost", {{"role", "viewer"}}).result_int(),
              404u);

    // A reset: a new one-time password, and whoever was logged in as hoa is logged out.
    auto old = api::add_user(*db_, "hoa", "viewer", {}, now_);
    ASSERT_TRUE(old.account);
    auto in = login("hoa", old.account->password);
    std::string cookie(in[bhttp::field::set_cookie]);
    cookie = cookie.substr(0, cookie.find(';'));
    ASSERT_EQ(call(verb::get, "/api/v1/auth/me", nullptr, {{"Cookie", cookie}}).result_int(), 200u);
    auto reset = as(admin, verb::post, "/api/v1/users/hoa/password");
    ASSERT_EQ(reset.result_int(), 200u) << reset.body();
    EXPECT_EQ(std::string(reset[bhttp::field::cache_control]), "no-store");
    const std::string fresh = body_of(reset)["password"];
    EXPECT_NE(fresh, old.account->password);
    EXPECT_EQ(call(verb::get, "/api/v1/auth/me", nullptr, {{"Cookie", cookie}}).result_int(), 401u);
    EXPECT_EQ(login("hoa", old.account->password).result_int(), 401u);
    auto again = login("hoa", fresh);
    ASSERT_EQ(again.result_int(), 200u);
    EXPECT_EQ(body_of(again)["user"]["must_change_password"], true);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/users/ghost/password").result_int(), 404u);

    // A token, shown once, that works at once.
    auto issued = as(admin, verb::post, "/api/v1/users/lan/tokens");
    ASSERT_EQ(issued.result_int(), 201u) << issued.body();
    const std::string token = body_of(issued)["token"];
    EXPECT_EQ(body_of(as(token, verb::get, "/api/v1/auth/me"))["user"]["name"], "lan");

    // Disabled: the token is refused at once, and a disabled user gets no new token.
    auto off = as(admin, verb::patch, "/api/v1/users/lan", {{"disabled", true}});
    ASSERT_EQ(off.result_int(), 200u) << off.body();
    EXPECT_EQ(as(token, verb::get, "/api/v1/auth/me").result_int(), 401u);
    EXPECT_EQ(as(admin, verb::post, "/api/v1/users/lan/tokens").result_int(), 404u);
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/lan", {{"disabled", false}}).result_int(),
              200u);
    EXPECT_EQ(as(token, verb::get, "/api/v1/auth/me").result_int(), 200u);

    std::vector<std::string> actions;
    for (const auto& a : db_->list_audit("user:lan", 20))
        if (a.actor == "boss") actions.push_back(a.action);
    EXPECT_EQ(actions, (std::vector<std::string>{"user.update", "user.update", "token.issue",
                                                 "user.update", "user.update"}));
    auto users = as(admin, verb::get, "/api/v1/users");
    EXPECT_EQ(users.body().find("scrypt"), std::string::npos);
}

TEST_F(ApiAdminTest, AdminsSetPasswordsThePolicyAllows) {
    const auto admin = token_for("boss", "admin");
    token_for("hoa", "viewer");
    using bhttp::verb;
    // Too short, on the list (in any case), a run, the user name dressed up: each its own code,
    // with words in the asker's language.
    auto set = [&](const std::string& password, const headers& extra = {}) {
        headers h = {{"Authorization", "Bearer " + admin}};
        h.insert(h.end(), extra.begin(), extra.end());
        return call(verb::post, "/api/v1/users/hoa/password", {{"password", password}}, h);
    };
    auto common = set("1234567890");
    EXPECT_EQ(common.result_int(), 400u);
    EXPECT_EQ(code_of(common), "password_common");
    EXPECT_NE(body_of(common)["error"]["message"].get<std::string>().find("Mật khẩu này"),
              std::string::npos)
        << common.body();
    auto in_english = set("1234567890", {{"Accept-Language", "en-GB,en;q=0.9"}});
    EXPECT_NE(body_of(in_english)["error"]["message"].get<std::string>().find("too common"),
              std::string::npos)
        << in_english.body();
    EXPECT_EQ(code_of(set("PassWord2024")), "password_common");
    EXPECT_EQ(code_of(set("abcdefghijklm")), "password_common");
    EXPECT_EQ(code_of(set("short")), "password_too_short");
    EXPECT_EQ(code_of(set("hoa.2024.hoa!")), "");  // not only the name and digits
    EXPECT_EQ(code_of(set("!!hoa2024!!")), "password_like_name");
    EXPECT_EQ(as(admin, verb::post, "/api/v1/users/hoa/password", {{"pw", "x"}}).result_int(),
              400u);
    EXPECT_EQ(
        as(admin, verb::post, "/api/v1/users/ghost/password", {{"password", "mây trắng bay qua núi"}})
            .result_int(),
        404u);

    // A password the admin typed: not echoed, to be changed at the next login.
    auto ok = set("mây trắng bay qua núi");
    ASSERT_EQ(ok.result_int(), 200u) << ok.body();
    EXPECT_FALSE(body_of(ok).contains("password"));
    auto in = login("hoa", "mây trắng bay qua núi");
    ASSERT_EQ(in.result_int(), 200u) << in.body();
    EXPECT_EQ(body_of(in)["user"]["must_change_password"], true);

    // And the user's own change follows the same policy.
    std::string cookie(in[bhttp::field::set_cookie]);
    headers h = {{"Cookie", cookie.substr(0, cookie.find(';'))},
                 {"X-CSRF-Token", body_of(in)["csrf_token"].get<std::string>()}};
    auto mine = call(verb::post, "/api/v1/auth/password",
                     {{"current_password", "mây trắng bay qua núi"}, {"new_password", "1234567890"}}, h);
    EXPECT_EQ(mine.result_int(), 400u);
    EXPECT_EQ(code_of(mine), "password_common");
    EXPECT_EQ(call(verb::post, "/api/v1/auth/password",
                   {{"current_password", "mây trắng bay qua núi"},
                    {"new_password", "hoa đi chợ sớm mai"}},
                   h)
                  .result_int(),
              200u);

    // Adding an account with a typed password: the same rules, and it is not echoed either.
    auto weak = as(admin, verb::post, "/api/v1/users",
                   {{"name", "tuan"}, {"role", "viewer"}, {"password", "matkhau123"}});
    EXPECT_EQ(code_of(weak), "password_common");
    EXPECT_FALSE(db_->find_user_by_name("tuan"));
    auto added = as(admin, verb::post, "/api/v1/users",
                    {{"name", "tuan"}, {"role", "viewer"}, {"password", "sông Hồng chảy qua Lào Cai"}});
    ASSERT_EQ(added.result_int(), 201u) << added.body();
    EXPECT_FALSE(body_of(added).contains("password"));
    EXPECT_EQ(login("tuan", "sông Hồng chảy qua Lào Cai").result_int(), 200u);
}

TEST_F(ApiAdminTest, TheLastActiveAdminCanBeNeitherDisabledNorDemoted) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    // Two admins (the first-start one and boss): one may go.
    auto first = as(admin, verb::patch, "/api/v1/users/admin", {{"disabled", true}});
    ASSERT_EQ(first.result_int(), 200u) << first.body();
    auto demote = as(admin, verb::patch, "/api/v1/users/boss", {{"role", "viewer"}});
    EXPECT_EQ(demote.result_int(), 409u);
    EXPECT_EQ(code_of(demote), "last_active_admin");
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/boss", {{"disabled", true}}).result_int(),
              409u);
    EXPECT_FALSE(api::set_user_disabled(*db_, "boss", true, now_)) << "nor on the command line";
    EXPECT_EQ(db_->find_user_by_name("boss")->role, "admin");
    // With another active admin again, boss may step down.
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/admin", {{"disabled", false}}).result_int(),
              200u);
    EXPECT_EQ(as(admin, verb::patch, "/api/v1/users/boss", {{"role", "viewer"}}).result_int(),
              200u);
}

TEST_F(ApiAdminTest, OnlyAdminsManageUsersAndBrowsersNeedTheCsrfToken) {
    auto official = token_for("lan", "official", {bat_xat});
    auto viewer = token_for("press", "viewer");
    using bhttp::verb;
    const std::vector<std::pair<verb, std::string>> routes = {
        {verb::post, "/api/v1/users"},
        {verb::patch, "/api/v1/users/lan"},
        {verb::post, "/api/v1/users/lan/password"},
        {verb::post, "/api/v1/users/lan/tokens"}};
    const json body = {{"name", "x1"}, {"role", "viewer"}, {"disabled", true}};
    for (const auto& token : {official, viewer}) {
        for (const auto& [v, path] : routes) {
            auto res = as(token, v, path, body);
            EXPECT_EQ(res.result_int(), 403u) << path;
            EXPECT_EQ(code_of(res), "forbidden") << path;
        }
    }
    auto [cookie, with_csrf] = browser_login("chief", "admin");
    for (const auto& [v, path] : routes) {
        auto res = call(v, path, body, cookie);
        EXPECT_EQ(res.result_int(), 403u) << path;
        EXPECT_EQ(code_of(res), "csrf_required") << path;
    }
    EXPECT_FALSE(db_->find_user_by_name("x1"));
    EXPECT_FALSE(db_->find_user_by_name("lan")->disabled);
    EXPECT_EQ(call(verb::post, "/api/v1/users", {{"name", "x1"}, {"role", "viewer"}}, with_csrf)
                  .result_int(),
              201u);
}

// ----- the flow editor (issue 7 §2 flows) ----------------------------------------------------------

class FlowEditorTest : public ApiTest {
protected:
    void SetUp() override {
        ApiTest::SetUp();
        admin_ = token_for("editor", "admin");
        std::ifstream in(DGW_SOURCE_DIR "/flows/raise_concern.json");
        shipped_ = json::parse(in);
        v0_ = shipped_["version"].get<int>();
    }

    /// "/versions/N" and the like, relative to the shipped version.
    std::string v(int offset) const { return std::to_string(v0_ + offset); }

    response flows(bhttp::verb v, const std::string& rest, const json& body = nullptr) {
        return as(admin_, v, "/api/v1/flows/raise_concern" + rest, body);
    }

    /// The version of the conversation a chat is in (or was last in).
    int version_of(const std::string& chat) {
        auto ct = db_->upsert_contact("telegram", chat, "", "", now_);
        auto conv = db_->active_conversation(ct.id);
        return conv ? conv->flow_version : 0;
    }

    std::string admin_;
    json shipped_;
    int v0_ = 0;  ///< the version of the shipped file
};

TEST_F(FlowEditorTest, OnlyAdminsReachTheEditorsEndpoints) {
    const auto official = token_for("can_bo", "official", {bat_xat});
    const auto viewer = token_for("xem", "viewer");
    using bhttp::verb;
    const std::vector<std::pair<verb, std::string>> routes = {
        {verb::get, ""},           {verb::get, "/versions/1"}, {verb::put, "/draft"},
        {verb::post, "/publish"},  {verb::post, "/rollback"},  {verb::get, "/diff?from=1&to=1"},
        {verb::get, "/counts"}};
    for (const auto& [v, rest] : routes) {
        const std::string path = "/api/v1/flows/raise_concern" + rest;
        EXPECT_EQ(call(v, path, json::object()).result_int(), 401u) << path;
        EXPECT_EQ(as(official, v, path, json::object()).result_int(), 403u) << path;
        EXPECT_EQ(as(viewer, v, path, json::object()).result_int(), 403u) << path;
    }
    EXPECT_FALSE(db_->find_flow_draft("raise_concern")) << "nothing was saved";
}

TEST_F(FlowEditorTest, AnInvalidDraftIsKeptButNotPublished) {
    using bhttp::verb;
    auto info = body_of(flows(verb::get, ""));
    EXPECT_EQ(info["live"], v0_);
    EXPECT_TRUE(info["draft"].is_null());
    ASSERT_EQ(info["versions"].size(), 1u);
    EXPECT_EQ(info["versions"][0]["source"], "file");
    EXPECT_EQ(body_of(flows(verb::get, "/versions/" + v(0)))["document"], shipped_);

    // Even text that is not JSON is saved: no work is lost.
    auto typed = flows(verb::put, "/draft", {{"text", "{\"id\": \"raise_concern\", "}});
    ASSERT_EQ(typed.result_int(), 200u) << typed.body();
    EXPECT_EQ(body_of(typed)["valid"], false);
    EXPECT_EQ(body_of(typed)["problems"][0]["path"], "");
    EXPECT_EQ(flows(verb::post, "/publish").result_int(), 422u);

    auto broken = shipped_;
    broken["nodes"][1]["next"] = "nowhere";
    broken["id"] = "menu";
    auto saved = body_of(flows(verb::put, "/draft", {{"document", broken}}));
    EXPECT_EQ(saved["valid"], false);
    std::set<std::string> paths;
    for (const auto& p : saved["problems"]) paths.insert(p["path"]);
    EXPECT_TRUE(paths.contains("/nodes/1/next")) << saved.dump();
    EXPECT_TRUE(paths.contains("/id")) << "a draft cannot rename its flow";

    auto refused = flows(verb::post, "/publish");
    EXPECT_EQ(refused.result_int(), 422u);
    EXPECT_EQ(code_of(refused), "invalid_flow");
    EXPECT_FALSE(body_of(refused)["problems"].empty());
    info = body_of(flows(verb::get, ""));
    EXPECT_EQ(info["live"], v0_);
    EXPECT_EQ(info["draft"]["author"], "editor");
    EXPECT_EQ(json::parse(info["draft"]["text"].get<std::string>()), broken);
    EXPECT_TRUE(db_->list_flow_versions("raise_concern").empty());

    EXPECT_EQ(flows(verb::get, "/versions/" + v(7)).result_int(), 404u);
    EXPECT_EQ(flows(verb::get, "/versions/x").result_int(), 400u);
    EXPECT_EQ(flows(verb::put, "/draft", {{"nothing", 1}}).result_int(), 400u);
    EXPECT_EQ(as(admin_, verb::get, "/api/v1/flows/Bad!Id").result_int(), 400u);
    EXPECT_EQ(as(admin_, verb::get, "/api/v1/flows/nope").result_int(), 404u);
    EXPECT_EQ(as(admin_, verb::post, "/api/v1/flows/nope/publish").result_int(), 404u);
}

// A draft with a number nlohmann cannot hold answered 500: it is kept, with the problem at its
// path, like any other invalid draft; and GET shows it again without failing.
TEST_F(FlowEditorTest, ADraftWithAnOutOfRangeNumberIsAProblemNotA500) {
    using bhttp::verb;
    auto text = shipped_.dump(2);
    text.insert(text.find("\"version\""), "\"x\": 1e999, ");
    auto saved = flows(verb::put, "/draft", {{"text", text}});
    ASSERT_EQ(saved.result_int(), 200u) << saved.body();
    EXPECT_EQ(body_of(saved)["valid"], false);
    EXPECT_EQ(body_of(saved)["problems"][0]["path"], "/x") << saved.body();
    auto info = flows(verb::get, "");
    ASSERT_EQ(info.result_int(), 200u) << info.body();
    EXPECT_EQ(body_of(info)["draft"]["problems"][0]["path"], "/x");
    EXPECT_EQ(flows(verb::post, "/publish").result_int(), 422u);
    EXPECT_EQ(as(admin_, verb::post, "/api/v1/flows/validate", nullptr).result_int(), 400u);
}

TEST_F(FlowEditorTest, ANewFlowIsListedFromItsFirstDraftAndItsFirstPublishIsVersionOne) {
    using bhttp::verb;
    auto listed = [&](const std::string& id) {
        const auto all = body_of(as(admin_, verb::get, "/api/v1/flows"));
        for (const auto& f : all["items"])
            if (f["id"] == id) return f;
        return json();
    };
    EXPECT_TRUE(listed("street_lights").is_null());
    EXPECT_EQ(as(admin_, verb::get, "/api/v1/flows/street_lights").result_int(), 404u);
    EXPECT_TRUE(listed("raise_concern")["draft"].is_null());

    // Started as a copy of a shipped flow, under its own id.
    auto copy = shipped_;
    copy["id"] = "street_lights";
    auto saved = as(admin_, verb::put, "/api/v1/flows/street_lights/draft", {{"document", copy}});
    ASSERT_EQ(saved.result_int(), 200u) << saved.body();
    EXPECT_EQ(body_of(saved)["valid"], true) << saved.body();
    auto draft_only = listed("street_lights");
    ASSERT_FALSE(draft_only.is_null()) << "a flow that is only a draft is listed";
    EXPECT_TRUE(draft_only["latest"].is_null());
    EXPECT_EQ(draft_only["versions"], json::array());
    EXPECT_EQ(draft_only["draft"]["author"], "editor");
    EXPECT_FALSE(draft_only["draft"]["updated_at"].get<std::string>().empty());
    auto info = body_of(as(admin_, verb::get, "/api/v1/flows/street_lights"));
    EXPECT_TRUE(info["live"].is_null());
    EXPECT_EQ(info["draft"]["valid"], true);

    auto published = as(admin_, verb::post, "/api/v1/flows/street_lights/publish");
    ASSERT_EQ(published.result_int(), 200u) << published.body();
    EXPECT_EQ(body_of(published)["version"], 1);
    EXPECT_EQ(body_of(published)["previous"], 0);
    auto live = listed("street_lights");
    EXPECT_EQ(live["latest"], 1);
    EXPECT_EQ(live["versions"], json::array({1}));
    EXPECT_TRUE(live["draft"].is_null()) << "the draft became version 1";
    EXPECT_EQ(live["languages"][0], "vi");
    EXPECT_TRUE(listed("raise_concern")["draft"].is_null()) << "the flow it was copied from is untouched";
}

TEST_F(FlowEditorTest, PublishStartsNewConversationsOnTheNewVersionAndRollbackRestoresTheOld) {
    using bhttp::verb;
    // Citizen A is mid-way through the shipped version when the admin publishes.
    say(900101, "xin chao");
    say(900101, "1");
    ASSERT_TRUE(wait_for_text("900101", "lĩnh vực nào"));

    auto changed = shipped_;
    changed["strings"]["vi"]["topic"] = "Phiên bản mới: lĩnh vực nào?";
    ASSERT_EQ(body_of(flows(verb::put, "/draft", {{"document", changed}}))["valid"], true);
    auto published = flows(verb::post, "/publish");
    ASSERT_EQ(published.result_int(), 200u) << published.body();
    EXPECT_EQ(body_of(published)["version"], v0_ + 1);
    EXPECT_EQ(body_of(published)["previous"], v0_);
    auto info = body_of(flows(verb::get, ""));
    EXPECT_EQ(info["live"], v0_ + 1);
    EXPECT_TRUE(info["draft"].is_null()) << "the draft became the next version";
    EXPECT_EQ(info["versions"][1]["source"], "editor");
    EXPECT_EQ(info["versions"][1]["author"], "editor");
    EXPECT_EQ(body_of(flows(verb::get, "/versions/" + v(1)))["document"]["version"], v0_ + 1);

    // Citizen B starts on the new version; A finishes on the shipped one.
    say(900102, "xin chao");
    say(900102, "1");
    ASSERT_TRUE(wait_for_text("900102", "Phiên bản mới"));
    for (const char* line :
         {"1", "bat xat", "duong vao thon bi sat lo, xe may khong di", "gui an danh"})
        say(900101, line);
    ASSERT_TRUE(wait_for_text("900101", "LC-"));
    EXPECT_EQ(version_of("900102"), v0_ + 1);
    auto filed = db_->list_concerns("", 10);
    ASSERT_EQ(filed.size(), 1u);
    EXPECT_EQ(db_->find_conversation(filed[0].conversation_key)->flow_version, v0_);
    for (const auto& c : tg_->calls())
        if (c.chat_id == "900101") {
            EXPECT_EQ(c.text.find("Phiên bản mới"), std::string::npos);
        }

    // The diff names the changed text and the node that shows it.
    auto diff = body_of(flows(verb::get, "/diff?from=" + v(0) + "&to=" + v(1)));
    std::map<std::string, json> groups;
    for (const auto& g : diff["groups"]) groups[g["kind"].get<std::string>() + ":" + g["id"].get<std::string>()] = g;
    ASSERT_TRUE(groups.contains("string:topic")) << diff.dump();
    EXPECT_EQ(groups["string:topic"]["nodes"], json::array({"topic"}));
    EXPECT_EQ(groups["string:topic"]["ops"][0]["value"], "Phiên bản mới: lĩnh vực nào?");
    EXPECT_EQ(groups["string:topic"]["ops"][0]["was"], shipped_["strings"]["vi"]["topic"]);
    EXPECT_TRUE(groups.contains("flow:version"));
    EXPECT_EQ(diff["patch"].size(), 2u) << "the version and the text";
    EXPECT_EQ(flows(verb::get, "/diff?from=" + v(0)).result_int(), 400u);
    EXPECT_EQ(flows(verb::get, "/diff?from=" + v(0) + "&to=" + v(9)).result_int(), 404u);

    // Rolling back publishes the shipped document again, as the version after.
    EXPECT_EQ(flows(verb::post, "/rollback", {{"to", v0_ + 9}}).result_int(), 404u);
    EXPECT_EQ(flows(verb::post, "/rollback", {{"to", v(0)}}).result_int(), 400u);
    auto back = flows(verb::post, "/rollback", {{"to", v0_}});
    ASSERT_EQ(back.result_int(), 200u) << back.body();
    EXPECT_EQ(body_of(back)["version"], v0_ + 2);
    auto rolled = body_of(flows(verb::get, "/versions/" + v(2)))["document"];
    EXPECT_EQ(rolled["strings"], shipped_["strings"]);
    EXPECT_EQ(rolled["version"], v0_ + 2);
    say(900103, "xin chao");
    say(900103, "1");
    ASSERT_TRUE(wait_for_text("900103", "Bạn muốn phản ánh về lĩnh vực nào"));
    EXPECT_EQ(version_of("900103"), v0_ + 2);
    EXPECT_EQ(version_of("900102"), v0_ + 1) << "B stays on the version it started on";

    std::vector<std::string> audit;
    for (const auto& a : db_->list_audit("flow:raise_concern", 10))
        audit.push_back(a.action + " " + a.before + " " + a.after);
    const std::string v0 = v(0), v1 = v(1), v2 = v(2);
    EXPECT_EQ(audit,
              (std::vector<std::string>{
                  "flow.draft {\"version\":" + v0 + "} {\"draft\":true,\"valid\":true,\"version\":" +
                      v0 + "}",
                  "flow.publish {\"version\":" + v0 + "} {\"version\":" + v1 + "}",
                  "flow.rollback {\"version\":" + v1 + "} {\"from\":" + v0 + ",\"version\":" + v2 +
                      "}"}));

    // Per-node counts of real conversations: A went through the shipped version to the end,
    // B and C wait at the topic question of theirs.
    auto counts_of = [&](int version) {
        std::map<std::string, std::pair<int, int>> out;
        auto r = body_of(flows(verb::get, "/counts?version=" + std::to_string(version)));
        for (const auto& n : r["nodes"]) out[n["id"]] = {n["reached"], n["left"]};
        return out;
    };
    auto shipped_counts = counts_of(v0_);
    EXPECT_EQ(shipped_counts["topic"], std::make_pair(1, 1));
    EXPECT_EQ(shipped_counts["locality"], std::make_pair(1, 1));
    EXPECT_EQ(shipped_counts["review"], std::make_pair(1, 1));
    EXPECT_EQ(shipped_counts["handoff"], std::make_pair(0, 0));
    auto next_counts = counts_of(v0_ + 1);
    EXPECT_EQ(next_counts["topic"], std::make_pair(1, 0));
    EXPECT_EQ(next_counts["locality"], std::make_pair(0, 0));
    EXPECT_EQ(body_of(flows(verb::get, "/counts"))["version"], v0_ + 2)
        << "the live version by default";
    EXPECT_EQ(flows(verb::get, "/counts?version=" + v(8)).result_int(), 404u);

    // A restarted gateway loads the published versions after the files: the rollback stays
    // live.
    db_.reset();
    gw_->shutdown();
    runner_.join();
    auto cfg = test::base_gateway_config(dir_);
    cfg.channels.push_back(test::telegram_channel(tg_->api_base(), bot_token, secret));
    gw_ = std::make_unique<app::gateway>(cfg, log_);
    gw_->start();
    runner_ = std::thread([this] { gw_->run(); });
    db_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    info = body_of(flows(verb::get, ""));
    EXPECT_EQ(info["live"], v0_ + 2);
    EXPECT_EQ(info["versions"].size(), 3u);
    auto expected = changed;
    expected["version"] = v0_ + 1;
    EXPECT_EQ(body_of(flows(verb::get, "/versions/" + v(1)))["document"], expected);
}

TEST_F(FlowEditorTest, AFileShippedWithAPublishedNumberStopsStartUpWithTheReason) {
    using bhttp::verb;
    ASSERT_EQ(flows(verb::put, "/draft", {{"document", shipped_}}).result_int(), 200u);
    ASSERT_EQ(flows(verb::post, "/publish").result_int(), 200u);  // the next version, in the store
    db_.reset();
    gw_->shutdown();
    runner_.join();
    gw_.reset();
    // A later release ships that same version number as a file.
    const auto shipped_dir = dir_ / "flows";
    std::filesystem::create_directories(shipped_dir);
    for (const auto& f : std::filesystem::directory_iterator(DGW_SOURCE_DIR "/flows"))
        if (f.path().extension() == ".json")
            std::filesystem::copy_file(f.path(), shipped_dir / f.path().filename());
    auto next = shipped_;
    next["version"] = v0_ + 1;
    std::ofstream(shipped_dir / "raise_concern_next.json") << next.dump(2);
    auto cfg = test::base_gateway_config(dir_);
    cfg.flows_dir = shipped_dir.string();
    app::gateway clash(cfg, log_);
    try {
        clash.start();
        FAIL() << "two versions " << v(1) << " of raise_concern";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("published flow raise_concern version " + v(1) +
                                             " is also a file"),
                  std::string::npos)
            << e.what();
    }
    // The fixture's TearDown needs a gateway to stop: the store's published versions alone.
    gw_ = std::make_unique<app::gateway>(test::base_gateway_config(dir_), log_);
    gw_->start();
    runner_ = std::thread([this] { gw_->run(); });
}

}  // namespace
}  // namespace dgw

namespace dgw {
namespace {

// LibreOffice, headless, turns `files` into `format` ("pdf", "txt:Text") in `dir`: whether
// it said so. Its own profile, so that parallel tests and a desktop session do not collide.
bool libreoffice_converts(const std::filesystem::path& dir, const std::string& format,
                          const std::vector<std::string>& files) {
    std::string cmd = "soffice -env:UserInstallation=file://" + (dir / "profile").string() +
                      " --headless --norestore --convert-to '" + format + "' --outdir '" +
                      dir.string() + "'";
    for (const auto& f : files) cmd += " '" + (dir / f).string() + "'";
    cmd += " > '" + (dir / "soffice.log").string() + "' 2>&1";
    return std::system(cmd.c_str()) == 0;
}

std::string file_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The meeting as a secretary runs it from the live view (issue 19 item 4): a group marked
// raised (and unmarked after a slip), its answer recorded with who gave it and what was
// assigned, a concern raised in the room added to this very session; then the minutes (item
// 7) as an A4 page, an .odt and an .xlsx, both of which LibreOffice opens and converts to PDF.
TEST_F(ApiTest, TheMeetingIsRecordedLiveAndItsMinutesOpenInLibreOffice) {
    const auto admin = token_for("boss", "admin");
    const auto official = token_for("lan", "official", {bat_xat});
    const auto outsider = token_for("khac", "official", {other_commune_});
    auto road1 = add({.text = "Đường vào thôn bị sạt lở, xe máy không đi được", .phone = "0912345678",
                      .consent = true, .chat = "951"});
    auto road2 = add({.text = "Sạt lở đường vào thôn, xe máy không qua được", .chat = "952"});
    auto light = add({.topic = "security", .text = "Đèn đường thôn Phìn Ngan hỏng cả tháng nay", .chat = "953"});
    using bhttp::verb;
    const std::string base = "/api/v1/sessions/" + session_;
    auto groups = [&] {
        std::map<std::string, json> by_ref;
        const auto agenda = body_of(as(official, verb::get, base + "/agenda"));
        for (const auto& g : agenda["groups"])
            for (const auto& r : g["concerns"]) by_ref[r] = g;
        return by_ref;
    };
    const std::string roads = groups()[road1]["key"];
    ASSERT_EQ(groups()[road2]["key"], roads) << "the two road concerns are one group";
    const std::string lights = groups()[light]["key"];
    EXPECT_EQ(groups()[road1]["raised"], false);

    // Raised with one tap, a slip undone, raised again; an outsider and a wrong group refused.
    const std::string raise = base + "/agenda/groups/" + roads + "/raised";
    EXPECT_EQ(as(outsider, verb::post, raise, {{"raised", true}}).result_int(), 403u);
    EXPECT_EQ(as(official, verb::post, base + "/agenda/groups/LC-NOPE/raised", {{"raised", true}}).result_int(), 404u);
    EXPECT_EQ(as(official, verb::post, raise, {{"raised", "yes"}}).result_int(), 400u);
    auto res = as(official, verb::post, raise, {{"raised", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(body_of(res)["changed"], 2);
    EXPECT_EQ(groups()[road1]["raised"], true);
    EXPECT_EQ(groups()[road1]["raised_by"], "lan");
    EXPECT_EQ(body_of(as(official, verb::post, raise, {{"raised", true}}))["changed"], 0) << "twice is once";
    ASSERT_EQ(as(official, verb::post, raise, {{"raised", false}}).result_int(), 200u);
    EXPECT_EQ(groups()[road1]["raised"], false);
    EXPECT_FALSE(db_->find_concern(road2)->raised_at.has_value());
    ASSERT_EQ(as(official, verb::post, raise, {{"raised", true}}).result_int(), 200u);
    EXPECT_EQ(db_->list_audit("session:" + session_, 10).back().action, "agenda.raised");

    // The answer in a few taps: who gave it (kept in the minutes, told to the citizen), assigned.
    const std::string answers = base + "/answers";
    const std::string deadline = dialogue::to_string(dialogue::local_date(now_ + std::chrono::days(30), dialogue_.utc_offset));
    const json speaker = {{"name", "Ông Lê Văn Bình"}, {"office", "Phòng Kinh tế xã"}};
    EXPECT_EQ(as(official, verb::post, answers, {{"group", roads}, {"text", "x"}, {"speaker", {{"office", "Phòng Kinh tế"}}}}).result_int(), 400u)
        << "an office without a name";
    auto long_name = as(official, verb::post, answers, {{"group", roads}, {"text", "x"}, {"speaker", {{"name", std::string(300, 'a')}}}});
    EXPECT_EQ(long_name.result_int(), 400u);
    EXPECT_EQ(body_of(long_name)["error"]["code"], "speaker_invalid");
    res = as(official, verb::post, answers,
             {{"group", roads}, {"text", "Xã sẽ kè lại đoạn đường sạt lở."}, {"speaker", speaker},
              {"assign", {{"office", "Ban quản lý dự án xã"}, {"deadline", deadline}, {"promise", "Kè xong đoạn sạt lở"}}}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    ASSERT_TRUE(wait_for_text("951", "Người trả lời: Ông Lê Văn Bình, Phòng Kinh tế xã"));
    auto g = groups()[road1];
    EXPECT_EQ(g["speaker"], "Ông Lê Văn Bình");
    EXPECT_EQ(g["speaker_office"], "Phòng Kinh tế xã");
    EXPECT_EQ(g["followup"], "assigned");
    EXPECT_EQ(g["assign"]["office"], "Ban quản lý dự án xã");
    // Answering with "raised" marks the group raised in the same step.
    res = as(official, verb::post, answers, {{"group", lights}, {"text", "Điện lực sẽ thay bóng trong tuần."}, {"raised", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_EQ(groups()[light]["raised"], true);
    EXPECT_EQ(groups()[light]["speaker"], "");

    // A concern raised aloud in the room: on this session (not the next), raised already.
    const json in_room = {{"source", "meeting"}, {"session", session_}, {"topic", "land"},
                          {"commune_code", bat_xat}, {"text", "Xin cấp giấy chứng nhận quyền sử dụng đất cho 12 hộ thôn Trung Chải"}};
    json as_letter = in_room;
    as_letter["source"] = "letter";
    res = as(official, verb::post, "/api/v1/concerns", as_letter);
    EXPECT_EQ(res.result_int(), 400u);
    EXPECT_EQ(body_of(res)["error"]["code"], "session_only_for_meeting");
    json nowhere = in_room;
    nowhere["session"] = "commune-02683-1999-01";
    EXPECT_EQ(as(official, verb::post, "/api/v1/concerns", nowhere).result_int(), 404u);
    res = as(official, verb::post, "/api/v1/concerns", in_room);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string raised_here = body_of(res)["ref"];
    EXPECT_EQ(body_of(res)["session"], session_);
    auto k = *db_->find_concern(raised_here);
    EXPECT_EQ(k.source, "meeting");
    EXPECT_EQ(k.session_id, session_);
    EXPECT_EQ(k.status, core::concern_status::scheduled);
    ASSERT_TRUE(k.raised_at.has_value());
    EXPECT_EQ(groups()[raised_here]["raised"], true);

    // Who chaired, set by an admin; shown on the agenda and in the minutes.
    ASSERT_EQ(as(admin, verb::patch, base, {{"chair", "Ông Nguyễn Văn An, Chủ tịch UBND xã"}}).result_int(), 200u);
    EXPECT_EQ(body_of(as(official, verb::get, base + "/agenda"))["session_info"]["chair"],
              "Ông Nguyễn Văn An, Chủ tịch UBND xã");

    // A group left unraised goes to part IV.
    auto unheard = add({.topic = "environment", .text = "Nước sinh hoạt thôn Cốc Mỳ bị đục sau mưa", .chat = "954"});

    auto page = as(official, verb::get, base + "/minutes.html");
    ASSERT_EQ(page.result_int(), 200u) << page.body();
    EXPECT_EQ(page[bhttp::field::content_type], "text/html; charset=utf-8");
    const auto& html = page.body();
    for (const std::string part :
         {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ỦY BAN NHÂN DÂN XÃ BÁT XÁT", "BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI",
          "Chủ trì: Ông Nguyễn Văn An, Chủ tịch UBND xã", "Xã sẽ kè lại đoạn đường sạt lở.",
          "— Ông Lê Văn Bình, Phòng Kinh tế xã", "Giao Ban quản lý dự án xã thực hiện, hạn ",
          "Điện lực sẽ thay bóng trong tuần.", "nêu tại hội nghị: 1", "THƯ KÝ", "CHỦ TRÌ",
          "Nước sinh hoạt thôn Cốc Mỳ"})
        EXPECT_NE(html.find(part), std::string::npos) << part;
    // The unheard group comes after part IV's heading; the raised ones before it.
    const auto part4 = html.find("IV. Ý KIẾN, KIẾN NGHỊ CHƯA ĐƯỢC ĐỐI THOẠI");
    ASSERT_NE(part4, std::string::npos);
    EXPECT_GT(html.find("Nước sinh hoạt thôn Cốc Mỳ"), part4);
    EXPECT_LT(html.find("Xã sẽ kè lại đoạn đường sạt lở."), part4);
    for (const std::string& personal : std::vector<std::string>{"0912345678", "Lò Văn A", road1, unheard, "951"})
        EXPECT_EQ(html.find(personal), std::string::npos) << personal;
    EXPECT_NE(as(official, verb::get, base + "/minutes.html?lang=en").body().find("MINUTES OF THE DIALOGUE MEETING"),
              std::string::npos);
    EXPECT_EQ(as(outsider, verb::get, base + "/minutes.html").result_int(), 403u);
    EXPECT_EQ(as(official, verb::get, "/api/v1/sessions/no-such-session/minutes.odt").result_int(), 404u);

    auto odt = as(official, verb::get, base + "/minutes.odt");
    ASSERT_EQ(odt.result_int(), 200u);
    EXPECT_EQ(odt[bhttp::field::content_type], "application/vnd.oasis.opendocument.text");
    // ODF: a zip whose first entry is "mimetype", stored, naming the type.
    ASSERT_GT(odt.body().size(), 80u);
    EXPECT_EQ(odt.body().substr(0, 2), "PK");
    EXPECT_EQ(odt.body().substr(30, 8), "mimetype");
    EXPECT_EQ(odt.body().substr(38, 39), "application/vnd.oasis.opendocument.text");
    auto xlsx = as(official, verb::get, base + "/minutes.xlsx");
    ASSERT_EQ(xlsx.result_int(), 200u);
    EXPECT_EQ(xlsx.body().substr(0, 2), "PK");

    // LibreOffice opens both and makes PDFs of them; the text it reads from the .odt is ours.
    const auto out = dir_ / "minutes";
    std::filesystem::create_directories(out);
    std::ofstream(out / "bien-ban.odt", std::ios::binary) << odt.body();
    std::ofstream(out / "bien-ban.xlsx", std::ios::binary) << xlsx.body();
    ASSERT_TRUE(libreoffice_converts(out, "pdf", {"bien-ban.odt", "bien-ban.xlsx"}))
        << "soffice failed (scripts/setup.sh installs it): " << file_text(out / "soffice.log");
    for (const char* pdf : {"bien-ban.pdf"}) {
        const auto bytes = file_text(out / pdf);
        EXPECT_EQ(bytes.substr(0, 5), "%PDF-") << pdf << ": " << file_text(out / "soffice.log");
        EXPECT_GT(bytes.size(), 2000u);
    }
    // Both made "bien-ban.pdf": the .xlsx's overwrote the .odt's; convert the .odt to text too.
    ASSERT_TRUE(libreoffice_converts(out, "txt:Text (encoded):UTF8", {"bien-ban.odt"}))
        << file_text(out / "soffice.log");
    const auto text = file_text(out / "bien-ban.txt");
    for (const std::string part : {"BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI", "Ông Nguyễn Văn An", "Xã sẽ kè lại đoạn đường sạt lở.",
                                   "Ông Lê Văn Bình, Phòng Kinh tế xã", "ỦY BAN NHÂN DÂN XÃ BÁT XÁT"})
        EXPECT_NE(text.find(part), std::string::npos) << part << "\n" << text;

    // A cancelled session takes no concern raised "in its room".
    ASSERT_EQ(as(admin, verb::patch, base, {{"status", "cancelled"}, {"note", "bão"}}).result_int(), 200u);
    res = as(official, verb::post, "/api/v1/concerns", in_room);
    EXPECT_EQ(res.result_int(), 409u) << res.body();
    EXPECT_EQ(body_of(res)["error"]["code"], "session_cancelled");
}

}  // namespace
}  // namespace dgw

namespace dgw {
namespace {

// Reads the QR code of an SVG from qr_svg (one path of "M x y h w v1 h-w z" runs) with zbarimg:
// the modules drawn into a PBM image, four pixels each. What it decoded, or "" (and why).
std::string decode_qr(const std::string& svg, const std::filesystem::path& dir) {
    const auto box = svg.find("viewBox=\"0 0 ");
    if (box == std::string::npos) return "no viewBox";
    const int size = std::stoi(svg.substr(box + 13));
    std::vector<std::vector<bool>> dark(static_cast<std::size_t>(size), std::vector<bool>(static_cast<std::size_t>(size)));
    const auto d = svg.find(" d=\"");
    std::istringstream path(svg.substr(d + 4, svg.find('"', d + 4) - d - 4));
    char m, h, v, h2, z;
    int x, y, w, one, back;
    while (path >> m >> x >> y >> h >> w >> v >> one >> h2 >> back >> z)
        for (int i = 0; i < w; ++i) dark[static_cast<std::size_t>(y)][static_cast<std::size_t>(x + i)] = true;
    const int scale = 4;
    std::ofstream pbm(dir / "qr.pbm");
    pbm << "P1\n" << size * scale << " " << size * scale << "\n";
    for (int r = 0; r < size * scale; ++r) {
        for (int c = 0; c < size * scale; ++c)
            pbm << (dark[static_cast<std::size_t>(r / scale)][static_cast<std::size_t>(c / scale)] ? "1 " : "0 ");
        pbm << "\n";
    }
    pbm.close();
    // zbarimg also complains on stderr that it has no D-Bus here: kept apart from what it read.
    const std::string cmd = "zbarimg --raw -q '" + (dir / "qr.pbm").string() + "' > '" +
                            (dir / "qr.txt").string() + "' 2> '" + (dir / "qr.err").string() + "'";
    const int rc = std::system(cmd.c_str());
    std::ifstream in(dir / "qr.txt");
    std::string line;
    std::getline(in, line);
    return rc == 0 ? line : "zbarimg failed (" + std::to_string(rc) + "): " + line;
}

// The gateway has a public address and the bot its name: invitations can be made.
class InviteTest : public ApiTest {
protected:
    void configure(config::gateway_config& cfg) override {
        cfg.notifications.public_url = "https://doithoai.laocai.example";
        for (auto& ch : cfg.channels)
            if (ch.type == "telegram") ch.settings["bot_username"] = "LaoCaiDoiThoaiBot";
    }

    /// A citizen of Bát Xát files an education concern saying `text`, anonymously; its concern.
    store::concern file_education(std::int64_t chat, const std::string& text) {
        // The menu's first item, the topic by its number (the 8th), the commune, the words.
        for (const auto& line : {"1", "8", "bat xat", text.c_str(), "gui an danh"})
            say(chat, line);
        EXPECT_TRUE(wait_for_text(std::to_string(chat), "LC-")) << "no receipt for " << chat;
        // The gateway has a public address: the receipt links the commune's published answers.
        EXPECT_TRUE(wait_for_text(std::to_string(chat),
                                  "Các câu trả lời được công bố tại https://doithoai.laocai.example/ket-qua?commune=02683"))
            << "the receipt of " << chat << " has no link to the answers";
        for (const auto& c : db_->list_concerns("", 100)) {
            auto who = db_->find_contact(c.contact_id);
            if (who && who->user_id == std::to_string(chat)) {
                EXPECT_EQ(c.topic, "education");
                EXPECT_EQ(c.text, text);
                return c;
            }
        }
        ADD_FAILURE() << "no concern of chat " << chat;
        return {};
    }
};

// Themed audiences (issue 19 item 2): a province session for college students and teachers.
// An official hands out its invitation (a Telegram link and its QR code); a student who opens
// the chat by it, and another who only says "tôi là sinh viên", have their concerns filed to
// that session; a citizen who says neither goes to the session everyone's concerns go to.
TEST_F(InviteTest, AnInvitationOrTheCitizensWordsFileConcernsForTheThemedSession) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    const auto day = dialogue::to_string(dialogue::local_date(now_ + std::chrono::hours(24 * 30), dialogue_.utc_offset));
    auto res = as(admin, verb::post, "/api/v1/sessions",
                  {{"level", "province"}, {"date", day}, {"venue", "Trường Cao đẳng Lào Cai"},
                   {"title_vi", "Đối thoại với học sinh, sinh viên, giảng viên"},
                   {"audience", "students_teachers"}, {"topics", {"education"}}});
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string themed = body_of(res)["id"];

    auto invite = body_of(as(admin, verb::get, "/api/v1/sessions/" + themed + "/invite"));
    EXPECT_EQ(invite["audience"]["id"], "students_teachers");
    ASSERT_EQ(invite["links"].size(), 1u) << invite.dump() << " (no web chat channel here)";
    const std::string url = invite["links"][0]["url"];
    EXPECT_EQ(url, "https://t.me/LaoCaiDoiThoaiBot?start=moi_" + themed);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/sessions/no-such-session/invite").result_int(), 404u);

    // Its QR code reads back as the link.
    const std::string svg = invite["links"][0]["qr_svg"];
    EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    EXPECT_EQ(decode_qr(svg, dir_), url);

    // Opened by the link: Telegram sends "/start moi_<session>"; the citizen is greeted.
    say(960001, "/start moi_" + themed);
    ASSERT_TRUE(wait_for_text("960001", "Xin chào")) << "greeted as after a plain /start";
    const auto by_link = file_education(960001, "hoc phi hoc ky nay tang gap doi");
    EXPECT_EQ(by_link.audience, "students_teachers");
    EXPECT_EQ(by_link.session_id, themed);
    EXPECT_EQ(db_->find_contact(by_link.contact_id)->invite, themed);
    ASSERT_TRUE(wait_for_text("960001", "Trường Cao đẳng Lào Cai")) << "the receipt names the session's place";

    // No link, but they say who they are.
    say(960002, "xin chao");
    const auto by_words = file_education(960002, "toi la sinh vien truong cao dang, ky tuc xa xuong cap");
    EXPECT_EQ(by_words.audience, "students_teachers") << by_words.text;
    EXPECT_EQ(by_words.session_id, themed);

    // Neither: the session everyone's concerns go to.
    say(960003, "xin chao");
    const auto other = file_education(960003, "truong tieu hoc thon 3 thieu phong hoc");
    EXPECT_EQ(other.audience, "");
    EXPECT_NE(other.session_id, themed);
    EXPECT_FALSE(other.session_id.empty());
}

// The chat's receipt offers the commune's calendar, built from the gateway's public address,
// and that link gives the calendar with the session the concern was filed to.
TEST_F(InviteTest, TheReceiptLinksTheCommunesCalendarWithTheConcernsSession) {
    say(970001, "xin chao");
    const auto filed = file_education(970001, "truong tieu hoc thon 3 thieu phong hoc");
    ASSERT_FALSE(filed.session_id.empty());
    const std::string link = "https://doithoai.laocai.example/sessions.ics?commune=02683";
    EXPECT_TRUE(wait_for_text("970001", "Thêm lịch đối thoại vào điện thoại: " + link + "\n"))
        << "the receipt has no calendar link";
    const auto res = call(bhttp::verb::get, link.substr(link.find("/sessions.ics")), json(nullptr), {});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    EXPECT_NE(res.body().find("UID:" + filed.session_id + "@"), std::string::npos)
        << filed.session_id << " is not in the calendar the receipt links";
}

// The text of the first message the bot sent to `chat` that holds `needle`, or "".
std::string sent_with(const test::mock_telegram& tg, const std::string& chat,
                      const std::string& needle) {
    for (const auto& c : tg.calls())
        if (c.method == "sendMessage" && c.chat_id == chat &&
            c.text.find(needle) != std::string::npos)
            return c.text;
    return "";
}

// The line of a receipt offering Bát Xát's calendar, with InviteTest's public address.
const std::string bat_xat_calendar_line =
    "\nThêm lịch đối thoại vào điện thoại: "
    "https://doithoai.laocai.example/sessions.ics?commune=02683";

// The receipt of an urgent concern (the hotline first) offers the commune's calendar as well.
TEST_F(InviteTest, TheUrgentReceiptLinksTheCommunesCalendarToo) {
    ASSERT_TRUE(raise_road_concern(970002)) << "no receipt";
    const auto filed = db_->list_concerns("", 10);
    ASSERT_EQ(filed.size(), 1u);
    ASSERT_TRUE(filed[0].urgent) << "a landslide is urgent";
    const auto& line = bat_xat_calendar_line;
    ASSERT_TRUE(wait_for_text("970002", line)) << "the urgent receipt has no calendar link";
    const auto receipt = sent_with(*tg_, "970002", line);
    EXPECT_NE(receipt.find(filed[0].ref), std::string::npos) << receipt;
    EXPECT_NE(receipt.find("đường dây nóng"), std::string::npos) << receipt;
}

// A hand-off an official files as a concern tells the citizen the reference, the session and
// the commune's calendar, in the citizen's language.
TEST_F(InviteTest, AHandOffFiledAsAConcernOffersTheCommunesCalendar) {
    const auto official = token_for("lan", "official", {bat_xat});
    const auto ct = db_->upsert_contact("telegram", "970003", "Lò Văn A", "vi", now_);
    const auto id = handoff_in_bat_xat(ct.id, "duong vao thon hong");
    auto res = as(official, bhttp::verb::post, "/api/v1/handoffs/" + id + "/concern",
                  {{"topic", "roads"}, {"commune_code", bat_xat}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    const std::string ref = body_of(res)["ref"];
    const auto& line = bat_xat_calendar_line;
    ASSERT_TRUE(wait_for_text("970003", line)) << "the hand-off's receipt has no calendar link";
    EXPECT_NE(sent_with(*tg_, "970003", line).find("thành phản ánh " + ref), std::string::npos)
        << sent_with(*tg_, "970003", line);
}

}  // namespace
}  // namespace dgw

namespace dgw {
namespace {

// The province's report (issue 19 item 9): the dashboard's figures over a chosen period, with
// the share answered at the meeting itself, and the same as a workbook LibreOffice reads.
TEST_F(ApiTest, TheProvincesReportCountsAPeriodAndOpensInLibreOffice) {
    const auto admin = token_for("boss", "admin");
    using bhttp::verb;
    auto a = add({.text = "Đường vào thôn bị sạt lở, xe máy không đi được", .chat = "971"});
    add({.text = "Cầu treo bản Mường bị gãy ván", .chat = "972"});
    add({.topic = "land", .text = "Tranh chấp đất giữa hai hộ thôn Phìn Ngan", .chat = "973"});
    auto res = as(admin, verb::post, "/api/v1/sessions/" + session_ + "/answers",
                  {{"concern", a}, {"text", "Xã sẽ kè lại đoạn đường."}, {"raised", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    const auto today = dialogue::to_string(dialogue::local_date(now_, dialogue_.utc_offset));
    const auto tomorrow = dialogue::to_string(dialogue::local_date(now_ + std::chrono::hours(24), dialogue_.utc_offset));

    auto all = body_of(as(admin, verb::get, "/api/v1/stats/dashboard"));
    EXPECT_EQ(all["total"], 3);
    EXPECT_EQ(all["answered"], 1);
    EXPECT_EQ(all["answered_at_session"], 1);
    EXPECT_EQ(all["answered_at_session_share"], 1.0);
    auto period = body_of(as(admin, verb::get, "/api/v1/stats/dashboard?from=" + today + "&to=" + today));
    EXPECT_EQ(period["total"], 3);
    EXPECT_EQ(period["from"], today);
    EXPECT_EQ(body_of(as(admin, verb::get, "/api/v1/stats/dashboard?from=" + tomorrow))["total"], 0)
        << "nothing was filed from tomorrow on";
    EXPECT_EQ(as(admin, verb::get, "/api/v1/stats/dashboard?from=2026-13-01").result_int(), 400u);
    EXPECT_EQ(as(admin, verb::get, "/api/v1/stats/dashboard?from=" + tomorrow + "&to=" + today).result_int(), 400u);

    auto book = as(admin, verb::get, "/api/v1/stats/dashboard.xlsx?from=" + today);
    ASSERT_EQ(book.result_int(), 200u) << book.body();
    EXPECT_EQ(book[bhttp::field::content_type], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(book.body().substr(0, 2), "PK");
    const auto out = dir_ / "report";
    std::filesystem::create_directories(out);
    std::ofstream(out / "bao-cao.xlsx", std::ios::binary) << book.body();
    // LibreOffice reads the first sheet, the summary, as CSV.
    ASSERT_TRUE(libreoffice_converts(out, "csv:Text - txt - csv (StarCalc):44,34,76", {"bao-cao.xlsx"}))
        << file_text(out / "soffice.log");
    const auto summary = file_text(out / "bao-cao.csv");
    for (const std::string line : {"BÁO CÁO KẾT QUẢ ĐỐI THOẠI VỚI NHÂN DÂN", "Từ " , "Tổng số ý kiến, kiến nghị\",3",
                                   "Đã trả lời,1", "Trả lời ngay tại hội nghị,1"})
        EXPECT_NE(summary.find(line), std::string::npos) << line << "\n" << summary;
}

// ----- letters' scans, workbooks, photos on the public page (issue 19 items 1 and 8) ------------

std::string base64_of(const std::string& bytes) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8) |
                       std::uint8_t(bytes[i + 2]);
        for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
    }
    if (i + 1 == bytes.size()) {
        const auto n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == bytes.size()) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8);
        for (int shift : {18, 12, 6}) out += alphabet[(n >> shift) & 63];
        out += "=";
    }
    return out;
}

// A letter comes with its scanned page: kept with the concern from the start, opened by
// officials as the PDF it is, never published; what is not a PDF, JPEG or PNG is refused and
// nothing is filed.
TEST_F(ApiTest, ALettersScannedPageIsKeptWithItForOfficialsOnly) {
    const auto official = token_for("lan", "official", {bat_xat});
    const auto viewer = token_for("xem", "viewer");
    using bhttp::verb;
    const std::string pdf = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + std::string(3000, 'x');
    json letter = {{"source", "letter"},
                   {"topic", "land"},
                   {"commune_code", bat_xat},
                   {"text", "Đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất"},
                   {"scan", "data:application/pdf;base64," + base64_of(pdf)}};
    const auto before = db_->list_concerns("", 100).size();
    auto refused = [&](const json& scan, const char* code, unsigned status) {
        auto body = letter;
        body["scan"] = scan;
        auto res = as(official, verb::post, "/api/v1/concerns", body);
        EXPECT_EQ(res.result_int(), status) << res.body();
        EXPECT_EQ(code_of(res), code) << res.body();
    };
    refused("data:image/gif;base64," + base64_of("GIF89a" + std::string(100, '\0')), "scan_type_unsupported", 415u);
    refused("data:application/pdf;base64," + base64_of("<html>not a pdf</html>"), "scan_type_unsupported", 415u);
    refused("data:application/pdf;base64,%%%", "scan_invalid", 400u);
    refused("a scan", "scan_invalid", 400u);
    refused(5, "scan_invalid", 400u);
    EXPECT_EQ(db_->list_concerns("", 100).size(), before) << "nothing filed";

    auto res = as(official, verb::post, "/api/v1/concerns", letter);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string ref = body_of(res)["ref"];
    auto shown = body_of(as(official, verb::get, "/api/v1/concerns/" + ref));
    ASSERT_EQ(shown["photos"].size(), 1u) << shown.dump();
    EXPECT_EQ(shown["photo_copies"][0]["status"], "kept");
    EXPECT_EQ(shown["photo_copies"][0]["scan"], "application/pdf");
    auto file = as(official, verb::get, "/api/v1/concerns/" + ref + "/photos/0");
    ASSERT_EQ(file.result_int(), 200u) << file.body();
    EXPECT_EQ(file[bhttp::field::content_type], "application/pdf");
    EXPECT_EQ(file.body(), pdf);
    EXPECT_EQ(file[bhttp::field::cache_control], "private, no-store");
    EXPECT_EQ(file[bhttp::field::content_disposition], "attachment; filename=\"" + ref + ".pdf\"")
        << "downloaded, never opened from the gateway's address";
    EXPECT_EQ(file["Content-Security-Policy"], "sandbox");
    EXPECT_EQ(as(viewer, verb::get, "/api/v1/concerns/" + ref + "/photos/0").result_int(), 403u);
    res = as(official, verb::post, "/api/v1/concerns/" + ref + "/photos/0/publish", {{"published", true}});
    EXPECT_EQ(code_of(res), "scan_not_publishable") << res.body();
    EXPECT_FALSE(db_->media_copies_of(db_->find_concern(ref)->id).at(0).published);
    EXPECT_EQ(db_->media_copies_pending(), 0u) << "no copier is asked to fetch it";
}

// A spreadsheet saved by LibreOffice as .xlsx (from the CSV officials would otherwise save):
// read from its first sheet, each row filed or refused as a CSV row is; the commune code and
// the phone number the spreadsheet took for numbers (02683 -> 2683, 0912... -> 912...) are
// read as written. A file that is not a workbook is refused with why.
TEST_F(ApiTest, AnExcelWorkbookSavedByLibreOfficeIsImportedRowByRow) {
    const auto official = token_for("lan", "official", {bat_xat});
    using bhttp::verb;
    const auto dir = dir_ / "xlsx";
    std::filesystem::create_directories(dir);
    {
        std::ofstream csv(dir / "don_thu.csv", std::ios::binary);
        csv << "Nguồn,Lĩnh vực,Xã,Nội dung,Họ tên,Số điện thoại,Đồng ý\n"
               "thư,Đất đai,02683,Chưa được cấp sổ đỏ,Lò Văn Páo,0912345678,có\n"
               "tiếp dân,roads,bat xat,Đường vào thôn Cốc San hỏng,,,\n"
               "fax,roads,02683,Nguồn lạ,,,\n";
    }
    const std::string cmd = "cd '" + dir.string() + "' && soffice -env:UserInstallation=file://" +
                            (dir / "profile").string() +
                            " --headless --norestore --infilter=CSV:44,34,76,1 --convert-to xlsx don_thu.csv"
                            " > soffice.log 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << file_text(dir / "soffice.log");
    const auto xlsx = file_text(dir / "don_thu.xlsx");
    ASSERT_EQ(xlsx.substr(0, 2), "PK") << "a zip: " << file_text(dir / "soffice.log");
    const std::string url =
        "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + base64_of(xlsx);

    auto res = as(official, verb::post, "/api/v1/concerns/import", {{"xlsx", url}, {"dry_run", true}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    auto report = body_of(res);
    EXPECT_EQ(report["rows"], 3);
    EXPECT_EQ(report["accepted"], json({2, 3})) << report.dump();
    ASSERT_EQ(report["refused"].size(), 1u);
    EXPECT_EQ(report["refused"][0]["row"], 4);
    EXPECT_EQ(report["refused"][0]["code"], "source_unknown");

    res = as(official, verb::post, "/api/v1/concerns/import", {{"xlsx", base64_of(xlsx)}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    report = body_of(res);
    ASSERT_EQ(report["filed"].size(), 2u) << report.dump();
    auto land = db_->find_concern(report["filed"][0]["ref"]);
    ASSERT_TRUE(land);
    EXPECT_EQ(land->topic, "land");
    EXPECT_EQ(land->commune_code, "02683") << "the leading zero given back";
    EXPECT_EQ(land->phone, "+84912345678");
    EXPECT_EQ(land->citizen_name, "Lò Văn Páo");
    EXPECT_EQ(land->source, "letter");
    EXPECT_EQ(db_->find_concern(report["filed"][1]["ref"])->commune_code, bat_xat) << "by its name";

    res = as(official, verb::post, "/api/v1/concerns/import", {{"xlsx", base64_of("not a workbook at all")}});
    EXPECT_EQ(code_of(res), "xlsx_invalid") << res.body();
    EXPECT_NE(body_of(res)["error"]["message"].get<std::string>().find("Excel"), std::string::npos);
    EXPECT_EQ(code_of(as(official, verb::post, "/api/v1/concerns/import", {{"xlsx", "###"}})), "import_file_invalid");
    EXPECT_EQ(code_of(as(official, verb::post, "/api/v1/concerns/import", {{"xlsx", base64_of(xlsx)}, {"csv", "a,b"}})),
              "import_file_invalid");
    EXPECT_EQ(code_of(as(official, verb::post, "/api/v1/concerns/import", json::object())), "csv_required");
}

}  // namespace
}  // namespace dgw
