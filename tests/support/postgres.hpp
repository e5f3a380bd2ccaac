#pragma once
// The throwaway PostgreSQL server of ctest's `postgres` fixture (scripts/pg_throwaway.sh), and
// databases of its own for each test.

#include <string>

namespace dgw::test {

/// The server's URL: DGW_TEST_POSTGRES_URL if set, else the file the fixture wrote. Throws,
/// saying how to start one, when there is neither (a test that needs it fails, never skips).
std::string postgres_url();

/// `url` naming database `name` instead of its own.
std::string with_database(const std::string& url, const std::string& name);

/// A new, empty database on that server, dropped (connections and all) when this goes.
class scratch_database {
public:
    scratch_database();
    ~scratch_database();
    scratch_database(const scratch_database&) = delete;
    scratch_database& operator=(const scratch_database&) = delete;

    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }

private:
    std::string server_;
    std::string name_;
    std::string url_;
};

/// Runs SQL on `url` (one simple query); throws with the server's message on failure.
/// Returns the first column of the first row, or "" when there is none.
std::string psql(const std::string& url, const std::string& sql);

}  // namespace dgw::test
