#!/usr/bin/env python3
"""Prints the benchmark table from Benchmarks/data/results (see run.sh).

usage: report.py RESULTS_DIR CORPUS_DIR
"""
import json
import os
import statistics
import sys
from collections import defaultdict

from PIL import Image

results, corpus = sys.argv[1], sys.argv[2]
images = sorted(n for n in os.listdir(corpus) if not n.startswith("."))
count = len(images)

runs = defaultdict(list)  # (job, tool) -> [(wall, cpu, rss_kib)]
for line in open(os.path.join(results, "times.txt")):
    job, tool, _run, wall, user, system, rss = line.split()
    runs[(job, tool)].append((float(wall), float(user) + float(system), int(rss)))


def median(job, tool):
    rows = runs[(job, tool)]
    wall = statistics.median(r[0] for r in rows)
    cpu = statistics.median(r[1] for r in rows)
    rss = max(r[2] for r in rows) / 1024
    return {"wall": wall, "cpu": cpu, "rss": rss, "rate": count / wall, "n": len(rows),
            "spread": (min(r[0] for r in rows), max(r[0] for r in rows))}


def quality(job, tool):
    path = os.path.join(results, f"quality-{job}-{tool}.json")
    return json.load(open(path))["variants"] if os.path.exists(path) else {}


def speed_table(job, tools):
    stats = {t: median(job, t) for t in tools if runs[(job, t)]}
    ours = stats["imgproc"]
    print(f"{'tool':<18}{'images/s':>10}{'wall s (min..max)':>22}{'CPU s':>9}{'peak RSS MiB':>14}"
          f"{'imgproc/tool images/s':>23}")
    for tool, s in stats.items():
        ratio = ours["rate"] / s["rate"]
        print(f"{tool:<18}{s['rate']:>10.2f}{s['wall']:>9.2f} ({s['spread'][0]:.2f}..{s['spread'][1]:.2f})"
              f"{s['cpu']:>9.2f}{s['rss']:>14.1f}{ratio:>22.2f}x")
    return stats


def bytes_table(job, tools, labels):
    q = {t: quality(job, t) for t in tools}
    head = f"{'variant':<9}" + "".join(f"{labels[t] + ' bytes':>20}" for t in tools)
    head += "".join(f"{'imgproc/' + labels[t]:>22}" for t in tools[1:])
    head += "".join(f"{labels[t] + ' SSIM':>20}" for t in tools)
    print(head)
    for variant in q["imgproc"]:
        row = f"{variant:<9}"
        row += "".join(f"{q[t].get(variant, {}).get('bytes', 0):>20,}" for t in tools)
        for t in tools[1:]:
            theirs = q[t].get(variant, {}).get("bytes")
            row += f"{q['imgproc'][variant]['bytes'] / theirs:>22.4f}" if theirs else f"{'-':>22}"
        row += "".join(f"{q[t].get(variant, {}).get('ssim', float('nan')):>20.4f}" for t in tools)
        print(row)
    return q


print(open(os.path.join(results, "environment.txt")).read().strip())
print(f"corpus: {count} images in {corpus}\n")

print("FIVE-VARIANT JOB (default recipe; median of runs; peak RSS = largest single process)")
five = speed_table("5v", ["imgproc", "imgproc-baseline", "pillow", "libvips"])
faster = max(five["pillow"]["rate"], five["libvips"]["rate"])
print(f"-> imgproc is {five['imgproc']['rate'] / faster:.2f}x the images/s of the faster peer (target >= 3x)\n")
q5 = bytes_table("5v", ["imgproc", "pillow", "libvips"], {"imgproc": "imgproc", "pillow": "Pillow", "libvips": "libvips"})
print("-> targets: bytes <= Pillow's per variant (PNG within 2%), SSIM >= Pillow's - 0.002:")
for variant, ours in q5["imgproc"].items():
    theirs = q5["pillow"].get(variant)
    if not theirs:
        continue
    limit = 1.02 if variant == "png" else 1.0
    ok = ours["bytes"] <= theirs["bytes"] * limit and ours["ssim"] >= theirs["ssim"] - 0.002
    print(f"   {variant:<7} bytes {ours['bytes'] / theirs['bytes']:.4f} of Pillow's, "
          f"SSIM {ours['ssim'] - theirs['ssim']:+.4f}: {'met' if ok else 'NOT met'}")

largest = max(Image.open(os.path.join(corpus, n)).size[0] * Image.open(os.path.join(corpus, n)).size[1] * 3
              for n in images) / 2**20
jobs = 2
budget = 2.5 * largest * jobs + 64
print(f"-> memory: peak RSS {five['imgproc']['rss']:.1f} MiB; budget 2.5 x {largest:.1f} MiB (largest decoded image)"
      f" x {jobs} jobs + 64 MiB = {budget:.1f} MiB: {'met' if five['imgproc']['rss'] <= budget else 'NOT met'}\n")

print("THUMBNAIL-ONLY JOB (fit 300x300, JPEG q80; median of runs)")
thumbs = speed_table("thumb", ["imgproc", "imgproc-baseline", "vipsthumbnail", "pillow-draft",
                              "djpeg-scale-1/8"])
peers = [t for t in thumbs if t not in ("imgproc", "imgproc-baseline", "djpeg-scale-1/8")]
fastest = max(peers, key=lambda t: thumbs[t]["rate"])
print(f"-> imgproc vs the fastest peer ({fastest}): {thumbs['imgproc']['rate'] / thumbs[fastest]['rate']:.2f}x (target >= 1)")
print(f"-> imgproc wall / decode floor (djpeg -scale 1/8): "
      f"{thumbs['imgproc']['wall'] / thumbs['djpeg-scale-1/8']['wall']:.2f} (target <= 1.15)\n")
bytes_table("thumb", ["imgproc", "pillow", "vipsthumbnail"], {"imgproc": "imgproc", "pillow": "Pillow-draft", "vipsthumbnail": "vipsthumb"})
print()

print("OVERHEAD OVER THE BARE CODECS (imgproc --jobs 1 per image vs decode + 5 encodes in process)")
rows = [line.rstrip("\n").split("\t") for line in open(os.path.join(results, "overhead.tsv"))][1:]
per_image = [(r[0], float(r[5])) for r in rows if r[0] != "TOTAL"]
total = [r for r in rows if r[0] == "TOTAL"][0]
worst = max(per_image, key=lambda r: r[1])
print(f"-> total {float(total[4]):.2f} s vs codecs {float(total[3]):.2f} s: ratio {float(total[5]):.3f} (target <= 1.25);"
      f" worst image {worst[0]} {worst[1]:.3f}; images over 1.25: {sum(1 for r in per_image if r[1] > 1.25)}")

if runs[("5v", "imgproc-baseline")]:
    print("\nBEFORE / AFTER (--baseline: the same jobs, alternating, in this run)")
    for job, label, peer_tools in (("5v", "five-variant", ["pillow", "libvips"]),
                                   ("thumb", "thumbnail", ["vipsthumbnail", "pillow-draft"])):
        after, before = median(job, "imgproc"), median(job, "imgproc-baseline")
        best = max(median(job, t)["rate"] for t in peer_tools)
        ra, rb = after["rate"] / best, before["rate"] / best
        print(f"-> {label}: imgproc / fastest peer {rb:.2f}x before, {ra:.2f}x after "
              f"({(ra / rb - 1) * 100:+.1f} %); wall {before['wall']:.2f} s before, {after['wall']:.2f} s after; "
              f"peak RSS {before['rss']:.1f} / {after['rss']:.1f} MiB")
