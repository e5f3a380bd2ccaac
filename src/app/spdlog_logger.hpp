#pragma once
// The production logger: spdlog to stderr, UTC timestamps, one line per event, thread-safe.

#include <dgw/core/log.hpp>

#include <memory>

namespace spdlog {
class logger;
}

namespace dgw::app {

class spdlog_logger final : public core::logger {
public:
    explicit spdlog_logger(core::log_level level);
    void write(core::log_level level, std::string_view section, std::string_view message) override;
    bool enabled(core::log_level level) const override;
    void set_level(core::log_level level);

private:
    std::shared_ptr<spdlog::logger> impl_;
};

}  // namespace dgw::app
