#!/usr/bin/env bash
# Builds the AWS Lambda package for the provided.al2023 runtime: a zip holding one file,
# `bootstrap` (the imgproc binary; Lambda runs it, and `bootstrap` runs `imgproc lambda`).
# The Swift runtime and libjpeg-turbo, libpng, zlib, libwebp and libdeflate are linked
# statically (the .a archives of Debian's -dev packages), so no layer is needed; the script
# checks with ldd that only C-library-level shared libraries remain, and reports the
# newest glibc symbol version the binary needs (Amazon Linux 2023 has glibc 2.34).
#
# usage: Resources/aws/build.sh [x86_64|arm64]     (default: this machine's architecture)
# output: dist/lambda/imgproc-lambda-ARCH.zip, and its size on standard output.
# arm64 on an x86_64 machine needs a Swift SDK for aarch64-unknown-linux-gnu (`swift sdk
# list`) and the arm64 .a archives (dpkg --add-architecture arm64; apt install
# libjpeg62-turbo-dev:arm64 libpng-dev:arm64 libwebp-dev:arm64 libdeflate-dev:arm64
# zlib1g-dev:arm64); the script says so when they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
machine="$(uname -m)"
arch="${1:-$machine}"
case "$arch" in
  x86_64|amd64) arch=x86_64; multiarch=x86_64-linux-gnu; sdk_triple=x86_64-unknown-linux-gnu ;;
  arm64|aarch64) arch=arm64; multiarch=aarch64-linux-gnu; sdk_triple=aarch64-unknown-linux-gnu ;;
  *) echo "build.sh: unknown architecture '$arch' (x86_64 or arm64)" >&2; exit 2 ;;
esac
cross=()
if [ "$arch" = arm64 ] && [ "$machine" != aarch64 ]; then
  if ! swift sdk list 2>/dev/null | grep -q "$sdk_triple"; then
    echo "build.sh: building arm64 here needs a Swift SDK for $sdk_triple (none installed: swift sdk list)." >&2
    echo "  Build on an arm64 machine (e.g. a Graviton instance) with: Resources/aws/build.sh arm64" >&2
    exit 2
  fi
  cross=(--swift-sdk "$sdk_triple")
fi
libdir="/usr/lib/$multiarch"
scratch="$root/.build-lambda-$arch"
static="$scratch/static-libs"
mkdir -p "$static"
# The linker takes the first library of a name it finds along -L; this folder holds only
# the static archives, so -ljpeg and the others resolve to them.
for lib in jpeg png16 z webp deflate; do
  if [ ! -f "$libdir/lib$lib.a" ]; then
    echo "build.sh: $libdir/lib$lib.a is missing (make deps installs the -dev packages)" >&2
    exit 1
  fi
  ln -sf "$libdir/lib$lib.a" "$static/lib$lib.a"
done
swift build -c release --product imgproc --static-swift-stdlib --scratch-path "$scratch" \
  "${cross[@]}" -Xlinker -L"$static" -Xswiftc -gnone
binary="$(swift build -c release --product imgproc --static-swift-stdlib --scratch-path "$scratch" "${cross[@]}" --show-bin-path)/imgproc"
stage="$scratch/package"
rm -rf "$stage"
mkdir -p "$stage" "$root/dist/lambda"
cp "$binary" "$stage/bootstrap"
strip --strip-unneeded "$stage/bootstrap" 2>/dev/null || true
chmod 755 "$stage/bootstrap"

if [ "$arch" = x86_64 ] || [ "$machine" = aarch64 ]; then
  # Only the C library's own shared objects may remain.
  allowed='^(linux-vdso\.so|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|libutil\.so|ld-linux[-a-z0-9_]*\.so|libgcc_s\.so|libstdc\+\+\.so)'
  extra="$(ldd "$stage/bootstrap" | awk '{print $1}' | sed 's|.*/||' | grep -Ev "$allowed" || true)"
  if [ -n "$extra" ]; then
    echo "build.sh: bootstrap still needs shared libraries Lambda does not have:" >&2
    echo "$extra" >&2
    exit 1
  fi
  echo "shared libraries: $(ldd "$stage/bootstrap" | awk '{print $1}' | sed 's|.*/||' | tr '\n' ' ')"
  "$stage/bootstrap" --version > /dev/null
fi
glibc="$(objdump -T "$stage/bootstrap" | grep -o 'GLIBC_[0-9.]*' | sort -Vu | tail -1)"
echo "newest glibc symbol version needed: $glibc (Amazon Linux 2023: GLIBC_2.34)"
if [ "$(printf '%s\n' "$glibc" GLIBC_2.34 | sort -V | tail -1)" != GLIBC_2.34 ]; then
  echo "build.sh: warning: $glibc is newer than Amazon Linux 2023's glibc; build in an" >&2
  echo "  Amazon Linux 2023 container (swift:6.3-amazonlinux2023) to run on provided.al2023" >&2
fi
zip_path="$root/dist/lambda/imgproc-lambda-$arch.zip"
rm -f "$zip_path"
(cd "$stage" && zip -q -9 -X "$zip_path" bootstrap)
echo "bootstrap: $(stat -c %s "$stage/bootstrap") bytes; $zip_path: $(stat -c %s "$zip_path") bytes"
