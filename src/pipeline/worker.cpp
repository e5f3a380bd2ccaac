#include "dgw/pipeline/worker.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

namespace dgw::pipeline {

struct worker::impl {
    impl(net::any_io_executor ex, database& d, processor& p, worker_options o, core::logger& l,
         std::function<void()> out)
        : strand(net::make_strand(ex)), wake(strand), db(d), proc(p), opts(o), log(l),
          on_output(std::move(out)) {}

    net::strand<net::any_io_executor> strand;
    net::steady_timer wake;
    database& db;
    processor& proc;
    worker_options opts;
    core::logger& log;
    std::function<void()> on_output;
    // strand only
    bool pending_wake = false;
    std::chrono::steady_clock::time_point next_sweep{};  // the first sweep runs at once
    bool stopping = false;
    std::function<void()> on_stopped;
};

namespace {

// Personal data is kept only as long as needed: contacts past the retention period are
// anonymised like an erasure on request, a few at a time, each with an audit line; and the
// confirmations sent to citizens who erased their data lose the address they went to.
net::awaitable<void> retention_sweep(std::shared_ptr<worker::impl> st) {
    const auto tick = st->opts.ticks();
    if (tick < st->next_sweep) co_return;
    st->next_sweep = tick + st->opts.retention_sweep;
    const auto now = st->opts.clock();
    const auto retention = st->opts.retention;
    // A web chat page shows the confirmation by its address: leave it there for a while.
    const auto sent_before = now - std::chrono::minutes(15);
    auto periodic = st->opts.periodic;
    auto sweep = [now, retention, sent_before, periodic](store::store& s) {
        std::size_t n = 0, queued = 0;
        if (retention.count() > 0)
            for (auto id : s.contacts_past_retention(now - retention, 100)) {
                if (!s.erase_contact(id, now)) continue;
                s.append_audit({0, now, "system", "contact.anonymise",
                                "contact:" + std::to_string(id), "",
                                R"({"reason":"retention period"})"});
                ++n;
            }
        s.forget_erased_messages(sent_before);
        if (periodic) queued = periodic(s, now);
        return std::pair{n, queued};
    };
    try {
        auto [n, queued] = co_await st->db.run(std::move(sweep));
        if (n > 0)
            st->log.info("pipeline", "anonymised " + std::to_string(n) +
                                         " contact(s) past the retention period");
        if (queued > 0) {
            st->log.info("pipeline", "queued " + std::to_string(queued) + " reminder(s)");
            if (st->on_output) st->on_output();
        }
    } catch (const std::exception& e) {
        st->log.error("pipeline", std::string("retention sweep failed, will retry: ") + e.what());
    }
}

net::awaitable<void> work_loop(std::shared_ptr<worker::impl> st) {
    while (!st->stopping) {
        st->pending_wake = false;
        auto wait = st->opts.idle_poll;
        co_await retention_sweep(st);
        try {
            auto now = st->opts.clock();
            auto* proc = &st->proc;
            auto batch = st->opts.batch;
            auto step = [proc, now, batch](store::store& s) { return proc->run_batch(s, now, batch); };
            auto rep = co_await st->db.run(std::move(step));
            if (rep.messages > 0 && st->on_output) st->on_output();
            // A full batch means more is waiting: go again at once.
            if (rep.events >= batch || rep.timers >= batch) continue;
        } catch (const std::exception& e) {
            // The database is down or full: nothing was committed, the events stay pending.
            st->log.error("pipeline", std::string("worker batch failed, retrying: ") + e.what());
            wait = st->opts.retry_after_failure;
            st->pending_wake = false;
        }
        if (st->stopping) break;
        if (st->pending_wake) continue;
        st->wake.expires_after(wait);
        co_await st->wake.async_wait(net::as_tuple(net::use_awaitable));
    }
    if (st->on_stopped) st->on_stopped();
}

}  // namespace

worker::worker(net::any_io_executor ex, database& db, processor& proc, worker_options options,
               core::logger& log, std::function<void()> on_output)
    : impl_(std::make_shared<impl>(std::move(ex), db, proc, options, log, std::move(on_output))) {}

worker::~worker() = default;

void worker::start() {
    auto st = impl_;
    net::co_spawn(st->strand, work_loop(st), [st](std::exception_ptr e) {
        if (e) st->log.error("pipeline", "worker loop ended by an exception");
    });
}

void worker::notify() {
    auto st = impl_;
    net::post(st->strand, [st] {
        st->pending_wake = true;
        st->wake.cancel();
    });
}

void worker::stop(std::function<void()> done) {
    auto st = impl_;
    net::post(st->strand, [st, done = std::move(done)]() mutable {
        st->stopping = true;
        st->on_stopped = std::move(done);
        st->wake.cancel();
    });
}

}  // namespace dgw::pipeline
