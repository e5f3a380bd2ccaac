// Any bytes as a LINE webhook body (correctly signed): no crash; an accepted body yields events
// with a dedup key, a user and NFC text; rendering an answer to each of them (reply or push)
// never puts more than 5 messages in a request. The same bytes also go through classify() as
// a send answer and render() as a reply text.
#include <dgw/channels/crypto.hpp>
#include <dgw/channels/line.hpp>
#include <dgw/core/text.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

constexpr const char* secret = "fuzz-secret";

const dgw::channels::line_adapter& adapter() {
    static const dgw::channels::line_adapter a(
        {secret, "fuzz-token", "http://127.0.0.1:1", std::chrono::seconds(50)});
    return a;
}

void check_requests(const std::vector<dgw::channels::send_request>& reqs) {
    for (const auto& s : reqs) {
        const auto b = nlohmann::json::parse(s.body, nullptr, false);
        if (b.is_discarded() || !b.contains("messages")) std::abort();
        if (b["messages"].size() > dgw::channels::line_adapter::max_messages_per_request)
            std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    std::string body(reinterpret_cast<const char*>(data), size);
    channels::webhook_request req;
    req.method = "POST";
    req.headers["x-line-signature"] = channels::to_base64(channels::hmac_sha256(secret, body));
    req.body = body;
    auto r = adapter().parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        for (const auto& ev : r.events) {
            if (ev.dedup_key.empty() || ev.user_id.empty()) std::abort();
            if (ev.text != core::nfc(ev.text)) std::abort();
            channels::render_context ctx;
            ctx.reply_context = ev.reply_context;
            ctx.inbound_at = ctx.now;
            check_requests(adapter().render(ev.user_id, {"ok", {}, core::input_hint::none}, ctx));
        }
    } else if (!r.events.empty()) {
        std::abort();
    }
    auto v = adapter().classify(400, body);
    if (v.reason.find("fuzz-token") != std::string::npos) std::abort();
    core::outbound_message m{body, {{body, body}}, core::input_hint::location};
    check_requests(adapter().render("U1", m));
    return 0;
}
