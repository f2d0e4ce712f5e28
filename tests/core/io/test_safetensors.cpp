// safetensors without LibTorch: round trips, the golden fixtures, and hostile files that must be
// refused with their reason (this program also runs under AddressSanitizer + UBSan).
#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "core/util/files.h"

#include "support/fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <fstream>
#include <numeric>
#include <random>

using namespace phototune;

namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes le64(std::uint64_t value)
{
    Bytes bytes(8);
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
    return bytes;
}

// A file from its parts: the length prefix (normally the header's size), the header text, the data.
Bytes raw_file(const std::string& header, std::size_t data_bytes, std::optional<std::uint64_t> length = {})
{
    Bytes file = le64(length.value_or(header.size()));
    file.insert(file.end(), header.begin(), header.end());
    for (std::size_t i = 0; i < data_bytes; ++i) file.push_back(static_cast<std::uint8_t>(i));
    return file;
}

// A plain write (no fsync): the fuzzers below write thousands of scratch files.
void write_bytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    QVERIFY(out.good());
}

Bytes counting_bytes(std::size_t count, std::uint8_t start)
{
    Bytes bytes(count);
    std::iota(bytes.begin(), bytes.end(), start);
    return bytes;
}

// Three small tensors of different dtypes: the seed for the truncation and byte-flip fuzzers.
Bytes small_valid_file(const std::filesystem::path& folder)
{
    const Bytes a = counting_bytes(4 * 6, 1), b = counting_bytes(2 * 3, 50), c = counting_bytes(8, 90);
    const TensorToWrite tensors[] = {{"weight", DType::F32, {2, 3}, a}, {"half", DType::F16, {3}, b}, {"step", DType::I64, {}, c}};
    const auto path = folder / "seed.safetensors";
    write_safetensors(path, tensors, {{"format", "pt"}});
    return read_binary_file(path);
}

// Opening `bytes` must either succeed with views inside the file or throw phototune::Error.
bool opens_safely(const std::filesystem::path& path, const Bytes& bytes)
{
    write_bytes(path, bytes);
    try {
        const auto file = SafetensorsFile::open(path);
        for (const auto& view : file.tensors())
            if (view.bytes.size() != static_cast<std::size_t>(view.numel()) * dtype_size(view.dtype)) return false;
        return true;
    } catch (const Error&) {
        return true;
    }
}

} // namespace

class TestSafetensors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void dtype_names();
    void round_trip_all_dtypes();
    void tensors_are_aligned_and_outlive_the_file();
    void lookup();
    void writer_refuses_bad_tensors();
    void reads_forward_golden();
    void reads_tiny_clip();
    void missing_file_is_not_found();
    void hostile_files_are_refused_data();
    void hostile_files_are_refused();
    void every_truncation_is_refused();
    void header_byte_flips_never_crash();
};

void TestSafetensors::dtype_names()
{
    for (const DType dtype : {DType::F64, DType::F32, DType::F16, DType::BF16, DType::I64, DType::I32, DType::I16,
                              DType::I8, DType::U8, DType::BOOL})
        QCOMPARE(dtype_from_name(dtype_name(dtype)), std::optional<DType>(dtype));
    QCOMPARE(dtype_size(DType::BF16), std::size_t{2});
    QCOMPARE(dtype_size(DType::F64), std::size_t{8});
    QCOMPARE(dtype_size(DType::BOOL), std::size_t{1});
    QVERIFY(!dtype_from_name("f32"));
}

void TestSafetensors::round_trip_all_dtypes()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/all.safetensors";
    struct Spec {
        const char* name;
        DType dtype;
        std::vector<std::int64_t> shape;
    };
    const std::vector<Spec> specs = {
        {"f64", DType::F64, {2, 2}}, {"f32", DType::F32, {3}},      {"f16", DType::F16, {1, 5}},
        {"bf16", DType::BF16, {7}},  {"i64", DType::I64, {2}},      {"i32", DType::I32, {3, 1}},
        {"i16", DType::I16, {3}},    {"i8", DType::I8, {5}},        {"u8", DType::U8, {2, 3, 1}},
        {"bool", DType::BOOL, {4}},  {"scalar", DType::F32, {}},    {"empty", DType::F32, {0, 3}},
        {"empty_u8", DType::U8, {0}}};
    std::vector<Bytes> data;
    std::vector<TensorToWrite> tensors;
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto numel = std::accumulate(specs[i].shape.begin(), specs[i].shape.end(), std::int64_t{1}, std::multiplies<>());
        data.push_back(counting_bytes(static_cast<std::size_t>(numel) * dtype_size(specs[i].dtype), static_cast<std::uint8_t>(i * 16)));
        if (specs[i].dtype == DType::BOOL)
            for (auto& byte : data.back()) byte &= 1;
    }
    for (std::size_t i = 0; i < specs.size(); ++i) tensors.push_back({specs[i].name, specs[i].dtype, specs[i].shape, data[i]});
    const std::map<std::string, std::string> metadata = {{"format", "pt"}, {"note", "ünïcode ✓"}};
    write_safetensors(path, tensors, metadata);

    const auto bytes = read_binary_file(path);
    // Like the reference writer: the header is padded with spaces so that the data starts 8-aligned.
    std::uint64_t header_size = 0;
    for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | bytes[static_cast<std::size_t>(i)];
    QCOMPARE(header_size % 8, std::uint64_t{0});
    QCOMPARE(bytes[8], std::uint8_t{'{'});
    QVERIFY(std::string(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(header_size)).starts_with(R"({"__metadata__":)"));

    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file.tensors().size(), specs.size());
    QCOMPARE(file.metadata(), metadata);
    QCOMPARE(file.path(), path);
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& view = file.at(specs[i].name);
        QCOMPARE(view.dtype, specs[i].dtype);
        QCOMPARE(view.shape, specs[i].shape);
        QCOMPARE(Bytes(view.bytes.begin(), view.bytes.end()), data[i]);
    }
    QCOMPARE(file.at("scalar").numel(), std::int64_t{1});
    QCOMPARE(file.at("empty").numel(), std::int64_t{0});
    // tensors() follows the data offsets.
    for (std::size_t i = 1; i < file.tensors().size(); ++i)
        QVERIFY(file.tensors()[i - 1].bytes.data() + file.tensors()[i - 1].bytes.size() == file.tensors()[i].bytes.data());

    // No metadata and no tensors is a valid file too.
    write_safetensors(path, {});
    const auto empty = SafetensorsFile::open(path);
    QVERIFY(empty.tensors().empty());
    QVERIFY(empty.metadata().empty());
}

void TestSafetensors::tensors_are_aligned_and_outlive_the_file()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/aligned.safetensors";
    const Bytes one = {7}, eight = counting_bytes(8, 0), four = counting_bytes(4, 0), two = counting_bytes(2, 0);
    // Given in the worst order: the writer still lays them out aligned.
    const TensorToWrite tensors[] = {{"a_u8", DType::U8, {1}, one}, {"b_f16", DType::F16, {1}, two},
                                     {"c_f32", DType::F32, {1}, four}, {"d_i64", DType::I64, {1}, eight}};
    write_safetensors(path, tensors);
    std::shared_ptr<const void> owner;
    std::span<const std::uint8_t> kept;
    {
        auto opened = SafetensorsFile::open(path);
        for (const auto& view : opened.tensors())
            QCOMPARE(reinterpret_cast<std::uintptr_t>(view.bytes.data()) % dtype_size(view.dtype), std::uintptr_t{0});
        const auto moved = std::move(opened);
        QCOMPARE(moved.at("d_i64").bytes.size(), std::size_t{8});
        owner = moved.keep_alive();
        kept = moved.at("d_i64").bytes;
    }
    QCOMPARE(Bytes(kept.begin(), kept.end()), eight); // still mapped through `owner`
}

void TestSafetensors::lookup()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/lookup.safetensors";
    const Bytes four = counting_bytes(4, 0);
    const TensorToWrite tensors[] = {{"present", DType::F32, {}, four}};
    write_safetensors(path, tensors);
    const auto file = SafetensorsFile::open(path);
    QVERIFY(file.find("present") != nullptr);
    QVERIFY(file.find("absent") == nullptr);
    try {
        file.at("absent.weight");
        QFAIL("expected NotFound");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("absent.weight") != std::string::npos);
        QVERIFY(std::string(e.what()).find("lookup.safetensors") != std::string::npos);
    }
}

void TestSafetensors::writer_refuses_bad_tensors()
{
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/bad.safetensors";
    const Bytes four = counting_bytes(4, 0);
    const std::vector<std::pair<std::vector<TensorToWrite>, std::string>> cases = {
        {{{"short", DType::F32, {2}, four}}, "8 bytes, but 4 bytes were given"},
        {{{"twice", DType::F32, {}, four}, {"twice", DType::F32, {}, four}}, "used twice"},
        {{{"__metadata__", DType::F32, {}, four}}, "reserved"},
        {{{"negative", DType::U8, {-4}, four}}, "negative dimension"},
        {{{std::string("bad\xff utf8"), DType::F32, {}, four}}, "not valid UTF-8"},
    };
    for (const auto& [tensors, reason] : cases) {
        try {
            write_safetensors(path, tensors);
            QFAIL(("expected a refusal: " + reason).c_str());
        } catch (const Error& e) {
            QCOMPARE(e.category(), ErrorCategory::InvalidInput);
            QVERIFY2(std::string(e.what()).find(reason) != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("bad.safetensors") != std::string::npos, e.what());
        }
        QVERIFY(!std::filesystem::exists(path));
    }
}

void TestSafetensors::reads_forward_golden()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "forward_golden.safetensors");
    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file.metadata().at("format"), std::string("pt"));
    const auto& ids = file.at("input.input_ids");
    QCOMPARE(ids.dtype, DType::I64);
    QCOMPARE(ids.shape, (std::vector<std::int64_t>{4, 77}));
    const auto& pixels = file.at("input.pixel_values");
    QCOMPARE(pixels.dtype, DType::F32);
    QCOMPARE(pixels.shape, (std::vector<std::int64_t>{4, 3, 224, 224}));
    const auto& scale = file.at("output.logit_scale");
    QVERIFY(scale.shape.empty());
    QCOMPARE(scale.bytes.size(), std::size_t{4});
    QCOMPARE(file.at("output.text_hidden_states.0").shape, (std::vector<std::int64_t>{4, 77, 64}));
    // The first id of every prompt is <|startoftext|>.
    std::int64_t first_id = 0;
    std::memcpy(&first_id, ids.bytes.data(), sizeof first_id);
    QCOMPARE(first_id, std::int64_t{49406});
}

void TestSafetensors::reads_tiny_clip()
{
    PHOTOTUNE_REQUIRE_FIXTURE(path, "tiny-clip/model.safetensors");
    const auto file = SafetensorsFile::open(path);
    QCOMPARE(file.tensors().size(), std::size_t{78});
    std::int64_t params = 0;
    for (const auto& view : file.tensors()) {
        QCOMPARE(view.dtype, DType::F32);
        params += view.numel();
    }
    QCOMPARE(params, std::int64_t{3505281});
    QCOMPARE(file.at("text_model.embeddings.token_embedding.weight").shape, (std::vector<std::int64_t>{49408, 64}));
    QCOMPARE(file.at("vision_model.embeddings.class_embedding").shape, (std::vector<std::int64_t>{64}));
    QCOMPARE(file.at("text_model.encoder.layers.0.self_attn.q_proj.weight").shape, (std::vector<std::int64_t>{64, 64}));
    float logit_scale = 0;
    std::memcpy(&logit_scale, file.at("logit_scale").bytes.data(), sizeof logit_scale);
    QCOMPARE(logit_scale, 2.6592f);
}

void TestSafetensors::missing_file_is_not_found()
{
    QTemporaryDir dir;
    try {
        SafetensorsFile::open(dir.path().toStdString() + "/nowhere.safetensors");
        QFAIL("expected NotFound");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("nowhere.safetensors") != std::string::npos);
    }
    try {
        SafetensorsFile::open(dir.path().toStdString());
        QFAIL("a folder is not a safetensors file");
    } catch (const Error& e) {
        QVERIFY2(std::string(e.what()).find("not a regular file") != std::string::npos, e.what());
    }
}

void TestSafetensors::hostile_files_are_refused_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<int>("category");
    const auto invalid = static_cast<int>(ErrorCategory::InvalidInput);
    const auto add = [&](const char* tag, const Bytes& bytes, const char* reason, int category) {
        QTest::newRow(tag) << QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size()))
                           << QString(reason) << category;
    };
    const auto tensor = [](const std::string& name, const std::string& fields) {
        return "\"" + name + "\":{" + fields + "}";
    };
    const std::string f32_scalar = R"("dtype":"F32","shape":[],"data_offsets":[0,4])";

    add("empty file", {}, "0 bytes long, shorter than the 8-byte header length", invalid);
    add("seven bytes", {1, 2, 3, 4, 5, 6, 7}, "7 bytes long", invalid);
    add("header past the end", raw_file("{}", 0, 100), "header length 100 runs past the end of the file", invalid);
    add("header over 100 MiB", raw_file("{}", 0, 200ull << 20), "exceeds the limit", invalid);
    add("header length 2^64-1", raw_file("{}", 0, ~0ull), "exceeds the limit", invalid);
    add("zero-length header", raw_file("", 0), "not valid JSON", invalid);
    add("invalid JSON", raw_file(R"({"a":)", 0), "not valid JSON", invalid);
    add("invalid UTF-8", raw_file("{\"\xff\":{}}", 0), "not valid JSON", invalid);
    add("JSON array", raw_file("[1,2]", 0), "header is not a JSON object", invalid);
    add("JSON string", raw_file("\"x\"", 0), "header is not a JSON object", invalid);
    add("deep nesting", raw_file("{\"a\":" + std::string(5000, '[') + std::string(5000, ']') + "}", 0), "nests deeper", invalid);
    add("entry not an object", raw_file(R"({"a":5})", 0), "entry 'a' is not an object", invalid);
    add("missing dtype", raw_file("{" + tensor("a", R"("shape":[],"data_offsets":[0,4])") + "}", 4), "tensor 'a' has no dtype string", invalid);
    add("unknown dtype", raw_file("{" + tensor("a", R"("dtype":"F33","shape":[],"data_offsets":[0,4])") + "}", 4),
        "tensor 'a' has unknown dtype 'F33'", invalid);
    add("unsupported dtype", raw_file("{" + tensor("a", R"("dtype":"U32","shape":[],"data_offsets":[0,4])") + "}", 4),
        "dtype U32, which PhotoTune does not support", static_cast<int>(ErrorCategory::Unsupported));
    add("shape not a list", raw_file("{" + tensor("a", R"("dtype":"F32","shape":4,"data_offsets":[0,4])") + "}", 4),
        "shape of tensor 'a' is not a list of non-negative integers", invalid);
    add("missing shape", raw_file("{" + tensor("a", R"("dtype":"F32","data_offsets":[0,4])") + "}", 4),
        "shape of tensor 'a' is not a list", invalid);
    add("negative dimension", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[-1],"data_offsets":[0,4])") + "}", 4),
        "shape of tensor 'a' is not a list", invalid);
    add("fractional dimension", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[1.5],"data_offsets":[0,4])") + "}", 4),
        "shape of tensor 'a' is not a list", invalid);
    add("dimension over int64", raw_file("{" + tensor("a", R"("dtype":"U8","shape":[18446744073709551615],"data_offsets":[0,4])") + "}", 4),
        "shape of tensor 'a' is not a list", invalid);
    add("shape overflow", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4])") + "}", 4),
        "overflows", invalid);
    add("offsets not a pair", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[],"data_offsets":[0])") + "}", 4),
        "data_offsets of tensor 'a' are not two non-negative integers", invalid);
    add("offsets as strings", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[],"data_offsets":["0","4"])") + "}", 4),
        "data_offsets of tensor 'a' are not two non-negative integers", invalid);
    add("negative offset", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[],"data_offsets":[-4,0])") + "}", 4),
        "data_offsets of tensor 'a' are not two", invalid);
    add("reversed offsets", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[],"data_offsets":[4,0])") + "}", 4),
        "reversed (begin 4 > end 0)", invalid);
    add("offsets past the data", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[2],"data_offsets":[0,8])") + "}", 4),
        "end at byte 8, past the end of the data (4 bytes)", invalid);
    add("huge offsets", raw_file("{" + tensor("a", R"("dtype":"U8","shape":[1],"data_offsets":[18446744073709551614,18446744073709551615])") + "}", 4),
        "past the end of the data", invalid);
    add("size mismatch", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[2],"data_offsets":[0,4])") + "}", 4),
        "has shape [2] of F32 = 8 bytes, but its data_offsets span 4 bytes", invalid);
    add("bool byte 2", raw_file("{" + tensor("a", R"("dtype":"BOOL","shape":[3],"data_offsets":[0,3])") + "}", 3),
        "BOOL tensor 'a' holds a byte other than 0 or 1", invalid);
    add("overlap", raw_file("{" + tensor("a", f32_scalar) + "," + tensor("b", R"("dtype":"F32","shape":[],"data_offsets":[2,6])") + "}", 8),
        "data of tensor 'b' overlaps tensor 'a'", invalid);
    add("same range twice", raw_file("{" + tensor("a", f32_scalar) + "," + tensor("b", f32_scalar) + "}", 4), "overlaps", invalid);
    add("gap", raw_file("{" + tensor("a", f32_scalar) + "," + tensor("b", R"("dtype":"F32","shape":[],"data_offsets":[8,12])") + "}", 12),
        "gap of 4 bytes before tensor 'b'", invalid);
    add("data before the first tensor", raw_file("{" + tensor("a", R"("dtype":"F32","shape":[],"data_offsets":[4,8])") + "}", 8),
        "gap of 4 bytes before tensor 'a'", invalid);
    add("trailing garbage", raw_file("{" + tensor("a", f32_scalar) + "}", 9), "trailing garbage: 5 bytes after the last tensor", invalid);
    add("data without tensors", raw_file("{}", 3), "trailing garbage: 3 bytes", invalid);
    add("duplicate names", raw_file("{" + tensor("a", f32_scalar) + "," + tensor("a", f32_scalar) + "}", 4),
        "tensor name 'a' appears twice", invalid);
    add("duplicate field", raw_file(R"({"a":{"dtype":"F32","dtype":"F64","shape":[],"data_offsets":[0,4]}})", 4),
        "key 'dtype' appears twice in one object", invalid);
    add("duplicate metadata key", raw_file(R"({"__metadata__":{"format":"pt","format":"np"}})", 0),
        "key 'format' appears twice", invalid);
    add("metadata not an object", raw_file(R"({"__metadata__":"pt"})", 0), "__metadata__ is not a JSON object", invalid);
    add("metadata value not a string", raw_file(R"({"__metadata__":{"format":"pt","epochs":3}})", 0),
        "metadata value of 'epochs' is not a string", invalid);
}

void TestSafetensors::hostile_files_are_refused()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    QFETCH(int, category);
    QTemporaryDir dir;
    const std::filesystem::path path = dir.path().toStdString() + "/hostile-case.safetensors";
    write_bytes(path, {reinterpret_cast<const std::uint8_t*>(content.constData()), static_cast<std::size_t>(content.size())});
    try {
        SafetensorsFile::open(path);
        QFAIL("the file was accepted");
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(message.find(reason.toStdString()) != std::string::npos, message.c_str());
        QVERIFY2(message.find(path_for_display(path)) != std::string::npos, message.c_str());
        QCOMPARE(static_cast<int>(e.category()), category);
    }
}

void TestSafetensors::every_truncation_is_refused()
{
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    const Bytes valid = small_valid_file(folder);
    const auto path = folder / "truncated.safetensors";
    for (std::size_t length = 0; length < valid.size(); ++length) {
        write_bytes(path, {valid.data(), length});
        try {
            SafetensorsFile::open(path);
            QFAIL(("a prefix of " + std::to_string(length) + " bytes was accepted").c_str());
        } catch (const Error& e) {
            QCOMPARE(e.category(), ErrorCategory::InvalidInput);
        }
    }
    write_bytes(path, valid);
    QCOMPARE(SafetensorsFile::open(path).tensors().size(), std::size_t{3});
}

void TestSafetensors::header_byte_flips_never_crash()
{
    QTemporaryDir dir;
    const std::filesystem::path folder = dir.path().toStdString();
    const Bytes valid = small_valid_file(folder);
    std::uint64_t header_size = 0;
    for (int i = 7; i >= 0; --i) header_size = (header_size << 8) | valid[static_cast<std::size_t>(i)];
    std::mt19937 random(20240601);
    std::uniform_int_distribution<std::size_t> position(0, 8 + header_size - 1);
    std::uniform_int_distribution<int> value(0, 255), flips(1, 4);
    const auto path = folder / "flipped.safetensors";
    for (int round = 0; round < 1500; ++round) {
        Bytes mutated = valid;
        for (int n = flips(random); n > 0; --n) mutated[position(random)] = static_cast<std::uint8_t>(value(random));
        QVERIFY2(opens_safely(path, mutated), ("round " + std::to_string(round)).c_str());
    }
}

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
