#!/usr/bin/python3
"""Python reference for bench/run_demo_e2e.sh: the same LoRA run on the demo photos in plain PyTorch.

Like a typical PyTorch training script it decodes and preprocesses every photo in every epoch with
PIL (EXIF transpose, RGB, shortest-edge bicubic resize, centre crop, rescale, normalise: HF
CLIPImageProcessor's steps), then trains /work/shared/tools/clip_torch_ref.py's CLIP with add_lora:
same model folder, epochs, batch, rank/alpha, targets (q_proj, v_proj in both towers), AdamW
(weight decay 0.01), warm-up 5 % + cosine, gradient clipping at 1, multi-positive CLIP loss (photos
of one label are positives), 20 % of each label held out. Captions are tokenised once by
`phototune-cli tokenize` (tokenisation is not what is compared). Writes the adapter at the end and
prints the wall time.
"""
import argparse
import importlib.util
import json
import math
import random
import subprocess
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".bmp", ".tif", ".tiff"}


def load_reference(path):
    spec = importlib.util.spec_from_file_location("clip_torch_ref", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def preprocess(path, size=224):
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)
    image = image.resize((new_short, new_long) if w <= h else (new_long, new_short), Image.BICUBIC)
    w, h = image.size
    left, top = (w - size) // 2, (h - size) // 2
    image = image.crop((left, top, left + size, top + size))
    x = np.asarray(image, dtype=np.float32) / 255.0
    return torch.from_numpy(((x - MEAN) / STD).transpose(2, 0, 1).copy())


def scan(data_dir):
    photos = []
    for folder in sorted(p for p in Path(data_dir).iterdir() if p.is_dir()):
        for image in sorted(folder.rglob("*")):
            if image.suffix.lower() not in IMAGE_EXTENSIONS:
                continue
            sidecar = image.with_suffix(".txt")
            captions = [l.strip() for l in sidecar.read_text(encoding="utf-8-sig").splitlines() if l.strip()] if sidecar.exists() else []
            photos.append((image, folder.name, captions or [f"a photo of a {folder.name}."]))
    return photos


def tokenize(cli, model_dir, texts):
    out = subprocess.run([cli, "tokenize", "--model", model_dir, "--"] + texts, check=True, capture_output=True, text=True).stdout
    ids = torch.tensor([json.loads(line) for line in out.splitlines()], dtype=torch.long)
    eot = ids.argmax(dim=-1)  # the first EOT (49407, the largest id)
    mask = (torch.arange(ids.shape[1])[None, :] <= eot[:, None]).long()
    return {t: (ids[i], mask[i]) for i, t in enumerate(texts)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--reference", default="/work/shared/tools/clip_torch_ref.py")
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16)
    ap.add_argument("--lr", type=float, default=2e-4)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()

    start = time.perf_counter()
    ref = load_reference(a.reference)
    random.seed(a.seed)
    torch.manual_seed(a.seed)
    photos = scan(a.data)
    by_label = {}
    for p in photos:
        by_label.setdefault(p[1], []).append(p)
    train = []
    for label, items in by_label.items():
        items = items[:]
        random.shuffle(items)
        train += items[max(1, round(0.2 * len(items))):]
    tokens = tokenize(a.cli, a.model, sorted({c for p in photos for c in p[2]}))
    labels = sorted(by_label)

    model = ref.load_clip(a.model)
    targets = {"q_proj", "v_proj"}
    ref.add_lora(model, a.rank, a.alpha, targets)
    opt = ref.make_opt(model, lr=a.lr, weight_decay=0.01)
    batch = min(a.batch, len(train))
    steps_per_epoch = max(1, len(train) // batch)
    total = steps_per_epoch * a.epochs
    warmup = round(0.05 * total)
    step = 0
    decode_seconds = 0.0
    model.train()
    for epoch in range(a.epochs):
        order = list(range(len(train)))
        random.shuffle(order)
        for s in range(steps_per_epoch):
            rows = [train[i] for i in order[s * batch:(s + 1) * batch]]
            t0 = time.perf_counter()
            pixels = torch.stack([preprocess(p[0]) for p in rows])
            decode_seconds += time.perf_counter() - t0
            captions = [random.choice(p[2]) for p in rows]
            ids = torch.stack([tokens[c][0] for c in captions])
            mask = torch.stack([tokens[c][1] for c in captions])
            group = torch.tensor([labels.index(p[1]) for p in rows])
            lr = a.lr * (step + 1) / warmup if step < warmup else \
                0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup))) * a.lr
            for g in opt.param_groups:
                g["lr"] = lr
            out = model(pixels, ids, mask)
            t = (group[:, None] == group[None, :]).float()
            t = t / t.sum(1, keepdim=True)
            loss = (-(t * F.log_softmax(out["logits_per_image"], -1)).sum(1).mean()
                    - (t * F.log_softmax(out["logits_per_text"], -1)).sum(1).mean()) / 2
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for p in model.parameters() if p.requires_grad], 1.0)
            opt.step()
            step += 1
    ref.save_adapter(model, a.out, a.rank, a.alpha, targets, a.model)
    seconds = time.perf_counter() - start
    print(f"python reference: {len(train)} training photos, {total} steps of {batch}, {a.epochs} epochs; "
          f"decode+preprocess {decode_seconds:.1f} s; final loss {loss.item():.4f}")
    print(f"wall_seconds {seconds:.1f}")


if __name__ == "__main__":
    main()
