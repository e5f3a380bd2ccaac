#include "dgw/pipeline/database.hpp"

namespace dgw::pipeline {

database::database(store::store& s, core::metrics& metrics, std::size_t max_batch)
    : store_(s),
      metrics_(metrics),
      inbox_(
          pool_, max_batch,
          [this](const std::vector<store::inbox_item>& items) {
              auto r = store_.append_inbox(items);
              if (on_commit_) on_commit_();
              return r.fresh;
          },
          [this](std::size_t events, bool failed) {
              metrics_.inc("dgw_inbox_commits_total", {{"result", failed ? "failed" : "ok"}});
              metrics_.observe("dgw_inbox_commit_batch_events", {}, static_cast<double>(events));
          }),
      sends_(pool_, max_batch, [this](const std::vector<store::send_result>& results) {
          store_.record_sends(results);
          return std::vector<bool>(results.size(), true);
      }) {
    metrics_.describe("dgw_inbox_commit_batch_events", "Events per group commit of the inbox.",
                      core::metrics::kind::histogram, {1, 2, 4, 8, 16, 32, 64, 128, 256, 1024, 4096});
    metrics_.describe("dgw_inbox_commits_total", "Group commits of the inbox, by result.",
                      core::metrics::kind::counter);
}

database::~database() { stop(); }

void database::stop() { pool_.join(); }

net::awaitable<store::append_result> database::append_inbox(std::vector<store::inbox_item> items) {
    auto fresh = co_await inbox_.submit(std::move(items));
    store::append_result r;
    for (bool f : fresh) ++(f ? r.stored : r.duplicates);
    r.fresh = std::move(fresh);
    co_return r;
}

net::awaitable<void> database::record_sends(std::vector<store::send_result> results) {
    co_await sends_.submit(std::move(results));
}

}  // namespace dgw::pipeline
