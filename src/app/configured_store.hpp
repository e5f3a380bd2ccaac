#pragma once
// The store a gateway config names: SQLite (the embedded default) or PostgreSQL (several
// gateways on one database). One place, for `serve` and every command that reads the store.

#include <dgw/config/gateway_config.hpp>
#include <dgw/store/store.hpp>

#include <memory>
#include <string>

namespace dgw::app {

/// Opens and migrates it. `serving`: SQLite's folder is made if missing (a command that reads
/// a store does not make one where a wrong path points). Throws store::unavailable.
std::unique_ptr<store::store> open_configured_store(const config::store_config& c, bool serving);

/// For `check`: what the store is, reached without changing anything ("SQLite var/dgw.sqlite",
/// "PostgreSQL 15.18 at db:5432/dgw, schema 1 of 1"). Throws store::unavailable
/// when PostgreSQL cannot be reached.
std::string describe_store(const config::store_config& c);

}  // namespace dgw::app
