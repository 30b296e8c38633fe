#!/usr/bin/env bash
# The AVIF row of the benchmark (Benchmarks/avif_bench.py): imgproc vs avifenc vs libvips'
# heifsave at sharp's defaults. Builds imgproc in release mode (.build-release, with the
# HEIF trait) and uses the peers' venv of Benchmarks/run.sh.
# usage: Benchmarks/avif_bench.sh [--count N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. Benchmarks/release.sh
command -v avifenc > /dev/null || { echo "avif_bench: avifenc is missing (apt install libavif-bin)" >&2; exit 1; }
"$python" Benchmarks/avif_bench.py "$imgproc" Benchmarks/data/corpus/photos "$@"
