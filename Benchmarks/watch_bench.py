#!/usr/bin/env python3
"""imgproc watch, measured: latency, burst throughput against convert, and RSS and open file
descriptors over 10,000 files (see watch_bench.sh, which builds the release binary).

usage: watch_bench.py IMGPROC CORPUS_DIR [--files N] [--latency N] [--baseline IMGPROC]
                      [--latency-only]

1. Latency: small JPEGs (320x240) arriving one at a time in the watched folder (default
   recipe), two ways: written in place (timed from close()), and renamed in, the usual upload
   (written under a dot-name, then renamed; timed from the rename). For each, the time to the
   watch's progress line for it (printed after its last output is renamed into place), and
   that line's own processing time (`ms`). Median and p95 of both, and of their difference
   (what watching adds). With --baseline, the same for that binary, in the same run,
   alternating file by file so that both see the same machine.
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
    source = sorted(os.path.join(corpus, n) for n in os.listdir(corpus)
                    if n.lower().endswith((".jpg", ".jpeg", ".png", ".webp")))[0]
    out = os.path.join(work, f"sample-{size}")
    subprocess.run([imgproc, "convert", source, "-o", out, "--variant", f"s:jpeg:q=85:{size}",
                    "--name", "{variant}.{ext}", "-q"], check=True)
    return open(os.path.join(out, "s.jpg"), "rb").read()


def arrive(folder, name, data, renamed):
    """Puts `data` in `folder` as `name`; returns when it is there (closed, or renamed)."""
    path = os.path.join(folder, name)
    staging = os.path.join(folder, "." + name + ".part") if renamed else path
    with open(staging, "wb") as handle:
        handle.write(data)
    if renamed:
        os.rename(staging, path)
    return time.monotonic()


def latency(binaries, corpus, work, count):
    """Per binary and way of arrival: (close -> last output, own processing) in ms."""
    data = make_jpeg(binaries[0][1], corpus, work, "320x240")
    results = {}
    for way, renamed in (("written in place", False), ("renamed in", True)):
        watches = {}
        for label, imgproc in binaries:
            tag = f"{label}-{'mv' if renamed else 'w'}"
            folder = os.path.join(work, f"lat-in-{tag}")
            os.makedirs(folder)
            watches[label] = (Watch(imgproc, folder, os.path.join(work, f"lat-out-{tag}"),
                                    os.path.join(work, f"lat-{tag}.jsonl"), []), folder)
            results[(label, way)] = ([], [])
        time.sleep(1)
        for index in range(count):
            for label, (watch, folder) in watches.items():
                name = f"l{index:04d}.jpg"
                arrived_at = arrive(folder, name, data, renamed)
                watch.wait_for(index + 1, timeout=30)
                done, ms = watch.arrivals[name]
                results[(label, way)][0].append((done - arrived_at) * 1000)
                results[(label, way)][1].append(ms)
        for watch, _ in watches.values():
            watch.stop()
    print(f"latency over {count} files each (320x240 JPEG, default recipe):")
    for (label, way), (total, own) in results.items():
        added = [t - o for t, o in zip(total, own)]
        print(f"  {label}, {way}:")
        for name, values in (("arrival -> last output", total), ("own processing", own),
                             ("added by watching", added)):
            print(f"    {name:<24} median {statistics.median(values):7.1f} ms   "
                  f"p95 {percentile(values, 0.95):7.1f} ms")


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
    binaries = [("imgproc", imgproc)]
    if "--baseline" in sys.argv:
        binaries.append(("baseline", sys.argv[sys.argv.index("--baseline") + 1]))
    only_latency = "--latency-only" in sys.argv
    work = tempfile.mkdtemp(prefix="imgproc-watch-bench-")
    try:
        latency(binaries, corpus, work, samples)
        if not only_latency:
            burst(imgproc, corpus, work)
            many(imgproc, corpus, work, files)
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
