#!/usr/bin/env bash
# PNG bytes per image class against Pillow's optimize=True (Benchmarks/png_classes.py).
# Uses the release build of Benchmarks/run.sh (.build-release) and its peers' venv.
# usage: Benchmarks/png_classes.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc > /dev/null 2>&1
imgproc="$(swift build -c release --static-swift-stdlib --scratch-path .build-release --product imgproc --show-bin-path)/imgproc"
python="$root/Benchmarks/data/venv/bin/python"
[ -x "$python" ] || { echo "png_classes: run Benchmarks/run.sh once (it builds the peers' venv)" >&2; exit 1; }
[ -d Benchmarks/data/corpus/photos ] || Benchmarks/corpus.sh
"$python" Benchmarks/png_classes.py "$imgproc" Benchmarks/data/corpus/photos
