#include "dgw/pipeline/media_copier.hpp"

#include <dgw/channels/crypto.hpp>
#include <dgw/channels/webchat.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <utility>
#include <vector>

namespace dgw::pipeline {

std::optional<std::string_view> kept_media_type(std::string_view bytes) {
    if (auto f = channels::sniff_image(bytes)) return channels::mime_type(*f);
    // Photos only: a PDF or an SVG served from the API's origin could run script there.
    if (bytes.size() >= 6 && (bytes.substr(0, 6) == "GIF87a" || bytes.substr(0, 6) == "GIF89a"))
        return "image/gif";
    return std::nullopt;
}

struct media_copier::impl {
    impl(net::any_io_executor ex, database& d, media_fetcher f, media_copier_options o,
         core::metrics& m, core::logger& l)
        : strand(net::make_strand(ex)), wake(strand), db(d), fetch(std::move(f)), opts(std::move(o)),
          metrics(m), log(l) {}

    net::strand<net::any_io_executor> strand;
    net::steady_timer wake;
    database& db;
    media_fetcher fetch;
    media_copier_options opts;
    core::metrics& metrics;
    core::logger& log;
    // strand only
    bool pending_wake = false;
    bool stopping = false;
    std::function<void()> on_stopped;
};

namespace {

using outcome = fetched_media::outcome;
using status = store::media_copy_status;

std::string name_of(const store::media_copy& c) {
    // Never the media id: a platform's download link may carry a token.
    return "photo " + std::to_string(c.index) + " of concern #" + std::to_string(c.concern_id) +
           " (" + c.channel + ")";
}

void count(media_copier::impl& st, const store::media_copy& c, const char* result) {
    st.metrics.inc("dgw_media_copies_total", {{"channel", c.channel}, {"result", result}});
}

// Ends the copy as refused or failed, with the reason; it is shown as unavailable.
net::awaitable<void> end_copy(std::shared_ptr<media_copier::impl> st, store::media_copy c,
                              status s, std::string reason) {
    const auto now = st->opts.clock();
    auto end = [id = c.id, s, reason, now](store::store& db) {
        db.end_media_copy(id, s, reason, now);
    };
    co_await st->db.run(std::move(end));
    count(*st, c, store::to_string(s));
    st->log.warn("pipeline", name_of(c) + " not copied, " + store::to_string(s) + ": " + reason);
}

// A try that may go better later (the platform failed, or does not have it yet): again after a
// backoff doubling each time, until the tries run out.
net::awaitable<void> retry_copy(std::shared_ptr<media_copier::impl> st, store::media_copy c,
                                std::string reason) {
    const int attempts = c.attempts + 1;
    if (attempts >= st->opts.max_attempts) {
        co_await end_copy(st, std::move(c), status::failed,
                          reason + " (" + std::to_string(attempts) + " tries)");
        co_return;
    }
    const auto now = st->opts.clock();
    auto delay = st->opts.backoff;
    for (int i = 1; i < attempts && delay < st->opts.max_backoff; ++i) delay *= 2;
    const auto next = now + std::min(delay, st->opts.max_backoff);
    auto retry = [id = c.id, attempts, next, reason, now](store::store& db) {
        db.retry_media_copy(id, attempts, next, reason, now);
    };
    co_await st->db.run(std::move(retry));
    count(*st, c, "retry");
    st->log.info("pipeline", name_of(c) + " not copied yet (" + reason + "), try " +
                                 std::to_string(attempts + 1) + " later");
}

net::awaitable<void> keep_copy(std::shared_ptr<media_copier::impl> st, store::media_copy c,
                               std::string bytes, std::string_view type) {
    store::media_file file;
    file.content_type = std::string(type);
    file.sha256 = channels::to_hex(channels::sha256(bytes));
    file.bytes = std::move(bytes);
    file.created_at = st->opts.clock();
    auto keep = [id = c.id, file = std::move(file)](store::store& db) {
        return db.keep_media_copy(id, file);
    };
    if (co_await st->db.run(std::move(keep))) {
        count(*st, c, "kept");
        st->log.debug("pipeline", name_of(c) + " copied");
    } else {
        // Its citizen's data was erased while it was fetched: the bytes are not kept.
        count(*st, c, "dropped");
    }
}

net::awaitable<void> copy_one(std::shared_ptr<media_copier::impl> st, store::media_copy c) {
    fetched_media got;
    try {
        got = co_await st->fetch(c.channel, c.media_id);
    } catch (const std::exception& e) {
        st->log.error("pipeline", name_of(c) + ": fetch failed: " + e.what());
        got.result = outcome::unavailable;
    }
    if (got.result == outcome::ok && got.bytes.size() > st->opts.max_bytes)
        got.result = outcome::too_large;
    const std::string limit = std::to_string(st->opts.max_bytes);
    switch (got.result) {
        case outcome::ok:
            if (auto type = kept_media_type(got.bytes)) {
                co_await keep_copy(st, std::move(c), std::move(got.bytes), *type);
                co_return;
            }
            co_await end_copy(st, std::move(c), status::refused,
                              "not a JPEG, PNG, WebP or GIF image (read from its first bytes)");
            co_return;
        case outcome::too_large:
            co_await end_copy(st, std::move(c), status::refused,
                              "larger than media.max_bytes (" + limit + " bytes)");
            co_return;
        case outcome::refused:
            co_await end_copy(st, std::move(c), status::refused,
                              "its link points where the channel's media_hosts or the address "
                              "rules do not allow");
            co_return;
        case outcome::not_kept:
            co_await end_copy(st, std::move(c), status::failed,
                              "the channel offers no way to fetch it");
            co_return;
        case outcome::gone:
            co_await retry_copy(st, std::move(c), "the platform does not have it");
            co_return;
        case outcome::unavailable:
            co_await retry_copy(st, std::move(c), "the platform did not answer");
            co_return;
    }
}

// Copies taken but not tried because the copier stops: due again at once, for the next start
// (or another gateway), rather than after their lease.
net::awaitable<void> release(std::shared_ptr<media_copier::impl> st,
                             std::vector<store::media_copy> left) {
    if (left.empty()) co_return;
    const auto now = st->opts.clock();
    auto give_back = [left = std::move(left), now](store::store& db) {
        for (const auto& c : left) db.retry_media_copy(c.id, c.attempts, now, c.reason, now);
    };
    co_await st->db.run(std::move(give_back));
}

net::awaitable<void> copy_loop(std::shared_ptr<media_copier::impl> st) {
    while (!st->stopping) {
        st->pending_wake = false;
        auto wait = st->opts.idle_poll;
        try {
            const auto now = st->opts.clock();
            const auto until = now + st->opts.lease;
            const auto batch = st->opts.batch;
            auto claim = [now, until, batch](store::store& s) {
                return s.claim_media_copies(now, until, batch);
            };
            auto due = co_await st->db.run(std::move(claim));
            std::size_t done = 0;
            for (; done < due.size() && !st->stopping; ++done) co_await copy_one(st, due[done]);
            if (done < due.size())
                co_await release(st, {due.begin() + static_cast<std::ptrdiff_t>(done), due.end()});
            // A full batch means more may be due: go again at once.
            if (due.size() >= batch) continue;
        } catch (const std::exception& e) {
            // The database is down: what was taken comes due again after its lease.
            st->log.error("pipeline", std::string("photo copies failed, retrying: ") + e.what());
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

media_copier::media_copier(net::any_io_executor ex, database& db, media_fetcher fetch,
                           media_copier_options options, core::metrics& metrics,
                           core::logger& log)
    : impl_(std::make_shared<impl>(std::move(ex), db, std::move(fetch), std::move(options),
                                   metrics, log)) {
    metrics.describe("dgw_media_copies_total",
                     "Photos of filed concerns copied into the gateway's storage, by channel and "
                     "result: kept, retry (a failed try, tried again later), refused (too large "
                     "or not an image), failed (every try failed), dropped (erased meanwhile).",
                     core::metrics::kind::counter);
}

media_copier::~media_copier() = default;

void media_copier::start() {
    auto st = impl_;
    net::co_spawn(st->strand, copy_loop(st), [st](std::exception_ptr e) {
        if (e) st->log.error("pipeline", "photo copier ended by an exception");
    });
}

void media_copier::notify() {
    auto st = impl_;
    net::post(st->strand, [st] {
        st->pending_wake = true;
        st->wake.cancel();
    });
}

void media_copier::stop(std::function<void()> done) {
    auto st = impl_;
    net::post(st->strand, [st, done = std::move(done)]() mutable {
        st->stopping = true;
        st->on_stopped = std::move(done);
        st->wake.cancel();
    });
}

}  // namespace dgw::pipeline
