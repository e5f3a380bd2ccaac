#pragma once
/// The store on its own thread (STYLE.md §3): blocking SQLite calls never run on I/O threads.
///
/// Everything the pipeline writes goes through one shared group commit: webhooks appending to
/// the inbox, the worker's batches, the sender's claims and send outcomes, reads. Whenever the
/// database thread is free it takes everything queued so far and runs it in ONE transaction,
/// each piece in a savepoint of its own, then commits once. A durable commit costs one fsync
/// (milliseconds on a virtual disk), so sharing it is what lets throughput grow with
/// concurrency; each caller still resumes only after its own work is committed.
///
/// Failure rules: a piece that throws anything but `store::unavailable` is rolled back alone
/// and its caller gets the exception; `store::unavailable` (disk full, database gone) aborts
/// the whole transaction and every caller of that round gets it, with nothing stored.

#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/store/store.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

namespace dgw::pipeline {

class database {
public:
    /// `s` must outlive the database object; `metrics` too. `max_inbox_batch` bounds the
    /// webhook events of one transaction (the rest wait for the next).
    database(store::store& s, core::metrics& metrics, std::size_t max_inbox_batch = 4096);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    /// Runs `f(store&)` on the database thread inside the next shared transaction and resumes
    /// the caller, on its own executor, once that transaction is committed. Exceptions travel
    /// back to the caller (see the failure rules above). Results must not point into the store.
    template <class F>
    net::awaitable<std::invoke_result_t<F&, store::store&>> run(F f) {
        using result = std::invoke_result_t<F&, store::store&>;
        auto fn = std::make_shared<F>(std::move(f));
        if constexpr (std::is_void_v<result>) {
            auto j = std::make_shared<job>();
            j->body = [fn](store::store& s) { (*fn)(s); };
            co_await submit(std::move(j));
        } else {
            auto out = std::make_shared<std::optional<result>>();
            auto j = std::make_shared<job>();
            j->body = [fn, out](store::store& s) { out->emplace((*fn)(s)); };
            co_await submit(std::move(j));
            co_return std::move(**out);
        }
    }

    /// Appends webhook events durably. Throws store::unavailable when the commit failed: the
    /// caller answers 503 and the platform retries.
    net::awaitable<store::append_result> append_inbox(std::vector<store::inbox_item> items);

    /// Records how sends went, without waiting: queued before it returns, so any work
    /// submitted afterwards sees these outcomes. `done` runs on the database thread after the
    /// commit, with the exception if it failed (the messages then stay claimed and are resent
    /// after a restart, flagged in doubt).
    void record_sends(std::vector<store::send_result> results,
                      std::function<void(std::exception_ptr)> done);

    /// Called on the database thread after every commit that stored new inbox events (the
    /// worker uses it to wake up). Set before any traffic.
    void on_inbox_commit(std::function<void()> fn) { on_commit_ = std::move(fn); }

    /// Waits for queued work and stops the database thread.
    void stop();

private:
    // One caller's piece of a shared transaction. Inbox items of all callers are appended
    // with one statement loop, send outcomes likewise; `body` is anything else.
    struct job {
        std::function<void(store::store&)> body;
        std::function<void(std::exception_ptr)> done;  // set by submit
        std::exception_ptr error;                      // out
        std::vector<store::inbox_item> inbox;
        std::vector<bool> fresh;  // out: per inbox item
        std::vector<store::send_result> sends;
    };

    net::awaitable<void> submit(std::shared_ptr<job> j);
    void enqueue(std::shared_ptr<job> j);
    void round();
    void run_round(std::vector<std::shared_ptr<job>>& jobs, std::size_t inbox_events);

    store::store& store_;
    core::metrics& metrics_;
    std::size_t max_inbox_batch_;
    net::thread_pool pool_{1};
    std::function<void()> on_commit_;
    std::mutex mutex_;
    std::deque<std::shared_ptr<job>> queue_;  // guarded by mutex_
    bool scheduled_ = false;                  // guarded by mutex_
};

}  // namespace dgw::pipeline
