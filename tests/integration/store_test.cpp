// The store on SQLite: the contract suite (store_contract.cpp) in memory and in a file, then
// what only SQLite has: its file, its migrations, its log, its backups.

#include "store_contract.hpp"

#include <dgw/store/sqlite_store.hpp>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <tuple>

namespace dgw::store::contract {
namespace {

using namespace std::chrono_literals;

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreContract,
    ::testing::Values(
        backend{"memory", [](const std::filesystem::path&) {
                    return open_sqlite({":memory:"});
                }},
        backend{"file",
                [](const std::filesystem::path& dir) {
                    return open_sqlite({(dir / "dgw.sqlite").string()});
                }}),
    [](const auto& param_info) { return param_info.param.name; });

// What a sender of an older build wrote in its file (today's statements name columns an old
// schema lacks, claimed_by among them): SQL run on the file directly.
void old_build_writes(const std::string& path, const std::string& sql) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(raw);
    sqlite3_close(raw);
}

// A contact as an older build wrote it (today's contact statements read the invitation, which
// an old schema lacks): its id.
std::int64_t old_build_contact(const std::string& path, const std::string& channel,
                               const std::string& user_id) {
    old_build_writes(path, "INSERT INTO contacts (channel, user_id, display_name, language, "
                           "created_at, last_inbound_at) VALUES ('" + channel + "', '" + user_id +
                           "', '', 'vi', 0, 0)");
    sqlite3* raw = nullptr;
    std::int64_t id = 0;
    if (sqlite3_open(path.c_str(), &raw) == SQLITE_OK) {
        const std::string sql = "SELECT id FROM contacts WHERE channel = '" + channel +
                                "' AND user_id = '" + user_id + "'";
        sqlite3_exec(raw, sql.c_str(), [](void* out, int, char** v, char**) {
            *static_cast<std::int64_t*>(out) = std::stoll(v[0]);
            return 0;
        }, &id, nullptr);
    }
    sqlite3_close(raw);
    EXPECT_NE(id, 0) << "the old build's contact " << channel << ":" << user_id;
    return id;
}

// The gateway dies while a photo is fetched (the copy taken, nothing recorded): after a
// restart the copy is neither lost nor made twice.
TEST(SqliteStore, APhotoCopyTakenWhenTheProcessDiedIsTakenAgainAfterItsLeaseAndKeptOnce) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    std::int64_t copy_id = 0;
    {
        auto db = open_sqlite({path});
        auto ct = db->upsert_contact("telegram", "900", "", "vi", t0);
        std::vector<step_write> steps(1);
        steps[0].concerns = {with_photos(ct.id, "LC-CR1", {"file-z"})};
        db->commit_steps(steps);
        auto taken = db->claim_media_copies(t0, t0 + 2min, 10);
        ASSERT_EQ(taken.size(), 1u);
        copy_id = taken[0].id;
    }  // gone without a word
    auto db = open_sqlite({path});
    EXPECT_EQ(db->media_copies_pending(), 1u) << "not lost";
    EXPECT_TRUE(db->claim_media_copies(t0 + 1min, t0 + 3min, 10).empty()) << "still leased";
    auto again = db->claim_media_copies(t0 + 2min, t0 + 4min, 10);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].id, copy_id);
    EXPECT_TRUE(db->keep_media_copy(copy_id, jpeg_file("\xFF\xD8\xFFz", t0 + 3min)));
    EXPECT_FALSE(db->keep_media_copy(copy_id, jpeg_file("\xFF\xD8\xFFz", t0 + 3min)));
    db.reset();

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT count(*) FROM media_files", -1, &q, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int64(q, 0), 1) << "one copy of the bytes";
    sqlite3_finalize(q);
    sqlite3_close(raw);
    std::filesystem::remove_all(dir);
}

// A database an older build left: its concerns stay as they were, and new ones queue copies.
TEST(SqliteStore, ThePhotoCopiesMigrationKeepsOlderConcernsAndQueuesNewOnes) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    {
        // As the build before photo copies (migration 14) left it: its concern written with
        // the columns that build had (later migrations add others).
        sqlite_options old{path};
        old.schema_version = 13;
        auto db = open_sqlite(old);
        db.reset();
        const auto old_contact_id = old_build_contact(path, "telegram", "901");
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        const std::string sql =
            "INSERT INTO concerns (ref, contact_id, channel, conversation_key, topic, commune_code, "
            "commune_name, text, media, phone, anonymous, consent, urgent, status, session_id, "
            "session_label, route_reason, answer, answers, created_at, updated_at) VALUES ('LC-OLD', " +
            std::to_string(old_contact_id) +
            ", 'telegram', 'k', 'roads', '02683', 'Xã Bát Xát', 'trước', '[\"old-file\"]', '', 1, 0, 0, "
            "'scheduled', '', '', '', '', '{}', 0, 0)";
        EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(raw);
        sqlite3_close(raw);
    }
    auto db = open_sqlite({path});
    auto old = db->find_concern("LC-OLD");
    ASSERT_TRUE(old);
    EXPECT_EQ(old->media, nlohmann::json::array({"old-file"}));
    EXPECT_EQ(old->source, "chat") << "migration 15: what came before came by chat";
    EXPECT_EQ(old->citizen_name, "");
    EXPECT_TRUE(db->media_copies_of(old->id).empty());
    auto ct = db->upsert_contact("telegram", "902", "", "vi", t0);
    std::vector<step_write> steps(1);
    steps[0].concerns = {with_photos(ct.id, "LC-NEW", {"new-file"})};
    db->commit_steps(steps);
    EXPECT_EQ(db->media_copies_pending(), 1u);
    db.reset();
    std::filesystem::remove_all(dir);
}

TEST(SqliteStore, DataSurvivesReopeningTheFile) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    {
        auto db = open_sqlite({path});
        db->append_inbox({{"telegram", text_event("1:1", "1", "kept"), t0}});
    }
    auto db = open_sqlite({path});
    ASSERT_EQ(db->pending_inbox(5).size(), 1u);
    EXPECT_EQ(db->pending_inbox(5)[0].event.text, "kept");
    EXPECT_TRUE(db->healthy());
    std::filesystem::remove_all(dir);
}

// What an older build left in the file: migration 9 rebuilds the inbox and the outbox (their
// status checks), and every row, column, index and check must come through.
// A row the gateway did not write as it writes them (a disk fault, a hand edit): reading it
// says which row and what is wrong, never a bare nlohmann exception; an unreadable inbox event
// is marked failed instead of stopping the worker at it forever.
TEST(SqliteStore, UnreadableRowsNameThemselvesAndDoNotStopTheInbox) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    auto db = open_sqlite({path});
    db->append_inbox({{"telegram", text_event("1:1", "1", "first"), t0},
                      {"telegram", text_event("1:2", "1", "second"), t0},
                      {"telegram", text_event("1:3", "1", "third"), t0}});
    auto contact = db->upsert_contact("telegram", "1", "An", "vi", t0);
    concern c;
    c.ref = "LC-BAD1";
    c.contact_id = contact.id;
    c.channel = "telegram";
    c.conversation_key = "k";
    c.status = core::concern_status::scheduled;
    c.created_at = c.updated_at = t0;
    std::vector<step_write> steps(1);
    steps[0].concerns.push_back(c);
    db->commit_steps(steps);

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    auto exec = [raw](const std::string& sql) {
        EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
    };
    exec("UPDATE inbox SET event = '{\"dedup_key\": 1e999}' WHERE dedup_key = '1:2'");
    exec("UPDATE concerns SET media = '[\"a\",' WHERE ref = 'LC-BAD1'");
    sqlite3_close(raw);

    auto pending = db->pending_inbox(10);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].event.text, "first");
    EXPECT_EQ(pending[1].event.text, "third");
    EXPECT_EQ(db->inbox_backlog(), 2u) << "the unreadable one is failed, not pending";
    try {
        (void)db->find_concern("LC-BAD1");
        ADD_FAILURE() << "an unreadable concern was read";
    } catch (const corrupt_row& e) {
        EXPECT_NE(std::string(e.what()).find("concerns LC-BAD1 media"), std::string::npos)
            << e.what();
    }
    // An erasure goes through even so.
    EXPECT_TRUE(db->erase_contact(contact.id, t0 + 1s));
    db.reset();
    std::filesystem::remove_all(dir);
}

std::string ms(time_point t) {
    return std::to_string(
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

TEST(SqliteStore, MigrationNineKeepsTheInboxAndOutboxRowsColumnsIndexesAndChecks) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    std::vector<std::int64_t> inbox_ids;
    std::int64_t claimed = 0, sent = 0;
    {
        sqlite_options old{path};
        old.schema_version = 8;
        auto db = open_sqlite(old);
        db->append_inbox({{"telegram", text_event("1:1", "1", "first"), t0},
                          {"telegram", text_event("1:2", "1", "second"), t0},
                          {"telegram", text_event("2:1", "2", "third"), t0}});
        for (const auto& r : db->pending_inbox(10)) inbox_ids.push_back(r.id);
        const auto contact_id = old_build_contact(path, "telegram", "1");
        step_write s;
        s.inbox_id = inbox_ids[0];
        for (const char* text : {"reply one", "reply two"}) {
            outbox_message m;
            m.channel = "telegram";
            m.user_id = "1";
            m.contact_id = contact_id;
            m.payload = {{"text", text}};
            m.next_attempt_at = m.created_at = t0;
            m.inbox_id = inbox_ids[0];
            s.outbox.push_back(std::move(m));
        }
        std::vector<step_write> steps{s};
        db->commit_steps(steps);
        sent = steps[0].outbox[0].id;
        claimed = steps[0].outbox[1].id;
    }
    old_build_writes(path, "UPDATE outbox SET status = 'sent', sent_at = " + ms(t0 + 1s) +
                               ", attempts = 1 WHERE id = " + std::to_string(sent) +
                               "; UPDATE outbox SET claimed_at = " + ms(t0 + 2s) +
                               " WHERE id = " + std::to_string(claimed));
    auto db = open_sqlite({path});
    // The inbox: the two events not yet processed, in order, and its unique key.
    auto pending = db->pending_inbox(10);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].id, inbox_ids[1]);
    EXPECT_EQ(pending[0].event.text, "second");
    EXPECT_EQ(pending[1].event.text, "third");
    EXPECT_EQ(db->append_inbox({{"telegram", text_event("1:1", "1", "again"), t0}}).duplicates, 1u);
    // The outbox: the claim a crashed sender left is still there (claimed_at), so the message
    // is released as in doubt; the sent one is not offered again.
    EXPECT_EQ(db->release_claims(), 1u);
    auto due = parsed(db->sendable_outbox(t0 + 1min, 10));
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].id, claimed);
    EXPECT_EQ(due[0].payload.at("text"), "reply two");
    EXPECT_TRUE(due[0].in_doubt);
    db.reset();

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    auto count = [raw](const char* sql) {
        sqlite3_stmt* q = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(raw, sql, -1, &q, nullptr), SQLITE_OK) << sql;
        std::int64_t n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
        sqlite3_finalize(q);
        return n;
    };
    EXPECT_EQ(count("PRAGMA user_version"), sqlite_schema_version());
    EXPECT_EQ(count("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN ("
                    "'inbox_pending', 'inbox_user', 'outbox_pending', 'outbox_contact', "
                    "'outbox_pending_order', 'outbox_user')"),
              6);
    EXPECT_EQ(count("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v9'"), 0);
    // The checks still refuse a status nobody knows.
    EXPECT_EQ(sqlite3_exec(raw, "UPDATE outbox SET status = 'lost'", nullptr, nullptr, nullptr),
              SQLITE_CONSTRAINT);
    EXPECT_EQ(sqlite3_exec(raw, "UPDATE inbox SET status = 'lost'", nullptr, nullptr, nullptr),
              SQLITE_CONSTRAINT);
    EXPECT_EQ(count("SELECT count(*) FROM outbox WHERE status = 'sent'"), 1);
    sqlite3_close(raw);
    std::filesystem::remove_all(dir);
}

// Migration 10 adds columns and indexes, and copies no table: what was pending is still
// offered (nothing held), and the permissions' table is there.
TEST(SqliteStore, MigrationTenKeepsTheQueuesAsTheyWere) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    std::int64_t waiting = 0, sent = 0;
    {
        sqlite_options old{path};
        old.schema_version = 9;
        auto db = open_sqlite(old);
        const auto contact_id = old_build_contact(path, "messenger", "2734");
        step_write s;
        for (const char* text : {"sent already", "still waiting"}) {
            outbox_message m;
            m.channel = "messenger";
            m.user_id = "2734";
            m.contact_id = contact_id;
            m.payload = {{"text", text}};
            m.next_attempt_at = m.created_at = t0;
            s.outbox.push_back(std::move(m));
        }
        std::vector<step_write> steps{s};
        db->commit_steps(steps);
        waiting = steps[0].outbox[1].id;
        sent = steps[0].outbox[0].id;
    }
    old_build_writes(path, "UPDATE outbox SET status = 'sent', sent_at = " + ms(t0) +
                               ", attempts = 1 WHERE id = " + std::to_string(sent));
    auto db = open_sqlite({path});
    auto due = db->sendable_outbox(t0 + 1s, 10);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].id, waiting);
    EXPECT_FALSE(due[0].held_at);
    EXPECT_EQ(due[0].path, "");
    EXPECT_EQ(db->outbox_pending(), 1u);
    EXPECT_EQ(db->outbox_held(), 0u);
    EXPECT_TRUE(db->reach_of(1).permissions.empty());
    db.reset();
    std::filesystem::remove_all(dir);
}

// The writer's commits no longer checkpoint (that moved to a thread of the store's own): the
// database file must still receive what the log holds while the store stays open, and the log
// must be reused rather than grow with everything ever written.
TEST(SqliteStore, TheLogIsCopiedIntoTheFileWhileTheStoreIsOpen) {
    auto dir = test::make_temp_dir("dgw-store");
    const auto path = dir / "dgw.sqlite";
    auto wal = path;
    wal += "-wal";
    auto db = open_sqlite({path.string()});
    const auto empty = std::filesystem::file_size(path);
    // About 24 MB in 60 commits: six times the log size that calls for a checkpoint.
    const std::string body(4000, 'x');
    std::uintmax_t largest_log = 0;
    for (int commit = 0; commit < 60; ++commit) {
        std::vector<inbox_item> items;
        for (int i = 0; i < 100; ++i)
            items.push_back({"telegram",
                             text_event(std::to_string(commit) + ":" + std::to_string(i), "1", body),
                             t0});
        db->append_inbox(items);
        largest_log = std::max(largest_log, std::filesystem::file_size(wal));
    }
    // The checkpoints run beside the writer: wait for the last one to reach the file.
    for (int i = 0; i < 200 && std::filesystem::file_size(path) < 16'000'000; ++i)
        std::this_thread::sleep_for(50ms);
    EXPECT_GT(std::filesystem::file_size(path), 16'000'000u) << "started at " << empty;
    EXPECT_LT(largest_log, 16'000'000u) << "the log was not reused";
    EXPECT_EQ(db->pending_inbox(10'000).size(), 6000u);
    db.reset();
    EXPECT_EQ(open_sqlite({path.string()})->pending_inbox(10'000).size(), 6000u);
    std::filesystem::remove_all(dir);
}

TEST(SqliteStore, UnopenableFileIsUnavailableNamingThePath) {
    try {
        open_sqlite({"/nonexistent-dir/dgw.sqlite"});
        FAIL() << "must throw";
    } catch (const unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/dgw.sqlite"), std::string::npos);
    }
}

// An older build started on a file a newer one migrated (a rollback after an upgrade): refused,
// saying why, and the file left as it was.
TEST(SqliteStore, ASchemaNewerThanThisBuildIsRefused) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "dgw.sqlite").string();
    open_sqlite({path});
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    const auto newer = std::to_string(sqlite_schema_version() + 1);
    ASSERT_EQ(sqlite3_exec(db, ("PRAGMA user_version = " + newer).c_str(), nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    try {
        open_sqlite({path});
        FAIL() << "opened";
    } catch (const unavailable& e) {
        EXPECT_NE(std::string(e.what()).find("newer than this build"), std::string::npos)
            << e.what();
    }
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &q, nullptr);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(std::to_string(sqlite3_column_int(q, 0)), newer) << "left as it was";
    sqlite3_finalize(q);
    sqlite3_close(db);
    std::filesystem::remove_all(dir);
}

TEST(SqliteStore, NotADatabaseIsUnavailable) {
    auto dir = test::make_temp_dir("dgw-store");
    auto path = (dir / "junk.sqlite").string();
    std::ofstream(path) << std::string(4096, 'x');
    EXPECT_THROW(open_sqlite({path}), unavailable);
    std::filesystem::remove_all(dir);
}

// A backup of a store another connection keeps writing to: one consistent snapshot (every
// contact's events whole: a step's rows all there or none), integrity checked, opened as a
// store again; never over an existing file; a missing source or a non-database refused.
TEST(SqliteStore, ABackupOfALiveStoreIsOneConsistentSnapshot) {
    auto dir = test::make_temp_dir("dgw-backup");
    const auto path = (dir / "dgw.sqlite").string();
    auto db = open_sqlite({path});
    for (int i = 0; i < 200; ++i)
        db->append_inbox({{"telegram", text_event("1:" + std::to_string(i), "1", "before " + std::to_string(i)), t0}});
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        auto w = open_sqlite({path});
        for (int i = 0; !stop; ++i) {
            // Two events in one transaction: a snapshot has both or neither.
            w->append_inbox({{"telegram", text_event("2:" + std::to_string(i) + "a", "2", "pair"), t0},
                             {"telegram", text_event("2:" + std::to_string(i) + "b", "2", "pair"), t0}});
            ++written;
        }
    });
    while (written < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const auto copy = (dir / "backup.sqlite").string();
    const auto r = backup_sqlite(path, copy);
    stop = true;
    writer.join();
    EXPECT_GT(r.pages, 0u);
    EXPECT_EQ(r.schema_version, sqlite_schema_version());
    EXPECT_EQ(r.bytes, std::filesystem::file_size(copy));
    EXPECT_FALSE(std::filesystem::exists(copy + ".part"));
    auto back = open_sqlite({copy});
    const auto rows = back->pending_inbox(100000);
    std::size_t pairs = 0, before = 0;
    for (const auto& row : rows) (row.event.text == "pair" ? pairs : before) += 1;
    EXPECT_EQ(before, 200u);
    EXPECT_GT(pairs, 0u) << "written while the backup ran";
    EXPECT_EQ(pairs % 2, 0u) << "a transaction is copied whole or not at all";

    EXPECT_THROW(backup_sqlite(path, copy), unavailable) << "never over an existing file";
    EXPECT_THROW(backup_sqlite((dir / "missing.sqlite").string(), (dir / "b2.sqlite").string()), unavailable);
    const auto junk = (dir / "junk.sqlite").string();
    std::ofstream(junk) << std::string(4096, 'x');
    EXPECT_THROW(backup_sqlite(junk, (dir / "b3.sqlite").string()), unavailable);
    EXPECT_FALSE(std::filesystem::exists(dir / "b3.sqlite"));
    EXPECT_FALSE(std::filesystem::exists(dir / "b3.sqlite.part"));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dgw::store::contract
