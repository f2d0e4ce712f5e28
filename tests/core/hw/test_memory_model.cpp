// The memory and time model: exact parameter and FLOP counts for ViT-B/32, the qualitative rules
// (a frozen tower keeps nothing, checkpointing keeps layer inputs, autocast adds half weight copies,
// CUDA adds its context), and the prediction against real training steps measured by the counting
// allocator on small shapes, within 10 %.
#include "core/api/hardware.h"
#include "core/hw/memory_model.h"
#include "core/hw/model_shape.h"
#include "core/hw/training_probe.h"
#include "core/model/clip_presets.h"
#include "core/train/memory_counter.h"
#include "core/util/error.h"

#include <cmath>

#include <QtTest>

using namespace phototune;

namespace {

TrainingSetup setup_for(const char* preset, int batch)
{
    TrainingSetup s;
    s.model = model_shape_from_config(clip_preset_config(preset), preset);
    s.batch = batch;
    return s;
}

} // namespace

class TestMemoryModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { CpuMemoryCounter::install(); } // before any tensor exists
    void vit_b_32_counts_match_the_literature();
    void levers_change_what_they_should();
    void invalid_setups_are_refused();
    void prediction_matches_measured_steps_data();
    void prediction_matches_measured_steps();
    void probe_run_corrects_the_prediction();
};

void TestMemoryModel::vit_b_32_counts_match_the_literature()
{
    TrainingSetup s = setup_for("vit-b-32", 1);
    QCOMPARE(s.model.vision.params, std::int64_t{87849216}); // resources/models.json, open_clip's profile
    QCOMPARE(s.model.text.params, std::int64_t{63428096});
    QCOMPARE(s.model.vision.tokens, 50);
    QCOMPARE(lora_parameter_count(s), std::int64_t{491520});  // r 8 on q, v of both towers (performance.md)
    const StepFlops f = predict_step_flops(s);
    QVERIFY2(std::abs(f.forward / 14.78e9 - 1.0) < 0.03, qPrintable(QString::number(f.forward))); // open_clip: 14.78 GFLOP
    QVERIFY(f.backward > 0.9 * f.forward && f.backward < 1.1 * f.forward); // input gradients only: ~1x forward
    QCOMPARE(f.recompute, 0.0);
    s.gradient_checkpointing = true;
    QVERIFY(std::abs(predict_step_flops(s).recompute / f.forward - 1.0) < 0.05);
}

void TestMemoryModel::levers_change_what_they_should()
{
    const TrainingSetup base = setup_for("vit-b-32", 32);
    const MemoryBreakdown plain = predict_memory(base);
    QCOMPARE(plain.frozen_weights, std::uint64_t{4} * 151277313);
    QCOMPARE(plain.lora_training_state, std::uint64_t{16} * 491520);
    QCOMPARE(plain.autocast_weight_copies, std::uint64_t{0});
    QCOMPARE(plain.runtime_overhead, std::uint64_t{0});

    TrainingSetup ckpt = base;
    ckpt.gradient_checkpointing = true;
    QVERIFY(predict_memory(ckpt).saved_activations * 5 < plain.saved_activations);

    TrainingSetup vision = base;
    vision.towers = "vision";
    vision.dataset_images = 1000;
    const MemoryBreakdown v = predict_memory(vision);
    QVERIFY(v.saved_activations < plain.saved_activations * 0.6);
    QCOMPARE(v.frozen_tower_cache, std::uint64_t{4} * 512 * 1000); // one fp32 embedding per caption

    TrainingSetup half = base;
    half.precision = "bf16";
    const MemoryBreakdown h = predict_memory(half);
    QVERIFY(h.autocast_weight_copies > 200'000'000); // ~2 bytes x the frozen linears of both towers
    QVERIFY(h.saved_activations < plain.saved_activations);

    TrainingSetup cuda = half;
    cuda.device = "cuda";
    QVERIFY(predict_memory(cuda).runtime_overhead >= (512ull << 20));

    TrainingSetup accum = base;
    accum.accumulation = 4;
    QVERIFY(predict_memory(accum).saved_activations * 3 < plain.saved_activations);
}

void TestMemoryModel::invalid_setups_are_refused()
{
    TrainingSetup s = setup_for("tiny", 4);
    s.targets = {"no_such_module"};
    QVERIFY_EXCEPTION_THROWN(predict_memory(s), Error);
    s = setup_for("tiny", 4);
    s.precision = "fp8";
    QVERIFY_EXCEPTION_THROWN(predict_memory(s), Error);
    s = setup_for("tiny", 4);
    s.accumulation = 8;
    QVERIFY_EXCEPTION_THROWN(predict_memory(s), Error);
}

void TestMemoryModel::prediction_matches_measured_steps_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("batch");
    QTest::addColumn<QString>("towers");
    QTest::addColumn<bool>("checkpointing");
    QTest::newRow("tiny b16 both") << "tiny" << 16 << "both" << false;
    QTest::newRow("tiny b32 both ckpt") << "tiny" << 32 << "both" << true;
    QTest::newRow("small b8 vision, text cached") << "small" << 8 << "vision" << false;
}

void TestMemoryModel::prediction_matches_measured_steps()
{
    QFETCH(QString, preset);
    QFETCH(int, batch);
    QFETCH(QString, towers);
    QFETCH(bool, checkpointing);
    TrainingSetup s = setup_for(preset.toStdString().c_str(), batch);
    s.towers = towers.toStdString();
    s.gradient_checkpointing = checkpointing;
    const double predicted = static_cast<double>(predict_memory(s).total());
    const double measured = static_cast<double>(measure_training_step(s, 1).peak_bytes);
    const double error = (predicted - measured) / measured;
    QVERIFY2(std::abs(error) <= 0.10, qPrintable(QStringLiteral("predicted %1 MiB, measured %2 MiB (%3 %)")
                                                      .arg(predicted / 1048576.0)
                                                      .arg(measured / 1048576.0)
                                                      .arg(100.0 * error)));
}

// Two probes at batch 2 and 4 extrapolate to batch 16 within 10 % of what batch 16 measures.
void TestMemoryModel::probe_run_corrects_the_prediction()
{
    TrainingSetup s = setup_for("tiny", 16);
    DeviceThroughput rates; // fixed rates: no benchmark in a test
    rates.device = "cpu";
    rates.precision = "fp32";
    rates.gemm_flops_per_second = 50e9;
    rates.memory_bytes_per_second = 10e9;
    rates.seconds_per_operation = 10e-6;
    const auto report = probe_run(s, rates, {4, 2, 64}, 1); // 64 > the plan's batch: ignored
    QVERIFY2(report.ok(), report.ok() ? "" : report.failure().message.c_str());
    QCOMPARE(report->steps.size(), std::size_t{2});
    QCOMPARE(report->steps.front().batch, 2);
    QVERIFY(report->memory_correction > 0.8 && report->memory_correction < 1.2);
    QVERIFY(report->time_correction > 0);
    QVERIFY(std::abs(report->corrected.time.step_seconds / (predict_training(s, rates)->time.step_seconds *
                                                             report->time_correction) - 1.0) < 1e-9);
    const double measured = static_cast<double>(measure_training_step(s, 1).peak_bytes);
    const double corrected = static_cast<double>(report->corrected.memory.total());
    QVERIFY2(std::abs(corrected / measured - 1.0) < 0.10,
             qPrintable(QStringLiteral("corrected %1, measured %2").arg(corrected).arg(measured)));
    s.device = "cuda";
    QVERIFY(!probe_run(s, rates).ok()); // the counting allocator sees CPU tensors only
}

QTEST_GUILESS_MAIN(TestMemoryModel)
#include "test_memory_model.moc"
