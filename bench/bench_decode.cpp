// Decode + preprocess throughput on one core: full-size decoding, reduced-size JPEG decoding and
// the crop cache, over the JPEGs in a folder; and how far reduced decoding moves the pixels.
// Usage: bench_decode FOLDER [CACHE_DIR]. Prints "cpp <key> <value>" lines (see run_decode_bench.sh).
#include "core/data/crop_cache.h"
#include "core/util/files.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

template <typename Fn>
double images_per_second(const std::vector<fs::path>& photos, Fn&& fn)
{
    const auto start = std::chrono::steady_clock::now();
    for (const auto& photo : photos) fn(photo);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return double(photos.size()) / seconds;
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_decode FOLDER [CACHE_DIR]\n");
        return 2;
    }
    std::vector<fs::path> photos;
    for (const auto& entry : fs::directory_iterator(argv[1]))
        if (entry.path().extension() == ".jpg") photos.push_back(entry.path());
    std::sort(photos.begin(), photos.end());
    const fs::path cache_dir = argc > 2 ? fs::path(argv[2]) : fs::temp_directory_path() / "phototune-bench-crops";
    fs::remove_all(cache_dir);
    const ClipImageProcessorConfig processor;

    const double full = images_per_second(photos, [&](const fs::path& p) {
        return decode_and_crop_bytes(read_binary_file(p), p.string(), processor, false);
    });
    const double reduced = images_per_second(photos, [&](const fs::path& p) {
        return decode_and_crop_bytes(read_binary_file(p), p.string(), processor, true);
    });
    CropCache cache(cache_dir, processor, true);
    const double first_epoch = images_per_second(photos, [&](const fs::path& p) { return cache.crop_for(p); });
    const double cached = images_per_second(photos, [&](const fs::path& p) { return cache.crop_for(p); });

    double total = 0.0;
    std::size_t values = 0;
    int worst = 0;
    for (const auto& p : photos) {
        const auto bytes = read_binary_file(p);
        const RgbImage a = decode_and_crop_bytes(bytes, p.string(), processor, false);
        const RgbImage b = decode_and_crop_bytes(bytes, p.string(), processor, true);
        for (std::size_t i = 0; i < a.pixels.size(); ++i) {
            const int d = std::abs(int(a.pixels[i]) - int(b.pixels[i]));
            total += d;
            worst = std::max(worst, d);
        }
        values += a.pixels.size();
    }
    std::printf("cpp images %zu\n", photos.size());
    std::printf("cpp full_ips %.2f\n", full);
    std::printf("cpp reduced_ips %.2f\n", reduced);
    std::printf("cpp first_epoch_ips %.2f\n", first_epoch);
    std::printf("cpp cached_ips %.2f\n", cached);
    std::printf("cpp cache_hits %zu\n", cache.stats().hits);
    std::printf("cpp reduced_mean_abs_diff %.3f\n", total / double(values));
    std::printf("cpp reduced_max_abs_diff %d\n", worst);
    fs::remove_all(cache_dir);
    return 0;
}
