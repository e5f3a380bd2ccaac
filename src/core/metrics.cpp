#include "dgw/core/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dgw::core {
namespace {

std::string format_number(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

std::string render_labels(const metric_labels& labels, const char* extra_name = nullptr,
                          const std::string& extra_value = {}) {
    if (labels.empty() && !extra_name) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : labels) {
        if (!first) out += ',';
        first = false;
        out += k + "=\"" + escape_label_value(v) + "\"";
    }
    if (extra_name) {
        if (!first) out += ',';
        out += std::string(extra_name) + "=\"" + extra_value + "\"";
    }
    return out + "}";
}

const char* kind_name(metrics::kind k) {
    switch (k) {
        case metrics::kind::counter: return "counter";
        case metrics::kind::gauge: return "gauge";
        case metrics::kind::histogram: return "histogram";
    }
    return "untyped";
}

}  // namespace

std::string escape_label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::vector<double> metrics::latency_buckets() {
    return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
            0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5, 5, 10};
}

void metrics::describe(std::string name, std::string help, kind k, std::vector<double> buckets) {
    std::lock_guard lock(mutex_);
    auto& f = families_[std::move(name)];
    f.help = std::move(help);
    f.k = k;
    std::sort(buckets.begin(), buckets.end());
    f.buckets = std::move(buckets);
}

metrics::family& metrics::get(std::string_view name, kind k) {
    auto it = families_.find(name);
    if (it == families_.end()) {
        it = families_.emplace(std::string(name), family{}).first;
        it->second.k = k;
    }
    return it->second;
}

void metrics::inc(std::string_view name, const metric_labels& labels, double by) {
    std::lock_guard lock(mutex_);
    get(name, kind::counter).values[labels] += by;
}

void metrics::set(std::string_view name, const metric_labels& labels, double value) {
    std::lock_guard lock(mutex_);
    get(name, kind::gauge).values[labels] = value;
}

void metrics::observe(std::string_view name, const metric_labels& labels, double value) {
    std::lock_guard lock(mutex_);
    auto& f = get(name, kind::histogram);
    if (f.buckets.empty()) f.buckets = latency_buckets();
    auto& s = f.histograms[labels];
    if (s.counts.empty()) s.counts.assign(f.buckets.size(), 0);
    auto pos = std::lower_bound(f.buckets.begin(), f.buckets.end(), value);
    if (pos != f.buckets.end()) ++s.counts[static_cast<std::size_t>(pos - f.buckets.begin())];
    ++s.count;
    s.sum += value;
}

double metrics::value(std::string_view name, const metric_labels& labels) const {
    std::lock_guard lock(mutex_);
    auto it = families_.find(name);
    if (it == families_.end()) return 0;
    auto v = it->second.values.find(labels);
    return v == it->second.values.end() ? 0 : v->second;
}

std::string metrics::render() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, f] : families_) {
        if (f.values.empty() && f.histograms.empty()) continue;
        if (!f.help.empty()) out += "# HELP " + name + " " + f.help + "\n";
        out += "# TYPE " + name + " " + kind_name(f.k) + "\n";
        for (const auto& [labels, v] : f.values)
            out += name + render_labels(labels) + " " + format_number(v) + "\n";
        for (const auto& [labels, s] : f.histograms) {
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < f.buckets.size(); ++i) {
                cumulative += s.counts[i];
                out += name + "_bucket" + render_labels(labels, "le", format_number(f.buckets[i])) +
                       " " + std::to_string(cumulative) + "\n";
            }
            out += name + "_bucket" + render_labels(labels, "le", "+Inf") + " " +
                   std::to_string(s.count) + "\n";
            out += name + "_sum" + render_labels(labels) + " " + format_number(s.sum) + "\n";
            out += name + "_count" + render_labels(labels) + " " + std::to_string(s.count) + "\n";
        }
    }
    return out;
}

}  // namespace dgw::core
