#include "dgw/pipeline/sender.hpp"

#include <dgw/channels/event_hook.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/http/verb.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>
#include <set>

namespace dgw::pipeline {

std::chrono::milliseconds retry_delay(int attempt, const sender_options& o, double unit,
                                      std::optional<std::chrono::milliseconds> retry_after) {
    double base = static_cast<double>(o.backoff.count()) * std::pow(2.0, std::max(0, attempt - 1));
    base = std::min(base, static_cast<double>(o.max_backoff.count()));
    auto delay = std::chrono::milliseconds(static_cast<long long>(base * (0.8 + 0.4 * unit)));
    if (retry_after && *retry_after > delay) delay = *retry_after;
    return delay;
}

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
using reach_path = core::reach_path;

struct outcome {
    // reauth: the platform refused the access token; deliver() refreshes it and tries again.
    // held: no path reaches the citizen now; kept for their next message.
    enum class kind { sent, retry, failed, reauth, held } result = kind::sent;
    std::string reason;
    std::optional<std::chrono::milliseconds> retry_after;
    bool local = false;  // nothing to send: the web chat's page fetches its messages itself
    bool path_refused = false;       // failed: the platform refused this way to the citizen
    std::optional<reach_path> path;  // how it went (or was to go)
    std::string spent_token;         // a notification token to forget
};

outcome make_outcome(outcome::kind k, std::string reason = {},
                     std::optional<std::chrono::milliseconds> retry_after = {}) {
    outcome o;
    o.result = k;
    o.reason = std::move(reason);
    o.retry_after = retry_after;
    return o;
}

// Nothing to send (the web chat's page fetches its messages; an empty text): done at once.
outcome nothing_to_send() {
    outcome o;
    o.local = true;
    return o;
}

// The same answer whatever the message: what the renderer of one message gives for a context.
using renderer =
    std::function<std::vector<channels::send_request>(const channels::render_context&)>;

}  // namespace

struct sender::impl : std::enable_shared_from_this<sender::impl> {
    impl(net::any_io_executor ex, database& d, http::client& c,
         std::map<std::string, channel_route> ch, sender_options o, core::metrics& m,
         core::logger& l)
        : strand(net::make_strand(ex)),
          wake(strand),
          db(d),
          client(c),
          channels(std::move(ch)),
          opts(with_clock(std::move(o))),
          metrics(m),
          log(l),
          tokens(strand, d, c, opts.tokens, m, l) {
        for (const auto& [id, route] : channels) {
            limiter.configure(id, route.limit);
            if (route.tokens && route.adapter->refreshes_tokens())
                tokens.add(id, route.adapter, *route.tokens);
        }
        if (auto sms = channels.find(opts.sms_channel); sms != channels.end())
            sms_route = &sms->second;
    }

    static sender_options with_clock(sender_options o) {
        o.tokens.clock = o.clock;
        return o;
    }

    net::strand<net::any_io_executor> strand;
    net::steady_timer wake;
    database& db;
    http::client& client;
    std::map<std::string, channel_route> channels;
    sender_options opts;
    core::metrics& metrics;
    core::logger& log;
    rate_limiter limiter;
    std::mt19937_64 rng{std::random_device{}()};
    token_keeper tokens;  // strand only
    const channel_route* sms_route = nullptr;  // the SMS fallback, when configured

    // strand only
    std::set<std::int64_t> in_flight;
    // A read of the outbox issued before a send's outcome was committed may still return that
    // message as due. Each read gets an epoch; a finished send remembers the epoch current at
    // its end, and reads of that epoch or older skip it.
    std::uint64_t epoch = 0;
    std::map<std::int64_t, std::uint64_t> finished;
    std::size_t held_last_round = 0;  // heads the rate limits held back in the last read
    bool pending_wake = false;
    bool stopping = false;
    bool loop_done = false;
    std::function<void()> on_stopped;

    void kick() {
        pending_wake = true;
        wake.cancel();
    }

    void maybe_finish() {
        if (stopping && loop_done && in_flight.empty() && !tokens.busy() && on_stopped) {
            auto done = std::move(on_stopped);
            on_stopped = nullptr;
            done();
        }
    }

    void count(const std::string& channel, const char* result) {
        metrics.inc("dgw_outbox_sends_total", {{"channel", channel}, {"result", result}});
    }
};

namespace {

channels::header_map lower_case_headers(const beast::http::fields& fields) {
    channels::header_map out;
    for (const auto& f : fields) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out[std::move(name)] = std::string(f.value());
    }
    return out;
}

// Sends a message's requests in order; a message split into several requests is sent part by
// part, and a retry starts again from the first part (only texts over the limit are split).
net::awaitable<outcome> send_requests(std::shared_ptr<sender::impl> st,
                                      const channels::adapter* adapter, std::string channel,
                                      std::vector<channels::send_request> requests) {
    for (auto& r : requests) {
        http::client_request req;
        req.method = beast::http::string_to_verb(r.method);
        req.url = r.url;
        req.headers = r.headers;
        req.body = r.body;
        req.timeout = st->opts.send_timeout;
        auto res = co_await st->client.send(std::move(req));
        if (!res) {
            co_return make_outcome(
                outcome::kind::retry,
                std::string(http::to_string(res.error().code)) + ": " + res.error().message);
        }
        auto verdict =
            adapter->classify_answer(res->status, res->body, lower_case_headers(res->headers));
        if (verdict.outcome == channels::send_verdict::kind::sent) {
            if (auto units = adapter->billed_units(r))
                st->metrics.inc("dgw_sms_segments_total", {{"channel", channel}},
                                static_cast<double>(units));
        }
        if (verdict.outcome == channels::send_verdict::kind::retry)
            co_return make_outcome(outcome::kind::retry, verdict.reason, verdict.retry_after);
        if (verdict.outcome == channels::send_verdict::kind::reauth)
            co_return make_outcome(outcome::kind::reauth, verdict.reason);
        if (verdict.outcome == channels::send_verdict::kind::permanent) {
            auto o = make_outcome(outcome::kind::failed, verdict.reason);
            o.path_refused = verdict.path_refused;
            co_return o;
        }
    }
    co_return outcome{};
}

// Sends what `render` makes of `ctx`; when the platform refuses the access token (Zalo -216),
// refreshes it (once, however many sends hit this meanwhile) and sends again at once with the
// new one.
net::awaitable<outcome> send_rendered(std::shared_ptr<sender::impl> st,
                                      const channels::adapter* adapter,
                                      channels::render_context ctx, renderer render) {
    auto result = co_await send_requests(st, adapter, ctx.channel, render(ctx));
    if (result.result == outcome::kind::reauth && st->tokens.manages(ctx.channel)) {
        auto renewed = co_await st->tokens.renew(ctx.channel, ctx.access_token);
        if (!renewed.ok) co_return make_outcome(outcome::kind::retry, renewed.reason);
        ctx.access_token = renewed.access_token;
        result = co_await send_requests(st, adapter, ctx.channel, render(ctx));
    }
    // Refused again right after a refresh, or a channel without refresh: try later.
    if (result.result == outcome::kind::reauth) result.result = outcome::kind::retry;
    co_return result;
}

// The SMS fallback: the message's full text to the phone number the citizen gave with their
// consent, through the configured SMS channel.
net::awaitable<outcome> send_sms(std::shared_ptr<sender::impl> st, store::outbox_message msg,
                                 core::outbound_message message, std::string phone) {
    const auto* route = st->sms_route;
    channels::render_context ctx;
    ctx.channel = st->opts.sms_channel;
    ctx.outbox_id = msg.id;
    ctx.now = st->opts.clock();
    message.choices.clear();  // nothing to answer by button in an SMS
    auto requests = route->adapter->render("+" + phone, message, ctx);
    auto result =
        co_await send_requests(st, route->adapter.get(), ctx.channel, std::move(requests));
    result.path = reach_path::sms;
    co_return result;
}

// A notice (an answer weeks later...): the path the platform allows for this citizen now;
// the next one when the platform refuses it; then the SMS fallback; then held for the
// citizen's next message, with the reason.
net::awaitable<outcome> deliver_notice(std::shared_ptr<sender::impl> st, store::outbox_message msg,
                                       const channels::adapter* adapter,
                                       channels::render_context ctx,
                                       core::outbound_message message) {
    // Held before, and due again since the citizen wrote (or gave a new permission): if it goes
    // freely now, it goes under a line that says what it is.
    const bool released = msg.path == core::to_string(reach_path::next_contact);
    std::string refusal;  // the platform's last refusal, for the reason
    std::string spent;    // a notification token refused or used up
    channels::delivery_plan plan;
    // Each refusal removes a path, so this ends; the bound is a guard against an adapter bug.
    for (int tries = 0; tries < 8; ++tries) {
        plan = adapter->plan(ctx);
        if (plan.path == reach_path::none) break;
        if (plan.path == reach_path::page) {
            auto o = make_outcome(outcome::kind::sent);
            o.local = true;
            o.path = reach_path::page;
            co_return o;
        }
        ctx.plan = plan;
        auto text = message;
        if (released && plan.path == reach_path::free)
            text.text = core::heads_up_text(*ctx.notice) + "\n\n" + text.text;
        renderer render = [adapter, user = msg.user_id, text](const channels::render_context& c) {
            return adapter->render(user, text, c);
        };
        auto result = co_await send_rendered(st, adapter, ctx, render);
        result.path =
            released && plan.path == reach_path::free ? reach_path::next_contact : plan.path;
        const bool token = plan.path == reach_path::optin;
        // A path other than the free message failing permanently is this citizen's way
        // being refused (a spent token, not a follower, a template Meta does not know...).
        if (result.result == outcome::kind::failed &&
            (result.path_refused || plan.path != reach_path::free)) {
            refusal = result.reason;
            if (token) spent = plan.token;
            ctx.refused.push_back(plan.path);
            continue;
        }
        // A one-time notification token is good for one message.
        if (token && result.result == outcome::kind::sent &&
            plan.token_kind == core::permission_kind::one_time_notification)
            spent = plan.token;
        result.spent_token = spent;
        co_return result;
    }
    std::string reason = plan.reason.empty() ? "no way to reach the citizen" : plan.reason;
    if (!refusal.empty() && reason.find(refusal) == std::string::npos)
        reason += " (last refusal: " + refusal + ")";
    if (st->sms_route && !ctx.facts.phone.empty()) {
        auto sms = co_await send_sms(st, msg, message, ctx.facts.phone);
        sms.spent_token = spent;
        if (sms.result != outcome::kind::failed) co_return sms;
        reason += "; the SMS to their phone failed: " + sms.reason;
    } else {
        reason +=
            st->sms_route ? "; no phone number given with consent for an SMS" : "; no SMS channel";
    }
    auto held = make_outcome(outcome::kind::held, reason + "; kept for their next message");
    held.path = reach_path::next_contact;
    held.spent_token = spent;
    co_return held;
}

net::awaitable<outcome> deliver(std::shared_ptr<sender::impl> st, store::outbox_message msg,
                                channels::reach_facts facts) {
    auto it = st->channels.find(msg.channel);
    if (it == st->channels.end())
        co_return make_outcome(outcome::kind::failed, "no channel " + msg.channel);
    const channels::adapter* adapter = it->second.adapter.get();
    std::vector<channels::send_request> requests;
    channels::render_context ctx;
    ctx.channel = msg.channel;
    ctx.outbox_id = msg.id;
    ctx.last_inbound_at = msg.contact_last_inbound_at;
    ctx.facts = std::move(facts);
    if (st->tokens.manages(msg.channel))
        ctx.access_token = co_await st->tokens.access_token(msg.channel);
    core::outbound_message message;
    try {
        store::parse_payload(msg);  // here, not on the database thread
        ctx.now = st->opts.clock();
        if (msg.kind == "ack") {
            if (auto r = adapter->acknowledge(msg.payload.get<core::inbound_event>()))
                requests.push_back(*r);
        } else if (msg.kind == "event") {
            // For another system (a signed event webhook), signed now: each attempt has its
            // own timestamp.
            const auto* hook = dynamic_cast<const channels::event_hook*>(adapter);
            if (!hook) co_return make_outcome(outcome::kind::failed, msg.channel + " takes no events");
            requests.push_back(hook->deliver(msg.payload, msg.id, ctx.now));
        } else if (msg.kind == "offer") {
            const std::string ref = msg.payload.value("ref", "");
            renderer render = [adapter, user = msg.user_id,
                               ref](const channels::render_context& c) {
                std::vector<channels::send_request> out;
                if (auto r = adapter->offer_notifications(user, ref, c)) out.push_back(*r);
                return out;
            };
            if (render(ctx).empty()) co_return nothing_to_send();
            co_return co_await send_rendered(st, adapter, ctx, render);
        } else {
            if (auto c = msg.payload.find("context"); c != msg.payload.end() && c->is_object()) {
                ctx.reply_context = c->value("reply_context", nlohmann::json::object());
                ctx.inbound_at = std::chrono::system_clock::time_point(
                    std::chrono::milliseconds(c->value("inbound_at_ms", std::int64_t{0})));
            }
            message = msg.payload.get<core::outbound_message>();
            if (auto n = msg.payload.find("notice"); n != msg.payload.end() && n->is_object()) {
                ctx.notice = n->get<core::notice>();
                co_return co_await deliver_notice(st, msg, adapter, ctx, message);
            }
            // Known to fail (Meta's closed window): say so without calling the platform.
            ctx.plan = adapter->plan(ctx);
            if (ctx.plan.path == reach_path::none)
                co_return make_outcome(outcome::kind::failed, ctx.plan.reason);
            requests = adapter->render(msg.user_id, message, ctx);
        }
    } catch (const std::exception& e) {
        co_return make_outcome(outcome::kind::failed, std::string("cannot render: ") + e.what());
    }
    // No request (the web chat; an empty text): done at once, counted apart from real sends.
    if (requests.empty()) co_return nothing_to_send();
    outcome result;
    if (msg.kind == "ack" || msg.kind == "event") {
        result = co_await send_requests(st, adapter, msg.channel, std::move(requests));
        if (result.result == outcome::kind::reauth) result.result = outcome::kind::retry;
        co_return result;
    }
    renderer render = [adapter, user = msg.user_id, message](const channels::render_context& c) {
        return adapter->render(user, message, c);
    };
    result = co_await send_rendered(st, adapter, ctx, render);
    // A reply token the platform no longer takes (LINE: used, or expired early): send the same
    // message again without it, which pushes instead.
    if (result.result == outcome::kind::failed && !ctx.reply_context.empty() &&
        result.reason.find("reply token") != std::string::npos) {
        ctx.reply_context = nlohmann::json::object();
        result = co_await send_requests(st, adapter, msg.channel,
                                        adapter->render(msg.user_id, message, ctx));
    }
    co_return result;
}

// Sends one message and queues its outcome. The outcome is queued (not yet committed) when
// this returns: the database runs work in the order it was submitted, so the next outbox read,
// submitted after this, already sees it, and the contact's next message can go at once.
net::awaitable<void> send_one(std::shared_ptr<sender::impl> st, store::outbox_message msg,
                              channels::reach_facts facts) {
    outcome o = co_await deliver(st, msg, std::move(facts));
    store::send_result r;
    r.id = msg.id;
    r.at = st->opts.clock();
    r.attempts = msg.attempts + 1;
    r.reason = o.reason;
    r.spent_token = o.spent_token;
    if (o.path) r.path = core::to_string(*o.path);
    const char* result = o.local ? "local" : "sent";
    if (o.result == outcome::kind::retry && r.attempts < st->opts.max_attempts) {
        std::uniform_real_distribution<double> unit(0.0, 1.0);
        r.outcome = store::send_result::kind::retry;
        r.next_attempt_at = r.at + retry_delay(r.attempts, st->opts, unit(st->rng), o.retry_after);
        result = "retry";
        st->metrics.inc("dgw_outbox_retries_total", {{"channel", msg.channel}});
    } else if (o.result == outcome::kind::held) {
        r.outcome = store::send_result::kind::held;
        result = "held";
        st->log.info("pipeline", "message " + std::to_string(msg.id) + " to " + msg.channel +
                                     " is held for the citizen's next message: " + r.reason);
    } else if (o.result != outcome::kind::sent) {
        r.outcome = store::send_result::kind::failed;
        if (o.result == outcome::kind::retry)
            r.reason = "gave up after " + std::to_string(r.attempts) + " attempts: " + o.reason;
        result = "failed";
        st->log.warn("pipeline", "message " + std::to_string(msg.id) + " to " + msg.channel +
                                     " failed: " + r.reason);
    }
    // What officials see of their notices: how many reached the citizens, by which path.
    if (msg.kind == "notice" && r.outcome != store::send_result::kind::retry) {
        const char* reached = r.outcome == store::send_result::kind::sent   ? "delivered"
                              : r.outcome == store::send_result::kind::held ? "held"
                                                                            : "failed";
        st->metrics.inc("dgw_notices_total", {{"channel", msg.channel},
                                              {"path", r.path.empty() ? "none" : r.path},
                                              {"result", reached}});
    }
    // Outcomes of concurrent sends share one commit. Should it fail, the message stays
    // claimed and a restart sends it again, flagged in doubt.
    std::vector<store::send_result> one{std::move(r)};
    auto id = msg.id;
    st->db.record_sends(std::move(one), [st, id](std::exception_ptr e) {
        if (e) st->log.error("pipeline", "cannot record the outcome of message " + std::to_string(id));
    });
    st->count(msg.channel, result);
}

// What one read of the outbox hands to the sender: the messages claimed for sending, and how
// soon a rate-limited one may go.
struct round_pick {
    std::vector<store::outbox_message> go;
    std::chrono::milliseconds wait;
    std::size_t held = 0;  // heads read that the rate limits held back
    // For notices and offers: what the store knows about reaching their citizen, read in the
    // same round (replies, the bulk of the traffic, need none).
    std::map<std::int64_t, channels::reach_facts> facts;
};

net::awaitable<void> refresh_ahead(std::shared_ptr<sender::impl> st, std::string channel) {
    co_await st->tokens.refresh_now(std::move(channel));
}

// Access tokens about to expire are refreshed before a send finds them expired; a channel
// with no traffic keeps its refresh token alive this way too.
void start_due_refreshes(const std::shared_ptr<sender::impl>& st) {
    for (auto& channel : st->tokens.due(st->opts.clock())) {
        net::co_spawn(st->strand, refresh_ahead(st, std::move(channel)),
                      [st](std::exception_ptr e) {
                          if (e) st->log.error("pipeline", "token refresh ended by an exception");
                          st->maybe_finish();
                      });
    }
}

net::awaitable<void> send_loop(std::shared_ptr<sender::impl> st) {
    try {
        auto release = [](store::store& s) { return s.release_claims(); };
        auto in_doubt = co_await st->db.run(release);
        if (in_doubt > 0) {
            st->metrics.inc("dgw_outbox_in_doubt_total", {}, static_cast<double>(in_doubt));
            st->log.warn("pipeline", std::to_string(in_doubt) +
                                         " message(s) were being sent when the last process "
                                         "stopped; sending them again");
        }
    } catch (const store::unavailable& e) {
        st->log.error("pipeline", std::string("cannot release send claims: ") + e.what());
    }
    co_await st->tokens.load();
    while (!st->stopping) {
        st->pending_wake = false;
        auto wait = st->opts.idle_poll;
        start_due_refreshes(st);
        try {
            auto now = st->opts.clock();
            const std::size_t room = st->opts.max_in_flight - std::min(st->opts.max_in_flight,
                                                                        st->in_flight.size());
            // Heads are read for the room there is, and for as many more as the rate limits
            // held back last round (they come first again while held): each head read costs
            // the database a probe, and reading twice the room was most of its work under
            // load. No room, no read: a finished send wakes the loop.
            const auto limit =
                std::min(st->opts.max_in_flight * 2, room + st->held_last_round + 4);
            if (room == 0) {
                st->wake.expires_after(wait);
                co_await st->wake.async_wait(use_tuple);
                continue;
            }
            std::vector<std::int64_t> sending(st->in_flight.begin(), st->in_flight.end());
            // One piece of work reads the heads of the queues, applies the rate limits and
            // claims what goes, so a round trip to the database thread is enough. The limiter
            // is touched only here, while this loop waits for it.
            auto* limiter = &st->limiter;
            const auto* ticks = &st->opts.ticks;
            auto pick = [now, limit, room, wait, limiter, ticks,
                         sending = std::move(sending)](store::store& s) {
                round_pick p;
                p.wait = wait;
                for (auto& msg : s.sendable_outbox(now, limit, sending)) {
                    if (p.go.size() >= room) break;
                    auto hold = limiter->try_take(msg.channel, msg.user_id, (*ticks)());
                    if (hold > rate_limiter::clock::duration::zero()) {
                        p.wait = std::min(p.wait, std::chrono::duration_cast<std::chrono::milliseconds>(hold) +
                                                      std::chrono::milliseconds(1));
                        ++p.held;
                        continue;
                    }
                    p.go.push_back(std::move(msg));
                }
                // Claimed in the same commit as the read, before anything reaches the
                // platform, so a crash mid-send leaves a trace: the restarted sender flags
                // those in doubt.
                // Another gateway on the same database may have claimed one since the read:
                // only what this one claimed goes.
                std::vector<std::int64_t> ids;
                for (const auto& m : p.go) ids.push_back(m.id);
                if (!ids.empty()) {
                    const auto claimed = s.claim_outbox(ids, now);
                    if (claimed.size() < ids.size())
                        std::erase_if(p.go, [&](const store::outbox_message& m) {
                            return std::find(claimed.begin(), claimed.end(), m.id) == claimed.end();
                        });
                }
                for (const auto& m : p.go) {
                    if (m.kind != "notice" && m.kind != "offer") continue;
                    auto reach = s.reach_of(m.contact_id);
                    p.facts[m.id] = {std::move(reach.permissions), std::move(reach.phone)};
                }
                return p;
            };
            const auto read_epoch = ++st->epoch;
            auto picked = co_await st->db.run(std::move(pick));
            wait = picked.wait;
            st->held_last_round = picked.held;
            // Sends that finished while the read was queued are skipped: their outcome may
            // not have been visible to it.
            std::vector<store::outbox_message> go;
            for (auto& msg : picked.go) {
                auto f = st->finished.find(msg.id);
                if (st->in_flight.contains(msg.id) || (f != st->finished.end() && f->second >= read_epoch))
                    continue;
                go.push_back(std::move(msg));
            }
            std::erase_if(st->finished, [&](const auto& f) { return f.second < read_epoch; });
            for (auto& msg : go) {
                auto id = msg.id;
                st->in_flight.insert(id);
                channels::reach_facts facts;
                if (auto f = picked.facts.find(id); f != picked.facts.end())
                    facts = std::move(f->second);
                net::co_spawn(st->strand, send_one(st, std::move(msg), std::move(facts)),
                              [st, id](std::exception_ptr e) {
                                  if (e)
                                      st->log.error("pipeline", "send " + std::to_string(id) +
                                                                    " ended by an exception");
                                  st->in_flight.erase(id);
                                  st->finished[id] = st->epoch;
                                  st->kick();
                                  st->maybe_finish();
                              });
            }
        } catch (const store::unavailable& e) {
            st->log.error("pipeline", std::string("sender cannot read the outbox: ") + e.what());
            wait = std::chrono::seconds(1);
        }
        if (st->stopping) break;
        if (st->pending_wake && st->in_flight.size() < st->opts.max_in_flight) continue;
        st->wake.expires_after(wait);
        co_await st->wake.async_wait(use_tuple);
    }
    st->loop_done = true;
    st->maybe_finish();
}

}  // namespace

sender::sender(net::any_io_executor ex, database& db, http::client& client,
               std::map<std::string, channel_route> channels, sender_options options,
               core::metrics& metrics, core::logger& log)
    : impl_(std::make_shared<impl>(std::move(ex), db, client, std::move(channels), options,
                                   metrics, log)) {
    metrics.describe("dgw_outbox_sends_total",
                     "Send attempts by channel and result (sent, retry, failed; local: nothing "
                     "to send, e.g. web chat replies the page fetches; held: kept for the "
                     "citizen's next message).",
                     core::metrics::kind::counter);
    metrics.describe("dgw_outbox_retries_total", "Sends scheduled for a retry, by channel.",
                     core::metrics::kind::counter);
    metrics.describe("dgw_sms_segments_total",
                     "SMS segments sent (Vietnamese with diacritics is UCS-2: 70 a segment).",
                     core::metrics::kind::counter);
    metrics.describe("dgw_notices_total",
                     "Notices to citizens (answers, moved sessions) by channel, path (free, "
                     "template, tag, optin, zns, sms, page, next_contact) and result (delivered, "
                     "held for the citizen's next message, failed).",
                     core::metrics::kind::counter);
    metrics.describe("dgw_outbox_in_doubt_total",
                     "Messages a previous process was sending when it died; sent again.",
                     core::metrics::kind::counter);
}

sender::~sender() = default;

void sender::start() {
    auto st = impl_;
    net::co_spawn(st->strand, send_loop(st), [st](std::exception_ptr e) {
        if (e) st->log.error("pipeline", "sender loop ended by an exception");
    });
}

void sender::notify() {
    auto st = impl_;
    net::post(st->strand, [st] { st->kick(); });
}

void sender::set_share(std::size_t n) { impl_->limiter.set_share(n); }

void sender::stop(std::function<void()> done) {
    auto st = impl_;
    net::post(st->strand, [st, done = std::move(done)]() mutable {
        st->stopping = true;
        st->on_stopped = std::move(done);
        st->wake.cancel();
        st->maybe_finish();
    });
}

}  // namespace dgw::pipeline
