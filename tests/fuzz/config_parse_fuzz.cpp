// Any bytes as config/gateway.json: parsing reports problems, it never throws or crashes, and
// every problem names a path.
#include <dgw/config/gateway_config.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto env = [](const std::string& name) -> std::optional<std::string> {
        if (name == "SET") return std::string("value");
        return std::nullopt;
    };
    auto r = dgw::config::parse_gateway_config(text, env);
    for (const auto& p : r.problems) {
        if (p.message.empty()) std::abort();
    }
    return 0;
}
