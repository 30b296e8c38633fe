#!/usr/bin/env bash
# Proves the .deb on a clean system: installs dist/imgproc_*.deb with apt into a fresh Debian 12
# (bookworm) root made by debootstrap (--variant=minbase: no codec library is there, so its
# Depends line alone must bring them), then, inside that root, runs `imgproc --version`,
# `imgproc info` and a conversion of the samples, and checks that the man pages and
# completions are where the package says. The root is deleted after.
#
# The packages debootstrap downloads are kept in .build-deb/bookworm-minbase.tgz (its
# --make-tarball), so a second run makes its fresh root without downloading it again; apt
# inside the root fetches the Depends from the Debian mirror. Needs root (chroot, mount) and
# Debian's debootstrap (installed when missing). About 20 s with the tarball, a minute without.
# usage: scripts/check-deb.sh [DEB]        (make check-deb builds the .deb first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
deb="${1:-$(ls -t dist/imgproc_*.deb 2>/dev/null | head -1)}"
[ -n "$deb" ] && [ -f "$deb" ] || { echo "check-deb: no dist/imgproc_*.deb; run make check-deb" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "check-deb: needs root (debootstrap, chroot)" >&2; exit 2; }
if ! command -v debootstrap > /dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap > /dev/null
fi
echo "check-deb: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends

tarball="$root/.build-deb/bookworm-minbase.tgz"
mkdir -p "$root/.build-deb"
if [ ! -f "$tarball" ]; then
  echo "check-deb: downloading a minimal Debian 12 (debootstrap --make-tarball, once)"
  scratch="$(mktemp -d /var/tmp/imgproc-debootstrap.XXXXXX)"
  debootstrap --variant=minbase --make-tarball="$tarball.part" bookworm "$scratch" "$mirror" \
    > "$root/.build-deb/debootstrap.log" 2>&1 \
    || { tail -20 "$root/.build-deb/debootstrap.log" >&2; rm -rf "$scratch"; exit 1; }
  rm -rf "$scratch"
  mv "$tarball.part" "$tarball"
fi

system="$(mktemp -d /var/tmp/imgproc-debroot.XXXXXX)"
cleanup() {
  umount "$system/proc" 2> /dev/null || true
  rm -rf "$system"
}
trap cleanup EXIT
echo "check-deb: a fresh Debian 12 root in $system (debootstrap --variant=minbase)"
debootstrap --variant=minbase --unpack-tarball="$tarball" bookworm "$system" "$mirror" \
  > "$root/.build-deb/debootstrap.log" 2>&1 \
  || { tail -20 "$root/.build-deb/debootstrap.log" >&2; exit 1; }
mount -t proc proc "$system/proc"
cp /etc/resolv.conf "$system/etc/resolv.conf"
cat > "$system/etc/apt/sources.list" <<TEXT
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb ${mirror%/debian}/debian-security bookworm-security main
TEXT
for library in libjpeg62-turbo libpng16-16 libwebp7 libheif1 liblcms2-2; do
  if chroot "$system" dpkg -s "$library" > /dev/null 2>&1; then
    echo "check-deb: $library is already in the fresh root: the check would prove nothing" >&2
    exit 1
  fi
done
mkdir -p "$system/tmp/check/samples"
cp "$deb" "$system/tmp/check/"
cp Resources/samples/*.jpg Resources/samples/*.png "$system/tmp/check/samples/"
inside() { chroot "$system" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root "$@"; }
echo "check-deb: apt-get install ./$(basename "$deb") in the fresh root"
inside apt-get -o APT::Sandbox::User=root update -qq
inside env DEBIAN_FRONTEND=noninteractive apt-get -o APT::Sandbox::User=root install -y -qq \
  --no-install-recommends \
  "/tmp/check/$(basename "$deb")" > "$root/.build-deb/apt.log" 2>&1 \
  || { tail -20 "$root/.build-deb/apt.log" >&2; exit 1; }
echo "check-deb: installed with: $(inside dpkg-query -W -f='${Depends}' imgproc)"
if inside ldd /usr/bin/imgproc | grep "not found"; then
  echo "check-deb: a shared library the binary needs is not installed by its Depends" >&2
  exit 1
fi
for path in /usr/share/man/man1/imgproc.convert.1.gz /usr/share/bash-completion/completions/imgproc \
  /usr/share/zsh/vendor-completions/_imgproc /usr/share/fish/vendor_completions.d/imgproc.fish; do
  inside dpkg -L imgproc | grep -qx "$path" || { echo "check-deb: $path is not in the package" >&2; exit 1; }
done
inside imgproc --version
inside imgproc info /tmp/check/samples/rocket.jpg
inside imgproc convert /tmp/check/samples -o /tmp/check/out
sources="$(ls "$system/tmp/check/samples" | wc -l)"
outputs="$(find "$system/tmp/check/out" -type f ! -path '*/.imgproc/*' ! -name .imgproc-output | wc -l)"
[ "$outputs" -eq $((sources * 5)) ] \
  || { echo "check-deb: $outputs outputs for $sources samples, expected $((sources * 5))" >&2; exit 1; }
echo "check-deb: installed by apt into a fresh Debian 12 root; --version, info and convert ran ($sources samples, $outputs outputs)"
