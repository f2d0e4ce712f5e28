#include "core/data/dataset_export.h"

#include "core/data/image_decode.h"
#include "core/data/image_sniff.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <archive.h>
#include <archive_entry.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <memory>
#include <random>

#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

namespace phototune {

namespace fs = std::filesystem;

std::vector<ExportSample> export_samples(const Project& project, Split split, bool apply_repeats)
{
    std::vector<ExportSample> samples;
    for (const auto& item : project.items) {
        if (item.excluded || item.split != split) continue;
        std::vector<std::string> captions = item.captions;
        if (captions.empty() && !item.label.empty()) captions.push_back(item.label);
        const fs::path path = item_path(project, item);
        const int copies = apply_repeats ? std::max(1, item.repeats) : 1;
        for (int copy = 0; copy < copies; ++copy)
            for (const auto& caption : captions) samples.push_back({path, caption});
    }
    return samples;
}

namespace {

std::string single_line(std::string text)
{
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return text;
}

// The sample's image as JPEG bytes, upright.
std::vector<std::uint8_t> jpeg_for_sample(const fs::path& image, int quality)
{
    std::vector<std::uint8_t> bytes = read_binary_file(image);
    const ImageSniff sniff = sniff_image(bytes, path_for_display(image.filename()));
    if (sniff.format == ImageFormat::Jpeg && sniff.exif_orientation == 1) return bytes;
    const RgbImage rgb = decode_image(bytes, path_for_display(image));
    cv::Mat bgr;
    cv::cvtColor(cv::Mat(rgb.height, rgb.width, CV_8UC3, const_cast<std::uint8_t*>(rgb.pixels.data())), bgr,
                 cv::COLOR_RGB2BGR);
    std::vector<std::uint8_t> jpeg;
    PHOTOTUNE_CHECK(cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality}), ErrorCategory::Internal,
                    "could not encode '" + path_for_display(image) + "' as JPEG");
    return jpeg;
}

// One tar shard being written to a temporary file, renamed into place by finish().
class ShardWriter {
public:
    explicit ShardWriter(fs::path target) : m_target(std::move(target))
    {
        m_temp = m_target;
        m_temp += ".tmp-" + std::to_string(std::random_device{}());
#ifdef _WIN32
        m_file = _wfopen(m_temp.c_str(), L"wb");
#else
        m_file = std::fopen(m_temp.c_str(), "wb");
#endif
        if (!m_file) fail("cannot create");
        m_archive = archive_write_new();
        if (!m_archive || archive_write_set_format_pax_restricted(m_archive) != ARCHIVE_OK ||
            archive_write_open_FILE(m_archive, m_file) != ARCHIVE_OK)
            fail("cannot start");
    }
    ShardWriter(const ShardWriter&) = delete;
    ShardWriter& operator=(const ShardWriter&) = delete;
    ~ShardWriter()
    {
        if (m_archive) archive_write_free(m_archive);
        if (m_file) {
            std::fclose(m_file);
            std::error_code ec;
            fs::remove(m_temp, ec);
        }
    }

    void add(const std::string& name, std::span<const std::uint8_t> data)
    {
        std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(), archive_entry_free);
        archive_entry_set_pathname(entry.get(), name.c_str());
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
        archive_entry_set_filetype(entry.get(), AE_IFREG);
        archive_entry_set_perm(entry.get(), 0644);
        archive_entry_set_mtime(entry.get(), 0, 0);  // reproducible shards
        if (archive_write_header(m_archive, entry.get()) != ARCHIVE_OK) fail("cannot add " + name + " to");
        if (!data.empty() && archive_write_data(m_archive, data.data(), data.size()) != static_cast<la_ssize_t>(data.size()))
            fail("cannot write " + name + " to");
    }

    void finish()
    {
        if (archive_write_close(m_archive) != ARCHIVE_OK) fail("cannot finish");
        archive_write_free(m_archive);
        m_archive = nullptr;
        bool ok = std::fflush(m_file) == 0;
#ifdef _WIN32
        ok = ok && _commit(_fileno(m_file)) == 0;
#else
        ok = ok && fsync(fileno(m_file)) == 0;
#endif
        ok = std::fclose(m_file) == 0 && ok;
        m_file = nullptr;
        std::error_code ec;
        if (ok) fs::rename(m_temp, m_target, ec);
        if (!ok || ec) {
            fs::remove(m_temp, ec);
            throw Error(ErrorCategory::Io, "could not write '" + path_for_display(m_target) + "' (is the disk full?)");
        }
    }

private:
    [[noreturn]] void fail(const std::string& what)
    {
        std::string detail = m_archive && archive_error_string(m_archive) ? archive_error_string(m_archive) : "";
        throw Error(ErrorCategory::Io, what + " the shard '" + path_for_display(m_target) + "'" +
                                           (detail.empty() ? "" : ": " + detail) + " (check that the folder is writable)");
    }

    fs::path m_target;
    fs::path m_temp;
    std::FILE* m_file = nullptr;
    struct archive* m_archive = nullptr;
};

std::string zero_padded(std::size_t value, int width)
{
    std::string text = std::to_string(value);
    return text.size() >= static_cast<std::size_t>(width) ? text : std::string(width - text.size(), '0') + text;
}

} // namespace

void write_open_clip_csv(std::span<const ExportSample> samples, const fs::path& csv)
{
    std::string text = "filepath\ttitle\n";
    for (const auto& sample : samples) {
        std::error_code ec;
        const fs::path absolute = fs::absolute(sample.image, ec);
        text += single_line(path_for_display(ec ? sample.image : absolute)) + "\t" + single_line(sample.caption) + "\n";
    }
    write_file_atomic(csv, text);
}

std::vector<fs::path> write_webdataset_shards(std::span<const ExportSample> samples, const fs::path& folder,
                                              const ShardOptions& options, const ProgressCallback& progress,
                                              const CancelToken* cancel)
{
    PHOTOTUNE_CHECK(options.samples_per_shard > 0, ErrorCategory::InvalidInput, "samples per shard must be at least 1");
    std::error_code ec;
    fs::create_directories(folder, ec);
    PHOTOTUNE_CHECK(!ec, ErrorCategory::Io,
                    "cannot create the export folder '" + path_for_display(folder) + "': " + ec.message());
    std::vector<fs::path> shards;
    for (std::size_t begin = 0; begin < samples.size(); begin += options.samples_per_shard) {
        const std::size_t end = std::min(samples.size(), begin + options.samples_per_shard);
        shards.push_back(folder / (zero_padded(shards.size(), 6) + ".tar"));
        ShardWriter writer(shards.back());
        for (std::size_t i = begin; i < end; ++i) {
            if (cancel && cancel->cancel_requested()) throw Error(ErrorCategory::Cancelled, "export cancelled");
            const std::string key = zero_padded(i, 9);
            writer.add(key + ".jpg", jpeg_for_sample(samples[i].image, options.jpeg_quality));
            const std::string& caption = samples[i].caption;
            writer.add(key + ".txt", std::span(reinterpret_cast<const std::uint8_t*>(caption.data()), caption.size()));
            if (progress) progress(i + 1, samples.size());
        }
        writer.finish();
    }
    return shards;
}

} // namespace phototune
