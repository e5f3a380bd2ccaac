#pragma once
/// The seam between the flow engine, which talks to a citizen, and the dialogue module, which
/// knows the topics, the communes, the urgent words, the references and the schedule. Like
/// locality.hpp: neither module depends on the other; both depend on these interfaces, and
/// `app` (or the pipeline) passes the dialogue implementations to the engine.
///
/// A citizen's first message usually says everything: "duong vao thon Coc San xa Bat Xat bi sat
/// lo". A `message_reader` reads such a message once and says what it is (a concern, a status
/// question, a greeting, a question about the sessions) and what it names (topic, commune,
/// danger, a reference), each with how sure it is and the words behind it, so that the flow
/// asks back only what is missing or unsure.

#include <dgw/core/locality.hpp>

#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// What a message is, as far as its words tell.
enum class message_intent {
    none,      ///< nothing to go on (a lone word, an emoji)
    concern,   ///< a problem the citizen wants heard
    status,    ///< a question about a concern already sent (names a reference, "tra cứu")
    about,     ///< a question about the service or the sessions ("hỏi về buổi đối thoại")
    greeting,  ///< "alo có ai không", "xin chào", "hello"
};

/// "none", "concern", "status", "about", "greeting".
std::string_view to_string(message_intent i) noexcept;

/// One topic the message may be about.
struct topic_guess {
    std::string id;                  ///< a topic id of the dialogue configuration
    double confidence = 0;           ///< 0..1
    std::vector<std::string> words;  ///< the configured words found, as configured
};

/// Everything read from one message.
struct message_reading {
    message_intent intent = message_intent::none;
    std::vector<std::string> intent_words;  ///< what decided the intent
    /// "vi" or "en" when the words tell; empty when they do not (a place name alone).
    std::string lang;
    /// Best first, at most three; `topic_sure` when the first may be taken without asking.
    std::vector<topic_guess> topics;
    bool topic_sure = false;
    /// Communes named in the message (`unique` when the first may be taken without asking).
    locality_lookup::result locality;
    /// Danger to life or property: the configured urgent words found (empty: not urgent).
    std::vector<std::string> urgent;
    /// A concern reference in the message, canonical ("LC-7K4M2"); empty when none.
    std::string reference;
    /// The message read as raw Telex keystrokes ("xax Tar Phinf" -> "xã Tả Phìn") when that
    /// reading was used; empty otherwise.
    std::string telex;
};

/// {"intent","intent_words","lang","topics":[{"id","confidence","words"}],"topic_sure",
///  "locality":{"unique","candidates":[...]},"urgent","reference","telex"}; confidences rounded
/// to two decimals. What `chat --json` shows for each step and what a concern keeps.
nlohmann::json to_json(const message_reading& r);

/// The reading to_json() wrote (a flow passes what it read on to the flow it starts, which does
/// not read the words again); nothing when `j` is not one.
std::optional<message_reading> reading_from_json(const nlohmann::json& j);

/// Reads citizens' messages. Implementations are pure and thread-safe.
class message_reader {
public:
    virtual ~message_reader() = default;
    virtual message_reading read(std::string_view text) const = 0;
};

/// Where a concern would be heard if it were filed now, in words for the citizen.
struct session_preview_text {
    std::string date;   ///< "ngày 18/3/2027" / "on 18 March 2027", "tháng 3/2027" / "in March 2027"
    std::string place;  ///< the venue
};

/// Looks up the session a concern would be filed to, so that the confirmation can show it
/// before the citizen sends. Implementations do no I/O.
class session_preview {
public:
    virtual ~session_preview() = default;
    /// Nothing when no session in the horizon hears it (officials will schedule it).
    virtual std::optional<session_preview_text> preview(std::string_view topic,
                                                        std::string_view locality_code,
                                                        std::string_view lang) const = 0;
};

}  // namespace dgw::core
