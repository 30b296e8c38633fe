#!/usr/bin/env python3
"""imgproc's Lambda bootstrap next to the seed's Pillow handler, each served through the same
local Lambda Runtime API, reading and writing the local S3 server.

Per runtime: cold start (process start → its first GET /runtime/invocation/next, median of
10 starts), the time of
each invocation (event handed out → response received) for a 4096-px photo and the five
default variants, and the peak RSS (VmHWM). Both run on --cpus (default one core: Lambda gives
a function one vCPU at 1,769 MB and a share of one in proportion below that), and the billed
GB-seconds per invocation follow from that model: at M MB (M ≤ 1,769) the duration is
t(one core) × 1769 / M, so GB-s = t × 1769 / 1024 whatever M; at 1024 MB and at the smallest
memory size that fits the peak RSS (rounded up to 64 MB, with 32 MB to spare).

Run through Benchmarks/lambda_bench.sh (it starts the S3 server and builds what is missing).
usage: lambda_bench.py BOOTSTRAP PYTHON [--runs N] [--cpus LIST]"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "../scripts"))
import local_s3  # noqa: E402
from runtime_api import RuntimeAPI  # noqa: E402
parser = argparse.ArgumentParser()
parser.add_argument("bootstrap")
parser.add_argument("python")
parser.add_argument("--runs", type=int, default=5)
parser.add_argument("--cpus", default="0")
arguments = parser.parse_args()
endpoint = local_s3.endpoint()
credentials = local_s3.CREDENTIALS
s3 = local_s3.client()


def event(bucket, key):
    return json.dumps({"Records": [{
        "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": bucket}, "object": {"key": key.replace(" ", "+")}}}]}).encode()


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cold_start_ms(command, environment, count=10):
    """Median of `count` starts: process start → first GET /runtime/invocation/next."""
    times = []
    for _ in range(count):
        api = RuntimeAPI()
        started = time.monotonic()
        process = subprocess.Popen(["taskset", "-c", arguments.cpus] + command,
                                   env=dict(environment, AWS_LAMBDA_RUNTIME_API=api.address),
                                   stdout=subprocess.DEVNULL)
        while api.first_next is None and process.poll() is None:
            time.sleep(0.0002)
        times.append((api.first_next - started) * 1000 if api.first_next else float("nan"))
        process.kill()
        process.wait()
        api.shutdown()
    return statistics.median(times)


def serve(name, command, upload, processed, keys):
    api = RuntimeAPI()
    environment = dict(os.environ, **credentials, AWS_LAMBDA_RUNTIME_API=api.address,
                       AWS_ENDPOINT_URL_S3=endpoint, AWS_REGION="us-east-1",
                       AWS_EC2_METADATA_DISABLED="true", PROCESSED_BUCKET=processed,
                       UPLOAD_BUCKET=upload, LOG_LEVEL="warning")
    process = subprocess.Popen(["taskset", "-c", arguments.cpus] + command, env=environment,
                               stdout=subprocess.DEVNULL)
    while api.first_next is None:
        if process.poll() is not None:
            sys.exit(f"{name} exited with {process.returncode} before asking for an event")
        time.sleep(0.0005)
    cold = cold_start_ms(command, environment)
    times = []
    for key in keys:
        request_id = str(uuid.uuid4())
        api.invoke(request_id, event(upload, key))
        answer = api.answer(request_id)
        if answer is None:
            sys.exit(f"{name}: {key}: no answer")
        answered, kind, _, body = answer
        if kind != "response":
            sys.exit(f"{name}: {key}: {kind}: {body[:300]}")
        times.append((answered - api.handed[request_id]) * 1000)
    rss = peak_rss_mib(process.pid)
    process.kill()
    process.wait()
    api.shutdown()
    return cold, times, rss


def bucket():
    name = "bench-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=name)
    return name


source = os.path.join(here, "data/corpus/photos/p01_kleiber_6028x3391.jpg")
photo = Image.open(source).convert("RGB").resize((4096, 2304), Image.Resampling.LANCZOS)
buffer = io.BytesIO()
photo.save(buffer, "JPEG", quality=90)
upload = bucket()
keys = [f"photos/shot{index}.jpg" for index in range(arguments.runs)]
for key in keys:
    s3.put_object(Bucket=upload, Key=key, Body=buffer.getvalue(), ContentType="image/jpeg")
print(f"photo: 4096x2304 JPEG q90, {len(buffer.getvalue())} bytes; {arguments.runs} invocations each, "
      f"cores {arguments.cpus}")
results = {}
for name, command in [
    ("imgproc", [arguments.bootstrap]),
    ("pillow", [arguments.python, os.path.join(here, "peers/python_runtime.py"),
                os.path.join(here, "peers/pillow_lambda_handler.py")]),
]:
    results[name] = serve(name, command, upload, bucket(), keys)

share = 1024 / 1769
print(f"{'':8} {'cold start':>11} {'invocation median (min)':>24} {'peak RSS':>9}"
      f" {'GB-s @1024MB':>13} {'smallest MB':>11} {'GB-s there':>10}")
for name, (cold, times, rss) in results.items():
    median = statistics.median(times)
    seconds = median / 1000
    gbs_1024 = seconds / share * 1.0
    smallest = max(128, -(-int(rss + 32) // 64) * 64)
    gbs_smallest = (smallest / 1024) * seconds * 1769 / min(smallest, 1769)
    print(f"{name:8} {cold:9.1f} ms {median:14.0f} ms ({min(times):.0f} ms) {rss:6.0f} MiB"
          f" {gbs_1024:13.3f} {smallest:11d} {gbs_smallest:10.3f}")
(_, imgproc_times, _), (_, pillow_times, _) = results["imgproc"], results["pillow"]
print(f"pillow / imgproc invocation time: {statistics.median(pillow_times) / statistics.median(imgproc_times):.2f}x")
