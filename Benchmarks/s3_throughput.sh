#!/usr/bin/env bash
# s3-sync throughput against the local S3 server, next to `convert` on the same files
# locally: the 24 corpus photos uploaded under 192 keys (8 copies), default recipe, 2 jobs.
# usage: Benchmarks/s3_throughput.sh [--corpus DIR] [--copies N] [--binary BIN]
# (--binary: measure another imgproc build, e.g. main before a change, instead of building)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=Benchmarks/data/corpus/photos
copies=8
binary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --copies) copies="$2"; shift 2 ;;
    --binary) binary="$(realpath "$2")"; shift 2 ;;
    *) echo "usage: Benchmarks/s3_throughput.sh [--corpus DIR] [--copies N] [--binary BIN]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh
venv=Benchmarks/data/venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q pillow==13.0.0 boto3
[ -d "$corpus" ] || Benchmarks/corpus.sh Benchmarks/data/corpus "$venv/bin/python"
if [ -n "$binary" ]; then
  imgproc="$binary"
else
  build=(swift build -c release --static-swift-stdlib --scratch-path .build-release)
  "${build[@]}" --product imgproc >&2
  imgproc="$("${build[@]}" --show-bin-path)/imgproc"
fi
export IMGPROC_TEST_S3_PORT=18700 IMGPROC_BENCH_IMGPROC="$imgproc" IMGPROC_BENCH_CORPUS="$corpus" IMGPROC_BENCH_COPIES="$copies"
exec scripts/with-s3-server.sh "$venv/bin/python" - <<'PY'
import os, shutil, subprocess, tempfile, time
import boto3
from botocore.config import Config

endpoint = os.environ["IMGPROC_TEST_S3_ENDPOINT"]
imgproc, corpus, copies = os.environ["IMGPROC_BENCH_IMGPROC"], os.environ["IMGPROC_BENCH_CORPUS"], int(os.environ["IMGPROC_BENCH_COPIES"])
s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test:tester", aws_secret_access_key="testing",
                  region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, max_pool_connections=16))
for bucket in ("upload", "processed"):
    s3.create_bucket(Bucket=bucket)
local = tempfile.mkdtemp(prefix="imgproc-s3bench-")
names = sorted(os.listdir(corpus))
for copy in range(copies):
    os.makedirs(f"{local}/in/{copy}", exist_ok=True)
    for name in names:
        shutil.copy(f"{corpus}/{name}", f"{local}/in/{copy}/{name}")
        s3.upload_file(f"{corpus}/{name}", "upload", f"photos/{copy}/{name}")
keys = copies * len(names)
env = dict(os.environ, AWS_ACCESS_KEY_ID="test:tester", AWS_SECRET_ACCESS_KEY="testing", AWS_EC2_METADATA_DISABLED="true")

def timed(arguments):
    start = time.monotonic()
    subprocess.run([imgproc] + arguments, check=True, env=env)
    return time.monotonic() - start

sync = timed(["s3-sync", "s3://upload/photos/", "s3://processed/photos/", "--endpoint-url", endpoint, "--jobs", "2", "-q"])
again = timed(["s3-sync", "s3://upload/photos/", "s3://processed/photos/", "--endpoint-url", endpoint, "--jobs", "2", "-q"])
convert = timed(["convert", f"{local}/in", "-o", f"{local}/out", "--jobs", "2", "-q"])
outputs = sum(1 for page in s3.get_paginator("list_objects_v2").paginate(Bucket="processed", Prefix="photos/")
              for o in page.get("Contents", []) if ".imgproc/" not in o["Key"])
shutil.rmtree(local)
print(f"objects: {keys} ({len(names)} photos x {copies} copies); outputs uploaded: {outputs}")
print(f"s3-sync: {sync:.2f} s ({keys / sync:.2f} images/s); second run (nothing new): {again:.2f} s")
print(f"local convert of the same files: {convert:.2f} s ({keys / convert:.2f} images/s)")
print(f"ratio s3-sync / local convert: {sync / convert:.3f} (target <= 1.3)")
PY
