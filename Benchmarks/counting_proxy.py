"""A reverse proxy in front of the local S3 server that counts the requests passing through it,
by method (a GET of a bucket counted as LIST), for Benchmarks/lambda_bench.py's cost table. Requests are forwarded as they came
(the Host header included, so SigV4 signatures made for the proxy's address still verify at
the server, which checks the Host it receives)."""
import http.client
import http.server
import threading
import urllib.parse

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-connection"}


class CountingProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream):
        super().__init__(("127.0.0.1", 0), _Forward)
        parsed = urllib.parse.urlsplit(upstream)
        self.upstream = (parsed.hostname, parsed.port)
        self.lock = threading.Lock()
        self.counts = {}
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.server_port}"

    def take(self):
        """The counts since the last call, and a fresh start."""
        with self.lock:
            counts, self.counts = self.counts, {}
        return counts


class _Forward(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *arguments):
        pass

    def forward(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        connection = http.client.HTTPConnection(*self.server.upstream, timeout=600)
        connection.request(self.command, self.path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        # A GET of a bucket (no key) is a listing.
        bucket_only = "/" not in urllib.parse.urlsplit(self.path).path.strip("/")
        kind = "LIST" if self.command == "GET" and bucket_only else self.command
        with self.server.lock:
            self.server.counts[kind] = self.server.counts.get(kind, 0) + 1
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            # A HEAD answer's length is the object's; any other is the body's, sent whole.
            if key.lower() in HOP_BY_HOP or (key.lower() == "content-length" and self.command != "HEAD"):
                continue
            self.send_header(key, value)
        if self.command != "HEAD":
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        connection.close()

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = forward
