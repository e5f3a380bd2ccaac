#pragma once
/// The dialogue module's expected failures, as values (STYLE.md §4; no Boost in dialogue).

#include <string>
#include <utility>
#include <variant>

namespace dgw::dialogue {

enum class errc {
    unknown_commune = 1,
    unknown_topic,
    unknown_audience,
    unknown_level,
    bad_reference,
    references_exhausted,
};

struct error {
    errc code{};
    std::string message;
};

/// A value or an error. Accessing the wrong alternative is a broken invariant and throws
/// std::bad_variant_access.
template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
    result(dialogue::error e) : v_(std::move(e)) {}  // NOLINT
    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    const dialogue::error& error() const { return std::get<1>(v_); }
    const T* operator->() const { return &value(); }
    const T& operator*() const& { return value(); }

private:
    std::variant<T, dialogue::error> v_;
};

}  // namespace dgw::dialogue
