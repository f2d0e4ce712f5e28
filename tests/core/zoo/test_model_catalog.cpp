// The shipped model catalogue loads and every entry is complete; broken catalogues are refused
// with messages that name the file and the entry.
#include "core/util/error.h"
#include "core/util/files.h"
#include "core/zoo/model_catalog.h"

#include <QtTest>

#include <nlohmann/json.hpp>

#include <functional>

using namespace phototune;

namespace {

std::filesystem::path shipped_catalog() { return std::filesystem::path(PHOTOTUNE_SOURCE_DIR) / "resources" / "models.json"; }

std::string refusal(const std::string& text)
{
    try {
        ModelCatalog::parse(text, "'test.json'");
    } catch (const Error& e) {
        return e.what();
    }
    return "(accepted)";
}

} // namespace

class TestModelCatalog : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shipped_catalogue_is_complete();
    void shapes_match_parameter_counts();
    void find_and_get();
    void broken_catalogues_are_refused();
};

void TestModelCatalog::shipped_catalogue_is_complete()
{
    const ModelCatalog catalog = ModelCatalog::load(shipped_catalog());
    QVERIFY(catalog.models().size() >= 12);
    for (const char* id : {"openai/clip-vit-base-patch32", "openai/clip-vit-base-patch16", "openai/clip-vit-large-patch14",
                           "openai/clip-vit-large-patch14-336", "laion/CLIP-ViT-B-32-laion2B-s34B-b79K",
                           "laion/CLIP-ViT-B-16-laion2B-s34B-b88K", "laion/CLIP-ViT-L-14-laion2B-s32B-b82K",
                           "laion/CLIP-ViT-H-14-laion2B-s32B-b79K"}) {
        const ModelEntry& model = catalog.get(id);
        QVERIFY2(model.supported, id);
        QCOMPARE(model.revision, std::string("main"));
        QCOMPARE(model.licence.id, std::string("MIT"));
        QVERIFY(!model.licence.research_only);
        QCOMPARE(model.context_length, 77);
        const auto names = model.file_names();
        for (const char* file : {"config.json", "model.safetensors", "vocab.json", "merges.txt", "preprocessor_config.json"})
            QVERIFY2(std::find(names.begin(), names.end(), file) != names.end(), file);
    }
    int mobileclip = 0;
    for (const auto& model : catalog.models()) {
        if (model.architecture != "mobileclip") continue;
        ++mobileclip;
        QVERIFY(!model.supported);
        QVERIFY(!model.unsupported_reason.empty());
        QVERIFY(model.licence.research_only);
        QVERIFY(model.id.starts_with("apple/"));
    }
    QVERIFY(mobileclip >= 4);
}

void TestModelCatalog::shapes_match_parameter_counts()
{
    // Recomputes each supported model's parameters from its shape (HF CLIP layout): a typo in a
    // width or depth shows up here.
    const ModelCatalog catalog = ModelCatalog::load(shipped_catalog());
    for (const auto& model : catalog.models()) {
        if (!model.supported) continue;
        const auto blocks = [](const TowerSpec& t) {
            const std::int64_t w = *t.width, m = *t.mlp_width;
            return *t.layers * (4 * (w * w + w) + 4 * w + w * m + m + m * w + w);
        };
        const std::int64_t vw = *model.vision.width, p = *model.patch_size, proj = model.projection_dim;
        const std::int64_t tokens = (model.image_size / p) * (model.image_size / p) + 1;
        const std::int64_t vision = 3 * p * p * vw + vw + tokens * vw + 4 * vw + blocks(model.vision) + vw * proj;
        const std::int64_t tw = *model.text.width;
        const std::int64_t text = *model.text_vocab_size * tw + model.context_length * tw + blocks(model.text) + 2 * tw + tw * proj;
        QCOMPARE(model.vision.params, vision);
        QCOMPARE(model.text.params, text);
    }
    QCOMPARE(catalog.get("openai/clip-vit-base-patch32").params_total(), std::int64_t{151'277'312});
}

void TestModelCatalog::find_and_get()
{
    const ModelCatalog catalog = ModelCatalog::load(shipped_catalog());
    QVERIFY(catalog.find("openai/clip-vit-base-patch32"));
    QVERIFY(!catalog.find("openai/clip-vit-giant"));
    try {
        catalog.get("openai/clip-vit-giant");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
        QVERIFY(std::string(e.what()).find("openai/clip-vit-base-patch32") != std::string::npos);
    }
}

void TestModelCatalog::broken_catalogues_are_refused()
{
    try {
        ModelCatalog::load("/no/such/models.json");
        QFAIL("expected an error");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::NotFound);
    }
    QVERIFY(refusal("{").find("'test.json' is not valid JSON") != std::string::npos);
    QVERIFY(refusal("[]").find("'test.json'") != std::string::npos);
    QVERIFY(refusal(R"({"schema_version": 2, "models": []})").find("schema_version") != std::string::npos);

    const auto shipped = nlohmann::json::parse(read_text_file(shipped_catalog()));
    const auto mutated = [&](const std::function<void(nlohmann::json&)>& change) {
        auto document = shipped;
        change(document["models"][0]);
        return refusal(document.dump());
    };
    const std::string missing_width = mutated([](auto& m) { m["vision"].erase("width"); });
    QVERIFY2(missing_width.find("'test.json': models[0] ('openai/clip-vit-base-patch32'), vision: 'width' is missing") !=
                 std::string::npos,
             missing_width.c_str());
    QVERIFY(mutated([](auto& m) { m["id"] = "no-slash"; }).find("'org/name'") != std::string::npos);
    QVERIFY(mutated([](auto& m) { m["files"][0]["name"] = "../../etc/passwd"; }).find("relative path") != std::string::npos);
    QVERIFY(mutated([](auto& m) { m["image_size"] = -1; }).find("'image_size' must be a positive integer") != std::string::npos);
    QVERIFY(mutated([](auto& m) { m["vision"]["heads"] = 7; }).find("must divide") != std::string::npos);
    QVERIFY(mutated([](auto& m) { m["supported"] = "yes"; }).find("'supported' must be true or false") != std::string::npos);
    auto duplicated = shipped;
    duplicated["models"].push_back(shipped["models"][0]);
    QVERIFY(refusal(duplicated.dump()).find("twice") != std::string::npos);
}

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "test_model_catalog.moc"
