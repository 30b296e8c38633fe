#!/usr/bin/env python3
"""Peer: the thumbnail-only job with Pillow, the fast way: draft() (JPEG DCT scaling to at
least 300x300), then thumbnail() (box reduce + Lanczos), JPEG q80 optimize=True.

usage: pillow_thumb.py INPUT_DIR OUTPUT_DIR [WORKERS=2]
"""
import os
import sys
from multiprocessing import Pool

from PIL import Image


def thumbnail(job):
    source, out = job
    stem = os.path.splitext(os.path.basename(source))[0]
    image = Image.open(source)
    image.draft("RGB", (300, 300))
    image.thumbnail((300, 300), Image.Resampling.LANCZOS)
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.save(f"{out}/{stem}_thumb.jpg", "JPEG", quality=80, optimize=True)


if __name__ == "__main__":
    source_dir, out = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(out, exist_ok=True)
    files = sorted(os.path.join(source_dir, f) for f in os.listdir(source_dir))
    with Pool(workers) as pool:
        for _ in pool.imap_unordered(thumbnail, [(f, out) for f in files], chunksize=1):
            pass
