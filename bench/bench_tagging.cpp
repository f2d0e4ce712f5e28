// Auto-tagging throughput: the built-in vocabulary against a folder of photos with a model folder
// (run_tagging_bench.sh makes a ViT-B/32-shaped untrained one). The first call embeds the
// vocabulary's prompts; the second finds them in the cache, so it times the photos alone.
// Usage: bench_tagging MODEL_DIR PHOTO_DIR CACHE_DIR. Prints "cpp <key> <value>" lines.
#include "core/api/captioning.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

using namespace phototune;
namespace fs = std::filesystem;

int main(int argc, char** argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: bench_tagging MODEL_DIR PHOTO_DIR CACHE_DIR\n");
        return 2;
    }
    auto engine = ClipEngine::load(argv[1], DevicePreference::Auto);
    auto vocabulary = builtin_vocabulary();
    if (!engine || !vocabulary) {
        std::fprintf(stderr, "%s\n", (!engine ? engine.failure() : vocabulary.failure()).message.c_str());
        return 1;
    }
    std::vector<fs::path> photos;
    for (const auto& entry : fs::recursive_directory_iterator(argv[2]))
        if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
    TagOptions options;
    options.text_cache_dir = argv[3];
    options.batch.fast_decode = true;
    std::size_t prompts = 0;
    for (const auto& group : vocabulary->groups) prompts += group.terms.size() * group.templates.size();

    for (const char* pass : {"cold", "warm"}) {
        const auto start = std::chrono::steady_clock::now();
        const auto tagged = tag_photos(**engine, photos, *vocabulary, options);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!tagged) {
            std::fprintf(stderr, "%s\n", tagged.failure().message.c_str());
            return 1;
        }
        std::printf("cpp %s_seconds %.2f\n", pass, seconds);
        std::printf("cpp %s_ips %.2f\n", pass, double(photos.size()) / seconds);
    }
    std::printf("cpp photos %zu\ncpp terms %zu\ncpp prompts %zu\n", photos.size(), vocabulary->term_count(), prompts);
    return 0;
}
