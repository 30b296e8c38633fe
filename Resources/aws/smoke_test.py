#!/usr/bin/env python3
"""Starts a Lambda bootstrap as Lambda does (no arguments, AWS_LAMBDA_RUNTIME_API set) against
a local Runtime API, hands it an s3:TestEvent and a malformed event, and checks the answers:
the static build starts and serves. usage: smoke_test.py BOOTSTRAP"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../scripts"))
from runtime_api import RuntimeAPI  # noqa: E402

api = RuntimeAPI(deadline_seconds=30)
api.invoke("test-1", b'{"Service":"Amazon S3","Event":"s3:TestEvent"}')
api.invoke("bad-2", b"{not json")
environment = dict(os.environ, AWS_LAMBDA_RUNTIME_API=api.address, PROCESSED_BUCKET="processed",
                   AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="y", AWS_SESSION_TOKEN="z",
                   AWS_REGION="us-east-1")
process = subprocess.Popen([sys.argv[1]], env=environment, stdout=subprocess.DEVNULL)
try:
    first = api.answer("test-1", timeout=20)
    second = api.answer("bad-2", timeout=20)
finally:
    process.kill()
    process.wait()
ok = (first is not None and second is not None and first[1] == "response"
      and json.loads(first[3]).get("status") == "ignored"
      and second[1] == "error" and second[2] == "Runtime.MalformedEvent")
if ok:
    print("smoke test: the bootstrap serves the Runtime API (a TestEvent answered, a malformed "
          "event reported as Runtime.MalformedEvent)")
else:
    print(f"smoke test: FAILED: answers {first}, {second}", file=sys.stderr)
sys.exit(0 if ok else 1)
