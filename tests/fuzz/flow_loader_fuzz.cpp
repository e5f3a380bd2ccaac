// libFuzzer target for the flow loader: any bytes must give either a definition or problems,
// never a crash, a hang or undefined behaviour. A flow that does load is then started and
// stepped with a few events, so the engine is fuzzed on every graph the validator accepts.

#include "dgw/flow/engine.hpp"
#include "dgw/flow/loader.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto loaded = dgw::flow::load_text(text);
    if (!loaded.flow) return 0;
    const dgw::flow::definition& def = *loaded.flow;
    const dgw::flow::time_point now{};
    auto state = dgw::flow::start(def, def.languages.front(), now).state;
    const dgw::flow::event events[] = {
        dgw::flow::text_event{"1"},
        dgw::flow::text_event{std::string(text.substr(0, 64))},
        dgw::flow::choice_event{"skip"},
        dgw::flow::submit_outcome{},
    };
    for (const auto& ev : events) {
        auto r = dgw::flow::step(def, state, ev, now);
        if (!r) break;
        state = r.value().state;
    }
    return 0;
}
