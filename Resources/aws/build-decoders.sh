#!/usr/bin/env bash
# Builds the HEIF decoders the Lambda zip links statically, from Debian 12's source packages
# (the sources Debian ships as shared objects built against glibc 2.36, which Lambda's
# provided.al2023 lacks): libde265 (HEVC, for HEIC), dav1d (AV1, for AVIF) and libheif with
# both built in; decoders only, no encoder, no plugin loading. Each package's upstream tarball and Debian revision
# are checked against the SHA-256 sums of Debian 12's source index, Debian's patches applied
# in their order, and the result installed as static archives (position-independent) into
# PREFIX, with a pkg-config file for libheif that names everything it needs.
#
# Cached: a second run with the same package revisions builds nothing (PREFIX/.built
# records them); delete PREFIX to build again.
#
# usage: Resources/aws/build-decoders.sh PREFIX
# needs: curl, cmake, meson, ninja, nasm (make deps installs them), a C/C++ compiler (clang).
set -euo pipefail
prefix="$1"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# package, folder in the archive's pool, upstream tarball and its SHA-256, Debian revision's
# tarball and its SHA-256 (Debian 12 "bookworm", main; Sources.xz of 2025-05). A revision
# from bookworm-security is in DEBIAN_MIRROR=http://deb.debian.org/debian-security, folder
# updates/main/...; its sums are in that archive's Sources.xz.
packages=(
  "libde265 main/libd/libde265 libde265_1.0.11.orig.tar.gz 2f8f12cabbdb15e53532b7c1eb964d4e15d444db1be802505e6ac97a25035bab libde265_1.0.11-1+deb12u2.debian.tar.xz 81de2919da09690f2fb80383fcc68cda397bfed878a010061627f7794e278f4b"
  "dav1d main/d/dav1d dav1d_1.0.0.orig.tar.xz 51737db7e4897e599684f873a4725176dd3c779e639411d7c4fce134bb5ebb82 dav1d_1.0.0-2+deb12u1.debian.tar.xz ae53e2bda2a18275cc66570194fced9b9681df2b3b8e041586a26a59d69a727e"
  "libheif main/libh/libheif libheif_1.15.1.orig.tar.gz 28d5a376fe7954d2d03453f983aaa0b7486f475c27c7806bda31df9102325556 libheif_1.15.1-1+deb12u1.debian.tar.xz f3a042fce4231e8feddd032bf93b808a6db96614c20888b78d1042a15e378817"
)
mkdir -p "$(dirname "$prefix")"
# One build at a time: a second waits for the first, then finds its result cached.
exec 9> "$prefix.lock"
flock 9
stamp="$prefix/.built"
wanted="$(printf '%s\n' "${packages[@]}" | awk '{print $5}')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "decoders: cached in $prefix ($(echo "$wanted" | tr '\n' ' '))"
  exit 0
fi
for tool in curl cmake meson ninja nasm; do
  command -v "$tool" > /dev/null || {
    echo "build-decoders.sh: $tool is missing (make deps installs it)" >&2
    exit 1
  }
done
rm -rf "$prefix"
work="$prefix.work"
rm -rf "$work"
mkdir -p "$work" "$prefix"
started=$SECONDS

# Downloads FILE from the pool folder and checks its SHA-256.
fetch() {
  local folder="$1" file="$2" sum="$3"
  curl -sSfL --retry 3 -o "$work/$file" "$mirror/pool/$folder/$file" || {
    echo "build-decoders.sh: cannot download $mirror/pool/$folder/$file" >&2
    exit 1
  }
  echo "$sum  $work/$file" | sha256sum --quiet -c - || {
    echo "build-decoders.sh: $file does not have the SHA-256 of Debian's source index" >&2
    exit 1
  }
}

# Unpacks a package and applies Debian's patches; prints the source folder.
unpack() {
  local name="$1" folder="$2" upstream="$3" upstream_sum="$4" debian="$5" debian_sum="$6"
  fetch "$folder" "$upstream" "$upstream_sum"
  fetch "$folder" "$debian" "$debian_sum"
  local version="${upstream#"${name}_"}"
  version="${version%.orig.tar.*}"
  local source="$work/$name-$version"
  tar -xf "$work/$upstream" -C "$work"
  tar -xf "$work/$debian" -C "$source"
  if [ -f "$source/debian/patches/series" ]; then
    grep -v '^\s*\(#\|$\)' "$source/debian/patches/series" | while read -r patch _; do
      patch -s -d "$source" -p1 < "$source/debian/patches/$patch"
    done
  fi
  echo "$source"
}

cmake_build() {
  local source="$1"
  shift
  cmake -S "$source" -B "$source/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=OFF \
    -DCMAKE_POSITION_INDEPENDENT_CODE=ON -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_PREFIX_PATH="$prefix" "$@" > "$source/build.log" 2>&1 \
    && cmake --build "$source/build" >> "$source/build.log" 2>&1 \
    && cmake --install "$source/build" >> "$source/build.log" 2>&1 || {
      echo "build-decoders.sh: building $(basename "$source") failed; its log:" >&2
      tail -30 "$source/build.log" >&2
      exit 1
    }
}

read -r -a de265 <<< "${packages[0]}"
source="$(unpack "${de265[@]}")"
cmake_build "$source" -DENABLE_SDL=OFF -DENABLE_DECODER=OFF -DENABLE_ENCODER=OFF

# dav1d builds with meson; its x86 assembly with nasm.
read -r -a dav1d <<< "${packages[1]}"
source="$(unpack "${dav1d[@]}")"
CC=clang meson setup "$source/build" "$source" --prefix="$prefix" --libdir=lib \
  --buildtype=release -Ddefault_library=static -Db_staticpic=true -Denable_tools=false \
  -Denable_tests=false -Denable_examples=false -Denable_docs=false > "$source/build.log" 2>&1 \
  && ninja -C "$source/build" install >> "$source/build.log" 2>&1 || {
    echo "build-decoders.sh: building dav1d failed; its log:" >&2
    tail -30 "$source/build.log" >&2
    exit 1
  }

read -r -a heif <<< "${packages[2]}"
source="$(unpack "${heif[@]}")"
# Nor its gdk-pixbuf loader (a shared object, built whenever gdk-pixbuf is installed).
sed -i 's/^add_subdirectory *(gdk-pixbuf)/# &/' "$source/CMakeLists.txt"
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cmake_build "$source" -DWITH_EXAMPLES=OFF -DENABLE_PLUGIN_LOADING=OFF \
  -DWITH_LIBDE265=ON -DWITH_LIBDE265_PLUGIN=OFF -DLIBDE265_INCLUDE_DIR="$prefix/include" \
  -DLIBDE265_LIBRARY="$prefix/lib/libde265.a" \
  -DWITH_DAV1D=ON -DWITH_DAV1D_PLUGIN=OFF -DDAV1D_INCLUDE_DIR="$prefix/include" \
  -DDAV1D_LIBRARY="$prefix/lib/libdav1d.a" \
  -DWITH_X265=OFF -DWITH_AOM_DECODER=OFF -DWITH_AOM_ENCODER=OFF \
  -DWITH_RAV1E=OFF -DWITH_SvtEnc=OFF
[ -f "$prefix/lib/libheif.a" ] && [ -f "$prefix/lib/libde265.a" ] && [ -f "$prefix/lib/libdav1d.a" ] || {
  echo "build-decoders.sh: the static archives were not installed in $prefix/lib" >&2
  exit 1
}
# libheif.pc names libde265 as a private requirement; the zip's link takes everything from
# Libs, in the order the linker needs (libheif, its decoders, the C++ library).
cat > "$prefix/lib/pkgconfig/libheif.pc" <<PC
prefix=$prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: libheif
Description: HEIF decoding (libheif with libde265 and dav1d built in, static)
Version: $(echo "${heif[2]}" | sed 's/^libheif_//; s/\.orig.*//')
Libs: -L\${libdir} -lheif -lde265 -ldav1d -lstdc++ -lpthread -lm -ldl
Cflags: -I\${includedir}
PC
rm -rf "$work"
echo "$wanted" > "$stamp"
echo "decoders: built in $((SECONDS - started)) s into $prefix"
