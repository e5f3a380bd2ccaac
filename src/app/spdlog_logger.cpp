#include "app/spdlog_logger.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace dgw::app {
namespace {

spdlog::level::level_enum to_spdlog(core::log_level l) {
    switch (l) {
        case core::log_level::trace: return spdlog::level::trace;
        case core::log_level::debug: return spdlog::level::debug;
        case core::log_level::info: return spdlog::level::info;
        case core::log_level::warn: return spdlog::level::warn;
        case core::log_level::error: return spdlog::level::err;
        case core::log_level::off: return spdlog::level::off;
    }
    return spdlog::level::info;
}

}  // namespace

spdlog_logger::spdlog_logger(core::log_level level)
    : impl_(std::make_shared<spdlog::logger>("dgw",
                                             std::make_shared<spdlog::sinks::stderr_sink_mt>())) {
    // Times in logs are UTC (DESIGN.md invariant 8); people see UTC+7 in the UI, not here.
    impl_->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %-5l %v", spdlog::pattern_time_type::utc));
    set_level(level);
    impl_->flush_on(spdlog::level::info);
}

void spdlog_logger::set_level(core::log_level level) { impl_->set_level(to_spdlog(level)); }

void spdlog_logger::write(core::log_level level, std::string_view section,
                          std::string_view message) {
    impl_->log(to_spdlog(level), "[{}] {}", section, message);
}

bool spdlog_logger::enabled(core::log_level level) const {
    return impl_->should_log(to_spdlog(level));
}

}  // namespace dgw::app
