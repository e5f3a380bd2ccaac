// Reaching a citizen weeks after they last wrote, platform by platform: the path plan()
// chooses from the time of their last message, the notice and what they allowed (tokens,
// following, subscriptions), the requests render() makes of each path, the opt-in offered
// after a receipt, the opt-in events parse() reads, and which refusals leave another path.

#include <dgw/channels/common.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/line.hpp>
#include <dgw/channels/messenger.hpp>
#include <dgw/channels/telegram.hpp>
#include <dgw/channels/twilio.hpp>
#include <dgw/channels/viber.hpp>
#include <dgw/channels/webchat.hpp>
#include <dgw/channels/whatsapp.hpp>
#include <dgw/channels/zalo.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

namespace dgw::channels {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using core::reach_path;

const auto t0 = std::chrono::system_clock::time_point{} + 24h * 365 * 56;

core::notice answer_notice() {
    core::notice n;
    n.purpose = core::notice_purpose::answer;
    n.id = "answer:LC-7K4M2:1";
    n.session_id = "commune-02683-2026-12";
    n.refs = {"LC-7K4M2"};
    n.answer = "Huyện sẽ sửa đường\ntrước 15/1.";
    n.link = "https://dialogue.example.vn/chat";
    return n;
}

// A notice `age` after the citizen's last message.
render_context late(std::chrono::hours age, core::notice n = answer_notice()) {
    render_context ctx;
    ctx.now = t0;
    ctx.last_inbound_at = t0 - age;
    ctx.notice = std::move(n);
    ctx.channel = "ch";
    ctx.outbox_id = 42;
    return ctx;
}

core::permission token(core::permission_kind kind, std::string value,
                       std::optional<std::chrono::system_clock::time_point> expires = {}) {
    core::permission p;
    p.kind = kind;
    p.token = std::move(value);
    p.expires_at = expires;
    return p;
}

core::permission state(core::permission_kind kind, bool granted) {
    core::permission p;
    p.kind = kind;
    p.granted = granted;
    return p;
}

const core::outbound_message message{"Phản ánh LC-7K4M2 của bạn đã được trả lời.", {}, {}};

// ---- Messenger -----------------------------------------------------------------------------

messenger_adapter messenger(std::string optin = "", std::map<std::string, std::string> tags = {}) {
    messenger_settings s;
    s.app_secret = "secret";
    s.verify_token = "verify";
    s.page_access_token = "PAGE-TOKEN";
    s.api_base = "https://graph.example";
    s.optin = std::move(optin);
    s.tags = std::move(tags);
    return messenger_adapter(std::move(s));
}

TEST(MessengerLate, InsideTheWindowANoticeIsAnUpdate) {
    auto ctx = late(2h);
    auto plan = messenger().plan(ctx);
    EXPECT_EQ(plan.path, reach_path::free);
    ctx.plan = plan;
    auto r = messenger().render("2734", message, ctx);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(json::parse(r[0].body)["messaging_type"], "UPDATE");
}

TEST(MessengerLate, AfterTheWindowATokenTheCitizenAcceptedGoesFirst) {
    auto ctx = late(30 * 24h);
    ctx.facts.permissions = {
        token(core::permission_kind::one_time_notification, "OTN-1", t0 + 24h * 300),
        token(core::permission_kind::notification_messages, "NMT-expired", t0 - 1h)};
    auto plan = messenger("one_time_notification").plan(ctx);
    ASSERT_EQ(plan.path, reach_path::optin);
    EXPECT_EQ(plan.token, "OTN-1");
    EXPECT_EQ(plan.token_kind, core::permission_kind::one_time_notification);
    ctx.plan = plan;
    auto r = messenger().render("2734", message, ctx);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(json::parse(r[0].body), json::parse(R"({"recipient":{"one_time_notif_token":"OTN-1"},
                              "message":{"text":"Phản ánh LC-7K4M2 của bạn đã được trả lời."}})"));
    // A recurring token that is still good wins over a one-time one.
    ctx.facts.permissions.push_back(
        token(core::permission_kind::notification_messages, "NMT-2", t0 + 24h));
    plan = messenger().plan(ctx);
    EXPECT_EQ(plan.token, "NMT-2");
    ctx.plan = plan;
    EXPECT_EQ(json::parse(messenger().render("2734", message, ctx)[0].body)["recipient"],
              json::parse(R"({"notification_messages_token":"NMT-2"})"));
}

TEST(MessengerLate, ATagOnlyWhereTheProvinceJudgedItFits) {
    auto ctx = late(30 * 24h);
    auto plan = messenger().plan(ctx);
    EXPECT_EQ(plan.path, reach_path::none);
    EXPECT_NE(plan.reason.find("no notification opt-in"), std::string::npos) << plan.reason;
    const auto tagged = messenger("", {{"answer", "ACCOUNT_UPDATE"}});
    plan = tagged.plan(ctx);
    ASSERT_EQ(plan.path, reach_path::tag);
    ctx.plan = plan;
    auto body = json::parse(tagged.render("2734", message, ctx)[0].body);
    EXPECT_EQ(body["messaging_type"], "MESSAGE_TAG");
    EXPECT_EQ(body["tag"], "ACCOUNT_UPDATE");
    EXPECT_EQ(body["recipient"]["id"], "2734");
    // A refused token falls back to the tag.
    ctx.facts.permissions = {token(core::permission_kind::one_time_notification, "OTN")};
    ctx.refused = {reach_path::optin};
    EXPECT_EQ(tagged.plan(ctx).path, reach_path::tag);
    // A reply (not a notice) has no late path at all.
    ctx.notice.reset();
    plan = tagged.plan(ctx);
    EXPECT_EQ(plan.path, reach_path::none);
    EXPECT_EQ(plan.reason, "outside the 24-hour messaging window");
}

TEST(MessengerLate, TheReceiptOffersTheConfiguredOptIn) {
    EXPECT_FALSE(messenger().offer_notifications("2734", "LC-7K4M2", {}));
    auto one = messenger("one_time_notification").offer_notifications("2734", "LC-7K4M2", {});
    ASSERT_TRUE(one);
    EXPECT_EQ(json::parse(one->body), json::parse(R"({
        "recipient":{"id":"2734"},"messaging_type":"RESPONSE",
        "message":{"attachment":{"type":"template","payload":{
            "template_type":"one_time_notif_req","title":"Nhận thông báo khi có trả lời",
            "payload":"LC-7K4M2"}}}})"));
    auto recurring = messenger("notification_messages").offer_notifications("2734", "LC-7K4M2", {});
    ASSERT_TRUE(recurring);
    auto payload = json::parse(recurring->body)["message"]["attachment"]["payload"];
    EXPECT_EQ(payload["template_type"], "notification_messages");
    EXPECT_EQ(payload["notification_messages_frequency"], "MONTHLY");
}

webhook_request meta_post(const std::string& body, const std::string& secret) {
    webhook_request r;
    r.method = "POST";
    r.headers["x-hub-signature-256"] = "sha256=" + to_hex(hmac_sha256(secret, body));
    r.body = body;
    return r;
}

TEST(MessengerLate, OptInEventsBecomePermissions) {
    const std::string body = R"({"object":"page","entry":[{"id":"1067","time":1764148100000,
        "messaging":[
          {"sender":{"id":"2734"},"recipient":{"id":"1067"},"timestamp":1764148100000,
           "optin":{"type":"one_time_notif_req","payload":"LC-7K4M2","one_time_notif_token":"OTN-9"}},
          {"sender":{"id":"2734"},"recipient":{"id":"1067"},"timestamp":1764148200000,
           "optin":{"type":"notification_messages","payload":"LC-7K4M2",
                    "notification_messages_token":"NMT-9","token_expiry_timestamp":"1779700200000",
                    "notification_messages_status":"STOP_NOTIFICATIONS"}},
          {"sender":{"id":"2734"},"recipient":{"id":"1067"},"timestamp":1764148300000,
           "optin":{"ref":"plugin-ref"}}]}]})";
    auto r = messenger().parse(meta_post(body, "secret"));
    ASSERT_EQ(r.outcome, parse_result::verdict::accept) << r.error;
    ASSERT_EQ(r.events.size(), 2u);
    EXPECT_EQ(r.ignored, 1u);                 // the Send to Messenger plugin's opt-in: no token
    EXPECT_EQ(json(r.events[0]), json::parse(R"({"dedup_key":"optin:2734:1764148100000",
        "user_id":"2734","kind":"permission","permission":{"kind":"one_time_notification",
        "granted":true,"token":"OTN-9","topic":"LC-7K4M2",
        "expires_at_ms":1795684100000}})"));  // a year after the opt-in, as Meta documents
    EXPECT_EQ(json(r.events[1]), json::parse(R"({"dedup_key":"optin:2734:1764148200000",
        "user_id":"2734","kind":"permission","permission":{"kind":"notification_messages",
        "granted":false,"token":"NMT-9","topic":"LC-7K4M2","expires_at_ms":1779700200000}})"));
}

TEST(MessengerLate, TheClosedWindowAndAnUnavailableUserLeaveAnotherPath) {
    auto v = messenger().classify(
        400,
        R"({"error":{"message":"(#10) This message is sent outside of allowed window.","type":"OAuthException","code":10,"error_subcode":2018278}})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_TRUE(v.path_refused);
    EXPECT_EQ(v.reason, "outside the 24-hour messaging window");
    EXPECT_TRUE(messenger().classify(400, R"({"error":{"code":551,"message":"x"}})").path_refused);
    EXPECT_FALSE(messenger().classify(400, R"({"error":{"code":100,"message":"x"}})").path_refused);
}

// ---- WhatsApp ------------------------------------------------------------------------------

whatsapp_adapter whatsapp(bool with_template = true) {
    whatsapp_settings s;
    s.app_secret = "secret";
    s.verify_token = "verify";
    s.access_token = "WA-TOKEN";
    s.phone_number_id = "106540352242922";
    s.api_base = "https://graph.example";
    if (with_template) s.templates["answer"] = {"dgw_answer", "vi", {"ref", "answer", "link"}, ""};
    return whatsapp_adapter(std::move(s));
}

TEST(WhatsAppLate, AfterTheWindowTheApprovedTemplateWithItsParametersInOrder) {
    EXPECT_EQ(whatsapp().plan(late(23h)).path, reach_path::free);
    auto ctx = late(30 * 24h);
    auto plan = whatsapp().plan(ctx);
    ASSERT_EQ(plan.path, reach_path::template_message);
    ctx.plan = plan;
    auto r = whatsapp().render("84912345678", message, ctx);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].url, "https://graph.example/106540352242922/messages");
    // The answer's line break is flattened: Meta refuses template parameters with newlines.
    EXPECT_EQ(json::parse(r[0].body), json::parse(R"({
        "messaging_product":"whatsapp","recipient_type":"individual","to":"84912345678",
        "type":"template","template":{"name":"dgw_answer","language":{"code":"vi"},
        "components":[{"type":"body","parameters":[
            {"type":"text","text":"LC-7K4M2"},
            {"type":"text","text":"Huyện sẽ sửa đường trước 15/1."},
            {"type":"text","text":"https://dialogue.example.vn/chat"}]}]}})"));
}

TEST(WhatsAppLate, NoTemplateForThePurposeIsNoPath) {
    auto plan = whatsapp(false).plan(late(30 * 24h));
    EXPECT_EQ(plan.path, reach_path::none);
    EXPECT_NE(plan.reason.find("no approved template"), std::string::npos) << plan.reason;
    auto moved = answer_notice();
    moved.purpose = core::notice_purpose::session_moved;
    EXPECT_EQ(whatsapp().plan(late(30 * 24h, moved)).path, reach_path::none);
    // The platform refused the template (say, not approved in that language): no path left.
    auto ctx = late(30 * 24h);
    ctx.refused = {reach_path::template_message};
    EXPECT_EQ(whatsapp().plan(ctx).path, reach_path::none);
}

// ---- Zalo ----------------------------------------------------------------------------------

zalo_adapter zalo(bool transaction = true, bool zns = true) {
    zalo_settings s;
    s.app_id = "3146720958842301157";
    s.oa_secret_key = "oa-secret";
    s.app_secret = "app-secret";
    s.access_token = "ACCESS";
    s.api_base = "https://openapi.example";
    s.zns_base = "https://business.example";
    if (transaction)
        s.templates["answer"] = {
            "transaction_event", "VI", {"ref", "answer", "session", "link"}, "Trả lời phản ánh"};
    if (zns)
        s.zns["answer"] = {"7895417a7d3f9461cd2e", {{"ma_phan_anh", "ref"}, {"tra_loi", "answer"}}};
    return zalo_adapter(std::move(s));
}

TEST(ZaloLate, ConsultationWithin48HoursThenATransactionMessageToFollowers) {
    EXPECT_EQ(zalo().plan(late(47h)).path, reach_path::free);
    auto ctx = late(30 * 24h);
    ctx.access_token = "FRESH";
    ctx.facts.permissions = {state(core::permission_kind::follow, true)};
    auto plan = zalo().plan(ctx);
    ASSERT_EQ(plan.path, reach_path::template_message);
    ctx.plan = plan;
    ctx.notice->session = "Đối thoại Xã Bát Xát, 15/01/2027";
    auto r = zalo().render("4172906385014736512", message, ctx);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].url, "https://openapi.example/v3.0/oa/message/transaction");
    bool token = false;
    for (const auto& [k, v] : r[0].headers) token = token || (k == "access_token" && v == "FRESH");
    EXPECT_TRUE(token);
    EXPECT_EQ(json::parse(r[0].body), json::parse(R"({
        "recipient":{"user_id":"4172906385014736512"},
        "message":{"attachment":{"type":"template","payload":{
            "template_type":"transaction_event","language":"VI",
            "elements":[
                {"type":"header","content":"Trả lời phản ánh","align":"left"},
                {"type":"table","content":[{"key":"Mã phản ánh","value":"LC-7K4M2"},
                                           {"key":"Buổi đối thoại","value":"Đối thoại Xã Bát Xát, 15/01/2027"}]},
                {"type":"text","align":"left","content":"Huyện sẽ sửa đường trước 15/1."}],
            "buttons":[{"title":"Xem chi tiết","type":"oa.open.url",
                        "payload":{"url":"https://dialogue.example.vn/chat"}}]}}}})"));
}

TEST(ZaloLate, AnUnknownFollowIsTriedAnUnfollowIsNotThenZnsByPhone) {
    auto ctx = late(30 * 24h);
    EXPECT_EQ(zalo().plan(ctx).path, reach_path::template_message);  // follows may predate us
    ctx.facts.permissions = {state(core::permission_kind::follow, false)};
    auto plan = zalo().plan(ctx);
    EXPECT_EQ(plan.path, reach_path::none);
    EXPECT_NE(plan.reason.find("do not follow the OA"), std::string::npos) << plan.reason;
    EXPECT_NE(plan.reason.find("no phone number for ZNS"), std::string::npos) << plan.reason;
    ctx.facts.phone = "84912345678";
    plan = zalo().plan(ctx);
    ASSERT_EQ(plan.path, reach_path::zns);
    ctx.plan = plan;
    auto r = zalo().render("4172906385014736512", message, ctx);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].url, "https://business.example/message/template");
    EXPECT_EQ(json::parse(r[0].body), json::parse(R"({
        "phone":"84912345678","template_id":"7895417a7d3f9461cd2e",
        "template_data":{"ma_phan_anh":"LC-7K4M2","tra_loi":"Huyện sẽ sửa đường trước 15/1."},
        "tracking_id":"ch-42"})"));
    // Refused by the platform (not a follower after all): ZNS next.
    ctx.facts.permissions.clear();
    ctx.refused = {reach_path::template_message};
    EXPECT_EQ(zalo().plan(ctx).path, reach_path::zns);
    EXPECT_EQ(zalo(false, false).plan(ctx).path, reach_path::none);
}

TEST(ZaloLate, TheReceiptInvitesToFollowUnlessTheCitizenAlreadyDoes) {
    render_context ctx;
    ctx.access_token = "FRESH";
    auto offer = zalo().offer_notifications("4172906385014736512", "LC-7K4M2", ctx);
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->url, "https://openapi.example/v3.0/oa/message/cs");
    EXPECT_NE(json::parse(offer->body)["message"]["text"].get<std::string>().find("Quan tâm"),
              std::string::npos);
    ctx.facts.permissions = {state(core::permission_kind::follow, true)};
    EXPECT_FALSE(zalo().offer_notifications("4172906385014736512", "LC-7K4M2", ctx));
}

TEST(ZaloLate, RefusalsOfTheCitizenLeaveAnotherPath) {
    auto v = zalo().classify(
        200,
        R"({"error":-230,"message":"User has not interacted with the OA in the past 7 days"})");
    EXPECT_EQ(v.outcome, send_verdict::kind::permanent);
    EXPECT_TRUE(v.path_refused);
    EXPECT_TRUE(zalo()
                    .classify(200, R"({"error":-213,"message":"User has not followed OA"})")
                    .path_refused);
    EXPECT_TRUE(zalo()
                    .classify(200, R"({"error":-118,"message":"Zalo account not existed"})")
                    .path_refused);
    EXPECT_EQ(zalo().classify(200, R"({"error":-100,"message":"Unknown error"})").outcome,
              send_verdict::kind::retry);
    auto unfollow = zalo().parse([] {
        const std::string body =
            R"({"app_id":"3146720958842301157","oa_id":"2851","event_name":"unfollow","timestamp":"1764148100230","follower":{"id":"4172906385014736512"}})";
        webhook_request r;
        r.method = "POST";
        r.body = body;
        r.headers["x-zevent-signature"] =
            "mac=" + to_hex(sha256("3146720958842301157" + body + "1764148100230oa-secret"));
        return r;
    }());
    ASSERT_EQ(unfollow.events.size(), 1u) << unfollow.error;
    ASSERT_TRUE(unfollow.events[0].permission);
    EXPECT_FALSE(unfollow.events[0].permission->granted);
}

// ---- Viber, LINE, Telegram, SMS, web chat ----------------------------------------------------

TEST(OtherPlatformsLate, AnyTimeUnlessTheCitizenStoppedThem) {
    const viber_adapter viber({"viber-token"});
    const line_adapter line({"line-secret", "LINE-TOKEN"});
    const telegram_adapter telegram({"123:ABC", "secret"});
    const twilio_adapter sms({"AC1", "token", "+84123", "https://x/webhooks/sms"});
    auto ctx = late(30 * 24h);
    for (const adapter* a : std::initializer_list<const adapter*>{&viber, &line, &telegram, &sms})
        EXPECT_EQ(a->plan(ctx).path, reach_path::free) << a->type();
    ctx.facts.permissions = {state(core::permission_kind::subscription, false)};
    EXPECT_EQ(viber.plan(ctx).path, reach_path::none);
    EXPECT_EQ(viber.plan(ctx).reason, "the citizen unsubscribed from the Viber account");
    EXPECT_EQ(line.plan(ctx).path, reach_path::none);
    EXPECT_EQ(line.plan(ctx).reason, "the citizen blocked the LINE account");
    ctx.facts.permissions = {state(core::permission_kind::subscription, true)};
    EXPECT_EQ(viber.plan(ctx).path, reach_path::free);
    // Viber and Telegram refuse the citizen, not the message: another path may reach them.
    EXPECT_TRUE(
        viber.classify(200, R"({"status":6,"status_message":"notSubscribed"})").path_refused);
    EXPECT_TRUE(
        telegram
            .classify(
                403,
                R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})")
            .path_refused);
    // The web chat keeps it on the citizen's page.
    EXPECT_EQ(webchat_adapter().plan(ctx).path, reach_path::page);
}

}  // namespace
}  // namespace dgw::channels
