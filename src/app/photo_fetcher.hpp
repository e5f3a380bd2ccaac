#pragma once
// Citizens' photos fetched from where they are kept: the web chat's stored files, or the
// platform's (the adapter's lookup, then its download, under the channel's fetch policy). The
// media copier copies what copy_source gives when a concern is filed; the API shows an
// official what fetch_media gives.

#include "app/webchat_routes.hpp"

#include <dgw/api/routes.hpp>
#include <dgw/channels/adapter.hpp>
#include <dgw/config/gateway_config.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/metrics.hpp>
#include <dgw/http/client.hpp>
#include <dgw/pipeline/media_copier.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dgw::app {

class photo_fetcher {
public:
    using adapter_map = std::map<std::string, std::shared_ptr<const channels::adapter>>;

    /// Each of `channels` may fetch from its media_hosts, within `media`'s limits. `client`,
    /// `metrics` and `log` must outlive this object, and `webchat` too when it is not null
    /// (null: no web chat channel is configured).
    photo_fetcher(adapter_map adapters, const std::vector<config::channel_config>& channels,
                  config::media_config media, http::client& client, webchat_routes* webchat,
                  core::metrics& metrics, core::logger& log);

    /// What the media copier copies: the web chat's stored file, or the platform's.
    net::awaitable<pipeline::fetched_media> copy_source(std::string channel, std::string media_id);

    /// A photo for an official, fetched at that moment: the web chat's stored file, or the
    /// platform's, when it is an image. Counted in dgw_media_fetches_total.
    net::awaitable<api::media_fetch> fetch_media(std::string channel, std::string media_id);

private:
    net::awaitable<pipeline::fetched_media> fetch_from_platform(std::string channel,
                                                                std::string media_id);
    http::client_request media_request(const channels::send_request& r, const std::string& channel,
                                       std::chrono::steady_clock::time_point deadline) const;

    adapter_map adapters_;
    // What each channel's photos may be fetched from (config: media_hosts, media).
    std::map<std::string, std::shared_ptr<const http::fetch_policy>> policies_;
    config::media_config media_;
    http::client& client_;
    webchat_routes* webchat_;
    core::metrics& metrics_;
    core::logger& log_;
};

}  // namespace dgw::app
