#!/usr/bin/env python3
"""Peer: the same five variants with libvips (pyvips), in process, one image per worker.

usage: VIPS_CONCURRENCY=1 pyvips_5v.py INPUT_DIR OUTPUT_DIR [WORKERS=2]

Settings as the Pillow peer: Lanczos3 cap to 4096, JPEG Q85/Q60 with optimised Huffman
tables, WebP Q85 effort 4, PNG compression 9 with adaptive ("all") row filters, a 300x300
Lanczos3 thumbnail from the in-memory image, JPEG Q80; metadata stripped. The decoded (and
capped) image is held in memory once and shared by the five encodes.
"""
import os
import sys
from multiprocessing import Pool

import pyvips


def srgb(image):
    if image.interpretation not in ("srgb", "rgb"):
        image = image.colourspace("srgb")
    if image.format != "uchar":
        image = image.colourspace("srgb").cast("uchar")
    if image.hasalpha():
        image = image.flatten(background=[255, 255, 255])
    if image.bands == 1:
        image = image.bandjoin([image, image])
    return image


def variants(job):
    source, out = job
    stem = os.path.splitext(os.path.basename(source))[0]
    image = srgb(pyvips.Image.new_from_file(source, access="sequential"))
    if max(image.width, image.height) > 4096:
        image = image.resize(min(4096 / image.width, 4096 / image.height), kernel="lanczos3")
    image = image.copy_memory()
    image.jpegsave(f"{out}/{stem}_compressed.jpg", Q=85, optimize_coding=True, strip=True)
    image.jpegsave(f"{out}/{stem}_low.jpg", Q=60, optimize_coding=True, strip=True)
    image.webpsave(f"{out}/{stem}.webp", Q=85, effort=4, strip=True)
    image.pngsave(f"{out}/{stem}.png", compression=9, filter="all", strip=True)
    image.thumbnail_image(300, height=300).jpegsave(
        f"{out}/{stem}_thumb.jpg", Q=80, optimize_coding=True, strip=True)


if __name__ == "__main__":
    source_dir, out = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    os.makedirs(out, exist_ok=True)
    files = sorted(os.path.join(source_dir, f) for f in os.listdir(source_dir))
    with Pool(workers) as pool:
        for _ in pool.imap_unordered(variants, [(f, out) for f in files], chunksize=1):
            pass
