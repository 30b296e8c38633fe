#!/usr/bin/env python3
"""Pillow doing imgproc's default recipe with the same settings, for size comparisons.

usage: pillow_variants.py INPUT_DIR OUTPUT_DIR

Per image, as the AWS Lambda + Pillow example (../shared/bench/peers/pillow_5v.py), except
that alpha is kept for the PNG and WebP variants, as imgproc does, so both tools encode the
same pixels: cap to 4096x4096 (Lanczos), JPEG q85 and q60 (optimize=True), WebP q85
(method 4), PNG optimize=True, thumbnail 300x300 Lanczos JPEG q80 (optimize=True).
EXIF orientation is applied first (ImageOps.exif_transpose), as imgproc does by default.
"""
import os
import sys

from PIL import Image, ImageOps

LANCZOS = Image.Resampling.LANCZOS


def flatten(img):
    if img.mode in ("RGBA", "LA", "PA", "P"):
        img = img.convert("RGBA")
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, mask=img.split()[-1])
        return background
    return img.convert("RGB") if img.mode not in ("RGB", "L") else img


def keep_alpha(img):
    if img.mode in ("P", "PA"):
        return img.convert("RGBA")
    if img.mode == "LA":
        return img.convert("RGBA")
    return img


def process(src, out):
    stem = os.path.splitext(os.path.basename(src))[0]
    img = ImageOps.exif_transpose(Image.open(src))
    img.load()
    icc = img.info.get("icc_profile")  # imgproc carries the ICC profile into every output
    if max(img.size) > 4096:
        img.thumbnail((4096, 4096), LANCZOS)
    solid = flatten(img)
    extra = {"icc_profile": icc} if icc else {}
    solid.save(f"{out}/{stem}_compressed.jpg", "JPEG", quality=85, optimize=True, **extra)
    solid.save(f"{out}/{stem}_low.jpg", "JPEG", quality=60, optimize=True, **extra)
    keep_alpha(img).save(f"{out}/{stem}_webp.webp", "WEBP", quality=85, method=4, **extra)
    keep_alpha(img).save(f"{out}/{stem}_png.png", "PNG", optimize=True, **extra)
    thumb = solid.copy()
    thumb.thumbnail((300, 300), LANCZOS)
    thumb.save(f"{out}/{stem}_thumbnail.jpg", "JPEG", quality=80, optimize=True, **extra)


if __name__ == "__main__":
    source, output = sys.argv[1], sys.argv[2]
    os.makedirs(output, exist_ok=True)
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if os.path.isfile(path) and not name.startswith(".") and not name.endswith(".md"):
            process(path, output)
