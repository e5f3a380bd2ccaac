// The database thread's shared transaction over a real SQLite file: concurrent pieces of work
// share one commit, a piece that fails is rolled back alone, a lost transaction fails everyone
// in it, and outcomes queued without waiting are seen by work submitted after them.

#include <dgw/pipeline/database.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <stdexcept>

namespace dgw::pipeline {
namespace {

using namespace std::chrono_literals;

store::inbox_item item(const std::string& key) {
    store::inbox_item it;
    it.channel = "telegram";
    it.event.dedup_key = key;
    it.event.user_id = "42";
    it.event.text = "xin chao";
    it.received_at = std::chrono::system_clock::now();
    return it;
}

// Coroutines take what they need as parameters: a lambda coroutine's captures would die with
// the lambda object before the coroutine runs.
net::awaitable<void> append(database& db, std::vector<store::inbox_item> items,
                            std::vector<bool>& fresh) {
    fresh = (co_await db.append_inbox(std::move(items))).fresh;
}

net::awaitable<void> backlog(database& db, std::size_t& out) {
    auto read = [](store::store& s) { return s.inbox_backlog(); };
    out = co_await db.run(read);
}

template <class F>
net::awaitable<void> run_catching(database& db, F f, std::string& error) {
    try {
        co_await db.run(std::move(f));
    } catch (const std::exception& e) {
        error = e.what();
    }
}

net::awaitable<void> append_catching(database& db, store::inbox_item it, std::string& error) {
    // Built outside the co_await: g++ 12 rejects a braced list inside a co_await expression.
    std::vector<store::inbox_item> items;
    items.push_back(std::move(it));
    try {
        co_await db.append_inbox(std::move(items));
    } catch (const std::exception& e) {
        error = e.what();
    }
}

net::awaitable<void> hold(database& db, std::shared_future<void> gate,
                          std::shared_ptr<std::promise<void>> entered) {
    // Named, not a temporary inside co_await: g++ 12 destroys such temporaries twice.
    auto wait_for_gate = [gate, entered](store::store&) {
        entered->set_value();
        gate.wait();
    };
    co_await db.run(std::move(wait_for_gate));
}

class DatabaseTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("dgw-database-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(dir_);
        store_ = store::open_sqlite({(dir_ / "dgw.sqlite").string()});
        db_ = std::make_unique<database>(*store_, metrics_);
    }
    void TearDown() override {
        db_.reset();
        store_.reset();
        std::filesystem::remove_all(dir_);
    }

    // Holds the database thread until the returned promise is set, so that everything
    // submitted meanwhile lands in the same round.
    std::promise<void> hold_database() {
        std::promise<void> release;
        auto gate = release.get_future().share();
        auto entered = std::make_shared<std::promise<void>>();
        auto in = entered->get_future();
        spawn(hold(*db_, gate, entered));
        while (in.wait_for(1ms) != std::future_status::ready) ioc_.poll();
        return release;
    }

    void spawn(net::awaitable<void> a) { net::co_spawn(ioc_, std::move(a), net::detached); }

    // Lets every spawned coroutine submit its work (they then wait on the held database
    // thread), releases the thread and runs everything to the end.
    void release_and_run(std::promise<void>& release) {
        while (ioc_.poll() > 0) {
        }
        release.set_value();
        ioc_.restart();
        ioc_.run();
    }

    std::size_t pending() {
        return store_->pending_inbox(100).size();
    }

    std::filesystem::path dir_;
    core::metrics metrics_;
    std::unique_ptr<store::store> store_;
    std::unique_ptr<database> db_;
    net::io_context ioc_;
};

TEST_F(DatabaseTest, ConcurrentWorkSharesOneCommit) {
    auto release = hold_database();
    const double before = metrics_.value("dgw_db_transactions_total", {{"result", "ok"}});
    std::vector<std::vector<bool>> fresh(20);
    std::vector<std::size_t> seen(20, 0);
    for (std::size_t i = 0; i < 20; ++i) {
        spawn(append(*db_, {item("k" + std::to_string(i))}, fresh[i]));
        spawn(backlog(*db_, seen[i]));
    }
    release_and_run(release);
    for (std::size_t i = 0; i < 20; ++i) {
        EXPECT_EQ(fresh[i], std::vector<bool>{true}) << i;
        // The round's appends come first, so every read already sees all twenty.
        EXPECT_EQ(seen[i], 20u) << i;
    }
    // The held round, then ONE more for all forty pieces.
    EXPECT_EQ(metrics_.value("dgw_db_transactions_total", {{"result", "ok"}}) - before, 2);
    EXPECT_EQ(pending(), 20u);
}

TEST_F(DatabaseTest, DuplicatesInOneRoundAreToldApart) {
    auto release = hold_database();
    std::vector<bool> first, second;
    spawn(append(*db_, {item("same"), item("a")}, first));
    spawn(append(*db_, {item("same")}, second));
    release_and_run(release);
    EXPECT_EQ(first, (std::vector<bool>{true, true}));
    EXPECT_EQ(second, (std::vector<bool>{false}));
}

TEST_F(DatabaseTest, AFailingPieceIsRolledBackAlone) {
    auto release = hold_database();
    std::string error, other_error = "not run";
    auto failing = [](store::store& s) {
        s.append_inbox({item("rolled-back")});
        throw std::runtime_error("a bug in this piece");
    };
    spawn(run_catching(*db_, failing, error));
    auto fine = [](store::store& s) { s.append_inbox({item("kept")}); };
    other_error.clear();
    spawn(run_catching(*db_, fine, other_error));
    release_and_run(release);
    EXPECT_EQ(error, "a bug in this piece");
    EXPECT_EQ(other_error, "");
    auto rows = store_->pending_inbox(10);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].event.dedup_key, "kept");
}

TEST_F(DatabaseTest, AnUnavailableStoreFailsTheWholeRoundAndStoresNothing) {
    auto release = hold_database();
    std::string webhook_error, piece_error;
    spawn(append_catching(*db_, item("webhook"), webhook_error));
    auto broken = [](store::store&) { throw store::unavailable("disk full"); };
    spawn(run_catching(*db_, broken, piece_error));
    release_and_run(release);
    // The webhook is not acknowledged (its caller answers 503), and nothing of it is stored.
    EXPECT_EQ(webhook_error, "disk full");
    EXPECT_EQ(piece_error, "disk full");
    EXPECT_EQ(pending(), 0u);
    EXPECT_EQ(metrics_.value("dgw_inbox_commits_total", {{"result", "failed"}}), 1);
}

TEST_F(DatabaseTest, OutcomesQueuedWithoutWaitingAreSeenByLaterWork) {
    store::step_write w;
    store::outbox_message m;
    m.channel = "telegram";
    m.user_id = "42";
    m.contact_id = store_->upsert_contact("telegram", "42", "", "vi", std::chrono::system_clock::now()).id;
    m.payload = core::outbound_message{"xin chao", {}, core::input_hint::none};
    m.next_attempt_at = m.created_at = std::chrono::system_clock::now();
    w.outbox.push_back(m);
    std::vector<store::step_write> steps{w};
    store_->commit_steps(steps);
    const auto id = store_->sendable_outbox(std::chrono::system_clock::now(), 10).at(0).id;

    store::send_result sent;
    sent.id = id;
    sent.attempts = 1;
    sent.at = std::chrono::system_clock::now();
    std::promise<bool> committed;
    db_->record_sends({sent}, [&](std::exception_ptr e) { committed.set_value(e == nullptr); });
    auto read = [](store::store& s) {
        if (!s.sendable_outbox(std::chrono::system_clock::now(), 10).empty())
            throw std::runtime_error("still due");
    };
    std::string error = "not run";
    error.clear();
    spawn(run_catching(*db_, read, error));
    ioc_.run();
    EXPECT_TRUE(committed.get_future().get());
    EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace dgw::pipeline
