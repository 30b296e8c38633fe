#!/usr/bin/env bash
# The imgproc benchmark: one command, on this machine, side by side with its peers.
#
#   Benchmarks/run.sh [--corpus DIR | --whole-corpus] [--runs N] [--thumb-runs N] [--workers N]
#                     [--baseline BIN]
#
# --whole-corpus runs every class of the corpus together (the 24 photos, the smooth photos
# and the transparent cut-outs: Benchmarks/data/corpus/all, hard links); the thumbnail
# job's decode floor (djpeg) then covers the JPEG sources only.
# --baseline BIN adds another imgproc binary (e.g. a release build of main before a change)
# to both timed jobs, alternating with the others, and prints before/after ratios from the
# same run.
#
# 1. builds imgproc (and the codec micro-benchmark) in release mode;
# 2. builds the 24-photo corpus from Debian packages unless --corpus names a folder;
# 3. runs, alternating and repeated, with the same parallelism:
#    - five-variant job: imgproc (default recipe) vs Pillow (peers/pillow_5v.py) vs libvips
#      (peers/pyvips_5v.py), --runs times each (default 3);
#    - thumbnail-only job (fit 300x300, JPEG q80): imgproc (one-variant recipe) vs
#      vipsthumbnail (a process per image) vs Pillow draft()+thumbnail(), plus the decode
#      floor (djpeg -scale 1/8), --thumb-runs times each (default 5);
#    - the codec micro-benchmark: imgproc --jobs 1 vs the bare codec calls, per image;
# 4. measures output bytes and SSIM per variant for every tool (quality.py) and prints the
#    table with imgproc/peer ratios (report.py). Raw numbers stay in Benchmarks/data/results/.
# All tools strip metadata in this job (the peers write none), hence imgproc's --keep none.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
data="$root/Benchmarks/data"
corpus=""
runs=3
thumb_runs=5
workers=2
baseline=""
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$(realpath "$2")"; shift 2 ;;
    --whole-corpus) corpus=whole; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --thumb-runs) thumb_runs="$2"; shift 2 ;;
    --workers) workers="$2"; shift 2 ;;
    --baseline) baseline="$(realpath "$2")"; shift 2 ;;
    *) echo "usage: Benchmarks/run.sh [--corpus DIR | --whole-corpus] [--runs N] [--thumb-runs N] [--workers N] [--baseline BIN]" >&2; exit 2 ;;
  esac
done

# ---- tools -------------------------------------------------------------------------------
scripts/install-deps.sh
need=""
for package in libvips-dev libvips-tools libjpeg-turbo-progs time; do
  dpkg -s "$package" >/dev/null 2>&1 || need="$need $package"
done
if [ -n "$need" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
venv="$data/venv"
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q pillow==13.0.0 pyvips==3.2.0 numpy scikit-image
python="$venv/bin/python"

echo "== building imgproc (release, Swift runtime linked statically: one self-contained binary)" >&2
build=(swift build -c release --static-swift-stdlib --scratch-path .build-release)
"${build[@]}" --product imgproc >&2
"${build[@]}" --product imgproc-codec-bench >&2
bin="$("${build[@]}" --show-bin-path)"

if [ -z "$corpus" ] || [ "$corpus" = whole ]; then
  classes=(photos smooth transparent)
  for class in "${classes[@]}"; do
    [ -d "$data/corpus/$class" ] || { Benchmarks/corpus.sh "$data/corpus" "$python"; break; }
  done
  [ "$(ls "$data/corpus/photos" | wc -l)" -eq 24 ] || Benchmarks/corpus.sh "$data/corpus" "$python"
  if [ -z "$corpus" ]; then
    corpus="$data/corpus/photos"
  else
    corpus="$data/corpus/all"
    rm -rf "$corpus" && mkdir -p "$corpus"
    for class in "${classes[@]}"; do cp -l "$data/corpus/$class"/* "$corpus/"; done
  fi
fi

results="$data/results"
out="$data/out"
rm -rf "$results" "$out"
mkdir -p "$results" "$out"
cat > "$results/thumb-recipe.json" <<JSON
{"name": "thumbnail", "maxSize": 4096,
 "variants": [{"name": "thumbnail", "format": "jpeg", "quality": 80, "width": 300, "height": 300}]}
JSON

# ---- timed runs: GNU time gives wall s, user+sys s of every process waited for, peak RSS
# of the largest single process (KiB) ------------------------------------------------------
timed() {  # timed JOB TOOL RUN COMMAND...
  local job="$1" tool="$2" run="$3"
  shift 3
  /usr/bin/time -f "$job $tool $run %e %U %S %M" -a -o "$results/times.txt" "$@" >/dev/null 2>>"$results/stderr.txt"
}
five_variant() {  # five_variant TOOL RUN
  local dir="$out/5v-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  case "$1" in
    imgproc) timed 5v imgproc "$2" "$bin/imgproc" convert "$corpus" -o "$dir" --jobs "$workers" \
               --keep none --name '{base}_{variant}.{ext}' -q ;;
    imgproc-baseline) timed 5v imgproc-baseline "$2" "$baseline" convert "$corpus" -o "$dir" \
               --jobs "$workers" --keep none --name '{base}_{variant}.{ext}' -q ;;
    pillow) timed 5v pillow "$2" "$python" Benchmarks/peers/pillow_5v.py "$corpus" "$dir" "$workers" ;;
    libvips) VIPS_CONCURRENCY=1 timed 5v libvips "$2" "$python" Benchmarks/peers/pyvips_5v.py \
               "$corpus" "$dir" "$workers" ;;
  esac
}
thumbnail() {  # thumbnail TOOL RUN
  local dir="$out/th-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  case "$1" in
    imgproc) timed thumb imgproc "$2" "$bin/imgproc" convert "$corpus" -o "$dir" --jobs "$workers" \
               --recipe "$results/thumb-recipe.json" --keep none --name '{base}_{variant}.{ext}' -q ;;
    imgproc-baseline) timed thumb imgproc-baseline "$2" "$baseline" convert "$corpus" -o "$dir" \
               --jobs "$workers" --recipe "$results/thumb-recipe.json" --keep none \
               --name '{base}_{variant}.{ext}' -q ;;
    vipsthumbnail) timed thumb vipsthumbnail "$2" Benchmarks/peers/vips_thumb.sh "$corpus" "$dir" ;;
    pillow) timed thumb pillow-draft "$2" "$python" Benchmarks/peers/pillow_thumb.py "$corpus" "$dir" "$workers" ;;
    floor) timed thumb djpeg-scale-1/8 "$2" bash -c \
             "find '$corpus' -maxdepth 1 -type f -name '*.jpg' | sort | xargs -P$workers -n1 djpeg -scale 1/8 -outfile /dev/null" ;;
  esac
}

ours=(imgproc)
[ -n "$baseline" ] && ours+=(imgproc-baseline)
echo "== five-variant job, $runs runs each (alternating)" >&2
for run in $(seq 1 "$runs"); do
  for tool in "${ours[@]}" pillow libvips; do
    echo "   run $run: $tool" >&2
    five_variant "$tool" "$run"
  done
done
echo "== thumbnail job, $thumb_runs runs each (alternating, after one warm-up)" >&2
for tool in "${ours[@]}" vipsthumbnail pillow floor; do thumbnail "$tool" 0; done
sed -i '/^thumb .* 0 /d' "$results/times.txt"
for run in $(seq 1 "$thumb_runs"); do
  for tool in "${ours[@]}" vipsthumbnail pillow floor; do thumbnail "$tool" "$run"; done
done

echo "== codec micro-benchmark (imgproc --jobs 1 vs the bare codec calls)" >&2
"$bin/imgproc-codec-bench" "$bin/imgproc" "$corpus"/* > "$results/overhead.tsv"

echo "== output bytes and SSIM" >&2
for tool in imgproc pillow libvips; do
  "$python" Benchmarks/quality.py "$corpus" "$out/5v-$tool" "$tool" > "$results/quality-5v-$tool.json"
done
for tool in imgproc vipsthumbnail pillow; do
  "$python" Benchmarks/quality.py "$corpus" "$out/th-$tool" "$tool" > "$results/quality-thumb-$tool.json"
done

{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "versions: imgproc $("$bin/imgproc" --version), $("$python" -c 'import PIL; print("Pillow", PIL.__version__)'), $("$python" -c 'import pyvips; print("libvips", pyvips.version(0), pyvips.version(1), pyvips.version(2), sep=".")' | sed 's/libvips\./libvips /'), $(vipsthumbnail --vips-version 2>/dev/null | head -1)"
} > "$results/environment.txt"
"$python" Benchmarks/report.py "$results" "$corpus" | tee "$results/report.txt"
