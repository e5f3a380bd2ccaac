// The store's roles in SQL, written once for SQLite and PostgreSQL (see db.hpp, store_impl.hpp):
// the pieces every role uses.
#include "store/sql/sql_store.hpp"
#include "store/sql/store_impl.hpp"

#include <memory>
#include <utility>

namespace dgw::store {

void parse_payload(outbox_message& m) {
    if (m.payload_text.empty()) return;
    m.payload = sql::stored(m.payload_text, "outbox", std::to_string(m.id), "payload");
    m.payload_text.clear();
}

namespace sql {

void sql_store::transact(const std::function<void()>& body) {
    transaction tx(*this);
    body();
    tx.commit();
}

bool sql_store::healthy() {
    try {
        return db_->healthy();
    } catch (const unavailable&) {
        return false;
    }
}

std::int64_t sql_store::scalar(std::string_view sql) {
    auto& q = stmt(sql);
    std::int64_t v = q.step() ? q.i64(0) : 0;
    q.reset();
    return v;
}

sql::statement& sql_store::stmt(std::string_view sql) { return db_->stmt(sql); }

// The SQL for this database: most queries are one text for both; these differ.
const char* sql_store::pick(const char* sqlite, const char* postgres) const {
    return lite_ ? sqlite : postgres;
}

}  // namespace sql

std::unique_ptr<store> make_sql_store(std::unique_ptr<sql::connection> db) {
    return std::make_unique<sql::sql_store>(std::move(db));
}

}  // namespace dgw::store
