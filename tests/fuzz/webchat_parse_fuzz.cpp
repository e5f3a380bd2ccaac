// Any bytes as a web chat post (with a valid session and content type): no crash; an accepted
// body yields exactly one event with a dedup key of the session's user, NFC text, a location
// in range and only media ids the gateway could have issued. The same bytes are also tried as
// a Cookie header (a session only when signed with the key) and as an upload's body (the photo
// sniffer).
#include <dgw/channels/webchat.hpp>
#include <dgw/core/text.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace dgw;
    static const std::string key = "fuzz-key-0123456789abcdef0123456789";
    static const channels::webchat_adapter adapter({8000, key});
    static const std::string session = "00112233445566778899aabbccddeeff";
    static const std::string user = channels::webchat_user_id(session);
    std::string body(reinterpret_cast<const char*>(data), size);

    channels::webhook_request req;
    req.method = "POST";
    req.headers["content-type"] = "application/json";
    req.headers["cookie"] = "dgw_chat=" + channels::webchat_cookie_value(session, key);
    req.body = body;
    auto r = adapter.parse(req);
    if (r.outcome == channels::parse_result::verdict::accept) {
        if (r.events.size() != 1) std::abort();
        const auto& ev = r.events[0];
        if (ev.user_id != user || ev.dedup_key.rfind(user + ":", 0) != 0) std::abort();
        if (ev.text != core::nfc(ev.text)) std::abort();
        if (!std::isfinite(ev.lat) || std::abs(ev.lat) > 90 || std::abs(ev.lon) > 180) std::abort();
        for (const auto& m : ev.media)
            if (!channels::valid_media_id(m)) std::abort();
    } else if (!r.events.empty()) {
        std::abort();
    }

    // As a Cookie header: only the gateway's own signature makes a session.
    if (auto s = channels::webchat_session(body, key); s && s->size() != 32) std::abort();
    if (channels::webchat_session(body, "")) std::abort();  // no key accepts nothing
    if (auto f = channels::sniff_image(body)) {
        if (!channels::valid_media_id(channels::media_id(body, *f))) std::abort();
    }
    return 0;
}
