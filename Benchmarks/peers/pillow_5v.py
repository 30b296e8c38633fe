#!/usr/bin/env python3
"""Peer: the AWS Lambda + Pillow example's five variants, as a batch over a folder.

usage: pillow_5v.py INPUT_DIR OUTPUT_DIR [WORKERS=2]

Per image: open, convert to RGB (alpha flattened onto white), fit into 4096x4096 with Lanczos
when larger, then JPEG q85 and q60 (optimize=True), WebP q85 (method 4), PNG optimize=True,
and a 300x300 Lanczos thumbnail as JPEG q80 (optimize=True). No metadata is written.
Outputs: NAME_compressed.jpg, NAME_low.jpg, NAME.webp, NAME.png, NAME_thumb.jpg.
"""
import os
import sys
from multiprocessing import Pool

from PIL import Image

LANCZOS = Image.Resampling.LANCZOS


def rgb(image):
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, (255, 255, 255))
        background.paste(image, mask=image.split()[-1])
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def variants(job):
    source, out = job
    stem = os.path.splitext(os.path.basename(source))[0]
    image = rgb(Image.open(source))
    if max(image.size) > 4096:
        image.thumbnail((4096, 4096), LANCZOS)
    image.save(f"{out}/{stem}_compressed.jpg", "JPEG", quality=85, optimize=True)
    image.save(f"{out}/{stem}_low.jpg", "JPEG", quality=60, optimize=True)
    image.save(f"{out}/{stem}.webp", "WEBP", quality=85, method=4)
    image.save(f"{out}/{stem}.png", "PNG", optimize=True)
    thumb = image.copy()
    thumb.thumbnail((300, 300), LANCZOS)
    thumb.save(f"{out}/{stem}_thumb.jpg", "JPEG", quality=80, optimize=True)


if __name__ == "__main__":
    source_dir, out = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(out, exist_ok=True)
    files = sorted(os.path.join(source_dir, f) for f in os.listdir(source_dir))
    with Pool(workers) as pool:
        for _ in pool.imap_unordered(variants, [(f, out) for f in files], chunksize=1):
            pass
