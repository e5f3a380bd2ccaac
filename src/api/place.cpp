#include "dgw/api/place.hpp"

namespace dgw::api {

concern_place place_of(const dialogue::dialogue_config& cfg, const store::concern& c) {
    concern_place place;
    place.commune = c.commune_code;
    if (const auto* u = cfg.find_unit(c.commune_code)) place.parent = u->parent;
    // Generated session ids start with their level ("commune-02683-2026-12").
    for (const auto& lv : cfg.levels)
        if (c.session_id.starts_with(lv.id + "-")) place.level = lv.id;
    return place;
}

principal principal_of(const store::user& u) {
    principal p;
    p.user_id = u.id;
    p.name = u.name;
    p.role = parse_role(u.role).value_or(role::viewer);
    p.scope = u.scope;
    return p;
}

bool may_see(const dialogue::dialogue_config& cfg, const store::user& u, const store::concern& c) {
    return in_scope(principal_of(u), place_of(cfg, c));
}

}  // namespace dgw::api
