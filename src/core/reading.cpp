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
    for (const auto& c : r.locality.candidates) {
        nlohmann::json one = {{"code", c.code},
                              {"name", c.name},
                              {"confidence", rounded(c.confidence)},
                              {"why", c.why}};
        if (!c.former.empty()) one["former"] = c.former;
        if (!c.matched.empty() && c.matched != c.name) one["matched"] = c.matched;
        candidates.push_back(std::move(one));
    }
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

std::optional<message_reading> reading_from_json(const nlohmann::json& j) {
    // Written by to_json() into a conversation's state, which crosses a database: anything odd
    // means "read the words again", never a failure.
    try {
        message_reading r;
        const std::string intent = j.at("intent").get<std::string>();
        for (auto i : {message_intent::none, message_intent::concern, message_intent::status,
                       message_intent::about, message_intent::greeting})
            if (to_string(i) == intent) r.intent = i;
        r.intent_words = j.at("intent_words").get<std::vector<std::string>>();
        r.lang = j.at("lang").get<std::string>();
        for (const auto& t : j.at("topics"))
            r.topics.push_back({t.at("id").get<std::string>(), t.at("confidence").get<double>(),
                                t.at("words").get<std::vector<std::string>>()});
        r.topic_sure = j.at("topic_sure").get<bool>();
        const auto& loc = j.at("locality");
        r.locality.unique = loc.at("unique").get<bool>();
        for (const auto& c : loc.at("candidates"))
            r.locality.candidates.push_back(
                {c.at("code").get<std::string>(), c.at("name").get<std::string>(),
                 c.at("confidence").get<double>(), c.at("why").get<std::string>(),
                 c.value("former", std::string()), c.value("matched", std::string())});
        r.urgent = j.at("urgent").get<std::vector<std::string>>();
        r.reference = j.at("reference").get<std::string>();
        r.telex = j.value("telex", std::string());
        return r;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace dgw::core
