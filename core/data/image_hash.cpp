#include "core/data/image_hash.h"

#include "core/util/error.h"
#include "core/util/files.h"

#include <openssl/evp.h>
#include <opencv2/imgproc.hpp>

#include <bit>
#include <fstream>
#include <memory>
#include <vector>

namespace phototune {

Sha256 sha256(std::span<const std::uint8_t> bytes)
{
    Sha256 digest{};
    unsigned int length = 0;
    const bool ok = EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) == 1;
    PHOTOTUNE_CHECK(ok && length == digest.size(), ErrorCategory::Internal, "OpenSSL SHA-256 failed");
    return digest;
}

Sha256 sha256_of_file(const std::filesystem::path& file)
{
    std::ifstream in(file, std::ios::binary);
    PHOTOTUNE_CHECK(in.good(), ErrorCategory::Io, "cannot read '" + path_for_display(file) + "' to hash it");
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    PHOTOTUNE_CHECK(context && EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) == 1, ErrorCategory::Internal,
                    "OpenSSL SHA-256 failed");
    std::vector<char> block(1 << 20);
    while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0)
        EVP_DigestUpdate(context.get(), block.data(), static_cast<std::size_t>(in.gcount()));
    PHOTOTUNE_CHECK(in.eof(), ErrorCategory::Io, "reading '" + path_for_display(file) + "' failed while hashing it");
    Sha256 digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(context.get(), digest.data(), &length);
    return digest;
}

std::string to_hex(const Sha256& digest)
{
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(digest.size() * 2);
    for (const std::uint8_t byte : digest) {
        hex.push_back(digits[byte >> 4]);
        hex.push_back(digits[byte & 0xF]);
    }
    return hex;
}

std::uint64_t difference_hash(std::span<const std::uint8_t> rgb, int width, int height)
{
    PHOTOTUNE_CHECK(width > 0 && height > 0 && rgb.size() == static_cast<std::size_t>(width) * height * 3,
                    ErrorCategory::Internal, "difference_hash: pixel buffer does not match its size");
    const cv::Mat image(height, width, CV_8UC3, const_cast<std::uint8_t*>(rgb.data()));
    cv::Mat grey;
    cv::Mat small;
    cv::cvtColor(image, grey, cv::COLOR_RGB2GRAY);
    cv::resize(grey, small, cv::Size(9, 8), 0, 0, cv::INTER_AREA);
    std::uint64_t hash = 0;
    for (int y = 0; y < 8; ++y)
        for (int x = 0; x < 8; ++x)
            hash = (hash << 1) | (small.at<std::uint8_t>(y, x) > small.at<std::uint8_t>(y, x + 1) ? 1u : 0u);
    return hash;
}

int hamming_distance(std::uint64_t a, std::uint64_t b) noexcept
{
    return std::popcount(a ^ b);
}

} // namespace phototune
