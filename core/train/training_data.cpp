#include "core/train/training_data.h"

#include "core/data/dataset_scan.h"
#include "core/data/project_file.h"
#include "core/data/split.h"
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/util/parallel.h"
#include "core/data/pillow_resample.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <numeric>
#include <optional>
#include <set>

namespace phototune {
namespace {

std::uint64_t splitmix64(std::uint64_t x)
{
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b)
{
    return splitmix64(a ^ splitmix64(b));
}

std::uint64_t fnv1a(std::string_view text)
{
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (const unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return h;
}

} // namespace

std::string default_caption(const std::string& label)
{
    return "a photo of a " + label + ".";
}

std::vector<RgbImage> decode_and_crop(const std::vector<std::filesystem::path>& files, CropCache& crops)
{
    std::vector<RgbImage> result(files.size());
    parallel_for(files.size(), [&](std::size_t i) { result[i] = crops.crop_for(files[i]); });
    return result;
}

namespace {

// A photo the run may use, before decoding: where it is, its text and, from a project, its side.
struct TrainingCandidate {
    std::filesystem::path path;
    std::string relative_path;
    std::string label;
    std::vector<std::string> captions;
    std::optional<Split> split;
};

// Decodes every candidate's crop (all cores), drops the ones that fail, and splits the rest: by
// each candidate's own side when it has one, else stratified by label from the seed.
TrainingData decode_and_split(std::vector<TrainingCandidate> candidates, TrainingData data, CropCache& crops,
                              const SplitOptions& split_options, const std::string& source, const CancelToken* cancel)
{
    std::vector<TrainingPhoto> photos(candidates.size());
    std::vector<std::string> failures(candidates.size());
    std::atomic<bool> cancelled{false};
    parallel_for(candidates.size(), [&](std::size_t i) {
        if (cancel && cancel->cancel_requested()) {
            cancelled = true;
            return;
        }
        auto& candidate = candidates[i];
        auto& photo = photos[i];
        photo.path = candidate.path;
        photo.relative_path = candidate.relative_path;
        photo.label = candidate.label;
        photo.captions = candidate.captions.empty() ? std::vector<std::string>{default_caption(candidate.label)}
                                                    : std::move(candidate.captions);
        try {
            photo.crop = crops.crop_for(candidate.path);
        } catch (const Error& e) {
            failures[i] = e.what();
        }
    });
    if (cancelled) throw Error(ErrorCategory::Cancelled, "cancelled while loading the photos");

    std::vector<SplitKey> keys;
    std::vector<TrainingPhoto> kept;
    std::vector<std::optional<Split>> given_splits;
    for (std::size_t i = 0; i < photos.size(); ++i) {
        if (!failures[i].empty()) {
            data.warnings.push_back("skipped: " + failures[i]);
            ++data.skipped_files;
            continue;
        }
        keys.push_back({photos[i].label, photos[i].relative_path});
        given_splits.push_back(candidates[i].split);
        kept.push_back(std::move(photos[i]));
    }
    PHOTOTUNE_CHECK(kept.size() >= 2, ErrorCategory::InvalidInput,
                    "'" + source + "' has " + std::to_string(kept.size()) +
                        " usable photo(s); training needs at least 2 with a label or a caption");

    const auto drawn = assign_splits(keys, split_options);
    std::set<std::string> labels;
    for (std::size_t i = 0; i < kept.size(); ++i) {
        if (!kept[i].label.empty()) labels.insert(kept[i].label);
        const Split side = given_splits[i].value_or(drawn[i]);
        (side == Split::Train ? data.train : data.validation).push_back(std::move(kept[i]));
    }
    PHOTOTUNE_CHECK(!data.train.empty(), ErrorCategory::InvalidInput,
                    "'" + source + "' puts every usable photo in validation; move some to training");
    data.labels.assign(labels.begin(), labels.end());
    if (const std::string warning = crops.write_warning(); !warning.empty()) data.warnings.push_back(warning);
    return data;
}

void warn_without_text(TrainingData& data, std::size_t without_text)
{
    if (without_text == 0) return;
    data.warnings.push_back(std::to_string(without_text) +
                            " photo(s) have neither a label nor a caption and are not used");
    data.skipped_files += without_text;
}

} // namespace

TrainingData load_training_data(const std::filesystem::path& data_dir, CropCache& crops, double validation_fraction,
                                std::uint64_t seed, const CancelToken* cancel)
{
    ScanOptions scan_options;
    scan_options.decode = false; // each photo is decoded once, in decode_and_split
    const DatasetScan scan = scan_dataset({data_dir}, scan_options, {}, cancel);

    TrainingData data;
    data.skipped_files = scan.skipped.size();
    data.warnings = scan.warnings;
    std::set<std::size_t> copies;
    for (const auto& duplicate : scan.duplicates)
        if (duplicate.kind == DuplicateKind::Exact) copies.insert(duplicate.item);
    if (!copies.empty())
        data.warnings.push_back(std::to_string(copies.size()) + " exact duplicate photo(s) are used once");
    data.skipped_files += copies.size();

    std::vector<TrainingCandidate> candidates;
    std::size_t without_text = 0;
    for (std::size_t i = 0; i < scan.items.size(); ++i) {
        const auto& item = scan.items[i];
        if (copies.count(i)) continue;
        if (item.label.empty() && item.captions.empty()) {
            ++without_text;
            continue;
        }
        candidates.push_back({item.path, item.relative_path, item.label, item.captions, std::nullopt});
    }
    warn_without_text(data, without_text);
    return decode_and_split(std::move(candidates), std::move(data), crops, {validation_fraction, seed},
                            path_for_display(data_dir), cancel);
}

TrainingData load_training_data_from_project(const std::filesystem::path& project_file, CropCache& crops,
                                             const CancelToken* cancel)
{
    const Project project = load_project(project_file);
    TrainingData data;
    data.skipped_files = project.skipped.size();
    std::vector<TrainingCandidate> candidates;
    std::size_t excluded = 0;
    std::size_t without_text = 0;
    for (const auto& item : project.items) {
        if (item.excluded) {
            ++excluded;
            continue;
        }
        if (item.label.empty() && item.captions.empty()) {
            ++without_text;
            continue;
        }
        candidates.push_back({item_path(project, item), item.relative_path, item.label, item.captions, item.split});
    }
    if (excluded > 0) data.warnings.push_back(std::to_string(excluded) + " photo(s) are excluded in the project");
    data.skipped_files += excluded;
    warn_without_text(data, without_text);
    return decode_and_split(std::move(candidates), std::move(data), crops, project.split,
                            path_for_display(project_file), cancel);
}

RgbImage augmented_crop(const RgbImage& photo, const ClipImageProcessorConfig& processor, const AugmentOptions& augment,
                        std::uint64_t draw)
{
    // torchvision's RandomResizedCrop: up to 10 tries for a window that fits, else the centre.
    const double area = double(photo.width) * photo.height;
    const auto uniform = [&draw] {
        draw = splitmix64(draw);
        return double(draw >> 11) * 0x1.0p-53;
    };
    int width = std::min(photo.width, photo.height), height = width;
    int left = (photo.width - width) / 2, top = (photo.height - height) / 2;
    for (int attempt = 0; attempt < 10; ++attempt) {
        const double target_area = area * (augment.min_area + (1.0 - augment.min_area) * uniform());
        const double log_ratio = std::log(3.0 / 4.0) + (std::log(4.0 / 3.0) - std::log(3.0 / 4.0)) * uniform();
        const double ratio = std::exp(log_ratio);
        const int w = static_cast<int>(std::lround(std::sqrt(target_area * ratio)));
        const int h = static_cast<int>(std::lround(std::sqrt(target_area / ratio)));
        if (w > 0 && h > 0 && w <= photo.width && h <= photo.height) {
            width = w;
            height = h;
            left = static_cast<int>(uniform() * (photo.width - w + 1));
            top = static_cast<int>(uniform() * (photo.height - h + 1));
            break;
        }
    }
    const bool flip = augment.flip && uniform() < 0.5;
    RgbImage window;
    window.width = width;
    window.height = height;
    window.pixels.resize(std::size_t(width) * height * 3);
    for (int y = 0; y < height; ++y) {
        const std::uint8_t* src = &photo.pixels[(std::size_t(top + y) * photo.width + left) * 3];
        std::uint8_t* dst = &window.pixels[std::size_t(y) * width * 3];
        if (!flip) {
            std::copy(src, src + std::size_t(width) * 3, dst);
            continue;
        }
        for (int x = 0; x < width; ++x) std::copy(src + (width - 1 - x) * 3, src + (width - x) * 3, dst + x * 3);
    }
    return resize_like_pillow_bicubic(window, processor.crop_width, processor.crop_height);
}

std::vector<std::size_t> epoch_order(std::size_t count, std::uint64_t seed, std::int64_t epoch)
{
    std::vector<std::size_t> order(count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    // Fisher-Yates with a counter-based generator: the same on every platform and standard library.
    std::uint64_t state = mix(seed, 0x5eed0000ull + static_cast<std::uint64_t>(epoch));
    for (std::size_t i = count; i > 1; --i) {
        state = splitmix64(state);
        std::swap(order[i - 1], order[state % i]);
    }
    return order;
}

const std::string& caption_for_epoch(const TrainingPhoto& photo, std::uint64_t seed, std::int64_t epoch)
{
    if (photo.captions.size() == 1) return photo.captions.front();
    const std::uint64_t draw = mix(mix(seed, static_cast<std::uint64_t>(epoch)), fnv1a(photo.relative_path));
    return photo.captions[draw % photo.captions.size()];
}

std::vector<std::int64_t> positive_groups(const std::vector<std::string>& captions, const std::vector<std::string>& labels)
{
    const std::size_t n = captions.size();
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), std::size_t{0});
    const auto find = [&](std::size_t i) {
        while (parent[i] != i) i = parent[i] = parent[parent[i]];
        return i;
    };
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = i + 1; j < n; ++j)
            if (captions[i] == captions[j] || (!labels[i].empty() && labels[i] == labels[j]))
                parent[find(j)] = find(i);
    std::vector<std::int64_t> groups(n);
    for (std::size_t i = 0; i < n; ++i) groups[i] = static_cast<std::int64_t>(find(i));
    return groups;
}

at::Tensor pixel_values_of(const std::vector<const RgbImage*>& crops, const ClipImageProcessorConfig& processor)
{
    auto pixels = at::empty({static_cast<std::int64_t>(crops.size()), 3, processor.crop_height, processor.crop_width}, at::kFloat);
    for (std::size_t i = 0; i < crops.size(); ++i)
        normalize_to_chw(*crops[i], processor, pixels[static_cast<std::int64_t>(i)].data_ptr<float>());
    return pixels;
}

CaptionTokens::CaptionTokens(ClipTokenizer tokenizer, int context_length)
    : m_tokenizer(std::move(tokenizer)), m_context_length(context_length)
{
}

void CaptionTokens::tokenize_into(const std::vector<std::string>& texts, at::Tensor& input_ids, at::Tensor& attention_mask)
{
    const auto rows = static_cast<std::int64_t>(texts.size());
    input_ids = at::empty({rows, m_context_length}, at::kLong);
    attention_mask = at::empty({rows, m_context_length}, at::kLong);
    for (std::int64_t i = 0; i < rows; ++i) {
        const auto& text = texts[static_cast<std::size_t>(i)];
        auto found = m_cache.find(text);
        if (found == m_cache.end()) found = m_cache.emplace(text, m_tokenizer.tokenize(text, m_context_length)).first;
        std::copy(found->second.input_ids.begin(), found->second.input_ids.end(), input_ids[i].data_ptr<std::int64_t>());
        std::copy(found->second.attention_mask.begin(), found->second.attention_mask.end(),
                  attention_mask[i].data_ptr<std::int64_t>());
    }
}

BatchSchedule::BatchSchedule(const TrainingData& data, std::uint64_t seed, int batch, std::int64_t steps_per_epoch,
                             AugmentOptions augment, bool reduced_decode)
    : m_data(data), m_seed(seed), m_batch(batch), m_steps_per_epoch(steps_per_epoch), m_augment(augment),
      m_reduced_decode(reduced_decode)
{
    PHOTOTUNE_CHECK(batch >= 1 && steps_per_epoch >= 1 &&
                        static_cast<std::size_t>(batch) * static_cast<std::size_t>(steps_per_epoch) <= data.train.size(),
                    ErrorCategory::Internal, "batch schedule: an epoch of batches is larger than the training set");
}

TrainBatch BatchSchedule::batch_for_step(std::int64_t step, const ClipImageProcessorConfig& processor, CaptionTokens& tokens)
{
    const std::int64_t epoch = epoch_of(step);
    if (epoch != m_order_epoch) {
        m_order = epoch_order(m_data.train.size(), m_seed, epoch);
        m_order_epoch = epoch;
    }
    const auto first = static_cast<std::size_t>((step % m_steps_per_epoch) * m_batch);
    std::vector<const RgbImage*> crops;
    std::vector<RgbImage> augmented;
    if (m_augment.enabled) {
        // Enough pixels for the smallest window the crop may take, so reduced decoding stays exact enough.
        const int min_short_side = m_reduced_decode ? static_cast<int>(std::ceil(min_short_side_for(processor) /
                                                                                   std::sqrt(m_augment.min_area) * 4.0 / 3.0))
                                                    : 0;
        augmented.resize(static_cast<std::size_t>(m_batch));
        parallel_for(augmented.size(), [&](std::size_t k) {
            const auto& photo = m_data.train[m_order[first + k]];
            const std::uint64_t draw = mix(mix(m_seed ^ 0xa06e0000ull, static_cast<std::uint64_t>(epoch)), fnv1a(photo.relative_path));
            augmented[k] = augmented_crop(decode_image_file(photo.path, min_short_side), processor, m_augment, draw);
        });
    }
    std::vector<std::string> captions, labels;
    TrainBatch batch;
    for (std::size_t i = first; i < first + static_cast<std::size_t>(m_batch); ++i) {
        const auto& photo = m_data.train[m_order[i]];
        crops.push_back(m_augment.enabled ? &augmented[i - first] : &photo.crop);
        captions.push_back(caption_for_epoch(photo, m_seed, epoch));
        labels.push_back(photo.label);
        batch.photo_ids.push_back(static_cast<std::int64_t>(m_order[i]));
    }
    batch.pixel_values = pixel_values_of(crops, processor);
    tokens.tokenize_into(captions, batch.input_ids, batch.attention_mask);
    batch.group_ids = at::tensor(positive_groups(captions, labels), at::kLong);
    return batch;
}

BatchPrefetcher::BatchPrefetcher(BatchSchedule schedule, ClipImageProcessorConfig processor, CaptionTokens tokens,
                                 std::int64_t total_steps)
    : m_schedule(std::move(schedule)), m_processor(std::move(processor)), m_tokens(std::move(tokens)),
      m_total_steps(total_steps)
{
}

BatchPrefetcher::~BatchPrefetcher()
{
    if (m_prefetched.valid()) m_prefetched.wait();
}

TrainBatch BatchPrefetcher::batch_for_step(std::int64_t step)
{
    TrainBatch batch;
    if (m_prefetched.valid() && m_prefetched_step == step) {
        batch = m_prefetched.get(); // rethrows what building it threw
    } else {
        if (m_prefetched.valid()) m_prefetched.wait(); // a batch nobody will ask for; it shares the schedule
        m_prefetched = {};
        batch = m_schedule.batch_for_step(step, m_processor, m_tokens);
    }
    m_prefetched_step = step + 1;
    if (m_prefetched_step < m_total_steps)
        m_prefetched = std::async(std::launch::async, [this, next = m_prefetched_step] {
            return m_schedule.batch_for_step(next, m_processor, m_tokens);
        });
    return batch;
}

} // namespace phototune
