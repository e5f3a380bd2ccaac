#include "dgw/domain/contacts.hpp"

#include <dgw/core/message.hpp>

#include <chrono>

namespace dgw::domain {

store::outbox_message notice_message(const store::contact& ct, const core::notice& n,
                                     std::string text, store::time_point now) {
    store::outbox_message m;
    m.channel = ct.channel;
    m.user_id = ct.user_id;
    m.contact_id = ct.id;
    m.kind = "notice";
    m.payload = core::outbound_message{std::move(text), {}, {}};
    m.payload["notice"] = n;
    m.notice_id = n.id;
    m.session_id = n.session_id;
    m.next_attempt_at = m.created_at = now;
    return m;
}

std::string notice_id(std::string_view action, std::string_view key, store::time_point now) {
    namespace chr = std::chrono;
    return std::string(action) + ":" + std::string(key) + ":" +
           std::to_string(chr::duration_cast<chr::milliseconds>(now.time_since_epoch()).count());
}

std::string notice_link(std::string_view pattern, std::string_view ref) {
    std::string out(pattern);
    if (auto at = out.find("{ref}"); at != std::string::npos) out.replace(at, 5, ref);
    return out;
}

}  // namespace dgw::domain
