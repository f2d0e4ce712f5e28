// phototune-cli end to end on the fixture model: every verb, its --help, and its errors.
#include "core/io/tensor_io.h"
#include "support/cli_runner.h"
#include "support/fixtures.h"

#include <ATen/ATen.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>

#include <QTemporaryDir>
#include <QtTest>

using phototune::test::run_cli;
using phototune::test::str;

namespace {

// max |a - b| <= 1e-5 * max(1, max |golden|), the fixtures README's criterion.
void expect_close(const at::Tensor& actual, const at::Tensor& golden, const char* name)
{
    QCOMPARE(actual.sizes().vec(), golden.sizes().vec());
    const double tolerance = 1e-5 * std::max(1.0, golden.abs().max().item<double>());
    const double diff = (actual.to(at::kDouble) - golden.to(at::kDouble)).abs().max().item<double>();
    if (diff > tolerance) QFAIL(qPrintable(QStringLiteral("%1: max diff %2 > %3").arg(name).arg(diff).arg(tolerance)));
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void version_and_help();
    void tokenize_matches_hf();
    void tokenize_dash_texts();
    void embed_pixels_and_texts_match_golden();
    void embed_image_files();
    void zeroshot_prints_json();
    void init_model_creates_untrained_folder();
    void errors_go_to_stderr();
    void scan_lists_photos_and_skipped_files();
    void hw_describes_the_machine();
    void plan_predicts_memory_by_component();
    void recommend_fits_the_budget();
    void models_list_where_download();
};

void TestCli::version_and_help()
{
    const auto version = run_cli({"--version"});
    QCOMPARE(version.exit_code, 0);
    QVERIFY(version.out.contains("PhotoTune Studio"));
    QVERIFY(version.out.contains("LibTorch"));
    QVERIFY(version.out.contains("BLAS"));
    for (const char* verb : {"embed", "tokenize", "zeroshot", "init-model"}) {
        const auto help = run_cli({verb, "--help"});
        QCOMPARE(help.exit_code, 0);
        QVERIFY2(help.out.contains("--model") || help.out.contains("--preset"), verb);
    }
}

void TestCli::tokenize_matches_hf()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(cases_path, "tokenizer_cases.json");
    std::ifstream in(cases_path);
    const auto cases = nlohmann::json::parse(in).at("cases");
    QStringList arguments{"tokenize", "--model", str(model), "--"};
    for (const auto& c : cases) arguments << QString::fromStdString(c["text"].get<std::string>());
    const auto run = run_cli(arguments);
    QCOMPARE(run.exit_code, 0);
    const auto lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), static_cast<qsizetype>(cases.size()));
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto ids = nlohmann::json::parse(lines[static_cast<qsizetype>(i)].toStdString());
        QCOMPARE(ids, cases[i]["input_ids"]);
    }
}

void TestCli::tokenize_dash_texts()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
    const auto run = run_cli({"tokenize", "--model", str(model), "--", "-", "--x"});
    QCOMPARE(run.exit_code, 0);
    const auto lines = run.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    // "-" is one BPE token between SOT and EOT; "--x" is two pieces.
    QVERIFY(lines[0].startsWith("[49406,") && !lines[0].startsWith("[49406,49407"));
    QVERIFY(lines[1].startsWith("[49406,"));
}

void TestCli::embed_pixels_and_texts_match_golden()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "forward_golden.safetensors");
    QTemporaryDir dir;
    const QString out = dir.filePath("embeds.safetensors");
    const auto run = run_cli({"embed", "--model", str(model), "--pixels", str(golden_path), "--pixels-key",
                              "input.pixel_values", "--text", "a photo of a cat", "--text",
                              "a painting of a sunset over the mountains, oil on canvas", "--text",
                              "my dog Rex at the beach, golden hour, 35mm photo", "--text", "a close-up of a red flower",
                              "--out", out, "--batch", "3"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const auto golden = phototune::load_safetensors(golden_path);
    const auto result = phototune::load_safetensors(out.toStdString());
    expect_close(result.at("image_embeds"), golden.at("output.image_embeds"), "image_embeds");
    expect_close(result.at("text_embeds"), golden.at("output.text_embeds"), "text_embeds");
    expect_close(result.at("logits_per_image"), golden.at("output.logits_per_image"), "logits_per_image");
}

void TestCli::embed_image_files()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(images, "images");
    PHOTOTUNE_REQUIRE_FIXTURE(golden_path, "forward_golden.safetensors");
    QTemporaryDir dir;
    const QString out = dir.filePath("embeds.safetensors");
    // The golden batch's first three images, decoded and preprocessed by the studio itself (PNG: lossless).
    const auto run = run_cli({"embed", "--model", str(model), "--image", str(images / "img_300x200.png"), "--image",
                              str(images / "img_200x300.png"), "--image", str(images / "img_640x480.png"), "--out", out});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    const auto result = phototune::load_safetensors(out.toStdString());
    QVERIFY(!result.count("text_embeds"));
    const auto golden = phototune::load_safetensors(golden_path).at("output.image_embeds").narrow(0, 0, 3);
    expect_close(result.at("image_embeds"), golden, "image_embeds from files");
}

void TestCli::zeroshot_prints_json()
{
    PHOTOTUNE_REQUIRE_FIXTURE(model, "tiny-clip");
    PHOTOTUNE_REQUIRE_FIXTURE(images, "images");
    for (const char* mode : {"single", "ensemble"}) {
        QStringList arguments{"zeroshot", "--model", str(model), "--labels", "cat, dog,red flower"};
        if (QByteArray(mode) == "ensemble") arguments << "--ensemble";
        arguments << str(images / "img_300x200.jpg") << str(images / "img_rgba_333x222.png");
        const auto run = run_cli(arguments);
        QVERIFY2(run.exit_code == 0, qPrintable(run.err));
        const auto lines = run.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        for (const auto& line : lines) {
            const auto object = nlohmann::json::parse(line.toStdString());
            QVERIFY(object["file"].get<std::string>().find("img_") != std::string::npos);
            const auto& probabilities = object["probabilities"];
            QCOMPARE(probabilities.size(), std::size_t(3));
            double sum = 0, best = -1;
            std::string best_label;
            for (const auto& [label, p] : probabilities.items()) {
                sum += p.get<double>();
                if (p.get<double>() > best) best = p.get<double>(), best_label = label;
            }
            QVERIFY(std::abs(sum - 1.0) < 1e-5);
            QCOMPARE(object["label"].get<std::string>(), best_label);
        }
    }
}

void TestCli::init_model_creates_untrained_folder()
{
    QTemporaryDir dir;
    const QString out = dir.filePath("tiny");
    const auto run = run_cli({"init-model", "--preset", "tiny", "--out", out, "--seed", "3"});
    QVERIFY2(run.exit_code == 0, qPrintable(run.err));
    QVERIFY(run.err.contains("UNTRAINED"));
    const auto summary = nlohmann::json::parse(run.out.toStdString());
    QCOMPARE(summary["untrained"].get<bool>(), true);
    for (const char* file : {"config.json", "model.safetensors", "vocab.json", "merges.txt", "preprocessor_config.json"})
        QVERIFY2(QFile::exists(out + "/" + file), file);
    // Same seed, same weights; the folder works with the other verbs.
    const auto again = run_cli({"init-model", "--preset", "tiny", "--out", dir.filePath("tiny2"), "--seed", "3"});
    QCOMPARE(again.exit_code, 0);
    QFile a(out + "/model.safetensors"), b(dir.filePath("tiny2/model.safetensors"));
    QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
    QCOMPARE(a.readAll(), b.readAll());
    const auto tokens = run_cli({"tokenize", "--model", out, "--", "a photo of a cat"});
    QCOMPARE(tokens.exit_code, 0);
    QCOMPARE(tokens.out.trimmed().left(7), QString("[49406,"));
}

void TestCli::errors_go_to_stderr()
{
    QTemporaryDir dir;
    const auto no_model = run_cli({"zeroshot", "--model", dir.path(), "--labels", "a,b", str(PHOTOTUNE_CLI_PATH)});
    QVERIFY(no_model.exit_code != 0);
    QVERIFY(no_model.out.isEmpty());
    QVERIFY2(no_model.err.contains("config.json"), qPrintable(no_model.err));

    const auto usage = run_cli({"embed"});
    QVERIFY(usage.exit_code != 0);
    QVERIFY(usage.err.contains("--model"));

    const auto bad_preset = run_cli({"init-model", "--preset", "huge", "--out", dir.filePath("x")});
    QVERIFY(bad_preset.exit_code != 0);
}

QTEST_GUILESS_MAIN(TestCli)
// A small messy folder: two labels, an exact duplicate, an empty file, a text file named .jpg, a
// truncated JPEG and Thumbs.db; `scan --json` classifies each, and the text report names them.
void TestCli::scan_lists_photos_and_skipped_files()
{
    namespace fs = std::filesystem;
    QTemporaryDir tmp;
    const fs::path root = fs::path(tmp.path().toStdString()) / "photos";
    const fs::path demo = fs::path(PHOTOTUNE_SOURCE_DIR) / "resources/demo/animals";
    fs::create_directories(root / "cats");
    fs::create_directories(root / "dogs");
    fs::copy_file(demo / "gcompris_cat.jpg", root / "cats/cat.jpg");
    fs::copy_file(demo / "gcompris_cat.jpg", root / "cats/cat copy.jpg");
    fs::copy_file(demo / "gcompris_bison.jpg", root / "dogs/not really a dog.jpg");
    std::ofstream(root / "dogs/empty.jpg").flush();
    std::ofstream(root / "dogs/notes.jpg") << "shopping list: film, batteries\n";
    std::ifstream whole(demo / "gcompris_bison.jpg", std::ios::binary);
    std::string bytes(2000, '\0');
    whole.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::ofstream(root / "dogs/cut.jpg", std::ios::binary) << bytes;
    std::ofstream(root / "cats/Thumbs.db") << "junk";

    const auto run = run_cli({"scan", "--json", str(root)});
    QCOMPARE(run.exit_code, 0);
    const auto report = nlohmann::json::parse(run.out.toStdString());
    QCOMPARE(report["items"].size(), std::size_t{3});
    QCOMPARE(report["labels"]["cats"].get<int>(), 2);
    QCOMPARE(report["labels"]["dogs"].get<int>(), 1);
    std::map<std::string, std::string> reasons;
    for (const auto& skipped : report["skipped"]) {
        reasons[fs::path(skipped["path"].get<std::string>()).filename().string()] = skipped["reason"].get<std::string>();
        QVERIFY(!skipped["message"].get<std::string>().empty());
    }
    QCOMPARE(reasons, (std::map<std::string, std::string>{{"cut.jpg", "damaged"}, {"empty.jpg", "empty"}, {"notes.jpg", "not-an-image"}}));
    QCOMPARE(report["duplicates"].size(), std::size_t{1});
    QCOMPARE(report["duplicates"][0]["kind"].get<std::string>(), std::string("exact"));
    QVERIFY(report["ignored_files"].get<int>() >= 1); // Thumbs.db, without a word

    const auto text = run_cli({"scan", str(root)});
    QCOMPARE(text.exit_code, 0);
    QVERIFY2(text.out.contains("3 photos to use, 3 skipped, 1 duplicates"), qPrintable(text.out));
    QVERIFY(text.out.contains("cut.jpg [damaged]"));
}


void TestCli::hw_describes_the_machine()
{
    const auto text = run_cli({"hw"});
    QCOMPARE(text.exit_code, 0);
    QVERIFY(text.out.contains("CPU:") && text.out.contains("RAM:"));
    const auto json = run_cli({"hw", "--json"});
    QCOMPARE(json.exit_code, 0);
    const auto probe = nlohmann::json::parse(json.out.toStdString());
    QVERIFY(probe["cpu_logical_threads"].get<int>() >= 1);
    QVERIFY(probe["ram_total_bytes"].get<std::uint64_t>() > 0);
}

void TestCli::plan_predicts_memory_by_component()
{
    QTemporaryDir cache; // the device benchmark's cache and an untrained model folder
    const phototune::test::ScopedEnvironmentVariable cache_dir("PHOTOTUNE_CACHE_DIR", cache.path().toUtf8());
    const QString model = cache.filePath("model");
    QCOMPARE(run_cli({"init-model", "--preset", "tiny", "--out", model}).exit_code, 0);
    const auto json = run_cli({"plan", "--model", model, "--batch", "8", "--rank", "4", "--json"});
    QVERIFY2(json.exit_code == 0, qPrintable(json.err));
    const auto plan = nlohmann::json::parse(json.out.toStdString());
    const auto& memory = plan["prediction"]["memory"];
    std::uint64_t sum = 0;
    for (const auto& [name, bytes] : memory.items())
        if (name != "total_bytes") sum += bytes.get<std::uint64_t>();
    QCOMPARE(memory["total_bytes"].get<std::uint64_t>(), sum);
    QVERIFY(memory["saved_activations"].get<std::uint64_t>() > 0);
    QVERIFY(plan["prediction"]["time"]["step_seconds"].get<double>() > 0);
    QVERIFY(std::filesystem::exists(std::filesystem::path(cache.path().toStdString()) / "throughput.json"));

    const auto text = run_cli({"plan", "--model", "openai/clip-vit-base-patch32", "--batch", "32", "--grad-checkpointing",
                               "--precision", "bf16", "--device", "cuda", "--images", "2000"});
    QVERIFY2(text.exit_code == 0, qPrintable(text.err));
    for (const char* part : {"predicted peak memory", "frozen weights", "saved activations", "autocast weight copies",
                             "runtime overhead", "FLOPs per step"})
        QVERIFY2(text.out.contains(part), part);

    const auto unknown = run_cli({"plan", "--model", "no/such-model"});
    QCOMPARE(unknown.exit_code, 1);
    QVERIFY(unknown.err.contains("catalogue id"));
}

void TestCli::recommend_fits_the_budget()
{
    const auto json = run_cli({"recommend", "--preset", "8gib", "--goal", "balanced", "--images", "2000", "--json"});
    QVERIFY2(json.exit_code == 0, qPrintable(json.err));
    const auto r = nlohmann::json::parse(json.out.toStdString());
    QVERIFY(r["prediction"]["memory"]["total_bytes"].get<std::uint64_t>() <= r["budget_bytes"].get<std::uint64_t>());
    QVERIFY(r["setup"]["batch"].get<int>() >= 32);
    QCOMPARE(r["negatives_per_photo"].get<int>(), r["setup"]["batch"].get<int>() - 1);
    const auto all = run_cli({"recommend", "--preset", "all"});
    QVERIFY2(all.exit_code == 0, qPrintable(all.err));
    QCOMPARE(all.out.count(" at batch "), 8); // 6 ... 80 GiB and CPU only
    QVERIFY(all.out.contains("80 GiB GPU"));
    const auto tiny = run_cli({"recommend", "--budget", "100MiB", "--device", "cpu"});
    QCOMPARE(tiny.exit_code, 1);
    QVERIFY(tiny.err.contains("not even the smallest model"));
}

void TestCli::models_list_where_download()
{
    QTemporaryDir hub;
    qputenv("HF_HUB_CACHE", hub.path().toUtf8());
    const auto list = run_cli({"models", "list"});
    QCOMPARE(list.exit_code, 0);
    QVERIFY(list.out.contains("openai/clip-vit-base-patch32"));
    const auto json = run_cli({"models", "list", "--json"});
    QCOMPARE(json.exit_code, 0);
    QVERIFY(nlohmann::json::parse(json.out.toStdString())["models"].size() >= 3);
    const auto where = run_cli({"models", "where", "openai/clip-vit-base-patch32"});
    QCOMPARE(where.exit_code, 1);
    QVERIFY(where.err.contains("not downloaded"));
    qputenv("HF_ENDPOINT", "http://127.0.0.1:9"); // nothing listens there: the download fails at once
    const auto download = run_cli({"models", "download", "openai/clip-vit-base-patch32"});
    QCOMPARE(download.exit_code, 1);
    QVERIFY(download.err.contains("error"));
    const auto unknown = run_cli({"models", "where", "no/such-model"});
    QCOMPARE(unknown.exit_code, 1);
    qunsetenv("HF_ENDPOINT");
    qunsetenv("HF_HUB_CACHE");
}

#include "test_cli.moc"
