#pragma once
// Concerns that come in by another way than the chat, filed by the chat's rules: officials'
// registrations (intake.cpp) and client systems' Open311 requests (open311_routes.cpp) share
// the checks of one concern and its filing.

#include "api/service.hpp"

#include <dgw/dialogue/concern.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace dgw::api {

/// What is given for one concern: by an official's form, a row of a spreadsheet, or a client
/// system's request.
struct intake_fields {
    std::string source, topic, commune_code, text, name, phone;
    bool consent = false;
};

/// The concern to file from `f` (its source not checked), or why not: an unknown topic or
/// commune, no text or too much, a name too long, a phone that is no phone, a name or phone
/// without the citizen's consent.
std::variant<store::concern, api_error> intake_concern(const dialogue::dialogue_config& cfg,
                                                       const dialogue::urgent_detector& urgent,
                                                       const intake_fields& f);

/// Files checked concerns in one transaction: each routed by the chat's rules — or, raised in
/// the room, put on the session `held` and marked raised — with a fresh reference, its
/// citizen's contact (their phone on the SMS channel `sms` when there is one, else nobody to
/// write to) and, by SMS, the receipt; each audited as `who`'s. Returns whether each was
/// texted. On the database thread.
std::vector<bool> file_registered(store::store& s, const dialogue::dialogue_config& cfg,
                                  std::vector<store::concern>& concerns, const std::string& sms,
                                  const std::string& public_url, const principal& who,
                                  store::time_point now,
                                  const std::optional<dialogue::session>& held = std::nullopt,
                                  const std::optional<store::media_file>& scan = std::nullopt);

}  // namespace dgw::api
