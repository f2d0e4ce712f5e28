#!/usr/bin/env python3
"""Renders the retention probe: 10 plain-noun classes x 4 images, 224x224 PNG, deterministic.

The images are synthetic (flat shapes and patterns in varied colours, sizes and positions), because
the studio ships no photographs it may not redistribute and its demo photos are likely a user's own
training data. Re-run with `python3 generate_retention_set.py` from this folder; the output is the
same on every run (fixed seed, Pillow's deterministic rasteriser).
"""
import math
import random
from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 224
PER_CLASS = 4
COLOURS = [(220, 40, 40), (40, 160, 60), (40, 80, 210), (240, 200, 30), (150, 60, 190), (250, 130, 20), (30, 30, 30)]
BACKGROUNDS = [(255, 255, 255), (235, 235, 225), (210, 225, 240), (245, 230, 235)]


def polygon(cx, cy, r, sides, rotation):
    return [(cx + r * math.cos(rotation + 2 * math.pi * i / sides), cy + r * math.sin(rotation + 2 * math.pi * i / sides))
            for i in range(sides)]


def star(cx, cy, r, rotation):
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = rotation + math.pi * i / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def draw_class(name, rng):
    bg = rng.choice(BACKGROUNDS)
    fg = rng.choice(COLOURS)
    image = Image.new("RGB", (SIZE, SIZE), bg)
    d = ImageDraw.Draw(image)
    r = rng.randint(50, 85)
    cx = rng.randint(r + 8, SIZE - r - 8)
    cy = rng.randint(r + 8, SIZE - r - 8)
    rot = rng.uniform(0, math.pi)
    if name == "circle":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fg)
    elif name == "ring":
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=fg, width=max(8, r // 4))
    elif name == "square":
        d.polygon(polygon(cx, cy, r * 1.2, 4, rot), fill=fg)
    elif name == "triangle":
        d.polygon(polygon(cx, cy, r * 1.1, 3, rot), fill=fg)
    elif name == "star":
        d.polygon(star(cx, cy, r * 1.1, rot), fill=fg)
    elif name == "cross":
        w = r // 3
        d.rectangle([cx - r, cy - w, cx + r, cy + w], fill=fg)
        d.rectangle([cx - w, cy - r, cx + w, cy + r], fill=fg)
    elif name == "striped pattern":
        period = rng.randint(16, 32)
        for x in range(-SIZE, 2 * SIZE, period):
            d.polygon([(x, 0), (x + period // 2, 0), (x + period // 2 + SIZE * 0.3, SIZE), (x + SIZE * 0.3, SIZE)], fill=fg)
    elif name == "checkerboard":
        cell = rng.choice([28, 32, 56])
        for y in range(0, SIZE, cell):
            for x in range(0, SIZE, cell):
                if (x // cell + y // cell) % 2 == 0:
                    d.rectangle([x, y, x + cell - 1, y + cell - 1], fill=fg)
    elif name == "polka dots":
        step = rng.randint(36, 48)
        dot = step // 4
        for y in range(step // 2, SIZE, step):
            for x in range(step // 2 + (y // step % 2) * step // 2, SIZE, step):
                d.ellipse([x - dot, y - dot, x + dot, y + dot], fill=fg)
    elif name == "zigzag":
        amplitude = rng.randint(12, 20)
        period = rng.randint(28, 40)
        for y0 in range(20, SIZE, 48):
            points = [(x, y0 + (amplitude if (x // (period // 2)) % 2 else -amplitude)) for x in range(-period, SIZE + period, period // 2)]
            d.line(points, fill=fg, width=7)
    else:
        raise ValueError(name)
    return image


CLASSES = ["checkerboard", "circle", "cross", "polka dots", "ring", "square", "star", "striped pattern", "triangle", "zigzag"]


def main():
    root = Path(__file__).resolve().parent
    rng = random.Random(20240611)
    for name in CLASSES:
        folder = root / name
        folder.mkdir(exist_ok=True)
        for i in range(PER_CLASS):
            draw_class(name, rng).quantize(colors=8, dither=Image.Dither.NONE).save(folder / f"{i + 1}.png", optimize=True)


if __name__ == "__main__":
    main()
