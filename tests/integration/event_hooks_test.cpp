// Signed event webhooks to other systems (issue 22 item 3), end to end: the real gateway
// in-process, officials' API calls over loopback, and a local receiver that fails for a while
// before it takes events. Each event must arrive once, signed as README documents, in the
// order its concern changed, with no personal data.

#include "support/mock_platform.hpp"
#include "support/running_gateway.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/api/accounts.hpp>
#include <dgw/channels/crypto.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

namespace dgw {
namespace {

namespace bhttp = boost::beast::http;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string secret = "whsec-for-the-ops-centre-0001";
constexpr std::size_t failures = 3;  // the receiver's first answers: 503

// What a receiver does with a delivery (README, "Signed event webhooks"): the HMAC-SHA256 of
// "<timestamp>.<raw body>" under the shared secret, in hex after "sha256=".
bool verified(const test::mock_platform::request& r) {
    auto ts = r.headers.find("x-dgw-timestamp");
    auto sig = r.headers.find("x-dgw-signature");
    if (ts == r.headers.end() || sig == r.headers.end()) return false;
    return sig->second ==
           "sha256=" + channels::to_hex(channels::hmac_sha256(secret, ts->second + "." + r.body));
}

class EventHooksTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = test::make_temp_dir("dgw-hooks");
        receiver_ = std::make_unique<test::mock_platform>(200, "{}");
        receiver_->respond_with(
            [](const test::mock_platform::request&,
               std::size_t n) -> std::optional<test::mock_platform::answer> {
                if (n < failures) return test::mock_platform::answer{503, "down for maintenance", {}, {}};
                return std::nullopt;
            });
        auto cfg = test::base_gateway_config(dir_);
        cfg.outbound_hooks.push_back({"ops",
                                      receiver_->base() + "/dgw-events",
                                      secret,
                                      {"concern.filed", "concern.status", "concern.answered",
                                       "session.changed"},
                                      false});
        gw_ = std::make_unique<test::running_gateway>(cfg);
        db_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        const auto now = std::chrono::system_clock::now();
        auto admin = api::add_user(*db_, "boss", "admin", {}, now);
        ASSERT_TRUE(admin.account) << admin.error;
        db_->set_password(admin.account->user.id, admin.account->user.password_hash, false, now);
        token_ = *api::issue_token(*db_, "boss", now);
    }
    void TearDown() override {
        db_.reset();
        gw_.reset();
        receiver_.reset();
        std::filesystem::remove_all(dir_);
    }

    bhttp::response<bhttp::string_body> call(bhttp::verb v, const std::string& target,
                                             const json& body = nullptr) {
        test::sync_client c(gw_->port());
        bhttp::request<bhttp::string_body> req{v, target, 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::authorization, "Bearer " + token_);
        if (!body.is_null()) {
            req.set(bhttp::field::content_type, "application/json");
            req.body() = body.dump();
        }
        req.prepare_payload();
        return c.send(req);
    }

    std::filesystem::path dir_;
    std::unique_ptr<test::mock_platform> receiver_;
    std::unique_ptr<test::running_gateway> gw_;
    std::unique_ptr<store::store> db_;
    std::string token_;
};

TEST_F(EventHooksTest, AReceiverThatFailsForAWhileGetsEachEventOnceSignedAndInOrder) {
    // A letter registered at the desk, with the citizen's name and phone given with consent.
    auto filed = call(bhttp::verb::post, "/api/v1/concerns",
                      {{"source", "letter"},
                       {"topic", "roads"},
                       {"commune_code", "02683"},
                       {"text", "Đường vào thôn 3 bị sạt lở, xe không qua được"},
                       {"name", "Lò Văn A"},
                       {"phone", "0912345678"},
                       {"consent", true}});
    ASSERT_EQ(filed.result_int(), 201u) << filed.body();
    const auto concern = json::parse(filed.body());
    const std::string ref = concern["ref"], session = concern["session"];
    ASSERT_FALSE(session.empty()) << "a road concern of Bát Xát has a session";

    // Assigned within the office (nothing to tell), answered (its status, then its answer),
    // and its session moved to another hall.
    ASSERT_EQ(call(bhttp::verb::patch, "/api/v1/concerns/" + ref, {{"assignee", "boss"}}).result_int(), 200u);
    auto answered = call(bhttp::verb::post, "/api/v1/sessions/" + session + "/answers",
                         {{"concern", ref}, {"text", "Huyện đã bố trí kinh phí sửa trong tháng 1."}});
    ASSERT_EQ(answered.result_int(), 200u) << answered.body();
    auto moved = call(bhttp::verb::patch, "/api/v1/sessions/" + session, {{"venue", "Hội trường UBND xã"}});
    ASSERT_EQ(moved.result_int(), 200u) << moved.body();

    // Four events, each delivered after the receiver's three refusals.
    ASSERT_TRUE(receiver_->wait_for(failures + 4, 20s)) << receiver_->count() << " requests";
    std::this_thread::sleep_for(300ms);  // anything sent twice would have arrived by now
    const auto all = receiver_->requests();
    ASSERT_EQ(all.size(), failures + 4) << "each event delivered once";
    std::set<std::string> deliveries;
    std::map<std::string, std::vector<std::string>> by_subject;  // delivered, in arrival order
    for (std::size_t i = 0; i < all.size(); ++i) {
        const auto& r = all[i];
        EXPECT_EQ(r.method, "POST");
        EXPECT_EQ(r.path, "/dgw-events");
        EXPECT_TRUE(verified(r)) << r.body;
        const auto body = json::parse(r.body);
        EXPECT_EQ(r.headers.at("x-dgw-event"), body["type"]);
        EXPECT_EQ(r.headers.at("x-dgw-delivery"), std::to_string(body["id"].get<std::int64_t>()));
        const auto age = std::chrono::system_clock::now() -
                         std::chrono::system_clock::time_point(
                             std::chrono::seconds(std::stoll(r.headers.at("x-dgw-timestamp"))));
        EXPECT_LT(age, 60s) << "signed when sent";
        for (const char* personal : {"0912345678", "Lò Văn A", "thôn 3"})
            EXPECT_EQ(r.body.find(personal), std::string::npos) << personal << " in " << r.body;
        if (i < failures) continue;
        EXPECT_TRUE(deliveries.insert(r.headers.at("x-dgw-delivery")).second) << "twice: " << r.body;
        const std::string subject =
            body["type"] == "session.changed" ? "session:" + body["data"]["id"].get<std::string>()
                                              : body["data"]["ref"].get<std::string>();
        by_subject[subject].push_back(body["type"]);
    }
    EXPECT_EQ(by_subject[ref],
              (std::vector<std::string>{"concern.filed", "concern.status", "concern.answered"}));
    EXPECT_EQ(by_subject["session:" + session], (std::vector<std::string>{"session.changed"}));

    // The message log shows them, sent, the first after its retries.
    auto log = call(bhttp::verb::get, "/api/v1/messages?limit=50");
    ASSERT_EQ(log.result_int(), 200u) << log.body();
    std::size_t events = 0, retried = 0;
    const auto lines = json::parse(log.body());
    for (const auto& line : lines["items"]) {
        if (line["kind"] != "event") continue;
        ++events;
        EXPECT_EQ(line["channel"], "hook:ops");
        EXPECT_EQ(line["status"], "sent") << line.dump();
        if (line["attempts"].get<int>() > 1) ++retried;
    }
    EXPECT_EQ(events, 4u);
    EXPECT_GE(retried, 1u) << "the refusals were retried";
}

TEST_F(EventHooksTest, AnEventTheReceiverRefusesForGoodFailsWithTheReasonAndTheNextGoes) {
    receiver_->respond_with(
        [](const test::mock_platform::request& r,
           std::size_t) -> std::optional<test::mock_platform::answer> {
            if (r.body.find("concern.filed") != std::string::npos)
                return test::mock_platform::answer{422, "unknown topic", {}, {}};
            return std::nullopt;
        });
    auto filed = call(bhttp::verb::post, "/api/v1/concerns",
                      {{"source", "reception"}, {"topic", "roads"}, {"commune_code", "02683"},
                       {"text", "Cầu treo bị hỏng"}});
    ASSERT_EQ(filed.result_int(), 201u) << filed.body();
    const std::string ref = json::parse(filed.body())["ref"];
    ASSERT_EQ(call(bhttp::verb::patch, "/api/v1/concerns/" + ref, {{"status", "forwarded"}}).result_int(),
              200u);
    ASSERT_TRUE(receiver_->wait_for(2, 20s));
    std::this_thread::sleep_for(300ms);
    const auto all = receiver_->requests();
    ASSERT_EQ(all.size(), 2u) << "a refusal for good is not retried";
    EXPECT_NE(all[0].body.find("concern.filed"), std::string::npos);
    EXPECT_NE(all[1].body.find("concern.status"), std::string::npos) << "the next event still goes";

    auto log = json::parse(call(bhttp::verb::get, "/api/v1/messages?limit=50").body());
    bool seen = false;
    for (const auto& line : log["items"]) {
        if (line["kind"] != "event" || line["text"] != "concern.filed") continue;
        seen = true;
        EXPECT_EQ(line["status"], "failed");
        EXPECT_NE(line["error"].get<std::string>().find("422"), std::string::npos) << line.dump();
    }
    EXPECT_TRUE(seen);
}

}  // namespace
}  // namespace dgw
