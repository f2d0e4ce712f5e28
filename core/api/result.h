#pragma once
// Result<T>: a value or a Failure. The facade never throws; it returns these.

#include "core/api/error.h"

#include <utility>
#include <variant>

namespace phototune {

template <typename T>
class Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Failure failure) : m_state(std::move(failure)) {}

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(m_state); }
    const T& value() const& { return std::get<0>(m_state); }
    T&& value() && { return std::get<0>(std::move(m_state)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Failure& failure() const { return std::get<1>(m_state); }

private:
    std::variant<T, Failure> m_state;
};

// Result<void>: success or a Failure.
template <>
class Result<void> {
public:
    Result() = default;
    Result(Failure failure) : m_failure(std::move(failure)), m_ok(false) {}

    bool ok() const noexcept { return m_ok; }
    explicit operator bool() const noexcept { return m_ok; }
    const Failure& failure() const { return m_failure; }

private:
    Failure m_failure;
    bool m_ok = true;
};

} // namespace phototune
