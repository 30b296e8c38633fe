#!/usr/bin/env bash
# The PNG writer's DEFLATE cost model (IDATCompression.swift, DeflateEffort.nanosecondsPerByte):
# time per input byte of each candidate (libdeflate 6-9, zlib 9) on the filtered rows imgproc
# itself makes, with the libraries it links. Prints a table per file and the medians.
#   photo: six photos of the corpus (Debian's wallpaper packages, as Benchmarks/corpus.sh),
#          four smooth ones (plasma-workspace-wallpapers: MilkyWay, IceCold, Altai 5120x2880
#          PNG; Flow, Volna JPEG) and two cut-outs (corpus photos with a generated, feathered
#          elliptical alpha mask);
#   flat:  a generated diagonal gradient and a generated screenshot (1920x1080).
# usage: Benchmarks/deflate_costs.sh [IMGPROC]   (default: the release build of run.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. Benchmarks/release.sh
imgproc="${1:-$imgproc}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/deflate_costs" Benchmarks/deflate_costs.c -ldeflate -lz
mkdir -p "$work/photo" "$work/flat"
for name in Kleiber_by_Lukas_Baubkus Bridge_by_Sander_Klootwijk Dragonfly_by_Bolly \
  Wine_by_Jakkub_Mede Picture_0B_by_freespace aitzgorri_by_Aitzol_Berasategi; do
  cp "/usr/share/backgrounds/$name.jpg" "$work/photo/"
done
for name in MilkyWay IceCold Altai; do
  cp "/usr/share/wallpapers/$name/contents/images/5120x2880.png" "$work/photo/$name.png"
done
for name in Flow Volna; do
  cp "/usr/share/wallpapers/$name/contents/images/5120x2880.jpg" "$work/photo/$name.jpg"
done
"$python" - "$work" <<'PY'
import sys
from PIL import Image, ImageDraw, ImageFilter
work = sys.argv[1]
for name in ["Dragonfly_by_Bolly", "Wine_by_Jakkub_Mede"]:
    image = Image.open(f"{work}/photo/{name}.jpg").convert("RGB")
    image.thumbnail((3700, 3700))
    mask = Image.new("L", image.size, 0)
    w, h = image.size
    ImageDraw.Draw(mask).ellipse((w * 0.12, h * 0.1, w * 0.88, h * 0.9), fill=255)
    image.putalpha(mask.filter(ImageFilter.GaussianBlur(40)))
    image.save(f"{work}/photo/cutout-{name}.png", compress_level=1)
w, h = 1920, 1080
gradient = Image.new("RGB", (w, h))
pixels = gradient.load()
for y in range(h):
    for x in range(w):
        t = x / (w - 1) * 0.7 + y / (h - 1) * 0.3
        pixels[x, y] = tuple(int(a * (1 - t) + b * t) for a, b in ((20, 240), (40, 180), (90, 120)))
gradient.save(f"{work}/flat/gradient.png")
screen = Image.new("RGB", (w, h), (246, 246, 246))
draw = ImageDraw.Draw(screen)
draw.rectangle((0, 0, 280, h), fill=(40, 44, 52))
for i in range(40):
    y = 60 + i * 24
    draw.line((320, y, 320 + (i * 97) % 1400 + 100, y), fill=(30, 30, 30), width=2)
    draw.rectangle((20, y, 260, y + 14), fill=(60 + i % 3 * 20, 70, 90))
screen.save(f"{work}/flat/screenshot.png")
PY
for kind in photo flat; do
  # level=0: the filtered rows, stored; the default recipe's cap (4096 px).
  "$imgproc" convert "$work/$kind" -o "$work/stored-$kind" --variant p:png:level=0 \
    --name '{base}.{ext}' -q
  echo "== $kind"
  "$work/deflate_costs" "$work/stored-$kind"/*.png
done
