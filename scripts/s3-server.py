#!/usr/bin/python3
"""A real S3 server on loopback for imgproc's integration tests: OpenStack Swift (Debian's
packages) with its s3api middleware, which enforces AWS Signature Version 4.

usage: /usr/bin/python3 scripts/s3-server.py DIR PORT
  Writes configuration, rings and storage under DIR, starts the account, container, object
  and proxy servers (127.0.0.1), waits until the proxy answers, prints one line
  "ready http://127.0.0.1:PORT" and keeps running until killed (SIGTERM stops every server).

Credentials (tempauth): access key "test:tester", secret "testing" (account AUTH_test, admin);
"test:reader" / "reading" (same account, not an admin: AccessDenied on its buckets). Region us-east-1.
Must run with Debian's python3 (/usr/bin/python3), which has the `swift` module.
"""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from swift.common.ring import RingBuilder

root, port = os.path.abspath(sys.argv[1]), int(sys.argv[2])
conf, devices = os.path.join(root, "etc"), os.path.join(root, "srv")
os.makedirs(conf, exist_ok=True)
os.makedirs(os.path.join(devices, "d1"), exist_ok=True)
user = os.environ.get("USER") or "root"
ports = {"object": port + 1, "container": port + 2, "account": port + 3}
# Another server on these ports would answer the health check for this one: refuse to start.
for candidate in [port, *ports.values()]:
    probe = socket.socket()
    try:
        probe.bind(("127.0.0.1", candidate))
    except OSError:
        print(f"failed: port {candidate} is in use", flush=True)
        sys.exit(1)
    finally:
        probe.close()

with open(os.path.join(conf, "swift.conf"), "w") as f:
    f.write("[swift-hash]\nswift_hash_path_suffix = imgproc\nswift_hash_path_prefix = imgproc\n\n"
            "[storage-policy:0]\nname = default\ndefault = yes\n\n"
            "[swift-constraints]\nmax_file_size = 5368709122\n")

for kind, kind_port in ports.items():
    builder = RingBuilder(6, 1, 1)
    builder.add_dev({"id": 0, "region": 1, "zone": 1, "ip": "127.0.0.1", "port": kind_port,
                     "device": "d1", "weight": 100})
    builder.rebalance()
    builder.get_ring().save(os.path.join(conf, f"{kind}.ring.gz"))

common = (f"[DEFAULT]\nswift_dir = {conf}\ndevices = {devices}\nmount_check = false\n"
          f"disable_fallocate = true\nworkers = 1\nuser = {user}\nbind_ip = 127.0.0.1\n"
          "log_level = WARNING\n")
for kind, kind_port in ports.items():
    with open(os.path.join(conf, f"{kind}-server.conf"), "w") as f:
        f.write(common + f"bind_port = {kind_port}\n\n[pipeline:main]\npipeline = {kind}-server\n\n"
                f"[app:{kind}-server]\nuse = egg:swift#{kind}\n")
with open(os.path.join(conf, "proxy-server.conf"), "w") as f:
    f.write(common + f"bind_port = {port}\n\n"
            "[pipeline:main]\npipeline = catch_errors gatekeeper healthcheck proxy-logging cache "
            "listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server\n\n"
            "[app:proxy-server]\nuse = egg:swift#proxy\naccount_autocreate = true\n\n"
            "[filter:s3api]\nuse = egg:swift#s3api\nlocation = us-east-1\n\n"
            "[filter:tempauth]\nuse = egg:swift#tempauth\n"
            "user_test_tester = testing .admin\nuser_test_reader = reading\n\n"
            "[filter:catch_errors]\nuse = egg:swift#catch_errors\n\n"
            "[filter:gatekeeper]\nuse = egg:swift#gatekeeper\n\n"
            "[filter:healthcheck]\nuse = egg:swift#healthcheck\n\n"
            "[filter:proxy-logging]\nuse = egg:swift#proxy_logging\n\n"
            "[filter:cache]\nuse = egg:swift#memcache\n\n"
            "[filter:listing_formats]\nuse = egg:swift#listing_formats\n\n"
            "[filter:bulk]\nuse = egg:swift#bulk\n\n"
            "[filter:copy]\nuse = egg:swift#copy\n\n"
            "[filter:slo]\nuse = egg:swift#slo\n\n"
            "[filter:dlo]\nuse = egg:swift#dlo\n")

servers = []
log = open(os.path.join(root, "servers.log"), "a")
for kind in ("object", "container", "account", "proxy"):
    servers.append(subprocess.Popen([f"/usr/bin/swift-{kind}-server", os.path.join(conf, f"{kind}-server.conf")],
                                    stdout=log, stderr=log))


def stop(*_):
    for server in servers:
        server.terminate()
    for server in servers:
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
deadline = time.time() + 60
while True:
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthcheck", timeout=2).read()
        break
    except Exception:
        if time.time() > deadline or any(s.poll() is not None for s in servers):
            print("failed: see " + os.path.join(root, "servers.log"), flush=True)
            stop()
        time.sleep(0.2)
print(f"ready http://127.0.0.1:{port}", flush=True)
while all(s.poll() is None for s in servers):
    time.sleep(1)
print("a server exited: see " + os.path.join(root, "servers.log"), flush=True)
stop()
