// A closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending the next request
// as soon as the previous answer arrives, for a fixed time. Prints one JSON line with
// requests/s, latency percentiles, status counts and its own CPU time per request. Only loopback
// targets are allowed.
//
//   http_load --url http://127.0.0.1:8080/healthz --connections 64 --seconds 10
//             [--method POST --body-file payload.json --header "Name: value"]

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
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

using namespace dgw;
namespace bhttp = beast::http;
using steady = std::chrono::steady_clock;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

struct settings {
    std::string host = "127.0.0.1";
    std::string port = "8080";
    std::string target = "/healthz";
    bhttp::verb method = bhttp::verb::get;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    int connections = 16;
    double seconds = 5;
};

struct stats {
    std::vector<double> latencies_us;
    std::map<unsigned, std::uint64_t> statuses;
    std::uint64_t errors = 0;
};

net::awaitable<void> worker(std::shared_ptr<settings> s, std::shared_ptr<stats> out,
                            int index, steady::time_point until) {
    auto ex = co_await net::this_coro::executor;
    net::ip::tcp::resolver resolver(ex);
    auto [rec, eps] = co_await resolver.async_resolve(s->host, s->port, use_tuple);
    if (rec) {
        ++out->errors;
        co_return;
    }
    beast::tcp_stream stream(ex);
    auto [cec, ep] = co_await stream.async_connect(eps, use_tuple);
    if (cec) {
        ++out->errors;
        co_return;
    }
    beast::flat_buffer buffer;
    std::uint64_t n = 0;
    while (steady::now() < until) {
        bhttp::request<bhttp::string_body> req{s->method, s->target, 11};
        req.set(bhttp::field::host, s->host);
        for (const auto& [k, v] : s->headers) req.set(k, v);
        // {n} in the body makes every request distinct (e.g. update ids for dedup).
        std::string body = s->body;
        for (auto pos = body.find("{n}"); pos != std::string::npos; pos = body.find("{n}"))
            body.replace(pos, 3, std::to_string(static_cast<std::uint64_t>(index) * 100'000'000 + n));
        req.body() = std::move(body);
        req.prepare_payload();
        auto t0 = steady::now();
        stream.expires_after(std::chrono::seconds(30));
        auto [wec, wn] = co_await bhttp::async_write(stream, req, use_tuple);
        bhttp::response<bhttp::string_body> res;
        auto [hec, hn] = wec ? std::make_tuple(wec, std::size_t{0})
                             : co_await bhttp::async_read(stream, buffer, res, use_tuple);
        if (wec || hec) {
            ++out->errors;
            co_return;
        }
        out->latencies_us.push_back(
            std::chrono::duration<double, std::micro>(steady::now() - t0).count());
        ++out->statuses[res.result_int()];
        ++n;
    }
}

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

}  // namespace

int main(int argc, char** argv) {
    auto s = std::make_shared<settings>();
    std::string url = "http://127.0.0.1:8080/healthz";
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string k = argv[i], v = argv[i + 1];
        if (k == "--url") url = v;
        else if (k == "--connections") s->connections = std::stoi(v);
        else if (k == "--seconds") s->seconds = std::stod(v);
        else if (k == "--method") s->method = bhttp::string_to_verb(v);
        else if (k == "--body-file") {
            std::ifstream in(v);
            std::stringstream b;
            b << in.rdbuf();
            s->body = b.str();
        } else if (k == "--header") {
            auto colon = v.find(':');
            s->headers.emplace_back(v.substr(0, colon), v.substr(colon + 2));
        } else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    if (url.rfind("http://", 0) != 0) {
        std::cerr << "only http:// URLs\n";
        return 2;
    }
    auto rest = url.substr(7);
    auto slash = rest.find('/');
    auto authority = rest.substr(0, slash);
    s->target = slash == std::string::npos ? "/" : rest.substr(slash);
    auto colon = authority.rfind(':');
    s->host = authority.substr(0, colon);
    s->port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
    if (s->host != "127.0.0.1" && s->host != "localhost" && s->host != "[::1]") {
        std::cerr << "refusing a non-loopback target\n";
        return 2;
    }

    net::io_context ioc(1);
    std::vector<std::shared_ptr<stats>> per;
    auto start = steady::now();
    auto until = start + std::chrono::duration_cast<steady::duration>(
                             std::chrono::duration<double>(s->seconds));
    for (int i = 0; i < s->connections; ++i) {
        per.push_back(std::make_shared<stats>());
        net::co_spawn(ioc, worker(s, per.back(), i, until), net::detached);
    }
    ioc.run();
    double elapsed = std::chrono::duration<double>(steady::now() - start).count();

    stats all;
    for (auto& p : per) {
        all.latencies_us.insert(all.latencies_us.end(), p->latencies_us.begin(), p->latencies_us.end());
        for (auto [code, n] : p->statuses) all.statuses[code] += n;
        all.errors += p->errors;
    }
    nlohmann::json out;
    out["url"] = url;
    out["connections"] = s->connections;
    out["seconds"] = elapsed;
    out["requests"] = all.latencies_us.size();
    out["requests_per_second"] = static_cast<double>(all.latencies_us.size()) / elapsed;
    out["p50_ms"] = percentile(all.latencies_us, 0.50) / 1000;
    out["p99_ms"] = percentile(all.latencies_us, 0.99) / 1000;
    out["max_ms"] = all.latencies_us.empty()
                        ? 0
                        : *std::max_element(all.latencies_us.begin(), all.latencies_us.end()) / 1000;
    for (auto [code, n] : all.statuses) out["statuses"][std::to_string(code)] = n;
    out["errors"] = all.errors;
    // This generator's own CPU time (user + system) per request: its share of the machine.
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double cpu_us = static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
                          static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
    out["client_cpu_us_per_request"] =
        all.latencies_us.empty() ? 0 : cpu_us / static_cast<double>(all.latencies_us.size());
    std::cout << out.dump() << std::endl;
    return all.errors == 0 ? 0 : 1;
}
