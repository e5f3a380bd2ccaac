// Any bytes as config/dialogue.json: loading reports problems with their paths, it never
// throws or crashes (a number nlohmann cannot hold, 1e999, used to escape as out_of_range),
// and a document that loads gives a usable schedule.
#include <cstdint>
#include <cstdlib>
#include <dgw/dialogue/config.hpp>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<dgw::core::problem> problems;
    const auto cfg = dgw::dialogue::load_text(text, problems);
    for (const auto& p : problems)
        if (p.message.empty()) std::abort();
    if (problems.empty()) {
        for (const auto& u : cfg.units)
            if (cfg.find_unit(u.code) == nullptr) std::abort();
    }
    return 0;
}
