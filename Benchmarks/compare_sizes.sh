#!/usr/bin/env bash
# Output bytes per variant, imgproc next to Pillow with the same settings, on the sample
# photos plus two generated flat graphics (or on any folder: compare_sizes.sh DIR).
# Pillow comes from PyPI in a venv under Benchmarks/data/.
# usage: Benchmarks/compare_sizes.sh [IMAGE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work="Benchmarks/data/sizes"
venv="Benchmarks/data/venv"

scripts/install-deps.sh
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q pillow==13.0.0 numpy
fi
swift build -c release --product imgproc >/dev/null
imgproc="$(swift build -c release --show-bin-path)/imgproc"

rm -rf "$work" && mkdir -p "$work"
if [ $# -ge 1 ]; then
  images="$1"
else
  images="$work/images"
  mkdir -p "$images"
  cp Resources/samples/*.jpg Resources/samples/*.png "$images/"
  "$venv/bin/python" Benchmarks/make_flat_graphics.py "$images"
fi
"$imgproc" convert "$images" -o "$work/imgproc" -q
"$venv/bin/python" Benchmarks/pillow_variants.py "$images" "$work/pillow"
echo "Pillow $("$venv/bin/python" -c 'import PIL; print(PIL.__version__)'), $("$imgproc" --version | sed 's/^/imgproc /')"
"$venv/bin/python" Benchmarks/size_table.py "$images" "$work/imgproc" "$work/pillow"
