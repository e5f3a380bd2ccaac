#pragma once
// The web chat's own endpoints next to its webhook (README "Web chat"): the page, the replies
// it fetches, and photo uploads. Citizens' messages themselves go to POST /webhooks/{channel}
// like every platform's, through the ordinary durable ingest.
//
//   GET  /chat, /chat/{channel}               the page (sets the session cookie when absent or
//                                             not one the gateway signed)
//   GET  /chat/api/{channel}/messages?after=N  this session's sent replies after outbox id N
//   POST /chat/api/{channel}/photos            a raw JPEG/PNG/WebP body -> {"media": id}
//
// Handlers run on the connection's strand; store reads go to the database thread and file
// writes to a thread of their own, never on an I/O thread. Photos nothing refers to any more
// are deleted by a sweep at start and hourly (webchat_config::keep_unfiled_photos_hours).

#include <dgw/api/routes.hpp>
#include <dgw/config/gateway_config.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/router.hpp>
#include <dgw/pipeline/database.hpp>
#include <dgw/pipeline/rate_limiter.hpp>

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::app {

/// The page, embedded at build time from src/web/chat/index.html.
extern const std::string_view webchat_page_html;

class webchat_routes {
public:
    /// `db`, `metrics` and `log` must outlive this object. `channels` are the webchat ones,
    /// in config order (GET /chat serves the first); max_photo_bytes must be resolved (> 0).
    /// `sessions` and `session_key` are the gateway's: one cookie serves every web chat
    /// channel, signed with that key (channels::webchat_cookie_value).
    webchat_routes(pipeline::database& db, std::vector<config::channel_config> channels,
                   config::webchat_sessions_config sessions, std::string session_key,
                   core::metrics& metrics, core::logger& log);
    ~webchat_routes();
    webchat_routes(const webchat_routes&) = delete;
    webchat_routes& operator=(const webchat_routes&) = delete;

    /// Adds the routes above to `r`.
    void add_to(http::router& r);

    net::awaitable<http::response> page(http::request_context& ctx);
    net::awaitable<http::response> messages(http::request_context& ctx);
    net::awaitable<http::response> upload(http::request_context& ctx);

    /// Starts the photo sweep on `ex`: once now, then every `every`.
    void start_sweeps(net::any_io_executor ex, std::chrono::seconds every = std::chrono::hours(1));
    /// Deletes, in every channel's media_dir, the photos (and interrupted uploads) older than
    /// the channel's keep_unfiled_photos_hours that the store says nothing refers to. Returns
    /// how many went.
    net::awaitable<std::size_t> sweep_photos();

    /// A stored photo of `channel`, for an official: read on the file thread, only under a
    /// name uploads are given (channels::valid_media_id), and only when its bytes are an image.
    net::awaitable<api::media_fetch> read_photo(std::string channel, std::string media_id);

    /// Waits for file writes in progress (call before the io_context goes).
    void stop();

private:
    /// The session of the request's cookie when the gateway signed it; or a new one with its
    /// Set-Cookie, when the client's address may have one more this hour; or, over that, no
    /// session and how long to wait.
    struct session_cookie {
        std::string id;
        std::string set_cookie;               ///< empty when the browser already has a session
        std::chrono::seconds retry_after{0};  ///< set when no session could be given
    };
    session_cookie session_of(const http::request_context& ctx);
    const config::channel_config* find(const std::string& id) const;
    /// Zero when `session` may upload one more photo to `channel` now, else how long to wait.
    std::chrono::seconds photo_quota(const std::string& channel, const std::string& session);
    net::awaitable<void> sweep_loop(std::chrono::seconds every);

    pipeline::database& db_;
    std::map<std::string, config::channel_config> channels_;
    std::string first_;
    core::metrics& metrics_;
    core::logger& log_;
    net::thread_pool files_{1};
    config::webchat_sessions_config sessions_;
    std::string session_key_;
    std::mutex quota_mutex_;
    pipeline::rate_limiter photo_quota_;  // channel = the channel's photos, chat = a session
    pipeline::rate_limiter new_sessions_;  // chat = a client address; guarded by quota_mutex_
};

/// `page` with the channel's values filled in (HTML-escaped).
std::string render_chat_page(std::string_view page, const config::channel_config& channel);

}  // namespace dgw::app
