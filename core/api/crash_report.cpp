#include "core/api/crash_report.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/version.h"
#include "core/util/files.h"

#include <algorithm>
#include <csignal>
#include <cstring>
#include <ctime>
#include <iterator>
#include <system_error>
#include <vector>

#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <fcntl.h>
#include <io.h>
#include <process.h>
#include <sys/stat.h>
#else
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#endif
#if __has_include(<execinfo.h>)
#include <execinfo.h>
#define PHOTOTUNE_HAVE_BACKTRACE 1
#endif

namespace phototune {
namespace {

using detail::guarded;

#ifdef _WIN32
using NativeChar = wchar_t;
#else
using NativeChar = char;
#endif

constexpr char kActiveRunMarker[] = "active-run";
constexpr char kReportHeader[] = "PhotoTune Studio " PHOTOTUNE_VERSION " closed unexpectedly\n";

// What the handler needs, prepared before any crash: a handler must not allocate or lock.
constexpr std::size_t kPathCapacity = 4096;
struct CrashState {
    NativeChar report_prefix[kPathCapacity] = {};  // "<crash_reports_dir>/crash-"
    std::size_t report_prefix_length = 0;
    char active_run[kPathCapacity] = {};
    volatile std::sig_atomic_t active_run_length = 0; // 0 while active_run is being rewritten
};
CrashState g_state;

// Digits of value in base 10 or 16 into out; no allocation, so safe in a signal handler.
template <typename Char>
std::size_t format_number(unsigned long long value, unsigned base, Char* out) noexcept
{
    Char reversed[24];
    std::size_t count = 0;
    do {
        reversed[count++] = static_cast<Char>("0123456789abcdef"[value % base]);
        value /= base;
    } while (value != 0);
    for (std::size_t i = 0; i < count; ++i) out[i] = reversed[count - 1 - i];
    return count;
}

unsigned long long seconds_since_epoch() noexcept
{
#ifdef _WIN32
    return static_cast<unsigned long long>(std::time(nullptr));
#else
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now); // async-signal-safe, unlike time() on paper
    return static_cast<unsigned long long>(now.tv_sec);
#endif
}

unsigned long long process_id() noexcept
{
#ifdef _WIN32
    return static_cast<unsigned long long>(_getpid());
#else
    return static_cast<unsigned long long>(getpid());
#endif
}

// A report file written with the system's unbuffered calls only.
class ReportFile {
public:
    explicit ReportFile(const NativeChar* path) noexcept
#ifdef _WIN32
        : m_fd(_wopen(path, _O_WRONLY | _O_CREAT | _O_TRUNC | _O_BINARY, _S_IREAD | _S_IWRITE))
#else
        : m_fd(open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644))
#endif
    {
    }
    ~ReportFile()
    {
#ifdef _WIN32
        if (m_fd >= 0) _close(m_fd);
#else
        if (m_fd >= 0) close(m_fd);
#endif
    }
    ReportFile(const ReportFile&) = delete;
    ReportFile& operator=(const ReportFile&) = delete;

    bool ok() const noexcept { return m_fd >= 0; }
    int fd() const noexcept { return m_fd; }

    void text(const char* data, std::size_t size) noexcept
    {
        while (size > 0) {
#ifdef _WIN32
            const int written = _write(m_fd, data, static_cast<unsigned>(size));
#else
            const auto written = write(m_fd, data, size);
#endif
            if (written <= 0) return;
            data += written;
            size -= static_cast<std::size_t>(written);
        }
    }
    void text(const char* zero_terminated) noexcept { text(zero_terminated, std::strlen(zero_terminated)); }
    void number(unsigned long long value, unsigned base = 10) noexcept
    {
        char digits[24];
        if (base == 16) text("0x");
        text(digits, format_number(value, base, digits));
    }

private:
    int m_fd;
};

// Writes crash-<seconds>-<pid>.txt. Runs inside the signal handler: async-signal-safe calls only.
void write_report(const char* what, unsigned long long code, unsigned code_base) noexcept
{
    if (g_state.report_prefix_length == 0) return;
    NativeChar path[kPathCapacity + 64];
    std::size_t length = g_state.report_prefix_length;
    std::copy(g_state.report_prefix, g_state.report_prefix + length, path);
    const auto seconds = seconds_since_epoch();
    length += format_number(seconds, 10, path + length);
    path[length++] = '-';
    length += format_number(process_id(), 10, path + length);
    for (const char c : {'.', 't', 'x', 't', '\0'}) path[length++] = static_cast<NativeChar>(c);

    ReportFile report(path);
    if (!report.ok()) return;
    report.text(kReportHeader);
    report.text("signal: ");
    report.text(what);
    report.text(" (");
    report.number(code, code_base);
    report.text(")\ntime: ");
    report.number(seconds);
    report.text(" (seconds since 1970-01-01 UTC)\n");
    if (const auto run_length = g_state.active_run_length; run_length > 0) {
        report.text("interrupted run: ");
        report.text(g_state.active_run, static_cast<std::size_t>(run_length));
        report.text("\n");
    }
#ifdef PHOTOTUNE_HAVE_BACKTRACE
    report.text("backtrace:\n");
    void* frames[64];
    backtrace_symbols_fd(frames, backtrace(frames, static_cast<int>(std::size(frames))), report.fd());
#endif
}

#ifdef _WIN32

LONG WINAPI on_unhandled_exception(EXCEPTION_POINTERS* info)
{
    write_report("unhandled exception", info->ExceptionRecord->ExceptionCode, 16);
    return EXCEPTION_CONTINUE_SEARCH; // Windows Error Reporting still sees the crash
}

void on_abort(int signal_number)
{
    write_report("SIGABRT", static_cast<unsigned long long>(signal_number), 10);
}

void install_platform_handler()
{
    SetUnhandledExceptionFilter(on_unhandled_exception);
    std::signal(SIGABRT, on_abort); // abort() bypasses the exception filter
}

#else

constexpr int kFatalSignals[] = {SIGSEGV, SIGABRT, SIGFPE, SIGILL, SIGBUS};

const char* signal_name(int signal_number) noexcept
{
    switch (signal_number) {
    case SIGSEGV: return "SIGSEGV";
    case SIGABRT: return "SIGABRT";
    case SIGFPE: return "SIGFPE";
    case SIGILL: return "SIGILL";
    case SIGBUS: return "SIGBUS";
    default: return "signal";
    }
}

void on_fatal_signal(int signal_number)
{
    write_report(signal_name(signal_number), static_cast<unsigned long long>(signal_number), 10);
    // SA_RESETHAND restored the default action: the signal, delivered again once this returns,
    // ends the process as it would have without the handler.
    raise(signal_number);
}

void install_platform_handler()
{
    // A stack overflow is a SIGSEGV with no stack left to run the handler on.
    static char alternate_stack[64 * 1024];
    stack_t stack{};
    stack.ss_sp = alternate_stack;
    stack.ss_size = sizeof alternate_stack;
    sigaltstack(&stack, nullptr);
#ifdef PHOTOTUNE_HAVE_BACKTRACE
    // The first backtrace() loads libgcc, which allocates: do that now, not in the handler.
    void* frame = nullptr;
    backtrace(&frame, 1);
#endif
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    action.sa_flags = SA_RESETHAND | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : kFatalSignals) sigaction(signal_number, &action, nullptr);
}

#endif

bool is_report_name(const std::string& name)
{
    return name.starts_with("crash-") && name.ends_with(".txt");
}

bool is_seen_report_name(const std::string& name)
{
    return name.ends_with(".seen.txt");
}

std::vector<std::filesystem::path> all_reports_newest_first()
{
    std::vector<std::filesystem::path> reports;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(crash_reports_dir(), ec))
        if (entry.is_regular_file(ec) && is_report_name(entry.path().filename().string())) reports.push_back(entry.path());
    // Names start with the crash time in seconds, which has had ten digits since 2001.
    std::sort(reports.begin(), reports.end(), [](const auto& a, const auto& b) { return a.filename() > b.filename(); });
    return reports;
}

} // namespace

std::filesystem::path crash_reports_dir() noexcept
{
    try {
        return user_cache_dir() / "crash-reports";
    } catch (...) {
        return {};
    }
}

std::vector<std::filesystem::path> recent_crash_reports(std::size_t limit) noexcept
{
    try {
        auto reports = all_reports_newest_first();
        if (reports.size() > limit) reports.resize(limit);
        return reports;
    } catch (...) {
        return {};
    }
}

Result<void> install_crash_handler() noexcept
{
    return guarded([] {
        const auto dir = crash_reports_dir();
        std::filesystem::create_directories(dir);
        const auto prefix = (dir / "crash-").native();
        PHOTOTUNE_CHECK(prefix.size() < std::size(g_state.report_prefix), ErrorCategory::Unsupported,
                        "the crash report folder '" + path_for_display(dir) +
                            "' has too long a path; set PHOTOTUNE_CACHE_DIR to a shorter one");
        std::copy(prefix.begin(), prefix.end(), g_state.report_prefix);
        g_state.report_prefix_length = prefix.size();
        install_platform_handler();
    });
}

Result<void> set_active_run(const std::filesystem::path& run_dir) noexcept
{
    return guarded([&] {
        const auto text = path_for_display(std::filesystem::absolute(run_dir));
        const auto dir = crash_reports_dir();
        std::filesystem::create_directories(dir);
        write_file_atomic(dir / kActiveRunMarker, text);
        g_state.active_run_length = 0;
        const auto length = std::min(text.size(), std::size(g_state.active_run));
        std::copy_n(text.data(), length, g_state.active_run);
        g_state.active_run_length = static_cast<std::sig_atomic_t>(length);
    });
}

void clear_active_run() noexcept
{
    g_state.active_run_length = 0;
    std::error_code ec;
    std::filesystem::remove(crash_reports_dir() / kActiveRunMarker, ec);
}

std::optional<PendingCrash> pending_crash() noexcept
{
    try {
        PendingCrash pending;
        // dismiss_pending_crash marks every report seen, so an unseen one can only be the newest.
        const auto newest = recent_crash_reports(1);
        if (!newest.empty() && !is_seen_report_name(newest.front().filename().string())) {
            pending.report = newest.front();
            pending.report_text = read_text_file(pending.report);
        }
        const auto marker = crash_reports_dir() / kActiveRunMarker;
        std::error_code ec;
        if (std::filesystem::is_regular_file(marker, ec)) {
            const auto text = read_text_file(marker);
            pending.interrupted_run = std::filesystem::path(std::u8string(text.begin(), text.end()));
        }
        if (pending.report.empty() && pending.interrupted_run.empty()) return std::nullopt;
        return pending;
    } catch (...) {
        return std::nullopt;
    }
}

void dismiss_pending_crash() noexcept
{
    try {
        for (const auto& report : all_reports_newest_first()) {
            const auto name = report.filename().string();
            if (is_seen_report_name(name)) continue;
            std::error_code ec;
            std::filesystem::rename(report, report.parent_path() / (name.substr(0, name.size() - 4) + ".seen.txt"), ec);
        }
    } catch (...) {
    }
    clear_active_run();
}

} // namespace phototune
