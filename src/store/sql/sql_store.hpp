#pragma once
/// The store written once in SQL over a driver (db.hpp): what open_sqlite and open_postgres
/// return, each with its own connection.

#include "store/sql/db.hpp"

#include <dgw/store/store.hpp>

#include <memory>

namespace dgw::store {

std::unique_ptr<store> make_sql_store(std::unique_ptr<sql::connection> db);

}  // namespace dgw::store
