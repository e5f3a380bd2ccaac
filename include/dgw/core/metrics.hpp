#pragma once
/// A small Prometheus registry: counters, gauges and histograms keyed by name and labels,
/// rendered in the text exposition format (version 0.0.4) for `GET /metrics`.
/// Thread-safe; every call takes one mutex, which is cheap next to the work being counted.

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dgw::core {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

class metrics {
public:
    enum class kind { counter, gauge, histogram };

    /// Declares a family. Histograms take their upper bounds (sorted; +Inf is implied).
    /// Declaring a family twice with the same kind is harmless.
    void describe(std::string name, std::string help, kind k, std::vector<double> buckets = {});

    /// Adds to a counter (declared or not: undeclared families render without HELP).
    void inc(std::string_view name, const metric_labels& labels = {}, double by = 1.0);
    /// Sets a gauge.
    void set(std::string_view name, const metric_labels& labels, double value);
    /// Records one observation in a histogram family declared with describe().
    void observe(std::string_view name, const metric_labels& labels, double value);

    /// The current value of a counter or gauge series (0 when absent); for tests and tools.
    double value(std::string_view name, const metric_labels& labels = {}) const;

    /// Text exposition format, families sorted by name, series by labels.
    std::string render() const;

    /// Default latency buckets in seconds, 100 µs .. 10 s.
    static std::vector<double> latency_buckets();

private:
    struct histogram_series {
        std::vector<std::uint64_t> counts;  // one per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct family {
        std::string help;
        kind k = kind::counter;
        std::vector<double> buckets;
        std::map<metric_labels, double> values;
        std::map<metric_labels, histogram_series> histograms;
    };

    family& get(std::string_view name, kind k);

    mutable std::mutex mutex_;
    std::map<std::string, family, std::less<>> families_;
};

/// Escapes a label value for the text format (backslash, quote, newline).
std::string escape_label_value(std::string_view v);

}  // namespace dgw::core
