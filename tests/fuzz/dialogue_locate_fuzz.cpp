// Citizen text through the dialogue module's parsers of outside input: the commune resolver,
// reference parsing, urgent keywords and date-time parsing. No crash, and the resolver's
// contract holds: at most max_candidates, confidences in 0..1, best first, `unique` only with
// a first candidate.
#include <dgw/dialogue/concern.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/dialogue/resolver.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string_view>

namespace {

const dgw::dialogue::dialogue_config& config() {
    static const dgw::dialogue::dialogue_config c = [] {
        std::ifstream in(DGW_SOURCE_DIR "/config/dialogue.json");
        std::vector<dgw::core::problem> problems;
        auto loaded = dgw::dialogue::load(nlohmann::json::parse(in), problems);
        if (!problems.empty()) std::abort();
        return loaded;
    }();
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const dgw::dialogue::locality_resolver resolver(config());
    static const dgw::dialogue::urgent_detector urgent(config().urgent);
    std::string_view text(reinterpret_cast<const char*>(data), size);
    if (text.size() > 512) text = text.substr(0, 512);  // citizens' messages are short

    const auto r = resolver.resolve(text);
    if (r.candidates.size() > dgw::dialogue::locality_resolver::max_candidates) std::abort();
    if (r.unique && r.candidates.empty()) std::abort();
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
        const double c = r.candidates[i].confidence;
        if (!(c >= 0.0 && c <= 1.0)) std::abort();
        if (i > 0 && c > r.candidates[i - 1].confidence) std::abort();
    }
    (void)dgw::dialogue::parse_reference(text, "LC");
    (void)urgent.find(text);
    (void)dgw::dialogue::parse_date_time(text, std::chrono::minutes{420});
    return 0;
}
