// Inference throughput of the ViT-B/32-shaped model (random weights) at batch 32 on this CPU:
// image embeddings/s, text embeddings/s and peak RSS. bench/run_inference_bench.sh prints these
// next to the same forward in Python PyTorch. Prints figures; asserts nothing.
#include "core/model/clip_model.h"
#include "core/model/clip_presets.h"
#include "core/model/cpu_runtime.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <sys/resource.h>

namespace {

template <typename Function>
double median_seconds(int repeats, Function&& function)
{
    function();  // warm-up
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        function();
        times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

} // namespace

int main(int argc, char** argv)
{
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int batch = argc > 2 ? std::atoi(argv[2]) : 32;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 3;
    phototune::configure_cpu_runtime(threads);
    at::NoGradGuard no_grad;

    auto model = phototune::create_untrained_clip("vit-b-32", /*seed=*/0);
    model->eval();
    const auto pixels = at::randn({batch, 3, 224, 224});
    auto ids = at::full({batch, 77}, 49407, at::kLong);
    ids.select(1, 0).fill_(49406);
    ids.narrow(1, 1, 19).copy_(at::randint(0, 49406, {batch, 19}, at::kLong));
    const auto mask = (at::arange(77) < 21).to(at::kLong).expand({batch, 77}).contiguous();

    const double image_seconds = median_seconds(repeats, [&] {
        const auto e = model->get_image_features(pixels);
        (void)(e / e.norm(2, {-1}, true));
    });
    const double text_seconds = median_seconds(repeats, [&] {
        const auto e = model->get_text_features(ids, mask);
        (void)(e / e.norm(2, {-1}, true));
    });
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("c++ images_per_s %.2f\n", batch / image_seconds);
    std::printf("c++ texts_per_s %.2f\n", batch / text_seconds);
    std::printf("c++ peak_rss_mib %.0f\n", usage.ru_maxrss / 1024.0);
    std::printf("c++ threads %d\n", at::get_num_threads());
    return 0;
}
