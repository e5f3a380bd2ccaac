// The store on PostgreSQL: the contract suite (store_contract.cpp), each test on a new database
// of the throwaway server ctest's `postgres` fixture starts, then what only a shared database
// server brings: migrations raced by gateways starting together, the same event from two
// gateways at once, a server that is unreachable, refuses, or drops the connection.

#include "store_contract.hpp"
#include "support/postgres.hpp"

#include <dgw/store/postgres_store.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace dgw::store::contract {
namespace {

using namespace std::chrono_literals;

// The database of the store the suite has open; dropped when the next test opens its own (the
// store itself is closed by then) or when the program ends.
std::unique_ptr<test::scratch_database> scratch;

INSTANTIATE_TEST_SUITE_P(
    Postgres, StoreContract,
    ::testing::Values(backend{"postgres",
                              [](const std::filesystem::path&) -> std::unique_ptr<store> {
                                  scratch.reset();
                                  scratch = std::make_unique<test::scratch_database>();
                                  return open_postgres({scratch->url()});
                              }}),
    [](const auto& param_info) { return param_info.param.name; });

// Three gateways starting at once on a new database: each waits for the lock, the first applies
// the migrations, the others find them applied. Each opens, none fails, the schema is whole.
TEST(PostgresStore, GatewaysStartingTogetherApplyTheMigrationsOnce) {
    test::scratch_database db;
    std::atomic<int> opened{0};
    std::vector<std::string> errors(3);
    std::vector<std::thread> gateways;
    for (int i = 0; i < 3; ++i)
        gateways.emplace_back([&, i] {
            try {
                auto s = open_postgres({db.url()});
                if (s->healthy()) ++opened;
            } catch (const std::exception& e) {
                errors[static_cast<std::size_t>(i)] = e.what();
            }
        });
    for (auto& t : gateways) t.join();
    for (const auto& e : errors) EXPECT_EQ(e, "");
    EXPECT_EQ(opened.load(), 3);
    EXPECT_EQ(test::psql(db.url(), "SELECT version FROM dgw_schema"),
              std::to_string(postgres_schema_version()));
    EXPECT_EQ(test::psql(db.url(), "SELECT count(*) FROM dgw_schema"), "1");
    // And a fourth, later, changes nothing.
    open_postgres({db.url()});
    EXPECT_EQ(test::psql(db.url(), "SELECT version FROM dgw_schema"),
              std::to_string(postgres_schema_version()));
}

// The same platform message delivered to two gateways at the same instant, many times: one
// inbox row each, reported fresh by exactly one of them.
TEST(PostgresStore, TheSameEventFromTwoGatewaysAtOnceIsStoredOnce) {
    test::scratch_database db;
    auto a = open_postgres({db.url()});
    auto b = open_postgres({db.url()});
    constexpr int rounds = 200;
    std::atomic<int> go{0};
    std::vector<int> fresh_a(rounds), fresh_b(rounds);
    auto deliver = [&](store& s, std::vector<int>& fresh) {
        for (int i = 0; i < rounds; ++i) {
            while (go.load() < i) std::this_thread::yield();  // both start round i together
            auto r = s.append_inbox({{"telegram", text_event("u" + std::to_string(i), "7", "hi"), t0}});
            fresh[static_cast<std::size_t>(i)] = static_cast<int>(r.stored);
            if (&fresh == &fresh_b) go.store(i + 1);
        }
    };
    std::thread ta([&] { deliver(*a, fresh_a); });
    std::thread tb([&] { deliver(*b, fresh_b); });
    ta.join();
    tb.join();
    for (int i = 0; i < rounds; ++i)
        EXPECT_EQ(fresh_a[static_cast<std::size_t>(i)] + fresh_b[static_cast<std::size_t>(i)], 1)
            << "round " << i;
    EXPECT_EQ(a->inbox_backlog(), static_cast<std::size_t>(rounds));
    EXPECT_EQ(test::psql(db.url(), "SELECT count(DISTINCT dedup_key) FROM inbox"),
              std::to_string(rounds));
}

// Several gateways' workers on one database: a contact's events are taken by one transaction
// at a time (the others skip that contact, without waiting), and the next taker sees what the
// last one committed.
TEST(PostgresStore, OneWorkerAtATimeTakesAContactsEventsAndTheNextSeesWhatItCommitted) {
    test::scratch_database db;
    auto a = open_postgres({db.url()});
    auto b = open_postgres({db.url()});
    a->append_inbox({{"telegram", text_event("1", "x", "x1"), t0},
                     {"telegram", text_event("2", "x", "x2"), t0},
                     {"telegram", text_event("3", "y", "y1"), t0}});
    auto texts = [](const std::vector<inbox_row>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r.event.text);
        return out;
    };
    a->transact([&] {
        const auto mine = a->pending_inbox(2);  // the first two events: contact x
        EXPECT_EQ(texts(mine), (std::vector<std::string>{"x1", "x2"}));
        b->transact([&] {
            EXPECT_EQ(texts(b->pending_inbox(10)), (std::vector<std::string>{"y1"}))
                << "x is a's until a's transaction ends";
        });
        std::vector<step_write> steps(2);
        steps[0].inbox_id = mine[0].id;
        steps[1].inbox_id = mine[1].id;
        a->commit_steps(steps);
    });
    a->append_inbox({{"telegram", text_event("4", "x", "x3"), t0}});
    b->transact([&] {
        EXPECT_EQ(texts(b->pending_inbox(10)), (std::vector<std::string>{"y1", "x3"}));
    });
}

TEST(PostgresStore, ATimerIsFiredByOneGatewayOnly) {
    test::scratch_database db;
    auto a = open_postgres({db.url()});
    auto b = open_postgres({db.url()});
    auto c = a->upsert_contact("telegram", "x", "", "", t0);
    step_write w;
    w.conversations.push_back({"x.0", c.id, "raise_concern", 1, {}, true, "", t0, t0});
    w.timers.push_back({0, "x.0", "remind", t0 + 1min});
    std::vector<step_write> steps{w};
    a->commit_steps(steps);
    a->transact([&] {
        auto due = a->due_timers(t0 + 2min, 10);
        ASSERT_EQ(due.size(), 1u);
        b->transact([&] { EXPECT_TRUE(b->due_timers(t0 + 2min, 10).empty()); });
        step_write fire;
        fire.timer_id = due[0].id;
        std::vector<step_write> fired{fire};
        a->commit_steps(fired);
    });
    b->transact([&] { EXPECT_TRUE(b->due_timers(t0 + 2min, 10).empty()); });
}

// Two workers racing over one backlog of many contacts' interleaved events: every event is
// taken exactly once, and each contact's events in the order they were stored.
TEST(PostgresStore, TwoWorkersRacingTakeEveryEventOnceAndEachContactsInOrder) {
    test::scratch_database db;
    auto seed = open_postgres({db.url()});
    constexpr int users = 20, per_user = 25;
    std::vector<inbox_item> items;
    for (int i = 0; i < per_user; ++i)
        for (int u = 0; u < users; ++u)
            items.push_back({"telegram",
                             text_event(std::to_string(i) + "/" + std::to_string(u),
                                        "u" + std::to_string(u), std::to_string(i)),
                             t0});
    seed->append_inbox(items);
    std::mutex mu;
    std::map<std::string, std::vector<int>> seen;  // user -> the event numbers, as taken
    std::atomic<int> taken{0};
    auto work = [&](store& s) {
        for (int idle = 0; idle < 200 && taken.load() < users * per_user;) {
            std::size_t n = 0;
            s.transact([&] {
                auto rows = s.pending_inbox(7);
                n = rows.size();
                std::vector<step_write> steps(rows.size());
                for (std::size_t i = 0; i < rows.size(); ++i) steps[i].inbox_id = rows[i].id;
                {
                    std::lock_guard lock(mu);
                    for (const auto& r : rows) seen[r.event.user_id].push_back(std::stoi(r.event.text));
                }
                s.commit_steps(steps);
            });
            taken += static_cast<int>(n);
            if (n == 0) {
                ++idle;
                std::this_thread::sleep_for(1ms);
            }
        }
    };
    auto a = open_postgres({db.url()});
    auto b = open_postgres({db.url()});
    std::thread ta([&] { work(*a); });
    std::thread tb([&] { work(*b); });
    ta.join();
    tb.join();
    EXPECT_EQ(taken.load(), users * per_user);
    ASSERT_EQ(seen.size(), static_cast<std::size_t>(users));
    std::vector<int> in_order(per_user);
    for (int i = 0; i < per_user; ++i) in_order[static_cast<std::size_t>(i)] = i;
    for (const auto& [user, events] : seen) EXPECT_EQ(events, in_order) << user;
    EXPECT_EQ(seed->inbox_backlog(), 0u);
}

// Nobody listening: a clear error naming where, never the password in the URL.
TEST(PostgresStore, AnUnreachableServerIsUnavailableNamingHostAndPortNotThePassword) {
    try {
        open_postgres({"postgresql://dgw:s3cret-pass@127.0.0.1:1/dgw?connect_timeout=2"});
        FAIL() << "opened";
    } catch (const unavailable& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("127.0.0.1:1/dgw"), std::string::npos) << what;
        EXPECT_EQ(what.find("s3cret-pass"), std::string::npos) << what;
    }
}

TEST(PostgresStore, AMissingDatabaseIsUnavailableNamingIt) {
    try {
        open_postgres({test::with_database(test::postgres_url(), "no_such_db")});
        FAIL() << "opened";
    } catch (const unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("no_such_db"), std::string::npos) << e.what();
    }
}

// A database a newer build migrated further: this build refuses it rather than run on a
// schema it does not know.
TEST(PostgresStore, ASchemaNewerThanThisBuildIsRefused) {
    test::scratch_database db;
    open_postgres({db.url()});
    test::psql(db.url(), "UPDATE dgw_schema SET version = version + 1");
    try {
        open_postgres({db.url()});
        FAIL() << "opened";
    } catch (const unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos)
            << e.what();
    }
}

// The server drops the gateway's connection (a restart, a failover, an idle timeout): the call
// that finds it gone is unavailable (the webhook gets 503, the worker retries), nothing is
// half-written, and the next call reconnects by itself, statements prepared again.
TEST(PostgresStore, ADroppedConnectionIsUnavailableOnceThenReopened) {
    test::scratch_database db;
    auto s = open_postgres({db.url()});
    s->append_inbox({{"telegram", text_event("k1", "7", "one"), t0}});
    ASSERT_EQ(s->pending_inbox(10).size(), 1u);
    test::psql(db.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         "datname = current_database() AND pid <> pg_backend_pid()");
    EXPECT_THROW(s->append_inbox({{"telegram", text_event("k2", "7", "two"), t0}}), unavailable);
    auto again = s->append_inbox({{"telegram", text_event("k2", "7", "two"), t0}});
    EXPECT_EQ(again.stored, 1u);
    EXPECT_EQ(s->pending_inbox(10).size(), 2u);
    EXPECT_TRUE(s->healthy());
}

// A flow version published through one gateway's store is announced to the others' listeners
// at once (LISTEN/NOTIFY); a listener whose connection the server dropped listens again and
// says so, since what was announced meanwhile is lost.
TEST(PostgresStore, APublishedFlowIsAnnouncedToListenersWhoListenAgainAfterADrop) {
    test::scratch_database db;
    auto s = open_postgres({db.url()});
    std::mutex mu;
    std::vector<std::string> heard;
    auto heard_copy = [&] {
        std::lock_guard lock(mu);
        return heard;
    };
    change_listener listener(db.url(), [&](const std::string& what) {
        std::lock_guard lock(mu);
        heard.push_back(what);
    });
    auto wait_for = [&](auto done) {
        for (auto until = std::chrono::steady_clock::now() + 5s;
             !done() && std::chrono::steady_clock::now() < until;)
            std::this_thread::sleep_for(10ms);
        return done();
    };
    ASSERT_TRUE(wait_for([&] { return listener.listening(); }));
    EXPECT_EQ(heard_copy(), std::vector<std::string>{""}) << "listening began";

    flow_version v{"menu", 1, R"({"id":"menu"})", "published", "boss", t0, t0};
    s->transact([&] {
        ASSERT_TRUE(s->add_flow_version(v));
        std::this_thread::sleep_for(100ms);
        EXPECT_EQ(heard_copy().size(), 1u) << "nothing is announced before the commit";
    });
    EXPECT_TRUE(wait_for([&] { return heard_copy().size() == 2; }));
    EXPECT_EQ(heard_copy().back(), "flows");
    EXPECT_FALSE(s->add_flow_version(v)) << "already there";
    std::this_thread::sleep_for(100ms);
    EXPECT_EQ(heard_copy().size(), 2u) << "nothing new, nothing announced";

    test::psql(db.url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                         "datname = current_database() AND query LIKE 'LISTEN%'");
    EXPECT_TRUE(wait_for([&] { return heard_copy().size() == 3; })) << "listening again";
    EXPECT_EQ(heard_copy().back(), "");
    ASSERT_TRUE(wait_for([&] { return listener.listening(); }));
    v.version = 2;
    ASSERT_TRUE(s->add_flow_version(v));
    EXPECT_TRUE(wait_for([&] { return heard_copy().size() == 4; }));
    EXPECT_EQ(heard_copy().back(), "flows");
}

TEST(PostgresStore, HealthIsFalseWhileTheServerRefusesThenTrueAgain) {
    test::scratch_database db;
    auto s = open_postgres({db.url()});
    EXPECT_TRUE(s->healthy());
    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS false");
    test::psql(test::postgres_url(), "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                     "WHERE datname = '" + db.name() + "'");
    EXPECT_FALSE(s->healthy());
    EXPECT_THROW(s->inbox_backlog(), unavailable);
    test::psql(test::postgres_url(), "ALTER DATABASE " + db.name() + " ALLOW_CONNECTIONS true");
    EXPECT_TRUE(s->healthy());
    EXPECT_EQ(s->inbox_backlog(), 0u);
}

}  // namespace
}  // namespace dgw::store::contract
