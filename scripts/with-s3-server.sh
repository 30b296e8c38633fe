#!/usr/bin/env bash
# Runs a command with a real S3 server (OpenStack Swift + s3api, SigV4 enforced) listening
# on 127.0.0.1, then stops the server. The command sees:
#   IMGPROC_TEST_S3_ENDPOINT  http://127.0.0.1:PORT
#   IMGPROC_TEST_S3_REQUIRED  1 (the S3 integration tests fail rather than skip without it)
# Credentials: "test:tester" / "testing" (admin); "test:reader" / "reading" (no access).
# The server listens on a free base port and the three after it (IMGPROC_TEST_S3_PORT sets it).
# usage: scripts/with-s3-server.sh COMMAND [ARG...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# A base port whose four ports (proxy, object, container, account) are free, so two test
# runs on one machine never talk to each other's server; IMGPROC_TEST_S3_PORT fixes it.
port="${IMGPROC_TEST_S3_PORT:-$(/usr/bin/python3 - <<'PY'
import random
import socket

for _ in range(500):
    base = random.randrange(20000, 60000, 4)
    sockets = []
    try:
        for candidate in range(base, base + 4):
            probe = socket.socket()
            sockets.append(probe)
            probe.bind(("127.0.0.1", candidate))
        print(base)
        break
    except OSError:
        pass
    finally:
        for probe in sockets:
            probe.close()
PY
)}"
base=/dev/shm
[ -w "$base" ] || base="${TMPDIR:-/tmp}"
dir="$(mktemp -d "$base/imgproc-s3.XXXXXX")"
log="$dir/server.out"
/usr/bin/python3 "$here/s3-server.py" "$dir" "$port" > "$log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 300); do
  if grep -q "^ready" "$log"; then break; fi
  if ! kill -0 "$server" 2>/dev/null || grep -q "^failed" "$log"; then
    echo "with-s3-server: the S3 server did not start:" >&2
    cat "$log" "$dir/servers.log" >&2 2>/dev/null || true
    exit 1
  fi
  sleep 0.2
done
grep -q "^ready" "$log" || { echo "with-s3-server: timed out waiting for the S3 server" >&2; exit 1; }
export IMGPROC_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
export IMGPROC_TEST_S3_REQUIRED=1
"$@"
