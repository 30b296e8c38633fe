#!/usr/bin/env bash
# Fetches the public conformance images into DIR once (DIR/.fetched marks it done), from
# the two registries reachable from CI, PyPI and Debian (the upstream source tarballs of
# Debian 12's packages); not committed: their licences are their own.
#   DIR/pngsuite        PngSuite (Willem van Schaik's; "permission to use, copy, modify and
#                       distribute these images for any purpose and without fee is hereby
#                       granted"), as pypng's source keeps them
#   DIR/libpng          libpng 1.6.39's contrib/pngsuite (with interlaced/) and contrib/testpngs
#   DIR/libpng-crashers libpng's contrib/testpngs/crashers: files that once crashed it
#   DIR/libjpeg-turbo   libjpeg-turbo 2.1.5's testimages (baseline, arithmetic, 12-bit)
#   DIR/libwebp         libwebp 1.2.4's sample images
#   DIR/pillow          the JPEG, PNG, WebP, AVIF and HEIC test images of Pillow's source
#                       distribution, many broken on purpose
# usage: scripts/fetch-suites.sh DIR     (exit 1 when offline)
set -euo pipefail
suites="${1:?usage: scripts/fetch-suites.sh DIR}"
[ -e "$suites/.fetched" ] && exit 0
mkdir -p "$suites"
python3 - "$suites" <<'PY'
import io, os, re, sys, tarfile, urllib.request

suites = sys.argv[1]

def sdist(name, version):
    index = urllib.request.urlopen(f"https://pypi.org/simple/{name}/", timeout=60).read().decode()
    url = re.search(rf'href="([^"#]*{name}-{re.escape(version)}\.tar\.gz)', index).group(1)
    return tarfile.open(fileobj=io.BytesIO(urllib.request.urlopen(url, timeout=300).read()))

# PngSuite, as pypng keeps it (hex strings in code/pngsuite.py).
with sdist("pypng", "0.20220715.0") as archive:
    source = archive.extractfile("pypng-0.20220715.0/code/pngsuite.py").read().decode()
scope = {}
exec(compile(source.replace('if __name__ == "__main__"', "if False"), "pngsuite.py", "exec"), scope)
os.makedirs(f"{suites}/pngsuite", exist_ok=True)
for name, data in scope["png"].items():
    with open(f"{suites}/pngsuite/{name}.png", "wb") as f:
        f.write(data)

# The test images in the sources of Debian's libpng, libjpeg-turbo and libwebp.
def debian(path):
    url = f"http://deb.debian.org/debian/pool/main/{path}"
    return tarfile.open(fileobj=io.BytesIO(urllib.request.urlopen(url, timeout=300).read()))

def extract(archive, folder, keep):
    os.makedirs(f"{suites}/{folder}", exist_ok=True)
    for member in archive.getmembers():
        if member.isfile() and keep(member.name):
            name = os.path.basename(member.name)
            with open(f"{suites}/{folder}/{name}", "wb") as f:
                f.write(archive.extractfile(member).read())

with debian("libp/libpng1.6/libpng1.6_1.6.39.orig.tar.gz") as archive:
    extract(archive, "libpng", lambda n: n.endswith(".png") and (
        "/contrib/pngsuite/" in n or re.search(r"/contrib/testpngs/[^/]+$", n)))
    extract(archive, "libpng-crashers", lambda n: "/contrib/testpngs/crashers/" in n)
with debian("libj/libjpeg-turbo/libjpeg-turbo_2.1.5.orig.tar.gz") as archive:
    extract(archive, "libjpeg-turbo", lambda n: "/testimages/" in n and n.endswith(".jpg"))
with debian("libw/libwebp/libwebp_1.2.4.orig.tar.gz") as archive:
    extract(archive, "libwebp", lambda n: n.endswith(".webp"))

# Pillow's test images.
os.makedirs(f"{suites}/pillow", exist_ok=True)
with sdist("pillow", "13.0.0") as archive:
    for member in archive.getmembers():
        base = os.path.basename(member.name)
        if member.isfile() and "/Tests/images/" in member.name and re.search(
                r"\.(jpe?g|png|webp|avif|heic|heif)$", base, re.I) and member.size < 4 << 20:
            with open(f"{suites}/pillow/{base}", "wb") as f:
                f.write(archive.extractfile(member).read())
open(f"{suites}/.fetched", "w").close()
PY
