#include "dgw/api/message_log.hpp"

#include <dgw/core/time_text.hpp>

#include <algorithm>
#include <vector>

namespace dgw::api {

nlohmann::json message_log(store::store& db, std::optional<std::int64_t> contact,
                           std::size_t limit) {
    using nlohmann::json;
    struct line {
        store::time_point at;
        json j;
    };
    std::vector<line> lines;
    for (const auto& in : db.list_inbox(contact, limit)) {
        lines.push_back({in.received_at,
                         {{"direction", "in"},
                          {"id", in.id},
                          {"channel", in.channel},
                          {"user_id", in.event.user_id},
                          {"kind", core::to_string(in.event.kind)},
                          {"text", in.event.text.empty() ? in.event.choice_id : in.event.text},
                          {"at", core::utc_text(in.received_at)}}});
    }
    for (const auto& out : db.list_outbox({contact, limit})) {
        json j = {{"direction", "out"},
                  {"id", out.id},
                  {"channel", out.channel},
                  {"user_id", out.user_id},
                  {"contact_id", out.contact_id},
                  {"kind", out.kind},
                  // Held for the citizen's next message: not sent, and not in the way either.
                  {"status", out.held_at ? std::string("held") : out.status},
                  {"attempts", out.attempts},
                  {"at", core::utc_text(out.created_at)}};
        if (out.kind == "message" || out.kind == "notice")
            j["text"] = out.payload.value("text", "");
        else if (out.kind == "event")  // to another system: which event (user_id: of what)
            j["text"] = out.payload.value("type", "");
        if (!out.path.empty()) j["path"] = out.path;
        if (!out.last_error.empty()) j["error"] = out.last_error;
        if (out.in_doubt) j["in_doubt"] = true;
        lines.push_back({out.created_at, j});
    }
    // Stable: an inbound event and the replies it caused share a millisecond.
    std::stable_sort(lines.begin(), lines.end(),
                     [](const line& a, const line& b) { return a.at > b.at; });
    if (lines.size() > limit) lines.resize(limit);
    json items = json::array();
    for (auto& l : lines) items.push_back(std::move(l.j));
    return items;
}

}  // namespace dgw::api
