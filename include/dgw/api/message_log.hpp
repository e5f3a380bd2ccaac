#pragma once
/// The message log (`GET /api/v1/messages`, `dialogue-gateway messages`): inbound events and
/// outbound messages as JSON objects, newest first. A synchronous store read: on the database
/// thread in the server, directly in the CLI.

#include <dgw/store/store.hpp>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>

namespace dgw::api {

/// Up to `limit` lines for one contact (or everyone), inbound and outbound merged by time:
/// {"direction": "in"|"out", "id", "channel", "user_id", "kind", "text", "at", and for
/// outbound "contact_id", "status", "attempts", "error"?, "in_doubt"?}.
nlohmann::json message_log(store::store& db, std::optional<std::int64_t> contact,
                           std::size_t limit);

}  // namespace dgw::api
