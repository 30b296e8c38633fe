#!/usr/bin/env bash
# Runs the whole test suite (or the tests FILTER matches) under a sanitizer, with the real
# S3 server of scripts/with-s3-server.sh: every Swift and C target of imgproc is built
# instrumented into .build-asan or .build-tsan, the `imgproc` binary the CLI tests run
# included. Every report of every process goes to a file under .build-*/reports; the
# script fails when a test fails or when any report was written, and prints them.
#
# usage: scripts/sanitize.sh address|thread [FILTER]
#   address: AddressSanitizer (out-of-bounds, use-after-free, double free) and
#            LeakSanitizer (memory not freed at exit)
#   thread:  ThreadSanitizer (data races)
# The system libraries (libjpeg-turbo, libpng, libwebp, libheif) are not instrumented:
# their own accesses are checked only where they touch memory imgproc allocated.
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:?usage: scripts/sanitize.sh address|thread [FILTER]}"
case "$kind" in
  address) scratch=.build-asan ;;
  thread) scratch=.build-tsan ;;
  *) echo "sanitize.sh: address or thread, not '$kind'" >&2; exit 2 ;;
esac
filter=()
if [ $# -ge 2 ]; then filter=(--filter "$2"); fi
reports="$PWD/$scratch/reports"
rm -rf "$reports"
mkdir -p "$reports"

# Under ThreadSanitizer, locks are pthread mutexes it can see (ImgprocConcurrency's Locked).
flags=()
if [ "$kind" = thread ]; then flags=(-Xswiftc -DIMGPROC_TSAN); fi
swift build --build-tests --sanitize="$kind" --scratch-path "$scratch" "${flags[@]}"
# Reports go to files (one per process: the CLI tests' child processes too) and do not stop
# the process, so one run finds them all.
export IMGPROC_SANITIZER="$kind"
export ASAN_OPTIONS="log_path=$reports/asan:halt_on_error=0:detect_leaks=1:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$PWD/scripts/leak-suppressions.txt:print_suppressions=0"
export TSAN_OPTIONS="log_path=$reports/tsan:halt_on_error=0"
set +e
scripts/with-s3-server.sh swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" \
  "${flags[@]}" "${filter[@]}"
tests=$?
set -e
found="$(find "$reports" -type f | wc -l)"
if [ "$found" -gt 0 ]; then
  for report in "$reports"/*; do
    echo "== $report" >&2
    head -60 "$report" >&2
  done
  echo "sanitize.sh: $kind: $found report(s) in $reports" >&2
  exit 1
fi
if [ "$tests" -ne 0 ]; then
  echo "sanitize.sh: $kind: the tests failed (exit $tests), no sanitizer report" >&2
  exit "$tests"
fi
echo "sanitize.sh: $kind: every test passed, no report"
