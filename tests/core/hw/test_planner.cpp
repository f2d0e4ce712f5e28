// The hardware wizard's planner on the shipped catalogue: every preset's plan fits its budget,
// larger cards get larger plans, the precision follows the device, the explanation says what was
// chosen, and what cannot fit says so.
#include "core/api/hardware.h"
#include "core/hw/memory_model.h"
#include "core/hw/model_shape.h"
#include "core/hw/planner.h"
#include "core/util/error.h"
#include "core/zoo/model_catalog.h"

#include <QtTest>

using namespace phototune;

namespace {

std::vector<PlannerModel> catalogue_models()
{
    const auto catalog = ModelCatalog::load(std::filesystem::path(PHOTOTUNE_SOURCE_DIR) / "resources" / "models.json");
    std::vector<PlannerModel> models;
    for (const auto& entry : catalog.models())
        if (entry.supported && entry.patch_size) {
            models.push_back({entry.id, entry.display_name, model_shape_from_catalog(entry)});
            models.back().shape.name = entry.display_name;
        }
    return models;
}

HardwarePreset preset(const std::string& name)
{
    for (const auto& p : builtin_hardware_presets())
        if (p.name == name) return p;
    throw std::runtime_error("no preset " + name);
}

RecommendRequest request_for(const HardwarePreset& p, PlanGoal goal, std::int64_t images = 2000)
{
    return request_for_preset(p, goal, images);
}

} // namespace

class TestPlanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void every_preset_fits_its_budget();
    void larger_cards_get_no_smaller_plans();
    void precision_follows_the_device();
    void explanation_names_the_choice();
    void small_datasets_cap_the_batch();
    void nothing_fits_is_out_of_memory();
    void spill_past_dedicated_vram_is_warned();
};

void TestPlanner::every_preset_fits_its_budget()
{
    const auto models = catalogue_models();
    QVERIFY(models.size() >= 3);
    QCOMPARE(builtin_hardware_presets().size(), std::size_t{8}); // 6, 8, 12, 16, 24, 48, 80 GiB and CPU
    for (const auto& p : builtin_hardware_presets())
        for (const auto goal : {PlanGoal::Fastest, PlanGoal::Balanced, PlanGoal::Best}) {
            const Recommendation r = plan_training(request_for(p, goal), models, p.throughput);
            QVERIFY2(r.prediction.memory.total() <= usable_budget(p.memory_bytes), qPrintable(QString::fromStdString(r.explanation)));
            QVERIFY(r.budget_bytes < p.memory_bytes);
            QVERIFY(r.prediction.time.epoch_seconds > 0);
            QCOMPARE(r.negatives_per_photo, r.setup.batch - 1);
            QVERIFY2(r.setup.batch >= 32, qPrintable(QString::fromStdString(p.name + ": " + r.explanation)));
        }
}

void TestPlanner::larger_cards_get_no_smaller_plans()
{
    // Model size as the planner sees it: forward FLOPs per photo, both towers.
    const auto size_of = [](const ModelShape& shape) {
        TrainingSetup one;
        one.model = shape;
        one.batch = 1;
        return predict_step_flops(one).forward;
    };
    const auto models = catalogue_models();
    double previous = 0;
    for (const char* name : {"6gib", "8gib", "12gib", "24gib", "48gib", "80gib"}) {
        const auto p = preset(name);
        for (const auto goal : {PlanGoal::Balanced, PlanGoal::Best}) {
            const Recommendation r = plan_training(request_for(p, goal), models, p.throughput);
            if (goal == PlanGoal::Balanced) QVERIFY2(r.prediction.time.epoch_seconds <= 600, name);
            if (goal != PlanGoal::Best) continue;
            QVERIFY2(size_of(r.setup.model) >= previous, name);
            previous = size_of(r.setup.model);
        }
    }
    // "best" on 80 GiB trains the largest catalogue model; "fastest" everywhere trains the vision tower only.
    double largest = 0;
    for (const auto& m : models) largest = std::max(largest, size_of(m.shape));
    QCOMPARE(previous, largest);
    const auto p8 = preset("8gib");
    const Recommendation fastest = plan_training(request_for(p8, PlanGoal::Fastest), models, p8.throughput);
    QCOMPARE(fastest.setup.towers, std::string("vision"));
    QVERIFY(fastest.setup.cache_frozen_towers);
    QVERIFY(fastest.prediction.memory.frozen_tower_cache > 0);
}

void TestPlanner::precision_follows_the_device()
{
    const auto models = catalogue_models();
    const auto cpu = preset("cpu");
    QCOMPARE(plan_training(request_for(cpu, PlanGoal::Balanced), models, cpu.throughput).setup.precision, std::string("fp32"));
    const auto old_card = preset("6gib");
    QCOMPARE(plan_training(request_for(old_card, PlanGoal::Balanced), models, old_card.throughput).setup.precision,
             std::string("fp16"));
    const auto card = preset("24gib");
    const Recommendation r = plan_training(request_for(card, PlanGoal::Balanced), models, card.throughput);
    QCOMPARE(r.setup.precision, std::string("bf16"));
    QCOMPARE(r.setup.device, std::string("cuda"));
    QVERIFY(r.prediction.memory.runtime_overhead > 0); // the CUDA context is part of the peak
}

void TestPlanner::explanation_names_the_choice()
{
    const auto models = catalogue_models();
    const auto p = preset("8gib");
    const Recommendation r = plan_training(request_for(p, PlanGoal::Balanced), models, p.throughput);
    const QString text = QString::fromStdString(r.explanation);
    QVERIFY2(text.startsWith(QString::fromStdString(r.setup.model.name) + " at batch " + QString::number(r.setup.batch)),
             qPrintable(text));
    QVERIFY2(text.contains(" of 7.4 GiB"), qPrintable(text)); // 8 GiB less 7 %
    QVERIFY2(text.contains("per epoch"), qPrintable(text));
    QVERIFY2(text.contains("meets " + QString::number(r.setup.batch - 1) + " negatives"), qPrintable(text));
    QCOMPARE(text.contains("checkpointing"), r.setup.gradient_checkpointing);
}

void TestPlanner::small_datasets_cap_the_batch()
{
    const auto models = catalogue_models();
    const auto p = preset("24gib");
    const Recommendation r = plan_training(request_for(p, PlanGoal::Balanced, 20), models, p.throughput);
    QCOMPARE(r.setup.batch, 20);
    QVERIFY(!r.warnings.empty()); // fewer than 32 negatives
    QVERIFY(QString::fromStdString(r.warnings.front()).contains("19 negatives"));
}

void TestPlanner::nothing_fits_is_out_of_memory()
{
    const auto models = catalogue_models();
    auto request = request_for(preset("8gib"), PlanGoal::Balanced);
    request.budget_bytes = 300ull << 20;
    try {
        plan_training(request, models, preset("8gib").throughput);
        QFAIL("a 300 MiB budget cannot hold a CLIP model");
    } catch (const Error& e) {
        QCOMPARE(e.category(), ErrorCategory::OutOfMemory);
        QVERIFY(QString::fromUtf8(e.what()).contains("smallest model"));
    }
}

void TestPlanner::spill_past_dedicated_vram_is_warned()
{
    const auto models = catalogue_models();
    const auto p = preset("8gib");
    auto request = request_for(p, PlanGoal::Best);
    request.budget_bytes = 24ull << 30; // the user allows more than the card has (shared memory)
    const Recommendation r = plan_training(request, models, p.throughput);
    QVERIFY(r.prediction.memory.total() > p.memory_bytes);
    bool warned = false;
    for (const auto& w : r.warnings) warned |= w.find("dedicated VRAM") != std::string::npos;
    QVERIFY(warned);
}

QTEST_GUILESS_MAIN(TestPlanner)
#include "test_planner.moc"
