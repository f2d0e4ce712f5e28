#include "core/api/captioning.h"

#include "core/api/detail/facade_guard.h"
#include "core/api/resources.h"
#include "core/data/image_hash.h"
#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <numeric>
#include <set>
#include <sstream>

namespace phototune {
namespace {

namespace fs = std::filesystem;

std::string trim(std::string_view text)
{
    const auto first = text.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r");
    return std::string(text.substr(first, last - first + 1));
}

std::string lowercase(std::string text)
{
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

std::vector<std::string> split_on(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, separator);)
        if (auto trimmed = trim(part); !trimmed.empty()) parts.push_back(std::move(trimmed));
    return parts;
}

const std::vector<std::string>& subject_templates()
{
    static const std::vector<std::string> templates{"a photo of a {}.", "a picture of a {}.", "a close-up photo of a {}."};
    return templates;
}

Vocabulary parse_vocabulary(const std::string& text, const std::string& source)
{
    Vocabulary vocabulary;
    std::set<std::string> seen;
    std::stringstream in(text);
    int line_number = 0;
    for (std::string raw; std::getline(in, raw);) {
        ++line_number;
        const std::string line = trim(raw);
        if (line.empty() || (line[0] == '#' && line.rfind("##", 0) != 0)) continue;
        const auto where = [&] { return source + " line " + std::to_string(line_number); };
        if (line.rfind("##", 0) == 0) {
            vocabulary.groups.push_back({trim(line.substr(2)), subject_templates(), false, {}});
            continue;
        }
        PHOTOTUNE_CHECK(!vocabulary.groups.empty(), ErrorCategory::InvalidInput,
                        where() + ": a term before the first \"## group\" line; start the file with one");
        auto& group = vocabulary.groups.back();
        if (line.rfind("@templates", 0) == 0) {
            group.templates = split_on(line.substr(10), '|');
            for (const auto& prompt : group.templates)
                PHOTOTUNE_CHECK(prompt.find("{}") != std::string::npos, ErrorCategory::InvalidInput,
                                where() + ": the prompt \"" + prompt + "\" has no {} for the term");
            PHOTOTUNE_CHECK(!group.templates.empty(), ErrorCategory::InvalidInput, where() + ": @templates lists no prompt");
        } else if (line == "@one") {
            group.at_most_one = true;
        } else {
            PHOTOTUNE_CHECK(line[0] != '@', ErrorCategory::InvalidInput,
                            where() + ": unknown directive \"" + line + "\" (known: @templates, @one)");
            if (seen.insert(lowercase(line)).second) group.terms.push_back(line);
        }
    }
    std::erase_if(vocabulary.groups, [](const VocabularyGroup& group) { return group.terms.empty(); });
    PHOTOTUNE_CHECK(vocabulary.term_count() > 0, ErrorCategory::InvalidInput, source + " holds no terms");
    return vocabulary;
}

std::string fill_prompt(const std::string& prompt_template, const std::string& term)
{
    std::string prompt = prompt_template;
    prompt.replace(prompt.find("{}"), 2, term);
    return prompt;
}

// What identifies the weights the text embeddings come from, cheaply: file names, sizes and times.
std::string weights_identity(const fs::path& folder)
{
    std::string identity = path_for_display(fs::weakly_canonical(folder));
    std::error_code ec;
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const auto extension = entry.path().extension();
        if (extension != ".safetensors" && extension != ".bin" && extension != ".json") continue;
        const auto size = entry.file_size(ec);
        const auto time = entry.last_write_time(ec).time_since_epoch().count();
        files.push_back(path_for_display(entry.path().filename()) + ":" + std::to_string(size) + ":" + std::to_string(time));
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) identity += "|" + file;
    return identity;
}

std::string cache_key(const ClipEngine& engine, const std::vector<std::string>& prompts)
{
    std::string material = "phototune vocabulary embeddings v1\n" + weights_identity(engine.summary().folder);
    if (!engine.summary().adapter.empty()) material += "\nadapter " + weights_identity(engine.summary().adapter);
    for (const auto& prompt : prompts) material += "\n" + prompt;
    return to_hex(sha256(std::span(reinterpret_cast<const std::uint8_t*>(material.data()), material.size())));
}

std::optional<Matrix> read_cached_terms(const fs::path& file, std::int64_t terms)
{
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return std::nullopt;
    try {
        const auto cached = SafetensorsFile::open(file);
        const auto& view = cached.at("terms");
        if (view.dtype != DType::F32 || view.shape.size() != 2 || view.shape[0] != terms) return std::nullopt;
        Matrix matrix{view.shape[0], view.shape[1], std::vector<float>(static_cast<std::size_t>(view.numel()))};
        std::memcpy(matrix.values.data(), view.bytes.data(), view.bytes.size());
        return matrix;
    } catch (const Error&) {
        return std::nullopt; // damaged: embedded again and rewritten
    }
}

// One unit vector per term: the mean of its prompts' embeddings, renormalised (CLIP's ensembling).
Matrix term_vectors(ClipEngine& engine, const Vocabulary& vocabulary, const TagOptions& options, bool& from_cache)
{
    std::vector<std::string> prompts;
    std::vector<std::size_t> first_prompt; // per term, plus the end
    for (const auto& group : vocabulary.groups)
        for (const auto& term : group.terms) {
            first_prompt.push_back(prompts.size());
            for (const auto& prompt_template : group.templates) prompts.push_back(fill_prompt(prompt_template, term));
        }
    first_prompt.push_back(prompts.size());
    const auto terms = static_cast<std::int64_t>(first_prompt.size() - 1);

    const fs::path cache_dir = options.text_cache_dir.empty() ? user_cache_dir() / "vocabulary" : options.text_cache_dir;
    const fs::path cache_file = cache_dir / (cache_key(engine, prompts) + ".safetensors");
    if (auto cached = read_cached_terms(cache_file, terms)) {
        from_cache = true;
        return std::move(*cached);
    }
    BatchOptions quiet = options.batch;
    quiet.progress = nullptr;
    auto embedded = engine.embed_texts(prompts, quiet);
    if (!embedded) throw Error(embedded.failure().category, embedded.failure().message);
    Matrix vectors{terms, embedded->cols, std::vector<float>(static_cast<std::size_t>(terms * embedded->cols), 0.0f)};
    for (std::int64_t t = 0; t < terms; ++t) {
        float* out = &vectors.values[static_cast<std::size_t>(t * vectors.cols)];
        for (auto p = first_prompt[t]; p < first_prompt[t + 1]; ++p)
            for (std::int64_t c = 0; c < vectors.cols; ++c) out[c] += embedded->at(static_cast<std::int64_t>(p), c);
        const double norm = std::sqrt(std::inner_product(out, out + vectors.cols, out, 0.0));
        for (std::int64_t c = 0; c < vectors.cols; ++c) out[c] = static_cast<float>(out[c] / std::max(norm, 1e-12));
    }
    std::error_code ec;
    fs::create_directories(cache_dir, ec);
    (void)save_matrices(cache_file, {{"terms", vectors}}); // a cache that cannot be written only costs time
    from_cache = false;
    return vectors;
}

} // namespace

std::size_t Vocabulary::term_count() const noexcept
{
    std::size_t count = 0;
    for (const auto& group : groups) count += group.terms.size();
    return count;
}

Result<Vocabulary> load_vocabulary(const std::filesystem::path& file) noexcept
{
    return detail::guarded([&] { return parse_vocabulary(read_text_file(file), "'" + path_for_display(file) + "'"); });
}

Result<Vocabulary> builtin_vocabulary() noexcept
{
    const auto dir = resources_dir();
    if (dir.empty())
        return Failure{ErrorCategory::NotFound,
                       "the studio's resources were not found; set PHOTOTUNE_RESOURCES to its share/phototune folder"};
    return load_vocabulary(dir / "vocabulary" / "photo_concepts.txt");
}

Result<void> merge_user_terms(Vocabulary& vocabulary, const std::filesystem::path& file) noexcept
{
    return detail::guarded([&] {
        std::set<std::string> known;
        for (const auto& group : vocabulary.groups)
            for (const auto& term : group.terms) known.insert(lowercase(term));
        VocabularyGroup user{"user", subject_templates(), false, {}};
        for (const auto& line : split_on(read_text_file(file), '\n'))
            if (line[0] != '#' && known.insert(lowercase(line)).second) user.terms.push_back(line);
        if (!user.terms.empty()) vocabulary.groups.push_back(std::move(user));
    });
}

Result<TaggingReport> tag_photos(ClipEngine& engine, const std::vector<std::filesystem::path>& photos,
                                 const Vocabulary& vocabulary, const TagOptions& options) noexcept
{
    return detail::guarded([&] {
        PHOTOTUNE_CHECK(vocabulary.term_count() > 0, ErrorCategory::InvalidInput, "the tagging vocabulary is empty");
        TaggingReport report;
        const Matrix terms = term_vectors(engine, vocabulary, options, report.text_embeddings_from_cache);
        auto images = engine.embed_image_files(photos, options.batch);
        if (!images) throw Error(images.failure().category, images.failure().message);

        std::vector<std::pair<const VocabularyGroup*, const std::string*>> term_of;
        for (const auto& group : vocabulary.groups)
            for (const auto& term : group.terms) term_of.emplace_back(&group, &term);

        for (std::int64_t i = 0; i < images->rows; ++i) {
            std::vector<double> similarity(static_cast<std::size_t>(terms.rows));
            for (std::int64_t t = 0; t < terms.rows; ++t) {
                double dot = 0.0;
                for (std::int64_t c = 0; c < terms.cols; ++c) dot += double(images->at(i, c)) * terms.at(t, c);
                similarity[static_cast<std::size_t>(t)] = dot;
            }
            const double mean = std::accumulate(similarity.begin(), similarity.end(), 0.0) / double(similarity.size());
            double variance = 0.0;
            for (const double s : similarity) variance += (s - mean) * (s - mean);
            const double spread = std::max(std::sqrt(variance / double(similarity.size())), 1e-9);

            std::vector<std::size_t> order(similarity.size());
            std::iota(order.begin(), order.end(), std::size_t{0});
            // Ties broken by position, so the result never depends on the sort's whims.
            std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return similarity[a] > similarity[b]; });
            PhotoTags tagged{photos[static_cast<std::size_t>(i)], {}};
            std::set<const VocabularyGroup*> single_used;
            for (const std::size_t t : order) {
                if (static_cast<int>(tagged.tags.size()) >= options.top_k) break;
                const double score = (similarity[t] - mean) / spread;
                if (score < options.min_score) break;
                const auto [group, term] = term_of[t];
                if (group->at_most_one && !single_used.insert(group).second) continue;
                tagged.tags.push_back({*term, group->name, static_cast<float>(score), static_cast<float>(similarity[t])});
            }
            report.photos.push_back(std::move(tagged));
        }
        return report;
    });
}

std::string compose_caption(const std::string& caption_template, const std::string& label, const std::vector<std::string>& tags)
{
    std::vector<std::string> remaining = tags;
    std::string subject = label;
    if (subject.empty() && !remaining.empty()) {
        subject = remaining.front();
        remaining.erase(remaining.begin());
    }
    std::string joined;
    for (const auto& tag : remaining) joined += (joined.empty() ? "" : ", ") + tag;

    std::string caption = caption_template;
    const auto replace_all = [&caption](const std::string& slot, const std::string& value) {
        for (auto at = caption.find(slot); at != std::string::npos; at = caption.find(slot, at + value.size()))
            caption.replace(at, slot.size(), value);
    };
    if (joined.empty()) {
        // "..., {tags}" -> "...": the separator before an empty slot goes with it.
        for (auto at = caption.find("{tags}"); at != std::string::npos; at = caption.find("{tags}")) {
            auto start = at;
            while (start > 0 && (caption[start - 1] == ' ' || caption[start - 1] == ',' || caption[start - 1] == ';')) --start;
            caption.erase(start, at + 6 - start);
        }
    }
    replace_all("{label}", subject);
    replace_all("{tags}", joined);
    return trim(caption);
}

Result<CaptionReport> caption_project(ClipEngine& engine, PhotoProject& project, const Vocabulary& vocabulary,
                                      const CaptionOptions& options) noexcept
{
    return detail::guarded([&] {
        std::vector<std::size_t> included;
        std::vector<fs::path> paths;
        for (std::size_t i = 0; i < project.size(); ++i) {
            const ProjectPhoto photo = project.photo(i);
            if (photo.excluded) continue;
            included.push_back(i);
            paths.push_back(photo.path);
        }
        PHOTOTUNE_CHECK(!paths.empty(), ErrorCategory::InvalidInput, "there are no photos to caption (all are excluded)");
        auto tagged = tag_photos(engine, paths, vocabulary, options.tagging);
        if (!tagged) throw Error(tagged.failure().category, tagged.failure().message);

        CaptionReport report;
        report.vocabulary_terms = vocabulary.term_count();
        report.text_embeddings_from_cache = tagged->text_embeddings_from_cache;
        report.context_length = engine.summary().context_length;
        for (std::size_t k = 0; k < included.size(); ++k) {
            CaptionedPhoto captioned;
            captioned.index = included[k];
            captioned.tags = std::move(tagged->photos[k].tags);
            const ProjectPhoto photo = project.photo(captioned.index);
            std::vector<std::string> terms;
            for (const auto& tag : captioned.tags) terms.push_back(tag.term);
            captioned.kept_existing_captions = !photo.captions.empty() && !options.replace_captions;
            captioned.captions = captioned.kept_existing_captions
                                     ? photo.captions
                                     : std::vector<std::string>{compose_caption(options.caption_template, photo.label, terms)};
            // Tags a person added stay unless everything is being replaced.
            std::vector<std::string> tags = options.replace_captions ? std::vector<std::string>{} : photo.tags;
            for (auto& term : terms)
                if (std::none_of(tags.begin(), tags.end(), [&](const std::string& t) { return lowercase(t) == lowercase(term); }))
                    tags.push_back(std::move(term));
            project.set_tags(captioned.index, std::move(tags));
            if (!captioned.kept_existing_captions) project.set_captions(captioned.index, captioned.captions);
            auto counts = engine.token_counts(captioned.captions);
            if (!counts) throw Error(counts.failure().category, counts.failure().message);
            captioned.token_counts = std::move(*counts);
            captioned.too_long = std::any_of(captioned.token_counts.begin(), captioned.token_counts.end(),
                                             [&](int n) { return n > report.context_length; });
            report.too_long += captioned.too_long;
            report.kept_existing += captioned.kept_existing_captions;
            report.photos.push_back(std::move(captioned));
        }
        return report;
    });
}

} // namespace phototune
