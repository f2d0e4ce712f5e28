#pragma once
// A dataset whose captions describe the pictures: red/green/blue/yellow x circle/square/triangle,
// drawn with OpenCV at random sizes and places on light backgrounds, one folder per label
// ("red circle/") with two sidecar captions ("a red circle", "a photo of a red circle."; the trainer
// draws one per epoch); and an untrained model folder.

#include "core/api/resources.h"
#include "core/model/clip_presets.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace phototune::test {

inline void write_shapes_dataset(const std::filesystem::path& dir, int per_class, std::uint32_t seed)
{
    const std::vector<std::pair<std::string, cv::Scalar>> colours = {
        {"red", {40, 40, 220}}, {"green", {50, 170, 40}}, {"blue", {210, 80, 30}}, {"yellow", {30, 210, 240}}}; // BGR
    const std::vector<std::string> shapes = {"circle", "square", "triangle"};
    std::mt19937 rng(seed);
    const auto uniform = [&](int lo, int hi) { return lo + static_cast<int>(rng() % static_cast<std::uint32_t>(hi - lo + 1)); };
    for (const auto& [colour, bgr] : colours) {
        for (const auto& shape : shapes) {
            const auto folder = dir / (colour + " " + shape);
            std::filesystem::create_directories(folder);
            for (int i = 0; i < per_class; ++i) {
                const int grey = uniform(200, 250);
                cv::Mat image(128, 128, CV_8UC3, cv::Scalar(grey, grey, grey));
                const int r = uniform(22, 40);
                const cv::Point c(uniform(r + 4, 123 - r), uniform(r + 4, 123 - r));
                if (shape == "circle") {
                    cv::circle(image, c, r, bgr, cv::FILLED, cv::LINE_AA);
                } else if (shape == "square") {
                    cv::rectangle(image, cv::Point(c.x - r, c.y - r), cv::Point(c.x + r, c.y + r), bgr, cv::FILLED, cv::LINE_AA);
                } else {
                    const std::vector<cv::Point> triangle = {{c.x, c.y - r}, {c.x - r, c.y + r}, {c.x + r, c.y + r}};
                    cv::fillConvexPoly(image, triangle, bgr, cv::LINE_AA);
                }
                const auto name = folder / (std::to_string(i) + ".png");
                cv::imwrite(name.string(), image);
                std::ofstream(folder / (std::to_string(i) + ".txt"))
                    << "a " << colour << " " << shape << "\na photo of a " << colour << " " << shape << ".\n";
            }
        }
    }
}

inline std::filesystem::path write_untrained_model(const std::filesystem::path& dir, const std::string& preset = "tiny",
                                                   std::uint64_t seed = 1)
{
    write_untrained_model_dir(preset, dir, resources_dir() / "tokenizer", seed);
    return dir;
}

} // namespace phototune::test
