#!/usr/bin/env bash
# Installs the Debian packages imgproc builds against, when any is missing. Idempotent.
set -euo pipefail

packages=(pkg-config libturbojpeg0-dev libjpeg62-turbo-dev libpng-dev libwebp-dev zlib1g-dev libdeflate-dev liblcms2-dev libheif-dev)
# Test fixtures: HEIC and AVIF files made by the reference encoders.
packages+=(libheif-examples libavif-bin)
# The test suite's S3 server: OpenStack Swift with s3api (scripts/with-s3-server.sh).
packages+=(swift swift-proxy swift-object swift-container swift-account)
# The Terraform checks (scripts/check-terraform.sh) install python-hcl2 and checkov into
# virtual environments; the Lambda package is zipped.
packages+=(zip)
# The Lambda package's HEIF decoders are built from Debian's source packages
# (Resources/aws/build-decoders.sh).
packages+=(curl cmake ninja-build meson nasm)
python3 -m venv --help > /dev/null 2>&1 || packages+=(python3-venv)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null; then
  echo "install-deps: a Swift 6 toolchain must be on PATH (swift.org/install)" >&2
  exit 1
fi
