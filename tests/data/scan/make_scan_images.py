#!/usr/bin/python3
"""Writes the few scan-test images OpenCV cannot produce from the test itself (run once, output committed).

cmyk.jpg      64x48 CMYK JPEG (Adobe), as print workflows export them
rgb16.png     48x40 16-bit RGB PNG
palette.png   48x40 palette PNG
rotated.jpg   64x40 JPEG with EXIF orientation 6 (shown as 40x64)
"""
import struct
import zlib

import numpy as np
from PIL import Image



def pattern(w, h, seed):
    """Coarse random blocks: each image gets its own structure, so none looks like a near duplicate."""
    blocks = np.random.default_rng(seed).integers(0, 256, (5, 6, 3), dtype=np.uint8)
    return np.asarray(Image.fromarray(blocks).resize((w, h), Image.NEAREST))


def write_png16(path, rgb16):
    """PIL cannot write 16-bit RGB, so the PNG is assembled by hand (filter 0 on every row)."""
    h, w, _ = rgb16.shape
    rows = b"".join(b"\0" + rgb16[y].astype(">u2").tobytes() for y in range(h))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


write_png16("rgb16.png", pattern(48, 40, 2)[:, ::-1].astype(np.uint16) * 257 + 3)
Image.fromarray(pattern(48, 40, 3)[::-1]).convert("P", palette=Image.ADAPTIVE, colors=16).save("palette.png")
exif = Image.Exif()
exif[0x0112] = 6
Image.fromarray(pattern(64, 40, 4)[:, ::-1]).save("rotated.jpg", quality=90, exif=exif.tobytes())
