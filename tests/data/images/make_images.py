#!/usr/bin/python3
"""Generates the small decoder test images and, for each, <name>.expected.png: the RGB pixels
Pillow 9.4 gives for it (ImageOps.exif_transpose, then convert("RGB")), stored losslessly.

Run from this folder with Debian's /usr/bin/python3 (Pillow 9.4, numpy):  ./make_images.py
"""
import struct
import zlib

import numpy as np
from PIL import Image, ImageOps


def pattern(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), (x * y) % 256], axis=-1)
    noise = rng.integers(0, 40, size=(height, width, 3))
    return np.clip(base + noise, 0, 255).astype(np.uint8)


def exif_with_orientation(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def save_expected(name):
    with Image.open(name) as im:
        ImageOps.exif_transpose(im).convert("RGB").save(name + ".expected.png")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def write_png16_rgb(name, samples):
    """Pillow cannot write 16-bit RGB, so this writes the PNG by hand (colour type 2, depth 16)."""
    height, width, _ = samples.shape
    raw = b"".join(b"\x00" + samples[y].astype(">u2").tobytes() for y in range(height))
    with open(name, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)))
        f.write(png_chunk(b"IDAT", zlib.compress(raw, 9)))
        f.write(png_chunk(b"IEND", b""))


# EXIF orientations 2..8 on an asymmetric 5x3 image (lossless, so the comparison is exact).
for orientation in range(2, 9):
    name = f"orientation_{orientation}.png"
    Image.fromarray(pattern(5, 3, orientation)).save(name, exif=exif_with_orientation(orientation))
    save_expected(name)

# A camera-style JPEG rotated by its EXIF tag (Orientation 6: rotate 90 degrees clockwise).
Image.fromarray(pattern(24, 16, 6)).save("orientation_6.jpg", quality=95, exif=exif_with_orientation(6))
save_expected("orientation_6.jpg")

# 16-bit RGB: Pillow keeps the high byte of each sample.
rng = np.random.default_rng(16)
write_png16_rgb("rgb16.png", rng.integers(0, 65536, size=(6, 7, 3), dtype=np.uint16))
save_expected("rgb16.png")

# 16-bit gray. Pillow 9.4 clips it to 255 in convert("RGB"); the studio keeps the high byte like
# it does for RGB, so the expected file is written from the samples, not by Pillow.
gray16 = rng.integers(0, 65536, size=(5, 6), dtype=np.uint16)
Image.fromarray(gray16).save("gray16.png")
assert Image.open("gray16.png").mode == "I"
Image.fromarray(np.repeat((gray16 >> 8).astype(np.uint8)[:, :, None], 3, axis=2)).save("gray16.png.expected.png")

# A 4-bit palette with a transparent entry: convert("RGB") expands the palette and drops transparency.
palette_image = Image.fromarray(rng.integers(0, 12, size=(6, 9), dtype=np.uint8), mode="P")
palette_image.putpalette(list(rng.integers(0, 256, size=12 * 3)))
palette_image.save("palette_transparent.png", transparency=3, bits=4)
save_expected("palette_transparent.png")

# Gray + alpha and 1-bit gray.
Image.fromarray(rng.integers(0, 256, size=(4, 5, 2), dtype=np.uint8), mode="LA").save("gray_alpha.png")
save_expected("gray_alpha.png")
Image.fromarray(rng.integers(0, 2, size=(5, 8), dtype=np.uint8) * 255).convert("1").save("bilevel.png")
save_expected("bilevel.png")

# CMYK JPEG (Pillow writes Adobe polarity, as Photoshop does).
cmyk = np.concatenate([pattern(16, 8, 4), rng.integers(0, 256, size=(8, 16, 1), dtype=np.uint8)], axis=2)
Image.fromarray(cmyk, mode="CMYK").save("cmyk.jpg", quality=95)
save_expected("cmyk.jpg")

# Pillow's bicubic resize on an RGB image: one axis only (the other pass is skipped), both,
# up and down, and down to a single pixel. Named resize_<width>x<height>.expected.png.
resize_source = Image.fromarray(pattern(37, 23, 37))
resize_source.save("resize_source.png")
for width, height in [(37, 11), (60, 23), (5, 40), (1, 1), (80, 70)]:
    resize_source.resize((width, height), Image.Resampling.BICUBIC).save(f"resize_{width}x{height}.expected.png")
