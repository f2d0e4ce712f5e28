#!/usr/bin/python3
"""Re-reads an adapter exported by the studio with the plain-PyTorch reference (shared/tools/clip_torch_ref.py).

  PHOTOTUNE_KEEP_LORA_EXPORT=/tmp/export ctest -R test_lora_adapter
  tests/core/lora/check_peft_layout.py --adapter /tmp/export --fixtures ../shared/fixtures

The export is the fixture adapter (tiny-clip + fixtures/lora) saved by save_peft_adapter, so the reference must load
it with its strict key check and reproduce lora_forward_golden, and its files must have peft's layout.
Not a CTest test: it needs Python and the reference script.
"""
import argparse, json, os, sys

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", required=True, help="folder written by save_peft_adapter")
    ap.add_argument("--fixtures", required=True, help="shared/fixtures")
    ap.add_argument("--reference", default=None, help="clip_torch_ref.py (default: <fixtures>/../tools)")
    a = ap.parse_args()
    sys.path.insert(0, a.reference or os.path.join(a.fixtures, "..", "tools"))
    import clip_torch_ref as ref

    ok = True

    def check(cond, what):
        nonlocal ok
        print(f"  {'ok ' if cond else 'BAD'} {what}")
        ok &= bool(cond)

    ours = json.load(open(os.path.join(a.adapter, "adapter_config.json")))
    peft = json.load(open(os.path.join(a.fixtures, "lora", "adapter_config.json")))
    print("[adapter_config.json]")
    check(set(ours) == set(peft), f"same fields as peft 0.10 ({len(peft)}); differing: {sorted(set(ours) ^ set(peft))}")
    for key in ("peft_type", "r", "lora_alpha", "lora_dropout", "bias", "use_dora", "use_rslora", "fan_in_fan_out",
                "modules_to_save", "layers_to_transform", "base_model_name_or_path"):
        check(ours.get(key) == peft.get(key) and type(ours.get(key)) is type(peft.get(key)), f"{key} = {ours.get(key)!r}")
    check(sorted(ours["target_modules"]) == sorted(peft["target_modules"]), "target_modules")

    print("[adapter_model.safetensors]")
    mine, meta = ref.st_load(os.path.join(a.adapter, "adapter_model.safetensors"))
    theirs, _ = ref.st_load(os.path.join(a.fixtures, "lora", "adapter_model.safetensors"))
    check(meta is not None and meta.get("format") == "pt", f"metadata {meta}")
    check(set(mine) == set(theirs), f"{len(mine)} keys, same as peft's")
    check(all(torch.equal(mine[k], theirs[k]) for k in theirs if k in mine), "tensors bit-identical to peft's file")

    print("[reference load_adapter + forward]")
    model = ref.load_clip(os.path.join(a.fixtures, "tiny-clip"))
    ref.load_adapter(model, a.adapter)  # asserts that the keys equal the reference's own adapter keys
    g, _ = ref.st_load(os.path.join(a.fixtures, "forward_golden.safetensors"))
    lg, _ = ref.st_load(os.path.join(a.fixtures, "lora", "lora_forward_golden.safetensors"))
    with torch.no_grad():
        out = model.eval()(g["input.pixel_values"], g["input.input_ids"], g["input.attention_mask"])
    for k in sorted(x[5:] for x in lg if x.startswith("lora.")):
        ok &= ref.report(k, out[k], lg["lora." + k], 1e-5 * max(1.0, lg["lora." + k].abs().max().item()))
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
