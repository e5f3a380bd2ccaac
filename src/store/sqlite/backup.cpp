// `dialogue-gateway backup`: a consistent copy of a live SQLite store (issue 20 item 4).

#include "dgw/store/sqlite_store.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <system_error>

namespace dgw::store {
namespace {

struct closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using connection = std::unique_ptr<sqlite3, closer>;

connection open(const std::string& path, int flags, const char* what) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    connection c(db);
    if (rc != SQLITE_OK)
        throw unavailable(std::string("cannot open ") + what + " " + path + ": " +
                          (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
    sqlite3_busy_timeout(db, 5000);
    return c;
}

// The first column of the first row of `sql`, as text ("" when there is none).
std::string scalar(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK)
        throw unavailable(std::string("cannot read the database: ") + sqlite3_errmsg(db));
    std::string out;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

}  // namespace

backup_report backup_sqlite(const std::string& from, const std::string& to) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(from, ec)) throw unavailable("no database at " + from);
    if (fs::exists(to, ec)) throw unavailable(to + " already exists: choose a new file for the backup");
    const std::string part = to + ".part";
    fs::remove(part, ec);
    backup_report report;
    {
        auto source = open(from, SQLITE_OPEN_READONLY, "the database");
        // Not a database at all is said here, not as a half-written copy.
        report.schema_version = std::stoi("0" + scalar(source.get(), "PRAGMA user_version"));
        auto target = open(part, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "the backup file");
        sqlite3_backup* b = sqlite3_backup_init(target.get(), "main", source.get(), "main");
        if (!b) throw unavailable("cannot start the backup: " + std::string(sqlite3_errmsg(target.get())));
        // All pages in one step: one read transaction on the source, so one snapshot.
        int rc = sqlite3_backup_step(b, -1);
        for (int tries = 0; (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 100; ++tries) {
            sqlite3_sleep(50);
            rc = sqlite3_backup_step(b, -1);
        }
        report.pages = static_cast<std::uint64_t>(sqlite3_backup_pagecount(b));
        const int finished = sqlite3_backup_finish(b);
        if (rc != SQLITE_DONE || finished != SQLITE_OK) {
            const std::string why = sqlite3_errstr(rc != SQLITE_DONE ? rc : finished);
            target.reset();
            fs::remove(part, ec);
            throw unavailable("the backup failed: " + why);
        }
        const auto check = scalar(target.get(), "PRAGMA integrity_check");
        if (check != "ok") {
            target.reset();
            fs::remove(part, ec);
            throw unavailable("the copy does not check: " + check);
        }
    }
    fs::rename(part, to, ec);
    if (ec) throw unavailable("cannot name the backup " + to + ": " + ec.message());
    report.bytes = static_cast<std::uint64_t>(fs::file_size(to, ec));
    return report;
}

}  // namespace dgw::store
