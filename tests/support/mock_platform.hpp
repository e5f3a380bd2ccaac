#pragma once
// A generic mock of a platform's send API for integration tests: a real HTTP server on
// 127.0.0.1:0 that records every request (method, path, query, lower-case headers, body) and
// answers with a configured status and body. Thread-safe.

#include "support/running_server.hpp"

#include <dgw/http/types.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace dgw::test {

class mock_platform {
public:
    struct request {
        std::string method;
        std::string path;
        std::string query;
        std::map<std::string, std::string> headers;  // lower-case names
        std::string body;
    };

    /// An answer chosen per request by a responder.
    struct answer {
        unsigned status = 200;
        std::string body;
        std::vector<std::pair<std::string, std::string>> headers;
        std::chrono::milliseconds delay{0};  ///< before answering (other requests go on)
    };
    /// Sees every request with its 0-based number (all requests so far, in arrival order);
    /// an answer replaces the configured one. Called on the mock's thread, outside its lock.
    using responder = std::function<std::optional<answer>(const request&, std::size_t)>;

    /// Answers every request with `status` and `body` (JSON content type unless the body
    /// starts with '<').
    mock_platform(unsigned status, std::string body);
    ~mock_platform();

    std::string base() const;  ///< "http://127.0.0.1:<port>"
    /// Requests whose path contains `path_part` get this answer instead.
    void respond(std::string path_part, unsigned status, std::string body);
    /// Answers decided request by request (checked before respond()'s and the default).
    void respond_with(responder fn);
    std::vector<request> requests() const;
    std::size_t count() const;
    /// Blocks until at least `n` requests arrived or `max` passed; true when they did.
    bool wait_for(std::size_t n, std::chrono::milliseconds max) const;

private:
    net::awaitable<http::response> handle(http::request_context& ctx);

    unsigned status_;
    std::string body_;
    std::vector<std::tuple<std::string, unsigned, std::string>> overrides_;  // guarded by mu_
    responder responder_;                                                   // guarded by mu_
    mutable std::mutex mu_;
    mutable std::condition_variable arrived_;
    std::vector<request> requests_;
    std::unique_ptr<running_server> server_;  // last: stops before the state goes
};

}  // namespace dgw::test
