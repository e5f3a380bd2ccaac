#pragma once
// An http::server on 127.0.0.1:0 with its io_context running on background threads; the
// fixture every HTTP integration test starts from. The destructor shuts down and joins.

#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/server.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <future>
#include <memory>
#include <thread>
#include <vector>

namespace dgw::test {

class running_server {
public:
    running_server(http::server_options opts, http::router routes, int threads = 2)
        : guard_(boost::asio::make_work_guard(ioc_)) {
        opts.host = "127.0.0.1";
        opts.port = 0;
        server_ = std::make_unique<http::server>(ioc_, std::move(opts), std::move(routes),
                                                 metrics_, log_);
        server_->start();
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
    }

    ~running_server() {
        if (!stopped_) shutdown().wait();
        guard_.reset();
        ioc_.stop();
        for (auto& t : threads_) t.join();
    }

    /// Starts a graceful shutdown; the future is ready when the last connection is gone.
    std::shared_future<void> shutdown() {
        if (!stopped_) {
            stopped_ = true;
            auto done = std::make_shared<std::promise<void>>();
            drained_ = done->get_future().share();
            server_->shutdown([done] { done->set_value(); });
        }
        return drained_;
    }

    std::uint16_t port() const { return server_->local_endpoint().port(); }
    http::server& server() { return *server_; }
    core::metrics& metrics() { return metrics_; }
    boost::asio::io_context& ioc() { return ioc_; }

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
    core::null_logger log_;
    core::metrics metrics_;
    std::unique_ptr<http::server> server_;
    std::vector<std::thread> threads_;
    bool stopped_ = false;
    std::shared_future<void> drained_;
};

}  // namespace dgw::test
