#pragma once
/// The media copier: copies the photos of filed concerns from the platforms that have them
/// into the gateway's own storage (store::media_copy, store::media_file), so that a photo
/// still opens when the platform's link has long expired. The copies are queued with their
/// concern, in the same transaction; this takes the due ones a few at a time (leased, so a
/// crash loses none and two copiers never take the same), fetches each through the channel's
/// fetcher and stores what it gets within the size and type limits. A copy that fails is
/// tried again with backoff, then recorded as failed with the reason; one refused (too
/// large, not an image) is recorded as refused. Neither filing nor the inbox ever waits for it.
///
/// Runs as one coroutine on its own strand; the store is reached only through `database`
/// (the database thread). Thread-safe controls.

#include <dgw/core/clock.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/core/net.hpp>
#include <dgw/pipeline/database.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace dgw::pipeline {

/// What fetching one photo from its platform gave.
struct fetched_media {
    enum class outcome {
        ok,           ///< `bytes` is what the platform answered (its type not yet checked)
        not_kept,     ///< the channel offers no way to fetch it (or is no longer configured)
        gone,         ///< the platform does not have it (any more), or its link is dead
        too_large,    ///< larger than the channel's limit (media.max_bytes)
        refused,      ///< the link points where the channel's fetch policy does not allow
        unavailable,  ///< the platform could not be reached, timed out or failed: try later
    };
    outcome result = outcome::not_kept;
    std::string bytes;
};

/// Fetches photo `media_id` of channel `channel` (the app's platform fetch: the adapter's
/// lookup and download under the channel's fetch policy, with its token).
using media_fetcher =
    std::function<net::awaitable<fetched_media>(std::string channel, std::string media_id)>;

/// The MIME type of the bytes, read from their first bytes (never from a header), when they
/// are an image the gateway keeps: JPEG, PNG, WebP or GIF.
std::optional<std::string_view> kept_media_type(std::string_view bytes);

struct media_copier_options {
    std::size_t batch = 8;                     ///< copies taken at a time
    std::size_t max_bytes = 10 * 1024 * 1024;  ///< larger photos are refused
    int max_attempts = 8;                      ///< then the copy is recorded as failed
    std::chrono::seconds backoff{30};          ///< before the 2nd try, doubled each time
    std::chrono::seconds max_backoff{std::chrono::hours(6)};
    /// How long a taken copy is left to its copier: longer than one fetch can take.
    std::chrono::seconds lease{std::chrono::minutes(2)};
    std::chrono::milliseconds idle_poll{std::chrono::seconds(10)};
    std::chrono::milliseconds retry_after_failure{std::chrono::seconds(1)};
    core::clock clock = core::system_clock();
};

class media_copier {
public:
    /// `db`, `metrics` and `log` must outlive the copier.
    media_copier(net::any_io_executor ex, database& db, media_fetcher fetch,
                 media_copier_options options, core::metrics& metrics, core::logger& log);
    ~media_copier();
    media_copier(const media_copier&) = delete;
    media_copier& operator=(const media_copier&) = delete;

    void start();
    /// Something may be due now (a concern with photos was filed).
    void notify();
    /// Finishes the copy in progress, then calls `done`; the rest stays queued.
    void stop(std::function<void()> done);

    struct impl;

private:
    std::shared_ptr<impl> impl_;
};

}  // namespace dgw::pipeline
