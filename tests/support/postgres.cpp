#include "support/postgres.hpp"

#include <libpq-fe.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <unistd.h>

namespace dgw::test {

std::string postgres_url() {
    if (const char* env = std::getenv("DGW_TEST_POSTGRES_URL"); env && *env) return env;
    std::ifstream in(DGW_POSTGRES_URL_FILE);
    std::string url;
    if (in && std::getline(in, url) && !url.empty()) return url;
    throw std::runtime_error(
        "no PostgreSQL server for the tests: run them through ctest (its `postgres` fixture "
        "starts one), or `scripts/pg_throwaway.sh start DIR` and set DGW_TEST_POSTGRES_URL");
}

std::string with_database(const std::string& url, const std::string& name) {
    const auto query = url.find('?');
    const auto path = url.rfind('/', query);
    if (path == std::string::npos || path < url.find("://") + 3)
        return url + "/" + name;
    return url.substr(0, path + 1) + name +
           (query == std::string::npos ? std::string() : url.substr(query));
}

std::string psql(const std::string& url, const std::string& sql) {
    PGconn* c = PQconnectdb(url.c_str());
    if (PQstatus(c) != CONNECTION_OK) {
        std::string msg = PQerrorMessage(c);
        PQfinish(c);
        throw std::runtime_error("cannot connect to the test server: " + msg);
    }
    PGresult* r = PQexec(c, sql.c_str());
    const auto status = PQresultStatus(r);
    std::string out;
    std::string error;
    if (status == PGRES_TUPLES_OK && PQntuples(r) > 0 && PQnfields(r) > 0)
        out = PQgetvalue(r, 0, 0);
    else if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
        error = PQresultErrorMessage(r);
    PQclear(r);
    PQfinish(c);
    if (!error.empty()) throw std::runtime_error(sql + ": " + error);
    return out;
}

scratch_database::scratch_database() : server_(postgres_url()) {
    static std::atomic<int> count{0};
    std::random_device random;
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(++count) + "_" +
            std::to_string(random() % 100000);
    psql(server_, "CREATE DATABASE " + name_);
    url_ = with_database(server_, name_);
}

scratch_database::~scratch_database() {
    try {
        psql(server_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // The server already gone: the fixture's stop deletes everything anyway.
    }
}

}  // namespace dgw::test
