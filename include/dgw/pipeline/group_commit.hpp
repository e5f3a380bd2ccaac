#pragma once
/// Group commit: callers on any executor submit items; whenever the database thread is free,
/// it commits everything queued so far in ONE transaction (`commit_fn`) and completes every
/// caller with its own slice of the result. While one commit runs the next batch gathers, so
/// throughput grows with concurrency while each caller still waits for its own durable commit.

#include <dgw/core/net.hpp>

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace dgw::pipeline {

template <class Item>
class group_commit {
public:
    /// Commits a batch in one transaction on the database thread; returns one flag per item
    /// (whatever the caller wants to learn, e.g. "stored, not a duplicate"), or throws.
    using commit_fn = std::function<std::vector<bool>(const std::vector<Item>&)>;
    /// Called on the database thread after each batch: (events, failed).
    using observe_fn = std::function<void(std::size_t, bool)>;

    group_commit(net::thread_pool& pool, std::size_t max_batch, commit_fn commit,
                 observe_fn observe = {})
        : pool_(pool), max_batch_(max_batch), commit_(std::move(commit)),
          observe_(std::move(observe)) {}

    /// Completes on the caller's executor once the items are committed, with their flags;
    /// rethrows the commit's exception if the transaction failed (nothing of it is stored).
    net::awaitable<std::vector<bool>> submit(std::vector<Item> items) {
        auto initiate = [this](auto handler, std::vector<Item> batch) {
            using handler_type = decltype(handler);
            auto shared = std::make_shared<handler_type>(std::move(handler));
            // Keeps the caller's io_context alive while the database thread holds the handler.
            auto work = net::prefer(net::get_associated_executor(*shared),
                                    net::execution::outstanding_work.tracked);
            waiter w;
            w.items = std::move(batch);
            w.done = [shared, work](std::exception_ptr e, std::vector<bool> flags) {
                net::post(work, [shared, e, flags = std::move(flags)]() mutable {
                    std::move(*shared)(e, std::move(flags));
                });
            };
            enqueue(std::move(w));
        };
        return net::async_initiate<decltype(net::use_awaitable),
                                   void(std::exception_ptr, std::vector<bool>)>(
            initiate, net::use_awaitable, std::move(items));
    }

private:
    struct waiter {
        std::vector<Item> items;
        std::function<void(std::exception_ptr, std::vector<bool>)> done;
    };

    void enqueue(waiter w) {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(w));
        if (!scheduled_) {
            scheduled_ = true;
            net::post(pool_, [this] { flush(); });
        }
    }

    void flush() {
        std::vector<waiter> batch;
        std::size_t count = 0;
        {
            std::lock_guard lock(mutex_);
            while (!queue_.empty() &&
                   (batch.empty() || count + queue_.front().items.size() <= max_batch_)) {
                count += queue_.front().items.size();
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            // More arrived than one batch takes: commit them right after this one.
            if (!queue_.empty())
                net::post(pool_, [this] { flush(); });
            else
                scheduled_ = false;
        }
        std::vector<Item> all;
        all.reserve(count);
        for (auto& w : batch)
            for (auto& it : w.items) all.push_back(it);
        std::exception_ptr error;
        std::vector<bool> flags;
        try {
            flags = commit_(all);
        } catch (...) {
            error = std::current_exception();
        }
        if (observe_) observe_(count, error != nullptr);
        std::size_t offset = 0;
        for (auto& w : batch) {
            std::vector<bool> mine;
            if (!error && flags.size() == all.size())
                mine.assign(flags.begin() + static_cast<std::ptrdiff_t>(offset),
                            flags.begin() + static_cast<std::ptrdiff_t>(offset + w.items.size()));
            offset += w.items.size();
            w.done(error, std::move(mine));
        }
    }

    net::thread_pool& pool_;
    std::size_t max_batch_;
    commit_fn commit_;
    observe_fn observe_;
    std::mutex mutex_;
    std::deque<waiter> queue_;  // guarded by mutex_
    bool scheduled_ = false;    // guarded by mutex_
};

}  // namespace dgw::pipeline
