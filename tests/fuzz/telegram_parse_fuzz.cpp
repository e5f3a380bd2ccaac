// Any bytes as a Telegram webhook body (with the right secret): no crash, and an accepted
// Update yields exactly one event or one ignored item, with NFC text and a usable dedup key.
// The same bytes also go through classify() as a send answer and render() as a reply text.
#include <dgw/channels/common.hpp>
#include <dgw/channels/telegram.hpp>
#include <dgw/core/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

const dgw::channels::telegram_adapter& adapter() {
    static const dgw::channels::telegram_adapter a(
        {"123:fuzz-token", "fuzz-secret", "http://127.0.0.1:1"});
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.headers["x-telegram-bot-api-secret-token"] = "fuzz-secret";
    req.body = body;
    auto r = adapter().parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        if (r.events.size() + r.ignored != 1) std::abort();
        for (const auto& ev : r.events) {
            if (ev.dedup_key.empty() || ev.user_id.empty()) std::abort();
            if (ev.text != core::nfc(ev.text)) std::abort();
            (void)adapter().acknowledge(ev);
        }
    } else if (!r.events.empty()) {
        std::abort();
    }
    auto v = adapter().classify(429, body);
    if (v.reason.find("fuzz-token") != std::string::npos) std::abort();
    for (const auto& s : adapter().render("42", {body, {}, core::input_hint::none})) {
        if (s.body.empty()) std::abort();
    }
    return 0;
}
