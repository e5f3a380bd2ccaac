#pragma once
// What the store announces to the other gateways on a shared database (change_listener in
// postgres_store.hpp): the LISTEN/NOTIFY channel and the words it says. Private to the store.

namespace dgw::store::changes {

inline constexpr const char* channel = "dgw_changes";
inline constexpr const char* flows = "flows";  ///< a flow version was published

}  // namespace dgw::store::changes
