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

With --corpus, every image of the benchmark corpus (photos, smooth photos, transparent
cut-outs, and each cut-out flattened onto white as the seed's handler flattens it) is one
upload, invoked --runs times in each runtime (median kept): per image the invocation time and
GB-s at 1024 MB for both, their ratio, and the median and worst ratio per class and overall.

Run through Benchmarks/lambda_bench.sh (it starts the S3 server and builds what is missing).
usage: lambda_bench.py BOOTSTRAP PYTHON [--runs N] [--cpus LIST] [--corpus [--limit N] [--only REGEX]]"""
import argparse
import io
import json
import os
import statistics
import subprocess
import re
import sys
import time
import uuid

from PIL import Image

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "../scripts"))
import local_s3  # noqa: E402
from runtime_api import RuntimeAPI  # noqa: E402
from counting_proxy import CountingProxy  # noqa: E402
parser = argparse.ArgumentParser()
parser.add_argument("bootstrap")
parser.add_argument("python")
parser.add_argument("--runs", type=int, default=None)
parser.add_argument("--corpus", action="store_true")
parser.add_argument("--limit", type=int, default=None, help="--corpus: the first N uploads only")
parser.add_argument("--only", default=None, help="--corpus: the uploads whose name matches this regex")
parser.add_argument("--cpus", default="0")
arguments = parser.parse_args()
if arguments.runs is None:
    arguments.runs = 1 if arguments.corpus else 5
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


def serve(name, command, upload, processed, keys, s3_endpoint=endpoint):
    api = RuntimeAPI()
    environment = dict(os.environ, **credentials, AWS_LAMBDA_RUNTIME_API=api.address,
                       AWS_ENDPOINT_URL_S3=s3_endpoint, AWS_REGION="us-east-1",
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


RUNTIMES = [
    ("imgproc", [arguments.bootstrap]),
    ("pillow", [arguments.python, os.path.join(here, "peers/python_runtime.py"),
                os.path.join(here, "peers/pillow_lambda_handler.py")]),
]
ONE_CORE_GBS = 1769 / 1024  # GB-s per second measured on one core, at any size ≤ 1,769 MB


def corpus_uploads():
    """(class, name, bytes) of every corpus image, and each cut-out flattened onto white."""
    root = os.path.join(here, "data/corpus")
    for kind in ("photos", "smooth", "transparent"):
        for name in sorted(os.listdir(os.path.join(root, kind))):
            path = os.path.join(root, kind, name)
            with open(path, "rb") as file:
                yield kind, name, file.read()
            if kind == "transparent":
                image = Image.open(path).convert("RGBA")
                flat = Image.new("RGB", image.size, (255, 255, 255))
                flat.paste(image, mask=image.split()[-1])
                buffer = io.BytesIO()
                flat.save(buffer, "PNG", compress_level=6)
                yield "transparent-flattened", name, buffer.getvalue()


def corpus_bench():
    upload = bucket()
    images = []
    chosen = [upload for upload in corpus_uploads()
              if arguments.only is None or re.search(arguments.only, upload[1])]
    for kind, name, body in chosen[:arguments.limit]:
        # One key per run: a second invocation on the same key would find its manifest and
        # do nothing (as a duplicate event does), which is not the work being measured.
        key = f"{kind}/{name}"
        for run in range(arguments.runs):
            s3.put_object(Bucket=upload, Key=f"corpus{run}/{key}", Body=body)
        with Image.open(io.BytesIO(body)) as image:
            images.append((kind, name, key, image.size[0] * image.size[1] / 1e6))
    keys = [f"corpus{run}/{key}" for _, _, key, _ in images for run in range(arguments.runs)]
    print(f"{len(images)} uploads, {arguments.runs} invocation(s) each per runtime, cores {arguments.cpus}; "
          f"GB-s at 1024 MB = one-core seconds x 1769/1024")
    medians = {}
    stored = {}
    for name, command in RUNTIMES:
        processed = bucket()
        cold, times, rss = serve(name, command, upload, processed, keys)
        objects = [o for page in s3.get_paginator("list_objects_v2").paginate(Bucket=processed)
                   for o in page.get("Contents", [])]
        stored[name] = (len(objects) / arguments.runs, sum(o["Size"] for o in objects) / arguments.runs)
        per_key = {}
        for key, milliseconds in zip(keys, times):
            per_key.setdefault(key.split("/", 1)[1], []).append(milliseconds)
        medians[name] = {key: statistics.median(values) for key, values in per_key.items()}
        print(f"{name}: cold start {cold:.1f} ms, peak RSS {rss:.0f} MiB")
    print(f"{'class':22} {'image':36} {'MP':>5} {'imgproc ms':>10} {'pillow ms':>10}"
          f" {'imgproc GB-s':>12} {'pillow GB-s':>11} {'ratio':>6}")
    ratios = {}
    for kind, name, key, megapixels in images:
        ours, theirs = medians["imgproc"][key], medians["pillow"][key]
        ratio = ours / theirs
        ratios.setdefault(kind, []).append((ratio, name))
        print(f"{kind:22} {name:36} {megapixels:5.1f} {ours:10.0f} {theirs:10.0f}"
              f" {ours / 1000 * ONE_CORE_GBS:12.3f} {theirs / 1000 * ONE_CORE_GBS:11.3f} {ratio:6.3f}")
    print("imgproc GB-s / Pillow handler GB-s, per image:")
    every = []
    for kind, values in ratios.items():
        if kind != "transparent-flattened":
            every += values
        worst = max(values)
        print(f"  {kind:22} median {statistics.median(v for v, _ in values):.3f}"
              f"  worst {worst[0]:.3f} ({worst[1]})")
    worst = max(every)
    print(f"  {'all (as uploaded)':22} median {statistics.median(v for v, _ in every):.3f}"
          f"  worst {worst[0]:.3f} ({worst[1]})")
    totals = {name: sum(values.values()) / 1000 * ONE_CORE_GBS for name, values in medians.items()}
    print(f"  total GB-s: imgproc {totals['imgproc']:.2f}, pillow {totals['pillow']:.2f}"
          f" ({totals['imgproc'] / totals['pillow']:.3f})")
    # Requests per upload, counted by a proxy in front of the S3 server (a separate pass over
    # the three smallest uploads, so that the timed pass has no proxy in its way).
    proxy = CountingProxy(endpoint)
    smallest = [f"corpus0/{key}" for _, _, key, _ in sorted(images, key=lambda image: image[3])[:3]]
    uploads = len(images)
    print("per 1,000 uploads of this corpus (S3 requests counted over the 3 smallest uploads):")
    print(f"{'':8} {'GB-s':>8} {'S3 GET':>7} {'S3 HEAD':>7} {'S3 PUT':>7} {'S3 POST':>7} {'S3 LIST':>7}"
          f" {'objects':>8} {'stored GB':>9}")
    for name, command in RUNTIMES:
        serve(name, command, upload, bucket(), smallest, s3_endpoint=proxy.endpoint)
        counts = proxy.take()
        per = {method: counts.get(method, 0) / len(smallest) * 1000 for method in
               ("GET", "HEAD", "PUT", "POST", "LIST")}
        objects, size = stored[name]
        print(f"{name:8} {totals[name] / uploads * 1000:8.0f} {per['GET']:7.0f} {per['HEAD']:7.0f}"
              f" {per['PUT']:7.0f} {per['POST']:7.0f} {per['LIST']:7.0f} {objects / uploads * 1000:8.0f}"
              f" {size / uploads * 1000 / 1e9:9.2f}")
    proxy.shutdown()


if arguments.corpus:
    corpus_bench()
    sys.exit(0)

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
for name, command in RUNTIMES:
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
