#pragma once
/// The seam between the flow engine (which asks a citizen for their commune) and the dialogue
/// module (which knows the communes and their former names). Neither depends on the other:
/// both depend on this interface, and `app` passes the dialogue resolver to the engine.

#include <string>
#include <string_view>
#include <vector>

namespace dgw::core {

/// One commune or ward a citizen's words may mean.
struct locality_candidate {
    std::string code;     ///< official 5-digit code, e.g. "02683"
    std::string name;     ///< name with diacritics, e.g. "Xã Bát Xát"
    double confidence{};  ///< 0..1
    std::string why;      ///< e.g. "former commune Phong Niên (huyện Bảo Thắng)"
    /// The former unit the citizen named, when it was one ("Xã Phong Niên"): the reply
    /// confirms it as "Xã Phong Niên, now part of Xã Xuân Quang".
    std::string former;
    /// The configured name the words matched, with its prefix: the unit's, a former commune's
    /// or a former district's ("Huyện Bảo Thắng").
    std::string matched;
};

/// Free text -> candidates. Implementations are pure and thread-safe.
class locality_lookup {
public:
    virtual ~locality_lookup() = default;
    /// Best first. `unique` is true when the first candidate is confident enough to take
    /// without asking; otherwise the caller offers the (short) list as buttons.
    struct result {
        std::vector<locality_candidate> candidates;
        bool unique = false;
    };
    virtual result resolve(std::string_view text) const = 0;
    /// The candidate for an exact official code (a button press), or nothing.
    virtual std::vector<locality_candidate> by_code(std::string_view code) const = 0;
};

}  // namespace dgw::core
