"""s3-sync at scale. N tiny JPEGs (32x32, each different) under 100 date prefixes, as an
upload bucket holds them; the first and the second `imgproc s3-sync`. Objects/s counts source
objects; requests per object come from imgproc's --json summary; peak RSS and CPU seconds
(user + system) from /usr/bin/time.

Two parts:
- the real local S3 server (scripts/with-s3-server.sh sets IMGPROC_TEST_S3_ENDPOINT), against
  the floor of the AWS CLI uploading the same output bytes from a local folder
  (`aws s3 cp --recursive`, max_concurrent_requests = imgproc's --concurrency);
- --standin: the in-memory stand-in (s3_standin.py, started here), so that only imgproc's
  side is measured, against the floor of listing both buckets once, page after page, with
  one sequential client: boto3's paginator (a real client, which reads every key), and the
  raw pages (fetched and counted, nothing parsed: the server's and HTTP's share).

- --watch: `imgproc watch` over N tiny JPEGs already in a folder (100 subfolders), one
  variant: the first run (`--once`); a restart over the files done (`--once`: its scan and
  decisions, then exit), without reading them (the journal's size and time); and a live
  restart (no `--once`) into which a new file is written as soon as it says it watches,
  while it looks at the files there: the time from the new file's close to its progress
  line, and the live watch's peak RSS.

usage: scale_bench.py IMGPROC [--counts 1000,3000] [--recipe one|default]
       [--concurrency 16] [--standin | --watch]
"""

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

from s3_standin import tiny_jpeg, upload_keys

KEY, SECRET = "test:tester", "testing"


def client(endpoint, concurrency):
    import boto3
    from botocore.config import Config
    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=KEY, aws_secret_access_key=SECRET,
        region_name="us-east-1", config=Config(max_pool_connections=concurrency))


def upload(s3, bucket, count, concurrency):
    """count tiny JPEGs under 100 date prefixes (s3_standin.upload_keys)."""
    keys = upload_keys(count)
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(lambda kv: s3.put_object(Bucket=bucket, Key=kv[1], Body=tiny_jpeg(kv[0]),
                                                ContentType="image/jpeg"), enumerate(keys)))
    return keys


def timed(command, env):
    """(wall seconds, peak RSS MiB, CPU seconds, stdout) of command under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        start = time.monotonic()
        run = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", stats.name] + command,
                             env=env, capture_output=True, text=True)
        wall = time.monotonic() - start
        if run.returncode != 0:
            sys.exit(f"scale_bench: {' '.join(command[:2])} failed ({run.returncode}): {run.stderr[-800:]}")
        rss, user, system = stats.read().strip().splitlines()[-1].split()
    return wall, int(rss) / 1024, float(user) + float(system), run.stdout


def sync(imgproc, endpoint, source, destination, recipe, concurrency, env):
    command = [imgproc, "s3-sync", source, destination, "--json", "--concurrency", str(concurrency),
               "--endpoint-url", endpoint, "--jobs", "2"]
    if recipe == "one":
        command += ["--variant", "t:jpeg:q=80"]
    wall, rss, cpu, out = timed(command, env)
    summary = [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1]
    return wall, rss, cpu, summary


def both_runs(args, endpoint, upload_bucket, out_bucket, count, env, cpu):
    """The first and the second s3-sync, one table line each (with CPU s per 1,000 objects
    when `cpu`)."""
    for run in ("first s3-sync", "second s3-sync"):
        wall, rss, seconds, summary = sync(args.imgproc, endpoint, f"s3://{upload_bucket}/",
                                           f"s3://{out_bucket}/", args.recipe, args.concurrency, env)
        requests = summary.get("requests", {})
        total = sum(requests.values())
        cpu_column = f" {seconds * 1000 / count:>11.3f}" if cpu else ""
        print(f"{count:>8} {run:<24} {wall:>8.2f} {count / wall:>10.1f} {total / count:>11.3f}"
              f"{cpu_column} {rss:>13.1f}  {total / wall:.0f} requests/s "
              f"{json.dumps(requests, sort_keys=True)}", flush=True)


def recipe_words(recipe):
    return "one variant (t:jpeg:q=80)" if recipe == "one" else "the default five variants"


def real_server(args, env):
    endpoint = os.environ["IMGPROC_TEST_S3_ENDPOINT"]
    s3 = client(endpoint, args.concurrency)
    aws = shutil.which("aws") or sys.exit("scale_bench: the AWS CLI (PyPI awscli) is missing")
    print(f"real server (OpenStack Swift + s3api, scripts/with-s3-server.sh); 32x32 JPEGs under "
          f"100 date prefixes; {recipe_words(args.recipe)}; --concurrency {args.concurrency}, --jobs 2")
    print(f"{'objects':>8} {'run':<24} {'wall s':>8} {'objects/s':>10} {'req/object':>11} "
          f"{'peak RSS MiB':>13}  requests")
    for count in [int(c) for c in args.counts.split(",")]:
        tag = f"s{count}-{random.randrange(1 << 30):x}"
        upload_bucket, out_bucket, floor_bucket = f"{tag}-up", f"{tag}-out", f"{tag}-floor"
        for bucket in (upload_bucket, out_bucket, floor_bucket):
            s3.create_bucket(Bucket=bucket)
        upload(s3, upload_bucket, count, args.concurrency)
        both_runs(args, endpoint, upload_bucket, out_bucket, count, env, cpu=False)
        # The floor: the same output bytes (outputs and manifests) uploaded by the AWS CLI.
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run([aws, "s3", "sync", f"s3://{out_bucket}/", folder, "--endpoint-url",
                            endpoint, "--only-show-errors"], env=env, check=True)
            files = sum(len(names) for _, _, names in os.walk(folder))
            with tempfile.NamedTemporaryFile("w", suffix=".cfg") as config:
                config.write(f"[default]\ns3 =\n  max_concurrent_requests = {args.concurrency}\n")
                config.flush()
                floor_env = dict(env, AWS_CONFIG_FILE=config.name)
                wall, rss, _, _ = timed([aws, "s3", "cp", "--recursive", folder, f"s3://{floor_bucket}/",
                                      "--endpoint-url", endpoint, "--only-show-errors"], floor_env)
            print(f"{count:>8} {'floor: aws s3 cp':<24} {wall:>8.2f} {count / wall:>10.1f} "
                  f"{files / count:>11.2f} {rss:>13.1f}  {files / wall:.0f} requests/s: {files} PUTs "
                  f"of the same bytes", flush=True)




def list_sequentially(endpoint, bucket):
    """(pages, keys) of listing all of bucket with one client, one page after another."""
    host = urllib.parse.urlsplit(endpoint)
    connection = http.client.HTTPConnection(host.hostname, host.port)
    pages = keys = 0
    token = None
    while True:
        query = {"list-type": "2", "encoding-type": "url"}
        if token:
            query["continuation-token"] = token
        connection.request("GET", f"/{bucket}?{urllib.parse.urlencode(query)}")
        body = connection.getresponse().read().decode()
        pages += 1
        keys += body.count("<Contents>")
        found = re.search(r"<NextContinuationToken>([^<]*)</NextContinuationToken>", body)
        if not found:
            return pages, keys
        token = found.group(1)


def standin(args, env):
    here = os.path.dirname(os.path.abspath(__file__))
    server = subprocess.Popen([sys.executable, os.path.join(here, "s3_standin.py")],
                              stdout=subprocess.PIPE, text=True)
    try:
        endpoint = server.stdout.readline().strip().removeprefix("listening on ")
        host = urllib.parse.urlsplit(endpoint)

        def call(method, target):
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=600)
            connection.request(method, target)
            answer = connection.getresponse().read()
            connection.close()
            return answer

        print(f"in-memory stand-in (Benchmarks/s3_standin.py, one Python process on loopback); 32x32 "
              f"JPEGs under 100 date prefixes; {recipe_words(args.recipe)}; --concurrency "
              f"{args.concurrency}, --jobs 2")
        print(f"{'objects':>8} {'run':<24} {'wall s':>8} {'objects/s':>10} {'req/object':>11} "
              f"{'CPU s/1000':>11} {'peak RSS MiB':>13}  requests")
        for count in [int(c) for c in args.counts.split(",")]:
            upload_bucket, out_bucket = f"s{count}-up", f"s{count}-out"
            for bucket in (upload_bucket, out_bucket):
                call("PUT", f"/{bucket}")
            call("POST", f"/_admin/seed?bucket={upload_bucket}&count={count}")
            both_runs(args, endpoint, upload_bucket, out_bucket, count, env, cpu=True)
            # The floor: both buckets listed once, page after page, by one client: raw
            # (the pages fetched, keys counted, nothing parsed) and as boto3 lists them.
            start = time.monotonic()
            pages = keys = 0
            for bucket in (upload_bucket, out_bucket):
                p, k = list_sequentially(endpoint, bucket)
                pages, keys = pages + p, keys + k
            wall = time.monotonic() - start
            print(f"{count:>8} {'floor: raw LIST pages':<24} {wall:>8.2f} {count / wall:>10.1f} "
                  f"{pages / count:>11.3f} {'':>11} {'':>13}  {pages} pages, {keys} keys, both buckets",
                  flush=True)
            s3 = client(endpoint, 1)
            start = time.monotonic()
            listed = 0
            for bucket in (upload_bucket, out_bucket):
                for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
                    listed += len(page.get("Contents", []))
            wall = time.monotonic() - start
            print(f"{count:>8} {'floor: boto3 paginator':<24} {wall:>8.2f} {count / wall:>10.1f} "
                  f"{pages / count:>11.3f} {'':>11} {'':>13}  {listed} keys, both buckets",
                  flush=True)
            for bucket in (upload_bucket, out_bucket):
                call("POST", f"/_admin/drop?bucket={bucket}")
    finally:
        server.terminate()
        server.wait()


def make_folder(folder, count):
    """count tiny JPEGs under 100 subfolders of folder, as upload_keys names them."""
    for index, key in enumerate(upload_keys(count)):
        path = os.path.join(folder, key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(tiny_jpeg(index))


def live_restart(imgproc, source, output, journal):
    """A watch started over the folder; a new file written as soon as it says it watches,
    while it looks at the files there, in the folder its scan reaches last. (seconds from the
    new file's close to its progress line, seconds from start to the `watching` line,
    peak RSS MiB)."""
    import threading
    start = time.monotonic()
    process = subprocess.Popen(
        [imgproc, "watch", source, "-o", output, "--journal", journal, "--variant", "t:jpeg:q=80",
         "--json"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    seen = {}
    done = threading.Event()
    watching = threading.Event()

    def read():
        for line in process.stdout:
            event = json.loads(line) if line.startswith("{") else {}
            now = time.monotonic()
            if event.get("event") == "watching":
                seen["watching"] = now
                watching.set()
            if event.get("event") == "progress" and event.get("source", "").endswith("late.jpg"):
                seen["late"] = now
                done.set()

    threading.Thread(target=read, daemon=True).start()
    # Once it says it watches (its folders watched; the files there are looked at next).
    watching.wait(120)
    # Into a folder the scan reaches last (names sort before it), and that exists.
    late = os.path.join(source, "2026-12-10", "late.jpg")
    with open(late, "wb") as out:
        # New content every time: the same bytes again would be up to date (the journal
        # knows them), with no progress line.
        out.write(tiny_jpeg(10 ** 7 + int(time.time() * 1000) % 10 ** 9))
    closed = time.monotonic()
    done.wait(60)
    time.sleep(0.5)
    # The peak RSS so far (the scan included), from the kernel, before stopping it.
    with open(f"/proc/{process.pid}/status") as status:
        rss = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
    process.terminate()
    process.wait()
    os.remove(late)
    return (seen.get("late", float("nan")) - closed, seen.get("watching", float("nan")) - start, rss)


def watch(args):
    print("imgproc watch over a folder of 32x32 JPEGs in 100 subfolders; one variant "
          "(t:jpeg:q=80); --jobs 2")
    print(f"{'files':>8} {'run':<34} {'wall s':>8} {'peak RSS MiB':>13}  notes")
    once = ["--variant", "t:jpeg:q=80", "--once", "--json", "--jobs", "2"]
    for count in [int(c) for c in args.counts.split(",")]:
        with tempfile.TemporaryDirectory(dir="/var/tmp") as work:
            source, output = os.path.join(work, "in"), os.path.join(work, "out")
            journal = os.path.join(work, "journal.jsonl")
            make_folder(source, count)
            for run in ("first run (--once)", "restart over done files (--once)"):
                wall, rss, _, out = timed([args.imgproc, "watch", source, "-o", output,
                                           "--journal", journal] + once, os.environ)
                summary = [json.loads(line) for line in out.splitlines() if line.startswith("{")][-1]
                print(f"{count:>8} {run:<34} {wall:>8.2f} {rss:>13.1f}  converted "
                      f"{summary.get('converted')}, up to date {summary.get('upToDate')}", flush=True)
            late, watching, rss = live_restart(args.imgproc, source, output, journal)
            print(f"{count:>8} {'live restart, a file during the scan':<34} {late:>8.3f} {rss:>13.1f}  "
                  f"the new file's close to its output; 'watching' {watching:.2f} s after start",
                  flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("imgproc")
    parser.add_argument("--counts", default="1000,3000")
    parser.add_argument("--recipe", choices=["one", "default"], default="one")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--standin", action="store_true")
    parser.add_argument("--watch", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET,
               AWS_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")
    if args.watch:
        watch(args)
    elif args.standin:
        standin(args, env)
    else:
        real_server(args, env)


if __name__ == "__main__":
    main()
