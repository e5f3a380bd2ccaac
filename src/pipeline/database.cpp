#include "dgw/pipeline/database.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace dgw::pipeline {

database::database(store::store& s, core::metrics& metrics, std::size_t max_inbox_batch)
    : store_(s), metrics_(metrics), max_inbox_batch_(max_inbox_batch) {
    metrics_.describe("dgw_inbox_commit_batch_events", "Events per group commit of the inbox.",
                      core::metrics::kind::histogram, {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096});
    metrics_.describe("dgw_inbox_commits_total", "Group commits of the inbox, by result.",
                      core::metrics::kind::counter);
    metrics_.describe("dgw_db_transactions_total",
                      "Shared transactions of the database thread, by result.",
                      core::metrics::kind::counter);
    metrics_.describe("dgw_db_transaction_jobs", "Pieces of work sharing one transaction.",
                      core::metrics::kind::histogram, {1, 2, 4, 8, 16, 32, 64, 128, 256});
}

database::~database() { stop(); }

void database::stop() { pool_.join(); }

net::awaitable<store::append_result> database::append_inbox(std::vector<store::inbox_item> items) {
    auto j = std::make_shared<job>();
    j->inbox = std::move(items);
    co_await submit(j);
    store::append_result r;
    for (bool f : j->fresh) ++(f ? r.stored : r.duplicates);
    r.fresh = std::move(j->fresh);
    co_return r;
}

void database::record_sends(std::vector<store::send_result> results,
                            std::function<void(std::exception_ptr)> done) {
    auto j = std::make_shared<job>();
    j->sends = std::move(results);
    j->done = std::move(done);
    enqueue(std::move(j));
}

net::awaitable<void> database::submit(std::shared_ptr<job> j) {
    auto initiate = [this](auto handler, std::shared_ptr<job> work_item) {
        using handler_type = decltype(handler);
        auto shared = std::make_shared<handler_type>(std::move(handler));
        // Keeps the caller's io_context alive while the database thread holds the handler.
        auto work = net::prefer(net::get_associated_executor(*shared),
                                net::execution::outstanding_work.tracked);
        work_item->done = [shared, work](std::exception_ptr e) {
            net::post(work, [shared, e]() mutable { std::move(*shared)(e); });
        };
        enqueue(std::move(work_item));
    };
    return net::async_initiate<decltype(net::use_awaitable), void(std::exception_ptr)>(
        initiate, net::use_awaitable, std::move(j));
}

void database::enqueue(std::shared_ptr<job> j) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(j));
    if (!scheduled_) {
        scheduled_ = true;
        net::post(pool_, [this] { round(); });
    }
}

void database::round() {
    std::vector<std::shared_ptr<job>> jobs;
    std::size_t inbox_events = 0;
    {
        std::lock_guard lock(mutex_);
        while (!queue_.empty()) {
            auto n = queue_.front()->inbox.size();
            if (n > 0 && inbox_events > 0 && inbox_events + n > max_inbox_batch_) break;
            inbox_events += n;
            jobs.push_back(std::move(queue_.front()));
            queue_.pop_front();
        }
        // What arrived during this round, or did not fit, gets the next one.
        if (!queue_.empty())
            net::post(pool_, [this] { round(); });
        else
            scheduled_ = false;
    }
    run_round(jobs, inbox_events);
}

void database::run_round(std::vector<std::shared_ptr<job>>& jobs, std::size_t inbox_events) {
    bool stored_fresh = false;
    std::exception_ptr failed;
    try {
        store_.transact([&] {
            // Webhook events first, all in one append, so the work below already sees them.
            if (inbox_events > 0) {
                std::vector<store::inbox_item> items;
                items.reserve(inbox_events);
                for (auto& j : jobs)
                    for (auto& it : j->inbox) items.push_back(std::move(it));
                auto r = store_.append_inbox(items);
                stored_fresh = r.stored > 0;
                std::size_t at = 0;
                for (auto& j : jobs) {
                    if (j->inbox.empty()) continue;
                    j->fresh.assign(r.fresh.begin() + static_cast<std::ptrdiff_t>(at),
                                    r.fresh.begin() + static_cast<std::ptrdiff_t>(at + j->inbox.size()));
                    at += j->inbox.size();
                }
            }
            std::vector<store::send_result> sends;
            for (auto& j : jobs) sends.insert(sends.end(), j->sends.begin(), j->sends.end());
            if (!sends.empty()) store_.record_sends(sends);
            for (auto& j : jobs) {
                if (!j->body) continue;
                try {
                    store_.transact([&] { j->body(store_); });  // a savepoint of its own
                } catch (const store::unavailable&) {
                    throw;  // the transaction itself is lost: nothing of this round commits
                } catch (...) {
                    j->error = std::current_exception();
                }
            }
        });
    } catch (...) {
        failed = std::current_exception();
    }
    metrics_.inc("dgw_db_transactions_total", {{"result", failed ? "failed" : "ok"}});
    metrics_.observe("dgw_db_transaction_jobs", {}, static_cast<double>(jobs.size()));
    if (inbox_events > 0) {
        metrics_.inc("dgw_inbox_commits_total", {{"result", failed ? "failed" : "ok"}});
        metrics_.observe("dgw_inbox_commit_batch_events", {}, static_cast<double>(inbox_events));
    }
    if (!failed && stored_fresh && on_commit_) on_commit_();
    for (auto& j : jobs) j->done(failed ? failed : j->error);
}

}  // namespace dgw::pipeline
