#include "app/photo_fetcher.hpp"

#include <dgw/channels/webchat.hpp>

#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <optional>
#include <utility>

namespace dgw::app {

namespace {

using ms = std::chrono::milliseconds;

ms seconds(double v) { return ms(static_cast<long long>(v * 1000)); }

}  // namespace

photo_fetcher::photo_fetcher(adapter_map adapters,
                             const std::vector<config::channel_config>& channels,
                             config::media_config media, http::client& client,
                             webchat_routes* webchat, core::metrics& metrics, core::logger& log)
    : adapters_(std::move(adapters)),
      media_(media),
      client_(client),
      webchat_(webchat),
      metrics_(metrics),
      log_(log) {
    for (const auto& c : channels) {
        auto policy = std::make_shared<http::fetch_policy>();
        policy->hosts = c.media_hosts;
        policy->max_redirects = media_.max_redirects;
        policy->max_bytes = media_.max_bytes;
        policies_[c.id] = std::move(policy);
    }
}

// A photo from the platform that keeps it: the adapter's lookup then its download,
// through the same HTTP client the sender uses, under the channel's fetch policy (its
// hosts, public addresses only, a size and a time limit for the whole). The bytes are
// whatever the platform answered: the caller checks what they are.
net::awaitable<pipeline::fetched_media> photo_fetcher::fetch_from_platform(std::string channel,
                                                                           std::string media_id) {
    using outcome = pipeline::fetched_media::outcome;
    pipeline::fetched_media out;
    auto it = adapters_.find(channel);
    if (it == adapters_.end() || !it->second->fetches_media()) co_return out;
    auto lookup = it->second->media_lookup(media_id);
    if (!lookup) co_return out;
    const auto deadline = std::chrono::steady_clock::now() + seconds(media_.timeout_seconds);
    auto found = co_await client_.send(media_request(*lookup, channel, deadline));
    auto failed = [&](const http::client_result& r) -> std::optional<outcome> {
        if (r && r->status < 500 && r->status != 429) return std::nullopt;
        if (!r && r.error().code == http::client_errc::refused) {
            // Where the link pointed stays in the log, for whoever set media_hosts.
            log_.warn("app",
                      "refused to fetch a photo of channel " + channel + ": " + r.error().message);
            return outcome::refused;
        }
        if (!r && r.error().code == http::client_errc::response_too_large)
            return outcome::too_large;
        return outcome::unavailable;
    };
    if (auto f = failed(found)) {
        out.result = *f;
        co_return out;
    }
    // Either the answer is the file (a download URL), or it says where the file is.
    auto file = std::move(found);
    if (!it->second->media_lookup_is_download()) {
        auto download = it->second->media_download(file->status, file->body);
        if (!download) {
            out.result = outcome::gone;
            co_return out;
        }
        file = co_await client_.send(media_request(*download, channel, deadline));
        if (auto f = failed(file)) {
            out.result = *f;
            co_return out;
        }
    }
    if (file->status != 200) {
        out.result = outcome::gone;
        co_return out;
    }
    out.result = outcome::ok;
    out.bytes = std::move(file->body);
    co_return out;
}

// What the media copier copies: the web chat's stored file, or the platform's.
net::awaitable<pipeline::fetched_media> photo_fetcher::copy_source(std::string channel,
                                                                   std::string media_id) {
    auto it = adapters_.find(channel);
    if (it == adapters_.end() || it->second->type() != "webchat" || !webchat_)
        co_return co_await fetch_from_platform(std::move(channel), std::move(media_id));
    auto got = co_await webchat_->read_photo(std::move(channel), std::move(media_id));
    pipeline::fetched_media out;
    using outcome = pipeline::fetched_media::outcome;
    out.result = got.result == api::media_fetch::outcome::ok            ? outcome::ok
                 : got.result == api::media_fetch::outcome::gone        ? outcome::gone
                 : got.result == api::media_fetch::outcome::unavailable ? outcome::unavailable
                                                                        : outcome::not_kept;
    out.bytes = std::move(got.bytes);
    co_return out;
}

// A photo for an official, fetched at that moment: the web chat's stored file, or the
// platform's, when it is an image. Photos copied into the store are served by the API
// before it asks for this.
net::awaitable<api::media_fetch> photo_fetcher::fetch_media(std::string channel,
                                                            std::string media_id) {
    using fetched = pipeline::fetched_media::outcome;
    using outcome = api::media_fetch::outcome;
    api::media_fetch out;
    auto it = adapters_.find(channel);
    if (it == adapters_.end()) co_return out;
    if (it->second->type() == "webchat" && webchat_)
        co_return co_await webchat_->read_photo(std::move(channel), std::move(media_id));
    if (!it->second->fetches_media()) co_return out;
    auto got = co_await fetch_from_platform(channel, std::move(media_id));
    const auto type = got.result == fetched::ok ? channels::sniff_image(got.bytes) : std::nullopt;
    const char* result = "ok";
    out.result = outcome::ok;
    if (got.result == fetched::refused) {
        result = "refused";
        out.result = outcome::gone;
    } else if (got.result == fetched::unavailable || got.result == fetched::too_large) {
        result = "unavailable";
        out.result = outcome::unavailable;
    } else if (!type) {
        result = "gone";
        out.result = outcome::gone;
    }
    metrics_.inc("dgw_media_fetches_total", {{"channel", channel}, {"result", result}});
    if (out.result != outcome::ok) co_return out;
    out.bytes = std::move(got.bytes);
    out.content_type = channels::mime_type(*type);
    co_return out;
}

http::client_request photo_fetcher::media_request(
    const channels::send_request& r, const std::string& channel,
    std::chrono::steady_clock::time_point deadline) const {
    http::client_request req;
    req.method = beast::http::string_to_verb(r.method);
    req.url = r.url;
    req.headers = r.headers;
    req.body = r.body;
    req.timeout = std::max(
        ms(1), std::chrono::duration_cast<ms>(deadline - std::chrono::steady_clock::now()));
    req.policy = policies_.at(channel);
    return req;
}

}  // namespace dgw::app
