#pragma once
// Progress reporting and cooperative cancellation for long core work (plain C++).

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>

namespace phototune {

// Shared between the thread that runs a job and whoever may stop it. Copies share one flag.
class CancelToken {
public:
    CancelToken() : m_flag(std::make_shared<std::atomic<bool>>(false)) {}
    void request_cancel() const noexcept { m_flag->store(true, std::memory_order_relaxed); }
    bool cancel_requested() const noexcept { return m_flag->load(std::memory_order_relaxed); }
    void reset() const noexcept { m_flag->store(false, std::memory_order_relaxed); }

private:
    std::shared_ptr<std::atomic<bool>> m_flag;
};

// Called with (done, total) after each unit of work; may be empty.
using ProgressCallback = std::function<void(std::size_t done, std::size_t total)>;

} // namespace phototune
