// Any bytes through the Vietnamese text folding: no crash, valid UTF-8 out, and folding is
// idempotent (folding a folded string changes nothing).
#include <dgw/core/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto folded = dgw::core::fold(text);
    if (!dgw::core::valid_utf8(folded)) std::abort();
    if (dgw::core::fold(folded) != folded) std::abort();
    if (!dgw::core::valid_utf8(dgw::core::nfc(text))) std::abort();
    (void)dgw::core::edit_distance(text.substr(0, 64), folded.substr(0, 64));
    return 0;
}
