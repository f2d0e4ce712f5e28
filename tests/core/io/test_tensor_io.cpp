// safetensors <-> LibTorch: values match the raw bytes, loads share the mapping, saves round-trip.
#include "core/io/tensor_io.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include "support/fixtures.h"

#include <ATen/TensorOperators.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/randn.h>
#include <ATen/ops/zeros.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace phototune;

namespace {

// The reference decode: copy the little-endian bytes into a freshly allocated tensor.
at::Tensor manual_decode(const TensorView& view)
{
    auto tensor = at::zeros(view.shape, at::TensorOptions().dtype(to_scalar_type(view.dtype)));
    std::memcpy(tensor.data_ptr(), view.bytes.data(), view.bytes.size());
    return tensor;
}

} // namespace

class TestTensorIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fixture_values_match_manual_decode();
    void loads_share_the_mapping();
    void in_place_writes_never_reach_the_file();
    void misaligned_data_is_copied();
    void save_load_round_trip();
    void unsupported_dtype_is_refused();
};

void TestTensorIo::fixture_values_match_manual_decode()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip/model.safetensors");
    PHOTOTUNE_REQUIRE_FIXTURE(forward, "forward_golden.safetensors");
    for (const auto& path : {model, forward}) {
        const auto loaded = load_safetensors(path);
        const auto file = SafetensorsFile::open(path);
        QCOMPARE(loaded.size(), file.tensors().size());
        for (const auto& view : file.tensors()) {
            const auto& tensor = loaded.at(view.name);
            QCOMPARE(tensor.scalar_type(), to_scalar_type(view.dtype));
            QCOMPARE(std::vector<std::int64_t>(tensor.sizes().begin(), tensor.sizes().end()), view.shape);
            QVERIFY2(at::equal(tensor, manual_decode(view)), view.name.c_str());
        }
    }
    const auto golden = load_safetensors(forward);
    QCOMPARE(golden.at("input.input_ids").scalar_type(), at::kLong);
    QCOMPARE(golden.at("input.input_ids")[0][0].item<std::int64_t>(), std::int64_t{49406});
    QCOMPARE(golden.at("output.logit_scale").dim(), std::int64_t{0});
    QCOMPARE(load_safetensors(model).at("logit_scale").item<float>(), 2.6592f);
}

void TestTensorIo::loads_share_the_mapping()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "tiny-clip/model.safetensors");
    at::Tensor embedding;
    const void* mapped = nullptr;
    at::Tensor expected;
    {
        const auto file = SafetensorsFile::open(path);
        const auto& view = file.at("text_model.embeddings.token_embedding.weight");
        embedding = tensor_from_view(view, file.keep_alive());
        mapped = view.bytes.data();
        expected = manual_decode(view);
    }
    // Zero-copy, and the tensor keeps the mapping alive after the file object is gone.
    QCOMPARE(static_cast<const void*>(embedding.data_ptr()), mapped);
    QVERIFY(at::equal(embedding, expected));
}

void TestTensorIo::in_place_writes_never_reach_the_file()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/weights.safetensors";
    const auto original = at::arange(12, at::kFloat).reshape({3, 4});
    save_safetensors(path, {{"w", original}});
    {
        auto loaded = load_safetensors(path);
        loaded.at("w").mul_(10); // lands in a private page of the mapping
        QVERIFY(at::equal(loaded.at("w"), original * 10));
    }
    QVERIFY(at::equal(load_safetensors(path).at("w"), original));
}

void TestTensorIo::misaligned_data_is_copied()
{
    // A U8 tensor of one byte first puts the F32 tensor at data offset 1.
    const std::string header = R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                               R"("b":{"dtype":"F32","shape":[2],"data_offsets":[1,9]}})";
    std::vector<std::uint8_t> bytes(8);
    for (int i = 0; i < 8; ++i) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(header.size() >> (8 * i));
    bytes.insert(bytes.end(), header.begin(), header.end());
    bytes.push_back(42);
    const float values[] = {1.5f, -2.25f};
    const auto* value_bytes = reinterpret_cast<const std::uint8_t*>(values);
    bytes.insert(bytes.end(), value_bytes, value_bytes + sizeof values);

    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/packed.safetensors";
    const std::span<const std::uint8_t> pieces[] = {bytes};
    write_file_atomic(path, pieces);
    const auto file = SafetensorsFile::open(path);
    const auto& view = file.at("b");
    QVERIFY(reinterpret_cast<std::uintptr_t>(view.bytes.data()) % 4 != 0);
    const auto tensor = tensor_from_view(view, file.keep_alive());
    QVERIFY(static_cast<const void*>(tensor.data_ptr()) != static_cast<const void*>(view.bytes.data()));
    QCOMPARE(tensor[0].item<float>(), 1.5f);
    QCOMPARE(tensor[1].item<float>(), -2.25f);
    QCOMPARE(tensor_from_view(file.at("a"), file.keep_alive())[0].item<std::uint8_t>(), std::uint8_t{42});
}

void TestTensorIo::save_load_round_trip()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/round.safetensors";
    const auto base = at::randn({5, 3}, at::kFloat);
    const std::vector<std::pair<std::string, at::Tensor>> tensors = {
        {"f32", base},
        {"f16", base.to(at::kHalf)},
        {"bf16", base.to(at::kBFloat16)},
        {"i64", at::arange(-3, 4, at::kLong)},
        {"u8", at::arange(0, 250, 7, at::kByte)},
        {"bool", base > 0},
        {"scalar", at::randn({}, at::kFloat)},
        {"empty", at::zeros({0, 4}, at::kFloat)},
        {"transposed", base.t()}, // not contiguous: saved as its logical values
        {"f64", base.to(at::kDouble)},
        {"i32", at::arange(5, at::kInt)},
        {"i16", at::arange(5, at::kShort)},
        {"i8", at::arange(-5, 5, at::kChar)},
    };
    save_safetensors(path, tensors, {{"format", "pt"}});
    const auto loaded = load_safetensors(path);
    QCOMPARE(loaded.size(), tensors.size());
    for (const auto& [name, tensor] : tensors) {
        const auto& back = loaded.at(name);
        QCOMPARE(back.scalar_type(), tensor.scalar_type());
        QCOMPARE(back.sizes(), tensor.sizes());
        QVERIFY2(at::equal(back, tensor), name.c_str());
    }
    QCOMPARE(SafetensorsFile::open(path).metadata().at("format"), std::string("pt"));
}

void TestTensorIo::unsupported_dtype_is_refused()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/complex.safetensors";
    try {
        save_safetensors(path, {{"z", at::zeros({2}, at::kComplexFloat)}});
        QFAIL("expected Unsupported");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::Unsupported);
        QVERIFY2(std::string(e.what()).find("'z'") != std::string::npos, e.what());
        QVERIFY2(std::string(e.what()).find("complex.safetensors") != std::string::npos, e.what());
    }
    QVERIFY(!std::filesystem::exists(path));
}

QTEST_GUILESS_MAIN(TestTensorIo)
#include "test_tensor_io.moc"
