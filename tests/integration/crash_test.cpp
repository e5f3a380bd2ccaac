// The gateway as a real child process, killed with SIGKILL in the middle of a load of Telegram
// webhooks and restarted, several times. Afterwards: every acknowledged update was processed
// exactly once, every reply reached the (mock) platform in order, and a reply was delivered
// twice only when the store flags it as "in doubt" (the process died between the platform's
// answer and our record of it, the one window no platform without idempotency keys can close).

#include "support/child_process.hpp"
#include "support/mock_telegram.hpp"
#include "support/sync_client.hpp"
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

const std::vector<std::string> script = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh"};

struct chat_state {
    std::int64_t chat = 0;
    std::size_t next_line = 0;  // index into script of the update being sent
    bool done() const { return next_line >= script.size(); }
};

class load {
public:
    explicit load(int chats) {
        for (int i = 0; i < chats; ++i) chats_.push_back({1'000'000'000'000 + i, 0});
    }

    // Sends pending lines to the gateway on `port` from `threads` threads until every chat is
    // done or the gateway stops answering. Each chat's next line is sent only once the
    // previous one was acknowledged, as a platform does; an unacknowledged one is resent
    // unchanged (same update and message id), as a platform retries.
    void run(std::uint16_t port, int threads) {
        std::vector<std::thread> pool;
        for (int t = 0; t < threads; ++t) {
            pool.emplace_back([this, port, t, threads] {
                for (bool progress = true; progress;) {
                    progress = false;
                    for (std::size_t i = static_cast<std::size_t>(t); i < chats_.size();
                         i += static_cast<std::size_t>(threads)) {
                        auto& c = chats_[i];
                        if (c.done()) continue;
                        if (!post(port, c)) return;  // the gateway is gone
                        progress = true;
                    }
                }
            });
        }
        for (auto& th : pool) th.join();
    }

    bool all_done() const {
        for (const auto& c : chats_)
            if (!c.done()) return false;
        return true;
    }

    void wait_for_acks(std::size_t n, std::chrono::milliseconds max) {
        std::unique_lock lock(mu_);
        cv_.wait_for(lock, max, [&] { return acked_.size() >= n; });
    }

    std::size_t acked_count() const {
        std::lock_guard lock(mu_);
        return acked_.size();
    }
    std::set<std::string> acked() const {
        std::lock_guard lock(mu_);
        return acked_;
    }
    const std::vector<chat_state>& chats() const { return chats_; }

private:
    bool post(std::uint16_t port, chat_state& c) {
        // Message ids are per chat in Telegram; update ids are global but unique per line here.
        const auto msg_id = static_cast<std::int64_t>(c.next_line + 1);
        json update = {
            {"update_id", c.chat % 1'000'000 * 100 + msg_id},
            {"message",
             {{"message_id", msg_id},
              {"date", 1790000000},
              {"chat", {{"id", c.chat}, {"type", "private"}, {"first_name", "A"}}},
              {"from", {{"id", c.chat}, {"is_bot", false}, {"first_name", "A"}}},
              {"text", script[c.next_line]}}}};
        try {
            test::sync_client client(port);
            test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::post,
                                                               "/webhooks/telegram", 11};
            req.set(test::bhttp::field::host, "127.0.0.1");
            req.set(test::bhttp::field::content_type, "application/json");
            req.set("X-Telegram-Bot-Api-Secret-Token", secret);
            req.body() = update.dump();
            req.prepare_payload();
            auto res = client.send(req);
            if (res.result_int() != 200) return false;
        } catch (const std::exception&) {
            return false;
        }
        {
            std::lock_guard lock(mu_);
            acked_.insert(std::to_string(c.chat) + ":" + std::to_string(msg_id));
        }
        cv_.notify_all();
        ++c.next_line;
        return true;
    }

    std::vector<chat_state> chats_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::set<std::string> acked_;
};

std::uint16_t port_from_banner(const std::string& line) {
    std::smatch m;
    if (!std::regex_search(line, m, std::regex(R"(listening on http://[^:]+:(\d+)/)"))) return 0;
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

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

    load traffic(40);
    const int kills = 3;
    for (int round = 0; round <= kills; ++round) {
        test::child_process gw({DGW_BINARY, "serve", "--config", config_path});
        auto port = port_from_banner(gw.read_line());
        ASSERT_NE(port, 0) << "round " << round;
        std::thread sender([&] { traffic.run(port, 4); });
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
    std::map<std::string, std::vector<store::outbox_message>> queued;
    for (auto it = outbox.rbegin(); it != outbox.rend(); ++it) {
        EXPECT_EQ(it->status, "sent") << it->id << " " << it->last_error;
        queued[it->user_id].push_back(*it);
    }
    std::map<std::string, std::vector<std::string>> delivered;
    for (const auto& call : tg.calls())
        if (call.method == "sendMessage" && call.status == 200) delivered[call.chat_id].push_back(call.text);
    std::size_t in_doubt = 0, doubled = 0, more_than_twice = 0;
    for (const auto& c : traffic.chats()) {
        const auto chat = std::to_string(c.chat);
        const auto& want = queued[chat];
        const auto& got = delivered[chat];
        std::size_t g = 0;
        for (const auto& m : want) {
            const std::string text = m.payload["text"];
            ASSERT_LT(g, got.size()) << "chat " << chat << ": reply lost: " << text;
            if (got[g] != text) {
                std::string dump;
                for (const auto& w : want)
                    dump += "\n  want " + std::to_string(w.id) + " attempts " +
                            std::to_string(w.attempts) + (w.in_doubt ? " in doubt " : " ") +
                            w.payload["text"].get<std::string>().substr(0, 30);
                for (const auto& x : got) dump += "\n  got  " + x.substr(0, 30);
                FAIL() << "chat " << chat << ": out of order at " << g << dump;
            }
            ++g;
            if (m.in_doubt) {
                ++in_doubt;
                int extra = 0;
                while (extra < kills && g < got.size() && got[g] == text) {
                    ++extra;
                    ++g;
                }
                if (extra > 0) ++doubled;
                if (extra > 1) ++more_than_twice;
            }
        }
        EXPECT_EQ(g, got.size()) << "chat " << chat << ": a reply arrived that was never queued "
                                 << "or twice without being in doubt";
    }
    std::cout << "[ crash    ] " << kills << " kills, " << traffic.acked().size() << " updates, "
              << outbox.size() << " replies, " << in_doubt << " in doubt, " << doubled
              << " delivered again (" << more_than_twice << " more than twice)\n";
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dgw
