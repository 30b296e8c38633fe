#!/usr/bin/env bash
# Decodes the public conformance images (scripts/fetch-suites.sh: PngSuite, libpng's,
# libjpeg-turbo's and libwebp's test images, Pillow's) with imgproc and with a reference decoder, Pillow (its own PNG decoder; libjpeg-
# turbo and libwebp underneath for JPEG and WebP), and compares every pixel.
#
# usage: scripts/conformance.sh          (IMGPROC=BINARY checks that binary instead)
#
# imgproc writes each image as a lossless PNG at its stored size and orientation, colours as
# stored (`--variant ref:png --no-rotate --keep icc`); both are compared as 8-bit RGBA:
#   PNG, WebP lossless, GIF-like palettes: pixel-exact;
#   JPEG: within 1 level per sample (libjpeg-turbo's SIMD and C paths may round apart);
#   lossy WebP: within 2 levels (libwebp's own decoders differ by that);
#   AVIF: under 2 levels on average, 48 at most (libheif and libavif upsample chroma apart);
# a file Pillow refuses must be refused by imgproc with one line, unless imgproc converts it
# with a warning (damage that loses no pixel: `--fail-on`), its pixels then as Pillow's
# tolerant mode (LOAD_TRUNCATED_IMAGES) reads them when that mode reads it; a file imgproc refuses
# that Pillow decodes is listed with imgproc's reason (imgproc is stricter by default:
# `--fail-on warning`). Colour models imgproc converts on decode (CMYK, YCCK) and
# animations (imgproc reads the first frame, as Pillow does) are compared too; files in
# formats imgproc does not read are left out and counted.
# Prints one line per disagreement and a summary; exits 1 if any file disagrees.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build-conformance
mkdir -p "$scratch"
scripts/fetch-suites.sh "$scratch/suites"
if [ ! -x "$scratch/venv/bin/python" ]; then
  python3 -m venv "$scratch/venv"
  "$scratch/venv/bin/pip" install --quiet pillow==13.0.0
fi
# IMGPROC=BINARY checks another build (a release, an earlier commit) instead of this tree's.
if [ -n "${IMGPROC:-}" ]; then
  binary="$IMGPROC"
else
  swift build --product imgproc >&2
  binary="$(swift build --show-bin-path)/imgproc"
fi
rm -rf "$scratch/out" "$scratch/out-tolerant" "$scratch/tolerant"
set +e
"$binary" convert "$scratch"/suites/* -o "$scratch/out" \
  --variant ref:png --max-size 0 --no-rotate --keep icc --json --name '{base}-{hash}.{ext}' \
  > "$scratch/events.jsonl" 2> "$scratch/errors.txt"
# What the default (--fail-on warning) refuses, again with --fail-on error.
mkdir -p "$scratch/tolerant"
grep -o '"source":"[^"]*"' "$scratch/events.jsonl" | sort -u | cut -d'"' -f4 > "$scratch/sources.txt"
grep '"event":"error"' "$scratch/events.jsonl" | grep -o '"source":"[^"]*"' | cut -d'"' -f4 \
  | while read -r file; do ln -sf "$PWD/$file" "$scratch/tolerant/"; done
"$binary" convert "$scratch/tolerant" -o "$scratch/out-tolerant" --follow-symlinks \
  --variant ref:png --max-size 0 --no-rotate --keep icc --json --name '{base}-{hash}.{ext}' \
  --fail-on error > "$scratch/events-tolerant.jsonl" 2> /dev/null
set -e
"$scratch/venv/bin/python" - "$scratch" <<'PY'
import json, os, sys
from PIL import Image, ImageChops, ImageFile, ImageOps, ImageStat

# Disagreements that are the reference's, each checked to be exactly what is said.
KNOWN = {
    # libpng checks every chunk's CRC; Pillow does not check IDAT's.
    "badcrc.png": "a wrong IDAT CRC: Pillow decodes it, imgproc refuses it (as it must)",
    # A 79-byte file whose IDAT declares 1 GiB: truncated, so refused; with --fail-on error
    # libpng stops at the chunk it cannot read whole, where Pillow decodes the bytes there.
    "huge_IDAT.png": "an IDAT declaring 1 GiB in 79 bytes: refused as truncated",
    # Pillow checks text chunks against its own decompression limit; imgproc never
    # inflates text chunks, so their size costs it nothing.
    "png_decompression_dos.png": "a zTXt bomb: Pillow refuses it, imgproc never inflates text",
    # An APNG whose frame control chunks are missing: the default image is a valid PNG.
    "chunk_no_fctl.png": "broken APNG frames: imgproc reads the default image, as libpng does",
    # Pillow takes an orientation from XMP (tiff:Orientation) when EXIF has none; imgproc,
    # as sharp, reads EXIF's (and HEIF's irot/imir). Unrotated, the pixels agree (< 1 level
    # on average).
    "xmp_tags_orientation.avif": "an orientation in XMP only: Pillow applies it, imgproc does not",
}

scratch = sys.argv[1]
outputs, refused, tolerant, warned = {}, {}, {}, {}
for line in open(f"{scratch}/events.jsonl"):
    event = json.loads(line)
    if event.get("event") == "output":
        outputs[event["source"]] = event["path"]
    elif event.get("event") == "warning":
        warned[event["source"]] = event.get("message", "")
    elif event.get("event") == "error" and "source" in event:
        refused[event["source"]] = event.get("message", "")
for line in open(f"{scratch}/events-tolerant.jsonl"):
    event = json.loads(line)
    if event.get("event") == "output":
        name = os.path.basename(event["source"])
        tolerant[name] = event["path"]
errors = open(f"{scratch}/errors.txt").read().splitlines()

def png_bit_depth(path):
    with open(path, "rb") as f:
        head = f.read(26)
    return head[24] if head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR" else 8

def as_rgba8(image, bit_depth=8):
    """8-bit RGBA; 16-bit gray (which Pillow's convert clips) as its high bytes, with its
    tRNS value transparent; 1-, 2- and 4-bit gray with its tRNS value scaled as the samples
    are (PNG 11.3.2.1: Pillow compares the 8-bit pixels with the unscaled value)."""
    transparent = image.info.get("transparency")
    if image.mode == "L" and bit_depth < 8 and isinstance(transparent, int):
        scaled = transparent * (255 // ((1 << bit_depth) - 1))
        rgba = image.convert("RGBA")
        rgba.putalpha(image.point(lambda v: 0 if v == scaled else 255))
        return rgba
    if image.mode not in ("I;16", "I;16B", "I;16L", "I"):
        return image.convert("RGBA")
    values = list(image.getdata())
    rgba = Image.new("RGBA", image.size)
    rgba.putdata([(v >> 8, v >> 8, v >> 8, 0 if v == transparent else 255) for v in values])
    return rgba

def reference(path, tolerant=False):
    ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    try:
        with Image.open(path) as image:
            image.seek(0)
            image.load()
            format = image.format
            if format in ("AVIF", "HEIF"):
                # libheif applies irot/imir, as HEIF requires; Pillow reports them as an
                # EXIF orientation instead.
                image = ImageOps.exif_transpose(image)
            return as_rgba8(image, png_bit_depth(path) if format == "PNG" else 8), format
            return as_rgba8(image, png_bit_depth(path) if format == "PNG" else 8), format
    except Exception as error:  # Pillow refuses it
        return None, str(error).splitlines()[0] if str(error) else type(error).__name__

counts = {
    "exact": 0, "within tolerance": 0, "refused by both": 0,
    "refused by default, decoded alike with --fail-on error": 0,
    "decoded with a warning (no pixel lost) where Pillow refuses": 0, "known": 0,
    "no reference decoder": 0, "not read by imgproc": 0,
}
known = []
disagreements = []
sources = sorted(set(outputs) | set(refused))
for folder in sorted(os.listdir(f"{scratch}/suites")):
    if not os.path.isdir(f"{scratch}/suites/{folder}"):
        continue
    for name in sorted(os.listdir(f"{scratch}/suites/{folder}")):
        path = f"{scratch}/suites/{folder}/{name}"
        if path not in outputs and path not in refused:
            counts["not read by imgproc"] += 1
            continue
        expected, detail = reference(path)
        if name in KNOWN:
            counts["known"] += 1
            known.append(f"{path}: {KNOWN[name]}")
            continue
        if expected is None and "cannot identify" in detail and name.endswith((".heif", ".heic")):
            counts["no reference decoder"] += 1
            continue
        if expected is None:
            if path in refused:
                lines = [l for l in errors if l.startswith(f"imgproc: {path}:")]
                if len(lines) == 1:
                    counts["refused by both"] += 1
                else:
                    disagreements.append(f"{path}: refused, but in {len(lines)} lines")
            elif path in warned:
                # Damage that loses no pixel is a warning (--fail-on): the image is converted,
                # as browsers show it. Its pixels must be what Pillow's tolerant mode reads,
                # when that reads it at all.
                lenient, _ = reference(path, tolerant=True)
                with Image.open(outputs[path]) as produced:
                    actual = as_rgba8(produced)
                if lenient is not None and (
                        actual.size != lenient.size
                        or max(h for _, h in ImageChops.difference(actual, lenient).getextrema())):
                    disagreements.append(f"{path}: differs from Pillow's tolerant decode")
                else:
                    counts["decoded with a warning (no pixel lost) where Pillow refuses"] += 1
                    known.append(f"{path}: Pillow refuses it ({detail}); imgproc: {warned[path]}"
                                 + ("" if lenient is None else "; same pixels as Pillow's tolerant mode"))
            else:
                disagreements.append(f"{path}: Pillow refuses it ({detail}); imgproc decoded it")
            continue
        strict = path in refused
        produced_path = tolerant.get(name) if strict else outputs[path]
        if produced_path is None:
            disagreements.append(f"{path}: Pillow decodes it ({detail}); imgproc: {refused[path]}")
            continue
        with Image.open(produced_path) as produced:
            actual = as_rgba8(produced)
        if actual.size != expected.size:
            disagreements.append(f"{path}: {actual.size} against Pillow's {expected.size}")
            continue
        difference = ImageChops.difference(actual, expected)
        worst = max(high for _, high in difference.getextrema())
        tolerance = {"JPEG": 1, "WEBP": 2}.get(detail, 0)
        if detail == "AVIF" and max(ImageStat.Stat(difference).mean) <= 2 and worst <= 48:
            # libheif and libavif (Pillow's) upsample 4:2:0 chroma differently (nearest and
            # bilinear): edges differ, the average by under 2 levels.
            tolerance = worst
        if worst <= tolerance and strict:
            counts["refused by default, decoded alike with --fail-on error"] += 1
        elif worst == 0:
            counts["exact"] += 1
        elif worst <= tolerance:
            counts["within tolerance"] += 1
        else:
            disagreements.append(f"{path} ({detail}): differs by up to {worst} levels")
for line in known:
    print("KNOWN", line)
for line in disagreements:
    print("DIFFERS", line)
total = sum(counts.values()) + len(disagreements)
print(f"conformance: {total} files: " + ", ".join(f"{v} {k}" for k, v in counts.items())
      + f", {len(disagreements)} disagreements")
sys.exit(1 if disagreements else 0)
PY
