#!/usr/bin/python3
"""Writes the small CLIP goldens of tests/core/model/test_model_configs.cpp.

Each case is a Hugging Face CLIP folder (config.json with only some keys, so the C++ defaults are
exercised too, + model.safetensors) and golden.safetensors (inputs and every output of the forward,
hidden states included). The outputs come from the plain-PyTorch HF CLIP reference in
shared/tools/clip_torch_ref.py, which reproduces transformers 4.40 bit for bit on the fixtures.

  /usr/bin/python3 tests/data/model/generate_model_goldens.py [--ref ../shared/tools/clip_torch_ref.py]
"""
import argparse, importlib.util, json, os
import torch

HERE = os.path.dirname(os.path.abspath(__file__))

# Only the keys written here appear in config.json; everything else takes transformers' defaults.
CASES = {
    # patch 16 on 64 px, exact GELU, 3 heads of 16, legacy eos_token_id 2 (pools at argmax(input_ids)).
    "patch16_gelu_legacy_eos": dict(
        text=dict(vocab_size=600, hidden_size=32, intermediate_size=80, num_hidden_layers=1,
                  num_attention_heads=2, max_position_embeddings=16, hidden_act="gelu", eos_token_id=2,
                  bos_token_id=0),
        vision=dict(image_size=64, patch_size=16, hidden_size=48, intermediate_size=96, num_hidden_layers=3,
                    num_attention_heads=3, hidden_act="gelu"),
        projection_dim=24, logit_scale_init_value=2.0, batch_images=3, with_mask=True, eos_in_data=599),
    # 5 heads of 8, patch 8 on 48 px, eps 1e-6, first-eos pooling with larger ids present.
    "heads5_patch8_eps6": dict(
        text=dict(vocab_size=500, hidden_size=40, intermediate_size=72, num_hidden_layers=2,
                  num_attention_heads=5, max_position_embeddings=20, layer_norm_eps=1e-6, eos_token_id=300,
                  bos_token_id=299),
        vision=dict(image_size=48, patch_size=8, hidden_size=64, intermediate_size=160, num_hidden_layers=2,
                    num_attention_heads=8, layer_norm_eps=1e-6),
        projection_dim=16, batch_images=3, with_mask=True, eos_in_data=300),
    # patch 8 on 64 px (65 tokens), one head, tanh GELU, no attention mask, 2 images vs 3 texts.
    "image64_one_head_tanh_nomask": dict(
        text=dict(vocab_size=400, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                  num_attention_heads=1, max_position_embeddings=12, hidden_act="gelu_pytorch_tanh",
                  eos_token_id=399, bos_token_id=398),
        vision=dict(image_size=64, patch_size=8, hidden_size=32, intermediate_size=64, num_hidden_layers=1,
                    num_attention_heads=1, hidden_act="gelu_pytorch_tanh"),
        projection_dim=8, logit_scale_init_value=3.0, batch_images=2, with_mask=False, eos_in_data=399),
}


def load_ref(path):
    spec = importlib.util.spec_from_file_location("clip_torch_ref", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def randomise(model, gen):
    """Every parameter random, LayerNorm weights around 1, so a loader that skips one is caught."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith(".weight"):
                p.copy_(1.0 + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith(".bias"):
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
            elif name != "logit_scale":
                p.copy_(0.1 * torch.randn(p.shape, generator=gen))


def token_batch(spec, gen):
    t = spec["text"]
    seq, vocab, eos, bos = t["max_position_embeddings"], t["vocab_size"], spec["eos_in_data"], t["bos_token_id"]
    lengths = [seq, seq // 2, 3]  # full (no padding), half, and SOT + one token + EOT
    ids = torch.full((3, seq), eos, dtype=torch.int64)
    mask = torch.zeros((3, seq), dtype=torch.int64)
    for row, n in enumerate(lengths):
        body = torch.randint(3, vocab - 2, (n - 2,), generator=gen)
        if row == 1 and n > 4:
            body[1] = 2  # a literal id 2 before EOT: the legacy rule must still pool at argmax
        ids[row, 0], ids[row, 1:n - 1], ids[row, n - 1] = bos, body, eos
        mask[row, :n] = 1
    return ids, mask


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.path.join(HERE, "../../../../shared/tools/clip_torch_ref.py"))
    a = ap.parse_args()
    ref = load_ref(a.ref)
    torch.set_num_threads(1)
    for index, (name, spec) in enumerate(CASES.items()):
        gen = torch.Generator().manual_seed(1000 + index)
        cfg = {"architectures": ["CLIPModel"], "model_type": "clip", "projection_dim": spec["projection_dim"],
               "text_config": spec["text"], "vision_config": spec["vision"]}
        if "logit_scale_init_value" in spec:
            cfg["logit_scale_init_value"] = spec["logit_scale_init_value"]
        tcfg, vcfg, proj, scale = ref.load_config(cfg)
        model = ref.CLIP(tcfg, vcfg, proj, scale).eval()
        randomise(model, gen)
        ids, mask = token_batch(spec, gen)
        v = spec["vision"]
        pixels = torch.randn((spec["batch_images"], 3, v["image_size"], v["image_size"]), generator=gen)
        with torch.no_grad():
            out = model(pixels, ids, mask if spec["with_mask"] else None)
        folder = os.path.join(HERE, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2)
        ref.st_save({k: v.detach() for k, v in model.state_dict().items()},
                    os.path.join(folder, "model.safetensors"), {"format": "pt"})
        golden = {"input.pixel_values": pixels, "input.input_ids": ids}
        if spec["with_mask"]:
            golden["input.attention_mask"] = mask
        golden.update({"output." + k: v.detach().clone() for k, v in out.items()})
        ref.st_save(golden, os.path.join(folder, "golden.safetensors"), {"format": "pt"})
        print(f"{name}: {sum(p.numel() for p in model.parameters())} params, outputs {len(out)}")


if __name__ == "__main__":
    main()
