#pragma once
/// Where a concern belongs and who a stored account is, for the scope rule of access.hpp — one
/// place for the API's handlers and for the worker that reminds an office of its work.

#include <dgw/api/access.hpp>
#include <dgw/dialogue/config.hpp>
#include <dgw/store/store.hpp>

namespace dgw::api {

/// Its commune, the commune's parent unit, and the level of the session it is filed to.
concern_place place_of(const dialogue::dialogue_config& cfg, const store::concern& c);

/// The account as a caller of the API (role and scope; no session).
principal principal_of(const store::user& u);

/// True when the account may see and act on the concern (in_scope).
bool may_see(const dialogue::dialogue_config& cfg, const store::user& u, const store::concern& c);

}  // namespace dgw::api
