#!/usr/bin/env python3
"""Starts a Lambda bootstrap as Lambda does (no arguments, AWS_LAMBDA_RUNTIME_API set) against
a local Runtime API, hands it an s3:TestEvent and a malformed event, and checks the answers:
the static build starts and serves. usage: smoke_test.py BOOTSTRAP"""
import http.server
import json
import os
import queue
import subprocess
import sys
import threading
import time

answers = queue.Queue()
events = queue.Queue()
for request_id, body in [("test-1", b'{"Service":"Amazon S3","Event":"s3:TestEvent"}'),
                         ("bad-2", b"{not json")]:
    events.put((request_id, body))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        request_id, body = events.get()
        deadline = str(int((time.time() + 30) * 1000))
        self.reply(200, body, [("Lambda-Runtime-Aws-Request-Id", request_id),
                               ("Lambda-Runtime-Deadline-Ms", deadline)])

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        answers.put((self.path, self.headers.get("Lambda-Runtime-Function-Error-Type"), body))
        self.reply(202, b'{"status":"OK"}')


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
environment = dict(os.environ, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_port}",
                   PROCESSED_BUCKET="processed", AWS_ACCESS_KEY_ID="x",
                   AWS_SECRET_ACCESS_KEY="y", AWS_SESSION_TOKEN="z", AWS_REGION="us-east-1")
process = subprocess.Popen([sys.argv[1]], env=environment, stdout=subprocess.DEVNULL)
try:
    first = answers.get(timeout=20)
    second = answers.get(timeout=20)
finally:
    process.kill()
    process.wait()
ok = (first[0].endswith("/test-1/response") and json.loads(first[2]).get("status") == "ignored"
      and second[0].endswith("/bad-2/error") and second[1] == "Runtime.MalformedEvent")
print(f"smoke test: {'the bootstrap serves the Runtime API' if ok else 'FAILED'}: {first[0]}, {second[0]} {second[1]}")
sys.exit(0 if ok else 1)
