// The gateway as a real child process, killed with SIGKILL in the middle of a load of Telegram
// webhooks and restarted, several times. Afterwards: every acknowledged update was processed
// exactly once, every reply reached the (mock) platform in order, and a reply was delivered
// twice only when the store flags it as "in doubt" (the process died between the platform's
// answer and our record of it, the one window no platform without idempotency keys can close).

#include "support/child_process.hpp"
#include "support/mock_telegram.hpp"
#include "support/telegram_load.hpp"
#include "support/test_cert.hpp"

#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

namespace dgw {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* bot_token = "5550002222:AAFcrashTokenForTests_0123456789ab";
constexpr const char* secret = "crash-secret";

TEST(CrashRecovery, SigkillUnderLoadLosesNothingAndRepeatsNothing) {
    test::mock_telegram tg(bot_token);
    auto dir = test::make_temp_dir("dgw-crash");
    const auto db_path = (dir / "dgw.sqlite").string();
    json cfg = {
        {"server", {{"listen", "127.0.0.1:0"}, {"threads", 2}}},
        {"log", {{"level", "error"}}},
        {"store", {{"sqlite", {{"path", db_path}}}}},
        {"flows", {{"dir", DGW_SOURCE_DIR "/flows"}}},
        {"dialogue", {{"file", DGW_SOURCE_DIR "/config/dialogue.json"}}},
        {"metrics", {{"listen", "127.0.0.1:0"}}},
        {"channels",
         {{{"id", "telegram"},
           {"type", "telegram"},
           {"bot_token", bot_token},
           {"secret_token", secret},
           {"api_base", tg.api_base()},
           {"rate_limit",
            {{"per_second", 0},
             {"burst", 0},
             {"per_chat_per_second", 0},
             {"per_chat_burst", 0}}}}}},
        {"pipeline",
         {{"backoff_seconds", 0.05}, {"max_backoff_seconds", 0.2}, {"send_timeout_seconds", 2}}},
    };
    const auto config_path = (dir / "gateway.json").string();
    std::ofstream(config_path) << cfg.dump();

    test::telegram_load traffic(40, secret);
    const int kills = 3;
    for (int round = 0; round <= kills; ++round) {
        test::child_process gw({DGW_BINARY, "serve", "--config", config_path});
        auto port = test::port_from_banner(gw.read_line());
        ASSERT_NE(port, 0) << "round " << round;
        std::thread sender([&] { traffic.run([port] { return port; }, 4, true); });
        if (round < kills) {
            // Kill it while webhooks are arriving and replies are being sent.
            traffic.wait_for_acks(traffic.acked_count() + 60, 30s);
            gw.signal(SIGKILL);
            EXPECT_EQ(gw.wait(), 128 + SIGKILL);
            sender.join();
            continue;
        }
        sender.join();
        ASSERT_TRUE(traffic.all_done());
        // Let the last gateway finish: nothing pending in the inbox or the outbox.
        auto db = store::open_sqlite({db_path});
        auto deadline = std::chrono::steady_clock::now() + 60s;
        while ((db->inbox_backlog() > 0 || db->outbox_pending() > 0) &&
               std::chrono::steady_clock::now() < deadline)
            tg.wait_for_calls(tg.call_count() + 1, 100ms);
        gw.signal(SIGTERM);
        EXPECT_EQ(gw.wait(), 0);
    }

    auto db = store::open_sqlite({db_path});
    // 1. Every acknowledged update is in the inbox once, and was processed.
    auto inbox = db->list_inbox(std::nullopt, 100000);
    std::set<std::string> stored;
    for (const auto& row : inbox) {
        EXPECT_TRUE(stored.insert(row.event.dedup_key).second) << "stored twice: " << row.event.dedup_key;
    }
    EXPECT_EQ(stored, traffic.acked());
    EXPECT_EQ(db->inbox_backlog(), 0u);
    // 2. Each chat filed exactly one concern.
    auto concerns = db->list_concerns("", 1000);
    std::map<std::int64_t, int> per_contact;
    for (const auto& c : concerns) ++per_contact[c.contact_id];
    EXPECT_EQ(concerns.size(), 40u);
    for (const auto& [contact, n] : per_contact) EXPECT_EQ(n, 1) << "contact " << contact;
    // 3. Every reply was sent; at the mock each chat got its replies in order, exactly once,
    //    except that a reply in doubt may have arrived again right after itself: once more
    //    for each kill that found it handed to the platform and not yet recorded (a restarted
    //    gateway sends it again, and can itself be killed while doing so). Never more than
    //    `kills` extra copies, and never for a reply that was not in doubt.
    auto outbox = db->list_outbox({std::nullopt, 100000});
    const auto report = test::check_delivery(traffic, outbox, tg.calls(), kills);
    for (const auto& e : report.errors) ADD_FAILURE() << e;
    const auto in_doubt = report.in_doubt, doubled = report.doubled,
               more_than_twice = report.more_than_twice;
    std::cout << "[ crash    ] " << kills << " kills, " << traffic.acked().size() << " updates, "
              << outbox.size() << " replies, " << in_doubt << " in doubt, " << doubled
              << " delivered again (" << more_than_twice << " more than twice)\n";
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dgw
