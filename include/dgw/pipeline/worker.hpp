#pragma once
/// The worker: runs the processor over committed inbox events and due timers, one batch (one
/// transaction) at a time on the database thread, woken by every inbox commit and otherwise
/// every `idle_poll` (for timers). After a batch that wrote outbox rows it calls `on_output`
/// (the sender's notify). Runs as one coroutine on its own strand; thread-safe controls.

#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/processor.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace dgw::pipeline {

struct worker_options {
    std::size_t batch = 256;
    std::chrono::milliseconds idle_poll{1000};
    std::chrono::milliseconds retry_after_failure{1000};
    /// Contacts past this retention are anonymised (store::contacts_past_retention); 0 = never.
    std::chrono::hours retention{0};
    /// How often to look for them (and once at start).
    std::chrono::milliseconds retention_sweep{std::chrono::hours(1)};
    /// The time steps, timers and the retention period are reckoned in.
    core::clock clock = core::system_clock();
    /// How the interval between sweeps is measured.
    core::ticker ticks = core::steady_ticker();
    /// Runs with each sweep, on the database thread: the reminders before meetings and the
    /// assigned work carried past its deadline. Returns how many messages it queued (the
    /// sender is woken).
    std::function<std::size_t(store::store&, store::time_point)> periodic{};
};

class worker {
public:
    worker(net::any_io_executor ex, database& db, processor& proc, worker_options options,
           core::logger& log, std::function<void()> on_output);
    ~worker();

    void start();
    void notify();
    /// Finishes the batch in progress, then calls `done`.
    void stop(std::function<void()> done);

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::pipeline
