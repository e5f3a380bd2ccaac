#pragma once
// Enums to their wire names and back, through a table of (value, name) pairs: the one way the
// core's enums cross into JSON and text (private to the core module).

#include <array>
#include <cstddef>
#include <string_view>
#include <utility>

namespace dgw::core::detail {

template <class E, std::size_t N>
using name_table = std::array<std::pair<E, const char*>, N>;

/// The name of `v`, or "?" for a value the table lacks.
template <class E, std::size_t N>
const char* name_of(const name_table<E, N>& names, E v) noexcept {
    for (const auto& [e, n] : names)
        if (e == v) return n;
    return "?";
}

/// Sets `out` to the value named `s`; false (and `out` unchanged) for an unknown name.
template <class E, std::size_t N>
bool parse_name(const name_table<E, N>& names, std::string_view s, E& out) noexcept {
    for (const auto& [e, n] : names) {
        if (s == n) {
            out = e;
            return true;
        }
    }
    return false;
}

}  // namespace dgw::core::detail
