// Any bytes as a Viber callback body, signed correctly: no crash, and an accepted callback
// yields exactly one event or one ignored item, with NFC text and a usable dedup key. A wrong
// signature is never accepted. The same bytes also go through classify() as a send answer and
// render() as a reply text, whose requests stay within Viber's 30 KB.
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/viber.hpp>
#include <dgw/core/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* token = "fuzz-viber-token";

const dgw::channels::viber_adapter& adapter() {
    static const dgw::channels::viber_adapter a({token, "Fuzz", "http://127.0.0.1:1"});
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.body = body;
    req.headers["x-viber-content-signature"] =
        channels::to_hex(channels::hmac_sha256(token, body));
    auto r = adapter().parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        if (r.events.size() + r.ignored != 1) std::abort();
        for (const auto& ev : r.events) {
            if (ev.dedup_key.empty() || ev.user_id.empty()) std::abort();
            if (ev.text != core::nfc(ev.text)) std::abort();
            if (adapter().acknowledge(ev)) std::abort();
        }
    } else if (!r.events.empty()) {
        std::abort();
    }
    req.headers["x-viber-content-signature"] = "00";
    if (adapter().parse(req).outcome == channels::parse_result::verdict::accept) std::abort();

    auto v = adapter().classify(200, body);
    if (v.reason.find(token) != std::string::npos) std::abort();
    for (const auto& s : adapter().render("u", {body, {{"a", "A"}}, core::input_hint::none})) {
        if (s.body.empty() || s.body.size() > channels::viber_adapter::max_request_bytes)
            std::abort();
    }
    return 0;
}
