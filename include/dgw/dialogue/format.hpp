#pragma once
/// Rendering for the command line and the API: sessions, routes and locality candidates as JSON
/// objects (one per line with `dump()`) or as short human text.

#include <dgw/core/locality.hpp>
#include <dgw/dialogue/routing.hpp>
#include <dgw/dialogue/schedule.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace dgw::dialogue {

/// {"id","level","locality","locality_name","month","date"(null when open),"status",
///  "venue","audience"(null when open to all),"topics","title_vi","title_en","generated","note"}
nlohmann::json to_json(const session& s);
/// "2026-03  commune   02683 Xã Bát Xát — Hội trường UBND Xã Bát Xát [planned]"
std::string to_text(const session& s);

/// {"status","reason","reason_vi","session": to_json(session) or null}
nlohmann::json to_json(const route_result& r);
std::string to_text(const route_result& r);

/// {"unique", "candidates": [{"code","name","confidence","why"}]}
nlohmann::json to_json(const core::locality_lookup::result& r);
std::string to_text(const core::locality_lookup::result& r);

/// The receipt a citizen gets when a concern is filed: its reference and where it will be
/// heard ("vi", else English). An unscheduled concern is told that officials will schedule it.
std::string receipt_text(const route_result& r, std::string_view reference, std::string_view lang);

}  // namespace dgw::dialogue
