#pragma once
/// The officials' and admins' REST API under /api/v1 (issue 7): login and sessions, concerns,
/// dialogue sessions and their agenda, answers, the message log and citizens' data requests.
/// Handlers parse, authorize, call the store on the database thread and answer JSON in the
/// server's one error format.

#include <dgw/api/access.hpp>
#include <dgw/core/log.hpp>
#include <dgw/core/net.hpp>
#include <dgw/core/locality.hpp>
#include <dgw/core/reading.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/flow/engine.hpp>
#include <dgw/http/router.hpp>
#include <dgw/store/store.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace dgw::api {

/// The narrow way to the database thread (the api module may not include the pipeline): the
/// app implements it with pipeline::database::run.
class database_runner {
public:
    virtual ~database_runner() = default;
    /// Runs `work` on the database thread and resumes the awaiting coroutine on its own
    /// executor. An exception thrown by `work` (store::unavailable) reaches the awaiter.
    virtual net::awaitable<void> run(std::function<void(store::store&)> work) = 0;
};

struct api_options {
    session_policy sessions;
    login_throttle::options logins;  ///< how failed logins slow down (access.hpp)
    std::size_t max_page = 200;  ///< largest `limit` of a listing
};

/// A citizen's photo, fetched for an official: the file the web chat stored, or the photo
/// from the platform that keeps it.
struct media_fetch {
    enum class outcome {
        ok,
        not_kept,     ///< the channel offers no way to fetch it
        gone,         ///< no longer there (erased, removed, expired), or not an image
        unavailable,  ///< the platform could not be reached or failed: try later
    };
    outcome result = outcome::not_kept;
    std::string bytes;
    std::string content_type;
};

struct api_deps {
    std::shared_ptr<database_runner> db;
    std::shared_ptr<const dialogue::dialogue_config> dialogue;
    std::function<store::time_point()> now;
    /// Called after answers were written to the outbox (the app wakes the sender).
    std::function<void()> outbox_written;
    core::logger* log = nullptr;  ///< must outlive the routes
    /// The loaded flows and the commune resolver, for the flow endpoints and the simulator.
    /// Publishing adds versions to `flows` (on the database thread, after the commit), which
    /// the pipeline then starts new conversations on.
    std::shared_ptr<flow::registry> flows;
    std::shared_ptr<const core::locality_lookup> localities;
    /// Reads citizens' words in the simulator as the pipeline does; may be null.
    std::shared_ptr<const core::message_reader> reader;
    /// Fetches a photo of channel `channel` (one of `media_channels`) by the media id its
    /// event carried: the web chat's stored file, Telegram's getFile then the file, the
    /// download URL of Zalo, Messenger and Viber. Other channels' photos are ids only.
    std::function<net::awaitable<media_fetch>(std::string channel, std::string media_id)>
        fetch_media;
    std::set<std::string> media_channels;
    /// Each configured channel's type ("telegram", "zalo", ..., "webchat"), by channel id: the
    /// web app names the platform a concern came by, not the channel's id.
    std::map<std::string, std::string> channel_types;
    api_options options;
    /// Where a citizen reads more about an answer (config notifications.link; "{ref}" stands
    /// for the first reference), passed to the platforms' templates; "" = none.
    std::string notice_link;
    /// The channel a concern registered with a phone number gets its receipt on (config
    /// notifications.sms_channel); "" = none.
    std::string sms_channel;
    /// The gateway's public address (notifications.public_url), for the receipts' link to the
    /// public page of answers; "" = none.
    std::string public_url;
    /// Where an invitation to a session opens a chat, per channel that can be opened so: the
    /// link up to its payload ("https://t.me/LaoCaiDoiThoaiBot?start=",
    /// "https://doithoai.laocai.gov.vn/chat/web?start="), to which the invitation adds
    /// core::invite_prefix and the session id. Empty: no invitations.
    struct invite_link {
        std::string channel;
        std::string type;
        std::string prefix;
    };
    std::vector<invite_link> invite_links;
};

/// Adds every /api/v1 route to `r`. The handlers share one service object that lives as long
/// as the router (and the server that owns it).
void add_routes(http::router& r, api_deps deps);

}  // namespace dgw::api
