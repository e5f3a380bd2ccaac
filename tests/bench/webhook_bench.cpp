// The issue 5 load benchmark: the release gateway as a child process with a real SQLite file,
// Telegram webhooks from many chats going through real conversations, replies going to a mock
// Bot API in this process. Reports, per connection count: webhooks/s, latency p50/p99, inbox
// commits/s and events per commit, the inbox backlog at the end and how long it took to drain,
// replies delivered, the gateway's RSS and its CPU time per webhook (all work included), and this
// process's own (load generator and mock Bot API, which share the machine). Figures only; nothing
// is asserted.
//
// With --postgres URL, the same load then runs on a second gateway with its store on that
// PostgreSQL database, and a last line per connection count gives PostgreSQL's figures as
// ratios to SQLite's: webhooks/s, p99, and CPU per webhook (gateway + database server against
// the gateway with SQLite inside it). With --gateways N as well (N > 1), the PostgreSQL load
// runs a second time on N gateways sharing that database, the connections spread over them
// (each gateway's CPU summed), to see what several gateways on one database cost.
//
// With --server "COMMAND", the same load goes to another server instead (a peer or a ceiling:
// tests/bench/peer/run_peer_bench.sh), started from that command line (split at spaces; the
// program by its path, not looked up in PATH), with {bot_api}, {bot_token} and {secret} replaced
// by the mock Bot API's base URL and what the gateway would be given; its first line on stdout
// names its port as the gateway's banner does ("listening on http://127.0.0.1:PORT/"). Without
// the gateway's metrics, the figures are the load's, the replies the mock received and the
// server's CPU time.
//
// With --server-cpus 0 (a list: 0,2), the gateways or the server run on those CPUs only, while
// this process (load generator and mock Bot API) keeps its own: run it under `taskset -c 1`.
//
// With --warmup S, S seconds of the load at the first connection count go first, unreported (a
// JIT, caches), and its replies are waited for.
//
//   webhook_bench --gateway build/release/dialogue-gateway [--seconds 10] [--connections 1,16,64]
//                 [--postgres postgresql://...] [--gateways 3] [--server-cpus 0] [--warmup 3]
//   webhook_bench --server "/usr/bin/node bot.js --api-root {bot_api}" [--server-cpus 0] ...

#include "support/child_process.hpp"
#include "support/mock_telegram.hpp"
#include "support/sync_client.hpp"
#include "support/test_cert.hpp"

#include <dgw/core/net.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <vector>

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

namespace {

using namespace dgw;
using nlohmann::json;
using steady = std::chrono::steady_clock;
namespace bhttp = beast::http;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

constexpr const char* bot_token = "5550003333:AAFbenchTokenForTests_0123456789ab";
constexpr const char* secret = "bench-secret";

// A citizen tapping through the menu question by question (a greeting, "Gửi phản ánh", the
// topic's button number, the commune, the description, the send button), then one who says it
// all in the first message: both ways the flows are used.
const std::vector<std::string> script = {
    "xin chao", "1", "1", "bat xat", "duong vao thon bi sat lo, xe may khong di duoc",
    "gui an danh", "duong vao thon Coc San xa Bat Xat bi sat lo, xe may khong di duoc",
    "gui an danh"};

double metric(const std::string& text, const std::string& series) {
    auto pos = text.find("\n" + series + " ");
    if (pos == std::string::npos) return 0;
    return std::stod(text.substr(pos + series.size() + 2));
}

// The load generator is one address with many connections, and reads /metrics on the public
// listener with the token its config gives the gateway.
constexpr const char* metrics_token = "webhook-bench-metrics-token";

std::string scrape(std::uint16_t port) {
    test::sync_client c(port);
    test::bhttp::request<test::bhttp::string_body> req{test::bhttp::verb::get, "/metrics", 11};
    req.set(test::bhttp::field::host, "127.0.0.1");
    req.set(test::bhttp::field::authorization, std::string("Bearer ") + metrics_token);
    return c.send(req).body();
}

long rss_kb(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

// CPU time (user + system) the process has used so far, in milliseconds: a figure that holds
// even when other work shares the machine, unlike throughput.
double cpu_ms(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), {});
    auto close = all.rfind(')');
    if (close == std::string::npos) return 0;
    std::istringstream fields(all.substr(close + 2));
    std::string f;
    double utime = 0, stime = 0;
    for (int i = 3; fields >> f; ++i) {  // field 3 is the state; utime is 14, stime 15
        if (i == 14) utime = std::stod(f);
        if (i == 15) {
            stime = std::stod(f);
            break;
        }
    }
    return (utime + stime) * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU time (user + system) of the calling thread so far, in milliseconds.
double thread_cpu_ms() {
    rusage ru{};
    getrusage(RUSAGE_THREAD, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

struct phase_result {
    double cpu_ms = 0;  // the load generator's own thread
    std::size_t requests = 0;
    std::size_t errors = 0;
    std::vector<double> latencies_ms;
};

// One connection of the load: a keep-alive connection that drives 8 chats, one line of one chat
// per request, round robin, so every chat walks through the whole conversation again and again.
// The next request leaves as soon as the answer to the previous one arrives (a closed loop).
net::awaitable<void> drive(std::uint16_t port, std::int64_t first_chat, steady::time_point until,
                           std::int64_t& next_update, phase_result& out) {
    auto ex = co_await net::this_coro::executor;
    beast::tcp_stream stream(ex);
    auto [cec] = co_await stream.async_connect(
        net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), port), use_tuple);
    if (cec) {
        ++out.errors;
        co_return;
    }
    beast::flat_buffer buffer;
    const int chats = 8;
    std::vector<std::size_t> step(chats, 0);
    std::int64_t msg = 0;
    for (std::size_t i = 0; steady::now() < until; ++i) {
        auto k = i % chats;
        const std::int64_t chat = first_chat + static_cast<std::int64_t>(k);
        ++msg;
        json update = {{"update_id", next_update++},
                       {"message",
                        {{"message_id", msg},
                         {"date", 1790000000},
                         {"chat", {{"id", chat}, {"type", "private"}, {"first_name", "B"}}},
                         {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "B"}}},
                         {"text", script[step[k]++ % script.size()]}}}};
        bhttp::request<bhttp::string_body> req{bhttp::verb::post, "/webhooks/telegram", 11};
        req.set(bhttp::field::host, "127.0.0.1");
        req.set(bhttp::field::content_type, "application/json");
        req.set("X-Telegram-Bot-Api-Secret-Token", secret);
        req.body() = update.dump();
        req.prepare_payload();
        auto t0 = steady::now();
        stream.expires_after(std::chrono::seconds(30));
        auto [wec, wn] = co_await bhttp::async_write(stream, req, use_tuple);
        bhttp::response<bhttp::string_body> res;
        auto [rec, rn] = wec ? std::make_tuple(wec, std::size_t{0})
                             : co_await bhttp::async_read(stream, buffer, res, use_tuple);
        if (wec || rec) {
            ++out.errors;
            co_return;
        }
        if (res.result_int() != 200) ++out.errors;
        out.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(steady::now() - t0).count());
        ++out.requests;
    }
}

// All connections run as coroutines on one thread, so the load generator takes as little of the
// machine's two cores from the gateway as it can (64 blocking client threads took about twice
// the CPU per request).
phase_result run_phase(const std::vector<std::uint16_t>& ports, int connections, double seconds,
                       std::int64_t& next_update, std::int64_t chat_base) {
    net::io_context io;
    phase_result all;
    auto until = steady::now() + std::chrono::duration_cast<steady::duration>(
                                     std::chrono::duration<double>(seconds));
    for (int t = 0; t < connections; ++t)
        net::co_spawn(io,
                      drive(ports[static_cast<std::size_t>(t) % ports.size()], chat_base + t * 8,
                            until, next_update, all),
                      net::detached);
    const double cpu0 = thread_cpu_ms();
    io.run();
    all.cpu_ms = thread_cpu_ms() - cpu0;
    return all;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

// The figures of the load itself, whatever answered it.
json load_figures(const phase_result& r, int connections, double elapsed) {
    return {{"connections", connections},
            {"seconds", elapsed},
            {"webhooks", r.requests},
            {"errors", r.errors},
            {"webhooks_per_second", static_cast<double>(r.requests) / elapsed},
            {"p50_ms", percentile(r.latencies_ms, 0.50)},
            {"p99_ms", percentile(r.latencies_ms, 0.99)},
            {"load_generator_cpu_us_per_webhook",
             r.requests > 0 ? r.cpu_ms * 1000.0 / static_cast<double>(r.requests) : 0}};
}

// Starts `argv` on `cpus` (none: wherever this thread may run) and reads the port from its
// first line. A child inherits the affinity of the thread that starts it, so this thread takes
// those CPUs for the spawn and its own back after; the mock Bot API's threads, started before,
// keep theirs.
std::optional<std::uint16_t> start_server(std::vector<std::unique_ptr<test::child_process>>& into,
                                          const std::vector<std::string>& argv,
                                          const std::vector<int>& cpus) {
    cpu_set_t own, only;
    CPU_ZERO(&only);
    for (int c : cpus) CPU_SET(c, &only);
    const bool pin = !cpus.empty() && sched_getaffinity(0, sizeof own, &own) == 0 &&
                     sched_setaffinity(0, sizeof only, &only) == 0;
    if (!cpus.empty() && !pin) std::cerr << "cannot pin the server; it runs unpinned\n";
    into.push_back(std::make_unique<test::child_process>(argv));
    if (pin) sched_setaffinity(0, sizeof own, &own);
    std::smatch m;
    auto banner = into.back()->read_line();
    if (!std::regex_search(banner, m, std::regex(R"(:(\d+)/)"))) {
        std::cerr << "the server did not start: " << banner << "\n";
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(std::stoi(m[1]));
}

}  // namespace

// CPU time of every PostgreSQL server process on this machine (backends, WAL writer,
// checkpointer): the database's share of the work, when the store is on PostgreSQL.
double postgres_cpu_ms() {
    double total = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        auto name = entry.path().filename().string();
        if (!std::all_of(name.begin(), name.end(), ::isdigit)) continue;
        std::ifstream comm(entry.path() / "comm");
        std::string c;
        if (std::getline(comm, c) && c.rfind("postgres", 0) == 0) total += cpu_ms(std::stoi(name));
    }
    return total;
}

struct options {
    std::string gateway = "build/release/dialogue-gateway";
    std::string source = ".";
    double seconds = 10;
    std::vector<int> connection_counts = {1, 16, 64};
    std::string synchronous = "full";
    std::string postgres;  // a URL: the same load on PostgreSQL too, after SQLite
    int threads = 0;       // the gateway's own default: one I/O thread per core
    int gateways = 1;      // on PostgreSQL: this many gateways too, after one
    std::string server;    // a command line: this server instead of the gateway
    std::vector<int> server_cpus;  // where the gateways or the server run (empty: anywhere)
    double warmup = 0;  // seconds of load, not reported, before the first connection count
};

std::vector<int> int_list(const std::string& v) {
    std::vector<int> out;
    std::stringstream ss(v);
    for (std::string n; std::getline(ss, n, ',');) out.push_back(std::stoi(n));
    return out;
}

// `gateways` gateways on `store` (a config's "store" object) through every connection count:
// one JSON line each, also returned.
std::vector<json> run_gateway(const options& o, const json& store, const std::string& label,
                              std::int64_t& next_update, std::int64_t& chat_base, int gateways = 1) {
    test::mock_telegram tg(bot_token, 1);
    auto dir = test::make_temp_dir("dgw-bench");
    json cfg = {
        {"server",
         {{"listen", "127.0.0.1:0"},
          {"max_connections", 4096},
          {"max_connections_per_address", 0},
          {"threads", o.threads}}},
        {"metrics", {{"listen", ""}, {"bearer_token", metrics_token}}},
        {"log", {{"level", "error"}}},
        {"store", store},
        {"flows", {{"dir", o.source + "/flows"}}},
        {"dialogue", {{"file", o.source + "/config/dialogue.json"}}},
        {"channels",
         {{{"id", "telegram"},
           {"type", "telegram"},
           {"bot_token", bot_token},
           {"secret_token", secret},
           {"api_base", tg.api_base()},
           {"rate_limit",
            {{"per_second", 0},
             {"burst", 0},
             {"per_chat_per_second", 0},
             {"per_chat_burst", 0}}}}}},
    };
    const auto config_path = (dir / "gateway.json").string();
    std::ofstream(config_path) << cfg.dump();

    std::vector<json> results;
    std::vector<std::unique_ptr<test::child_process>> gws;
    std::vector<std::uint16_t> ports;
    std::vector<int> pids;
    for (int g = 0; g < gateways; ++g) {
        auto started =
            start_server(gws, {o.gateway, "serve", "--config", config_path}, o.server_cpus);
        if (!started) return results;
        ports.push_back(*started);
        pids.push_back(gws.back()->pid());
    }
    const auto port = ports.front();  // the store's gauges (backlog, pending) are the database's
    auto cpu_of_gateways = [&] {
        double total = 0;
        for (int pid : pids) total += cpu_ms(pid);
        return total;
    };
    // Counters are per gateway: summed.
    auto counted = [&](const char* name) {
        double total = 0;
        for (auto p : ports) total += metric(scrape(p), name);
        return total;
    };
    const bool on_postgres = store.contains("postgres");
    // How long the worker needs to catch up after the load stops, from the metrics then.
    auto drain = [&](const std::string& after) {
        auto d0 = steady::now();
        double left = metric(after, "dgw_inbox_backlog") + metric(after, "dgw_outbox_pending");
        while (left > 0 && steady::now() - d0 < std::chrono::seconds(120)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));  // a benchmark, not a test
            auto now = scrape(port);
            left = metric(now, "dgw_inbox_backlog") + metric(now, "dgw_outbox_pending");
        }
        return std::chrono::duration<double>(steady::now() - d0).count();
    };
    if (o.warmup > 0) {
        run_phase(ports, o.connection_counts.front(), o.warmup, next_update, chat_base);
        chat_base += 1'000'000;
        drain(scrape(port));
    }

    for (int c : o.connection_counts) {
        auto before = scrape(port);
        const double commits0 = counted("dgw_inbox_commits_total{result=\"ok\"}");
        const double transactions0 = counted("dgw_db_transactions_total{result=\"ok\"}");
        double cpu0 = cpu_of_gateways();
        double own0 = cpu_ms(getpid());
        double db0 = on_postgres ? postgres_cpu_ms() : 0;
        auto calls0 = tg.call_count();
        auto t0 = steady::now();
        auto r = run_phase(ports, c, o.seconds, next_update, chat_base);
        double elapsed = std::chrono::duration<double>(steady::now() - t0).count();
        auto after = scrape(port);
        double commits = counted("dgw_inbox_commits_total{result=\"ok\"}") - commits0;
        double transactions = counted("dgw_db_transactions_total{result=\"ok\"}") - transactions0;
        double backlog = metric(after, "dgw_inbox_backlog");
        long rss = 0;
        for (int pid : pids) rss += rss_kb(pid);
        const double drain_seconds = drain(after);
        // All the work of this phase, replies included, is done by now.
        double cpu = cpu_of_gateways() - cpu0;
        double db_cpu = on_postgres ? postgres_cpu_ms() - db0 : 0;
        // This process's share of the two cores: the load generator and the mock Bot API.
        double own = cpu_ms(getpid()) - own0;
        const auto replies = static_cast<double>(tg.call_count() - calls0);
        const double n = static_cast<double>(r.requests);
        json out = load_figures(r, c, elapsed);
        out.update({{"store", label},
                    {"gateways", gateways},
                    {"inbox_commits_per_second", commits / elapsed},
                    {"events_per_commit", commits > 0 ? n / commits : 0},
                    // Every round of the database thread commits, sender-only rounds included.
                    {"db_commits_per_second", transactions / elapsed},
                    {"inbox_backlog_at_end", backlog},
                    {"drain_seconds", drain_seconds},
                    {"replies_delivered_so_far", tg.call_count()},
                    {"replies_delivered", replies},
                    {"gateway_rss_mb", static_cast<double>(rss) / 1024.0},
                    {"gateway_cpu_us_per_webhook", n > 0 ? cpu * 1000.0 / n : 0},
                    // The database server's processes (PostgreSQL only; SQLite runs inside the
                    // gateway, so its cost is in the gateway's figure).
                    {"database_cpu_us_per_webhook", n > 0 ? db_cpu * 1000.0 / n : 0},
                    {"gateway_and_database_cpu_us_per_webhook", n > 0 ? (cpu + db_cpu) * 1000.0 / n : 0},
                    {"mock_bot_api_cpu_us_per_reply",
                     replies > 0 ? (own - r.cpu_ms) * 1000.0 / replies : 0},
                    {"synchronous", o.synchronous}});
        std::cout << out.dump() << std::endl;
        results.push_back(out);
        chat_base += 1'000'000;
    }
    for (auto& gw : gws) {
        gw->signal(SIGTERM);
        gw->wait();
    }
    std::filesystem::remove_all(dir);
    return results;
}

// --server: that server in the gateway's place, through every connection count, one JSON line
// each. The replies are counted once they stop arriving (a server that answers the webhook
// before it replies may still be sending), and the server's CPU time includes that.
int run_server(const options& o, std::int64_t& next_update, std::int64_t& chat_base) {
    test::mock_telegram tg(bot_token, 1);
    std::vector<std::string> argv;
    std::stringstream words(o.server);
    for (std::string w; words >> w;) {
        for (auto [key, value] : {std::pair<std::string, std::string>{"{bot_api}", tg.api_base()},
                                  {"{bot_token}", bot_token},
                                  {"{secret}", secret}})
            for (auto at = w.find(key); at != std::string::npos; at = w.find(key))
                w.replace(at, key.size(), value);
        argv.push_back(w);
    }
    std::vector<std::unique_ptr<test::child_process>> children;
    auto port = start_server(children, argv, o.server_cpus);
    if (!port) return 1;
    const int pid = children.back()->pid();
    auto settle = [&] {
        const auto d0 = steady::now();
        for (auto seen = tg.call_count(); steady::now() - d0 < std::chrono::seconds(60);) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a benchmark, not a test
            if (tg.call_count() == seen) break;
            seen = tg.call_count();
        }
    };
    if (o.warmup > 0) {
        run_phase({*port}, o.connection_counts.front(), o.warmup, next_update, chat_base);
        chat_base += 1'000'000;
        settle();
    }
    for (int c : o.connection_counts) {
        const double cpu0 = cpu_ms(pid);
        const auto calls0 = tg.call_count();
        auto t0 = steady::now();
        auto r = run_phase({*port}, c, o.seconds, next_update, chat_base);
        double elapsed = std::chrono::duration<double>(steady::now() - t0).count();
        settle();
        const auto replies = static_cast<double>(tg.call_count() - calls0);
        const double n = static_cast<double>(r.requests);
        json out = load_figures(r, c, elapsed);
        out.update({{"server", o.server},
                    {"replies_delivered", replies},
                    {"replies_per_webhook", n > 0 ? replies / n : 0},
                    {"server_cpu_us_per_webhook", n > 0 ? (cpu_ms(pid) - cpu0) * 1000.0 / n : 0}});
        std::cout << out.dump() << std::endl;
        chat_base += 1'000'000;
    }
    children.back()->signal(SIGTERM);
    children.back()->wait();
    return 0;
}

int main(int argc, char** argv) {
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--gateway") o.gateway = v;
        else if (k == "--source") o.source = v;
        else if (k == "--seconds") o.seconds = std::stod(v);
        else if (k == "--synchronous") o.synchronous = v;
        else if (k == "--threads") o.threads = std::stoi(v);
        else if (k == "--postgres") o.postgres = v;
        else if (k == "--gateways") o.gateways = std::stoi(v);
        else if (k == "--server") o.server = v;
        else if (k == "--server-cpus") o.server_cpus = int_list(v);
        else if (k == "--warmup") o.warmup = std::stod(v);
        else if (k == "--connections") o.connection_counts = int_list(v);
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }

    std::int64_t next_update = 1;
    std::int64_t chat_base = 1'000'000'000;
    if (!o.server.empty()) return run_server(o, next_update, chat_base);
    auto dir = test::make_temp_dir("dgw-bench-store");
    const auto lite = run_gateway(
        o, {{"sqlite", {{"path", (dir / "dgw.sqlite").string()}, {"synchronous", o.synchronous}}}},
        "sqlite", next_update, chat_base);
    std::filesystem::remove_all(dir);
    if (lite.size() != o.connection_counts.size()) return 1;
    if (o.postgres.empty()) return 0;
    const auto pg = run_gateway(o, {{"postgres", {{"url", o.postgres}}}}, "postgres", next_update,
                                chat_base);
    if (pg.size() != lite.size()) return 1;
    std::vector<json> several;
    if (o.gateways > 1) {
        several = run_gateway(o, {{"postgres", {{"url", o.postgres}}}}, "postgres", next_update,
                              chat_base, o.gateways);
        if (several.size() != lite.size()) return 1;
    }
    // The same load on each, in the same run: PostgreSQL's figures as ratios to SQLite's.
    auto ratios = [&](const std::vector<json>& on_pg, const std::string& what) {
        for (std::size_t i = 0; i < on_pg.size(); ++i) {
            auto ratio = [&](const char* key, const char* pg_key) {
                const double base = lite[i][key].get<double>();
                return base > 0 ? on_pg[i][pg_key].get<double>() / base : 0.0;
            };
            std::cout << json{{"ratio", what},
                              {"connections", on_pg[i]["connections"]},
                              {"webhooks_per_second", ratio("webhooks_per_second", "webhooks_per_second")},
                              {"p99_ms", ratio("p99_ms", "p99_ms")},
                              {"cpu_us_per_webhook",
                               ratio("gateway_cpu_us_per_webhook", "gateway_and_database_cpu_us_per_webhook")}}
                             .dump()
                      << std::endl;
        }
    };
    ratios(pg, "postgres/sqlite");
    if (!several.empty()) ratios(several, "postgres x" + std::to_string(o.gateways) + "/sqlite");
    return 0;
}
