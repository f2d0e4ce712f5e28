#!/usr/bin/python3
"""Python side of bench_inference: the same ViT-B/32-shaped forward in plain PyTorch.

Uses the plain-PyTorch CLIP of shared/tools/clip_torch_ref.py (HF module layout, eager attention),
random weights, batch 32, the same thread count and the same inputs' shapes as the C++ bench.
Prints one line per figure in the format the C++ bench prints, for the side-by-side table.
"""
import argparse, importlib.util, resource, statistics, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--ref", required=True, help="path to clip_torch_ref.py")
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--batch", type=int, default=32)
ap.add_argument("--repeats", type=int, default=3)
a = ap.parse_args()

spec = importlib.util.spec_from_file_location("clip_torch_ref", a.ref)
ref = importlib.util.module_from_spec(spec); spec.loader.exec_module(ref)
import torch

torch.set_num_threads(a.threads)
torch.manual_seed(0)
model = ref.CLIP(dict(ref.TEXT_DEFAULTS), dict(ref.VISION_DEFAULTS), 512).eval()
pixels = torch.randn(a.batch, 3, 224, 224)
ids = torch.full((a.batch, 77), 49407, dtype=torch.long)
ids[:, 0] = 49406
ids[:, 1:20] = torch.randint(0, 49406, (a.batch, 19))
mask = (torch.arange(77) < 21).long().expand(a.batch, 77)


def timed(fn):
    fn()  # warm-up
    times = []
    for _ in range(a.repeats):
        t0 = time.perf_counter(); fn(); times.append(time.perf_counter() - t0)
    return statistics.median(times)


with torch.no_grad():
    def images():
        _, pooled, _ = model.vision_model(pixels)
        e = model.visual_projection(pooled); e / e.norm(dim=-1, keepdim=True)

    def texts():
        _, pooled, _ = model.text_model(ids, mask)
        e = model.text_projection(pooled); e / e.norm(dim=-1, keepdim=True)

    ti = timed(images)
    tt = timed(texts)
print(f"python images_per_s {a.batch / ti:.2f}")
print(f"python texts_per_s {a.batch / tt:.2f}")
print(f"python peak_rss_mib {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
print(f"python threads {torch.get_num_threads()} torch {torch.__version__}")
