#include "dgw/domain/contacts.hpp"

#include <dgw/core/message.hpp>

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

}  // namespace dgw::domain
