#!/usr/bin/env bash
# Builds the .deb (make deb), installs it with apt on this machine, checks that
# `imgproc --version` runs and that man pages and completions are where the package says,
# then removes it. Run as root on Debian 12 (a fresh container is the honest test: there the
# Depends line alone must bring the codec libraries).
# usage: scripts/check-deb.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
deb="$(make -s deb | tail -1)"
echo "check-deb: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends
apt-get install -y "./$deb" > /dev/null
trap 'apt-get remove -y imgproc > /dev/null' EXIT
/usr/bin/imgproc --version
for path in /usr/share/man/man1/imgproc.convert.1.gz /usr/share/bash-completion/completions/imgproc \
  /usr/share/zsh/vendor-completions/_imgproc /usr/share/fish/vendor_completions.d/imgproc.fish; do
  dpkg -L imgproc | grep -qx "$path" || { echo "check-deb: $path is not in the package" >&2; exit 1; }
done
/usr/bin/imgproc info Resources/samples/rocket.jpg
echo "check-deb: installed, ran, and is removed on exit"
