#!/usr/bin/env bash
# imgproc's Lambda bootstrap next to the seed's Pillow handler (Benchmarks/lambda_bench.py):
# cold start, invocation time and peak RSS for a 4096-px photo, billed GB-seconds; and the
# package size. Builds the package (Resources/aws/build.sh) and the Pillow venv
# (Benchmarks/corpus.sh) when missing; starts the local S3 server.
# usage: Benchmarks/lambda_bench.sh [--runs N] [--cpus LIST] [--corpus [--limit N] [--only REGEX]]
# (--corpus: every corpus image, one upload each: per-image GB-s against the seed handler)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bootstrap="$root/.build-lambda-x86_64/package/bootstrap"
[ -x "$bootstrap" ] || Resources/aws/build.sh x86_64
python="$root/Benchmarks/data/venv/bin/python"
if [ ! -x "$python" ]; then
  echo "lambda_bench: $python is missing: Benchmarks/run.sh builds the peers' venv" >&2
  exit 1
fi
"$python" -c "import boto3" 2>/dev/null || "$python" -m pip install --quiet boto3
[ -f Benchmarks/data/corpus/photos/p01_kleiber_6028x3391.jpg ] || Benchmarks/corpus.sh
ls -l dist/lambda/imgproc-lambda-x86_64.zip | awk '{print "package: " $NF ": " $5 " bytes"}'
scripts/with-s3-server.sh "$python" Benchmarks/lambda_bench.py "$bootstrap" "$python" "$@"
