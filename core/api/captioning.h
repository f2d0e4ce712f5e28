#pragma once
// Auto-captioning: CLIP zero-shot tags from a vocabulary of photo concepts, and captions composed
// from a photo's label and tags with a template the person can edit.
//
// A tag's score is calibrated per photo: how many standard deviations the photo's similarity to
// the term lies above its mean similarity to the whole vocabulary. Raw cosine similarities differ
// between models and drift with the vocabulary's size; the z-score does not, so one threshold
// (default 3) serves every model. Groups marked "one" (time of day, weather, season) give at most
// their best term.

#include "core/api/clip_engine.h"
#include "core/api/progress.h"
#include "core/api/project.h"
#include "core/api/result.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace phototune {

struct VocabularyGroup {
    std::string name;                   // "animals", "time of day", ...; "user" for user terms
    std::vector<std::string> templates; // the prompt ensemble; "{}" is the term
    bool at_most_one = false;
    std::vector<std::string> terms;
};

struct Vocabulary {
    std::vector<VocabularyGroup> groups;
    std::size_t term_count() const noexcept;
};

// The vocabulary shipped in resources/vocabulary/photo_concepts.txt (its header says the format).
Result<Vocabulary> builtin_vocabulary() noexcept;
Result<Vocabulary> load_vocabulary(const std::filesystem::path& file) noexcept;
// A user's file, one term per line ('#' starts a comment), added as the group "user" with the
// subjects' prompts. Terms already in the vocabulary (ignoring case) are not added twice.
Result<void> merge_user_terms(Vocabulary& vocabulary, const std::filesystem::path& file) noexcept;

struct TagOptions {
    int top_k = 5;                 // at most this many tags per photo
    double min_score = 3.0;        // calibrated score a tag needs (see the header comment)
    BatchOptions batch;            // batch size, progress (photos done, photos total), cancel
    // Where the vocabulary's text embeddings are kept between runs (empty: <user cache>/vocabulary).
    std::filesystem::path text_cache_dir;
};

struct PhotoTag {
    std::string term;
    std::string group;
    float score = 0.0f;            // calibrated: standard deviations above the photo's mean similarity
    float similarity = 0.0f;       // cosine similarity of the photo and the term's prompts
};

struct PhotoTags {
    std::filesystem::path photo;
    std::vector<PhotoTag> tags;    // best first
};

struct TaggingReport {
    std::vector<PhotoTags> photos;
    bool text_embeddings_from_cache = false;
};

// Tags each photo. Deterministic: the same model, photos and vocabulary give the same tags, in
// any batch size. Photos are decoded with BatchOptions::fast_decode as given.
Result<TaggingReport> tag_photos(ClipEngine& engine, const std::vector<std::filesystem::path>& photos,
                                 const Vocabulary& vocabulary, const TagOptions& options = {}) noexcept;

// "a photo of {label}, {tags}" -> "a photo of cat, sofa, indoor". {tags} is the tags joined by
// ", ". A missing label takes the first tag's place; an empty {tags} takes its separator with it.
std::string compose_caption(const std::string& caption_template, const std::string& label,
                            const std::vector<std::string>& tags);

inline constexpr const char* default_caption_template = "a photo of {label}, {tags}";

struct CaptionOptions {
    TagOptions tagging;
    std::string caption_template = default_caption_template;
    bool replace_captions = false; // replace captions and tags; otherwise both are kept and new tags added
};

struct CaptionedPhoto {
    std::size_t index = 0;          // in the project
    std::vector<PhotoTag> tags;
    std::vector<std::string> captions;
    std::vector<int> token_counts;  // per caption, with the start and end tokens
    bool too_long = false;          // a caption is longer than the model's context and will be cut
    bool kept_existing_captions = false;
};

struct CaptionReport {
    std::vector<CaptionedPhoto> photos;
    std::size_t vocabulary_terms = 0;
    bool text_embeddings_from_cache = false;
    int context_length = 0;
    std::size_t too_long = 0;
    std::size_t kept_existing = 0;
};

// Tags every included photo of the project, adds the tags to the photo's own, and composes a
// caption for each photo without one (with replace_captions: replaces every caption and tag).
// The project is changed in memory only; save it or write its sidecars afterwards.
Result<CaptionReport> caption_project(ClipEngine& engine, PhotoProject& project, const Vocabulary& vocabulary,
                                      const CaptionOptions& options = {}) noexcept;

} // namespace phototune
