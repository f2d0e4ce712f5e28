// The training step's shortcuts change nothing but cost: gradient accumulation equals one big
// batch, the frozen-tower cache equals recomputing, checkpointing equals the plain backward (and
// needs less memory); plus the multi-positive loss by hand, bf16 against fp32, seeded repeatability,
// the loss scaler's overflow handling, NaN detection and the learning-rate schedule.
#include "core/train/contrastive_loss.h"
#include "core/model/gradient_checkpoint.h"
#include "core/train/loss_scaler.h"
#include "core/train/lr_schedule.h"
#include "core/train/memory_counter.h"
#include "core/train/train_step.h"
#include "core/util/error.h"

#include "train_test_support.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cmath>
#include <limits>

using namespace phototune;
using namespace phototune::test;

namespace {

TrainStepOptions unclipped(std::int64_t accumulation = 1)
{
    TrainStepOptions options;
    options.max_grad_norm = 0.0;
    options.accumulation_steps = accumulation;
    return options;
}

} // namespace

class TestTrainEquivalences : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        CpuMemoryCounter::install(); // before the tensors it should count
        at::set_num_threads(2);
    }

    // open_clip's accum-freq: K micro-batches against cached negatives == one batch of all rows,
    // also with shared groups and a trainable temperature (its gradient must not count K times).
    void accumulation_equals_one_big_batch_data()
    {
        QTest::addColumn<qint64>("k");
        QTest::newRow("K=2") << qint64(2);
        QTest::newRow("K=4") << qint64(4);
    }
    void accumulation_equals_one_big_batch()
    {
        QFETCH(qint64, k);
        const TrainBatch batch = random_batch(8, {0, 1, 2, 2, 3, 4, 5, 0}, 5);
        TrainStepper big(tiny_lora_model(11, LoraTowers::Both, 0.0, true), unclipped());
        TrainStepper accumulated(tiny_lora_model(11, LoraTowers::Both, 0.0, true), unclipped(k));
        const TrainStepResult a = big.step(batch);
        const TrainStepResult b = accumulated.step(batch);
        const double grad_diff = max_grad_diff(big.optimizer(), accumulated.optimizer());
        qInfo("K=%lld: loss %.9f vs %.9f, max grad diff %.3g, grad norm %.6f vs %.6f", static_cast<long long>(k), a.loss,
              b.loss, grad_diff, a.grad_norm, b.grad_norm);
        QVERIFY(std::abs(a.loss - b.loss) <= 1e-5);
        QVERIFY(grad_diff <= 1e-5);
        QVERIFY(a.grad_norm > 0);
    }

    // Text tower frozen (LoRA on vision only): cached caption embeddings == recomputing them; and
    // the vision tower by photo id when only the text tower trains.
    void frozen_tower_cache_equals_recompute_data()
    {
        QTest::addColumn<int>("towers");
        QTest::newRow("text cached") << int(LoraTowers::Vision);
        QTest::newRow("vision cached") << int(LoraTowers::Text);
    }
    void frozen_tower_cache_equals_recompute()
    {
        QFETCH(int, towers);
        const auto scope = static_cast<LoraTowers>(towers);
        TrainBatch batch = random_batch(6, {0, 1, 2, 0, 1, 2}, 9);
        // rows 3..5 repeat the captions (and photos) of rows 0..2: same key, computed once
        batch.input_ids.slice(0, 3, 6).copy_(batch.input_ids.slice(0, 0, 3));
        batch.attention_mask.slice(0, 3, 6).copy_(batch.attention_mask.slice(0, 0, 3));
        batch.pixel_values.slice(0, 3, 6).copy_(batch.pixel_values.slice(0, 0, 3));
        batch.photo_ids = {1, 2, 3, 1, 2, 3};

        TrainStepOptions cached_options = unclipped();
        TrainStepOptions plain_options = unclipped();
        plain_options.cache_frozen_towers = false;
        TrainStepper cached(tiny_lora_model(3, scope), cached_options);
        TrainStepper plain(tiny_lora_model(3, scope), plain_options);
        QCOMPARE(cached.vision_trainable(), scope == LoraTowers::Vision);
        QCOMPARE(cached.text_trainable(), scope == LoraTowers::Text);
        for (int step = 0; step < 2; ++step) {
            const TrainStepResult a = cached.step(batch);
            const TrainStepResult b = plain.step(batch);
            qInfo("step %d: loss %.9f vs %.9f, grad diff %.3g", step, a.loss, b.loss,
                  max_grad_diff(cached.optimizer(), plain.optimizer()));
            QVERIFY(std::abs(a.loss - b.loss) <= 1e-6);
            QVERIFY(max_grad_diff(cached.optimizer(), plain.optimizer()) <= 1e-6);
        }
        const FrozenTowerCache& cache = cached.tower_cache();
        QCOMPARE(cache.rows_computed(), std::size_t(3)); // three distinct inputs, once, over both steps
        QCOMPARE(scope == LoraTowers::Vision ? cache.text_entries() : cache.image_entries(), std::size_t(3));
    }

    // A caption repeated in the batch, encoded once: the loss and gradients of encoding every row.
    void repeated_captions_encoded_once_equal_every_row()
    {
        TrainBatch batch = random_batch(8, {0, 1, 2, 3, 0, 1, 2, 3}, 13);
        batch.input_ids.slice(0, 4, 8).copy_(batch.input_ids.slice(0, 0, 4));
        batch.attention_mask.slice(0, 4, 8).copy_(batch.attention_mask.slice(0, 0, 4));
        TrainStepOptions every_row = unclipped();
        every_row.encode_repeated_captions_once = false;
        TrainStepper once(tiny_lora_model(5), unclipped());
        TrainStepper plain(tiny_lora_model(5), every_row);
        for (int step = 0; step < 2; ++step) {
            const TrainStepResult a = once.step(batch);
            const TrainStepResult b = plain.step(batch);
            const double grad_diff = max_grad_diff(once.optimizer(), plain.optimizer());
            qInfo("step %d: loss %.9f vs %.9f, grad diff %.3g", step, a.loss, b.loss, grad_diff);
            QVERIFY(std::abs(a.loss - b.loss) <= 1e-6);
            QVERIFY(grad_diff <= 1e-6);
        }
    }

    // Checkpointing gives the plain gradients (also with LoRA dropout: the recompute replays the
    // forward's random mask) and a lower peak of tensor memory.
    void checkpointing_equals_plain_backward()
    {
        const TrainBatch batch = random_batch(16, distinct_groups(16), 21);
        auto& counter = CpuMemoryCounter::install();
        std::size_t peak[2] = {0, 0};
        TrainStepResult results[2];
        ClipModel models[2] = {tiny_lora_model(17, LoraTowers::Both, /*dropout=*/0.1),
                               tiny_lora_model(17, LoraTowers::Both, /*dropout=*/0.1)};
        set_gradient_checkpointing(*models[1], true);
        TrainStepper steppers[2] = {TrainStepper(models[0], unclipped()), TrainStepper(models[1], unclipped())};
        for (int checkpointing = 0; checkpointing < 2; ++checkpointing) {
            at::manual_seed(99); // the same dropout masks in both runs
            const std::size_t base = counter.current_bytes();
            counter.reset_peak();
            results[checkpointing] = steppers[checkpointing].step(batch);
            peak[checkpointing] = counter.peak_bytes() - base;
        }
        const double grad_diff = max_grad_diff(steppers[0].optimizer(), steppers[1].optimizer());
        qInfo("peak tensor memory of a step, batch 16: plain %.2f MiB, checkpointed %.2f MiB; grad diff %.3g",
              peak[0] / 1048576.0, peak[1] / 1048576.0, grad_diff);
        QVERIFY(std::abs(results[0].loss - results[1].loss) <= 1e-6);
        QVERIFY(grad_diff <= 1e-6);
        QVERIFY2(peak[1] < peak[0] * 0.9, "checkpointing did not lower the peak by 10 %");
    }

    // Three pairs, groups {0, 0, 1}, logit_scale 0 (temperature 1): the soft targets and the loss
    // worked out with plain doubles.
    void multi_positive_loss_by_hand()
    {
        const double image[3][2] = {{1, 0}, {0, 1}, {0.6, 0.8}};
        const double text[3][2] = {{1, 0}, {0.8, 0.6}, {0, 1}};
        const int group[3] = {0, 0, 1};
        const auto loss_of = [&](bool image_rows) {
            double total = 0;
            for (int i = 0; i < 3; ++i) {
                double logits[3], norm = 0;
                for (int j = 0; j < 3; ++j) {
                    const auto& a = image_rows ? image[i] : text[i];
                    const auto& b = image_rows ? text[j] : image[j];
                    logits[j] = a[0] * b[0] + a[1] * b[1];
                    norm += std::exp(logits[j]);
                }
                const double positives = group[i] == 0 ? 2.0 : 1.0;
                for (int j = 0; j < 3; ++j)
                    if (group[j] == group[i]) total -= (1.0 / positives) * (logits[j] - std::log(norm));
            }
            return total / 3;
        };
        const double expected = (loss_of(true) + loss_of(false)) / 2;
        const at::Tensor loss = clip_contrastive_loss(
            at::tensor({1.0, 0.0, 0.0, 1.0, 0.6, 0.8}, at::kDouble).view({3, 2}),
            at::tensor({1.0, 0.0, 0.8, 0.6, 0.0, 1.0}, at::kDouble).view({3, 2}), at::zeros({}, at::kDouble),
            at::tensor({0, 0, 1}, at::kLong));
        qInfo("multi-positive loss %.12f, by hand %.12f", loss.item<double>(), expected);
        QVERIFY(std::abs(loss.item<double>() - expected) <= 1e-12);

        // the sigmoid loss: same group -> positive label
        const at::Tensor sig = siglip_loss(at::tensor({1.0, 0.0, 0.0, 1.0}, at::kDouble).view({2, 2}),
                                           at::tensor({1.0, 0.0, 0.0, 1.0}, at::kDouble).view({2, 2}),
                                           at::zeros({}, at::kDouble), at::zeros({}, at::kDouble),
                                           at::tensor({7, 7}, at::kLong));
        const double positive = -std::log(1 / (1 + std::exp(-1.0))), zero = -std::log(0.5);
        QVERIFY(std::abs(sig.item<double>() - (positive + zero)) <= 1e-12); // (2 diag + 2 off-diag) / 2
    }

    // bf16 autocast on the CPU: the loss stays within 0.02 of fp32 (bf16 keeps 8 bits of mantissa;
    // the loss here is ~2.1), and a bf16 step trains.
    void bf16_loss_close_to_fp32()
    {
        const TrainBatch batch = random_batch(8, distinct_groups(8), 31);
        TrainStepOptions bf16 = unclipped();
        bf16.precision = TrainPrecision::Bf16;
        TrainStepper reference(tiny_lora_model(23), unclipped());
        TrainStepper mixed(tiny_lora_model(23), bf16);
        const double fp32_loss = reference.loss(batch);
        const double bf16_loss = mixed.loss(batch);
        qInfo("loss fp32 %.6f, bf16 %.6f, diff %.3g", fp32_loss, bf16_loss, std::abs(fp32_loss - bf16_loss));
        QVERIFY(std::abs(fp32_loss - bf16_loss) <= 0.02);
        const TrainStepResult r = mixed.step(batch);
        QVERIFY(!r.skipped && std::isfinite(r.grad_norm) && r.grad_norm > 0);
        QVERIFY(mixed.loss(batch) < bf16_loss);

        TrainStepOptions fp16 = unclipped();
        fp16.precision = TrainPrecision::Fp16;
        QVERIFY_THROWS_EXCEPTION(Error, (void)TrainStepper(tiny_lora_model(23), fp16));
    }

    void fixed_seed_is_bit_identical()
    {
        std::vector<std::vector<double>> losses(2);
        std::vector<std::vector<at::Tensor>> weights(2);
        for (int run = 0; run < 2; ++run) {
            TrainStepOptions options;
            options.accumulation_steps = 2;
            TrainStepper stepper(tiny_lora_model(42, LoraTowers::Both, /*dropout=*/0.1), options);
            for (int step = 0; step < 3; ++step)
                losses[run].push_back(stepper.step(random_batch(4, {0, 1, 1, 2}, 100 + step)).loss);
            for (const auto& [name, p] : stepper.optimizer().parameters()) weights[run].push_back(p.detach().clone());
        }
        QCOMPARE(losses[0], losses[1]);
        for (std::size_t i = 0; i < weights[0].size(); ++i) QVERIFY(at::equal(weights[0][i], weights[1][i]));
    }

    // A scale so large that the scaled gradients overflow float32: the step is skipped, nothing
    // moves, the scale halves; later steps go through.
    void loss_scaler_skips_overflow_and_halves()
    {
        const TrainBatch batch = random_batch(4, distinct_groups(4), 7);
        TrainStepOptions options = unclipped();
        options.loss_scaling = true;
        options.scaler.init_scale = 1e38;
        TrainStepper stepper(tiny_lora_model(5), options);
        const at::Tensor before = stepper.optimizer().parameters()[0].second.detach().clone();
        const TrainStepResult overflow = stepper.step(batch);
        QVERIFY(overflow.skipped && overflow.overflow && !overflow.non_finite);
        QCOMPARE(overflow.loss_scale, 5e37);
        QVERIFY(at::equal(stepper.optimizer().parameters()[0].second, before));
        QCOMPARE(stepper.optimizer().step_count(stepper.optimizer().parameters()[0].first), std::int64_t(0));

        int skipped = 1;
        while (stepper.step(batch).skipped) QVERIFY(++skipped < 200);
        qInfo("overflowing steps before the first update: %d (scale now %.3g)", skipped,
              stepper.loss_scaler()->current_scale());
        QVERIFY(!at::equal(stepper.optimizer().parameters()[0].second, before));

        const LossScalerOptions fast_growth{.init_scale = 8, .growth_factor = 2, .backoff_factor = 0.5, .growth_interval = 2};
        LossScaler scaler(fast_growth);
        scaler.update(false);
        QCOMPARE(scaler.current_scale(), 8.0);
        scaler.update(false);
        QCOMPARE(scaler.current_scale(), 16.0);
        scaler.update(true);
        QCOMPARE(scaler.current_scale(), 8.0);
    }

    void non_finite_loss_never_steps()
    {
        TrainBatch batch = random_batch(4, distinct_groups(4), 8);
        batch.pixel_values[1][0][5][5] = std::numeric_limits<float>::quiet_NaN();
        TrainStepper stepper(tiny_lora_model(6), unclipped());
        const at::Tensor before = stepper.optimizer().parameters()[0].second.detach().clone();
        const TrainStepResult r = stepper.step(batch);
        QVERIFY(r.non_finite && r.skipped && !r.overflow);
        QVERIFY(at::equal(stepper.optimizer().parameters()[0].second, before));
    }

    void lr_schedule_warmup_then_cosine()
    {
        const LrSchedule s{.base_lr = 1.0, .warmup_steps = 10, .total_steps = 110, .min_lr_ratio = 0.0};
        validate_lr_schedule(s);
        QCOMPARE(lr_at_step(s, 0), 0.1);
        QCOMPARE(lr_at_step(s, 9), 1.0);
        QCOMPARE(lr_at_step(s, 10), 1.0);
        QVERIFY(std::abs(lr_at_step(s, 60) - 0.5) < 1e-15);
        QVERIFY(lr_at_step(s, 109) > 0 && lr_at_step(s, 109) < 1e-3);
        QCOMPARE(lr_at_step(s, 110), 0.0);
        const LrSchedule floored{.base_lr = 2.0, .warmup_steps = 0, .total_steps = 4, .min_lr_ratio = 0.25};
        QCOMPARE(lr_at_step(floored, 4), 0.5);
        const LrSchedule too_much_warmup{.base_lr = 1.0, .warmup_steps = 5, .total_steps = 4};
        QVERIFY_THROWS_EXCEPTION(Error, validate_lr_schedule(too_much_warmup));
    }
};

QTEST_GUILESS_MAIN(TestTrainEquivalences)
#include "test_train_equivalences.moc"
