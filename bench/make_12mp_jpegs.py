"""Writes 12-megapixel camera-like JPEGs (4000x3000, quality 90) made from the demo photos:
upscaled with Lanczos, with sensor-like noise so the JPEGs carry fine detail as camera files do.
Usage: make_12mp_jpegs.py DEMO_DIR OUT_DIR COUNT"""
import os
import sys

import numpy as np
from PIL import Image


def main():
    demo, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    sources = sorted(os.path.join(root, f) for root, _, files in os.walk(demo) for f in files if f.lower().endswith(".jpg"))
    rng = np.random.default_rng(0)
    for i, source in enumerate(sources[:count]):
        image = Image.open(source).convert("RGB")
        size = (4000, 3000) if image.width >= image.height else (3000, 4000)
        big = np.asarray(image.resize(size, Image.LANCZOS), dtype=np.int16)
        big = np.clip(big + rng.normal(0, 4, big.shape), 0, 255).astype(np.uint8)
        Image.fromarray(big).save(os.path.join(out, f"photo{i:03d}.jpg"), quality=90)


if __name__ == "__main__":
    main()
