// Answers that reach citizens a month after they last wrote, end to end on every channel: a
// real gateway with a real SQLite file, citizens who file a concern through signed webhooks,
// time moved 30 days ahead (injected, not waited for), an official's answer through the API,
// and mocks of the platforms that keep their rules: Meta refuses a free message more than 24
// hours after the citizen's last one (Messenger 10/2018278, WhatsApp 131047) and takes only
// templates it approved, tags it knows and notification tokens it issued (once, for a one-time
// token); Zalo refuses consultation messages after 7 days (-230), transaction messages to
// non-followers (-213) and expired access tokens (-216), and spends a refresh token once.
//
// Officials then see who was reached and how (GET /sessions/{id}/reach, /metrics), a citizen
// with no path gets the answer when they next write, and one who gave a phone number gets it
// by SMS.

#include "support/mock_platform.hpp"
#include "support/platforms.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/api/place.hpp>
#include <dgw/channels/webchat.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/domain/followup.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace dgw {
namespace {

// Prometheus scrapes the public listener with this (metrics.bearer_token).
constexpr const char* metrics_token = "late-e2e-metrics-token";

using nlohmann::json;
using namespace std::chrono_literals;
using sys_clock = std::chrono::system_clock;
using answer = test::mock_platform::answer;
using request = test::mock_platform::request;

const std::string the_answer = "Huyện sẽ sửa đường vào thôn trước ngày 15/1.";

// The time the whole gateway is reckoned in; the test moves it ahead.
struct test_clock {
    std::atomic<std::int64_t> ahead_ms{0};
    sys_clock::time_point now() const {
        return sys_clock::now() + std::chrono::milliseconds(ahead_ms.load());
    }
    void advance(std::chrono::hours h) {
        ahead_ms += std::chrono::duration_cast<std::chrono::milliseconds>(h).count();
    }
};

// What a platform knows of its users: when each last wrote (its windows are reckoned from
// it), who follows the account, which notification tokens it issued, Zalo's token pair. Read
// by the mocks' threads.
struct platform_state {
    std::mutex mu;
    std::map<std::string, sys_clock::time_point> last_inbound;
    std::set<std::string> followers;
    std::set<std::string> tokens;  // issued and not used yet
    std::string access_token = "zalo-access";
    std::string refresh_token = "zalo-refresh";
    int refreshes = 0;
    std::vector<std::string> refusals;  // what the platform refused, and why
};

answer json_answer(unsigned status, const json& body) {
    return answer{status, body.dump(), {}, {}};
}

answer meta_error(int code, std::string message, int subcode = 0, std::string details = "") {
    json e = {{"message", std::move(message)},
              {"type", "OAuthException"},
              {"code", code},
              {"fbtrace_id", "AbC123"}};
    if (subcode) e["error_subcode"] = subcode;
    if (!details.empty())
        e["error_data"] = {{"messaging_product", "whatsapp"}, {"details", std::move(details)}};
    return json_answer(400, {{"error", e}});
}

// A form body as text ('+' a space, %XX a byte): an SMS's Body reads as sent.
std::string form_decoded(const std::string& body) {
    std::string out;
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '+') {
            out += ' ';
        } else if (body[i] == '%' && i + 2 < body.size()) {
            out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += body[i];
        }
    }
    return out;
}

std::string header(const request& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? std::string() : it->second;
}

// The Send API as Meta runs it for a Page.
test::mock_platform::responder messenger_rules(std::shared_ptr<platform_state> st,
                                               std::shared_ptr<test_clock> clock) {
    return [st, clock](const request& r, std::size_t) -> std::optional<answer> {
        const json b = json::parse(r.body, nullptr, false);
        const json& to = b["recipient"];
        const json ok = {{"recipient_id", to.value("id", "")}, {"message_id", "m_ok"}};
        std::lock_guard lock(st->mu);
        auto refuse = [&](answer a) {
            st->refusals.push_back(r.body);
            return a;
        };
        if (to.contains("one_time_notif_token")) {
            if (st->tokens.erase(to["one_time_notif_token"].get<std::string>()) == 0)
                return refuse(meta_error(100, "(#100) Invalid one-time notification token"));
            return json_answer(200, ok);
        }
        if (b.value("messaging_type", "") == "MESSAGE_TAG") {
            const std::string tag = b.value("tag", "");
            if (tag != "CONFIRMED_EVENT_UPDATE" && tag != "ACCOUNT_UPDATE" &&
                tag != "POST_PURCHASE_UPDATE")
                return refuse(meta_error(100, "(#100) Tag is invalid"));
            return json_answer(200, ok);
        }
        // Everything else, opt-in requests included, only within the standard window.
        auto last = st->last_inbound.find(to.value("id", ""));
        if (last == st->last_inbound.end() || clock->now() - last->second > 24h)
            return refuse(
                meta_error(10, "(#10) This message is sent outside of allowed window.", 2018278));
        return json_answer(200, ok);
    };
}

// The WhatsApp Cloud API with one approved template, dgw_answer (vi, three parameters).
test::mock_platform::responder whatsapp_rules(std::shared_ptr<platform_state> st,
                                              std::shared_ptr<test_clock> clock) {
    return [st, clock](const request& r, std::size_t) -> std::optional<answer> {
        const json b = json::parse(r.body, nullptr, false);
        const std::string to = b.value("to", "");
        const json ok = {{"messaging_product", "whatsapp"},
                         {"contacts", {{{"input", to}, {"wa_id", to}}}},
                         {"messages", {{{"id", "wamid.OK"}}}}};
        std::lock_guard lock(st->mu);
        auto refuse = [&](answer a) {
            st->refusals.push_back(r.body);
            return a;
        };
        if (b.value("type", "") == "template") {
            const json& t = b["template"];
            if (t.value("name", "") != "dgw_answer" || t["language"].value("code", "") != "vi")
                return refuse(meta_error(
                    132001, "(#132001) Template name does not exist in the translation"));
            if (t["components"][0]["parameters"].size() != 3)
                return refuse(meta_error(
                    132000,
                    "(#132000) Number of parameters does not match the expected number of params"));
            return json_answer(200, ok);
        }
        auto last = st->last_inbound.find(to);
        if (last == st->last_inbound.end() || clock->now() - last->second > 24h)
            return refuse(meta_error(131047, "(#131047) Re-engagement message", 0,
                                     "Message failed to send because more than 24 hours have "
                                     "passed since the customer last replied to this number."));
        return json_answer(200, ok);
    };
}

// The Zalo OA API, ZNS and OAuth on one mock: tokens that expire and refresh once, the 7-day
// rule of consultation messages, transaction messages only to followers.
test::mock_platform::responder zalo_rules(std::shared_ptr<platform_state> st,
                                          std::shared_ptr<test_clock> clock) {
    return [st, clock](const request& r, std::size_t) -> std::optional<answer> {
        std::lock_guard lock(st->mu);
        auto refuse = [&](json body) {
            st->refusals.push_back(r.path + " " + body.dump());
            return json_answer(200, body);
        };
        if (r.path.find("/v4/oa/access_token") != std::string::npos) {
            if (r.body.find("refresh_token=" + st->refresh_token + "&") == std::string::npos)
                return refuse({{"error", -14014},
                               {"error_name", "Invalid parameter"},
                               {"error_reason", "Invalid refresh token"}});
            ++st->refreshes;
            st->access_token = "zalo-access-" + std::to_string(st->refreshes + 1);
            st->refresh_token = "zalo-refresh-" + std::to_string(st->refreshes + 1);
            return json_answer(200, {{"access_token", st->access_token},
                                     {"refresh_token", st->refresh_token},
                                     {"expires_in", "90000"}});
        }
        const json b = json::parse(r.body, nullptr, false);
        const json ok = {{"error", 0}, {"message", "Success"}, {"data", {{"message_id", "z1"}}}};
        if (r.path.find("/message/template") != std::string::npos) {  // ZNS
            if (header(r, "access_token") != st->access_token)
                return refuse({{"error", -124}, {"message", "Access token invalid"}});
            return json_answer(200, {{"error", 0},
                                     {"message", "Success"},
                                     {"data", {{"msg_id", "zns1"}, {"sent_time", "1"}}}});
        }
        if (header(r, "access_token") != st->access_token)
            return refuse({{"error", -216}, {"message", "Access token is invalid"}});
        const std::string user = b["recipient"].value("user_id", "");
        if (r.path.find("/message/transaction") != std::string::npos) {
            if (!st->followers.contains(user))
                return refuse({{"error", -213}, {"message", "User has not followed OA"}});
            return json_answer(200, ok);
        }
        auto last = st->last_inbound.find(user);
        if (last == st->last_inbound.end() || clock->now() - last->second > 24h * 7)
            return refuse({{"error", -230},
                           {"message", "User has not interacted with the OA in the past 7 days"}});
        return json_answer(200, ok);
    };
}

// One citizen on one channel.
struct citizen {
    test::platform p;
    std::string phone = "bỏ qua";  // what they answer when asked for a phone number
    std::string ref{};             // their concern, once filed
};

class LateAnswers : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-late");
        clock_ = std::make_shared<test_clock>();
        cfg_ = test::base_gateway_config(dir_);
        cfg_.webchat.session_key = test::webchat_key;
        cfg_.metrics.bearer_token = metrics_token;
        cfg_.flows_dir = DGW_FIXTURES_DIR "/late";  // a short flow that files a concern
        cfg_.notifications.link = "https://dialogue.example.vn/chat";
    }

    void TearDown() override {
        db_.reset();
        gw_.reset();
        mocks_.clear();
        std::filesystem::remove_all(dir_);
    }

    // A channel for `p`, with its mock; `rules` decide the mock's answers (else it accepts).
    void add_channel(const test::platform& p, test::mock_platform::responder rules = {}) {
        config::channel_config ch;
        ch.id = p.id;
        ch.type = p.type;
        ch.flow = "report";
        ch.settings = p.settings;
        ch.rate_limit = {0, 0, 0, 0};
        if (p.fetched_by_page) {
            ch.webchat.media_dir = (dir_ / "media").string();
        } else {
            auto& mock = mocks_[p.id] =
                std::make_unique<test::mock_platform>(p.send_status, p.send_body);
            if (rules) mock->respond_with(std::move(rules));
            ch.api_base = mock->base();
            if (p.type == "zalo")
                ch.settings["oauth_base"] = ch.settings["zns_base"] = mock->base();
        }
        if (p.type == "whatsapp")
            ch.late.templates["answer"] = {"dgw_answer", "vi", {"ref", "answer", "link"}, ""};
        if (p.type == "zalo") {
            ch.late.templates["answer"] = {
                "transaction_event", "VI", {"ref", "answer", "link"}, "Trả lời phản ánh"};
            ch.late.zns["answer"] = {"7895417a7d3f9461cd2e",
                                     {{"ma_phan_anh", "ref"}, {"tra_loi", "answer"}}};
        }
        if (p.type == "messenger") ch.late.optin = "one_time_notification";
        cfg_.channels.push_back(std::move(ch));
    }

    void start() {
        auto clock = clock_;
        gw_ = std::make_unique<test::running_gateway>(cfg_, [clock] { return clock->now(); });
        db_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        auto now = clock_->now();
        auto r = api::add_user(*db_, "lan", "admin", {}, now);
        ASSERT_TRUE(r.account) << r.error;
        db_->set_password(r.account->user.id, r.account->user.password_hash, false, now);
        token_ = *api::issue_token(*db_, "lan", now);
    }

    // The citizen's message, posted and signed as their platform does.
    void post(const test::platform& p, const std::string& body, const std::string& type) {
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                           "/webhooks/" + p.id, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::content_type, type);
        for (const auto& [k, v] : p.sign(body)) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        ASSERT_EQ(c.send(req).result_int(), 200u) << p.id << ": " << body;
    }

    void say(const test::platform& p, const std::string& text) {
        auto [body, type] = p.make(++n_, text);
        {
            std::lock_guard lock(state(p).mu);
            state(p).last_inbound[p.user] = clock_->now();
        }
        post(p, body, type);
    }

    platform_state& state(const test::platform& p) {
        auto& s = states_[p.id];
        if (!s) s = std::make_shared<platform_state>();
        return *s;
    }
    std::shared_ptr<platform_state> state_of(const std::string& id) {
        auto& s = states_[id];
        if (!s) s = std::make_shared<platform_state>();
        return s;
    }

    // The citizen's id as the gateway stores it: the web chat keeps only a hash of the session.
    static std::string user_id(const citizen& c) {
        return c.p.fetched_by_page ? channels::webchat_user_id(c.p.user) : c.p.user;
    }

    // Each citizen files a concern through the flow (their lines interleaved, as real traffic
    // would be); waits for the concerns and their receipts.
    void file(const std::vector<citizen*>& who) {
        for (std::size_t line = 0; line < 6; ++line)
            for (auto* c : who) {
                const std::vector<std::string> lines{
                    "xin chào", "có", "đường", "bat xat", "duong vao thon bi sat lo", c->phone};
                say(c->p, lines[line]);
            }
        wait_until([&] {
            const auto concerns = db_->list_concerns("", 100);
            for (auto* c : who)
                for (const auto& k : concerns)
                    if (k.channel == c->p.id &&
                        db_->find_contact(k.contact_id)->user_id == user_id(*c))
                        c->ref = k.ref;
            for (auto* c : who)
                if (c->ref.empty()) return false;
            return db_->inbox_backlog() == 0 && db_->outbox_pending() == 0;
        });
        for (auto* c : who) ASSERT_FALSE(c->ref.empty()) << c->p.id << " filed nothing";
    }

    std::int64_t contact_of(const citizen& c) {
        for (const auto& k : db_->list_concerns("", 100))
            if (k.ref == c.ref) return k.contact_id;
        return 0;
    }

    // The Messenger citizen taps "Notify me" on the request the receipt offered: Meta posts
    // the one-time token, which only this mock will then take (once).
    void accept_optin(const citizen& c, const std::string& token) {
        {
            std::lock_guard lock(state(c.p).mu);
            state(c.p).tokens.insert(token);
        }
        const auto t =
            std::chrono::duration_cast<std::chrono::milliseconds>(clock_->now().time_since_epoch())
                .count();
        const json body = {{"object", "page"},
                           {"entry",
                            {{{"id", "1122334455"},
                              {"time", t},
                              {"messaging",
                               {{{"sender", {{"id", c.p.user}}},
                                 {"recipient", {{"id", "1122334455"}}},
                                 {"timestamp", t},
                                 {"optin",
                                  {{"type", "one_time_notif_req"},
                                   {"payload", c.ref},
                                   {"one_time_notif_token", token}}}}}}}}}};
        post(c.p, body.dump(), "application/json");
        wait_until([&] { return !db_->reach_of(contact_of(c)).permissions.empty(); });
    }

    // The official answers each concern, a month after the citizens wrote.
    void answer_all(const std::vector<citizen*>& who) {
        for (auto* c : who) {
            auto k = db_->find_concern(c->ref);
            ASSERT_TRUE(k);
            session_ = k->session_id;
            auto res =
                api(test::bhttp::verb::post, "/api/v1/sessions/" + k->session_id + "/answers",
                    json{{"concern", c->ref}, {"text", the_answer}});
            ASSERT_EQ(res.result_int(), 200u) << res.body();
        }
    }

    test::bhttp::response<test::bhttp::string_body> api(test::bhttp::verb v,
                                                        const std::string& target,
                                                        const json& body = nullptr) {
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{v, target, 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::authorization, "Bearer " + token_);
        if (!body.is_null()) {
            req.set(test::bhttp::field::content_type, "application/json");
            req.body() = body.dump();
        }
        req.prepare_payload();
        return c.send(req);
    }

    // No notice left to send (each delivered, failed or held).
    void wait_for_notices(std::size_t n) {
        wait_until([&] {
            auto rows = db_->list_notices(session_);
            if (rows.size() < n) return false;
            for (const auto& m : rows)
                if (m.status == "pending" && !m.held_at) return false;
            return db_->outbox_pending() == 0;
        });
    }

    json reach() {
        auto res = api(test::bhttp::verb::get, "/api/v1/sessions/" + session_ + "/reach");
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        return json::parse(res.body());
    }

    // The requests a mock got after the `skip` first ones.
    std::vector<request> sent(const std::string& id, std::size_t skip = 0) {
        auto all = mocks_.at(id)->requests();
        return {all.begin() + static_cast<std::ptrdiff_t>(std::min(skip, all.size())), all.end()};
    }

    static void wait_until(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (!done() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
    }

    std::filesystem::path dir_;
    std::shared_ptr<test_clock> clock_;
    config::gateway_config cfg_;
    std::map<std::string, std::unique_ptr<test::mock_platform>> mocks_;
    std::map<std::string, std::shared_ptr<platform_state>> states_;
    std::unique_ptr<test::running_gateway> gw_;
    std::unique_ptr<store::store> db_;
    std::string token_;
    std::string session_;
    int n_ = 0;
};

TEST_F(LateAnswers, AMonthLaterEachPlatformIsReachedByThePathItAllows) {
    citizen tg{test::telegram("880011223")}, zalo_follower{test::zalo("7612345678901234567")},
        zalo_phone{test::zalo("7612345678901234999")}, fb{test::messenger("6543210987654321")},
        wa{test::whatsapp("84912345678")}, vb{test::viber("01234567890A=")},
        ln{test::line("U4af4980629f0e2a1d0f3b6a7c8d9e0f1")}, sms{test::twilio("+84912345000")},
        web{test::webchat("0123456789abcdef0123456789abcdef")};
    zalo_phone.phone = "0987654321";
    add_channel(tg.p);
    add_channel(zalo_follower.p, zalo_rules(state_of("zalo"), clock_));
    add_channel(fb.p, messenger_rules(state_of("messenger"), clock_));
    add_channel(wa.p, whatsapp_rules(state_of("whatsapp"), clock_));
    add_channel(vb.p);
    add_channel(ln.p);
    add_channel(sms.p);
    add_channel(web.p);
    start();

    // Following the OA before filing: Zalo tells the gateway by webhook.
    {
        std::lock_guard lock(state(zalo_follower.p).mu);
        state(zalo_follower.p).followers.insert(zalo_follower.p.user);
    }
    const std::string follow =
        json{{"app_id", "3045678912345678901"}, {"oa_id", "579745863508352884"},
             {"event_name", "follow"},          {"timestamp", "1790000000999"},
             {"source", "oa_profile"},          {"follower", {{"id", zalo_follower.p.user}}}}
            .dump();
    post(zalo_follower.p, follow, "application/json");

    std::vector<citizen*> all{&tg, &zalo_follower, &zalo_phone, &fb, &wa, &vb, &ln, &sms, &web};
    file(all);
    accept_optin(fb, "OTN-fb-1");

    // The receipt asked for what each platform needs: Messenger's notification opt-in, and
    // on Zalo, following the OA (only of the citizen who does not follow yet).
    bool otn_request = false;
    for (const auto& r : mocks_["messenger"]->requests())
        otn_request = otn_request || r.body.find("one_time_notif_req") != std::string::npos;
    EXPECT_TRUE(otn_request);
    std::size_t follow_offers = 0;
    for (const auto& r : mocks_["zalo"]->requests())
        if (r.body.find("Quan tâm") != std::string::npos) {
            ++follow_offers;
            EXPECT_NE(r.body.find(zalo_phone.p.user), std::string::npos);
        }
    EXPECT_EQ(follow_offers, 1u);

    std::map<std::string, std::size_t> before;
    for (const auto& [id, mock] : mocks_) before[id] = mock->count();
    clock_->advance(24h * 30);
    answer_all(all);
    wait_for_notices(all.size());

    // Each platform got the answer the way it allows a month later.
    auto one_after = [&](const std::string& id) {
        auto r = sent(id, before[id]);
        EXPECT_FALSE(r.empty()) << id << " got nothing";
        return r;
    };
    {
        auto r = one_after("telegram");
        ASSERT_EQ(r.size(), 1u);
        EXPECT_NE(r[0].path.find("/sendMessage"), std::string::npos);
        EXPECT_NE(r[0].body.find(the_answer), std::string::npos) << r[0].body;
    }
    {
        // The follower by a transaction message; the other one by ZNS to their phone, once
        // Zalo said they do not follow the OA. No consultation message was tried.
        auto r = one_after("zalo");
        ASSERT_EQ(r.size(), 3u);
        std::map<std::string, std::string> by_path;
        for (const auto& x : r)
            by_path[x.path.find("/message/template") != std::string::npos ? "zns" : x.body] =
                x.body;
        auto zns = json::parse(by_path.at("zns"));
        EXPECT_EQ(zns["phone"], "84987654321");
        EXPECT_EQ(zns["template_data"]["ma_phan_anh"], zalo_phone.ref);
        bool transaction_to_follower = false;
        for (const auto& x : r) {
            EXPECT_EQ(x.path.find("/message/cs"), std::string::npos) << x.path;
            if (x.path.find("/message/transaction") == std::string::npos) continue;
            auto b = json::parse(x.body);
            if (b["recipient"]["user_id"] != zalo_follower.p.user) continue;
            transaction_to_follower = true;
            EXPECT_EQ(b["message"]["attachment"]["payload"]["template_type"], "transaction_event");
            EXPECT_NE(x.body.find(zalo_follower.ref), std::string::npos);
        }
        EXPECT_TRUE(transaction_to_follower);
    }
    {
        auto r = one_after("messenger");
        ASSERT_EQ(r.size(), 1u);
        auto b = json::parse(r[0].body);
        EXPECT_EQ(b["recipient"], json({{"one_time_notif_token", "OTN-fb-1"}}));
        EXPECT_NE(r[0].body.find(the_answer), std::string::npos);
    }
    {
        auto r = one_after("whatsapp");
        ASSERT_EQ(r.size(), 1u);
        auto b = json::parse(r[0].body);
        EXPECT_EQ(b["type"], "template");
        const auto& params = b["template"]["components"][0]["parameters"];
        EXPECT_EQ(params[0]["text"], wa.ref);
        EXPECT_EQ(params[1]["text"], the_answer);
        EXPECT_EQ(params[2]["text"], "https://dialogue.example.vn/chat");
    }
    for (const char* id : {"viber", "line", "sms"}) {
        auto r = one_after(id);
        ASSERT_EQ(r.size(), 1u) << id;
        EXPECT_NE(form_decoded(r[0].body).find(the_answer), std::string::npos)
            << id << ": " << r[0].body;
    }
    EXPECT_NE(sent("line", before["line"])[0].path.find("/push"), std::string::npos);
    EXPECT_GT(gw_->metrics().value("dgw_sms_segments_total", {{"channel", "sms"}}), 0.0);
    {
        // The web chat keeps it on the citizen's page, with the reference.
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{
            test::bhttp::verb::get, "/chat/api/" + web.p.id + "/messages?after=0", 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::cookie, "dgw_chat=" + test::webchat_cookie_value(web.p.user));
        auto page = c.send(req);
        EXPECT_NE(page.body().find(the_answer), std::string::npos);
        EXPECT_NE(page.body().find(web.ref), std::string::npos);
    }
    // Meta never had to refuse anything: the paths were chosen, not tried.
    EXPECT_TRUE(state_of("messenger")->refusals.empty());
    EXPECT_TRUE(state_of("whatsapp")->refusals.empty());
    EXPECT_EQ(state_of("zalo")->refusals.size(), 1u);  // -213: a follow from before is unknown

    // What officials see: everyone reached, and by which path.
    auto rep = reach();
    const auto& totals = rep["totals"];
    EXPECT_EQ(totals["citizens"], all.size());
    EXPECT_EQ(totals["delivered"], all.size());
    EXPECT_EQ(totals["by_path"],
              json::parse(R"({"free":4,"template":2,"zns":1,"optin":1,"page":1})"));
    ASSERT_EQ(rep["notices"].size(), all.size());  // one answer per concern here
    EXPECT_EQ(rep["notices"][0]["purpose"], "answer");
    const auto& m = gw_->metrics();
    EXPECT_EQ(m.value("dgw_notices_total",
                      {{"channel", "zalo"}, {"path", "template"}, {"result", "delivered"}}),
              1.0);
    EXPECT_EQ(m.value("dgw_notices_total",
                      {{"channel", "zalo"}, {"path", "zns"}, {"result", "delivered"}}),
              1.0);
    EXPECT_EQ(m.value("dgw_notices_total",
                      {{"channel", "messenger"}, {"path", "optin"}, {"result", "delivered"}}),
              1.0);
    EXPECT_EQ(m.value("dgw_notices_total",
                      {{"channel", "whatsapp"}, {"path", "template"}, {"result", "delivered"}}),
              1.0);
    EXPECT_EQ(m.value("dgw_notices_total",
                      {{"channel", "web"}, {"path", "page"}, {"result", "delivered"}}),
              1.0);
    // The one-time token is spent.
    EXPECT_TRUE(db_->reach_of(contact_of(fb)).permissions.empty());
}

// Nothing lets the Page reach this citizen after 24 hours: no opt-in, no tag, no phone. The
// answer waits, officials see why, and it goes first when the citizen writes again.
TEST_F(LateAnswers, AMessengerCitizenWithNoPathGetsTheAnswerAtTheirNextMessage) {
    citizen fb{test::messenger("6543210987654321")};
    add_channel(fb.p, messenger_rules(state_of("messenger"), clock_));
    start();
    file({&fb});
    clock_->advance(24h * 30);
    const auto before = mocks_["messenger"]->count();
    answer_all({&fb});
    wait_until([&] { return db_->outbox_held() == 1; });
    EXPECT_EQ(db_->outbox_held(), 1u);
    EXPECT_EQ(mocks_["messenger"]->count(), before) << "nothing was tried";

    auto rep = reach();
    EXPECT_EQ(rep["totals"]["waiting"], 1);
    EXPECT_EQ(rep["totals"]["delivered"], 0);
    const auto& row = rep["notices"][0]["rows"][0];
    EXPECT_EQ(row["state"], "waiting");
    EXPECT_EQ(row["path"], "next_contact");
    EXPECT_EQ(row["refs"], json({fb.ref}));
    const std::string reason = row["reason"];
    EXPECT_NE(reason.find("more than 24 hours"), std::string::npos) << reason;
    EXPECT_NE(reason.find("no notification opt-in"), std::string::npos) << reason;
    EXPECT_NE(reason.find("kept for their next message"), std::string::npos) << reason;
    {
        // /metrics shows how many wait.
        test::sync_client c(gw_->port());
        test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/metrics", 11};
        req.set(test::bhttp::field::host, "127.0.0.1");
        req.set(test::bhttp::field::authorization, std::string("Bearer ") + metrics_token);
        auto metrics = c.send(req).body();
        EXPECT_NE(metrics.find("dgw_outbox_held 1"), std::string::npos);
        EXPECT_NE(
            metrics.find(
                R"(dgw_notices_total{channel="messenger",path="next_contact",result="held"} 1)"),
            std::string::npos);
    }

    // The citizen writes again, a month and a half later.
    clock_->advance(24h * 15);
    say(fb.p, "xin chào");
    wait_until([&] { return db_->outbox_held() == 0 && db_->outbox_pending() == 0; });
    auto r = sent("messenger", before);
    ASSERT_GE(r.size(), 2u);
    // First the answer, under the line that says what it is; then the flow's reply.
    const std::string first = json::parse(r[0].body)["message"]["text"];
    EXPECT_EQ(first.find("Bạn có 1 trả lời mới cho phản ánh " + fb.ref), 0u) << first;
    EXPECT_NE(first.find(the_answer), std::string::npos);
    EXPECT_EQ(r[1].body.find(the_answer), std::string::npos);
    EXPECT_TRUE(state_of("messenger")->refusals.empty());
    rep = reach();
    EXPECT_EQ(rep["totals"]["delivered"], 1);
    EXPECT_EQ(rep["totals"]["by_path"], json({{"next_contact", 1}}));
    EXPECT_EQ(rep["notices"][0]["rows"][0]["reason"], "");
}

// The same citizen, had they left a phone number with their consent: the answer goes by SMS
// through the configured SMS channel.
TEST_F(LateAnswers, WithAPhoneGivenWithConsentTheSmsFallbackTakesOver) {
    citizen fb{test::messenger("6543210987654321")};
    fb.phone = "0912 345 678";
    const auto sms = test::twilio("+84900000001");
    add_channel(fb.p, messenger_rules(state_of("messenger"), clock_));
    add_channel(sms);
    cfg_.notifications.sms_channel = sms.id;
    start();
    file({&fb});
    clock_->advance(24h * 30);
    const auto before = mocks_["messenger"]->count();
    answer_all({&fb});
    wait_for_notices(1);
    EXPECT_EQ(mocks_["messenger"]->count(), before);
    auto r = sent("sms");
    ASSERT_EQ(r.size(), 1u);
    const auto body = form_decoded(r[0].body);
    EXPECT_NE(body.find("To=+84912345678"), std::string::npos) << body;
    EXPECT_NE(body.find(the_answer), std::string::npos) << body;
    EXPECT_NE(body.find(fb.ref), std::string::npos) << body;
    EXPECT_GE(gw_->metrics().value("dgw_sms_segments_total", {{"channel", "sms"}}), 1.0);
    auto rep = reach();
    EXPECT_EQ(rep["totals"]["by_path"], json({{"sms", 1}}));
    EXPECT_EQ(rep["notices"][0]["rows"][0]["channel"], "messenger");
}

// A letter (issue 19 §1): an official registers what a citizen wrote, with the phone number
// the citizen gave and agreed to; it is filed like a chat concern (routed, a reference, the
// source kept), the receipt reaches the citizen by SMS, and a month later the answer goes the
// same way. What is refused, and why: an unknown source, a phone without consent, a number
// that is not one, no text.
TEST_F(LateAnswers, ALetterRegisteredByAnOfficialGetsItsReceiptAndItsAnswerBySms) {
    const auto sms = test::twilio("+84900000001");
    add_channel(sms);
    cfg_.notifications.sms_channel = sms.id;
    start();
    const json letter = {{"source", "letter"},
                         {"topic", "roads"},
                         {"commune_code", "02683"},
                         {"text", "Đường vào thôn Cốc San bị sạt lở, xe máy không đi được."},
                         {"name", "Lò Văn Páo"},
                         {"phone", "0912 345 678"},
                         {"consent", true}};
    auto refused = [&](const json& change, const char* why) {
        json body = letter;
        body.update(change);
        auto res = api(test::bhttp::verb::post, "/api/v1/concerns", body);
        EXPECT_EQ(res.result_int(), 400u) << why << ": " << res.body();
    };
    refused(json({{"source", "chat"}}), "a source officials do not register");
    refused(json({{"consent", false}}), "a phone number without consent");
    refused(json({{"phone", "12345"}}), "not a phone number");
    refused(json({{"text", " "}}), "no text");
    refused(json({{"commune_code", "99999"}}), "an unknown commune");
    EXPECT_TRUE(sent("sms").empty());

    auto res = api(test::bhttp::verb::post, "/api/v1/concerns", letter);
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const auto filed = json::parse(res.body());
    const std::string ref = filed["ref"];
    EXPECT_EQ(filed["receipt"], "sms");
    EXPECT_EQ(filed["status"], "scheduled");
    auto k = db_->find_concern(ref);
    ASSERT_TRUE(k);
    EXPECT_EQ(k->source, "letter");
    EXPECT_EQ(k->citizen_name, "Lò Văn Páo");
    EXPECT_EQ(k->phone, "+84912345678");
    EXPECT_TRUE(k->urgent) << "sạt lở reads as urgent, as in a chat";
    EXPECT_EQ(db_->list_audit("concern:" + ref, 10).at(0).action, "concern.register");
    wait_until([&] { return sent("sms").size() == 1; });
    auto r = sent("sms");
    ASSERT_EQ(r.size(), 1u);
    auto body = form_decoded(r[0].body);
    EXPECT_NE(body.find("To=+84912345678"), std::string::npos) << body;
    EXPECT_NE(body.find("Phản ánh của ông/bà đã được ghi nhận, mã số " + ref), std::string::npos) << body;
    auto shown = json::parse(api(test::bhttp::verb::get, "/api/v1/concerns/" + ref).body());
    EXPECT_EQ(shown["source"], "letter");
    EXPECT_EQ(shown["contact"]["given_name"], "Lò Văn Páo");

    // Without a phone number nobody is written to: no SMS, the concern still on the agenda.
    auto desk = api(test::bhttp::verb::post, "/api/v1/concerns",
                    json{{"source", "reception"}, {"topic", "health"}, {"commune_code", "02683"},
                         {"text", "Trạm y tế không có bác sĩ trực đêm."}});
    ASSERT_EQ(desk.result_int(), 201u) << desk.body();
    EXPECT_EQ(json::parse(desk.body())["receipt"], "none");

    clock_->advance(24h * 30);
    citizen letter_writer{sms};
    letter_writer.ref = ref;
    answer_all({&letter_writer});
    wait_until([&] { return sent("sms").size() == 2; });
    r = sent("sms");
    ASSERT_EQ(r.size(), 2u);
    body = form_decoded(r[1].body);
    EXPECT_NE(body.find(the_answer), std::string::npos) << body;
    EXPECT_NE(body.find("To=+84912345678"), std::string::npos) << body;
}

// A spreadsheet of petitions (saved as CSV, headings in Vietnamese, a semicolon as Excel writes
// in Vietnamese locales): each row filed by the same rules as the form, the commune by its name
// without accents, the topic by its Vietnamese name; rows that break a rule are reported with
// the row number and the reason and nothing of them is filed; a dry run files nothing at all.
TEST_F(LateAnswers, ASpreadsheetOfPetitionsIsFiledRowByRowWithWhatWasRefusedAndWhy) {
    const auto sms = test::twilio("+84900000001");
    add_channel(sms);
    cfg_.notifications.sms_channel = sms.id;
    start();
    const std::string csv =
        "\xEF\xBB\xBFNguồn;Lĩnh vực;Xã;Nội dung;Họ tên;Số điện thoại;Đồng ý\r\n"
        "thư;Đất đai;bat xat;\"Chưa được cấp sổ đỏ; đã nộp hồ sơ\";Lò Văn Páo;0912 345 678;có\r\n"
        "tiếp dân;roads;02683;Đường vào thôn Cốc San hỏng;;;\r\n"
        "thư;roads;02683;Có số nhưng không đồng ý;Ai đó;0987 654 321;\r\n"
        "fax;roads;02683;Nguồn lạ;;;\r\n"
        "thư;thời tiết;02683;Lĩnh vực lạ;;;\r\n"
        "thư;roads;xa khong co;Xã không có;;;\r\n"
        "thư;roads;02683;;;;\r\n";
    auto dry = api(test::bhttp::verb::post, "/api/v1/concerns/import", json{{"csv", csv}, {"dry_run", true}});
    ASSERT_EQ(dry.result_int(), 200u) << dry.body();
    auto report = json::parse(dry.body());
    EXPECT_EQ(report["rows"], 7);
    EXPECT_EQ(report["accepted"], json({2, 3}));
    EXPECT_TRUE(report["filed"].empty());
    EXPECT_EQ(db_->list_concerns("", 10).size(), 0u) << "a dry run files nothing";

    auto res = api(test::bhttp::verb::post, "/api/v1/concerns/import", json{{"csv", csv}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    report = json::parse(res.body());
    ASSERT_EQ(report["filed"].size(), 2u) << res.body();
    EXPECT_EQ(report["filed"][0]["row"], 2);
    EXPECT_EQ(report["filed"][0]["receipt"], "sms");
    EXPECT_EQ(report["filed"][1]["receipt"], "none");
    // Each refused row with its code and the reason in Vietnamese (the request's language).
    const std::map<int, std::pair<std::string, std::string>> why = {
        {4, {"consent_required", "người dân đồng ý"}}, {5, {"source_unknown", "Nguồn phải là"}},
        {6, {"topic_unknown", "thời tiết"}},             {7, {"commune_unknown", "xa khong co"}},
        {8, {"text_required", "Cần có nội dung"}}};
    ASSERT_EQ(report["refused"].size(), why.size()) << res.body();
    for (const auto& r : report["refused"]) {
        const int row = r["row"];
        ASSERT_TRUE(why.contains(row)) << r;
        EXPECT_EQ(r["code"], why.at(row).first) << r;
        EXPECT_NE(r["reason"].get<std::string>().find(why.at(row).second), std::string::npos) << r;
    }
    auto land = db_->find_concern(report["filed"][0]["ref"]);
    ASSERT_TRUE(land);
    EXPECT_EQ(land->topic, "land");
    EXPECT_EQ(land->commune_code, "02683");
    EXPECT_EQ(land->source, "letter");
    EXPECT_EQ(land->text, "Chưa được cấp sổ đỏ; đã nộp hồ sơ");
    EXPECT_EQ(db_->find_concern(report["filed"][1]["ref"])->source, "reception");
    EXPECT_EQ(db_->list_concerns("", 10).size(), 2u);
    wait_until([&] { return sent("sms").size() == 1; });
    EXPECT_EQ(sent("sms").size(), 1u);

    auto broken = api(test::bhttp::verb::post, "/api/v1/concerns/import",
                      json{{"csv", "source,topic,commune,text\nletter,roads,02683,\"never closed\n"}});
    EXPECT_EQ(broken.result_int(), 400u);
    EXPECT_EQ(json::parse(broken.body())["error"]["code"], "csv_quote_unclosed") << broken.body();
    EXPECT_EQ(json::parse(broken.body())["error"]["params"]["line"], 2) << broken.body();
    auto no_text_column = api(test::bhttp::verb::post, "/api/v1/concerns/import",
                              json{{"csv", "source,topic,commune\nletter,roads,02683\n"}});
    EXPECT_EQ(no_text_column.result_int(), 400u) << no_text_column.body();
    EXPECT_EQ(json::parse(no_text_column.body())["error"]["params"]["column"], "text");
}

// A month on, the OA's access token has expired: the transaction message is refused with
// -216, the pair is refreshed once (the refresh token works once) and the message still goes.
// With a public address, a letter's SMS receipt links the public page of its commune's answers.
// Work an answer assigns to an office is reminded, days before its deadline, by SMS to the
// officials of that office who may see the concern (their office written their own way) —
// once per deadline — and to nobody else.
TEST_F(LateAnswers, AssignedWorkIsRemindedBySmsToTheOfficialsOfItsOfficeOnce) {
    const auto sms = test::twilio("+84900000001");
    add_channel(sms);
    cfg_.notifications.sms_channel = sms.id;
    cfg_.notifications.public_url = "https://doithoai.laocai.example";
    start();
    auto res = api(test::bhttp::verb::post, "/api/v1/concerns",
                   json{{"source", "letter"}, {"topic", "roads"}, {"commune_code", "02683"},
                        {"text", "Mương thủy lợi thôn Phìn Ngan bị vỡ."}, {"name", "Lò Văn Páo"},
                        {"phone", "0912 345 678"}, {"consent", true}});
    ASSERT_EQ(res.result_int(), 201u) << res.body();
    const std::string ref = json::parse(res.body())["ref"];
    wait_until([&] { return sent("sms").size() == 1; });
    ASSERT_EQ(sent("sms").size(), 1u);
    EXPECT_NE(form_decoded(sent("sms")[0].body).find("https://doithoai.laocai.example/ket-qua?commune=02683"),
              std::string::npos)
        << form_decoded(sent("sms")[0].body);
    // And the calendar of its commune's sessions, to subscribe to.
    EXPECT_NE(form_decoded(sent("sms")[0].body)
                  .find("\nThêm lịch đối thoại vào điện thoại: "
                        "https://doithoai.laocai.example/sessions.ics?commune=02683"),
              std::string::npos)
        << form_decoded(sent("sms")[0].body);

    // The officials: two of the office (one writes it without accents, one is scoped to another
    // commune), one of another office, one of the office without a phone.
    auto user = [&](const std::string& name, const std::string& scope, const std::string& office,
                    const std::string& phone) {
        auto r = api(test::bhttp::verb::post, "/api/v1/users",
                     json{{"name", name}, {"role", "official"}, {"scope", {scope}}});
        ASSERT_EQ(r.result_int(), 201u) << r.body();
        r = api(test::bhttp::verb::patch, "/api/v1/users/" + name, json{{"office", office}, {"phone", phone}});
        ASSERT_EQ(r.result_int(), 200u) << r.body();
        EXPECT_EQ(json::parse(r.body())["user"]["office"], office);
    };
    std::string elsewhere;
    std::vector<core::problem> problems;
    std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
    std::stringstream text;
    text << in.rdbuf();
    const auto dialogue = dialogue::load_text(text.str(), problems);
    for (const auto& u : dialogue.units)
        if (u.code != "02683" && u.level == "commune") elsewhere = u.code;
    user("hoa", "02683", "phong kinh te xa bat xat", "0987 654 321");
    user("minh", elsewhere, "Phòng Kinh tế xã Bát Xát", "0987 000 111");
    user("tuan", "02683", "Ban quản lý dự án", "0987 000 222");
    user("lien", "02683", "Phòng Kinh tế xã Bát Xát", "");
    res = api(test::bhttp::verb::patch, "/api/v1/users/hoa", json{{"phone", "12"}});
    EXPECT_EQ(res.result_int(), 400u) << res.body();
    EXPECT_EQ(json::parse(res.body())["error"]["code"], "phone_invalid");
    res = api(test::bhttp::verb::get, "/api/v1/users");
    EXPECT_EQ(json::parse(res.body())["work_reminder_days"], domain::work_reminder_days);

    const auto today = dialogue::local_date(clock_->now(), dialogue.utc_offset);
    const auto deadline = dialogue::to_string(std::chrono::year_month_day{std::chrono::sys_days{today} + std::chrono::days{2}});
    const auto k = db_->find_concern(ref);
    ASSERT_TRUE(k);
    res = api(test::bhttp::verb::post, "/api/v1/sessions/" + k->session_id + "/answers",
              json{{"concern", ref},
                   {"text", "Xã sẽ sửa mương."},
                   {"assign", {{"office", "Phòng Kinh tế xã Bát Xát"}, {"deadline", deadline}, {"promise", "Sửa xong mương"}}}});
    ASSERT_EQ(res.result_int(), 200u) << res.body();
    wait_until([&] { return sent("sms").size() == 2; });  // the answer, to the citizen
    ASSERT_EQ(sent("sms").size(), 2u);

    const auto see = [&](const store::user& u, const store::concern& c) { return api::may_see(dialogue, u, c); };
    const auto r = domain::remind_offices(*db_, dialogue, sms.id, clock_->now(), see);
    EXPECT_EQ(r.items, 1u);
    EXPECT_EQ(r.messages, 1u) << "only hoa: of the office, in scope, with a phone";
    wait_until([&] { return sent("sms").size() == 3; });
    const auto reminders = sent("sms", 2);
    ASSERT_EQ(reminders.size(), 1u);
    const auto body = form_decoded(reminders[0].body);
    EXPECT_NE(body.find("To=+84987654321"), std::string::npos) << body;
    EXPECT_NE(body.find("Nhắc việc (Phòng Kinh tế xã Bát Xát)"), std::string::npos) << body;
    EXPECT_NE(body.find(ref + ", hạn "), std::string::npos) << body;
    EXPECT_EQ(db_->find_concern(ref)->office_reminded, deadline);
    EXPECT_EQ(domain::remind_offices(*db_, dialogue, sms.id, clock_->now() + std::chrono::hours(1), see).messages, 0u)
        << "once per deadline";
    std::this_thread::sleep_for(200ms);
    EXPECT_EQ(sent("sms").size(), 3u);
}

TEST_F(LateAnswers, AnExpiredZaloTokenPairIsRefreshedOnceAndTheLateMessageStillGoes) {
    citizen a{test::zalo("7612345678901234567")}, b{test::zalo("7612345678901234568")};
    add_channel(a.p, zalo_rules(state_of("zalo"), clock_));
    {
        std::lock_guard lock(state(a.p).mu);
        state(a.p).followers = {a.p.user, b.p.user};
    }
    start();
    file({&a, &b});
    clock_->advance(24h * 30);
    {
        std::lock_guard lock(state(a.p).mu);
        state(a.p).access_token = "(the configured one has expired)";
    }
    const auto before = mocks_["zalo"]->count();
    answer_all({&a, &b});
    wait_for_notices(2);
    auto st = state_of("zalo");
    {
        std::lock_guard lock(st->mu);
        EXPECT_EQ(st->refreshes, 1);
    }
    std::set<std::string> reached;
    for (const auto& r : sent("zalo", before)) {
        if (r.path.find("/message/transaction") == std::string::npos) continue;
        if (header(r, "access_token") != "zalo-access-2") continue;
        reached.insert(json::parse(r.body)["recipient"]["user_id"].get<std::string>());
    }
    EXPECT_EQ(reached, (std::set<std::string>{a.p.user, b.p.user}));
    auto stored = db_->find_channel_token("zalo");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->access_token, "zalo-access-2");
    EXPECT_EQ(stored->refresh_token, "zalo-refresh-2");
    EXPECT_EQ(reach()["totals"]["by_path"], json({{"template", 2}}));
}

}  // namespace
}  // namespace dgw
