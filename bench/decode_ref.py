"""Decode + preprocess on one core in Python: Pillow + CLIPImageProcessor's steps (convert RGB,
bicubic resize of the short side to 224, centre crop, rescale and normalise with numpy); and the
same with Pillow's JPEG draft mode, Python's own reduced-size decoding. Prints "py <key> <value>"."""
import os
import sys
import time

import numpy as np
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def preprocess(path, draft):
    image = Image.open(path)
    if draft:
        image.draft("RGB", (224, 224))
    image = image.convert("RGB")
    w, h = image.size
    scale = 224 / min(w, h)
    size = (max(224, round(w * scale)), max(224, round(h * scale)))
    image = image.resize(size, Image.BICUBIC)
    left, top = (size[0] - 224) // 2, (size[1] - 224) // 2
    crop = np.asarray(image.crop((left, top, left + 224, top + 224)), dtype=np.float32) / 255.0
    return ((crop - MEAN) / STD).transpose(2, 0, 1)


def main():
    folder = sys.argv[1]
    photos = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(".jpg"))
    for key, draft in (("full_ips", False), ("draft_ips", True)):
        start = time.perf_counter()
        for photo in photos:
            preprocess(photo, draft)
        print(f"py {key} {len(photos) / (time.perf_counter() - start):.2f}")


if __name__ == "__main__":
    main()
