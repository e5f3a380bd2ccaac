#pragma once
/// The store on PostgreSQL (15 or newer), for several gateways on one database: the same tables
/// as SQLite's (times as milliseconds since the epoch, flags as 0/1, JSON as text), numbered
/// migrations applied at open under an advisory lock, so gateways starting together apply
/// them once.

#include <dgw/store/store.hpp>

#include <memory>
#include <string>

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

}  // namespace dgw::store
