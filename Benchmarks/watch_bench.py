#!/usr/bin/env python3
"""imgproc watch, measured: latency, burst throughput against convert, and RSS and open file
descriptors over 10,000 files (see watch_bench.sh, which builds the release binary).

usage: watch_bench.py IMGPROC CORPUS_DIR [--files N] [--latency N]

1. Latency: small JPEGs (320x240) written one at a time into the watched folder (default
   recipe); for each, the time from its close() to the watch's progress line for it (printed
   after its last output is renamed into place), and that line's own processing time (`ms`).
   Median and p95 of both, and of their difference (what watching adds).
2. Burst: the corpus copied into the watched folder at once, until the last progress line,
   against `imgproc convert` of the same files into a folder (alternating, twice each).
3. Many files: N tiny JPEGs (one 16x16 variant) in batches of 1,000; after each batch, the
   watch process's RSS (VmRSS) and open descriptors (/proc/PID/fd).
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time


class Watch:
    """imgproc watch as a process; progress lines recorded with their arrival time."""

    def __init__(self, imgproc, folder, output, journal, extra):
        self.arrivals = {}
        self.events = []
        self.lock = threading.Condition()
        self.process = subprocess.Popen(
            [imgproc, "watch", folder, "-o", output, "--journal", journal, "--json"] + extra,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1)
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            now = time.monotonic()
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if event.get("event") == "progress":
                with self.lock:
                    self.arrivals[os.path.basename(event["source"])] = (now, event.get("ms", 0))
                    self.events.append(event)
                    self.lock.notify_all()

    def wait_for(self, count, timeout=600):
        deadline = time.monotonic() + timeout
        with self.lock:
            while len(self.events) < count and time.monotonic() < deadline:
                self.lock.wait(0.5)
            return len(self.events)

    def stop(self):
        self.process.terminate()
        self.process.wait()

    def rss_and_fds(self):
        pid = self.process.pid
        rss = 0
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return rss, len(os.listdir(f"/proc/{pid}/fd"))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def make_jpeg(imgproc, corpus, work, size):
    """A JPEG of `size` made from the first corpus photo by imgproc itself."""
    source = sorted(os.path.join(corpus, n) for n in os.listdir(corpus))[0]
    out = os.path.join(work, f"sample-{size}")
    subprocess.run([imgproc, "convert", source, "-o", out, "--variant", f"s:jpeg:q=85:{size}",
                    "--name", "{variant}.{ext}", "-q"], check=True)
    return open(os.path.join(out, "s.jpg"), "rb").read()


def latency(imgproc, corpus, work, count):
    data = make_jpeg(imgproc, corpus, work, "320x240")
    folder, out = os.path.join(work, "lat-in"), os.path.join(work, "lat-out")
    os.makedirs(folder)
    watch = Watch(imgproc, folder, out, os.path.join(work, "lat.jsonl"), [])
    time.sleep(1)
    total, own = [], []
    for index in range(count):
        name = f"l{index:04d}.jpg"
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)
        closed = time.monotonic()
        watch.wait_for(index + 1, timeout=30)
        arrived, ms = watch.arrivals[name]
        total.append((arrived - closed) * 1000)
        own.append(ms)
    watch.stop()
    added = [t - o for t, o in zip(total, own)]
    print(f"latency over {count} files (320x240 JPEG, default recipe):")
    for label, values in (("close -> last output", total), ("own processing", own),
                          ("added by watching", added)):
        print(f"  {label:<22} median {statistics.median(values):7.1f} ms   "
              f"p95 {percentile(values, 0.95):7.1f} ms")
    return statistics.median(added)


def burst(imgproc, corpus, work):
    names = sorted(n for n in os.listdir(corpus) if not n.startswith("."))
    results = {"watch": [], "convert": []}
    for run in range(2):
        out = os.path.join(work, f"conv-{run}")
        start = time.monotonic()
        subprocess.run([imgproc, "convert", corpus, "-o", out, "--jobs", "2", "-q"], check=True)
        results["convert"].append(time.monotonic() - start)
        folder, out = os.path.join(work, f"burst-in-{run}"), os.path.join(work, f"burst-out-{run}")
        os.makedirs(folder)
        watch = Watch(imgproc, folder, out, os.path.join(work, f"burst-{run}.jsonl"), ["--jobs", "2"])
        time.sleep(1)
        start = time.monotonic()
        for name in names:
            shutil.copy(os.path.join(corpus, name), os.path.join(folder, name))
        watch.wait_for(len(names))
        results["watch"].append(time.monotonic() - start)
        watch.stop()
    convert, watched = statistics.median(results["convert"]), statistics.median(results["watch"])
    print(f"burst of {len(names)} photos: convert {convert:.2f} s, watch {watched:.2f} s "
          f"(runs: {['%.2f' % t for t in results['convert']]}, {['%.2f' % t for t in results['watch']]})")
    print(f"  watch throughput / convert throughput: {convert / watched:.3f} (target >= 0.95)")


def many(imgproc, corpus, work, count):
    data = make_jpeg(imgproc, corpus, work, "32x32")
    folder, out = os.path.join(work, "many-in"), os.path.join(work, "many-out")
    os.makedirs(folder)
    watch = Watch(imgproc, folder, out, os.path.join(work, "many.jsonl"),
                  ["--variant", "t:jpeg:q=50:16x16"])
    time.sleep(1)
    print(f"{count} files in batches of 1,000 (one 16x16 variant):")
    for batch in range(count // 1000):
        for index in range(1000):
            with open(os.path.join(folder, f"m{batch:02d}-{index:04d}.jpg"), "wb") as handle:
                handle.write(data)
        done = watch.wait_for((batch + 1) * 1000)
        time.sleep(0.5)
        rss, fds = watch.rss_and_fds()
        print(f"  after {done:6d}: RSS {rss:6.1f} MiB, open descriptors {fds}")
    watch.stop()


def main():
    imgproc, corpus = sys.argv[1], sys.argv[2]
    files = int(sys.argv[sys.argv.index("--files") + 1]) if "--files" in sys.argv else 10000
    samples = int(sys.argv[sys.argv.index("--latency") + 1]) if "--latency" in sys.argv else 200
    work = tempfile.mkdtemp(prefix="imgproc-watch-bench-")
    try:
        latency(imgproc, corpus, work, samples)
        burst(imgproc, corpus, work)
        many(imgproc, corpus, work, files)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
