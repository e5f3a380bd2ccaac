// Any bytes as a Twilio webhook form (correctly signed when it decodes): no crash; an accepted
// form yields exactly one event or one ignored item, with NFC text, a sender and a dedup key.
// The same bytes also go through classify(), segments() and render() as a reply text, whose
// form bodies must decode again.
#include <dgw/channels/twilio.hpp>
#include <dgw/core/text.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* token = "fuzz-token";
constexpr const char* url = "https://example.test/twilio?x=1";

const dgw::channels::twilio_adapter& adapter() {
    static const dgw::channels::twilio_adapter a(
        {"ACfuzz", token, "+84287101234", url, "http://127.0.0.1:1"});
    return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    using channels::twilio_adapter;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.body = body;
    std::vector<std::pair<std::string, std::string>> fields;
    const bool decodes = twilio_adapter::parse_form(body, fields);
    req.headers["x-twilio-signature"] =
        decodes ? twilio_adapter::signature(token, url, fields) : "bm90LWEtZm9ybQ==";
    auto r = adapter().parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        if (!decodes || r.events.size() + r.ignored != 1) std::abort();
        for (const auto& ev : r.events) {
            if (ev.dedup_key.empty() || ev.user_id.empty()) std::abort();
            if (ev.text != core::nfc(ev.text)) std::abort();
        }
    } else if (!r.events.empty()) {
        std::abort();
    }
    auto v = adapter().classify(400, body);
    if (v.reason.find(token) != std::string::npos) std::abort();
    if (!body.empty() && twilio_adapter::segments(body) == 0) std::abort();
    for (const auto& s : adapter().render("+84912345678", {body, {{"a", body}}, {}})) {
        if (!twilio_adapter::parse_form(s.body, fields) || fields.size() != 3) std::abort();
    }
    return 0;
}
