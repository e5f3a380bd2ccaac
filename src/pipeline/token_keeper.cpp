#include "dgw/pipeline/token_keeper.hpp"

#include <dgw/channels/crypto.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/verb.hpp>

#include <utility>

namespace dgw::pipeline {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

// Fingerprints the configured pair, so the store can tell when an operator has put a new one
// in the config; a digest, never the tokens themselves.
std::string seed_of(const channels::token_pair& p) {
    return channels::to_hex(channels::sha256(p.access_token + "\n" + p.refresh_token));
}

std::string operator_hint(const std::string& channel) {
    return "an operator must authorise the app again in the Zalo developer console and put the "
           "new access and refresh tokens in the config of channel " +
           channel + " (README \"Zalo access tokens\"), then restart";
}

}  // namespace

token_keeper::token_keeper(net::strand<net::any_io_executor> strand, database& db,
                           http::client& client, token_keeper_options options,
                           core::metrics& metrics, core::logger& log)
    : strand_(std::move(strand)),
      db_(db),
      client_(client),
      opts_(options),
      metrics_(metrics),
      log_(log) {
    metrics_.describe("dgw_token_refreshes_total",
                      "Access token refreshes by channel and result (ok, error, rejected; "
                      "shared: the pair another gateway on the database refreshed, taken).",
                      core::metrics::kind::counter);
}

void token_keeper::add(std::string channel, std::shared_ptr<const channels::adapter> adapter,
                       channels::token_pair configured) {
    entry e;
    e.adapter = std::move(adapter);
    e.current.channel = channel;
    e.current.access_token = configured.access_token;
    e.current.refresh_token = configured.refresh_token;
    e.current.seed = seed_of(configured);
    e.configured = std::move(configured);
    e.refreshed = std::make_unique<net::steady_timer>(strand_);
    entries_.emplace(std::move(channel), std::move(e));
}

net::awaitable<void> token_keeper::load() {
    for (auto& [channel, e] : entries_) {
        store::channel_token configured = e.current;
        configured.updated_at = opts_.clock();
        try {
            auto seed = [configured](store::store& s) { return s.seed_channel_token(configured); };
            e.current = co_await db_.run(std::move(seed));
        } catch (const std::exception& ex) {
            log_.error("pipeline", "cannot read the stored tokens of channel " + channel +
                                       ", using the configured ones: " + ex.what());
        }
    }
}

net::awaitable<void> token_keeper::wait_for_refresh(entry& e) {
    // The timer is a wake-up call: the refresher arms it when it starts and cancels it when
    // done (re-arming it here would cancel the other waiters). Everything runs on one strand,
    // so no refresh can end between the check and the wait.
    while (e.refreshing) co_await e.refreshed->async_wait(use_tuple);
}

net::awaitable<std::string> token_keeper::access_token(std::string channel) {
    auto& e = entries_.at(channel);
    co_await wait_for_refresh(e);
    co_return e.current.access_token;
}

net::awaitable<renewal> token_keeper::renew(std::string channel, std::string used) {
    auto& e = entries_.at(channel);
    const bool waited = e.refreshing;
    co_await wait_for_refresh(e);
    // Replaced since this send took it (by the refresh just awaited, or an earlier one):
    // the platform's refusal is about the old token, so retry with the new one.
    if (e.current.access_token != used) co_return renewal{true, e.current.access_token, {}};
    // The refresh this send waited for failed: one attempt per expiry, not one per send.
    if (waited) co_return renewal{false, {}, "token refresh failed: " + e.last_error};
    co_return co_await refresh(std::move(channel), e);
}

net::awaitable<renewal> token_keeper::refresh_now(std::string channel) {
    auto& e = entries_.at(channel);
    if (e.refreshing) {
        co_await wait_for_refresh(e);
        if (!e.last_error.empty())
            co_return renewal{false, {}, "token refresh failed: " + e.last_error};
        co_return renewal{true, e.current.access_token, {}};
    }
    co_return co_await refresh(std::move(channel), e);
}

std::vector<std::string> token_keeper::due(time_point now) const {
    std::vector<std::string> out;
    for (const auto& [channel, e] : entries_) {
        if (e.refreshing || !e.current.expires_at || now < e.pause_until) continue;
        if (e.current.refresh_token == e.rejected_refresh_token) continue;
        if (now + opts_.refresh_margin >= *e.current.expires_at) out.push_back(channel);
    }
    return out;
}

bool token_keeper::busy() const {
    for (const auto& [channel, e] : entries_)
        if (e.refreshing) return true;
    return false;
}

net::awaitable<channels::refresh_verdict> token_keeper::ask_platform(const entry& e) {
    const auto r = e.adapter->render_refresh(e.current.refresh_token);
    http::client_request req;
    req.method = beast::http::string_to_verb(r.method);
    req.url = r.url;
    req.headers = r.headers;
    req.body = r.body;
    req.timeout = opts_.timeout;
    auto res = co_await client_.send(std::move(req));
    if (!res) {
        // The refresh token may or may not have been spent: the next attempt will tell.
        co_return channels::refresh_verdict{
            channels::refresh_verdict::kind::retry, {},
            std::string(http::to_string(res.error().code)) + ": " + res.error().message};
    }
    co_return e.adapter->read_refresh(res->status, res->body);
}

net::awaitable<void> token_keeper::store_pair(std::string channel, entry& e,
                                              channels::token_pair pair) {
    store::channel_token row;
    row.channel = channel;
    row.access_token = std::move(pair.access_token);
    row.refresh_token = std::move(pair.refresh_token);
    row.updated_at = opts_.clock();
    if (pair.expires_in.count() > 0) row.expires_at = row.updated_at + pair.expires_in;
    row.seed = e.current.seed;
    try {
        auto save = [row](store::store& s) { s.save_channel_token(row); };
        co_await db_.run(std::move(save));
    } catch (const std::exception& ex) {
        // The old refresh token is spent: this pair is the only valid one, so use it anyway.
        // Stored it is not; if the process stops before the next refresh stores one, the
        // channel needs an operator.
        log_.error("pipeline", "cannot store the refreshed tokens of channel " + channel +
                                   " (using them from memory): " + ex.what());
    }
    e.current = std::move(row);
}

net::awaitable<bool> token_keeper::take_refresh(std::string channel, entry& e) {
    // Longer than the refresh request may take: a gateway that died mid-refresh holds it no
    // longer than this.
    const auto lease = 3 * opts_.timeout + std::chrono::seconds(5);
    net::steady_timer pause(strand_);
    for (;;) {
        const auto now = opts_.clock();
        auto claim = [channel, in_use = e.current.refresh_token, owner = opts_.owner, now,
                      until = now + lease](store::store& s) {
            return s.claim_token_refresh(channel, in_use, owner, now, until);
        };
        store::token_refresh t;
        try {
            t = co_await db_.run(std::move(claim));
        } catch (const std::exception& ex) {
            // No database to agree through: refresh alone, as a single gateway would (the pair
            // is then kept in memory, store_pair says so).
            log_.error("pipeline", "cannot take the token refresh of channel " + channel +
                                       " in the store, refreshing anyway: " + ex.what());
            co_return true;
        }
        switch (t.outcome) {
            case store::token_refresh::kind::claimed: co_return true;
            case store::token_refresh::kind::replaced: e.current = std::move(*t.current); co_return false;
            case store::token_refresh::kind::busy: break;
        }
        pause.expires_after(opts_.poll);
        co_await pause.async_wait(use_tuple);
    }
}

net::awaitable<renewal> token_keeper::refresh(std::string channel, entry& e) {
    const auto label = [&](const char* result) {
        metrics_.inc("dgw_token_refreshes_total", {{"channel", channel}, {"result", result}});
    };
    if (e.current.refresh_token == e.rejected_refresh_token) {
        // Already refused: sending it again cannot help and the log has said what to do.
        co_return renewal{false, {}, "refresh token rejected: " + e.last_error};
    }
    e.refreshing = true;
    e.refreshed->expires_at(net::steady_timer::time_point::max());
    renewal out;
    try {
        // Another gateway sharing the database may have refreshed the pair meanwhile.
        if (!co_await take_refresh(channel, e)) {
            e.last_error.clear();
            out = {true, e.current.access_token, {}};
            label("shared");
            log_.info("pipeline", "took the access token of channel " + channel +
                                      " another gateway refreshed");
        } else {
            auto verdict = co_await ask_platform(e);
            switch (verdict.outcome) {
                case channels::refresh_verdict::kind::refreshed:
                    co_await store_pair(channel, e, std::move(verdict.tokens));
                    e.last_error.clear();
                    out = {true, e.current.access_token, {}};
                    label("ok");
                    log_.info("pipeline", "refreshed the access token of channel " + channel);
                    break;
                case channels::refresh_verdict::kind::retry:
                    e.last_error = verdict.reason;
                    e.pause_until = opts_.clock() + opts_.retry_pause;
                    out = {false, {}, "token refresh failed: " + verdict.reason};
                    label("error");
                    log_.warn("pipeline", "cannot refresh the access token of channel " + channel +
                                              " (will try again): " + verdict.reason);
                    break;
                case channels::refresh_verdict::kind::rejected:
                    e.last_error = verdict.reason;
                    e.rejected_refresh_token = e.current.refresh_token;
                    out = {false, {}, "refresh token rejected: " + verdict.reason};
                    label("rejected");
                    log_.error("pipeline", "the platform rejected the refresh token of channel " +
                                               channel + " (" + verdict.reason +
                                               "); messages wait and are retried; " +
                                               operator_hint(channel));
                    break;
            }
        }
    } catch (const std::exception& ex) {
        e.last_error = ex.what();
        out = {false, {}, std::string("token refresh failed: ") + ex.what()};
        label("error");
    }
    e.refreshing = false;
    e.refreshed->cancel();
    co_return out;
}

}  // namespace dgw::pipeline
