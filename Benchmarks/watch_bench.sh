#!/usr/bin/env bash
# imgproc watch, measured (Benchmarks/watch_bench.py): latency from close() to the last
# output, burst throughput against convert, RSS and descriptors over 10,000 files.
# usage: Benchmarks/watch_bench.sh [--corpus DIR] [--files N] [--latency N] [--baseline BIN]
#        [--latency-only]
# --baseline BIN: also measure the latency of another imgproc binary (an earlier release
# build), in the same run, alternating file by file.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Benchmarks/data/corpus/photos
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --files|--latency|--baseline) extra+=("$1" "$2"); shift 2 ;;
    --latency-only) extra+=("$1"); shift ;;
    *) echo "usage: Benchmarks/watch_bench.sh [--corpus DIR] [--files N] [--latency N] [--baseline BIN] [--latency-only]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh
venv=Benchmarks/data/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q pillow==13.0.0
[ -d "$corpus" ] || Benchmarks/corpus.sh Benchmarks/data/corpus "$venv/bin/python"
build=(swift build -c release --static-swift-stdlib --scratch-path .build-release)
"${build[@]}" --product imgproc >&2
exec python3 Benchmarks/watch_bench.py "$("${build[@]}" --show-bin-path)/imgproc" "$corpus" "${extra[@]}"
