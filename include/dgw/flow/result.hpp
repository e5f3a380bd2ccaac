#pragma once
/// A small value-or-error type for expected failures in the flow module (it may not use Boost,
/// and std::expected is C++23).

#include <string>
#include <utility>
#include <variant>

namespace dgw::flow {

/// Why an operation did not produce a value, in words an admin or a log reader can act on.
struct error {
    std::string message;
};

template <class T>
class result {
public:
    result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
    result(error e) : v_(std::move(e)) {}      // NOLINT: implicit by design

    bool has_value() const noexcept { return v_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// Precondition: has_value().
    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// Precondition: !has_value().
    const error& err() const { return std::get<1>(v_); }

private:
    std::variant<T, error> v_;
};

}  // namespace dgw::flow
