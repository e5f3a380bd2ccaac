#pragma once
/// The store on its own thread (STYLE.md §3): blocking SQLite calls never run on I/O threads.
/// `run(f)` executes `f(store&)` on the database thread and resumes the awaiting coroutine on
/// its own executor; exceptions travel back to the awaiter.
///
/// `append_inbox` is the group commit of issue 5: concurrent webhooks queue their events, and
/// whenever the database thread is free it commits everything queued so far in ONE
/// transaction, then completes every waiter. While one commit runs, the next batch gathers, so
/// throughput grows with concurrency while each webhook still waits for its own durable commit.

#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/store/store.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

namespace dgw::pipeline {

namespace detail {
template <class F>
net::awaitable<std::invoke_result_t<F&, store::store&>> invoke_on_db(F f, store::store* s) {
    co_return f(*s);
}
}  // namespace detail

class database {
public:
    /// `s` must outlive the database object; `metrics` too.
    database(store::store& s, core::metrics& metrics, std::size_t max_batch = 4096);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    /// Runs `f(store&)` on the database thread. `f` must not capture references to the
    /// awaiting coroutine's temporaries (it is moved into a coroutine frame).
    template <class F>
    net::awaitable<std::invoke_result_t<F&, store::store&>> run(F f) {
        return net::co_spawn(pool_.get_executor(), detail::invoke_on_db(std::move(f), &store_),
                             net::use_awaitable);
    }

    /// Appends webhook events durably (group commit). Throws store::unavailable when the
    /// commit failed: the caller answers 503 and the platform retries.
    net::awaitable<store::append_result> append_inbox(std::vector<store::inbox_item> items);

    /// Called on the database thread after every successful inbox commit (the worker uses it
    /// to wake up). Set before any traffic.
    void on_inbox_commit(std::function<void()> fn) { on_commit_ = std::move(fn); }

    /// Waits for queued work and stops the database thread.
    void stop();

private:
    struct waiter {
        std::vector<store::inbox_item> items;
        std::function<void(std::exception_ptr, store::append_result)> done;
    };

    void enqueue(waiter w);
    void flush();

    store::store& store_;
    core::metrics& metrics_;
    std::size_t max_batch_;
    net::thread_pool pool_{1};
    std::mutex mutex_;
    std::deque<waiter> queue_;  // guarded by mutex_
    bool flush_scheduled_ = false;  // guarded by mutex_
    std::function<void()> on_commit_;
};

}  // namespace dgw::pipeline
