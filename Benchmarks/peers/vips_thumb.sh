#!/usr/bin/env bash
# Peer: the thumbnail-only job with the vipsthumbnail command (shrink-on-load, Lanczos3),
# one process per image, two at a time, JPEG Q80 with optimised Huffman tables, stripped.
# usage: vips_thumb.sh INPUT_DIR OUTPUT_DIR
set -euo pipefail
out="$(realpath -m "$2")"
mkdir -p "$out"
export VIPS_CONCURRENCY=1
find "$1" -maxdepth 1 -type f | sort | xargs -P2 -n1 vipsthumbnail --size 300x300 \
  -o "$out/%s_thumb.jpg[Q=80,optimize_coding,strip]"
