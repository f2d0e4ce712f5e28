#include "core/api/diagnostics.h"

#include "core/api/crash_report.h"
#include "core/api/detail/facade_guard.h"
#include "core/api/hardware.h"
#include "core/api/system_info.h"
#include "core/util/files.h"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <system_error>
#include <vector>

namespace phototune {
namespace {

using detail::guarded;

// A metrics log of a very long run can be large; beyond this a file is listed, not packed.
constexpr std::uintmax_t kMaxFileBytes = 64ull << 20;

struct Entry {
    std::string name; // inside the zip, UTF-8, '/'-separated
    std::string data;
};

// The zip is built in memory and then written with write_file_atomic, so that a reader never
// sees half of one.
class ZipBuilder {
public:
    ZipBuilder() : m_archive(archive_write_new())
    {
        if (!m_archive || archive_write_set_format_zip(m_archive) != ARCHIVE_OK ||
            archive_write_set_bytes_in_last_block(m_archive, 1) != ARCHIVE_OK || // no padding after the zip
            archive_write_open(m_archive, &m_bytes, nullptr, &ZipBuilder::append, nullptr) != ARCHIVE_OK)
            fail("cannot start the zip");
    }
    ~ZipBuilder()
    {
        if (m_archive) archive_write_free(m_archive);
    }
    ZipBuilder(const ZipBuilder&) = delete;
    ZipBuilder& operator=(const ZipBuilder&) = delete;

    void add(const Entry& file, std::time_t mtime)
    {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname_utf8(entry.get(), file.name.c_str());
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(file.data.size()));
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_mtime(entry.get(), mtime, 0);
        if (archive_write_header(m_archive, entry.get()) != ARCHIVE_OK) fail("cannot add " + file.name + " to the zip");
        if (!file.data.empty() &&
            archive_write_data(m_archive, file.data.data(), file.data.size()) != static_cast<la_ssize_t>(file.data.size()))
            fail("cannot add " + file.name + " to the zip");
    }

    std::vector<std::uint8_t> finish()
    {
        if (archive_write_close(m_archive) != ARCHIVE_OK) fail("cannot finish the zip");
        return std::move(m_bytes);
    }

private:
    static la_ssize_t append(archive* zip, void* client, const void* buffer, size_t size)
    {
        try {
            auto* bytes = static_cast<std::vector<std::uint8_t>*>(client);
            const auto* begin = static_cast<const std::uint8_t*>(buffer);
            bytes->insert(bytes->end(), begin, begin + size);
            return static_cast<la_ssize_t>(size);
        } catch (const std::bad_alloc&) {
            archive_set_error(zip, ENOMEM, "out of memory");
            return -1;
        }
    }

    [[noreturn]] void fail(const std::string& what)
    {
        const char* detail = m_archive ? archive_error_string(m_archive) : nullptr;
        throw Error(ErrorCategory::Internal, what + (detail ? std::string(": ") + detail : std::string()));
    }

    archive* m_archive;
    std::vector<std::uint8_t> m_bytes;
};

// The only files of a run folder that may leave the machine: configuration and logs, never
// photos, checkpoints or adapters (which live in sub-folders, never scanned, or are not listed here).
bool allowed_in_run(const std::filesystem::path& file)
{
    const auto name = file.filename();
    return name == "run.json" || name == "metrics.jsonl" || file.extension() == ".log";
}

bool is_run_folder(const std::filesystem::path& dir)
{
    std::error_code ec;
    return std::filesystem::is_regular_file(dir / "run.json", ec);
}

// runs_dir itself when it is a run, else its sub-folders that are.
std::vector<std::filesystem::path> run_folders(const std::filesystem::path& runs_dir)
{
    std::error_code ec;
    PHOTOTUNE_CHECK(std::filesystem::is_directory(runs_dir, ec), ErrorCategory::NotFound,
                    "'" + path_for_display(runs_dir) + "' is not a folder; give a run folder or the folder that holds the runs");
    if (is_run_folder(runs_dir)) return {runs_dir};
    std::vector<std::filesystem::path> runs;
    for (const auto& entry : std::filesystem::directory_iterator(runs_dir))
        if (entry.is_directory() && is_run_folder(entry.path())) runs.push_back(entry.path());
    std::sort(runs.begin(), runs.end());
    return runs;
}

// Adds `file` as `name` unless it is a link or too large; says why in `left_out` when it is not.
void pack_file(const std::filesystem::path& file, const std::string& name, std::vector<Entry>& entries,
               std::vector<std::string>& left_out)
{
    // A link named run.json could point at a photo: only plain files count.
    if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(file))) {
        left_out.push_back(name + ": a link or not a plain file");
        return;
    }
    if (std::filesystem::file_size(file) > kMaxFileBytes) {
        left_out.push_back(name + ": larger than " + format_bytes(kMaxFileBytes));
        return;
    }
    entries.push_back({name, read_text_file(file)});
}

void pack_run(const std::filesystem::path& run, std::vector<Entry>& entries, std::vector<std::string>& left_out)
{
    const std::string prefix = "runs/" + path_for_display(run.filename()) + "/";
    int refused = 0;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(run)) {
        if (allowed_in_run(entry.path()) && !entry.is_directory()) files.push_back(entry.path());
        else ++refused;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) pack_file(file, prefix + path_for_display(file.filename()), entries, left_out);
    // Counted, not named: a photo's file name can be private too.
    if (refused > 0)
        left_out.push_back(prefix + ": " + std::to_string(refused) +
                           " files and folders not on the allow-list (photos, checkpoints, adapters, ...)");
}

std::string utc_time_text(std::time_t time)
{
    std::tm utc{};
#ifdef _WIN32
    gmtime_s(&utc, &time);
#else
    gmtime_r(&time, &utc);
#endif
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &utc);
    return text;
}

std::string manifest_text(const std::vector<Entry>& entries, const std::vector<std::string>& left_out,
                          std::time_t written)
{
    std::string text = "PhotoTune Studio diagnostics, written " + utc_time_text(written) +
                       "\n\nPhotos are never included, nor model weights, checkpoints or adapters: of each run folder "
                       "only run.json, metrics.jsonl and *.log files are packed. run.json names the folders the "
                       "photos were read from and the training settings.\n\nContents:\n  manifest.txt  this list\n";
    for (const auto& entry : entries) text += "  " + entry.name + "  (" + format_bytes(entry.data.size()) + ")\n";
    if (!left_out.empty()) {
        text += "\nLeft out:\n";
        for (const auto& line : left_out) text += "  " + line + "\n";
    }
    return text;
}

} // namespace

Result<std::filesystem::path> write_diagnostics(const DiagnosticsRequest& request) noexcept
{
    return guarded([&] {
        PHOTOTUNE_CHECK(!request.output.empty(), ErrorCategory::InvalidInput, "no output file given for the diagnostics zip");
        std::vector<Entry> entries;
        std::vector<std::string> left_out;

        entries.push_back({"versions.txt", version_report() + "\n"});
        if (const auto probe = probe_hardware())
            entries.push_back({"hardware.json", to_json(*probe) + "\n"});
        else
            entries.push_back({"hardware.txt", "the hardware probe failed: " + probe.failure().message + "\n"});

        if (!request.runs_dir.empty()) {
            const auto runs = run_folders(request.runs_dir);
            if (runs.empty())
                left_out.push_back("runs: no run folder (one holding run.json) in " + path_for_display(request.runs_dir));
            for (const auto& run : runs) pack_run(run, entries, left_out);
        }

        const auto reports = recent_crash_reports(static_cast<std::size_t>(std::max(0, request.max_crash_reports)));
        for (const auto& report : reports)
            pack_file(report, "crash-reports/" + path_for_display(report.filename()), entries, left_out);

        const std::time_t now = std::time(nullptr);
        ZipBuilder zip;
        zip.add({"manifest.txt", manifest_text(entries, left_out, now)}, now);
        for (const auto& entry : entries) zip.add(entry, now);
        const auto bytes = zip.finish();
        const std::span<const std::uint8_t> piece(bytes);
        write_file_atomic(request.output, std::span<const std::span<const std::uint8_t>>(&piece, 1));
        return request.output;
    });
}

} // namespace phototune
