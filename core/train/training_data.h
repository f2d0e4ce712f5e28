#pragma once
// The photos a run trains on, held in memory as uint8 crops: the folder is scanned, every usable
// photo is decoded, resized and centre-cropped once, split into training and validation
// (stratified by label, from the seed), and each step's batch is a pure function of
// (seed, step): the epoch's shuffled order, the caption drawn for the epoch, the augmentation and
// the positives' group ids. A resumed run therefore sees exactly the batches an uninterrupted one
// would. Crops come through the on-disk CropCache, so a second run decodes nothing.

#include "core/api/progress.h"
#include "core/data/clip_preprocess.h"
#include "core/data/crop_cache.h"
#include "core/data/image_decode.h"
#include "core/text/clip_tokenizer.h"
#include "core/train/train_step.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <future>
#include <string>
#include <unordered_map>
#include <vector>

namespace phototune {

struct TrainingPhoto {
    std::filesystem::path path;
    std::string relative_path;
    std::string label;                 // "" when the photo has none
    std::vector<std::string> captions; // never empty: sidecar captions, else default_caption(label)
    RgbImage crop;                     // resized + centre-cropped, as the model sees it
};

struct TrainingData {
    std::vector<TrainingPhoto> train;
    std::vector<TrainingPhoto> validation;
    std::vector<std::string> labels;   // distinct non-empty labels, sorted: the evaluation's classes
    std::size_t skipped_files = 0;     // unreadable, damaged, duplicate or without label and caption
    std::vector<std::string> warnings;
};

// "a photo of a {label}." (CLIP's prompt, also used for the zero-shot evaluation).
std::string default_caption(const std::string& label);

// Scans `data_dir`, takes each usable photo's crop from `crops` (decoding it on all cores when not
// cached) and splits the photos. Throws Error(InvalidInput) when fewer than 2 photos can be used,
// Error(Cancelled) on cancel.
TrainingData load_training_data(const std::filesystem::path& data_dir, CropCache& crops, double validation_fraction,
                                std::uint64_t seed, const CancelToken* cancel = nullptr);

// The included photos of a project file with their labels, captions and sides as the person left
// them (excluded photos and photos without label or caption are skipped). Throws like
// load_training_data, and like load_project for a missing or damaged file.
TrainingData load_training_data_from_project(const std::filesystem::path& project_file, CropCache& crops,
                                             const CancelToken* cancel = nullptr);

// The crops of image files (for the evaluation sets); throws on an unreadable file.
std::vector<RgbImage> decode_and_crop(const std::vector<std::filesystem::path>& files, CropCache& crops);

// Random resized crop and horizontal flip, as open_clip's training transform (scale of the area
// in [min_area, 1], aspect ratio in [3/4, 4/3], Pillow bicubic to the crop size). Applied to the
// decoded photo, so augmented batches never come from the crop cache.
struct AugmentOptions {
    bool enabled = false;
    double min_area = 0.9;
    bool flip = true;
};

// The augmented crop of `photo` (decoded, upright) for one draw; a pure function of its arguments.
RgbImage augmented_crop(const RgbImage& photo, const ClipImageProcessorConfig& processor, const AugmentOptions& augment,
                        std::uint64_t draw);

// A permutation of 0..count-1 drawn from (seed, epoch).
std::vector<std::size_t> epoch_order(std::size_t count, std::uint64_t seed, std::int64_t epoch);

// Which of a photo's captions an epoch uses: one drawn from (seed, epoch, photo).
const std::string& caption_for_epoch(const TrainingPhoto& photo, std::uint64_t seed, std::int64_t epoch);

// Group ids of a batch: rows with the same caption text or the same non-empty label share one
// (transitively), so they are positives for each other rather than false negatives.
std::vector<std::int64_t> positive_groups(const std::vector<std::string>& captions, const std::vector<std::string>& labels);

// [N, 3, H, W] float pixel values of the crops, normalised as the processor says.
at::Tensor pixel_values_of(const std::vector<const RgbImage*>& crops, const ClipImageProcessorConfig& processor);

// Token ids and masks for texts, with a cache (the same captions recur every epoch).
class CaptionTokens {
public:
    CaptionTokens(ClipTokenizer tokenizer, int context_length);
    void tokenize_into(const std::vector<std::string>& texts, at::Tensor& input_ids, at::Tensor& attention_mask);

private:
    ClipTokenizer m_tokenizer;
    int m_context_length;
    std::unordered_map<std::string, TokenizedText> m_cache;
};

// The batches of a run over data.train.
class BatchSchedule {
public:
    BatchSchedule(const TrainingData& data, std::uint64_t seed, int batch, std::int64_t steps_per_epoch,
                  AugmentOptions augment = {}, bool reduced_decode = true);
    std::int64_t epoch_of(std::int64_t step) const { return step / m_steps_per_epoch; }
    // The batch of 0-based step `step`; photo_ids are indices into data.train.
    TrainBatch batch_for_step(std::int64_t step, const ClipImageProcessorConfig& processor, CaptionTokens& tokens);

private:
    const TrainingData& m_data;
    std::uint64_t m_seed;
    int m_batch;
    std::int64_t m_steps_per_epoch;
    AugmentOptions m_augment;
    bool m_reduced_decode;
    std::int64_t m_order_epoch = -1;
    std::vector<std::size_t> m_order;
};

// Builds the next step's batch on a background thread while the current step trains. Batches
// are pure functions of the step, so prefetching changes no result; asking for a step other than
// the one prefetched (after a resume or an out-of-memory retry) builds it on the spot.
class BatchPrefetcher {
public:
    BatchPrefetcher(BatchSchedule schedule, ClipImageProcessorConfig processor, CaptionTokens tokens, std::int64_t total_steps);
    ~BatchPrefetcher();
    BatchPrefetcher(const BatchPrefetcher&) = delete;
    BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

    // The batch of `step`; starts building step + 1.
    TrainBatch batch_for_step(std::int64_t step);

private:
    BatchSchedule m_schedule;
    ClipImageProcessorConfig m_processor;
    CaptionTokens m_tokens; // its own: the trainer's evaluation tokenizes on the main thread meanwhile
    std::int64_t m_total_steps;
    std::int64_t m_prefetched_step = -1;
    std::future<TrainBatch> m_prefetched;
};

} // namespace phototune
