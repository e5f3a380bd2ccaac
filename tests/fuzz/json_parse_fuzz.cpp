// Any bytes through the one JSON entry point every parser of outside text shares
// (core::parse_json) and the strict reader of trusted documents (core::json_reader): neither
// ever throws, a failure always says what and where, and what parses dumps to text that parses
// to the same document. Every value is also read as each type the readers ask for.
#include <cstdint>
#include <cstdlib>
#include <dgw/core/json_reader.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace {

void read_every_way(const nlohmann::json& doc, int depth) {
    if (depth > 8 || !doc.is_object()) return;
    std::vector<dgw::core::problem> problems;
    dgw::core::json_reader r(doc, "", problems);
    for (const auto& [key, value] : doc.items()) {
        unsigned u = 0;
        int i = 0;
        std::size_t z = 0;
        double d = 0;
        bool b = false;
        std::string s;
        std::vector<std::string> list;
        r.optional(key, u);
        r.optional(key, i);
        r.optional(key, z);
        r.optional(key, d);
        r.optional(key, b);
        r.optional(key, s);
        r.optional(key, list);
        read_every_way(value, depth + 1);
        (void)r.child(key).ok();
    }
    r.finish();
    for (const auto& p : problems)
        if (p.message.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    dgw::core::problem error;
    const auto doc = dgw::core::parse_json(text, &error);
    if (!doc) {
        if (error.message.empty()) std::abort();
        return 0;
    }
    const auto again = dgw::core::parse_json(doc->dump());
    if (!again || *again != *doc) std::abort();
    read_every_way(*doc, 0);
    return 0;
}
