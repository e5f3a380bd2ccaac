#pragma once
/// The dashboard's figures over the concerns an official may see: counts per status, topic,
/// commune and period, the shares answered and urgent, and the median time to an answer.
/// A pure function: the handler gathers the concerns (in scope) and when each was answered.

#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dgw::api {

/// How concerns are counted over time: per ISO week ("2026-W48") or per month ("2026-11"),
/// of their filing time in Vietnam (UTC+7).
enum class dashboard_period { week, month };

/// The local period `t` falls in, as text.
std::string period_of(store::time_point t, dashboard_period p);

/// `concerns`: those in the asker's scope. `answered_at`: per reference, when the concern was
/// first answered (from the audit log); an answered concern without one is counted as answered
/// but not in the median. `now` ends the time series, which runs over the last `periods`
/// periods (empty ones included, so a chart shows gaps). Answers:
///   {"total", "by_status": {status: n}, "by_topic": [{"topic", "name_vi", "name_en",
///    "concerns"}], "by_commune": [{"code", "name", "concerns"}], "over_time": {"period":
///    "week"|"month", "items": [{"period", "concerns"}]}, "answered", "answered_share",
///    "urgent", "urgent_share", "median_days_to_answer" (null when nothing was answered),
///    "by_source": {source: n}, "by_level": {level: n} (the level of the session it is on; ""
///    for none), "followups": {"assigned", "open", "overdue", "done_on_time", "done_late",
///    "on_time_share"} (the work answers assigned: done by the deadline's day or after it, open,
///    open past it), "satisfaction": citizens' verdicts, overall and by topic, session, official,
///    "answered_at_session", "answered_at_session_share": answered concerns that were raised at
///    their meeting (the live view's mark), of those answered}
/// Topics and communes are sorted by count, most first, then by name (a concern filed to no
/// commune counts under code ""). The shares and the median are over the concerns neither
/// withdrawn nor merged (a merged one is answered with the concern it was merged into).
nlohmann::json dashboard_stats(const std::vector<store::concern>& concerns,
                               const std::map<std::string, store::time_point>& answered_at,
                               const dialogue::dialogue_config& cfg, dashboard_period period,
                               store::time_point now, int periods = 12);

/// Whether concern `k` was filed on a local day (Vietnam) within [from, to], either end open
/// when not given: the report's period.
bool filed_within(const store::concern& k, const std::optional<std::chrono::year_month_day>& from,
                  const std::optional<std::chrono::year_month_day>& to);

/// The province's report as an .xlsx workbook (libxlsxwriter), from dashboard_stats()'s
/// `figures`: a summary sheet (the period, totals, shares, assigned work, satisfaction) and
/// one sheet each by source, topic, commune and level, headings in `language` ("vi", "en").
/// Throws std::runtime_error when it cannot be written.
std::string dashboard_xlsx(const nlohmann::json& figures, const std::string& period_text,
                           const std::string& language);

}  // namespace dgw::api
