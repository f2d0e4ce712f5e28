// One training step against real torch/peft: tiny-clip + the fixture adapter, the forward golden's
// batch, AdamW(lr 1e-3, wd 0.01): the loss before, every gradient, every parameter and AdamW moment
// after the step, and the loss after, within the fixtures' 1e-5. Also: both losses against HF's
// formulas, and checkpointing the optimizer state through a safetensors file resumes bit-exactly.
#include "core/io/tensor_io.h"
#include "core/lora/adapter_io.h"
#include "core/lora/lora_targets.h"
#include "core/model/clip_checkpoint.h"
#include "core/train/contrastive_loss.h"
#include "core/train/train_step.h"
#include "core/util/error.h"

#include "support/fixtures.h"

#include <ATen/ATen.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <map>

using namespace phototune;
namespace fs = std::filesystem;

namespace {

constexpr double kTolerance = 1e-5;

double max_abs_diff(const at::Tensor& a, const at::Tensor& b)
{
    return (a.detach().to(at::kDouble) - b.detach().to(at::kDouble)).abs().max().item<double>();
}

struct GoldenRun {
    ClipModel model{nullptr};
    TrainBatch batch;
    std::map<std::string, at::Tensor> golden;
};

GoldenRun golden_run(const fs::path& fixtures)
{
    GoldenRun run;
    run.model = load_clip_model(fixtures / "tiny-clip");
    load_peft_adapter(*run.model, fixtures / "lora");
    const auto forward = load_safetensors(fixtures / "forward_golden.safetensors");
    run.golden = load_safetensors(fixtures / "train_step_golden.safetensors");
    run.batch.pixel_values = forward.at("input.pixel_values");
    run.batch.input_ids = run.golden.at("input.input_ids");
    run.batch.attention_mask = run.golden.at("input.attention_mask");
    run.batch.group_ids = at::arange(4, at::kLong);
    return run;
}

TrainStepOptions golden_options()
{
    TrainStepOptions options;
    options.optimizer = {1e-3, 0.9, 0.999, 1e-8, 0.01};
    options.max_grad_norm = 0.0; // the golden step does not clip
    return options;
}

} // namespace

class TestTrainStepGolden : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(2); }

    void one_step_matches_torch()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(fixtures, "");
        PHOTOTUNE_REQUIRE_FIXTURE(golden_file, "train_step_golden.safetensors");
        GoldenRun run = golden_run(fixtures);
        TrainStepper stepper(run.model, golden_options());
        QCOMPARE(stepper.optimizer().parameters().size(), std::size_t(48));

        const TrainStepResult result = stepper.step(run.batch);
        QVERIFY(!result.skipped && !result.non_finite);
        const double loss_before_error = std::abs(result.loss - run.golden.at("loss_before").item<double>());
        QVERIFY2(loss_before_error <= kTolerance, qPrintable(QString("loss_before off by %1").arg(loss_before_error)));

        const auto state = stepper.optimizer().state_dict();
        double worst_grad = 0, worst_after = 0, worst_m = 0, worst_v = 0;
        for (const auto& [name, p] : stepper.optimizer().parameters()) {
            worst_grad = std::max(worst_grad, max_abs_diff(p.grad(), run.golden.at("grad." + name)));
            worst_after = std::max(worst_after, max_abs_diff(p, run.golden.at("after." + name)));
            worst_m = std::max(worst_m, max_abs_diff(state.at("exp_avg." + name), run.golden.at("adamw.exp_avg." + name)));
            worst_v = std::max(worst_v,
                               max_abs_diff(state.at("exp_avg_sq." + name), run.golden.at("adamw.exp_avg_sq." + name)));
            QCOMPARE(stepper.optimizer().step_count(name), std::int64_t(1));
        }
        qInfo("max |diff|: grad %.3g, after %.3g, exp_avg %.3g, exp_avg_sq %.3g", worst_grad, worst_after, worst_m,
              worst_v);
        QVERIFY(worst_grad <= kTolerance);
        QVERIFY(worst_after <= kTolerance);
        QVERIFY(worst_m <= kTolerance);
        QVERIFY(worst_v <= kTolerance);

        const double loss_after_error = std::abs(stepper.loss(run.batch) - run.golden.at("loss_after").item<double>());
        QVERIFY2(loss_after_error <= kTolerance, qPrintable(QString("loss_after off by %1").arg(loss_after_error)));
    }

    // With all-distinct groups the multi-positive loss is HF's clip_loss (hard cross-entropy).
    void distinct_groups_equal_hf_clip_loss()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(forward_file, "forward_golden.safetensors");
        const auto g = load_safetensors(forward_file);
        const at::Tensor labels = at::arange(4, at::kLong);
        const at::Tensor hf = (at::cross_entropy_loss(g.at("output.logits_per_image"), labels) +
                               at::cross_entropy_loss(g.at("output.logits_per_text"), labels)) / 2;
        const at::Tensor ours = clip_contrastive_loss(g.at("output.image_embeds"), g.at("output.text_embeds"),
                                                      g.at("output.logit_scale"), labels);
        QVERIFY2(max_abs_diff(ours, hf) <= 1e-6, qPrintable(QString::number(max_abs_diff(ours, hf))));
    }

    void siglip_loss_matches_transformers()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(forward_file, "siglip/forward_golden.safetensors");
        const auto g = load_safetensors(forward_file);
        const at::Tensor loss = siglip_loss(g.at("output.image_embeds"), g.at("output.text_embeds"),
                                            g.at("output.logit_scale"), g.at("output.logit_bias"),
                                            at::arange(4, at::kLong));
        QVERIFY2(max_abs_diff(loss, g.at("output.sigmoid_loss")) <= 1e-5,
                 qPrintable(QString::number(loss.item<double>())));
    }

    // Step, write the LoRA weights and the optimizer state to safetensors, rebuild everything from
    // the files, step again: bit-identical to two uninterrupted steps.
    void optimizer_state_survives_a_checkpoint_file()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(fixtures, "");
        PHOTOTUNE_REQUIRE_FIXTURE(golden_file, "train_step_golden.safetensors");
        QTemporaryDir dir;
        const fs::path checkpoint = fs::path(dir.path().toStdString()) / "state.safetensors";

        GoldenRun straight = golden_run(fixtures);
        TrainStepper uninterrupted(straight.model, golden_options());
        uninterrupted.step(straight.batch);
        uninterrupted.step(straight.batch);

        GoldenRun first = golden_run(fixtures);
        TrainStepper before(first.model, golden_options());
        before.step(first.batch);
        std::vector<std::pair<std::string, at::Tensor>> tensors;
        for (const auto& [name, p] : before.optimizer().parameters()) tensors.emplace_back("weight." + name, p);
        for (const auto& [key, t] : before.training_state()) tensors.emplace_back(key, t);
        save_safetensors(checkpoint, tensors);

        GoldenRun second = golden_run(fixtures);
        const auto saved = load_safetensors(checkpoint);
        {
            at::NoGradGuard no_grad;
            for (auto& [name, p] : trainable_parameters(*second.model)) p.copy_(saved.at("weight." + name));
        }
        TrainStepper resumed(second.model, golden_options());
        resumed.load_training_state(saved, checkpoint);
        resumed.step(second.batch);

        for (std::size_t i = 0; i < resumed.optimizer().parameters().size(); ++i)
            QVERIFY(at::equal(resumed.optimizer().parameters()[i].second,
                              uninterrupted.optimizer().parameters()[i].second));
        QCOMPARE(resumed.optimizer().step_count(resumed.optimizer().parameters()[0].first), std::int64_t(2));
    }

    void mismatched_optimizer_state_is_refused_untouched()
    {
        PHOTOTUNE_REQUIRE_FIXTURE(fixtures, "");
        PHOTOTUNE_REQUIRE_FIXTURE(golden_file, "train_step_golden.safetensors");
        GoldenRun run = golden_run(fixtures);
        TrainStepper stepper(run.model, golden_options());
        stepper.step(run.batch);
        auto state = stepper.training_state();
        const std::string name = stepper.optimizer().parameters()[0].first;
        state["optimizer.exp_avg." + name] = at::zeros({3, 3});
        state["optimizer.exp_avg.not_a_parameter"] = at::zeros({1});
        const auto before = stepper.optimizer().state_dict();
        try {
            stepper.load_training_state(state, "checkpoints/step-1/state.safetensors");
            QFAIL("a mismatched state was accepted");
        } catch (const Error& e) {
            const std::string message = e.what();
            QCOMPARE(e.category(), ErrorCategory::InvalidInput);
            QVERIFY2(message.find("state.safetensors") != std::string::npos, e.what());
            QVERIFY2(message.find("not_a_parameter") != std::string::npos, e.what());
            QVERIFY2(message.find("wrong shape") != std::string::npos, e.what());
        }
        QVERIFY(at::equal(stepper.optimizer().state_dict().at("exp_avg." + name), before.at("exp_avg." + name)));
    }
};

QTEST_GUILESS_MAIN(TestTrainStepGolden)
#include "test_train_step_golden.moc"
