// Micro-benchmarks of the hot pure functions: route matching, text folding, metrics.
#include <dgw/core/metrics.hpp>
#include <dgw/core/text.hpp>
#include <dgw/http/router.hpp>

#include <benchmark/benchmark.h>

namespace {

dgw::net::awaitable<dgw::http::response> ok(dgw::http::request_context&) {
    co_return dgw::http::text_response(dgw::http::status::ok, "ok");
}

void bm_router_match(benchmark::State& state) {
    dgw::http::router r;
    for (const char* p : {"/healthz", "/readyz", "/metrics", "/api/v1/sessions",
                          "/api/v1/sessions/{id}", "/api/v1/concerns/{id}", "/api/v1/flows/{id}"})
        r.add(dgw::http::verb::get, p, ok);
    r.add(dgw::http::verb::post, "/webhooks/{channel}", ok);
    for (auto _ : state) benchmark::DoNotOptimize(r.match(dgw::http::verb::post, "/webhooks/zalo"));
}
BENCHMARK(bm_router_match);

void bm_fold(benchmark::State& state) {
    const std::string text = "Đường vào thôn Phìn Hồ bị sạt lở nghiêm trọng, xe máy không đi được";
    for (auto _ : state) benchmark::DoNotOptimize(dgw::core::fold(text));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(bm_fold);

void bm_metrics_inc(benchmark::State& state) {
    dgw::core::metrics m;
    for (auto _ : state)
        m.inc("dgw_http_requests_total",
              {{"route", "/webhooks/{channel}"}, {"method", "POST"}, {"status", "200"}});
}
BENCHMARK(bm_metrics_inc);

}  // namespace

BENCHMARK_MAIN();
