#pragma once
/// The dialogue configuration (config/dialogue.json): the province, its communes and wards with
/// their former units, levels, topics, audiences, schedule rules, explicit sessions and changes,
/// cut-off and urgent keywords. Loaded from parsed JSON (the caller reads the file) and
/// validated strictly: every problem is reported with its JSON Pointer path.

#include <dgw/core/json_reader.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::dialogue {

/// How a level's sessions relate to localities.
enum class level_scope {
    province,      ///< one session series for the whole province
    unit,          ///< one series per administrative unit of this level (commune, district)
    organisation,  ///< agencies and enterprises: explicit sessions only
};

struct level {
    std::string id;  ///< "province", "commune", "agency", or "district" where one exists
    std::string name_vi;
    std::string name_en;
    level_scope scope = level_scope::unit;
    /// Days before one of its sessions that every citizen with a concern on its agenda is
    /// reminded of the date, place and how to attend; 0 = no reminder.
    int remind_days_before = 3;
};

/// A pre-July-2025 unit merged into (or kept as) a current one.
struct former_unit {
    std::string code;
    std::string name;           ///< with its prefix, e.g. "Xã Phong Niên"
    std::string district;       ///< e.g. "Huyện Bảo Thắng"
    std::string district_code;  ///< e.g. "086"
    std::string province;
    std::string province_code;
    std::string note;  ///< "merged" or "kept"
};

/// A current administrative unit (commune or ward; a district where the level exists).
struct unit {
    std::string code;  ///< official 5-digit code (3-digit for a district)
    std::string name;  ///< with its prefix, e.g. "Xã Bát Xát"
    std::string type;  ///< "commune", "ward", or "district"
    std::string level;
    std::string parent;  ///< code of the enclosing unit of a higher unit level, or empty
    std::vector<former_unit> former;
};

struct organisation {
    std::string id;
    std::string name;
    std::string name_en;
};

/// Words and phrases per language code ("vi", "en"), as configured: with or without
/// diacritics, teencode and synonyms. Matched folded, and accented where both sides have marks.
using language_words = std::map<std::string, std::vector<std::string>, std::less<>>;

struct audience {
    std::string id;
    std::string name_vi;
    std::string name_en;
    /// What its members say of themselves ("sinh viên", "công nhân Apatit"): a citizen whose
    /// message has one is routed with this audience (audience.hpp). None: never read.
    language_words words;
};

struct topic {
    std::string id;
    std::string name_vi;
    std::string name_en;
    std::string group;                ///< e.g. "socio_economic", or empty
    std::vector<std::string> levels;  ///< levels that hear it, preferred first
    /// What citizens write about it ("ổ gà", "mất điện", "pothole"). A topic without words is
    /// never inferred from a message (the catch-all "other").
    language_words words;
};

/// How a citizen's message is read before anything is asked (reader.hpp).
struct reading_config {
    language_words greeting;  ///< "xin chào", "alo", "có ai không"
    language_words filler;    ///< words around a greeting that say nothing ("ạ", "ơi", "ad")
    language_words about;     ///< questions about the service ("buổi đối thoại", "lịch tiếp dân")
    language_words status;    ///< asking after a concern sent ("tra cứu", "xem trả lời")
    language_words problem;   ///< what makes a message a problem ("bị", "hỏng", "không có")
    /// Words that mark a message as English when it has no Vietnamese diacritics.
    std::vector<std::string> english;
    /// Commune names that are also ordinary words or larger places ("Trung Tâm", "Hạnh Phúc",
    /// "Lào Cai"): in a message they count only after "xã"/"phường" or another prefix.
    std::vector<std::string> common_names;
};

/// Generates one session per locality of `level` in each of `months`.
struct schedule_rule {
    std::string level;
    std::vector<unsigned> months;  ///< 1..12
    std::string venue;             ///< "{name}" is replaced by the locality's name
    std::string title_vi;
    std::string title_en;
};

/// A session written in the config: an agency's conference, or a fixed date/venue/audience for
/// a generated slot (it then replaces the generated session of the same level, locality and
/// month, and keeps its id).
struct explicit_session {
    std::string id;  ///< optional; derived from the slot when empty
    std::string level;
    std::string locality;
    std::optional<std::chrono::year_month_day> date;
    std::optional<std::chrono::year_month> month;  ///< set when only the month is known
    std::string venue;
    std::string audience;             ///< empty: open to everyone
    std::vector<std::string> topics;  ///< empty: every topic its level hears
    std::string title_vi;
    std::string title_en;

    friend bool operator==(const explicit_session&, const explicit_session&) = default;
};

enum class change_action { postpone, cancel };

/// A postponement or cancellation of one session, by id.
struct session_change {
    std::string session;
    change_action action = change_action::cancel;
    std::optional<std::chrono::year_month_day> to;  ///< new date of a postponed session
    std::string reason;
};

struct schedule_config {
    int cutoff_days = 7;
    int horizon_months = 15;
    std::vector<schedule_rule> rules;
    std::vector<explicit_session> sessions;
    std::vector<session_change> changes;
};

struct urgent_config {
    std::vector<std::string> keywords;
    std::string hotline;
    std::string message_vi;
    std::string message_en;
};

struct province {
    std::string code;
    std::string name;
    std::string name_en;
};

struct dialogue_config {
    int version = 1;
    std::chrono::year_month_day valid_from{};
    std::chrono::minutes utc_offset{420};
    std::string reference_prefix = "LC";
    dgw::dialogue::province province;
    std::vector<level> levels;
    std::vector<unit> units;
    std::vector<organisation> organisations;
    std::vector<audience> audiences;
    std::vector<topic> topics;
    schedule_config schedule;
    urgent_config urgent;
    reading_config reading;

    /// Lookups by id/code; nullptr when unknown.
    const level* find_level(std::string_view id) const;
    const unit* find_unit(std::string_view code) const;
    const topic* find_topic(std::string_view id) const;
    const organisation* find_organisation(std::string_view id) const;
    const audience* find_audience(std::string_view id) const;
    /// Display name of a locality of a level: the province, a unit or an organisation.
    std::string locality_name(const level& lv, std::string_view locality) const;
};

/// Reads and validates a parsed dialogue.json. Problems (missing/unknown keys, wrong types, bad
/// codes and dates, references to unknown levels, topics, audiences, localities, duplicates)
/// are appended to `problems` with their paths; the returned config is only meaningful when
/// no problem was added.
dialogue_config load(const nlohmann::json& doc, std::vector<core::problem>& problems);

/// Parses the text of a dialogue.json (the caller read the file) and loads it. Broken JSON is
/// one problem at the root with the parser's message and byte offset.
dialogue_config load_text(std::string_view text, std::vector<core::problem>& problems);

/// "2026-03-31" -> date; nothing when malformed or not a real date.
std::optional<std::chrono::year_month_day> parse_date(std::string_view text);
/// "2026-03" -> month; nothing when malformed.
std::optional<std::chrono::year_month> parse_month(std::string_view text);
/// "2026-03-31T10:00" or "2026-03-31 10:00[:ss]" (local time at `offset`), with a trailing
/// "Z" (UTC) or an ISO 8601 offset ("2026-11-02T09:00:00+07:00", "+0700", "+07"), or a bare
/// date (local midnight) -> UTC time point.
std::optional<std::chrono::system_clock::time_point> parse_date_time(std::string_view text,
                                                                     std::chrono::minutes offset);

std::string to_string(std::chrono::year_month_day d);  ///< "2026-03-31"
std::string day_text(std::chrono::year_month_day d);   ///< "31/03/2026", as Vietnamese write it
std::string to_string(std::chrono::year_month m);      ///< "2026-03"
std::string_view to_string(level_scope s);

/// The local calendar date of a UTC time point at a fixed offset (Asia/Ho_Chi_Minh: +7h, no DST).
std::chrono::year_month_day local_date(std::chrono::system_clock::time_point t,
                                       std::chrono::minutes offset);

}  // namespace dgw::dialogue
