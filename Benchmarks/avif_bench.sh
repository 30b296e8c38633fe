#!/usr/bin/env bash
# The AVIF row of the benchmark (Benchmarks/avif_bench.py): imgproc vs avifenc vs libvips'
# heifsave at sharp's defaults. Builds imgproc in release mode (.build-release, with the
# HEIF trait) and uses the peers' venv of Benchmarks/run.sh.
# usage: Benchmarks/avif_bench.sh [--count N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc > /dev/null 2>&1
imgproc="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc --show-bin-path)/imgproc"
python="$root/Benchmarks/data/venv/bin/python"
[ -x "$python" ] || { echo "avif_bench: run Benchmarks/run.sh once (it builds the peers' venv)" >&2; exit 1; }
command -v avifenc > /dev/null || { echo "avif_bench: avifenc is missing (apt install libavif-bin)" >&2; exit 1; }
[ -d Benchmarks/data/corpus/photos ] || Benchmarks/corpus.sh
"$python" Benchmarks/avif_bench.py "$imgproc" Benchmarks/data/corpus/photos "$@"
