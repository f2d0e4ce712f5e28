#include "core/data/clip_preprocess.h"

#include "core/data/pillow_resample.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace phototune {
namespace {

using nlohmann::json;

// A side longer than this is a typo or a hostile file, not a model input.
constexpr int kMaxSide = 16384;

class ConfigReader {
public:
    ConfigReader(const json& root, const std::filesystem::path& path) : m_root(root), m_path(path) {}

    [[noreturn]] void fail(const std::string& key, const std::string& what) const
    {
        throw Error(ErrorCategory::InvalidInput, path_for_display(m_path) + ": \"" + key + "\" " + what +
                                                     "; fix the value or delete the key to use the default");
    }

    const json* find(const std::string& key) const
    {
        const auto it = m_root.find(key);
        return it == m_root.end() || it->is_null() ? nullptr : &*it;
    }

    void read_bool(const std::string& key, bool& value) const
    {
        if (const json* v = find(key)) {
            if (!v->is_boolean()) fail(key, "must be true or false");
            value = v->get<bool>();
        }
    }

    int side(const std::string& key, const json& v) const
    {
        if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > kMaxSide)
            fail(key, "must be a whole number of pixels from 1 to " + std::to_string(kMaxSide));
        return v.get<int>();
    }

    // {"height": H, "width": W} -> true with both set; false when the object lacks them.
    bool height_width(const std::string& key, const json& v, int& height, int& width) const
    {
        if (!v.contains("height") || !v.contains("width")) return false;
        height = side(key + ".height", v["height"]);
        width = side(key + ".width", v["width"]);
        return true;
    }

    void read_channels(const std::string& key, std::array<float, 3>& value) const
    {
        const json* v = find(key);
        if (!v) return;
        if (v->is_number()) {
            value.fill(v->get<float>());
        } else if (v->is_array() && v->size() == 3 &&
                   std::all_of(v->begin(), v->end(), [](const json& x) { return x.is_number(); })) {
            for (std::size_t c = 0; c < 3; ++c) value[c] = (*v)[c].get<float>();
        } else {
            fail(key, "must be a number or a list of 3 numbers (R, G, B)");
        }
        for (float x : value)
            if (!std::isfinite(x)) fail(key, "must hold finite numbers");
    }

private:
    const json& m_root;
    const std::filesystem::path& m_path;
};

const char* pil_filter_name(int resample)
{
    switch (resample) {
    case 0: return "nearest";
    case 1: return "lanczos";
    case 2: return "bilinear";
    case 4: return "box";
    case 5: return "hamming";
    default: return nullptr;
    }
}

} // namespace

ClipImageProcessorConfig load_clip_image_processor_config(const std::filesystem::path& preprocessor_config_json)
{
    const std::string text = read_text_file(preprocessor_config_json);
    json root;
    try {
        root = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorCategory::InvalidInput, path_for_display(preprocessor_config_json) +
                                                     " is not valid JSON (" + e.what() +
                                                     "); restore it from the model's repository");
    }
    PHOTOTUNE_CHECK(root.is_object(), ErrorCategory::InvalidInput,
                    path_for_display(preprocessor_config_json) +
                        " must hold a JSON object of image processor settings; restore it from the model's repository");
    const ConfigReader reader(root, preprocessor_config_json);

    ClipImageProcessorConfig config;
    reader.read_bool("do_resize", config.do_resize);
    reader.read_bool("do_center_crop", config.do_center_crop);
    reader.read_bool("do_rescale", config.do_rescale);
    reader.read_bool("do_normalize", config.do_normalize);
    reader.read_bool("do_convert_rgb", config.do_convert_rgb);

    if (const json* size = reader.find("size")) {
        if (size->is_number_integer()) {
            config.shortest_edge = reader.side("size", *size);
        } else if (size->is_object() && size->contains("shortest_edge")) {
            config.shortest_edge = reader.side("size.shortest_edge", (*size)["shortest_edge"]);
        } else if (size->is_object() &&
                   reader.height_width("size", *size, config.resize_height, config.resize_width)) {
            config.shortest_edge = 0;
        } else {
            reader.fail("size", "must be a number or an object with \"shortest_edge\" or \"height\" and \"width\"");
        }
    }
    if (const json* crop = reader.find("crop_size")) {
        if (crop->is_number_integer()) {
            config.crop_height = config.crop_width = reader.side("crop_size", *crop);
        } else if (!crop->is_object() ||
                   !reader.height_width("crop_size", *crop, config.crop_height, config.crop_width)) {
            reader.fail("crop_size", "must be a number or an object with \"height\" and \"width\"");
        }
    }
    if (const json* factor = reader.find("rescale_factor")) {
        if (!factor->is_number() || !std::isfinite(factor->get<double>()))
            reader.fail("rescale_factor", "must be a finite number (usually 1/255 = 0.00392156862745098)");
        config.rescale_factor = factor->get<double>();
    }
    reader.read_channels("image_mean", config.image_mean);
    reader.read_channels("image_std", config.image_std);
    for (float s : config.image_std)
        if (config.do_normalize && s == 0.0f) reader.fail("image_std", "must not contain 0");

    if (const json* resample = reader.find("resample")) {
        if (!resample->is_number_integer()) reader.fail("resample", "must be a PIL filter number (3 = bicubic)");
        config.resample = resample->get<int>();
    }
    if (config.resample != 3) {
        const char* name = pil_filter_name(config.resample);
        PHOTOTUNE_CHECK(name != nullptr, ErrorCategory::InvalidInput,
                        path_for_display(preprocessor_config_json) + ": \"resample\" " +
                            std::to_string(config.resample) +
                            " is not a PIL filter number (0-5); use 3 (bicubic)");
        throw Error(ErrorCategory::Unsupported,
                    path_for_display(preprocessor_config_json) + ": \"resample\" " +
                        std::to_string(config.resample) + " (" + name +
                        ") is not supported; the studio resizes with Pillow's bicubic only (\"resample\": 3)");
    }
    return config;
}

ResizePlan plan_clip_resize(int width, int height, const ClipImageProcessorConfig& config)
{
    PHOTOTUNE_CHECK(width > 0 && height > 0, ErrorCategory::InvalidInput,
                    "cannot preprocess an empty image (" + std::to_string(width) + "x" + std::to_string(height) + ")");
    ResizePlan plan;
    plan.resized_width = width;
    plan.resized_height = height;
    if (config.do_resize && config.shortest_edge > 0) {
        // transformers' get_resize_output_image_size: the long side is int(size * long / short),
        // a truncated true division.
        const int short_side = std::min(width, height);
        const int long_side = std::max(width, height);
        const int new_long = static_cast<int>(static_cast<double>(config.shortest_edge) * long_side /
                                              static_cast<double>(short_side));
        PHOTOTUNE_CHECK(new_long <= 64 * kMaxSide, ErrorCategory::InvalidInput,
                        "a " + std::to_string(width) + "x" + std::to_string(height) +
                            " image is too elongated to resize to a short side of " +
                            std::to_string(config.shortest_edge) + " pixels");
        plan.resized_width = width <= height ? config.shortest_edge : new_long;
        plan.resized_height = width <= height ? new_long : config.shortest_edge;
    } else if (config.do_resize) {
        plan.resized_width = config.resize_width;
        plan.resized_height = config.resize_height;
    }
    plan.output_width = plan.resized_width;
    plan.output_height = plan.resized_height;
    if (config.do_center_crop) {
        // Python's floor division, also for a negative difference (image smaller than the crop).
        const auto floor_half = [](int difference) { return difference >= 0 ? difference / 2 : -((1 - difference) / 2); };
        plan.crop_left = floor_half(plan.resized_width - config.crop_width);
        plan.crop_top = floor_half(plan.resized_height - config.crop_height);
        plan.output_width = config.crop_width;
        plan.output_height = config.crop_height;
    }
    return plan;
}

RgbImage clip_resize_and_crop(const RgbImage& image, const ClipImageProcessorConfig& config)
{
    const ResizePlan plan = plan_clip_resize(image.width, image.height, config);
    const RgbImage resized = resize_like_pillow_bicubic(image, plan.resized_width, plan.resized_height);

    RgbImage out;
    out.width = plan.output_width;
    out.height = plan.output_height;
    out.pixels.assign(static_cast<std::size_t>(out.width) * out.height * 3, 0); // zero padding, as HF
    const int x_begin = std::max(0, -plan.crop_left);
    const int x_end = std::min(out.width, resized.width - plan.crop_left);
    const int y_begin = std::max(0, -plan.crop_top);
    const int y_end = std::min(out.height, resized.height - plan.crop_top);
    if (x_begin >= x_end) return out;
    for (int y = y_begin; y < y_end; ++y) {
        const std::uint8_t* src = &resized.pixels[(static_cast<std::size_t>(y + plan.crop_top) * resized.width +
                                                   (x_begin + plan.crop_left)) * 3];
        std::copy(src, src + static_cast<std::size_t>(x_end - x_begin) * 3,
                  &out.pixels[(static_cast<std::size_t>(y) * out.width + x_begin) * 3]);
    }
    return out;
}

void normalize_to_chw(const RgbImage& crop, const ClipImageProcessorConfig& config, float* out)
{
    const std::size_t plane = static_cast<std::size_t>(crop.width) * crop.height;
    PHOTOTUNE_CHECK(crop.pixels.size() == plane * 3, ErrorCategory::InvalidInput,
                    "normalize_to_chw: the image holds " + std::to_string(crop.pixels.size()) +
                        " bytes, not width x height x 3");
    // The lookup tables hold exactly the per-value results of the Python expressions:
    // float32(uint8 * rescale_factor in float64), then (x - mean) / std in float32.
    for (int c = 0; c < 3; ++c) {
        std::array<float, 256> table{};
        for (int v = 0; v < 256; ++v) {
            float x = config.do_rescale ? static_cast<float>(v * config.rescale_factor) : static_cast<float>(v);
            if (config.do_normalize) x = (x - config.image_mean[c]) / config.image_std[c];
            table[v] = x;
        }
        float* dst = out + c * plane;
        for (std::size_t i = 0; i < plane; ++i) dst[i] = table[crop.pixels[i * 3 + c]];
    }
}

std::vector<float> preprocess_clip_image(const RgbImage& image, const ClipImageProcessorConfig& config)
{
    const RgbImage crop = clip_resize_and_crop(image, config);
    std::vector<float> values(static_cast<std::size_t>(crop.width) * crop.height * 3);
    normalize_to_chw(crop, config, values.data());
    return values;
}

} // namespace phototune
