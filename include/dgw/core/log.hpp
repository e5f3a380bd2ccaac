#pragma once
/// The logging seam: modules write through `logger`, `app` provides the spdlog-backed one.
/// Implementations must be thread-safe. Message text from citizens is never logged above
/// `debug`, and secrets never at all (DESIGN.md invariant 7).

#include <string>
#include <string_view>

namespace dgw::core {

enum class log_level { trace, debug, info, warn, error, off };

/// Parses "trace|debug|info|warn|error|off"; false when the name is unknown.
bool parse_log_level(std::string_view name, log_level& out);

class logger {
public:
    virtual ~logger() = default;
    /// `section` is the module ("http", "pipeline", ...).
    virtual void write(log_level level, std::string_view section, std::string_view message) = 0;
    virtual bool enabled(log_level level) const = 0;

    void info(std::string_view section, std::string_view message) {
        write(log_level::info, section, message);
    }
    void warn(std::string_view section, std::string_view message) {
        write(log_level::warn, section, message);
    }
    void error(std::string_view section, std::string_view message) {
        write(log_level::error, section, message);
    }
    void debug(std::string_view section, std::string_view message) {
        if (enabled(log_level::debug)) write(log_level::debug, section, message);
    }
};

/// Discards everything; for tools and tests that do not care about logs.
class null_logger final : public logger {
public:
    void write(log_level, std::string_view, std::string_view) override {}
    bool enabled(log_level) const override { return false; }
};

}  // namespace dgw::core
