#include "dgw/core/metrics.hpp"

#include <gtest/gtest.h>

namespace dgw::core {
namespace {

TEST(Metrics, CounterRendersWithHelpTypeAndSortedLabels) {
    metrics m;
    m.describe("dgw_http_requests_total", "HTTP requests.", metrics::kind::counter);
    m.inc("dgw_http_requests_total", {{"route", "/healthz"}, {"method", "GET"}, {"status", "200"}});
    m.inc("dgw_http_requests_total", {{"route", "/healthz"}, {"method", "GET"}, {"status", "200"}});
    m.inc("dgw_http_requests_total", {{"route", "/a\"b"}, {"method", "GET"}, {"status", "404"}});
    EXPECT_EQ(m.render(),
              "# HELP dgw_http_requests_total HTTP requests.\n"
              "# TYPE dgw_http_requests_total counter\n"
              "dgw_http_requests_total{route=\"/a\\\"b\",method=\"GET\",status=\"404\"} 1\n"
              "dgw_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n");
    EXPECT_EQ(m.value("dgw_http_requests_total",
                      {{"route", "/healthz"}, {"method", "GET"}, {"status", "200"}}),
              2.0);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    metrics m;
    m.describe("lat", "Latency.", metrics::kind::histogram, {0.1, 1});
    m.observe("lat", {{"route", "/x"}}, 0.05);
    m.observe("lat", {{"route", "/x"}}, 0.5);
    m.observe("lat", {{"route", "/x"}}, 5);
    EXPECT_EQ(m.render(),
              "# HELP lat Latency.\n"
              "# TYPE lat histogram\n"
              "lat_bucket{route=\"/x\",le=\"0.1\"} 1\n"
              "lat_bucket{route=\"/x\",le=\"1\"} 2\n"
              "lat_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
              "lat_sum{route=\"/x\"} 5.55\n"
              "lat_count{route=\"/x\"} 3\n");
}

TEST(Metrics, GaugeAndEmptyFamilies) {
    metrics m;
    m.describe("unused_total", "Never touched.", metrics::kind::counter);
    m.set("dgw_build_info", {{"version", "0.1.0"}}, 1);
    EXPECT_EQ(m.render(),
              "# TYPE dgw_build_info gauge\n"
              "dgw_build_info{version=\"0.1.0\"} 1\n");
}

}  // namespace
}  // namespace dgw::core
