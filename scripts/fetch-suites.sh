#!/usr/bin/env bash
# Fetches the public conformance images into DIR once (DIR/.fetched marks it done), from
# PyPI, the one registry reachable from CI besides Debian's; not committed: their licences
# are their own.
#   DIR/pngsuite  PngSuite (Willem van Schaik's; "permission to use, copy, modify and
#                 distribute these images for any purpose and without fee is hereby granted"),
#                 as pypng's source keeps them: basn*, basi*, and a few others
#   DIR/pillow    the JPEG, PNG, WebP, AVIF and HEIC test images of Pillow's source
#                 distribution, many broken on purpose
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
