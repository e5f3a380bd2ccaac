// `dialogue-gateway migrate`: every table of a SQLite store copied into PostgreSQL (issue 20
// item 4). The two schemas have the same tables and columns (pg_db.cpp's migration 1 is
// SQLite's schema in PostgreSQL's types), so a row is copied column by column, as text, and
// bytes as bytes.

#include "dgw/store/postgres_store.hpp"
#include "dgw/store/sqlite_store.hpp"

#include "store/postgres/pg.hpp"

#include <sqlite3.h>

#include <array>
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>

namespace dgw::store {
namespace {

// Parents before children (foreign keys). A table the SQLite file has and this list does not is
// refused rather than left behind.
constexpr std::array<const char*, 27> tables{
    "contacts",        "conversations",   "concerns",         "timers",
    "audit",           "channel_tokens",  "users",            "login_sessions",
    "api_tokens",      "session_overrides", "agenda_names",   "added_sessions",
    "flow_versions",   "flow_node_counts", "inbox",           "outbox",
    "contact_permissions", "gateway_secrets", "handoffs",     "handoff_messages",
    "media_copies",    "media_files",     "session_reminders", "gateways",
    "login_pairs",     "login_failures",  "api_keys"};

struct sqlite_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct stmt_closer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using sqlite_stmt = std::unique_ptr<sqlite3_stmt, stmt_closer>;
struct pg_closer {
    void operator()(PGconn* c) const { PQfinish(c); }
};

sqlite_stmt prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
        throw unavailable("cannot read the SQLite store: " + std::string(sqlite3_errmsg(db)));
    return sqlite_stmt(s);
}

class copier {
public:
    copier(const std::string& sqlite_path, const std::string& url) {
        sqlite3* db = nullptr;
        const int rc = sqlite3_open_v2(sqlite_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
        from_.reset(db);
        if (rc != SQLITE_OK)
            throw unavailable("cannot open " + sqlite_path + ": " +
                              (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
        sqlite3_busy_timeout(db, 5000);
        to_.reset(pg::connect(url));
    }

    copy_report run() {
        check_tables_known();
        // One snapshot of the source, one transaction on the target.
        exec_sqlite("BEGIN");
        exec_pg("BEGIN");
        refuse_rows_in_target();
        copy_report report;
        for (const char* t : tables) {
            const auto n = copy(t);
            report.tables.emplace_back(t, n);
            report.rows += n;
        }
        exec_pg("COMMIT");
        exec_sqlite("COMMIT");
        for (const auto& [t, n] : report.tables)
            if (const auto there = count_pg(t); there != n)
                throw unavailable("table " + t + ": " + std::to_string(n) + " rows read, " +
                                  std::to_string(there) + " in PostgreSQL");
        return report;
    }

private:
    void check_tables_known() {
        const std::set<std::string> known(tables.begin(), tables.end());
        auto q = prepare(from_.get(),
                         "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                         "'sqlite_%' ORDER BY name");
        while (sqlite3_step(q.get()) == SQLITE_ROW) {
            const std::string name = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0));
            if (!known.contains(name))
                throw unavailable("the SQLite store has a table this build does not copy: " + name);
        }
    }

    void refuse_rows_in_target() {
        for (const char* t : tables)
            if (count_pg(t, true) > 0)
                throw unavailable("the target is not empty (table " + std::string(t) +
                                  " has rows): migrate only into a new database");
    }

    std::uint64_t count_pg(const std::string& table, bool any = false) {
        const std::string sql = any ? "SELECT count(*) FROM (SELECT 1 FROM " + table +
                                          " LIMIT 1) r"
                                    : "SELECT count(*) FROM " + table;
        pg::result_ptr r(PQexec(to_.get(), sql.c_str()));
        if (!r || PQresultStatus(r.get()) != PGRES_TUPLES_OK)
            throw unavailable("cannot count " + table + " in " + pg::where(to_.get()) + ": " +
                              pg::message_of(to_.get(), r.get()));
        return std::stoull(PQgetvalue(r.get(), 0, 0));
    }

    // The table's rows in rowid order (the order their ids and SQLite's rowid ordering gave
    // them; PostgreSQL's contact_permissions.seq takes the same order from the inserts).
    std::uint64_t copy(const std::string& table) {
        std::vector<std::string> columns;
        {
            auto info = prepare(from_.get(), "PRAGMA table_info(" + table + ")");
            while (sqlite3_step(info.get()) == SQLITE_ROW)
                columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1)));
        }
        const bool rowid = table != "session_reminders";  // WITHOUT ROWID
        std::string names, marks;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            names += (i ? ", " : "") + columns[i];
            marks += (i ? ", $" : "$") + std::to_string(i + 1);
        }
        const std::string insert =
            "INSERT INTO " + table + " (" + names + ") VALUES (" + marks + ")";
        const std::string name = "copy_" + table;
        {
            pg::result_ptr p(PQprepare(to_.get(), name.c_str(), insert.c_str(),
                                       static_cast<int>(columns.size()), nullptr));
            if (!p || PQresultStatus(p.get()) != PGRES_COMMAND_OK)
                throw unavailable("cannot write " + table + " to " + pg::where(to_.get()) + ": " +
                                  pg::message_of(to_.get(), p.get()));
        }
        auto rows = prepare(from_.get(), "SELECT " + names + " FROM " + table +
                                             (rowid ? " ORDER BY rowid" : ""));
        std::vector<std::optional<std::string>> values(columns.size());
        std::vector<const char*> ptrs(columns.size());
        std::vector<int> lengths(columns.size());
        std::vector<int> formats(columns.size());
        std::uint64_t n = 0;
        while (true) {
            const int rc = sqlite3_step(rows.get());
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW)
                throw unavailable("cannot read " + table + ": " + sqlite3_errmsg(from_.get()));
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const int col = static_cast<int>(i);
                formats[i] = 0;
                switch (sqlite3_column_type(rows.get(), col)) {
                    case SQLITE_NULL: values[i].reset(); break;
                    case SQLITE_INTEGER:
                        values[i] = std::to_string(sqlite3_column_int64(rows.get(), col));
                        break;
                    case SQLITE_FLOAT: {
                        std::array<char, 32> buf{};
                        auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(),
                                                       sqlite3_column_double(rows.get(), col));
                        values[i] = std::string(buf.data(), end);
                        break;
                    }
                    case SQLITE_BLOB: {
                        const auto* p = static_cast<const char*>(sqlite3_column_blob(rows.get(), col));
                        values[i] = std::string(p ? p : "", static_cast<std::size_t>(
                                                                  sqlite3_column_bytes(rows.get(), col)));
                        formats[i] = 1;
                        break;
                    }
                    default: {
                        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(rows.get(), col));
                        values[i] = std::string(p ? p : "", static_cast<std::size_t>(
                                                                  sqlite3_column_bytes(rows.get(), col)));
                    }
                }
                ptrs[i] = values[i] ? values[i]->data() : nullptr;
                lengths[i] = values[i] ? static_cast<int>(values[i]->size()) : 0;
            }
            pg::result_ptr r(PQexecPrepared(to_.get(), name.c_str(), static_cast<int>(columns.size()),
                                            ptrs.data(), lengths.data(), formats.data(), 0));
            if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK)
                throw unavailable("cannot copy a row of " + table + " to " + pg::where(to_.get()) +
                                  ": " + pg::message_of(to_.get(), r.get()));
            ++n;
        }
        // New rows get ids after the copied ones.
        if (std::find(columns.begin(), columns.end(), "id") != columns.end() &&
            table != "added_sessions")
            exec_pg("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), "
                    "coalesce(max(id), 0) + 1, false) FROM " + table);
        exec_pg("DEALLOCATE " + name);
        return n;
    }

    void exec_sqlite(const char* sql) {
        if (sqlite3_exec(from_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            throw unavailable(std::string("cannot read the SQLite store: ") +
                              sqlite3_errmsg(from_.get()));
    }
    void exec_pg(const std::string& sql) {
        pg::result_ptr r(PQexec(to_.get(), sql.c_str()));
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            throw unavailable("cannot write to " + pg::where(to_.get()) + ": " +
                              pg::message_of(to_.get(), r.get()));
    }

    std::unique_ptr<sqlite3, sqlite_closer> from_;
    std::unique_ptr<PGconn, pg_closer> to_;
};

}  // namespace

copy_report copy_sqlite_to_postgres(const std::string& sqlite_path, const std::string& url) {
    // Both at this build's schema: the same tables and columns on each side. (Opening would
    // make a missing file a new, empty store.)
    if (!std::filesystem::is_regular_file(sqlite_path))
        throw unavailable("no SQLite store at " + sqlite_path);
    open_sqlite({sqlite_path});
    open_postgres({url});
    return copier(sqlite_path, url).run();
}

}  // namespace dgw::store
