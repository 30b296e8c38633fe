"""s3-sync at scale against the real local S3 server (scripts/with-s3-server.sh): N tiny
JPEGs (32x32, each different) under 100 date prefixes, as an upload bucket holds them; the
first and the second `imgproc s3-sync`, and the floor: the AWS CLI uploading the same output
bytes from a local folder (`aws s3 cp --recursive`, max_concurrent_requests = imgproc's
--concurrency). Objects/s counts source objects; requests per object come from imgproc's
--json summary; peak RSS from /usr/bin/time.

usage: scale_bench.py IMGPROC [--counts 1000,3000] [--recipe one|default]
       [--concurrency 16]
"""

import argparse
import concurrent.futures
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

import boto3
from botocore.config import Config
from PIL import Image

ENDPOINT = os.environ["IMGPROC_TEST_S3_ENDPOINT"]
KEY, SECRET = "test:tester", "testing"


def client(concurrency):
    return boto3.client(
        "s3", endpoint_url=ENDPOINT, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
        region_name="us-east-1", config=Config(max_pool_connections=concurrency))


def tiny_jpeg(index):
    rng = random.Random(index)
    image = Image.new("RGB", (32, 32), (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image.putpixel((index % 32, (index // 32) % 32), (255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(s3, bucket, count, concurrency):
    """count tiny JPEGs under 100 date prefixes: 2026-09-01/ ... 2026-12-09/."""
    keys = [f"2026-{9 + (i % 100) // 30:02d}-{1 + (i % 100) % 30:02d}/u{i:06d}.jpg" for i in range(count)]
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda kv: s3.put_object(Bucket=bucket, Key=kv[1], Body=tiny_jpeg(kv[0]),
                                                ContentType="image/jpeg"), enumerate(keys)))
    return keys


def timed(command, env):
    """(wall seconds, peak RSS MiB, stdout) of command under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        start = time.monotonic()
        run = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", stats.name] + command,
                             env=env, capture_output=True, text=True)
        wall = time.monotonic() - start
        if run.returncode != 0:
            sys.exit(f"scale_bench: {' '.join(command[:2])} failed ({run.returncode}): {run.stderr[-800:]}")
        rss = int(stats.read().strip().splitlines()[-1]) / 1024
    return wall, rss, run.stdout


def sync(imgproc, source, destination, recipe, concurrency, env):
    command = [imgproc, "s3-sync", source, destination, "--json", "--concurrency", str(concurrency),
               "--endpoint-url", ENDPOINT, "--jobs", "2"]
    if recipe == "one":
        command += ["--variant", "t:jpeg:q=80"]
    wall, rss, out = timed(command, env)
    summary = [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1]
    return wall, rss, summary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("imgproc")
    parser.add_argument("--counts", default="1000,3000")
    parser.add_argument("--recipe", choices=["one", "default"], default="one")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    s3 = client(args.concurrency)
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET,
               AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    aws = shutil.which("aws") or sys.exit("scale_bench: the AWS CLI (PyPI awscli) is missing")
    recipe = "one variant (t:jpeg:q=80)" if args.recipe == "one" else "the default five variants"
    print(f"real server (OpenStack Swift + s3api, scripts/with-s3-server.sh); 32x32 JPEGs under "
          f"100 date prefixes; {recipe}; --concurrency {args.concurrency}, --jobs 2")
    print(f"{'objects':>8} {'run':<22} {'wall s':>8} {'objects/s':>10} {'req/object':>11} "
          f"{'peak RSS MiB':>13}  requests")
    for count in [int(c) for c in args.counts.split(",")]:
        tag = f"s{count}-{random.randrange(1 << 30):x}"
        upload_bucket, out_bucket, floor_bucket = f"{tag}-up", f"{tag}-out", f"{tag}-floor"
        for bucket in (upload_bucket, out_bucket, floor_bucket):
            s3.create_bucket(Bucket=bucket)
        upload(s3, upload_bucket, count, args.concurrency)
        for run in ("first s3-sync", "second s3-sync"):
            wall, rss, summary = sync(args.imgproc, f"s3://{upload_bucket}/", f"s3://{out_bucket}/",
                                      args.recipe, args.concurrency, env)
            requests = summary.get("requests", {})
            total = sum(requests.values())
            print(f"{count:>8} {run:<22} {wall:>8.2f} {count / wall:>10.1f} {total / count:>11.2f} "
                  f"{rss:>13.1f}  {json.dumps(requests, sort_keys=True)}", flush=True)
        # The floor: the same output bytes (outputs and manifests) uploaded by the AWS CLI.
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([aws, "s3", "sync", f"s3://{out_bucket}/", folder, "--endpoint-url",
                            ENDPOINT, "--only-show-errors"], env=env, check=True)
            files = sum(len(names) for _, _, names in os.walk(folder))
            with tempfile.NamedTemporaryFile("w", suffix=".cfg") as config:
                config.write(f"[default]\ns3 =\n  max_concurrent_requests = {args.concurrency}\n")
                config.flush()
                floor_env = dict(env, AWS_CONFIG_FILE=config.name)
                wall, rss, _ = timed([aws, "s3", "cp", "--recursive", folder, f"s3://{floor_bucket}/",
                                      "--endpoint-url", ENDPOINT, "--only-show-errors"], floor_env)
            print(f"{count:>8} {'floor: aws s3 cp':<22} {wall:>8.2f} {count / wall:>10.1f} "
                  f"{files / count:>11.2f} {rss:>13.1f}  {files} PUTs of the same bytes", flush=True)


if __name__ == "__main__":
    main()
