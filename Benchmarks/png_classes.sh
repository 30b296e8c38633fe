#!/usr/bin/env bash
# PNG bytes per image class against Pillow's optimize=True (Benchmarks/png_classes.py).
# Uses the release build of Benchmarks/run.sh (.build-release) and its peers' venv.
# usage: Benchmarks/png_classes.sh [LEVEL]   (LEVEL: imgproc's png level=N, default automatic)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. Benchmarks/release.sh
"$python" Benchmarks/png_classes.py "$imgproc" Benchmarks/data/corpus/photos "$@"
