#!/usr/bin/env bash
# s3-sync at scale (issue 39), part one: the real local S3 server (OpenStack Swift + s3api,
# started by scripts/with-s3-server.sh). For each count, tiny JPEGs under 100 date prefixes;
# the first and the second `imgproc s3-sync` (one variant by default, so conversion is not
# what is measured), and the floor: `aws s3 cp --recursive` of the same output bytes from a
# local folder with max_concurrent_requests = --concurrency. Prints objects/s (source
# objects), requests per object (from the --json summary) and peak RSS.
# usage: Benchmarks/scale_bench.sh [--counts 1000,3000] [--recipe one|default]
#        [--concurrency N] [--binary BIN]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
binary=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$(realpath "$2")"; shift 2 ;;
    --counts|--recipe|--concurrency) args+=("$1" "$2"); shift 2 ;;
    *) echo "usage: Benchmarks/scale_bench.sh [--counts 1000,3000] [--recipe one|default] [--concurrency N] [--binary BIN]" >&2; exit 2 ;;
  esac
done
venv=Benchmarks/data/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import boto3, PIL" 2> /dev/null || "$venv/bin/pip" install -q pillow==13.0.0 boto3
command -v aws > /dev/null || pip install -q awscli
if [ -z "$binary" ]; then
  build=(swift build -c release --static-swift-stdlib --scratch-path .build-release)
  "${build[@]}" --product imgproc >&2
  binary="$("${build[@]}" --show-bin-path)/imgproc"
fi
scripts/with-s3-server.sh "$venv/bin/python" Benchmarks/scale_bench.py "$binary" "${args[@]}"
