#include "app/configured_store.hpp"

#include <dgw/store/postgres_store.hpp>
#include <dgw/store/sqlite_store.hpp>

#include <filesystem>

namespace dgw::app {

std::unique_ptr<store::store> open_configured_store(const config::store_config& c, bool serving) {
    if (c.on_postgres()) return store::open_postgres({c.postgres_url});
    auto parent = std::filesystem::path(c.sqlite_path).parent_path();
    if (serving && !parent.empty()) std::filesystem::create_directories(parent);
    store::sqlite_options sq;
    sq.path = c.sqlite_path;
    sq.synchronous_full = c.synchronous_full;
    sq.max_size_bytes = static_cast<std::uint64_t>(c.max_size_mb * 1024 * 1024);
    return store::open_sqlite(sq);
}

std::string describe_store(const config::store_config& c) {
    if (c.on_postgres()) return store::probe_postgres(c.postgres_url);
    return "SQLite " + c.sqlite_path;
}

}  // namespace dgw::app
