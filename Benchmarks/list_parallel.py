"""What listing in parallel gains on an S3 server (issue 39): seeds 10,000 tiny objects under
100 date prefixes (as scale_bench.py does), then lists them with boto3, two rounds: one flat
stream, and a LIST per prefix with 1, 4 and 12 threads.

usage: scripts/with-s3-server.sh Benchmarks/data/venv/bin/python Benchmarks/list_parallel.py
"""
import os
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scale_bench  # noqa: E402


def main():
    endpoint = os.environ["IMGPROC_TEST_S3_ENDPOINT"]
    s3 = scale_bench.client(endpoint, 16)
    bucket = f"lp-{random.randrange(1 << 30):x}"
    s3.create_bucket(Bucket=bucket)
    started = time.monotonic()
    scale_bench.upload(s3, bucket, 10000, 16)
    print(f"seeded 10000 objects in {time.monotonic() - started:.1f} s", flush=True)
    pages = s3.get_paginator("list_objects_v2")
    prefixes = sorted({entry["Prefix"] for page in pages.paginate(Bucket=bucket, Delimiter="/")
                       for entry in page.get("CommonPrefixes", [])})

    def count(**query):
        return sum(len(page.get("Contents", [])) for page in pages.paginate(Bucket=bucket, **query))

    for _ in range(2):
        started = time.monotonic()
        keys = count()
        print(f"one flat stream: {keys} keys in {time.monotonic() - started:.2f} s", flush=True)
        for threads in (1, 4, 12):
            started = time.monotonic()
            with ThreadPoolExecutor(threads) as pool:
                keys = sum(pool.map(lambda prefix: count(Prefix=prefix, Delimiter="/"), prefixes))
            print(f"a LIST per prefix ({len(prefixes)}), {threads} at once: {keys} keys in "
                  f"{time.monotonic() - started:.2f} s", flush=True)


if __name__ == "__main__":
    main()
