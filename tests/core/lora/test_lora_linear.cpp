// LoraLinear: peft's lora.Linear semantics (init, scaling, forward) and merge/unmerge.
#include "core/lora/lora_linear.h"
#include "core/util/error.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cmath>

using namespace phototune;

namespace {

void randomise_lora_B(LoraLinear& layer)
{
    at::NoGradGuard no_grad;
    layer->lora_B->weight.normal_(0.0, 0.5);
}

} // namespace

class TestLoraLinear : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void keys_match_hf_and_peft();
    void zero_B_leaves_output_unchanged();
    void forward_adds_scaled_low_rank_update();
    void scaling_follows_alpha_over_r_and_rslora();
    void merge_unmerge_round_trip();
    void inactive_adapter_is_skipped();
    void only_lora_parameters_train_after_freezing();
    void bad_settings_are_refused();
};

void TestLoraLinear::keys_match_hf_and_peft()
{
    LoraLinear layer(6, 4, true);
    QCOMPARE(layer->named_parameters().size(), std::size_t(2));
    QVERIFY(layer->named_parameters().contains("weight"));
    QVERIFY(layer->named_parameters().contains("bias"));
    QCOMPARE(layer->weight.sizes().vec(), (std::vector<std::int64_t>{4, 6}));
    LoraLinear no_bias(6, 4, false);
    QCOMPARE(no_bias->named_parameters().size(), std::size_t(1));
    layer->enable_lora(3, 6.0);
    const auto names = layer->named_parameters();
    QCOMPARE(names.size(), std::size_t(4));
    QCOMPARE(names["lora_A.weight"].sizes().vec(), (std::vector<std::int64_t>{3, 6})); // [r, in]
    QCOMPARE(names["lora_B.weight"].sizes().vec(), (std::vector<std::int64_t>{4, 3})); // [out, r]
    QVERIFY(at::equal(layer->lora_B->weight, at::zeros({4, 3})));
    // kaiming_uniform(a=sqrt(5)) on [r, in]: bound = 1/sqrt(in)
    QVERIFY(layer->lora_A->weight.abs().max().item<double>() <= 1.0 / std::sqrt(6.0) + 1e-7);
    QVERIFY(layer->lora_A->weight.abs().max().item<double>() > 0.0);
}

void TestLoraLinear::zero_B_leaves_output_unchanged()
{
    LoraLinear layer(8, 5, true);
    const at::Tensor x = at::randn({2, 3, 8});
    const at::Tensor before = layer->forward(x);
    layer->enable_lora(4, 8.0);
    QVERIFY(at::equal(layer->forward(x), before));
    QCOMPARE(before.sizes().vec(), (std::vector<std::int64_t>{2, 3, 5}));
}

void TestLoraLinear::forward_adds_scaled_low_rank_update()
{
    LoraLinear layer(8, 5, true);
    layer->enable_lora(2, 3.0);
    randomise_lora_B(layer);
    const at::Tensor x = at::randn({4, 8});
    const at::Tensor expected = at::linear(x, layer->weight, layer->bias) +
                                at::matmul(at::matmul(x, layer->lora_A->weight.t()), layer->lora_B->weight.t()) * 1.5;
    QVERIFY(at::allclose(layer->forward(x), expected, 1e-6, 1e-6));
}

void TestLoraLinear::scaling_follows_alpha_over_r_and_rslora()
{
    LoraLinear plain(4, 4, true);
    plain->enable_lora(8, 16.0);
    QCOMPARE(plain->scaling(), 2.0);
    QCOMPARE(plain->rank(), std::int64_t(8));
    LoraLinear rs(4, 4, true);
    rs->enable_lora(16, 8.0, 0.0, /*use_rslora=*/true);
    QCOMPARE(rs->scaling(), 2.0); // 8 / sqrt(16)
}

void TestLoraLinear::merge_unmerge_round_trip()
{
    LoraLinear layer(16, 12, true);
    layer->enable_lora(4, 8.0);
    randomise_lora_B(layer);
    const at::Tensor original = layer->weight.clone();
    const at::Tensor x = at::randn({3, 16});
    const at::Tensor unmerged = layer->forward(x);

    layer->merge();
    QVERIFY(layer->merged());
    QVERIFY(at::allclose(layer->weight, original + layer->delta_weight(), 0.0, 1e-6));
    QVERIFY(at::allclose(layer->forward(x), unmerged, 1e-5, 1e-5));
    layer->merge(); // idempotent
    QVERIFY(at::allclose(layer->weight, original + layer->delta_weight(), 0.0, 1e-6));

    layer->unmerge();
    QVERIFY(!layer->merged());
    QVERIFY(at::allclose(layer->weight, original, 0.0, 1e-6));
    QVERIFY(at::allclose(layer->forward(x), unmerged, 1e-5, 1e-5));
}

void TestLoraLinear::inactive_adapter_is_skipped()
{
    LoraLinear layer(6, 6, true);
    const at::Tensor x = at::randn({2, 6});
    const at::Tensor base = layer->forward(x);
    layer->enable_lora(2, 4.0);
    randomise_lora_B(layer);
    layer->merge();
    layer->set_lora_active(false); // unmerges first
    QVERIFY(!layer->merged());
    QVERIFY(at::allclose(layer->forward(x), base, 0.0, 1e-6));
    layer->set_lora_active(true);
    QVERIFY(!at::allclose(layer->forward(x), base, 0.0, 1e-3));
}

void TestLoraLinear::only_lora_parameters_train_after_freezing()
{
    LoraLinear layer(5, 7, true);
    layer->enable_lora(2, 2.0, /*dropout=*/0.1);
    randomise_lora_B(layer);
    for (auto& item : layer->named_parameters())
        item.value().set_requires_grad(item.key().rfind("lora_", 0) == 0);
    layer->train();
    layer->forward(at::randn({3, 5})).sum().backward();
    QVERIFY(!layer->weight.grad().defined());
    QVERIFY(!layer->bias.grad().defined());
    QVERIFY(layer->lora_A->weight.grad().defined());
    QVERIFY(layer->lora_B->weight.grad().defined());
    std::int64_t trainable = 0;
    for (const auto& p : layer->parameters())
        if (p.requires_grad()) trainable += p.numel();
    QCOMPARE(trainable, std::int64_t(2 * 5 + 7 * 2));
}

void TestLoraLinear::bad_settings_are_refused()
{
    LoraLinear layer(4, 4, true);
    QVERIFY_THROWS_EXCEPTION(Error, layer->enable_lora(0, 1.0));
    QVERIFY_THROWS_EXCEPTION(Error, layer->enable_lora(2, 0.0));
    QVERIFY_THROWS_EXCEPTION(Error, layer->enable_lora(2, 1.0, 1.0));
    layer->enable_lora(2, 1.0);
    QVERIFY_THROWS_EXCEPTION(Error, layer->enable_lora(2, 1.0));
    QVERIFY_THROWS_EXCEPTION(Error, LoraLinear(0, 4, true));
}

QTEST_GUILESS_MAIN(TestLoraLinear)
#include "test_lora_linear.moc"
