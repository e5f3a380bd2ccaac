#include "app/webchat_routes.hpp"

#include <dgw/channels/crypto.hpp>
#include <dgw/channels/webchat.hpp>
#include <dgw/core/ip_address.hpp>
#include <dgw/core/text.hpp>
#include <dgw/http/types.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>
#include <openssl/rand.h>

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace dgw::app {

namespace {

using json = nlohmann::json;
using field = beast::http::field;

// A year: the citizen comes back to the same page for the answer, months later.
constexpr int cookie_max_age_seconds = 365 * 24 * 3600;
constexpr std::size_t messages_per_fetch = 50;

// Where the page may load anything from: nowhere but itself (inline CSS and JS, photos it
// previews from the file picker); that no request leaves the gateway is enforced, not hoped.
constexpr const char* page_csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; "
    "frame-ancestors 'none'; base-uri 'none'";

std::string new_session() {
    unsigned char raw[16];
    if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("RAND_bytes failed");
    return channels::to_hex(std::string_view(reinterpret_cast<const char*>(raw), sizeof raw));
}

template <class Session>
void give_session(http::response& res, const Session& s) {
    if (!s.set_cookie.empty()) res.set(field::set_cookie, s.set_cookie);
}

void replace_all(std::string& s, std::string_view what, std::string_view with) {
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
        s.replace(pos, what.size(), with);
}

void no_store(http::response& res) {
    res.set(field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
}

// Writes the photo under its content hash: to a temporary name, synced, then renamed, so a
// crash never leaves a half photo under a name a concern refers to. Runs on the file thread.
net::awaitable<bool> write_media(std::string dir, std::string id, std::string bytes) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) co_return false;
    const fs::path target = fs::path(dir) / id;
    if (fs::exists(target, ec)) co_return true;  // the same bytes, uploaded before
    const fs::path tmp = fs::path(dir) / (id + ".part");
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
    if (fd < 0) co_return false;
    bool ok = true;
    for (std::size_t done = 0; ok && done < bytes.size();) {
        auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) ok = false;
        else done += static_cast<std::size_t>(n);
    }
    ok = ::fsync(fd) == 0 && ok;
    ok = ::close(fd) == 0 && ok;
    if (ok) fs::rename(tmp, target, ec);
    if (!ok || ec) {
        fs::remove(tmp, ec);
        co_return false;
    }
    co_return true;
}

// The files of `dir` last written more than `age` ago: photos, and uploads a crash interrupted
// (".part"). Runs on the file thread; a missing directory has none.
net::awaitable<std::vector<std::string>> files_older_than(std::string dir, std::chrono::hours age) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    const auto cutoff = fs::file_time_type::clock::now() - age;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code e;
        if (!it->is_regular_file(e) || e) continue;
        if (auto t = it->last_write_time(e); !e && t < cutoff)
            out.push_back(it->path().filename().string());
    }
    co_return out;
}

// The bytes of `dir`/`name`, or nothing when it cannot be read. Runs on the file thread.
net::awaitable<std::optional<std::string>> read_file(std::string dir, std::string name) {
    std::ifstream in(std::filesystem::path(dir) / name, std::ios::binary);
    if (!in) co_return std::nullopt;
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (in.bad()) co_return std::nullopt;
    co_return bytes;
}

// Deletes `names` from `dir`; how many went. Runs on the file thread.
net::awaitable<std::size_t> remove_files(std::string dir, std::vector<std::string> names) {
    std::size_t n = 0;
    for (const auto& name : names) {
        std::error_code ec;
        if (std::filesystem::remove(std::filesystem::path(dir) / name, ec)) ++n;
    }
    co_return n;
}

}  // namespace

std::string render_chat_page(std::string_view page, const config::channel_config& channel) {
    std::string out(page);
    replace_all(out, "{{channel}}", core::html_escape(channel.id));
    replace_all(out, "{{title}}", core::html_escape(channel.webchat.title));
    replace_all(out, "{{max_photo_bytes}}", std::to_string(channel.webchat.max_photo_bytes));
    return out;
}

webchat_routes::webchat_routes(pipeline::database& db, std::vector<config::channel_config> channels,
                               config::webchat_sessions_config sessions, std::string session_key,
                               core::metrics& metrics, core::logger& log)
    : db_(db),
      metrics_(metrics),
      log_(log),
      sessions_(std::move(sessions)),
      session_key_(std::move(session_key)) {
    const auto per_hour = static_cast<double>(sessions_.new_sessions_per_address_per_hour);
    new_sessions_.configure("sessions", {0, 0, per_hour / 3600.0, per_hour});
    for (auto& c : channels) {
        if (first_.empty()) first_ = c.id;
        const auto& w = c.webchat;
        photo_quota_.configure(c.id, {static_cast<double>(w.photos_per_minute) / 60.0,
                                      static_cast<double>(w.photos_per_minute),
                                      static_cast<double>(w.photos_per_session_per_hour) / 3600.0,
                                      static_cast<double>(w.photos_per_session_per_hour)});
        channels_[c.id] = std::move(c);
    }
    metrics_.describe("dgw_webchat_sessions_total",
                      "Web chat sessions given to browsers (issued), and refused because their "
                      "address had its hourly share (limited).",
                      core::metrics::kind::counter);
    metrics_.describe("dgw_webchat_photos_total",
                      "Web chat photos by channel and result: uploads stored, rejected, limited or "
                      "failed, and photos removed because nothing refers to them.",
                      core::metrics::kind::counter);
}

webchat_routes::~webchat_routes() { stop(); }

void webchat_routes::stop() { files_.join(); }

net::awaitable<api::media_fetch> webchat_routes::read_photo(std::string channel,
                                                           std::string media_id) {
    api::media_fetch out;
    const auto* ch = find(channel);
    if (!ch) co_return out;  // not_kept
    out.result = api::media_fetch::outcome::gone;
    if (!channels::valid_media_id(media_id)) co_return out;
    auto bytes = co_await net::co_spawn(files_.get_executor(),
                                        read_file(ch->webchat.media_dir, std::move(media_id)),
                                        net::use_awaitable);
    const auto type = bytes ? channels::sniff_image(*bytes) : std::nullopt;
    if (!type) co_return out;
    out.result = api::media_fetch::outcome::ok;
    out.bytes = std::move(*bytes);
    out.content_type = channels::mime_type(*type);
    co_return out;
}

void webchat_routes::start_sweeps(net::any_io_executor ex, std::chrono::seconds every) {
    net::co_spawn(ex, sweep_loop(every), net::detached);
}

net::awaitable<void> webchat_routes::sweep_loop(std::chrono::seconds every) {
    net::steady_timer timer(co_await net::this_coro::executor);
    while (true) {
        try {
            co_await sweep_photos();
        } catch (const std::exception& e) {
            // The store is down or the disk unreadable: the next sweep tries again.
            log_.error("webchat", std::string("photo sweep failed: ") + e.what());
        }
        timer.expires_after(every);
        auto [ec] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
        if (ec) co_return;
    }
}

net::awaitable<std::size_t> webchat_routes::sweep_photos() {
    constexpr std::size_t batch = 500;
    std::size_t removed = 0;
    for (const auto& [id, channel] : channels_) {
        const auto& w = channel.webchat;
        if (w.keep_unfiled_photos_hours == 0) continue;
        const auto age = std::chrono::hours(static_cast<std::int64_t>(w.keep_unfiled_photos_hours));
        auto old = co_await net::co_spawn(files_.get_executor(), files_older_than(w.media_dir, age),
                                          net::use_awaitable);
        std::vector<std::string> unused;
        for (std::size_t i = 0; i < old.size(); i += batch) {
            const auto end = std::min(old.size(), i + batch);
            std::vector<std::string> some(old.begin() + static_cast<std::ptrdiff_t>(i),
                                          old.begin() + static_cast<std::ptrdiff_t>(end));
            auto ask = [some](store::store& s) { return s.media_in_use(some); };
            auto used = co_await db_.run(std::move(ask));
            for (auto& name : some)
                if (std::find(used.begin(), used.end(), name) == used.end())
                    unused.push_back(std::move(name));
        }
        if (unused.empty()) continue;
        const auto n = co_await net::co_spawn(files_.get_executor(),
                                              remove_files(w.media_dir, std::move(unused)),
                                              net::use_awaitable);
        metrics_.inc("dgw_webchat_photos_total", {{"channel", id}, {"result", "removed"}},
                     static_cast<double>(n));
        log_.info("webchat", id + ": removed " + std::to_string(n) +
                                 " photo(s) no concern or conversation refers to");
        removed += n;
    }
    co_return removed;
}

webchat_routes::session_cookie webchat_routes::session_of(const http::request_context& ctx) {
    if (auto s = channels::webchat_session(ctx.req[field::cookie], session_key_))
        return {*s, "", {}};
    // None, or one the gateway never signed: a fresh one, if the address may have another.
    // Sessions cost nothing to hand out, so without this one client could take a new one for
    // every message and never meet the per-session limit.
    if (sessions_.new_sessions_per_address_per_hour > 0) {
        std::lock_guard lock(quota_mutex_);
        // An IPv6 client is its /64 (it can take any address in it).
        const auto wait = new_sessions_.try_take("sessions", core::limit_key(ctx.remote_address),
                                                 pipeline::rate_limiter::clock::now());
        if (wait > wait.zero()) {
            metrics_.inc("dgw_webchat_sessions_total", {{"result", "limited"}});
            return {"", "", std::chrono::ceil<std::chrono::seconds>(wait)};
        }
    }
    metrics_.inc("dgw_webchat_sessions_total", {{"result", "issued"}});
    std::string s = new_session();
    std::string header = std::string(channels::webchat_cookie) + "=" +
                         channels::webchat_cookie_value(s, session_key_) +
                         "; Max-Age=" + std::to_string(cookie_max_age_seconds) +
                         "; Path=/; HttpOnly; SameSite=Strict" + (ctx.tls ? "; Secure" : "");
    return {std::move(s), std::move(header), {}};
}

const config::channel_config* webchat_routes::find(const std::string& id) const {
    auto it = channels_.find(id);
    return it == channels_.end() ? nullptr : &it->second;
}

std::chrono::seconds webchat_routes::photo_quota(const std::string& channel,
                                                 const std::string& session) {
    std::lock_guard lock(quota_mutex_);
    const auto wait = photo_quota_.try_take(channel, session, pipeline::rate_limiter::clock::now());
    if (wait <= wait.zero()) return std::chrono::seconds(0);
    // Rounded up: "retry after 0 seconds" would invite an immediate retry that fails again.
    return std::chrono::ceil<std::chrono::seconds>(wait);
}

void webchat_routes::add_to(http::router& r) {
    // Non-coroutine forwarding lambdas (STYLE.md §3).
    r.add(http::verb::get, "/chat", [this](http::request_context& c) { return page(c); });
    r.add(http::verb::get, "/chat/{channel}", [this](http::request_context& c) { return page(c); });
    r.add(http::verb::get, "/chat/api/{channel}/messages",
          [this](http::request_context& c) { return messages(c); });
    r.add(http::verb::post, "/chat/api/{channel}/photos",
          [this](http::request_context& c) { return upload(c); });
}

net::awaitable<http::response> webchat_routes::page(http::request_context& ctx) {
    auto it = ctx.params.find("channel");
    const auto* channel = find(it == ctx.params.end() ? first_ : it->second);
    if (!channel)
        co_return http::error_response(http::status::not_found, "unknown_channel",
                                       "no web chat channel named " + ctx.params["channel"]);
    auto res = http::text_response(http::status::ok, render_chat_page(webchat_page_html, *channel),
                                   "text/html; charset=utf-8");
    give_session(res, session_of(ctx));
    no_store(res);
    res.set("Content-Security-Policy", page_csp);
    res.set("Referrer-Policy", "no-referrer");
    co_return res;
}

net::awaitable<http::response> webchat_routes::messages(http::request_context& ctx) {
    const std::string channel = ctx.params["channel"];
    if (!find(channel))
        co_return http::error_response(http::status::not_found, "unknown_channel",
                                       "no web chat channel named " + channel);
    std::int64_t after = 0;
    const std::string a = ctx.query_param("after");
    if (!a.empty()) {
        auto [end, ec] = std::from_chars(a.data(), a.data() + a.size(), after);
        if (ec != std::errc{} || end != a.data() + a.size() || after < 0)
            co_return http::error_response(http::status::bad_request, "bad_request",
                                           "after must be a message id (a whole number >= 0)");
    }
    // A page without a session yet gets one here, and of course no messages.
    const auto session = session_of(ctx);
    if (session.id.empty()) {
        // The page polls again a little later.
        auto res = http::error_response(http::status::too_many_requests, "too_many_sessions",
                                        "too many new chat sessions from this address; retry in " +
                                            std::to_string(session.retry_after.count()) + " s");
        res.set(field::retry_after, std::to_string(session.retry_after.count()));
        co_return res;
    }
    const std::string user_id = channels::webchat_user_id(session.id);
    json list = json::array();
    try {
        auto read = [channel, user_id, after](store::store& s) {
            return s.outbox_after(channel, user_id, after, messages_per_fetch);
        };
        for (const auto& m : co_await db_.run(std::move(read))) {
            list.push_back({{"id", m.id},
                            {"text", m.payload.value("text", "")},
                            {"choices", m.payload.value("choices", json::array())},
                            {"hint", m.payload.value("hint", "none")}});
        }
    } catch (const store::unavailable& e) {
        log_.error("webchat", channel + ": cannot read messages: " + e.what() + " rid=" + ctx.request_id);
        co_return http::error_response(http::status::service_unavailable, "store_unavailable",
                                       "cannot read messages right now; retry");
    }
    auto res = http::json_response(http::status::ok, {{"messages", std::move(list)}});
    give_session(res, session);
    no_store(res);
    co_return res;
}

net::awaitable<http::response> webchat_routes::upload(http::request_context& ctx) {
    const std::string channel_id = ctx.params["channel"];
    const auto* channel = find(channel_id);
    if (!channel)
        co_return http::error_response(http::status::not_found, "unknown_channel",
                                       "no web chat channel named " + channel_id);
    auto count = [&](const char* result) {
        metrics_.inc("dgw_webchat_photos_total", {{"channel", channel_id}, {"result", result}});
    };
    const auto session = channels::webchat_session(ctx.req[field::cookie], session_key_);
    if (!session) {
        count("rejected");
        co_return http::error_response(http::status::unauthorized, "no_session",
                                       "no chat session: open /chat first");
    }
    const auto declared = channels::image_format_of(ctx.req[field::content_type]);
    if (!declared) {
        count("rejected");
        co_return http::error_response(http::status::unsupported_media_type, "unsupported_type",
                                       "a photo must be image/jpeg, image/png or image/webp");
    }
    std::string bytes = std::move(ctx.req.body());
    if (bytes.size() > channel->webchat.max_photo_bytes) {
        count("rejected");
        co_return http::error_response(
            http::status::payload_too_large, "payload_too_large",
            "a photo may be at most " + std::to_string(channel->webchat.max_photo_bytes) + " bytes");
    }
    // The bytes must be what the header says: the type is read from them, not trusted.
    if (channels::sniff_image(bytes) != declared) {
        count("rejected");
        co_return http::error_response(http::status::unsupported_media_type, "unsupported_type",
                                       "the body is not a " +
                                           std::string(channels::mime_type(*declared)) + " image");
    }
    if (auto wait = photo_quota(channel_id, *session); wait.count() > 0) {
        count("limited");
        auto res = http::error_response(http::status::too_many_requests, "too_many_photos",
                                        "too many photos for now; retry in " +
                                            std::to_string(wait.count()) + " s");
        res.set(field::retry_after, std::to_string(wait.count()));
        co_return res;
    }
    const std::string id = channels::media_id(bytes, *declared);
    const bool stored = co_await net::co_spawn(
        files_.get_executor(), write_media(channel->webchat.media_dir, id, std::move(bytes)),
        net::use_awaitable);
    if (!stored) {
        count("failed");
        log_.error("webchat", channel_id + ": cannot write a photo to " + channel->webchat.media_dir +
                                  " rid=" + ctx.request_id);
        co_return http::error_response(http::status::service_unavailable, "storage_unavailable",
                                       "cannot store the photo right now; retry");
    }
    count("stored");
    auto res = http::json_response(http::status::created, {{"media", id}});
    no_store(res);
    co_return res;
}

}  // namespace dgw::app
