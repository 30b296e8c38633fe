#!/usr/bin/env python3
"""Output bytes and SSIM per variant, for one tool's outputs of the benchmark corpus.

usage: quality.py PHOTOS_DIR OUTPUT_DIR TOOL_NAME > quality-TOOL.json

Outputs are found as NAME + suffix per variant: the peers' suffixes (_compressed.jpg,
_low.jpg, .webp, .png, _thumb.jpg) or imgproc's (named with --name '{base}_{variant}.{ext}':
_compressed.jpg, _low.jpg, _webp.webp, _png.png, _thumbnail.jpg).

SSIM (scikit-image, data range 255) is measured against the source decoded by Pillow and,
when the output is smaller, resized to the output's size with Pillow's exact Lanczos
(reducing_gap=None): on luminance for the full-size variants, on RGB for thumbnails (as in
shared/bench/PEERS.md). The same metric for every tool.
"""
import json
import os
import sys
from multiprocessing import Pool

import numpy as np
from PIL import Image, ImageOps
from skimage.metrics import structural_similarity

VARIANTS = {
    "jpeg85": ["_compressed.jpg"],
    "jpeg60": ["_low.jpg"],
    "webp85": [".webp", "_webp.webp"],
    "png": [".png", "_png.png"],
    "thumb": ["_thumb.jpg", "_thumbnail.jpg"],
}


def find(output_dir, stem, suffixes):
    for suffix in suffixes:
        path = os.path.join(output_dir, stem + suffix)
        if os.path.exists(path):
            return path
    return None


def measure(job):
    photos, output_dir, name = job
    stem = os.path.splitext(name)[0]
    source = ImageOps.exif_transpose(Image.open(os.path.join(photos, name))).convert("RGB")
    references = {}
    result = {}
    for variant, suffixes in VARIANTS.items():
        path = find(output_dir, stem, suffixes)
        if path is None:
            continue
        output = Image.open(path).convert("RGB")
        if output.size not in references:
            resized = source if output.size == source.size else source.resize(
                output.size, Image.Resampling.LANCZOS, reducing_gap=None)
            references[output.size] = resized
        reference = references[output.size]
        if variant == "thumb":
            ssim = structural_similarity(
                np.asarray(output), np.asarray(reference), channel_axis=2, data_range=255)
        else:
            a = np.asarray(output.convert("L"))
            b = np.asarray(reference.convert("L"))
            ssim = 1.0 if np.array_equal(a, b) else structural_similarity(a, b, data_range=255)
        result[variant] = {"bytes": os.path.getsize(path), "ssim": float(ssim)}
    return name, result


if __name__ == "__main__":
    photos, output_dir, tool = sys.argv[1], sys.argv[2], sys.argv[3]
    names = sorted(n for n in os.listdir(photos) if not n.startswith("."))
    with Pool(2) as pool:
        per_image = dict(pool.map(measure, [(photos, output_dir, n) for n in names]))
    totals = {}
    for variant in VARIANTS:
        found = [r[variant] for r in per_image.values() if variant in r]
        if found:
            totals[variant] = {
                "files": len(found),
                "bytes": sum(f["bytes"] for f in found),
                "ssim": float(np.mean([f["ssim"] for f in found])),
            }
    json.dump({"tool": tool, "variants": totals, "images": per_image}, sys.stdout, indent=1)
