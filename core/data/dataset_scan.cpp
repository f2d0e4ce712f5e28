#include "core/data/dataset_scan.h"

#include "core/data/dataset_text.h"
#include "core/data/image_decode.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>

namespace phototune {

namespace fs = std::filesystem;

const char* skip_reason_name(SkipReason reason) noexcept
{
    switch (reason) {
    case SkipReason::Empty: return "empty";
    case SkipReason::NotAnImage: return "not-an-image";
    case SkipReason::Damaged: return "damaged";
    case SkipReason::Unsupported: return "unsupported";
    case SkipReason::TooManyPixels: return "too-many-pixels";
    case SkipReason::FileTooLarge: return "file-too-large";
    case SkipReason::TooSmall: return "too-small";
    case SkipReason::Unreadable: return "unreadable";
    case SkipReason::BrokenLink: return "broken-link";
    }
    return "unknown";
}

std::optional<SkipReason> skip_reason_from_name(std::string_view name) noexcept
{
    for (const SkipReason reason : {SkipReason::Empty, SkipReason::NotAnImage, SkipReason::Damaged, SkipReason::Unsupported,
                                    SkipReason::TooManyPixels, SkipReason::FileTooLarge, SkipReason::TooSmall,
                                    SkipReason::Unreadable, SkipReason::BrokenLink})
        if (name == skip_reason_name(reason)) return reason;
    return std::nullopt;
}

namespace {

std::string utf8(const fs::path& path)
{
    return path_for_display(path);
}

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool is_ignored_file(const std::string& name)
{
    static const std::set<std::string> junk = {"thumbs.db", ".ds_store", "desktop.ini", ".directory", "ehthumbs.db"};
    static const std::set<std::string> sidecars = {".txt", ".caption", ".json", ".jsonl", ".csv", ".tsv",
                                                   ".toml", ".yaml", ".yml", ".npz", ".xmp", ".md"};
    const std::string lowered = lower(name);
    if (junk.count(lowered) || lowered.starts_with("._")) return true;
    const auto dot = lowered.rfind('.');
    return dot != std::string::npos && sidecars.count(lowered.substr(dot));
}

bool is_ignored_folder(const std::string& name)
{
    return name.starts_with('.') || name == "__MACOSX" || name == "@eaDir" || name == "$RECYCLE.BIN" ||
           name == "System Volume Information";
}

// `10_cats` -> ("cats", 10); anything else -> (name, 1).
std::pair<std::string, int> split_repeat_prefix(const std::string& name)
{
    std::size_t digits = 0;
    while (digits < name.size() && std::isdigit(static_cast<unsigned char>(name[digits]))) ++digits;
    if (digits == 0 || digits > 6 || digits + 1 >= name.size() || name[digits] != '_') return {name, 1};
    const int repeats = std::stoi(name.substr(0, digits));
    if (repeats < 1) return {name, 1};
    return {name.substr(digits + 1), repeats};
}

// A file to examine, found while walking the roots.
struct Candidate {
    fs::path path;
    std::size_t root = 0;
    std::string relative_path;
    std::string label;
    int repeats = 1;
};

struct Outcome {
    std::optional<DatasetItem> item;
    std::optional<SkippedFile> skipped;
    std::vector<std::string> warnings;
};

class Walker {
public:
    Walker(DatasetScan& scan, const CancelToken* cancel) : m_scan(scan), m_cancel(cancel) {}

    std::vector<Candidate> candidates;

    void add_root(const fs::path& root, std::size_t index)
    {
        std::error_code ec;
        const auto status = fs::status(root, ec);
        if (!fs::exists(status)) {
            if (fs::is_symlink(fs::symlink_status(root, ec)))
                throw Error(ErrorCategory::NotFound, "'" + utf8(root) + "' is a link to something that no longer exists");
            throw Error(ErrorCategory::NotFound, "'" + utf8(root) + "' does not exist (was it moved or renamed?)");
        }
        if (fs::is_directory(status))
            walk(root, index, "", "", 1, 0);
        else
            add_file(root, status, index, utf8(root.filename()), "", 1);
    }

private:
    void walk(const fs::path& folder, std::size_t root, const std::string& prefix, const std::string& label, int repeats,
              int depth)
    {
        std::error_code ec;
        const fs::path canonical = fs::canonical(folder, ec);
        if (!ec && !m_visited.insert(canonical).second) return;  // a link back into a folder already scanned

        std::vector<fs::directory_entry> entries;
        for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
        if (ec) {
            m_scan.skipped.push_back({folder, SkipReason::Unreadable,
                                      "cannot open the folder: " + ec.message() + " (check its permissions)"});
            return;
        }
        std::sort(entries.begin(), entries.end(),
                  [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });

        for (const auto& entry : entries) {
            if (m_cancel && m_cancel->cancel_requested()) throw Error(ErrorCategory::Cancelled, "scan cancelled");
            const std::string name = utf8(entry.path().filename());
            const std::string relative = prefix.empty() ? name : prefix + "/" + name;
            const auto status = entry.status(ec);
            if (fs::is_symlink(entry.symlink_status(ec)) && !fs::exists(status)) {
                m_scan.skipped.push_back({entry.path(), SkipReason::BrokenLink,
                                          "link to a file that no longer exists; delete the link or restore the file"});
            } else if (fs::is_directory(status)) {
                if (is_ignored_folder(name)) continue;
                if (depth == 0) {
                    const auto [sub_label, sub_repeats] = split_repeat_prefix(name);
                    walk(entry.path(), root, relative, sub_label, sub_repeats, depth + 1);
                } else {
                    walk(entry.path(), root, relative, label, repeats, depth + 1);
                }
            } else {
                add_file(entry.path(), status, root, relative, label, repeats);
            }
        }
    }

    void add_file(const fs::path& path, fs::file_status status, std::size_t root, const std::string& relative,
                  const std::string& label, int repeats)
    {
        if (is_ignored_file(utf8(path.filename()))) {
            ++m_scan.ignored_files;
        } else if (!fs::is_regular_file(status)) {  // a FIFO or device would block or never end
            m_scan.skipped.push_back({path, SkipReason::NotAnImage, "not a regular file (a device, pipe or socket)"});
        } else {
            candidates.push_back({path, root, relative, label, repeats});
        }
    }

    DatasetScan& m_scan;
    const CancelToken* m_cancel;
    std::set<fs::path> m_visited;
};

std::string unsupported_message(ImageFormat format)
{
    switch (format) {
    case ImageFormat::Heif:
        return "HEIC/HEIF photo (iPhone format), which the studio cannot read yet: convert it to JPEG (for example with "
               "heif-convert from libheif), or set the iPhone camera to 'Most Compatible'";
    case ImageFormat::Avif: return "AVIF image, which the studio cannot read yet: convert it to JPEG or PNG (for example with avifdec)";
    case ImageFormat::Raw:
        return "RAW camera file: convert to JPEG with darktable/RawTherapee (or export a JPEG from your camera software)";
    case ImageFormat::Gif: return "GIF image, which the studio cannot read: convert it to PNG";
    default: return "image format the studio cannot read: convert it to JPEG or PNG";
    }
}

void read_sidecar_captions(const Candidate& candidate, DatasetItem& item, std::vector<std::string>& warnings)
{
    for (const char* extension : {".txt", ".caption"}) {
        fs::path sidecar = candidate.path;
        sidecar.replace_extension(extension);
        std::error_code ec;
        if (!fs::is_regular_file(sidecar, ec)) continue;
        try {
            std::string text = read_text_file(sidecar);
            if (repair_utf8(text))
                warnings.push_back("caption file '" + utf8(sidecar) +
                                   "' is not UTF-8; unreadable characters were replaced (save it as UTF-8 to fix)");
            for (auto& caption : parse_caption_text(text))
                if (std::find(item.captions.begin(), item.captions.end(), caption) == item.captions.end())
                    item.captions.push_back(std::move(caption));
        } catch (const Error& e) {
            warnings.push_back(std::string("caption file ignored: ") + e.what());
        }
    }
}

Outcome examine(const Candidate& candidate, const ScanOptions& options)
{
    Outcome outcome;
    auto skip = [&](SkipReason reason, std::string message) {
        outcome.skipped = SkippedFile{candidate.path, reason, std::move(message)};
        return std::move(outcome);
    };

    std::error_code ec;
    const std::uintmax_t size = fs::file_size(candidate.path, ec);
    if (ec) return skip(SkipReason::Unreadable, "cannot read the file: " + ec.message());
    if (size == 0) return skip(SkipReason::Empty, "the file is empty (0 bytes): the copy or download did not finish");
    if (size > options.max_file_bytes)
        return skip(SkipReason::FileTooLarge, "the file is " + std::to_string(size >> 20) + " MiB, over the limit of " +
                                                  std::to_string(options.max_file_bytes >> 20) + " MiB for a photo");

    std::vector<std::uint8_t> bytes;
    try {
        bytes = read_binary_file(candidate.path);
    } catch (const Error& e) {
        return skip(SkipReason::Unreadable, std::string(e.what()) + " (check the file's permissions)");
    }

    const ImageSniff sniff = sniff_image(bytes, utf8(candidate.path.filename()));
    if (sniff.format == ImageFormat::Unknown)
        return skip(SkipReason::NotAnImage, "not an image (the content is not JPEG, PNG, WebP, BMP or TIFF, whatever the name says)");
    if (!image_format_is_decodable(sniff.format)) return skip(SkipReason::Unsupported, unsupported_message(sniff.format));
    const std::string format = image_format_name(sniff.format);
    if (!sniff.has_size())
        return skip(SkipReason::Damaged, "damaged " + format + ": its header is cut short or corrupt; copy it again from the source");
    const std::uint64_t pixels = std::uint64_t{sniff.width} * sniff.height;
    const std::string size_text = std::to_string(sniff.width) + "x" + std::to_string(sniff.height);
    if (pixels > options.max_pixels)
        return skip(SkipReason::TooManyPixels, size_text + " = " + std::to_string(pixels / 1'000'000) +
                                                   " megapixels, over the limit of " + std::to_string(options.max_pixels / 1'000'000) +
                                                   " MP (refused before decoding); shrink it first if it is a real photo");
    if (std::min(sniff.width, sniff.height) < options.min_side)
        return skip(SkipReason::TooSmall, "only " + size_text + " pixels; photos need at least " +
                                              std::to_string(options.min_side) + " pixels on each side");
    if (sniff.format == ImageFormat::Jpeg && !sniff.jpeg_has_end_marker)
        return skip(SkipReason::Damaged, "truncated JPEG (it has no end marker): the copy is incomplete; copy it again from the source");

    DatasetItem item;
    item.path = candidate.path;
    item.root = candidate.root;
    item.relative_path = candidate.relative_path;
    item.label = candidate.label;
    item.repeats = candidate.repeats;
    item.format = sniff.format;
    item.width = sniff.width;
    item.height = sniff.height;
    item.file_size = size;
    if (options.decode) {
        try {
            const RgbImage image = decode_image(bytes, utf8(candidate.path));
            item.perceptual_hash = difference_hash(image.pixels, image.width, image.height);
        } catch (const Error& e) {
            return skip(SkipReason::Damaged, std::string("damaged ") + format + ": " + e.what());
        } catch (const std::exception& e) {  // OpenCV or allocation failures on hostile input
            return skip(SkipReason::Damaged, std::string("damaged ") + format + ": cannot be decoded (" + e.what() + ")");
        }
    }
    item.sha256 = sha256(bytes);
    read_sidecar_captions(candidate, item, outcome.warnings);
    outcome.item = std::move(item);
    return outcome;
}

Outcome examine_safely(const Candidate& candidate, const ScanOptions& options)
{
    try {
        return examine(candidate, options);
    } catch (const std::exception& e) {
        Outcome outcome;
        outcome.skipped = SkippedFile{candidate.path, SkipReason::Unreadable, std::string("cannot be read: ") + e.what()};
        return outcome;
    }
}

// Runs `examine` over all candidates on worker threads; progress and cancel are handled on the
// calling thread so callers never see a callback from a thread they did not create.
std::vector<Outcome> examine_all(const std::vector<Candidate>& candidates, const ScanOptions& options,
                                 const ProgressCallback& progress, const CancelToken* cancel)
{
    std::vector<Outcome> outcomes(candidates.size());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::size_t done = 0;
    std::mutex mutex;
    std::condition_variable changed;

    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const unsigned count = static_cast<unsigned>(
        std::min<std::size_t>(options.threads ? options.threads : hardware, std::max<std::size_t>(1, candidates.size())));
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < count; ++t) {
        workers.emplace_back([&] {
            for (std::size_t i; !stop.load() && (i = next.fetch_add(1)) < candidates.size();) {
                outcomes[i] = examine_safely(candidates[i], options);
                std::lock_guard lock(mutex);
                ++done;
                changed.notify_one();
            }
        });
    }

    std::size_t reported = 0;
    std::unique_lock lock(mutex);
    while (reported < candidates.size()) {
        changed.wait_for(lock, std::chrono::milliseconds(50), [&] { return done != reported; });
        if (cancel && cancel->cancel_requested()) {
            stop = true;
            lock.unlock();
            workers.clear();  // joins
            throw Error(ErrorCategory::Cancelled, "scan cancelled");
        }
        if (done != reported) {
            reported = done;
            if (progress) {
                lock.unlock();
                progress(reported, candidates.size());
                lock.lock();
            }
        }
    }
    return outcomes;
}

void find_duplicates(DatasetScan& scan, int max_distance, bool have_perceptual_hashes)
{
    struct ShaHash {
        std::size_t operator()(const Sha256& digest) const noexcept
        {
            std::size_t value = 0;
            std::memcpy(&value, digest.data(), sizeof value);
            return value;
        }
    };
    std::unordered_map<Sha256, std::size_t, ShaHash> first_with_content;
    std::vector<std::size_t> originals;  // items that are not duplicates, compared against for near copies
    for (std::size_t i = 0; i < scan.items.size(); ++i) {
        const auto [it, inserted] = first_with_content.emplace(scan.items[i].sha256, i);
        if (!inserted) {
            scan.duplicates.push_back({i, it->second, DuplicateKind::Exact, 0});
            continue;
        }
        if (have_perceptual_hashes) {
            const std::uint64_t hash = scan.items[i].perceptual_hash;
            const auto near = std::find_if(originals.begin(), originals.end(), [&](std::size_t j) {
                return hamming_distance(hash, scan.items[j].perceptual_hash) <= max_distance;
            });
            if (near != originals.end()) {
                scan.duplicates.push_back(
                    {i, *near, DuplicateKind::Near, hamming_distance(hash, scan.items[*near].perceptual_hash)});
                continue;
            }
        }
        originals.push_back(i);
    }
}

} // namespace

DatasetScan scan_dataset(const std::vector<fs::path>& roots, const ScanOptions& options, const ProgressCallback& progress,
                         const CancelToken* cancel)
{
    DatasetScan scan;
    scan.roots = roots;
    Walker walker(scan, cancel);
    for (std::size_t i = 0; i < roots.size(); ++i) walker.add_root(roots[i], i);

    auto outcomes = examine_all(walker.candidates, options, progress, cancel);
    for (auto& outcome : outcomes) {
        if (outcome.item) scan.items.push_back(std::move(*outcome.item));
        if (outcome.skipped) scan.skipped.push_back(std::move(*outcome.skipped));
        for (auto& warning : outcome.warnings) scan.warnings.push_back(std::move(warning));
    }
    std::sort(scan.items.begin(), scan.items.end(), [](const DatasetItem& a, const DatasetItem& b) {
        return std::tie(a.root, a.relative_path) < std::tie(b.root, b.relative_path);
    });
    std::sort(scan.skipped.begin(), scan.skipped.end(),
              [](const SkippedFile& a, const SkippedFile& b) { return a.path < b.path; });
    find_duplicates(scan, options.near_duplicate_max_distance, options.decode);
    return scan;
}

} // namespace phototune
