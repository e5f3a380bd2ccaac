#include "support/mock_platform.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

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

void mock_platform::respond_with(responder fn) {
    std::lock_guard lock(mu_);
    responder_ = std::move(fn);
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
    answer a{status_, body_, {}, {}};
    responder decide;
    std::size_t number = 0;
    {
        std::lock_guard lock(mu_);
        for (const auto& [part, st, b] : overrides_) {
            if (r.path.find(part) != std::string::npos) {
                a.status = st;
                a.body = b;
            }
        }
        decide = responder_;
        number = requests_.size();
        requests_.push_back(r);
    }
    arrived_.notify_all();
    if (decide)
        if (auto chosen = decide(r, number)) a = std::move(*chosen);
    if (a.delay.count() > 0) {
        net::steady_timer t(co_await net::this_coro::executor, a.delay);
        co_await t.async_wait(net::use_awaitable);
    }
    const bool xml = !a.body.empty() && a.body.front() == '<';
    auto res = http::text_response(static_cast<http::status>(a.status), std::move(a.body),
                                   xml ? "text/xml" : "application/json");
    for (const auto& [name, value] : a.headers) res.set(name, value);
    co_return res;
}

}  // namespace dgw::test
