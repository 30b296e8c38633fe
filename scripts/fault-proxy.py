#!/usr/bin/python3
"""A fault-injecting HTTP/1.1 proxy for imgproc's retry tests.

usage: fault-proxy.py PORT UPSTREAM_PORT [PATTERN [BIND]]
  Listens on BIND (default 127.0.0.1; "::1" for IPv6) and forwards every request to
  127.0.0.1:UPSTREAM_PORT unchanged (Host header included, so SigV4 signatures stay valid),
  except that request number n (1-based) gets the fault PATTERN[(n - 1) % len(PATTERN)]:
    .  forward          5  answer 500 InternalError      S  answer 503 SlowDown
    D  drop: close the connection without answering
    R  reset: abort the connection (TCP RST) without answering
    T  truncate: forward, then send half the response body and close
    L  short Content-Length: forward, declare half the body's length, send all of it, close
    E  answer 200 with an <Error> document (InternalError) instead of forwarding
    W  slow: wait 2 s, then forward
  Default pattern ".S.D.5": one request in two fails, in turn. PATTERN "each=FAULTS" keys
  faults by request instead (method and target): the k-th time a request is seen gets
  FAULTS[(offset + k - 1) % len] for k <= 3, where offset is the request's CRC-32, and is
  forwarded after that, so every request succeeds within four attempts whatever the order
  of concurrent requests. PATTERN "path=TEXT" instead
  answers 503 SlowDown to every request whose path contains TEXT (URL-encoded), and
  forwards the others; "deny=TEXT" answers those 403 AccessDenied (what a role without
  the permission gets). Prints "ready" when listening
  and counts on stderr at exit (SIGTERM).
"""
import http.client
import os
import signal
import socket
import struct
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, upstream = int(sys.argv[1]), int(sys.argv[2])
pattern = sys.argv[3] if len(sys.argv) > 3 else ".S.D.5"
bind = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
counter = {"n": 0, "faults": 0}
seen = {}
lock = threading.Lock()

ERRORS = {
    "5": (500, "InternalError", "We encountered an internal error. Please try again."),
    "S": (503, "SlowDown", "Please reduce your request rate."),
    "A": (403, "AccessDenied", "Access Denied"),
}


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            counter["n"] += 1
            if pattern.startswith("path="):
                fault = "S" if pattern[5:] in self.path else "."
            elif pattern.startswith("deny="):
                fault = "A" if pattern[5:] in self.path else "."
            elif pattern.startswith("each="):
                faults, key = pattern[5:], f"{self.command} {self.path}"
                seen[key] = seen.get(key, 0) + 1
                offset = zlib.crc32(key.encode())
                fault = faults[(offset + seen[key] - 1) % len(faults)] if seen[key] <= 3 else "."
            else:
                fault = pattern[(counter["n"] - 1) % len(pattern)]
            if fault != ".":
                counter["faults"] += 1
        if fault in "DR":
            self.close_connection = True
            if fault == "R":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if fault == "W":
            time.sleep(2)
        if fault in ERRORS or fault == "E":
            status, code, message = ERRORS[fault if fault != "E" else "5"]
            document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
                        f"<Message>{message}</Message></Error>").encode()
            self.send_response(200 if fault == "E" else status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(document)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(document)
            return
        connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
        connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            connection.putheader(name, value)
        connection.endheaders(body if body else None)
        response = connection.getresponse()
        payload = response.read()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        length = len(payload) if self.command != "HEAD" else int(response.getheader("Content-Length") or 0)
        if fault == "L" and payload:
            length = len(payload) // 2
        self.send_header("Content-Length", str(length))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload[: len(payload) // 2] if fault == "T" else payload)
        if fault in "TL" and payload:
            self.close_connection = True
        connection.close()

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ":" in bind else socket.AF_INET


server = Server((bind, port), Proxy)
server.daemon_threads = True


def stop(*_):
    print(f"requests {counter['n']} faults {counter['faults']}", file=sys.stderr, flush=True)
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
server.serve_forever()
