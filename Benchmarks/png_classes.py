#!/usr/bin/env python3
"""PNG bytes per class of image: imgproc's PNG writer against Pillow's optimize=True on the
same pixels (every input is written as a PNG first; imgproc re-encodes it with --max-size 0,
Pillow re-saves it), per class and for the worst image of each class — the bound of issue 11
(≤ +2 % on every image) is about the worst, not the mean.

Classes, generated here or cut from the corpus (deterministic):
  photo-4k     the corpus photos at least 4000 px wide, fitted into 4096 px (the job's cap)
  photo        other corpus photos, as they are
  photo-noise  corpus photos fitted into 2048 px with Gaussian noise (sigma 6)
  gradient     3840x2160 smooth linear and radial gradients (PNG-sourced artwork)
  screenshot   1920x1080 flat UI: panels, buttons, text
  line-art     2048x2048 anti-aliased lines and circles on white
  smooth       the corpus's smooth photos (Benchmarks/corpus.sh: night sky, ice, light),
               fitted into 4096 px
  transparent  the corpus's cut-outs: RGBA photos with a feathered alpha mask
Run through Benchmarks/png_classes.sh. usage: png_classes.py IMGPROC PHOTOS_DIR [LEVEL]
(LEVEL: imgproc's png level=N instead of its automatic effort)"""
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from PIL import Image, ImageDraw

imgproc, photos_dir = sys.argv[1], sys.argv[2]
variant = "p:png" + (f":level={sys.argv[3]}" if len(sys.argv) > 3 else "")
work = tempfile.mkdtemp(prefix="imgproc-png-classes-")
rng = np.random.default_rng(11)
classes = {}


def add(kind, name, image):
    folder = os.path.join(work, "in", kind)
    os.makedirs(folder, exist_ok=True)
    image.save(os.path.join(folder, name + ".png"), compress_level=1)
    classes.setdefault(kind, []).append(name)


photos = sorted(os.listdir(photos_dir))
for name in photos:
    image = Image.open(os.path.join(photos_dir, name)).convert("RGB")
    stem = os.path.splitext(name)[0]
    if image.width >= 4000:
        image.thumbnail((4096, 4096), Image.Resampling.LANCZOS)
        add("photo-4k", stem, image)
    elif len(classes.get("photo", [])) < 8:
        add("photo", stem, image)
for name in photos[4:8]:
    image = Image.open(os.path.join(photos_dir, name)).convert("RGB")
    image.thumbnail((2048, 2048), Image.Resampling.LANCZOS)
    noisy = np.asarray(image, dtype=np.float64) + rng.normal(0, 6, (image.height, image.width, 3))
    add("photo-noise", os.path.splitext(name)[0], Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)))

corpus = os.path.dirname(os.path.abspath(photos_dir))
for kind in ("smooth", "transparent"):
    folder = os.path.join(corpus, kind)
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        image = Image.open(os.path.join(folder, name))
        image = image.convert("RGBA" if kind == "transparent" else "RGB")
        image.thumbnail((4096, 4096), Image.Resampling.LANCZOS)
        add(kind, os.path.splitext(name)[0], image)

height, width = 2160, 3840
y, x = np.mgrid[0:height, 0:width] / np.array([height, width]).reshape(2, 1, 1)
for index, (a, b) in enumerate([((20, 40, 90), (240, 180, 120)), ((250, 250, 250), (30, 30, 30)),
                               ((0, 120, 200), (255, 60, 90))]):
    t = (x * 0.7 + y * 0.3) if index != 2 else np.hypot(x - 0.5, y - 0.5) * 1.4
    t = np.clip(t, 0, 1)[..., None]
    pixels = (np.array(a) * (1 - t) + np.array(b) * t).round().astype(np.uint8)
    add("gradient", f"gradient{index}", Image.fromarray(pixels))

for index in range(3):
    image = Image.new("RGB", (1920, 1080), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x0, y0 = int(rng.integers(0, 1800)), int(rng.integers(0, 1000))
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        draw.rectangle([x0, y0, x0 + int(rng.integers(40, 400)), y0 + int(rng.integers(20, 200))],
                       fill=color if index % 2 else (255, 255, 255), outline=(200, 200, 205))
    for line in range(60):
        draw.text((20 + (line % 3) * 600, 10 + line * 17), f"Settings panel row {line}: value {line * 37 % 101}",
                  fill=(20, 20, 30))
    add("screenshot", f"screenshot{index}", image)

for index in range(3):
    image = Image.new("L", (4096, 4096), 255)
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        points = [tuple(int(v) for v in rng.integers(0, 4096, 2)) for _ in range(2)]
        draw.line(points, fill=0, width=int(rng.integers(1, 6)))
    for _ in range(80):
        cx, cy, r = (int(v) for v in rng.integers(0, 4096, 3) // [1, 1, 8])
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=0, width=3)
    image = image.resize((2048, 2048), Image.Resampling.LANCZOS)  # anti-aliased edges
    add("line-art", f"lineart{index}", image.convert("RGB"))

print(f"{'class':12} {'images':>6} {'imgproc bytes':>14} {'Pillow bytes':>13} {'ratio':>7} {'worst':>7}  worst image"
      f"   imgproc s  Pillow s")
for kind, names in classes.items():
    folder = os.path.join(work, "in", kind)
    out = os.path.join(work, "imgproc", kind)
    start = time.perf_counter()
    subprocess.run([imgproc, "convert", folder, "-o", out, "--variant", variant, "--max-size", "0",
                    "--name", "{base}.{ext}", "-q"], check=True)
    imgproc_seconds = time.perf_counter() - start
    ours = theirs = 0
    worst = (0.0, "")
    pillow_seconds = 0.0
    for name in names:
        source = os.path.join(folder, name + ".png")
        target = os.path.join(work, "pillow-" + name + ".png")
        start = time.perf_counter()
        Image.open(source).save(target, optimize=True)
        pillow_seconds += time.perf_counter() - start
        a, b = os.path.getsize(os.path.join(out, name + ".png")), os.path.getsize(target)
        ours, theirs = ours + a, theirs + b
        worst = max(worst, (a / b, name))
    print(f"{kind:12} {len(names):6d} {ours:14,d} {theirs:13,d} {ours / theirs:7.4f} {worst[0]:7.4f}  {worst[1]:22}"
          f" {imgproc_seconds:9.2f} {pillow_seconds:9.2f}")
