#!/usr/bin/env python3
"""The numbers behind the Lambda function's limits, measured with the release bootstrap
served through a local Lambda Runtime API (scripts/runtime_api.py) and the local S3 server,
one fresh process per measure, the default recipe:

- memory: peak RSS (VmHWM) of one invocation converting an event of two images of N
  megapixels (the handler converts them one after another), fitted as base + bytes per
  source pixel; LambdaConfiguration
  derives MAX_PIXELS from the function's memory with them (memoryBaseMiB,
  memoryBytesPerPixel), which must cover every measure;
- time: one core's milliseconds for one image (the object's `ms` log field), fitted as
  decode rate x source megapixels + encode rate x output megapixels weighted by the format's
  cost (JPEG 1, WebP and PNG 10); LambdaConfiguration's rates must give an estimate at or
  above every measure.

Run through Benchmarks/lambda_limits.sh (it builds the bootstrap when missing and starts the
S3 server). usage: lambda_limits.py BOOTSTRAP PHOTO"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid


here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, ".."))
sys.path.insert(0, os.path.join(root, "scripts"))
import local_s3  # noqa: E402
from runtime_api import RuntimeAPI  # noqa: E402

bootstrap, photo = sys.argv[1], sys.argv[2]
endpoint = local_s3.endpoint()
credentials = local_s3.CREDENTIALS
s3 = local_s3.client()
CAP = 4096  # the default --max-size


def swift_constant(name):
    with open(os.path.join(root, "Sources/ImgprocLambda/LambdaConfiguration.swift")) as handle:
        return float(re.search(name + r" = ([0-9.]+)", handle.read()).group(1))


def make_sources(folder):
    """(key, path, width, height): the photo resampled to 2 to 64 megapixels (16:9) as JPEG
    q90 (decoded shrunk when over the size cap), as RGB PNG at 12 to 48 megapixels (never
    decoded shrunk: the most memory per pixel), and Resources/samples/logo.png enlarged to an
    RGBA PNG of 24 megapixels (smooth: the slowest PNG encode)."""
    logo = os.path.join(root, "Resources/samples/logo.png")
    made = [(f"jpeg-{mp}mp", photo, "jpeg", mp) for mp in (2, 8, 16, 32, 64)]
    made += [(f"png-{mp}mp", photo, "png", mp) for mp in (12, 24, 48)]
    made.append(("rgba-24mp", logo, "png", 24))
    sources = []
    for name, original, format, megapixels in made:
        width = int((megapixels * 1e6 * 16 / 9) ** 0.5) // 2 * 2
        height = width * 9 // 16
        out = os.path.join(folder, name)
        quality = ":q=90" if format == "jpeg" else ""
        subprocess.run([bootstrap, "convert", original, "-o", out, "-q", "--name", "{variant}.{ext}",
                        "--max-size", "0", "--max-pixels", "1000000000", "--variant",
                        f"source:{format}{quality}:{width}x{height}:fit=fill:enlarge"], check=True)
        extension = "jpg" if format == "jpeg" else "png"
        sources.append((f"{name}.{extension}", os.path.join(out, f"source.{extension}"), width, height))
    return sources


def weighted_output_megapixels(width, height):
    """The default recipe's outputs: compressed, low (JPEG), webp, png (capped at 4096), and
    a thumbnail inside 300x300 (JPEG)."""
    scale = min(1.0, CAP / max(width, height))
    capped = round(width * scale) * round(height * scale) / 1e6
    thumb_scale = min(1.0, 300 / max(width, height))
    thumb = round(width * thumb_scale) * round(height * thumb_scale) / 1e6
    return capped * (1 + 1 + 10 + 10) + thumb


def invoke(keys, upload, cpus):
    """(peak RSS bytes, {key: ms}) of one fresh bootstrap converting `keys` in one event, into
    a new bucket (nothing is up to date)."""
    processed = "limits-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=processed)
    api = RuntimeAPI()
    environment = dict(os.environ, **credentials, AWS_LAMBDA_RUNTIME_API=api.address,
                       AWS_ENDPOINT_URL_S3=endpoint, AWS_REGION="us-east-1",
                       AWS_EC2_METADATA_DISABLED="true", PROCESSED_BUCKET=processed,
                       UPLOAD_BUCKET=upload, LOG_LEVEL="info", MAX_PIXELS="1000000000",
                       AWS_LAMBDA_FUNCTION_MEMORY_SIZE="1769")
    process = subprocess.Popen(["taskset", "-c", cpus, bootstrap], env=environment,
                               stdout=subprocess.PIPE, text=True)
    request_id = str(uuid.uuid4())
    api.invoke(request_id, json.dumps({"Records": [{
        "eventSource": "aws:s3", "eventName": "ObjectCreated:Put",
        "s3": {"bucket": {"name": upload}, "object": {"key": key}}} for key in keys]}).encode())
    answer = api.answer(request_id)
    time.sleep(0.2)
    with open(f"/proc/{process.pid}/status") as status:
        peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
    process.kill()
    output, _ = process.communicate()
    api.shutdown()
    if answer is None or answer[1] != "response":
        sys.exit(f"{keys}: {answer}")
    times = {}
    for line in output.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("status") == "converted":
                times[record["source"].rsplit("/", 1)[-1]] = record["ms"]
    return peak, times


def fit(rows):
    """Least squares of y = a + b x over (x, y) rows."""
    n = len(rows)
    mean_x = sum(x for x, _ in rows) / n
    mean_y = sum(y for _, y in rows) / n
    slope = sum((x - mean_x) * (y - mean_y) for x, y in rows) / sum((x - mean_x) ** 2 for x, _ in rows)
    return mean_y - slope * mean_x, slope


def fit_two(rows):
    """Least squares of y = a u + b v (no constant) over (u, v, y) rows."""
    suu = sum(u * u for u, _, _ in rows)
    svv = sum(v * v for _, v, _ in rows)
    suv = sum(u * v for u, v, _ in rows)
    suy = sum(u * y for u, _, y in rows)
    svy = sum(v * y for _, v, y in rows)
    determinant = suu * svv - suv * suv
    return (suy * svv - svy * suv) / determinant, (svy * suu - suy * suv) / determinant


def main():
    upload = "limits-" + uuid.uuid4().hex[:12]
    s3.create_bucket(Bucket=upload)
    base = swift_constant("memoryBaseMiB")
    per_pixel = swift_constant("memoryBytesPerPixel")
    decode_rate = swift_constant("decodeMillisecondsPerMegapixel")
    encode_rate = swift_constant("encodeMillisecondsPerMegapixel")
    print(f"release bootstrap {bootstrap}, default recipe, one fresh process per measure")
    print(f"LambdaConfiguration: memory {base:.0f} MiB + {per_pixel:.0f} B/source pixel (an event of two); "
          f"time {decode_rate} ms/MP decoded + {encode_rate} ms/weighted MP encoded (one core)")
    print(f"{'source':14} {'MP':>5} {'event of 2':>10} {'allowed':>8} {'1 core ms':>9} {'estimate':>8}")
    memory_rows, time_rows, covered = [], [], True
    with tempfile.TemporaryDirectory() as folder:
        for key, path, width, height in make_sources(folder):
            copy = "copy-" + key
            for name in (key, copy):
                s3.upload_file(path, upload, name)
            pixels = width * height
            peak, _ = invoke([key, copy], upload, "0,1")
            _, times = invoke([key], upload, "0")
            ms = times[key]
            allowed = base + per_pixel * pixels / 1048576
            weighted = weighted_output_megapixels(width, height)
            estimate = decode_rate * pixels / 1e6 + encode_rate * weighted
            ok = allowed >= peak / 1048576 and estimate >= ms
            covered &= ok
            print(f"{key:14} {pixels / 1e6:5.1f} {peak / 1048576:6.0f} MiB {allowed:4.0f} MiB {ms:9d} "
                  f"{estimate:8.0f}" + ("" if ok else "  <- not covered"))
            memory_rows.append((pixels, peak))
            time_rows.append((pixels / 1e6, weighted, ms))
    intercept, slope = fit(memory_rows)
    print(f"fit: peak RSS (an event of two) = {intercept / 1048576:.0f} MiB + {slope:.1f} B/source pixel")
    decode, encode = fit_two(time_rows)
    print(f"fit: one core's ms = {decode:.1f} x source MP + {encode:.2f} x weighted output MP")
    print("every measure covered" if covered else "NOT every measure covered: raise the constants")
    return 0 if covered else 1


if __name__ == "__main__":
    sys.exit(main())
