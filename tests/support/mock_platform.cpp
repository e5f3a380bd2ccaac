#include "support/mock_platform.hpp"

#include <cctype>

namespace dgw::test {

mock_platform::mock_platform(unsigned status, std::string body)
    : status_(status), body_(std::move(body)) {
    http::router r;
    // Send APIs live at various depths (/v3.0/oa/message/cs, /2010-04-01/Accounts/X/Messages.json).
    std::string pattern;
    for (int depth = 1; depth <= 7; ++depth) {
        pattern += "/{p" + std::to_string(depth) + "}";
        for (auto v : {http::verb::post, http::verb::get})
            r.add(v, pattern, [this](http::request_context& c) { return handle(c); });
    }
    server_ = std::make_unique<running_server>(http::server_options{}, std::move(r), 1);
}

mock_platform::~mock_platform() { server_.reset(); }

std::string mock_platform::base() const {
    return "http://127.0.0.1:" + std::to_string(server_->port());
}

void mock_platform::respond(std::string path_part, unsigned status, std::string body) {
    std::lock_guard lock(mu_);
    overrides_.emplace_back(std::move(path_part), status, std::move(body));
}

std::vector<mock_platform::request> mock_platform::requests() const {
    std::lock_guard lock(mu_);
    return requests_;
}

std::size_t mock_platform::count() const {
    std::lock_guard lock(mu_);
    return requests_.size();
}

bool mock_platform::wait_for(std::size_t n, std::chrono::milliseconds max) const {
    std::unique_lock lock(mu_);
    return arrived_.wait_for(lock, max, [&] { return requests_.size() >= n; });
}

net::awaitable<http::response> mock_platform::handle(http::request_context& ctx) {
    request r;
    r.method = std::string(ctx.req.method_string());
    r.path = ctx.path;
    r.query = ctx.query;
    for (const auto& f : ctx.req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(f.value());
    }
    r.body = ctx.req.body();
    unsigned status = status_;
    std::string body = body_;
    {
        std::lock_guard lock(mu_);
        for (const auto& [part, st, b] : overrides_) {
            if (r.path.find(part) != std::string::npos) {
                status = st;
                body = b;
            }
        }
        requests_.push_back(std::move(r));
    }
    arrived_.notify_all();
    const bool xml = !body.empty() && body.front() == '<';
    co_return http::text_response(static_cast<http::status>(status), std::move(body),
                                  xml ? "text/xml" : "application/json");
}

}  // namespace dgw::test
