#!/usr/bin/env bash
# Builds dist/imgproc_VERSION_ARCH.deb with dpkg-deb: the binary (Swift runtime linked in, stripped),
# its man pages (gzip -9n, as Debian's policy asks) and completion scripts, laid out by
# `make install DESTDIR=… PREFIX=/usr`. Depends: the Debian packages of the shared objects the
# binary needs directly (readelf's NEEDED, found with dpkg -S), at least the versions
# installed here.
# usage: scripts/build-deb.sh BIN        (make deb builds BIN: a static-stdlib release build)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bin="${1:?usage: scripts/build-deb.sh BIN}"
version="$("$bin" --version | head -1 | awk '{print $NF}')"
arch="$(dpkg --print-architecture)"
stage="$root/.build-deb/imgproc_${version}_$arch"
rm -rf "$stage"
make -s install DESTDIR="$stage" PREFIX=/usr BIN="$bin" > /dev/null
gzip -9n "$stage"/usr/share/man/man1/*.1
strip --strip-unneeded "$stage/usr/bin/imgproc"
mkdir -p "$stage/usr/share/doc/imgproc" "$stage/DEBIAN"
cat > "$stage/usr/share/doc/imgproc/copyright" <<TEXT
imgproc: a command-line image batch tool. Source: this repository.
It links libjpeg-turbo, libpng, zlib, libdeflate, libwebp, Little CMS and libheif, whose
copyrights are in /usr/share/doc of their own packages.
TEXT

depends=()
for library in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  case "$library" in ld-linux*|linux-vdso*) continue ;; esac
  path="$(ldd "$bin" | awk -v lib="$library" '$1 == lib {print $3}')"
  [ -n "$path" ] || { echo "build-deb: $library is not found by ldd" >&2; exit 1; }
  package=""
  for candidate in "$path" "$(readlink -f "$path")" "/usr$path" "/usr$(readlink -f "$path")"; do
    package="$(dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1)" && [ -n "$package" ] && break
  done
  [ -n "$package" ] || { echo "build-deb: no Debian package holds $library ($path)" >&2; exit 1; }
  installed="$(dpkg-query -W -f='${Version}' "$package")"
  depends+=("$package (>= ${installed%-*})")
done
depends_line="$(printf '%s\n' "${depends[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')"
size="$(du -sk "$stage/usr" | cut -f1)"
cat > "$stage/DEBIAN/control" <<TEXT
Package: imgproc
Version: $version
Architecture: $arch
Maintainer: imgproc developers <imgproc@users.noreply.github.com>
Installed-Size: $size
Depends: $depends_line
Section: graphics
Priority: optional
Description: turn uploaded images into web-ready variants
 imgproc converts JPEG, PNG, WebP, HEIC and AVIF images into the variants of a recipe
 (compressed and low-quality JPEG, WebP, PNG, AVIF, thumbnails) from files, folders,
 standard input or S3, watches folders, syncs S3 prefixes and runs in AWS Lambda.
TEXT
mkdir -p dist
dpkg-deb --root-owner-group --build "$stage" "dist/imgproc_${version}_$arch.deb" > /dev/null
echo "dist/imgproc_${version}_$arch.deb"
