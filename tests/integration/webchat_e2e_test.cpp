// The web chat end to end, in-process: the real gateway on 127.0.0.1:0 with a real SQLite file.
// A citizen opens /chat (which sets the session cookie), files a concern with a photo and a
// location by posting to the ordinary webhook and polling for the replies, exactly as the page
// does; uploads are checked by type and size, posts without a session or as a form are
// refused, a redelivered post changes nothing, and another browser sees none of it.

#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/app/gateway.hpp>
#include <dgw/http/client.hpp>
#include <dgw/http/types.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <regex>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace bhttp = test::bhttp;

constexpr std::size_t max_photo = 64 * 1024;

// The smallest thing that starts like a JPEG; the gateway checks magic bytes, not pixels.
std::string jpeg(std::size_t size, char fill = 'x') {
    std::string b = "\xFF\xD8\xFF\xE0";
    b.resize(size, fill);
    return b;
}

class WebChat : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-webchat");
        start(config::webchat_config{});
    }

    void start(const config::webchat_config& settings,
               const config::webchat_sessions_config& sessions = {}) {
        gw_.reset();
        auto cfg = test::base_gateway_config(dir_);
        cfg.webchat = sessions;
        config::channel_config ch;
        ch.id = "web";
        ch.type = "webchat";
        ch.rate_limit = {0, 0, 0, 0};
        ch.webchat = settings;
        ch.webchat.media_dir = (dir_ / "media").string();
        ch.webchat.max_photo_bytes = max_photo;
        cfg.channels.push_back(ch);
        gw_ = std::make_unique<test::running_gateway>(cfg);
    }

    void TearDown() override {
        gw_.reset();
        std::filesystem::remove_all(dir_);
    }

    bhttp::response<bhttp::string_body> send(bhttp::verb v, const std::string& target,
                                             const std::string& cookie, std::string body = {},
                                             const std::string& type = "application/json",
                                             const std::string& from = {}) {
        test::sync_client c(gw_->port(), "127.0.0.1", from);
        bhttp::request<bhttp::string_body> req{v, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        if (!cookie.empty()) req.set(bhttp::field::cookie, "dgw_chat=" + cookie);
        if (!type.empty() && v == bhttp::verb::post) req.set(bhttp::field::content_type, type);
        req.body() = std::move(body);
        req.prepare_payload();
        return c.send(req);
    }

    // GET /chat as a new browser: the page and the session it was given.
    std::string open_page() {
        auto res = send(bhttp::verb::get, "/chat", "");
        EXPECT_EQ(res.result_int(), 200u);
        std::smatch m;
        std::string set_cookie(res[bhttp::field::set_cookie]);
        EXPECT_TRUE(std::regex_search(set_cookie, m,
                                      std::regex("^dgw_chat=([0-9a-f]{32}\\.[0-9a-f]{64});")))
            << set_cookie;
        return m.size() > 1 ? m[1].str() : std::string();
    }

    unsigned post(const std::string& cookie, const json& body) {
        return send(bhttp::verb::post, "/webhooks/web", cookie, body.dump()).result_int();
    }

    int n_ = 0;
    unsigned say(const std::string& cookie, const std::string& key, const json& value) {
        return post(cookie, {{"id", "msg-" + std::to_string(++n_)}, {key, value}});
    }

    json messages(const std::string& cookie, std::int64_t after = 0) {
        auto res = send(bhttp::verb::get, "/chat/api/web/messages?after=" + std::to_string(after),
                        cookie);
        EXPECT_EQ(res.result_int(), 200u) << res.body();
        return json::parse(res.body())["messages"];
    }

    // Polls like the page until a message satisfies `want`; a deadline only bounds a failure.
    json wait_for(const std::string& cookie, const std::function<bool(const json&)>& want) {
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline) {
            for (const auto& m : messages(cookie))
                if (want(m)) return m;
            std::this_thread::sleep_for(50ms);
        }
        return nullptr;
    }

    // A citizen's way from "xin chào" to the review of a concern about a road: tapping through
    // the menu, question by question. A photo can be sent at any point, this review included.
    void reach_review(const std::string& me) {
        ASSERT_EQ(say(me, "text", "xin chào"), 200u);
        ASSERT_FALSE(wait_for(me, offers("raise")).is_null()) << "no menu";
        ASSERT_EQ(say(me, "choice", "raise"), 200u);
        ASSERT_FALSE(wait_for(me, offers("roads")).is_null()) << "no topics";
        ASSERT_EQ(say(me, "choice", "roads"), 200u);
        ASSERT_EQ(say(me, "text", "bat xat"), 200u);
        ASSERT_EQ(say(me, "text", "Đường vào thôn bị sạt lở, xe máy không đi được"), 200u);
        ASSERT_FALSE(wait_for(me, offers("send_anonymous")).is_null()) << "no review";
    }

    // After the photo was sent: taken for the concern, then a location, sent anonymously.
    // The receipt, or null.
    json finish_after_photo(const std::string& me) {
        if (wait_for(me, [](const json& m) {
                return m["text"].get<std::string>().starts_with("Đã nhận");
            }).is_null()) {
            ADD_FAILURE() << "the photo was not taken";
            return nullptr;
        }
        EXPECT_EQ(say(me, "location", json{{"lat", 22.336331}, {"lon", 103.843761}}), 200u);
        EXPECT_EQ(say(me, "choice", "send_anonymous"), 200u);
        return wait_for(me, [](const json& m) {
            return m["text"].get<std::string>().find("LC-") != std::string::npos;
        });
    }

    // Uploads a photo: its media id ("" after a failure, reported).
    std::string upload(const std::string& me, std::string bytes) {
        auto up = send(bhttp::verb::post, "/chat/api/web/photos", me, std::move(bytes), "image/jpeg");
        EXPECT_EQ(up.result_int(), 201u) << up.body();
        return up.result_int() == 201u ? json::parse(up.body())["media"].get<std::string>() : "";
    }

    static std::function<bool(const json&)> offers(const std::string& choice) {
        return [choice](const json& m) {
            for (const auto& c : m["choices"])
                if (c["id"] == choice) return true;
            return false;
        };
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::running_gateway> gw_;
};

TEST_F(WebChat, TheChatPageSetsAnHttpOnlySessionCookieAndLoadsNothingFromOutside) {
    auto res = send(bhttp::verb::get, "/chat", "");
    ASSERT_EQ(res.result_int(), 200u);
    EXPECT_NE(res[bhttp::field::content_type].find("text/html"), std::string::npos);
    std::string cookie(res[bhttp::field::set_cookie]);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
    EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain http: " << cookie;
    std::string csp(res["Content-Security-Policy"]);
    EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
    const auto& page = res.body();
    EXPECT_NE(page.find("data-channel=\"web\""), std::string::npos);
    EXPECT_EQ(page.find("{{"), std::string::npos) << "an unfilled placeholder";
    EXPECT_EQ(page.find("http://"), std::string::npos);
    EXPECT_EQ(page.find("https://"), std::string::npos);
    EXPECT_LT(page.size(), 30u * 1024);
    // A browser that already has a session keeps it.
    const std::string given = cookie.substr(9, cookie.find(';') - 9);
    auto again = send(bhttp::verb::get, "/chat/web", given);
    EXPECT_EQ(again.result_int(), 200u);
    EXPECT_EQ(again.count(bhttp::field::set_cookie), 0u);
    EXPECT_EQ(send(bhttp::verb::get, "/chat/nope", "").result_int(), 404u);
}

TEST_F(WebChat, ACitizenFilesAConcernWithAPhotoAndALocation) {
    const std::string me = open_page();
    ASSERT_FALSE(me.empty());
    EXPECT_TRUE(messages(me).empty());

    reach_review(me);
    ASSERT_FALSE(HasFatalFailure());

    const std::string media = upload(me, jpeg(20000));
    EXPECT_TRUE(std::filesystem::exists(dir_ / "media" / media)) << media;
    EXPECT_EQ(std::filesystem::file_size(dir_ / "media" / media), 20000u);
    ASSERT_EQ(say(me, "image", media), 200u);
    auto receipt = finish_after_photo(me);
    ASSERT_FALSE(receipt.is_null()) << "no receipt";

    auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    auto concerns = db->list_concerns("", 10);
    ASSERT_EQ(concerns.size(), 1u);
    const auto& c = concerns[0];
    EXPECT_EQ(c.channel, "web");
    EXPECT_EQ(c.topic, "roads");
    EXPECT_EQ(c.commune_code, "02683");
    EXPECT_EQ(c.text, "Đường vào thôn bị sạt lở, xe máy không đi được");
    EXPECT_EQ(c.media, json::array({media}));
    ASSERT_TRUE(c.lat && c.lon);
    EXPECT_DOUBLE_EQ(*c.lat, 22.336331);
    EXPECT_TRUE(c.anonymous);
    EXPECT_NE(receipt["text"].get<std::string>().find(c.ref), std::string::npos);

    // The page's view: sent messages only, in id order, and `after` skips what it has shown.
    auto all = messages(me);
    for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1]["id"], all[i]["id"]);
    auto newer = messages(me, all[all.size() - 2]["id"].get<std::int64_t>());
    ASSERT_EQ(newer.size(), 1u);
    EXPECT_EQ(newer[0], all.back());
    // Nothing went to any platform: every reply was delivered locally.
    EXPECT_EQ(gw_->metrics().value("dgw_outbox_sends_total", {{"channel", "web"}, {"result", "sent"}}), 0.0);
    EXPECT_EQ(gw_->metrics().value("dgw_outbox_sends_total", {{"channel", "web"}, {"result", "local"}}),
              static_cast<double>(all.size()));
    EXPECT_EQ(gw_->metrics().value("dgw_webchat_photos_total", {{"channel", "web"}, {"result", "stored"}}), 1.0);

    // The photo is copied into the database like any platform's, so an official may show it
    // on the public page.
    std::vector<store::media_copy> copies;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    do {
        copies = db->media_copies_of(c.id);
        if (!copies.empty() && copies[0].status != store::media_copy_status::pending) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(copies.size(), 1u);
    EXPECT_EQ(copies[0].status, store::media_copy_status::kept) << copies[0].reason;
    auto file = db->find_media_file(copies[0].id);
    ASSERT_TRUE(file);
    EXPECT_EQ(file->bytes.size(), 20000u);
    EXPECT_EQ(file->content_type, "image/jpeg");
}

TEST_F(WebChat, PhotosNothingRefersToAreDeletedAfterTheGracePeriodAndAnErasedCitizensGoToo) {
    namespace fs = std::filesystem;
    const auto media = dir_ / "media";
    // Citizen one files a concern with a photo.
    const std::string one = open_page();
    reach_review(one);
    ASSERT_FALSE(HasFatalFailure());
    const std::string filed_photo = upload(one, jpeg(20000, 'a'));
    ASSERT_EQ(say(one, "image", filed_photo), 200u);
    ASSERT_FALSE(finish_after_photo(one).is_null()) << "no receipt";
    // Citizen two has sent one and is still talking; two more uploads were never sent.
    const std::string two = open_page();
    reach_review(two);
    ASSERT_FALSE(HasFatalFailure());
    const std::string asked = upload(two, jpeg(20000, 'b'));
    ASSERT_EQ(say(two, "image", asked), 200u);
    ASSERT_FALSE(wait_for(two, [](const json& m) {
                     return m["text"].get<std::string>().starts_with("Đã nhận");
                 }).is_null());
    const std::string abandoned = upload(two, jpeg(20000, 'c'));
    const std::string recent = upload(two, jpeg(20000, 'd'));
    std::ofstream(media / "partial.jpg.part") << "a crash interrupted this upload";
    // As far as the disk knows, all but `recent` were written three days ago (the grace period
    // is 48 hours).
    const auto three_days_ago = fs::file_time_type::clock::now() - 72h;
    for (const auto& name : {filed_photo, asked, abandoned, std::string("partial.jpg.part")})
        fs::last_write_time(media / name, three_days_ago);

    auto gone = [&](const std::string& name) {
        auto deadline = std::chrono::steady_clock::now() + 20s;
        while (fs::exists(media / name) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
        return !fs::exists(media / name);
    };
    start(config::webchat_config{});  // the sweep runs at start, then hourly
    EXPECT_TRUE(gone(abandoned)) << "an old photo nothing refers to";
    // The sweep removes files one by one: wait for this one as for the first.
    EXPECT_TRUE(gone("partial.jpg.part")) << "an old interrupted upload";
    EXPECT_TRUE(fs::exists(media / filed_photo)) << "a concern refers to it";
    EXPECT_TRUE(fs::exists(media / asked)) << "a conversation under way refers to it";
    EXPECT_TRUE(fs::exists(media / recent)) << "uploaded within the grace period";
    // Counted once the sweep is back from the file thread.
    auto removed = [&] {
        return gw_->metrics().value("dgw_webchat_photos_total", {{"channel", "web"}, {"result", "removed"}});
    };
    for (auto deadline = std::chrono::steady_clock::now() + 20s;
         removed() < 2 && std::chrono::steady_clock::now() < deadline;)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(removed(), 2.0);

    // Citizen one's data is erased: the concern keeps its text, and the photo goes.
    gw_.reset();
    {
        auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        auto concerns = db->list_concerns("", 10);
        ASSERT_EQ(concerns.size(), 1u);
        ASSERT_TRUE(db->erase_contact(concerns[0].contact_id, std::chrono::system_clock::now()));
    }
    start(config::webchat_config{});
    EXPECT_TRUE(gone(filed_photo)) << "the erased citizen's photo";
    EXPECT_TRUE(fs::exists(media / asked));
    EXPECT_TRUE(fs::exists(media / recent));
}

TEST_F(WebChat, UploadsAreCheckedByTypeSizeAndSession) {
    const std::string me = open_page();
    auto status = [&](const std::string& cookie, const std::string& body, const std::string& type) {
        return send(bhttp::verb::post, "/chat/api/web/photos", cookie, body, type).result_int();
    };
    EXPECT_EQ(status(me, "GIF89a....", "image/gif"), 415u);
    EXPECT_EQ(status(me, "not a jpeg at all", "image/jpeg"), 415u) << "magic bytes, not the header";
    EXPECT_EQ(status(me, std::string("\x89PNG\r\n\x1A\n....", 12), "image/jpeg"), 415u)
        << "a PNG declared as JPEG";
    EXPECT_EQ(status(me, jpeg(max_photo + 1), "image/jpeg"), 413u);
    EXPECT_EQ(status("", jpeg(1000), "image/jpeg"), 401u);
    EXPECT_EQ(status(me, std::string("\x89PNG\r\n\x1A\n....", 12), "image/png"), 201u);
    EXPECT_EQ(status(me, jpeg(max_photo), "image/jpeg"), 201u) << "exactly the limit";
    // Only the two accepted photos are on disk, under their content hashes.
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_ / "media")) {
        ++files;
        EXPECT_TRUE(std::regex_match(e.path().filename().string(),
                                     std::regex("[0-9a-f]{64}\\.(jpg|png)")))
            << e.path();
    }
    EXPECT_EQ(files, 2u);
}

TEST_F(WebChat, OneSessionCannotFillTheDiskWithPhotos) {
    config::webchat_config quota;
    quota.photos_per_session_per_hour = 2;
    start(quota);
    const std::string me = open_page();
    const std::string other = open_page();
    auto upload = [&](const std::string& cookie, char fill) {
        return send(bhttp::verb::post, "/chat/api/web/photos", cookie, jpeg(1000, fill), "image/jpeg");
    };
    EXPECT_EQ(upload(me, 'a').result_int(), 201u);
    EXPECT_EQ(upload(me, 'b').result_int(), 201u);
    auto third = upload(me, 'c');
    EXPECT_EQ(third.result_int(), 429u) << third.body();
    EXPECT_EQ(json::parse(third.body())["error"]["code"], "too_many_photos");
    // Two an hour: the next one about half an hour from now.
    const int retry = std::stoi(std::string(third[bhttp::field::retry_after]));
    EXPECT_GT(retry, 1700);
    EXPECT_LE(retry, 1800);
    EXPECT_EQ(upload(other, 'd').result_int(), 201u) << "another citizen is not held back";
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_ / "media")) ++files;
    EXPECT_EQ(files, 3u) << "the refused photo was not written";
    EXPECT_EQ(gw_->metrics().value("dgw_webchat_photos_total", {{"channel", "web"}, {"result", "limited"}}), 1);
}

TEST_F(WebChat, OneSessionCannotFloodTheInbox) {
    config::webchat_config quota;
    quota.messages_per_session_per_minute = 3;
    start(quota);
    const std::string me = open_page();
    const std::string other = open_page();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(say(me, "text", "xin chao"), 200u);
    auto fourth = send(bhttp::verb::post, "/webhooks/web", me,
                       json({{"id", "flood-1"}, {"text", "xin chao"}}).dump());
    EXPECT_EQ(fourth.result_int(), 429u) << fourth.body();
    EXPECT_EQ(json::parse(fourth.body())["error"]["code"], "too_many_messages");
    // Three a minute: the next one about 20 s from now.
    const int retry = std::stoi(std::string(fourth[bhttp::field::retry_after]));
    EXPECT_GT(retry, 15);
    EXPECT_LE(retry, 20);
    EXPECT_EQ(say(other, "text", "xin chao"), 200u) << "another citizen is not held back";
    EXPECT_EQ(gw_->metrics().value("dgw_webhooks_total", {{"channel", "web"}, {"outcome", "limited"}}), 1);
    EXPECT_EQ(gw_->metrics().value("dgw_webhooks_total", {{"channel", "web"}, {"outcome", "accepted"}}), 4)
        << "the refused message was not stored";
}

// The per-session limit was dodged by making up a cookie for every message: the server took
// any 32 hex digits. Now a made-up or tampered value is no session; asking for messages with
// one starts a fresh session the gateway signs, and only so many per address.
TEST_F(WebChat, ForgedCookiesAreNoSession) {
    const std::string me = open_page();
    const std::string id = me.substr(0, 32);
    const std::string signature = me.substr(33);
    int refused = 0;
    for (int i = 0; i < 20; ++i) {
        char made_up[33];
        std::snprintf(made_up, sizeof made_up, "%032x", 0x5eed + i);
        for (const std::string& forged :
             {std::string(made_up), std::string(made_up) + "." + signature,
              id + "." + std::string(64, 'a')}) {
            if (post(forged, {{"id", "forged-" + std::to_string(i)}, {"text", "xin chao"}}) == 401u)
                ++refused;
        }
    }
    EXPECT_EQ(refused, 60);
    EXPECT_EQ(
        gw_->metrics().value("dgw_webhooks_total", {{"channel", "web"}, {"outcome", "accepted"}}),
        0);
    // Asking for messages with a forged value: a fresh session through the issuing path.
    auto res =
        send(bhttp::verb::get, "/chat/api/web/messages?after=0", id + "." + std::string(64, 'a'));
    EXPECT_EQ(res.result_int(), 200u);
    std::string set_cookie(res[bhttp::field::set_cookie]);
    ASSERT_TRUE(set_cookie.starts_with("dgw_chat=")) << set_cookie;
    EXPECT_EQ(set_cookie.find(id), std::string::npos) << "not the id the client chose";
    EXPECT_EQ(
        post(set_cookie.substr(9, set_cookie.find(';') - 9), {{"id", "1"}, {"text", "xin chao"}}),
        200u);
}

TEST_F(WebChat, NewSessionsPerAddressAreCapped) {
    config::webchat_sessions_config sessions;
    sessions.new_sessions_per_address_per_hour = 3;
    start(config::webchat_config{}, sessions);
    for (int i = 0; i < 3; ++i) EXPECT_FALSE(open_page().empty()) << i;
    // The page is still served, without a session; its fetches are told to wait.
    auto page = send(bhttp::verb::get, "/chat", "");
    EXPECT_EQ(page.result_int(), 200u);
    EXPECT_EQ(page.count(bhttp::field::set_cookie), 0u);
    auto res = send(bhttp::verb::get, "/chat/api/web/messages?after=0", "forged");
    EXPECT_EQ(res.result_int(), 429u);
    EXPECT_EQ(json::parse(res.body())["error"]["code"], "too_many_sessions");
    const int retry = std::stoi(std::string(res[bhttp::field::retry_after]));
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 1200) << "three an hour: the next within twenty minutes";
    // Another address is not held back.
    res = send(bhttp::verb::get, "/chat/api/web/messages?after=0", "", "", "application/json",
               "127.0.0.2");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_NE(std::string(res[bhttp::field::set_cookie]).find("dgw_chat="), std::string::npos);
    EXPECT_EQ(gw_->metrics().value("dgw_webchat_sessions_total", {{"result", "limited"}}), 2);
}

// Sessions are free to get: the channel as a whole takes only so many messages a minute.
TEST_F(WebChat, TheChannelTakesOnlySoManyMessagesWhoeverSendsThem) {
    config::webchat_config quota;
    quota.messages_per_minute = 5;
    start(quota);
    std::vector<std::string> citizens;
    for (int i = 0; i < 6; ++i) citizens.push_back(open_page());
    for (int i = 0; i < 5; ++i) EXPECT_EQ(say(citizens[i], "text", "xin chao"), 200u) << i;
    auto sixth = send(bhttp::verb::post, "/webhooks/web", citizens[5],
                      json({{"id", "one-too-many"}, {"text", "xin chao"}}).dump());
    EXPECT_EQ(sixth.result_int(), 429u) << sixth.body();
    EXPECT_EQ(json::parse(sixth.body())["error"]["code"], "too_many_messages");
    EXPECT_GT(std::stoi(std::string(sixth[bhttp::field::retry_after])), 0);
    EXPECT_EQ(
        gw_->metrics().value("dgw_webhooks_total", {{"channel", "web"}, {"outcome", "accepted"}}),
        5);
}

TEST_F(WebChat, PostsNeedASessionAndJsonAndARedeliveryChangesNothing) {
    const std::string me = open_page();
    const json hello = {{"id", "same-id"}, {"text", "xin chào"}};
    EXPECT_EQ(post("", hello), 401u);
    EXPECT_EQ(post("nothex", hello), 401u);
    EXPECT_EQ(send(bhttp::verb::post, "/webhooks/web", me, hello.dump(), "text/plain").result_int(),
              415u);
    EXPECT_EQ(send(bhttp::verb::post, "/webhooks/web", me, "id=1&text=x",
                   "application/x-www-form-urlencoded")
                  .result_int(),
              415u);
    EXPECT_EQ(post(me, {{"id", "x"}}), 400u);
    EXPECT_EQ(post(me, {{"id", "x"}, {"image", "../../etc/passwd"}}), 400u);

    auto db = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
    EXPECT_EQ(db->list_inbox(std::nullopt, 100).size(), 0u) << "refused posts stored nothing";
    ASSERT_EQ(post(me, hello), 200u);
    ASSERT_FALSE(wait_for(me, offers("raise")).is_null());
    const auto replies = messages(me).size();
    ASSERT_EQ(post(me, hello), 200u) << "a retried post is answered 200";
    EXPECT_EQ(db->list_inbox(std::nullopt, 100).size(), 1u);
    // Wait until the worker has nothing left, then the replies are still those of one post.
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while ((db->inbox_backlog() > 0 || db->outbox_pending() > 0) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(messages(me).size(), replies);
}

TEST_F(WebChat, AnotherBrowserSeesNoneOfTheFirstCitizensMessages) {
    const std::string first = open_page();
    const std::string second = open_page();
    ASSERT_NE(first, second);
    ASSERT_EQ(post(first, {{"id", "1"}, {"text", "xin chào"}}), 200u);
    ASSERT_FALSE(wait_for(first, offers("raise")).is_null());
    EXPECT_TRUE(messages(second).empty());
    // The same client id from another session is another message, not a duplicate.
    ASSERT_EQ(post(second, {{"id", "1"}, {"text", "xin chào"}}), 200u);
    auto mine = wait_for(second, offers("raise"));
    ASSERT_FALSE(mine.is_null());
    for (const auto& m : messages(first)) EXPECT_NE(m["id"], mine["id"]);

    // A fetch without a session gets a new one and nothing else.
    auto res = send(bhttp::verb::get, "/chat/api/web/messages?after=0", "");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(json::parse(res.body())["messages"], json::array());
    EXPECT_NE(std::string(res[bhttp::field::set_cookie]).find("dgw_chat="), std::string::npos);
    EXPECT_EQ(send(bhttp::verb::get, "/chat/api/web/messages?after=-1", first).result_int(), 400u);
    EXPECT_EQ(send(bhttp::verb::get, "/chat/api/nope/messages", first).result_int(), 404u);
}

TEST(WebChatTls, TheSessionCookieIsSecureOverTls) {
    auto cert = test::make_self_signed("localhost");
    auto cfg = test::base_gateway_config(cert.dir);
    cfg.server.tls = config::tls_config{cert.cert, cert.key};
    config::channel_config ch;
    ch.id = "web";
    ch.type = "webchat";
    ch.webchat.media_dir = (cert.dir / "media").string();
    cfg.channels.push_back(ch);
    {
        test::running_gateway gw(cfg);
        net::io_context ioc;
        http::client_options co;
        co.ca_file = cert.cert;
        http::client client(ioc.get_executor(), co);
        http::client_request req;
        req.method = http::verb::get;
        req.url = "https://127.0.0.1:" + std::to_string(gw.port()) + "/chat";
        auto fut = net::co_spawn(ioc, client.send(req), net::use_future);
        ioc.run();
        auto res = fut.get();
        ASSERT_TRUE(res.has_value()) << res.error().message;
        EXPECT_EQ(res->status, 200u);
        std::string cookie(res->headers[bhttp::field::set_cookie]);
        EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
        EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    }
    std::filesystem::remove_all(cert.dir);
}

}  // namespace
}  // namespace dgw
