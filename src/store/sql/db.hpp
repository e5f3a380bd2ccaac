#pragma once
/// The two things the store's SQL needs from a database, written once for SQLite and once for
/// PostgreSQL: a connection that prepares statements (kept, keyed by their text) and runs
/// transactions, and a statement that binds, steps through rows and reads columns.
///
/// The store's queries (sql_store.cpp) are written once against this, in the SQL both
/// databases accept: `?` and `?N` placeholders (the PostgreSQL driver renumbers them `$N`),
/// integers for times (milliseconds since the epoch) and flags (0/1), JSON as text. Where the
/// two differ (an index hint, a JSON function) the store picks by `dialect()`.
///
/// Errors: the database unusable (gone, full, locked, shut down) is `unavailable`; anything
/// else (a constraint, a misuse) is `std::logic_error`, a bug in this program.

#include <dgw/store/records.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace dgw::store::sql {

enum class dialect { sqlite, postgres };

inline std::int64_t to_ms(time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
inline time_point from_ms(std::int64_t ms) { return time_point(std::chrono::milliseconds(ms)); }

class statement {
public:
    virtual ~statement() = default;

    // Parameters are numbered from 1.
    virtual void bind_i64(int i, std::int64_t v) = 0;
    virtual void bind_real(int i, double v) = 0;
    virtual void bind_text(int i, std::string_view v) = 0;
    virtual void bind_blob(int i, std::string_view v) = 0;
    virtual void bind_null(int i) = 0;

    /// Runs the statement on the first call; true while there is a row.
    virtual bool step() = 0;
    /// Ready to run again: rows and bindings dropped.
    virtual void reset() = 0;
    /// Runs a statement that returns no rows; how many rows it changed.
    virtual std::int64_t changed() = 0;
    /// Runs an INSERT prepared with connection::insert; the new row's id.
    virtual std::int64_t inserted() = 0;

    // Columns of the current row, numbered from 0. A NULL reads as 0 or empty.
    virtual std::int64_t i64(int col) const = 0;
    virtual double real(int col) const = 0;
    virtual bool is_null(int col) const = 0;
    virtual int columns() const = 0;
    virtual std::string text(int col) const = 0;
    virtual std::string blob(int col) const = 0;

    void run() {
        step();
        reset();
    }
    /// Runs a statement whose outcome nobody reads (no rows, no count). Inside a transaction a
    /// driver may send it later, with the next statement, savepoint or commit of the same
    /// transaction (one round trip for many writes); its failure then fails that one, and the
    /// transaction with it — never a commit.
    virtual void write() { run(); }

    /// Every row, each made by `read` from this statement on that row; then reset.
    template <class Read>
    auto all(Read read) {
        std::vector<std::invoke_result_t<Read&, statement&>> out;
        while (step()) out.push_back(read(*this));
        reset();
        return out;
    }
    /// The first row made by `read`, if there is one; then reset.
    template <class Read>
    auto first(Read read) {
        std::optional<std::invoke_result_t<Read&, statement&>> out;
        if (step()) out = read(*this);
        reset();
        return out;
    }
    bool boolean(int col) const { return i64(col) != 0; }
    time_point time(int col) const { return from_ms(i64(col)); }

    statement& bind(int i, std::int64_t v) {
        bind_i64(i, v);
        return *this;
    }
    statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    statement& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
    statement& bind(int i, double v) {
        bind_real(i, v);
        return *this;
    }
    statement& bind(int i, std::string_view v) {
        bind_text(i, v);
        return *this;
    }
    statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
    statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
    statement& bind(int i, core::concern_status v) { return bind(i, core::to_string(v)); }
    statement& bind(int i, std::optional<double> v) {
        if (v) return bind(i, *v);
        bind_null(i);
        return *this;
    }
    statement& bind(int i, time_point t) { return bind(i, to_ms(t)); }
    statement& bind(int i, std::optional<time_point> t) {
        if (t) return bind(i, *t);
        bind_null(i);
        return *this;
    }
};

class connection {
public:
    virtual ~connection() = default;

    virtual sql::dialect dialect() const = 0;
    /// The statement for this SQL text, prepared once and kept; reset, ready to bind.
    virtual statement& stmt(std::string_view sql) = 0;
    /// The same for an INSERT whose new row id is wanted (statement::inserted).
    virtual statement& insert(std::string_view sql) = 0;

    /// Transactions: begin opens one (taking the write lock up front where the database has
    /// one); inside an open one, savepoint/release/rollback_to nest. rollback never throws.
    virtual bool in_transaction() = 0;
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() noexcept = 0;
    virtual void savepoint() = 0;
    virtual void release() = 0;
    virtual void rollback_to() noexcept = 0;

    /// A cheap query that fails when the database is unusable.
    virtual bool healthy() = 0;
};

}  // namespace dgw::store::sql
