// Any bytes as a WhatsApp Cloud webhook body (correctly signed): no crash; an accepted body yields
// events with NFC text and usable keys, a refused one yields none. The same bytes also go
// through the GET handshake as a query, classify() as a send answer (the token never leaks)
// and render() as a reply text with choices.
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/whatsapp.hpp>
#include <dgw/core/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* secret = "fuzz-app-secret";

const dgw::channels::whatsapp_adapter& adapter() {
    static const dgw::channels::whatsapp_adapter a(
        {secret, "fuzz-verify", "fuzz-access-token", "106540352242922", "http://127.0.0.1:1"});
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.headers["x-hub-signature-256"] =
        "sha256=" + channels::to_hex(channels::hmac_sha256(secret, body));
    req.body = body;
    auto r = adapter().parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        for (const auto& ev : r.events) {
            if (ev.dedup_key.empty() || ev.user_id.empty()) std::abort();
            if (ev.text != core::nfc(ev.text)) std::abort();
            (void)adapter().acknowledge(ev);
        }
    } else if (!r.events.empty()) {
        std::abort();
    }
    channels::webhook_request get;
    get.method = "GET";
    get.query = body;
    auto g = adapter().parse(get);
    if (g.outcome == channels::parse_result::verdict::accept &&
        g.response_content_type != "text/plain")
        std::abort();
    auto v = adapter().classify(400, body);
    if (v.reason.find("fuzz-access-token") != std::string::npos) std::abort();
    core::outbound_message m{body, {{body, body}, {"b", "B"}}, core::input_hint::choice};
    // Two choices: quick replies on Messenger, reply buttons on WhatsApp.
    for (const auto& s : adapter().render("84912345678", m)) {
        if (s.body.empty()) std::abort();
    }
    return 0;
}
