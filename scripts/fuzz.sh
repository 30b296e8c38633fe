#!/usr/bin/env bash
# Fuzzes one of imgproc's parsers with libFuzzer (the Swift toolchain's, with
# AddressSanitizer), or all of them in turn.
#
# usage: scripts/fuzz.sh TARGET|all [SECONDS]      (default 60 seconds per target)
#   TARGET: jpeg png webp heif info pipeline recipe s3-xml   (Sources/ImgprocFuzzing)
#
# Builds imgproc-fuzz twice: with libFuzzer and AddressSanitizer into .build-fuzz
# (the fuzzer), and normally (it writes the seeds generated in code and replays findings).
# The corpus of each target starts from those seeds plus the public conformance files it
# can fetch once into .build-fuzz/suites (not committed: their licences are their own):
#   PngSuite (Willem van Schaik's, as shipped inside pypng's source on PyPI) and the test
#   images in Pillow's source distribution on PyPI (JPEG, PNG, WebP, AVIF, HEIC, many of
#   them broken on purpose). Offline, the generated seeds alone are used.
# The corpus grows in .build-fuzz/corpus/TARGET across runs. A crash, a leak, a timeout
# (10 s for one input) or an input using over 2 GiB stops the target: the input is copied to
# Tests/ImgprocFuzzingTests/Findings/TARGET/, where the test suite replays it from then on
# (commit it with the fix), and the script exits 1. So does a target whose seeds reach fewer
# than 300 edges: its binary is not instrumented for coverage, and the fuzzer would run blind.
# Prints, per target: executions, executions per second, coverage (libFuzzer's `cov`: edges
# reached; `ft`: features), corpus size, and the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
targets_all=(jpeg png webp heif info pipeline recipe s3-xml)
target="${1:?usage: scripts/fuzz.sh TARGET|all [SECONDS]}"
seconds="${2:-60}"
if [ "$target" = all ]; then targets=("${targets_all[@]}"); else targets=("$target"); fi
for name in "${targets[@]}"; do
  [[ " ${targets_all[*]} " == *" $name "* ]] || { echo "fuzz.sh: unknown target '$name' (${targets_all[*]})" >&2; exit 2; }
done

scratch=.build-fuzz
# swiftc keeps only the last `-sanitize=` it is given, and SwiftPM passes one per
# --sanitize in no fixed order: with `--sanitize=fuzzer --sanitize=address` alone, the Swift
# code gets either ASan or coverage, never both (the C code gets both). The combined flag,
# passed last, gives the Swift code both.
fuzz_build=(swift build --product imgproc-fuzz --sanitize=fuzzer --sanitize=address
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING --scratch-path "$scratch")
"${fuzz_build[@]}" >&2
fuzzer="$("${fuzz_build[@]}" --show-bin-path)/imgproc-fuzz"
swift build --product imgproc-fuzz >&2
replay="$(swift build --show-bin-path)/imgproc-fuzz"

# The public suites, fetched once (best effort: offline, the seeds alone are used).
suites="$scratch/suites"
scripts/fetch-suites.sh "$suites" || echo "fuzz.sh: could not fetch the public suites; using the generated seeds" >&2

status=0
min_initial_coverage=300
for name in "${targets[@]}"; do
  corpus="$scratch/corpus/$name"
  artifacts="$scratch/artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  "$replay" seeds "$corpus" "$name"
  case "$name" in
    jpeg) pattern='\.(jpe?g)$' ;;
    png) pattern='\.png$' ;;
    webp) pattern='\.webp$' ;;
    heif) pattern='\.(avif|heic|heif)$' ;;
    info | pipeline) pattern='\.(jpe?g|png|webp|avif|heic|heif)$' ;;
    *) pattern='^$' ;;
  esac
  if [ -d "$suites" ]; then
    { find "$suites" -type f | grep -iE "$pattern" || true; } | while read -r file; do
      cp -n "$file" "$corpus/suite-$(basename "$file")"
    done
  fi
  log="$scratch/fuzz-$name.log"
  set +e
  IMGPROC_FUZZ_TARGET="$name" ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" \
    LSAN_OPTIONS="suppressions=$PWD/scripts/leak-suppressions.txt:print_suppressions=0" \
    "$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=262144 -print_final_stats=1 -artifact_prefix="$artifacts/" > "$log" 2>&1
  result=$?
  set -e
  executions="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)"
  rate="$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)"
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  coverage="$(echo "$last" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo 0)"
  features="$(echo "$last" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+' || echo 0)"
  files="$(ls "$corpus" | wc -l)"
  # Every target's seeds reach 650 edges or more (the Swift code and the C shims); fewer
  # than 300 means the Swift code is not instrumented for coverage (the C shims alone reached
  # 0 to 136) and the fuzzer steers blind.
  initial="$(grep -E '^#[0-9]+[[:space:]]+INITED' "$log" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+' || echo 0)"
  verdict=ok
  if [ "$result" -eq 0 ] && [ "$initial" -lt "$min_initial_coverage" ]; then
    verdict="NOT INSTRUMENTED (the seeds reached $initial edges, fewer than $min_initial_coverage; log $log)"
    status=1
  elif [ "$result" -ne 0 ]; then
    verdict="FOUND (libFuzzer exit $result; log $log)"
    status=1
    mkdir -p "Tests/ImgprocFuzzingTests/Findings/$name"
    for finding in "$artifacts"/*; do
      [ -f "$finding" ] || continue
      cp "$finding" "Tests/ImgprocFuzzingTests/Findings/$name/"
      echo "fuzz.sh: $name: saved $(basename "$finding") in Tests/ImgprocFuzzingTests/Findings/$name/" >&2
    done
    grep -m1 -A12 -E '^==[0-9]+==ERROR|Fatal error|SUMMARY' "$log" >&2 || tail -20 "$log" >&2
  fi
  printf '%-9s %10s execs %7s/s  cov %6s  ft %6s  corpus %5s  %s\n' \
    "$name" "$executions" "$rate" "$coverage" "$features" "$files" "$verdict"
done
exit "$status"
