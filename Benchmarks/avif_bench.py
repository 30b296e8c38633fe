#!/usr/bin/env python3
"""The AVIF row: imgproc's AVIF encoder (libheif + aom) against avifenc (libavif + aom) and
sharp's defaults through libvips' heifsave (pyvips: Q 50, effort 4, 4:2:0) on the same
pixels, at the same quality setting: bytes, SSIM and encode time side by side.

Inputs: the corpus photos, fitted into 2048×2048 (AV1 is slow; the ranking does not change
with size) and written as PNG, so every tool encodes identical pixels. imgproc quality 50 /
effort 4 is libheif's quality 50 at aom speed 5; avifenc gets what libheif derives from
quality 50 (end-usage=q, cq-level 32) at speed 5. SSIM on luminance against the input, as
Benchmarks/quality.py. Run through Benchmarks/avif_bench.sh.
usage: avif_bench.py IMGPROC PHOTOS_DIR [--count N]"""
import argparse
import os
import subprocess
import tempfile
import time

import numpy as np
import pyvips
from PIL import Image
from skimage.metrics import structural_similarity

parser = argparse.ArgumentParser()
parser.add_argument("imgproc")
parser.add_argument("photos")
parser.add_argument("--count", type=int, default=6)
arguments = parser.parse_args()
work = tempfile.mkdtemp(prefix="imgproc-avif-")


def luminance(image):
    return np.asarray(image.convert("RGB").convert("L"), dtype=np.float64)


def ssim(source_png, avif_path):
    a, b = luminance(Image.open(source_png)), luminance(Image.open(avif_path))
    return structural_similarity(a, b, data_range=255)


def timed(command):
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def imgproc(source, out):
    folder = os.path.join(work, "imgproc")
    seconds = timed([arguments.imgproc, "convert", source, "-o", folder, "--variant",
                     "a:avif:q=50:effort=4", "--max-size", "0", "--name", "{base}.{ext}", "-q"])
    os.replace(os.path.join(folder, os.path.basename(out)), out)
    return seconds


def avifenc(source, out):
    return timed(["avifenc", "-s", "5", "-y", "420", "--min", "0", "--max", "63",
                  "-a", "end-usage=q", "-a", "cq-level=32", source, out])


def heifsave(source, out):
    start = time.perf_counter()
    pyvips.Image.new_from_file(source, access="sequential").heifsave(
        out, Q=50, compression="av1", effort=4, subsample_mode="on")
    return time.perf_counter() - start


photos = sorted(os.listdir(arguments.photos))[:arguments.count]
sources = []
for name in photos:
    image = Image.open(os.path.join(arguments.photos, name)).convert("RGB")
    image.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
    path = os.path.join(work, os.path.splitext(name)[0] + ".png")
    image.save(path)
    sources.append(path)

tools = {"imgproc": imgproc, "avifenc": avifenc, "libvips heifsave": heifsave}
results = {tool: {"bytes": 0, "seconds": 0.0, "ssim": []} for tool in tools}
for source in sources:
    for tool, encode in tools.items():
        out = os.path.join(work, tool.replace(" ", "_") + "-" + os.path.basename(source)[:-4] + ".avif")
        if tool == "imgproc":
            out = os.path.join(work, os.path.basename(source)[:-4] + ".avif")
        results[tool]["seconds"] += encode(source, out)
        results[tool]["bytes"] += os.path.getsize(out)
        results[tool]["ssim"].append(ssim(source, out))

print(f"AVIF, quality 50 / effort 4 (aom speed 5), {len(sources)} corpus photos fitted into 2048 px:")
print(f"{'tool':18} {'bytes':>12} {'mean SSIM':>10} {'seconds':>9} {'imgproc/tool bytes':>19} {'tool/imgproc time':>18}")
base = results["imgproc"]
for tool, result in results.items():
    print(f"{tool:18} {result['bytes']:12,d} {np.mean(result['ssim']):10.4f} {result['seconds']:9.2f}"
          f" {base['bytes'] / result['bytes']:19.3f} {result['seconds'] / base['seconds']:18.2f}")
