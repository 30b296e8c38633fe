#!/usr/bin/env bash
# The Lambda function's limits, measured (Benchmarks/lambda_limits.py): peak memory per source
# pixel, behind the MAX_PIXELS the function derives from its memory, and one core's
# milliseconds per megapixel decoded and encoded, behind its deadline estimate. Builds the
# package (Resources/aws/build.sh) when missing and starts the local S3 server.
# usage: Benchmarks/lambda_limits.sh [PHOTO]   (default: a 6028x3391 photo from Debian's
#        lomiri-wallpapers-20.04, installed when missing, as Benchmarks/corpus.sh does)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bootstrap="$root/.build-lambda-x86_64/package/bootstrap"
[ -x "$bootstrap" ] || Resources/aws/build.sh x86_64 >&2
photo="${1:-/usr/share/backgrounds/Kleiber_by_Lukas_Baubkus.jpg}"
if [ ! -f "$photo" ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends lomiri-wallpapers-20.04 >/dev/null
fi
venv="$root/Benchmarks/data/limits-venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet boto3
fi
scripts/with-s3-server.sh "$venv/bin/python" Benchmarks/lambda_limits.py "$bootstrap" "$photo"
