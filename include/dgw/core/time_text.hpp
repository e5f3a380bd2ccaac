#pragma once
/// Times as text for JSON and listings (DESIGN.md invariant 8: stored and exchanged in UTC).

#include <chrono>
#include <string>

namespace dgw::core {

/// "2026-11-26T10:00:00Z": UTC, whole seconds (the fraction is dropped).
std::string utc_text(std::chrono::system_clock::time_point t);

}  // namespace dgw::core
