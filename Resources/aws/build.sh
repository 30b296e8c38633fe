#!/usr/bin/env bash
# Builds the AWS Lambda package for the provided.al2023 runtime: a zip holding `bootstrap`
# (the imgproc binary; Lambda runs it, and `bootstrap` runs `imgproc lambda`), the shared
# library below and the recipes.
# The Swift runtime, libstdc++ and libjpeg-turbo, libpng, zlib, libwebp and libdeflate are
# linked statically (the .a archives of Debian's -dev packages), so no layer is needed;
# Little CMS, which Debian ships without an archive, travels in the zip beside the bootstrap
# (found through its $ORIGIN run path). HEIC and AVIF uploads are decoded by libheif with
# libde265 and dav1d, built from Debian's source packages as static archives by
# build-decoders.sh (cached in .build-lambda-ARCH/decoders; Debian ships them only as shared
# objects, which bring its libstdc++, needing glibc 2.36, and the encoders); the zip writes
# no HEIF (a variant asking for AVIF is refused: no AV1 encoder is built, checked below). The script checks with ldd that
# nothing else but glibc's own shared objects remains, and with check-glibc.sh that no
# symbol needs a glibc newer than Amazon Linux 2023's 2.34 (one line names each that does).
#
# usage: Resources/aws/build.sh [x86_64|arm64]     (default: this machine's architecture)
# output: dist/lambda/imgproc-lambda-ARCH.zip (bootstrap, liblcms2.so.2, recipes/), and its size on
# standard output; over Lambda's 50 MB direct-upload limit, a failure.
# arm64 on an x86_64 machine needs a Swift SDK for aarch64-unknown-linux-gnu (`swift sdk
# list`) and the arm64 .a archives (dpkg --add-architecture arm64; apt install
# libjpeg62-turbo-dev:arm64 libpng-dev:arm64 libwebp-dev:arm64 libdeflate-dev:arm64
# zlib1g-dev:arm64); the script says so when they are missing. Such a cross build has no
# HEIF decoders (they are built for this machine only), and says so.
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
# The linker takes the first library of a name it finds along its -L folders; this folder
# holds only the static archives, so -ljpeg and the others resolve to them. pkg-config
# files pointing there replace Debian's (whose -L/usr/lib/... would come first).
for lib in jpeg png16 z webp webpmux webpdemux deflate; do
  if [ ! -f "$libdir/lib$lib.a" ]; then
    echo "build.sh: $libdir/lib$lib.a is missing (make deps installs the -dev packages)" >&2
    exit 1
  fi
  ln -sf "$libdir/lib$lib.a" "$static/lib$lib.a"
done
# libpng needs zlib after it on the command line, where SwiftPM puts -lz before -lpng16:
# a linker script under libpng16.a's name brings both, in a group.
rm -f "$static/libpng16.a"
echo "GROUP ( $libdir/libpng16.a $libdir/libz.a )" > "$static/libpng16.a"
# libstdc++ too: Amazon Linux 2023's (GCC 11) lacks the GLIBCXX_3.4.30 symbols Debian's
# toolchain links against.
stdcxx="$(ls /usr/lib/gcc/"$multiarch"/*/libstdc++.a 2>/dev/null | sort -V | tail -1)"
[ -n "$stdcxx" ] || { echo "build.sh: libstdc++.a not found (apt install libstdc++-12-dev)" >&2; exit 1; }
ln -sf "$stdcxx" "$static/libstdc++.a"
# Debian 12's glibc versions hypot and hypotf 2.35 (Foundation calls them) and added
# arc4random in 2.36 (libstdc++'s random_device calls it); Amazon Linux 2023 has 2.34.
# --wrap sends the calls to the older versions, which every glibc has, and to getrandom.
base_version=GLIBC_2.2.5
[ "$arch" = arm64 ] && base_version=GLIBC_2.17
cat > "$static/glibc-compat.c" <<C
__asm__(".symver hypot_base,hypot@$base_version");
__asm__(".symver hypotf_base,hypotf@$base_version");
double hypot_base(double, double);
float hypotf_base(float, float);
double __wrap_hypot(double x, double y) { return hypot_base(x, y); }
float __wrap_hypotf(float x, float y) { return hypotf_base(x, y); }
long getrandom(void *, unsigned long, unsigned int);
unsigned int __wrap_arc4random(void) {
  unsigned int value = 0;
  while (getrandom(&value, sizeof value, 0) != (long)sizeof value) {}
  return value;
}
C
compat_cc=(clang)
[ ${#cross[@]} -gt 0 ] && compat_cc+=(--target=aarch64-linux-gnu)
"${compat_cc[@]}" -O2 -fPIC -c "$static/glibc-compat.c" -o "$static/glibc-compat.o"
mkdir -p "$static/pkgconfig" "$static/shared"
for package in libwebp libdeflate zlib; do
  pc="$(pkg-config --variable=pcfiledir "$package")/$package.pc"
  sed "s|^libdir=.*|libdir=$static|" "$pc" > "$static/pkgconfig/$package.pc"
done
# Little CMS has no archive: its pkg-config file points at a folder with its shared object
# alone, so that folder, not /usr/lib, is where the linker looks first.
ln -sf "$libdir/liblcms2.so" "$static/shared/liblcms2.so"
sed "s|^libdir=.*|libdir=$static/shared|" "$(pkg-config --variable=pcfiledir lcms2)/lcms2.pc" \
  > "$static/pkgconfig/lcms2.pc"
# The HEIF decoders, static: their archives beside the others, their pkg-config file first.
traits=(--disable-default-traits)
if [ ${#cross[@]} -eq 0 ]; then
  decoders="$scratch/decoders"
  "$root/Resources/aws/build-decoders.sh" "$decoders"
  for lib in heif de265 dav1d; do ln -sf "$decoders/lib/lib$lib.a" "$static/lib$lib.a"; done
  sed "s|^libdir=.*|libdir=$static|" "$decoders/lib/pkgconfig/libheif.pc" \
    > "$static/pkgconfig/libheif.pc"
  traits=(--traits HEIF)
else
  echo "build.sh: a cross build has no HEIF decoders: HEIC uploads fail in this zip" >&2
fi
export PKG_CONFIG_PATH="$static/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
binary="$(swift build -c release --product imgproc --static-swift-stdlib --scratch-path "$scratch" \
  "${traits[@]}" "${cross[@]}" --show-bin-path)/imgproc"
# SwiftPM does not see a static archive change: a binary older than the decoders is linked
# again.
if [ -n "${decoders:-}" ] && [ "$decoders/.built" -nt "$binary" ]; then rm -f "$binary"; fi
swift build -c release --product imgproc --static-swift-stdlib --scratch-path "$scratch" \
  "${traits[@]}" "${cross[@]}" -Xlinker -L"$static" -Xswiftc -gnone \
  -Xlinker --wrap=hypot -Xlinker --wrap=hypotf -Xlinker --wrap=arc4random \
  -Xlinker "$static/glibc-compat.o"
stage="$scratch/package"
rm -rf "$stage"
mkdir -p "$stage" "$root/dist/lambda"
cp "$binary" "$stage/bootstrap"
strip --strip-unneeded "$stage/bootstrap" 2>/dev/null || true
chmod 755 "$stage/bootstrap"
bundled=(liblcms2.so.2)
for lib in "${bundled[@]}"; do
  cp -L "$libdir/$lib" "$stage/$lib"
  strip --strip-unneeded "$stage/$lib" 2>/dev/null || true
done

if [ "$arch" = x86_64 ] || [ "$machine" = aarch64 ]; then
  # Only the C library's own shared objects may remain.
  allowed='^(linux-vdso\.so|libc\.so|libm\.so|libpthread\.so|libdl\.so|librt\.so|libutil\.so|ld-linux[-a-z0-9_]*\.so|libgcc_s\.so|libstdc\+\+\.so)'
  extra="$(ldd "$stage/bootstrap" | grep -v "=> $stage/" | awk '{print $1}' | sed 's|.*/||' \
    | grep -Ev "$allowed" || true)"
  if [ -n "$extra" ]; then
    echo "build.sh: bootstrap still needs shared libraries Lambda does not have:" >&2
    echo "$extra" >&2
    exit 1
  fi
  echo "shared libraries: $(ldd "$stage/bootstrap" | awk '{print $1}' | sed 's|.*/||' | tr '\n' ' ')"
  "$stage/bootstrap" --version > /dev/null
  # Decoders only: a variant asking for AVIF is refused before anything is read.
  if [ ${#cross[@]} -eq 0 ]; then
    refused="$("$stage/bootstrap" convert - --variant probe:avif -o "$stage/probe" < /dev/null 2>&1 || true)"
    grep -q "reads avif but does not write it" <<< "$refused" || {
      echo "build.sh: the bootstrap does not refuse to write AVIF: $refused" >&2
      exit 1
    }
  fi
  # It starts as Lambda starts it (no arguments) and serves a local Runtime API.
  python3 "$root/Resources/aws/smoke_test.py" "$stage/bootstrap"
fi
# No symbol may need a glibc newer than Amazon Linux 2023's: one line names each that does.
"$root/Resources/aws/check-glibc.sh" 2.34 "$stage/bootstrap" "${bundled[@]/#/$stage/}" || {
  echo "build.sh: provided.al2023 (glibc 2.34) could not run this; build in an Amazon Linux" >&2
  echo "  2023 Swift container instead" >&2
  exit 1
}
zip_path="$root/dist/lambda/imgproc-lambda-$arch.zip"
rm -f "$zip_path"
# Recipes travel beside the bootstrap: RECIPE=thumbs reads recipes/thumbs.json.
mkdir -p "$stage/recipes"
cp Resources/recipes/*.json "$stage/recipes/"
(cd "$stage" && zip -q -9 -X -r "$zip_path" bootstrap "${bundled[@]}" recipes)
echo "bootstrap: $(stat -c %s "$stage/bootstrap") bytes; $zip_path: $(stat -c %s "$zip_path") bytes"
# Lambda takes a zip of up to 50 MB uploaded directly (more goes through S3).
if [ "$(stat -c %s "$zip_path")" -gt $((50 * 1024 * 1024)) ]; then
  echo "build.sh: $zip_path is over Lambda's 50 MB direct-upload limit" >&2
  exit 1
fi
