#include "dgw/pipeline/ingest.hpp"

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>

namespace dgw::pipeline {

ingest::ingest(database& db, std::map<std::string, std::shared_ptr<const channels::adapter>> adapters,
               core::metrics& metrics, core::logger& log, clock_fn now, core::ticker ticks)
    : db_(db),
      adapters_(std::move(adapters)),
      metrics_(metrics),
      log_(log),
      now_(std::move(now)),
      ticks_(std::move(ticks)) {
    metrics_.describe("dgw_webhooks_total",
                      "Webhook events by channel and outcome (accepted, duplicate, ignored, "
                      "rejected, limited, unavailable).",
                      core::metrics::kind::counter);
}

void ingest::limit_senders(const std::string& channel, rate_limit limit) {
    limited_.insert(channel);
    std::lock_guard lock(limits_mutex_);
    senders_.configure(channel, limit);
}

net::awaitable<http::response> ingest::handle(http::request_context& ctx) {
    const std::string channel = ctx.params["channel"];
    auto it = adapters_.find(channel);
    if (it == adapters_.end())
        co_return http::error_response(http::status::not_found, "unknown_channel",
                                       "no channel named " + channel);
    auto count = [&](const char* outcome, double n = 1) {
        if (n > 0) metrics_.inc("dgw_webhooks_total", {{"channel", channel}, {"outcome", outcome}}, n);
    };

    channels::webhook_request wr;
    wr.method = std::string(ctx.req.method_string());
    wr.path = ctx.path;
    wr.query = ctx.query;
    for (const auto& f : ctx.req) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        wr.headers[name] = std::string(f.value());
    }
    wr.body = ctx.req.body();  // raw bytes: signatures are over exactly these

    auto parsed = it->second->parse(wr);
    using verdict = channels::parse_result::verdict;
    // A refusal is 401 (signature) or 400 (body), unless the platform documents another
    // 4xx for the case (Meta answers a wrong verify token with 403).
    auto refusal = [&](http::status fallback) {
        return parsed.status >= 400 && parsed.status < 500 ? static_cast<http::status>(parsed.status)
                                                            : fallback;
    };
    if (parsed.outcome == verdict::unauthorized) {
        count("rejected");
        log_.warn("ingest", channel + ": rejected webhook: " + parsed.error + " rid=" + ctx.request_id);
        co_return http::error_response(refusal(http::status::unauthorized), "bad_signature",
                                       parsed.error);
    }
    if (parsed.outcome == verdict::bad_request) {
        count("rejected");
        co_return http::error_response(refusal(http::status::bad_request), "bad_payload",
                                       parsed.error);
    }
    count("ignored", static_cast<double>(parsed.ignored));
    // Zero when every sender of the webhook may write now, else how long until one may. Only
    // the channels with a limit take the lock: the platforms' webhooks never wait on it.
    auto hold = rate_limiter::clock::duration::zero();
    if (limited_.contains(channel)) {
        std::lock_guard lock(limits_mutex_);
        const auto now = ticks_();
        for (const auto& ev : parsed.events)
            hold = std::max(hold, senders_.try_take(channel, ev.user_id, now));
    }
    if (hold > hold.zero()) {
        count("limited", static_cast<double>(parsed.events.size()));
        const auto seconds = std::chrono::ceil<std::chrono::seconds>(hold).count();
        auto res = http::error_response(http::status::too_many_requests, "too_many_messages",
                                        "too many messages; retry in " + std::to_string(seconds) + " s");
        res.set(beast::http::field::retry_after, std::to_string(seconds));
        co_return res;
    }
    if (!parsed.events.empty()) {
        std::vector<store::inbox_item> items;
        auto now = now_();
        for (auto& ev : parsed.events) {
            // Serialised here, on an I/O thread, not on the database thread every webhook waits for.
            std::string text = nlohmann::json(ev).dump();
            items.push_back({channel, std::move(ev), now, std::move(text)});
        }
        try {
            auto r = co_await db_.append_inbox(std::move(items));
            count("accepted", static_cast<double>(r.stored));
            count("duplicate", static_cast<double>(r.duplicates));
        } catch (const store::unavailable& e) {
            count("unavailable");
            log_.error("ingest", channel + ": cannot store webhook: " + e.what() + " rid=" + ctx.request_id);
            auto res = http::error_response(http::status::service_unavailable, "store_unavailable",
                                            "the gateway cannot store events right now; retry");
            res.set(beast::http::field::retry_after, "5");
            co_return res;
        }
    }
    if (!parsed.response_body.empty())
        co_return http::text_response(static_cast<http::status>(parsed.status),
                                      std::move(parsed.response_body),
                                      parsed.response_content_type);
    co_return http::json_response(static_cast<http::status>(parsed.status), {{"ok", true}});
}

}  // namespace dgw::pipeline
