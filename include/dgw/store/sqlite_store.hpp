#pragma once
/// The embedded store: one SQLite file in WAL mode, `synchronous=FULL` by default (a commit is
/// on disk before the webhook is acknowledged), foreign keys on, numbered migrations applied at
/// open.

#include <dgw/store/store.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace dgw::store {

struct sqlite_options {
    std::string path;                 ///< file path, or ":memory:" for tests
    bool synchronous_full = true;     ///< false = NORMAL: faster, may lose the last commits on power loss
    std::chrono::milliseconds busy_timeout{5000};
    /// 0 = unlimited. Otherwise writes fail with `unavailable` ("database or disk is full")
    /// once the file would grow past this, so the gateway answers 503 long before the disk
    /// itself fills up for everything else on the machine.
    std::uint64_t max_size_bytes = 0;
    /// 0 = migrate to this build's schema. Otherwise stop at that version: for tests that
    /// check a migration against a database an older build left.
    int schema_version = 0;
};

/// Opens (creating if needed) and migrates. Throws `unavailable` when the file cannot be
/// opened or migrated, naming the path.
std::unique_ptr<store> open_sqlite(const sqlite_options& options);

/// The schema version this build migrates to.
int sqlite_schema_version();

/// What a backup copied.
struct backup_report {
    std::uint64_t pages = 0;
    std::uint64_t bytes = 0;
    int schema_version = 0;  ///< of the copy (PRAGMA user_version)
};

/// Copies the SQLite store at `from` — which a serving gateway may be writing to meanwhile —
/// into the new file `to`: one consistent snapshot (SQLite's online backup API, from a read
/// transaction, so it never blocks the gateway's writer in WAL mode), written to `to`.part,
/// checked (`PRAGMA integrity_check`) and only then renamed to `to`. Throws `unavailable`
/// naming the problem: `from` missing or not a database, `to` already there, a write that
/// failed, a copy that does not check.
backup_report backup_sqlite(const std::string& from, const std::string& to);

}  // namespace dgw::store
