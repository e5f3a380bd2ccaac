// Any bytes as a Zalo webhook body, signed correctly (the harness computes the mac= over the
// body's own timestamp): no crash, and an accepted event yields exactly one event or one
// ignored item, with NFC text and a usable dedup key. A wrong signature is never accepted.
// The same bytes also go through classify() as a send answer and render() as a reply text.
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/zalo.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* app_id = "3146720958842301157";
constexpr const char* oa_secret = "fuzz-oa-secret";
constexpr const char* token = "fuzz-access-token";

const dgw::channels::zalo_adapter& adapter() {
    static const dgw::channels::zalo_adapter a(
        {app_id, oa_secret, "fuzz-app-secret", token, "http://127.0.0.1:1"});
    return a;
}

// The timestamp text the adapter signs with, or "" when the body has none usable.
std::string timestamp_of(const std::string& body) {
    const auto j = nlohmann::json::parse(body, nullptr, false);
    if (!j.is_object()) return "";
    auto it = j.find("timestamp");
    if (it == j.end()) return "";
    if (it->is_string()) return it->get<std::string>();
    if (it->is_number_integer()) return it->dump();
    return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.body = body;
    const std::string signed_bytes = app_id + body + timestamp_of(body) + oa_secret;
    req.headers["x-zevent-signature"] = "mac=" + channels::to_hex(channels::sha256(signed_bytes));
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
    req.headers["x-zevent-signature"] = "mac=0123";
    if (adapter().parse(req).outcome == channels::parse_result::verdict::accept) std::abort();

    auto v = adapter().classify(200, body);
    if (v.reason.find(token) != std::string::npos) std::abort();
    for (const auto& s : adapter().render("42", {body, {{"a", body}}, core::input_hint::none})) {
        if (s.body.empty()) std::abort();
    }
    return 0;
}
