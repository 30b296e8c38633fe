#!/usr/bin/env python3
"""Bytes and quality per variant: imgproc's outputs next to Pillow's.

usage: size_table.py SOURCE_DIR IMGPROC_OUT PILLOW_OUT

imgproc names outputs {base}_{variant}_{hash}.{ext}; Pillow's are {base}_{variant}.{ext}.
PSNR (dB, RGB over the composite on white) is measured against the source at the output's
size (the source resized with Pillow Lanczos when sizes differ).
"""
import glob
import math
import os
import sys

import numpy as np
from PIL import Image, ImageOps

VARIANTS = [("compressed", "jpg"), ("low", "jpg"), ("webp", "webp"), ("png", "png"), ("thumbnail", "jpg")]


def rgb(img):
    img = img.convert("RGBA")
    background = Image.new("RGBA", img.size, (255, 255, 255, 255))
    return np.asarray(Image.alpha_composite(background, img).convert("RGB"), dtype=np.float64)


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return 99.0 if mse == 0 else 10 * math.log10(255 ** 2 / mse)


def main(source_dir, ours_dir, pillow_dir):
    totals = {v: [0, 0] for v, _ in VARIANTS}
    print(f"{'image':<20} {'variant':<11} {'imgproc B':>10} {'Pillow B':>10} {'ratio':>7} {'imgproc dB':>10} {'Pillow dB':>9}")
    for name in sorted(os.listdir(source_dir)):
        stem, ext = os.path.splitext(name)
        if ext.lower() not in (".jpg", ".jpeg", ".png", ".webp"):
            continue
        source = ImageOps.exif_transpose(Image.open(os.path.join(source_dir, name)))
        for variant, extension in VARIANTS:
            ours = glob.glob(os.path.join(ours_dir, f"{stem}_{variant}_*.{extension}"))
            theirs = os.path.join(pillow_dir, f"{stem}_{variant}.{extension}")
            if not ours or not os.path.exists(theirs):
                continue
            a, b = os.path.getsize(ours[0]), os.path.getsize(theirs)
            totals[variant][0] += a
            totals[variant][1] += b
            quality = []
            for path in (ours[0], theirs):
                out = Image.open(path)
                reference = source if out.size == source.size else source.resize(out.size, Image.Resampling.LANCZOS)
                quality.append(psnr(rgb(out), rgb(reference)))
            print(f"{stem:<20} {variant:<11} {a:>10,} {b:>10,} {a / b:>7.3f} {quality[0]:>10.2f} {quality[1]:>9.2f}")
    print()
    print(f"{'TOTAL':<20} {'variant':<11} {'imgproc B':>10} {'Pillow B':>10} {'ratio':>7}")
    for variant, _ in VARIANTS:
        a, b = totals[variant]
        if b:
            print(f"{'':<20} {variant:<11} {a:>10,} {b:>10,} {a / b:>7.3f}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
