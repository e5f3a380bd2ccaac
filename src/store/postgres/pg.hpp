#pragma once
// Small pieces of libpq the PostgreSQL driver (pg_db.cpp) and the copy from SQLite
// (copy_to_postgres.cpp) share.

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace dgw::store::pg {

struct result_deleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

/// Where a connection is: "PostgreSQL at host:port/db", never the password.
std::string where(PGconn* c);

/// What libpq said (the result's error, else the connection's), on one line.
std::string message_of(PGconn* c, const PGresult* r);

/// A new connection to `url` (5 s to connect unless the URL says otherwise), or `unavailable`
/// naming where, never the password.
PGconn* connect(const std::string& url);

}  // namespace dgw::store::pg
