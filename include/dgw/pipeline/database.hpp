#pragma once
/// The store on its own thread (STYLE.md §3): blocking SQLite calls never run on I/O threads.
/// `run(f)` executes `f(store&)` on the database thread and resumes the awaiting coroutine on
/// its own executor; exceptions travel back to the awaiter.
///
/// `append_inbox` and `record_sends` are group commits (group_commit.hpp): concurrent webhooks,
/// and concurrent sends reporting their outcome, share one transaction each time the database
/// thread is free.

#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/pipeline/group_commit.hpp>
#include <dgw/store/store.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <functional>
#include <memory>
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

    /// Records how sends went (group commit). Throws store::unavailable on failure: the
    /// messages stay claimed and are resent after a restart, flagged in doubt.
    net::awaitable<void> record_sends(std::vector<store::send_result> results);

    /// Called on the database thread after every successful inbox commit (the worker uses it
    /// to wake up). Set before any traffic.
    void on_inbox_commit(std::function<void()> fn) { on_commit_ = std::move(fn); }

    /// Waits for queued work and stops the database thread.
    void stop();

private:
    store::store& store_;
    core::metrics& metrics_;
    net::thread_pool pool_{1};
    std::function<void()> on_commit_;
    group_commit<store::inbox_item> inbox_;
    group_commit<store::send_result> sends_;
};

}  // namespace dgw::pipeline
