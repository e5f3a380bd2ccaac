#include "dgw/pipeline/database.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>

namespace dgw::pipeline {

database::database(store::store& s, core::metrics& metrics, std::size_t max_batch)
    : store_(s), metrics_(metrics), max_batch_(max_batch) {
    metrics_.describe("dgw_inbox_commit_batch_events", "Events per group commit of the inbox.",
                      core::metrics::kind::histogram, {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096});
    metrics_.describe("dgw_inbox_commits_total", "Group commits of the inbox, by result.",
                      core::metrics::kind::counter);
}

database::~database() { stop(); }

void database::stop() { pool_.join(); }

net::awaitable<store::append_result> database::append_inbox(std::vector<store::inbox_item> items) {
    // A completion handler per caller; the database thread completes it on the caller's
    // executor (with a work guard, so the caller's io_context stays alive meanwhile).
    auto initiate = [this](auto handler, std::vector<store::inbox_item> batch) {
        using handler_type = decltype(handler);
        auto shared = std::make_shared<handler_type>(std::move(handler));
        auto ex = net::get_associated_executor(*shared);
        auto work = net::prefer(ex, net::execution::outstanding_work.tracked);
        waiter w;
        w.items = std::move(batch);
        w.done = [shared, work](std::exception_ptr e, store::append_result r) {
            net::post(work, [shared, e, r]() mutable { std::move (*shared)(e, r); });
        };
        enqueue(std::move(w));
    };
    return net::async_initiate<decltype(net::use_awaitable),
                               void(std::exception_ptr, store::append_result)>(
        initiate, net::use_awaitable, std::move(items));
}

void database::enqueue(waiter w) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(w));
    if (!flush_scheduled_) {
        flush_scheduled_ = true;
        net::post(pool_, [this] { flush(); });
    }
}

void database::flush() {
    std::vector<waiter> batch;
    std::size_t events = 0;
    {
        std::lock_guard lock(mutex_);
        while (!queue_.empty() && (batch.empty() || events + queue_.front().items.size() <= max_batch_)) {
            events += queue_.front().items.size();
            batch.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        // More arrived than one batch takes: commit them right after this one.
        if (!queue_.empty())
            net::post(pool_, [this] { flush(); });
        else
            flush_scheduled_ = false;
    }
    std::vector<store::inbox_item> all;
    all.reserve(events);
    for (auto& w : batch)
        for (auto& it : w.items) all.push_back(it);
    std::exception_ptr error;
    store::append_result total;
    try {
        total = store_.append_inbox(all);
    } catch (...) {
        error = std::current_exception();
    }
    metrics_.inc("dgw_inbox_commits_total", {{"result", error ? "failed" : "ok"}});
    metrics_.observe("dgw_inbox_commit_batch_events", {}, static_cast<double>(events));
    if (!error && on_commit_) on_commit_();
    // Every waiter learns the outcome of the one transaction its events were in.
    std::size_t offset = 0;
    for (auto& w : batch) {
        store::append_result mine;
        if (!error) {
            for (std::size_t i = 0; i < w.items.size(); ++i) {
                bool fresh = total.fresh.at(offset + i);
                mine.fresh.push_back(fresh);
                ++(fresh ? mine.stored : mine.duplicates);
            }
        }
        offset += w.items.size();
        w.done(error, mine);
    }
}

}  // namespace dgw::pipeline
