// The SQLite driver of the store (store/sql/db.hpp): its schema's migrations, statements,
// transactions, and the checkpoints of its write-ahead log on a thread of their own.
#include "dgw/store/sqlite_store.hpp"

#include "store/sql/sql_store.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace dgw::store {

namespace {

// Numbered migrations; PRAGMA user_version records how many have run. Never edit one that
// has shipped: add the next.
constexpr std::array<std::string_view, 25> migrations{{
    R"sql(
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT NOT NULL DEFAULT '',
  language TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_inbound_at INTEGER NOT NULL,
  UNIQUE (channel, user_id)
);
CREATE TABLE inbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  event TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  processed_at INTEGER,
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (channel, dedup_key)
);
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
CREATE INDEX inbox_user ON inbox (channel, user_id, id);
CREATE TABLE conversations (
  key TEXT PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  flow_id TEXT NOT NULL,
  flow_version INTEGER NOT NULL,
  state TEXT NOT NULL,
  active INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX conversations_one_active ON conversations (contact_id) WHERE active = 1;
CREATE TABLE concerns (
  id INTEGER PRIMARY KEY,
  ref TEXT NOT NULL UNIQUE,
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  channel TEXT NOT NULL,
  conversation_key TEXT NOT NULL,
  topic TEXT NOT NULL,
  commune_code TEXT NOT NULL,
  commune_name TEXT NOT NULL,
  text TEXT NOT NULL,
  media TEXT NOT NULL,
  lat REAL,
  lon REAL,
  phone TEXT NOT NULL,
  anonymous INTEGER NOT NULL,
  consent INTEGER NOT NULL,
  urgent INTEGER NOT NULL,
  status TEXT NOT NULL,
  session_id TEXT NOT NULL,
  session_label TEXT NOT NULL,
  route_reason TEXT NOT NULL,
  answer TEXT NOT NULL DEFAULT '',
  answers TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX concerns_session ON concerns (session_id, id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  inbox_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_pending ON outbox (channel, user_id, id) WHERE status = 'pending';
CREATE INDEX outbox_contact ON outbox (contact_id, id);
CREATE TABLE timers (
  id INTEGER PRIMARY KEY,
  conversation_key TEXT NOT NULL,
  timer_id TEXT NOT NULL,
  due_at INTEGER NOT NULL
);
CREATE INDEX timers_due ON timers (due_at);
CREATE INDEX timers_conversation ON timers (conversation_key);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT NOT NULL DEFAULT '',
  after TEXT NOT NULL DEFAULT ''
);
)sql",
    // 2: sends in doubt. A message is claimed (claimed_at) just before it is handed to the
    // platform; a claim still standing when a new process starts means the process died
    // between the platform's answer and our mark, so the message is resent and flagged.
    R"sql(
ALTER TABLE outbox ADD COLUMN claimed_at INTEGER;
ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
)sql",
    // 3: the pending messages in id order (rowid order within one index key), so the sender
    // finds the heads of the contacts' queues without reading every pending row.
    R"sql(
CREATE INDEX outbox_pending_order ON outbox (status) WHERE status = 'pending';
)sql",
    // 4: refreshed access tokens (Zalo OA). The refresh token works once: after a refresh
    // this row, not the config, holds the only valid pair. `seed` fingerprints the configured
    // pair it was seeded from, so a new pair put in the config replaces it.
    R"sql(
CREATE TABLE channel_tokens (
  channel TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  refresh_token TEXT NOT NULL,
  expires_at INTEGER,
  updated_at INTEGER NOT NULL,
  seed TEXT NOT NULL DEFAULT ''
);
)sql",
    // 5: one user's messages in id order, for pages that fetch their replies (web chat).
    R"sql(
CREATE INDEX outbox_user ON outbox (channel, user_id, id);
)sql",
    // 6: officials and admins (issue 7): accounts, browser sessions and API tokens (both only as
    // SHA-256 of the secret), officials' changes to concerns, sessions and agenda groups.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'official', 'viewer')),
  scope TEXT NOT NULL DEFAULT '[]',
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE login_sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
);
CREATE INDEX login_sessions_user ON login_sessions (user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_target ON audit (target, id);
ALTER TABLE concerns ADD COLUMN assignee TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN agenda_group TEXT NOT NULL DEFAULT '';
CREATE INDEX concerns_contact ON concerns (contact_id);
CREATE TABLE session_overrides (
  session_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  date TEXT NOT NULL,
  venue TEXT NOT NULL,
  note TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE agenda_names (
  session_id TEXT NOT NULL,
  group_key TEXT NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (session_id, group_key)
);
)sql",
    // 7: dialogue sessions admins add beside the config's (issue 7: agencies' conferences,
    // extra meetings); merged into the schedule each time it is built.
    R"sql(
CREATE TABLE added_sessions (
  id TEXT PRIMARY KEY,
  level TEXT NOT NULL,
  locality TEXT NOT NULL,
  date TEXT NOT NULL,
  venue TEXT NOT NULL,
  audience TEXT NOT NULL,
  topics TEXT NOT NULL,
  title_vi TEXT NOT NULL,
  title_en TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 8: flows edited by admins (issue 7): each flow's one draft (version 0) and the versions
    // they published, and how many times conversations reached and left each node.
    R"sql(
CREATE TABLE flow_versions (
  flow_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'published')),
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (flow_id, version),
  CHECK ((status = 'draft') = (version = 0))
);
CREATE TABLE flow_node_counts (
  flow_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  node TEXT NOT NULL,
  reached INTEGER NOT NULL DEFAULT 0,
  left_count INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (flow_id, version, node)
);
)sql",
    // 9: the inbox's and the outbox's status checks as comparisons instead of IN lists. SQLite
    // builds a temporary index for a constant IN list every time a statement checks it: that
    // was about 8 % of the database thread's work per webhook, on the busiest statements.
    // A constraint cannot be changed in place, so both tables are rebuilt with the same
    // columns, rows and indexes (https://sqlite.org/lang_altertable.html#otheralter); no
    // foreign key points at either.
    R"sql(
CREATE TABLE inbox_v9 (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  dedup_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  event TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status = 'pending' OR status = 'done' OR status = 'failed'),
  processed_at INTEGER,
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (channel, dedup_key)
);
INSERT INTO inbox_v9 (id, channel, dedup_key, user_id, event, received_at, status, processed_at,
                      error)
  SELECT id, channel, dedup_key, user_id, event, received_at, status, processed_at, error
  FROM inbox;
DROP TABLE inbox;
ALTER TABLE inbox_v9 RENAME TO inbox;
CREATE INDEX inbox_pending ON inbox (id) WHERE status = 'pending';
CREATE INDEX inbox_user ON inbox (channel, user_id, id);
CREATE TABLE outbox_v9 (
  id INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  user_id TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status = 'pending' OR status = 'sent' OR status = 'failed'),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  inbox_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  claimed_at INTEGER,
  in_doubt INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_v9 (id, channel, user_id, contact_id, kind, payload, status, attempts,
                       next_attempt_at, last_error, inbox_id, created_at, sent_at, claimed_at,
                       in_doubt)
  SELECT id, channel, user_id, contact_id, kind, payload, status, attempts, next_attempt_at,
         last_error, inbox_id, created_at, sent_at, claimed_at, in_doubt
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v9 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (channel, user_id, id) WHERE status = 'pending';
CREATE INDEX outbox_contact ON outbox (contact_id, id);
CREATE INDEX outbox_pending_order ON outbox (status) WHERE status = 'pending';
CREATE INDEX outbox_user ON outbox (channel, user_id, id);
)sql",
    // 10: reaching citizens after their platform's reply window. A message no path reaches is
    // held (held_at) until the citizen writes again: still pending, but neither sent nor
    // holding back the contact's later messages, so outbox_pending no longer indexes it. Each
    // message records the path it took; notices record the officials' action and the session
    // they concern, for the reach report. The permissions citizens gave the platforms
    // (notification tokens, following the OA, subscriptions) are kept per contact. New columns
    // with defaults and new indexes: no table is copied.
    R"sql(
ALTER TABLE outbox ADD COLUMN path TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN held_at INTEGER;
ALTER TABLE outbox ADD COLUMN notice_id TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN session_id TEXT NOT NULL DEFAULT '';
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (channel, user_id, id)
  WHERE status = 'pending' AND held_at IS NULL;
CREATE INDEX outbox_held ON outbox (contact_id) WHERE held_at IS NOT NULL;
CREATE INDEX outbox_notices ON outbox (session_id, id) WHERE notice_id <> '';
CREATE TABLE contact_permissions (
  contact_id INTEGER NOT NULL REFERENCES contacts (id),
  kind TEXT NOT NULL,
  token TEXT NOT NULL DEFAULT '',
  granted INTEGER NOT NULL,
  expires_at INTEGER,
  topic TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (contact_id, kind, token)
);
)sql",
    // 11: keys the gateway makes itself at its first start (the web chat's cookie signing key),
    // kept so that a restart, or another gateway on the same database, signs the same way.
    R"sql(
CREATE TABLE gateway_secrets (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
    // 12: when a concern's answer was recorded and by whom, shown on the agenda so the same
    // answer is not sent twice.
    R"sql(
ALTER TABLE concerns ADD COLUMN answered_at INTEGER;
ALTER TABLE concerns ADD COLUMN answered_by TEXT NOT NULL DEFAULT '';
)sql",
    // 13: hand-offs, the conversations the bot gave up on (or where the citizen asked for a
    // person), with what the citizen already said and the exchange with officials.
    R"sql(
CREATE TABLE handoffs (
  id INTEGER PRIMARY KEY,
  contact_id INTEGER NOT NULL REFERENCES contacts(id),
  channel TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  lang TEXT NOT NULL DEFAULT 'vi',
  topic TEXT NOT NULL DEFAULT '',
  commune_code TEXT NOT NULL DEFAULT '',
  commune_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  seen_at INTEGER,
  seen_by TEXT NOT NULL DEFAULT '',
  closed_at INTEGER,
  closed_by TEXT NOT NULL DEFAULT '',
  concern_ref TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX handoffs_one_open ON handoffs (contact_id) WHERE status = 'open';
CREATE INDEX handoffs_by_status ON handoffs (status, updated_at);
CREATE TABLE handoff_messages (
  id INTEGER PRIMARY KEY,
  handoff_id INTEGER NOT NULL REFERENCES handoffs(id),
  author TEXT NOT NULL CHECK (author IN ('citizen', 'official', 'bot')),
  by_name TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX handoff_messages_of ON handoff_messages (handoff_id, id);
)sql",
    // 14: photos that last. A concern's photos are queued for copying when it is filed, in the
    // same transaction (media_copies: one row per photo, retried with backoff, leased while
    // fetched), and their bytes kept here rather than in files, so that a backup, an erasure
    // and another backend each have one place to look (media_files, one row per kept copy).
    R"sql(
CREATE TABLE media_copies (
  id INTEGER PRIMARY KEY,
  concern_id INTEGER NOT NULL REFERENCES concerns (id),
  idx INTEGER NOT NULL,
  channel TEXT NOT NULL,
  media_id TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'kept', 'refused', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (concern_id, idx)
);
CREATE INDEX media_copies_due ON media_copies (next_attempt_at, id) WHERE status = 'pending';
CREATE TABLE media_files (
  copy_id INTEGER PRIMARY KEY REFERENCES media_copies (id),
  content_type TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  bytes BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
)sql",
    // 15: where a concern came from: the chat, or what officials register for people who wrote
    // a letter, came to the reception desk, called the hotline, were in the press or spoke at
    // the meeting (issue 19), with the name they gave (kept with their consent only).
    R"sql(
ALTER TABLE concerns ADD COLUMN source TEXT NOT NULL DEFAULT 'chat';
ALTER TABLE concerns ADD COLUMN citizen_name TEXT NOT NULL DEFAULT '';
)sql",
    // 16: the citizen's say on an answer (issue 19): satisfied, or not and why; a concern
    // re-opened onto the next session names the one it follows.
    R"sql(
ALTER TABLE concerns ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN verdict_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN verdict_at INTEGER;
ALTER TABLE concerns ADD COLUMN follows TEXT NOT NULL DEFAULT '';
CREATE INDEX concerns_awaiting_verdict ON concerns(contact_id, answered_at) WHERE verdict = '';
)sql",
    // 17: before the meeting (issue 19): how to attend or watch a session, and who was
    // reminded of it (each citizen once per session).
    R"sql(
ALTER TABLE session_overrides ADD COLUMN watch_link TEXT NOT NULL DEFAULT '';
CREATE TABLE session_reminders (
  session_id TEXT NOT NULL,
  contact_id INTEGER NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, contact_id)
) WITHOUT ROWID;
)sql",
    // 18: after the meeting (issue 19): what an answer promised, to which office by when, and
    // how it was closed.
    R"sql(
ALTER TABLE concerns ADD COLUMN followup TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN assigned_to TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN deadline TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN promise TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN followup_result TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN followup_closed_at INTEGER;
CREATE INDEX concerns_assigned ON concerns(deadline) WHERE followup = 'assigned';
)sql",
    // 19: answers officials chose to show on the public page of results (issue 19).
    R"sql(
ALTER TABLE concerns ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
)sql",
    // 20: the meeting itself (issue 19 items 4 and 7): which concerns were raised, who answered
    // them (name, office), and who chaired the session, for the live view and the minutes.
    R"sql(
ALTER TABLE concerns ADD COLUMN raised_at INTEGER;
ALTER TABLE concerns ADD COLUMN raised_by TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN speaker TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN speaker_office TEXT NOT NULL DEFAULT '';
ALTER TABLE session_overrides ADD COLUMN chair TEXT NOT NULL DEFAULT '';
)sql",
    // 21: themed audiences (issue 19 item 2): the session an invitation brought a contact to,
    // and the audience a concern was filed for.
    R"sql(
ALTER TABLE contacts ADD COLUMN invite_session TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN invited_at INTEGER;
ALTER TABLE concerns ADD COLUMN audience TEXT NOT NULL DEFAULT '';
)sql",
    // 22: follow-up and the public page (issue 19 items 5 and 8): the office an official works
    // in and their phone for reminders of the work assigned to it, the deadline last reminded
    // of, and the photos an official chose to show on the public page.
    R"sql(
ALTER TABLE users ADD COLUMN office TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE concerns ADD COLUMN office_reminded TEXT NOT NULL DEFAULT '';
ALTER TABLE media_copies ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
)sql",
    // 23: several gateways on one database (issue 20; the same columns on SQLite so the two
    // schemas stay one): who claimed an outbox message,
    // which gateway is refreshing a channel's tokens (a refresh token works once), and the
    // gateways alive lately (the
    // platforms' rate limits are shared among them).
    R"sql(
ALTER TABLE outbox ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE channel_tokens ADD COLUMN refreshing_by TEXT NOT NULL DEFAULT '';
ALTER TABLE channel_tokens ADD COLUMN refreshing_until INTEGER;
CREATE TABLE gateways (
  name TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  seen_at INTEGER NOT NULL
);
)sql",
    // 24: the login throttle's memory (issue 20: one throttle for every gateway on a
    // database; PostgreSQL's migration 4): each (user name,
    // address) pair's counted failures and the end of its delay, and each address's
    // failures within the window.
    R"sql(
CREATE TABLE login_pairs (
  user_name TEXT NOT NULL,
  address TEXT NOT NULL,
  failures INTEGER NOT NULL,
  until_at INTEGER NOT NULL,
  PRIMARY KEY (user_name, address)
);
CREATE INDEX login_pairs_until ON login_pairs (until_at);
CREATE TABLE login_failures (
  address TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX login_failures_address ON login_failures (address, at);
CREATE INDEX login_failures_at ON login_failures (at);
)sql",
    // 25: the client systems that file concerns through Open311, each with its key (only the
    // secret's hash), where it may file, its hourly allowance, and when it was revoked.
    R"sql(
CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  key_id TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  scope TEXT NOT NULL,
  per_hour INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
)sql",
}};

// ----- small RAII wrappers over the C API --------------------------------------------------------

// The database being unusable (disk, locks, corruption) is `unavailable`: callers answer 503 or
// retry. Anything else (a constraint, a misuse) is a bug in this program.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string msg = std::string(what) + ": " + sqlite3_errmsg(db);
    switch (rc & 0xFF) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_CANTOPEN:
        case SQLITE_READONLY:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_NOMEM:
        case SQLITE_PROTOCOL: throw unavailable(msg);
        default: throw std::logic_error(msg);
    }
}

class statement final : public sql::statement {
public:
    statement(sqlite3* db, std::string_view sql) : db_(db) {
        int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, "prepare");
    }
    ~statement() { sqlite3_finalize(stmt_); }
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    void bind_i64(int i, std::int64_t v) override { check(sqlite3_bind_int64(stmt_, i, v)); }
    void bind_real(int i, double v) override { check(sqlite3_bind_double(stmt_, i, v)); }
    void bind_text(int i, std::string_view v) override {
        check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    }
    void bind_blob(int i, std::string_view v) override {
        check(sqlite3_bind_blob64(stmt_, i, v.data(), v.size(), SQLITE_TRANSIENT));
    }
    void bind_null(int i) override { check(sqlite3_bind_null(stmt_, i)); }

    /// True while there is a row.
    bool step() override {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        sqlite3_reset(stmt_);
        fail(db_, rc, "step");
    }
    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    std::int64_t changed() override {
        step();
        reset();
        return sqlite3_changes64(db_);
    }
    std::int64_t inserted() override {
        step();
        reset();
        return sqlite3_changes64(db_) > 0 ? sqlite3_last_insert_rowid(db_) : 0;
    }

    std::int64_t i64(int col) const override { return sqlite3_column_int64(stmt_, col); }
    double real(int col) const override { return sqlite3_column_double(stmt_, col); }
    bool is_null(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    int columns() const override { return sqlite3_column_count(stmt_); }
    std::string text(int col) const override {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    std::string blob(int col) const override {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Copies the write-ahead log back into the database file, on a thread and a connection of its
// own. SQLite's automatic checkpoint runs inside the commit that crosses its threshold, on the
// writer's thread: reading the log, writing the pages and syncing the file was a tenth of the
// database thread's time under load, and that thread is the gateway's one serial resource.
//
// A PASSIVE checkpoint never blocks the writer, but the log is reused from its start only
// when a writer begins after a pass that copied all of it, and a busy writer always adds
// frames during a pass. So when the log has grown past twice the threshold, the pass is
// followed by a short one while this process's writer is held at `writer` (the store's
// outermost transactions take it): that copies only what was written meanwhile, and the next
// transaction starts the log again. The writer waits on a mutex, not on SQLite's busy sleeps.
class checkpointer {
public:
    static constexpr int wal_pages = 1000;  // SQLite's default automatic threshold
    static constexpr int catch_up_pages = 2 * wal_pages;

    /// Takes over `db`, a connection to the database the writer uses.
    checkpointer(sqlite3* db, std::mutex& writer)
        : db_(db), writer_(writer), thread_([this] { loop(); }) {}
    ~checkpointer() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_one();
        thread_.join();
        sqlite3_close(db_);
    }
    checkpointer(const checkpointer&) = delete;
    checkpointer& operator=(const checkpointer&) = delete;

    /// The writer's wal hook: `pages` frames are in the log after its commit.
    void committed(int pages) {
        if (pages < wal_pages) return;
        {
            std::lock_guard lock(mutex_);
            pages_ = pages;
        }
        wake_.notify_one();
    }

private:
    void loop() {
        std::unique_lock lock(mutex_);
        while (true) {
            wake_.wait(lock, [this] { return stopping_ || pages_ > 0; });
            if (stopping_) return;
            const int pages = std::exchange(pages_, 0);
            lock.unlock();
            // A failure (busy, disk) leaves the frames in the log, where readers still find
            // them: the next commit past the threshold tries again.
            sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            if (pages >= catch_up_pages) {
                std::lock_guard held(writer_);
                sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
            }
            lock.lock();
        }
    }

    sqlite3* db_;
    std::mutex& writer_;
    std::mutex mutex_;
    std::condition_variable wake_;
    int pages_ = 0;
    bool stopping_ = false;
    std::thread thread_;  // last: starts once the members above exist
};


// One connection, used from one thread at a time (the store is not thread-safe).
class connection final : public sql::connection {
public:
    explicit connection(const sqlite_options& o) {
        int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
        if (sqlite3_open_v2(o.path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
            std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw unavailable("cannot open " + o.path + ": " + msg);
        }
        sqlite3_extended_result_codes(db_, 1);
        sqlite3_busy_timeout(db_, static_cast<int>(o.busy_timeout.count()));
        try {
            exec("PRAGMA journal_mode = WAL");
            exec(o.synchronous_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            exec("PRAGMA foreign_keys = ON");
            // What an erasure deletes (photos, texts) is overwritten, not left in free pages.
            exec("PRAGMA secure_delete = ON");
            // Savepoints (a round's pieces, a batch's steps) journal the pages they change; kept
            // in memory rather than in a temporary file created and deleted for every commit.
            exec("PRAGMA temp_store = MEMORY");
            migrate(o.schema_version > 0 ? static_cast<std::size_t>(o.schema_version)
                                         : migrations.size());
            if (o.max_size_bytes > 0) {
                auto page = static_cast<std::uint64_t>(scalar("PRAGMA page_size"));
                auto pages = std::max<std::uint64_t>(1, o.max_size_bytes / page);
                exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
            }
            start_checkpointer(o);
        } catch (const std::exception& e) {
            stmts_.clear();
            sqlite3_close(db_);
            db_ = nullptr;
            throw unavailable("cannot prepare " + o.path + ": " + e.what());
        }
    }

    ~connection() override {
        if (checkpointer_) sqlite3_wal_hook(db_, nullptr, nullptr);
        checkpointer_.reset();  // before the writer's connection: the last to close checkpoints
        stmts_.clear();
        sqlite3_close(db_);
    }
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    sql::dialect dialect() const override { return sql::dialect::sqlite; }

    // Looked up by the SQL text itself, without copying it: the worker runs a dozen of these
    // per event, and an ordered map compared the long shared prefixes of the SELECTs each time.
    statement& stmt(std::string_view sql) override {
        auto it = stmts_.find(sql);
        if (it == stmts_.end())
            it = stmts_.emplace(std::string(sql), std::make_unique<statement>(db_, sql)).first;
        it->second->reset();
        return *it->second;
    }
    // last_insert_rowid gives the id: a RETURNING clause makes SQLite build a temporary table on
    // every call, which costs more.
    statement& insert(std::string_view sql) override { return stmt(sql); }

    // BEGIN IMMEDIATE takes the write lock up front, so a busy database fails here (and is
    // retried by the busy timeout) rather than half-way through. Savepoints all have one name:
    // they nest strictly, and SQLite's RELEASE and ROLLBACK TO act on the innermost savepoint
    // of a name, so the statements are prepared once, not parsed for every store call.
    bool in_transaction() override { return !sqlite3_get_autocommit(db_); }
    void begin() override {
        std::unique_lock lock(writer_);
        stmt("BEGIN IMMEDIATE").run();
        held_ = std::move(lock);
    }
    void commit() override {
        stmt("COMMIT").run();
        if (held_.owns_lock()) held_.unlock();
    }
    void rollback() noexcept override {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        if (held_.owns_lock()) held_.unlock();
    }
    void savepoint() override { stmt("SAVEPOINT step").run(); }
    void release() override { stmt("RELEASE step").run(); }
    void rollback_to() noexcept override {
        sqlite3_exec(db_, "ROLLBACK TO step; RELEASE step", nullptr, nullptr, nullptr);
    }

    bool healthy() override {
        try {
            scalar("SELECT count(*) FROM sqlite_master");
            return true;
        } catch (const unavailable&) {
            return false;
        }
    }

private:
    void exec(const char* sql) {
        int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) fail(db_, rc, "exec");
    }

    std::int64_t scalar(const char* sql) {
        auto& q = stmt(sql);
        std::int64_t v = q.step() ? q.i64(0) : 0;
        q.reset();
        return v;
    }

    // A file a newer build migrated is refused: this build does not know its tables, and
    // writing to them could break what the newer build relies on.
    void migrate(std::size_t to) {
        auto version = static_cast<std::size_t>(scalar("PRAGMA user_version"));
        if (version > migrations.size())
            throw unavailable("its schema is version " + std::to_string(version) +
                              ", newer than this build's " + std::to_string(migrations.size()) +
                              ": run the newer build, or restore a backup");
        for (std::size_t v = version; v < std::min(to, migrations.size()); ++v) {
            begin();
            try {
                exec(std::string(migrations[v]).c_str());
                exec(("PRAGMA user_version = " + std::to_string(v + 1)).c_str());
                commit();
            } catch (...) {
                rollback();
                throw;
            }
        }
    }

    // A file in WAL mode gets its checkpoints on a thread of their own (see checkpointer). If
    // the second connection cannot be opened, SQLite's automatic checkpoint stays on.
    void start_checkpointer(const sqlite_options& o) {
        std::string mode;
        {
            auto& q = stmt("PRAGMA journal_mode");
            if (q.step()) mode = q.text(0);
            q.reset();
        }
        if (mode != "wal") return;  // ":memory:" has no log
        sqlite3* second = nullptr;
        if (sqlite3_open_v2(o.path.c_str(), &second, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                            nullptr) != SQLITE_OK) {
            sqlite3_close(second);
            return;
        }
        sqlite3_busy_timeout(second, static_cast<int>(o.busy_timeout.count()));
        sqlite3_exec(second, o.synchronous_full ? "PRAGMA synchronous = FULL"
                                                : "PRAGMA synchronous = NORMAL",
                     nullptr, nullptr, nullptr);
        checkpointer_ = std::make_unique<checkpointer>(second, writer_);
        // Replaces SQLite's automatic checkpoint, which is itself a wal hook.
        sqlite3_wal_hook(
            db_,
            [](void* self, sqlite3*, const char*, int pages) {
                static_cast<checkpointer*>(self)->committed(pages);
                return SQLITE_OK;
            },
            checkpointer_.get());
    }

    sqlite3* db_ = nullptr;
    std::mutex writer_;  // held by outermost transactions (see checkpointer)
    std::unique_lock<std::mutex> held_;  // writer_, from begin to commit or rollback
    std::unique_ptr<checkpointer> checkpointer_;
    struct sql_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::unique_ptr<statement>, sql_hash, std::equal_to<>> stmts_;
};

}  // namespace

std::unique_ptr<store> open_sqlite(const sqlite_options& options) {
    // SQLite counts its memory in use under a global mutex on every allocation unless told not
    // to; nothing here reads the counts. Global settings must precede the library's
    // initialisation, so this is done once, before the first connection.
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
    return make_sql_store(std::make_unique<connection>(options));
}

int sqlite_schema_version() { return static_cast<int>(migrations.size()); }

}  // namespace dgw::store
