#include "dgw/core/reading.hpp"

#include <cmath>

namespace dgw::core {
namespace {

// Two decimals are all a confidence means; more only makes output unstable to read.
double rounded(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

std::string_view to_string(message_intent i) noexcept {
    switch (i) {
        case message_intent::none: return "none";
        case message_intent::concern: return "concern";
        case message_intent::status: return "status";
        case message_intent::about: return "about";
        case message_intent::greeting: return "greeting";
    }
    return "none";
}

nlohmann::json to_json(const message_reading& r) {
    nlohmann::json topics = nlohmann::json::array();
    for (const auto& t : r.topics)
        topics.push_back({{"id", t.id}, {"confidence", rounded(t.confidence)}, {"words", t.words}});
    nlohmann::json candidates = nlohmann::json::array();
    for (const auto& c : r.locality.candidates)
        candidates.push_back({{"code", c.code},
                              {"name", c.name},
                              {"confidence", rounded(c.confidence)},
                              {"why", c.why}});
    nlohmann::json j = {{"intent", std::string(to_string(r.intent))},
                        {"intent_words", r.intent_words},
                        {"lang", r.lang},
                        {"topics", std::move(topics)},
                        {"topic_sure", r.topic_sure},
                        {"locality", {{"unique", r.locality.unique}, {"candidates", candidates}}},
                        {"urgent", r.urgent},
                        {"reference", r.reference}};
    if (!r.telex.empty()) j["telex"] = r.telex;
    return j;
}

}  // namespace dgw::core
