#!/usr/bin/env bash
# Colour management: imgproc's P3 → sRGB against Pillow's ImageCms (CIEDE2000 mean, p99,
# max) and the transform's cost on a 12 MP photo (Benchmarks/color_check.py). Uses the
# release build of Resources/aws/build.sh and the peers' venv of Benchmarks/run.sh.
# usage: Benchmarks/color_check.sh [--runs N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
imgproc="$root/.build-lambda-x86_64/release/imgproc"
[ -x "$imgproc" ] || Resources/aws/build.sh x86_64
python="$root/Benchmarks/data/venv/bin/python"
[ -x "$python" ] || { echo "color_check: run Benchmarks/run.sh once (it builds the peers' venv)" >&2; exit 1; }
[ -f Benchmarks/data/corpus/photos/p01_kleiber_6028x3391.jpg ] || Benchmarks/corpus.sh
"$python" Benchmarks/color_check.py "$imgproc" "$@"
