#pragma once
/// The store on PostgreSQL (15 or newer), for several gateways on one database: the same tables
/// as SQLite's (times as milliseconds since the epoch, flags as 0/1, JSON as text), numbered
/// migrations applied at open under an advisory lock, so gateways starting together apply
/// them once.

#include <dgw/store/store.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace dgw::store {

struct postgres_options {
    /// A libpq connection string or URI (postgresql://user@host:port/db?sslmode=...). It may
    /// hold a password: it is never logged, and errors name only host, port and database.
    std::string url;
    /// 0 = migrate to this build's schema; otherwise stop at that version (tests).
    int schema_version = 0;
};

/// Connects and migrates. Throws `unavailable` when the server cannot be reached, refuses
/// the login, or holds a schema newer than this build's, naming host, port and database.
std::unique_ptr<store> open_postgres(const postgres_options& options);

/// The schema version this build migrates to.
int postgres_schema_version();

/// For `check`: connects without changing anything and says what it found ("PostgreSQL 15.18
/// at host:5432/dgw, schema 1 of 1"; schema 0 before the first start). Throws `unavailable` as open_postgres does.
std::string probe_postgres(const std::string& url);

/// Changes other gateways on the database must learn of at once — today, a flow version
/// published (announced as "flows") — heard with PostgreSQL's LISTEN/NOTIFY: the store
/// NOTIFYs in the transaction that makes the change, and this calls `changed` on a thread and
/// a connection of its own, never an I/O thread's. A connection lost is made again every
/// second; a notification sent meanwhile is not replayed, so `changed("")` is called each
/// time listening (re)starts, and the caller keeps a periodic check besides.
class change_listener {
public:
    change_listener(std::string url, std::function<void(const std::string& what)> changed);
    ~change_listener();  ///< stops and joins the thread
    change_listener(const change_listener&) = delete;
    change_listener& operator=(const change_listener&) = delete;

    /// Connected and listening (for tests).
    bool listening() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

/// What `migrate` copied: each table with its rows, in the order copied.
struct copy_report {
    std::vector<std::pair<std::string, std::uint64_t>> tables;
    std::uint64_t rows = 0;
};

/// `dialogue-gateway migrate`: moves a province from SQLite to PostgreSQL. Both stores are
/// brought to this build's schema first; then every table of the SQLite file is read from one
/// snapshot and written to PostgreSQL in one transaction (ids kept, id sequences moved past
/// them), and each table's count is compared. Refuses a target that holds any row, and a
/// source with a table this build does not know. Throws `unavailable` saying which.
copy_report copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& url);

}  // namespace dgw::store
