#!/usr/bin/env bash
# Checks `imgproc convert --report` in a real browser: converts Resources/samples with the
# default recipe, renders the page with Debian's headless Chromium, and asserts from the
# DOM it dumps that every image loaded (the page's inline script marks each <img> and sets
# <body data-images="LOADED/TOTAL"> once the window has loaded). With --screenshot, saves the
# rendered page as docs/report.png.
# usage: scripts/check-report.sh [--screenshot]     (needs: apt install chromium)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "check-report: chromium is not installed (apt install chromium)" >&2; exit 2; }
swift build --product imgproc > /dev/null
imgproc="$(swift build --show-bin-path)/imgproc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$imgproc" convert Resources/samples -o "$work/out" --report "$work/report.html" -q
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --virtual-time-budget=10000)
dom="$("$browser" "${flags[@]}" --dump-dom "file://$work/report.html" 2>/dev/null)"
total="$(grep -o '<img ' <<< "$dom" | wc -l)"
state="$(grep -o 'data-images="[0-9]*/[0-9]*"' <<< "$dom" || true)"
echo "check-report: $total images in the page; body $state"
[ "$total" -gt 0 ] && [ "$state" = "data-images=\"$total/$total\"" ] || {
  echo "check-report: not every image loaded" >&2
  exit 1
}
if [ "${1:-}" = "--screenshot" ]; then
  mkdir -p docs
  "$browser" "${flags[@]}" --window-size=1280,1500 --screenshot="$root/docs/report.png" \
    "file://$work/report.html" 2>/dev/null
  echo "check-report: docs/report.png"
fi
