#pragma once
/// Checking a concern's status (DESIGN.md, the `domain` module): what a citizen who gives a
/// reference in the chat is told. Status and session only: no personal data is read back to
/// whoever knows a reference.

#include <dgw/core/concern_status.hpp>
#include <dgw/store/records.hpp>

#include <string>
#include <string_view>

namespace dgw::domain {

/// A status in the citizen's words, in `lang` ("vi", else English): "đã xếp vào buổi đối thoại".
std::string status_words(core::concern_status s, std::string_view lang);

/// The status line of concern `k`: its status in words and, when it has one, its session
/// ("đã xếp vào buổi đối thoại — Đối thoại với Nhân dân xã Bát Xát, tháng 12/2026").
std::string status_line(const store::concern& k, std::string_view lang);

}  // namespace dgw::domain
