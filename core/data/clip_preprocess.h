#pragma once
// Hugging Face CLIPImageProcessor, reproduced to float rounding: shortest-edge resize with Pillow's
// bicubic, centre crop (zero padding when the image is smaller than the crop), rescale, normalise,
// HWC -> CHW. The same steps serve any processor with these keys (OpenAI CLIP, OpenCLIP-on-HF).

#include "core/data/image_decode.h"

#include <array>
#include <filesystem>
#include <vector>

namespace phototune {

struct ClipImageProcessorConfig {
    // "size": {"shortest_edge": N} (or a bare int) scales the short side to N. A
    // "size": {"height": H, "width": W} config resizes to exactly W x H instead: shortest_edge = 0.
    int shortest_edge = 224;
    int resize_height = 0;
    int resize_width = 0;
    int crop_height = 224;
    int crop_width = 224;
    bool do_resize = true;
    bool do_center_crop = true;
    bool do_rescale = true;
    bool do_normalize = true;
    // decode_image always yields RGB, which is what this flag asks for; kept so a config round-trips.
    bool do_convert_rgb = true;
    double rescale_factor = 1.0 / 255;
    std::array<float, 3> image_mean{0.48145466f, 0.4578275f, 0.40821073f};
    std::array<float, 3> image_std{0.26862954f, 0.26130258f, 0.27577711f};
    int resample = 3; // PIL's numbering; only 3 (bicubic) is supported
};

// Reads a preprocessor_config.json. Missing keys keep CLIPImageProcessor's defaults. Throws
// Error(InvalidInput) naming the file for malformed JSON or values, Error(Unsupported) for a
// resample filter other than bicubic.
ClipImageProcessorConfig load_clip_image_processor_config(const std::filesystem::path& preprocessor_config_json);

// Where the resized image lands and which window of it is kept. The crop offsets are
// floor((resized - crop) / 2) and are negative along a side shorter than the crop: output pixel
// (x, y) is resized pixel (x + crop_left, y + crop_top), or zero where that lies outside.
struct ResizePlan {
    int resized_width = 0;
    int resized_height = 0;
    int crop_left = 0;
    int crop_top = 0;
    int output_width = 0;  // the crop size, or the resized size without do_center_crop
    int output_height = 0;
};

ResizePlan plan_clip_resize(int width, int height, const ClipImageProcessorConfig& config);

// Resize + centre crop, still uint8 (what an image cache stores).
RgbImage clip_resize_and_crop(const RgbImage& image, const ClipImageProcessorConfig& config);

// Writes 3 * crop.height * crop.width floats, channel-major: x * rescale_factor in double, cast to
// float, then (x - mean) / std in float, exactly as the Python processor rounds.
void normalize_to_chw(const RgbImage& crop, const ClipImageProcessorConfig& config, float* out);

// Both steps: the model's pixel_values for one image, [3, H, W].
std::vector<float> preprocess_clip_image(const RgbImage& image, const ClipImageProcessorConfig& config);

} // namespace phototune
