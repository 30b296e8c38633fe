#!/usr/bin/env bash
# s3-sync at scale (issue 39). For each count, tiny JPEGs under 100 date prefixes; the first
# and the second `imgproc s3-sync` (one variant by default, so conversion is not what is
# measured). Prints objects/s (source objects), requests per object (from the --json
# summary), CPU seconds per 1,000 objects and peak RSS.
# Part one, by default: the real local S3 server (OpenStack Swift + s3api, started by
# scripts/with-s3-server.sh), against the floor of `aws s3 cp --recursive` of the same output
# bytes from a local folder with max_concurrent_requests = --concurrency.
# Part two, --standin: the in-memory stand-in Benchmarks/s3_standin.py (imgproc's own cost),
# against the floor of listing both buckets once with one sequential client.
# --watch: imgproc watch over that many files in a folder: the first run, a restart over the
# files done, and a file arriving during a live restart's scan.
# usage: Benchmarks/scale_bench.sh [--counts 1000,3000] [--recipe one|default]
#        [--concurrency N] [--binary BIN] [--standin | --watch]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
binary=""
standin=0
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$(realpath "$2")"; shift 2 ;;
    --counts|--recipe|--concurrency) args+=("$1" "$2"); shift 2 ;;
    --standin|--watch) args+=("$1"); standin=1; shift ;;
    *) echo "usage: Benchmarks/scale_bench.sh [--counts 1000,3000] [--recipe one|default] [--concurrency N] [--binary BIN] [--standin | --watch]" >&2; exit 2 ;;
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
if [ "$standin" = 1 ]; then
  "$venv/bin/python" Benchmarks/scale_bench.py "$binary" "${args[@]}"
else
  scripts/with-s3-server.sh "$venv/bin/python" Benchmarks/scale_bench.py "$binary" "${args[@]}"
fi
